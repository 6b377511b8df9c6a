from deckgen.card import Card
from deckgen.deck import Deck, assign_ids, fold_duplicates, load

LONG = ("Active learning lets the model pick which unlabeled examples a human should label next, "
        "usually the ones it is least sure about, so labels are spent where they help most.")


def card(q, a="", source="notes.md", answered=None, **kw):
    return Card(q, a, source, answered=bool(a) if answered is None else answered, **kw)


def test_repeated_question_with_same_answer_folds_keeping_longer_answer():
    cards = [card("What is dropout?", "Randomly zeroing units."),
             card("What is dropout ?", "Randomly zeroing units during training, a regularizer.")]
    kept, folded = fold_duplicates(cards)
    assert folded == 1 and len(kept) == 1
    assert kept[0].answer.endswith("a regularizer.")


def test_title_and_question_about_same_words_fold_first_question_kept():
    cards = [card("Active learning", LONG[:90]), card("What is active learning?", LONG)]
    kept, folded = fold_duplicates(cards)
    assert folded == 1 and kept[0].question == "Active learning" and kept[0].answer == LONG


def test_same_question_with_different_answers_stays_two_cards_with_distinct_ids():
    cards = [card("Show it in code.", "```python\nprint(sum(range(10)))\n```", section=("Loops",)),
             card("Show it in code.", "SELECT count(*) FROM users;", section=("SQL",))]
    kept, folded = fold_duplicates(cards)
    assert folded == 0 and len(kept) == 2
    ids = [c.id for c in assign_ids(kept)]
    assert len(set(ids)) == 2 and ids == [c.id for c in assign_ids(kept)]


def test_unanswered_repeat_folds_into_answered_one():
    kept, folded = fold_duplicates([card("What is bagging?"), card("What is bagging?", "Bootstrap aggregating.")])
    assert folded == 1 and kept[0].answered and kept[0].answer == "Bootstrap aggregating."


def test_same_question_in_different_files_is_not_folded():
    kept, folded = fold_duplicates([card("What is bagging?", "Bootstrap.", source="a.md"),
                                    card("What is bagging?", "Bootstrap.", source="b.md")])
    assert folded == 0 and len(kept) == 2


def test_ids_and_tags_are_stable_across_loads(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# Statistics\n\n## What is a p-value?\n\nThe chance of data at least this extreme "
                     "under the null hypothesis.\n", encoding="utf-8")
    first, second = load([tmp_path]), load([tmp_path])
    assert [c.id for c in first.cards] == [c.id for c in second.cards]
    (q,) = [c for c in first.cards if c.question == "What is a p-value?"]
    assert "source::notes" in q.tags and "topic::statistics" in q.tags


def test_filter_by_tag_prefix_suffix_and_search_words():
    deck = Deck([card("What is AUC?", "Area under the ROC curve.", tags=("topic::metrics",)),
                 card("What is SGD?", "Stochastic gradient descent.", tags=("topic::optimization",))], [])
    assert [c.question for c in deck.filter(["metrics"]).cards] == ["What is AUC?"]
    assert [c.question for c in deck.filter(["topic"]).cards] == ["What is AUC?", "What is SGD?"]
    assert [c.question for c in deck.filter(exclude_tags=["topic::metrics"]).cards] == ["What is SGD?"]
    assert [c.question for c in deck.filter(search="gradient stochastic").cards] == ["What is SGD?"]


def test_word_order_and_plurals_do_not_hide_a_repeat():
    kept, folded = fold_duplicates([card("Video preprocessing", "Decode frames, resize them, normalize pixels."),
                                    card("Preprocessing videos", "Decode frames, resize them, normalize pixels.")])
    assert folded == 1


def test_inner_files_of_a_dump_fold_only_answered_near_copies():
    a = card("Free or paid?", "", source="dump.txt::games.md", answered=False)
    b = card("Free or paid?", "Both: a free tier with ads and a paid tier.", source="dump.txt::events.md")
    kept, folded = fold_duplicates([a, b])
    assert folded == 0 and [c.answered for c in kept] == [False, True]
    c = card("Free or paid?", "Both: a free tier with ads and a paid tier.", source="dump.txt::copy.md")
    assert fold_duplicates([b, c])[1] == 1


def test_dump_inner_files_without_notes_are_reported_not_silently_dropped(tmp_path):
    rule = "-" * 80
    dump = (f"├── notes.md\n└── logo.png\n\n/notes.md:\n{rule}\n1 | # Basics\n2 | \n"
            f"3 | ## What is a tensor?\n4 | \n5 | An n-dimensional array.\n\n/logo.png:\n{rule}\n"
            "1 | https://example.invalid/logo.png\n")
    (tmp_path / "dump.txt").write_text(dump, encoding="utf-8")
    loaded = load([tmp_path])
    assert any(c.question == "What is a tensor?" for c in loaded.cards)
    assert any("skipped 1 inner files that hold no notes (1 .png)" in d.message for d in loaded.diagnostics)


def test_tag_filter_matches_whole_parts_of_hierarchical_tags():
    deck = Deck([card("What is a t-test?", "Compares two means.", tags=("topic::statistics::tests",)),
                 card("What is ReLU?", "max(0, x).", tags=("topic::deep_learning::activations",))], [])
    assert [c.question for c in deck.filter(["statistics"]).cards] == ["What is a t-test?"]
    assert [c.question for c in deck.filter(["topic::deep_learning"]).cards] == ["What is ReLU?"]
    assert deck.filter(["stat"]).cards == []  # parts match whole, not as substrings


