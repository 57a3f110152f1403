"""Build docgen's Word templates (docxtpl) with python-docx.

    .venv/bin/python scripts/build_docx_templates.py [OUT_DIR]

Writes ``document.docx`` (A4 portrait) and ``document-landscape.docx`` (A4 landscape, for the
office check-in sheet) to ``docgen/templates/docx/``. Both carry the same tags and walk any
``Document`` (docgen/render/document.py); the renderer passes two names: ``doc`` (the Document)
and ``logo`` (the school's logo as an InlineImage, or None).

The body is generic: the red banner of what must be acted on now (only when there are alerts),
a title, the intro line, the reviewer's box of policy warnings (only when
there are warnings), then ``{%p for section in doc.sections %}`` / ``{%p for block in
section.blocks %}``: question-and-answer rows as a two-column table (``{%tr for row in
block.rows %}``), grids as bordered tables whose columns come from the data (``{%tc for col in
block.grid.columns %}`` in the header row, ``{%tr for cells in block.grid.rows %}`` and ``{%tc
for cell in cells %}`` in the body), the hazard matrix in a smaller font; then the sign-off table
and small print. Each answer prints as tick boxes, lines to complete by hand, or its paragraphs.

A school may copy a template, restyle it in Word and point docgen at its folder: keep the tags.
The output is byte-for-byte reproducible (fixed zip timestamps), so rebuilding changes nothing
unless this script changed.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips

OUT_DIR = Path(__file__).resolve().parent.parent / "docgen" / "templates" / "docx"

FONT = "Arial"
SYMBOL_FONT = "Segoe UI Symbol"  # has ☐ ☒; LibreOffice falls back to DejaVu Sans

NAVY = "1F3864"
GREY = "595959"
INK = "262626"
RULE = "A6A6A6"
LABEL_FILL = "EEF2F7"
HEAD_FILL = "D9E1EE"
EMPHASIS_FILL = "FFF2CC"
WARN_FILL = "FFF5E6"
WARN_RULE = "C55A11"
WARN_INK = "843C0C"
ALERT_FILL = "FDECEE"  # the red banner: what must be acted on now
ALERT_RULE = "B00020"

A4 = (11906, 16838)  # twips
MARGIN = 1020  # 18 mm
LABEL_SHARE = 0.35
LONG_OPTIONS = 50  # tick boxes whose labels total more characters print one per line
LONG_ROW = 600  # answers longer than this may split across pages
MANY_OPTIONS = 8  # tick boxes, one per line, that may split across pages
LONG_GRID_CELL = 200  # the same, in a grid of narrow columns (one that names its widths)
SPACES = "\u00a0\u00a0 "  # between inline tick boxes
NO_BREAK = "\u00a0"

AnyBlock = Any  # python-docx containers: Document, _Cell, _Header, _Footer


# --------------------------------------------------------------------------- XML helpers


def el(tag: str, **attrs: str) -> Any:
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def replace_child(parent: Any, child: Any) -> Any:
    for old in parent.findall(child.tag):
        parent.remove(old)
    parent.append(child)
    return child


def fonts(rpr: Any, name: str) -> None:
    replace_child(rpr, el("w:rFonts", ascii=name, hAnsi=name, eastAsia=name, cs=name))


def borders(tag: str, color: str, size: int = 4, space: int = 0, *,
            sides: tuple[str, ...] = ("top", "left", "bottom", "right"),
            style: str = "single") -> Any:
    box = el(tag)
    for side in sides:
        box.append(el(f"w:{side}", val=style, sz=str(size), space=str(space), color=color))
    return box


def shade(fill: str) -> Any:
    return el("w:shd", val="clear", color="auto", fill=fill)


# --------------------------------------------------------------------------- styles


def setup_styles(doc: Any, landscape: bool = False) -> None:
    """The styles; the landscape template (the office check-in sheet, a grid of eleven
    columns) sets its grids in a smaller type."""
    styles = doc.styles
    # document defaults: Arial 10 pt, British English, no theme fonts
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts(rpr, FONT)
    replace_child(rpr, el("w:sz", val="20"))
    replace_child(rpr, el("w:szCs", val="20"))
    replace_child(rpr, el("w:lang", val="en-GB", eastAsia="en-GB", bidi="ar-SA"))
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is not None:
        defaults.remove(ppr_default)

    normal = styles["Normal"]
    _reset(normal)
    _para(normal, after=0, line=252)
    _run(normal, size=10, color=INK)

    def add(name: str, base: str = "Normal", **kw: Any) -> Any:
        try:
            style = styles[name]
            _reset(style)
        except KeyError:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
        run_kw = {k: kw.pop(k) for k in ("size", "bold", "italic", "color", "spacing")
                  if k in kw}
        _para(style, **kw)
        _run(style, **run_kw)
        return style

    add("Title", size=18, bold=True, color=NAVY, after=40, keep_next=True)
    add("Form Intro", size=10, color=GREY, after=160)
    heading = add("Heading 1", size=11, bold=True, color="FFFFFF", before=200, after=80,
                  keep_next=True, left=90, right=90)
    # the band runs from margin to margin: text indented, the border's padding filled
    band = borders("w:pBdr", NAVY, 4, 1, sides=("top", "bottom"))
    band.insert(1, el("w:left", val="single", sz="4", space="4", color=NAVY))
    band.append(el("w:right", val="single", sz="4", space="4", color=NAVY))
    heading.element.get_or_add_pPr().append(band)
    heading.element.get_or_add_pPr().append(shade(NAVY))
    heading.element.get_or_add_pPr().append(el("w:outlineLvl", val="0"))
    add("Form Caption", size=10, bold=True, color=NAVY, before=100, after=60, keep_next=True)
    add("Form Label", size=10, bold=True, color=INK)
    add("Form Answer", size=10)
    blank = add("Form Blank", size=10, line=400, rule="exact")
    blank.element.get_or_add_pPr().append(
        borders("w:pBdr", "808080", 4, 1, sides=("bottom", "between"), style="dotted"))
    add("Form Grid Head", size=7.5 if landscape else 9, bold=True, color=NAVY)
    add("Form Grid", size=8 if landscape else 9)
    add("Form Matrix Head", size=8, bold=True, color=NAVY)
    add("Form Matrix", size=8, line=240)
    add("Form Small", size=8, color=GREY, before=40)
    add("Form Not Applicable", size=8.5, italic=True, color=GREY, before=40)
    add("Form Footnote", size=8, color=GREY, before=40)
    notes_head = add("Form Notes Head", size=8.5, bold=True, color=NAVY, left=170)
    notes = add("Form Notes", size=8.5, color=GREY, left=170, after=30)
    for style in (notes_head, notes):  # a rule down the left, as the PDF's notes
        style.element.get_or_add_pPr().append(
            borders("w:pBdr", RULE, 12, 6, sides=("left",)))
    add("Form Tag", size=7, color="7F7F7F")
    add("Form Spacer", size=4, line=240)
    add("Form Warning Head", size=10, bold=True, color=WARN_INK, after=60)
    warning = add("Form Warning", size=9, left=340, hanging=340, after=20)
    warning.element.get_or_add_pPr().append(_tabs(340))
    add("Form Citation", size=8, italic=True, color=GREY, left=340, after=80)
    add("Form Alert Head", size=12, bold=True, color=ALERT_RULE, before=40, keep_next=True)
    add("Form Alert", size=9, after=60)
    add("Form Marking", size=9, bold=True, color=INK, align="center", after=60, spacing=20)
    add("Form School", size=13, bold=True, color=NAVY)
    add("Form School Detail", size=8, color=GREY)
    add("Form Running", size=8, color=GREY)
    footer = add("Form Footer", size=8, color=GREY, before=60)
    footer.element.get_or_add_pPr().append(
        borders("w:pBdr", RULE, 4, 4, sides=("top",)))


def _reset(style: Any) -> None:
    for tag in ("w:pPr", "w:rPr"):
        for old in style.element.findall(qn(tag)):
            style.element.remove(old)


def _para(style: Any, *, before: int = 0, after: int = 0, line: int | None = None,
          rule: str = "auto", keep_next: bool = False, align: str | None = None,
          left: int = 0, right: int = 0, hanging: int = 0) -> None:
    ppr = style.element.get_or_add_pPr()
    if keep_next:
        ppr.append(el("w:keepNext"))
        ppr.append(el("w:keepLines"))
    spacing = el("w:spacing", before=str(before), after=str(after))
    if line is not None:
        spacing.set(qn("w:line"), str(line))
        spacing.set(qn("w:lineRule"), rule)
    ppr.append(spacing)
    if left or right or hanging:
        ind = el("w:ind", left=str(left), right=str(right))
        if hanging:
            ind.set(qn("w:hanging"), str(hanging))
        ppr.append(ind)
    if align:
        ppr.append(el("w:jc", val=align))


def _run(style: Any, *, size: float | None = None, bold: bool = False, italic: bool = False,
         color: str | None = None, spacing: int = 0) -> None:
    font = style.font
    if size is not None:
        font.size = Pt(size)
    if bold:
        font.bold = True
    if italic:
        font.italic = True
    if color:
        font.color.rgb = RGBColor.from_string(color)
    if spacing:
        style.element.get_or_add_rPr().append(el("w:spacing", val=str(spacing)))


def _tabs(*positions: int) -> Any:
    tabs = el("w:tabs")
    for pos in positions:
        tabs.append(el("w:tab", val="left", pos=str(pos)))
    return tabs


# --------------------------------------------------------------------------- writing


class Flow:
    """Appends paragraphs to a container, reusing a table cell's initial empty paragraph."""

    def __init__(self, container: AnyBlock) -> None:
        self.container = container
        paragraphs = getattr(container, "paragraphs", [])
        self.first = paragraphs[0] if len(paragraphs) == 1 and not paragraphs[0].text else None

    def p(self, style: str, text: str = "") -> Any:
        if self.first is not None:
            paragraph, self.first = self.first, None
            paragraph.style = style
        else:
            paragraph = self.container.add_paragraph(style=style)
        if text:
            paragraph.add_run(text)
        return paragraph

    def tag(self, text: str) -> Any:
        """A paragraph holding only a docxtpl ``{%p ... %}`` tag; removed when rendering."""
        return self.p("Form Tag", text)


