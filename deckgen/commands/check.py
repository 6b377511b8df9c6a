"""`deckgen check`: what deckgen reads from each file, and every problem."""

from __future__ import annotations

from deckgen.commands.common import add_sources, count, load_deck, make_console


def register(sub) -> None:
    p = sub.add_parser("check", help="show what deckgen reads from each file",
                       description="A table per file: format, cards, unanswered, folded duplicates, "
                                   "problems. Exits 1 if any file could not be read.")
    add_sources(p)
    p.add_argument("--max-problems", type=count, default=40, metavar="N", help="problems to list (default 40)")
    p.add_argument("-v", "--verbose", action="store_true", help="list every problem")
    p.set_defaults(func=cmd_check)


def cmd_check(args) -> int:
    from rich.markup import escape
    from rich.table import Table

    deck = load_deck(args)
    out = make_console()
    table = Table(title="deckgen check", show_lines=False)
    for col, justify in (("file", "left"), ("format", "left"), ("cards", "right"),
                         ("unanswered", "right"), ("folded", "right"), ("problems", "right")):
        table.add_column(col, justify=justify, overflow="fold")
    unreadable = 0
    for f in deck.files:
        unreadable += not f.readable
        status = "[red]unreadable[/]" if not f.readable else ", ".join(f.formats) or "-"
        table.add_row(escape(f.path), status, str(f.cards), str(f.unanswered), str(f.folded),
                      str(len(f.diagnostics)))
    out.print(table)
    total = sum(f.cards for f in deck.files)
    out.print(f"{len(deck.files)} file{'s' * (len(deck.files) != 1)}, {total} cards, "
              f"{sum(f.unanswered for f in deck.files)} unanswered, "
              f"{sum(f.folded for f in deck.files)} duplicates folded, {unreadable} unreadable")
    shown = deck.diagnostics if args.verbose else deck.diagnostics[: args.max_problems]
    for d in shown:
        style = "yellow" if d.severity == "warning" else "red"
        out.print(f"[{style}]{escape(str(d))}[/]", soft_wrap=True)
    if len(shown) < len(deck.diagnostics):
        out.print(f"... {len(deck.diagnostics) - len(shown)} more problems (use --verbose)")
    return 1 if unreadable else 0
