"""The id map: which Anki note (GUID) each card continues, kept with the notes.

`<notes folder>/<name>.deckgen-ids.json` (commit it with the notes) remembers every
GUID deckgen wrote under a deck name with its card id, source and question, so a
question touched up on another machine or in a fresh clone keeps its note and review
history. When the map is missing or unreadable, the previous package (`<out>/<name>.apkg`)
gives the GUIDs back; a map from older versions (`<out>/<name>.ids.json`) is taken over.

Both files can be edited by anyone (a planted map, a merge conflict): everything read
from them is checked. A GUID must look like one and appear once; ids, hashes and times
must have their form; texts only ever reach a card as text (anki_fields.retired_fields).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
import time
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import TextIO

from deckgen.card import Card, normalize_question
from deckgen.mathjax import WORD_JOINER
from deckgen.writers.anki_fields import FIELDS, RETIRED_TAG, hash_note, package_file_name

MAP_FORMAT = "deckgen-anki-ids"
MAP_SUFFIX = ".deckgen-ids.json"
LEGACY_SUFFIX = ".ids.json"  # deckgen before 0.x kept the map beside the package
NAMESPACE = "deckgen"
KEEP_GUID_RATIO = 90
MAX_TEXT = 20_000          # characters of one text in the map (a question, an answer)
MAX_MAP_BYTES = 64_000_000  # a real map holds a few hundred bytes a note
_FUTURE = 86_400           # a time more than a day ahead is not from a real build
# GUIDs are in Anki's base91 alphabet (genanki's guid_for and Anki's own): printable
# ASCII without spaces, quotes or backslashes. They never reach a card's HTML.
_GUID = re.compile(r"[A-Za-z0-9!#$%&()*+,\-./:;<=>?@\[\]^_`{|}~]{1,64}")
_CARD_ID = re.compile(r"[\w.-]{1,64}")
_HASH = re.compile(r"[0-9a-f]{1,40}")


@dataclass
class MapEntry:
    """One note deckgen has written under this deck name."""

    guid: str
    id: str
    source: str
    question: str
    hash: str = ""
    mod: int = 0          # the note's modification time in the last package
    deck: str = ""        # kept in the file for retired notes only
    retired: int = 0      # when it disappeared from the notes (0: still there)
    answer: str = ""      # retired notes only: their last answer, section and tags as plain
    section: str = ""     # text (from the last package), for --export-retired
    tags: list[str] = field(default_factory=list)


def _entry(raw, now: int) -> MapEntry | None:
    """A checked entry, or None when any part of it is not what deckgen writes."""
    if not isinstance(raw, dict):
        return None
    texts = {k: raw.get(k, "") for k in ("guid", "id", "source", "question", "hash", "deck", "answer", "section")}
    numbers = {k: raw.get(k, 0) for k in ("mod", "retired")}
    tags = raw.get("tags") or []
    if not all(isinstance(v, str) and len(v) <= MAX_TEXT for v in texts.values()):
        return None
    if not all(type(v) is int and 0 <= v <= now + _FUTURE for v in numbers.values()):
        return None
    if not (isinstance(tags, list) and all(isinstance(t, str) and len(t) <= 200 for t in tags)):
        return None
    if not (_GUID.fullmatch(texts["guid"]) and _CARD_ID.fullmatch(texts["id"])):
        return None
    if texts["hash"] and not _HASH.fullmatch(texts["hash"]):
        return None
    return MapEntry(**texts, **numbers, tags=tags[:50])


def _read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file `path`, never through a symlink, never waiting on a
    FIFO, never more than `limit` (counted as read). ValueError otherwise: the map
    sits in a notes folder anyone can put a link or a pipe into."""
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        if os.path.islink(path):
            raise ValueError("a symbolic link, not followed: give the file itself with --id-map") from None
        raise err
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError("not a regular file")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"larger than {limit // 1_000_000} MB")
    return data


