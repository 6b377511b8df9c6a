"""Question and section titles, one way for every reader (deckgen/readers/titles.py)."""

from deckgen.readers.titles import (
    clean_cell_title, clean_line_title, clean_title, strip_decoration, strip_numbering, topic_question,
)


def test_a_markdown_title_loses_marks_badges_and_emoji_keeps_numbering_and_code():
    assert clean_title("🟢 **3. What is** [bias](https://x.org)? ![b](s.svg) :rocket:") == "3. What is bias?"
    assert clean_title("Using `__init__` *well*:") == "Using __init__ well"
    assert topic_question("6.1 Gradient descent:") == "Gradient descent"
    assert topic_question("IV. Regularisation") == "Regularisation"


def test_a_plain_text_title_loses_labels_styled_letters_and_decoration():
    assert clean_line_title("1️⃣ 𝗪𝗵𝗮𝘁 𝗶𝘀 𝗯𝗶𝗮𝘀? 🚀") == "What is bias?"
    assert clean_line_title("Q3: Why normalise inputs?") == "Why normalise inputs?"
    assert clean_line_title("→ Next steps:") == "Next steps"
    assert clean_line_title("2) __init__ methods") == "__init__ methods"  # no markdown in plain text


def test_a_notebook_heading_loses_tags_emphasis_numbering_and_a_todo_tail():
    assert clean_cell_title("### <b>2.</b> **Reverse a list** (TODO)".lstrip("# ")) == "Reverse a list"
    assert clean_cell_title("1.2 Sort  the rows:") == "Sort the rows"


def test_numbering_and_answer_line_decoration():
    assert strip_numbering("12) Twelve") == "Twelve" and strip_numbering("3.2.1 Deeper") == "Deeper"
    assert strip_decoration("- ✅ Done ✓ right 🎉") == "- Done ✓ right"
    assert strip_decoration("Use `a ✓ b` 😀 inline") == "Use `a ✓ b` 😀 inline"
