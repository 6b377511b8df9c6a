"""Fonts for the PDFs: find a Unicode TrueType family, register and embed it.

Why DejaVu: it covers what study notes use (Greek, arrows, ≤ ≥, ✓, smart quotes,
math operators) under a free licence, it is in the base image of the machines this
project runs on (Debian's fonts-dejavu-core), most Linux desktops have it, and
matplotlib ships the same files, so a machine with matplotlib installed has it too
without adding a heavy dependency. Last resort: reportlab's bundled Bitstream Vera
(Latin only); then `FontSet.degraded` says so and uncovered characters fall back to
readable text instead of black boxes.

Characters the chosen font lacks (emoji mostly) are replaced by `printable()`:
a look-alike glyph when one exists (✅ → ✓), else the character's name in brackets
([rocket]), so nothing prints as a box and nothing disappears silently.
"""

from __future__ import annotations

import importlib.util
import os
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

SANS_FILES = {  # style -> candidate file names, best first
    "regular": ("DejaVuSans.ttf",),
    "bold": ("DejaVuSans-Bold.ttf",),
    "italic": ("DejaVuSans-Oblique.ttf",),
    "bolditalic": ("DejaVuSans-BoldOblique.ttf",),
}
MONO_FILES = {"regular": ("DejaVuSansMono.ttf",), "bold": ("DejaVuSansMono-Bold.ttf",)}

FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
    "/usr/share/fonts/truetype", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
    "/Library/Fonts", "~/Library/Fonts", "/opt/homebrew/share/fonts", "C:/Windows/Fonts",
)

# Emoji and dingbats that have a plain look-alike in DejaVu.
LOOKALIKES = {
    "✅": "✓", "✔": "✓", "☑": "✓", "❌": "✗", "❎": "✗", "✖": "✗", "⭐": "★", "🌟": "★",
    "⚠": "!", "❗": "!", "❓": "?", "➡": "→", "⬅": "←", "⬆": "↑", "⬇": "↓", "👉": "→",
    "🔹": "•", "🔸": "•", "▪": "•", "🔑": "•", "📌": "•", "💡": "•",
}
# Invisible joiners and selectors that only shape emoji: dropped.
INVISIBLE = {"\ufe0e", "\ufe0f", "\u200d", "\u20e3"}


@dataclass
class FontSet:
    """Registered font names for body text, bold, italic and code."""

    regular: str
    bold: str
    italic: str
    bolditalic: str
    mono: str
    mono_bold: str
    files: list[str] = field(default_factory=list)
    degraded: bool = False
    _covered: dict[str, frozenset[int]] = field(default_factory=dict, repr=False)

    def covers(self, font: str, char: str) -> bool:
        covered = self._covered.get(font)
        return covered is None or ord(char) in covered


def _candidate_dirs() -> list[Path]:
    dirs = [Path(os.path.expanduser(d)) for d in FONT_DIRS]
    spec = importlib.util.find_spec("matplotlib")  # locate, never import (slow)
    if spec and spec.origin:
        dirs.append(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf")
    return [d for d in dirs if d.is_dir()]


def _find(names: tuple[str, ...], dirs: list[Path]) -> Path | None:
    for d in dirs:
        for name in names:
            if (d / name).is_file():
                return d / name
    for d in dirs:  # one level deeper (e.g. /usr/share/fonts/truetype/<family>/)
        for name in names:
            hits = sorted(d.glob(f"*/{name}"))
            if hits:
                return hits[0]
    return None


@lru_cache(maxsize=1)
def fonts() -> FontSet:
    """Find, register (once per process) and describe the fonts to use."""
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.pdfmetrics import registerFontFamily
    from reportlab.pdfbase.ttfonts import TTFont

    dirs = _candidate_dirs()
    found = {style: _find(names, dirs) for style, names in SANS_FILES.items()}
    mono = {style: _find(names, dirs) for style, names in MONO_FILES.items()}
    degraded = found["regular"] is None
    if degraded:
        vera = Path(reportlab.__file__).parent / "fonts"
        found = {"regular": vera / "Vera.ttf", "bold": vera / "VeraBd.ttf",
                 "italic": vera / "VeraIt.ttf", "bolditalic": vera / "VeraBI.ttf"}
    # styles the system lacks borrow the nearest one we have
    found["bold"] = found["bold"] or found["regular"]
    found["italic"] = found["italic"] or found["regular"]
    found["bolditalic"] = found["bolditalic"] or found["bold"]

    names: dict[str, str] = {}
    covered: dict[str, frozenset[int]] = {}
    files: list[str] = []
    for style, path in found.items():
        name = f"DeckSans-{style}"
        font = TTFont(name, str(path))
        pdfmetrics.registerFont(font)
        names[style] = name
        covered[name] = frozenset(font.face.charToGlyph)
        files.append(str(path))
    registerFontFamily("DeckSans", normal=names["regular"], bold=names["bold"],
                       italic=names["italic"], boldItalic=names["bolditalic"])
    if mono["regular"] is not None:
        mono["bold"] = mono["bold"] or mono["regular"]
        for style, path in mono.items():
            name = f"DeckMono-{style}"
            font = TTFont(name, str(path))
            pdfmetrics.registerFont(font)
            covered[name] = frozenset(font.face.charToGlyph)
            files.append(str(path))
        mono_names = ("DeckMono-regular", "DeckMono-bold")
        registerFontFamily("DeckMono", normal=mono_names[0], bold=mono_names[1],
                           italic=mono_names[0], boldItalic=mono_names[1])
    else:  # no Unicode monospace: Courier (not embedded, Latin-1 only)
        mono_names = ("Courier", "Courier-Bold")
        covered["Courier"] = covered["Courier-Bold"] = frozenset(range(32, 256))
        degraded = True
    return FontSet(names["regular"], names["bold"], names["italic"], names["bolditalic"],
                   mono_names[0], mono_names[1], files, degraded, covered)


def _fallback(char: str) -> str:
    if char in LOOKALIKES:
        return LOOKALIKES[char]
    name = unicodedata.name(char, "")
    if unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs", "Cn") or not name:
        return ""
    return f"[{name.lower()}]"


def printable(text: str, font: str) -> str:
    """`text` with every character `font` cannot draw replaced by a look-alike or its
    name; control and format characters (other than tab/newline) dropped."""
    fs = fonts()
    covered = fs._covered.get(font)
    if covered is None:
        return text
    if covered.issuperset(map(ord, text.replace("\n", "").replace("\t", ""))):
        return text
    out = []
    for char in text:
        if char in "\n\t" or ord(char) in covered:
            out.append(char)
        elif char in INVISIBLE:
            continue
        else:
            alt = _fallback(char)
            if alt and not all(ord(c) in covered for c in alt):
                # the look-alike is missing too: say the name, in plain ASCII
                alt = f"[{unicodedata.name(char, 'symbol').lower()}]"
            out.append(alt)
    return "".join(out)
