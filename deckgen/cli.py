"""The command line: parse arguments, call the rooms, print. No logic of its own."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from deckgen import __version__

DEFAULT_SOURCES = ["content"]


class UserError(Exception):
    """An error the user can fix; printed as one line, no traceback."""


def _default_sources() -> list[str]:
    """content/ here, else the sample notes that came with deckgen (a source checkout)."""
    if Path("content").is_dir():
        return DEFAULT_SOURCES
    bundled = Path(__file__).resolve().parent.parent / "content"
    if bundled.is_dir():
        return [str(bundled)]
    raise UserError("no notes given and no content/ folder here: pass files or folders, e.g. deckgen build notes/")


def _sources(args) -> list[str]:
    sources = args.sources or _default_sources()
    missing = [s for s in sources if not Path(s).exists()]
    if missing:
        raise UserError(f"no such file or folder: {', '.join(missing)}")
    # a file given twice, or also inside a folder given, is read once (its cards are not doubled)
    resolved = [Path(s).resolve() for s in sources]
    kept: list[str] = []
    for k, (given, path) in enumerate(zip(sources, resolved)):
        repeated = path in resolved[:k]
        inside = any(other != path and other.is_dir() and path.is_relative_to(other) for other in resolved)
        if not (repeated or inside):
            kept.append(given)
    return kept


def writable_output(target: str | Path, *, folder: bool = False) -> Path:
    """Fail early, before reading any notes, when an output cannot be written: its folder
    cannot be made or written to, or the file exists and is read-only (never replaced)."""
    import os
    import tempfile

    target = Path(target)
    folder_path = target if folder else target.parent
    if folder_path.exists() and not folder_path.is_dir():
        raise UserError(f"cannot write to {folder_path}: it is a file, not a folder")
    try:
        folder_path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder_path):
            pass
    except OSError as err:
        raise UserError(f"cannot write to {folder_path}: {err.strerror or err}") from None
    if not folder and target.exists():
        if target.is_dir():
            raise UserError(f"{target} is a folder; give a file name")
        if not target.stat().st_mode & 0o222:
            raise UserError(f"{target} is read-only; not replacing it (make it writable or choose another name)")
    return target


def no_match_message(deck, args) -> str:
    """Why nothing is left after --tag/--exclude-tag/--search, with tags that do exist."""
    from collections import Counter

    wanted = " ".join([*(f"--tag {t}" for t in getattr(args, "tag", [])),
                       *(f"--exclude-tag {t}" for t in getattr(args, "exclude_tag", []))])
    if not deck.cards:
        return "no cards in these notes (see `deckgen check`)"
    common = Counter(t for c in deck.cards for t in c.tags if not t.startswith("difficulty::"))
    examples = ", ".join(t for t, _ in common.most_common(6))
    return f"no cards match {wanted or 'the filters'}; tags in these notes include: {examples}"


def count(text: str) -> int:
    """argparse type: a whole number >= 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, not {value}")
    return value


def _console(stderr: bool = False):
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False)
    console.on_broken_pipe = _broken_pipe  # `deckgen list | head` ends with 0, like export
    return console


