"""The flowables the PDF writers draw with: paragraphs that remember their line
breaks, preformatted code, and a scaler for blocks taller than any box.

Every one of them skips drawing on a canvas marked `layout_only` (the cheat sheet's
first pass only counts pages for the contents; nothing of it is kept).
"""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Paragraph
from reportlab.platypus.flowables import Flowable

from deckgen.writers.pdf_fonts import fonts, printable

# Color objects, not strings: reportlab parses a string color on every use
TEXT_COLOR = HexColor("#111111")
MUTED_HEX = "#555555"  # for <font color=...> in paragraph markup
MUTED = HexColor(MUTED_HEX)
CODE_BACKGROUND = HexColor("#f1f1f1")


def layout_only(canvas) -> bool:
    return getattr(canvas, "layout_only", False)


class Para(Paragraph):
    """A Paragraph that keeps its line breaks while the width stays the same.

    reportlab breaks the lines again on every wrap() call, and a paragraph is wrapped
    several times at one width: to measure it, to paginate it, in a keep-with-next
    group, to draw it, in each pass of the cheat sheet."""

    def wrap(self, availWidth, availHeight):  # noqa: N803 (reportlab's names)
        memo = getattr(self, "_memo", None)
        if memo and memo[0] == availWidth and getattr(self, "blPara", None) is memo[1]:
            self.width, self.height = availWidth, memo[2]
            return availWidth, memo[2]
        before = getattr(self, "blPara", None)
        width, height = super().wrap(availWidth, availHeight)
        after = getattr(self, "blPara", None)  # a new one each time lines were broken
        self._memo = (availWidth, after, height) if after is not None and after is not before else None
        return width, height

    def split(self, availWidth, availHeight):  # noqa: N803
        """reportlab's split, but both parts of a plain one-style paragraph keep their
        share of its lines: greedy line breaking from a line start gives the same
        lines again, so breaking them again (the whole rest, at every split) is waste."""
        parts = super().split(availWidth, availHeight)
        lines = getattr(self, "blPara", None)
        plain = lines is not None and lines.kind == 0 and getattr(self.style, "autoLeading", "") in ("", "off")
        if len(parts) == 2 and plain and self.width == availWidth:
            first, rest = parts
            cut = len(first.blPara.lines)
            for part, share in ((first, lines.lines[:cut]), (rest, lines.lines[cut:])):
                part.blPara = lines.clone(lines=share)
                part.height = len(share) * part.style.leading
                part._memo = (availWidth, part.blPara, part.height)
        return parts

    def draw(self):
        if not layout_only(self.canv):
            super().draw()


