"""The async client: ask a robot several things at once, on one keep-alive connection pool.

    python async_client.py 10.0.0.5    # or OTLINK_ROBOT=10.0.0.5; default: a local otlink emulate
"""

from __future__ import annotations

import asyncio
import os
import sys

from otlink import AsyncRobotClient


async def main(address: str) -> None:
    async with AsyncRobotClient(address) as robot:
        health, pipettes, modules, lights, runs = await asyncio.gather(
            robot.health(),
            robot.get_pipettes(),
            robot.list_modules(),
            robot.get_lights(),
            robot.list_runs(),
        )
        print(f"{health.name} ({health.robot_model}), robot software {health.api_version}")
        for mount, pipette in (("left", pipettes.left), ("right", pipettes.right)):
            print(f"  {mount}: {pipette.name or 'empty'}")
        print(f"  modules: {', '.join(m.moduleModel for m in modules) or 'none'}")
        print(f"  lights {'on' if lights.on else 'off'}; {len(runs)} runs kept")


if __name__ == "__main__":
    address = sys.argv[1] if sys.argv[1:] else os.environ.get("OTLINK_ROBOT", "127.0.0.1:31950")
    asyncio.run(main(address))
