"""What the listeners share: the engine, the bot's state and whether the model is warm yet."""
from __future__ import annotations

import logging
import threading

from index import Answer, Engine

from .settings import BotSettings
from .state import BotState

log = logging.getLogger("summit.bot")


class Summit:
    def __init__(self, settings: BotSettings, engine: Engine | None = None, state: BotState | None = None):
        self.settings = settings
        self.engine = engine or Engine(settings.engine)
        self.state = state or BotState(settings.engine.data_dir)
        self.ready = threading.Event()
        self.warm_error: BaseException | None = None

    # Bolt deep-copies the context for lazy listeners; this object is shared, never copied.
    def __deepcopy__(self, memo) -> "Summit":
        return self

    def warm(self) -> None:
        """Load the model and open the index; until then requests get a "warming up" answer."""
        try:
            self.engine.warm()
        except BaseException as exc:
            self.warm_error = exc
            log.exception("warm-up failed")
            raise
        self.ready.set()

    def warm_in_background(self) -> threading.Thread:
        def run():
            try:
                self.warm()
            except BaseException:
                pass  # logged in warm(); requests keep getting the warming answer and /healthz says so

        thread = threading.Thread(target=run, name="summit-warm", daemon=True)
        thread.start()
        return thread

    def ask(self, question: str, article_id: int | None = None) -> Answer:
        return self.engine.ask(question, article_id=article_id)

    def articles(self) -> list:
        return [row for row, _ in self.engine.articles()]
