"""`deckgen list`: browse cards in the terminal."""

from __future__ import annotations

from deckgen.commands.common import add_filters, add_sources, count, load_deck, make_console, no_match_message


def register(sub) -> None:
    p = sub.add_parser("list", help="browse cards in the terminal", description="Browse cards in the terminal.")
    add_sources(p)
    add_filters(p)
    p.add_argument("--search", nargs="+", metavar="WORDS", help="only cards containing all these words")
    p.add_argument("--full", action="store_true", help="show answers too")
    p.add_argument("--limit", type=count, default=0, metavar="N", help="show at most N cards (default: all)")
    p.add_argument("--include-unanswered", action="store_true", help="also list unanswered questions")
    p.set_defaults(func=cmd_list)


def cmd_list(args) -> int:
    from rich.markdown import Markdown
    from rich.markup import escape
    from rich.panel import Panel

    full = load_deck(args)
    deck = full.filter(args.tag, args.exclude_tag, " ".join(args.search or []))
    cards = deck.cards if args.include_unanswered else deck.answered
    out = make_console()
    if not cards:
        out.print("no cards match")
        if args.tag or args.exclude_tag:
            out.print(f"[dim]{escape(no_match_message(full, args))}[/]", soft_wrap=True)
        return 0
    shown = cards[: args.limit] if args.limit else cards
    for card in shown:
        # everything from the notes is escaped: "[E] What…" must not read as rich markup
        where = escape(f"{card.source}:{card.line}" + (f"  ·  {' > '.join(card.section)}" if card.section else ""))
        question = escape(card.question)
        if args.full:
            body = Markdown(card.answer) if card.answered else "[dim](not answered)[/]"
            out.print(Panel(body, title=f"[bold]{question}[/]", subtitle=f"[dim]{where}[/]",
                            title_align="left", subtitle_align="left"))
        else:
            flag = "" if card.answered else " [dim](not answered)[/]"
            out.print(f"[bold]{question}[/]{flag}\n  [dim]{where}  {escape(f'[{card.id}]')}[/]", soft_wrap=True)
    more = f" (showing {len(shown)})" if len(shown) < len(cards) else ""
    out.print(f"[dim]{len(cards)} cards{more}[/]")
    return 0
