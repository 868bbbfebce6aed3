"""otlink: drive an Opentrons OT-2 from your own computer over its HTTP API."""

__version__ = "0.1.0"
