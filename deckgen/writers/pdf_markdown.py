"""Card markdown -> reportlab flowables (markdown-it tokens in, Paragraphs out).

Two steps: `answer_blocks()` parses an answer once per process into blocks that do
not depend on the text size (paragraph markup, code, tables, list and quote depth);
`answer_flowables()` turns blocks into flowables at one size, as often as a layout
needs. A very long paragraph becomes several blocks, cut at spaces, so reportlab's
line breaking (which starts again from the cut on every split across columns or
cards) costs time in the text's length, not its square.

Lists keep their nesting (indent and bullet per level), code blocks keep every line
break and space in a monospace font and wrap long lines by character (never
reflowed, never overflowing), math becomes Unicode text. Every piece of source text
is escaped for reportlab's paragraph markup and passed through `printable()` so no
glyph is missing. Imported only by the PDF writers (reportlab loads here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

from deckgen.writers.pdf_flowables import CODE_BACKGROUND, MUTED, MUTED_HEX, TEXT_COLOR, CodeBlock, Para
from deckgen.writers.pdf_fonts import fonts, printable
from deckgen.writers.pdf_math import latex_to_text

__all__ = ["Block", "answer_blocks", "answer_flowables", "block_flowables", "paragraph_style", "split_markup",
           "text_markup"]

BULLETS = ("•", "◦", "▪", "–")
LONG_PARAGRAPH = 10_000  # characters of markup: longer paragraphs are cut into pieces about this long
# (a cut shows only as one line ending early: the pieces have no paragraph space between them)


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").enable("strikethrough")
    return md.use(dollarmath_plugin, allow_space=True, double_inline=True)


@lru_cache(maxsize=512)
def paragraph_style(size: float, kind: str = "body", indent: float = 0.0, joined: bool = False):
    """A cached ParagraphStyle: kind is body, heading, question, math, quote, cell, small.
    `joined`: a piece of a long paragraph that the next piece continues (no space after)."""
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
    if joined:
        base.update(spaceAfter=0)
    return ParagraphStyle(f"deck-{kind}-{size}-{indent}{'-joined' if joined else ''}", **base)


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




# --- blocks: what an answer is made of, independent of the text size -------------------------

@dataclass(frozen=True)
class Block:
    """One block of an answer. `lists` and `quotes` are the nesting depths (the indent
    follows from them and the size); `rows` are a table's cells as markup."""

    kind: str  # paragraph, code, table, hr
    markup: str = ""  # paragraph markup, or the code itself
    style: str = "body"  # paragraph_style kind
    lists: int = 0
    quotes: int = 0
    bullet: str | None = None
    joined: bool = False  # a piece of a long paragraph that the next block continues
    rows: tuple[tuple[str, ...], ...] = ()
    header: bool = False

    def indent(self, size: float) -> float:
        return size * 1.3 * self.lists + size * 1.1 * self.quotes


class _Blocks:
    """Walks block tokens keeping list and quote depth."""

    def __init__(self):
        self.blocks: list[Block] = []
        self.lists: list[dict] = []  # {"ordered": bool, "next": int}
        self.quote = 0
        self.bullet: str | None = None  # pending bullet of the current list item

    def paragraph(self, markup: str, kind: str = "body") -> None:
        if self.quote and kind == "body":
            kind = "quote"
        bullet, self.bullet = self.bullet, None
        if bullet is None and not markup.strip():
            return
        pieces = split_markup(markup, LONG_PARAGRAPH)
        for n, piece in enumerate(pieces):
            self.blocks.append(Block("paragraph", piece, kind, len(self.lists), self.quote,
                                     bullet if n == 0 else None, joined=n < len(pieces) - 1))

    def flush_bullet(self) -> None:
        if self.bullet is not None:
            self.paragraph("")

    def build(self, tokens) -> list[Block]:
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            t = tok.type
            if t == "paragraph_open" or t == "heading_open":
                self.paragraph(inline_markup(tokens[i + 1].children), "heading" if t == "heading_open" else "body")
                i += 3
                continue
            if t == "table_open":
                end = i
                while tokens[end].type != "table_close":
                    end += 1
                self.flush_bullet()
                self.blocks.append(self.table(tokens[i:end + 1]))
                i = end
            else:
                self.step(tok)
            i += 1
        return self.blocks

    def step(self, tok) -> None:
        t = tok.type
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
            self.blocks.append(Block("code", tok.content, lists=len(self.lists), quotes=self.quote))
        elif t == "math_block" or t == "math_block_label":
            self.flush_bullet()
            self.paragraph(text_markup(latex_to_text(tok.content)), "math")
        elif t == "hr":
            self.blocks.append(Block("hr"))
        elif t == "html_block":  # never produced with html=False; shown as text if it is
            self.paragraph(text_markup(tok.content))

    def table(self, tokens) -> Block:
        rows: list[list[str]] = []
        header = False
        for tok in tokens:
            if tok.type == "tr_open":
                rows.append([])
            elif tok.type == "inline" and rows:
                rows[-1].append(inline_markup(tok.children))
            elif tok.type == "thead_open":
                header = True
        ncols = max((len(r) for r in rows), default=1)
        cells = tuple(tuple(r) + ("",) * (ncols - len(r)) for r in rows)
        return Block("table", rows=cells, header=header, lists=len(self.lists), quotes=self.quote)


_KNOWN: dict[str, tuple[Block, ...]] = {}  # answer -> blocks, for this process


def answer_blocks(markdown: str) -> tuple[Block, ...]:
    """The blocks of one answer, parsed once per process (both PDFs, every text size)."""
    blocks = _KNOWN.get(markdown)
    if blocks is None:
        blocks = _KNOWN[markdown] = tuple(_Blocks().build(_parser().parse(markdown or "")))
    return blocks


