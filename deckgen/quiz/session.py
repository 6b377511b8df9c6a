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
from deckgen.text.terminal import plural, terminal_markdown, terminal_text


@dataclass
class Summary:
    asked: int = 0  # cards chosen for this session
    reviewed: int = 0
    verdicts: dict[str, int] = field(default_factory=lambda: {"correct": 0, "partial": 0, "incorrect": 0,
                                                               "shown": 0})
    ratings: list[int] = field(default_factory=list)
    overridden: int = 0
    scores: list[int] = field(default_factory=list)
    due_now: int = 0  # of the quizzed notes, after the session
    due_later_today: int = 0
    new_left: int = 0
    interrupted: bool = False  # Ctrl-C, Ctrl-D, or q at a rating

    @property
    def accuracy(self) -> float | None:
        return scheduler.accuracy(self.ratings)


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
    """One submission: Enter ends it, a line ending in `\\` continues on the next line.
    Blank means "show me"."""
    lines = [read("> ")]
    while lines[-1].endswith("\\"):
        lines[-1] = lines[-1][:-1]
        lines.append(read(". "))
    return "\n".join(line.rstrip() for line in "\n".join(lines).split("\n")).strip()


def parse_rating(reply: str, suggested: int) -> int | None | bool:
    """Enter accepts the suggestion, 1-4 override it, q quits (None); anything else is
    False (ask again: a stray key must not rate the card)."""
    reply = reply.strip().lower()
    if reply in ("q", "quit"):
        return None
    if reply in ("1", "2", "3", "4"):
        return int(reply)
    return suggested if reply == "" else False


def verdict_line(result) -> str:
    """The grade in one line, as `deckgen grade` prints it: verdict, score, key points hit."""
    points = len(result.hits) + len(result.misses)
    hit = f" · {len(result.hits)} of {plural(points, 'key point')} hit" if points else ""
    return f"{result.verdict} · score {result.score}/100{hit} · suggests {RATING_NAMES[result.rating]}"


def _print_points(console, points: list[str], mark: str, style: str, most: int = 6) -> None:
    """Key points hit (✓) or missed (✗), shortened at a word so the reference stays in view."""
    from rich.text import Text

    for point in points[:most]:
        point = terminal_text(point)
        short = point if len(point) <= 110 else point[:108].rsplit(" ", 1)[0].rstrip(",;:") + " …"
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
    chosen, _, _ = select(cards, progress, now(), limit, new)
    summary = Summary(asked=len(chosen))
    if chosen:
        # The grader's word lists and rich's markdown renderer take about half a second
        # to load: do it while the user reads the first question.
        threading.Thread(target=_warm_up, daemon=True).start()
        try:
            for number, card in enumerate(chosen, 1):
                title = f"{number}/{len(chosen)}  {'review' if card.id in progress else 'new'}"
                if not _quiz_one(console, store, card, title, summary, read, read_key or read, now):
                    summary.interrupted = True
                    break
        except (KeyboardInterrupt, EOFError):
            summary.interrupted = True
            console.print()  # the summary starts on a line of its own, not after the prompt
    _count_left(summary, cards, store, now())
    return summary


def _quiz_one(console, store: Store, card: Card, title: str, summary: Summary, read, read_key,
              now) -> bool:
    """Ask one card, grade, rate, save; False when the user quit at the rating."""
    _show_question(console, card, title)
    answer = read_answer(read)
    result = _grade(answer, card)
    _show_result(console, result, card)
    suggested = result.rating if result else AGAIN
    rating = _ask_rating(read_key, suggested)
    if rating is None:
        return False
    due = _save(store, card, answer, result, suggested, rating, now())
    _count(summary, result, rating, suggested)  # only once saved: the summary matches the database
    console.print(f"[dim]next review: {due.astimezone().strftime('%Y-%m-%d %H:%M')}[/]\n")
    return True


def _count_left(summary: Summary, cards: list[Card], store: Store, when: datetime) -> None:
    """Due now / later today / never seen, over the quizzed cards, from what the database holds."""
    progress = store.progress([c.id for c in cards])
    summary.due_now, summary.due_later_today = scheduler.due_counts((p.due for p in progress.values()), when)
    summary.new_left = sum(1 for c in cards if c.id not in progress)


def _show_question(console, card: Card, title: str) -> None:
    from rich.panel import Panel
    from rich.text import Text

    where = terminal_text(" > ".join(card.section) or card.source)
    console.print(Panel(Text(terminal_text(card.question), style="bold"), title=title,
                        subtitle=Text(where, style="dim"), title_align="left", subtitle_align="left"))


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
        console.print(Text(verdict_line(result), style=f"bold {colour}"))
        for note in result.notes:
            console.print(Text("  ! " + terminal_text(note), style="yellow"))
        _print_points(console, result.hits, "✓", "green")
        _print_points(console, result.misses, "✗", "red")
    console.print("[dim]Reference answer:[/]")
    console.print(Markdown(terminal_markdown(card.answer)))


def _ask_rating(read: Callable[[str], str], suggested: int) -> int | None:
    """The rating: asked again after a key that means nothing here."""
    choices = "  ".join(f"{k} {v}" for k, v in RATING_NAMES.items())
    while True:
        rating = parse_rating(read(f"Enter = {RATING_NAMES[suggested]}, or {choices}, q = quit: "), suggested)
        if rating is not False:
            return rating


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
    summary.ratings.append(rating)
    summary.overridden += rating != suggested
    summary.verdicts[result.verdict if result else "shown"] += 1
    if result:
        summary.scores.append(result.score)


__all__ = ["AGAIN", "HARD", "GOOD", "EASY", "Summary", "select", "run", "read_answer", "parse_rating",
           "verdict_line"]
