"""`deckgen list`: browse cards in the terminal."""

from __future__ import annotations

from deckgen.commands.common import (UserError, add_filters, add_sources, count, load_deck, make_console,
                                     no_match_message)
from deckgen.text.terminal import plural, terminal_markdown, terminal_text


def register(sub) -> None:
    p = sub.add_parser("list", help="browse cards in the terminal",
                       description="Browse cards in the terminal. Exits 2 when --tag/--exclude-tag leave no cards.")
    add_sources(p)
    add_filters(p)
    p.add_argument("--search", nargs="+", metavar="WORDS", help="only cards containing all these words")
    p.add_argument("--full", action="store_true", help="show answers too")
    p.add_argument("--limit", type=count, default=0, metavar="N", help="show at most N cards (default: all)")
    p.add_argument("--include-unanswered", action="store_true", help="also list unanswered questions")
    p.set_defaults(func=cmd_list)


def cmd_list(args) -> int:
    full = load_deck(args)
    deck = full.filter(args.tag, args.exclude_tag, " ".join(args.search or []))
    cards = deck.cards if args.include_unanswered else deck.answered
    if not cards and (args.tag or args.exclude_tag):
        raise UserError(no_match_message(full, args))  # exit 2, like export and build
    out = make_console()
    if not cards:
        out.print("no cards match")
        return 0
    shown = cards[: args.limit] if args.limit else cards
    for card in shown:
        out.print(_full(card) if args.full else _brief(card), soft_wrap=not args.full)
    more = f" (showing {len(shown)})" if len(shown) < len(cards) else ""
    out.print(f"[dim]{plural(len(cards), 'card')}{more}[/]")
    return 0


def _where(card) -> str:
    return terminal_text(f"{card.source}:{card.line}" + (f"  ·  {' > '.join(card.section)}" if card.section else ""))


def _brief(card):
    """Question, then where it comes from and its id. Text, never markup: "[E] What…" stays as written."""
    from rich.text import Text

    line = Text(terminal_text(card.question), style="bold")
    if not card.answered:
        line.append(" (not answered)", style="dim")
    line.append(f"\n  {_where(card)}  [{card.id}]", style="dim")
    return line


def _full(card):
    """The whole question (not a panel title, which would cut it), the answer, where it comes from."""
    from rich.console import Group
    from rich.markdown import Markdown
    from rich.panel import Panel
    from rich.rule import Rule
    from rich.text import Text

    body = Markdown(terminal_markdown(card.answer)) if card.answered else Text("(not answered)", style="dim")
    return Panel(Group(Text(terminal_text(card.question), style="bold"), Rule(style="dim"), body),
                 subtitle=Text(_where(card), style="dim"), subtitle_align="left")
