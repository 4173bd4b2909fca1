"""Summit's engine: articles in, verbatim attributed answers out. No Slack here."""
from .answer import Answer, ArticleRef, Result
from .engine import Engine
from .errors import ConfigError, InputError, ModelMismatchError, SummitError
from .settings import Settings

__all__ = ["Answer", "ArticleRef", "ConfigError", "Engine", "InputError", "ModelMismatchError", "Result",
           "Settings", "SummitError"]
