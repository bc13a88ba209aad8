"""The one exception the tool raises on purpose: bad input, said in one line."""
from __future__ import annotations

UNUSABLE_INPUT = 2  # not a PDF, truncated, encrypted, no text layer
NOTHING_FOUND = 1  # a readable PDF with nothing to work on (no redaction bars)


class RedactError(Exception):
    """An error for the user: `str(err)` is one line, `exit_code` what the CLI returns."""

    def __init__(self, message: str, exit_code: int = UNUSABLE_INPUT):
        super().__init__(message)
        self.exit_code = exit_code
