"""PDF -> glyph lines and redaction bars (`read_pdf`).

Each page's glyphs are placed as the PDF's text state says (`textstate`), grouped into lines
(`lines`), stripped of a transcript's printed numbers (`transcript`); its filled boxes that draw
dark become bars (`bars`). Sizes a printer driver wrote in whole device pixels are taken back to
the size the text was laid out at (`layout_sizes`).
"""
from __future__ import annotations

import os
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..errors import NOTHING_FOUND, RedactError, raised_reading
from ..limits import PageTimeout, deadline
from .bars import PageRenderer, candidate_boxes, merge_bars
from .internals import use_layout
from .layout import SIZE_STEP_PT, FontResource, Glyph, Layout, Page, TextLine
from .lines import group_lines, split_columns
from .objects import as_dict
from .textstate import page_layout, take_chars
from .transcript import number_lines
from .words import LAYOUT_WORDS, split_words

DEVICE_PIXEL_PT = 72 / 600  # a printer driver writes the size in whole pixels per em at 600 dpi
MIN_LAYOUT_WORDS = 20  # words a (font, size) needs before its laid-out size is fitted


# --------------------------------------------------------------------------- opening
def check_readable(path: str | os.PathLike) -> tuple[Path, bytes]:
    """The path and the file's first KiB, if it names a file that starts like a PDF;
    RedactError otherwise."""
    path = Path(path)
    if not path.exists():
        raise RedactError(f"{path}: no such file")
    if path.is_dir():
        raise RedactError(f"{path}: is a directory, not a PDF")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise RedactError(f"{path}: not a PDF (no %PDF- header)")
    return path, head


