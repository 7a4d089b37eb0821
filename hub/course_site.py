"""The executed book and its slides as a hub service, at ``/services/course/``.

The hub's proxy forwards ``/services/course/...`` to this server unchanged, so it serves the
built site (``_build/html``) under that prefix. It listens on loopback only, needs no login
(the room's projector and a learner whose kernel is down both just read), and serves files only:
Tornado's ``StaticFileHandler`` refuses paths outside the site's directory.

Run by the hub as ``python -m hub.course_site SITE_DIR``; the hub passes the address in
``JUPYTERHUB_SERVICE_URL`` and the prefix in ``JUPYTERHUB_SERVICE_PREFIX``.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from urllib.parse import urlparse

from tornado import web


class SiteHandler(web.StaticFileHandler):
    def validate_absolute_path(self, root, absolute_path):
        # /services/course/slides/ -> slides/index.html
        if os.path.isdir(absolute_path) and not self.request.path.endswith("/"):
            self.redirect(self.request.path + "/", permanent=False)
            return None
        return super().validate_absolute_path(root, absolute_path)


def make_app(site: Path, prefix: str) -> web.Application:
    prefix = "/" + prefix.strip("/") + "/"
    return web.Application([
        (prefix.rstrip("/"), web.RedirectHandler, {"url": prefix}),
        (prefix + "(.*)", SiteHandler, {"path": str(site), "default_filename": "index.html"}),
    ])


async def serve(site: Path, url: str, prefix: str) -> None:
    address = urlparse(url)
    make_app(site, prefix).listen(address.port, address.hostname or "127.0.0.1")
    await asyncio.Event().wait()


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0], "index.html").is_file():
        print("usage: python -m hub.course_site SITE_DIR (a built site with index.html)", file=sys.stderr)
        return 2
    asyncio.run(serve(Path(argv[0]).resolve(), os.environ["JUPYTERHUB_SERVICE_URL"],
                      os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/course/")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
