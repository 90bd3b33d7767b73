"""Sessions of the reference application page: a signed cookie instead of a client key.

The page is served to browsers, so it must not hold a client key: whatever a page holds, its
user can copy. Instead ``GET /app`` sets a short-lived cookie, signed with a secret the
process draws at start-up, that stands for the configured page client (``page.client``) and
nothing wider. The cookie is ``HttpOnly`` and ``SameSite=Strict``, and a request counts as
the page's only if it also carries the :data:`PAGE_HEADER` header, which a cross-site form
cannot send, so another site cannot make a visitor's browser act for the page.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

__all__ = ["PAGE_COOKIE", "PAGE_HEADER", "PageSessions"]

PAGE_COOKIE = "formmerge_page"
PAGE_HEADER = "X-Formmerge-Page"
_SECRET_BYTES = 32


class PageSessions:
    """Issues and checks page session tokens (``<expiry>.<signature>``)."""

    def __init__(self, minutes: int, secret: bytes | None = None) -> None:
        self.seconds = minutes * 60
        self._secret = secret or secrets.token_bytes(_SECRET_BYTES)

    def _sign(self, expires: int) -> str:
        return hmac.new(self._secret, str(expires).encode(), hashlib.sha256).hexdigest()

    def issue(self, now: float | None = None) -> str:
        """A new token, valid for the configured minutes."""
        expires = int(now if now is not None else time.time()) + self.seconds
        return f"{expires}.{self._sign(expires)}"

    def valid(self, token: str | None, now: float | None = None) -> bool:
        """True if ``token`` was issued here and has not expired."""
        if not token:
            return False
        expiry, _, signature = token.partition(".")
        if not expiry.isdigit() or len(expiry) > len(str(2**40)):
            return False
        expires = int(expiry)
        if not hmac.compare_digest(self._sign(expires), signature):
            return False
        return (now if now is not None else time.time()) < expires