def box_run(paragraph: Any, text: str = "{{ o.box }}") -> Any:
    run = paragraph.add_run(text)
    fonts(run._r.get_or_add_rPr(), SYMBOL_FONT)
    return run


def bold_if(run: Any, expression: str) -> None:
    """Make a run bold when the Jinja ``expression`` is true (the attribute is templated)."""
    run._r.get_or_add_rPr().append(el("w:b", val=f"{{{{ 'true' if {expression} else 'false' }}}}"))


def answer(flow: Flow, a: str, style: str) -> None:
    """The answer ``a`` (a Jinja expression naming an Answer): tick boxes (one line, or one per
    line when long), lines to complete by hand, or its paragraphs."""
    flow.tag(f"{{%p if {a}.options and ({a}.options|map(attribute='label')|join|length)"
             f" > {LONG_OPTIONS} %}}")
    flow.tag(f"{{%p for o in {a}.options %}}")
    paragraph = flow.p(style)
    box_run(paragraph)
    paragraph.add_run("\u00a0{{ o.label }}")
    flow.tag("{%p endfor %}")
    flow.tag(f"{{%p elif {a}.options %}}")
    paragraph = flow.p(style)
    paragraph.add_run(f"{{%r for o in {a}.options %}}")
    box_run(paragraph)
    paragraph.add_run("\u00a0{{ o.label }}{% if not loop.last %}" + SPACES + "{% endif %}")
    paragraph.add_run("{%r endfor %}")
    flow.tag(f"{{%p elif {a}.blank %}}")
    flow.tag(f"{{%p for _ in range({a}.lines) %}}")
    flow.p("Form Blank")
    flow.tag("{%p endfor %}")
    flow.tag(f"{{%p elif {a}.paragraphs %}}")
    flow.tag(f"{{%p for text in {a}.paragraphs %}}")
    paragraph = flow.p(style)
    # a phone number or a registration stays on one line: its spaces do not break
    bold_if(paragraph.add_run(f"{{{{ text|replace(' ', '{NO_BREAK}') if {a}.unbroken "
                              "else text }}"), f"{a}.emphasis or {a}.header")
    flow.tag("{%p endfor %}")
    flow.tag("{%p else %}")
    flow.p(style)
    flow.tag("{%p endif %}")


