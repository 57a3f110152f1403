"""Excel's (and Word's) ``~$`` lock files: made beside a document while it is open, they are
not forms. Found in a folder they are skipped; named on the command line they are refused,
with the name of the file to open instead."""

from __future__ import annotations

from pathlib import Path


def is_lock_file(path: Path) -> bool:
    return path.name.startswith("~$")


def lock_file_message(path: Path) -> str:
    """What to say of Excel's (or Word's) ``~$`` lock file: which file to open instead."""
    rest = path.name[2:]
    owner = next((p for p in sorted(path.parent.glob(f"*{rest}"))
                  if not is_lock_file(p) and p.name.endswith(rest)), None) \
        if rest and "*" not in rest and "?" not in rest and "[" not in rest else None
    target = (f"open {owner.name} instead" if owner
              else f"open the workbook itself (its name ends in '{rest}')")
    return f"this is Excel's temporary lock file, made while a workbook is open; {target}"
