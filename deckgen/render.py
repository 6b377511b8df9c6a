"""Markdown -> HTML / plain text, shared by every writer.

One markdown parser (markdown-it-py, configured once in `_card_parser`) serves all
outputs. Card HTML (`to_html`, `inline_html`) is what Anki's web view shows:
- HTML written in the notes follows one policy (deckgen.notes_html): what has a markdown
  equivalent becomes that, everything else is shown as text, no word is lost, and no
  attribute from the notes is copied except a checked link or image address;
- link addresses pass markdown-it's validator (no `javascript:`/`vbscript:`/`file:`; the
  link text stays); web images show only with `remote_images` (otherwise a link to them);
- math: `$…$` -> `\\(…\\)`, `$$…$$` -> `\\[…\\]` for Anki's MathJax; `\\(…\\)` and `\\[…\\]`
  already in the notes stay as they are. Math is parsed before emphasis (mdit-py-plugins
  dollarmath), so `$a_1 * b_2$` keeps its `_` and `*`; `$5 and $10` stays currency (no
  digits or spaces next to the dollars). Every math span is made safe for MathJax and no
  other text can open one (deckgen.mathjax);
- fenced code: pygments with *inline* styles (no stylesheet needed on mobile), in a
  left-aligned block that scrolls horizontally instead of wrapping;
- tables wrapped in a horizontally scrolling box.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape, unescape

from deckgen import notes_html
from deckgen.mathjax import defang, safe_tex

# Code blocks carry their own colours inline, so they read the same in day and night
# mode and on AnkiDroid/AnkiMobile without any stylesheet.
CODE_STYLE = "github-dark"
_PRE_STYLE = ("text-align:left;overflow-x:auto;white-space:pre;word-wrap:normal;"
              "padding:.6em .8em;border-radius:6px;font-size:.85em;line-height:1.4;"
              "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace;")


def text_html(text: str) -> str:
    """Plain text from the notes as card HTML: escaped, and no MathJax delimiter."""
    return defang(escape(text, quote=False).replace('"', "&quot;"))


# --- card HTML --------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _code_colours() -> tuple[str, str]:
    from pygments.styles import get_style_by_name
    from pygments.token import Text

    style = get_style_by_name(CODE_STYLE)
    text = style.style_for_token(Text).get("color") or "e6edf3"
    return style.background_color or "#0d1117", "#" + text.lstrip("#")


@lru_cache(maxsize=1)
def _formatter():
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(noclasses=True, nowrap=True, style=CODE_STYLE)


@lru_cache(maxsize=64)
def _lexer(lang: str):
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(lang, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def highlight_code(code: str, lang: str = "") -> str:
    """A complete `<pre>` block: pygments-highlighted with inline styles when the
    language is known, escaped plain text otherwise."""
    background, colour = _code_colours()
    lexer = _lexer(lang.strip().split()[0].casefold()) if lang.strip() else None
    if lexer is not None:
        from pygments import highlight

        body = highlight(code, lexer, _formatter())
    else:
        body = escape(code, quote=False)
    body = body.rstrip("\n")
    return (f'<pre class="dg-code" style="{_PRE_STYLE}background:{background};color:{colour}">'
            f"<code>{body}</code></pre>\n")


def _math(open_: str, close: str, block: bool = False):
    def rule(self, tokens, idx, options, env) -> str:
        content = escape(safe_tex(tokens[idx].content.strip()), quote=False)
        if block:
            return f'<div class="dg-math">{open_}{content}{close}</div>\n'
        return f"{open_}{content}{close}"
    return rule


def _text(self, tokens, idx, options, env) -> str:
    return text_html(tokens[idx].content)


def _fence(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    return highlight_code(token.content, token.info or "")


def _code_block(self, tokens, idx, options, env) -> str:
    return highlight_code(tokens[idx].content)


_TABLE_OPEN, _TABLE_CLOSE = '<div class="dg-scroll"><table>\n', "</table></div>\n"


def _table_open(self, tokens, idx, options, env) -> str:
    return _TABLE_OPEN


def _table_close(self, tokens, idx, options, env) -> str:
    return _TABLE_CLOSE


def _safe_url(url: str) -> str | None:
    """A web or mail address markdown-it accepts as a link, normalized; else None."""
    url = url.strip()
    if not url.casefold().startswith(("https://", "http://", "mailto:")):
        return None
    md = _card_parser()
    return md.normalizeLink(url) if md.validateLink(url) else None


def _image(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    return notes_html.image_html(str(token.attrGet("src") or ""), alt, _safe_url,
                                 env.get("remote_images", False), text_html)


# --- HTML from the notes (the policy is deckgen.notes_html) --------------------------------

def _pair_inline_html(state) -> None:
    """Core rule: the HTML tags of each paragraph are paired up before rendering, so a
    tag converts only when it is closed in the same paragraph."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        pieces = []
        for child in token.children:
            if child.type == "html_inline":
                child.meta["pieces"] = notes_html.split_html(child.content)
                pieces.extend(child.meta["pieces"])
        notes_html.pair_up(pieces)