# --------------------------------------------------------------------------- tables


def table(container: AnyBlock, rows: int, widths: list[int], *, rule: str = RULE,
          inside: bool = True, cell_widths: bool = True, width: int | None = None) -> Any:
    """A fixed-layout table of ``widths`` (twips) with thin borders."""
    total = width or sum(widths)
    if hasattr(container, "is_linked_to_previous"):  # a header or footer
        tbl = container.add_table(rows, len(widths), Twips(total))
    else:
        tbl = container.add_table(rows, len(widths))
    tbl.alignment = WD_TABLE_ALIGNMENT.LEFT
    t = tbl._tbl
    tblpr = t.tblPr
    for old in tblpr.findall(qn("w:tblStyle")):
        tblpr.remove(old)
    replace_child(tblpr, el("w:tblW", w=str(total), type="dxa"))
    sides = ("top", "left", "bottom", "right", *(("insideH", "insideV") if inside else ()))
    replace_child(tblpr, borders("w:tblBorders", rule, 4, 0, sides=sides))
    replace_child(tblpr, el("w:tblLayout", type="fixed"))
    margins = el("w:tblCellMar")
    for side, value in (("top", 45), ("left", 85), ("bottom", 45), ("right", 85)):
        margins.append(el(f"w:{side}", w=str(value), type="dxa"))
    replace_child(tblpr, margins)
    replace_child(tblpr, el("w:tblLook", val="04A0", firstRow="1", lastRow="0",
                            firstColumn="1", lastColumn="0", noHBand="0", noVBand="1"))
    grid = t.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(w))
    for row in tbl.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            tcpr = cell._tc.get_or_add_tcPr()
            for old in tcpr.findall(qn("w:tcW")):
                tcpr.remove(old)
            if cell_widths:
                tcpr.insert(0, el("w:tcW", w=str(w), type="dxa"))
    return tbl


