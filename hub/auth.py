"""Log in with a class password: no PAM, no accounts to prepare before the session."""

from __future__ import annotations

import hmac

from jupyterhub.auth import Authenticator
from traitlets import Unicode


class ClassPasswordAuthenticator(Authenticator):
    """Learners choose a name and type the class password; the instructor has their own password.

    Names are checked by ``username_pattern`` (set in the hub's configuration) before the
    password is compared; the comparison is constant-time (``hmac.compare_digest``) so the
    password cannot be guessed one character at a time from response times.
    """

    class_password = Unicode(config=True, help="The password every learner types.")
    admin_password = Unicode(config=True, help="The instructor's (the admins') password.")

    async def authenticate(self, handler, data):
        name = self.normalize_username(data.get("username", ""))
        if not self.validate_username(name):
            return None
        expected = self.admin_password if name in self.admin_users else self.class_password
        if not expected:
            return None
        if hmac.compare_digest(data.get("password", "").encode(), expected.encode()):
            return name
        return None
