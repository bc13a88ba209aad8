"""Font metrics read from the PDF itself, best source first.

1. `widths`: the font dictionary's own advance widths (/Widths, /W and /DW, /MissingWidth),
   mapped to Unicode through /ToUnicode or the encoding. These are what the producer and every
   reader used to place the glyphs, so they are exact for every character the document has.
2. `embedded`: the embedded font program (TrueType or OpenType via fontTools), for characters
   the dictionary does not list.
3. `afm`: the standard-14 metrics (pdfminer.six ships them), for unembedded Times, Helvetica,
   Courier, Symbol and ZapfDingbats without widths.
4. `substitute:FILE`: a metric-compatible system font (Liberation for Times New Roman, Arial and
   Courier New; Carlito for Calibri; Caladea for Cambria; URW base35 for the PostScript fonts;
   Latin Modern), accepted only when its widths agree with the document's on every glyph the
   document uses. Subset fonts need it for letters the document never printed.

A character no source knows has no width: candidates holding it are reported as unmeasurable.
All advances are in em (1.0 = the font size).
"""
from __future__ import annotations

import functools
import io
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ..errors import raised_reading
from .internals import cache_code_names, cached_code_names

SUBSTITUTE_TOLERANCE_EM = 0.0011  # the document's widths are often rounded to 1/1000 em
FONT_DIRS = ["/usr/share/fonts", "/usr/local/share/fonts", "/usr/share/texmf/fonts/opentype",
             "/usr/share/texlive/texmf-dist/fonts/opentype", os.path.expanduser("~/.fonts"),
             os.path.expanduser("~/.local/share/fonts")]
ALIASES = [  # metric-compatible families, normalised (lower case, letters and digits only)
    {"timesnewroman", "times", "timesroman", "liberationserif", "tinos", "nimbusroman"},
    {"arial", "helvetica", "liberationsans", "arimo", "nimbussans"},
    {"couriernew", "courier", "liberationmono", "cousine", "nimbusmonops", "nimbusmono"},
    {"calibri", "carlito"},
    {"cambria", "caladea"},
]