# Word validates the order of property elements (the schema's xsd:sequence); python-docx keeps
# its own additions in order, ours are appended, so every property element is sorted once.
_ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
           "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap "
           "overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid "
           "spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
           "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
           "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs "
           "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout "
           "specVanish oMath",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
            "tcFitText vAlign hideMark",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
             "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook",
}
_RANK = {f"{{{qn('w:p').split('}')[0][1:]}}}{k}": {name: i for i, name in enumerate(v.split())}
         for k, v in _ORDER.items()}


def sort_properties(root: Any) -> None:
    for element in root.iter(*_RANK):
        rank = _RANK[element.tag]
        children = sorted(element, key=lambda c: rank.get(c.tag.split("}")[-1], len(rank)))
        for child in children:
            element.remove(child)
            element.append(child)


def row_props(row: Any, *, cant_split: str | None = "true", header: bool = False,
              height: int | None = None) -> None:
    trpr = row._tr.get_or_add_trPr()
    if cant_split is not None:
        trpr.append(el("w:cantSplit", val=cant_split))
    if height:
        trpr.append(el("w:trHeight", val=str(height), hRule="atLeast"))
    if header:
        trpr.append(el("w:tblHeader"))


def cell_props(cell: Any, *, fill: str | None = None, valign: str | None = None,
               cell_borders: Any = None, width: tuple[str, str] | None = None) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    # CT_TcPr order: tcW, gridSpan, vMerge, tcBorders, shd, noWrap, tcMar, textDirection,
    # tcFitText, vAlign
    if width is not None:
        tcpr.append(el("w:tcW", w=width[0], type=width[1]))
    if cell_borders is not None:
        tcpr.append(cell_borders)
    if fill is not None:
        tcpr.append(shade(fill))
    if valign:
        tcpr.append(el("w:vAlign", val=valign))


def spacer(flow: Flow) -> None:
    """Tables are always followed by a paragraph: Word would join adjacent tables."""
    flow.p("Form Spacer")


def loop_row(tbl: Any, index: int, tag: str) -> None:
    """A row that only holds a ``{%tr ... %}`` tag; docxtpl removes it."""
    cells = tbl.rows[index].cells
    Flow(cells[0]).tag(tag)


