"""The bullet-primer reader: small hand-written primers, then the real seed 001."""

from __future__ import annotations

import json
import re

import pytest

from conftest import GOLD, seed_file
from deckgen.card import Source
from deckgen.readers import bullets, pick, reader


def read(text: str) -> tuple[list, Source]:
    source = Source("primer.txt", text)
    return list(bullets.read(source)), source


def by_question(cards, question):
    found = [c for c in cards if c.question == question]
    assert found, f"no card {question!r} in {[c.question for c in cards]}"
    return found[0]


def html(markdown: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").render(markdown)


NESTED = """\
Why do kettles whistle?

  • Steam escapes through a narrow opening.
    • The opening makes the air vibrate.
      • Vibration at the right rate is audible.
        • Most people hear it as a high note.
  • The lid keeps the pressure up.
"""


def test_indentation_becomes_nested_markdown_list():
    cards, _ = read(NESTED)
    assert len(cards) == 1
    assert cards[0].answer == (
        "- Steam escapes through a narrow opening.\n"
        "  - The opening makes the air vibrate.\n"
        "    - Vibration at the right rate is audible.\n"
        "      - Most people hear it as a high note.\n"
        "- The lid keeps the pressure up."
    )
    rendered = html(cards[0].answer)
    # the depth-3 point sits inside four nested lists
    before = rendered.split("Most people hear it")[0]
    assert before.count("<ul>") - before.count("</ul>") == 4


def test_column0_prose_inside_an_answer_does_not_start_an_item():
    text = """\
How do bicycles stay upright?

  • Moving wheels resist tipping over.

The rider also steers into the fall, which brings the wheels back under the frame.

  • Trail in the front fork helps as well.

Explain how brakes stop a bicycle.

  • Pads press on the rim and turn motion into heat.
"""
    cards, _ = read(text)
    assert [c.question for c in cards] == ["How do bicycles stay upright?", "Explain how brakes stop a bicycle."]
    answer = cards[0].answer
    assert "The rider also steers into the fall" in answer
    assert answer.rstrip().endswith("- Trail in the front fork helps as well.")


def test_lead_in_sentence_ending_with_colon_is_prose_not_a_title():
    text = """\
Tent Pitching

  • Pick flat ground.

When the wind is strong, use the following extra steps:

  • Face the narrow end into the wind.
"""
    cards, _ = read(text)
    assert [c.question for c in cards] == ["Tent Pitching"]
    assert "Face the narrow end into the wind." in cards[0].answer


def test_rhetorical_questions_inside_bullets_are_not_items():
    text = """\
What makes sourdough rise?

  • Wild yeast ferments the sugars in the flour.
  • Did you ever notice how slowly it rises in a cold kitchen?
  • Warmth speeds the yeast up.
  • Wouldn't it be easier to buy yeast? Some bakers do exactly that:
    • They add a pinch of dry yeast to the starter.
"""
    cards, _ = read(text)
    assert [c.question for c in cards] == ["What makes sourdough rise?"]
    assert "Did you ever notice" in cards[0].answer


def test_bullet_that_is_a_question_with_its_own_answer_is_a_sub_item():
    text = """\
Lighthouse Keeping

  • Keepers trimmed wicks every night.
  • What is a Fresnel lens?
    • A lens built from concentric rings of glass.
    • It bends light into a narrow beam.
  • Automation ended the job in most places.
"""
    cards, _ = read(text)
    parent = by_question(cards, "Lighthouse Keeping")
    sub = by_question(cards, "What is a Fresnel lens?")
    assert sub.section == ("Lighthouse Keeping",)
    assert sub.answer == "- A lens built from concentric rings of glass.\n- It bends light into a narrow beam."
    # the parent keeps its whole block, the sub-question included
    assert "Fresnel" in parent.answer and "Automation ended" in parent.answer


def test_imperative_prompts_start_items_even_without_a_question_mark():
    text = """\
Define osmosis.

  • Water moves across a membrane toward the saltier side.

Explain capillary action

  • Water climbs narrow tubes because it clings to the walls.

why add salt to pasta water

  • It seasons the pasta from the inside.
"""
    cards, _ = read(text)
    assert [c.question for c in cards] == ["Define osmosis.", "Explain capillary action",
                                          "why add salt to pasta water"]
    assert all(c.kind == "question" and c.answered for c in cards)


def test_short_title_followed_by_bullets_is_a_topic_item_but_labels_are_not():
    text = """\
Compost Heaps

  • Mix green and brown material.

Pros:

  • Cuts household waste.

Balancing moisture:

  • The heap should feel like a wrung-out sponge.
"""
    cards, _ = read(text)
    assert [(c.question, c.kind) for c in cards] == [("Compost Heaps", "topic"), ("Balancing moisture", "topic")]
    assert "Pros:" in cards[0].answer and "Cuts household waste." in cards[0].answer


def test_question_and_lead_in_on_one_line_are_split():
    text = """\
How do you keep #houseplants alive? Try these habits:

  1. Water only when the soil is dry.
  2. Turn the pot every week.
"""
    cards, _ = read(text)
    assert cards[0].question == "How do you keep houseplants alive?"
    assert cards[0].answer.startswith("Try these habits:\n\n1. Water only when the soil is dry.\n2. Turn")


def test_code_with_lost_indentation_becomes_a_fenced_block():
    text = """\
Given a list of words, write a function that returns the longest one.

  • Approach:
def longest(words):
return max(words, key=len)
  • This walks the list once.
"""
    cards, _ = read(text)
    card = cards[0]
    assert card.kind == "code"
    # (the copy lost the indentation: it is restored)
    assert "  ```python\n  def longest(words):\n      return max(words, key=len)\n  ```" in card.answer
    rendered = html(card.answer)
    assert "<code class=\"language-python\">def longest(words):" in rendered


def test_unanswered_prompt_gives_an_empty_unanswered_card():
    text = """\
What is the boiling point of water on a mountain?
What is the freezing point of seawater?

  • A little below zero Celsius, because of the salt.
"""
    cards, _ = read(text)
    first = by_question(cards, "What is the boiling point of water on a mountain?")
    assert first.answered is False and first.answer == ""
    assert by_question(cards, "What is the freezing point of seawater?").answered


def test_block_after_dropped_heading_that_defines_a_new_term_is_skipped_and_reported():
    text = """\
Pruning Roses

  • Cut just above an outward-facing bud.
  • Remove dead canes first.


  • Mulching refers to covering the soil with organic matter.
  • It keeps the roots cool.

Pruning Apple Trees

  • Prune in late winter.


  • Pruning apple trees too hard makes them grow water shoots.
"""
    cards, source = read(text)
    roses = by_question(cards, "Pruning Roses")
    assert "Mulching" not in roses.answer and roses.answer.endswith("Remove dead canes first.")
    assert any(d.line == 7 and "Mulching" in d.message for d in source.diagnostics)
    # the same gap inside one topic keeps the content
    assert "water shoots" in by_question(cards, "Pruning Apple Trees").answer


def test_to_do_note_and_citation_are_skipped_with_diagnostics():
    text = """\
To Add

  • ask about the garden layout

What is crop rotation?

  • Growing different crops on a plot in turn.

If this page helped you, please cite it as:

  title   = {Garden Notes},
  year    = {2020},
"""
    cards, source = read(text)
    assert [c.question for c in cards] == ["What is crop rotation?"]
    assert "Garden Notes" not in cards[0].answer
    messages = " ".join(d.message for d in source.diagnostics)
    assert "to-do" in messages and "citation" in messages


def test_math_is_kept_and_markdown_characters_are_escaped():
    text = """\
What is a squared error?

  • The loss is \\((y - \\hat{y})^2\\) for one sample, written y_hat * 2 in some code.
"""
    cards, _ = read(text)
    answer = cards[0].answer
    assert "$(y - \\hat{y})^2$" in answer
    assert "y\\_hat \\* 2" in answer
    assert "y_hat * 2" in html(answer)


def test_garbage_gives_no_cards_and_every_skip_names_its_lines():
    # none of these holds a question line, so nothing may become a card, and the skipped
    # text must be reported with a line number rather than dropped silently
    for text in ["\x00\x01  •", "  •\n\n\n", "?\n  • ", "\t\t\n1)\n- \n" * 50, "•" * 1000]:
        cards, source = read(text)
        assert cards == [], repr(text[:20])
        assert source.diagnostics and all(d.line for d in source.diagnostics), repr(text[:20])


def test_sniff_prefers_primers_and_declines_other_families():
    primer = NESTED * 3
    chat = "Q: What is a cloud? A: Water droplets.\n" * 5 + "  • a bullet\n" * 6
    markdown = "# Title\n\n- one\n- two\n\n## Next\n\nText.\n"
    assert bullets.sniff(primer) >= 0.8
    assert bullets.sniff(chat) < 0.3
    assert bullets.sniff(markdown) == 0.0
    assert pick(Source("p.txt", primer)) is reader("bullets")


# ---------------------------------------------------------------- the real seed

def test_seed_001_is_read_as_a_primer_with_gold_questions_found():
    from rapidfuzz import fuzz

    path = seed_file("001_")
    text = path.read_text(encoding="utf-8")
    source = Source(path.name, text)
    assert pick(source) is reader("bullets")
    cards = list(bullets.read(source))
    assert 120 <= len(cards) <= 145
    assert not any("•" in c.answer for c in cards)
    assert sum(bool(c.section) for c in cards) >= 4
    assert source.diagnostics, "skipped blocks must be reported"

    gold_path = GOLD / "001.jsonl"
    if not gold_path.is_file():
        pytest.skip(f"gold file {gold_path} is absent")
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [c.question.lower() for c in cards]
    found = sum(any(fuzz.token_sort_ratio(g["question"].lower(), q) >= 85 for q in questions) for g in gold)
    assert found / len(gold) >= 0.95


@pytest.mark.parametrize("prefix", ["000_", "004_"])
def test_other_seed_families_are_not_claimed(prefix):
    path = seed_file(prefix)
    text = path.read_text(encoding="utf-8", errors="replace")
    assert bullets.sniff(text) < 0.3


def test_numbered_question_over_bullets_starts_an_item_but_numbered_answer_lines_do_not():
    text = """\
1. What keeps a kite in the air?

  • Wind pushes on the tilted sail.

2) Hold the line tight.
3) Run against the wind.

2. Why do kites need tails?

  • The tail keeps the nose pointing up.
"""
    cards, _ = read(text)
    assert [c.question for c in cards] == ["What keeps a kite in the air?", "Why do kites need tails?"]
    assert "1. Hold the line tight." not in cards[0].answer
    assert "2) Hold the line tight.\n3) Run against the wind." in cards[0].answer


def test_comment_line_opens_a_code_block_and_dash_lines_stay_their_own_list():
    text = """\
What does a shopping list script look like?

  • A short example:
# build the list
items = ["eggs", "milk"]
print(items)

Rules from the household:
- Nothing sugary
- Buy local
  • Both rules came from a family vote.
"""
    cards, _ = read(text)
    answer = cards[0].answer
    assert "```python\n  # build the list\n  items = [\"eggs\", \"milk\"]\n  print(items)\n  ```" in answer
    rendered = html(answer)
    # the dash lines and the bullet after them are two lists, not one
    assert rendered.count("<ul>") == 3


def test_link_stub_or_placeholder_alone_is_not_an_answer():
    text = """\
What is a sundial?

  • Taken from here

What is a water clock?

  • NOT ANSWERED

What is an hourglass?

  • Sand runs through a narrow neck; see the museum page for more.

What is a candle clock?

  • (to be filled)

What is a clepsydra?

  • …
"""
    cards, _ = read(text)
    # the markdown reader's placeholders (lexicon.PLACEHOLDER) are the bullets reader's too
    assert [c.answered for c in cards] == [False, False, True, False, False]
    assert cards[0].answer == "" and cards[1].answer == "" and cards[3].answer == "" == cards[4].answer


def test_title_over_bullets_written_at_column_zero():
    text = """\
Sailing Knots

• The bowline makes a fixed loop.
• The cleat hitch ties a line to a cleat.
"""
    cards, _ = read(text)
    assert [(c.question, c.kind) for c in cards] == [("Sailing Knots", "topic")]
    assert cards[0].answer == "- The bowline makes a fixed loop.\n- The cleat hitch ties a line to a cleat."


def test_noun_that_looks_like_an_imperative_is_prose():
    text = """\
What makes loops slow in Python?

  • Each step runs through the interpreter.

List comprehensions avoid some of that overhead.

  • They build the list in one pass.

List three ways to speed up a loop.

  • Vectorise it.
"""
    cards, _ = read(text)
    assert [c.question for c in cards] == ["What makes loops slow in Python?", "List three ways to speed up a loop."]
    assert "List comprehensions avoid some of that overhead." in cards[0].answer


def test_any_text_reads_without_raising_and_every_card_has_a_question():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    line = st.one_of(
        st.text(max_size=40),
        st.sampled_from(["", "  • point", "    • deeper", "What is it?", "Explain it", "Short Title",
                         "x = 1", "for a in b:", "# note", "  1. first", "2) second", "- dash", "\t\tcode"]),
    )

    @settings(max_examples=200, deadline=None)
    @given(st.lists(line, max_size=30))
    def check(lines):
        source = Source("fuzz.txt", "\n".join(lines))
        for card in bullets.read(source):
            assert card.question.strip()
            assert card.answer.strip() or not card.answered
        assert not [d for d in source.diagnostics if d.severity == "error"]

    check()


def test_table_of_contents_and_references_are_skipped():
    text = """\
Table of Contents

  • What is a glacier?
  • How do glaciers move?

What is a glacier?

  • A slow river of compacted snow and ice.

References

  • An atlas of ice, second edition.
"""
    cards, source = read(text)
    assert [c.question for c in cards] == ["What is a glacier?"]
    assert "atlas" not in cards[0].answer
    assert sum("page furniture" in d.message for d in source.diagnostics) == 2


def test_code_prompt_answered_only_by_a_pointer_to_a_lost_picture_is_unanswered():
    text = """\
Write a function that returns the median of a list.

  • The notebook snippet below shows one way to do it.

Write a function that reverses a string.

  • Slice it with a step of minus one.
"""
    cards, source = read(text)
    median = by_question(cards, "Write a function that returns the median of a list.")
    # the solution was a picture the copy lost: not an answer, but the pointer is kept for the reader
    assert not median.answered and "snippet below" in median.answer
    assert [d.line for d in source.diagnostics] == [1]
    assert by_question(cards, "Write a function that reverses a string.").answered


def anki_fields(notes_dir, tmp_path):
    """Build an .apkg with `deckgen build` and read its notes' fields (name -> value)."""
    import sqlite3
    import subprocess
    import sys
    import zipfile

    from deckgen.writers.anki import FIELDS

    out = tmp_path / "build"
    done = subprocess.run([sys.executable, "-m", "deckgen", "build", str(notes_dir), "-o", str(out), "--only", "apkg"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    (package,) = out.glob("*.apkg")
    with zipfile.ZipFile(package) as z:
        (tmp_path / "col.anki2").write_bytes(z.read("collection.anki2"))
    with sqlite3.connect(tmp_path / "col.anki2") as db:
        return [dict(zip(FIELDS, flds.split("\x1f"))) for (flds,) in db.execute("SELECT flds FROM notes")]


def test_square_brackets_stay_text_and_only_real_math_reaches_mathjax(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "primer.txt").write_text("""\
How is a user described to a recommender?

  • As a feature vector such as [0.8, 0.2, 0.6], one number per trait.
  • A list is written with square brackets [], a tuple with parentheses.
  • An escaped copy may show \\[1, 2\\] for the same brackets.
  • The score is \\(u \\cdot v\\) for user \\(u\\) and item \\(v\\), or $$\\sum_i u_i v_i$$.
""", encoding="utf-8")
    (fields,) = anki_fields(notes, tmp_path)
    answer = fields["Answer"]
    assert "[0.8, 0.2, 0.6]" in answer and "square brackets []" in answer and "[1, 2]" in answer
    # MathJax typesets \[...\] and \(...\): only the formulas may carry them
    assert re.findall(r"\\\[(.*?)\\\]", answer) == ["\\sum_i u_i v_i"]
    assert re.findall(r"\\\((.*?)\\\)", answer) == ["u \\cdot v", "u", "v"]


def test_answer_that_starts_on_the_prompt_line_is_the_first_paragraph():
    cards, source = read("Why shuffle the training set? Batches then mix the classes.\n\n"
                         "  • Sorted data gives one-class batches.\n")
    assert [c.question for c in cards] == ["Why shuffle the training set?"]
    assert cards[0].answer == "Batches then mix the classes.\n\n- Sorted data gives one-class batches."
    assert source.diagnostics == []


WEB_COPY = """\
How do you standardise a feature column?

  • Subtract the mean and divide by the standard deviation.
  • Fit the scaler on the training split only.

# fit on the training rows only
scaler = StandardScaler()
scaler.fit(X_train)
# reuse the same statistics on the test rows
X_test_scaled = scaler.transform(X_test)

What does one-hot encoding produce?

  • One column per category, 1 for the row's category and 0 elsewhere.

# pandas does it in one call
dummies = pd.get_dummies(df["colour"])

Why drop one of two highly correlated features?

  • They carry the same information twice.
"""


def test_web_copy_whose_only_hash_lines_are_code_comments_reads_as_a_primer():
    source = Source("copy.txt", WEB_COPY)
    assert pick(source) is bullets
    cards = list(bullets.read(source))
    assert [c.question for c in cards] == ["How do you standardise a feature column?",
                                           "What does one-hot encoding produce?",
                                           "Why drop one of two highly correlated features?"]
    assert cards[0].answer.endswith("```python\n# fit on the training rows only\nscaler = StandardScaler()\n"
                                    "scaler.fit(X_train)\n# reuse the same statistics on the test rows\n"
                                    "X_test_scaled = scaler.transform(X_test)\n```")
    assert "```python\n# pandas does it in one call\n" in cards[1].answer
    assert source.diagnostics == []
    # a real markdown heading still hands the file to the markdown reader
    assert bullets.sniff("# Feature scaling\n\n" + WEB_COPY) < bullets.sniff(WEB_COPY) - 0.4


def test_pasted_code_gets_its_indentation_back_and_the_card_says_so():
    cards, _ = read("Write a function that counts the vowels in a word.\n\n"
                    "def vowels(word):\nn = 0\nfor ch in word:\nn += ch in 'aeiou'\nreturn n\n")
    assert cards[0].answer == ("```python\ndef vowels(word):\n    n = 0\n    for ch in word:\n"
                               "        n += ch in 'aeiou'\n    return n\n```")
    assert cards[0].tags == ("indentation-restored",)


def test_question_words_come_from_the_readers_lexicon():
    # "Have you …" asks without its "?" (lexicon.INTERROGATIVES); "Whose …? answer" splits on the line
    text = """\
Have you used gradient clipping

  • It caps the gradient norm before the update.

Whose weights does a Siamese network share? Both branches use one set.
"""
    cards, _ = read(text)
    assert [(c.question, c.answer) for c in cards] == [
        ("Have you used gradient clipping", "- It caps the gradient norm before the update."),
        ("Whose weights does a Siamese network share?", "Both branches use one set.")]
