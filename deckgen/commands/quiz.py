"""`deckgen quiz`: self-quiz in the shell with saved progress."""

from __future__ import annotations

import sys

from deckgen.commands.common import UserError, add_filters, add_sources, load_deck, make_console


def register(sub) -> None:
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


def open_store(args, must_exist: bool = False):
    from pathlib import Path

    from deckgen.quiz.store import Store, StoreError

    if must_exist and args.db and not Path(args.db).exists():
        raise UserError(f"no progress database at {args.db} (deckgen quiz --db {args.db} creates it)")

    try:
        return Store(args.db)
    except StoreError as err:
        raise UserError(str(err)) from None


def cmd_quiz(args) -> int:
    from deckgen.quiz import session
    from deckgen.quiz.store import StoreError

    if args.limit < 1 or args.new < 0:
        raise UserError("--limit must be at least 1 and --new at least 0")
    deck = load_deck(args).filter(args.tag, args.exclude_tag)
    cards = deck.answered
    if not cards:
        raise UserError("no answered cards to quiz on (check your sources and --tag filters)")
    console = make_console()
    store = open_store(args)
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
