"""The Anki package, checked with the real Anki library (PyPI `anki`, Anki's Rust core):
packages are imported into fresh collections the way Anki desktop imports them."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from deckgen.card import Card
from deckgen.deck import assign_ids
from deckgen.writers import anki as anki_writer
from deckgen.writers.anki import (FIELDS, MODEL_ID, RETIRED_TAG, TEMPLATE_NAMES, UNANSWERED_TAG, anki_tag,
                                  deck_id, deck_names, write_apkg)

anki_collection = pytest.importorskip("anki.collection", reason="the `anki` package (test extra) is not installed")

DECK = "Test Deck"


def make_cards() -> list[Card]:
    """Our own small notes, one card per feature the card HTML must handle."""
    src = "ml/basics.md"
    cards = [
        Card("What is overfitting?", "A model that fits noise in the **training** data and generalizes badly.",
             src, 3, ("Basics", "Learning theory"), ("my tag",), "easy"),
        Card("Name the parts of a confusion matrix",
             "- positives\n  - true positives\n  - false positives\n- negatives\n  1. true negatives\n"
             "  2. false negatives", src, 9, ("Basics", "Metrics")),
        Card("Compare two losses", "| loss | use |\n|---|---|\n| MSE | regression |\n| log loss | classification |",
             src, 20, ("Basics", "Metrics"), difficulty="medium"),
        Card("How do you clip gradients in PyTorch?",
             "```python\ntorch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)  # **kwargs stay\n```",
             src, 30, ("Basics", "Training"), kind="code", difficulty="hard"),
        Card("What is the variance of a sample?",
             "Use $s^2 = \\frac{1}{n-1}\\sum_i (x_i - \\bar x)^2$, and in display form:\n\n$$a_1 * b_2 * c$$",
             src, 40, ("Basics", "Statistics")),
        Card("Which activation outputs values in (0, 1)?", "The sigmoid", "other.txt", 2, ("Activations",)),
        Card("Why does dropout help?", "", src, 50, ("Basics", "Training"), answered=False),
    ]
    return assign_ids(cards)


# --- helpers: a fresh collection and Anki's own importer --------------------------------------

def new_collection(path: Path):
    import anki.lang

    anki.lang.set_lang("en")  # Anki's HTML stripping (find_dupes) needs a UI language
    path.mkdir(parents=True, exist_ok=True)
    return anki_collection.Collection(str(path / "collection.anki2"))


def import_apkg(col, package: Path):
    from anki.collection import ImportAnkiPackageRequest

    options = col._backend.get_import_anki_package_presets()  # what Anki desktop's dialog uses
    return col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=options)).log


def notes_by_id(col) -> dict[str, object]:
    """DeckgenId field -> note."""
    return {col.get_note(nid)["DeckgenId"]: col.get_note(nid) for nid in col.find_notes("")}


def rendered(col) -> list[tuple[str, str, str]]:
    """(template name, question html, answer html) of every card as Anki renders it."""
    out = []
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        result = card.render_output()
        out.append((card.template()["name"], result.question_text, result.answer_text))
    return out


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def html_tags(text: str) -> list[tuple[str, dict]]:
    parser = TagCollector()
    parser.feed(text)
    return parser.tags


@pytest.fixture
def col(tmp_path):
    collection = new_collection(tmp_path / "anki")
    yield collection
    collection.close()


# --- the first import ---------------------------------------------------------------------------

def test_first_import_counts_decks_fields_tags(tmp_path, col):
    cards = [c for c in make_cards() if c.answered]
    report = write_apkg(cards, tmp_path / "build", DECK)
    assert report.path == tmp_path / "build" / f"{DECK}.apkg" and report.path.is_file()
    assert report.ids_path.is_file() and report.new == len(cards) and report.updated == report.unchanged == 0

    log = import_apkg(col, report.path)
    assert len(log.new) == len(cards) == col.note_count() == col.card_count()
    assert not log.conflicting and not log.duplicate

    decks = {d.name for d in col.decks.all_names_and_ids()}
    # the shared top heading ("Basics") is skipped: subdecks are the first level that differs
    assert {f"{DECK}::ml/basics::Learning theory", f"{DECK}::ml/basics::Metrics",
            f"{DECK}::ml/basics::Training", f"{DECK}::ml/basics::Statistics", f"{DECK}::other"} <= decks
    assert sum(report.decks.values()) == len(cards)

    model = col.models.get(MODEL_ID)
    assert [f["name"] for f in model["flds"]] == list(FIELDS)
    assert [t["name"] for t in model["tmpls"]] == list(TEMPLATE_NAMES)

    notes = notes_by_id(col)
    first = notes[cards[0].id]
    assert first["Question"] == "What is overfitting?"
    assert first["Answer"] == ("<p>A model that fits noise in the <strong>training</strong> data and "
                               "generalizes badly.</p>\n")
    assert first["Source"] == "ml/basics.md:3"
    assert first["Section"] == "Basics › Learning theory"
    assert first["Difficulty"] == "easy"
    assert set(first.tags) >= {"my_tag", "source::basics", "difficulty::easy"}
    assert all(" " not in t for n in notes.values() for t in n.tags)

    lists = notes[cards[1].id]["Answer"]
    assert re.search(r"<ul>\s*<li>positives\s*<ul>\s*<li>true positives</li>", lists)
    assert re.search(r"<li>negatives\s*<ol>\s*<li>true negatives</li>", lists)
    table = notes[cards[2].id]["Answer"]
    assert "<table>" in table and "<td>log loss</td>" in table and 'class="dg-scroll"' in table
    code = notes[cards[3].id]["Answer"]
    assert "<pre" in code and "text-align:left" in code and "overflow-x:auto" in code
    assert re.search(r'<span style="[^"]*color: #[0-9A-Fa-f]{6}', code)  # pygments, inline styles
    math = notes[cards[4].id]["Answer"]
    assert "\\(s^2 = \\frac{1}{n-1}\\sum_i (x_i - \\bar x)^2\\)" in math
    assert "\\[a_1 * b_2 * c\\]" in math and "<em>" not in math

    for template, question, answer in rendered(col):
        assert template == "Recall"
        for side in (question, answer):
            assert "template has a problem" not in side.casefold() and "{{" not in side
            assert "<script" not in side.casefold()
        visible = re.sub(r"<pre\b.*?</pre>|<code\b.*?</code>", " ", answer, flags=re.S)
        assert "**" not in visible and "```" not in visible and not re.search(r"(^|>)\s*#{1,6} ", visible, re.M)
        assert 'class="dg-source"' in answer


def test_unanswered_cards_say_so_and_are_tagged(tmp_path, col):
    cards = make_cards()
    report = write_apkg(cards, tmp_path, DECK)
    assert report.unanswered == 1
    import_apkg(col, report.path)
    note = notes_by_id(col)[cards[-1].id]
    assert "Not answered" in note["Answer"] and UNANSWERED_TAG in note.tags


def test_hostile_html_arrives_as_text_or_its_markdown_equivalent(tmp_path, col):
    card = assign_ids([Card(
        "Is <b>this</b> <script>alert(1)</script> bold?",
        '<script>alert("x")</script>\n\n<img src=x onerror="alert(1)">\n\n'
        "[click me](javascript:alert(1)) [sound:boom.mp3] [$]x[/$]\n\n"
        '<a href="javascript:alert(2)">raw link</a> <iframe src="https://example.com"></iframe>',
        "evil.md", 1, ("Evil <i>section</i>",))])[0]
    report = write_apkg([card], tmp_path, DECK)
    import_apkg(col, report.path)
    [(_, question, answer)] = rendered(col)
    for side in (question, answer):
        for tag, attrs in html_tags(side):
            assert tag not in {"script", "img", "iframe", "b", "i"}, tag
            assert not any(name.startswith("on") for name in attrs), attrs
            assert "javascript:" not in attrs.get("href", ""), attrs
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in answer  # visible, as typed
    assert '<span class="dg-image">[image]</span>' in answer  # <img src=x>: like ![](x), a missing file
    assert "click me" in answer and "&#91;sound:boom.mp3]" in answer and "raw link" in answer
    assert "&lt;iframe src=&quot;https://example.com&quot;&gt;" in answer
    assert "[anki:play" not in answer  # Anki did not turn the text into an audio tag
    # <b> has a markdown equivalent (**): it may convert; a section is plain text
    assert "Is <strong>this</strong> &lt;script&gt;" in question and "Evil &lt;i&gt;section&lt;/i&gt;" in question


# --- rebuild and re-import ------------------------------------------------------------------

def test_edited_answer_updates_in_place(tmp_path, col):
    cards = [c for c in make_cards() if c.answered]
    out = tmp_path / "build"
    import_apkg(col, write_apkg(cards, out, DECK).path)
    notes_before = col.note_count()

    edited = list(cards)
    edited[0] = replace(cards[0], answer="Fitting the noise of the training set instead of the signal.")
    report = write_apkg(edited, out, DECK)
    assert (report.new, report.updated, report.unchanged, report.retired) == (0, 1, len(cards) - 1, [])

    log = import_apkg(col, report.path)
    assert len(log.new) == 0 and len(log.updated) == 1 and not log.conflicting
    assert col.note_count() == notes_before and col.card_count() == notes_before
    notes = notes_by_id(col)
    assert "noise of the training set" in notes[cards[0].id]["Answer"]
    guids = [n.guid for n in notes.values()]
    assert len(set(guids)) == len(guids)
    assert not col.find_dupes("Question", "")


def test_slightly_edited_question_keeps_its_note(tmp_path, col):
    cards = [c for c in make_cards() if c.answered]
    out = tmp_path / "build"
    import_apkg(col, write_apkg(cards, out, DECK).path)
    original = col.get_note(col.find_notes(f"DeckgenId:{cards[0].id}")[0])

    # a typo fix changes the card id (it derives from the question) but not the note
    retyped = assign_ids([replace(c, id="", tags=()) for c in cards])
    retyped[0] = assign_ids([replace(cards[0], question="What is over-fitting?", id="", tags=())])[0]
    assert retyped[0].id != cards[0].id
    report = write_apkg(retyped, out, DECK)
    assert report.new == 0 and report.kept_through_edit == 1 and report.retired == []

    log = import_apkg(col, report.path)
    assert len(log.new) == 0 and col.note_count() == len(cards)
    note = col.get_note(original.id)
    assert note.guid == original.guid and note["Question"] == "What is over-fitting?"

    # the id map follows the new question, so the next rebuild sees nothing new
    again = write_apkg(retyped, out, DECK)
    assert (again.new, again.updated, again.unchanged) == (0, 0, len(cards))


def test_rewritten_question_is_new_and_old_one_retired(tmp_path, col):
    cards = [c for c in make_cards() if c.answered]
    out = tmp_path / "build"
    import_apkg(col, write_apkg(cards, out, DECK).path)
    changed = list(cards)
    changed[0] = assign_ids([replace(cards[0], question="Explain the bias-variance trade-off", tags=())])[0]
    report = write_apkg(changed, out, DECK)
    assert report.new == 1 and [e.question for e in report.retired] == ["What is overfitting?"]
    ids = json.loads(report.ids_path.read_text(encoding="utf-8"))
    assert [e["question"] for e in ids["notes"] if e.get("retired")] == ["What is overfitting?"]

    # exporting the retired note tags it in Anki (which never deletes notes on import)
    exported = write_apkg(changed, out, DECK, export_retired=True)
    assert exported.retired == [] and exported.retired_exported == 1
    log = import_apkg(col, exported.path)
    assert len(log.new) == 1  # the rewritten question only
    [old] = col.find_notes(f'"tag:{RETIRED_TAG}"')
    assert col.get_note(old)["Question"] == "What is overfitting?"
    answer = col.get_note(old)["Answer"]
    assert "No longer in your notes" in answer and "A model that fits noise" in answer  # from the last package
    assert col.note_count() == len(cards) + 1


def test_filtered_build_does_not_retire_the_rest(tmp_path):
    cards = [c for c in make_cards() if c.answered]
    out = tmp_path / "build"
    write_apkg(cards, out, DECK)
    subset = write_apkg(cards[:2], out, DECK, keep_ids=[c.id for c in cards])
    assert subset.retired == [] and subset.unchanged == 2
    full = write_apkg(cards, out, DECK)
    assert full.retired == [] and full.new == 0


def test_unchanged_notes_keep_edits_made_in_anki(tmp_path, col):
    cards = [c for c in make_cards() if c.answered]
    out = tmp_path / "build"
    import_apkg(col, write_apkg(cards, out, DECK).path)
    note = col.get_note(col.find_notes(f"DeckgenId:{cards[1].id}")[0])
    note["Answer"] = "my own wording, edited in Anki"
    col.update_note(note)

    edited = list(cards)
    edited[0] = replace(cards[0], answer="A different answer from the sources.")
    log = import_apkg(col, write_apkg(edited, out, DECK).path)
    assert len(log.updated) == 1
    assert col.get_note(note.id)["Answer"] == "my own wording, edited in Anki"
    assert "different answer" in notes_by_id(col)[cards[0].id]["Answer"]


def test_type_in_answers_are_short_plain_terms():
    def typed(answer: str, kind: str = "question") -> str:
        return anki_writer.type_in_answer(Card("q?", answer, kind=kind))

    assert typed("**Hash** maps") == "Hash maps"
    assert typed("The ratio of explained variance to the total one.") == ""  # a sentence
    assert typed("x" * 61) == "" and typed("one\ntwo") == "" and typed("$O(n)$") == ""
    assert typed("`len(x)`", kind="code") == "" and typed("Bias", kind="topic") == ""


def test_type_in_cards_for_short_answers_only(tmp_path, col):
    cards = [c for c in make_cards() if c.answered]
    report = write_apkg(cards, tmp_path, DECK, type_in=True)
    short = [c for c in cards if c.question.startswith("Which activation")]
    assert report.type_in == 1 and report.cards == len(cards) + 1
    import_apkg(col, report.path)
    assert col.card_count() == len(cards) + 1
    typed = [(q, a) for name, q, a in rendered(col) if name == "Type answer"]
    assert len(typed) == 1
    # Anki's core leaves the input box to the reviewer: [[type:Field]] marks where it goes
    assert "[[type:TypeAnswer]]" in typed[0][0] and "The sigmoid" not in typed[0][0]
    assert "The sigmoid" in typed[0][1]
    assert notes_by_id(col)[short[0].id]["TypeAnswer"] == "The sigmoid"


# --- safety -----------------------------------------------------------------------------------

def test_failed_build_leaves_the_previous_package(tmp_path, monkeypatch):
    cards = [c for c in make_cards() if c.answered]
    report = write_apkg(cards, tmp_path, DECK)
    package, ids = report.path.read_bytes(), report.ids_path.read_bytes()

    def broken(db, target):
        Path(target).write_bytes(b"half a zip")
        raise OSError("disk full")

    monkeypatch.setattr(anki_writer, "_zip_package", broken)
    with pytest.raises(OSError):
        write_apkg(cards[:1], tmp_path, DECK)
    assert report.path.read_bytes() == package and report.ids_path.read_bytes() == ids
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([report.path.name, report.ids_path.name])


def test_unreadable_id_map_is_reported_not_fatal(tmp_path):
    cards = [c for c in make_cards() if c.answered]
    (tmp_path / f"{DECK}.deckgen-ids.json").write_text("{not json", encoding="utf-8")
    report = write_apkg(cards, tmp_path, DECK)
    assert report.new == len(cards) and report.warnings and "unreadable id map" in report.warnings[0]
    # the user's broken map is set aside, not overwritten; the new one is readable
    assert (tmp_path / f"{DECK}.deckgen-ids.json.unreadable").read_text(encoding="utf-8") == "{not json"
    assert json.loads(report.ids_path.read_text(encoding="utf-8"))["notes"]
    report.ids_path.write_text("[broken again", encoding="utf-8")
    write_apkg(cards, tmp_path, DECK)
    assert (tmp_path / f"{DECK}.deckgen-ids.json.unreadable2").read_text(encoding="utf-8") == "[broken again"
    assert (tmp_path / f"{DECK}.deckgen-ids.json.unreadable").read_text(encoding="utf-8") == "{not json"


# --- names and ids ----------------------------------------------------------------------------

def test_frozen_note_type_is_documented():
    doc = anki_writer.__doc__
    assert f"MODEL_ID = {MODEL_ID}" in doc
    for name in (*FIELDS, *TEMPLATE_NAMES):
        assert name in doc


def test_anki_tags_are_hierarchical_without_spaces():
    assert anki_tag("topic::Deep  Learning") == "topic::Deep_Learning"
    assert anki_tag('a::::"b c"::') == "a::b_c"
    assert anki_tag("  ::  ") == ""


def test_deck_ids_derive_from_names():
    assert deck_id("A::b") == deck_id("A::b") != deck_id("A::c")
    assert 1 << 30 <= deck_id("A::b") < 1 << 31


def test_deck_names_skip_shared_headings_and_sanitize():
    cards = [Card("q1", "a", "x.md", section=("Title", "Part: one")),
             Card("q2", "a", "x.md", section=("Title", "Part::two")),
             Card("q3", "a", "dump.txt::repo/y.md", section=("Only",)),
             Card("q4", "a", "z.md")]
    assert deck_names(cards, "Root") == ["Root::x::Part: one", "Root::x::Part:two", "Root::dump", "Root::z"]
    assert deck_names(cards, "Root", flat=True) == ["Root"] * 4


# --- the command line -------------------------------------------------------------------------

NOTES = """\
# Our interview notes