def fields_table(flow: Flow, width: int) -> None:
    label = round(width * LABEL_SHARE)
    tbl = table(flow.container, 3, [label, width - label])
    loop_row(tbl, 0, "{%tr for row in block.rows %}")
    row = tbl.rows[1]
    row_props(row, cant_split=f"{{{{ 'false' if (row.answer.text|length) > {LONG_ROW} or "
                               f"(row.answer.options|length) > {MANY_OPTIONS} else 'true' }}}}")
    left, right = row.cells
    cell_props(left, fill=LABEL_FILL)
    Flow(left).p("Form Label", "{{ row.label }}")
    answer(Flow(right), "row.answer", "Form Answer")
    loop_row(tbl, 2, "{%tr endfor %}")
    spacer(flow)


def grid_table(flow: Flow, width: int, *, matrix: bool) -> None:
    """A grid whose columns come from the data: three template columns, the outer two holding
    ``{%tc for %}`` / ``{%tc endfor %}``; docxtpl shares the width among the real columns."""
    third = width // 3
    tbl = table(flow.container, 4, [third, third, width - 2 * third], cell_widths=False)
    head_style, body_style = (("Form Matrix Head", "Form Matrix") if matrix
                              else ("Form Grid Head", "Form Grid"))
    header = tbl.rows[0]
    row_props(header, header=True)
    first, middle, last = header.cells
    Flow(first).tag("{%tc for col in block.grid.columns %}")
    # a grid that names its column widths (percent) gets them; DocxRenderer makes the
    # table's grid follow these widths
    cell_props(middle, fill=HEAD_FILL, width=(
        f"{{{{ (block.grid.widths[loop.index0] * {width} // 100) if block.grid.widths "
        "else 0 }}",
        "{{ 'dxa' if block.grid.widths else 'auto' }}"))
    Flow(middle).p(head_style, "{{ col }}")
    Flow(last).tag("{%tc endfor %}")
    loop_row(tbl, 1, "{%tr for cells in block.grid.rows %}")
    body = tbl.rows[2]
    # a row may split across pages when a cell is long: sooner in a sheet of narrow columns
    row_props(body, cant_split="{{ 'false' if ([0] + cells|map(attribute='text')|map('length')"
                               f"|list)|max > ({LONG_GRID_CELL} if block.grid.widths else "
                               f"{LONG_ROW}) else 'true' }}}}")
    first, middle, last = body.cells
    Flow(first).tag("{%tc for cell in cells %}")
    fill = (f"{{{{ '{ALERT_FILL}' if cell.alarm else ('{EMPHASIS_FILL}' if cell.emphasis "
            f"else ('{LABEL_FILL}' if cell.header else 'auto')) }}}}")
    cell_props(middle, fill=fill)
    answer(Flow(middle), "cell", body_style)
    Flow(last).tag("{%tc endfor %}")
    loop_row(tbl, 3, "{%tr endfor %}")
    flow.tag("{%p if block.grid.legend %}")
    flow.p("Form Small", "{{ block.grid.legend }}")
    flow.tag("{%p else %}")
    spacer(flow)
    flow.tag("{%p endif %}")


def alerts_box(flow: Flow, width: int) -> None:
    """The red banner above the title: what must be acted on now."""
    flow.tag("{%p if doc.alerts %}")
    tbl = table(flow.container, 1, [width], rule=ALERT_RULE, inside=False)
    cell = tbl.rows[0].cells[0]
    cell_props(cell, fill=ALERT_FILL,
               cell_borders=borders("w:tcBorders", ALERT_RULE, 18, 0))
    inner = Flow(cell)
    inner.tag("{%p for a in doc.alerts %}")
    inner.p("Form Alert Head", "{{ a.headline }}")
    inner.tag("{%p if a.message %}")
    paragraph = inner.p("Form Alert")
    paragraph.add_run("{{ a.field }}").bold = True
    paragraph.add_run("{% if a.field %}: {% endif %}{{ a.message }}")
    inner.tag("{%p endif %}")
    inner.tag("{%p if a.citation %}")
    inner.p("Form Citation", "{{ a.citation }}")
    inner.tag("{%p endif %}")
    inner.tag("{%p endfor %}")
    spacer(flow)
    flow.tag("{%p endif %}")


def notes_box(flow: Flow) -> None:
    """The form's own notes from the school's policy, under the title."""
    flow.tag("{%p if doc.instructions %}")
    flow.p("Form Notes Head", "{{ doc.instructions_heading }}")
    flow.tag("{%p for note in doc.instructions %}")
    flow.p("Form Notes", "{{ note }}")
    flow.tag("{%p endfor %}")
    spacer(flow)
    flow.tag("{%p endif %}")