def _broken_pipe() -> None:
    """The reader went away: send what is left to /dev/null and let main() end quietly."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise BrokenPipeError


def load_deck(args, quiet: bool = False):
    """Load the sources of `args` with a progress bar on stderr for long loads."""
    from deckgen import deck as deckmod

    sources = _sources(args)
    cache = not getattr(args, "no_cache", False)
    if quiet or not sys.stderr.isatty():
        deck = deckmod.load(sources, cache=cache)
    else:
        from rich.progress import Progress

        with Progress(transient=True, console=_console(stderr=True)) as progress:
            task = progress.add_task("reading notes", total=None)

            def tick(name: str, done: int, total: int) -> None:
                progress.update(task, total=total, completed=done, description=f"reading {name[-40:]}")

            deck = deckmod.load(sources, progress=tick, cache=cache)
    if not deck.files:  # e.g. a wrong or empty folder: say so instead of an empty result
        raise UserError(f"no note files found in {', '.join(sources)}")
    return deck


def _print_diagnostics(deck, limit: int = 20) -> None:
    diagnostics = deck.diagnostics
    for d in diagnostics[:limit]:
        print(d, file=sys.stderr)
    if len(diagnostics) > limit:
        print(f"... and {len(diagnostics) - limit} more (see `deckgen check`)", file=sys.stderr)


# --- export ---------------------------------------------------------------------------

def cmd_export(args) -> int:
    from deckgen.writers import atomic_path
    from deckgen.writers.jsonl import write_csv, write_jsonl

    to_file = args.output not in (None, "-")
    if to_file:
        writable_output(args.output)
    full = load_deck(args, quiet=not to_file)  # no progress bar over records on the terminal
    deck = full.filter(args.tag, args.exclude_tag)
    if not deck.cards and (args.tag or args.exclude_tag):
        # a mistyped tag must not replace a good export with an empty one
        raise UserError(no_match_message(full, args))
    # -o cards.csv means CSV unless --format says otherwise
    fmt = args.format or ("csv" if to_file and args.output.lower().endswith(".csv") else "jsonl")
    write = write_jsonl if fmt == "jsonl" else write_csv
    if not to_file:
        write(deck.cards, sys.stdout)
    else:
        with atomic_path(args.output) as tmp:
            with open(tmp, "w", encoding="utf-8", newline="") as out:
                n = write(deck.cards, out)
        print(f"wrote {n} records to {args.output}", file=sys.stderr)
    if not args.quiet:
        _print_diagnostics(deck, limit=5)
    return 0


# --- check ----------------------------------------------------------------------------

def cmd_check(args) -> int:
    from rich.markup import escape
    from rich.table import Table

    deck = load_deck(args)
    console = _console()
    table = Table(title="deckgen check", show_lines=False)
    for col, justify in (("file", "left"), ("format", "left"), ("cards", "right"),
                         ("unanswered", "right"), ("folded", "right"), ("read", "right"), ("problems", "right")):
        table.add_column(col, justify=justify, overflow="fold")
    unreadable = 0
    for f in deck.files:
        unreadable += not f.readable
        status = "[red]unreadable[/]" if not f.readable else ", ".join(f.formats) or "-"
        share = "-" if f.read_share is None else f"{f.read_share:.0%}"  # the text that became cards
        table.add_row(escape(f.path), status, str(f.cards), str(f.unanswered), str(f.folded), share,
                      str(len(f.diagnostics)))
    console.print(table)
    total = sum(f.cards for f in deck.files)
    console.print(f"{len(deck.files)} file{'s' * (len(deck.files) != 1)}, {total} cards, "
                  f"{sum(f.unanswered for f in deck.files)} unanswered, "
                  f"{sum(f.folded for f in deck.files)} duplicates folded, {unreadable} unreadable")
    shown = deck.diagnostics if args.verbose else deck.diagnostics[: args.max_problems]
    for d in shown:
        style = "yellow" if d.severity == "warning" else "red"
        console.print(f"[{style}]{escape(str(d))}[/]", soft_wrap=True)
    if len(shown) < len(deck.diagnostics):
        console.print(f"... {len(deck.diagnostics) - len(shown)} more problems (use --verbose)")
    return 1 if unreadable else 0


# --- list -----------------------------------------------------------------------------

def cmd_list(args) -> int:
    from rich.markdown import Markdown
    from rich.markup import escape
    from rich.panel import Panel

    full = load_deck(args)
    deck = full.filter(args.tag, args.exclude_tag, " ".join(args.search or []))
    cards = deck.cards if args.include_unanswered else deck.answered
    console = _console()
    if not cards:
        console.print("no cards match")
        if args.tag or args.exclude_tag:
            from rich.markup import escape

            console.print(f"[dim]{escape(no_match_message(full, args))}[/]", soft_wrap=True)
        return 0
    shown = cards[: args.limit] if args.limit else cards
    for card in shown:
        # everything from the notes is escaped: "[E] What…" must not read as rich markup
        where = escape(f"{card.source}:{card.line}" + (f"  ·  {' > '.join(card.section)}" if card.section else ""))
        question = escape(card.question)
        if args.full:
            body = Markdown(card.answer) if card.answered else "[dim](not answered)[/]"
            console.print(Panel(body, title=f"[bold]{question}[/]", subtitle=f"[dim]{where}[/]",
                                title_align="left", subtitle_align="left"))
        else:
            flag = "" if card.answered else " [dim](not answered)[/]"
            console.print(f"[bold]{question}[/]{flag}\n  [dim]{where}  {escape(f'[{card.id}]')}[/]", soft_wrap=True)
    more = f" (showing {len(shown)})" if len(shown) < len(cards) else ""
    console.print(f"[dim]{len(cards)} cards{more}[/]")
    return 0


# --- parser ---------------------------------------------------------------------------

def _add_sources(p: argparse.ArgumentParser) -> None:
    p.add_argument("sources", nargs="*", metavar="SOURCES",
                   help="note files or folders (searched recursively); default: content/")


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tag", action="append", default=[], metavar="T",
                   help="keep cards with this tag (e.g. topic::statistics or just statistics); repeatable")
    p.add_argument("--exclude-tag", action="append", default=[], metavar="T",
                   help="drop cards with this tag; repeatable")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="deckgen",
        description="Turn messy ML-interview study notes into Anki decks, printable PDFs and a shell quiz.",
        epilog="examples:\n"
               "  deckgen check notes/                   what deckgen reads from each file, every problem\n"
               "  deckgen build notes/                   build/ML Interview.apkg and two PDFs\n"
               "  deckgen export notes/ -o cards.jsonl   one record per card (--format csv)\n"
               "  deckgen quiz notes/ --tag statistics   quiz yourself; progress is saved\n"
               "SOURCES default to content/. `deckgen COMMAND --help` explains each command.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"deckgen {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for unexpected errors")
    parser.add_argument("--no-cache", action="store_true",
                        help="parse every file again instead of reusing the results of the last run")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("export", help="write cards as JSON lines or CSV",
                       description="Write one record per card (unanswered ones included, answered=false).")
    _add_sources(p)
    _add_filters(p)
    p.add_argument("--format", choices=("jsonl", "csv"),
                   help="output format (default: csv when FILE ends in .csv, else jsonl)")
    p.add_argument("-o", "--output", metavar="FILE", help="output file, or - for stdout (default)")
    p.add_argument("-q", "--quiet", action="store_true", help="do not print diagnostics")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("check", help="show what deckgen reads from each file",
                       description="A table per file: format, cards, unanswered, folded duplicates, "
                                   "problems. Exits 1 if any file could not be read.")
    _add_sources(p)
    p.add_argument("--max-problems", type=count, default=40, metavar="N", help="problems to list (default 40)")
    p.add_argument("-v", "--verbose", action="store_true", help="list every problem")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("list", help="browse cards in the terminal", description="Browse cards in the terminal.")
    _add_sources(p)
    _add_filters(p)
    p.add_argument("--search", nargs="+", metavar="WORDS", help="only cards containing all these words")
    p.add_argument("--full", action="store_true", help="show answers too")
    p.add_argument("--limit", type=count, default=0, metavar="N", help="show at most N cards (default: all)")
    p.add_argument("--include-unanswered", action="store_true", help="also list unanswered questions")
    p.set_defaults(func=cmd_list)

    _add_more_commands(sub)
    for command in sub.choices.values():  # global options also work after the command
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        command.add_argument("--no-cache", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def _add_more_commands(sub) -> None:
    """Commands whose faces live in deckgen/commands/ (build, quiz, stats, grade)."""
    import importlib

    from deckgen.commands import MODULES

    for name in MODULES:
        module = importlib.import_module(name)
        module.register(sub, _add_sources, _add_filters)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args) or 0
    except UserError as err:
        print(f"deckgen: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("deckgen: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as err:  # e.g. the disk filled up while writing: one line, no traceback
        if args.debug:
            raise
        import re

        # name the file the user asked for, not atomic_path's hidden temp file beside it
        target = re.sub(r"(^|/)\.([^/]+)\.[^./]+\.tmp$", r"\1\2", str(err.filename or ""))
        where = f": {target}" if target else ""
        print(f"deckgen: error: {err.strerror or err}{where} (run with --debug for details)", file=sys.stderr)
        return 1
    except Exception as err:  # one clear line unless --debug
        if args.debug:
            raise
        print(f"deckgen: error: {type(err).__name__}: {err} (run with --debug for details)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
