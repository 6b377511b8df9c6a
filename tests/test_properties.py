"""Property tests: no reader raises, whatever text it is given."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deckgen import readers
from deckgen.card import KINDS, Card, Source

# Pieces of every format we read, so random text reaches deep into the readers'
# rules instead of stopping at the first check.
FRAGMENTS = [
    "\n", "\n\n", " ", "# ", "## ", "### ", "?", "1. ", "2. ", "[E] ", "[M] ", "[H] ", "```", "```text\n",
    "```python\n", "~~~", "Q: ", " A: ", "Answer: ", "• ", "  • ", "- ", "* ", "**", "`", "$", "$$",
    "|", " | ", "1 | ", "2 | ", "3 |", "12 | ", "-" * 80, "/notes.md: ", "/nb.ipynb: ", "├── ", "└── ", "│",
    '"cell_type": "code",', '"cell_type": "markdown",', '"source": [', '"', '\\n",', "]", "}", "{", ",",
    "NOT ANSWERED", "What is bias?", "Explain dropout", "def f(x):", "class A:", "https://lnkd.in/x",
    "\u0e40\u0e21", "\ufeff", "\x00", "\r\n", "\t", "😀", "1️⃣", "𝐁𝐨𝐥𝐝",
]
format_like = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=60).map("".join)
any_text = st.one_of(st.text(max_size=400), format_like)

READERS = [readers.reader(name) for name in readers.READER_MODULES]


@pytest.fixture(autouse=True)
def safety_net_off(monkeypatch):
    """A reader that raises must fail these tests, not pass them with a diagnostic."""
    monkeypatch.setattr(readers, "STRICT", True)


def no_reader_failed(diagnostics) -> None:
    # readers whose own net does not ask readers.STRICT still leave an error diagnostic behind
    assert not [d for d in diagnostics if d.severity == "error"], diagnostics


def run_reader(module, text, name="input.txt"):
    source = Source(name=name, text=text)
    score = module.sniff(text)
    assert 0.0 <= score <= 1.0
    if hasattr(module, "split"):
        inners = list(module.split(source))
        assert all(isinstance(s, Source) for s in inners)
        return inners
    cards = list(module.read(source))
    no_reader_failed(source.diagnostics)
    lines = text.count("\n") + 1
    for card in cards:
        assert isinstance(card, Card) and card.kind in KINDS
        assert card.question.strip(), card  # a card always asks something
        assert card.source == name and (card.line is None or 1 <= card.line <= lines), card
        assert card.answered == bool(card.answer.strip()) or card.kind == "topic", card
    return cards


def test_a_reader_that_raises_fails_these_tests(monkeypatch):
    """The net is off: an exception inside a reader reaches the test instead of becoming
    an error diagnostic that the checks above would have to notice."""
    chat = readers.reader("chat")
    text = "Q: What is a heap?\nA: A tree-shaped priority queue.\n"
    assert [c.question for c in run_reader(chat, text)] == ["What is a heap?"]

    def broken(*_args, **_kwargs):
        raise RuntimeError("reader bug")

    monkeypatch.setattr(chat, "read", broken)
    with pytest.raises(RuntimeError):
        run_reader(chat, text)


@pytest.mark.parametrize("module", READERS, ids=[m.NAME for m in READERS])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=any_text)
def test_no_reader_raises_on_arbitrary_text(module, text):
    run_reader(module, text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=any_text, suffix=st.sampled_from([".md", ".txt", ".ipynb", ""]))
def test_registry_reads_any_text_without_raising(text, suffix):
    source = Source(name="notes" + suffix, text=text)
    cards = list(readers.read(source))
    no_reader_failed(source.diagnostics)
    assert all(isinstance(c, Card) for c in cards)
    assert all(d.file.startswith("notes") for d in source.diagnostics)


@settings(max_examples=100, deadline=None)
@given(question=st.text(min_size=1, max_size=80).filter(lambda s: s.strip() and "\n" not in s),
       answer=st.text(max_size=200))
def test_notebook_reader_survives_any_cell_text(question, answer):
    import json

    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["## " + question]},
             {"cell_type": "code", "metadata": {}, "outputs": [], "source": [answer]}]
    text = json.dumps({"cells": cells, "nbformat": 4})
    source = Source(name="x.ipynb", text=text)
    cards = list(readers.reader("notebook").read(source))
    no_reader_failed(source.diagnostics)
    # one titled code cell is one exercise at most, and what it gives is a code card;
    # when it gives none, the cell's text is named in a diagnostic (nothing lost silently)
    assert len(cards) <= 1 and [c.kind for c in cards] in ([], ["code"])
    if not cards and any(ch.isalnum() for ch in question + answer):
        assert source.diagnostics, (question, answer)
    run_reader(readers.reader("notebook"), text[: len(text) // 2], "x.ipynb")


@settings(max_examples=80, deadline=None)
@given(data=st.one_of(st.binary(max_size=600), format_like.map(lambda t: t.encode("utf-8", "surrogatepass"))),
       suffix=st.sampled_from([".md", ".txt", ".ipynb"]))
def test_loading_any_bytes_gives_cards_or_diagnostics_never_an_exception(data, suffix):
    import tempfile
    from pathlib import Path

    from deckgen import deck

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("notes" + suffix)
        path.write_bytes(data)
        result = deck.load([folder])
    (report,) = result.files
    assert report.path == "notes" + suffix
    assert not [d for d in result.diagnostics if "reader failed" in d.message or "stopped early" in d.message]
    assert all(d.file.startswith("notes") for d in result.diagnostics)
    assert all(isinstance(c, Card) and c.id and c.question.strip() for c in result.cards)
    # text with letters gives cards or says why not: nothing is lost silently
    if any(ch.isalpha() for ch in data.decode("utf-8", "replace")):
        assert result.cards or result.diagnostics, data


# --- time grows linearly with the text (issue 12: super-linear patterns) -----------------

def _punctuation_text(run: int) -> str:
    """Every ASCII punctuation character in a long run, in the shapes readers look at:
    a bare line, a heading, a Q/A pair, a bullet."""
    import string

    lines = []
    for ch in string.punctuation:
        r = ch * run
        lines += [r, f"## What is {r}?", f"Q: {r}?", f"A: {r}", f"- {r}", ""]
    return "\n".join(lines)


def _seconds(module, text: str) -> float:
    import time

    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        run_reader(module, text, "runs.md")
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("module", READERS, ids=[m.NAME for m in READERS])
def test_reading_time_grows_linearly_on_long_punctuation_runs(module):
    small, large = _seconds(module, _punctuation_text(250)), _seconds(module, _punctuation_text(1000))
    # four times the text: a linear reader takes about 4x, a quadratic pattern 16x; the
    # 0.05 s allowance keeps scheduler noise on tiny timings from deciding
    assert large <= 8 * small + 0.05, f"{module.NAME}: {small:.3f}s -> {large:.3f}s for 4x the text"
