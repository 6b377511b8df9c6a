"""Printable PDFs: the cheat sheet and the duplex flashcards (reportlab, no TeX, no browser).

The work is split by concern:
  pdf_fonts.py      find, register and embed a Unicode TTF family; replace missing glyphs
  pdf_math.py       LaTeX -> Unicode text
  pdf_markdown.py   card markdown -> reportlab flowables (lists, code, tables, math)
  pdf_cheatsheet.py dense columns, contents, bookmarks, unanswered appendix
  pdf_flashcards.py N-up duplex grid, cut marks, overflow cards
This module is the writers' face: file names and atomic writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from deckgen.card import Card
from deckgen.writers.pdf_layout import PdfOptions, parse_grid

__all__ = ["PdfOptions", "PdfResult", "parse_grid", "pdf_paths", "write_cheatsheet_pdf", "write_flashcards_pdf"]


@dataclass
class PdfResult:
    path: Path
    pages: int
    cards: int
    degraded_fonts: bool = False


def pdf_paths(out_dir: str | Path, name: str) -> tuple[Path, Path]:
    """build/<name>-cheatsheet.pdf and build/<name>-cards.pdf (same file-name rule as the .apkg)."""
    from deckgen.writers.anki import package_file_name

    base = package_file_name(name)
    out_dir = Path(out_dir)
    return out_dir / f"{base}-cheatsheet.pdf", out_dir / f"{base}-cards.pdf"


def write_cheatsheet_pdf(cards: list[Card], path: str | Path, options: PdfOptions = PdfOptions()) -> PdfResult:
    """Write the cheat sheet atomically (a failed build leaves the old file in place)."""
    from deckgen.writers import atomic_path
    from deckgen.writers.pdf_cheatsheet import write_cheatsheet
    from deckgen.writers.pdf_fonts import fonts

    with atomic_path(path) as tmp:
        pages = write_cheatsheet(cards, tmp, options)
    return PdfResult(Path(path), pages, sum(c.answered for c in cards), fonts().degraded)


def write_flashcards_pdf(cards: list[Card], path: str | Path, options: PdfOptions = PdfOptions()) -> PdfResult:
    """Write the duplex flashcards atomically."""
    from deckgen.writers import atomic_path
    from deckgen.writers.pdf_flashcards import write_flashcards
    from deckgen.writers.pdf_fonts import fonts

    with atomic_path(path) as tmp:
        pages = write_flashcards(cards, tmp, options)
    return PdfResult(Path(path), pages, sum(c.answered for c in cards), fonts().degraded)
