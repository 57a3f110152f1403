"""Build docgen's Word letter (docxtpl) with python-docx.

    .venv/bin/python scripts/build_letter_template.py [OUT_DIR]

Writes ``letter.docx`` (A4 portrait) to ``docgen/templates/letters/``. It prints any
``Letter`` (docgen/letters/letter.py): the renderer passes ``letter`` and ``logo`` (the school's
logo as an InlineImage, or None). The letterhead is at the top of the body (first page only);
then the confidential line and the address beside the date and reference, the salutation, the
subject line and the body, block by block (``{%p for block in letter.body %}``: paragraphs,
headings, list items, tables whose columns come from the data), the closing and signature. The
footer, from the second page, names the pupil and the reference with the page number.

A school may copy it, put its own letterhead on it in Word and point docgen at its folder
(``letters/letter.docx``): keep the tags. The output is byte-for-byte reproducible.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

from build_docx_templates import (
    A4,
    FONT,
    GREY,
    HEAD_FILL,
    INK,
    NAVY,
    Flow,
    _para,
    _reset,
    _run,
    borders,
    cell_props,
    clean_package,
    el,
    field,
    fonts,
    loop_row,
    prune_styles,
    replace_child,
    reproducible,
    row_props,
    sort_properties,
    table,
)
from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Twips

OUT_DIR = Path(__file__).resolve().parent.parent / "docgen" / "templates" / "letters"
LEFT, RIGHT = 1134, 1020  # 20 mm, 18 mm
LIST_INDENT = 340


def setup_styles(doc: Any) -> None:
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts(rpr, FONT)
    replace_child(rpr, el("w:sz", val="21"))
    replace_child(rpr, el("w:szCs", val="21"))
    replace_child(rpr, el("w:lang", val="en-GB", eastAsia="en-GB", bidi="ar-SA"))
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is not None:
        defaults.remove(ppr_default)
    normal = styles["Normal"]
    _reset(normal)
    _para(normal, after=140, line=264)
    _run(normal, size=10.5, color=INK)

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

    add("Letter School", size=13, bold=True, color=NAVY, align="right", after=0)
    add("Letter School Detail", size=8.5, color=GREY, align="right", after=0)
    add("Letter Marking", size=9, bold=True, align="center", after=120, spacing=20)
    add("Letter Confidential", size=9, bold=True, after=80)
    add("Letter Address", after=0)
    add("Letter Detail", size=9, after=20)
    add("Letter Subject", size=11.5, bold=True, before=60, after=120, keep_next=True)
    heading = add("Heading 2", size=10.5, bold=True, color=NAVY, before=160, after=60,
                  keep_next=True)
    heading.element.get_or_add_pPr().append(el("w:outlineLvl", val="1"))
    listed = add("Letter List", left=LIST_INDENT, hanging=LIST_INDENT, after=40)
    listed.element.get_or_add_pPr().append(_tab(LIST_INDENT))
    add("Letter Cell", size=9.5, after=0)
    add("Letter Closing", after=0, keep_next=True)
    add("Letter Signature Space", after=0, line=800, rule="exact", keep_next=True)
    add("Form Tag", size=7, color="7F7F7F", after=0)  # docxtpl tags only: removed
    add("Letter Spacer", size=4, after=0, line=240)
    footer = add("Letter Footer", size=7.5, color=GREY, after=0)
    footer.element.get_or_add_pPr().append(_tab(A4[0] - LEFT - RIGHT, align="right"))


def _tab(pos: int, align: str = "left") -> Any:
    tabs = el("w:tabs")
    tabs.append(el("w:tab", val=align, pos=str(pos)))
    return tabs


def styled_runs(paragraph: Any, source: str = "block.runs") -> None:
    """The block's runs, each bold or italic as it says."""
    paragraph.add_run(f"{{%r for run in {source} %}}")
    run = paragraph.add_run("{{ run.text }}")
    rpr = run._r.get_or_add_rPr()
    rpr.append(el("w:b", val="{{ 'true' if run.bold else 'false' }}"))
    rpr.append(el("w:i", val="{{ 'true' if run.italic else 'false' }}"))
    paragraph.add_run("{%r endfor %}")


def letterhead(flow: Flow, width: int) -> None:
    logo_width = round(width * 0.35)
    tbl = table(flow.container, 1, [logo_width, width - logo_width], rule=NAVY, inside=False)
    tblpr = tbl._tbl.tblPr
    replace_child(tblpr, borders("w:tblBorders", NAVY, 12, 0, sides=("bottom",)))
    margins = tblpr.find(qn("w:tblCellMar"))
    for side in ("left", "right"):
        margins.find(qn(f"w:{side}")).set(qn("w:w"), "0")
    left, right = tbl.rows[0].cells
    cell_props(left, valign="center")
    cell_props(right, valign="bottom")
    logos = Flow(left)
    logos.tag("{%p if logo %}")
    logos.p("Letter Address", "{{ logo }}")
    logos.tag("{%p else %}")
    logos.p("Letter Address")
    logos.tag("{%p endif %}")
    school = Flow(right)
    school.p("Letter School", "{{ letter.school.name }}")
    school.tag("{%p if letter.school.trust %}")
    school.p("Letter School Detail", "{{ letter.school.trust }}")
    school.tag("{%p endif %}")
    school.tag("{%p if letter.school.address %}")
    school.p("Letter School Detail", "{{ letter.school.address }}")
    school.tag("{%p endif %}")
    school.tag("{%p if letter.school.phone %}")
    school.p("Letter School Detail", "Telephone {{ letter.school.phone }}")
    school.tag("{%p endif %}")
    school.p("Letter Spacer")
    flow.p("Letter Spacer")


