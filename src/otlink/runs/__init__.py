"""Live runs on a robot: one command sink, three strategies.

Live code (``otlink.live``) hands each robot command to a :class:`RunStrategy`:

* :class:`WaitedRun`: the run is played and each command runs when it is issued, waited for;
* :class:`LookaheadRun`: the run is played and commands go ahead of their execution, pipelined;
* :class:`RecordingRun`: nothing runs anywhere; the commands are kept, for dry runs and previews.

Every strategy ends the robot's run as it really ended (:class:`RunEnd`): ``succeeded`` after
:meth:`~RunStrategy.finish`, ``stopped`` after :meth:`~RunStrategy.stop` (Ctrl-C, a failure
outside the robot), ``failed`` with the robot's error after a robot failure; and
the robot is never left with an active run.

Example::

    from otlink.client import RobotClient
    from otlink.runs import WaitedRun

    with RobotClient("10.0.0.5") as robot:
        run = WaitedRun(robot)
        run.execute("home", {})
        print(run.finish().status)    # "succeeded"
"""

from otlink.runs.lookahead import DEFAULT_DEPTH, AsyncLookahead, Lookahead
from otlink.runs.lookahead_run import LookaheadRun
from otlink.runs.recording import RecordedCommand, RecordingRun
from otlink.runs.sink import Origin, RunEnd, RunStrategy
from otlink.runs.waited import WaitedRun

__all__ = [
    "DEFAULT_DEPTH",
    "AsyncLookahead",
    "Lookahead",
    "LookaheadRun",
    "Origin",
    "RecordedCommand",
    "RecordingRun",
    "RunEnd",
    "RunStrategy",
    "WaitedRun",
]
