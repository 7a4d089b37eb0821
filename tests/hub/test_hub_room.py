"""A running classroom hub, driven over loopback HTTP and kernel websockets as learners would.

One hub for the module (``hub_process`` in conftest.py, 1 GiB per learner). The tests run in
file order: the last one restarts the hub and finds what the earlier ones left in the learners'
home directories.
"""

from __future__ import annotations

import asyncio
import json
import os
import stat
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.hub
CHAPTER_1 = "dglab-course/book/01_discriminative_models.md"
CHAPTER_2 = "dglab-course/book/02_logistic_math.md"


def run(coro):
    return asyncio.run(coro)


async def learner(hub, name: str, *, pull: bool = True):
    """Log ``name`` in with the class password, start their server, hand out (or update) the chapters."""
    from hub.client import Learner

    person = Learner(hub.url, name, hub.password)
    assert await person.login(), f"{name} could not log in:\n{hub.log_tail()}"
    await person.create_token()
    await person.start_server()
    if pull:
        await person.pull(hub.settings.course_repo)
    return person


async def python(person, *cells: str):
    """Run ``cells`` in a new kernel of ``person``'s server (its own session, never a reused one)."""
    kernel = await person.start_kernel(f"dglab-course/book/{uuid.uuid4().hex[:8]}.ipynb")
    return await person.execute(kernel, list(cells), timeout=120)


def test_wrong_password_is_refused(hub_process):
    from hub.client import Learner

    async def attempts():
        async with Learner(hub_process.url, "mallory", "not-the-password") as wrong, \
                Learner(hub_process.url, "instructor", hub_process.password) as posing, \
                Learner(hub_process.url, "root", hub_process.password + "x") as root:
            return await wrong.login(), await posing.login(), await root.login()

    # the class password does not open the instructor's account
    assert run(attempts()) == (False, False, False)


def test_instructor_is_the_only_admin(hub_process):
    from hub.client import Learner

    async def check():
        async with Learner(hub_process.url, "instructor", hub_process.admin_password) as admin:
            assert await admin.login()
            await admin.create_token()
            services = json.loads((await admin.request("GET", "/hub/api/services"))[1])
            users = await admin.request("GET", "/hub/api/users")
        async with Learner(hub_process.url, "carol", hub_process.password) as carol:
            assert await carol.login()
            await carol.create_token()
            carol_users = await carol.request("GET", "/hub/api/users")
        return services, users, carol_users

    services, users, carol_users = run(check())
    assert {"course", "idle-culler"} <= set(services)
    assert users[0] == 200 and {u["name"]: u["admin"] for u in json.loads(users[1])}["instructor"]
    assert carol_users[0] == 403


def test_hub_api_without_token_is_refused(hub_process):
    from hub.client import Learner

    async def anonymous():
        async with Learner(hub_process.url, "nobody", "") as anon:
            return [await anon.request(method, path) for method, path in [
                ("GET", "/hub/api/users"),
                ("GET", "/hub/api/users/alice"),
                ("POST", "/hub/api/users/alice/server"),
                ("POST", "/hub/api/users/alice/tokens"),
                ("DELETE", "/hub/api/users/alice"),
            ]]

    assert [status for status, _ in run(anonymous())] == [403] * 5


def test_course_site_is_served_without_login(hub_process):
    from hub.client import Learner

    async def fetch():
        async with Learner(hub_process.url, "projector", "") as reader:
            return await reader.request("GET", "/services/course/"), \
                await reader.request("GET", "/services/course/../../hub/api/users")

    (status, body), (escape_status, _) = run(fetch())
    assert status == 200 and "The executed book" in body
    assert escape_status == 403


def test_learners_get_their_own_copy_and_cannot_reach_each_other(hub_process):
    home_a, home_b = None, None

    async def scenario():
        alice, bob = await asyncio.gather(learner(hub_process, "alice"), learner(hub_process, "bob"))
        try:
            # with her own token, alice asks for bob's server, his files and his kernels
            alice_on_bob = [await alice.request("GET", p) for p in [
                "/user/bob/api/contents/dglab-course", "/user/bob/api/kernels",
                f"/user/bob/files/{CHAPTER_1}",
            ]] + [await alice.request("POST", "/hub/api/users/bob/server"),
                  await alice.request("POST", "/hub/api/users/bob/tokens")]
            # ... and through her browser session (cookies), following redirects
            async with alice.session.get(f"{hub_process.url}/user/bob/lab") as r:
                alice_browser = r.status
            bob_home = str(hub_process.home("bob"))
            runs = await python(alice, f"""
import os, sys
print(os.getuid() != {os.stat(bob_home).st_uid})
print(os.path.expanduser("~/dglab-course") in sys.path)  # the course's own modules import from her copy
for attempt in (lambda: os.listdir({bob_home!r}), lambda: open({bob_home + '/' + CHAPTER_1!r}).read()):
    try:
        attempt()
        print("reached")
    except PermissionError:
        print("denied")
""")
            own = await alice.request("GET", f"/user/alice/api/contents/{CHAPTER_1}")
            return alice_on_bob, alice_browser, runs, own
        finally:
            await alice.close()
            await bob.close()

    alice_on_bob, alice_browser, runs, own = run(scenario())
    assert all(status in (403, 404) for status, _ in alice_on_bob), [s for s, _ in alice_on_bob]
    assert alice_browser in (403, 404)
    assert runs[0].status == "ok" and runs[0].text.split() == ["True", "True", "denied", "denied"]
    assert own[0] == 200  # her own copy of chapter 1 is there
    home_a, home_b = hub_process.home("alice"), hub_process.home("bob")
    for home in (home_a, home_b):
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
        assert (home / CHAPTER_1).is_file()


