"""How every process entry point starts and fails: `.env` loaded, errors as one line on stderr."""
from __future__ import annotations

import sys
from typing import Callable


def load_env() -> None:
    try:
        from dotenv import load_dotenv
    except ImportError:
        return
    load_dotenv(override=False)  # .env in development; the real environment wins


def guarded(run: Callable[[], int]) -> int:
    """Run `run()`, turning our errors into `summit: error: …` and exit status 1."""
    from index.errors import SummitError

    load_env()
    try:
        return run()
    except SummitError as exc:
        print(f"summit: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
