"""The one error family unspun raises; each class carries its sysexits exit code (see INTERFACES.md)."""

from __future__ import annotations


class UnspunError(Exception):
    """Base of every error unspun raises on purpose. `exit_code` follows sysexits."""

    exit_code = 70
    code = "internal_error"


class InputDataError(UnspunError):
    """The input was read but cannot be analysed: empty, undecodable, too big, no article."""

    exit_code = 65
    code = "bad_input"


class TimeLimitError(InputDataError):
    """Analysing one document took longer than the per-document time limit (`--time-limit`)."""


class InputMissingError(UnspunError):
    """The input path does not exist, cannot be read, or is a directory."""

    exit_code = 66
    code = "input_missing"


class UrlUnreachableError(UnspunError):
    """The URL could not be fetched: DNS failure, refused connection, timeout, HTTP error."""

    exit_code = 69
    code = "url_unreachable"


class UrlRefusedError(UnspunError):
    """The URL is unsafe to fetch (private address, bad scheme, credentials) or fetching is off."""

    exit_code = 77
    code = "url_refused"


class OutputError(UnspunError):
    """The output file cannot be written (permissions, missing folder, disk full)."""

    exit_code = 74
    code = "output_error"


class DatabaseError(UnspunError):
    """The store's database cannot be reached."""

    exit_code = 75
    code = "database_unreachable"


class ModelError(UnspunError):
    """A shipped model file is missing or corrupt."""

    exit_code = 78
    code = "model_error"


class UsageError(UnspunError):
    """A bad option or argument value (unknown stage, model name, format)."""

    exit_code = 2
    code = "bad_request"
