"""The terminal quiz loop: ask, read a typed answer, grade, confirm, schedule, save."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from deckgen.card import Card
from deckgen.quiz import scheduler
from deckgen.quiz.scheduler import AGAIN, EASY, GOOD, HARD, RATING_NAMES
from deckgen.quiz.store import Progress, Store


@dataclass
class Summary:
    reviewed: int = 0
    verdicts: dict[str, int] = field(default_factory=lambda: {"correct": 0, "partial": 0, "incorrect": 0,
                                                               "shown": 0})
    overridden: int = 0
    scores: list[int] = field(default_factory=list)
    due_left: int = 0
    new_left: int = 0
    interrupted: bool = False


def select(cards: list[Card], progress: dict[str, Progress], now: datetime, limit: int,
           new: int) -> tuple[list[Card], int, int]:
    """Due cards first (most overdue first), then unseen cards in deck order up to `new`;
    at most `limit` in all. Returns the chosen cards and how many due / new remain."""
    due = sorted((c for c in cards if c.id in progress and progress[c.id].due and progress[c.id].due <= now),
                 key=lambda c: progress[c.id].due)
    unseen = [c for c in cards if c.id not in progress]
    chosen = due[:limit]
    fresh = unseen[:max(0, min(new, limit - len(chosen)))]
    chosen += fresh
    return chosen, len(due) - min(len(due), limit), len(unseen) - len(fresh)


def read_answer(read: Callable[[str], str]) -> str:
    """Lines until a blank line; an empty first line means "show me"."""
    lines = []
    while True:
        line = read("> " if not lines else ". ")
        if not line.strip():
            return "\n".join(lines).strip()
        lines.append(line.rstrip())


def parse_rating(reply: str, suggested: int) -> int | None:
    """Enter accepts the suggestion, 1-4 override it; None means quit."""
    reply = reply.strip().lower()
    if reply in ("q", "quit"):
        return None
    if reply in ("1", "2", "3", "4"):
        return int(reply)
    return suggested


def _print_points(console, points: list[str], mark: str, style: str, most: int = 6) -> None:
    """Key points hit (✓) or missed (✗), shortened so the reference stays in view."""
    from rich.text import Text

    for point in points[:most]:
        short = point if len(point) <= 110 else point[:107].rstrip() + "…"
        console.print(Text(f"  {mark} {short}", style=style))
    if len(points) > most:
        console.print(Text(f"  {mark} … and {len(points) - most} more", style=style))


def _warm_up() -> None:
    import rich.markdown  # noqa: F401

    from deckgen.quiz.grader import warm_up

    warm_up()


def run(cards: list[Card], store: Store, *, limit: int, new: int, console,
        read: Callable[[str], str] = input, now: Callable[[], datetime] = scheduler.now_utc,
        read_key: Callable[[str], str] | None = None) -> Summary:
    """Quiz on `cards`. `read(prompt)` reads a line of the answer; `read_key(prompt)`,
    when given, reads the one-key rating (default: a line from `read`)."""
    progress = store.progress([c.id for c in cards])
    chosen, due_left, new_left = select(cards, progress, now(), limit, new)
    summary = Summary(due_left=due_left, new_left=new_left)
    if not chosen:
        return summary
    # The grader's word lists and rich's markdown renderer take about half a second
    # to load: do it while the user reads the first question.
    threading.Thread(target=_warm_up, daemon=True).start()
    reviewed: set[str] = set()
    try:
        for number, card in enumerate(chosen, 1):
            seen = card.id in progress
            _show_question(console, card, f"{number}/{len(chosen)}  {'review' if seen else 'new'}")
            answer = read_answer(read)
            result = _grade(answer, card)
            _show_result(console, result, card)
            suggested = result.rating if result else AGAIN
            rating = _ask_rating(read_key or read, suggested)
            if rating is None:
                break
            due = _save(store, card, answer, result, suggested,
                        rating, now())
            # counted only once saved, so the summary matches what the database holds
            reviewed.add(card.id)
            _count(summary, result, rating, suggested)
            console.print(f"[dim]next review: {due.strftime('%Y-%m-%d %H:%M')} UTC[/]\n")
    except (KeyboardInterrupt, EOFError):
        summary.interrupted = True
    # cards chosen but not rated are still due / still new
    summary.due_left += sum(1 for c in chosen if c.id in progress and c.id not in reviewed)
    summary.new_left += sum(1 for c in chosen if c.id not in progress and c.id not in reviewed)
    return summary


def _show_question(console, card: Card, title: str) -> None:
    from rich.panel import Panel
    from rich.text import Text

    where = " > ".join(card.section) or card.source
    console.print(Panel(Text(card.question, style="bold"), title=title, subtitle=Text(where, style="dim"),
                        title_align="left", subtitle_align="left"))
    console.print("[dim]Type your answer; a blank line finishes it. Blank at once = show the answer.[/]")


def _grade(answer: str, card: Card):
    """The grader's verdict on a typed answer; None when the answer was left blank ("show me")."""
    from deckgen.quiz.grader import grade

    return grade(answer, card.answer, card.question) if answer else None


def _show_result(console, result, card: Card) -> None:
    """Verdict, notes, points hit and missed, then the reference answer."""
    from rich.markdown import Markdown
    from rich.text import Text

    if result is not None:
        colour = {"correct": "green", "partial": "yellow", "incorrect": "red"}[result.verdict]
        console.print(f"[bold {colour}]{result.verdict}[/] · score {result.score}/100")
        for note in result.notes:
            console.print(Text("  ! " + note, style="yellow"))
        _print_points(console, result.hits, "✓", "green")
        _print_points(console, result.misses, "✗", "red")
    console.print("[dim]Reference answer:[/]")
    console.print(Markdown(card.answer))


def _ask_rating(read: Callable[[str], str], suggested: int) -> int | None:
    choices = "  ".join(f"{k} {v}" for k, v in RATING_NAMES.items())
    return parse_rating(read(f"Enter = {RATING_NAMES[suggested]}, or {choices}, q = quit: "), suggested)


def _save(store: Store, card: Card, answer: str, result, suggested: int, rating: int,
          when: datetime) -> datetime:
    """Schedule the card with FSRS and commit the review; returns the next due time.
    Scheduled from the state stored now, inside the write (another session may have moved it on)."""
    return store.record_review(card_id=card.id, question=card.question, tags=list(card.tags), answer=answer,
                               score=result.score if result else None,
                               verdict=result.verdict if result else None, suggested=suggested,
                               rating=rating, when=when,
                               schedule=lambda state: scheduler.review(state, rating, when))


def _count(summary: Summary, result, rating: int, suggested: int) -> None:
    summary.reviewed += 1
    summary.overridden += rating != suggested
    summary.verdicts[result.verdict if result else "shown"] += 1
    if result:
        summary.scores.append(result.score)


__all__ = ["AGAIN", "HARD", "GOOD", "EASY", "Summary", "select", "run", "read_answer", "parse_rating"]
