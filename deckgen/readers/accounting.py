"""Nothing lost without a word, for readers that rebuild their text (chat, bullets, posts).

The markdown reader knows the source lines of every card. A reader that rewrites lines
(strips markers, joins wrapped lines, drops filler) accounts by words instead: a line is
read when most of its words are in the card whose stretch of the source it lies in (from
one card's line to the next card's), or when they name a section. Every other stretch
of lines is reported, with its kind and size, unless the reader already said why at its
first line; the source's tally of text read and lost grows (`deckgen check` shows the share).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from deckgen.card import Card, Source
from deckgen.readers.lexicon import FILLER, SIGNOFF, SIGNOFF_TAIL

_WORD = re.compile(r"[^\W\d_]+")  # words with letters: "1." or "2)" alone holds no text
READ_SHARE = 0.5  # a line whose words are at least half in its card was read into it


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _kind(line: str) -> str:
    if len(line) < 300 and (FILLER.search(line) or SIGNOFF.match(line) or SIGNOFF_TAIL.search(line)):
        return "filler (greetings, offers of help, calls to follow)"
    return "text outside any question"


def account_by_words(source: Source, cards: list[Card]) -> None:
    """Tally `source`'s text against `cards` and report the stretches in no card."""
    starts = sorted({c.line for c in cards if c.line})
    words_at: dict[int, set[str]] = {}
    sections = {w for c in cards for part in c.section for w in _words(part)}
    for card in cards:
        words_at.setdefault(card.line, set()).update(_words(card.question + " " + card.answer))
    reported = {d.line for d in source.diagnostics}
    total = lost = 0
    stretch: list[tuple[int, int, str]] = []  # (line number, characters, kind)

    def flush() -> None:
        if stretch:
            first, last, kind = stretch[0][0], stretch[-1][0], stretch[0][2]
            if first not in reported:
                span = f"line {first}" if first == last else f"lines {first}-{last}"
                size = sum(chars for _, chars, _ in stretch)
                source.report(first, f"{span}: {kind}, {size} characters in no card")
            stretch.clear()

    for index, raw in enumerate(source.text.split("\n")):
        words = _words(raw)
        if not words:
            continue
        number, line = source.lineno(index), raw.strip()
        total += len(line)
        k = bisect_right(starts, number) - 1
        known = (words_at.get(starts[k], set()) if k >= 0 else set()) | sections
        if sum(w in known for w in words) >= READ_SHARE * len(words):
            flush()
            continue
        kind = _kind(line)
        if stretch and stretch[0][2] != kind:
            flush()
        stretch.append((number, len(line), kind))
        lost += len(line)
    flush()
    source.text_chars += total
    source.lost_chars += lost
