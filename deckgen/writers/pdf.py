"""Printable PDFs: the cheat sheet and the duplex flashcards (reportlab, no TeX, no browser).

The work is split by concern:
  pdf_fonts.py      find, register and embed a Unicode TTF family; replace missing glyphs
  pdf_math.py       LaTeX -> Unicode text
  pdf_markdown.py   card markdown -> size-free blocks -> reportlab flowables
  pdf_flowables.py  paragraphs that keep their line breaks, code blocks, scalers
  pdf_cheatsheet.py dense columns, contents, bookmarks, unanswered appendix
  pdf_flashcards.py N-up duplex grid, cut marks, overflow cards
This module is the writers' face: file names, atomic writes, and `write_pdfs`, which
writes both PDFs at once (in two processes when the machine has more than one core).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from deckgen.card import Card
from deckgen.writers.file_names import package_file_name
from deckgen.writers.pdf_layout import PdfOptions, parse_grid

__all__ = ["PdfOptions", "PdfResult", "parse_grid", "pdf_paths", "write_cheatsheet_pdf", "write_flashcards_pdf",
           "write_pdfs"]


@dataclass
class PdfResult:
    path: Path
    pages: int
    cards: int
    degraded_fonts: bool = False


def pdf_paths(out_dir: str | Path, name: str) -> tuple[Path, Path]:
    """build/<name>-cheatsheet.pdf and build/<name>-cards.pdf (same file-name rule as the .apkg)."""
    base = package_file_name(name)
    out_dir = Path(out_dir)
    return out_dir / f"{base}-cheatsheet.pdf", out_dir / f"{base}-cards.pdf"


def write_cheatsheet_pdf(cards: list[Card], path: str | Path, options: PdfOptions = PdfOptions()) -> PdfResult:
    """Write the cheat sheet atomically (a failed build leaves the old file in place)."""
    from deckgen.writers import atomic_path
    from deckgen.writers.pdf_cache import prepare_blocks
    from deckgen.writers.pdf_cheatsheet import write_cheatsheet
    from deckgen.writers.pdf_fonts import fonts

    prepare_blocks((c.answer for c in cards if c.answered), options.cache)
    with atomic_path(path) as tmp:
        pages = write_cheatsheet(cards, tmp, options)
    return PdfResult(Path(path), pages, sum(c.answered for c in cards), fonts().degraded)


def write_flashcards_pdf(cards: list[Card], path: str | Path, options: PdfOptions = PdfOptions()) -> PdfResult:
    """Write the duplex flashcards atomically."""
    from deckgen.writers import atomic_path
    from deckgen.writers.pdf_cache import prepare_blocks
    from deckgen.writers.pdf_flashcards import write_flashcards
    from deckgen.writers.pdf_fonts import fonts

    prepare_blocks((c.answer for c in cards if c.answered), options.cache)
    with atomic_path(path) as tmp:
        pages = write_flashcards(cards, tmp, options)
    return PdfResult(Path(path), pages, sum(c.answered for c in cards), fonts().degraded)


WRITERS = {"cheatsheet": write_cheatsheet_pdf, "cards": write_flashcards_pdf}


def write_pdfs(cards: list[Card], jobs: list[tuple[str, str | Path]],
               options: PdfOptions = PdfOptions()) -> list[PdfResult]:
    """Write each (kind, path) of `jobs` ("cheatsheet" or "cards"); results in that order.

    Two PDFs on a machine with more than one core: the last one is written in a
    forked process while this one writes the first. The answers are parsed and the
    fonts loaded before the fork, so both PDFs share that work."""
    for kind, _path in jobs:
        if kind not in WRITERS:
            raise ValueError(f"unknown PDF {kind!r} (cheatsheet or cards)")
    if len(jobs) < 2 or not _can_fork_in_parallel():
        return [WRITERS[kind](cards, path, options) for kind, path in jobs]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from deckgen.writers.pdf_cache import prepare_blocks

    prepare_blocks((c.answer for c in cards if c.answered), options.cache)  # loads the fonts too
    *here, (kind, path) = jobs
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                             initializer=_own_std_streams) as pool:
        there = pool.submit(WRITERS[kind], cards, path, options)
        results = [WRITERS[k](cards, p, options) for k, p in here]
        return results + [there.result()]


def _own_std_streams() -> None:
    """In the forked process: standard streams of its own. A thread of the parent (a
    progress spinner) may have held a stream's lock at the fork; flushing that copy
    when the process ends would wait for it forever. The child prints nothing."""
    import sys

    sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (lives as long as the process)


def _can_fork_in_parallel() -> bool:
    import multiprocessing
    import sys

    if sys.platform == "darwin":  # fork is unsafe there (system frameworks); one process
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores > 1 and "fork" in multiprocessing.get_all_start_methods()
