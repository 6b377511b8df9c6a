"""Plain source text as CommonMark, with math kept as math and nothing else turned into it.

Anki's MathJax typesets whatever sits between `\\(…\\)` or `\\[…\\]` in a card, so a reader
must never write those by accident: an escaped `[` (`\\[0.8, 0.2\\]`) is drawn as display
math. Here only `$…$`, `$$…$$` and backslash-bracket math in a math context become math;
everything else that looks like brackets stays text. Spans are bounded in length so the
patterns stay linear on hostile input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Where a math span may open: \( \[ $$ $
_OPENER = re.compile(r"\\[(\[]|\$\$?")
_CLOSERS = {"\\(": "\\)", "\\[": "\\]", "$$": "$$", "$": "$"}
_MAX_SPAN = 2000
# What makes `\(…\)` / `\[…\]` math rather than a markdown escape around plain brackets.
_MATH_SIGN = re.compile(r"\\[A-Za-z]|[\^_=<>{}|]|[+\-*/]\s*[\w(]")
# `]` is escaped (it is what closes a link); `[` is not: `\[` is a MathJax delimiter.
_MD_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_]<>~$"})
_MD_LINE_START = re.compile(r"^([ \t]*)([#>+=-]|\d{1,9}[.)])", re.M)
_ENTITY = re.compile(r"&(?=#?\w{1,32};)")
_LONE_OPENER = re.compile(r"\\(?=[(\[])")
_LIST_MARKER = re.compile(r"^\s*(?:[-*]|\d+\.)\s+", re.M)
_MARKS = re.compile(r"[*_`#>\[\]\\]")


def looks_like_math(content: str, inline: bool = False) -> bool:
    """Content that MathJax should typeset: a macro, a sub/superscript, a relation, an
    operator. `\\(…\\)` (`inline`) needs no escape in markdown, so the source meant math
    unless the content reads as prose; `\\[…\\]` is often an escaped bracket and needs a sign."""
    if _MATH_SIGN.search(content):
        return True
    return inline and len(re.findall(r"[^\W\d_]{3,}", content)) < 4


def plain_to_markdown(text: str, math: bool = False) -> str:
    """Source text as markdown: math to `$…$` / `$$…$$`, everything else escaped so it
    renders as the characters it is. `math=True` takes every `\\(…\\)` / `\\[…\\]` as math
    (fields of an Anki export, where that is the math syntax)."""
    out: list[str] = []
    pos = 0
    for start, end, opener, body in math_spans(text):
        out.append(_escape(text[pos:start]))
        pos = end
        if opener in ("\\(", "\\[") and not (math or looks_like_math(body, opener == "\\(")):
            # a markdown escape around plain brackets ("\[0.8, 0.2\]"): the brackets are text
            out.append(_escape(opener[1] + body + _CLOSERS[opener][1]))
            continue
        body = body.strip()
        out.append(f"$${body}$$" if opener in ("\\[", "$$") else f"${body}$")
    out.append(_escape(text[pos:]))
    return _MD_LINE_START.sub(_escape_line_start, "".join(out))


def _escape_line_start(m: re.Match) -> str:
    """`# x` -> `\\# x`, `12. x` -> `12\\. x` (a backslash escapes punctuation, not digits)."""
    marker = m.group(2)
    return m.group(1) + marker[:-1] + "\\" + marker[-1]


def _escape(text: str) -> str:
    text = _LONE_OPENER.sub("", text)   # a lone `\(` or `\[` would open MathJax in Anki
    return _ENTITY.sub(r"\\&", text.translate(_MD_SPECIAL))


def inline_math(text: str) -> str:
    """A question line (kept as written, not escaped): `\\(…\\)` math becomes `$…$`; a
    backslash-bracket pair around plain text loses its backslashes."""
    if "\\" not in text:
        return text
    out: list[str] = []
    pos = 0
    for start, end, opener, body in math_spans(text):
        out.append(_LONE_OPENER.sub("", text[pos:start]))
        pos = end
        if opener.startswith("$"):
            out.append(text[start:end])            # $…$ stays as written
        elif looks_like_math(body, opener == "\\("):
            out.append(f"${body.strip()}$")
        else:
            out.append(opener[1] + body + _CLOSERS[opener][1])
    out.append(_LONE_OPENER.sub("", text[pos:]))
    return "".join(out)


def math_spans(text: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, opener, body) of every \\(…\\), \\[…\\], $$…$$ and $…$ span, left to
    right. `$…$` has no space inside its dollars and no line break ("$5 and $10" is no
    math). Linear: the next closer of each kind is found once and reused."""
    next_close: dict[str, int] = {}
    pos = 0
    while True:
        m = _OPENER.search(text, pos)
        if m is None:
            return
        opener, start = m.group(0), m.start()
        closer = _CLOSERS[opener]
        at = next_close.get(closer, -2)
        if at != -1 and at < m.end():
            at = text.find(closer, m.end())
            next_close[closer] = at
        body = text[m.end():at] if at >= 0 else ""
        if at < 0 or not body or len(body) > _MAX_SPAN or (opener == "$" and not _dollar_body(body)):
            pos = start + 1 if opener != "$$" else start + 2
            continue
        yield start, at + len(closer), opener, body
        pos = at + len(closer)


def _dollar_body(body: str) -> bool:
    return not body[0].isspace() and not body[-1].isspace() and "\n" not in body and len(body) <= 500


def marks_removed(markdown: str) -> str:
    """The words of `markdown` without its marks (list markers, emphasis, code ticks,
    heading and quote marks, brackets, escapes), spaces collapsed: text to compare or
    to match a placeholder against."""
    return " ".join(_MARKS.sub(" ", _LIST_MARKER.sub(" ", markdown)).split())


class ListColumns:
    """Where nested list items go in CommonMark: each item at its parent's content column
    (the parent's indent plus its marker and one space), so `- a` nests `  - b` and
    `1. a` nests `   - b`. Readers that rebuild lists place every item through one."""

    def __init__(self) -> None:
        self.open: list[tuple[int, int]] = []  # (depth, content column) of the open items

    def place(self, depth: int, marker: str) -> int:
        """The indent of an item at `depth` with `marker`; it becomes the open item there."""
        while self.open and self.open[-1][0] >= depth:
            self.open.pop()
        indent = self.content()
        self.open.append((depth, indent + len(marker) + 1))
        return indent

    def content(self) -> int:
        """The content column of the innermost open item (0 outside a list)."""
        return self.open[-1][1] if self.open else 0

    def close(self) -> None:
        self.open.clear()

