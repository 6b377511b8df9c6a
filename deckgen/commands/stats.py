"""`deckgen stats`: quiz progress from the progress database."""

from __future__ import annotations

import json

from deckgen.commands.common import make_console
from deckgen.commands.quiz import open_store


def register(sub) -> None:
    p = sub.add_parser("stats", help="show quiz progress",
                       description="Due today, learned cards, reviews and accuracy by tag.")
    p.add_argument("--db", metavar="PATH", help="progress database (default: in your user data folder)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_stats)


def cmd_stats(args) -> int:
    from deckgen.quiz.scheduler import now_utc

    from deckgen.quiz.store import Store, default_path

    if not args.db and not default_path().exists():
        store = Store(":memory:")  # no quiz yet: zeros, and no file made for them
    else:
        store = open_store(args, must_exist=True)
    try:
        stats = store.stats(now_utc())
    finally:
        store.close()
    if args.json:
        print(json.dumps(stats))
        return 0
    from rich.table import Table

    console = make_console()
    accuracy = f"{stats['accuracy']:.0%}" if stats["accuracy"] is not None else "-"
    console.print(f"cards {stats['cards']} · learned {stats['learned']} · due today {stats['due']} · "
                  f"reviews {stats['reviews']} · accuracy {accuracy} · overridden {stats['overridden']}")
    if stats["accuracy_by_tag"]:
        table = Table(title="accuracy by tag")
        table.add_column("tag")
        table.add_column("reviews", justify="right")
        table.add_column("accuracy", justify="right")
        for tag, row in stats["accuracy_by_tag"].items():
            table.add_row(tag, str(row["reviews"]), f"{row['accuracy']:.0%}")
        console.print(table)
    return 0
