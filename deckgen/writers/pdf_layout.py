"""Options and page geometry shared by the cheat sheet and the flashcards."""

from __future__ import annotations

from dataclasses import dataclass

MM = 72 / 25.4  # points per millimetre


@dataclass(frozen=True)
class PdfOptions:
    """What `deckgen build` passes to the PDF writers."""

    title: str = "ML Interview"
    paper: str = "a4"  # a4 | letter
    landscape: bool = False  # cheat sheet: landscape, 3 columns
    columns: int | None = None  # cheat sheet columns (default 2 portrait, 3 landscape)
    include_unanswered: bool = False  # cheat sheet: appendix of unanswered questions
    grid: tuple[int, int] = (2, 4)  # flashcards: columns x rows per page
    short_edge: bool = False  # flashcards: duplex flipped on the short edge
    min_size: float = 6.5  # flashcards: smallest answer text (points) before overflowing
    cache: bool = True  # reuse what earlier builds worked out for unchanged answers (pdf_cache.py)

    def page_size(self, landscape: bool | None = None) -> tuple[float, float]:
        from reportlab.lib.pagesizes import A4, LETTER
        from reportlab.lib.pagesizes import landscape as turn

        size = {"a4": A4, "letter": LETTER}.get(self.paper.lower())
        if size is None:
            raise ValueError(f"paper must be a4 or letter, not {self.paper!r}")
        use_landscape = self.landscape if landscape is None else landscape
        return turn(size) if use_landscape else size

    @property
    def column_count(self) -> int:
        return self.columns or (3 if self.landscape else 2)


def parse_grid(text: str) -> tuple[int, int]:
    """"2x4" -> (2, 4): columns x rows of flashcards per page."""
    parts = text.lower().replace("×", "x").split("x")
    try:
        cols, rows = (int(p) for p in parts)
    except ValueError:
        raise ValueError(f"grid must look like 2x4 (columns x rows), not {text!r}") from None
    if not (1 <= cols <= 6 and 1 <= rows <= 8):
        raise ValueError(f"grid {text!r} is out of range (1-6 columns, 1-8 rows)")
    return cols, rows


def collection_of(source: str) -> str:
    """The collection a card belongs to: its file (a repo dump, not the inner path)."""
    return source.split("::", 1)[0] or "(unknown source)"


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """`text` if it is at most `width` wide, else its longest start (dropping at least
    two characters) followed by "…" that is; "" when not even "…" fits."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    low, high = -1, len(text) - 2  # longest kept start: known to fit at low, unknown up to high
    while low < high:
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle] + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low] + "…" if low >= 0 else ""
