import json
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from deckgen.quiz import scheduler
from deckgen.quiz.store import SCHEMA_VERSION, Store, StoreError

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


def review(store, card_id, rating, when=T0, tags=("topic::stats",), suggested=None):
    return store.record_review(card_id=card_id, question=f"question {card_id}", tags=list(tags), answer="typed",
                               score=80, verdict="correct", suggested=suggested or rating, rating=rating,
                               schedule=lambda state: scheduler.review(state, rating, when), when=when)


def test_progress_survives_reopening(tmp_path):
    db = tmp_path / "p.sqlite3"
    with Store(db) as store:
        due = review(store, "abc", scheduler.GOOD)
    with Store(db) as store:
        progress = store.progress()
    assert progress["abc"].reps == 1
    assert progress["abc"].due == due.replace(microsecond=0)
    assert due > T0


def test_schema_version_is_recorded_and_newer_versions_refused(tmp_path):
    db = tmp_path / "p.sqlite3"
    Store(db).close()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer deckgen"):
        Store(db)


def test_corrupt_database_gives_clear_error(tmp_path):
    db = tmp_path / "p.sqlite3"
    db.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="corrupt or not a deckgen database"):
        Store(db)


def test_locked_database_gives_clear_error(tmp_path):
    db = tmp_path / "p.sqlite3"
    Store(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with Store(db, timeout=0.2) as store:
            with pytest.raises(StoreError, match="locked"):
                review(store, "abc", scheduler.GOOD)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


WRITER = """
import sys
from datetime import datetime, timezone
from deckgen.quiz import scheduler
from deckgen.quiz.store import Store
when = datetime(2026, 1, 5, tzinfo=timezone.utc)
print("ready", flush=True)
sys.stdin.readline()  # both start opening the new database at the same moment
# a timeout far beyond any scheduling delay: this test is about losing nothing, not speed
store = Store(sys.argv[1], timeout=600)
for i in range(40):
    store.record_review(card_id=f"{sys.argv[2]}-{i}", question="q", tags=[], answer="a", score=50,
                        verdict="partial", suggested=2, rating=3, when=when,
                        schedule=lambda state: scheduler.review(state, 3, when))
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    """Both processes create the schema of a new file and then write at once. Each waits
    for the other's lock (no "locked" error): nothing here depends on the machine's speed,
    the generous waits only end a hang."""
    db = tmp_path / "p.sqlite3"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(db), name], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in ("a", "b")]
    try:
        for p in procs:
            assert p.stdout.readline() == "ready\n", p.stderr.read()
        for p in procs:
            p.stdin.write("go\n")
            p.stdin.flush()
        results = [p.communicate(timeout=900) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in results]
    with Store(db) as store:
        stats = store.stats(T0)
    assert stats["reviews"] == 80 and stats["cards"] == 80 and stats["overridden"] == 80


def test_schema_creation_waits_for_a_lock_held_by_another_connection(tmp_path):
    """The race above made deterministic: another connection holds the write lock of the
    new file (still in rollback-journal mode) while this Store opens it. SQLite's busy
    timeout gives up at once on the journal-mode switch here; the Store waits anyway."""
    import threading

    db = tmp_path / "p.sqlite3"
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.5, lambda: holder.execute("ROLLBACK"))
    release.start()
    try:
        with Store(db, timeout=60) as store:
            assert store.progress() == {}
    finally:
        release.join()
        holder.close()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_two_sessions_schedule_from_the_state_stored_at_write_time(tmp_path):
    """Both sessions read their progress before either answers (as `deckgen quiz` does at
    start); the second review still builds on the first."""
    db = tmp_path / "p.sqlite3"
    with Store(db) as first, Store(db) as second:
        assert first.progress() == {} and second.progress() == {}
        review(first, "abc", scheduler.GOOD, T0)
        review(second, "abc", scheduler.GOOD, T0 + timedelta(minutes=10))
        stored = second.progress()["abc"]
    state, _, _ = scheduler.review(None, scheduler.GOOD, T0)
    state, due, learned = scheduler.review(state, scheduler.GOOD, T0 + timedelta(minutes=10))
    fsrs_fields = {k: v for k, v in json.loads(state).items() if k != "card_id"}  # card_id: a creation time
    assert stored.reps == 2 and stored.learned == learned and stored.due == due.replace(microsecond=0)
    assert {k: v for k, v in json.loads(stored.state).items() if k != "card_id"} == fsrs_fields


def test_stats_count_due_learned_and_accuracy_by_tag(tmp_path):
    with Store(tmp_path / "p.sqlite3") as store:
        review(store, "a", scheduler.AGAIN, tags=("topic::stats",))
        review(store, "b", scheduler.GOOD, tags=("topic::stats", "topic::nlp"))
        stats = store.stats(T0)
    assert stats["reviews"] == 2 and stats["cards"] == 2
    assert stats["due"] == 2  # both are in short-term learning steps, due within minutes
    assert stats["accuracy_by_tag"]["topic::stats"] == {"reviews": 2, "accuracy": 0.5}
    assert stats["accuracy_by_tag"]["topic::nlp"] == {"reviews": 1, "accuracy": 1.0}


def test_good_reviews_push_the_due_date_out():
    state, due1, _ = scheduler.review(None, scheduler.GOOD, T0)
    state, due2, _ = scheduler.review(state, scheduler.GOOD, due1)
    state, due3, learned = scheduler.review(state, scheduler.GOOD, due2)
    assert T0 < due1 < due2 < due3
    assert learned and due3 - due2 >= timedelta(days=1)
    assert json.loads(state)["stability"] > 0


def test_rating_outside_one_to_four_is_refused():
    with pytest.raises(ValueError):
        scheduler.review(None, 5, T0)
