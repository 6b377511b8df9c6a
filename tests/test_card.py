import pytest

from deckgen.card import Card, card_id, normalize_question


def test_id_ignores_case_spacing_and_trailing_punctuation():
    assert card_id("a.md", "What is  Overfitting?") == card_id("a.md", "what is overfitting")


def test_id_depends_on_source_and_question():
    assert card_id("a.md", "What is bias?") != card_id("b.md", "What is bias?")
    assert card_id("a.md", "What is bias?") != card_id("a.md", "What is variance?")


def test_repeated_question_gets_distinct_deterministic_id():
    first, second = card_id("a.md", "Explain it.", 1), card_id("a.md", "Explain it.", 2)
    assert first != second and second == card_id("a.md", "Explain it.", 2)


def test_normalize_folds_quotes_and_markup():
    assert normalize_question("**What’s a `tensor`?**") == "what's a tensor"


def test_card_rejects_unknown_kind_and_difficulty():
    with pytest.raises(ValueError):
        Card("q", kind="essay")
    with pytest.raises(ValueError):
        Card("q", difficulty="trivial")
