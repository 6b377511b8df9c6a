"""Python code whose indentation a copy or a dump flattened: give it back.

A repo dump collapses every run of whitespace to one space, so an indented line keeps
one leading space and a top-level line none; a pasted post loses indentation entirely.
The structure is still in the code: a line ending in `:` opens a block, `return` /
`raise` / `break` / `continue` / `pass` close one, `elif` / `else` / `except` /
`finally` line up with their opener, a `def` whose first parameter is `self` or `cls`
is a method of the class above, and (in a dump) a line with no leading space is at the
top level. `reindent_python` rebuilds the indentation from those signals alone and keeps
the result only when Python can parse it; code that already parses is left as it is.
Where no signal says that a block ended (a plain statement after a loop body), the line
stays in the block: such a guess is why the card says its indentation was restored.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

# A card whose code was re-indented carries this tag; the Anki writer says so in the
# card's source line.
RESTORED_TAG = "indentation-restored"

# Signs that unfenced code is Python: an import, a def, print(), self., None/True/False,
# a method call, a subscript with a string key.
PYTHON_HINT = re.compile(r"\bimport\b|\bdef \w+\(|\bprint\(|\bself\.|\bNone\b|\bTrue\b|\bFalse\b|\w\.\w+\(|\w\[['\"]")

# A sign that a line may be code: code punctuation, a `#` comment, a block opener's
# colon, or a keyword opening it (readers ask it of text that lost its fence).
CODE_SIGN = re.compile(r"[=(){}\[\];]|^\s*#|:$|"
                       r"^\s*(?:import|from|def|class|for|while|if|return|print|SELECT|FROM|WHERE|select)\b")

UNIT = "    "
_MAX_LINES = 5000
_OPENS = ("if", "elif", "else", "for", "while", "try", "except", "finally", "with", "def", "class",
          "async", "match", "case")
_ENDS = ("return", "raise", "break", "continue", "pass")
_LOOPS = ("for", "while", "async")
# What an `else` / `except` / `finally` lines up with.
_PARTNERS = {"elif": ("if", "elif"), "else": ("if", "elif", "for", "while", "try", "except"),
             "except": ("try", "except"), "finally": ("try", "except", "else")}
_PAIRS = {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}


@dataclass
class _Scan:
    """What one line leaves open for the next: brackets, a triple-quoted string."""

    brackets: int = 0
    triple: str = ""          # the quote of an open triple-quoted string, or ""
    backslash: bool = False   # the line ended with a `\\` continuation


def parses(code: str) -> bool:
    """Python can parse `code` (notebook `%magic` and `!shell` lines count as statements)."""
    lines = [_magic_as_pass(line) for line in code.split("\n")]
    try:
        ast.parse("\n".join(lines))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _magic_as_pass(line: str) -> str:
    stripped = line.lstrip()
    if stripped.startswith(("%", "!")):
        return line[:len(line) - len(stripped)] + "pass"
    return line


def is_flattened(code: str) -> bool:
    """No line is indented by more than one space, and a block opener is followed by a line
    that is not deeper than the opener: indentation was collapsed, not written that way."""
    lines = [line for line in code.split("\n") if line.strip()]
    if any(len(line) - len(line.lstrip()) > 1 or line.startswith("\t") for line in lines):
        return False
    for first, second in zip(lines, lines[1:]):
        head = _first_word(first.strip())
        if head in _OPENS and _code_part(first.strip()).rstrip().endswith(":") \
                and _leading(second) <= _leading(first):
            return True
    return False


def reindent_python(code: str) -> str | None:
    """The code with its indentation restored, or None when it was not flattened or the
    structure does not settle it (the rebuilt code would not parse). Code that parses
    with one-space indentation is re-indented only when Python reads both the same."""
    if code.count("\n") > _MAX_LINES:
        return None             # no exercise is that long; a hostile text must not cost more
    if is_flattened(code):
        if parses(code):
            return None if _tree(code) is None else _same_tree(code, _Reindenter(code).run())
        restored = _Reindenter(code).run()
        return restored if parses(restored) else None
    if _one_space(code):
        return _same_tree(code, _Reindenter(code).run())
    return None


def _one_space(code: str) -> bool:
    """Indented lines exist and none by more than one space (a dump's collapsed whitespace)."""
    widths = {len(line) - len(line.lstrip()) for line in code.split("\n") if line.strip()}
    return widths == {0, 1} and "\t" not in code


def _tree(code: str) -> str | None:
    try:
        return ast.dump(ast.parse("\n".join(_magic_as_pass(line) for line in code.split("\n"))))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _same_tree(code: str, restored: str) -> str | None:
    """`restored` when Python reads it exactly as it reads `code`."""
    tree = _tree(code)
    return restored if tree is not None and tree == _tree(restored) and restored != code else None


def _leading(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _first_word(s: str) -> str:
    word = ""
    for ch in s:
        if not (ch.isalnum() or ch == "_"):
            break
        word += ch
    return word


def _code_part(s: str) -> str:
    """The line without its trailing comment (a `#` inside a string is no comment)."""
    return _scan(s, _Scan())[1]


def _scan(s: str, state: _Scan) -> tuple[_Scan, str]:
    """What line `s` carries over to the next line (open brackets, an open triple-quoted
    string), and the line without its trailing comment."""
    brackets, triple = state.brackets, state.triple
    code_end = len(s)
    quote = ""
    k = 0
    while k < len(s):
        if triple:
            end = s.find(triple, k)
            if end < 0:
                break
            k, triple = end + 3, ""
            continue
        ch = s[k]
        if quote:
            if ch == "\\":
                k += 1
            elif ch == quote:
                quote = ""
        elif s.startswith(('"""', "'''"), k):
            triple = s[k:k + 3]
            k += 3
            continue
        elif ch in "'\"":
            quote = ch
        elif ch == "#":
            code_end = k
            break
        else:
            brackets += _PAIRS.get(ch, 0)
        k += 1
    return _Scan(max(0, brackets), triple, s.endswith("\\") and not triple), s[:code_end]


class _Reindenter:
    """One pass over the lines with a stack of open blocks: (depth of the header, keyword)."""

    def __init__(self, code: str):
        self.lines = code.split("\n")
        # a dump keeps one space before indented lines: no space means the top level
        self.hinted = any(line.startswith(" ") and line.strip() for line in self.lines)
        self.stack: list[tuple[int, str, bool]] = []   # (depth, keyword, is a class)
        self.depth = 0          # depth of the last statement
        self.last = "stmt"      # what the last statement did: "opens", "ends" or "stmt"

    def run(self) -> str:
        out: list[str] = []
        comments: list[int] = []     # comment lines take the depth of the next statement
        state = _Scan()
        for index, raw in enumerate(self.lines):
            s = raw.strip()
            carried = state.brackets or state.triple or state.backslash
            if carried:
                out.append(UNIT * (self.depth + 1) + s if s and not state.triple else raw.rstrip())
            elif not s:
                if comments and comments[0] > 0 and out[comments[0] - 1].strip():
                    self._settle(out, comments, self.depth)   # a comment closing the block above
                out.append("")
            elif s.startswith("#"):
                comments.append(len(out))
                out.append(s)
                if self.hinted and not raw.startswith(" "):
                    out[-1] = "\x00" + s       # a top-level comment stays at column 0
            else:
                depth = self._place(raw, s, index)
                self._settle(out, comments, depth)
                out.append(UNIT * depth + s)
            state = _scan(s, state)[0] if s else state
        self._settle(out, comments, self.depth)
        return "\n".join(out)

    @staticmethod
    def _settle(out: list[str], comments: list[int], depth: int) -> None:
        """Indent the waiting comment lines to `depth` (a top-level one stays at column 0)."""
        for k in comments:
            out[k] = out[k][1:] if out[k].startswith("\x00") else UNIT * depth + out[k]
        comments.clear()

    def _place(self, raw: str, s: str, index: int) -> int:
        """Depth of statement `s` from the signals, then the open blocks updated."""
        word = _first_word(s)
        ends_block = _code_part(s).rstrip().endswith(":")
        if self.hinted and not raw.startswith(" "):
            depth = 0
        elif self.last == "opens":
            depth = self.depth + 1
        elif word in _PARTNERS:
            depth = self._partner_depth(word)
        elif word == "def" and _is_method(s) or (s.startswith("@") and self._decorates_method(index)):
            depth = self._class_body_depth()
        elif word in ("def", "class") and not self.hinted:
            depth = 0 if not _is_method(s) else self._class_body_depth()
        elif self.last == "ends":
            depth = self.depth - 1
        else:
            depth = self.depth
        if word == "return" and self.last != "opens":
            depth = self._out_of_loops(depth)
        if self.hinted and raw.startswith(" "):
            depth = max(1, depth)
        depth = max(0, depth)
        while self.stack and self.stack[-1][0] >= depth:
            self.stack.pop()
        if ends_block and word in _OPENS:
            self.stack.append((depth, word, word == "class"))
            self.last = "opens"
        else:
            self.last = "ends" if word in _ENDS else "stmt"
        self.depth = depth
        return depth

    def _partner_depth(self, word: str) -> int:
        for depth, kw, _ in reversed(self.stack):
            if kw in _PARTNERS[word]:
                return depth
        return self.depth

    def _class_body_depth(self) -> int:
        for depth, _, is_class in reversed(self.stack):
            if is_class:
                return depth + 1
        return self.depth

    def _decorates_method(self, index: int) -> bool:
        for line in self.lines[index + 1:index + 20]:
            s = line.strip()
            if s and not s.startswith(("@", "#")):
                return _first_word(s) == "def" and _is_method(s)
        return False

    def _out_of_loops(self, depth: int) -> int:
        """A `return` right after a loop body returns from the function, not from the loop."""
        blocks = [b for b in self.stack if b[0] < depth]
        while blocks and blocks[-1][1] in _LOOPS:
            depth = blocks.pop()[0]
        return depth


def _is_method(s: str) -> bool:
    """`def name(self, …)` or `def name(cls, …)`."""
    if s.startswith("async "):
        s = s[6:].lstrip()
    if not s.startswith("def "):
        return False
    open_at = s.find("(")
    if open_at < 0:
        return False
    first = s[open_at + 1:].split(",", 1)[0].split(")", 1)[0].strip()
    return first in ("self", "cls")
