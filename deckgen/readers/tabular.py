"""Cards people already have in tables: question/answer rows, one card per row.

Two exports are the common case:
- Anki's "Notes in Plain Text": optional header lines at the top, then one note per row
  (fields in CSV quoting when they hold the separator or a line break):

      #separator:tab
      #html:true
      #columns:Front	Back	Tags
      #tags column:3
      What does L2 regularisation add?	The sum of squared weights<br>times a factor	ml

  `#separator:` names the separator (tab, comma, semicolon, pipe, space, colon, or the
  character itself); `#html:true` says the fields are HTML (`<br>`, `<div>`, `&nbsp;`);
  `#tags column:`, `#deck column:`, `#notetype column:` and `#guid column:` (1-based) name
  columns that are no fields; `#deck:` and `#tags:` apply to every row.
- Quizlet's export: `term<TAB>definition` per line (or a comma or semicolon between them).

Without a header each separator (tab, comma, semicolon) is tried with the csv module on
the first rows, and the rows must look like a table, not like prose or data: nearly every row has the same number of fields (2 to 8),
the fields do not read as clauses of a sentence (", " after a comma), and they hold words.
The first field is the question, the second the answer; further fields are appended to
the answer. A first row of column names (Front/Back, Question/Answer, Term/Definition)
is not a card.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from deckgen.card import Card, Source
from deckgen.text.markup import inline_math, plain_to_markdown

NAME = "tabular"
SNIFF_MAX = 0.98  # the highest score sniff() gives (pick() relies on it)

_HEADER = re.compile(r"^#([a-z ]{2,20}):(.*)$")
_HEADER_KEYS = {"separator", "html", "columns", "notetype", "deck", "tags", "guid column",
                "notetype column", "deck column", "tags column"}
_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}
_SNIFFED = "\t,;"
_COLUMN_NAMES = {"front", "back", "question", "questions", "answer", "answers", "term", "terms",
                 "definition", "definitions", "prompt", "response", "q", "a", "text", "extra", "tags"}
_HTML_SIGN = re.compile(r"<(?:br|div|p|b|i|u|span|img|ul|ol|li)\b[^<>]{0,200}>|&(?:nbsp|amp|lt|gt|quot);", re.I)
_CLOZE = re.compile(r"\{\{c\d{1,3}::([^{}]*)\}\}")
_SAMPLE_ROWS = 200
_SAMPLE_CHARS = 20000
_LETTER = re.compile(r"[^\W\d_]")


@dataclass
class _Layout:
    """How the table is written: what the header said, or what sniffing found."""

    separator: str
    html: bool = False
    header_lines: int = 0
    skip_columns: set[int] = field(default_factory=set)   # 0-based: tags, deck, notetype, guid
    tags_column: int | None = None
    deck_column: int | None = None
    deck: str = ""
    tags: tuple[str, ...] = ()
    declared: bool = False


def sniff(text: str) -> float:
    """Sure for an Anki header; high for a consistent table of short fields; 0 for prose."""
    layout = _layout(text)
    if layout is None:
        return 0.0
    if layout.declared:
        return SNIFF_MAX
    return 0.9 if layout.separator == "\t" else 0.85


def read(source: Source) -> Iterator[Card]:
    layout = _layout(source.text)
    if layout is None:
        source.report(None, "no consistent question/answer rows found; nothing read")
        return
    lines = source.text.split("\n")
    body = "\n".join(lines[layout.header_lines:])
    records = _records(body, layout.separator, source, layout.header_lines)
    if records and _names_columns(records[0][1]):
        records = records[1:]
    for start, row in records:
        line = source.lineno(layout.header_lines + start)
        card = _card(source, layout, row, line)
        if card is not None:
            yield card


# --- layout ----------------------------------------------------------------------------

def _layout(text: str) -> _Layout | None:
    lines = text.lstrip("\ufeff").split("\n")
    layout = _header(lines)
    if layout is not None:
        return layout
    sample = "\n".join(line for line in lines[:_SAMPLE_ROWS] if line.strip())[:_SAMPLE_CHARS]
    if not sample or sample.lstrip().startswith(("{", "#", "|", "---")):
        return None            # JSON, markdown headings, markdown tables, front matter
    if len(sample) == _SAMPLE_CHARS:
        sample = sample[:sample.rfind("\n")]     # no half row at the end
    for separator in _SNIFFED:
        if separator in sample and _table_shaped([row for _, row in _records(sample, separator)], separator):
            return _Layout(separator, html=bool(_HTML_SIGN.search(sample)))
    return None


def _header(lines: list[str]) -> _Layout | None:
    """The layout Anki's header lines declare, or None when the text has none."""
    values: dict[str, str] = {}
    count = 0
    for line in lines:
        m = _HEADER.match(line.rstrip("\r"))
        if not m or m.group(1) not in _HEADER_KEYS:
            break
        values[m.group(1)] = m.group(2).strip()
        count += 1
    if not values:
        return None
    raw = values.get("separator", "tab")
    separator = _SEPARATORS.get(raw.lower(), raw[:1] or "\t")
    layout = _Layout(separator, html=values.get("html", "false").lower() == "true", header_lines=count,
                     deck=values.get("deck", ""), tags=tuple(values.get("tags", "").split()), declared=True)
    names = [name.strip().lower() for name in values.get("columns", "").split(separator)]
    if "tags" in names and "tags column" not in values:
        values["tags column"] = str(names.index("tags") + 1)      # "#columns:Front	Back	Tags"
    for key in ("tags column", "deck column", "notetype column", "guid column"):
        number = values.get(key, "")
        if number.isdigit() and int(number) >= 1:
            layout.skip_columns.add(int(number) - 1)
            if key == "tags column":
                layout.tags_column = int(number) - 1
            elif key == "deck column":
                layout.deck_column = int(number) - 1
    return layout


