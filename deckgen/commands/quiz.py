"""`deckgen quiz` and `deckgen stats`: self-quiz in the shell with saved progress."""

from __future__ import annotations

import json
import sys


def register(sub, add_sources, add_filters) -> None:
    p = sub.add_parser(
        "quiz", help="quiz yourself in the terminal",
        description="Ask questions, grade typed answers against the reference, schedule reviews with FSRS. "
                    "Progress is saved after every answer (Ctrl-C or Ctrl-D ends the session).")
    add_sources(p)
    add_filters(p)
    p.add_argument("--limit", type=int, default=20, metavar="N", help="questions in this session (default 20)")
    p.add_argument("--new", type=int, default=10, metavar="N", help="new (never seen) cards at most (default 10)")
    p.add_argument("--db", metavar="PATH", help="progress database (default: in your user data folder)")
    p.set_defaults(func=cmd_quiz)

    p = sub.add_parser("stats", help="show quiz progress",
                       description="Due today, learned cards, reviews and accuracy by tag.")
    p.add_argument("--db", metavar="PATH", help="progress database (default: in your user data folder)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_stats)


def _open_store(args, must_exist: bool = False):
    from pathlib import Path

    from deckgen.cli import UserError
    from deckgen.quiz.store import Store, StoreError

    if must_exist and args.db and not Path(args.db).exists():
        raise UserError(f"no progress database at {args.db} (deckgen quiz --db {args.db} creates it)")

    try:
        return Store(args.db)
    except StoreError as err:
        raise UserError(str(err)) from None


def cmd_quiz(args) -> int:
    from deckgen.cli import UserError, _console, load_deck
    from deckgen.quiz import session
    from deckgen.quiz.store import StoreError

    if args.limit < 1 or args.new < 0:
        raise UserError("--limit must be at least 1 and --new at least 0")
    deck = load_deck(args).filter(args.tag, args.exclude_tag)
    cards = deck.answered
    if not cards:
        raise UserError("no answered cards to quiz on (check your sources and --tag filters)")
    console = _console()
    store = _open_store(args)
    try:
        summary = session.run(cards, store, limit=args.limit, new=args.new, console=console,
                              read=_reader(console), read_key=_key_reader(console))
    except StoreError as err:
        raise UserError(str(err)) from None
    finally:
        store.close()
    _print_summary(console, summary, store.path)
    return 0


def _reader(console):
    """input() that also works with piped stdin (no prompt echo problems)."""
    def read(prompt: str) -> str:
        if sys.stdin.isatty():
            return console.input(prompt)
        console.print(prompt, end="")
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")
    return read


def _key_reader(console):
    """One key press at a terminal (the rating needs no Enter); a line otherwise."""
    if not sys.stdin.isatty():
        return None
    import termios
    import tty

    def read_key(prompt: str) -> str:
        console.print(prompt, end="")
        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
        try:
            tty.setcbreak(fd)  # keys arrive one by one; Ctrl-C still raises KeyboardInterrupt
            key = sys.stdin.read(1)
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        if key in ("", "\x04"):
            raise EOFError
        console.print(key if key.strip() else "")
        return key
    return read_key


def _print_summary(console, summary, db_path) -> None:
    if summary.reviewed == 0 and not summary.interrupted and not any(summary.verdicts.values()):
        console.print("Nothing due and no new cards left. Come back later, or raise --new.")
        return
    v = summary.verdicts
    mean = f", mean score {sum(summary.scores) / len(summary.scores):.0f}" if summary.scores else ""
    console.print(f"[bold]Session {'ended early' if summary.interrupted else 'done'}[/]: "
                  f"{summary.reviewed} reviewed — {v['correct']} correct, {v['partial']} partial, "
                  f"{v['incorrect']} incorrect, {v['shown']} shown{mean}; {summary.overridden} ratings overridden.")
    console.print(f"[dim]Still due: {summary.due_left}; new cards left: {summary.new_left}. "
                  f"Progress saved in {db_path}[/]")


def cmd_stats(args) -> int:
    from deckgen.cli import _console
    from deckgen.quiz.scheduler import now_utc

    from deckgen.quiz.store import Store, default_path

    if not args.db and not default_path().exists():
        store = Store(":memory:")  # no quiz yet: zeros, and no file made for them
    else:
        store = _open_store(args, must_exist=True)
    try:
        stats = store.stats(now_utc())
    finally:
        store.close()
    if args.json:
        print(json.dumps(stats))
        return 0
    from rich.table import Table

    console = _console()
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
