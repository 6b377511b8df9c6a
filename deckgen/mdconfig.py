"""The one markdown-it-py configuration: what deckgen counts as markdown.

Readers and the renderer parse with the same syntax, so a `~~~` fence holding
`## a comment` is code for both. CommonMark, tables and strikethrough, `$…$`/`$$…$$`
math (mdit-py-plugins dollarmath: parsed before emphasis, `$5 and $10` stays currency)
and notes that already write `\\(…\\)`/`\\[…\\]`.

`card_markdown()` is what the renderer uses (HTML follows deckgen.notes_html's policy). `document_markdown()`
reads a whole notes file: the same syntax plus YAML front matter and HTML blocks (so the
reader can find HTML and turn it into markdown), block structure only (the reader needs
`token.map` line ranges and inline content as text, not inline tokens).
"""

from __future__ import annotations

from functools import lru_cache


def bracket_math(state, silent: bool) -> bool:
    """Inline rule for `\\(…\\)` / `\\[…\\]`: markdown would read the backslashes as
    escapes and drop them."""
    src, pos = state.src, state.pos
    if not src.startswith(("\\(", "\\["), pos):
        return False
    close = "\\)" if src[pos + 1] == "(" else "\\]"
    end = src.find(close, pos + 2)
    if end < 0:
        return False
    if not silent:
        token = state.push("math_inline" if close == "\\)" else "math_inline_double", "math", 0)
        token.content = src[pos + 2:end]
        token.markup = src[pos:pos + 2]
    state.pos = end + 2
    return True


def _configured(html: bool):
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark", {"html": html, "linkify": False})
    md.enable("table").enable("strikethrough")
    md.use(dollarmath_plugin, allow_labels=False, allow_space=False, allow_digits=False, double_inline=True)
    md.inline.ruler.before("escape", "math_bracket", bracket_math)
    return md


def card_markdown():
    """A fresh parser for card answers (the renderer adds its render rules to it; HTML in
    the notes is parsed so that deckgen.notes_html can apply its policy to it)."""
    return _configured(html=True)


@lru_cache(maxsize=2)
def document_markdown(front_matter: bool = True):
    """The shared parser for whole notes files: block tokens only."""
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = _configured(html=True)
    if front_matter:
        md.use(front_matter_plugin)
    md.disable("inline")
    return md
