"""Build the sample documents: synthetic legal prose made by real producers, redacted by a real engine.

    python samples/make_samples.py            # rebuild every committed sample in samples/
    python samples/make_samples.py --out DIR --seed 7 --only reportlab-serif

Every name is drawn from the 1990 Census lists by frequency; no real person is involved. Each
story has "secret" people: every mention of them (full name, title + surname, first name alone)
is redacted with PyMuPDF (`add_redact_annot` + `apply_redactions`), which removes the glyphs and
draws a black box; other people stay visible. Each PDF gets an answer key `NAME.json`:

    {"producer": ..., "font": ..., "size": ..., "redactions": [
        {"page": 1, "bbox": [x0, top, x1, bottom], "text": "Whitfield", "kind": "surname"}]}

PyMuPDF is AGPL: it is used here, to make samples, and never imported from `redact/`.
Producers: reportlab, LibreOffice Writer (`soffice`), Chromium print to PDF (`chromium`) and
pdfTeX (`pdflatex` with lmodern); each must be installed to build its samples.
"""
from __future__ import annotations

import argparse
import html
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORDLISTS = HERE.parent / "wordlists"
TITLES = {"M": "Mr.", "F": "Ms."}
FONT_FILES = {
    "Liberation Serif": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "Liberation Sans": "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "Carlito": "/usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf",
    "Caladea": "/usr/share/fonts/truetype/crosextra/Caladea-Regular.ttf",
}


# --------------------------------------------------------------------------- names and stories
def _load(path: Path) -> tuple[list[str], list[float]]:
    texts, weights = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            t, w = line.split("\t")
            texts.append(t)
            weights.append(float(w))
    return texts, weights


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    sex: str
    secret: bool

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def title(self) -> str:
        return TITLES[self.sex]

    @property
    def pron(self) -> str:
        return "he" if self.sex == "M" else "she"


