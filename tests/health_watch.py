"""A thread that asks a server's /health over and over while a test does something hostile to it."""

from __future__ import annotations

import threading
import time

import httpx

#: What a robot that stays usable answers /health within, whatever else it is asked.
HEALTH_LIMIT_S = 1.5


class HealthWatch:
    """Asks /health every 0.1 s from a thread; every answer must be a 200 within 1.5 s.

    >>> watch = HealthWatch("http://127.0.0.1:31950")  # doctest: +SKIP
    >>> ...  # the hostile part
    >>> watch.stop()  # raises AssertionError naming each late or missing answer  # doctest: +SKIP
    >>> watch.worst_s  # doctest: +SKIP
    0.031
    """

    def __init__(self, url: str) -> None:
        self.failures: list[str] = []
        self.asked = 0
        self.worst_s = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, args=(url,), daemon=True)
        self._thread.start()

    def _watch(self, url: str) -> None:
        with httpx.Client(base_url=url, headers={"Opentrons-Version": "*"}) as client:
            while True:  # ask before the first wait: a quick test still gets one answer
                started = time.monotonic()
                try:
                    status = client.get("/health", timeout=HEALTH_LIMIT_S).status_code
                    if status != 200:
                        self.failures.append(f"/health answered {status}")
                    self.asked += 1
                except Exception as error:
                    self.failures.append(repr(error))
                took = time.monotonic() - started
                if took > HEALTH_LIMIT_S:
                    self.failures.append(f"/health took {took:.2f} s")
                self.worst_s = max(self.worst_s, took)
                if self._done.wait(0.1):
                    break

    def close(self) -> None:
        """Stop asking (``failures`` and ``worst_s`` say how it went)."""
        self._done.set()
        self._thread.join(5)

    def stop(self) -> None:
        """Stop asking; fail if any answer was missing, late or not a 200."""
        self.close()
        assert not self.failures, self.failures
        assert self.asked > 0
