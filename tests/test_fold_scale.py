"""Folding at scale, numbers in questions, and files that share a name."""

from deckgen.card import Card
from deckgen.deck import fold_duplicates, load


def test_questions_that_differ_only_in_numbers_are_not_folded():
    cards = [Card("What is L1 regularization?", "A penalty on the weights added to the loss.", "n.md"),
             Card("What is L2 regularization?", "A penalty on the weights added to the loss.", "n.md")]
    kept, folded = fold_duplicates(cards)
    assert folded == 0 and [c.question for c in kept] == ["What is L1 regularization?", "What is L2 regularization?"]
    # longer questions share their last words, so the two are compared: the numbers still tell them apart
    cards = [Card(f"Why use L{n} regularization in linear models?", "A penalty on the weights.", "n.md")
             for n in (1, 2)]
    kept, folded = fold_duplicates(cards)
    assert folded == 0 and [c.question for c in kept] == ["Why use L1 regularization in linear models?",
                                                          "Why use L2 regularization in linear models?"]
    # the same question with the same number does fold
    assert fold_duplicates([cards[0], Card("Why use L1 regularization in linear models ?",
                                           "A penalty on the weights.", "n.md")])[1] == 1


def test_thousands_of_similar_questions_all_survive(tmp_path):
    notes = tmp_path / "many.md"
    notes.write_text("# M\n\n" + "".join(f"## What is thing {i}?\n\nThing {i} is word {i * 7} that repeats.\n"
                                         for i in range(3000)), encoding="utf-8")
    deck = load([notes])
    assert sum(c.answered for c in deck.cards) == 3000
    assert deck.files[0].folded == 0


def test_real_repeats_still_fold_among_thousands(tmp_path):
    body = "".join(f"## What is thing {i}?\n\nThing {i} is word {i * 7}.\n" for i in range(2000))
    repeat = "## What is thing 5 ?\n\nThing 5 is word 35.\n"
    notes = tmp_path / "many.md"
    notes.write_text("# M\n\n" + body + repeat, encoding="utf-8")
    deck = load([notes])
    assert deck.files[0].folded == 1 and sum(c.answered for c in deck.cards) == 2000


def test_files_with_one_name_in_different_folders_are_told_apart(tmp_path):
    for folder, question in (("a", "What is a tensor?"), ("b", "What is a scalar?")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.md").write_text(f"## {question}\n\nSome answer text.\n", encoding="utf-8")
    deck = load([tmp_path / "a", tmp_path / "b"])
    assert sorted(f.path for f in deck.files) == ["a/notes.md", "b/notes.md"]
    assert sorted((c.source, c.question) for c in deck.cards) == [("a/notes.md", "What is a tensor?"),
                                                                   ("b/notes.md", "What is a scalar?")]
    assert len({c.id for c in deck.cards}) == 2


def test_files_whose_parent_folders_also_share_a_name_get_more_folders_in_front(tmp_path):
    for top in ("a", "b"):
        (tmp_path / top / "x").mkdir(parents=True)
        (tmp_path / top / "x" / "notes.md").write_text("## What is a tensor?\n\nAn array.\n", encoding="utf-8")
    deck = load([tmp_path / "a" / "x", tmp_path / "b" / "x"])
    assert [f.path for f in deck.files] == ["a/x/notes.md", "b/x/notes.md"]
    assert [c.source for c in deck.cards] == ["a/x/notes.md", "b/x/notes.md"]
