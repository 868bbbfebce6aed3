"""How long ``otlink emulate`` takes from process start to its first answers on /health.

A robot is judged ready by discovery clients when GET /health answers 200 (the issue asks for
that within 3 s). Each repeat starts ``otlink emulate`` on a free port and polls /health every
10 ms; it prints when the port first answered at all and when /health first said 200.

    python bench/startup.py [--repeats 5] [--advertise]
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import subprocess
import sys
import time

from otlink.emulator.server import free_port

HEADERS = {"Opentrons-Version": "2"}  # what the Opentrons App's discovery client sends
LIMIT_S = 3.0


def _health_status(port: int) -> int | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        connection.request("GET", "/health", headers=HEADERS)
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def time_one_start(extra: list[str]) -> tuple[float, float]:
    """Seconds from spawning ``otlink emulate`` to its first answer and to its first 200."""
    port = free_port()
    command = [sys.executable, "-m", "otlink", "emulate", "--port", str(port), *extra]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first_answer: float | None = None
    try:
        while time.perf_counter() - started < 60:
            status = _health_status(port)
            now = time.perf_counter() - started
            if status is not None and first_answer is None:
                first_answer = now
            if status == 200:
                return first_answer or now, now
            if process.poll() is not None:
                raise RuntimeError(f"otlink emulate exited with {process.returncode}")
            time.sleep(0.01)
        raise RuntimeError("no 200 from /health within 60 s")
    finally:
        process.send_signal(2)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--advertise", action="store_true", help="start with --advertise")
    args = parser.parse_args()
    extra = ["--advertise"] if args.advertise else []
    answers, healthy = [], []
    for _ in range(args.repeats):
        answer, ready = time_one_start(extra)
        answers.append(answer)
        healthy.append(ready)
        print(f"first answer {answer:.2f} s, first /health 200 {ready:.2f} s")
    median = statistics.median(healthy)
    verdict = "within" if max(healthy) <= LIMIT_S else "OVER"
    print(
        f"/health 200 after {median:.2f} s median, {max(healthy):.2f} s worst"
        f" of {args.repeats} starts ({verdict} the {LIMIT_S:.0f} s limit)"
    )


if __name__ == "__main__":
    main()
