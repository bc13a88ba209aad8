"""Visual proof: the line around a bar, and a candidate drawn into its gap.

    from redact import proof
    img = proof.picture(doc["p1-3"], "Watson")    # a PIL image; img.save("p1-3.png")

The upper panel is the page as rendered (pypdfium2), the lower the same crop with the bar taken
away and the candidate drawn in the document's font (its verified substitute, or the closest
installed font) at the size of the line, each glyph at the origin the width model gives it from
the measured start of the gap. Red ticks mark the measured gap; a blue tick the candidate's
predicted end. If the candidate is right, its last glyph ends where the next visible one starts.
"""
from __future__ import annotations

import functools
import io

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .limits import render_scale
from .measure.widths import space_glyph_pt
from .pdf.fonts import ALIASES, split_name, system_fonts
from .pdf.pdfium import open_pdf

PX_PER_PT = 4.0  # 288 dpi: a 0.25 pt misfit is one pixel
MARGIN_PT = 100.0  # context on each side of the bar
INK = (20, 60, 170)  # the candidate
GAP = (200, 30, 30)  # the measured gap's edges
PAPER = (255, 255, 255)


@functools.lru_cache(maxsize=4)
def _page_image(path: str, password: str, index: int, px_per_pt: float) -> Image.Image:
    pdf = open_pdf(path, password)
    try:
        page = pdf[index]
        width, height = page.get_size()
        if render_scale(width, height, px_per_pt) < px_per_pt:
            raise ValueError("page too large to draw at this resolution")
        return page.render(scale=px_per_pt).to_pil().convert("RGB")
    finally:
        pdf.close()


def region_pt(r) -> tuple[float, float, float, float]:
    """The crop around a bar, in page points (x0, top, x1, bottom): its line, with context."""
    b, g = r.bar, r.gap
    page = r.document.layout.pages[r.page - 1]
    size = g.size_pt or b.height_pt
    tops = [b.top_pt] + [x.top_pt for x in (g.left, g.right) if x is not None]
    bottoms = [b.bottom_pt] + [x.bottom_pt for x in (g.left, g.right) if x is not None]
    return (max(0.0, b.x0_pt - MARGIN_PT), max(0.0, min(tops) - 0.25 * size),
            min(page.width_pt, b.x1_pt + MARGIN_PT), min(page.height_pt, max(bottoms) + 0.25 * size))


def crop(r, px_per_pt: float = PX_PER_PT) -> Image.Image:
    """The page as rendered around the bar."""
    doc = r.document
    page = _page_image(str(doc.path), doc.password, r.page - 1, px_per_pt)
    x0, top, x1, bottom = region_pt(r)
    return page.crop(tuple(int(round(v * px_per_pt)) for v in (x0, top, x1, bottom)))


def glyph_origins_pt(r, text: str) -> np.ndarray:
    """Where each character of `text` would start if it filled the gap from its measured start:
    advances from the font's metrics at the line's size and scale, the pair kerning the producer
    applied, and the line's spacing extras (`measure.gaps.Gap.width_model`)."""
    g, m = r.gap, r.metrics
    size = g.size_pt * r.scale
    per_space, per_glyph, _ = g.width_model(space_glyph_pt(g, m, size))
    x = g.start_pt + g.spaces_left * g.left_space_pt
    out = []
    for i, ch in enumerate(text):
        out.append(x)
        adv = m.advance_em.get(ch, np.nan) * size
        if r.kerning and i + 1 < len(text):
            adv += m.kern_em.get((ch, text[i + 1]), 0.0) * size
        x += adv + (per_space if ch == " " else per_glyph)
    return np.asarray(out)


@functools.lru_cache(maxsize=32)
def drawing_font_path(font_name: str, substitute_path: str | None) -> str | None:
    """A font file to draw a document font's glyphs with: its verified substitute, else an
    installed font of its family (or a metric-compatible one) in its style, else DejaVu."""
    if substitute_path:
        return substitute_path
    fam, bold, italic = split_name(font_name)
    group = next((g for g in ALIASES if fam in g), {fam})
    styled = [f for f in system_fonts() if f[0] in group and (f[1], f[2]) == (bold, italic)]
    if styled:
        return sorted(styled, key=lambda f: (f[0] != fam, f[4]))[0][4]
    serif = "sans" not in fam and "arial" not in fam and "helvetica" not in fam
    want = "dejavuserif" if serif else "dejavusans"
    plain = [f for f in system_fonts() if f[0] == want and not f[1] and not f[2]]
    return plain[0][4] if plain else None


