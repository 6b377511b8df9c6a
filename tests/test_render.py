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
                   '<a href="javascript:alert(3)" onclick="x()">d</a> <a href="https://example.org/y">e</a> '
                   "[ok](https://example.org/x?a=1&b=2)\n")
    found = tags_of(html)
    assert {tag for tag, _ in found} <= {"p", "a", "span"}
    assert [attrs.get("href") for tag, attrs in found if tag == "a"] == [
        None, "https://example.org/y", "https://example.org/x?a=1&b=2"]
    assert not any(name.startswith("on") for _, attrs in found for name in attrs)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as the text it is
    assert "[image]" in html  # the img converts like ![](x): a local file Anki does not have


def test_question_inline_html():
    html = inline_html("Why does `x <- y` work *here* with $\\alpha_1$?\nsecond line <b>")
    assert html == ("Why does <code>x &lt;- y</code> work <em>here</em> with \\(\\alpha_1\\)?<br>\n"
                    "second line &lt;b&gt;")  # an unclosed <b> is text


def test_to_text_strips_markers_keeps_code():
    assert to_text("# Title\n**bold** text\n```python\nx = 1\n```") == "Title\nbold text\nx = 1"


def test_web_images_are_links_unless_asked_local_paths_become_text():
    notes = "![plot](https://example.org/p.png) ![local](imgs/p.png) ![]() ![x](javascript:alert(1))"
    html = to_html(notes)
    found = tags_of(html)
    assert not [t for t, _ in found if t == "img"]  # nothing loads on every review
    assert [a["href"] for t, a in found if t == "a"] == ["https://example.org/p.png"]
    assert "[image: plot]" in html and "[image: local]" in html and "[image]" in html
    shown = tags_of(to_html(notes, remote_images=True))
    assert [(t, a["src"]) for t, a in shown if t == "img"] == [("img", "https://example.org/p.png")]


def test_bracket_math_already_in_notes_survives_markdown_escapes():
    html = to_html("Given \\(a_1 * b_2 * c\\) and \\[x^2 < y\\], but `\\(code\\)` and \\* stay.")
    assert "\\(a_1 * b_2 * c\\)" in html and "\\[x^2 &lt; y\\]" in html and "<em>" not in html
    assert "<code>\\(code\\)</code>" in html and "and * stay" in html


# --- HTML in the notes: one policy ------------------------------------------------------------

def visible(html: str) -> str:
    """What a reader sees: tags gone, entities decoded."""
    from html import unescape

    return unescape(re.sub(r"<[^>]+>", "", html))


def test_html_with_a_markdown_equivalent_converts_the_rest_is_text():
    html = to_html('Use <b>bold</b>, <i>it</i>, <u>under</u>, <span style="color:red">red</span>, '
                   '<img src="plot.png" alt="pic"> and <kbd>Ctrl</kbd>.')
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html and "<code>Ctrl</code>" in html
    assert {t for t, _ in tags_of(html)} == {"p", "strong", "em", "code", "span"}  # span: ours, [image: pic]
    shown = visible(html)
    assert '<u>under</u>' in shown and '<span style="color:red">red</span>' in shown  # every word kept
    assert "[image: pic]" in shown


def test_html_converts_only_closed_tags_with_real_attributes():
    assert visible(to_html("What does the <b> tag do?")) == "What does the <b> tag do?\n"
    assert visible(to_html("if a<b and c>d then")) == "if a<b and c>d then\n"
    html = to_html("<i>a <b>b</i> c</b>")  # crossed tags: the outer pair converts
    assert html.count("<em>") == 1 and "<strong>" not in html and visible(html) == "a <b>b c</b>\n"


def test_html_blocks_keep_markdown_text_and_pre_becomes_code():
    html = to_html('<div align="center">\n**x** and $y$ <script>alert(1)</script>\n</div>\n\n'
                   '<pre><code class="language-python">if a &lt; b:\n    pass\n</code></pre>\n')
    assert "&lt;div align=&quot;center&quot;&gt;" in html and "&lt;script&gt;" in html
    assert "<strong>x</strong>" in html and "\\(y\\)" in html
    pre = html[html.index("<pre"):]
    assert pre.startswith('<pre class="dg-code"') and "if a &lt; b:\n    pass" in pre
    assert {t for t, _ in tags_of(html)} == {"strong", "pre", "code"}


