import os

from deckgen import deck

NOTES = "# Trees\n\n## What is a decision stump?\n\nA decision tree with a single split.\n"


def test_unchanged_file_is_not_parsed_again(tmp_path, monkeypatch):
    notes = tmp_path / "trees.md"
    notes.write_text(NOTES, encoding="utf-8")
    first = deck.load([notes], cache=True)

    def must_not_parse(*args):
        raise AssertionError("parsed although unchanged")

    monkeypatch.setattr(deck, "read_file", must_not_parse)
    second = deck.load([notes], cache=True)
    assert [c.to_dict() for c in second.cards] == [c.to_dict() for c in first.cards]
    assert second.files[0].formats == first.files[0].formats


def test_edited_file_is_parsed_again(tmp_path):
    notes = tmp_path / "trees.md"
    notes.write_text(NOTES, encoding="utf-8")
    deck.load([notes], cache=True)
    notes.write_text(NOTES.replace("single split", "single split on one feature"), encoding="utf-8")
    os.utime(notes, ns=(notes.stat().st_atime_ns, notes.stat().st_mtime_ns + 10**9))
    (card,) = [c for c in deck.load([notes], cache=True).cards if c.answered]
    assert card.answer.endswith("on one feature.")


def test_broken_cache_entry_is_a_miss(tmp_path):
    notes = tmp_path / "trees.md"
    notes.write_text(NOTES, encoding="utf-8")
    deck.load([notes], cache=True)
    for entry in __import__("deckgen.parse_cache", fromlist=["x"]).cache_dir().glob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    cards = deck.load([notes], cache=True).cards
    assert any(c.question == "What is a decision stump?" for c in cards)
