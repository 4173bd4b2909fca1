from slack_bolt import App

from .summit import summit_ack, summit_answer


def register(app: App, command: str = "/summit") -> None:
    # Lazy listener: the ack goes back in the HTTP response at once, the answer follows via respond().
    app.command(command)(ack=summit_ack, lazy=[summit_answer])
