"""Markdown Q&A: headings that ask, text below them answers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from deckgen.card import Card, Source

NAME = "markdown"

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def sniff(text: str) -> float:
    head = text[:20000]
    headings = len(re.findall(r"^#{1,6} \S", head, re.M))
    return min(0.9, 0.3 + 0.1 * headings) if headings else 0.0


def read(source: Source) -> Iterator[Card]:
    lines = source.text.split("\n")
    path: list[tuple[int, str]] = []
    current: tuple[str, int, tuple[str, ...]] | None = None
    body: list[str] = []

    def flush() -> Iterator[Card]:
        if current is None:
            return
        question, line, section = current
        answer = "\n".join(body).strip()
        yield Card(question=question, answer=answer, source=source.name, line=line,
                   section=source.section_prefix + section, answered=bool(answer),
                   kind="question" if question.endswith("?") else "topic")

    for i, raw in enumerate(lines):
        m = _HEADING.match(raw)
        if not m:
            if current is not None:
                body.append(raw)
            continue
        yield from flush()
        level, title = len(m.group(1)), m.group(2)
        path = [(lvl, t) for lvl, t in path if lvl < level]
        section = tuple(t for _, t in path)
        path.append((level, title))
        current, body = (title, source.lineno(i), section), []
    yield from flush()
