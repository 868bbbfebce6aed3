"""How a client behaves: timeouts, retries, waiting and the API version it asks for."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["API_VERSION", "ClientOptions"]

#: The ``Opentrons-Version`` header otlink sends. robot-server 8.x is at version 4 and maps
#: any value from 2 up to its own; no route behaves differently between 3 and 4. We pin "3"
#: (what the Opentrons App sends) rather than "*", so that a future robot that bumps the
#: version to change a behaviour (e.g. the default command intent) keeps serving us the
#: behaviour this client was written and tested against.
API_VERSION = "3"


@dataclass(frozen=True)
class ClientOptions:
    """Knobs of a client; the defaults suit a robot on a lab network.

    Example::

        RobotClient("10.0.0.5", options=ClientOptions(attempts=10, timeout=60))

    Attributes:
        timeout: seconds to wait for an ordinary answer; retries of a request are not started
            past this many seconds after its first try.
        connect_timeout: seconds to wait for a TCP connection.
        attempts: how many times a request whose repetition is safe is tried
            (GETs, uploads, and any request that never left this computer).
        backoff: the first pause between two tries, doubled after each failure...
        backoff_max: ...up to this many seconds.
        command_hold: the longest one server-side wait (``waitUntilComplete``) may hold a
            request open; a command that needs longer is then watched with GETs.
        settle: pause after a command POST was cut off, before asking the robot whether
            it arrived (lets a request still being read by the robot land first).
        poll_interval: first pause between two looks at something the robot cannot wait
            for (protocol analysis, run progress, a command past ``command_hold``)...
        poll_max: ...growing by half each time up to this many seconds.
        api_version: the ``Opentrons-Version`` header value.
    """

    timeout: float = 30.0
    connect_timeout: float = 5.0
    attempts: int = 6
    backoff: float = 0.1
    backoff_max: float = 2.0
    command_hold: float = 300.0
    settle: float = 0.2
    poll_interval: float = 0.2
    poll_max: float = 2.0
    api_version: str = API_VERSION

    def backoff_delay(self, failures: int) -> float:
        """The pause after ``failures`` failed tries (1, 2, ...)."""
        return float(min(self.backoff * 2 ** (failures - 1), self.backoff_max))

    def next_poll(self, interval: float) -> float:
        """The poll interval after ``interval``."""
        return min(interval * 1.5, self.poll_max)