@dataclass(frozen=True, eq=False)  # hashed by identity: caches key on it
class FontMetrics:
    name: str  # the font's name as its glyphs carry it, subset prefix included
    source: str  # where the document's own widths came from: widths | embedded | afm | none
    advance_em: dict[str, float]  # per character, every source merged
    substitute: str | None = None  # the verified system font that filled in missing characters
    from_substitute: frozenset[str] = field(default_factory=frozenset)
    kern_em: dict[tuple[str, str], float] = field(default_factory=dict)  # nonzero pair kerning
    substitute_path: str | None = None  # the substitute's font file (to draw with)
    units_per_em: float = 1000.0  # the program's design units (Type 1: 1 / FontMatrix[0])

    # -- the width engine ----------------------------------------------------------------
    def measure_em(self, enc: Encoded, kerning: bool = False) -> np.ndarray:
        """Width of each encoded text in em, pair kerning included if asked: one look-up per
        adjacent glyph pair in a table of (advance of the first + kerning of the pair) over the
        texts' own alphabet. NaN where a character has no known width."""
        adv = np.array([0.0] + [self.advance_em.get(c, np.nan) for c in enc.alphabet])
        table = np.repeat(adv[:, None], len(adv), axis=1)
        if kerning and self.kern_em:
            for i, a in enumerate(enc.alphabet, 1):
                for j, b in enumerate(enc.alphabet, 1):
                    k = self.kern_em.get((a, b))
                    if k:
                        table[i, j] += k
        return table.ravel()[enc.pairs].sum(axis=1)

    def inner_kern_em(self, texts) -> np.ndarray:
        """Pair kerning summed inside each text, in em."""
        enc = encode_pairs(texts)
        return self.measure_em(enc, True) - self.measure_em(enc)

    def edge_kern_em(self, texts, left: str | None, right: str | None) -> np.ndarray:
        """Kerning between a fixed character before each text and its first character, plus
        between its last character and a fixed character after it, in em."""
        codes = encode(texts)
        n = len(codes)
        out = np.zeros(n)
        if n == 0 or not self.kern_em:
            return out
        if left:
            out += self._kern_with(codes[:, 0], lambda c: (left[-1], c))
        if right:
            last = codes[np.arange(n), np.maximum((codes != 0).sum(axis=1) - 1, 0)]
            out += self._kern_with(last, lambda c: (c, right[0]))
        return out

    def _kern_with(self, codes: np.ndarray, pair) -> np.ndarray:
        """Kerning of each code point with a fixed neighbour; `pair(char)` orders the two."""
        uniq, inv = np.unique(codes, return_inverse=True)
        vals = np.array([self.kern_em.get(pair(chr(c)), 0.0) if c else 0.0 for c in uniq])
        return vals[inv.ravel()]

    @functools.cached_property
    def monospace(self) -> bool:
        own = {w for ch, w in self.advance_em.items()
               if ch not in self.from_substitute and w > 0 and not ch.isspace()}
        return len(own) == 1

    def in_whole_units(self) -> FontMetrics:
        """The same font with every advance rounded to whole font units (of its own
        units_per_em), half away from zero as FreeType rounds a Type 1 width: how MuPDF
        measures the glyphs it removes (see `redact.measure.engine`)."""
        u = self.units_per_em
        rounded = {ch: np.floor(w * u + 0.5) / u for ch, w in self.advance_em.items()}
        return replace(self, advance_em=rounded)

    def laid_out(self, offsets, size_pt: float) -> FontMetrics:
        """The same font with the advances a producer laid it out with at `size_pt`:
        `offsets` (document.AdvanceOffsets) in points, added to every glyph but the space."""
        adv = {ch: w + offsets.of(ch) / size_pt for ch, w in self.advance_em.items()}
        return replace(self, advance_em=adv)

    def sources_for(self, text: str) -> str:
        """The metric source a text's width comes from, as the output reports it."""
        if self.substitute and any(ch in self.from_substitute for ch in text):
            return f"substitute:{self.substitute}"
        return self.source

    def fit_scale(self, glyphs) -> tuple[float, float]:
        """Page points per (em x font size) on these glyphs: 1.0 unless horizontal scaling or a
        matrix stretches the text. Returns (median, robust spread); the spread is ~0 when the
        metrics are the ones the page was laid out with."""
        ratios = [g.advance_pt / (self.advance_em[g.text] * g.size_pt) for g in glyphs
                  if self.advance_em.get(g.text, 0) > 0 and g.size_pt > 0 and not g.is_space]
        if not ratios:
            return 1.0, float("nan")
        r = np.asarray(ratios)
        med = float(np.median(r))
        return med, float(1.4826 * np.median(np.abs(r - med)))


@dataclass(frozen=True)
class Encoded:
    """Texts as indices into their own alphabet, ready for pair look-ups: `pairs[i, j]` is
    `a * (len(alphabet) + 1) + b` for the j-th and (j+1)-th characters of text i (0 pads, so
    the last character pairs with padding and counts its advance alone)."""

    alphabet: str
    pairs: np.ndarray  # int32, (n, max_len)


def encode_pairs(texts) -> Encoded:
    codes = encode(texts)
    n = len(codes)
    if codes.size == 0:
        return Encoded("", np.zeros((n, 0), dtype=np.int32))
    uniq, inv = np.unique(codes, return_inverse=True)
    if uniq[0] != 0:  # no padding anywhere: make index 0 the padding all the same
        uniq = np.concatenate([[0], uniq])
        inv = inv + 1
    idx = np.zeros((n, codes.shape[1] + 1), dtype=np.int32)
    idx[:, :-1] = inv.reshape(codes.shape)
    size = len(uniq)
    return Encoded("".join(chr(c) for c in uniq[1:]), idx[:, :-1] * size + idx[:, 1:])


def encode(texts) -> np.ndarray:
    """Texts as an (n, max_len) uint32 matrix of code points, zero-padded."""
    arr = np.asarray(list(texts) if not isinstance(texts, np.ndarray) else texts, dtype=str)
    if arr.size == 0:
        return np.zeros((0, 0), dtype=np.uint32)
    width = arr.dtype.itemsize // 4
    return np.ascontiguousarray(arr).view(np.uint32).reshape(len(arr), width)


