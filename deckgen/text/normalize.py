"""Whitespace and typography normalization, str -> str."""

from __future__ import annotations

import re
import unicodedata

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
# Bidirectional embedding, override and isolate controls: they reorder what a line shows.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_bidi(text: str) -> str:
    """`text` without bidi override characters (a question must read as it is stored)."""
    return _BIDI_CONTROLS.sub("", text)


def normalize_text(text: str) -> str:
    """Unify line endings, drop zero-width characters, turn exotic spaces into spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _SPACES.sub(" ", text)
    return unicodedata.normalize("NFC", text)
