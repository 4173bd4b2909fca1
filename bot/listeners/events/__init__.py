from slack_bolt import App

from .app_mention import answer_mention


def register(app: App) -> None:
    app.event("app_mention")(answer_mention)  # Bolt acks events before running the listener
