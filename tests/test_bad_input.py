"""Bad input is normal: every broken file gets a diagnostic naming it, the good files
beside it still give their cards, and nothing raises."""

import json

import pytest

from deckgen import deck

GOOD = "# Notes\n\n## What is a confusion matrix?\n\nA table of predicted against actual classes.\n"
RULE = "-" * 80


def load_folder(tmp_path, files: dict[str, bytes | str]):
    for name, data in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    return deck.load([tmp_path])


def diagnostics_for(result, name):
    return [d for d in result.diagnostics if d.file.split("::")[0] == name]


def good_cards_survive(result):
    questions = [c.question for c in result.cards if c.source == "good.md"]
    assert "What is a confusion matrix?" in questions


def test_binary_file_is_reported_and_skipped(tmp_path):
    png_like = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    result = load_folder(tmp_path, {"good.md": GOOD, "figure.dat": png_like})
    (problem,) = diagnostics_for(result, "figure.dat")
    assert problem.severity == "error" and "binary" in problem.message
    assert not next(f for f in result.files if f.path == "figure.dat").readable
    good_cards_survive(result)


def test_invalid_utf8_names_the_line_and_still_reads(tmp_path):
    text = "# Notes\n\n## What is an outlier?\n\nA point far from the others, caf\xe9 style.\n"
    result = load_folder(tmp_path, {"good.md": GOOD, "latin.md": text.encode("latin-1")})
    (problem,) = diagnostics_for(result, "latin.md")
    assert problem.line == 5 and "UTF-8" in problem.message
    outlier = next(c for c in result.cards if c.source == "latin.md" and "outlier" in c.question)
    assert "café" in outlier.answer
    good_cards_survive(result)


@pytest.mark.parametrize("content", [b"", b"   \n\n\t\n"])
def test_empty_file_is_reported(tmp_path, content):
    result = load_folder(tmp_path, {"good.md": GOOD, "empty.md": content})
    (problem,) = diagnostics_for(result, "empty.md")
    assert "empty" in problem.message
    assert next(f for f in result.files if f.path == "empty.md").cards == 0
    good_cards_survive(result)


def test_truncated_dump_reports_the_cut_and_keeps_what_arrived(tmp_path):
    inner = ["# Sampling", "", "## What is stratified sampling?", "",
             "Sampling each class in proportion to its share of the population.",
             "", "## What is reservoir sampling?", "", "Keeping a uniform sample of k items from a stre"]
    dump = "├── sampling.md\n" + f"/sampling.md: {RULE}\n" + "\n".join(
        f"{n} | {line}".rstrip() for n, line in enumerate(inner, 1))
    result = load_folder(tmp_path, {"good.md": GOOD, "dump.txt": dump})
    problems = diagnostics_for(result, "dump.txt")
    assert any("truncated" in d.message and d.line for d in problems)
    questions = [c.question for c in result.cards if c.source.startswith("dump.txt")]
    assert "What is stratified sampling?" in questions
    good_cards_survive(result)


def test_notebook_with_invalid_json_names_file_and_line(tmp_path):
    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["## Euclidean distance"]},
             {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 1,
              "source": ["def dist(a, b):\n", "    return sum((x - y) ** 2 for x, y in zip(a, b)) ** 0.5"]}]
    text = json.dumps({"cells": cells, "nbformat": 4}, indent=1)
    broken = text.replace('"outputs": [],', '"outputs": [,')  # a stray comma, as a bad merge leaves
    result = load_folder(tmp_path, {"good.md": GOOD, "distance.ipynb": broken})
    problems = diagnostics_for(result, "distance.ipynb")
    assert any("JSON" in d.message and d.line for d in problems)
    (card,) = [c for c in result.cards if c.source == "distance.ipynb"]
    assert card.kind == "code" and "return sum((x - y)" in card.answer
    good_cards_survive(result)


def test_fifty_megabyte_file_is_reported_not_fatal(tmp_path):
    block = ("## What is a learning curve?\n\nScore against training-set size.\n\n" * 1000).encode()
    with open(tmp_path / "huge.md", "wb") as out:
        while out.tell() < 50 * 1024 * 1024:
            out.write(block)
    result = load_folder(tmp_path, {"good.md": GOOD})
    problems = diagnostics_for(result, "huge.md")
    assert problems and all(d.file == "huge.md" for d in problems)
    assert any("large" in d.message for d in problems)
    good_cards_survive(result)


def test_thousands_of_files_all_read(tmp_path):
    for i in range(2500):
        folder = tmp_path / f"topic{i % 25:02d}"
        folder.mkdir(exist_ok=True)
        (folder / f"note{i:04d}.md").write_text(
            f"# Note {i}\n\n## What is fact number {i}?\n\nFact {i} is an answer of our own.\n", encoding="utf-8")
    result = deck.load([tmp_path])
    assert len(result.files) == 2500
    assert result.diagnostics == []
    asked = {c.question for c in result.cards if c.question.startswith("What is fact number")}
    assert len(asked) == 2500
    assert len({c.id for c in result.cards}) == len(result.cards)


def test_missing_path_is_a_diagnostic_not_an_exception(tmp_path):
    result = deck.load([tmp_path / "nowhere.md"])
    (problem,) = result.diagnostics
    assert problem.file == "nowhere.md" and problem.severity == "error"


def test_several_bad_files_together_do_not_hide_each_other(tmp_path):
    result = load_folder(tmp_path, {
        "good.md": GOOD, "a.bin": b"\x00\x01\x02" * 100, "b.md": b"", "c.ipynb": '{"cells": [',
        "d.md": "## What is a hyperparameter?\n\nA setting chosen before training.\n".encode("cp1252") + b"\x81\n"})
    for name in ("a.bin", "b.md", "c.ipynb", "d.md"):
        assert diagnostics_for(result, name), name
    assert "What is a hyperparameter?" in [c.question for c in result.cards]
    good_cards_survive(result)
