"""Real robot-server 8.2 answers (tests/reference_samples), as httpx responses."""

from __future__ import annotations

import httpx

from reference import SAMPLES


def answer(name: str, status: int = 200, method: str = "GET", path: str = "/x") -> httpx.Response:
    """The sample ``name`` as the answer of ``method path`` with ``status``."""
    request = httpx.Request(method, f"http://robot:31950{path}")
    return httpx.Response(status, content=(SAMPLES / name).read_bytes(), request=request)