def _piece_html(piece, env) -> str:
    if not piece.convert:
        return text_html(piece.raw)
    if piece.kind == "end":
        return _TABLE_CLOSE if piece.name == "table" else f"</{piece.name}>"
    if piece.name == "table":
        return _TABLE_OPEN
    return notes_html.start_tag(piece, _safe_url, env.get("remote_images", False), text_html)


def _html_inline(self, tokens, idx, options, env) -> str:
    pieces = tokens[idx].meta.get("pieces") or notes_html.split_html(tokens[idx].content)
    return "".join(_piece_html(p, env) for p in pieces)


def _html_block(self, tokens, idx, options, env) -> str:
    """A block of HTML: converted tags, and the text between them read as inline markdown
    (so `$x$` and `**bold**` inside a `<p>` work); `<pre>` content is code."""
    pieces = notes_html.split_html(tokens[idx].content, block=True)
    notes_html.pair_up(pieces)
    out: list[str] = []
    text: list[str] = []
    code: list[str] | None = None
    for piece in pieces:
        if code is not None:  # inside <pre>: everything up to </pre> is code text
            if piece.convert and piece.name == "pre":
                out.append(highlight_code("".join(code)))
                code = None
            elif piece.name != "code":  # <pre><code>: the usual wrapping, not content
                code.append(unescape(piece.raw) if piece.kind == "text" else piece.raw)
            continue
        if piece.kind == "text" and not piece.raw.startswith("<"):
            text.append(piece.raw)
            continue
        if text:
            out.append(_card_parser().renderInline("".join(text), env))
            text = []
        if piece.convert and piece.name == "pre" and piece.kind == "start":
            code = []
        else:
            out.append(_piece_html(piece, env))
    if text:
        out.append(_card_parser().renderInline("".join(text), env))
    if code is not None:
        out.append(highlight_code("".join(code)))
    return "".join(out) + "\n"


@lru_cache(maxsize=1)
def _card_parser():
    """The one markdown-it configuration (deckgen.mdconfig) with card HTML's render rules."""
    from deckgen.mdconfig import card_markdown

    md = card_markdown()
    md.core.ruler.push("pair_inline_html", _pair_inline_html)
    for name, rule in (("math_inline", _math("\\(", "\\)")), ("math_inline_double", _math("\\[", "\\]")),
                       ("math_block", _math("\\[", "\\]", block=True)), ("fence", _fence), ("code_block", _code_block),
                       ("table_open", _table_open), ("table_close", _table_close), ("image", _image),
                       ("text", _text), ("html_inline", _html_inline), ("html_block", _html_block)):
        md.add_render_rule(name, rule)
    return md


def to_html(markdown: str, *, remote_images: bool = False) -> str:
    """Markdown to safe card HTML (HTML in it follows deckgen.notes_html)."""
    return _card_parser().render(markdown, {"remote_images": remote_images})


def inline_html(text: str, *, remote_images: bool = False) -> str:
    """One paragraph of inline markdown (a question): code spans, emphasis and math,
    no block structure; line breaks kept."""
    return _card_parser().renderInline(text, {"remote_images": remote_images}).replace("\n", "<br>\n")


# --- plain text -------------------------------------------------------------------------

def to_text(markdown: str) -> str:
    """Markdown to readable plain text: markers stripped, lists and code kept."""
    lines = []
    fence = False
    for raw in markdown.split("\n"):
        stripped = raw.strip()
        if stripped.startswith("```") or stripped.startswith("~~~"):
            fence = not fence
            continue
        if not fence:
            raw = raw.replace("**", "").replace("__", "")
            if stripped.startswith("#"):
                raw = stripped.lstrip("#").strip()
        lines.append(raw)
    return "\n".join(lines).strip()