def warnings_box(flow: Flow, width: int) -> None:
    flow.tag("{%p if doc.warnings %}")
    tbl = table(flow.container, 1, [width], rule=WARN_RULE, inside=False)
    cell = tbl.rows[0].cells[0]
    box = borders("w:tcBorders", WARN_RULE, 4, 0, sides=("top", "bottom", "right"))
    box.insert(1, el("w:left", val="single", sz="36", space="0", color=WARN_RULE))
    cell_props(cell, fill=WARN_FILL, cell_borders=box)
    inner = Flow(cell)
    inner.p("Form Warning Head", "For the reviewer: outstanding policy points")
    inner.tag("{%p for w in doc.warnings %}")
    paragraph = inner.p("Form Warning")
    paragraph.add_run("{{ loop.index }}.")
    paragraph.add_run("\t")
    paragraph.add_run("{{ w.field }}").bold = True
    paragraph.add_run("{% if w.field %} – {% endif %}{{ w.message }}")
    inner.tag("{%p if w.citation %}")
    inner.p("Form Citation", "{{ w.citation }}")
    inner.tag("{%p endif %}")
    inner.tag("{%p endfor %}")
    spacer(flow)
    flow.tag("{%p endif %}")


def keep_with_next(cell: Any) -> None:
    """Every paragraph of the cell kept with the next: Word keeps a table whose rows all say
    so on one page (the sign-off never splits)."""
    for paragraph in cell.paragraphs:
        ppr = paragraph._p.get_or_add_pPr()
        ppr.append(el("w:keepNext"))


def signoff_table(flow: Flow, width: int) -> None:
    flow.tag("{%p if doc.signoffs %}")
    flow.p("Heading 1", "Signatures")
    role = round(width * LABEL_SHARE)
    date = round(width * 0.16)
    name = (width - role - date) // 2
    tbl = table(flow.container, 4, [role, name, width - role - date - name, date])
    header = tbl.rows[0]
    row_props(header, header=True)
    for cell, text in zip(header.cells, ("Role", "Name", "Signature", "Date"), strict=True):
        cell_props(cell, fill=HEAD_FILL)
        Flow(cell).p("Form Grid Head", text)
    loop_row(tbl, 1, "{%tr for s in doc.signoffs %}")
    row = tbl.rows[2]
    row_props(row, height=680)
    role_cell, name_cell, sign_cell, date_cell = row.cells
    cell_props(role_cell, fill=LABEL_FILL, valign="bottom")
    Flow(role_cell).p("Form Label", "{{ s.role }}")
    cell_props(name_cell, valign="bottom")
    names = Flow(name_cell)
    names.tag("{%p if s.name %}")
    names.p("Form Answer", "{{ s.name }}")
    names.tag("{%p else %}")
    names.p("Form Blank")
    names.tag("{%p endif %}")
    for cell in (sign_cell, date_cell):
        cell_props(cell, valign="bottom")
        Flow(cell).p("Form Blank")
    for cell in (*header.cells, *row.cells):
        keep_with_next(cell)
    loop_row(tbl, 3, "{%tr endfor %}")
    spacer(flow)
    flow.tag("{%p endif %}")


