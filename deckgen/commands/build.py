"""`deckgen build`: the Anki package and the printable PDFs."""

from __future__ import annotations

import sys
from pathlib import Path


def register(sub, add_sources, add_filters) -> None:
    p = sub.add_parser(
        "build", help="write the Anki package and printable PDFs",
        description="Write build/<name>.apkg (updates in place when re-imported into Anki), "
                    "build/<name>-cheatsheet.pdf and build/<name>-cards.pdf.")
    add_sources(p)
    add_filters(p)
    p.add_argument("-o", "--out-dir", default="build", metavar="DIR", help="output folder (default build/)")
    p.add_argument("--name", default="ML Interview", help='deck name (default "ML Interview")')
    p.add_argument("--only", action="append", choices=("apkg", "cheatsheet", "cards"), default=[],
                   help="write only these outputs (repeatable; default: all three)")
    p.add_argument("--include-unanswered", action="store_true",
                   help="also include unanswered questions (Anki: as cards; cheat sheet: an appendix)")
    p.set_defaults(func=cmd_build)


def cmd_build(args) -> int:
    from deckgen.cli import _console, load_deck

    deck = load_deck(args).filter(args.tag, args.exclude_tag)
    outputs = args.only or ["apkg", "cheatsheet", "cards"]
    out_dir = Path(args.out_dir)
    console = _console()
    written: list[Path] = []
    # Each writer adds its own call here.
    for path in written:
        console.print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB)")
    if not written:
        print("deckgen: nothing written", file=sys.stderr)
    return 0
