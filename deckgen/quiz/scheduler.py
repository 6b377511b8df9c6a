"""Spaced repetition with FSRS (the `fsrs` package). Datetimes are UTC."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from functools import lru_cache

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


@lru_cache(maxsize=1)
def _scheduler():
    import fsrs

    # No fuzz: the same review history always gives the same due date (testable, explainable).
    return fsrs.Scheduler(enable_fuzzing=False)


def review(state: str | None, rating: int, when: datetime | None = None) -> tuple[str, datetime, bool]:
    """Apply one review. `state` is the JSON of a previous review (None for a new card).

    Returns the new state JSON, the next due time, and whether the card has reached the
    long-term Review state ("learned").
    """
    import fsrs

    if rating not in RATING_NAMES:
        raise ValueError(f"rating must be 1-4, not {rating!r}")
    card = fsrs.Card.from_dict(json.loads(state)) if state else fsrs.Card()
    card, _log = _scheduler().review_card(card, fsrs.Rating(rating), review_datetime=when or now_utc())
    return json.dumps(card.to_dict()), card.due, card.state == fsrs.State.Review


def recalled(rating: int) -> bool:
    """A review counts as recalled (toward accuracy) when rated Good or Easy."""
    return rating >= GOOD


def accuracy(ratings: list[int]) -> float | None:
    """The share of reviews recalled (Good or Easy); None before any review. The quiz
    summary and `deckgen stats` both use this one definition."""
    return sum(map(recalled, ratings)) / len(ratings) if ratings else None


def due_counts(dues, now: datetime) -> tuple[int, int]:
    """(due now, due later today) for these due times; "today" ends at local midnight."""
    end_of_day = now.astimezone().replace(hour=23, minute=59, second=59, microsecond=999999)
    due_now = later = 0
    for due in dues:
        if due is None:
            continue
        if due <= now:
            due_now += 1
        elif due <= end_of_day:
            later += 1
    return due_now, later
