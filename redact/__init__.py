"""redact: recover redacted text from the widths that redactions leave behind.

Results are probabilistic: every ranking assumes the hidden text is one of the candidates
considered and that the width model holds.
"""
from .api import CAVEAT, Redaction, RedactedDocument, open
from .candidates import Constraints
from .errors import RedactError
from .rank import percent

__all__ = ["open", "Redaction", "RedactedDocument", "RedactError", "Constraints", "CAVEAT", "percent"]
__version__ = "0.1.0"
