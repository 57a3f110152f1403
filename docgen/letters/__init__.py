"""Letters: every letter a visit or an attendance record calls for, for every parent, made in
batches on the pipeline and recorded in the register (``docgen letters``)."""

from __future__ import annotations

from docgen.letters.batch import LetterResult, letters

__all__ = ["LetterResult", "letters"]
