"""Plain source text as CommonMark, with math kept as math and nothing else turned into it.

Anki's MathJax typesets whatever sits between `\\(…\\)` or `\\[…\\]` in a card, so a reader
must never write those by accident: an escaped `[` (`\\[0.8, 0.2\\]`) is drawn as display
math. Here only `$…$`, `$$…$$` and backslash-bracket math in a math context become math;
everything else that looks like brackets stays text. Spans are bounded in length so the
patterns stay linear on hostile input.
"""

from __future__ import annotations

import re

# \(…\), \[…\], $$…$$, $…$ (no space inside the dollars, so "$5 and $10" is no math)
_MATH = re.compile(r"\\\((.{1,2000}?)\\\)|\\\[(.{1,2000}?)\\\]|\$\$(.{1,2000}?)\$\$"
                   r"|\$(?=\S)([^$\n]{1,500}?)(?<=\S)\$")
# What makes `\(…\)` / `\[…\]` math rather than a markdown escape around plain brackets.
_MATH_SIGN = re.compile(r"\\[A-Za-z]|[\^_=<>{}|]|[+\-*/]\s*[\w(]")
# `]` is escaped (it is what closes a link); `[` is not: `\[` is a MathJax delimiter.
_MD_SPECIAL = re.compile(r"([\\`*_\]<>~$])")
_MD_LINE_START = re.compile(r"^([ \t]*)([#>+=-]|\d{1,9}[.)])", re.M)
_ENTITY = re.compile(r"&(?=#?\w{1,32};)")
_LONE_OPENER = re.compile(r"\\(?=[(\[])")


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
    for m in _MATH.finditer(text):
        inline, display, dollars2, dollars = m.groups()
        body = next(g for g in m.groups() if g is not None).strip()
        bracketed = inline is not None or display is not None
        if bracketed and not (math or looks_like_math(body, inline is not None)):
            # a markdown escape around plain brackets ("\[0.8, 0.2\]"): the brackets are text
            out.append(_escape(text[pos:m.start()]))
            out.append(_escape(m.group(0)[1:-2] + m.group(0)[-1]))
            pos = m.end()
            continue
        out.append(_escape(text[pos:m.start()]))
        out.append(f"$${body}$$" if display is not None or dollars2 is not None else f"${body}$")
        pos = m.end()
    out.append(_escape(text[pos:]))
    return _MD_LINE_START.sub(_escape_line_start, "".join(out))


def _escape_line_start(m: re.Match) -> str:
    """`# x` -> `\\# x`, `12. x` -> `12\\. x` (a backslash escapes punctuation, not digits)."""
    marker = m.group(2)
    return m.group(1) + marker[:-1] + "\\" + marker[-1]


def _escape(text: str) -> str:
    text = _LONE_OPENER.sub("", text)   # a lone `\(` or `\[` would open MathJax in Anki
    return _ENTITY.sub(r"\\&", _MD_SPECIAL.sub(r"\\\1", text))


def inline_math(text: str) -> str:
    """A question line (kept as written, not escaped): `\\(…\\)` math becomes `$…$`; a
    backslash-bracket pair around plain text loses its backslashes."""
    def one(m: re.Match) -> str:
        inline, display = m.group(1), m.group(2)
        if inline is None and display is None:
            return m.group(0)                      # $…$ stays as written
        body = inline if inline is not None else display
        if looks_like_math(body, inline is not None):
            return f"${body.strip()}$"
        return m.group(0)[1:-2] + m.group(0)[-1]
    return _LONE_OPENER.sub("", _MATH.sub(one, text)) if "\\" in text else text
