"""The one exception the readers raise: a file docgen cannot read at all (exit code 2)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from docgen.files import FileProblem, regular_chunks


class UnreadableInput(Exception):
    """A file that is missing, of the wrong kind, locked, too large or has no usable sheet."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def read_checked(path: Path, *, max_bytes: int, what: str, head: int | None = None) -> bytes:
    """The file's bytes, or its first ``head`` bytes. Anything but a regular file (a folder, a
    named pipe, a device, a link loop), a missing or unreadable file, or one larger than
    ``max_bytes`` (``what`` names the kind) is UnreadableInput. Never blocks on a pipe, and
    reads at most ``max_bytes`` whatever size the file system reports."""
    return b"".join(checked_chunks(path, max_bytes=max_bytes, what=what, head=head))


def checked_chunks(path: Path, *, max_bytes: int, what: str,
                   head: int | None = None) -> Iterator[bytes]:
    """``read_checked`` a chunk at a time."""
    try:
        yield from regular_chunks(path, max_bytes=max_bytes, head=head)
    except FileProblem as exc:
        if exc.too_large:
            raise UnreadableInput(
                str(path), f"is too large for {what} (at most {max_bytes // 1_000_000} MB); "
                "split it into smaller files."
            ) from None
        raise UnreadableInput(str(path), exc.message) from None


ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SNIFF_BYTES = 2048


def sniff(head: bytes) -> str:
    """What a file holds, from its first bytes: "empty", "zip" (an .xlsx, a .docx ...), "ole"
    (an old .xls or .doc), "pdf", "json", "html", "csv", "text", or "" when unknown."""
    if not head:
        return "empty"
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return ""
        text = head[: exc.start].decode("utf-8-sig")
    text = text.lstrip()
    if not text:
        return "text"
    if text[0] in "{[":
        return "json"
    lower = text[:200].lower()
    if lower.startswith(("<!doctype html", "<html", "<table", "<?xml")):
        return "html"
    first = text.splitlines()[0] if text.splitlines() else ""
    if any(sep in first for sep in (",", ";", "\t")):
        return "csv"
    return "text" if all(ch.isprintable() or ch in "\r\n\t" for ch in text[:500]) else ""


def not_a_workbook(head: bytes) -> str:
    """What to say of a file named .xlsx that is not a workbook, from what it really holds."""
    kind = sniff(head)
    return {
        "empty": "is empty (0 bytes): it was not saved, or was copied while still open. Open "
                 "the original in Excel and save it again.",
        "csv": "is a CSV file (comma-separated text) with an .xlsx name, not an Excel "
               "workbook. Open it in Excel and save it with File > Save As > Excel Workbook "
               "(.xlsx).",
        "json": "holds JSON text, not an Excel workbook: rename it to end in .json.",
        "html": "is a web page (HTML) with an .xlsx name, not an Excel workbook. Open it in "
                "Excel and save it with File > Save As > Excel Workbook (.xlsx).",
        "pdf": "is a PDF document, not an Excel workbook: give docgen the workbook itself.",
        "text": "is a text file, not an Excel workbook. Open it in Excel and save it with "
                "File > Save As > Excel Workbook (.xlsx).",
    }.get(kind, "is not an Excel .xlsx workbook (it may be damaged). Open it in Excel and save "
                "it again as an Excel Workbook (.xlsx).")


def not_json(head: bytes) -> str | None:
    """What to say of a file named .json that plainly is not JSON text, or None."""
    kind = sniff(head)
    return {
        "empty": "is empty (0 bytes): it was not saved, or was copied while still open.",
        "zip": "is an Excel workbook (or another zip file) with a .json name: if it is a "
               "workbook, rename it to end in .xlsx.",
        "ole": "is an old Excel or Word file, not JSON text.",
        "pdf": "is a PDF document, not JSON text.",
        "csv": "is a CSV file (comma-separated text), not JSON: open it in Excel and save "
               "it as an Excel Workbook (.xlsx).",
    }.get(kind)