def test_answer_without_any_text_is_kept_as_unanswered_with_a_diagnostic():
    from deckgen.card import Source
    from deckgen.deck import _unanswer_empty

    source = Source("n.md", "")
    empty = _unanswer_empty(card("What is a kernel?", "---\n\n###", line=3), source)
    assert not empty.answered and empty.answer == ""
    assert [(d.line, d.message[:19]) for d in source.diagnostics] == [(3, "answer has no text,")]
    kept = _unanswer_empty(card("What is 2 + 2?", "4"), source)
    assert kept.answered and kept.answer == "4"


def test_build_outputs_in_a_notes_folder_are_not_read_as_notes(tmp_path):
    (tmp_path / "n.md").write_text("## What is a GPU?\n\nA parallel processor.\n", encoding="utf-8")
    (tmp_path / "deck.ids.json").write_text('{"What is a GPU?": "abc"}', encoding="utf-8")
    assert [f.path for f in load([tmp_path]).files] == ["n.md"]


def test_outputs_written_atomically_get_the_usual_permissions(tmp_path):
    import os

    from deckgen.writers import atomic_path

    umask = os.umask(0o022)
    try:
        with atomic_path(tmp_path / "out.txt") as tmp:
            tmp.write_text("x")
    finally:
        os.umask(umask)
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == 0o644


def test_checkpoint_copies_and_tool_folders_are_not_read(tmp_path):
    notebook = ('{"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["## Softplus"]}, '
                '{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 1, '
                '"source": ["import math\\n", "def softplus(x):\\n", "    return math.log1p(math.exp(x))"]}], '
                '"nbformat": 4, "nbformat_minor": 5}')
    (tmp_path / "act.ipynb").write_text(notebook, encoding="utf-8")
    for folder in (".ipynb_checkpoints", ".git", "node_modules", "__pycache__"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "act-checkpoint.ipynb").write_text(notebook, encoding="utf-8")
        (tmp_path / folder / "readme.md").write_text("## What is a hook?\n\nA script run on an event.\n",
                                                      encoding="utf-8")
    loaded = load([tmp_path])
    assert [f.path for f in loaded.files] == ["act.ipynb"]
    assert [c.source for c in loaded.cards] == ["act.ipynb"]


def test_folding_keeps_the_tags_and_difficulty_of_both_copies_and_the_answered_kind():
    first = card("What is dropout?", answered=False, kind="topic", tags=("from::outline",))
    second = card("What is dropout?", "Randomly zeroing units while training.", difficulty="hard",
                  tags=("from::answers",))
    (kept,), folded = fold_duplicates([first, second])
    assert folded == 1
    assert kept.question == "What is dropout?" and kept.answer == "Randomly zeroing units while training."
    assert kept.tags == ("from::outline", "from::answers")
    assert kept.difficulty == "hard" and kept.kind == "question"


def test_code_answers_fold_only_when_nearly_identical():
    loop = "```python\nfor i in range(10):\n    total += values[i] * weights[i]\n```"
    other = "```python\nresult = sum(values)\nfor w in weights:\n    result -= w\n```"
    cards = [card("Show it in code.", loop, kind="code"), card("Show it in code.", other, kind="code")]
    assert fold_duplicates(cards)[1] == 0
    assert fold_duplicates([card("Show it in code.", loop, kind="code"),
                            card("Show it in code.", loop + "\n", kind="code")])[1] == 1


def test_standard_tags_name_the_file_two_section_levels_and_the_difficulty():
    (tagged,) = assign_ids([card("What is max pooling?", "Keeps the largest value.",
                                 source="vision/My CNN Notes.md", tags=("own",), difficulty="medium",
                                 section=("Deep Learning", "(CNNs: Pooling)", "Max"))])
    assert tagged.tags == ("own", "source::my_cnn_notes", "topic::deep_learning::cnns_pooling",
                           "difficulty::medium")


def test_load_counts_answered_and_unanswered_cards_and_empties_a_letterless_answer(tmp_path):
    (tmp_path / "n.md").write_text("## What is a kernel?\n\n→\n\n## What is a GPU?\n\nA parallel processor.\n"
                                   "\n## What is a TPU?\n", encoding="utf-8")
    loaded = load([tmp_path])
    assert [(c.question, c.answered) for c in loaded.cards] == [
        ("What is a kernel?", False), ("What is a GPU?", True), ("What is a TPU?", False)]
    (report,) = loaded.files
    assert (report.cards, report.unanswered, report.folded) == (1, 2, 0)
    assert [d.message for d in report.diagnostics] == ["answer has no text, kept as unanswered: What is a kernel?"]


def test_hidden_files_and_folders_are_not_read(tmp_path):
    (tmp_path / "n.md").write_text("## What is a GPU?\n\nA parallel processor.\n", encoding="utf-8")
    (tmp_path / ".draft.md").write_text("## What is a TPU?\n\nA tensor processor.\n", encoding="utf-8")
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".obsidian" / "cache.md").write_text("## What is an NPU?\n\nA neural processor.\n",
                                                     encoding="utf-8")
    loaded = load([tmp_path])
    assert [f.path for f in loaded.files] == ["n.md"]
    assert [c.question for c in loaded.cards] == ["What is a GPU?"]


def test_progress_is_told_after_each_file(tmp_path):
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(f"## What is {name}?\n\nA file.\n", encoding="utf-8")
    calls = []
    load([tmp_path], progress=lambda name, done, total: calls.append((name, done, total)))
    assert calls == [("a.md", 1, 2), ("b.md", 2, 2)]
