"""Wires every listener into the app (the layout of bolt-python-starter-template)."""
from __future__ import annotations

from slack_bolt import App

from . import actions, commands, events


def register(app: App, command: str = "/summit") -> None:
    commands.register(app, command)
    events.register(app)
    actions.register(app)