class CodeBlock(Flowable):
    """Preformatted code: monospace, every line break and space kept; a line longer
    than the column wraps by character, continuation lines marked in the gutter.
    Splits between lines across columns, pages and flashcards.

    The parts of a split share one list of lines (a window on it), so splitting a
    very long block many times costs time in its length, not its square."""

    def __init__(self, code: str, size: float, indent: float = 0.0, lines=None, wrapped_for=None,
                 window: tuple[int, int] | None = None):
        super().__init__()
        fs = fonts()
        self.size, self.indent = size, indent
        self.font = fs.mono
        self.leading = size * 1.18
        self.pad = size * 0.35
        if lines is None:
            text = code.rstrip("\n").expandtabs(4)
            lines = [(printable(line, self.font), False) for line in text.split("\n")]
        self._lines: list[tuple[str, bool]] = lines  # (text, is a continuation)
        self._window = window or (0, len(lines))
        self.wrapped_for = wrapped_for
        self.spaceAfter = size * 0.35

    @property
    def lines(self) -> list[tuple[str, bool]]:
        start, end = self._window
        return self._lines[start:end]

    @property
    def line_count(self) -> int:
        return self._window[1] - self._window[0]

    def _columns(self, avail_width: float) -> int:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        char = stringWidth("M", self.font, self.size) or self.size * 0.6
        return max(int((avail_width - self.indent - 3 * self.pad) / char), 8)

    def _rewrap(self, columns: int) -> None:
        if self.wrapped_for == columns:
            return
        logical: list[str] = []
        for text, cont in self.lines:
            if cont and logical:
                logical[-1] += text
            else:
                logical.append(text)
        lines: list[tuple[str, bool]] = []
        for line in logical:
            chunks = [line[i:i + columns] for i in range(0, len(line), columns)] or [""]
            lines.extend((chunk, n > 0) for n, chunk in enumerate(chunks))
        self._lines, self._window, self.wrapped_for = lines, (0, len(lines)), columns

    def wrap(self, availWidth, availHeight):  # noqa: N803
        self._rewrap(self._columns(availWidth))
        self.width = availWidth
        self.height = self.line_count * self.leading + 2 * self.pad
        return self.width, self.height

    def split(self, availWidth, availHeight):  # noqa: N803
        self._rewrap(self._columns(availWidth))
        fit = int((availHeight - 2 * self.pad) // self.leading)
        if fit < 2 or fit >= self.line_count:
            return []
        start, end = self._window
        first = CodeBlock("", self.size, self.indent, self._lines, self.wrapped_for, (start, start + fit))
        first.spaceAfter = 0
        rest = CodeBlock("", self.size, self.indent, self._lines, self.wrapped_for, (start + fit, end))
        return [first, rest]

    def draw(self):
        canvas = self.canv
        if layout_only(canvas):
            return
        canvas.saveState()
        canvas.setFillColor(CODE_BACKGROUND)
        canvas.rect(self.indent, 0, self.width - self.indent, self.height, stroke=0, fill=1)
        canvas.setFillColor(TEXT_COLOR)
        y = self.height - self.pad - self.size * 0.95
        x = self.indent + self.pad * 2
        start, end = self._window
        for index in range(start, end):
            text, cont = self._lines[index]
            if cont:  # mark a wrapped line so it is not read as a new one
                canvas.setFillColor(MUTED)
                canvas.setFont(fonts().regular, self.size * 0.7)
                canvas.drawString(self.indent + self.pad * 0.2, y, "↪")
                canvas.setFillColor(TEXT_COLOR)
            canvas.setFont(self.font, self.size)
            canvas.drawString(x, y, text)
            y -= self.leading
        canvas.restoreState()


class ShrinkToFit(Flowable):
    """Scales a flowable down until it fits `max_height` (used only for a block taller
    than a whole card or column that cannot be split): smaller, never cut off."""

    def __init__(self, content, max_height: float):
        super().__init__()
        self.content, self.max_height, self.scale = content, max_height, 1.0

    def wrap(self, availWidth, availHeight):  # noqa: N803
        scale = 1.0
        for _ in range(6):  # a narrower scale lets the content use more width: converge
            _w, h = self.content.wrap(availWidth / scale, 10_000)
            fitted = min(1.0, self.max_height / h) if h else 1.0
            if abs(fitted - scale) < 0.01:
                break
            scale = fitted
        self.scale = scale
        self.width, self.height = availWidth, h * scale
        return self.width, self.height

    def draw(self):
        if layout_only(self.canv):
            return
        self.canv.saveState()
        self.canv.scale(self.scale, self.scale)
        self.content.drawOn(self.canv, 0, 0)
        self.canv.restoreState()


class Scaled(Flowable):
    """A flowable laid out at its own size and drawn `factor` times larger: a table
    or rule (whose paddings and lines do not grow with the text size) inside an
    answer laid out at another size and scaled as a whole."""

    def __init__(self, content, factor: float):
        super().__init__()
        self.content, self.factor = content, factor

    def wrap(self, availWidth, availHeight):  # noqa: N803
        w, h = self.content.wrap(availWidth / self.factor, availHeight / self.factor)
        self.width, self.height = w * self.factor, h * self.factor
        return self.width, self.height

    def split(self, availWidth, availHeight):  # noqa: N803
        parts = self.content.split(availWidth / self.factor, availHeight / self.factor)
        return [Scaled(part, self.factor) for part in parts]

    def getSpaceBefore(self):  # noqa: N802
        return self.content.getSpaceBefore() * self.factor

    def getSpaceAfter(self):  # noqa: N802
        return self.content.getSpaceAfter() * self.factor

    def draw(self):
        self.canv.saveState()
        self.canv.scale(self.factor, self.factor)
        self.content.drawOn(self.canv, 0, 0)
        self.canv.restoreState()
