"""Plain text to markdown: math stays math, brackets stay text (deckgen/text/markup.py)."""

from deckgen.render import to_html
from deckgen.text.markup import ListColumns, inline_math, marks_removed, plain_to_markdown


def test_plain_brackets_never_become_mathjax_delimiters():
    for text in ("[0.8, 0.2, 0.6]", "\\[0.8, 0.2\\]", "see [the notes](x)", "a lone \\( paren", "\\(a quite long aside in words\\)"):
        html = to_html(plain_to_markdown(text))
        assert "\\[" not in html and "\\(" not in html, (text, html)


def test_math_the_source_wrote_stays_math():
    assert plain_to_markdown("loss \\(L = \\sum_i x_i^2\\) and \\(k\\)") == "loss $L = \\sum_i x_i^2$ and $k$"
    assert plain_to_markdown("\\[ \\frac{a}{b} \\]") == "$$\\frac{a}{b}$$"
    assert plain_to_markdown("\\[x\\]") == "[x\\]"                 # an escaped bracket, not math
    assert plain_to_markdown("\\[x\\]", math=True) == "$$x$$"      # an Anki field: its math syntax


def test_markdown_characters_and_line_starts_are_escaped():
    assert plain_to_markdown("# not a heading\n1. not a list\ncost $5 and $10, a_b*c") == \
        "\\# not a heading\n1\\. not a list\ncost \\$5 and \\$10, a\\_b\\*c"


def test_questions_keep_their_text_and_get_dollar_math():
    assert inline_math("What is \\(\\sigma(x)\\) for \\[0, 1\\]?") == "What is $\\sigma(x)$ for [0, 1]?"


def test_marks_removed_keeps_the_words_only():
    assert marks_removed("- **TODO**\n2. `x_1` > [see](y)\n# Title \\*") == "TODO x 1 see (y) Title"
    assert marks_removed("  * nested item\nplain - dash") == "nested item plain - dash"


def test_list_items_nest_at_their_parents_content_column():
    columns = ListColumns()
    placed = [columns.place(depth, marker) for depth, marker in [(0, "1."), (1, "-"), (2, "-"), (0, "2."), (2, "10.")]]
    assert placed == [0, 3, 5, 0, 3]  # a skipped level nests one deeper, never into a code block
    columns.close()
    assert columns.content() == 0 and columns.place(1, "-") == 0


def test_chat_lists_nest_at_the_content_column():
    from deckgen.readers.chat import Part, render

    markdown = render([Part("item", "top", level=0, ordered=1), Part("item", "inner", level=2),
                       Part("item", "next", level=0, ordered=2)])
    assert markdown == "1. top\n   - inner\n2. next"
    assert to_html(markdown).count("<ul>") == 1 and to_html(markdown).count("<ol>") == 1

