"""Hostile notes and files against the Anki package: nothing runs, nothing restyles the
page, no word is lost. Every attack goes through `deckgen build` and Anki's own importer;
one also through the real Anki desktop (MathJax typesetting) when it is installed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from test_anki import html_tags, import_apkg, rendered
from test_render import mathjax_spans, unsafe

pytest.importorskip("anki.collection", reason="the `anki` package (test extra) is not installed")

SHOT_TOOL = Path(__file__).resolve().parents[2] / "shared" / "tools" / "anki_desktop_shot.py"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.fixture
def col(tmp_path):
    from test_anki import new_collection

    collection = new_collection(tmp_path / "anki")
    yield collection
    collection.close()


def build(notes: Path, out: Path, *extra: str, name: str = "Sec") -> int:
    from deckgen.cli import main

    return main(["build", str(notes), "-o", str(out), "--name", name, "--only", "apkg", *extra])


def write_notes(tmp_path: Path, files: dict[str, str]) -> Path:
    notes = tmp_path / "notes"
    notes.mkdir(exist_ok=True)
    for name, text in files.items():
        (notes / name).write_text(text, encoding="utf-8")
    return notes


def assert_nothing_runs(sides: list[str]) -> None:
    for side in sides:
        for tag, attrs in html_tags(side):
            assert tag not in {"script", "iframe", "object", "embed", "style", "svg", "img", "form"}, (tag, side)
            assert not any(name.startswith("on") or name in ("style", "srcdoc") for name in attrs), attrs
            assert not re.match(r"\s*(javascript|vbscript|data):", attrs.get("href", ""), re.I), attrs


def sides(col) -> list[str]:
    return [side for _, q, a in rendered(col) for side in (q, a)]


def visible(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).replace("\u2060", "").split())


# --- HTML in the notes --------------------------------------------------------------------------

CHAT = """\
Q: What do <i>italic</i> and <b>bold</b> tags give?
A: Words in <u>underlined</u> and <span style="color:red">red</span>, an <img src="p.png" alt="chart">,
<script>alert(1)</script>, <a href="javascript:alert(2)" onclick="alert(3)">a link</a> and
<div onmouseover="alert(4)">a div</div>.

Q: What is a GPU?
A: A parallel processor.
"""


def test_html_policy_holds_through_build_and_import(tmp_path, col):
    notes = write_notes(tmp_path, {"chat.txt": CHAT})
    assert build(notes, tmp_path / "out") == 0
    import_apkg(col, tmp_path / "out" / "Sec.apkg")
    assert_nothing_runs(sides(col))
    [(_, question, answer), _] = rendered(col)
    assert "<em>italic</em>" in question and "<strong>bold</strong>" in question
    shown = visible(answer)
    for words in ("<u>underlined</u>", '<span style="color:red">red</span>', "[image: chart]",
                  "<script>alert(1)</script>", "a link", '<div onmouseover="alert(4)">a div</div>'):
        assert words in shown, words  # no word lost: what has no markdown equivalent is text


# --- MathJax ------------------------------------------------------------------------------------

MATH_ATTACKS = """\
# Notes \\(\\href{javascript:alert(1)}{heading}\\)

## Why is $\\href{javascript:alert(2)}{this}$ a question?

Overlay $\\style{position:fixed;top:0;left:0;width:100vw;height:100vh;background:red}{\\text{X}}$ and
$$\\class{evil}{a} + \\cssId{pwn}{b} + \\bbox[position:fixed;top:0]{c} + \\unicode{x263A} +
\\mmlToken{mi}[href="javascript:alert(3)"]{d} + \\def\\x{\\href}\\x{javascript:alert(4)}{e}$$