SENTENCES = [
    "{FULL} testified that the documents were delivered to the office in {month}.",
    "When asked about the meeting, {T} {L} stated that {pron} did not recall the exact date.",
    "Counsel showed the witness Exhibit {n}, a letter signed by {FULL} and dated {month} {d}.",
    "{F} later told investigators that the account had been closed before the transfer.",
    "According to the records, {T} {L} traveled to {city} on {n} occasions that year.",
    "The witness said that {F} and {F2} had spoken by telephone on the morning of {month} {d}.",
    "{T} {L} was not present when the agreement with {FULL2} was signed.",
    "On cross-examination, {T} {L2} conceded that {T} {L} had reviewed the invoices.",
    "The court reporter noted that {FULL} arrived at the hearing after the recess.",
    "Records produced by {FULL2} show a payment of ${n},000 to an account held by {T} {L}.",
    "{F} was copied on the message, but {pron} did not reply until {month} {d}.",
    "Neither {T} {L} nor {T2} {L2} could explain why the files were moved to {city}.",
    "In {month}, {FULL} met {FULL2} at a restaurant near the courthouse in {city}.",
    "The deposition of {T} {L} resumed at two o'clock, with {F2} present as an observer.",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
CITIES = ["Boston", "Denver", "Tampa", "Albany", "Reno", "Dayton", "Tucson", "Omaha", "Fresno"]


class Story:
    """Seeded synthetic prose about a cast of people, some of them secret."""

    def __init__(self, seed: int, n_people: int = 24, n_secret: int = 14):
        self.rng = random.Random(seed)
        sur, sur_w = _load(WORDLISTS / "census1990-surnames.tsv")
        first = {sex: self._first_names(sex) for sex in "MF"}
        people: list[Person] = []
        lasts: set[str] = set()
        firsts: set[str] = set()
        while len(people) < n_people:
            sex = self.rng.choice("MF")
            f = self.rng.choices(first[sex][0], first[sex][1])[0]
            last = self.rng.choices(sur, sur_w)[0]
            if last in lasts or f in firsts or last in firsts or f in lasts:
                continue
            lasts.add(last)
            firsts.add(f)
            people.append(Person(f, last, sex, secret=len(people) < n_secret))
        self.people = people

    def _first_names(self, sex: str) -> tuple[list[str], list[float]]:
        # The merged list loses the sex; the census's own per-sex files come with the `names`
        # package, which sample-making may use (it is not a runtime dependency).
        import names

        path = Path(names.__file__).parent / ("dist.male.first" if sex == "M" else "dist.female.first")
        texts, weights = [], []
        for line in path.read_text().splitlines():
            parts = line.split()
            if len(parts) >= 2 and float(parts[1]) > 0:
                texts.append(parts[0].title())
                weights.append(float(parts[1]))
        return texts, weights

    def sentence(self) -> str:
        a, b = self.rng.sample(self.people, 2)
        return self.rng.choice(SENTENCES).format(
            FULL=a.full, F=a.first, L=a.last, T=a.title, pron=a.pron,
            FULL2=b.full, F2=b.first, L2=b.last, T2=b.title,
            month=self.rng.choice(MONTHS), d=self.rng.randint(1, 28), n=self.rng.randint(2, 19),
            city=self.rng.choice(CITIES),
        )

    def memo(self) -> list[str]:
        """A short memo naming three secret people six times: two in full and later by title,
        one by first name and later by title (a six-bar sample)."""
        a, b, c = self.people[:3]
        return [f"On {self.rng.choice(MONTHS)} {self.rng.randint(1, 28)}, {a.full} met {b.full} "
                f"in {self.rng.choice(CITIES)} to discuss the transfer of the remaining funds. "
                f"Afterwards {a.title} {a.last} told the committee that the account had been "
                f"closed, and {b.title} {b.last} agreed with that account of the meeting. "
                f"The minutes were taken by {c.first}, who sent them to {c.title} {c.last} the "
                f"next morning with a note asking for corrections."]

    def paragraphs(self, n: int, per: tuple[int, int] = (4, 7)) -> list[str]:
        return [" ".join(self.sentence() for _ in range(self.rng.randint(*per))) for _ in range(n)]


# --------------------------------------------------------------------------- producers
def make_reportlab(paras: list[str], out: Path, font: str, size: float, justify: bool) -> None:
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    if font in FONT_FILES:
        pdfmetrics.registerFont(TTFont(font.replace(" ", ""), FONT_FILES[font]))
        font = font.replace(" ", "")
    style = ParagraphStyle("body", fontName=font, fontSize=size, leading=size * 1.35,
                           alignment=TA_JUSTIFY if justify else TA_LEFT)
    story = []
    for p in paras:
        story += [Paragraph(html.escape(p), style), Spacer(1, size * 0.6)]
    doc = SimpleDocTemplate(str(out), pagesize=letter, title="Synthetic sample",
                            invariant=1)
    doc.build(story)


def make_transcript(story: Story, out: Path, pages: int = 2) -> None:
    """A deposition-style transcript in Courier 12: numbered lines, Q./A. turns."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    rng = story.rng
    c = canvas.Canvas(str(out), pagesize=letter, invariant=1)
    questions = [
        "Q. Did you speak with {T} {L} that day?", "A. Yes. {F} called me around noon.",
        "Q. Who else was in the room?", "A. {FULL} and, I believe, {FULL2}.",
        "Q. And what did {T} {L} say?", "A. That the shipment had gone to {city}.",
        "Q. Had you met {F} before?", "A. Once, at the office of {T2} {L2}.",
    ]
    for _ in range(pages):
        y = 720
        for n in range(1, 26):
            a, b = rng.sample(story.people, 2)
            text = rng.choice(questions).format(
                T=a.title, L=a.last, F=a.first, FULL=a.full, FULL2=b.full, T2=b.title,
                L2=b.last, city=rng.choice(CITIES))
            c.setFont("Courier", 12)
            c.drawString(60, y, f"{n:2d}")
            c.drawString(96, y, text)
            y -= 26
        c.showPage()
    # the word index a transcript ends with: entries in alphabetical order, so a redacted entry
    # sorts between its visible neighbours (how Slate read the Maxwell deposition's index)
    words = sorted({p.last for p in story.people} | set(INDEX_WORDS), key=str.lower)
    c.setFont("Courier", 12)
    c.drawString(96, 740, "WORD INDEX")
    y = 716
    for word in words:
        c.drawString(96, y, f"{word:<18s}{rng.randint(1, pages)}:{rng.randint(1, 25)}")
        y -= 14
        if y < 60:
            c.showPage()
            c.setFont("Courier", 12)
            y = 740
    c.showPage()
    c.save()


INDEX_WORDS = ["account", "agreement", "April", "Boston", "closed", "counsel", "Denver",
               "deposition", "documents", "exhibit", "files", "hearing", "invoices", "letter",
               "meeting", "noon", "office", "payment", "records", "restaurant", "shipment",
               "telephone", "transfer", "witness"]

FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls><style:font-face style:name="{font}" svg:font-family="'{font}'"/></office:font-face-decls>
<office:automatic-styles><style:style style:name="P1" style:family="paragraph">
<style:paragraph-properties fo:text-align="{align}" fo:margin-bottom="{gap}pt"/>
<style:text-properties style:font-name="{font}" fo:font-size="{size}pt"/></style:style>
</office:automatic-styles>
<office:body><office:text>{body}</office:text></office:body></office:document>
"""


def make_libreoffice(paras: list[str], out: Path, font: str, size: float, justify: bool) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    body = "".join(f'<text:p text:style-name="P1">{html.escape(p)}</text:p>' for p in paras)
    xml = FODT.format(font=font, size=size, align="justify" if justify else "start",
                      gap=size * 0.6, body=body)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / (out.stem + ".fodt")
        src.write_text(xml, encoding="utf-8")
        profile = Path(tmp) / "profile"
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", tmp, str(src)],
                       check=True, capture_output=True, timeout=180)
        shutil.move(Path(tmp) / (out.stem + ".pdf"), out)


