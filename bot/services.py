"""What the listeners share: the engine, the bot's state and whether the model is warm yet."""
from __future__ import annotations

import logging
import threading
from typing import Callable

from index import Answer, Engine

from .settings import BotSettings
from .state import BotState

log = logging.getLogger("summit.bot")

# Questions asked during warm-up wait this long for the engine: long enough for a slow disk,
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
        self._waiting: list[Callable[[bool], None]] = []  # answers to give once warm-up ends
        self._waiting_lock = threading.Lock()
        self._drainer: threading.Thread | None = None

    # Bolt deep-copies the context for lazy listeners; this object is shared, never copied.
    def __deepcopy__(self, memo) -> "Summit":
        return self

    def warm(self) -> None:
        """Load the model and open the index. Questions asked meanwhile are acked with a "warming
        up" notice and answered through `when_ready` as soon as this ends."""
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

    def when_ready(self, answer: Callable[[bool], None]) -> None:
        """Call `answer(ready)` once warm-up has ended (at once if it has), ready=False if it failed
        or took over WARM_WAIT_SECONDS. Waiting answers hold no listener thread: Bolt runs acks on
        those threads, so a queue of blocked threads would leave the next command unacked."""
        with self._waiting_lock:
            if not self._warm_done.is_set():
                self._waiting.append(answer)
                if self._drainer is None:
                    self._drainer = threading.Thread(target=self._answer_waiting, name="summit-waiting",
                                                     daemon=True)
                    self._drainer.start()
                return
        answer(self.ready.is_set())

    def _answer_waiting(self) -> None:
        self._warm_done.wait(WARM_WAIT_SECONDS)
        with self._waiting_lock:
            waiting, self._waiting, self._drainer = self._waiting, [], None
        ready = self.ready.is_set()
        if waiting:
            log.info("answering %d question(s) asked during warm-up", len(waiting))
        for answer in waiting:  # one at a time: the engine answers one question at a time anyway
            try:
                answer(ready)
            except Exception:
                log.exception("answering a question asked during warm-up failed")

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
