"""Markdown -> HTML / plain text, shared by every writer.

One markdown parser (markdown-it-py) serves all outputs. Raw HTML in sources is
never passed through: `html=False` makes markdown-it escape it as text, and its link
validator drops `javascript:`/`vbscript:`/`file:` URLs (the link text stays).

Card HTML (`to_html`, `inline_html`) is what Anki's web view shows:
- math: `$…$` -> `\\(…\\)`, `$$…$$` -> `\\[…\\]` for Anki's MathJax; `\\(…\\)` and `\\[…\\]`
  already in the notes stay as they are. Math is parsed before emphasis (mdit-py-plugins
  dollarmath), so `$a_1 * b_2$` keeps its `_` and `*`; `$5 and $10` stays currency (no
  digits or spaces next to the dollars);
- fenced code: pygments with *inline* styles (no stylesheet needed on mobile), in a
  left-aligned block that scrolls horizontally instead of wrapping;
- tables wrapped in a horizontally scrolling box.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

# Code blocks carry their own colours inline, so they read the same in day and night
# mode and on AnkiDroid/AnkiMobile without any stylesheet.
CODE_STYLE = "github-dark"
_PRE_STYLE = ("text-align:left;overflow-x:auto;white-space:pre;word-wrap:normal;"
              "padding:.6em .8em;border-radius:6px;font-size:.85em;line-height:1.4;"
              "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace;")


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").enable("strikethrough")


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
        content = escape(tokens[idx].content.strip(), quote=False)
        if block:
            return f'<div class="dg-math">{open_}{content}{close}</div>\n'
        return f"{open_}{content}{close}"
    return rule


def _fence(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    return highlight_code(token.content, token.info or "")


def _code_block(self, tokens, idx, options, env) -> str:
    return highlight_code(tokens[idx].content)


def _table_open(self, tokens, idx, options, env) -> str:
    return '<div class="dg-scroll"><table>\n'


def _table_close(self, tokens, idx, options, env) -> str:
    return "</table></div>\n"


def _image(self, tokens, idx, options, env) -> str:
    """Web images stay images; a local or empty path would be a missing media file in
    Anki, so it becomes its alt text."""
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = self.renderInlineAsText(token.children or [], options, env)
    if src.startswith(("https://", "http://")):
        return f'<img src="{escape(src)}" alt="{escape(alt)}">'
    return f'<span class="dg-image">[image{": " + escape(alt, quote=False) if alt else ""}]</span>'


@lru_cache(maxsize=1)
def _card_parser():
    from deckgen.mdconfig import card_markdown

    md = card_markdown()
    for name, rule in (("math_inline", _math("\\(", "\\)")), ("math_inline_double", _math("\\[", "\\]")),
                       ("math_block", _math("\\[", "\\]", block=True)), ("fence", _fence), ("code_block", _code_block),
                       ("table_open", _table_open), ("table_close", _table_close), ("image", _image)):
        md.add_render_rule(name, rule)
    return md


def to_html(markdown: str) -> str:
    """Markdown to safe card HTML (source HTML arrives as visible text)."""
    return _card_parser().render(markdown)


def inline_html(text: str) -> str:
    """One paragraph of inline markdown (a question): code spans, emphasis and math,
    no block structure; line breaks kept."""
    return _card_parser().renderInline(text).replace("\n", "<br>\n")


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
