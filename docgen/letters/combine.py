"""One PDF of many letters, for the office to print: each letter on a new sheet (with
``duplex``, a blank page after a letter of an odd number of pages, so that every letter starts
on the front of a sheet).

Written as it goes, a letter at a time: memory does not grow with the number of letters. Each
object is written once: the letters' fonts (the same in every letter, see ``pdf``) and a
school's logo are shared, so a thousand one-page letters make a small file.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

_SKIPPED = ("/Parent", "/P", "/StructParents", "/StructParent")


class _Writer:
    """A PDF written object by object: the catalogue (1) and the page tree (2) last."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.offsets: dict[int, int] = {}
        self.next = 3
        self.seen: dict[bytes, int] = {}  # an object's bytes -> its number: each written once
        self.kids: list[int] = []
        self.out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def write(self, obj: Any) -> int:
        """Write ``obj`` (its references already renumbered); an identical object already
        written is used instead."""
        buffer = io.BytesIO()
        obj.write_to_stream(buffer)
        data = buffer.getvalue()
        key = hashlib.sha256(data).digest()
        number = self.seen.get(key)
        if number is not None:
            return number
        number = self.next
        self.next += 1
        self._put(number, data)
        self.seen[key] = number
        return number

    def _put(self, number: int, data: bytes) -> None:
        self.offsets[number] = self.out.tell()
        self.out.write(f"{number} 0 obj\n".encode() + data + b"\nendobj\n")

    def page(self, page: DictionaryObject) -> None:
        page[NameObject("/Parent")] = IndirectObject(2, 0, None)
        number = self.next
        self.next += 1
        buffer = io.BytesIO()
        page.write_to_stream(buffer)
        self._put(number, buffer.getvalue())  # pages are never shared
        self.kids.append(number)

    def finish(self, title: str) -> None:
        pages = DictionaryObject({
            NameObject("/Type"): NameObject("/Pages"),
            NameObject("/Kids"): ArrayObject(IndirectObject(k, 0, None)
                                             for k in self.kids),
            NameObject("/Count"): NumberObject(len(self.kids)),
        })
        catalog = DictionaryObject({NameObject("/Type"): NameObject("/Catalog"),
                                    NameObject("/Pages"): IndirectObject(2, 0, None)})
        info = DictionaryObject({NameObject("/Title"): TextStringObject(title),
                                 NameObject("/Producer"): TextStringObject("docgen"),
                                 NameObject("/Creator"): TextStringObject("docgen")})
        for number, obj in ((1, catalog), (2, pages)):
            buffer = io.BytesIO()
            obj.write_to_stream(buffer)
            self._put(number, buffer.getvalue())
        info_number = self.write(info)
        start = self.out.tell()
        size = self.next
        lines = [f"xref\n0 {size}\n".encode(), b"0000000000 65535 f \n"]
        for number in range(1, size):
            offset = self.offsets.get(number)
            lines.append(f"{offset:010d} 00000 n \n".encode() if offset is not None
                         else b"0000000000 65535 f \n")
        self.out.write(b"".join(lines))
        self.out.write(f"trailer\n<< /Size {size} /Root 1 0 R /Info {info_number} 0 R >>\n"
                       f"startxref\n{start}\n%%EOF\n".encode())


class _Copier:
    """Copies one letter's objects into the writer, renumbered."""

    def __init__(self, writer: _Writer, reader: PdfReader) -> None:
        self.writer = writer
        self.reader = reader
        self.done: dict[tuple[int, int], int] = {}

    def ref(self, ref: IndirectObject) -> Any:
        key = (ref.idnum, ref.generation)
        number = self.done.get(key)
        if number is None:
            target = ref.get_object()
            if isinstance(target, DictionaryObject) and target.get("/Type") == "/Page":
                return NullObject()  # a link to a page: not kept
            number = self.writer.write(self.copy(target))
            self.done[key] = number
        return IndirectObject(number, 0, None)

    def copy(self, obj: Any) -> Any:
        if isinstance(obj, IndirectObject):
            return self.ref(obj)
        if isinstance(obj, StreamObject):
            new = StreamObject()
            for key, value in obj.items():
                if key not in _SKIPPED:
                    new[NameObject(key)] = self.copy(value)
            new._data = obj._data  # as stored: still compressed, with its /Filter
            return new
        if isinstance(obj, DictionaryObject):
            return DictionaryObject({NameObject(k): self.copy(v) for k, v in obj.items()
                                     if k not in _SKIPPED})
        if isinstance(obj, ArrayObject):
            return ArrayObject(self.copy(v) for v in obj)
        return obj


def combine_pdfs(paths: Iterable[Path], target: Path, *, duplex: bool = False,
                 title: str = "Letters") -> int:
    """Write the PDFs at ``paths`` one after another into ``target``; returns the number of
    pages (blank ones included)."""
    with target.open("wb") as out:
        writer = _Writer(out)
        for path in paths:
            reader = PdfReader(path)
            copier = _Copier(writer, reader)
            size: Any = None
            count = 0
            for page in reader.pages:
                size = page.mediabox
                writer.page(copier.copy(page.get_object()))
                count += 1
            if duplex and count % 2:
                writer.page(_blank(size))
        writer.finish(title)
        return len(writer.kids)


def _blank(size: Any) -> DictionaryObject:
    box = ArrayObject(size) if size is not None else ArrayObject(
        [NumberObject(0), NumberObject(0), FloatObject(595.275591), FloatObject(841.889764)])
    return DictionaryObject({NameObject("/Type"): NameObject("/Page"),
                             NameObject("/MediaBox"): box,
                             NameObject("/Resources"): DictionaryObject()})