Text \\\\(\\href{javascript:alert(5)}{escaped}\\\\) and $x{$ then \\href{javascript:alert(6)}{y} } and $z$.
"""


def test_math_spans_anki_typesets_hold_no_dangerous_macro(tmp_path, col):
    notes = write_notes(tmp_path, {"m.md": MATH_ATTACKS})
    assert build(notes, tmp_path / "out") == 0
    import_apkg(col, tmp_path / "out" / "Sec.apkg")
    all_sides = sides(col)
    assert all_sides
    for side in all_sides:
        spans = mathjax_spans(side)
        assert not unsafe(spans), spans
    answer = all_sides[-1]
    assert len(mathjax_spans(answer)) >= 5 and "position:fixed" in visible(answer)  # shown, not applied


def _aqt_python() -> str | None:
    """A Python with Anki desktop (aqt): DECKGEN_AQT_PYTHON, or this one."""
    candidate = os.environ.get("DECKGEN_AQT_PYTHON") or sys.executable
    probe = subprocess.run([candidate, "-c", "import aqt"], capture_output=True)
    return candidate if probe.returncode == 0 else None


def test_real_anki_desktop_typesets_the_attacks_harmlessly(tmp_path):
    """MathJax as Anki desktop runs it (tex-chtml-full: every extension loaded)."""
    python = _aqt_python()
    if not SHOT_TOOL.is_file() or python is None:
        pytest.skip("needs ../shared/tools/anki_desktop_shot.py and Anki desktop (set DECKGEN_AQT_PYTHON "
                    "to a Python with aqt[qt6]; Xvfb installed)")
    notes = write_notes(tmp_path, {"m.md": MATH_ATTACKS})
    assert build(notes, tmp_path / "out") == 0
    shots = tmp_path / "shots"
    run = subprocess.run([sys.executable, str(SHOT_TOOL), str(tmp_path / "out" / "Sec.apkg"), "-o", str(shots),
                          "-n", "0", "--save-html", "--python", python], capture_output=True, text=True, timeout=300)
    if run.returncode == 3:
        pytest.skip(f"Anki desktop cannot start here: {run.stderr.strip().splitlines()[-1]}")
    assert run.returncode == 0, run.stderr
    index = json.loads((shots / "index.json").read_text(encoding="utf-8"))
    page = (shots / "001-a.html").read_text(encoding="utf-8")
    assert index["cards"][0]["answer_render"]["math"] >= 5  # MathJax did typeset our spans
    assert "mjx-container" in page
    assert not re.search(r"""href=["']?\s*javascript:""", page, re.I)
    assert not re.search(r"position:\s*(fixed|absolute)", " ".join(re.findall(r'style="([^"]*)"', page)))
    assert 'class="evil"' not in page and 'id="pwn"' not in page


# --- Anki's field syntax, bidi controls, remote images -----------------------------------------------

def test_type_marker_and_bidi_controls(tmp_path, col):
    notes = write_notes(tmp_path, {"bi\u202edi.md": (
        "# Sec\u2066tion\u2069 one\n\n"
        "## What does \u202eevil\u202c text hide?\n\n"
        "Type here: [[type:Answer]] and [[Type:Question]] and [sound:x.mp3].\n")})
    assert build(notes, tmp_path / "out", name="De\u202eck") == 0
    import_apkg(col, tmp_path / "out" / "Deck.apkg")  # no override in the file name either
    [(_, question, answer)] = rendered(col)
    assert "[[type:" not in answer.casefold() and "[[type:" not in question.casefold()
    assert "&#91;[type:Answer]]" in answer  # shown as typed, not an input box
    assert "What does evil text hide?" in question and "Section one" in question
    assert not any(ch in question + answer for ch in BIDI)
    decks = [d.name for d in col.decks.all_names_and_ids()]
    assert not any(ch in name for name in decks for ch in BIDI) and any(n.startswith("Deck::") for n in decks)


IMAGES = """Q: What does the loss curve look like?
A: See ![loss curve](https://example.org/loss.png) and <img src="https://example.org/acc.png" alt="accuracy">.

Q: What is a GPU?
A: A parallel processor.
"""


@pytest.mark.parametrize("remote", [False, True])
def test_web_images_load_only_when_asked(tmp_path, col, remote):
    notes = write_notes(tmp_path, {"img.txt": IMAGES})
    assert build(notes, tmp_path / "out", *(["--remote-images"] if remote else [])) == 0
    import_apkg(col, tmp_path / "out" / "Sec.apkg")
    answer = next(a for _, q, a in rendered(col) if "loss curve" in q)
    images = [a["src"] for t, a in html_tags(answer) if t == "img"]
    links = [a["href"] for t, a in html_tags(answer) if t == "a"]
    urls = ["https://example.org/loss.png", "https://example.org/acc.png"]
    assert (images, links) == ((urls, []) if remote else ([], urls))
    if not remote:
        assert "[image: loss curve]" in answer and "[image: accuracy]" in answer


# --- the id map is untrusted --------------------------------------------------------------------------

def test_one_ignored_map_entry_is_counted_in_the_singular(tmp_path, capsys):
    notes = write_notes(tmp_path, {"n.md": "## What is a GPU?\n\nA parallel processor.\n"})
    planted = {"format": "deckgen-anki-ids", "built": 1, "notes": [
        {"guid": '"><script>alert(7)</script>', "id": "0123456789abcdef", "source": "n.md", "question": "q"}]}
    (notes / "Sec.deckgen-ids.json").write_text(json.dumps(planted), encoding="utf-8")
    assert build(notes, tmp_path / "out") == 0
    assert "1 entry of the id map ignored (not what deckgen writes)" in capsys.readouterr().err


