"""redact: recover redacted text from the widths that redactions leave behind.

Results are probabilistic: every ranking assumes the hidden text is one of the candidates
considered and that the width model holds.
"""
from .api import CAVEAT, Redaction, RedactedDocument, open
from .candidates import Constraints
from .errors import RedactError

__all__ = ["open", "Redaction", "RedactedDocument", "RedactError", "Constraints", "CAVEAT"]
__version__ = "0.1.0"
