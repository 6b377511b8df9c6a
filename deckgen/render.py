"""Markdown -> HTML / plain text, shared by every writer.

One markdown parser (markdown-it-py) serves all outputs. Raw HTML in sources is
never passed through: `html=False` makes markdown-it escape it as text.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").enable("strikethrough")


def to_html(markdown: str) -> str:
    """Markdown to safe HTML (source HTML arrives as visible text)."""
    return _parser().render(markdown)


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
