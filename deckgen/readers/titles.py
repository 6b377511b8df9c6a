"""Question and section titles, cleaned one way for every reader.

A title comes in three shapes: a markdown heading or item (`## 🟢 **What is** [bias](…)?`),
a line of plain text (a post's or a chat's title, `1️⃣ 𝗪𝗵𝗮𝘁 𝗶𝘀 𝗯𝗶𝗮𝘀? 🚀`) and a notebook
cell's heading (`### 2. **Reverse a list** (TODO)`). Each has its function here, built
from the same pieces: the emoji that decorate it, its numbering, its markup, a trailing colon.
"""

from __future__ import annotations

import functools
import re

# Emoji, pictographs, dingbats, variation selectors, joiners, the keycap mark.
EMOJI_CHARS = "\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D\u20E3"
EMOJI = re.compile(f"[{EMOJI_CHARS}]")
KEYCAP = re.compile("[0-9#*]\uFE0F?\u20E3")  # "1️⃣" numbering: the digit goes with the emoji
SHORTCODE = re.compile(r"(?<![\w:]):[a-z][a-z0-9_+-]{1,30}:(?![\w:])")
# Decoration opening or closing a plain-text title; arrows count there ("→ Next step").
LEADING_DECOR = re.compile(f"^(?:[{EMOJI_CHARS}\u2190-\u21FF]\\s*)+")
TRAILING_DECOR = re.compile(f"(?:\\s*[{EMOJI_CHARS}])+\\s*$")
# "Mathematical bold/italic" letters (𝗛𝗼𝘄) that posts use for styling.
MATH_STYLED = re.compile(r"[\U0001D400-\U0001D7FF]")
# "3.", "6.1", "2)", "IV." numbering a title.
NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]?|[IVX]+\.)\s+")

LINK = re.compile(r"!?\[([^\]]*)\]\(([^)]*)\)")
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
# bold, code marks and a single "*" that opens or closes emphasis ("*word*", not "a*b" or "a * b")
EMPHASIS = re.compile(r"\*\*|(?<!\w)__|__(?!\w)|`|(?<![\w*])\*(?=[^\s*])|(?<=[^\s*])\*(?![\w*])")
CODE_SPAN = re.compile(r"`([^`\n]+)`")


def strip_emoji(text: str) -> str:
    return EMOJI.sub("", KEYCAP.sub("", text))


# Emoji and `:shortcode:`s opening an answer line (after its indent and list marker) or
# closing it: decoration.
DECORATION = re.compile(rf"(?:{KEYCAP.pattern}|{EMOJI.pattern})+|{SHORTCODE.pattern}")
LINE_START_DECORATION = re.compile(rf"^(\s*(?:[-*+]\s+|\d{{1,9}}[.)]\s+)?)(?:(?:{DECORATION.pattern})\s*)+")


def strip_decoration(line: str) -> str:
    """An answer line without the emoji that open or close it; emoji inside the text,
    between words or in code, are the author's and stay."""
    if line.isascii() and ":" not in line:
        return line
    line = LINE_START_DECORATION.sub(r"\1", line)
    body = line.rstrip()
    while True:  # word by word from the end: a pattern anchored at `$` would retry from every space
        head, space, last = body.rpartition(" ")
        if not (space and head.strip() and DECORATION.fullmatch(last)):
            return body if body != line.rstrip() else line
        body = head.rstrip()


def strip_numbering(title: str) -> str:
    return NUMBERING.sub("", title)


def unstyle(text: str) -> str:
    """Turn "math bold/italic" letters (𝗛𝗼𝘄) into plain ASCII letters."""
    if not MATH_STYLED.search(text):
        return text
    import unicodedata
    return MATH_STYLED.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)


def unmark(text: str) -> str:
    """Emphasis and backticks dropped; code spans keep their text (`__init__` stays)."""
    if "`" not in text:
        return EMPHASIS.sub("", text)
    parts = CODE_SPAN.split(text)
    return "".join(part if odd % 2 else EMPHASIS.sub("", part) for odd, part in enumerate(parts))


def _tidy(title: str) -> str:
    """Spaces collapsed, no trailing colon."""
    return " ".join(title.split()).rstrip(":").strip()


@functools.lru_cache(maxsize=16384)
def clean_title(text: str) -> str:
    """A markdown title: marks, badges and emoji dropped, numbering kept, no trailing colon."""
    text = LINK.sub(lambda m: m.group(1), IMAGE.sub("", text))
    text = SHORTCODE.sub("", strip_emoji(unmark(text)))
    return _tidy(text)


def topic_question(title: str) -> str:
    """A topic heading as a card question: numbering (`3.`, `6.1`, `2)`) and colon dropped."""
    return strip_numbering(clean_title(title)).strip()


@functools.lru_cache(maxsize=16384)  # asked again of the same line by several passes
def clean_line_title(text: str) -> str:
    """A plain-text question or title: list markers, `Q:` labels, styled letters and
    decoration dropped, no trailing colon."""
    text = unstyle(text).strip()
    text = re.sub(r"^(?:(?:Q|Question)\s*\d{0,3}\s*[:.]|\d{1,3}(?:\.-\d+)?(?:\.\)|[.)])|[0-9]\ufe0f?\u20e3)\s*",
                  "", text)
    text = TRAILING_DECOR.sub("", LEADING_DECOR.sub("", text))
    text = re.sub(r"^[-•↳→*]\s*", "", text).strip()
    return text[:-1].rstrip() if text.endswith(":") else text


def clean_cell_title(title: str) -> str:
    """A notebook heading: tags, emphasis, numbering and a to-do tail dropped."""
    title = re.sub(r"<[^<>]+>", "", title)
    title = re.sub(r"[*_`]{1,3}(.+?)[*_`]{1,3}", r"\1", title)
    title = strip_numbering(title)
    return _tidy(re.sub(r"(?i)[(\[](?:to ?do|tbd|wip)[)\]]$", "", title.strip()))
