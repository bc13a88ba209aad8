"""Errors and exit statuses: each status means one thing.

0 done; 1 the document's answer is "none" (no redaction bars) or "leak found"; 2 unusable input
(not a PDF, truncated, damaged, encrypted, no text layer, a page that could not be read);
3 our own bug ("internal error").

A damaged file makes the PDF and font libraries raise all kinds of exceptions (KeyError,
struct.error, ...); so can a bug of ours. `raised_reading` tells them apart by where the
exception was raised, so that a bug is never reported as a damaged file.
"""
from __future__ import annotations

import sys

NOTHING_FOUND = 1  # a readable PDF with nothing to work on (no redaction bars), or a leak found
UNUSABLE_INPUT = 2  # not a PDF, truncated, encrypted, no text layer, pages that cannot be read
INTERNAL_ERROR = 3  # a bug in redact

# the libraries that parse the input; an exception raised inside them is the input's fault
READERS = ("pdfminer", "pdfplumber", "pypdfium2", "fontTools", "PIL")


class RedactError(Exception):
    """An error for the user: `str(err)` is one line, `exit_code` what the CLI returns."""

    def __init__(self, message: str, exit_code: int = UNUSABLE_INPUT):
        super().__init__(message)
        self.exit_code = exit_code


def raised_reading(exc: BaseException) -> bool:
    """True when a PDF or font library (READERS) raised `exc` while parsing the input, False
    when redact's own code did: the innermost frame of the traceback that belongs to either
    decides (frames of the standard library and of numpy in between do not count)."""
    owner = None
    tb = exc.__traceback__
    while tb is not None:
        top = tb.tb_frame.f_globals.get("__name__", "").split(".")[0]
        if top == "redact" or top in READERS:
            owner = top
        tb = tb.tb_next
    return owner in READERS


def internal_error_line(exc: BaseException) -> str:
    """The one line the CLI prints for a bug of ours."""
    what = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    return (f"internal error: {what} (a bug in redact {_version()}, not a problem with the "
            "file: please report it; REDACT_DEBUG=1 shows the traceback)")


def _version() -> str:
    mod = sys.modules.get("redact")
    return getattr(mod, "__version__", "")