def publish_update(bare: Path, edits: dict[str, tuple[str, str]]) -> None:
    """The instructor commits a change to the chapters' repository: ``{path: (old, new)}``."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "course"
        subprocess.run(["git", "clone", "--quiet", str(bare), str(work)], check=True)
        for path, (old, new) in edits.items():
            file = work / path
            text = file.read_text()
            assert old in text
            file.write_text(text.replace(old, new, 1))
        subprocess.run(["git", "-C", str(work), "-c", "user.name=Instructor", "-c", "user.email=i@example.org",
                        "commit", "--quiet", "-am", "Update the chapters"], check=True)
        subprocess.run(["git", "-C", str(work), "push", "--quiet", "origin", "main"], check=True)
    subprocess.run(["chmod", "-R", "a+rX", str(bare)], check=True)


def test_update_keeps_a_learners_edits(hub_process):
    """nbgitpuller merges the instructor's update into alice's copy; her edited lines win."""
    chapter_1 = hub_process.home("alice") / CHAPTER_1
    title = next(line for line in chapter_1.read_text().splitlines() if line.startswith("# 1."))

    async def edit_and_pull():
        alice = await learner(hub_process, "alice", pull=False)
        try:
            runs = await python(alice, f"""
from pathlib import Path
p = Path.home() / {CHAPTER_1!r}
p.write_text(p.read_text().replace({title!r}, {title + " (alice's notes)"!r}) + "alice was here\\n")
print("edited")
""")
            assert runs[0].text == "edited\n", runs
            publish_update(Path(hub_process.settings.course_repo), {
                "book/01_discriminative_models.md": (title, title + " (revised)"),
                "book/02_logistic_math.md": ("# 2.", "<!-- updated by the instructor -->\n# 2."),
            })
            await alice.pull(hub_process.settings.course_repo)
        finally:
            await alice.close()

    run(edit_and_pull())
    mine = chapter_1.read_text()
    assert title + " (alice's notes)" in mine and "alice was here" in mine  # her edits survive
    assert "(revised)" not in mine  # the conflicting line is hers
    assert "updated by the instructor" in (hub_process.home("alice") / CHAPTER_2).read_text()
    assert chapter_1.stat().st_uid == os.stat(hub_process.home("alice")).st_uid


def test_memory_hog_dies_alone(hub_process):
    """Alice allocates without end; the OOM killer ends her kernel only, while bob's cell runs on."""
    hog = "chunks = []\nwhile True:\n    chunks.append(b'x' * (64 << 20))"
    steady = "import time\nfor _ in range(40):\n    time.sleep(0.25)\nprint('bob', sum(range(1000)))"
    cgroups = hub_process.cgroups

    async def scenario():
        alice, bob = await asyncio.gather(learner(hub_process, "alice", pull=False),
                                          learner(hub_process, "bob", pull=False))
        try:
            kernel_a, kernel_b = await asyncio.gather(alice.start_kernel(), bob.start_kernel())
            bob_task = asyncio.create_task(bob.execute(kernel_b, [steady], timeout=120))
            await asyncio.sleep(1)  # bob's cell is running when alice's hog starts
            hog_runs = await alice.execute(kernel_a, [hog], timeout=120)
            bob_runs = await bob_task
            # alice's server lives on: her restarted kernel and a new one both answer
            await asyncio.sleep(3)
            again = await alice.execute(kernel_a, ["print(6 * 7)"], timeout=120)
            fresh = await python(alice, "print('still here')")
            hub_ok = (await bob.request("GET", "/hub/api/"))[0]
            return hog_runs, bob_runs, again, fresh, hub_ok
        finally:
            await alice.close()
            await bob.close()

    hog_runs, bob_runs, again, fresh, hub_ok = run(scenario())
    assert hog_runs[0].status == "died"
    if cgroups is not None:
        alice = hub_process.system_user("alice")
        assert cgroups.oom_kills(alice) >= 1
        assert cgroups.peak_bytes(alice) <= 1 << 30
        assert cgroups.oom_kills(hub_process.system_user("bob")) == 0
    assert bob_runs[0].status == "ok" and bob_runs[0].text == "bob 499500\n"
    assert (again[0].text, fresh[0].text) == ("42\n", "still here\n"), (again, fresh)
    assert hub_ok == 200


def test_restart_keeps_learners_files(hub_process):
    async def write():
        alice = await learner(hub_process, "alice", pull=False)
        try:
            runs = await python(alice, "from pathlib import Path\n"
                                       "(Path.home() / 'notes.txt').write_text('before the restart')")
            assert runs[0].status == "ok"
        finally:
            await alice.close()

    async def read():
        alice = await learner(hub_process, "alice")  # pulls again: a merge with nothing new
        try:
            notes = await alice.request("GET", "/user/alice/api/contents/notes.txt")
            # as text: jupytext would hand the .md chapter over as a notebook
            chapter = await alice.request("GET", f"/user/alice/api/contents/{CHAPTER_1}?type=file&format=text")
            return notes, chapter
        finally:
            await alice.close()

    run(write())
    hub_process.stop()
    hub_process.start()
    (notes_status, notes), (chapter_status, chapter) = run(read())
    assert notes_status == 200 and json.loads(notes)["content"] == "before the restart"
    assert chapter_status == 200 and "alice was here" in json.loads(chapter)["content"]
