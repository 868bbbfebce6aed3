"""Hand a whole protocol to the robot and follow its run: what ``otlink run --upload`` does.

The robot runs it on its own; this script only watches (stop it and the run goes on).

    python upload_and_follow.py 10.0.0.5    # or OTLINK_ROBOT=...; default: a local otlink emulate
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from otlink import RobotClient
from otlink.models import AnalysisResult, RunStatus

HERE = Path(__file__).parent


def main(address: str) -> int:
    with RobotClient(address) as robot:
        protocol = robot.upload_protocol(
            HERE / "transfer.py",
            sorted((HERE / "labware").glob("*.json")),
            run_time_parameter_values={"volume": 75},
        )
        analysis = robot.wait_for_analysis(protocol.id)
        if analysis.result != AnalysisResult.OK:
            print(f"the robot's analysis failed: {analysis.errors[0].detail}")
            return 5
        print(f"analysed: {len(analysis.commands)} commands")
        offsets = json.loads((HERE / "offsets.json").read_text())
        run = robot.create_run(
            protocol.id, labware_offsets=offsets, run_time_parameter_values={"volume": 75}
        )
        robot.play_run(run.id)
        for command in robot.follow_run(run.id):
            print(f"  {command.commandType}: {command.status}")
        ended = robot.get_run(run.id)
        print(f"run {run.id}: {ended.status}")
        return 0 if ended.status == RunStatus.SUCCEEDED else 5


if __name__ == "__main__":
    address = sys.argv[1] if sys.argv[1:] else os.environ.get("OTLINK_ROBOT", "127.0.0.1:31950")
    sys.exit(main(address))
