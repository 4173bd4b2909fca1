from slack_bolt import App

from ...render import MORE_ACTION, SHARE_ACTION
from .buttons import more_answer, share_answer


def register(app: App) -> None:
    app.action(SHARE_ACTION)(share_answer)
    app.action(MORE_ACTION)(more_answer)
