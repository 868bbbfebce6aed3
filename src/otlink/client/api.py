"""Every operation of the robot's HTTP API, listed once; both clients inherit this list.

Each entry turns a flow (in the module named on its left) into a method; the flow's
docstring is the method's.
"""

from __future__ import annotations

from otlink.client import (
    maintenance,
    protocol_upload,
    protocols,
    robot,
    run_commands,
    runs,
    stateless,
)
from otlink.client.operations import operation, stream

__all__ = ["RobotApi"]


class RobotApi:
    """The methods ``RobotClient`` and ``AsyncRobotClient`` share (see each for examples)."""

    # The robot
    health = operation(robot.health)
    get_lights = operation(robot.get_lights)
    set_lights = operation(robot.set_lights)
    home = operation(robot.home)
    get_pipettes = operation(robot.get_pipettes)
    list_instruments = operation(robot.list_instruments)
    list_modules = operation(robot.list_modules)
    calibration_status = operation(robot.calibration_status)
    get_settings = operation(robot.get_settings)
    set_setting = operation(robot.set_setting)

    # Runs
    create_run = operation(runs.create_run)
    get_run = operation(runs.get_run)
    list_runs = operation(runs.list_runs)
    archive_run = operation(runs.archive_run)
    delete_run = operation(runs.delete_run)
    run_action = operation(runs.run_action)
    play_run = operation(runs.play_run)
    pause_run = operation(runs.pause_run)
    resume_run = operation(runs.resume_run)
    stop_run = operation(runs.stop_run)
    wait_for_run = operation(runs.wait_for_run)
    follow_run = stream(runs.follow_run)
    add_labware_offset = operation(runs.add_labware_offset)
    add_labware_definition = operation(runs.add_labware_definition)

    # Commands of a run
    enqueue_command = operation(run_commands.enqueue_command)
    wait_for_command = operation(run_commands.wait_for_command)
    get_command = operation(run_commands.get_command)
    list_commands = operation(run_commands.list_commands)
    iter_commands = stream(run_commands.iter_commands)
    find_command = operation(run_commands.find_command)

    # Protocols, analyses, data files
    upload_protocol = operation(protocols.upload_protocol)
    upload_data_file = operation(protocols.upload_data_file)
    list_protocols = operation(protocols.list_protocols)
    get_protocol = operation(protocols.get_protocol)
    delete_protocol = operation(protocols.delete_protocol)
    analyze_protocol = operation(protocols.analyze_protocol)
    list_analyses = operation(protocols.list_analyses)
    get_analysis = operation(protocols.get_analysis)
    wait_for_analysis = operation(protocols.wait_for_analysis)
    upload_and_analyse = operation(protocol_upload.upload_and_analyse)

    # Maintenance runs
    create_maintenance_run = operation(maintenance.create_maintenance_run)
    get_current_maintenance_run = operation(maintenance.get_current_maintenance_run)
    get_maintenance_run = operation(maintenance.get_maintenance_run)
    delete_maintenance_run = operation(maintenance.delete_maintenance_run)
    enqueue_maintenance_command = operation(maintenance.enqueue_maintenance_command)
    get_maintenance_command = operation(maintenance.get_maintenance_command)
    list_maintenance_commands = operation(maintenance.list_maintenance_commands)
    add_maintenance_labware_offset = operation(maintenance.add_maintenance_labware_offset)
    add_maintenance_labware_definition = operation(maintenance.add_maintenance_labware_definition)

    # Stateless commands
    enqueue_stateless_command = operation(stateless.enqueue_stateless_command)
    get_stateless_command = operation(stateless.get_stateless_command)
    list_stateless_commands = operation(stateless.list_stateless_commands)
