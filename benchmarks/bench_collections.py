"""How deckgen reads collections nobody on the project wrote, run by hand:

    python benchmarks/bench_collections.py FOLDER [--gold GOLD_FOLDER]

FOLDER holds notes files as a user would hand them over (public interview collections you
downloaded, say); nothing of them is copied into the project, and this prints numbers only.
Per file: the reader that took it, cards, unanswered, the share of its text that became
cards (`deckgen check`'s "read"), and how many stretches of text were reported as in no card.

With --gold, GOLD_FOLDER/<file stem>.jsonl holds hand-made items for a file, one JSON object
a line with "question" and optionally "answer_start"/"answer_end", "answered" and
"duplicate_of" (the format of ../shared/gold). An item is found when a card's question is
similar to it (rapidfuzz token_sort_ratio >= 85 on normalized text), and its answer is
complete when one such card's answer holds both snippets (partial_ratio >= 85): recall (of
all items) and answers (of the answered items found) per file and overall.
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from pathlib import Path


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = re.sub(r"!?\[([^\]]*)\]\([^)\s]*\)", r"\1", text)
    text = re.sub(r"[*_`#>|\[\]\\]", " ", text)
    text = re.sub(r"(?m)^\s*(?:[-•·]|\d+[.)])\s+", " ", text)  # list markers
    return " ".join(text.split()).strip(" .:?")


def _score(cards, gold: list[dict]) -> tuple[int, int, int]:
    """(found, answers complete, answered items found) of `gold` among `cards`."""
    from rapidfuzz import fuzz

    questions = [_norm(c.question) for c in cards]
    answers = [_norm(c.answer) for c in cards]
    found = complete = answerable = 0
    for item in gold:
        if item.get("duplicate_of"):
            continue  # a repeat of another item: found with it
        asked = _norm(item["question"])
        hits = [i for i, q in enumerate(questions) if fuzz.token_sort_ratio(asked, q) >= 85]
        snippets = [_norm(item.get(k, "")) for k in ("answer_start", "answer_end") if item.get(k)] \
            if item.get("answered", True) else []
        answerable += bool(hits) and item.get("answered", True)
        found += bool(hits)
        # the best of the cards that ask it (a question asked twice in a file is two cards)
        complete += any(all(fuzz.partial_ratio(s, answers[i]) >= 85 for s in snippets) for i in hits) \
            and item.get("answered", True)
    return found, complete, answerable


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--gold", type=Path, help="folder of <file stem>.jsonl hand-made items")
    args = parser.parse_args()
    if not args.folder.is_dir():
        parser.error(f"{args.folder} is not a folder")
    from deckgen import deck

    loaded = deck.load([args.folder])
    by_file: dict[str, list] = {}
    for card in loaded.cards:
        by_file.setdefault(card.source.split("::", 1)[0], []).append(card)
    totals = [0, 0, 0, 0]
    print(f"{'file':40} {'reader':18} {'cards':>5} {'unans':>5} {'read':>5} {'lost':>4}  recall answers")
    for report in loaded.files:
        cards = by_file.get(report.path, [])
        share = "-" if report.read_share is None else f"{report.read_share:.0%}"
        lost = sum("in no card" in d.message for d in report.diagnostics)
        line = (f"{report.path[:40]:40} {','.join(report.formats)[:18]:18} {report.cards:5} "
                f"{report.unanswered:5} {share:>5} {lost:4}")
        gold_file = args.gold / (Path(report.path).stem + ".jsonl") if args.gold else None
        if gold_file is not None and gold_file.is_file():
            gold = [json.loads(row) for row in gold_file.read_text(encoding="utf-8").splitlines() if row.strip()]
            found, complete, answerable = _score(cards, gold)
            items = sum(not g.get("duplicate_of") for g in gold)
            totals = [totals[0] + found, totals[1] + items, totals[2] + complete, totals[3] + answerable]
            line += f"  {found / max(items, 1):6.2f} {complete / max(answerable, 1):7.2f}"
        print(line)
    if totals[1]:
        print(f"overall: recall {totals[0] / totals[1]:.3f} ({totals[0]}/{totals[1]}), "
              f"answers {totals[2] / max(totals[3], 1):.3f} ({totals[2]}/{totals[3]})")


if __name__ == "__main__":
    main()
