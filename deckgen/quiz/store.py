"""Quiz progress in SQLite, keyed by the card's stable id.

Each review is committed as it happens (WAL journal), so a killed process loses at
most the answer being typed. `PRAGMA user_version` holds the schema version;
MIGRATIONS[n] upgrades a database from version n to n+1.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar

MIGRATIONS = [
    # 0 -> 1: the first schema
    """
    CREATE TABLE cards (
        id TEXT PRIMARY KEY,
        question TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]',
        state TEXT,
        due TEXT,
        learned INTEGER NOT NULL DEFAULT 0,
        reps INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE reviews (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        card_id TEXT NOT NULL,
        reviewed_at TEXT NOT NULL,
        answer TEXT NOT NULL,
        score INTEGER,
        verdict TEXT,
        suggested INTEGER NOT NULL,
        rating INTEGER NOT NULL,
        overridden INTEGER NOT NULL
    );
    CREATE INDEX reviews_card ON reviews(card_id);
    CREATE INDEX cards_due ON cards(due);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
T = TypeVar("T")


class StoreError(Exception):
    """The progress database cannot be used; the message says what to do."""


# Marks the file as deckgen's (PRAGMA application_id, "dkgn"): another program's SQLite
# file is refused, never given our tables.
APPLICATION_ID = 0x646B676E
TABLES = {"cards", "reviews"}


@dataclass(frozen=True)
class Progress:
    card_id: str
    state: str | None
    due: datetime | None
    learned: bool
    reps: int


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("deckgen", appauthor=False)) / "progress.sqlite3"


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def _code(err: Exception) -> int | None:
    """SQLite's primary result code (SQLITE_BUSY = 5, ...), None for errors of Python's
    own (an undecodable text); codes, not messages: a damaged text can say "locked"."""
    code = getattr(err, "sqlite_errorcode", None)
    return code & 0xFF if code is not None else None


