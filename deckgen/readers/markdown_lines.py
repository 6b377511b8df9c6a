"""Markdown source lines, each labelled by the markdown-it-py block token that holds it.

The reader never re-tokenizes markdown: fences, indented code, headings (ATX and setext),
list items, tables, rules, HTML blocks and front matter come from the shared parser
(`deckgen.mdconfig.document_markdown`), and every line keeps its source text, so an
answer is the author's own lines. HTML with a markdown equivalent is turned into that
markdown first (`<details><summary>`, `<b>`, `<li>`, `<pre>`, `<h2>`, entities); the
text of every other tag stays, so no word is lost.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from deckgen.card import Source


@dataclass
class Line:
    index: int
    text: str                 # stripped text
    kind: str                 # blank, code, fence, heading, numbered, bullet, hr, table, text
    level: int = 0            # heading level
    title: str = ""           # heading / numbered / bullet content
    number: int | None = None
    bullet_heading: bool = False
    indent: int = 0           # leading spaces of the raw line (tabs count 4)


# --- HTML inside markdown ----------------------------------------------------------------

_HTML_TAGS = ("details|summary|p|br|hr|b|strong|i|em|u|ul|ol|li|code|pre|div|span|img|a|sup|sub|"
              "h[1-6]|center|kbd|blockquote|table|thead|tbody|tr|td|th|font|small|mark|del|s|strike|ins|"
              "dl|dt|dd|section|figure|figcaption|picture|source|video|iframe|input|label|button|tt|abbr")
HTML_TAG = re.compile(rf"<(/?)({_HTML_TAGS})\b[^<>]*?(/?)>", re.I)
_SUMMARY = re.compile(r"<summary\b[^>]*>(.*?)(?:</summary>|$)", re.I)
_LINK_TAG = re.compile(r"<a\b[^>]*?href=[\"']([^\"']*)[\"'][^>]*>(.*?)</a>", re.I)
_IMG_TAG = re.compile(r"<img\b[^<>]*>", re.I)
_ATTR = re.compile(r"""\b(alt|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>]+))""", re.I)
_CODE_SPAN = re.compile(r"(`+)[^`\n].*?\1")  # inline code: HTML there is code
_HEADING_TAG = re.compile(r"^\s*<h([1-6])\b[^>]*>(.*?)</h\1>\s*$", re.I)
_ENTITY = re.compile(r"&(?:[a-z]{2,8}|#\d{2,6}|#x[0-9a-f]{2,5});", re.I)
_PRE_OPEN = re.compile(r"^\s*<pre\b[^>]*>(?:\s*<code\b[^>]*>)?\s*$", re.I)
_PRE_CLOSE = re.compile(r"</pre>", re.I)
# "<summary>Answer</summary>": a reveal label, not content.
_REVEAL_LABEL = re.compile(r"^\W*(?:show|see|view|reveal|click|tap|toggle|expand|open|hide|check)?\b[\w\s]{0,20}?"
                           r"\b(?:answers?|solutions?|explanations?|hints?|ans|details|expand|reveal|more)\b\W*$"
                           r"|^\W*$", re.I)
_INLINE_TAGS = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`", "tt": "`", "kbd": "`"}


def strip_comments(text: str) -> str:
    """`text` without `<!-- … -->` comments (found with str.find: a regex would retry
    from every `<!--` of an unclosed run, in quadratic time)."""
    out, pos = [], 0
    while (start := text.find("<!--", pos)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        out.append(text[pos:start])
        pos = end + 3
    return "".join(out) + text[pos:] if out else text


def strip_tags(text: str) -> str:
    return HTML_TAG.sub("", text)


def _image(m: re.Match) -> str:
    """`<img>` as its markdown equivalent `![alt](src)` (the renderer shows it as a link or
    its alt text; a title drops it), or as its alt text when it has no address."""
    attrs = {a.group(1).lower(): next(g for g in a.groups()[1:] if g is not None) for a in _ATTR.finditer(m[0])}
    alt = " ".join(attrs.get("alt", "").replace("]", ")").replace("[", "(").split())
    src = attrs.get("src", "").strip().replace(" ", "%20").replace(")", "%29")
    if src:
        return f" ![{alt}]({src}) "
    return f" {alt} " if alt else ""


def html_line(raw: str) -> str:
    """One line with its HTML turned into markdown text (unchanged when it holds none);
    inline code keeps its text as written."""
    if "<" not in raw and "&" not in raw:
        return raw
    text = strip_comments(raw)
    if text == raw and not (HTML_TAG.search(raw) or _ENTITY.search(raw)):
        return raw
    if "`" in text and _CODE_SPAN.search(text):
        spans: list[str] = []

        def hold(m: re.Match) -> str:
            spans.append(m[0])
            return f"\x00{len(spans) - 1}\x00"

        held = _html_text(_CODE_SPAN.sub(hold, text), raw)
        return re.sub("\x00(\\d+)\x00", lambda m: spans[int(m[1])], held)
    return _html_text(text, raw)


def _html_text(text: str, raw: str) -> str:
    """`text` (a line of `raw`, inline code held out) with its tags turned into markdown."""
    def summary(m: re.Match) -> str:
        label = strip_tags(m.group(1)).strip()
        return "" if _REVEAL_LABEL.match(label) else f"**{label}**"

    text = _SUMMARY.sub(summary, text)
    text = _LINK_TAG.sub(lambda m: f"[{strip_tags(m.group(2)).strip()}]({m.group(1)})", text)
    text = _IMG_TAG.sub(_image, text)
    heading = _HEADING_TAG.match(text)
    if heading:
        text = "#" * int(heading.group(1)) + " " + strip_tags(heading.group(2)).strip()
    items = re.split(r"<li\b[^>]*>", text, flags=re.I)
    if len(items) > 1:  # list items: one markdown bullet each
        text = items[0] + "\n".join("- " + item.strip() for item in items[1:])
        text = text.lstrip("\n") if not items[0].strip() else text

    def tag(m: re.Match) -> str:
        name = m.group(2).lower()
        if name in _INLINE_TAGS:
            return _INLINE_TAGS[name]
        return " " if name in ("br", "td", "th") else ""

    text = html.unescape(HTML_TAG.sub(tag, text))
    indent = raw[:len(raw) - len(raw.lstrip())]
    lines = [" ".join(part.split()) for part in text.split("\n")]
    return indent + "\n".join(line for line in lines if line) if any(lines) else ""


def _code_lines(tokens, raws: list[str]) -> set[int]:
    """Indexes of the lines inside fences and indented code (HTML there is code); a fence
    that never closes is read as text later, so its lines are not code here either."""
    out: set[int] = set()
    for tok in tokens:
        if tok.type in ("fence", "code_block") and tok.map and (tok.type == "code_block" or _closes(tok, raws)):
            out.update(range(*tok.map))
    return out


def _convert_html(raws: list[str], tokens) -> tuple[list[str], list[int]] | None:
    """Lines with HTML turned into markdown and, per new line, the original line index;
    None when nothing changed."""
    code = _code_lines(tokens, raws)
    out: list[str] = []
    origin: list[int] = []
    changed = False
    in_pre = False
    for i, raw in enumerate(raws):
        if i in code:
            new = raw
        elif in_pre:
            in_pre = not _PRE_CLOSE.search(raw)
            new = "```" if not in_pre else html.unescape(strip_tags(raw))
        elif "<" in raw and _PRE_OPEN.match(raw):
            in_pre, new = True, "```"
        else:
            new = html_line(raw)
        changed |= new != raw
        for part in new.split("\n"):
            out.append(part)
            origin.append(i)
    return (out, origin) if changed else None


# --- tokens to lines -------------------------------------------------------------------

_YAML_LINE = re.compile(r"^(?:[\w-]+\s*:|-\s|#|\s)")
_LIST_TITLE = re.compile(r"^\s*(?:>\s*)*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")


def _tokens(text: str):
    from deckgen.mdconfig import document_markdown

    tokens = document_markdown().parse(text)
    if tokens and tokens[0].type == "front_matter" and not all(
            _YAML_LINE.match(ln) or not ln.strip() for ln in tokens[0].content.split("\n")):
        tokens = document_markdown(front_matter=False).parse(text)  # a rule, not metadata
    return tokens


def read_lines(source: Source) -> tuple[list[Line], list[int]]:
    """The labelled lines of `source` and, per line, its index in `source.text`."""
    # markdown-it breaks lines at a lone "\r" too: a space keeps its lines those of the source
    text = source.text.replace("\r", " ") if "\r" in source.text else source.text
    raws = text.split("\n")
    tokens = _tokens(text)
    origin = list(range(len(raws)))
    converted = _convert_html(raws, tokens)
    if converted is not None:
        raws, origin = converted
        tokens = _tokens("\n".join(raws))
    unclosed: set[int] = set()
    for _ in range(50):  # each fence read as text may leave another one unclosed below it
        found = _unclosed_fences(raws, tokens, source, origin)
        if not found:
            break
        unclosed |= found
        tokens = _tokens("\n".join("" if i in unclosed else raw for i, raw in enumerate(raws)))
    lines = [_plain_line(i, raw) for i, raw in enumerate(raws)]
    _label(lines, raws, tokens)
    return _answer_headings(lines), origin


def _closes(tok, raws: list[str]) -> bool:
    start, end = tok.map
    closing = raws[end - 1].strip() if end - 1 > start else ""
    return closing.startswith(tok.markup) and not closing.strip(tok.markup[0] + " ")


def _unclosed_fences(raws: list[str], tokens, source: Source, origin: list[int]) -> set[int]:
    """Opening lines of fences that never close: such a fence would swallow the rest of
    the notes, so its opening line is read as text (and the parse redone without it)."""
    out: set[int] = set()
    for tok in tokens:
        if tok.type == "fence" and tok.map and not _closes(tok, raws):
            source.report(source.lineno(origin[tok.map[0]]), "code fence never closed; read as plain text")
            out.add(tok.map[0])
    return out


def _plain_line(i: int, raw: str) -> Line:
    expanded = raw.expandtabs(4)
    s = raw.strip()
    return Line(i, s, "text" if s else "blank", title=s, indent=len(expanded) - len(expanded.lstrip()))


def _label(lines: list[Line], raws: list[str], tokens) -> None:
    bullet_lines: set[int] = set()
    for k, tok in enumerate(tokens):
        if tok.map is None:
            continue
        start, end = tok.map
        if tok.type == "fence":
            _fence(lines, raws, tok)
        elif tok.type == "code_block":
            body = [lines[i] for i in range(start, end)]
            margin = min((ln.indent for ln in body if ln.kind != "blank"), default=4)
            for ln in body:
                ln.kind, ln.title, ln.text = "code", "indented", raws[ln.index].expandtabs(4)[margin:].rstrip()
        elif tok.type == "heading_open":
            _heading(lines, tok, tokens[k + 1].content, bullet_lines)
        elif tok.type == "hr":
            lines[start].kind = "hr"
        elif tok.type == "table_open":
            for i in range(start, end):
                lines[i].kind = "table"
        elif tok.type == "list_item_open":
            ln = lines[start]
            ordered = tok.markup in (".", ")")
            ln.kind = "numbered" if ordered else "bullet"
            ln.number = int(tok.info) if ordered and tok.info.isdigit() else None
            ln.title = _LIST_TITLE.sub("", raws[start], count=1).strip()
            if not ordered:
                bullet_lines.add(start)
        elif tok.type == "front_matter":
            for i in range(start, end):
                lines[i] = Line(i, "", "blank")


def _fence(lines: list[Line], raws: list[str], tok) -> None:
    start, end = tok.map
    opening = lines[start]
    opening.kind, opening.title = "fence", (tok.info.split() or [""])[0].lower()
    closed = _closes(tok, raws)  # at the end of a list item or quote, the container closes it
    margin = opening.indent
    for i in range(start + 1, end - 1 if closed else end):
        code = raws[i].rstrip()
        width = len(code) - len(code.lstrip(" "))
        lines[i] = Line(i, code[min(width, margin):], "code", indent=lines[i].indent)
    if closed:
        lines[end - 1].kind, lines[end - 1].title = "fence", "close"


def _heading(lines: list[Line], tok, title: str, bullet_lines: set[int]) -> None:
    start, end = tok.map
    if tok.markup in ("=", "-"):  # setext
        if tok.markup == "-" or end - start != 2:
            # a --- under text separates answers in hand-written notes: a rule, not a heading
            lines[end - 1].kind = "hr" if tok.markup == "-" else "text"
            return
        lines[end - 1] = Line(end - 1, "", "blank")
    ln = lines[start]
    ln.kind, ln.level, ln.title = "heading", int(tok.tag[1]), title.strip()
    ln.bullet_heading = start in bullet_lines


_ANSWER_HEADING = re.compile(r"^(?:short |sample |model |the )?(?:answers?|solutions?|explanation|ans)\W*$", re.I)
_MARKS = re.compile(r"[*_`]")


def _answer_headings(lines: list[Line]) -> list[Line]:
    """"### Answer" right under a question heading: the answer follows, the label goes."""
    previous = None
    for ln in lines:
        if ln.kind == "heading" and previous is not None and previous.kind == "heading" and \
                _ANSWER_HEADING.match(_MARKS.sub("", ln.title).strip()):
            ln.kind, ln.text, ln.title = "blank", "", ""
        if ln.kind != "blank":
            previous = ln
    return lines
