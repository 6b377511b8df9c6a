"""Our own sample notes in content/ read cleanly, in every format they use."""

from collections import Counter

import pytest
from conftest import ROOT

from deckgen import deck

CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def sample():
    return deck.load([CONTENT])


def test_every_sample_file_reads_without_problems(sample):
    # the one stretch of text in no card is the chat file's closing filler line, reported as all such text is
    assert [(d.file, d.line, d.message.split(",")[0]) for d in sample.diagnostics] == [
        ("deep-learning-chat.txt", 25, "line 25: filler (greetings")]
    assert sorted((f.path, f.readable, f.formats) for f in sample.files) == [
        ("deep-learning-chat.txt", True, ["chat"]),
        ("evaluation.md", True, ["markdown"]),
        ("fundamentals.md", True, ["markdown"]),
        ("nlp-repo-dump.txt", True, ["markdown", "notebook", "repodump"]),
        ("notebooks/ml-coding.ipynb", True, ["notebook"]),
        ("statistics-flashcards.txt", True, ["tabular"])]
    assert all(f.cards for f in sample.files)


def test_at_least_forty_answered_cards(sample):
    answered = sample.answered
    assert len(answered) >= 40
    assert all(c.answer.strip() for c in answered)


def test_each_format_gives_its_cards(sample):
    per_file = Counter(c.source.split("::")[0] for c in sample.answered)
    assert per_file["deep-learning-chat.txt"] == 11
    assert per_file["fundamentals.md"] == 12
    assert per_file["evaluation.md"] == 9
    assert per_file["notebooks/ml-coding.ipynb"] == 6
    assert per_file["statistics-flashcards.txt"] == 8  # one card per table row
    inner = Counter(c.source for c in sample.answered if c.source.startswith("nlp-repo-dump.txt::"))
    assert inner["nlp-repo-dump.txt::nlp/nlp-questions.md"] == 8
    assert inner["nlp-repo-dump.txt::notebooks/text-features.ipynb"] == 2


def test_difficulty_tags_math_and_code_survive(sample):
    by_question = {c.question: c for c in sample.cards}
    precision = by_question["What does precision measure?"]
    assert precision.difficulty == "easy" and "$TP / (TP + FP)$" in precision.answer
    assert by_question["Why can ROC AUC look optimistic on heavily imbalanced data?"].difficulty == "hard"
    assert not by_question["What is probability calibration?"].answered
    assert "```python\nfrom sklearn.model_selection import KFold" in by_question["What is k-fold cross-validation?"].answer
    attention = by_question["How is scaled dot-product attention computed?"]
    assert r"\sqrt{d_k}" in attention.answer
    sigmoid = by_question["Implement numerically stable sigmoid from scratch"]
    assert sigmoid.kind == "code" and sigmoid.answer.startswith("```python\nimport numpy as np")
    assert not by_question["Implement batch normalization forward pass from scratch"].answered
    p_value = by_question["What does a p-value measure?"]
    assert "statistics::testing" in p_value.tags and "null hypothesis were true" in p_value.answer
    assert "<br>" not in p_value.answer and "<b>" not in p_value.answer