def body(doc: Any, width: int) -> None:
    flow = Flow(doc)
    alerts_box(flow, width)
    flow.p("Title", "{{ doc.title }}")
    flow.tag("{%p if doc.intro %}")
    flow.p("Form Intro", "{{ doc.intro }}")
    flow.tag("{%p else %}")
    flow.p("Form Spacer")
    flow.tag("{%p endif %}")
    notes_box(flow)
    warnings_box(flow, width)
    flow.tag("{%p for section in doc.sections %}")
    flow.tag("{%p if section.title %}")
    flow.p("Heading 1", "{{ section.title }}")
    flow.tag("{%p endif %}")
    flow.tag("{%p for block in section.blocks %}")
    flow.tag("{%p if block.kind == 'fields' %}")
    fields_table(flow, width)
    flow.tag("{%p else %}")
    flow.tag("{%p if block.grid.caption %}")
    flow.p("Form Caption", "{{ block.grid.caption }}")
    flow.tag("{%p endif %}")
    flow.tag("{%p if block.grid.kind == 'matrix' %}")
    grid_table(flow, width, matrix=True)
    flow.tag("{%p else %}")
    grid_table(flow, width, matrix=False)
    flow.tag("{%p endif %}")
    flow.tag("{%p endif %}")
    flow.tag("{%p endfor %}")
    flow.tag("{%p for line in section.not_applicable %}")
    flow.p("Form Not Applicable", "{{ line }}")
    flow.tag("{%p endfor %}")
    flow.tag("{%p for note in section.footnotes %}")
    flow.p("Form Footnote", "{{ note }}")
    flow.tag("{%p endfor %}")
    flow.tag("{%p endfor %}")
    signoff_table(flow, width)
    flow.tag("{%p for note in doc.notes %}")
    flow.p("Form Small", "{{ note }}")
    flow.tag("{%p endfor %}")


# --------------------------------------------------------------------------- header, footer


def masthead(part: Any, width: int) -> None:
    """The first page's header, as the PDF's masthead: the logo on the left, the school's
    name and details beside it, the marking on the right."""
    part.is_linked_to_previous = False
    logo = round(width * 0.2)
    marking = round(width * 0.25)
    tbl = table(part, 1, [logo, width - logo - marking, marking], rule=NAVY, inside=False,
                width=width)
    tblpr = tbl._tbl.tblPr
    replace_child(tblpr, borders("w:tblBorders", NAVY, 12, 0, sides=("bottom",)))
    margins = tblpr.find(qn("w:tblCellMar"))
    for side in ("left", "right"):
        margins.find(qn(f"w:{side}")).set(qn("w:w"), "0")
    logo_cell, details_cell, marking_cell = tbl.rows[0].cells
    cell_props(logo_cell, valign="center")
    cell_props(details_cell, valign="center")
    cell_props(marking_cell, valign="top")
    logos = Flow(logo_cell)
    logos.tag("{%p if logo %}")
    logos.p("Form School Detail", "{{ logo }}")
    logos.tag("{%p else %}")
    logos.p("Form School Detail")
    logos.tag("{%p endif %}")
    details = Flow(details_cell)
    details.p("Form School", "{{ doc.school.name }}")
    details.tag("{%p if doc.school.trust %}")
    details.p("Form School Detail", "{{ doc.school.trust }}")
    details.tag("{%p endif %}")
    details.p("Form School Detail",
              "{{ doc.school.address }}{% if doc.school.address and doc.school.phone %}"
              " · {% endif %}{% if doc.school.phone %}Tel. {{ doc.school.phone }}{% endif %}")
    marks = Flow(marking_cell)
    paragraph = marks.p("Form Marking", "{{ doc.marking }}")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    part.add_paragraph(style="Form Spacer")


def running_header(part: Any, width: int) -> None:
    """The header of the other pages: the school on the left, the marking on the right."""
    part.is_linked_to_previous = False
    paragraph = Flow(part).p("Form Running", "{{ doc.school.name }}")
    paragraph._p.get_or_add_pPr().append(
        _tabs_right(width))
    paragraph.add_run("\t")
    paragraph.add_run("{{ doc.marking }}").bold = True
    part.add_paragraph(style="Form Spacer")


def _tabs_right(position: int) -> Any:
    tabs = el("w:tabs")
    tabs.append(el("w:tab", val="right", pos=str(position)))
    return tabs


def header(section: Any, width: int) -> None:
    section.different_first_page_header_footer = True
    masthead(section.first_page_header, width)
    running_header(section.header, width)


