"""HTML written in the notes: the one policy every card follows (README, "HTML in your notes").

- A tag with a markdown equivalent becomes the HTML markdown would make for it, with no
  attributes of its own: `<b>`/`<strong>` bold, `<i>`/`<em>` italic, `<code>`/`<tt>`/`<kbd>`
  code, `<s>`/`<del>`/`<strike>` struck, `<br>`, `<a href>` a link (web and mail addresses
  only), `<img>` an image like `![alt](src)`; in HTML blocks also paragraphs, headings,
  lists, quotes, rules, `<pre>` code and tables. It converts only as a matched pair
  (`What does the <b> tag do?` keeps its `<b>`) and only when its attributes are real
  `name="value"` markup (`if a<b and c>d` stays prose).
- Everything else (`<span>`, `<u>`, `<div>`, `<script>`, comments, …) is shown as the text
  it is, so no word is lost: the learner sees what the notes say.
- Nothing executable: no attribute from the notes is ever copied except a checked link or
  image address, and every text goes through the same escaping as markdown text.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

INLINE_EQUIVALENTS = {"b": "strong", "strong": "strong", "i": "em", "em": "em", "code": "code", "tt": "code",
                      "kbd": "code", "s": "s", "del": "s", "strike": "s", "br": "br", "a": "a", "img": "img"}
BLOCK_EQUIVALENTS = {**INLINE_EQUIVALENTS, "p": "p", "hr": "hr", "blockquote": "blockquote", "pre": "pre",
                     "ul": "ul", "ol": "ol", "li": "li", "table": "table", "thead": "thead", "tbody": "tbody",
                     "tr": "tr", "th": "th", "td": "td", **{f"h{n}": f"h{n}" for n in range(1, 7)}}
VOID = frozenset({"br", "hr", "img"})


@dataclass
class Tag:
    """One piece of HTML: a start, end or void tag (`name` is its markdown equivalent, or
    "" when it has none), or anything else (`kind` "text": data, comments, declarations)."""

    kind: str      # "start", "end", "void", "text"
    raw: str       # the source text, shown when the tag is not converted
    name: str = ""
    attrs: dict | None = None
    convert: bool = False


class _Splitter(HTMLParser):
    """Cuts an HTML fragment into Tags; every character of it lands in one `raw`."""

    def __init__(self, equivalents: dict[str, str]):
        super().__init__(convert_charrefs=False)
        self.equivalents = equivalents
        self.pieces: list[Tag] = []

    def _tag(self, kind: str, tag: str, attrs, raw: str) -> None:
        name = self.equivalents.get(tag, "")
        if name and kind == "start" and name in VOID:
            kind = "void"
        # bare words inside a tag ("a<b and c>d") are prose, not attributes
        if name and attrs and any(value is None for _, value in attrs):
            name = ""
        self.pieces.append(Tag(kind, raw, name, dict(attrs or ())))

    def handle_starttag(self, tag, attrs):
        self._tag("start", tag, attrs, self.get_starttag_text() or f"<{tag}>")

    def handle_startendtag(self, tag, attrs):
        self._tag("void" if self.equivalents.get(tag) in VOID else "text", tag, attrs,
                  self.get_starttag_text() or f"<{tag}/>")

    def handle_endtag(self, tag):
        self._tag("end", tag, (), f"</{tag}>")

    def handle_data(self, data):
        self.pieces.append(Tag("text", data))

    def handle_entityref(self, name):
        self.pieces.append(Tag("text", f"&{name};"))

    def handle_charref(self, name):
        self.pieces.append(Tag("text", f"&#{name};"))

    def handle_comment(self, data):
        self.pieces.append(Tag("text", f"<!--{data}-->"))

    def handle_decl(self, decl):
        self.pieces.append(Tag("text", f"<!{decl}>"))

    def unknown_decl(self, data):
        self.pieces.append(Tag("text", f"<![{data}]>"))

    def handle_pi(self, data):
        self.pieces.append(Tag("text", f"<?{data}>"))


def split_html(fragment: str, block: bool = False) -> list[Tag]:
    """The pieces of `fragment`; converted pairs are marked (see `pair_up`)."""
    splitter = _Splitter(BLOCK_EQUIVALENTS if block else INLINE_EQUIVALENTS)
    splitter.feed(fragment)
    splitter.close()
    return splitter.pieces  # close() hands over what it held back (an unfinished "<b") as text


def pair_up(pieces: list[Tag]) -> None:
    """Mark the tags that convert: void tags with an equivalent, and start/end tags of
    one equivalent that close each other in proper nesting. The rest stay text."""
    open_: list[Tag] = []
    for piece in pieces:
        if not piece.name:
            continue
        if piece.kind == "void":
            piece.convert = True
        elif piece.kind == "start":
            open_.append(piece)
        elif piece.kind == "end":
            for depth in range(len(open_) - 1, -1, -1):
                if open_[depth].name == piece.name:
                    open_[depth].convert = piece.convert = True
                    del open_[depth:]  # tags opened inside and never closed stay text
                    break


def start_tag(piece: Tag, safe_url, remote_images: bool, text) -> str:
    """The HTML for a converted start or void tag: the equivalent's own markup only.
    `safe_url(url)` is the checked address or None; `text(s)` renders plain text."""
    name, attrs = piece.name, piece.attrs or {}
    if name == "a":
        href = safe_url(attrs.get("href") or "")
        return f'<a href="{escape(href)}">' if href else "<a>"
    if name == "img":
        return image_html(attrs.get("src") or "", attrs.get("alt") or "", safe_url, remote_images, text)
    return f"<{name}>"


def image_html(src: str, alt: str, safe_url, remote_images: bool, text) -> str:
    """An image from the notes. A web image loads on every review, so it shows only with
    `remote_images`; otherwise it is a link to it. A local path would be a missing media
    file in Anki: its alt text stands in."""
    label = f'[image{": " + text(alt) if alt else ""}]'
    url = safe_url(src) if src.startswith(("https://", "http://")) else None
    if url and remote_images:
        return f'<img src="{escape(url)}" alt="{escape(alt)}">'
    if url:
        return f'<a class="dg-image" href="{escape(url)}">{label}</a>'
    return f'<span class="dg-image">{label}</span>'