def _font(path: str | None, px: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if path:
        try:
            return ImageFont.truetype(path, max(1, int(round(px))))
        except OSError:
            pass
    return ImageFont.load_default(size=max(1, int(round(px))))


def _label(text: str, width: int, px: float = 13.0) -> Image.Image:
    img = Image.new("RGB", (width, int(px * 1.6)), (245, 245, 245))
    ImageDraw.Draw(img).text((6, int(px * 0.3)), text, fill=(40, 40, 40),
                             font=ImageFont.load_default(size=px))
    return img


def candidate_panel(r, text: str, px_per_pt: float = PX_PER_PT) -> Image.Image:
    """The crop with the bar removed and `text` drawn into the gap (see the module's doc)."""
    img = crop(r, px_per_pt).copy()
    x0, top, _, _ = region_pt(r)
    draw = ImageDraw.Draw(img)

    def px(x_pt: float, y_pt: float) -> tuple[float, float]:
        return (x_pt - x0) * px_per_pt, (y_pt - top) * px_per_pt

    b, g = r.bar, r.gap
    draw.rectangle([*px(b.x0_pt - 0.6, b.top_pt - 0.6), *px(b.x1_pt + 0.6, b.bottom_pt + 0.6)],
                   fill=PAPER)
    ref = g.left or g.right
    baseline = ref.baseline_pt if ref is not None else b.bottom_pt - 0.2 * b.height_pt
    size_px = g.size_pt * px_per_pt
    font = _font(drawing_font_path(r.metrics.name, r.metrics.substitute_path), size_px)
    origins = glyph_origins_pt(r, text)
    scale_x = r.scale  # horizontal scaling of the text (Tz): stretch each glyph like the page
    for ch, ox in zip(text, origins):
        if ch == " ":
            continue
        if abs(scale_x - 1) < 0.01:
            draw.text(px(ox, baseline), ch, fill=INK, font=font, anchor="ls")
            continue
        left, t, right, bottom = font.getbbox(ch, anchor="ls")
        glyph = Image.new("L", (right - left + 4, bottom - t + 4), 0)
        ImageDraw.Draw(glyph).text((2 - left, 2 - t), ch, fill=255, font=font, anchor="ls")
        glyph = glyph.resize((max(1, int(glyph.width * scale_x)), glyph.height))
        gx, gy = px(ox, baseline)
        img.paste(Image.new("RGB", glyph.size, INK), (int(gx + (left - 2) * scale_x), int(gy + t - 2)), glyph)
    end = g.start_pt + r.width_of(text) - g.spaces_right * g.line.space_pt
    y_top, y_bottom = px(0, baseline + 0.12 * g.size_pt)[1], px(0, baseline + 0.3 * g.size_pt)[1]
    for edge in (g.start_pt + g.spaces_left * g.left_space_pt, g.end_pt - g.spaces_right * g.line.space_pt):
        draw.line([px(edge, 0)[0], y_top, px(edge, 0)[0], y_bottom], fill=GAP, width=2)
    draw.line([px(end, 0)[0], y_top, px(end, 0)[0], y_bottom + 4], fill=INK, width=1)
    return img


def picture(r, text: str, px_per_pt: float = PX_PER_PT) -> Image.Image:
    """The original crop above, `text` drawn into the gap below, each with a label."""
    if not r.gap.measurable or r.metrics is None:
        raise ValueError(f"{r.id}: the gap could not be measured; nothing to draw")
    top_img = crop(r, px_per_pt)
    low_img = candidate_panel(r, text, px_per_pt)
    resid = r.gap.width_pt - r.width_of(text)
    w = top_img.width
    parts = [_label(f"{r.id}, page {r.page}: as published", w), top_img,
             _label(f'"{text}" drawn into the gap: residual {resid:+.3f} pt '
                    f'(gap {r.gap.width_pt:.3f} ± {r.gap.sigma_pt:.3f} pt); red: measured gap, '
                    f'blue: candidate ends', w), low_img]
    out = Image.new("RGB", (w, sum(p.height for p in parts)), PAPER)
    y = 0
    for p in parts:
        out.paste(p, (0, y))
        y += p.height
    return _small(out)


def _small(img: Image.Image) -> Image.Image:
    """64 colours: a third of the bytes, no visible change on text and flat bars."""
    return img.quantize(colors=64, dither=Image.Dither.NONE)


def png_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    (_small(img) if img.mode == "RGB" else img).save(buf, format="PNG", optimize=True)
    return buf.getvalue()



def residual_plot(r, candidates, width_px: int = 760) -> Image.Image:
    """Where candidates differ: each candidate's residual (gap minus its width, in points) on
    one axis, the measured uncertainty shaded (1 and 2 sigma), a dot per candidate sized by its
    probability. Pictures of each candidate in the gap look alike when they differ by
    hundredths of a point; this shows those hundredths."""
    cands = [c for c in candidates if c.residual_pt is not None and np.isfinite(c.residual_pt)]
    sigma = float(r.gap.sigma_pt) if np.isfinite(r.gap.sigma_pt) else 0.0
    row, label_px, pad = 22, 260, 14
    reach = max([3.0 * sigma] + [abs(c.residual_pt) * 1.15 for c in cands] + [0.01])
    height = row * (len(cands) + 2) + pad
    img = Image.new("RGB", (width_px, height), PAPER)
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=13)
    x0, x1 = label_px, width_px - pad

    def x_of(res: float) -> float:
        return x0 + (res + reach) / (2 * reach) * (x1 - x0)

    top, bottom = row, row * (len(cands) + 1)
    for k, shade in ((2, (238, 238, 238)), (1, (215, 215, 215))):
        if sigma > 0:
            draw.rectangle([x_of(-k * sigma), top, x_of(k * sigma), bottom], fill=shade)
    draw.line([x_of(0), top - 4, x_of(0), bottom + 4], fill=GAP, width=1)
    draw.text((x0, 2), f"residual = gap - candidate width (pt); grey: within 1 and 2 sigma "
              f"(sigma {sigma:.3f} pt)", fill=(60, 60, 60), font=font)
    for i, c in enumerate(cands):
        y = top + row * i + row // 2
        p = c.probability
        draw.text((6, y - 7), f"{c.text[:24]}  {'' if p is None else f'{100 * p:.1f}%'}",
                  fill=(30, 30, 30), font=font)
        rad = 3 + (7 * (p ** 0.5) if p else 0)
        cx = x_of(c.residual_pt)
        draw.ellipse([cx - rad, y - rad, cx + rad, y + rad], fill=INK)
        draw.text((min(cx + rad + 4, x1 - 50), y - 7), f"{c.residual_pt:+.3f}", fill=INK, font=font)
    for v in (-reach, 0.0, reach):
        draw.text((x_of(v) - (0 if v < 0 else 20 if v == 0 else 44), bottom + 3), f"{v:+.3f}",
                  fill=(90, 90, 90), font=font)
    return img