def _is_busy(err: Exception) -> bool:
    return _code(err) in (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED


# Errors that mean the bytes of the file are not what deckgen wrote (a damaged page
# gives undecodable text, unparsable JSON or dates as well as SQLite's own errors).
DAMAGED = (sqlite3.DatabaseError, UnicodeDecodeError, ValueError, TypeError, KeyError)

Schedule = Callable[[str | None], tuple[str, datetime, bool]]


class Store:
    def __init__(self, path: str | Path | None = None, timeout: float = 5.0):
        self.path = Path(path) if path else default_path()
        self.timeout = timeout
        try:
            if str(self.path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except (sqlite3.DatabaseError, OSError) as err:
            raise StoreError(f"cannot open progress database {self.path}: {getattr(err, 'strerror', None) or err}") \
                from None
        try:
            self.db.execute("PRAGMA busy_timeout = %d" % int(timeout * 1000))
            self._waiting(self._set_up)
        except DAMAGED as err:
            self.db.close()
            raise StoreError(self._explain(err)) from None
        except BaseException:
            self.db.close()
            raise

    def _waiting(self, step: Callable[[], T]) -> T:
        """Run `step`, again while another process holds the lock, for up to `timeout`.
        SQLite's busy timeout does not cover every lock (switching the journal mode of a
        new file gives up at once when another connection is reading it), so creating
        the schema waits here like every other write. `step` must be one transaction."""
        deadline = time.monotonic() + self.timeout
        pause = 0.005
        while True:
            try:
                return step()
            except sqlite3.OperationalError as err:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                if not _is_busy(err) or time.monotonic() >= deadline:
                    raise
            time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
            pause = min(pause * 2, 0.1)

    def _explain(self, err: Exception) -> str:
        if _is_busy(err):
            return f"progress database {self.path} is locked by another deckgen; try again when it exits"
        if _code(err) == 13:  # SQLITE_FULL
            return f"cannot write progress database {self.path}: the disk is full"
        if _code(err) == 10:  # SQLITE_IOERR: on a full disk, often this (the shared-memory file cannot grow)
            return f"cannot read or write progress database {self.path}: disk I/O error (is the disk full?)"
        if _code(err) == 8:  # SQLITE_READONLY
            return f"cannot write progress database {self.path}: it is read-only"
        # not SQLite's text: it can quote bytes of the damaged page
        return (f"progress database {self.path} is corrupt or not a deckgen database; "
                "move it aside (your notes are not affected) or pass --db PATH")

    def _set_up(self) -> None:
        self._refuse_foreign()
        if self.db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            self.db.execute("PRAGMA journal_mode = WAL")
        self._migrate()

    def _refuse_foreign(self) -> None:
        """Raise StoreError unless the file is empty or holds deckgen's tables: checked
        before anything is written, so another program's database is left as it was."""
        # one read transaction: another deckgen creating the schema meanwhile must not be
        # seen half (its tables, but not yet its version)
        snapshot = not self.db.in_transaction
        if snapshot:
            self.db.execute("BEGIN")
        try:
            app_id = self.db.execute("PRAGMA application_id").fetchone()[0]
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            if snapshot and self.db.in_transaction:
                self.db.execute("COMMIT")
        tables.discard("sqlite_sequence")
        if app_id not in (0, APPLICATION_ID) or (tables and not TABLES <= tables) or (version == 0 and tables):
            raise StoreError(f"{self.path} is an SQLite database of another program, not deckgen progress; "
                             "leaving it untouched (pass --db PATH for a new progress file)")
        if version > SCHEMA_VERSION:
            raise StoreError(f"progress database {self.path} was written by a newer deckgen "
                             f"(schema {version} > {SCHEMA_VERSION}); upgrade deckgen")

    def _migrate(self) -> None:
        if self.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            # re-read inside the write lock: another process may have migrated meanwhile
            self._refuse_foreign()
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            for step in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[step].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- reading ----------------------------------------------------------------------

    def progress(self, card_ids: list[str] | None = None) -> dict[str, Progress]:
        wanted = set(card_ids) if card_ids is not None else None
        try:
            rows = self.db.execute("SELECT id, state, due, learned, reps FROM cards").fetchall()
            return {r[0]: Progress(r[0], r[1], datetime.fromisoformat(r[2]) if r[2] else None, bool(r[3]), r[4])
                    for r in rows if wanted is None or r[0] in wanted}
        except DAMAGED as err:
            raise StoreError(self._explain(err)) from None

    def _query(self, sql: str, params: tuple = ()) -> list[tuple]:
        try:
            return self.db.execute(sql, params).fetchall()
        except DAMAGED as err:
            raise StoreError(self._explain(err)) from None

    # --- writing ----------------------------------------------------------------------

    def record_review(self, *, card_id: str, question: str, tags: list[str], answer: str,
                      score: int | None, verdict: str | None, suggested: int, rating: int,
                      schedule: Schedule, when: datetime) -> datetime:
        """Save one review and the card's new schedule in one committed transaction.

        `schedule(previous_state)` gives (state, due, learned); it is called inside the
        write lock with the state as stored now, so two sessions on one database never
        schedule from a state the other has already moved on. Returns the due date."""

        def write() -> datetime:
            self.db.execute("BEGIN IMMEDIATE")
            row = self.db.execute("SELECT state FROM cards WHERE id = ?", (card_id,)).fetchone()
            state, due, learned = schedule(row[0] if row else None)
            self.db.execute(
                "INSERT INTO reviews (card_id, reviewed_at, answer, score, verdict, suggested, rating,"
                " overridden) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (card_id, _iso(when), answer, score, verdict, suggested, rating, int(rating != suggested)))
            self.db.execute(
                "INSERT INTO cards (id, question, tags, state, due, learned, reps) VALUES (?, ?, ?, ?, ?, ?, 1)"
                " ON CONFLICT(id) DO UPDATE SET question=excluded.question, tags=excluded.tags,"
                " state=excluded.state, due=excluded.due, learned=excluded.learned, reps=reps+1",
                (card_id, question, json.dumps(tags), state, _iso(due), int(learned)))
            self.db.execute("COMMIT")
            return due

        try:
            return self._waiting(write)
        except DAMAGED as err:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise StoreError(self._explain(err)) from None

    # --- statistics -------------------------------------------------------------------

    def stats(self, now: datetime) -> dict:
        try:
            return self._stats(now)
        except DAMAGED as err:
            raise StoreError(self._explain(err)) from None

    def _stats(self, now: datetime) -> dict:
        from deckgen.quiz.scheduler import accuracy, recalled  # the one definition of accuracy

        end_of_day = now.astimezone(timezone.utc).replace(hour=23, minute=59, second=59)
        cards = self._query("SELECT id, tags, due, learned FROM cards")
        reviews = self._query("SELECT r.card_id, r.rating, r.verdict, c.tags FROM reviews r "
                              "JOIN cards c ON c.id = r.card_id")
        by_tag: dict[str, list[int]] = {}
        for _, rating, verdict, tags in reviews:
            good = int(recalled(rating))
            for tag in json.loads(tags):
                hits = by_tag.setdefault(tag, [0, 0])
                hits[0] += good
                hits[1] += 1
        overridden = self._query("SELECT COUNT(*) FROM reviews WHERE overridden = 1")[0][0]
        return {
            "cards": len(cards),
            "learned": sum(r[3] for r in cards),
            "due": sum(1 for r in cards if r[2] and datetime.fromisoformat(r[2]) <= end_of_day),
            "reviews": len(reviews),
            "overridden": overridden,
            "accuracy": accuracy([r[1] for r in reviews]),
            "accuracy_by_tag": {t: {"reviews": n, "accuracy": round(g / n, 3)}
                                for t, (g, n) in sorted(by_tag.items())},
        }