def _records(text: str, separator: str, source: Source | None = None,
             offset: int = 0) -> list[tuple[int, list[str]]]:
    """(0-based line where the record starts, fields) of every non-blank record. A row the
    csv module cannot read ends the table; `source`, when given, is told where."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, quotechar='"', strict=False)
    out = []
    start = 0
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                out.append((start, row))
            start = reader.line_num
    except csv.Error as err:   # a field too large or a NUL: the rows so far stand
        if source is not None:
            line = source.lineno(offset + start)
            rest = sum(1 for later in text.split("\n")[start + 1:] if later.strip())
            source.report(line, f"line {line}: this row cannot be read as a table row ({err}); "
                                f"it and the {rest} line(s) after it give no cards")
    return out


def _table_shaped(rows: list[list[str]], separator: str) -> bool:
    """Rows of one width (2-8 fields) whose fields are cells, not clauses of sentences."""
    if len(rows) < (2 if separator == "\t" else 3):
        return False
    width, count = Counter(len(row) for row in rows).most_common(1)[0]
    if not 2 <= width <= 8 or count < 0.9 * len(rows):
        return False
    cells = [cell for row in rows for cell in row[1:]]
    if separator != "\t" and sum(cell.startswith(" ") for cell in cells) > 0.3 * len(cells):
        return False           # "first, second, third": prose split at its commas
    # question and answer cells hold words; a table of numbers is data, not cards
    worded = sum(bool(_LETTER.search(row[0])) and bool(_LETTER.search(" ".join(row[1:]))) for row in rows)
    return worded >= 0.8 * len(rows)


def _names_columns(row: list[str]) -> bool:
    named = [cell.strip().lower() for cell in row if cell.strip()]
    return len(named) >= 2 and all(cell in _COLUMN_NAMES for cell in named)


# --- cards -----------------------------------------------------------------------------

def _card(source: Source, layout: _Layout, row: list[str], line: int) -> Card | None:
    fields = [cell for k, cell in enumerate(row) if k not in layout.skip_columns]
    convert = _html_to_markdown if layout.html else _plain_field
    question_md = _question(fields[0], layout.html) if fields else ""
    if not question_md:
        source.report(line, f"line {line}: a row with an empty first field ({_preview(row)}); skipped")
        return None
    question, cloze_answer = _cloze(question_md)
    parts = [convert(cell).strip() for cell in fields[1:]]
    answer = "\n\n".join(p for p in [cloze_answer, *parts] if p)
    if len(fields) < 2:
        source.report(line, f"line {line}: a row with only one field; kept as an unanswered card")
    tags = layout.tags
    if layout.tags_column is not None and layout.tags_column < len(row):
        tags = tags + tuple(row[layout.tags_column].split())
    deck = row[layout.deck_column] if layout.deck_column is not None and layout.deck_column < len(row) else ""
    section = tuple(p.strip() for p in (deck or layout.deck).split("::") if p.strip())
    return Card(question=question, answer=answer, source=source.name, line=line,
                section=source.section_prefix + section, tags=tuple(dict.fromkeys(tags)),
                answered=bool(answer.strip()))


def _question(cell: str, html: bool) -> str:
    """The question as plain text (it is shown as a line, not as a document): tags
    dropped, line breaks kept, math in `$…$`."""
    if html:
        parser = _FieldHTML(escape=False)
        parser.feed(cell)
        parser.close()
        parser.flush()
        cell = "".join(parser.out)
    return "\n".join(" ".join(line.split()) for line in cell.strip().split("\n") if line.strip())


def _cloze(text: str) -> tuple[str, str]:
    """A cloze note: the question blanks each `{{c1::answer::hint}}`, the answer shows the text whole."""
    if not _CLOZE.search(text):
        return text, ""

    def blank(m: re.Match) -> str:
        hint = m.group(1).split("::", 1)
        return f"[{hint[1]}]" if len(hint) > 1 and hint[1] else "[…]"

    def reveal(m: re.Match) -> str:
        return m.group(1).split("::", 1)[0]

    return _CLOZE.sub(blank, text), _CLOZE.sub(reveal, text)


def _preview(row: list[str]) -> str:
    text = " | ".join(cell.strip() for cell in row)
    return repr(text[:60])


# --- HTML fields -------------------------------------------------------------------------

class _FieldHTML(HTMLParser):
    """Anki field HTML to markdown: line breaks and blocks become breaks and paragraphs,
    bold and italics become markdown, every other tag leaves its text (an image its file
    name), and the text itself is escaped like any note text."""

    BLOCKS = {"div", "p", "ul", "ol", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
              "script", "style"}  # (the text of a script or style stays as text, on its own line)
    MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*"}

    def __init__(self, escape: bool = True) -> None:
        super().__init__(convert_charrefs=True)
        self.escape = escape          # False: plain text for a question (no markdown, no escapes)
        self.out: list[str] = []
        self.text: list[str] = []
        self.opened: list[int] = []   # where the open bold / italic markers sit in `out`

    def flush(self) -> None:
        if self.text:
            text = "".join(self.text)
            self.out.append(plain_to_markdown(text, math=True) if self.escape else inline_math(text))
            self.text = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.flush()
            self.out.append("\\\n" if self.escape else "\n")      # a CommonMark hard line break
        elif tag in self.BLOCKS:
            self.flush()
            self.out.append("\n- " if tag == "li" else "\n\n")
        elif tag in self.MARKS and self.escape:
            self.flush()
            self.out.append(self.MARKS[tag])
            self.opened.append(len(self.out) - 1)
        elif tag == "img":
            attrs = dict(attrs)
            name = attrs.get("alt") or attrs.get("src") or ""
            if name:
                self.text.append(f"[image: {name}]")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.flush()
            self.out.append("" if tag == "li" else "\n\n")
        elif tag in self.MARKS and self.opened:
            self.flush()
            start = self.opened.pop()
            inner = "".join(self.out[start + 1:])
            if not inner.strip():
                del self.out[start]          # <b></b> or <b> </b>: no emphasis at all
                return
            # "**word **" is no emphasis in markdown: spaces go outside the markers
            self.out[start + 1:] = [inner.strip()]
            lead, trail = inner[:len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()):]
            self.out[start] = lead + self.out[start]
            self.out.append(self.MARKS[tag] + trail)

    def handle_data(self, data):
        self.text.append(data.replace("\xa0", " "))


def _plain_field(text: str) -> str:
    """A plain-text field: escaped, its line breaks kept as hard breaks."""
    lines = plain_to_markdown(text.replace("\r\n", "\n")).split("\n")
    return _tidy_lines("\n".join(line + "\\" if k + 1 < len(lines) and lines[k + 1].strip() and line.strip()
                                 else line for k, line in enumerate(lines)))


def _html_to_markdown(html: str) -> str:
    parser = _FieldHTML()
    parser.feed(html)
    parser.close()
    parser.flush()
    return _tidy_lines("".join(parser.out))


def _tidy_lines(text: str) -> str:
    """At most one blank line between blocks, no blank lines at the ends, no line that is
    only a hard break."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip(" \t")
        if line.strip() in ("", "\\"):
            if out and out[-1]:
                out.append("")
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    if out and out[-1].endswith("\\") and not out[-1].endswith("\\\\"):
        out[-1] = out[-1][:-1]            # a break at the very end breaks nothing
    return "\n".join(out)