def address_and_details(flow: Flow, width: int) -> None:
    left = round(width * 0.56)
    tbl = table(flow.container, 1, [left, width - left], rule="FFFFFF", inside=False)
    replace_child(tbl._tbl.tblPr, borders("w:tblBorders", "FFFFFF", 0, 0, style="nil"))
    row_props(tbl.rows[0], height=2300)
    recipient, details = tbl.rows[0].cells
    cell_props(recipient, valign="top")
    cell_props(details, valign="top")
    to = Flow(recipient)
    to.p("Letter Confidential", "{{ letter.confidential }}")
    to.tag("{%p for line in letter.recipient %}")
    to.p("Letter Address", "{{ line }}")
    to.tag("{%p endfor %}")
    info = Flow(details)
    for label, value in (("Date", "letter.date"), ("Our reference", "letter.reference")):
        paragraph = info.p("Letter Detail")
        paragraph.add_run(f"{label}: ")
        paragraph.add_run(f"{{{{ {value} }}}}")
    info.tag("{%p if letter.contact %}")
    paragraph = info.p("Letter Detail")
    paragraph.add_run("Contact: ")
    paragraph.add_run("{{ letter.contact }}")
    info.tag("{%p endif %}")
    flow.p("Letter Spacer")


def body_table(flow: Flow, width: int) -> None:
    """A table of the wording: its columns come from the data (``{%tc for %}``)."""
    third = width // 3
    tbl = table(flow.container, 3, [third, third, width - 2 * third], cell_widths=False)
    loop_row(tbl, 0, "{%tr for row in block.rows %}")
    body = tbl.rows[1]
    row_props(body)
    first, middle, last = body.cells
    Flow(first).tag("{%tc for cell in row %}")
    cell_props(middle, fill=f"{{{{ '{HEAD_FILL}' if cell.header else 'auto' }}}}")
    paragraph = Flow(middle).p("Letter Cell")
    run = paragraph.add_run("{{ cell.text }}")
    run._r.get_or_add_rPr().append(el("w:b", val="{{ 'true' if cell.header else 'false' }}"))
    Flow(last).tag("{%tc endfor %}")
    loop_row(tbl, 2, "{%tr endfor %}")
    flow.p("Letter Spacer")


def body(doc: Any, width: int) -> None:
    flow = Flow(doc)
    letterhead(flow, width)
    flow.tag("{%p if letter.marking %}")
    marking = flow.p("Letter Marking", "{{ letter.marking }}")
    marking.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    marking._p.get_or_add_pPr().append(borders("w:pBdr", INK, 6, 2))
    flow.tag("{%p endif %}")
    address_and_details(flow, width)
    flow.p("Normal", "{{ letter.salutation }}")
    flow.p("Letter Subject", "{{ letter.title }}")
    flow.tag("{%p for block in letter.body %}")
    flow.tag("{%p if block.kind == 'h' %}")
    styled_runs(flow.p("Heading 2"))
    flow.tag("{%p elif block.kind == 'li' %}")
    item = flow.p("Letter List")
    item.add_run("{{ (block.number ~ '.') if block.number else '•' }}\t")
    styled_runs(item)
    flow.tag("{%p elif block.kind == 'table' %}")
    body_table(flow, width)
    flow.tag("{%p else %}")
    styled_runs(flow.p("Normal"))
    flow.tag("{%p endif %}")
    flow.tag("{%p endfor %}")
    flow.p("Letter Closing", "{{ letter.closing }}")
    flow.p("Letter Signature Space")
    signatory = flow.p("Letter Closing", "{{ letter.signatory }}")
    signatory.runs[0].bold = True
    flow.tag("{%p if letter.signatory_role %}")
    flow.p("Letter Closing", "{{ letter.signatory_role }}")
    flow.tag("{%p endif %}")


def footer(section: Any) -> None:
    section.different_first_page_header_footer = True
    part = section.footer
    part.is_linked_to_previous = False
    paragraph = Flow(part).p("Letter Footer", "{{ letter.pupil }} · {{ letter.reference }}\t"
                                              "Page ")
    field(paragraph, "PAGE", "2")
    first = section.first_page_footer
    first.is_linked_to_previous = False
    Flow(first).p("Letter Footer")


def build() -> bytes:
    doc = new_document()
    setup_styles(doc)
    section = doc.sections[0]
    short, long = A4
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Twips(short), Twips(long)
    section.left_margin, section.right_margin = Twips(LEFT), Twips(RIGHT)
    section.top_margin, section.bottom_margin = Twips(794), Twips(1020)
    section.header_distance = section.footer_distance = Twips(454)
    width = short - LEFT - RIGHT
    footer(section)
    body(doc, width)
    clean_package(doc)
    prune_styles(doc)
    sort_properties(doc.element)
    sort_properties(doc.styles.element)
    for part in (section.footer, section.first_page_footer):
        sort_properties(part._element)
    out = io.BytesIO()
    doc.save(out)
    return reproducible(out.getvalue())


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else OUT_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    data = build()
    (out_dir / "letter.docx").write_bytes(data)
    print(f"wrote {out_dir / 'letter.docx'} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
