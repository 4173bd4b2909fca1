"""What the listeners share: the engine, the bot's state and whether the model is warm yet."""
from __future__ import annotations

import logging
import threading

from index import Answer, Engine

from .settings import BotSettings
from .state import BotState

log = logging.getLogger("summit.bot")

# A question asked during warm-up waits this long for the engine: long enough for a slow disk,
# well inside the 30 minutes Slack keeps a command's response_url valid.
WARM_WAIT_SECONDS = 600


class Summit:
    def __init__(self, settings: BotSettings, engine: Engine | None = None, state: BotState | None = None):
        self.settings = settings
        self.engine = engine or Engine(settings.engine)
        self.state = state or BotState(settings.engine.data_dir)
        self.ready = threading.Event()
        self.warm_error: BaseException | None = None
        self._warm_done = threading.Event()  # set when warm-up ends, well or badly

    # Bolt deep-copies the context for lazy listeners; this object is shared, never copied.
    def __deepcopy__(self, memo) -> "Summit":
        return self

    def warm(self) -> None:
        """Load the model and open the index. Questions asked meanwhile are acked with a "warming
        up" notice and wait in `wait_until_ready`."""
        try:
            self.engine.warm()
        except BaseException as exc:
            self.warm_error = exc
            log.exception("warm-up failed")
            raise
        else:
            self.ready.set()
        finally:
            self._warm_done.set()

    def wait_until_ready(self, timeout: float = WARM_WAIT_SECONDS) -> bool:
        """Block until warm-up ends; True when the engine is ready to answer."""
        if not self.ready.is_set():
            self._warm_done.wait(timeout)
        return self.ready.is_set()

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
