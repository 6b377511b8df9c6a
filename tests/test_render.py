"""Markdown -> card HTML: math for MathJax, highlighted code, tables, and escaping."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from deckgen.render import highlight_code, inline_html, to_html, to_text


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(html)
    return parser.found


def test_inline_and_display_math_become_mathjax_delimiters():
    html = to_html("Loss is $L = \\sum_i w_i * x_i * y_i$ and\n\n$$\nE = m c^2 < \\infty\n$$\n")
    assert "\\(L = \\sum_i w_i * x_i * y_i\\)" in html  # * and _ not taken as emphasis
    assert "<em>" not in html
    assert '<div class="dg-math">\\[E = m c^2 &lt; \\infty\\]</div>' in html
    assert "\\[x^2\\]" in to_html("inline display $$x^2$$ here")


def test_currency_is_not_math():
    html = to_html("It costs $5 and $10 a month.")
    assert "\\(" not in html and "$5 and $10" in html


def test_code_is_highlighted_with_inline_styles():
    html = to_html("```python\ndef f(x):\n    return x ** 2  # square\n```\n")
    pre = re.search(r"<pre[^>]*>", html).group(0)
    assert "text-align:left" in pre and "overflow-x:auto" in pre and "white-space:pre" in pre
    assert "background:#" in pre
    assert re.search(r'<span style="[^"]+">def</span>', html)
    assert "class=\"" not in html.replace('class="dg-code"', "")  # no stylesheet classes needed
    assert "x ** 2" in re.sub(r"<[^>]+>", "", html)


def test_unknown_language_and_indented_code_stay_plain_but_escaped():
    html = to_html("```nosuchlang\na < b && c\n```\n\n    indented <tag>\n")
    assert "a &lt; b &amp;&amp; c" in html and "indented &lt;tag&gt;" in html
    assert html.count("<pre") == 2 and "<span" not in html
    assert highlight_code("x = 1", "").startswith('<pre class="dg-code"')


def test_nested_lists_keep_their_structure():
    html = to_html("- a\n  - b\n    1. c\n    2. d\n- e\n")
    assert re.sub(r"\s+", "", html) == (
        "<ul><li>a<ul><li>b<ol><li>c</li><li>d</li></ol></li></ul></li><li>e</li></ul>")


def test_tables_scroll_horizontally():
    html = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert html.startswith('<div class="dg-scroll"><table>') and html.rstrip().endswith("</table></div>")
    assert "<td>2</td>" in html


def test_raw_html_and_script_urls_never_become_markup():
    html = to_html('<script>alert(1)</script>\n\ntext <img src=x onerror="alert(1)"> '
                   "[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) ![c](javascript:alert(2)) "
                   "[ok](https://example.org/x?a=1&b=2)\n")
    found = tags_of(html)
    assert {tag for tag, _ in found} <= {"p", "a"}
    assert [attrs["href"] for tag, attrs in found if tag == "a"] == ["https://example.org/x?a=1&b=2"]
    assert "&lt;script&gt;" in html and "onerror=&quot;alert(1)&quot;" in html


def test_question_inline_html():
    html = inline_html("Why does `x <- y` work *here* with $\\alpha_1$?\nsecond line <b>")
    assert html == ("Why does <code>x &lt;- y</code> work <em>here</em> with \\(\\alpha_1\\)?<br>\n"
                    "second line &lt;b&gt;")


def test_to_text_strips_markers_keeps_code():
    assert to_text("# Title\n**bold** text\n```python\nx = 1\n```") == "Title\nbold text\nx = 1"


def test_web_images_stay_local_paths_become_text():
    html = to_html("![plot](https://example.org/p.png) ![local](imgs/p.png) ![]() ![x](javascript:alert(1))")
    found = tags_of(html)
    assert [(t, a["src"]) for t, a in found if t == "img"] == [("img", "https://example.org/p.png")]
    assert "[image: local]" in html and "[image]" in html  # no missing-media reference for Anki


def test_bracket_math_already_in_notes_survives_markdown_escapes():
    html = to_html("Given \\(a_1 * b_2 * c\\) and \\[x^2 < y\\], but `\\(code\\)` and \\* stay.")
    assert "\\(a_1 * b_2 * c\\)" in html and "\\[x^2 &lt; y\\]" in html and "<em>" not in html
    assert "<code>\\(code\\)</code>" in html and "and * stay" in html
