import pytest

from deckgen.card import Card, Diagnostic, Source, card_id, normalize_question


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


def test_export_record_has_every_field_with_lists_for_tuples():
    record = Card("What is a GPU?", "A parallel processor.", "hw.md", 4, ("Hardware",), ("topic::hw",),
                  "easy", "question", True, "abc123").to_dict()
    assert record == {"id": "abc123", "question": "What is a GPU?", "answer": "A parallel processor.",
                      "source": "hw.md", "line": 4, "section": ["Hardware"], "tags": ["topic::hw"],
                      "difficulty": "easy", "kind": "question", "answered": True}


def test_source_maps_lines_and_names_the_suffix_of_the_inner_file():
    dump = Source("dump.txt::nlp/Notes.MD", "a\nb\nc", line_map=[7, 9])
    assert [dump.lineno(i) for i in range(3)] == [7, 9, 3]  # past the map: counted from the text
    assert Source("n.md", "a\nb").lineno(1) == 2
    assert dump.suffix == ".md"
    assert Source("dump.txt::v1.2/README", "").suffix == ""  # a dot in a folder is no suffix
    assert Source("notes.ipynb", "").suffix == ".ipynb"


def test_diagnostic_names_file_line_and_severity():
    assert str(Diagnostic("n.md", 3, "answer has no text")) == "n.md:3: warning: answer has no text"
    assert str(Diagnostic("n.md", None, "empty file", "error")) == "n.md: error: empty file"
    source = Source("n.md", "")
    source.report(5, "skipped a table")
    assert source.diagnostics == [Diagnostic("n.md", 5, "skipped a table", "warning")]


def test_id_formula_is_pinned_so_existing_decks_keep_updating_in_place():
    # a change here re-keys every note of every deck users already imported: keep it fixed
    import hashlib

    def expected(key: str) -> str:
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

    assert card_id("ml/basics.md", "**What is  Overfitting?**") == expected("ml/basics.md\nwhat is overfitting")
    assert card_id("dump.txt::a.md", "Explain it.", 2) == expected("dump.txt::a.md\nexplain it\n#2")
