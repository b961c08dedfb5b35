#!/usr/bin/env python3
"""Writes every report of tests/corpus/gen as a DOCX made by python-docx, the way Word lays out a
table with merged cells: a cell spanning columns is one <w:tc> with <w:gridSpan>, a cell spanning
rows is a <w:vMerge w:val="restart"/> cell continued by empty <w:vMerge/> cells below it. The
source is our HTML of the report (`<case>.render.html`: headings, paragraphs, tables with
rowspan/colspan); the output is `tests/corpus/wordproc/<case>.pydocx.docx` with the case's
`expected.json` beside it, and, with `--pdf` when LibreOffice is installed, that DOCX printed to
PDF by LibreOffice (`<case>.pydocx.pdf`: a word processor's PDF, narrow label columns wrapped),
and our HTML and DOCX of the case printed to PDF by LibreOffice (`<case>.lo-html.pdf`,
`<case>.lo-docx.pdf`).

    python3 crates/audit/examples/make_pydocx.py [--pdf]

Needs python-docx (`pip install python-docx`).
"""
import glob
import html.parser
import os
import shutil
import subprocess
import sys
import tempfile

import docx
from docx.shared import Pt

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "..", "tests", "corpus", "gen")
OUT = os.path.join(HERE, "..", "tests", "corpus", "wordproc")


class Page(html.parser.HTMLParser):
    """Blocks of an HTML page in order: ("h1"|"h2"|"p", text) and ("table", rows), a row being
    a list of (text, rowspan, colspan)."""

    def __init__(self):
        super().__init__()
        self.blocks = []
        self.text = None
        self.kind = None
        self.table = None
        self.row = None
        self.cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ["", int(a.get("rowspan", 1)), int(a.get("colspan", 1))]
        elif tag in ("h1", "h2", "h3", "p") and self.table is None:
            self.kind, self.text = ("h1" if tag == "h1" else "h2" if tag == "h2" else "p"), ""
        elif tag == "br" and self.cell is not None:
            self.cell[0] += "\n"

    def handle_endtag(self, tag):
        if tag == "table" and self.table is not None:
            self.blocks.append(("table", self.table))
            self.table = None
        elif tag == "tr" and self.row is not None:
            self.table.append(self.row)
            self.row = None
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(tuple(self.cell))
            self.cell = None
        elif tag in ("h1", "h2", "h3", "p") and self.text is not None:
            if self.text.strip():
                self.blocks.append((self.kind, self.text.strip()))
            self.text = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[0] += data.strip()
        elif self.text is not None:
            self.text += data


def grid(rows):
    """The HTML table's slots: (row, col) -> (first row, first col) of its cell, and each
    cell's text and extent."""
    taken = {}
    cells = []
    for r, row in enumerate(rows):
        c = 0
        for text, rs, cs in row:
            while (r, c) in taken:
                c += 1
            cells.append((r, c, rs, cs, text))
            for i in range(rs):
                for j in range(cs):
                    taken[(r + i, c + j)] = (r, c)
            c += cs
    nrows = max(k[0] for k in taken) + 1
    ncols = max(k[1] for k in taken) + 1
    return cells, nrows, ncols


def write(src, out):
    p = Page()
    with open(src, encoding="utf-8") as f:
        p.feed(f.read())
    d = docx.Document()
    style = d.styles["Normal"]
    style.font.size = Pt(10.5)
    style.font.name = "仿宋"
    for kind, body in p.blocks:
        if kind == "h1":
            d.add_heading(body, level=0)
        elif kind == "h2":
            d.add_heading(body, level=1)
        elif kind == "p":
            d.add_paragraph(body)
        else:
            cells, nrows, ncols = grid(body)
            t = d.add_table(rows=nrows, cols=ncols)
            t.style = "Table Grid"
            for r, c, rs, cs, text in cells:
                cell = t.cell(r, c)
                if rs > 1 or cs > 1:
                    cell = cell.merge(t.cell(r + rs - 1, c + cs - 1))
                lines = text.split("\n")
                cell.text = lines[0]
                for extra in lines[1:]:
                    cell.add_paragraph(extra)
    d.save(out)


def to_pdf(src, name):
    """`src` printed to PDF by LibreOffice, saved in OUT as `name`."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
             "--convert-to", "pdf", "--outdir", tmp, src],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        made = os.path.splitext(os.path.basename(src))[0] + ".pdf"
        shutil.copy(os.path.join(tmp, made), os.path.join(OUT, name))


def main():
    pdf = "--pdf" in sys.argv and shutil.which("soffice")
    for src in sorted(glob.glob(os.path.join(GEN, "*.render.html"))):
        case = os.path.basename(src).split(".")[0]
        os.makedirs(OUT, exist_ok=True)
        shutil.copy(os.path.join(GEN, f"{case}.expected.json"), OUT)
        out = os.path.join(OUT, f"{case}.pydocx.docx")
        write(src, out)
        if pdf:
            to_pdf(out, f"{case}.pydocx.pdf")
            to_pdf(src, f"{case}.lo-html.pdf")
            to_pdf(os.path.join(GEN, f"{case}.render.docx"), f"{case}.lo-docx.pdf")
        print(out)


if __name__ == "__main__":
    main()
