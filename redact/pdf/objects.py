"""PDF objects read defensively: a value of the wrong type is no value.

A damaged or hostile file puts a string where a dictionary belongs, an array of names where
numbers do, a reference to nothing. Whatever reads an object of the file takes it through one
of these: the right type, resolved, or the empty value of that type.
"""
from __future__ import annotations

import math


def resolved(obj, depth: int = 0):
    """`obj` with its references followed (a loop of references is None)."""
    from pdfminer.pdftypes import PDFObjRef

    while isinstance(obj, PDFObjRef) and depth < 32:
        try:
            obj = obj.resolve()
        except Exception:  # a reference to nothing, or to an object that cannot be parsed
            return None
        depth += 1
    return None if isinstance(obj, PDFObjRef) else obj


def as_dict(obj) -> dict:
    obj = resolved(obj)
    return obj if isinstance(obj, dict) else {}


def as_list(obj) -> list:
    obj = resolved(obj)
    return obj if isinstance(obj, list) else []


def as_number(obj) -> float | None:
    """A finite number, or None."""
    obj = resolved(obj)
    if isinstance(obj, bool) or not isinstance(obj, (int, float)):
        return None
    return float(obj) if math.isfinite(obj) else None
