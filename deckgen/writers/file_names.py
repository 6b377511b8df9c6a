"""Output file names: one rule for the .apkg and the PDFs of a deck.

Below both writers, so the PDF writer needs nothing from the Anki one."""

from __future__ import annotations

import re

from deckgen.text.normalize import strip_bidi


def package_file_name(name: str) -> str:
    """A file name for a deck name: "ML::Stats" -> "ML-Stats"."""
    # quotes are dropped ('My "best" deck' -> 'My best deck'); other unsafe runs become "-"
    return re.sub(r'[\\/:*?<>|\x00-\x1f]+', "-", strip_bidi(name).replace('"', "")).strip(" .-") or "deck"
