"""Printable duplex flashcards: an N-up grid of questions, answers on the next page.

Page 1 explains the printer settings, page 2 is blank so every sheet of cards starts
on a front side. Then pages alternate: questions (front), answers (back). On the
back page each answer sits where the sheet turned over puts it behind its question:
long-edge duplex mirrors the columns, short-edge duplex mirrors the rows.

A long answer shrinks step by step down to `PdfOptions.min_size`; if it still does
not fit it continues on extra cards, each marked "continued k/n" on both sides.
Nothing is cut off: a block that cannot be split and is taller than a whole card is
scaled down to fit.

An answer is turned into flowables once, at the largest size. Every length in its
layout grows with the text size, so the answer at a smaller size is that layout in a
box as much larger, drawn scaled down: trying a size costs one line breaking, and
the answers that do not fit are measured only as far as the box reaches.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from deckgen.card import Card
from deckgen.writers.pdf_cache import Store, key
from deckgen.writers.pdf_flowables import MUTED, Scaled, ShrinkToFit
from deckgen.writers.pdf_fonts import fonts
from deckgen.writers.pdf_layout import MM, PdfOptions, collection_of, fit_text
from deckgen.writers.pdf_markdown import answer_blocks, block_flowables, paragraph_style, text_markup

MARGIN = 10 * MM  # room for the cut marks
PAD = 3.5 * MM  # inside each card, so a slightly misaligned duplex print stays readable
BAND = 7.0  # points of text size for the small header/footer lines
ANSWER_SIZES = (9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0, 5.5)
QUESTION_SIZES = (14, 13, 12, 11, 10, 9, 8, 7)


@dataclass(frozen=True)
class Grid:
    """Where card slot i sits on a front page and on the back page behind it."""

    page_width: float
    page_height: float
    cols: int
    rows: int
    short_edge: bool = False

    @property
    def cell_width(self) -> float:
        return (self.page_width - 2 * MARGIN) / self.cols

    @property
    def cell_height(self) -> float:
        return (self.page_height - 2 * MARGIN) / self.rows

    @property
    def per_page(self) -> int:
        return self.cols * self.rows

    def _rect(self, col: int, row: int) -> tuple[float, float, float, float]:
        # row 0 is the top row; PDF y grows upwards
        x = MARGIN + col * self.cell_width
        y = self.page_height - MARGIN - (row + 1) * self.cell_height
        return x, y, self.cell_width, self.cell_height

    def front(self, slot: int) -> tuple[float, float, float, float]:
        return self._rect(slot % self.cols, slot // self.cols)

    def back(self, slot: int) -> tuple[float, float, float, float]:
        col, row = slot % self.cols, slot // self.cols
        if self.short_edge:
            return self._rect(col, self.rows - 1 - row)
        return self._rect(self.cols - 1 - col, row)


@dataclass
class Face:
    """One physical card: the question side and the answer side."""

    number: int  # the card's number in the deck, printed on both sides
    card: Card
    answer: list  # flowables for this card's share of the answer
    part: int = 1
    parts: int = 1
    scale: float = 1.0  # the answer's flowables are drawn at this scale


def paginate(flowables: list, width: float, height: float, most: int | None = None) -> list[list]:
    """Split flowables into chunks that each fit a `width` x `height` box. With `most`,
    stops once more than `most` chunks are certain (the rest is not laid out)."""
    chunks: list[list] = []
    current: list = []
    used = 0.0
    queue = list(flowables)
    while queue:
        if most is not None and len(chunks) >= most:  # queue holds what needs one more chunk
            return chunks + [queue]
        f = queue.pop(0)
        space = f.getSpaceBefore() if current else 0.0
        _w, h = f.wrap(width, height)
        if used + space + h <= height + 0.01:
            current.append(f)
            used += space + h + f.getSpaceAfter()
            continue
        parts = f.split(width, height - used - space) if height - used - space > 0 else []
        if len(parts) >= 2:
            parts[0].wrap(width, height)
            current.append(parts[0])
            queue[0:0] = parts[1:]
        elif current:
            queue.insert(0, f)
        else:  # taller than a whole card and unsplittable: scale it down, never cut it
            current.append(ShrinkToFit(f, height))
        chunks.append(current)
        current, used = [], 0.0
    if current:
        chunks.append(current)
    return chunks or [[]]


def _answer_box(grid: Grid) -> tuple[float, float]:
    band = BAND * 1.25
    return grid.cell_width - 2 * PAD, grid.cell_height - 2 * PAD - 2 * band


def _height(flowables: list, width: float, limit: float) -> float:
    """Total height of `flowables` stacked in `width` (stops counting past `limit`)."""
    total = 0.0
    for i, f in enumerate(flowables):
        total += (f.getSpaceBefore() if i else 0.0) + f.wrap(width, 10_000)[1] + f.getSpaceAfter()
        if total > limit:
            break
    return total


class _Sizes:
    """One answer's flowables, measured at each text size as the same layout in a
    box scaled by the largest size over that size. Tables and rules, whose paddings
    and lines keep their size, are laid out again at each size (they are few)."""

    def __init__(self, answer: str, sizes: list[float], width: float, height: float):
        self.sizes, self.width, self.height = sizes, width, height
        self.blocks = answer_blocks(answer)
        self._base = [block_flowables(b, sizes[0], width, height) for b in self.blocks]
        self._at: dict[int, list] = {0: [f for group in self._base for f in group]}
        self._fits: dict[int, bool] = {}

    @property
    def flowables(self) -> list:
        return self._at[0]

    def flowables_at(self, index: int) -> list:
        if index not in self._at:
            grow = self.sizes[0] / self.sizes[index]
            out: list = []
            for block, base in zip(self.blocks, self._base):
                if block.kind in ("table", "hr"):
                    out.extend(Scaled(f, grow) for f in block_flowables(block, self.sizes[index], self.width, self.height))
                else:
                    out.extend(base)
            self._at[index] = out
        return self._at[index]

    def box(self, index: int) -> tuple[float, float]:
        grow = self.sizes[0] / self.sizes[index]
        return self.width * grow, self.height * grow

    def scale(self, index: int) -> float:
        return self.sizes[index] / self.sizes[0]

    def fits(self, index: int) -> bool:
        if index not in self._fits:
            width, height = self.box(index)
            self._fits[index] = _height(self.flowables_at(index), width, height) <= height
        return self._fits[index]

    def chunks(self, index: int, most: int | None = None) -> list[list]:
        return paginate(self.flowables_at(index), *self.box(index), most)

    def index_at_most(self, size: float) -> int:
        return next((i for i, s in enumerate(self.sizes) if s <= size), len(self.sizes) - 1)


MEASURE_CARDS = 12  # the first measurement stops after this many cards' worth of answer


def faces_for(card: Card, number: int, grid: Grid, min_size: float, sizes: Store | None = None) -> list[Face]:
    """The physical card(s) for one card: one if the answer fits at a readable size.

    Tries the largest size first; if it is too tall, jumps to the size the area ratio
    predicts (text height grows about with the square of its size) and walks from
    there, so most answers are measured once or twice, not once per size. `sizes`
    remembers the size chosen for an answer in this box from one build to the next."""
    width, height = _answer_box(grid)
    layout = _Sizes(card.answer, [s for s in ANSWER_SIZES if s >= min_size] or [min_size], width, height)
    entry = key(card.answer, width, height, layout.sizes)
    known = sizes.get(entry) if sizes else None
    if isinstance(known, int) and 0 <= known < len(layout.sizes):
        index, chunks = known, layout.chunks(known)
    else:
        index, chunks = _choose_size(layout)
    if sizes:
        sizes.put(entry, index)
    scale = layout.scale(index)
    return [Face(number, card, chunk, i + 1, len(chunks), scale) for i, chunk in enumerate(chunks)]


def _choose_size(layout: _Sizes) -> tuple[int, list[list]]:
    """(size index, chunks): the largest size that fits one card, else the largest that
    takes no more cards than the smallest size does."""
    needed = _height(layout.flowables, layout.width, layout.height * MEASURE_CARDS)
    index = 0 if needed <= layout.height else _largest_fitting(layout, needed)
    chunks = layout.chunks(index)
    if len(chunks) > 1:
        index, chunks = _largest_with(layout, chunks, needed)
    return index, chunks


def _largest_fitting(layout: _Sizes, needed: float) -> int:
    """The largest size at which the answer fits one card (else the smallest size),
    walking from the area-ratio guess."""
    index = layout.index_at_most(layout.sizes[0] * (layout.height / needed) ** 0.5)
    last = len(layout.sizes) - 1
    while True:
        fits = layout.fits(index)
        if fits and index > 0:  # the guess may be pessimistic: one size up?
            if layout.fits(index - 1):
                index -= 1
                continue
            return index
        if fits or index == last:
            return index
        index += 1


def _largest_with(layout: _Sizes, chunks: list[list], needed: float) -> tuple[int, list[list]]:
    """An answer that needs len(chunks) cards at the smallest size: lay it out at the
    largest size that still takes only that many cards (no near-empty last card).

    Starts one size above the area-ratio guess. When the first measurement stopped
    early (a very long answer), the guess comes from how full the last card is at the
    smallest size instead (each try lays out the whole text)."""
    count = len(chunks)
    if needed < layout.height * MEASURE_CARDS:
        guess = layout.sizes[0] * (count * layout.height / needed) ** 0.5
    else:
        last = len(layout.sizes) - 1
        width, height = layout.box(last)
        filled = count - 1 + min(_height(chunks[-1], width, height) / height, 1.0)
        guess = layout.sizes[last] * (count / filled) ** 0.5
    start = max(layout.index_at_most(guess) - 1, 0)
    for index in range(start, len(layout.sizes) - 1):
        tried = layout.chunks(index, most=count)
        if len(tried) <= count:
            return index, tried
    return len(layout.sizes) - 1, chunks


def _draw_flowables(canvas: Canvas, flowables: list, x: float, top: float, width: float) -> None:
    y = top
    for i, f in enumerate(flowables):
        if i:
            y -= f.getSpaceBefore()
        _w, h = f.wrap(width, 10_000)  # paragraphs keep their line breaks from paginate()
        f.drawOn(canvas, x, y - h)
        y -= h + f.getSpaceAfter()


def _band(canvas: Canvas, x: float, y: float, width: float, left: str, right: str) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if not (left or right):  # most cards' bottom band: nothing to draw
        return
    fs = fonts()
    canvas.setFont(fs.regular, BAND)
    canvas.setFillColor(MUTED)
    right_w = stringWidth(right, fs.regular, BAND)
    if left:
        canvas.drawString(x, y, fit_text(left, fs.regular, BAND, width - right_w - 6))
    if right:
        canvas.drawRightString(x + width, y, right)


def _label(face: Face) -> str:
    return f"#{face.number}" + (f" · {face.part}/{face.parts}" if face.parts > 1 else "")


@lru_cache(maxsize=None)
def _question_style(size: float):
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(f"front-{size}", fontName=fonts().bold, fontSize=size, leading=size * 1.2,
                          alignment=TA_CENTER, splitLongWords=True)


@lru_cache(maxsize=16)  # the faces of one card follow each other
def _question(question: str, width: float, height: float):
    """(flowable, height): the question at the largest size that fits the box."""
    markup = text_markup(question, fonts().bold)
    for size in QUESTION_SIZES:
        para = Paragraph(markup, _question_style(size))
        _pw, ph = para.wrap(width, height)
        if ph <= height:
            return para, ph
    para = ShrinkToFit(para, height)  # a huge question: scaled to fit, still whole
    _pw, ph = para.wrap(width, height)
    return para, ph


def draw_front(canvas: Canvas, face: Face, rect) -> None:
    from deckgen.writers.pdf_fonts import printable

    fs = fonts()
    x, y, w, h = rect
    card = face.card
    where = " › ".join((collection_of(card.source),) + tuple(card.section))
    top = y + h - PAD - BAND
    _band(canvas, x + PAD, top, w - 2 * PAD, printable(where, fs.regular), _label(face))
    box_w, box_h = w - 2 * PAD, h - 2 * PAD - 2 * BAND * 1.25
    para, ph = _question(card.question, box_w, box_h)
    middle = y + PAD + BAND * 1.25 + box_h / 2
    para.drawOn(canvas, x + PAD, middle - ph / 2)
    bottom = []
    if card.difficulty:
        bottom.append(card.difficulty)
    if face.parts > 1:
        bottom.append(f"continued {face.part}/{face.parts}" if face.part > 1 else f"answer on {face.parts} cards")
    _band(canvas, x + PAD, y + PAD, w - 2 * PAD, " · ".join(bottom), "")


def draw_back(canvas: Canvas, face: Face, rect) -> None:
    from deckgen.writers.pdf_fonts import printable

    fs = fonts()
    x, y, w, h = rect
    top = y + h - PAD - BAND
    head = f"continued: part {face.part} of {face.parts}" if face.part > 1 else ""
    _band(canvas, x + PAD, top, w - 2 * PAD, head or printable(face.card.question, fs.regular), _label(face))
    canvas.saveState()
    canvas.translate(x + PAD, top - BAND * 0.6)
    canvas.scale(face.scale, face.scale)
    _draw_flowables(canvas, face.answer, 0, 0, (w - 2 * PAD) / face.scale)
    canvas.restoreState()
    if face.part < face.parts:
        _band(canvas, x + PAD, y + PAD, w - 2 * PAD, "", f"continues on the next card ({face.part + 1}/{face.parts}) ▸")


def draw_cut_marks(canvas: Canvas, grid: Grid) -> None:
    """Ticks in the margins on every cell boundary, small crosses inside."""
    canvas.saveState()
    canvas.setStrokeColor(HexColor("#777777"))
    canvas.setLineWidth(0.35)
    left, right = MARGIN, grid.page_width - MARGIN
    bottom, top = MARGIN, grid.page_height - MARGIN
    tick, gap, arm = MARGIN * 0.6, 1.5 * MM, 2 * MM
    xs = [left + i * grid.cell_width for i in range(grid.cols + 1)]
    ys = [bottom + j * grid.cell_height for j in range(grid.rows + 1)]
    for x in xs:
        canvas.line(x, top + gap, x, top + gap + tick)
        canvas.line(x, bottom - gap, x, bottom - gap - tick)
    for y in ys:
        canvas.line(left - gap, y, left - gap - tick, y)
        canvas.line(right + gap, y, right + gap + tick, y)
    for x in xs[1:-1]:
        for y in ys[1:-1]:
            canvas.line(x - arm, y, x + arm, y)
            canvas.line(x, y - arm, x, y + arm)
    canvas.restoreState()


def _instructions(canvas: Canvas, grid: Grid, options: PdfOptions, cards: int, faces: int) -> None:
    fs = fonts()
    edge = "SHORT edge" if options.short_edge else "LONG edge"
    sheets = -(-faces // grid.per_page)
    lines = [
        ("title", f"{options.title} — printable flashcards"),
        ("body", f"{cards} cards on {faces} card faces, {grid.cols}×{grid.rows} per page, "
                 f"{sheets} sheet{'s' if sheets != 1 else ''} after this one."),
        ("head", "Printer settings"),
        ("item", f"Double-sided (duplex), flip on the {edge}"
                 + (" (also called “short-edge binding” or “tablet”)." if options.short_edge
                    else " (also called “long-edge binding” or “book”).")),
        ("item", f"Paper {options.paper.upper()}, portrait. Scale 100% / “Actual size” — not “Fit to page”, "
                 "or the answers will not line up behind their questions."),
        ("item", "Print every page, this one included: page 2 is blank so that each sheet of cards "
                 "starts with the questions on its front."),
        ("item", "No duplex? Print the odd pages, put the stack back in the tray as your printer "
                 "requires, then print the even pages."),
        ("head", "Cutting"),
        ("item", "Cut along the marks in the margins (the small crosses mark the inner corners). "
                 "Each card’s number (#12) is printed on both sides, to check the pairing."),
        ("item", "An answer too long for one card continues on the next card(s), marked “continued 2/3”; "
                 "its question is repeated on the front."),
    ]
    x = MARGIN * 2
    width = grid.page_width - 4 * MARGIN
    y = grid.page_height - MARGIN * 2.5
    for kind, text in lines:
        size = {"title": 18, "head": 12}.get(kind, 10)
        style = paragraph_style(size, "heading" if kind in ("title", "head") else "body", 14 if kind == "item" else 0)
        para = Paragraph(text_markup(text, fs.bold if kind in ("title", "head") else fs.regular), style,
                         bulletText="•" if kind == "item" else None)
        _w, h = para.wrap(width, grid.page_height)
        y -= h + (size * 0.8 if kind == "head" else size * 0.4)
        para.drawOn(canvas, x, y)


def write_flashcards(cards: list[Card], path: str | os.PathLike, options: PdfOptions = PdfOptions()) -> int:
    """Write the flashcards PDF for the answered cards; returns the number of pages."""
    page_w, page_h = options.page_size(landscape=False)
    grid = Grid(page_w, page_h, options.grid[0], options.grid[1], options.short_edge)
    faces: list[Face] = []
    answered = [c for c in cards if c.answered]
    sizes = Store("sizes", options.cache)
    for number, card in enumerate(answered, 1):
        faces.extend(faces_for(card, number, grid, options.min_size, sizes))
    sizes.save()

    fs = fonts()
    canvas = Canvas(str(path), pagesize=(page_w, page_h), initialFontName=fs.regular)
    canvas.setTitle(f"{options.title} — flashcards")
    canvas.setAuthor("deckgen")
    canvas.setSubject("duplex flashcards: " + ("short-edge" if options.short_edge else "long-edge"))
    _instructions(canvas, grid, options, len(answered), len(faces))
    canvas.bookmarkPage("instructions")
    canvas.addOutlineEntry("How to print", "instructions", level=0)
    canvas.showPage()
    canvas.setFont(fs.regular, 8)
    canvas.setFillColor(MUTED)
    canvas.drawCentredString(page_w / 2, page_h / 2, "(intentionally blank: the back of the instructions)")
    canvas.showPage()
    for start in range(0, len(faces), grid.per_page):
        batch = faces[start:start + grid.per_page]
        key = f"sheet{start // grid.per_page + 1}"
        canvas.bookmarkPage(key)
        canvas.addOutlineEntry(f"Cards {batch[0].number}–{batch[-1].number}", key, level=0)
        draw_cut_marks(canvas, grid)
        for slot, face in enumerate(batch):
            draw_front(canvas, face, grid.front(slot))
        canvas.showPage()
        for slot, face in enumerate(batch):
            draw_back(canvas, face, grid.back(slot))
        canvas.showPage()
    pages = canvas.getPageNumber() - 1
    canvas.save()
    return pages
