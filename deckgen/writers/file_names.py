"""Output file names: one rule for the .apkg and the PDFs of a deck.

Below both writers, so the PDF writer needs nothing from the Anki one. (On this
branch anki.py still has its own copy; main has moved it to anki_fields.py, which
should import it from here once merged.)"""

from __future__ import annotations

import re


def package_file_name(name: str) -> str:
    """A file name for a deck name: "ML::Stats" -> "ML-Stats"."""
    # quotes are dropped ('My "best" deck' -> 'My best deck'); other unsafe runs become "-"
    return re.sub(r'[\\/:*?<>|\x00-\x1f]+', "-", name.replace('"', "")).strip(" .-") or "deck"
