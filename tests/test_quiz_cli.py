"""The quiz driven through its real entry point with scripted input."""

import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

NOTES = """# Regularization

## What does L2 regularization add to the loss?

The sum of squared weights times a coefficient lambda, which shrinks all weights toward zero.

## What is early stopping?

Stopping training when the validation loss stops improving, before the model overfits.
"""


def run(args, stdin="", cwd=None):
    env = {**os.environ, "COLUMNS": "200"}  # summary lines unwrapped
    return subprocess.run([sys.executable, "-m", "deckgen", *args], input=stdin, capture_output=True,
                          text=True, timeout=120, cwd=cwd, env=env)


def stats(db):
    out = run(["stats", "--db", str(db), "--json"])
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_quiz_grades_typed_answers_schedules_and_saves(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    db = tmp_path / "progress.sqlite3"
    # card 1: a good answer (Enter submits), accept the suggestion; card 2: "show me", then Easy (4)
    script = "sum of squared weights times lambda, shrinks weights toward zero\n\n\n4\n"
    out = run(["quiz", str(notes), "--db", str(db), "--new", "5"], script)
    assert out.returncode == 0, out.stderr
    assert "What does L2 regularization add to the loss?" in out.stdout
    assert "correct" in out.stdout
    assert "2 reviewed" in out.stdout and "1 rating overridden" in out.stdout
    s = stats(db)
    assert s["reviews"] == 2 and s["cards"] == 2 and s["overridden"] == 1
    # both cards are scheduled in the future now: a second session has nothing due and no new cards
    again = run(["quiz", str(notes), "--db", str(db)], "")
    assert again.returncode == 0 and "Nothing due" in again.stdout


def test_new_0_on_unseen_cards_says_they_are_left_not_that_none_are(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    out = run(["quiz", str(notes), "--db", str(tmp_path / "p.sqlite3"), "--new", "0"])
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Nothing due now; 2 new cards left, none taken with --new 0."


def test_input_ending_at_the_answer_prompt_puts_the_summary_on_its_own_line(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    out = run(["quiz", str(notes), "--db", str(tmp_path / "p.sqlite3")], "")
    assert out.returncode == 0, out.stderr
    assert "\nSession ended early: 0 reviewed" in out.stdout and "> Session" not in out.stdout


def test_eof_mid_session_keeps_reviews_already_made(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    db = tmp_path / "progress.sqlite3"
    out = run(["quiz", str(notes), "--db", str(db)], "i don't know\n\nhalf an ans")
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
    proc.stdin.write("squared weights times lambda\n\nstopping when validation loss")
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


# --- in a terminal: a pseudo-terminal driven key by key, as a person types ---------------

def spawn_quiz(tmp_path, *args):
    pexpect = pytest.importorskip("pexpect", reason="pexpect drives the quiz in a pseudo-terminal")
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES + TERMINAL_NOTES, encoding="utf-8")
    env = {**os.environ, "COLUMNS": "120", "LINES": "50", "TERM": "xterm-256color",
           "PROMPT_TOOLKIT_NO_CPR": "1"}  # pexpect's terminal does not answer cursor-position queries
    child = pexpect.spawn(sys.executable, ["-m", "deckgen", "quiz", str(notes), "--db", str(tmp_path / "p.db"),
                                           *args], env=env, encoding="utf-8", dimensions=(50, 120), timeout=60)
    child.logfile_read = screen = io.StringIO()
    return child, screen


TERMINAL_NOTES = """
## What does dropout do during training?

It zeroes each unit with probability p and scales the rest by 1/(1-p).
"""


def reviews(tmp_path):
    with sqlite3.connect(tmp_path / "p.db") as con:
        return con.execute("SELECT answer, rating FROM reviews ORDER BY id").fetchall()


def wait_and_read(child, seconds: float) -> None:
    """Let `seconds` pass while reading what the quiz prints: pexpect records output only
    as it reads it, so a check of the screen after a bare sleep would see nothing new."""
    import pexpect

    try:
        child.expect(pexpect.TIMEOUT, timeout=seconds)
    except pexpect.EOF:
        pass


def text_of(screen) -> str:
    """What the terminal shows, colours and cursor moves removed."""
    return re.sub(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>]", "", screen.getvalue())


def test_enter_submits_and_a_stray_enter_after_the_rating_never_answers_the_next_card(tmp_path):
    child, screen = spawn_quiz(tmp_path)
    child.send("typed while deckgen starts\r")  # before any question is shown: answers nothing
    child.expect("L2 regularization")
    child.expect("Enter submits")  # the hint sits in the prompt line
    child.send("squared weights times lambda\r")  # one Enter: graded at once
    child.send("\r")  # the old habit of a second Enter, before the grade is shown: rates nothing
    child.expect("Reference answer")
    child.expect("q = quit: ")
    wait_and_read(child, 0.5)
    assert "next review" not in text_of(screen)
    child.send("2")
    time.sleep(0.2)
    child.send("\r")  # "2⏎", as people type it
    child.expect("early stopping")
    wait_and_read(child, 1.5)  # a stray Enter answering this card would show its reference by now
    assert "Stopping training when" not in text_of(screen)
    child.send("stop when validation loss stops improving\r")
    child.expect("q = quit: ")
    child.send("3typed before the next question\r")  # a digit, then keys meant for later
    child.expect("dropout do during training")
    child.send("zeroes units with probability p\r")
    child.expect("q = quit: ")
    child.send("\r")
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 0
    answers = reviews(tmp_path)
    assert [a for a, _ in answers] == ["squared weights times lambda", "stop when validation loss stops improving",
                                       "zeroes units with probability p"]
    assert [r for _, r in answers][:2] == [2, 3]
    assert "3 reviewed" in text_of(screen)


def test_a_slow_enter_after_the_rating_does_not_show_the_next_answer(tmp_path):
    child, screen = spawn_quiz(tmp_path, "--limit", "2")
    child.expect("L2 regularization")
    child.expect("Enter submits")
    child.send("squared weights times lambda\r")
    child.expect("q = quit: ")
    child.send("2")
    child.expect("early stopping")  # the rating is taken; the next question is on screen
    child.expect("Enter submits")  # and its prompt is waiting
    time.sleep(0.4)
    child.send("\r")  # the Enter of "2 ... Enter", typed a moment late
    wait_and_read(child, 0.8)
    assert "Stopping training when" not in text_of(screen)
    wait_and_read(child, 1.0)
    child.send("stop when the validation loss stops improving\r")  # the answer, typed after reading
    child.expect("Stopping training when")
    child.expect("q = quit: ")
    child.send("3")
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 0
    assert reviews(tmp_path) == [("squared weights times lambda", 2),
                                 ("stop when the validation loss stops improving", 3)]


def test_a_trailing_backslash_continues_and_a_pasted_block_arrives_whole(tmp_path):
    child, screen = spawn_quiz(tmp_path, "--limit", "2")
    child.expect("L2 regularization")
    child.send("squared weights \\\r")  # \ then Enter: a new line, not the end
    wait_and_read(child, 0.3)
    assert "Reference answer" not in text_of(screen)
    child.send("times lambda\r")
    child.expect("q = quit: ")
    child.send("3")
    child.expect("early stopping")
    child.send("\x1b[200~stop training\nwhen validation loss stops improving\x1b[201~")  # a bracketed paste
    wait_and_read(child, 0.3)
    assert text_of(screen).count("Reference answer") == 1  # the paste's newline submitted nothing
    child.send("\r")
    child.expect("q = quit: ")
    child.send("3")
    child.expect(pexpect_eof())
    assert [a for a, _ in reviews(tmp_path)] == ["squared weights\ntimes lambda",
                                                 "stop training\nwhen validation loss stops improving"]


def test_ctrl_c_in_a_terminal_ends_the_session_and_keeps_what_was_rated(tmp_path):
    child, screen = spawn_quiz(tmp_path)
    child.expect("L2 regularization")
    child.send("squared weights times lambda\r")
    child.expect("q = quit: ")
    child.send("3")
    child.expect("early stopping")
    child.send("half an answ")
    child.sendintr()  # Ctrl-C
    child.expect(pexpect_eof())
    child.close()
    shown = text_of(screen)
    assert child.exitstatus == 0 and "ended early" in shown and "1 reviewed" in shown
    assert "new cards left: 2" in shown
    assert reviews(tmp_path) == [("squared weights times lambda", 3)]


def test_kill_9_in_a_terminal_loses_only_the_answer_being_typed(tmp_path):
    child, _ = spawn_quiz(tmp_path)
    child.expect("L2 regularization")
    child.send("squared weights times lambda\r")
    child.expect("q = quit: ")
    child.send("3")
    child.expect("early stopping")
    child.send("stopping when validation")
    child.kill(signal.SIGKILL)
    child.wait()
    assert reviews(tmp_path) == [("squared weights times lambda", 3)]
    assert stats(tmp_path / "p.db")["reviews"] == 1


def test_q_at_the_first_rating_says_what_is_left_not_nothing_due(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    out = run(["quiz", str(notes), "--db", str(tmp_path / "p.db")], "\nq\n")
    assert out.returncode == 0, out.stderr
    assert "Nothing due" not in out.stdout
    assert "ended early: 0 reviewed" in out.stdout and "new cards left: 2" in out.stdout


def test_summary_and_stats_count_the_same_reviews_the_same_way(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    db = tmp_path / "p.db"
    # a good answer rated Hard (2), then "show me" rated Good (3): 1 of 2 recalled
    out = run(["quiz", str(notes), "--db", str(db)], "sum of squared weights times lambda\n2\n\n3\n")
    assert out.returncode == 0, out.stderr
    assert "accuracy 50% (1 of 2 reviews rated Good or Easy)" in out.stdout
    due_line = re.search(r"due now: (\d+); due later today: (\d+)", out.stdout)
    shown = run(["stats", "--db", str(db)])
    assert "accuracy 50% (1 of 2 reviews rated Good or Easy)" in shown.stdout
    assert f"due now {due_line[1]} · due later today {due_line[2]}" in shown.stdout
    s = stats(db)
    assert (s["due_now"], s["due_later_today"]) == (int(due_line[1]), int(due_line[2]))
    assert int(due_line[2]) == 2  # both cards come back within minutes (learning steps)


def test_stats_and_quiz_give_the_same_exit_code_and_one_line_for_a_broken_database(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    db = tmp_path / "p.db"
    assert run(["quiz", str(notes), "--db", str(db)], "x\n3\n").returncode == 0
    good = db.read_bytes()
    with sqlite3.connect(db) as con:
        con.execute("DROP TABLE reviews")  # a database deckgen can open but not read
    garbled = bytearray(good)
    for i in range(4096, len(good), 13):  # random-looking bytes over every page but the first
        garbled[i] = (i * 151) % 256
    for broken in (db.read_bytes(), bytes(garbled)):
        db.write_bytes(broken)
        for out in (run(["stats", "--db", str(db)]), run(["quiz", str(notes), "--db", str(db)], "\n\n")):
            assert out.returncode == 2, out.stderr
            assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
            assert str(db) in out.stderr


def pexpect_eof():
    import pexpect

    return pexpect.EOF


def test_terminal_escape_sequences_and_math_from_notes_reach_the_quiz_as_plain_text(tmp_path):
    notes = tmp_path / "hostile.md"
    notes.write_text("# Sec\x1b]0;owned\x07tion\n\n## What does \x1b]52;c;c3RvbGVu\x07dropout keep, "
                     "with probability $p$?\x1b[2J\n\nEach unit, scaled by $1/(1-p)$\x1b]8;;https://evil.example"
                     "\x1b\\; attention uses $QK^\\top$.\n", encoding="utf-8")
    out = run(["quiz", str(notes), "--db", str(tmp_path / "p.db")], "each unit with probability p\n3\n")
    assert out.returncode == 0, out.stderr
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out.stdout), out.stdout
    assert "owned" not in out.stdout and "52;c;" not in out.stdout
    assert "What does dropout keep, with probability p?" in out.stdout
    assert "Each unit, scaled by 1/(1-p); attention uses QKᵀ." in out.stdout


def test_the_quiz_shows_the_grade_line_deckgen_grade_prints(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    answer = "the sum of squared weights"
    graded = run(["grade", "--question", "What does L2 regularization add to the loss?", "--answer", answer,
                  "--reference", "The sum of squared weights times a coefficient lambda, which shrinks all "
                                 "weights toward zero."])
    line = graded.stdout.splitlines()[0]
    assert re.fullmatch(r"(correct|partial|incorrect) · score \d+/100 · \d+ of \d+ key points? hit · suggests "
                        r"(Again|Hard|Good|Easy)", line), line
    out = run(["quiz", str(notes), "--db", str(tmp_path / "p.db"), "--limit", "1"], answer + "\n\n")
    assert line in out.stdout.splitlines()
