"""Text from the notes made safe and readable for a terminal.

Notes can carry escape sequences (OSC 52 clipboard writes, window titles, screen clears,
OSC 8 links) that a terminal would obey: every text deckgen shows in a terminal goes
through `terminal_text`, which drops whole sequences and any other control character
(tab and newline stay), and turns math into Unicode (the one conversion, latex_text).
"""

from __future__ import annotations

import re

# ESC sequences (CSI, OSC/DCS/APC/PM strings up to BEL or ST or the line's end, two-byte
# ones), then any control character left (C1 included) except tab and newline
_SEQUENCE = re.compile(r"""
    (?:\x1b\[|\x9b) [0-?]* [ -/]* [@-~]                      # CSI ... final byte
  | \x1b[\]P_^X] [^\x07\x1b\n]* (?:\x07|\x1b\\)?          # OSC, DCS, ... strings (to BEL/ST)
  | \x1b [ -/]* [0-~]?                                       # other ESC sequences
  | [\x00-\x08\x0b-\x1f\x7f-\x9f]                            # lone controls (not \t, \n)
""", re.X)


def strip_controls(text: str) -> str:
    """`text` without terminal escape sequences or control characters (tab and newline kept)."""
    return _SEQUENCE.sub("", text) if _HAS_CONTROL.search(text) else text


_HAS_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_text(text: str) -> str:
    """A question, section or key point as plain terminal text: controls dropped, math in Unicode."""
    from deckgen.text.latex_text import math_to_text

    return math_to_text(strip_controls(text), escape_markdown=False)


def terminal_markdown(markdown: str) -> str:
    """An answer for rich's markdown renderer: controls dropped, math in Unicode (escaped,
    so `x_1 * y_2` stays as written)."""
    from deckgen.text.latex_text import math_to_text

    return math_to_text(strip_controls(markdown))


def plural(n: int, noun: str, many: str | None = None) -> str:
    """"1 card", "2 cards", "1 match" / "3 matches" (with `many`)."""
    return f"{n} {noun if n == 1 else many or noun + 's'}"
