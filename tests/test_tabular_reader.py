"""Cards people already have in tables: Anki's plain-text export and Quizlet's export."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

from deckgen.card import Source
from deckgen.readers import pick, tabular


def read(text: str, name: str = "cards.txt"):
    source = Source(name, text)
    return list(tabular.read(source)), source


ANKI_EXPORT = (
    "#separator:tab\n"
    "#html:true\n"
    "#columns:Front\tBack\tTags\n"
    "#tags column:3\n"
    "What does dropout do during training?\tZeroes a random share of activations<br>and rescales the rest.\tdl::regularisation\n"
    "\"Why scale inputs\tbefore gradient descent?\"\t\"The loss surface is less stretched,<br>so one step size suits every weight.\"\tdl optimisation\n"
    "Name two pooling kinds\t<ul><li>max</li><li>average</li></ul>\tdl\n"
    "Softmax of a vector\t\\(\\sigma(z)_i = e^{z_i} / \\sum_j e^{z_j}\\) &amp; it sums to <b>1</b>\tdl\n"
)


def test_anki_plain_text_export_gives_one_card_per_row_with_its_tags():
    cards, source = read(ANKI_EXPORT)
    assert [c.question for c in cards] == ["What does dropout do during training?",
                                           "Why scale inputs before gradient descent?",
                                           "Name two pooling kinds", "Softmax of a vector"]
    assert [c.line for c in cards] == [5, 6, 7, 8]
    assert cards[0].answer == "Zeroes a random share of activations\\\nand rescales the rest."
    assert cards[0].tags == ("dl::regularisation",) and cards[1].tags == ("dl", "optimisation")
    assert cards[2].answer == "- max\n- average"
    assert cards[3].answer == "$\\sigma(z)_i = e^{z_i} / \\sum_j e^{z_j}$ & it sums to **1**"
    assert all(c.answered for c in cards) and source.diagnostics == []


def test_a_column_named_tags_holds_tags_even_without_a_tags_column_header():
    text = "#separator:tab\n#columns:Front\tBack\tTags\nWhat is a logit?\tA score before softmax\tdl nlp\n"
    (card,), _ = read(text)
    assert card.answer == "A score before softmax" and card.tags == ("dl", "nlp")


def test_quizlet_export_tab_between_term_and_definition():
    text = "entropy\taverage surprise of a distribution\nperplexity\texp of the cross-entropy\nlogit\ta score before softmax\n"
    cards, _ = read(text, "quizlet.txt")
    assert [(c.question, c.answer) for c in cards] == [("entropy", "average surprise of a distribution"),
                                                       ("perplexity", "exp of the cross-entropy"),
                                                       ("logit", "a score before softmax")]
    assert pick(Source("quizlet.txt", text)) is tabular


def test_comma_separated_rows_with_a_header_row_and_quoted_commas():
    text = ('Question,Answer\n'
            'What is recall?,"Of the real positives, the share found"\n'
            'What is precision?,"Of the flagged items, the share that are right"\n'
            'What is F1?,The harmonic mean of precision and recall\n')
    cards, _ = read(text, "cards.csv")
    assert [c.question for c in cards] == ["What is recall?", "What is precision?", "What is F1?"]
    assert cards[0].answer == "Of the real positives, the share found"


def test_plain_fields_are_escaped_and_keep_their_line_breaks():
    text = ("#separator:semicolon\n#html:false\n"
            'a_b * c;"first line\nsecond line [x]"\n')
    (card,), _ = read(text)
    assert card.question == "a_b * c" and card.line == 3
    assert card.answer == "first line\\\nsecond line [x\\]"


def test_deck_column_becomes_the_section_and_extra_fields_join_the_answer():
    text = ("#separator:comma\n#html:false\n#notetype column:1\n#deck column:2\n"
            "Basic,ML::Trees,What splits a node?,The feature and threshold with the best gain,Seen in CART.\n")
    (card,), _ = read(text)
    assert card.section == ("ML", "Trees") and card.question == "What splits a node?"
    assert card.answer == "The feature and threshold with the best gain\n\nSeen in CART."


def test_cloze_notes_blank_the_deletion_in_the_question():
    text = "#separator:tab\n#html:true\nAdam keeps a running {{c1::mean}} and {{c2::variance::spread}} of gradients\t\n"
    (card,), _ = read(text)
    assert card.question == "Adam keeps a running […] and [spread] of gradients"
    assert card.answer == "Adam keeps a running mean and variance of gradients"


def test_rows_without_a_question_or_an_answer_are_reported_not_lost():
    text = "#separator:tab\n\tan answer without its question\nA question without an answer\t\nok\tfine\n"
    cards, source = read(text)
    assert [(c.question, c.answered) for c in cards] == [("A question without an answer", False), ("ok", True)]
    assert any("line 2" in d.message and "empty first field" in d.message for d in source.diagnostics)


def test_a_row_the_csv_module_cannot_read_is_reported_with_what_it_cost():
    text = "#separator:tab\nfirst\tok\nsecond\t" + "x" * 200000 + "\nthird\tlost\n"
    cards, source = read(text)
    assert [c.question for c in cards] == ["first"]
    (problem,) = source.diagnostics
    assert problem.line == 3 and "1 line(s) after it" in problem.message


def test_prose_data_and_markdown_are_never_taken_for_tables():
    prose = ("Gradient descent, in short, walks downhill.\nEach step, however small, lowers the loss.\n"
             "Momentum, like a ball, keeps rolling.\nThe rate, if too big, overshoots.\n")
    data = "x,y,z\n1,2,3\n4,5,6\n7,8,9\n"
    markdown = "| term | meaning |\n|---|---|\n| bias | error from assumptions |\n"
    chat = "Q: What is bias?\nA: Error from wrong assumptions.\nQ: What is variance?\nA: Sensitivity to the sample.\n"
    for text in (prose, data, markdown, chat, "# Notes\n\nword\tword\nword\tword\n"):
        assert tabular.sniff(text) == 0.0, text


def test_sniffing_stays_linear_on_long_runs_of_separators_and_quotes():
    for ch in "\t,;\"'|#<>&\\{}":
        text = ch * 60000
        assert tabular.sniff(text) in (0.0, 0.9, 0.85, tabular.SNIFF_MAX)
        list(tabular.read(Source("x.txt", text)))


def test_the_sample_export_in_content_builds_into_the_anki_package(tmp_path):
    sample = ROOT / "content" / "statistics-flashcards.txt"
    out = tmp_path / "cards.jsonl"
    done = subprocess.run([sys.executable, "-m", "deckgen", "--no-cache", "export", str(sample), "--format", "jsonl",
                           "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 8 and all(r["answered"] for r in records)
    by_q = {r["question"]: r for r in records}
    assert by_q['What does "statistically significant" leave out?']["section"] == ["Statistics basics"]
    assert "$\\sigma / \\sqrt{n}$" in by_q["Standard error of the mean"]["answer"]
    assert "statistics::testing" in by_q["Type I vs type II error"]["tags"]


def test_html_fields_never_carry_markup_that_runs():
    from deckgen.render import to_html

    text = ("#separator:tab\n#html:true\n"
            "Hostile<script>alert(1)</script>\t<img src=x onerror=alert(2)> <a href=\"javascript:alert(3)\">link</a>"
            " <span style=\"position:fixed\">kept</span> <u>u</u>\n")
    (card,), _ = read(text)
    html = to_html(card.answer)
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html and "style=" not in html
    assert "link" in html and "kept" in html and " u" in html          # no word is lost
    assert "[image: x]" in html
