import io
import os
import time
from datetime import datetime, timedelta, timezone

import pytest
from rich.console import Console

from deckgen.card import Card
from deckgen.quiz.scheduler import AGAIN, EASY, GOOD, HARD
from deckgen.quiz.session import parse_rating, read_answer, run, select
from deckgen.quiz.store import Progress, Store

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


# -- the whole loop, in process: a real progress database, answers and keys scripted ------

DROPOUT = Card("What does dropout do?", "It randomly zeroes units during training, which reduces overfitting.",
               "n.md", id="dropout")


def script(lines):
    """A reader that hands out `lines`, then behaves like input() at the end of input."""
    pending = iter(lines)

    def read(prompt):
        try:
            return next(pending)
        except StopIteration:
            raise EOFError from None
    return read


@pytest.fixture
def utc():
    """"Later today" ends at local midnight: pin the local zone so NOW is midday."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def quiz(store, deck, answers, keys, *, when=NOW, limit=10, new=10):
    out = io.StringIO()
    console = Console(file=out, width=120, color_system=None)
    summary = run(deck, store, limit=limit, new=new, console=console, read=script(answers),
                  read_key=script(keys), now=lambda: when)
    return summary, out.getvalue()


def test_shown_cards_suggest_again_a_stray_key_is_asked_again_and_reviews_are_saved(tmp_path, utc):
    deck = cards(3)
    with Store(tmp_path / "p.db") as store:
        # both answers left blank (show me); Enter accepts Again, "x" rates nothing, then 3 = Good
        summary, shown = quiz(store, deck, ["", ""], ["", "x", "3"], new=2)
        assert (summary.asked, summary.reviewed, summary.interrupted) == (2, 2, False)
        assert summary.verdicts == {"correct": 0, "partial": 0, "incorrect": 0, "shown": 2}
        assert summary.ratings == [AGAIN, GOOD] and summary.overridden == 1 and summary.scores == []
        # both are due again within minutes (learning steps), the third card was never asked
        assert (summary.due_now, summary.due_later_today, summary.new_left) == (0, 2, 1)
        assert "Answer 0" in shown and "Answer 1" in shown and "Answer 2" not in shown
        assert sorted(store.progress()) == ["c0", "c1"]
        # an hour later both are due; nothing is asked with no room left
        later, _ = quiz(store, deck, [], [], when=NOW + timedelta(hours=1), limit=0)
        assert (later.asked, later.reviewed, later.due_now, later.due_later_today, later.new_left) == (0, 0, 2, 0, 1)


def test_a_typed_answer_is_graded_and_enter_takes_the_suggested_rating(tmp_path, utc):
    with Store(tmp_path / "p.db") as store:
        summary, shown = quiz(store, [DROPOUT], [DROPOUT.answer], [""])
    assert summary.verdicts["correct"] == 1 and summary.reviewed == 1
    assert len(summary.scores) == 1 and summary.scores[0] >= 80
    assert summary.overridden == 0 and summary.ratings[0] in (GOOD, EASY)
    assert "correct · score" in shown and "Reference answer:" in shown


def test_q_at_the_rating_ends_the_session_and_saves_nothing(tmp_path, utc):
    with Store(tmp_path / "p.db") as store:
        summary, _ = quiz(store, cards(2), ["no idea", ""], ["q", "3"])  # the rest is never read
        assert summary.interrupted and (summary.asked, summary.reviewed) == (2, 0)
        assert summary.ratings == [] and summary.new_left == 2
        assert store.progress() == {}


def test_end_of_input_mid_session_keeps_the_reviews_already_rated(tmp_path, utc):
    with Store(tmp_path / "p.db") as store:
        summary, _ = quiz(store, cards(3), [""], ["2"])  # input ends at the second question
        assert summary.interrupted and summary.reviewed == 1 and summary.ratings == [HARD]
        assert list(store.progress()) == ["c0"] and summary.new_left == 2


def test_a_session_with_nothing_to_ask_still_counts_what_is_left(tmp_path, utc):
    with Store(tmp_path / "p.db") as store:
        summary, shown = quiz(store, cards(4), [], [], new=0)
    assert (summary.asked, summary.reviewed, summary.interrupted, summary.new_left) == (0, 0, False, 4)
    assert shown == ""
