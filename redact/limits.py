"""Limits that keep hostile or broken input from hanging the tool or exhausting memory."""
from __future__ import annotations

import contextlib
import signal
import threading

PAGE_SECONDS = 30.0  # reading one page (text, boxes, fonts) may take this long, then it is skipped
MAX_RENDER_PIXELS = 40_000_000  # a render is made coarser rather than larger than this


class PageTimeout(Exception):
    """A page took longer than its limit."""


@contextlib.contextmanager
def deadline(seconds: float = PAGE_SECONDS):
    """Raise PageTimeout in the block after `seconds` (in the main thread, where signals are
    delivered; elsewhere the block runs unlimited). Time spent inside one C call (pdfium) is
    only interrupted when it returns to Python."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise PageTimeout(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_scale(width_pt: float, height_pt: float, wanted: float) -> float:
    """`wanted` pixels a point, or less on a page so large the render would exceed the cap."""
    area = max(width_pt * height_pt, 1.0)
    return min(wanted, (MAX_RENDER_PIXELS / area) ** 0.5)