# --------------------------------------------------------------------------- reading the PDF
def read_metrics(res) -> FontMetrics:
    """Metrics for one `layout.FontResource`, a verified substitute included when one exists.

    The producer laid the text out with the font program's own advances; the dictionary's
    widths are a copy, often rounded (pdfTeX writes 708.3 for 708.333, LibreOffice 722 for
    1479/2048 em). So where the embedded program agrees with the dictionary within that
    rounding, its exact advances are used, and the dictionary's otherwise."""
    own, source = _pdf_widths(res)
    program, units_per_em = _program_advances(res)
    if program and _agrees(program, own):
        own = {**own, **program} if own else dict(program)
        source = "embedded"
    elif not own and program:
        own, source = dict(program), "embedded"
    sub_name, sub, sub_path = find_substitute(res.name, own)
    merged = dict(own)
    filled = set()
    for ch, w in sub.items():
        if ch not in merged:
            merged[ch] = w
            filled.add(ch)
    shaping = _read_file(sub_path) if sub_path else (res.program if res.program_kind != "type1" else None)
    kern = kerning_pairs(shaping, KERN_CHARS) if shaping else {}
    return FontMetrics(res.name, source if own else "none", merged, sub_name, frozenset(filled),
                       kern, sub_path, units_per_em)


KERN_CHARS = "".join(chr(c) for c in range(32, 127)) + "".join(
    chr(c) for c in range(0xC0, 0x100) if chr(c).isalpha())


def kerning_pairs(program: bytes, chars: str) -> dict[tuple[str, str], float]:
    """Pair kerning (GPOS/kern, as HarfBuzz applies it) between every two of `chars`, in em:
    the shaped width of each pair less the sum of its two advances. Empty when the program
    cannot be shaped (Type 1, broken) or uharfbuzz is missing."""
    try:
        import uharfbuzz as hb

        face = hb.Face(hb.Blob(program))
        font = hb.Font(face)
        upem = face.upem
    except Exception:
        return {}
    feats = {"kern": True, "liga": False, "clig": False}

    def shape(text: str) -> list[int]:
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        hb.shape(font, buf, feats)
        return [p.x_advance for p in buf.glyph_positions]

    single = {}
    for ch in chars:
        adv = shape(ch)
        if len(adv) == 1:
            single[ch] = adv[0]
    out = {}
    for a in single:
        for b in single:
            adv = shape(a + b)
            if len(adv) == 2:
                k = sum(adv) - single[a] - single[b]
                if k:
                    out[(a, b)] = k / upem
    return out


