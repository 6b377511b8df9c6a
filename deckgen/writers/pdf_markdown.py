"""Card markdown -> reportlab flowables (markdown-it tokens in, Paragraphs out).

Lists keep their nesting (indent and bullet per level), code blocks keep every line
break and space in a monospace font and wrap long lines by character (never
reflowed, never overflowing), math becomes Unicode text. Every piece of source text
is escaped for reportlab's paragraph markup and passed through `printable()` so no
glyph is missing. Imported only by the PDF writers (reportlab loads here).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.platypus.flowables import Flowable

from deckgen.writers.pdf_fonts import fonts, printable
from deckgen.writers.pdf_math import latex_to_text

BULLETS = ("•", "◦", "▪", "–")
# Color objects, not strings: reportlab parses a string color on every use
TEXT_COLOR = HexColor("#111111")
MUTED_HEX = "#555555"  # for <font color=...> in paragraph markup
MUTED = HexColor(MUTED_HEX)
CODE_BACKGROUND = HexColor("#f1f1f1")


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").enable("strikethrough")
    return md.use(dollarmath_plugin, allow_space=True, double_inline=True)


@lru_cache(maxsize=32)
def parse(markdown: str):
    """Tokens for `markdown`, cached: a flashcard lays the same answer out at several sizes."""
    return _parser().parse(markdown or "")


@dataclass(frozen=True)
class Styles:
    """Paragraph styles for one text size (the cheat sheet uses one size, a
    flashcard tries several)."""

    size: float

    @property
    def leading(self) -> float:
        return round(self.size * 1.22, 2)

    @property
    def indent(self) -> float:
        return self.size * 1.3

    @property
    def code_size(self) -> float:
        return self.size * 0.92


@lru_cache(maxsize=256)
def paragraph_style(size: float, kind: str = "body", indent: float = 0.0):
    """A cached ParagraphStyle: kind is body, heading, question, math, quote, cell, small."""
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    fs = fonts()
    leading = round(size * 1.22, 2)
    base = dict(fontName=fs.regular, fontSize=size, leading=leading, textColor=TEXT_COLOR,
                leftIndent=indent, bulletIndent=max(indent - size * 1.05, 0), spaceBefore=0, spaceAfter=size * 0.25, splitLongWords=True,
                allowWidows=1, allowOrphans=1, bulletFontName=fs.regular, bulletFontSize=size)
    if kind == "heading":
        base.update(fontName=fs.bold, spaceBefore=size * 0.3)
    elif kind == "question":
        base.update(fontName=fs.bold, spaceBefore=size * 0.55, spaceAfter=size * 0.15)
    elif kind == "math":
        base.update(alignment=TA_CENTER)
    elif kind == "quote":
        base.update(textColor=MUTED)
    elif kind == "small":
        base.update(fontSize=size * 0.8, leading=leading * 0.8, textColor=MUTED)
    elif kind == "cell":
        base.update(spaceAfter=0)
    return ParagraphStyle(f"deck-{kind}-{size}-{indent}", **base)


def text_markup(text: str, font: str | None = None) -> str:
    """Plain source text made safe for paragraph markup."""
    return escape(printable(text, font or fonts().regular))


# markdown-it inline tokens that map one-to-one onto reportlab paragraph markup
_PLAIN_TAGS = {"strong_open": "<b>", "strong_close": "</b>", "em_open": "<i>", "em_close": "</i>",
               "s_open": "<strike>", "s_close": "</strike>", "softbreak": " ", "hardbreak": "<br/>"}


def inline_markup(children) -> str:
    """markdown-it inline tokens -> reportlab paragraph markup."""
    fs = fonts()
    out: list[str] = []
    links: list[tuple[str, int]] = []  # open links: (href, where their text starts)
    for tok in children or ():
        t = tok.type
        if t == "text":
            out.append(text_markup(tok.content))
        elif t == "code_inline":
            out.append(f'<font face="{fs.mono}">{text_markup(tok.content, fs.mono)}</font>')
        elif t in ("math_inline", "math_inline_double"):
            out.append(text_markup(latex_to_text(tok.content)))
        elif t in _PLAIN_TAGS:
            out.append(_PLAIN_TAGS[t])
        elif t == "link_open":
            out.append("<u>")
            links.append((str(tok.attrs.get("href", "")), len(out)))
        elif t == "link_close":
            href, start = links.pop() if links else ("", len(out))
            shown = "".join(out[start:])
            out.append("</u>")
            if href and escape(href) not in shown:
                out.append(f' <font color="{MUTED_HEX}">({text_markup(href)})</font>')
        elif t == "image":
            alt = tok.content or "".join(c.content for c in tok.children or ())
            out.append(f'<font color="{MUTED_HEX}">[image: {text_markup(alt)}]</font>')
        elif tok.content:  # anything unforeseen still shows its text
            out.append(text_markup(tok.content))
    return "".join(out)


class _Builder:
    """Walks block tokens keeping list and quote depth."""

    def __init__(self, size: float, width: float, max_height: float | None = None):
        self.size, self.width, self.max_height = size, width, max_height
        self.flowables: list = []
        self.lists: list[dict] = []  # {"ordered": bool, "next": int}
        self.quote = 0
        self.bullet: str | None = None  # pending bullet of the current list item

    @property
    def indent(self) -> float:
        return self.size * 1.3 * len(self.lists) + self.size * 1.1 * self.quote

    def paragraph(self, markup: str, kind: str = "body") -> None:
        from reportlab.platypus import Paragraph

        if self.quote and kind == "body":
            kind = "quote"
        style = paragraph_style(self.size, kind, self.indent)
        bullet = self.bullet
        self.bullet = None
        if bullet is not None:
            self.flowables.append(Paragraph(markup, style, bulletText=bullet))
        elif markup.strip():
            self.flowables.append(Paragraph(markup, style))

    def flush_bullet(self) -> None:
        if self.bullet is not None:
            self.paragraph("")

    def build(self, tokens) -> list:
        from reportlab.platypus.flowables import HRFlowable

        i = 0
        while i < len(tokens):
            tok = tokens[i]
            t = tok.type
            if t == "paragraph_open" or t == "heading_open":
                inline = tokens[i + 1]
                if "markup" not in inline.meta:  # same for every size: convert once
                    inline.meta["markup"] = inline_markup(inline.children)
                self.paragraph(inline.meta["markup"], "heading" if t == "heading_open" else "body")
                i += 3
                continue
            if t in ("bullet_list_open", "ordered_list_open"):
                self.flush_bullet()
                start = int(tok.attrs.get("start", 1) or 1) if t == "ordered_list_open" else 1
                self.lists.append({"ordered": t == "ordered_list_open", "next": start})
            elif t in ("bullet_list_close", "ordered_list_close"):
                self.flush_bullet()
                self.lists.pop()
            elif t == "list_item_open":
                current = self.lists[-1]
                if current["ordered"]:
                    self.bullet = f"{current['next']}."
                    current["next"] += 1
                else:
                    self.bullet = BULLETS[(len(self.lists) - 1) % len(BULLETS)]
            elif t == "list_item_close":
                self.flush_bullet()
            elif t == "blockquote_open":
                self.flush_bullet()
                self.quote += 1
            elif t == "blockquote_close":
                self.quote -= 1
            elif t in ("fence", "code_block"):
                self.flush_bullet()
                self.flowables.append(CodeBlock(tok.content, self.size * 0.92, self.indent))
            elif t == "math_block" or t == "math_block_label":
                self.flush_bullet()
                self.paragraph(text_markup(latex_to_text(tok.content)), "math")
            elif t == "hr":
                self.flowables.append(HRFlowable(width="100%", thickness=0.4, color=MUTED,
                                                 spaceBefore=2, spaceAfter=3))
            elif t == "table_open":
                self.flush_bullet()
                end = i
                while tokens[end].type != "table_close":
                    end += 1
                self.flowables.extend(self.table(tokens[i:end + 1]))
                i = end
            elif t == "html_block":  # never produced with html=False; shown as text if it is
                self.paragraph(text_markup(tok.content))
            i += 1
        return self.flowables

    def table(self, tokens) -> list:
        """A grid table; rows as "a │ b" lines instead when a row would be taller
        than a whole column or card (reportlab cannot split inside a row)."""
        from reportlab.platypus import Paragraph, Table, TableStyle

        rows: list[list] = []
        header = False
        style = paragraph_style(self.size * 0.95, "cell")
        for tok in tokens:
            if tok.type == "tr_open":
                rows.append([])
            elif tok.type == "inline" and rows:
                rows[-1].append(Paragraph(inline_markup(tok.children), style))
            elif tok.type == "thead_open":
                header = True
        ncols = max((len(r) for r in rows), default=1)
        for r in rows:
            r.extend(Paragraph("", style) for _ in range(ncols - len(r)))
        usable = max(self.width - self.indent, 20)
        table = Table(rows, colWidths=[usable / ncols] * ncols, hAlign="LEFT", repeatRows=1 if header else 0)
        commands = [("FONTNAME", (0, 0), (-1, -1), fonts().regular), ("GRID", (0, 0), (-1, -1), 0.3, MUTED), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                    ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]
        if header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), CODE_BACKGROUND))
        table.setStyle(TableStyle(commands))
        table.spaceAfter = self.size * 0.3
        if self.max_height:
            table.wrap(usable, self.max_height)
            if max(table._rowHeights, default=0) > self.max_height * 0.8:
                lines = []
                for n, row in enumerate(rows):
                    markup = " │ ".join(cell.text for cell in row)
                    lines.append(Paragraph(f"<b>{markup}</b>" if header and n == 0 else markup,
                                           paragraph_style(self.size, "body", self.indent)))
                return lines
        return [table]


def answer_flowables(markdown: str, size: float, width: float, max_height: float | None = None) -> list:
    """Flowables for one answer at text `size` (points) in a column `width` wide;
    `max_height` is the tallest box they will ever get (a column, a card)."""
    return _Builder(size, width, max_height).build(parse(markdown))


class CodeBlock(Flowable):
    """Preformatted code: monospace, every line break and space kept; a line longer
    than the column wraps by character, continuation lines marked in the gutter.
    Splits between lines across columns, pages and flashcards."""

    def __init__(self, code: str, size: float, indent: float = 0.0, lines=None, wrapped_for=None):
        super().__init__()
        fs = fonts()
        self.size, self.indent = size, indent
        self.font = fs.mono
        self.leading = size * 1.18
        self.pad = size * 0.35
        if lines is None:
            text = code.rstrip("\n").expandtabs(4)
            lines = [(printable(line, self.font), False) for line in text.split("\n")]
        self.lines: list[tuple[str, bool]] = lines  # (text, is a continuation)
        self.wrapped_for = wrapped_for
        self.spaceAfter = size * 0.35

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
        self.lines, self.wrapped_for = lines, columns

    def wrap(self, avail_width, avail_height):
        self._rewrap(self._columns(avail_width))
        self.width = avail_width
        self.height = len(self.lines) * self.leading + 2 * self.pad
        return self.width, self.height

    def split(self, avail_width, avail_height):
        self._rewrap(self._columns(avail_width))
        fit = int((avail_height - 2 * self.pad) // self.leading)
        if fit < 2 or fit >= len(self.lines):
            return []
        first = CodeBlock("", self.size, self.indent, self.lines[:fit], self.wrapped_for)
        first.spaceAfter = 0
        rest = CodeBlock("", self.size, self.indent, self.lines[fit:], self.wrapped_for)
        return [first, rest]

    def draw(self):
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(CODE_BACKGROUND)
        canvas.rect(self.indent, 0, self.width - self.indent, self.height, stroke=0, fill=1)
        canvas.setFillColor(TEXT_COLOR)
        y = self.height - self.pad - self.size * 0.95
        x = self.indent + self.pad * 2
        for text, cont in self.lines:
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

    def wrap(self, avail_width, avail_height):
        scale = 1.0
        for _ in range(6):  # a narrower scale lets the content use more width: converge
            _w, h = self.content.wrap(avail_width / scale, 10_000)
            fitted = min(1.0, self.max_height / h) if h else 1.0
            if abs(fitted - scale) < 0.01:
                break
            scale = fitted
        self.scale = scale
        self.width, self.height = avail_width, h * scale
        return self.width, self.height

    def draw(self):
        self.canv.saveState()
        self.canv.scale(self.scale, self.scale)
        self.content.drawOn(self.canv, 0, 0)
        self.canv.restoreState()