@dataclass
class IdMap:
    built: int = 0
    entries: list[MapEntry] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path, now: int | None = None) -> tuple["IdMap | None", str]:
        """The map at `path` (None if there is none or it is unreadable) and a warning:
        why it is unreadable, or how many entries were ignored."""
        now = int(time.time()) if now is None else now
        try:
            data = json.loads(_read_regular(path, MAX_MAP_BYTES).decode("utf-8"))
            if not isinstance(data, dict) or data.get("format") != MAP_FORMAT:
                raise ValueError("not a deckgen id map")
            notes = data["notes"]
            if not isinstance(notes, list):
                raise ValueError("'notes' is not a list")
        except FileNotFoundError:
            return None, ""
        except (OSError, UnicodeDecodeError, ValueError, KeyError) as err:
            return None, f"{path}: unreadable id map ({err})"
        built = data.get("built", 0)
        built = built if type(built) is int and 0 <= built <= now + _FUTURE else 0
        entries, seen = [], set()
        for raw in notes:
            entry = _entry(raw, now)
            if entry is not None and entry.guid not in seen:
                seen.add(entry.guid)
                entries.append(entry)
        ignored = len(notes) - len(entries)
        entries_ignored = f"{ignored} {'entry' if ignored == 1 else 'entries'}"
        warning = f"{path}: {entries_ignored} of the id map ignored (not what deckgen writes)" if ignored else ""
        return cls(built, entries), warning

    def write(self, out: TextIO, deck: str) -> None:
        """JSON, one note per line (a commit shows the notes that changed), written as it
        goes (big decks need no second copy)."""
        head = json.dumps({"format": MAP_FORMAT, "version": 2, "deck": deck, "namespace": NAMESPACE,
                           "built": self.built}, ensure_ascii=False)
        out.write(head[:-1] + ', "notes": [\n')
        for n, e in enumerate(self.entries):
            record = {k: v for k, v in vars(e).items() if v or k in ("guid", "id", "source", "question")}
            if not e.retired:  # a live note's deck and content come from the notes: the map stays small
                record.pop("deck", None)
            out.write(("" if n == 0 else ",\n") + json.dumps(record, ensure_ascii=False))
        out.write("\n]}\n")


def id_map_path(sources: Sequence[str | Path], name: str, out_dir: str | Path) -> Path:
    """Where the id map of deck `name` lives: in the folder of the first source, so it
    travels with the notes (beside the package when that folder is read-only)."""
    first = Path(sources[0])
    folder = first if first.is_dir() else first.parent
    if not os.access(folder, os.W_OK):
        folder = Path(out_dir)
    return folder / f"{package_file_name(name)}{MAP_SUFFIX}"


# --- the previous package -------------------------------------------------------------------

@dataclass
class PackageNote:
    guid: str
    fields: list[str]
    tags: list[str]
    mod: int
    deck: str


def read_package(package: Path, model_id: int) -> list[PackageNote]:
    """The deckgen notes of an earlier package ([] if it is missing or unreadable)."""
    if package.is_symlink() or not package.is_file():  # a link or a FIFO is no package we wrote
        return []
    try:
        with zipfile.ZipFile(package) as z, tempfile.TemporaryDirectory() as tmp:
            db = Path(z.extract("collection.anki2", tmp))
            conn = sqlite3.connect(db)
            try:
                decks = json.loads(conn.execute("SELECT decks FROM col").fetchone()[0])
                names = {int(k): v.get("name", "") for k, v in decks.items()}
                rows = conn.execute("SELECT n.guid, n.flds, n.tags, n.mod, min(c.did) FROM notes n "
                                    "JOIN cards c ON c.nid = n.id WHERE n.mid = ? GROUP BY n.id", (model_id,))
                return [PackageNote(guid, flds.split("\x1f"), tags.split(), mod, names.get(did, ""))
                        for guid, flds, tags, mod, did in rows if isinstance(flds, str) and isinstance(tags, str)]
            finally:
                conn.close()
    except (OSError, KeyError, ValueError, TypeError, AttributeError, zipfile.BadZipFile, sqlite3.Error):
        return []


def field_text(field_html: str) -> str:
    """A field's HTML as plain text: line breaks where blocks end, tags dropped."""
    text = re.sub(r"<br\s*/?>|</(?:p|div|li|tr|h[1-6]|pre|blockquote)>", "\n", field_html, flags=re.I)
    text = unescape(re.sub(r"<[^>]*>", "", text)).replace(WORD_JOINER, "")
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _question_text(field_html: str) -> str:
    return field_text(re.sub(r'<span class="dg-qctx">.*?</span>', "", field_html))


