"""The command line: parse the arguments and dispatch to deckgen/commands/. No logic of its own."""

from __future__ import annotations

import argparse
import importlib
import sys

from deckgen import __version__
from deckgen.commands import MODULES
from deckgen.commands.common import UserError
from deckgen.writers import OutputError


def build_parser() -> argparse.ArgumentParser:
    return _parsers()[0]


def _parsers() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The top-level parser and each command's own parser, by name."""
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

    for name in MODULES:
        importlib.import_module(name).register(sub)
    for command in sub.choices.values():  # global options also work after the command
        command.add_argument("--version", action="version", version=f"deckgen {__version__}", help=argparse.SUPPRESS)
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        command.add_argument("--no-cache", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser, sub.choices


def _parse(argv: list[str] | None) -> tuple[argparse.ArgumentParser, argparse.Namespace]:
    """Parse; an option the command does not know is reported with that command's usage."""
    parser, commands = _parsers()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        command = commands.get(getattr(args, "command", None) or "", parser)
        command.error(f"unrecognized arguments: {' '.join(unknown)}")
    return parser, args


def main(argv: list[str] | None = None) -> int:
    parser, args = _parse(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args) or 0
    except (UserError, OutputError) as err:
        print(f"deckgen: error: {_one_line(str(err))}", file=sys.stderr)
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
        print(f"deckgen: error: {type(err).__name__}: {_one_line(str(err))} (run with --debug for details)",
              file=sys.stderr)
        return 1


def _one_line(message: str) -> str:
    """An error is one line, whatever text (a database's bytes, a note's) it quotes."""
    from deckgen.text.terminal import strip_controls

    return " ".join(strip_controls(message).split())


if __name__ == "__main__":
    raise SystemExit(main())
