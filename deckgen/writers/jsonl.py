"""JSON lines and CSV: one record per card, exactly the keys of Card.to_dict()."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from deckgen.card import Card

FIELDS = ("id", "question", "answer", "source", "line", "section", "tags", "difficulty", "kind", "answered")


def write_jsonl(cards: Iterable[Card], out: TextIO) -> int:
    n = 0
    for card in cards:
        out.write(json.dumps(card.to_dict(), ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(cards: Iterable[Card], out: TextIO) -> int:
    """CSV with lists joined by " > " (section) and " " (tags)."""
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    n = 0
    for card in cards:
        row = card.to_dict()
        row["section"] = " > ".join(row["section"])
        row["tags"] = " ".join(row["tags"])
        row["difficulty"] = row["difficulty"] or ""
        writer.writerow(row)
        n += 1
    return n
