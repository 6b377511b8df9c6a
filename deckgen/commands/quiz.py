"""`deckgen quiz`: self-quiz in the shell with saved progress."""

from __future__ import annotations

import sys
from contextlib import contextmanager

from deckgen.commands.common import (UserError, add_filters, add_sources, load_deck, make_console,
                                     no_match_message)
from deckgen.text.terminal import plural


def register(sub) -> None:
    p = sub.add_parser(
        "quiz", help="quiz yourself in the terminal",
        description="Ask questions, grade typed answers against the reference, schedule reviews with FSRS. "
                    "Enter submits an answer (end a line with \\ for another; a paste arrives whole); "
                    "Enter on an empty answer shows the reference (not in the first "
                    f"{STRAY_ENTER_GRACE:g} s after a question appears: that is the late Enter of a "
                    "rating). One key rates: Enter takes the "
                    "suggestion, 1-4 override it, q quits. Progress is saved after every rating "
                    "(Ctrl-C or Ctrl-D ends the session).")
    add_sources(p)
    add_filters(p)
    p.add_argument("--limit", type=int, default=20, metavar="N", help="questions in this session (default 20)")
    p.add_argument("--new", type=int, default=10, metavar="N", help="new (never seen) cards at most (default 10)")
    p.add_argument("--db", metavar="PATH", help="progress database (default: in your user data folder)")
    p.set_defaults(func=cmd_quiz)


def open_store(args, must_exist: bool = False):
    from pathlib import Path

    from deckgen.quiz.store import Store

    if must_exist and args.db and not Path(args.db).exists():
        raise UserError(f"no progress database at {args.db} (deckgen quiz --db {args.db} creates it)")
    with store_errors():
        return Store(args.db)


@contextmanager
def store_errors():
    """A progress database that fails while in use: the same one-line error and exit code
    (2) from `quiz` and `stats`."""
    from deckgen.quiz.store import StoreError

    try:
        yield
    except StoreError as err:
        raise UserError(str(err)) from None


def cmd_quiz(args) -> int:
    from deckgen.quiz import session

    if args.limit < 1 or args.new < 0:
        raise UserError("--limit must be at least 1 and --new at least 0")
    full = load_deck(args)
    cards = full.filter(args.tag, args.exclude_tag).answered
    if not cards and (args.tag or args.exclude_tag) and full.answered:
        raise UserError(no_match_message(full, args))
    if not cards:
        raise UserError("no answered cards to quiz on (see `deckgen check`)")
    console = make_console()
    store = open_store(args)
    with store_errors(), store:
        at_terminal = sys.stdin.isatty() and sys.stdout.isatty()
        read = _terminal_reader() if at_terminal else _line_reader(console)
        summary = session.run(cards, store, limit=args.limit, new=args.new, console=console, read=read,
                              read_key=_key_reader(console) if sys.stdin.isatty() else None)
    _print_summary(console, summary, store.path)
    return 0


def _line_reader(console):
    """Piped input: one line is one submission (a line ending in \\ continues, see read_answer)."""
    def read(prompt: str) -> str:
        console.print(prompt, end="")
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        line = line.rstrip("\n")
        console.out(line, highlight=False)  # echoed, so a transcript reads like the terminal
        return line
    return read