def _read_file(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def producer_kerns(metrics: FontMetrics, lines) -> bool:
    """Did the producer apply the font's pair kerning? Decided on the visible glyph pairs that
    the font kerns: kerned when most sit nearer the kerned position than the plain one."""
    votes = []
    for line in lines:
        for a, b in zip(line.glyphs, line.glyphs[1:]):
            if a.font != metrics.name or b.font != metrics.name or a.is_space or b.is_space:
                continue
            k = metrics.kern_em.get((a.text, b.text), 0.0) * a.size_pt
            if abs(k) < 0.1:
                continue
            d = b.x_pt - a.end_pt
            if abs(d) < 0.5 * a.size_pt:  # not across a word gap or a bar
                votes.append(abs(d - k) < abs(d))
    return bool(len(votes) >= 3 and sum(votes) > len(votes) / 2)


def _agrees(a: dict[str, float], b: dict[str, float]) -> bool:
    """Two width tables describe one font: at least three shared characters, none further apart
    than the rounding a producer applies."""
    shared = [ch for ch in a if ch in b]
    return len(shared) >= 3 and all(abs(a[ch] - b[ch]) <= SUBSTITUTE_TOLERANCE_EM for ch in shared)


def _program_advances(res) -> tuple[dict[str, float], float]:
    """Unicode -> em from the embedded program (TrueType/OpenType cmap and hmtx, or Type 1
    charstring widths by glyph name), and the program's units per em. Empty for programs it
    cannot read."""
    if not res.program:
        return {}, 1000.0
    try:
        if res.program_kind == "type1":
            return _type1_advances(res.program, *res.type1_lengths)
        if res.program_kind in ("truetype", "OpenType"):
            return _ttf_advances(io.BytesIO(res.program)), 1000.0
    except Exception as exc:  # a broken or hostile program: fall back to the dictionary
        if not raised_reading(exc):
            raise
    return {}, 1000.0


def _type1_advances(data: bytes, length1: int, length2: int) -> tuple[dict[str, float], float]:
    """Glyph advances of an embedded Type 1 program (cleartext + eexec part, as PDF stores it),
    in em, and its units per em."""
    import tempfile

    from fontTools import agl, t1Lib
    from fontTools.pens.basePen import NullPen

    if length1 and length2:
        data = data[:length1 + length2]
    data = data + b"\n" + (b"0" * 64 + b"\n") * 8 + b"cleartomark\n"  # the trailer PDF drops
    with tempfile.NamedTemporaryFile(suffix=".pfa") as tmp:
        tmp.write(data)
        tmp.flush()
        font = t1Lib.T1Font(tmp.name, kind="OTHER")
        font.parse()
    try:
        scale = float(font.font.get("FontMatrix", [0.001])[0])
    except (TypeError, ValueError, IndexError, KeyError):  # a hostile matrix: the usual one
        scale = 0.001
    if not np.isfinite(scale) or scale <= 0:
        scale = 0.001
    glyphs = font.getGlyphSet()
    out = {}
    for name in glyphs.keys():
        text = agl.toUnicode(name)
        if len(text) != 1:
            continue
        g = glyphs[name]
        g.draw(NullPen())
        out[text] = g.width * scale
    return out, 1.0 / scale


def _pdf_widths(res) -> tuple[dict[str, float], str]:
    """Unicode -> em from the font dictionary (or the standard-14 AFM when it has no widths)."""
    from pdfminer.fontmetrics import FONT_METRICS
    from pdfminer.pdffont import PDFCIDFont

    font = res.font
    if font is None:
        return {}, "none"
    out: dict[str, float] = {}

    def put(code: int, width_em: float) -> None:
        try:
            text = font.to_unichr(code)
        except Exception:
            return
        if (len(text) == 1 and isinstance(width_em, (int, float)) and np.isfinite(width_em)
                and width_em >= 0):
            out.setdefault(text, float(width_em))

    if isinstance(font, PDFCIDFont):
        cids = set(font.widths)
        umap = getattr(font, "unicode_map", None)
        if umap is not None:
            cids |= set(getattr(umap, "cid2unichr", {}))
        for cid in sorted(c for c in cids if isinstance(c, int)):
            put(cid, font.char_width(cid))
        return out, "widths"
    if res.widths:
        for i, w in enumerate(res.widths):
            if isinstance(w, (int, float)):
                put(res.first_char + i, float(w) / 1000)
        return out, "widths"
    base = _strip_subset(res.name)
    if base in FONT_METRICS:
        return {ch: w / 1000 for ch, w in FONT_METRICS[base][1].items() if len(ch) == 1}, "afm"
    return {}, "none"


def _ttf_advances(file) -> dict[str, float]:
    from fontTools.ttLib import TTFont

    font = TTFont(file, lazy=True)
    upm = font["head"].unitsPerEm
    cmap = font.getBestCmap() or {}
    hmtx = font["hmtx"]
    return {chr(cp): hmtx[g][0] / upm for cp, g in cmap.items() if g in hmtx.metrics}


# --------------------------------------------------------------------------- substitutes
def _strip_subset(name: str) -> str:
    return re.sub(r"^[A-Z]{6}\+", "", name)


def split_name(name: str) -> tuple[str, bool, bool]:
    """PDF font name -> (normalised family, bold, italic).
    'ABCDEF+TimesNewRomanPS-BoldItalicMT' -> ('timesnewroman', True, True)."""
    name = _strip_subset(name)
    family = re.split(r"[-,]", name, maxsplit=1)[0]
    fam = re.sub(r"[^a-z0-9]", "", family.lower())
    fam = re.sub(r"(psmt|mt|ps)$", "", fam)
    low = name.lower()
    bold = any(t in low for t in ("bold", "black", "heavy", "semibold", "demi"))
    italic = any(t in low for t in ("italic", "oblique")) or bool(re.search(r"[-,]it$", low))
    return fam, bold, italic


@functools.lru_cache(maxsize=1)
def system_fonts() -> list[tuple[str, bool, bool, str, str]]:
    """(normalised family, bold, italic, postscript name, path) of every installed font file."""
    from fontTools.ttLib import TTFont

    out = []
    for root in FONT_DIRS:
        for dirpath, _, files in os.walk(root):
            for f in sorted(files):
                if not f.lower().endswith((".ttf", ".otf")):
                    continue
                path = os.path.join(dirpath, f)
                try:
                    names = TTFont(path, lazy=True, fontNumber=0)["name"]
                    family = str(names.getDebugName(16) or names.getDebugName(1) or "")
                    sub = str(names.getDebugName(17) or names.getDebugName(2) or "").lower()
                    ps = str(names.getDebugName(6) or "")
                except Exception:
                    continue
                fam = re.sub(r"[^a-z0-9]", "", family.lower())
                bold = any(t in sub for t in ("bold", "black", "heavy", "demi"))
                italic = "italic" in sub or "oblique" in sub
                out.append((fam, bold, italic, ps, path))
    return out


@functools.lru_cache(maxsize=256)
def _font_file_advances(path: str) -> dict[str, float]:
    with open(path, "rb") as fh:
        return _ttf_advances(io.BytesIO(fh.read()))


def find_substitute(name: str, own: dict[str, float]) -> tuple[str | None, dict[str, float], str | None]:
    """The first metric-compatible system font whose widths agree with the document's own on
    every character both have (at least three): (file name, its advances, its path), or
    (None, {}, None)."""
    fam, bold, italic = split_name(name)
    group = next((g for g in ALIASES if fam in g), {fam})
    ps_name = _strip_subset(name).lower()
    ranked = sorted(
        (f for f in system_fonts() if (f[0] in group or f[3].lower() == ps_name)
         and (f[1], f[2]) == (bold, italic)),
        key=lambda f: (f[3].lower() != ps_name, f[0] != fam, f[4]))
    for _, _, _, _, path in ranked:
        try:
            adv = _font_file_advances(path)
        except Exception:
            continue
        if _agrees(own, adv):
            return Path(path).name, adv, path
    return None, {}, None


# --------------------------------------------------------------------------- unmapped codes
UNKNOWN_GLYPH = "\ufffd"  # a glyph whose text no map gives: its width is known, its letter not
_PLACEHOLDER_NAME = re.compile(r"^(?:glyph|cid|g|index|gid)?\d+$|^\.notdef$", re.IGNORECASE)


def unmapped_text(font, code: int) -> str:
    """The text of a code pdfminer cannot map (no /ToUnicode, no encoding it knows): the glyph
    name the embedded program gives it ("A", "eacute", "uni00E9", "f_i"), by the Adobe Glyph
    List; else UNKNOWN_GLYPH, never "(cid:N)". Cached on the font object."""
    names = cached_code_names(font)
    if names is None:
        try:
            names = _program_code_names(font)
        except Exception as exc:  # a broken or hostile program: its glyphs stay unknown
            if not raised_reading(exc):
                raise
            names = {}
        cache_code_names(font, names)
    name = names.get(code)
    if not name or _PLACEHOLDER_NAME.match(name):
        return UNKNOWN_GLYPH
    from fontTools import agl

    text = agl.toUnicode(name)
    return text if text and text.isprintable() and not text.isspace() else UNKNOWN_GLYPH


def _program_code_names(font) -> dict[int, str]:
    """Code (or CID) -> glyph name from the font's embedded TrueType or CFF program: a CID
    font's CIDs are glyph indices (Identity), a simple font's codes go through the program's own
    cmap or encoding."""
    from pdfminer.pdffont import PDFCIDFont
    from pdfminer.pdftypes import resolve1

    desc = resolve1(getattr(font, "descriptor", None) or {})
    cid = isinstance(font, PDFCIDFont)
    for key in ("FontFile2", "FontFile3"):
        stream = resolve1(desc.get(key)) if isinstance(desc, dict) else None
        if stream is None:
            continue
        data = stream.get_data()
        if key == "FontFile2":
            from fontTools.ttLib import TTFont

            tt = TTFont(io.BytesIO(data), lazy=True)
            order = tt.getGlyphOrder()
            if cid:
                return dict(enumerate(order))
            out: dict[int, str] = {}
            for table in tt["cmap"].tables if "cmap" in tt else []:
                if (table.platformID, table.platEncID) in ((3, 0), (1, 0)):
                    for code, name in table.cmap.items():
                        out.setdefault(code & 0xFF if table.platformID == 3 else code, name)
            return out
        from fontTools.cffLib import CFFFontSet

        cff = CFFFontSet()
        cff.decompile(io.BytesIO(data), None)
        top = cff[cff.fontNames[0]]
        charset = list(top.charset)
        if cid:
            return dict(enumerate(charset))
        enc = getattr(top, "Encoding", None)
        if isinstance(enc, list):
            return {code: name for code, name in enumerate(enc) if name and name != ".notdef"}
        return {}
    return {}