## Evaluation

### What does precision measure?
The share of predicted positives that are really positive.

### What does recall measure?
The share of real positives that the model finds.

## Optimisation

### What is a learning rate?
The step size of each **gradient** update.
"""


def test_cli_build_writes_package_that_anki_imports(tmp_path, col, capsys):
    from deckgen import deck as deckmod
    from deckgen.cli import main

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "eval.md").write_text(NOTES, encoding="utf-8")
    answered = deckmod.load([notes]).answered
    assert len(answered) >= 3, "the markdown reader should find our three questions"

    out = tmp_path / "out"
    assert main(["build", str(notes), "-o", str(out), "--name", "Our Deck", "--only", "apkg"]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert f"{len(answered)} new" in printed and "Our Deck.apkg" in printed
    log = import_apkg(col, out / "Our Deck.apkg")
    assert len(log.new) == col.note_count() == len(answered)
    assert any(d.name.startswith("Our Deck::eval::") for d in col.decks.all_names_and_ids())

    (notes / "eval.md").write_text(NOTES.replace("finds.", "finds, out of all real positives."),
                                   encoding="utf-8")
    assert main(["build", str(notes), "-o", str(out), "--name", "Our Deck", "--only", "apkg"]) == 0
    assert "1 updated" in capsys.readouterr().out
    log = import_apkg(col, out / "Our Deck.apkg")
    assert len(log.new) == 0 and len(log.updated) == 1 and col.note_count() == len(answered)


def test_answer_without_text_counts_as_unanswered(tmp_path, col):
    cards = assign_ids([Card("What is a rule?", "---", "r.md", 1), Card("And a heading?", "###", "r.md", 3)])
    assert not any(anki_writer.has_answer(c) for c in cards)
    report = write_apkg(cards, tmp_path, DECK)
    assert report.unanswered == 2
    import_apkg(col, report.path)
    answers = [n["Answer"] for n in notes_by_id(col).values()]
    assert len(answers) == 2 and all("Not answered" in a for a in answers)


def test_outputs_get_the_usual_file_mode(tmp_path):
    import os

    old = os.umask(0o022)
    try:
        report = write_apkg([c for c in make_cards() if c.answered], tmp_path, DECK)
    finally:
        os.umask(old)
    assert report.path.stat().st_mode & 0o777 == 0o644 == report.ids_path.stat().st_mode & 0o777


def test_repeated_questions_get_context_so_anki_sees_no_duplicates(tmp_path, col):
    cards = assign_ids([
        Card("Metrics", "Precision and recall.", "dump.txt::designs/search.md", 4, ("designs/search.md", "Search")),
        Card("Metrics", "Watch time.", "dump.txt::designs/video.md", 8, ("designs/video.md", "Video feed")),
        Card("Metrics", "Click-through rate.", "ads.md", 2, ("Ads", "Ranking / serving")),
    ])
    report = write_apkg(cards, tmp_path, DECK)
    import_apkg(col, report.path)
    questions = sorted(col.get_note(n)["Question"] for n in col.find_notes(""))
    assert questions == ['Metrics <span class="dg-qctx">(Ranking / serving)</span>',
                         'Metrics <span class="dg-qctx">(Search)</span>',
                         'Metrics <span class="dg-qctx">(Video feed)</span>']
    assert not col.find_dupes("Question", "")


def test_cli_build_with_no_cards_keeps_the_previous_package(tmp_path, capsys):
    from deckgen.cli import main

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "eval.md").write_text(NOTES, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(notes), "-o", str(out), "--name", "D", "--only", "apkg"]) == 0
    before = (out / "D.apkg").read_bytes(), (notes / "D.deckgen-ids.json").read_bytes()
    capsys.readouterr()
    assert main(["build", str(notes), "-o", str(out), "--name", "D", "--only", "apkg",
                 "--tag", "no-such-tag"]) == 2
    assert "no cards match --tag no-such-tag" in capsys.readouterr().err
    assert ((out / "D.apkg").read_bytes(), (notes / "D.deckgen-ids.json").read_bytes()) == before


def test_repeated_ids_keep_their_own_notes_across_builds(tmp_path):
    # two folders on the command line can both hold "notes.md" with the same question
    twin = [Card("What is a tensor?", f"Answer {k}.", "notes.md", k, id="sameid") for k in (1, 2)]
    first = anki_writer.match_identities(twin, anki_writer.IdMap())[1]
    assert len(set(first)) == 2
    write_apkg(twin, tmp_path, DECK)
    write_apkg(twin, tmp_path, DECK)
    ids = json.loads((tmp_path / f"{DECK}.deckgen-ids.json").read_text(encoding="utf-8"))
    assert [e["guid"] for e in ids["notes"]] == first
    again = write_apkg(twin, tmp_path, DECK)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)


def test_progress_reaches_the_total(tmp_path):
    cards = [c for c in make_cards() if c.answered]
    seen = []
    write_apkg(cards, tmp_path, DECK, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (1, len(cards)) and seen[-1] == (len(cards), len(cards))


def test_seed_deck_imports_cleanly(seeds_dir, tmp_path, col):
    """The five real seeds: whatever the readers find must reach Anki as clean notes."""
    from deckgen import deck as deckmod

    cards = [c for c in deckmod.load([seeds_dir]).cards if anki_writer.has_answer(c)]
    assert cards
    report = write_apkg(cards, tmp_path, DECK)
    log = import_apkg(col, report.path)
    assert len(log.new) == len(cards) == col.note_count() and not log.conflicting
    assert not col.find_dupes("Question", "")
    for _, question, answer in rendered(col):
        assert "template has a problem" not in answer.casefold()
        assert re.sub(r"<[^>]+>", "", question).strip()
        for tag, attrs in html_tags(answer):
            assert tag not in {"script", "iframe", "object", "embed", "style"}
            assert not any(name.startswith("on") for name in attrs)
        visible = re.sub(r"<pre\b.*?</pre>|<code\b.*?</code>", " ", answer, flags=re.S)
        assert "```" not in visible and not re.search(r"(^|>)\s*#{1,6} ", visible, re.M)
    for nid in col.find_notes(""):
        assert re.sub(r"<[^>]+>", "", col.get_note(nid)["Answer"]).strip()


# --- the id map travels with the notes --------------------------------------------------------

def _build(notes: Path, out: Path, capsys, *extra: str) -> str:
    from deckgen.cli import main

    assert main(["build", str(notes), "-o", str(out), "--name", "D", "--only", "apkg", *extra]) == 0
    return " ".join(capsys.readouterr().out.split())


def _notes_folder(tmp_path: Path, text: str = NOTES) -> Path:
    notes = tmp_path / "notes"
    notes.mkdir(exist_ok=True)
    (notes / "eval.md").write_text(text, encoding="utf-8")
    return notes


TOUCHED_UP = NOTES.replace("What does recall measure?", "What does recall measure ?")


def test_id_map_lives_in_the_notes_folder_and_keeps_notes_on_another_machine(tmp_path, col, capsys):
    notes = _notes_folder(tmp_path)
    printed = _build(notes, tmp_path / "laptop", capsys)
    assert (notes / "D.deckgen-ids.json").is_file() and not list((tmp_path / "laptop").glob("*.json"))
    assert f"saved in {notes / 'D.deckgen-ids.json'}" in printed and "commit it" in printed
    import_apkg(col, tmp_path / "laptop" / "D.apkg")
    before = {n.guid for n in map(col.get_note, col.find_notes(""))}

    # another machine: the notes (with their map) cloned, a fresh output folder, a question touched up
    (notes / "eval.md").write_text(TOUCHED_UP, encoding="utf-8")
    printed = _build(notes, tmp_path / "desktop", capsys)
    assert "ids taken from the id map" in printed and "0 new" in printed and "1 updated" in printed
    log = import_apkg(col, tmp_path / "desktop" / "D.apkg")
    assert len(log.new) == 0 and len(log.updated) == 1
    assert {n.guid for n in map(col.get_note, col.find_notes(""))} == before


@pytest.mark.parametrize("damage", ["deleted", "corrupt"])
def test_lost_id_map_recovers_guids_from_the_last_package(tmp_path, col, capsys, damage):
    notes = _notes_folder(tmp_path)
    out = tmp_path / "out"
    _build(notes, out, capsys)
    (notes / "eval.md").write_text(TOUCHED_UP, encoding="utf-8")  # keeps its note through the map
    _build(notes, out, capsys)
    import_apkg(col, out / "D.apkg")
    count = col.note_count()

    id_map = notes / "D.deckgen-ids.json"
    if damage == "deleted":
        id_map.unlink()
    else:
        id_map.write_text('{"format": "deckgen-anki-ids", "notes": [', encoding="utf-8")
    printed = _build(notes, out, capsys)
    assert f"ids no id map: {count} GUIDs recovered from {out / 'D.apkg'}" in printed
    assert f"0 new, 0 updated, {count} unchanged, 0 retired" in printed
    log = import_apkg(col, out / "D.apkg")
    assert len(log.new) == 0 and col.note_count() == count  # the touched-up card is no duplicate
    assert (notes / "D.deckgen-ids.json.unreadable").is_file() == (damage == "corrupt")
    assert json.loads(id_map.read_text(encoding="utf-8"))["notes"]


def test_map_from_the_old_place_is_taken_over(tmp_path, capsys):
    notes = _notes_folder(tmp_path)
    out = tmp_path / "out"
    _build(notes, out, capsys)
    (notes / "D.deckgen-ids.json").rename(out / "D.ids.json")  # where deckgen used to keep it
    (out / "D.apkg").unlink()
    printed = _build(notes, out, capsys)
    assert f"taken from the id map in the old place, {out / 'D.ids.json'} (moved)" in printed
    assert "0 new" in printed and not (out / "D.ids.json").exists() and (notes / "D.deckgen-ids.json").is_file()


def test_id_map_option_and_read_only_notes(tmp_path, capsys):
    notes = _notes_folder(tmp_path)
    chosen = tmp_path / "maps" / "mine.json"
    assert "saved in " + str(chosen) in _build(notes, tmp_path / "out", capsys, "--id-map", str(chosen))
    assert chosen.is_file() and not (notes / "D.deckgen-ids.json").exists()
    notes.chmod(0o555)
    try:
        import os

        if os.access(notes, os.W_OK):
            pytest.skip("running as root: a read-only folder is still writable")
        printed = _build(notes, tmp_path / "out", capsys)
    finally:
        notes.chmod(0o755)
    assert f"saved in {tmp_path / 'out' / 'D.deckgen-ids.json'}" in printed