def _terminal_reader():
    """A person at a terminal: prompt_toolkit's line editor, where Enter submits, a line
    ending in \\ goes on to a new line, and a pasted block arrives whole (bracketed paste).
    Keys typed before the prompt appears (a stray Enter after the rating) are dropped,
    and so is an Enter on an empty answer in the first STRAY_ENTER_GRACE seconds: the
    Enter of a slow "2 ... Enter" after the rating, not a wish to see this answer."""
    import termios
    import time

    from prompt_toolkit import PromptSession
    from prompt_toolkit.input.typeahead import clear_typeahead
    from prompt_toolkit.key_binding import KeyBindings

    bindings = KeyBindings()
    shown_at = [0.0]  # when the current prompt appeared

    @bindings.add("enter")
    def _enter(event) -> None:
        buffer = event.current_buffer
        if not buffer.text and time.monotonic() - shown_at[0] < STRAY_ENTER_GRACE:
            return  # too soon to have read the question: the rating's Enter, arriving late
        if buffer.document.text_before_cursor.endswith("\\"):
            buffer.delete_before_cursor(1)
            buffer.insert_text("\n")
        else:
            buffer.validate_and_handle()

    prompt = PromptSession(multiline=True, key_bindings=bindings, prompt_continuation=". ",
                           placeholder=[("class:placeholder", ANSWER_HINT)],
                           style=_hint_style())

    def read(text: str) -> str:
        termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)
        clear_typeahead(prompt.input)
        shown_at[0] = time.monotonic()
        return prompt.prompt(text)
    return read


STRAY_ENTER_GRACE = 1.5  # seconds; no one reads a question and gives up on it faster
ANSWER_HINT = "Enter submits · end a line with \\ for another · Enter alone shows the answer"


def _hint_style():
    from prompt_toolkit.styles import Style

    return Style.from_dict({"placeholder": "#888888 italic"})


def _key_reader(console):
    """One key press at a terminal (the rating needs no Enter). Keys pressed before the
    prompt (a second Enter after the answer) are dropped, and the Enter people often type
    after the digit ("2⏎") is swallowed, not sent to the next card."""
    import os
    import select
    import termios
    import tty

    def read_key(prompt: str) -> str:
        console.print(prompt, end="")
        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
        try:
            tty.setcbreak(fd)  # keys arrive one by one; Ctrl-C still raises KeyboardInterrupt
            termios.tcflush(fd, termios.TCIFLUSH)  # keys pressed before the grade was shown rate nothing
            data = os.read(fd, 64)
            if data[:1] not in (b"\r", b"\n") and b"\n" not in data[1:] and select.select([fd], [], [], 0.6)[0]:
                os.read(fd, 64)  # the rest of the line typed after the key
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        key = data[:1].decode("ascii", "replace")
        if key in ("", "\x04"):
            raise EOFError
        console.print(key if key.isprintable() and key.strip() else "")
        return key
    return read_key


def _print_summary(console, summary, db_path) -> None:
    from rich.markup import escape

    from deckgen.quiz.scheduler import recalled

    if summary.asked == 0:
        when = " (more later today)" if summary.due_later_today else ""
        if summary.new_left:  # only --new 0 takes none of them
            console.print(f"Nothing due now{when}; {plural(summary.new_left, 'new card')} left, "
                          "none taken with --new 0.")
        else:
            console.print(f"Nothing due now{when} and no new cards left. Come back later.")
        return
    v = summary.verdicts
    mean = f", mean score {sum(summary.scores) / len(summary.scores):.0f}" if summary.scores else ""
    console.print(f"[bold]Session {'ended early' if summary.interrupted else 'done'}[/]: "
                  f"{summary.reviewed} reviewed — {v['correct']} correct, {v['partial']} partial, "
                  f"{v['incorrect']} incorrect, {v['shown']} shown{mean}; "
                  f"{accuracy_text(sum(map(recalled, summary.ratings)), len(summary.ratings))}; {plural(summary.overridden, 'rating')} overridden.")
    console.print(f"[dim]In these notes: due now: {summary.due_now}; due later today: {summary.due_later_today}; "
                  f"new cards left: {summary.new_left}. Progress saved in {escape(str(db_path))}[/]")


def accuracy_text(recalled: int, reviews: int) -> str:
    """"accuracy 67% (2 of 3 reviews rated Good or Easy)": the words `deckgen stats` uses too
    (scheduler.accuracy is the one definition)."""
    if not reviews:
        return "accuracy -"
    return f"accuracy {recalled / reviews:.0%} ({recalled} of {plural(reviews, 'review')} rated Good or Easy)"
