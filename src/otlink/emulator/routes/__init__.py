"""The virtual robot's HTTP routes, one module per part of robot-server's API."""
