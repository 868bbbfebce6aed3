"""How long ``otlink`` takes to report a robot that accepts connections but never answers.

Runs each command against a TCP server that accepts and says nothing, with the default
``--timeout``, and prints the wall time (process start-up included) beside the start-up alone
(``otlink --version``) in the same run. The README promises a report within 10 s.

    python bench/silent_robot.py
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time

COMMANDS = [
    ["status"],
    ["runs", "list"],
    ["run", "tests/cli/protocols/transfer_220.py"],
    ["run", "tests/cli/protocols/transfer_220.py", "--upload"],
]


def seconds(*args: str) -> tuple[float, int]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "otlink", *args], capture_output=True)
    return time.monotonic() - started, done.returncode


def main() -> None:
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    threading.Thread(
        target=lambda: [held.append(server.accept()[0]) for _ in iter(int, 1)], daemon=True
    ).start()
    address = f"127.0.0.1:{server.getsockname()[1]}"
    baseline, _ = seconds("--version")
    print(f"start-up alone (otlink --version): {baseline:.1f} s")
    for command in COMMANDS:
        took, code = seconds(*command, "--robot", address)
        print(
            f"otlink {' '.join(command):55} exit {code}  {took:5.1f} s"
            f"  ({took / baseline:.1f}x start-up)"
        )


if __name__ == "__main__":
    main()