def test_html_links_keep_only_web_and_mail_addresses():
    html = to_html('<a href="javascript:alert(1)">x</a> <a href="mailto:me@example.org" onclick="y()">m</a> '
                   '<a href="data:text/html,hi">d</a> <a title="t" href="http://example.org">w</a>')
    assert [(t, a) for t, a in tags_of(html) if t == "a"] == [
        ("a", {}), ("a", {"href": "mailto:me@example.org"}), ("a", {}), ("a", {"href": "http://example.org"})]


# --- math that MathJax reads ------------------------------------------------------------------

DANGEROUS = {"href", "style", "class", "cssid", "bbox", "mmltoken", "unicode", "require", "def", "newcommand",
             "renewcommand", "data", "htmlclass"}


def macros(tex: str) -> set[str]:
    """The control words of a TeX string, as TeX reads them (\\\\ is one token)."""
    return {m.group(1).casefold() for m in re.finditer(r"\\([A-Za-z]+|.)", tex, re.S)}


def unsafe(spans: list[str]) -> set[str]:
    return set().union(*(macros(s) for s in spans)) & DANGEROUS


def mathjax_spans(html: str) -> list[str]:
    """The spans Anki's MathJax would typeset: its delimiters in the page text, the end
    found the way MathJax finds it (skipping \\x pairs, at brace depth 0)."""
    text = visible(re.sub(r"<(pre|code)\b.*?</\1>", " ", html, flags=re.S))
    spans, pos = [], 0
    while (start := re.compile(r"\\[([]").search(text, pos)) is not None:
        close = "\\)" if start.group(0) == "\\(" else "\\]"
        depth, i = 0, start.end()
        for m in re.finditer(r"\\.|[{}]", text[i:], re.S):
            token = m.group(0)
            if token == close and depth == 0:
                spans.append(text[i:i + m.start()])
                pos = i + m.end()
                break
            if token == "{":
                depth += 1
            elif token == "}" and depth:
                depth -= 1
        else:
            pos = start.end()
    return spans


def test_math_spans_carry_no_macro_that_links_styles_or_defines():
    notes = ("$\\href{javascript:alert(1)}{x}$ and $\\style{position:fixed}{y}$\n\n"
             "$$\\class{a}{b} + \\cssId{c}{d} + \\bbox[position:fixed]{e} + \\unicode{x41} + \\HTMLCLASS{f}$$\n\n"
             "\\(\\mmlToken{mi}[href='javascript:1']{m}\\) \\[\\def\\x{\\require{html}}\\re\\newcommand\\]\n\n"
             "$\\frac{a}{b} + \\sqrt{\\alpha_1} \\\\href$")
    spans = mathjax_spans(to_html(notes))
    assert len(spans) == 6
    assert not unsafe(spans), spans
    assert "href" in spans[0] and "renewcommand" in spans[4]  # shown as letters, not lost
    assert "\\frac{a}{b} + \\sqrt{\\alpha_1} \\\\href" in spans[5]  # \\ then text: not a macro


def test_text_cannot_open_math_and_math_cannot_run_past_its_end():
    # \\( in markdown is a literal \( in the text; an unbalanced brace or a lone backslash at
    # the end would carry MathJax's search past our closing delimiter, to the next span's end
    for notes in ("\\\\(\\href{javascript:alert(1)}{x}\\\\)",
                  "$x{$ then \\href{javascript:alert(1)}{y} } and $z$",
                  "\\(x\\\\) then \\href{javascript:alert(1)}{y} and $z$",
                  "\\\\**(\\href{javascript:alert(1)}{x}\\\\)**"):
        html = to_html(notes) + inline_html(notes)
        assert not unsafe(mathjax_spans(html)), (notes, html)
    assert visible(to_html("a \\\\(b\\\\)")).replace("\u2060", "") == "a \\(b\\)\n"  # reads the same