def test_planted_id_map_injects_nothing(tmp_path, col, capsys):
    notes = write_notes(tmp_path, {"n.md": "## What is a GPU?\n\nA parallel processor.\n"})
    good = {"guid": "abcdefghij", "id": "0123456789abcdef", "source": "n.md", "deck": "Sec::<script>x</script>",
            "question": "Planted <script>alert(1)</script> <img src=x onerror=alert(2)> question",
            "answer": "<img src=x onerror=alert(3)> \\(\\href{javascript:alert(4)}{y}\\)",
            "section": "<b onmouseover=alert(5)>s</b>", "tags": ["<svg/onload=alert(6)>"], "mod": 1, "hash": "ab"}
    planted = {"format": "deckgen-anki-ids", "built": 10 ** 13, "notes": [
        good,
        {**good, "guid": '"><script>alert(7)</script>'},    # not a GUID
        {**good, "guid": "klmnopqrst", "mod": 10 ** 13},    # a time from the far future
        {**good, "guid": "abcdefghij", "id": "feedfeedfeedfeed"},  # the same GUID twice
    ]}
    (notes / "Sec.deckgen-ids.json").write_text(json.dumps(planted), encoding="utf-8")
    assert build(notes, tmp_path / "out", "--export-retired") == 0
    assert "3 entries of the id map ignored" in capsys.readouterr().err
    log = import_apkg(col, tmp_path / "out" / "Sec.apkg")
    assert len(log.new) == 2  # the real card and the one valid planted entry, retired
    assert_nothing_runs(sides(col))
    for side in sides(col):
        assert not unsafe(mathjax_spans(side))
    retired = [a for _, q, a in rendered(col) if "Planted" in q]
    assert retired and "&lt;script&gt;alert(1)&lt;/script&gt;" in retired[0]  # the question, as text
    assert "No longer in your notes" in retired[0]
    decks = {d.name for d in col.decks.all_names_and_ids()}
    assert "Sec::<script>x</script>" in decks or "Sec" in decks  # a deck under ours, as plain text
    ids = json.loads((notes / "Sec.deckgen-ids.json").read_text(encoding="utf-8"))
    assert ids["built"] < 10 ** 12 and {e["guid"] for e in ids["notes"]} >= {"abcdefghij"}


def _plant_in_package(package: Path, question: str, answer: str) -> None:
    """Rewrite the fields of every note in a package, the way a hostile file would."""
    import sqlite3
    import tempfile
    import zipfile

    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(package) as z:
            db = Path(z.extract("collection.anki2", tmp))
        conn = sqlite3.connect(db)
        for nid, flds in conn.execute("SELECT id, flds FROM notes").fetchall():
            fields = flds.split("\x1f")
            fields[0], fields[1] = question, answer
            conn.execute("UPDATE notes SET flds = ? WHERE id = ?", ("\x1f".join(fields), nid))
        conn.commit()
        conn.close()
        with zipfile.ZipFile(package, "w") as z:
            z.write(db, "collection.anki2")
            z.writestr("media", "{}")


def test_planted_package_injects_nothing_when_guids_are_recovered(tmp_path, col, capsys):
    notes = write_notes(tmp_path, {"n.md": "## What is a GPU?\n\nA parallel processor.\n\n"
                                           "## What is a TPU?\n\nA tensor processor.\n"})
    out = tmp_path / "out"
    assert build(notes, out) == 0
    _plant_in_package(out / "Sec.apkg", '<img src=x onerror="alert(1)">\\(\\href{javascript:alert(2)}{q}\\)',
                      "<script>alert(3)</script><a href='javascript:alert(4)'>a</a>")
    (notes / "Sec.deckgen-ids.json").unlink()
    (notes / "n.md").write_text("## What is a GPU?\n\nA parallel processor.\n", encoding="utf-8")
    assert build(notes, out, "--export-retired") == 0
    assert "GUIDs recovered from" in capsys.readouterr().out
    import_apkg(col, out / "Sec.apkg")
    assert col.note_count() == 2  # the GPU card and the retired TPU card, no duplicate
    assert_nothing_runs(sides(col))
    assert not any(unsafe(mathjax_spans(side)) for side in sides(col))
    retired = [a for _, _, a in rendered(col) if "No longer in your notes" in a]
    # the package holds HTML: its tags are markup, only its text comes back
    assert retired and '<div class="dg-retired">alert(3)a</div>' in retired[0]