def known_blocks(markdown: str) -> bool:
    return markdown in _KNOWN


def remember_blocks(markdown: str, blocks: tuple[Block, ...]) -> None:
    """Blocks of `markdown` made earlier (pdf_cache keeps them between builds)."""
    _KNOWN[markdown] = blocks


_TAG = re.compile(r"<(/?)(\w+)[^>]*?(/?)>")
TAG_LIMIT = 300  # no tag or entity in our markup is longer


def split_markup(markup: str, limit: int) -> list[str]:
    """Paragraph markup cut into pieces of at most about `limit` characters, at a
    space (after a sentence when there is one in the last half of the piece). Tags
    open at a cut are closed before it and opened again after it."""
    if len(markup) <= limit:
        return [markup]
    pieces: list[str] = []
    open_tags: list[tuple[str, str]] = []  # (name, opening tag) outermost first
    start = 0
    while len(markup) - start > limit:
        cut = _cut(markup, start, start + limit)
        reopen = "".join(tag for _name, tag in open_tags)
        for match in _TAG.finditer(markup, start, cut):
            closing, name, selfclosing = match.groups()
            if closing and open_tags and open_tags[-1][0] == name:
                open_tags.pop()
            elif not closing and not selfclosing and name != "br":
                open_tags.append((name, match.group(0)))
        close = "".join(f"</{name}>" for name, _tag in reversed(open_tags))
        pieces.append(reopen + markup[start:cut].rstrip(" ") + close)
        start = cut
        while start < len(markup) and markup[start] == " ":
            start += 1
    pieces.append("".join(tag for _name, tag in open_tags) + markup[start:])
    return pieces


def _cut(markup: str, start: int, end: int) -> int:
    """Where to cut markup[start:end]: after a sentence, else at a space, outside any
    tag; at `end` (moved off a tag or entity) when there is no space."""
    low = start + (end - start) // 2
    for needle, offset in ((". ", 1), (" ", 0)):
        hi = end
        while (found := markup.rfind(needle, low, hi)) > low:
            tag = markup.rfind("<", max(start, found - TAG_LIMIT), found)
            if tag <= markup.rfind(">", max(start, found - TAG_LIMIT), found):
                return found + offset
            hi = tag  # inside a tag: look before it
    pos = end  # one very long word: cut it, but not inside a tag or an entity
    for opening, closing in (("<", ">"), ("&", ";")):
        mark = markup.rfind(opening, max(start, pos - TAG_LIMIT), pos)
        if mark > markup.rfind(closing, max(start, pos - TAG_LIMIT), pos):
            pos = mark
    return pos if pos > start else end


# --- flowables: blocks at one text size ------------------------------------------------------

def answer_flowables(markdown: str, size: float, width: float, max_height: float | None = None) -> list:
    """Flowables for one answer at text `size` (points) in a column `width` wide;
    `max_height` is the tallest box they will ever get (a column, a card)."""
    out: list = []
    for block in answer_blocks(markdown):
        out.extend(block_flowables(block, size, width, max_height))
    return out


def block_flowables(block: Block, size: float, width: float, max_height: float | None) -> list:
    from reportlab.platypus.flowables import HRFlowable

    indent = block.indent(size)
    if block.kind == "paragraph":
        style = paragraph_style(size, block.style, indent, block.joined)
        return [Para(block.markup, style, bulletText=block.bullet)]
    if block.kind == "code":
        return [CodeBlock(block.markup, size * 0.92, indent)]
    if block.kind == "table":
        return _table(block, size, width, max_height)
    return [HRFlowable(width="100%", thickness=0.4, color=MUTED, spaceBefore=2, spaceAfter=3)]


TABLE_PAD = (2, 1)  # points of cell padding: left/right, top/bottom


def _table(block: Block, size: float, width: float, max_height: float | None) -> list:
    """A grid table; rows as "a │ b" lines instead when a row would be taller than
    0.8 of a whole column or card (reportlab cannot split inside a row)."""
    from reportlab.platypus import Table, TableStyle

    style = paragraph_style(size * 0.95, "cell")
    rows = [[Para(cell, style) for cell in row] for row in block.rows]
    indent = block.indent(size)
    ncols = max((len(r) for r in rows), default=1)
    usable = max(width - indent, 20)
    if max_height and _tallest_row(rows, usable / ncols) > max_height * 0.8:
        body = paragraph_style(size, "body", indent)
        return [Para(f"<b>{markup}</b>" if block.header and n == 0 else markup, body)
                for n, markup in enumerate(" │ ".join(row) for row in block.rows)]
    table = Table(rows, colWidths=[usable / ncols] * ncols, hAlign="LEFT", repeatRows=1 if block.header else 0)
    side, vertical = TABLE_PAD
    commands = [("FONTNAME", (0, 0), (-1, -1), fonts().regular), ("GRID", (0, 0), (-1, -1), 0.3, MUTED),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), side), ("RIGHTPADDING", (0, 0), (-1, -1), side),
                ("TOPPADDING", (0, 0), (-1, -1), vertical), ("BOTTOMPADDING", (0, 0), (-1, -1), vertical)]
    if block.header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), CODE_BACKGROUND))
    table.setStyle(TableStyle(commands))
    table.spaceAfter = size * 0.3
    return [table]


def _tallest_row(rows: list[list], column_width: float) -> float:
    """The height of the tallest row, as the Table will lay it out (cells wrap inside
    their padding)."""
    side, vertical = TABLE_PAD
    inner = column_width - 2 * side
    return max((max((cell.wrap(inner, 10_000)[1] for cell in row), default=0) + 2 * vertical for row in rows),
               default=0)
