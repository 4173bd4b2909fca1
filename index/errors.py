"""Errors the engine raises on purpose. Each carries one short line for the user."""


class SummitError(Exception):
    """Base class: the message is shown to the user as is."""


class InputError(SummitError):
    """Bad input: a file, path, URL or question the engine refuses."""


class ModelMismatchError(SummitError):
    """The index was built with a different embedding model."""


class ConfigError(SummitError):
    """A missing or malformed setting."""


class StorageError(SummitError):
    """The data folder cannot be opened, read or written (missing, read-only, full, damaged)."""
