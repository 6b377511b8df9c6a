"""Quiz summary after interruptions, cards left, and stats on a mistyped database path."""

import json
import os
import subprocess
import sys

NOTES = """# Trees

## What does a decision tree split on?

A feature and a threshold that most reduce impurity, such as Gini or entropy.

## What is pruning?

Removing branches that add little validation accuracy, to curb overfitting.

## What is a random forest?

Many decision trees trained on bootstrap samples with random feature subsets, averaged.
"""


def run(args, stdin=""):
    env = {**os.environ, "COLUMNS": "200"}  # summary lines unwrapped
    return subprocess.run([sys.executable, "-m", "deckgen", *args], input=stdin, capture_output=True,
                          text=True, timeout=120, env=env)


def test_answer_graded_but_not_rated_is_not_counted(tmp_path):
    notes = tmp_path / "trees.md"
    notes.write_text(NOTES, encoding="utf-8")
    # answer the first question, then input ends at the rating prompt
    out = run(["quiz", str(notes), "--db", str(tmp_path / "p.db")], "a feature and a threshold\n")
    assert out.returncode == 0, out.stderr
    assert "0 reviewed — 0 correct, 0 partial, 0 incorrect, 0 shown" in out.stdout
    assert "new cards left: 3" in out.stdout


def test_cards_left_after_a_partial_session(tmp_path):
    notes = tmp_path / "trees.md"
    notes.write_text(NOTES, encoding="utf-8")
    out = run(["quiz", str(notes), "--db", str(tmp_path / "p.db")], "\n\n")  # show the first, accept Again
    assert out.returncode == 0, out.stderr
    assert "1 reviewed" in out.stdout and "1 shown" in out.stdout
    assert "new cards left: 2" in out.stdout


def test_stats_on_a_missing_database_path_is_an_error_not_a_new_file(tmp_path):
    missing = tmp_path / "typo.db"
    out = run(["stats", "--db", str(missing)])
    assert out.returncode == 2 and "no progress database" in out.stderr
    assert not missing.exists()
    made = run(["quiz", str(tmp_path / "x.md"), "--db", str(missing)])  # no notes there: nothing created either
    assert made.returncode == 2 and "no such file or folder" in made.stderr
    assert not missing.exists()


def test_stats_json_after_one_review(tmp_path):
    notes = tmp_path / "trees.md"
    notes.write_text(NOTES, encoding="utf-8")
    db = tmp_path / "p.db"
    quizzed = run(["quiz", str(notes), "--db", str(db), "--limit", "1"], "removing branches\n3\n")
    assert quizzed.returncode == 0 and "1 reviewed" in quizzed.stdout, quizzed.stderr
    stats = json.loads(run(["stats", "--db", str(db), "--json"]).stdout)
    assert stats["reviews"] == 1 and stats["cards"] == 1
    assert stats["accuracy"] == 1.0  # rated Good: recalled
    assert stats["learned"] == 0  # one Good on a new card leaves it in its learning steps