def make_chromium(paras: list[str], out: Path, font: str, size: float, justify: bool) -> None:
    """Chromium's print to PDF (Skia, as Google Docs uses): CID fonts, HarfBuzz kerning."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    print_html(f"<!doctype html><html><head><meta charset='utf-8'><style>@page {{margin: 1in}} "
               f"body {{font-family: '{font}'; font-size: {size}pt; "
               f"text-align: {'justify' if justify else 'left'}}} p {{margin: 0 0 {size * 0.6}pt}}"
               f"</style></head><body>{body}</body></html>", out)


def print_html(page: str, out: Path) -> None:
    """An HTML page printed to PDF by headless Chromium."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not exe:
        raise RuntimeError("Chromium is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.html"
        src.write_text(page, encoding="utf-8")
        subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", f"--user-data-dir={tmp}/profile",
                        "--no-pdf-header-footer", f"--print-to-pdf={out}", src.as_uri()],
                       check=True, capture_output=True, timeout=180)


TEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
               "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\^{}"}


def make_pdftex(paras: list[str], out: Path, font: str, size: float, justify: bool) -> None:
    """pdfLaTeX with Latin Modern (Type 1, /Widths; glue as TJ numbers; TFM kerning)."""
    exe = shutil.which("pdflatex")
    if not exe:
        raise RuntimeError("pdfTeX (texlive-latex-base) is not installed")
    esc = re.compile("|".join(map(re.escape, TEX_SPECIAL)))
    body = "\n\n".join(esc.sub(lambda m: TEX_SPECIAL[m.group(0)], p) for p in paras)
    tex = ("\\documentclass[%gpt]{article}\n\\usepackage[T1]{fontenc}\\usepackage{lmodern}\n"
           "\\usepackage[margin=1in]{geometry}\n\\pdfinfoomitdate=1 \\pdftrailerid{}\n"
           "\\begin{document}\n%s%s\n\\end{document}\n"
           % (size, "" if justify else "\\raggedright\n", body))
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.tex"
        src.write_text(tex, encoding="utf-8")
        subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], cwd=tmp,
                       check=True, capture_output=True, timeout=180)
        shutil.move(Path(tmp) / "doc.pdf", out)


