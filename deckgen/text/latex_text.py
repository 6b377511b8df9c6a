"""LaTeX math -> readable Unicode text, for every plain-text view: the PDFs, `deckgen list`
and the quiz in a terminal (pylatexenc does the heavy lifting).

pylatexenc alone loses some structure: it eats the space after a macro ("\\alpha +"
-> "α+"), drops the braces of sub/superscripts ("\\sum_{i=1}^{n}" -> "∑_i=1^n") and
the norm bars. We protect those before it runs, then turn short sub/superscripts into
Unicode ones (x², xᵢ) where every character has one.

`math_to_text` finds the math spans of a markdown text with the same parser as the cards
(so `$5 and $10` stays currency and code keeps its dollars) and converts each one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Unicode super/subscripts (all in DejaVu Sans); "-" is the true minus's look-alike
SUPER = dict(zip("0123456789+-−=()abcdefghijklmnoprstuvwxyzT⊤",
                 "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵀᵀ"))
SUB = dict(zip("0123456789+-−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))

_MACRO_SPACE = re.compile(r"(\\[A-Za-z]+)(?=\s)")
_NORM = re.compile(r"\\\||\\[lr]Vert\b")
_SCRIPT = re.compile(r"([_^])\(([^()]*)\)|([_^])([^\s(])")


@lru_cache(maxsize=1)
def _converter():
    import logging

    from pylatexenc.latex2text import LatexNodes2Text

    logging.getLogger("pylatexenc").setLevel(logging.ERROR)  # malformed notes are expected
    return LatexNodes2Text(math_mode="text", strict_latex_spaces=False)


def _braces_to_parens(tex: str) -> str:
    """x^{ab} -> x^(ab) (pylatexenc keeps parentheses but drops braces)."""
    out, i = [], 0
    while i < len(tex):
        ch = tex[i]
        if ch in "^_" and i + 1 < len(tex) and tex[i + 1] == "{":
            depth, j = 0, i + 1
            while j < len(tex):
                depth += {"{": 1, "}": -1}.get(tex[j], 0)
                if depth == 0:
                    break
                j += 1
            inner = _braces_to_parens(tex[i + 2:j])
            out.append(f"{ch}({inner})")
            i = j + 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _group(tex: str, start: int) -> tuple[str, int] | None:
    """The {...} group starting at tex[start] (spaces skipped): (inside, index after)."""
    while start < len(tex) and tex[start] == " ":
        start += 1
    if start >= len(tex) or tex[start] != "{":
        return None
    depth = 0
    for j in range(start, len(tex)):
        depth += {"{": 1, "}": -1}.get(tex[j], 0)
        if depth == 0:
            return tex[start + 1:j], j + 1
    return None


def _fractions(tex: str) -> str:
    """\\frac{a+b}{c} -> (a+b)/c, so the slash form stays unambiguous."""
    out, i = [], 0
    for match in re.finditer(r"\\[dt]?frac(?![A-Za-z])", tex):
        if match.start() < i:
            continue
        num = _group(tex, match.end())
        den = _group(tex, num[1]) if num else None
        if not den:
            continue
        parts = []
        for body in (num[0], den[0]):
            body = _fractions(body)
            parts.append(body if re.fullmatch(r"\\?\w+", body.strip()) else f"({body})")
        out.append(tex[i:match.start()] + "{" + parts[0] + "/" + parts[1] + "}")
        i = den[1]
    out.append(tex[i:])
    return "".join(out)


def _script(match: re.Match) -> str:
    mark = match.group(1) or match.group(3)
    body = match.group(2) if match.group(1) else match.group(4)
    table = SUPER if mark == "^" else SUB
    if body and all(c in table for c in body):
        return "".join(table[c] for c in body)
    if match.group(1):
        return f"{mark}({body})" if len(body) > 1 else f"{mark}{body}"
    return f"{mark}{body}"


def _plain_letters(text: str) -> str:
    # 𝐱, 𝔼 (math alphanumerics) are rarely in text fonts: fold them to plain letters
    return "".join(unicodedata.normalize("NFKC", c) if 0x1D400 <= ord(c) <= 0x1D7FF else c for c in text)


def latex_to_text(tex: str) -> str:
    """Readable Unicode for a LaTeX math snippet; the source itself if it cannot be parsed."""
    prepared = _NORM.sub("‖", _braces_to_parens(_fractions(tex)))
    prepared = _MACRO_SPACE.sub(r"\1{}", prepared)
    try:
        text = _converter().latex_to_text(prepared)
    except Exception:  # malformed LaTeX in notes is common: show it as written
        return tex.strip()
    if "%s" in text and "%s" not in tex:  # a macro missing its arguments
        return tex.strip()
    text = _SCRIPT.sub(_script, text)
    return " ".join(_plain_letters(text).split())


def math_to_text(markdown: str, *, escape_markdown: bool = True) -> str:
    """`markdown` with every math span (`$…$`, `$$…$$`, `\\(…\\)`, `\\[…\\]`) replaced by its
    Unicode reading; with `escape_markdown`, the result is escaped so a markdown renderer
    prints it as written (x_1 * y_2 must not turn into emphasis)."""
    if "$" not in markdown and "\\(" not in markdown and "\\[" not in markdown:
        return markdown
    out, pos = [], 0
    for start, end, tex in _math_spans(markdown):
        text = latex_to_text(tex)
        out.append(markdown[pos:start])
        out.append(_MD_SPECIAL.sub(r"\\\g<0>", text) if escape_markdown else text)
        pos = end
    out.append(markdown[pos:])
    return "".join(out)


_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]<>()#+\-.!|~$]")


def _math_spans(markdown: str):
    """(start, end, tex) of each math span in `markdown`, in order. The card parser's tokens
    carry no offsets, so each one is found again in the source after the previous token."""
    lines = markdown.split("\n")
    line_start = [0]
    for line in lines:
        line_start.append(line_start[-1] + len(line) + 1)
    pos = 0
    for token in _math_and_code_tokens(markdown):
        if token.map and token.type != "math_block":  # code: skip past its lines
            pos = max(pos, line_start[min(token.map[1], len(lines))] - 1)
            continue
        if token.type == "math_block":
            begin = markdown.find("$$", max(pos, line_start[token.map[0]]))
            end = markdown.find("$$", begin + 2) if begin >= 0 else -1
            if begin < 0 or end < 0:
                continue
            yield begin, end + 2, token.content
            pos = end + 2
            continue
        source = token.markup + token.content
        begin = markdown.find(source, pos)
        if begin < 0:
            continue
        if token.type == "code_inline":
            pos = begin + len(source)
            continue
        close = {"$": "$", "$$": "$$", "\\(": "\\)", "\\[": "\\]"}[token.markup]
        end = begin + len(source) + len(close)
        yield begin, end, token.content
        pos = end


_WANTED = {"fence", "code_block", "math_block", "code_inline", "math_inline", "math_inline_double"}


@lru_cache(maxsize=1)
def _parser():
    from deckgen.mdconfig import card_markdown  # the cards' own syntax: math is read the same way

    return card_markdown()


def _math_and_code_tokens(markdown: str):
    for token in _parser().parse(markdown):
        if token.type in _WANTED:
            yield token
        for child in token.children or ():
            if child.type in _WANTED:
                yield child
