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


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...),
# +cmd|...); a leading apostrophe makes it text, and spreadsheets do not show it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(cards: Iterable[Card], out: TextIO) -> int:
    """CSV with lists joined by " > " (section) and " " (tags); text cells that a
    spreadsheet would run as a formula get a leading apostrophe."""
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    n = 0
    for card in cards:
        row = card.to_dict()
        row["section"] = " > ".join(row["section"])
        row["tags"] = " ".join(row["tags"])
        row["difficulty"] = row["difficulty"] or ""
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
        n += 1
    return n
