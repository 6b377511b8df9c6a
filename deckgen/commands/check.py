"""`deckgen check`: what deckgen reads from each file, and every problem."""

from __future__ import annotations

from deckgen.commands.common import add_sources, count, load_deck, make_console
from deckgen.text.terminal import plural, strip_controls


def register(sub) -> None:
    p = sub.add_parser("check", help="show what deckgen reads from each file",
                       description="A table per file: format, cards, unanswered, folded duplicates, "
                                   "problems; then every problem, one line each. Exits 1 if any file "
                                   "could not be read.")
    add_sources(p)
    p.add_argument("--max-problems", type=count, default=None, metavar="N",
                   help="list at most N problems (default: all), then say how many more there are")
    p.add_argument("-v", "--verbose", action="store_true", help="list every problem (overrides --max-problems)")
    p.set_defaults(func=cmd_check)


def cmd_check(args) -> int:
    from rich.text import Text

    deck = load_deck(args)
    out = make_console()
    out.print(_table(deck, out.width))
    files = deck.files
    unreadable = sum(not f.readable for f in files)
    out.print(f"{plural(len(files), 'file')}, {plural(sum(f.cards for f in files), 'card')}, "
              f"{sum(f.unanswered for f in files)} unanswered, "
              f"{plural(sum(f.folded for f in files), 'duplicate')} folded, {unreadable} unreadable")
    problems = deck.diagnostics
    most = None if args.verbose else args.max_problems
    shown = problems if most is None else problems[:most]
    for d in shown:
        out.print(Text(strip_controls(str(d)), style="yellow" if d.severity == "warning" else "red"),
                  soft_wrap=True)
    if len(shown) < len(problems):
        out.print(f"... and {plural(len(problems) - len(shown), 'more problem')} "
                  "(all of them: deckgen check without --max-problems, or with --verbose)")
    return 1 if unreadable else 0


def _table(deck, width: int):
    from rich.table import Table
    from rich.text import Text

    table = Table(title="deckgen check", show_lines=False)
    table.add_column("file", overflow="fold", ratio=1)
    for col in ("format", "cards", "unanswered", "folded", "read", "problems"):
        table.add_column(col, justify="left" if col == "format" else "right")
    # one format a line: the column is as wide as its longest name, the rest is the file's
    rows = [[strip_controls(f.path), "unreadable" if not f.readable else ",\n".join(f.formats) or "-",
             str(f.cards), str(f.unanswered), str(f.folded), _share(f), str(len(f.diagnostics))]
            for f in deck.files]
    # what the other columns take (content, padding, borders): a long path wraps after a "/"
    others = sum(max(len(str(c.header)), *(len(line) for r in rows for line in r[k].split("\n"))) + 3
                 for k, c in enumerate(table.columns) if k) if rows else 0
    room = max(16, width - others - 4)
    for path, status, *numbers in rows:
        table.add_row(_wrap_path(path, room), Text(status, style="red") if status == "unreadable" else status,
                      *numbers)
    return table


def _wrap_path(path: str, width: int) -> str:
    """Break a long path after its separators (/ _ - . and spaces), never inside a name
    that fits on a line."""
    import re

    lines, line = [], ""
    for piece in re.findall(r"[^/_\-. ]*[/_\-. ]?", path):
        if line and len(line) + len(piece) > width:
            lines.append(line)
            line = ""
        line += piece
    lines.append(line)
    return "\n".join(lines)


def _share(report) -> str:
    """The share of the file's text that became cards ("-" when its reader keeps no tally)."""
    return "-" if report.read_share is None else f"{report.read_share:.0%}"
