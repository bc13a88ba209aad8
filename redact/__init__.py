"""redact: recover redacted text from the widths that redactions leave behind.

Results are probabilistic: every ranking assumes the hidden text is one of the candidates
considered and that the width model holds.
"""
from .api import CAVEAT, RedactedDocument, Redaction, open
from .errors import RedactError
from .rank.candidates import Constraints
from .rank.score import percent

__all__ = ["open", "Redaction", "RedactedDocument", "RedactError", "Constraints", "CAVEAT", "percent"]
__version__ = "0.1.0"