# --------------------------------------------------------------------------- redaction
def redact(src: Path, dst: Path, people: list[Person]) -> list[dict]:
    """Redact every mention of the secret people with PyMuPDF; return the answer key rows."""
    import pymupdf

    secret = [p for p in people if p.secret]
    alts = sorted({p.full for p in secret} | {p.last for p in secret} | {p.first for p in secret},
                  key=len, reverse=True)
    pattern = re.compile(r"(?<![A-Za-z])(" + "|".join(map(re.escape, alts)) + r")(?![A-Za-z])")
    kinds = {p.full: "full" for p in secret}
    kinds.update({p.last: "surname" for p in secret})
    kinds.update({p.first: "first" for p in secret})
    doc = pymupdf.open(src)
    key = []
    for page in doc:
        hits = []
        for block in page.get_text("rawdict")["blocks"]:
            for line in block.get("lines", []):
                chars = [ch for span in line["spans"] for ch in span["chars"]]
                text = "".join(ch["c"] for ch in chars)
                for m in pattern.finditer(text):
                    box = pymupdf.Rect(chars[m.start()]["bbox"])
                    for ch in chars[m.start() + 1:m.end()]:
                        box |= pymupdf.Rect(ch["bbox"])
                    hits.append((box, m.group(1)))
        for box, text in hits:
            page.add_redact_annot(box, fill=(0, 0, 0))
            key.append({"page": page.number + 1,
                        "bbox": [round(v, 3) for v in (box.x0, box.y0, box.x1, box.y1)],
                        "text": text, "kind": kinds[text]})
        page.apply_redactions()
    doc.save(dst, garbage=3, deflate=True)
    return key


# --------------------------------------------------------------------------- the sample set
SAMPLES = {
    # name: (producer, font, size, justify, paragraphs: a number, or "memo" for Story.memo)
    "reportlab-serif": ("reportlab", "Liberation Serif", 11, True, 12),
    "reportlab-carlito": ("reportlab", "Carlito", 10.5, True, 12),
    "reportlab-times": ("reportlab", "Times-Roman", 12, False, 10),
    "reportlab-sans": ("reportlab", "Liberation Sans", 10, False, 12),
    "libreoffice-serif": ("libreoffice", "Liberation Serif", 12, True, 10),
    "libreoffice-carlito": ("libreoffice", "Carlito", 11, True, 12),
    "libreoffice-caladea": ("libreoffice", "Caladea", 11.5, False, 10),
    "chromium-serif": ("chromium", "Liberation Serif", 12, True, 10),
    "chromium-carlito": ("chromium", "Carlito", 11, False, 10),
    "pdftex-lmodern": ("pdftex", "Latin Modern", 11, True, 10),
    "pdftex-lmodern-ragged": ("pdftex", "Latin Modern", 10, False, 10),
    "transcript-courier": ("transcript", "Courier", 12, False, 0),
    "memo-six-bars": ("reportlab", "Liberation Serif", 12, False, "memo"),
}
PRODUCERS = {"reportlab": make_reportlab, "libreoffice": make_libreoffice,
             "chromium": make_chromium, "pdftex": make_pdftex}


def build(name: str, out_dir: Path, seed: int) -> Path:
    producer, font, size, justify, n_paras = SAMPLES[name]
    story = Story(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    final = out_dir / f"{name}.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        clear = Path(tmp) / f"{name}.pdf"
        if producer == "transcript":
            make_transcript(story, clear)
        else:
            paras = story.memo() if n_paras == "memo" else story.paragraphs(n_paras)
            PRODUCERS[producer](paras, clear, font, size, justify)
        key = redact(clear, final, story.people)
    answer = {"producer": producer, "font": font, "size": size, "justified": justify,
              "seed": seed, "redactions": key}
    final.with_suffix(".json").write_text(json.dumps(answer, indent=1) + "\n")
    return final


def main(argv: list[str] | None = None) -> int:
    import transcripts  # deposition transcripts with a word index (samples/transcripts.py)

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=HERE)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", nargs="*", choices=sorted(SAMPLES) + sorted(transcripts.TRANSCRIPTS))
    args = ap.parse_args(argv)
    for name in args.only or [*SAMPLES, *transcripts.TRANSCRIPTS]:
        # a sample's seed is fixed by its place in SAMPLES (or in TRANSCRIPTS, from 500)
        if name in SAMPLES:
            path = build(name, args.out, args.seed * 1000 + list(SAMPLES).index(name))
        else:
            path = transcripts.build(name, args.out, args.seed * 1000 + 500
                                     + list(transcripts.TRANSCRIPTS).index(name))
        print(path, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
