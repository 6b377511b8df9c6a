"""The command line through its real entry point: `python -m deckgen ...` in a subprocess."""

import csv
import io
import json
import os
import re
import subprocess
import sys

import pytest

from deckgen import __version__
from deckgen.cli import build_parser

EXPORT_KEYS = ["id", "question", "answer", "source", "line", "section", "tags", "difficulty", "kind", "answered"]

NOTES = """# Statistics

## What is a p-value?

The probability, under the null hypothesis, of a result at least as extreme as the one observed.

## What is a confidence interval?

A range built so that, over repeated samples, it covers the true value a chosen share of the time.
"""
NOTEBOOK = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["## Z-score"]},
                      {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 1,
                       "source": ["def zscore(x, mean, std):\n", "    return (x - mean) / std"]}],
            "nbformat": 4, "nbformat_minor": 5}


def run(*args, cwd=None, env_home=None, columns=200):
    env = dict(os.environ, COLUMNS=str(columns), NO_COLOR="1", TERM="dumb")
    if env_home:
        env["HOME"] = str(env_home)
        env["XDG_DATA_HOME"] = str(env_home / "data")
        env["XDG_CONFIG_HOME"] = str(env_home / "config")
    return subprocess.run([sys.executable, "-m", "deckgen", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=300)


@pytest.fixture
def notes(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "stats.md").write_text(NOTES, encoding="utf-8")
    (folder / "coding.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    return folder


def test_export_jsonl_has_exactly_the_promised_keys(notes, tmp_path):
    out = tmp_path / "cards.jsonl"
    result = run("export", notes, "--format", "jsonl", "-o", out)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records and all(list(r) == EXPORT_KEYS for r in records)
    by_question = {r["question"]: r for r in records}
    pvalue = by_question["What is a p-value?"]
    assert pvalue["source"] == "stats.md" and pvalue["line"] == 3 and pvalue["answered"] is True
    assert pvalue["answer"].startswith("The probability, under the null hypothesis")
    code = next(r for r in records if r["kind"] == "code")
    assert code["source"] == "coding.ipynb" and "def zscore" in code["answer"]
    assert f"wrote {len(records)} records" in result.stderr


def test_export_to_stdout_and_csv_header(notes):
    result = run("export", notes, "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and list(rows[0]) == EXPORT_KEYS
    assert {"What is a p-value?", "What is a confidence interval?"} <= {r["question"] for r in rows}


def test_export_ids_are_stable_across_runs(notes):
    first = [json.loads(line)["id"] for line in run("export", notes).stdout.splitlines()]
    second = [json.loads(line)["id"] for line in run("export", notes).stdout.splitlines()]
    assert first and first == second and len(set(first)) == len(first)


def test_check_table_and_exit_code_one_for_unreadable_file(notes):
    ok = run("check", notes)
    assert ok.returncode == 0, ok.stderr
    assert "stats.md" in ok.stdout and "coding.ipynb" in ok.stdout and "0 unreadable" in ok.stdout
    (notes / "scan.bin").write_bytes(b"\x00\xff\x10" * 300)
    bad = run("check", notes)
    assert bad.returncode == 1
    assert "scan.bin" in bad.stdout and "unreadable" in bad.stdout and "1 unreadable" in bad.stdout
    assert "binary" in bad.stdout


def test_list_filters_by_tag_and_search(notes):
    tagged = run("list", notes, "--tag", "source::coding")
    assert tagged.returncode == 0, tagged.stderr
    assert "zscore" in tagged.stdout.casefold() or "z-score" in tagged.stdout.casefold()
    assert "p-value" not in tagged.stdout
    found = run("list", notes, "--search", "repeated", "samples")
    assert "What is a confidence interval?" in found.stdout and "p-value" not in found.stdout
    none = run("list", notes, "--search", "transformer")
    assert none.returncode == 0 and "no cards match" in none.stdout


def _commands():
    """The command names `deckgen --help` lists (read from the help text, not argparse internals)."""
    import re

    listing = build_parser().format_help().split("COMMAND\n", 1)[-1].split("\n\n", 1)[0]
    return sorted(re.findall(r"^ {4}(\w+) ", listing, re.M))


# Each command and a test (file::function) that drives it through the real entry point.
COVERAGE = {
    "export": "test_cli.py::test_export_jsonl_has_exactly_the_promised_keys",
    "check": "test_cli.py::test_check_table_and_exit_code_one_for_unreadable_file",
    "list": "test_cli.py::test_list_filters_by_tag_and_search",
    "build": "test_pdf.py::test_build_command_writes_both_pdfs",
    "quiz": "test_quiz_cli.py::test_quiz_grades_typed_answers_schedules_and_saves",
    "stats": "test_quiz_session_edges.py::test_stats_json_after_one_review",
    "grade": "test_grade_cli.py::test_single_answer_json",
}


def test_every_command_is_covered_below():
    import ast
    from pathlib import Path

    assert _commands() == sorted(COVERAGE)  # a new command needs a test named here
    for command, where in COVERAGE.items():
        file, function = where.split("::")
        source = (Path(__file__).parent / file).read_text(encoding="utf-8")
        names = {node.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.FunctionDef)}
        assert function in names, f"{command}: {where} is gone"
        assert f'"{command}"' in source, f"{file} never runs `deckgen {command}`"


@pytest.mark.parametrize("command", _commands())
def test_help_on_every_command(command):
    result = run(command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: deckgen {command}")


def test_top_level_help_and_version():
    result = run("--help")
    assert result.returncode == 0 and "COMMAND" in result.stdout
    version = run("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"deckgen {__version__}"


def test_no_command_prints_help_and_exits_two():
    result = run()
    assert result.returncode == 2 and "usage: deckgen" in result.stdout


def test_missing_source_is_one_line_error(tmp_path):
    result = run("export", tmp_path / "absent")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"deckgen: error: no such file or folder: {tmp_path / 'absent'}"]


def test_unwritable_output_is_one_line_user_error_before_reading(notes, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    target = blocker / "cards.jsonl"  # its parent is a file, so writing must fail
    result = run("export", notes, "-o", target)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"deckgen: error: cannot write to {blocker}: it is a file, not a folder"]
    build = run("build", notes, "-o", blocker / "out")
    assert build.returncode == 2 and "cannot write to" in build.stderr and "Traceback" not in build.stderr
    assert build.stdout == ""  # stopped before writing anything


def test_unexpected_error_is_one_line_unless_debug(notes, monkeypatch, capsys):
    from deckgen import cli
    from deckgen.writers import jsonl

    def broken(cards, out):
        raise RuntimeError("writer exploded")

    monkeypatch.setattr(jsonl, "write_jsonl", broken)
    assert cli.main(["export", str(notes)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["deckgen: error: RuntimeError: writer exploded (run with --debug for details)"]
    with pytest.raises(RuntimeError):
        cli.main(["export", str(notes), "--debug"])  # global options also work after the command


def test_read_only_existing_output_is_not_replaced(notes, tmp_path):
    out = tmp_path / "cards.jsonl"
    out.write_text("mine\n", encoding="utf-8")
    out.chmod(0o444)
    result = run("export", notes, "-o", out)
    assert result.returncode == 2 and "read-only" in result.stderr and str(out) in result.stderr
    assert out.read_text(encoding="utf-8") == "mine\n"


def test_tag_matching_nothing_is_an_error_that_keeps_the_old_export(notes, tmp_path):
    out = tmp_path / "cards.jsonl"
    assert run("export", notes, "-o", out).returncode == 0
    before = out.read_bytes()
    result = run("export", notes, "--tag", "no-such-topic", "-o", out)
    assert result.returncode == 2
    line, = result.stderr.strip().splitlines()
    assert "no cards match --tag no-such-topic" in line and "source::stats" in line
    assert out.read_bytes() == before
    listed = run("list", notes, "--tag", "no-such-topic")
    assert listed.returncode == 2 and listed.stdout == ""  # exit 2 as the README says, like export
    line, = listed.stderr.strip().splitlines()  # said once
    assert line.startswith("deckgen: error: no cards match --tag no-such-topic") and "source::" in line


def test_csv_export_reads_back_with_the_csv_module(tmp_path):
    notes = tmp_path / "n.md"
    notes.write_text('# T\n\n## What is "lift", in one line?\n\nRatio, with a comma,\nand a second line.\n',
                     encoding="utf-8")
    result = run("export", notes, "--format", "csv", "-o", "-")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert len(rows) == 1 and rows[0]["question"] == 'What is "lift", in one line?'
    assert "with a comma," in rows[0]["answer"] and list(rows[0]) == EXPORT_KEYS


@pytest.mark.parametrize("args,message", [
    (["list", "--limit", "-1"], "expected 0 or more"),
    (["check", "--max-problems", "x"], "expected a whole number"),
    (["build", "--grid", "0x4"], "out of range"),
    (["build", "--grid", "3"], "must look like 2x4"),
    (["build", "--name", " :: "], "deck name needs letters"),
    (["build", "--paper", "a3"], "invalid choice"),
])
def test_bad_option_values_stop_before_any_work(notes, tmp_path, args, message):
    command, *options = args
    result = run(command, notes, *options, *(["-o", tmp_path / "out"] if command == "build" else []))
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_bad_option_is_an_argparse_error():
    result = run("export", "--format", "xml")
    assert result.returncode == 2 and "invalid choice" in result.stderr and "Traceback" not in result.stderr


def test_no_sources_outside_the_project_reads_the_bundled_sample_notes(tmp_path):
    out = subprocess.run([sys.executable, "-m", "deckgen", "export", "-q"], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr
    records = [json.loads(line) for line in out.stdout.splitlines()]
    assert sum(r["answered"] for r in records) >= 40


def test_brackets_in_notes_are_printed_not_read_as_terminal_markup(tmp_path):
    notes = tmp_path / "m.md"
    notes.write_text("# T\n\n## What does [bold]x[/bold] mean in [red]rich?\n\nIt is markup.\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "deckgen", "list", str(notes)], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert "What does [bold]x[/bold] mean in [red]rich?" in out.stdout


def test_a_file_given_twice_or_inside_a_given_folder_is_read_once(notes):
    once = run("export", notes, "-q")
    twice = run("export", notes, notes / "stats.md", notes, "-q")
    assert twice.returncode == 0, twice.stderr
    assert twice.stdout == once.stdout and len(once.stdout.splitlines()) == 3


def test_export_to_a_csv_file_name_writes_csv(notes, tmp_path):
    out = tmp_path / "cards.csv"
    assert run("export", notes, "-o", out).returncode == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert list(rows[0]) == EXPORT_KEYS and len(rows) == 3
    forced = tmp_path / "cards-as-lines.csv"
    assert run("export", notes, "--format", "jsonl", "-o", forced).returncode == 0
    assert json.loads(forced.read_text(encoding="utf-8").splitlines()[0])["id"]


def test_list_into_a_pipe_closed_early_ends_quietly(tmp_path):
    notes = tmp_path / "many.md"
    notes.write_text("# T\n\n" + "".join(f"## Which prime follows {p}?\n\nThe next one.\n\n"
                                         for p in range(2, 800)), encoding="utf-8")
    reader = subprocess.Popen([sys.executable, "-m", "deckgen", "list", str(notes)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=dict(os.environ, COLUMNS="200", TERM="dumb"))
    reader.stdout.readline()
    reader.stdout.close()  # like `| head -1`
    assert reader.wait(timeout=300) == 0
    assert b"Traceback" not in reader.stderr.read()


def test_a_folder_without_note_files_is_a_clear_error(tmp_path):
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    for command in ("check", "export", "build"):
        result = run(command, empty)
        assert result.returncode == 2, command
        assert result.stderr.strip().splitlines() == [f"deckgen: error: no note files found in {empty}"]


def test_disk_full_while_writing_names_the_output_and_keeps_the_old_file(notes, tmp_path, monkeypatch, capsys):
    import errno

    from deckgen import cli
    from deckgen.writers import jsonl

    out = tmp_path / "cards.jsonl"
    out.write_text("previous export\n", encoding="utf-8")

    def full_disk(cards, stream):
        stream.write("{half a rec")
        raise OSError(errno.ENOSPC, "No space left on device", stream.name)

    monkeypatch.setattr(jsonl, "write_jsonl", full_disk)
    assert cli.main(["export", str(notes), "-o", str(out)]) == 2  # an output that cannot be written
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"deckgen: error: cannot write {out}: No space left on device"]
    assert out.read_text(encoding="utf-8") == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["cards.jsonl", "notes"])


# --- daily use (issue 10 / 12): options, messages, terminal safety ------------------------

def test_global_options_work_after_every_command():
    for command in _commands():
        result = run(command, "--version")
        assert result.returncode == 0 and result.stdout.strip() == f"deckgen {__version__}", command


@pytest.mark.parametrize("args", [["list", "--bogus"], ["stats", "extra"], ["check", "--max-problems"],
                                  ["export", "--format", "xml"]])
def test_a_command_usage_error_shows_that_commands_usage(args):
    result = run(*args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"usage: deckgen {args[0]} ")
    assert f"deckgen {args[0]}: error:" in result.stderr


def test_a_build_stopped_by_a_usage_error_leaves_no_new_folder(notes, tmp_path):
    out = tmp_path / "new" / "deeper"
    result = run("build", notes, "--tag", "no-such-topic", "-o", out)
    assert result.returncode == 2 and "no cards match" in result.stderr
    assert not (tmp_path / "new").exists()
    made = run("build", notes, "-o", out, "--only", "apkg")
    assert made.returncode == 0, made.stderr
    assert [p.suffix for p in out.iterdir()] == [".apkg"]  # the id map lives with the notes


def many_problems(tmp_path, n):
    folder = tmp_path / "noisy"
    folder.mkdir()
    for k in range(n):
        (folder / f"scan{k:02}.md").write_bytes(b"\x00\xff" * 50)  # each one unreadable: one problem
    return folder


def test_check_lists_every_problem_by_default_or_says_how_many_more(tmp_path):
    folder = many_problems(tmp_path, 45)
    every = run("check", folder)
    assert every.returncode == 1
    listed = [line for line in every.stdout.splitlines() if ": error: binary file" in line]
    assert len(listed) == 45 and "more problem" not in every.stdout
    few = run("check", folder, "--max-problems", "3")
    assert len([line for line in few.stdout.splitlines() if ": error: binary file" in line]) == 3
    assert "... and 42 more problems" in few.stdout and "--verbose" in few.stdout
    one_more = run("check", folder, "--max-problems", "44")
    assert "... and 1 more problem (" in one_more.stdout


def test_numbers_agree_with_their_nouns(tmp_path):
    one = tmp_path / "one.md"
    one.write_text("# T\n\n## What is a tensor?\n\nAn array with any number of axes.\n", encoding="utf-8")
    checked = run("check", one)
    assert "1 file, 1 card, 0 unanswered, 0 duplicates folded" in checked.stdout
    listed = run("list", one)
    assert listed.stdout.rstrip().endswith("1 card")
    exported = run("export", one, "-o", tmp_path / "c.jsonl")
    assert "wrote 1 record to" in exported.stderr
    built = run("build", one, "-o", tmp_path / "out", "--only", "apkg")
    assert built.returncode == 0, built.stderr
    assert "1 note, 1 card in 1 deck;" in built.stdout and "(1 deck)" in built.stdout
    for text in (checked.stdout, listed.stdout, exported.stderr, built.stdout):
        assert not re.search(r"\b1 (cards|notes|decks|files|records|problems)\b", text), text


def test_long_file_names_wrap_between_names_at_80_columns(tmp_path):
    folder = tmp_path / "interview_prep_collection" / "machine-learning-fundamentals"
    folder.mkdir(parents=True)
    (folder / "regularization_and_overfitting_questions.md").write_text(NOTES, encoding="utf-8")
    result = run("check", tmp_path / "interview_prep_collection", columns=80)
    assert result.returncode == 0, result.stderr
    cells = [line.split("│")[1].strip() for line in result.stdout.splitlines() if line.startswith("│")]
    pieces = [c for c in cells if c]
    assert "".join(pieces) == "machine-learning-fundamentals/regularization_and_overfitting_questions.md"
    words = re.split(r"[/_\-.]", "".join(pieces))
    # every piece ends at a separator or the end: no name is cut inside
    for piece in pieces[:-1]:
        assert piece[-1] in "/_-.", pieces
    assert len(pieces) > 1 and all(w for w in words)


def test_a_file_of_several_formats_leaves_its_long_name_room_at_80_columns(tmp_path, seeds_dir):
    # a repository dump read as markdown, notebook and repodump: the format column is as wide
    # as one format name, not their joined list, so the file column keeps room for whole names
    import shutil

    dump = sorted(seeds_dir.glob("003_*"))[0]
    name = "machine-learning-interview-questions-and-answers-dump.txt"
    shutil.copy(dump, tmp_path / name)
    result = run("--no-cache", "check", tmp_path, columns=80)
    assert result.returncode == 0, result.stderr
    rows = [line.split("│")[1:3] for line in result.stdout.splitlines() if line.startswith("│")]
    pieces = [f.strip() for f, _ in rows if f.strip()]
    assert "".join(pieces) == name and len(pieces) > 1
    assert all(piece[-1] in "-." for piece in pieces[:-1]), pieces
    assert "".join(fmt.strip() for _, fmt in rows) == "markdown,notebook,repodump"


def test_list_full_shows_the_whole_long_question(tmp_path):
    question = ("What is the difference between bias and variance, and how does the trade-off between them "
                "change as a model grows from a linear fit to a deep network with millions of weights?")
    notes = tmp_path / "long.md"
    notes.write_text(f"# T\n\n## {question}\n\nBias is error from wrong assumptions.\n", encoding="utf-8")
    result = run("list", "--full", notes, columns=80)
    assert result.returncode == 0, result.stderr
    inside = " ".join(line.strip("│ ") for line in result.stdout.splitlines() if line.startswith("│"))
    assert question in inside and "…" not in result.stdout


def test_math_reads_as_text_in_list(tmp_path):
    notes = tmp_path / "math.md"
    notes.write_text("# T\n\n## What does dropout with keep probability $p$ scale by?\n\n"
                     "By $1/(1-p)$; attention scores are $QK^\\top$ and a voltage is $5\\,V$.\n"
                     "Code keeps its dollars: `echo $HOME`.\n", encoding="utf-8")
    brief = run("list", notes)
    assert "keep probability p scale by?" in brief.stdout and "$p$" not in brief.stdout
    full = run("list", "--full", notes)
    assert "By 1/(1-p); attention scores are QKᵀ and a voltage is 5 V." in full.stdout
    assert "echo $HOME" in full.stdout and "\\top" not in full.stdout


ESCAPES = ("\x1b]52;c;c3RvbGVu\x07", "\x1b]0;owned\x07", "\x1b[2J", "\x1b]8;;https://evil.example\x1b\\",
           "\x1b[31m", "\x9b2J")


def hostile_notes(tmp_path):
    notes = tmp_path / "hostile.md"
    question = "What is {0}a clipboard{1} write{2}?".format(*ESCAPES)
    answer = "It {3}sets{4} the {5}title.".format(*ESCAPES)
    notes.write_text(f"# Sec{ESCAPES[1]}tion\n\n## {question}\n\n{answer}\n", encoding="utf-8")
    return notes


def test_terminal_escape_sequences_from_notes_never_reach_the_terminal(tmp_path):
    notes = hostile_notes(tmp_path)
    for args in (["list", notes], ["list", "--full", notes], ["check", notes]):
        result = run(*args)
        assert result.returncode == 0, result.stderr
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.stdout), (args, result.stdout)
        assert "52;c;" not in result.stdout and "owned" not in result.stdout
    assert "What is a clipboard write?" in run("list", notes).stdout
    assert "It sets the title." in run("list", "--full", notes).stdout
