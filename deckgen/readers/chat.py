"""Chat-style notes: `Q: ...` followed by `A: ...` (or `Answer:`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from deckgen.card import Card, Source

NAME = "chat"

_Q = re.compile(r"^\s*Q[:.]\s*(.+)$", re.I)
_A = re.compile(r"^\s*(?:A|Answer)[:.]\s*(.*)$", re.I)


def sniff(text: str) -> float:
    head = text[:20000]
    qs = len(re.findall(r"^\s*Q[:.]\s", head, re.M | re.I))
    return min(0.95, 0.4 + 0.1 * qs) if qs else 0.0


def read(source: Source) -> Iterator[Card]:
    question, line, answer = None, 0, []
    for i, raw in enumerate(source.text.split("\n")):
        mq = _Q.match(raw)
        if mq:
            if question:
                text = "\n".join(answer).strip()
                yield Card(question, text, source.name, line, source.section_prefix, answered=bool(text))
            question, line, answer = mq.group(1).strip(), source.lineno(i), []
            inline = re.split(r"\s+A:\s+", question, maxsplit=1)
            if len(inline) == 2:
                question, answer = inline[0], [inline[1]]
            continue
        ma = _A.match(raw)
        answer.append(ma.group(1) if ma else raw)
    if question:
        text = "\n".join(answer).strip()
        yield Card(question, text, source.name, line, source.section_prefix, answered=bool(text))
