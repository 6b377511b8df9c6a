from datetime import datetime, timedelta, timezone

from deckgen.card import Card
from deckgen.quiz.session import parse_rating, read_answer, select
from deckgen.quiz.store import Progress

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def cards(n):
    return [Card(f"Question {i}?", f"Answer {i}", id=f"c{i}") for i in range(n)]


def seen(card_id, due):
    return Progress(card_id, "{}", due, False, 1)


def test_due_cards_come_first_most_overdue_first_then_new_ones():
    deck = cards(6)
    progress = {"c1": seen("c1", NOW - timedelta(hours=1)), "c3": seen("c3", NOW - timedelta(days=2)),
                "c4": seen("c4", NOW + timedelta(days=3))}
    chosen, due_left, new_left = select(deck, progress, NOW, limit=10, new=2)
    assert [c.id for c in chosen] == ["c3", "c1", "c0", "c2"]
    assert (due_left, new_left) == (0, 1)


def test_fewer_unseen_cards_than_allowed_leaves_none():
    chosen, due_left, new_left = select(cards(2), {}, NOW, limit=20, new=10)
    assert len(chosen) == 2 and (due_left, new_left) == (0, 0)


def test_limit_caps_due_and_new_cards():
    deck = cards(5)
    progress = {c.id: seen(c.id, NOW - timedelta(minutes=i)) for i, c in enumerate(deck[:3])}
    chosen, due_left, new_left = select(deck, progress, NOW, limit=2, new=5)
    assert [c.id for c in chosen] == ["c2", "c1"]
    assert (due_left, new_left) == (1, 2)


def test_enter_ends_the_answer_a_trailing_backslash_continues_it_and_blank_means_show():
    lines = iter(["first line", "never read"])
    assert read_answer(lambda prompt: next(lines)) == "first line"
    lines = iter(["first line \\", "second line\\", "third", "never read"])
    prompts = []
    assert read_answer(lambda prompt: prompts.append(prompt) or next(lines)) == "first line\nsecond line\nthird"
    assert prompts == ["> ", ". ", ". "]
    assert read_answer(lambda prompt: "   ") == ""


def test_enter_accepts_suggestion_digits_override_q_quits():
    assert parse_rating("", 3) == 3
    assert parse_rating(" 1 ", 3) == 1
    assert parse_rating("4", 2) == 4
    assert parse_rating("q", 2) is None
    # a key that means nothing here rates nothing: the card is asked again
    assert parse_rating("x", 3) is False and parse_rating("\x1b", 3) is False and parse_rating("5", 3) is False
