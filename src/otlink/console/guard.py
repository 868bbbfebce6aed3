"""Who may use the console: a token when it listens beyond this computer, loopback ``Host``
names when it does not (no DNS rebinding), and no cross-site requests that change anything.

* With a token, the first visit carries it in the address (``/?token=...``, printed once by
  ``otlink serve``); the console answers with a cookie and forgets the address' copy.
* A state-changing request (any method but GET/HEAD) must come from the console's own pages:
  its ``Origin`` (or ``Referer``) must be the console's, and its form must carry the page's
  ``csrf`` value, which a page of another site cannot read.

Example::

    guard = Guard(token=None)
    guard.problem(request)  # None when the request may go on
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from starlette.datastructures import FormData
from starlette.requests import Request

__all__ = ["COOKIE", "LOOPBACK_NAMES", "Guard", "is_loopback"]

COOKIE = "otlink_console"
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address to bind, or a ``Host`` name) is this computer only."""
    return host in LOOPBACK_NAMES or host.startswith("127.")


def _host_name(host_header: str) -> str:
    return urlsplit(f"//{host_header}").hostname or ""


@dataclass
class Guard:
    """The console's rules for one server: ``token`` is ``None`` on loopback."""

    token: str | None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    def problem(self, request: Request) -> tuple[int, str] | None:
        """Why ``request`` is refused (status, sentence), or ``None``."""
        host = request.headers.get("host", "")
        if self.token is None and not is_loopback(_host_name(host)):
            return 403, f"this console answers only as localhost, not as {host!r}"
        if self.token is not None and not self.has_token(request):
            return 401, "this console needs its token: open the address otlink serve printed"
        if request.method not in _SAFE_METHODS:
            source = request.headers.get("origin") or request.headers.get("referer")
            if source is None or urlsplit(source).netloc != host:
                return 403, "refused: the request did not come from a page of this console"
        return None

    def has_token(self, request: Request) -> bool:
        given = request.cookies.get(COOKIE) or request.query_params.get("token") or ""
        return self.token is not None and hmac.compare_digest(given, self.token)

    def check_form(self, form: FormData) -> bool:
        """Whether ``form`` carries this server's CSRF value."""
        given = form.get("csrf")
        return isinstance(given, str) and hmac.compare_digest(given, self.csrf)
