"""`deckgen export`: one record per card, JSON lines or CSV."""

from __future__ import annotations

import sys

from deckgen.commands.common import (UserError, add_filters, add_sources, load_deck, no_match_message,
                                     print_diagnostics, writable_output)
from deckgen.text.terminal import plural


def register(sub) -> None:
    p = sub.add_parser("export", help="write cards as JSON lines or CSV",
                       description="Write one record per card (unanswered ones included, answered=false).")
    add_sources(p)
    add_filters(p)
    p.add_argument("--format", choices=("jsonl", "csv"),
                   help="output format (default: csv when FILE ends in .csv, else jsonl)")
    p.add_argument("-o", "--output", metavar="FILE", help="output file, or - for stdout (default)")
    p.add_argument("-q", "--quiet", action="store_true", help="do not print diagnostics")
    p.set_defaults(func=cmd_export)


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
        print(f"wrote {plural(n, 'record')} to {args.output}", file=sys.stderr)
    if not args.quiet:
        print_diagnostics(deck, limit=5)
    return 0
