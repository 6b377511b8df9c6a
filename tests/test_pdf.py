"""The printable PDFs, checked by reading them back with pypdf."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

pypdf = pytest.importorskip("pypdf")

from deckgen.card import Card  # noqa: E402
from deckgen.writers.pdf import PdfOptions, parse_grid, pdf_paths, write_cheatsheet_pdf, write_flashcards_pdf  # noqa: E402
from deckgen.writers.pdf_flashcards import MARGIN  # noqa: E402
from deckgen.writers.pdf_fonts import fonts, printable  # noqa: E402


def squash(text: str) -> str:
    """Text without any whitespace: line breaks fall anywhere in a narrow column."""
    return re.sub(r"\s+", "", text)


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages)


def positions(page) -> list[tuple[str, float, float]]:
    """(text, x, y) of every text run on a page, in page coordinates."""
    runs = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((text, x, y))

    page.extract_text(visitor_text=visit)
    return runs


def find(page, token: str) -> tuple[float, float]:
    hits = [(x, y) for text, x, y in positions(page) if token in text]
    assert hits, f"{token} not found on the page"
    return hits[0]


def printed_sizes(path, pattern: str) -> list[float]:
    """The text size as printed (font size times the text and page scales) of every
    run matching `pattern` on the card pages."""
    sizes = []

    def visit(text, cm, tm, _font, size):
        if re.search(pattern, text):
            sizes.append(size * (tm[0] or 1) * (cm[0] or 1))

    for page in pypdf.PdfReader(str(path)).pages[2:]:
        page.extract_text(visitor_text=visit)
    return sizes


def make_cards() -> list[Card]:
    """Our own small deck: two files, sections, lists, code, math, Unicode."""
    return [
        Card("Why does dropout reduce overfitting?",
             "It trains a **thinned** network each step:\n\n- units are dropped at random\n"
             "  - so no unit can rely on another\n- at test time weights are scaled\n",
             source="alpha.md", line=3, section=("Regularization",), difficulty="easy"),
        Card("Which symbols survive: α β γ → ≤ ≥ ✓ “smart” ‘quotes’?",
             "Greek α, β and arrows ⇒ ← render; so do ≤ and ≥ ✓. An emoji 🚀 falls back.",
             source="alpha.md", line=9, section=("Regularization",)),
        Card("How do you write a numerically stable softmax?",
             "Subtract the max first:\n\n```python\ndef softmax(z):\n    shifted = z - z.max()\n"
             "    e = np.exp(shifted)\n    return e / e.sum()\n```\n",
             source="alpha.md", line=20, section=("Code", "NumPy"), kind="code"),
        Card("What is the cross-entropy loss?", r"$L = -\sum_{i=1}^{n} y_i \log p_i$ and $\alpha \le 1$.",
             source="beta.md", line=4, section=("Losses",), difficulty="hard"),
        Card("Is <b>markup</b> & <font> escaped in a question?", "Yes: <i>this</i> & <br/> stay literal text.",
             source="beta.md", line=8, section=("Losses",)),
        Card("What is an open question with no answer yet?", "", source="beta.md", line=12,
             section=("Losses",), answered=False),
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    cards = make_cards()
    sheet, flash = pdf_paths(out, "Test Deck")
    options = PdfOptions(title="Test Deck", include_unanswered=True)
    write_cheatsheet_pdf(cards, sheet, options)
    write_flashcards_pdf(cards, flash, options)
    return cards, sheet, flash


def test_every_answered_question_is_in_both_pdfs(built):
    cards, sheet, flash = built
    for path in (sheet, flash):
        text = squash(pdf_text(path))
        for card in cards:
            if card.answered:
                assert squash(printable(card.question, fonts().bold)) in text, (path.name, card.question)


def test_unanswered_only_in_the_appendix_when_asked(built, tmp_path):
    cards, sheet, flash = built
    open_question = squash(cards[-1].question)
    assert open_question in squash(pdf_text(sheet))
    assert "Appendix" in pdf_text(sheet)
    assert open_question not in squash(pdf_text(flash))
    plain = tmp_path / "plain.pdf"
    write_cheatsheet_pdf(cards, plain, PdfOptions())
    assert open_question not in squash(pdf_text(plain))


def test_unicode_survives_and_fonts_are_embedded(built):
    _cards, sheet, flash = built
    if fonts().degraded:
        pytest.skip("no DejaVu font on this machine: the Latin-only fallback spells symbols out")
    for path in (sheet, flash):
        text = pdf_text(path)
        for symbol in ("α", "β", "→", "≤", "≥", "✓", "“smart”", "⇒"):
            assert symbol in text, (path.name, symbol)
        assert "🚀" in text or "[rocket]" in text
        reader = pypdf.PdfReader(str(path))
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descendant = font.get("/DescendantFonts")
                descriptor = (descendant[0].get_object() if descendant else font).get("/FontDescriptor")
                assert descriptor is not None and "/FontFile2" in descriptor.get_object(), font["/BaseFont"]


def test_markup_in_sources_is_shown_literally(built):
    _cards, sheet, flash = built
    for path in (sheet, flash):
        text = pdf_text(path)
        assert "<b>markup</b> & <font>" in text
        assert "<i>this</i> & <br/>" in text


def test_code_keeps_lines_and_indentation(built):
    _cards, sheet, _flash = built
    lines = pdf_text(sheet).splitlines()
    start = next(i for i, line in enumerate(lines) if "def softmax(z):" in line)
    assert lines[start + 1].startswith("    shifted = z - z.max()")
    assert lines[start + 3].startswith("    return e / e.sum()")


def test_math_becomes_readable_unicode(built):
    _cards, sheet, _flash = built
    text = pdf_text(sheet)
    assert "∑" in text and "\\sum" not in text and "\\alpha" not in text


def test_outline_and_contents(built, tmp_path):
    _cards, sheet, _flash = built
    reader = pypdf.PdfReader(str(sheet))

    def outline(reader):
        titles = []

        def walk(items, depth):
            for item in items:
                if isinstance(item, list):
                    walk(item, depth + 1)
                else:
                    titles.append((depth, item.title, reader.get_destination_page_number(item)))

        walk(reader.outline, 0)
        return titles

    titles = [(d, t) for d, t, _ in outline(reader)]
    assert (0, "alpha.md") in titles and (1, "Code › NumPy") in titles
    assert titles.index((0, "alpha.md")) < titles.index((0, "beta.md"))

    # a deck over several pages: the contents give each collection the page its heading is on
    filler = " ".join(["the gradient flows backwards through every layer of the network"] * 6)
    cards = [Card(f"Question {n} in {name}?", filler, source=name, section=(f"Part {n // 10}",))
             for name in ("one.md", "two.md", "three.md") for n in range(40)]
    path = tmp_path / "long.pdf"
    write_cheatsheet_pdf(cards, path, PdfOptions())
    reader = pypdf.PdfReader(str(path))
    runs = positions(reader.pages[0])
    checked = 0
    for depth, title, page in outline(reader):
        if depth:
            continue
        y = next(yy for text, _x, yy in runs if text.strip() == title)
        # the page number ends the dot leader on the title's line
        numbers = [int(m.group(1)) for text, _x, yy in runs
                   if abs(yy - y) < 1 and (m := re.search(r"\.\s*(\d+)\s*$", text))]
        assert numbers == [page + 1], title
        assert title in reader.pages[page].extract_text()
        checked += 1
    assert checked == 3 and len(reader.pages) > 3


def test_long_code_lines_wrap_instead_of_overflowing(tmp_path):
    long_line = "x = [" + ", ".join(f"item{i:03d}" for i in range(60)) + "]"
    card = Card("What does a very long code line look like?", f"```\n{long_line}\n```", source="c.md")
    path = tmp_path / "sheet.pdf"
    write_cheatsheet_pdf([card], path, PdfOptions())
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from deckgen.writers.pdf_cheatsheet import MARGIN as SHEET_MARGIN

    page = pypdf.PdfReader(str(path)).pages[0]
    width = float(page.mediabox.width)
    runs = []

    def visit(text, cm, tm, _font, size):
        if "item" in text:
            x = tm[4] * cm[0] + cm[4]
            runs.append((x, x + stringWidth(text.rstrip("\n"), fonts().mono, size * (tm[0] or 1))))

    page.extract_text(visitor_text=visit)
    assert len(runs) > 1  # wrapped onto several lines
    for start, end in runs:  # each line stays inside its column
        assert end <= (width / 2 if start < width / 2 else width - SHEET_MARGIN) + 0.5
    assert long_line in pdf_text(path).replace("\n", "").replace("↪", "")


@pytest.mark.parametrize("grid,short_edge", [((2, 4), False), ((3, 2), False), ((2, 3), True)])
def test_each_answer_prints_behind_its_question(tmp_path, grid, short_edge):
    cols, rows = grid
    count = cols * rows + 2  # a second sheet too
    cards = [Card(f"Question QZ{k:02d} about duplex?", f"Answer AZ{k:02d} on the back.", source="d.md",
                  line=k) for k in range(count)]
    path = tmp_path / "cards.pdf"
    options = PdfOptions(grid=grid, short_edge=short_edge)
    write_flashcards_pdf(cards, path, options)
    reader = pypdf.PdfReader(str(path))
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    cell_w, cell_h = (width - 2 * MARGIN) / cols, (height - 2 * MARGIN) / rows

    def cell(x, y):
        return int((x - MARGIN) // cell_w), int((height - MARGIN - y) // cell_h)

    assert "duplex" in reader.pages[0].extract_text().lower()
    for k in range(count):
        sheet, slot = divmod(k, cols * rows)
        front_page, back_page = reader.pages[2 + 2 * sheet], reader.pages[3 + 2 * sheet]
        col, row = cell(*find(front_page, f"QZ{k:02d}"))
        assert (col, row) == (slot % cols, slot // cols)
        back = cell(*find(back_page, f"AZ{k:02d}"))
        assert back == ((col, rows - 1 - row) if short_edge else (cols - 1 - col, row))


def test_a_very_long_answer_continues_on_marked_overflow_cards(tmp_path):
    items = "\n".join(f"- point P{i:03d} keeps explaining the idea with more words than fit" for i in range(160))
    cards = [Card("Short one?", "Short answer.", source="o.md"),
             Card("What needs a very long answer?", items, source="o.md"),
             Card("And after it?", "Another short answer.", source="o.md")]
    path = tmp_path / "cards.pdf"
    write_flashcards_pdf(cards, path, PdfOptions(min_size=6.5))
    text = pdf_text(path)
    squashed = squash(text)
    for i in range(160):  # nothing cut off
        assert f"P{i:03d}" in squashed
    parts = re.findall(r"continued (\d+)/(\d+)", text)
    assert parts and int(parts[0][1]) >= 2
    assert "continues on the next card" in text
    # the question is repeated on every overflow card's front
    assert squashed.count(squash("What needs a very long answer?")) >= int(parts[0][1])

    sizes = printed_sizes(path, r"P\d{3}")
    assert min(sizes) >= 6.5 - 0.01  # shrunk no further than the readable minimum


def test_grid_option_parsing():
    assert parse_grid("3x5") == (3, 5)
    assert parse_grid("2×4") == (2, 4)
    for bad in ("3", "0x2", "axb", "9x9"):
        with pytest.raises(ValueError):
            parse_grid(bad)


def test_build_command_writes_both_pdfs(tmp_path):
    from deckgen.cli import main

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "gamma.md").write_text(
        "# Trees\n\n## Q: What does a decision tree split on?\n\nThe feature that lowers impurity most.\n\n"
        "## Q: Why prune a tree?\n\nTo stop it memorising noise.\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["build", str(notes), "-o", str(out), "--name", "Trees", "--only", "cheatsheet",
                 "--only", "cards", "--paper", "letter", "--landscape", "--grid", "3x3", "--short-edge"])
    assert code == 0
    sheet, flash = out / "Trees-cheatsheet.pdf", out / "Trees-cards.pdf"
    assert sheet.exists() and flash.exists() and not (out / "Trees.apkg").exists()
    sheet_page = pypdf.PdfReader(str(sheet)).pages[0].mediabox
    assert (round(float(sheet_page.width)), round(float(sheet_page.height))) == (792, 612)  # letter landscape
    flash_page = pypdf.PdfReader(str(flash)).pages[0].mediabox
    assert (round(float(flash_page.width)), round(float(flash_page.height))) == (612, 792)
    assert "short edge" in pdf_text(flash).lower()


def test_failed_write_keeps_the_old_file(tmp_path):
    path = tmp_path / "sheet.pdf"
    path.write_bytes(b"old")
    with pytest.raises(ValueError):
        write_cheatsheet_pdf(make_cards(), path, replace(PdfOptions(), paper="a3"))
    assert path.read_bytes() == b"old"


def test_every_answered_seed_question_is_in_both_pdfs(seeds_dir, tmp_path):
    from deckgen import deck as deckmod

    deck = deckmod.load([seeds_dir])
    answered = [c for c in deck.cards if c.answered]
    assert answered
    sheet, flash = pdf_paths(tmp_path, "Seeds")
    write_cheatsheet_pdf(deck.cards, sheet, PdfOptions())
    write_flashcards_pdf(deck.cards, flash, PdfOptions())
    for path in (sheet, flash):
        text = squash(pdf_text(path))
        missing = [c.question for c in answered if squash(printable(c.question, fonts().bold)) not in text]
        assert not missing, (path.name, len(missing), missing[:5])


def test_names_with_markup_characters(tmp_path):
    cards = [Card("What about R&D?", "An answer with <angle> brackets & ampersands.", source="R&D <notes>.md",
                  section=("Q&A <part>",))]
    path = tmp_path / "sheet.pdf"
    write_cheatsheet_pdf(cards, path, PdfOptions())
    reader = pypdf.PdfReader(str(path))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "R&D <notes>.md" in titles
    text = pdf_text(path)
    assert "R&D <notes>.md" in text and "Q&A <part>" in text and "<angle> brackets & ampersands" in text


@pytest.mark.parametrize("tex,text", [
    (r"\alpha + \beta \le \gamma", "α + β ≤ γ"),
    (r"\sum_{i=1}^{n} x_i^{2}", "∑ᵢ₌₁ⁿ xᵢ²"),
    (r"\frac{1}{1+e^{-x}}", "1/(1+e⁻ˣ)"),
    (r"\|w\|_2", "‖w‖₂"),
    (r"\frac{a", r"\frac{a"),  # malformed: shown as written, never raised
])
def test_latex_becomes_unicode(tex, text):
    from deckgen.writers.pdf_math import latex_to_text

    assert latex_to_text(tex) == text


def test_blocks_taller_than_a_page_or_card_do_not_break_the_build(tmp_path):
    huge_cell = " ".join(f"cell{i:04d}" for i in range(1500))
    cards = [Card("A table with one enormous cell?", f"| a | b |\n|---|---|\n| {huge_cell} | end |\n",
                  source="t.md"),
             Card("Why is this question so long " + "and longer " * 150 + "?", "Short.", source="t.md")]
    for write in (write_cheatsheet_pdf, write_flashcards_pdf):
        path = tmp_path / f"{write.__name__}.pdf"
        write(cards, path, PdfOptions())
        text = squash(pdf_text(path))
        assert "cell0000" in text and "cell1499" in text and "end" in text


def test_an_answer_too_long_for_the_largest_size_prints_smaller_but_readable(tmp_path):
    answer = " ".join(f"W{i:03d} word" for i in range(120))  # fits one card, not at 9.5 pt
    path = tmp_path / "cards.pdf"
    write_flashcards_pdf([Card("Medium?", answer, source="m.md")], path, PdfOptions())
    sizes = printed_sizes(path, r"W\d{3}")
    assert sizes and 6.5 - 0.01 <= min(sizes) and max(sizes) < 9.5 - 0.01
    assert len(pypdf.PdfReader(str(path)).pages) == 4  # instructions, blank, one front, one back
    assert all(f"W{i:03d}" in squash(pdf_text(path)) for i in range(120))


@pytest.mark.parametrize("code", [False, True])
def test_a_very_long_paragraph_or_code_block_is_printed_whole_and_in_order(tmp_path, code):
    words = [f"V{i:05d}" for i in range(9000)]  # about 63 KB, cut into pieces before wrapping
    answer = ("```\n" + "\n".join(" ".join(words[i:i + 9]) for i in range(0, len(words), 9)) + "\n```"
              if code else " ".join(words) + ".")
    card = Card("What does the long note say?", answer, source="long.md")
    for write in (write_cheatsheet_pdf, write_flashcards_pdf):
        path = tmp_path / f"{write.__name__}.pdf"
        write([card], path, PdfOptions())
        found = re.findall(r"V\d{5}", pdf_text(path))
        assert found == words, write.__name__


def test_long_paragraph_pieces_keep_their_markup_balanced():
    from reportlab.platypus import Paragraph

    from deckgen.writers.pdf_markdown import paragraph_style, split_markup

    face = fonts().mono
    markup = "<i>" + " ".join(f"<b>bold {i} &amp; more</b> plain. <font face=\"{face}\">code {i} x</font>"
                              for i in range(400)) + "</i>"  # the italics span every cut
    pieces = split_markup(markup, 2000)
    assert len(pieces) > 5 and all(len(p) < 2300 for p in pieces)
    for piece in pieces:  # reportlab refuses unbalanced markup
        Paragraph(piece, paragraph_style(8.0))
    strip = re.compile(r"<[^>]+>")
    assert squash(strip.sub("", "".join(pieces))) == squash(strip.sub("", markup))


def test_a_changed_answer_is_laid_out_again_and_unchanged_ones_are_reused(tmp_path, monkeypatch):
    import json

    from deckgen.parse_cache import cache_dir
    from deckgen.writers import pdf_flashcards

    cards = [Card(f"Question {k}?", f"Answer {k} " + "filler words " * (20 * k), source="c.md", line=k)
             for k in range(1, 9)]
    first, second, cold = tmp_path / "1.pdf", tmp_path / "2.pdf", tmp_path / "3.pdf"
    write_flashcards_pdf(cards, first, PdfOptions())
    stored = json.loads((cache_dir() / "pdf-sizes.json").read_text(encoding="utf-8"))
    assert len(stored["entries"]) == len(cards)

    chosen = []
    choose = pdf_flashcards._choose_size
    monkeypatch.setattr(pdf_flashcards, "_choose_size", lambda layout: chosen.append(layout) or choose(layout))
    cards[7] = replace(cards[7], answer="Now a short answer CHANGED7.")
    write_flashcards_pdf(cards, second, PdfOptions())
    assert len(chosen) == 1  # only the changed answer was measured again
    write_flashcards_pdf(cards, cold, PdfOptions(cache=False))
    assert len(chosen) == 1 + len(cards)
    text = pdf_text(second)
    assert "CHANGED7" in text and "filler words filler words" in text
    assert squash(text) == squash(pdf_text(cold))  # the cache changes nothing that is printed
    assert "Answer 8 filler" in pdf_text(first) and "Answer 8 filler" not in text


def test_a_broken_cache_is_ignored(tmp_path):
    from deckgen.parse_cache import cache_dir

    cards = make_cards()
    write_cheatsheet_pdf(cards, tmp_path / "a.pdf", PdfOptions())
    write_flashcards_pdf(cards, tmp_path / "a-cards.pdf", PdfOptions())
    for name in ("pdf-blocks.json", "pdf-sizes.json"):
        (cache_dir() / name).write_text('{"fingerprint": 1, "entries": [', encoding="utf-8")
    from deckgen.writers import pdf_markdown

    pdf_markdown._KNOWN.clear()  # as in a new process
    write_cheatsheet_pdf(cards, tmp_path / "b.pdf", PdfOptions())
    write_flashcards_pdf(cards, tmp_path / "b-cards.pdf", PdfOptions())
    assert pdf_text(tmp_path / "a.pdf") == pdf_text(tmp_path / "b.pdf")
    assert pdf_text(tmp_path / "a-cards.pdf") == pdf_text(tmp_path / "b-cards.pdf")


def test_write_pdfs_writes_both_and_reports_them_in_order(tmp_path):
    from deckgen.writers.pdf import write_pdfs

    cards = make_cards()
    sheet, flash = pdf_paths(tmp_path, "Both")
    results = write_pdfs(cards, [("cheatsheet", sheet), ("cards", flash)], PdfOptions())
    assert [r.path for r in results] == [sheet, flash]
    assert [r.pages for r in results] == [len(pypdf.PdfReader(str(p)).pages) for p in (sheet, flash)]
    assert "cut along the marks" in pdf_text(flash).lower() and "Contents" in pdf_text(sheet)
    alone = write_pdfs(cards, [("cards", tmp_path / "alone.pdf")], PdfOptions())
    assert alone[0].pages == results[1].pages
    with pytest.raises(ValueError):
        write_pdfs(cards, [("poster", tmp_path / "x.pdf")], PdfOptions())


@pytest.mark.parametrize("bullet", [None, "•"])
def test_split_parts_have_the_lines_reportlab_would_break_afresh(bullet):
    """A split paragraph's parts keep their share of its lines; each share must be
    exactly what breaking that part's own text again gives (and draw the same)."""
    from reportlab.platypus import Paragraph

    from deckgen.writers.pdf_flowables import Para
    from deckgen.writers.pdf_markdown import paragraph_style

    words = ("a splitting test with words of uneven length like regularization and a "
             "supercalifragilisticexpialidociouslylongword to break ").split()
    text = " ".join(words[i % len(words)] for i in range(400))
    style = paragraph_style(8, "body", 10 if bullet else 0)
    para = Para(text, style, bulletText=bullet)
    _w, height = para.wrap(150, 10_000)
    first, rest = para.split(150, height / 3)
    for part in (first, rest):
        fresh = Paragraph(None, part.style, bulletText=part.bulletText, frags=part.frags)
        assert part.wrap(150, 10_000)[1] == fresh.wrap(150, 10_000)[1]
        assert [line[1] for line in part.blPara.lines] == [line[1] for line in fresh.blPara.lines]
    assert len(first.blPara.lines) + len(rest.blPara.lines) == len(para.blPara.lines)


