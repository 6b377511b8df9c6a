"""`deckgen stats`: quiz progress from the progress database."""

from __future__ import annotations

import json

from deckgen.commands.common import make_console
from deckgen.commands.quiz import accuracy_text, open_store, store_errors
from deckgen.text.terminal import plural, strip_controls


def register(sub) -> None:
    p = sub.add_parser("stats", help="show quiz progress",
                       description="Cards due now and later today, learned cards, reviews, and accuracy (the share of reviews rated Good or Easy) overall and by tag.")
    p.add_argument("--db", metavar="PATH", help="progress database (default: in your user data folder)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_stats)


def cmd_stats(args) -> int:
    stats = _read_stats(args)
    if args.json:
        print(json.dumps(stats))
        return 0
    from rich.markup import escape
    from rich.table import Table

    console = make_console()
    recalled = round((stats["accuracy"] or 0) * stats["reviews"])
    console.print(f"cards {stats['cards']} · learned {stats['learned']} · due now {stats['due_now']} · "
                  f"due later today {stats['due_later_today']} · {plural(stats['reviews'], 'review')} · "
                  f"{accuracy_text(recalled, stats['reviews'])} · "
                  f"{plural(stats['overridden'], 'rating')} overridden")
    if stats["accuracy_by_tag"]:
        table = Table(title="accuracy by tag (rated Good or Easy)")
        table.add_column("tag")
        table.add_column("reviews", justify="right")
        table.add_column("accuracy", justify="right")
        for tag, row in stats["accuracy_by_tag"].items():
            table.add_row(escape(strip_controls(tag)), str(row["reviews"]), f"{row['accuracy']:.0%}")
        console.print(table)
    return 0


def _read_stats(args) -> dict:
    """The store's statistics, with due cards counted as the quiz summary counts them."""
    from deckgen.quiz.scheduler import due_counts, now_utc
    from deckgen.quiz.store import Store, default_path

    if not args.db and not default_path().exists():
        store = Store(":memory:")  # no quiz yet: zeros, and no file made for them
    else:
        store = open_store(args, must_exist=True)
    with store_errors(), store:
        now = now_utc()
        stats = store.stats(now)
        stats["due_now"], stats["due_later_today"] = due_counts((p.due for p in store.progress().values()), now)
    stats["due"] = stats["due_now"] + stats["due_later_today"]  # due today, as before
    return stats