def recover_from_package(notes: Sequence[PackageNote], now: int | None = None) -> IdMap:
    """An id map rebuilt from a package deckgen wrote: GUIDs, card ids, questions and
    the hash of each note's content, so unchanged notes stay unchanged."""
    now = int(time.time()) if now is None else now
    entries, seen = [], set()
    for note in notes:
        if len(note.fields) != len(FIELDS):
            continue
        fields = dict(zip(FIELDS, note.fields))
        source = re.sub(r":\d+$", "", field_text(fields["Source"]))
        retired = note.mod if RETIRED_TAG in note.tags else 0
        entry = _entry({"guid": note.guid, "id": field_text(fields["DeckgenId"]), "source": source,
                        "question": _question_text(fields["Question"]), "mod": note.mod, "deck": note.deck,
                        "hash": hash_note(note.fields, note.tags, note.deck), "retired": retired}, now)
        if entry is not None and entry.guid not in seen:
            seen.add(entry.guid)
            entries.append(entry)
    return IdMap(max((e.mod for e in entries), default=0), entries)


def retire_with_content(entries: Iterable[MapEntry], notes: Sequence[PackageNote]) -> None:
    """Newly retired entries keep their last answer, section and tags (as text) from the
    package they were last written to."""
    by_guid = {n.guid: n for n in notes if len(n.fields) == len(FIELDS)}
    for e in entries:
        note = by_guid.get(e.guid)
        if note is not None:
            fields = dict(zip(FIELDS, note.fields))
            e.answer = field_text(fields["Answer"])[:MAX_TEXT]
            e.section = field_text(fields["Section"])[:MAX_TEXT]
            e.tags = [t for t in note.tags if t != RETIRED_TAG][:50]
            e.deck = e.deck or note.deck


# --- matching cards to notes -----------------------------------------------------------------

def match_identities(cards: Sequence[Card], previous: IdMap,
                     keep_ids: Iterable[str] = ()) -> tuple[list[MapEntry | None], list[str], set[int]]:
    """For each card: the previous map entry it continues (same id, or a slightly edited
    question of the same source) and its GUID. Also returns the indexes of previous
    entries that were claimed. `keep_ids` are ids still in the notes but left out of
    this build (filters): their entries are never taken by another card."""
    from genanki import guid_for
    from rapidfuzz import fuzz, process

    entries = previous.entries
    # an id can repeat (two folders given on the command line holding the same file
    # name): its entries are taken in order, so each copy keeps its own note
    by_id: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(entries):
        by_id[e.id].append(i)
    keep = set(keep_ids)
    claimed: set[int] = set()
    matched: list[MapEntry | None] = [None] * len(cards)
    for n, card in enumerate(cards):
        if by_id.get(card.id):
            i = by_id[card.id].pop(0)
            claimed.add(i)
            matched[n] = entries[i]
    # slightly edited questions: the free entries of the same source, best ratio first
    free: dict[str, dict[int, str]] = defaultdict(dict)
    for i, e in enumerate(entries):
        if i not in claimed and e.id not in keep:
            free[e.source][i] = normalize_question(e.question)
    for n, card in enumerate(cards):
        choices = free.get(card.source)
        if matched[n] is not None or not choices:
            continue
        best = process.extractOne(normalize_question(card.question), choices, scorer=fuzz.ratio,
                                  score_cutoff=KEEP_GUID_RATIO)
        if best is not None:
            i = best[2]
            del choices[i]
            claimed.add(i)
            matched[n] = entries[i]
    used = {e.guid for e in entries}
    guids = []
    for n, card in enumerate(cards):
        if matched[n] is not None:
            guids.append(matched[n].guid)
            continue
        guid, k = guid_for(NAMESPACE, card.id), 1
        while guid in used:  # the id's natural GUID already belongs to another note
            k += 1
            guid = guid_for(NAMESPACE, card.id, k)
        used.add(guid)
        guids.append(guid)
    return matched, guids, claimed