def test_paginate_stopped_early_agrees_with_the_whole_pagination():
    """`most` only cuts the work short: up to `most` chunks the result is the same
    chunks; beyond, it says "more than `most`" (most + 1 entries)."""
    from deckgen.writers.pdf_flashcards import paginate
    from deckgen.writers.pdf_markdown import answer_flowables

    answer = "\n\n".join(f"Paragraph {i}: " + "gradient descent with momentum " * 30 for i in range(12))
    whole = paginate(answer_flowables(answer, 8, 200), 200, 300)
    assert len(whole) > 3
    for most in (1, 2, len(whole) - 1):
        assert len(paginate(answer_flowables(answer, 8, 200), 200, 300, most)) == most + 1
    for most in (len(whole), len(whole) + 3):
        again = paginate(answer_flowables(answer, 8, 200), 200, 300, most)
        assert [[f.getPlainText() for f in chunk] for chunk in again] == \
            [[f.getPlainText() for f in chunk] for chunk in whole]


def test_an_unchanged_cheat_sheet_is_built_in_one_pass_with_the_right_page_numbers(tmp_path, monkeypatch):
    import json

    from deckgen.parse_cache import cache_dir
    from deckgen.writers import pdf_cheatsheet

    passes = []
    before = pdf_cheatsheet.CheatSheetDoc.beforeDocument
    monkeypatch.setattr(pdf_cheatsheet.CheatSheetDoc, "beforeDocument", lambda doc: passes.append(1) or before(doc))
    # enough cards for several pages, so the contents has numbers other than 1 and 2
    cards = make_cards() + [Card(f"Filler question {k}?", "filler answer words " * 60, source=f"f{k % 3}.md",
                                 line=k, section=(f"Part {k % 4}",)) for k in range(120)]

    def build(name, options=PdfOptions()):
        passes.clear()
        write_cheatsheet_pdf(cards, tmp_path / name, options)
        return len(passes), pdf_text(tmp_path / name)

    cold_passes, cold = build("cold.pdf", PdfOptions(cache=False))
    assert cold_passes == 2 and len(pypdf.PdfReader(str(tmp_path / "cold.pdf")).pages) > 4
    assert build("first.pdf") == (2, cold)
    assert build("again.pdf") == (1, cold)  # the page numbers came from the cache

    store = cache_dir() / "pdf-contents.json"
    data = json.loads(store.read_text(encoding="utf-8"))
    (entry, pages), = data["entries"].items()
    data["entries"][entry] = [page + 7 for page in pages]  # wrong numbers: found out, laid out again
    store.write_text(json.dumps(data), encoding="utf-8")
    assert build("wrong.pdf") == (2, cold)

    cards[3] = replace(cards[3], answer="A changed answer CHANGED3, " + "much longer " * 400)
    changed_passes, changed = build("changed.pdf")
    assert changed_passes == 2 and "CHANGED3" in changed
    assert build("changed-cold.pdf", PdfOptions(cache=False))[1] == changed