def field(paragraph: Any, instruction: str, placeholder: str) -> None:
    """A Word field (PAGE, NUMPAGES) with a cached result; Word and LibreOffice update it."""

    def run_with(child: Any) -> None:
        paragraph.add_run()._r.append(child)

    run_with(el("w:fldChar", fldCharType="begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} \\* MERGEFORMAT "
    run_with(instr)
    run_with(el("w:fldChar", fldCharType="separate"))
    paragraph.add_run(placeholder)
    run_with(el("w:fldChar", fldCharType="end"))


def footer(section: Any) -> None:
    """Every page's footer, as the PDF's: school, form, pupil, page, marking."""
    for part in (section.first_page_footer, section.footer):
        part.is_linked_to_previous = False
        paragraph = Flow(part).p(
            "Form Footer", "{{ doc.school.name }} · {{ doc.title }} · {{ doc.subject }} · Page ")
        field(paragraph, "PAGE", "1")
        paragraph.add_run(" of ")
        field(paragraph, "NUMPAGES", "1")
        paragraph.add_run(" · ")
        paragraph.add_run("{{ doc.marking }}").bold = True


# --------------------------------------------------------------------------- the package


STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
FIXED_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'docPropsVTypes"><Application>docgen</Application><DocSecurity>0</DocSecurity>'
    b"</Properties>"
)


def clean_package(doc: Any) -> None:
    """No leftovers from python-docx's default template: its thumbnail, customXml,
    stylesWithEffects, "generated by python-docx" and the Word version in app.xml."""
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_XML
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype in (RT.CUSTOM_XML, STYLES_WITH_EFFECTS):
            del doc.part.rels[rid]
    props = doc.core_properties
    for name in ("title", "subject", "keywords", "category", "comments", "last_modified_by",
                 "identifier", "content_status", "version"):
        setattr(props, name, "")
    props.author = "docgen"
    props.language = "en-GB"
    props.revision = 1
    props.created = props.modified = FIXED_TIME.replace(tzinfo=None)
    settings = doc.settings.element
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")  # Word 2013+: tables align with the margin
    for tag in ("w:rsids", "w:proofState", "w:attachedTemplate"):
        for old in settings.findall(qn(tag)):
            settings.remove(old)


def prune_styles(doc: Any) -> None:
    """Keep the styles the template uses (and what they are based on); python-docx's default
    template carries ~160 others, which every render would parse."""
    root = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in root.findall(qn("w:style"))}
    first = doc.sections[0]
    parts = (doc.element, first.header._element, first.footer._element,
             first.first_page_header._element, first.first_page_footer._element)
    used = {s.get(qn("w:val")) for part in parts
            for tag in ("w:pStyle", "w:rStyle", "w:tblStyle") for s in part.iter(qn(tag))}
    used |= {sid for sid, s in by_id.items() if s.get(qn("w:default")) == "1"}
    used |= {sid for sid, s in by_id.items() if s.get(qn("w:customStyle")) == "1"}
    todo = list(used)
    while todo:
        style = by_id.get(todo.pop())
        if style is None:
            continue
        for tag in ("w:basedOn", "w:next", "w:link"):
            ref = style.find(qn(tag))
            if ref is not None and ref.get(qn("w:val")) not in used:
                used.add(ref.get(qn("w:val")))
                todo.append(ref.get(qn("w:val")))
    for sid, style in by_id.items():
        if sid not in used:
            root.remove(style)


def build(landscape: bool) -> bytes:
    doc = new_document()
    setup_styles(doc, landscape)
    section = doc.sections[0]
    short, long = A4
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Twips(long), Twips(short)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Twips(short), Twips(long)
    section.left_margin = section.right_margin = Twips(MARGIN)
    section.top_margin = section.bottom_margin = Twips(907)
    section.header_distance = section.footer_distance = Twips(454)
    width = (long if landscape else short) - 2 * MARGIN
    header(section, width)
    footer(section)
    body(doc, width)
    clean_package(doc)
    prune_styles(doc)
    sort_properties(doc.element)
    sort_properties(doc.styles.element)
    for part in (section.header, section.footer, section.first_page_header,
                 section.first_page_footer):
        sort_properties(part._element)
    out = io.BytesIO()
    doc.save(out)
    return reproducible(out.getvalue())


def reproducible(data: bytes) -> bytes:
    """The same zip with fixed timestamps and order, so a rebuild is byte-identical."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        names = zin.namelist()
        first = ["[Content_Types].xml"]
        for name in first + sorted(n for n in names if n not in first):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, zin.read(name))
    return out.getvalue()


def templates() -> Iterator[tuple[str, bytes]]:
    yield "document.docx", build(landscape=False)
    yield "document-landscape.docx", build(landscape=True)


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else OUT_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, data in templates():
        (out_dir / name).write_bytes(data)
        print(f"wrote {out_dir / name} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
