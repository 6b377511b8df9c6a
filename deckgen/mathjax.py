"""What Anki's MathJax may see: only our own math spans, with no macro that can run
script, make links or restyle the page.

Anki typesets `\\(…\\)` and `\\[…\\]` in every field of a card (its MathJax config has no
`$` delimiters, no environments outside delimiters, no `\\ref` outside math). MathJax
macros reach far beyond drawing formulas: `\\href{javascript:…}` makes a link,
`\\style`/`\\class`/`\\cssId`/`\\bbox[…]`/`\\mmlToken` set CSS and ids, `\\unicode` and
`\\require` load fonts and extensions, and `\\def`/`\\newcommand` redefine macros for every
later card of the review session. So:

- `safe_tex` rewrites the TeX of each math span we emit: those control words lose their
  backslash (they show as letters), braces are balanced and a trailing lone backslash is
  closed, so MathJax's span ends exactly where ours does;
- `defang` keeps every other text from forming a delimiter: a backslash in text that is
  followed by a bracket or parenthesis, or that ends the text (the next text node could
  start with one), gets an invisible word joiner after it.
"""

from __future__ import annotations

import re

# Control words MathJax (or KaTeX, on other clients) gives powers beyond drawing a formula.
# Compared case-insensitively; "html…"/"declare…"/"setoption…" cover whole families.
BLOCKED_MACROS = frozenset({
    "href", "url", "class", "cssid", "style", "data", "bbox", "enclose", "mmltoken", "unicode",
    "require", "includegraphics", "def", "gdef", "edef", "xdef", "let", "futurelet",
    "newcommand", "renewcommand", "providecommand", "newenvironment", "renewenvironment",
    "newextarrow", "newtagform", "renewtagform", "usetagform", "mathtoolsset",
})
BLOCKED_PREFIXES = ("html", "declare", "setoption")

WORD_JOINER = "\u2060"  # zero width, no break: the text reads and copies the same

_CONTROL = re.compile(r"\\([A-Za-z]+|.?)", re.S)
_TEXT_DELIMITER = re.compile(r"\\(?=[()[\]]|$)")


def _blocked(name: str) -> bool:
    name = name.casefold()
    return name in BLOCKED_MACROS or name.startswith(BLOCKED_PREFIXES)


def _strip_blocked(tex: str) -> str:
    return _CONTROL.sub(lambda m: m.group(1) if m.group(1) and _blocked(m.group(1)) else m.group(0), tex)


def _balance(tex: str) -> str:
    """Balanced braces (MathJax counts them to find the closing delimiter) and no lone
    backslash at the end (it would escape the delimiter)."""
    depth = missing_open = 0
    for m in re.finditer(r"\\.|[{}]", tex, re.S):
        if m.group(0) == "{":
            depth += 1
        elif m.group(0) == "}":
            if depth:
                depth -= 1
            else:
                missing_open += 1
    if re.search(r"(?<!\\)(?:\\\\)*\\$", tex):
        tex += " "
    return "{" * missing_open + tex + "}" * depth


def safe_tex(tex: str) -> str:
    """TeX for one math span: blocked macros become plain letters (repeated until
    nothing changes: dropping a backslash must not join two words into a new macro)."""
    while True:
        stripped = _strip_blocked(tex)
        if stripped == tex:
            return _balance(stripped)
        tex = stripped


def defang(text_html: str) -> str:
    """Escaped text that is not math: no `\\(`, `\\)`, `\\[` or `\\]` MathJax could read."""
    if "\\" not in text_html:
        return text_html
    return _TEXT_DELIMITER.sub("\\\\" + WORD_JOINER, text_html)
