"""What every command shares: user errors, sources, outputs, the console, loading the deck."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_SOURCES = ["content"]


class UserError(Exception):
    """An error the user can fix; printed as one line, no traceback."""


# --- arguments ------------------------------------------------------------------------

def add_sources(p: argparse.ArgumentParser) -> None:
    p.add_argument("sources", nargs="*", metavar="SOURCES",
                   help="note files or folders (searched recursively); default: content/")


def add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tag", action="append", default=[], metavar="T",
                   help="keep cards with this tag (e.g. topic::statistics or just statistics); repeatable")
    p.add_argument("--exclude-tag", action="append", default=[], metavar="T",
                   help="drop cards with this tag; repeatable")


def count(text: str) -> int:
    """argparse type: a whole number >= 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, not {value}")
    return value


# --- sources --------------------------------------------------------------------------

def _default_sources() -> list[str]:
    """content/ here, else the sample notes that came with deckgen (a source checkout)."""
    if Path("content").is_dir():
        return DEFAULT_SOURCES
    bundled = Path(__file__).resolve().parent.parent.parent / "content"
    if bundled.is_dir():
        return [str(bundled)]
    raise UserError("no notes given and no content/ folder here: pass files or folders, e.g. deckgen build notes/")


def sources(args) -> list[str]:
    given = args.sources or _default_sources()
    missing = [s for s in given if not Path(s).exists()]
    if missing:
        raise UserError(f"no such file or folder: {', '.join(missing)}")
    # a file given twice, or also inside a folder given, is read once (its cards are not doubled)
    resolved = [Path(s).resolve() for s in given]
    kept: list[str] = []
    for k, (name, path) in enumerate(zip(given, resolved)):
        repeated = path in resolved[:k]
        inside = any(other != path and other.is_dir() and path.is_relative_to(other) for other in resolved)
        if not (repeated or inside):
            kept.append(name)
    return kept


def load_deck(args, quiet: bool = False):
    """Load the sources of `args` with a progress bar on stderr for long loads."""
    from deckgen import deck as deckmod

    names = sources(args)
    cache = not getattr(args, "no_cache", False)
    if quiet or not sys.stderr.isatty():
        deck = deckmod.load(names, cache=cache)
    else:
        from rich.progress import Progress

        with Progress(transient=True, console=make_console(stderr=True)) as progress:
            task = progress.add_task("reading notes", total=None)

            def tick(name: str, done: int, total: int) -> None:
                progress.update(task, total=total, completed=done, description=f"reading {name[-40:]}")

            deck = deckmod.load(names, progress=tick, cache=cache)
    if not deck.files:  # e.g. a wrong or empty folder: say so instead of an empty result
        raise UserError(f"no note files found in {', '.join(names)}")
    return deck


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


def print_diagnostics(deck, limit: int = 20) -> None:
    from deckgen.text.terminal import strip_controls

    diagnostics = deck.diagnostics
    for d in diagnostics[:limit]:
        print(strip_controls(str(d)), file=sys.stderr)
    if len(diagnostics) > limit:
        print(f"... and {len(diagnostics) - limit} more (see `deckgen check`)", file=sys.stderr)


# --- outputs --------------------------------------------------------------------------

def writable_output(target: str | Path, *, folder: bool = False) -> Path:
    """Fail early, before reading any notes, when an output cannot be written: its folder
    cannot be made or written to, or the file exists and is read-only (never replaced).
    Nothing is created here: a folder is made only when something is written into it."""
    import tempfile

    from deckgen.writers import output_kind

    target = Path(target)
    if not folder and output_kind(target) == "stream":  # /dev/stdout, a FIFO: written in place
        return target
    folder_path = target if folder else target.parent
    existing = folder_path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise UserError(f"cannot write to {existing}: it is a file, not a folder")
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as err:
        raise UserError(f"cannot write to {folder_path}: {err.strerror or err}") from None
    if not folder and target.exists():
        if target.is_dir():
            raise UserError(f"{target} is a folder; give a file name")
        if not target.stat().st_mode & 0o222:
            raise UserError(f"{target} is read-only; not replacing it (make it writable or choose another name)")
    return target


# --- the terminal ---------------------------------------------------------------------

def make_console(stderr: bool = False):
    from rich.console import Console

    out = Console(stderr=stderr, highlight=False)
    out.on_broken_pipe = _broken_pipe  # `deckgen list | head` ends with 0, like export
    return out


def _broken_pipe() -> None:
    """The reader went away: send what is left to /dev/null and let main() end quietly."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise BrokenPipeError
