"""The one module that touches pdfplumber's and pdfminer's private attributes.

pdfminer keeps a layout container's children in `_objs`; pdfplumber keeps a page's pdfminer
layout in `_layout` (set, it is used instead of interpreting the page again). redact reads the
children as the text-state replay adds them, hands pdfplumber the layout left after the
characters are taken out, and caches each font's glyph names on its pdfminer object. Should
either library rename these, this is the file to change.
"""
from __future__ import annotations

CODE_NAMES = "_redact_code_names"  # the glyph names of a font's codes, cached on its object


def children(container) -> list:
    """A pdfminer layout container's objects, in the order they were added."""
    return container._objs


def set_children(container, objects: list) -> None:
    container._objs = objects


def use_layout(pl_page, layout) -> None:
    """Make pdfplumber read its page objects (rects, curves, lines) from `layout`."""
    pl_page._layout = layout


def cached_code_names(font) -> dict | None:
    return getattr(font, CODE_NAMES, None)


def cache_code_names(font, names: dict) -> None:
    try:
        setattr(font, CODE_NAMES, names)
    except AttributeError:  # a font object without a __dict__: computed again next time
        pass
