"""Global middleware, run after Bolt's own (signature check, authorization, url_verification)."""
from __future__ import annotations

from slack_bolt import BoltResponse

from .services import Summit


def attach(summit: Summit):
    """Put the shared services, and whether they are warm, in every request's context."""

    def attach_summit(context, next):
        context["summit"] = summit
        context["summit_ready"] = summit.ready.is_set()  # read once, so ack and the lazy answer agree
        return next()

    return attach_summit


def drop_retries_and_duplicates(req, context, next):
    """Slack retries an event it thinks we missed. We never miss one: the first delivery is acked
    at once and answered in the background, so a retry is answered 200 and dropped, and so is a
    replayed event_id (kept in SQLite, so a restart does not forget it)."""
    if req.headers.get("x-slack-retry-num"):
        return BoltResponse(status=200, body="")
    body = req.body or {}
    event_id = body.get("event_id") if isinstance(body, dict) else None
    if event_id and body.get("type") == "event_callback":
        if not context["summit"].state.first_time(event_id):
            context.logger.info("dropped a repeated event %s", event_id)
            return BoltResponse(status=200, body="")
    return next()
