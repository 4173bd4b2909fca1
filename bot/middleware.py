"""Global middleware, run after Bolt's own (signature check, authorization, url_verification),
and the shape check that the HTTP door (bot/web.py) also runs before Bolt parses a body."""
from __future__ import annotations

from slack_bolt import BoltResponse

from .services import Summit

# The event fields our listeners read without a default, by event type.
REQUIRED_EVENT_FIELDS = {"app_mention": ("channel", "ts")}


def payload_problem(body) -> str | None:
    """What is wrong with a payload's shape, in a few words, or None when listeners can read it."""
    if not isinstance(body, dict):
        return f"a JSON {type(body).__name__}, not an object"
    if body.get("type") != "event_callback":
        return None
    event = body.get("event")
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        return "an event_callback without an event"
    if not isinstance(body.get("event_id", ""), str):
        return "an event_callback whose event_id is not text"
    missing = [name for name in REQUIRED_EVENT_FIELDS.get(event["type"], ())
               if not isinstance(event.get(name), str) or not event[name]]
    if missing:
        return f"an {event['type']} without {' or '.join(missing)}"
    if not isinstance(event.get("text", ""), str):
        return f"an {event['type']} whose text is not text"
    return None


def refuse_malformed(req, context, next):
    """Socket Mode's payloads do not pass the HTTP door; a malformed one stops here with one line."""
    problem = payload_problem(req.body)
    if problem:
        context.logger.warning("refused a payload that is %s", problem)
        return BoltResponse(status=400, body="")
    return next()


def attach(summit: Summit):
    """Put the shared services, and whether they are warm, in every request's context."""

    def attach_summit(context, next):
        context["summit"] = summit
        context["summit_ready"] = summit.ready.is_set()  # read once, so ack and the lazy answer agree
        return next()

    return attach_summit


def drop_retries_and_duplicates(req, context, next):
    """Answer each event once. Its event_id is kept in SQLite when it first arrives, so a retry or
    replay of one we have seen is answered 200 and dropped, even after a restart. A retry of one we
    never saw (the first delivery was lost, say during a restart) is the first delivery: answer it."""
    body = req.body
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    retry = (req.headers.get("x-slack-retry-num") or [None])[0]
    state = context["summit"].state if event_id else None
    event = body.get("event") if isinstance(body.get("event"), dict) else {}
    if event_id and event.get("channel") and event.get("ts"):
        # One message is answered once, even delivered again under another event_id.
        seen_message = not state.first_time(f"message:{event.get('type')}:{event['channel']}:{event['ts']}")
        if seen_message and state.first_time(event_id):  # a new id for it: drop; a retry of its id: below
            context.logger.info("dropped event %s: the same message was already answered", event_id)
            return BoltResponse(status=200, body="")
    if event_id:
        if not state.first_time(event_id):
            context.logger.info("dropped a repeated event %s%s", event_id, f" (retry {retry})" if retry else "")
            return BoltResponse(status=200, body="")
        if retry:
            context.logger.info("answering retry %s of event %s: its first delivery never reached us",
                                retry, event_id)
    elif retry:
        return BoltResponse(status=200, body="")  # no event_id to tell a lost first delivery by
    return next()
