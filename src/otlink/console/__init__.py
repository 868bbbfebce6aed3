"""``otlink serve``: the operator's web page for every robot of the lab.

Server-rendered pages (Robots, a Robot, Start a run, a Run) over the async client; one poller
per robot however many pages are open, its answers pushed to the pages as server-sent events.
The browser talks only to this server, never to a robot.

Example::

    import uvicorn
    from otlink.console import ConsoleSettings, create_app

    uvicorn.run(create_app(ConsoleSettings(robots=["10.0.0.5"])), port=8031)
"""

from otlink.extras import require_extra

require_extra("console", "otlink.console")

from .app import ConsoleSettings, create_app

__all__ = ["ConsoleSettings", "create_app"]
