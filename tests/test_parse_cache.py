import os
import shutil
import subprocess
import sys

from conftest import ROOT

from deckgen import deck, parse_cache

NOTES = "# Trees\n\n## What is a decision stump?\n\nA decision tree with a single split.\n"


def test_unchanged_file_is_not_parsed_again(tmp_path, monkeypatch):
    notes = tmp_path / "trees.md"
    notes.write_text(NOTES + "\n## What is a leaf?\n", encoding="utf-8")  # one unanswered card
    first = deck.load([notes], cache=True)
    assert [(c.question, c.answered) for c in first.cards] == [("What is a decision stump?", True),
                                                                ("What is a leaf?", False)]

    def must_not_parse(*args):
        raise AssertionError("parsed although unchanged")

    monkeypatch.setattr(deck, "read_file", must_not_parse)
    second = deck.load([notes], cache=True)
    assert [c.to_dict() for c in second.cards] == [c.to_dict() for c in first.cards]
    assert second.files[0].formats == first.files[0].formats == ["markdown"]
    assert (second.files[0].cards, second.files[0].unanswered) == (1, 1)


def test_diagnostics_come_back_from_the_cache(tmp_path, monkeypatch):
    notes = tmp_path / "trees.md"
    notes.write_text("## What is a kernel?\n\n→\n\n" + NOTES, encoding="utf-8")
    first = deck.load([notes], cache=True)
    assert [d.message for d in first.diagnostics] == ["answer has no text, kept as unanswered: What is a kernel?"]
    monkeypatch.setattr(deck, "read_file", lambda *args: (_ for _ in ()).throw(AssertionError("parsed")))
    assert deck.load([notes], cache=True).diagnostics == first.diagnostics


def test_edited_file_is_parsed_again(tmp_path):
    notes = tmp_path / "trees.md"
    notes.write_text(NOTES, encoding="utf-8")
    deck.load([notes], cache=True)
    mtime = notes.stat().st_mtime_ns
    notes.write_text(NOTES.replace("single", "simple"), encoding="utf-8")  # same size: only the time tells
    os.utime(notes, ns=(notes.stat().st_atime_ns, mtime + 10**9))
    (card,) = [c for c in deck.load([notes], cache=True).cards if c.answered]
    assert card.answer == "A decision tree with a simple split."
    notes.write_text(NOTES.replace("single split", "single split on one feature"), encoding="utf-8")
    os.utime(notes, ns=(notes.stat().st_atime_ns, mtime + 2 * 10**9))
    (card,) = [c for c in deck.load([notes], cache=True).cards if c.answered]
    assert card.answer.endswith("on one feature.")


def test_broken_cache_entry_is_a_miss(tmp_path):
    notes = tmp_path / "trees.md"
    notes.write_text(NOTES, encoding="utf-8")
    deck.load([notes], cache=True)
    entries = list(parse_cache.cache_dir().glob("*.json"))
    assert len(entries) == 1
    entries[0].write_text("{not json", encoding="utf-8")
    cards = deck.load([notes], cache=True).cards
    assert [c.question for c in cards] == ["What is a decision stump?"]


def test_a_changed_reader_changes_the_code_fingerprint(tmp_path):
    """Every entry is keyed by deckgen's own code, so editing a reader invalidates the cache."""
    shutil.copytree(ROOT / "deckgen", tmp_path / "deckgen", ignore=shutil.ignore_patterns("__pycache__"))

    def fingerprint() -> str:
        return subprocess.run([sys.executable, "-c", "from deckgen import parse_cache;"
                               "print(parse_cache.code_fingerprint())"], cwd=tmp_path, capture_output=True,
                              text=True, check=True, env={**os.environ, "PYTHONPATH": str(tmp_path)}).stdout

    before = fingerprint()
    assert before == fingerprint()
    reader = tmp_path / "deckgen" / "readers" / "chat.py"
    reader.write_text(reader.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert fingerprint() != before
