"""The quiz driven through its real entry point with scripted input."""

import json
import subprocess
import sys

NOTES = """# Regularization

## What does L2 regularization add to the loss?

The sum of squared weights times a coefficient lambda, which shrinks all weights toward zero.

## What is early stopping?

Stopping training when the validation loss stops improving, before the model overfits.
"""


def run(args, stdin="", cwd=None):
    return subprocess.run([sys.executable, "-m", "deckgen", *args], input=stdin, capture_output=True,
                          text=True, timeout=120, cwd=cwd)


def stats(db):
    out = run(["stats", "--db", str(db), "--json"])
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_quiz_grades_typed_answers_schedules_and_saves(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    db = tmp_path / "progress.sqlite3"
    # card 1: a good answer, accept the suggestion; card 2: "show me", then override with Easy (4)
    script = "sum of squared weights times lambda, shrinks weights toward zero\n\n\n\n4\n"
    out = run(["quiz", str(notes), "--db", str(db), "--new", "5"], script)
    assert out.returncode == 0, out.stderr
    assert "What does L2 regularization add to the loss?" in out.stdout
    assert "correct" in out.stdout
    assert "2 reviewed" in out.stdout and "1 ratings overridden" in out.stdout
    s = stats(db)
    assert s["reviews"] == 2 and s["cards"] == 2 and s["overridden"] == 1
    # both cards are scheduled in the future now: a second session has nothing due and no new cards
    again = run(["quiz", str(notes), "--db", str(db)], "")
    assert again.returncode == 0 and "Nothing due" in again.stdout


def test_eof_mid_session_keeps_reviews_already_made(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    db = tmp_path / "progress.sqlite3"
    out = run(["quiz", str(notes), "--db", str(db)], "i don't know\n\n\nhalf an ans")
    assert out.returncode == 0, out.stderr
    assert "ended early" in out.stdout and "1 reviewed" in out.stdout
    assert stats(db)["reviews"] == 1


def test_corrupt_database_is_one_clear_line(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    db = tmp_path / "progress.sqlite3"
    db.write_bytes(b"garbage" * 500)
    out = run(["quiz", str(notes), "--db", str(db)], "")
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "corrupt" in out.stderr and "Traceback" not in out.stderr
    assert db.read_bytes() == b"garbage" * 500  # the user's file is left alone


def test_stats_before_any_quiz_reports_zeros_and_creates_nothing(tmp_path):
    import os

    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    out = subprocess.run([sys.executable, "-m", "deckgen", "stats", "--json"], capture_output=True, text=True,
                         timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    s = json.loads(out.stdout)
    assert s["reviews"] == 0 and s["due"] == 0 and s["cards"] == 0
    assert not (tmp_path / "data").exists()


def test_kill_9_loses_only_the_answer_being_typed(tmp_path):
    import os
    import signal
    import sqlite3
    import time

    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    db = tmp_path / "progress.sqlite3"
    proc = subprocess.Popen([sys.executable, "-m", "deckgen", "quiz", str(notes), "--db", str(db)],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            text=True)
    proc.stdin.write("squared weights times lambda\n\n\nstopping when validation loss")
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    reviews = 0
    while time.monotonic() < deadline and reviews == 0:
        time.sleep(0.2)
        if db.exists():
            try:
                with sqlite3.connect(db) as con:
                    reviews = con.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
            except sqlite3.OperationalError:
                pass  # tables not created yet
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert reviews == 1
    s = stats(db)
    assert s["reviews"] == 1 and s["cards"] == 1
