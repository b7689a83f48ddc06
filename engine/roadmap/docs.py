"""The roadmap document as DOCX (python-docx) and PDF (fpdf2 with DejaVu Sans, which has every Kazakh letter).

Both write the blocks of :func:`engine.roadmap.document.compose_document`. Output is deterministic: the
document dates are fixed and the DOCX zip entries carry a fixed timestamp.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt
from fpdf import FPDF
from fpdf.fonts import FontFace

from engine.core.i18n import t
from engine.roadmap.charts import font_path
from engine.roadmap.document import Block, BulletList, Heading, Image, Paragraph, Table, _align
from engine.roadmap.result import Roadmap

#: Dates written into documents, fixed so that the same roadmap gives the same bytes.
FIXED_DATE = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
LANGUAGE_TAGS = {"kk": "kk-KZ", "ru": "ru-RU", "en": "en-GB"}
PAGE_CM, MARGIN_CM = (29.7, 21.0), 1.8  # A4 landscape
DOCX_FONT = "Times New Roman"  # has the Kazakh Cyrillic letters; Word and LibreOffice both carry it or a metric twin


def normalise_zip(data: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01 and in the original order (reproducible bytes)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------------------------------

def render_docx(roadmap: Roadmap, blocks: Sequence[Block]) -> bytes:
    """A Word document of the roadmap (A4 landscape for the wide tables)."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(PAGE_CM[0]), Cm(PAGE_CM[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    _style_fonts(doc, LANGUAGE_TAGS.get(roadmap.lang, "en-GB"))
    props = doc.core_properties
    props.title = f"{t('app_title', roadmap.lang)}: {roadmap.scenario_name}"[:250]
    props.language = LANGUAGE_TAGS.get(roadmap.lang, "en-GB")
    props.author = ""
    props.last_modified_by = ""
    props.created = props.modified = FIXED_DATE.replace(tzinfo=None)
    props.revision = 1
    usable = Cm(PAGE_CM[0] - 2 * MARGIN_CM)
    for block in blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=min(block.level, 4) - 1)  # the document title is level 0
        elif isinstance(block, Paragraph):
            para = doc.add_paragraph()
            run = para.add_run(block.text)
            run.italic = block.kind == "note"
        elif isinstance(block, BulletList):
            style = "List Number" if block.numbered else "List Bullet"
            for item in block.items:
                doc.add_paragraph(item, style=style)
        elif isinstance(block, Table):
            _docx_table(doc, block, usable)
        elif isinstance(block, Image):
            px_w, px_h = png_size(block.png)
            picture_w = min(int(usable), int(Cm(22)))
            if picture_w * px_h / px_w > Cm(14):  # keep it on one landscape page with its caption
                picture_w = int(Cm(14) * px_w / px_h)
            doc.add_picture(io.BytesIO(block.png), width=Emu(picture_w))
            caption = doc.add_paragraph(block.caption)
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption.runs[0].italic = True
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalise_zip(buffer.getvalue())


def _style_fonts(doc: DocxDocument, lang_tag: str) -> None:
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "List Number"):
        style = doc.styles[name]
        style.font.name = DOCX_FONT
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), DOCX_FONT)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = rpr.makeelement(qn("w:lang"), {})
            rpr.append(lang)
        lang.set(qn("w:val"), lang_tag)
    doc.styles["Normal"].font.size = Pt(10)


def _docx_table(doc: DocxDocument, block: Table, usable: int) -> None:
    table = doc.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = "Table Grid"
    total = sum(block.widths)
    widths = [int(usable * w / total) for w in block.widths]
    align = _align(block)
    for r, values in enumerate((block.header, *block.rows)):
        cells = table.rows[r].cells
        for c, value in enumerate(values):
            cell = cells[c]
            cell.width = widths[c]
            para = cell.paragraphs[0]
            run = para.add_run(value)
            run.font.size = Pt(8)
            run.bold = r == 0
            if align[c] == "R" and r > 0:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()


# ---------------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------------

class _RoadmapPDF(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", "", 7)
        self.set_text_color(110)
        self.cell(0, 5, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)


def render_pdf(roadmap: Roadmap, blocks: Sequence[Block]) -> bytes:
    """A PDF of the roadmap (A4 landscape) with DejaVu Sans embedded, so Kazakh letters show and extract."""
    pdf = _RoadmapPDF(orientation="L", unit="mm", format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(f"{t('app_title', roadmap.lang)}: {roadmap.scenario_name}")
    pdf.set_lang(LANGUAGE_TAGS.get(roadmap.lang, "en-GB"))
    pdf.set_creator("kz-regional-roadmap")
    pdf.add_font("DejaVu", "", str(font_path()))
    pdf.add_font("DejaVu", "B", str(font_path(bold=True)))
    pdf.footer_text = f"{t('app_title', roadmap.lang)}: {roadmap.scenario_name}"[:120]
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(15, 15, 15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    sizes = {1: 16, 2: 13, 3: 11}
    for block in blocks:
        if isinstance(block, Heading):
            pdf.ln(2)
            pdf.set_font("DejaVu", "B", sizes.get(block.level, 10))
            pdf.multi_cell(width, 7, block.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif isinstance(block, Paragraph):
            pdf.set_font("DejaVu", "", 9)
            if block.kind == "note":
                pdf.set_text_color(80)
            pdf.multi_cell(width, 5, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0)
            pdf.ln(1)
        elif isinstance(block, BulletList):
            pdf.set_font("DejaVu", "", 9)
            for i, item in enumerate(block.items, start=1):
                mark = f"{i}." if block.numbered else "•"
                pdf.cell(7, 5, mark)
                pdf.multi_cell(width - 7, 5, item, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif isinstance(block, Table):
            _pdf_table(pdf, block, width)
        elif isinstance(block, Image):
            _pdf_image(pdf, block, width)
            pdf.set_font("DejaVu", "", 8)
            pdf.multi_cell(width, 5, block.caption, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    return bytes(pdf.output())


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG header."""
    return struct.unpack(">II", png[16:24])


def _pdf_image(pdf: FPDF, block: Image, width: float) -> None:
    """The image as large as fits: at most the text width and 70% of the page height, on a new page if needed."""
    px_w, px_h = png_size(block.png)
    image_w = min(width, 230.0)
    image_h = image_w * px_h / px_w
    max_h = (pdf.h - pdf.t_margin - pdf.b_margin) * 0.8
    if image_h > max_h:
        image_w, image_h = image_w * max_h / image_h, max_h
    if pdf.get_y() + image_h + 8 > pdf.page_break_trigger:
        pdf.add_page()
    pdf.image(io.BytesIO(block.png), x=pdf.l_margin + (width - image_w) / 2, w=image_w, h=image_h)


def _pdf_table(pdf: FPDF, block: Table, width: float) -> None:
    pdf.set_font("DejaVu", "", 7)
    total = sum(block.widths)
    widths = tuple(width * w / total for w in block.widths)
    align = _align(block)
    with pdf.table(col_widths=widths, width=width, line_height=3.6, first_row_as_headings=True,
                   headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
                   text_align=tuple("RIGHT" if a == "R" else "LEFT" for a in align)) as table:
        header = table.row()
        for value in block.header:
            header.cell(value)
        for values in block.rows:
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.ln(3)