def read_pdf(path: str | os.PathLike, password: str = "", require_bars: bool = True,
             max_pages: int | None = None) -> Layout:
    """Read glyphs, lines and bars from every page (the first `max_pages`, when given). Raises
    RedactError on unusable input. The file is only ever opened for reading."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    path, head = check_readable(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pdf = pdfplumber.open(path, password=password)
            with pdf:
                return _read(path, pdf, password, require_bars, max_pages)
    except RedactError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on damaged files; pdfplumber wraps them
        if not raised_reading(exc):
            raise  # our own bug: the CLI says so (exit 3), never "damaged"
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise RedactError(f"{path}: encrypted; " + ("wrong password" if password else
                              "give its password with --password")) from None
        name = type(cause).__name__
        if "Encrypt" in name or "Password" in name:
            raise RedactError(f"{path}: encrypted with an unsupported scheme") from None
        raise RedactError(f"{path}: cannot be read as a PDF (truncated or damaged: {name})") from None


def _read(path: Path, pdf, password: str, require_bars: bool, max_pages: int | None = None
          ) -> Layout:
    fonts: dict[str, FontResource] = {}
    if not pdf.pages:
        raise RedactError(f"{path}: the PDF has no pages")
    renders = PageRenderer(path, password)
    try:
        pages, n_glyphs, notes = _read_pages(pdf, renders, fonts, max_pages)
    finally:
        renders.close()
    _to_layout_sizes(pages)
    if n_glyphs == 0:
        raise RedactError(f"{path}: no text layer (scanned image?); nothing to measure against")
    if require_bars and not any(p.bars for p in pages):
        if notes:  # "no bars" cannot be said of pages that were not read
            raise RedactError(f"{path}: no redaction bars on the pages read, but {len(notes)} "
                              f"could not be read ({notes[0]}{', ...' if len(notes) > 1 else ''})")
        raise RedactError(f"{path}: no redaction bars found", NOTHING_FOUND)
    return Layout(path, pages, fonts, notes)


def _read_pages(pdf, renders: PageRenderer, fonts: dict[str, FontResource],
                max_pages: int | None = None):
    """Every page in turn, each released (pdfplumber's cache of its objects) once read: the
    pages, how many glyphs they hold, and the notes on pages skipped."""
    pages: list[Page] = []
    n_glyphs = 0
    notes: list[str] = []
    for pl_page in pdf.pages[:max_pages]:
        try:
            with deadline():
                glyphs, page = _read_page(pl_page, renders, fonts)
        except PageTimeout as exc:
            notes.append(f"page {pl_page.page_number} skipped: {exc}")
            glyphs, page = [], Page(pl_page.page_number, float(pl_page.width),
                                    float(pl_page.height), [], [], [])
        finally:
            pl_page.close()
        n_glyphs += len(glyphs)
        pages.append(page)
    return pages, n_glyphs, notes


def _read_page(pl_page, renders: PageRenderer, fonts: dict[str, FontResource]):
    """One page's glyphs and its Page (lines and bars); new fonts are added to `fonts`.
    Glyphs are placed as the PDF specification says (see `textstate.page_layout`); a glyph
    drawn again within a point of itself (Nuance and Word make bold by overprinting) is one."""
    layout, runs = page_layout(pl_page, record_runs=True)
    chars = dedupe_chars(take_chars(pl_page, layout))
    use_layout(pl_page, layout)  # what is left: rects, curves, lines
    shared: dict[float, float] = {}  # a line's glyphs share their vertical coordinates
    glyphs = [_glyph(c, shared) for c in chars if c.get("upright", True) and c["text"]]
    boxes = candidate_boxes(pl_page)
    if boxes:
        boxes = renders.dark(pl_page.page_number - 1, boxes, pl_page.height, pl_page.width)
    lines, printed = number_lines(group_lines(pl_page.page_number, glyphs))
    lines = split_columns(lines, boxes)
    bars, line_of_bar = merge_bars(pl_page.page_number, boxes, lines)
    if glyphs:
        for name, spec in _font_specs(pl_page).items():
            if name not in fonts:
                fonts[name] = _font_resource(name, spec)
                # pdfminer names the glyphs of a font it aliases by the alias (a TrueType
                # "CourierNew" not embedded is read with Courier's metrics, and its glyphs say
                # "Courier"): the same font dictionary, under the name the glyphs carry
                alias = getattr(fonts[name].font, "fontname", None)
                if isinstance(alias, str) and alias != name and alias not in fonts:
                    fonts[alias] = replace(fonts[name], name=alias)
    page = Page(pl_page.page_number, float(pl_page.width), float(pl_page.height), lines, bars,
                line_of_bar, printed, runs if bars else None)
    return glyphs, page


def layout_sizes(lines: list[TextLine]) -> dict[tuple[str, float], float]:
    """The size each (font, size) was laid out at, where it differs from the size the PDF
    draws it at. Word lays a line out at its nominal size (a half point) and a printer driver
    (PScript5, PDFMaker, Nuance) writes the font at a whole number of 600 dpi pixels per em:
    14 pt becomes 14.04 or 13.92 pt, 10 pt 10.08 or 9.96 pt, while every glyph stays where the
    14 pt (10 pt) layout put it. The scale from the words' spans (first glyph's origin to last
    glyph's origin, against their advances) decides: the nominal size within one pixel when the
    spans are closer to its scale than to 1."""
    spans: dict[tuple[str, float], list[tuple[float, float]]] = {}
    for line in lines:
        for word in split_words(line.glyphs, LAYOUT_WORDS):
            key = word[0].font_size
            spans.setdefault(key, []).append(
                (word[-1].x_pt - word[0].x_pt, sum(g.advance_pt for g in word[:-1])))
    out = {}
    for (font, size), sw in spans.items():
        nominal = round(size / SIZE_STEP_PT) * SIZE_STEP_PT
        if len(sw) < MIN_LAYOUT_WORDS or nominal == size or abs(nominal - size) > DEVICE_PIXEL_PT:
            continue
        span, width = np.asarray(sw).T
        scale = float(span @ width / (width @ width))
        if abs(scale - nominal / size) < abs(scale - 1.0):
            out[(font, size)] = nominal
    return out


def _to_layout_sizes(pages: list[Page]) -> None:
    """Glyphs take the size their text was laid out at (`layout_sizes`), their advances
    scaled with it: what a glyph's advance means downstream is where the layout put the next."""
    sizes = layout_sizes([line for p in pages for line in p.lines])
    if not sizes:
        return
    for page in pages:
        for line in page.lines:
            line.glyphs = [g if g.font_size not in sizes else replace(
                g, size_pt=sizes[g.font_size], advance_pt=g.advance_pt * sizes[g.font_size] / g.size_pt)
                for g in line.glyphs]


def dedupe_chars(chars: list[dict], tolerance: float = 1.0) -> list[dict]:
    """A character drawn again within `tolerance` of itself (same text, both coordinates) is
    one: Nuance and Word make bold by overprinting, and some files carry two text layers. Of
    each group the top-left one stays, in drawing order (as pdfplumber's `dedupe_chars` with
    no extra attributes, in linear time: its own sorts by list position)."""
    cells: dict[tuple, list[int]] = {}
    kept: list[list] = []  # [drawing index, char, x, y]
    near = [(0, 0)] + [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1) if dx or dy]
    moved = False
    for i, c in enumerate(chars):
        x, y = float(c["x0"]), float(c["doctop"])
        cx, cy = int(x // tolerance), int(y // tolerance)
        up, text = c.get("upright", True), c["text"]
        slot = None
        for dx, dy in near:
            for s in cells.get((up, text, cx + dx, cy + dy), ()):
                if abs(kept[s][2] - x) <= tolerance and abs(kept[s][3] - y) <= tolerance:
                    slot = s
                    break
            if slot is not None:
                break
        if slot is None:
            cells.setdefault((up, text, cx, cy), []).append(len(kept))
            kept.append([i, c, x, y])
        elif (y, x) < (kept[slot][3], kept[slot][2]):
            kept[slot] = [i, c, x, y]
            moved = True
    if moved:
        kept.sort(key=lambda k: k[0])
    return [k[1] for k in kept]


def _glyph(c: dict, shared: dict[float, float]) -> Glyph:
    """A pdfplumber char as a Glyph. Its advance, vertical coordinates and size are drawn from `shared`
    (one float object per value on the page): a page's glyphs repeat a few values, and a
    400-page transcript holds most of a million glyphs."""
    # The origin's page-space y is the text matrix's f; the bbox bottom sits `descent` below it.
    m = c.get("matrix")
    baseline = float(c["bottom"]) + (float(c["y0"]) - float(m[5]) if m is not None else 0.0)
    one = (lambda v: shared.setdefault(v, v))
    return Glyph(
        text=c["text"],
        x_pt=float(c["x0"]),
        advance_pt=one(float(c["x1"]) - float(c["x0"])),
        top_pt=one(float(c["top"])),
        bottom_pt=one(float(c["bottom"])),
        baseline_pt=one(baseline),
        font=str(c["fontname"]),
        size_pt=one(float(c["size"])),
    )


def _font_specs(pl_page) -> dict[str, object]:
    """Font dictionaries reachable from the page, forms included, keyed by BaseFont."""
    from pdfminer.pdftypes import resolve1

    specs: dict[str, object] = {}

    def walk(resources, depth: int) -> None:
        resources = resolve1(resources) or {}
        if not isinstance(resources, dict) or depth > 8:
            return
        for ref in as_dict(resources.get("Font")).values():
            spec = resolve1(ref)
            if isinstance(spec, dict) and "BaseFont" in spec:
                name = resolve1(spec["BaseFont"])
                name = getattr(name, "name", name)
                if isinstance(name, bytes):
                    name = name.decode("latin-1")
                specs.setdefault(str(name), spec)
        for ref in as_dict(resources.get("XObject")).values():
            xobj = resolve1(ref)
            attrs = getattr(xobj, "attrs", None)
            if attrs and "Resources" in attrs:
                walk(attrs["Resources"], depth + 1)

    walk(pl_page.page_obj.resources, 0)
    return specs


def _whole(x) -> int:
    """A length from a font stream's dictionary: 0 unless it is a sane whole number."""
    return int(x) if isinstance(x, (int, float)) and 0 <= x < 2**31 else 0


def _font_resource(name: str, spec: dict) -> FontResource:
    from pdfminer.pdfinterp import PDFResourceManager
    from pdfminer.pdftypes import resolve1

    try:
        font = PDFResourceManager(caching=False).get_font(None, spec)
    except Exception:
        font = None
    widths = resolve1(spec.get("Widths"))
    widths = tuple(resolve1(w) for w in widths) if isinstance(widths, list) else None
    first = resolve1(spec.get("FirstChar", 0))
    desc = resolve1(spec.get("FontDescriptor"))
    if not isinstance(desc, dict):  # composite fonts keep it on the descendant
        kids = resolve1(spec.get("DescendantFonts"))
        kid = resolve1(kids[0]) if isinstance(kids, list) and kids else None
        desc = resolve1(kid.get("FontDescriptor")) if isinstance(kid, dict) else None
    program, kind, lengths = None, "", (0, 0)
    if isinstance(desc, dict):
        for key in ("FontFile", "FontFile2", "FontFile3"):
            stream = resolve1(desc.get(key))
            if stream is None:
                continue
            try:
                program = stream.get_data()
            except Exception:
                break
            attrs = getattr(stream, "attrs", {})
            if key == "FontFile":
                kind = "type1"
                lengths = (_whole(resolve1(attrs.get("Length1", 0))),
                           _whole(resolve1(attrs.get("Length2", 0))))
            elif key == "FontFile2":
                kind = "truetype"
            else:
                sub = resolve1(attrs.get("Subtype"))
                kind = str(getattr(sub, "name", sub) or "cff")
            break
    return FontResource(name, font, widths, _whole(first),
                        program, kind, lengths)
