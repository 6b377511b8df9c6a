"""The cheat sheet: every answered card, dense, in columns, with contents and outline.

Grouped by collection (source file) then section; a table of contents with page
numbers; PDF bookmarks for both levels; a running header and page numbers;
optionally an appendix listing the unanswered questions.

The contents needs two passes (page numbers are known only once everything is
placed). The first pass lays out without drawing: the contents already has its
final entries, so both passes place every flowable alike, and each paragraph keeps
its line breaks from the first pass for the second. The page numbers are kept
(pdf-contents.json, see pdf_cache.py): an unchanged cheat sheet starts with them
and is built in one pass, drawing as it goes; a wrong guess costs the second pass.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date

from reportlab.lib.colors import HexColor
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageTemplate, Spacer
from reportlab.platypus.tableofcontents import TableOfContents

from deckgen.card import Card
from deckgen.writers.pdf_fonts import fonts
from deckgen.writers.pdf_flowables import MUTED, MUTED_HEX, Para
from deckgen.writers.pdf_layout import MM, PdfOptions, collection_of, fit_text
from deckgen.writers.pdf_markdown import answer_flowables, paragraph_style, text_markup

BODY_SIZE = 7.2
MARGIN = 11 * MM
GAP = 5 * MM
HEADER = 6 * MM
TITLE_HEIGHT = 16 * MM  # the title band on page 1, above the columns


class _Heading(Para):
    """A heading that becomes a TOC entry and a bookmark once placed."""

    def __init__(self, text: str, style, level: int, key: str, label: str):
        super().__init__(text, style)
        self.toc = (level, label, key)


class CheatSheetDoc(BaseDocTemplate):
    def __init__(self, filename, options: PdfOptions, **kw):
        self.options = options
        page = options.page_size()
        super().__init__(filename, pagesize=page, leftMargin=MARGIN, rightMargin=MARGIN,
                         topMargin=MARGIN + HEADER, bottomMargin=MARGIN, title=f"{options.title} — cheat sheet",
                         author="deckgen", subject="cheat sheet",
                         initialFontName=fonts().regular, initialFontSize=BODY_SIZE, **kw)
        self.running = ""  # collection shown in the header
        self.passes = 0
        self.heading_pages: list[int] = []  # the page of each heading, in order, this pass
        self.draft_first_pass = False  # set when the contents' entries are known before the first pass
        n = options.column_count
        width = (self.width - GAP * (n - 1)) / n
        self.column_width = width
        frames = [Frame(self.leftMargin + i * (width + GAP), self.bottomMargin, width, self.height,
                        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=f"col{i}")
                  for i in range(n)]
        title_h = TITLE_HEIGHT
        first = [Frame(self.leftMargin, self.bottomMargin + self.height - title_h, self.width, title_h,
                       leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="title")]
        first += [Frame(f.x1, f.y1, f.width, f.height - title_h, leftPadding=0, rightPadding=0,
                        topPadding=0, bottomPadding=0, id=f"first{i}") for i, f in enumerate(frames)]
        self.addPageTemplates([PageTemplate("first", first, onPage=self._decorate),
                               PageTemplate("body", frames, onPage=self._decorate)])

    def beforeDocument(self):
        self.running = ""
        self.heading_pages = []
        self.passes += 1
        # the first pass can never be the last when there are entries (their page numbers
        # are 0 until it ends), so what it draws is thrown away: draw nothing
        self.canv.layout_only = self.draft_first_pass and self.passes == 1

    def afterFlowable(self, flowable):
        toc = getattr(flowable, "toc", None)
        if not toc:
            return
        level, label, key = toc
        if level == 0:
            self.running = label
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(label, key, level=level, closed=level > 0)
        self.heading_pages.append(self.page)
        self.notify("TOCEntry", (level, toc_markup(label), self.page, key))

    def _decorate(self, canvas, doc):
        fs = fonts()
        width, height = self.pagesize
        top = height - MARGIN - HEADER * 0.45
        canvas.saveState()
        canvas.setFont(fs.bold, 7.5)
        canvas.setFillColor(HexColor("#222222"))
        canvas.drawString(MARGIN, top, self.options.title + " — cheat sheet")
        canvas.setFont(fs.regular, 7)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(width - MARGIN, top, fit_text(self.running, fs.regular, 7, width / 2))
        canvas.setStrokeColor(HexColor("#999999"))
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, top - 2.5, width - MARGIN, top - 2.5)
        canvas.drawCentredString(width / 2, MARGIN * 0.5, f"page {doc.page}")
        canvas.restoreState()


def toc_markup(label: str) -> str:
    """A contents line: the TOC takes paragraph markup, so escape; the trailing
    no-break spaces keep room for the page number when the title fills the line."""
    return text_markup(label) + "\u00a0" * 5


def _grouped(cards: Iterable[Card]) -> list[tuple[str, list[tuple[tuple[str, ...], list[Card]]]]]:
    """[(collection, [(section, cards)])], each in order of first appearance."""
    groups: dict[str, dict[tuple[str, ...], list[Card]]] = {}
    for card in cards:
        groups.setdefault(collection_of(card.source), {}).setdefault(tuple(card.section), []).append(card)
    return [(name, list(sections.items())) for name, sections in groups.items()]


def _heading_styles(size: float):
    from reportlab.lib.styles import ParagraphStyle

    fs = fonts()
    h1 = ParagraphStyle("deck-h1", fontName=fs.bold, fontSize=size * 1.45, leading=size * 1.75,
                        spaceBefore=size * 0.9, spaceAfter=size * 0.35, textColor=HexColor("#0b3d66"), keepWithNext=1)
    h2 = ParagraphStyle("deck-h2", fontName=fs.bold, fontSize=size * 1.1, leading=size * 1.35,
                        spaceBefore=size * 0.7, spaceAfter=size * 0.2, textColor=HexColor("#1d5e8c"), keepWithNext=1,
                        borderPadding=0)
    return h1, h2


def _toc(size: float) -> TableOfContents:
    from reportlab.lib.styles import ParagraphStyle

    fs = fonts()
    from reportlab.platypus import TableStyle

    toc = TableOfContents(dotsMinLevel=0, tableStyle=TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fs.regular), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    toc.levelStyles = [
        ParagraphStyle("toc0", fontName=fs.bold, fontSize=size, leading=size * 1.3, leftIndent=size,
                       firstLineIndent=-size, spaceBefore=size * 0.3),
        ParagraphStyle("toc1", fontName=fs.regular, fontSize=size * 0.95, leading=size * 1.2,
                       leftIndent=size * 2.2, firstLineIndent=-size),
    ]
    return toc


def cheatsheet_story(cards: list[Card], options: PdfOptions, column_width: float, column_height: float,
                     pages: list[int] | None = None) -> list:
    """The flowables; `pages` are the contents' page numbers if known (else 0s)."""
    fs = fonts()
    size = BODY_SIZE
    h1, h2 = _heading_styles(size)
    answered = [c for c in cards if c.answered]
    unanswered = [c for c in cards if not c.answered]
    title_style = paragraph_style(size * 2.2, "heading")
    info_style = paragraph_style(size, "small")
    toc = _toc(size)
    story: list = [
        Para(text_markup(options.title) + " — cheat sheet", title_style),
        Para(text_markup(f"{len(answered)} answered questions"
                              + (f", {len(unanswered)} unanswered (appendix)"
                                 if options.include_unanswered and unanswered else "")
                              + f" · {date.today().isoformat()}"), info_style),
        NextPageTemplate("body"),
        Para("Contents", h1),
        toc,
    ]
    keys = iter(range(1, 10**9))

    def heading(label: str, style, level: int):
        return _Heading(text_markup(label, fs.bold), style, level, f"h{next(keys)}", label)

    question_style = paragraph_style(size, "question")
    for collection, sections in _grouped(answered):
        story.append(heading(collection, h1, 0))
        for section, group in sections:
            if section:
                story.append(heading(" › ".join(section), h2, 1))
            for card in group:
                label = text_markup(card.question, fs.bold)
                if card.difficulty:
                    label += f' <font name="{fs.regular}" color="{MUTED_HEX}" size="{size * 0.8}">· {card.difficulty}</font>'
                q = Para(label, question_style)
                q.keepWithNext = True
                story.append(q)
                story.extend(answer_flowables(card.answer, size, column_width, column_height))
    if options.include_unanswered and unanswered:
        story.append(heading("Appendix: unanswered questions", h1, 0))
        item = paragraph_style(size, "body", size * 1.3)
        for collection, sections in _grouped(unanswered):
            story.append(heading(collection, h2, 1))
            for _section, group in sections:
                for card in group:
                    where = f' <font color="{MUTED_HEX}" size="{size * 0.8}">{text_markup(f"line {card.line}")}</font>' \
                        if card.line else ""
                    story.append(Para(text_markup(card.question) + where, item, bulletText="☐"))
    # Give the contents its final entries (page numbers unknown yet) before the first
    # pass, so its height is right at once: multiBuild then needs 2 passes, not 3.
    headings = [f for f in story if isinstance(f, _Heading)]
    if not isinstance(pages, list) or len(pages) != len(headings):
        pages = [0] * len(headings)
    toc.addEntries([(f.toc[0], toc_markup(f.toc[1]), page, f.toc[2]) for f, page in zip(headings, pages)])
    if not answered and not (options.include_unanswered and unanswered):
        story.append(Spacer(1, 10))
        story.append(Para("No answered questions to show.", info_style))
    return story


def write_cheatsheet(cards: list[Card], path: str | os.PathLike, options: PdfOptions = PdfOptions()) -> int:
    """Write the cheat sheet PDF to `path`; returns the number of pages."""
    from deckgen.writers.pdf_cache import Store, key

    store = Store("contents", options.cache)
    entry = key(options, date.today(), *((c.question, c.answer, c.answered, c.difficulty, c.source, c.section, c.line)
                                         for c in cards))
    known = store.get(entry)
    doc = CheatSheetDoc(str(path), options)
    story = cheatsheet_story(cards, options, doc.column_width, doc.height - TITLE_HEIGHT, known)
    # with the page numbers known the first pass may be the last: it must draw
    headings = sum(isinstance(f, _Heading) for f in story)
    doc.draft_first_pass = headings > 0 and not (isinstance(known, list) and len(known) == headings)
    doc.multiBuild(story)
    store.put(entry, doc.heading_pages)
    store.save()
    return doc.page
