"""Anki package (.apkg) writer whose packages update in place when imported again.

FROZEN NOTE TYPE (never change the id, the field names or their order, or the template
names: Anki treats any such change as a different note type and stops updating the
notes already in a collection; CSS and template *bodies* may evolve):

    name        "deckgen Q&A"               (users may rename it in Anki; the id is what counts)
    id          MODEL_ID = 1735481234
    fields      Question    the question, inline HTML
                Answer      the answer, HTML rendered from markdown (deckgen.render.to_html)
                Source      "file:line" (repo dumps: "dump::inner/path:line")
                Section     the heading path, "Top › Sub › Sub"
                Difficulty  easy / medium / hard, or empty
                TypeAnswer  plain-text answer for the type-in card (only with --type-in, only
                            for answers of at most 60 characters and 5 words), otherwise empty
                DeckgenId   the card's deckgen id (search it in the browser: DeckgenId:abc...)
    templates   "Recall"       every note: question -> answer
                "Type answer"  only notes whose TypeAnswer is filled (its front is empty otherwise,
                               so Anki makes no card)

IDENTITY: a note's GUID is genanki.guid_for(NAMESPACE, card.id). The id map
(deckgen.writers.anki_ids: `<name>.deckgen-ids.json` in the notes folder, committed with
the notes; the previous package stands in when it is missing) remembers every GUID with
its card id, source and question; on rebuild a question that changed only slightly
(rapidfuzz ratio >= 90 on the normalized question, same source) keeps its GUID, so Anki
keeps its review history.
The map also gives the report (new / updated / unchanged / retired since the last build)
and each note's modification time: unchanged notes keep the time of the build that last
changed them, so re-importing does not overwrite edits made in Anki to notes whose source
did not change, while changed notes carry the build time and Anki (which updates a note
only when the incoming one is newer) takes them. Each build's time is later than the
previous build's, even within one second. GUIDs do not depend on the deck name: a deck
built under a new --name updates the same notes in Anki (its report starts afresh, as
the map is kept per name).

DECKS: "<name>::<collection>::<top section>", collection = the source file (the dump
file for repo dumps) without extension, top section = the first heading level that is
not shared by every card of that collection. Deck ids derive from deck names. Anki
never moves existing cards between decks on import; only new cards land in new decks.

TAGS: the deck's hierarchical tags made Anki-safe (no spaces, no quotes, no empty
"::" parts), plus deckgen::unanswered and deckgen::retired where they apply.

No JavaScript anywhere. Every character from a source reaches Anki as text or as the
markup deckgen.render makes for it (deckgen.writers.anki_fields): HTML in the notes
follows deckgen.notes_html, math follows deckgen.mathjax, and Anki's own field syntax
([sound:...], [[type:...]], [latex], [$]...) is neutralized.

The parts of a build: load the known identities (anki_ids), match cards to them, retire
what no card continues, write the notes into a collection, zip it, write the id map.
"""

from __future__ import annotations

import itertools
import sqlite3
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from deckgen.card import Card
from deckgen.writers import atomic_path
from deckgen.writers.anki_fields import (FIELDS, RETIRED_TAG, UNANSWERED_TAG, anki_tag, clean_deck_name,  # noqa: F401
                                         deck_id, deck_names, has_answer, hash_note, note_fields, note_tags,
                                         package_file_name, question_contexts, retired_fields,
                                         type_in_answer)
from deckgen.writers.anki_ids import (LEGACY_SUFFIX, MAP_SUFFIX, NAMESPACE, IdMap, MapEntry,  # noqa: F401
                                      match_identities, read_package, recover_from_package,
                                      retire_with_content)

MODEL_ID = 1735481234
MODEL_NAME = "deckgen Q&A"
TEMPLATE_NAMES = ("Recall", "Type answer")

_META_FRONT = '{{#Section}}<div class="dg-context">{{Section}}</div>{{/Section}}'
_BADGE = '{{#Difficulty}}<span class="dg-badge dg-{{Difficulty}}">{{Difficulty}}</span>{{/Difficulty}}'
_QUESTION = '<div class="dg-question{{#Section}} dg-in-context{{/Section}}">{{Question}}</div>'
RECALL_FRONT = f'{_META_FRONT}\n{_QUESTION}\n{_BADGE}'
RECALL_BACK = ('{{FrontSide}}\n<hr id="answer">\n<div class="dg-answer">{{Answer}}</div>\n'
               '<div class="dg-source">{{Source}}</div>')
TYPE_FRONT = f'{{{{#TypeAnswer}}}}{_META_FRONT}\n{_QUESTION}\n{{{{type:TypeAnswer}}}}{{{{/TypeAnswer}}}}'
TYPE_BACK = ('{{#TypeAnswer}}<div class="dg-question">{{Question}}</div>\n<hr id="answer">\n'
             '{{type:TypeAnswer}}\n<div class="dg-answer">{{Answer}}</div>\n'
             '<div class="dg-source">{{Source}}</div>{{/TypeAnswer}}')

CSS = """\
.card { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
  font-size: 19px; line-height: 1.5; text-align: left; color: #1f2328; background-color: #ffffff; }
.dg-question, .dg-answer, .dg-context, .dg-source { max-width: 50rem; }
.dg-question { font-size: 1.12em; font-weight: 600; }
.dg-context, .dg-source { font-size: .72em; color: #6e7781; }
.dg-context { margin-bottom: .5em; }
.dg-source { margin-top: 1.4em; padding-top: .3em; border-top: 1px solid #d0d7de; }
.dg-badge { display: inline-block; margin-top: .5em; font-size: .65em; padding: .05em .55em; border-radius: 1em;
  border: 1px solid currentColor; opacity: .75; }
.dg-easy { color: #1a7f37; } .dg-medium { color: #9a6700; } .dg-hard { color: #cf222e; }
.dg-answer code { background: rgba(127, 127, 127, .16); padding: .08em .3em; border-radius: 4px; font-size: .9em; }
.dg-answer pre code { background: none; padding: 0; font-size: inherit; }
.dg-question code { font-size: .92em; }
.dg-qctx { font-weight: normal; font-size: .8em; opacity: .7; }
.dg-in-context .dg-qctx { display: none; } /* the context line above already says it */
.dg-scroll, .dg-math { overflow-x: auto; }
table { border-collapse: collapse; margin: .5em 0; font-size: .92em; }
th, td { border: 1px solid #d0d7de; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: rgba(127, 127, 127, .12); }
ul, ol { padding-left: 1.5em; margin: .3em 0; }
li { margin: .12em 0; }
p { margin: .45em 0; }
blockquote { border-left: 3px solid #d0d7de; margin: .5em 0; padding-left: .8em; color: #57606a; }
img { max-width: 100%; }
a { color: #0969da; }
.dg-unanswered { font-style: italic; color: #9a6700; }
#typeans { font-family: inherit; font-size: 1em; width: 100%; box-sizing: border-box; }
/* night mode: Anki desktop/AnkiMobile add .nightMode, AnkiDroid .night_mode */
.card.nightMode, .nightMode .card, .card.night_mode, .night_mode .card { color: #e6edf3; background-color: #1e1f22; }
.nightMode .dg-context, .nightMode .dg-source, .night_mode .dg-context, .night_mode .dg-source { color: #9198a1; }
.nightMode .dg-source, .night_mode .dg-source { border-top-color: #3d444d; }
.nightMode th, .nightMode td, .night_mode th, .night_mode td { border-color: #3d444d; }
.nightMode blockquote, .night_mode blockquote { border-left-color: #3d444d; color: #9198a1; }
.nightMode a, .night_mode a { color: #58a6ff; }
.nightMode .dg-easy, .night_mode .dg-easy { color: #3fb950; }
.nightMode .dg-medium, .night_mode .dg-medium, .nightMode .dg-unanswered, .night_mode .dg-unanswered { color: #d29922; }
.nightMode .dg-hard, .night_mode .dg-hard { color: #f85149; }
"""


def model():
    import genanki

    return genanki.Model(
        MODEL_ID, MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": TEMPLATE_NAMES[0], "qfmt": RECALL_FRONT, "afmt": RECALL_BACK},
                   {"name": TEMPLATE_NAMES[1], "qfmt": TYPE_FRONT, "afmt": TYPE_BACK}],
        css=CSS, sort_field_index=0)




# --- the build --------------------------------------------------------------------------

@dataclass
class AnkiReport:
    path: Path
    ids_path: Path
    size: int = 0
    notes: int = 0
    cards: int = 0
    decks: Counter = field(default_factory=Counter)  # deck name -> cards
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_through_edit: int = 0     # questions edited slightly that kept their note
    retired: list[MapEntry] = field(default_factory=list)  # newly retired since the last build
    retired_exported: int = 0
    unanswered: int = 0
    type_in: int = 0
    ids_from: str = ""             # where the known GUIDs came from, for the build summary
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Previous:
    """What the last build left: its package (read once, when needed) and the id map."""

    package: Path
    ids: IdMap = field(default_factory=IdMap)
    map_path: Path | None = None  # the id map read, if one was

    @cached_property
    def notes(self):
        return read_package(self.package, MODEL_ID)


def write_apkg(cards: Sequence[Card], out_dir: str | Path, name: str = "ML Interview", *,
               type_in: bool = False, export_retired: bool = False, flat: bool = False,
               keep_ids: Iterable[str] = (), ids_path: str | Path | None = None, remote_images: bool = False,
               now: float | None = None, progress: Callable[[int, int], None] | None = None) -> AnkiReport:
    """Write `out_dir/<name>.apkg` and the id map (`ids_path`, by default
    `out_dir/<name>.deckgen-ids.json`), each atomically.

    `cards` are the cards to include (unanswered ones become cards saying so);
    `keep_ids` are ids still present in the notes but filtered out of this build, so
    they are not reported as retired. `progress(done, total)` is called while rendering.
    """
    out_dir = Path(out_dir)
    base = package_file_name(name)
    report = AnkiReport(out_dir / f"{base}.apkg", Path(ids_path) if ids_path else out_dir / f"{base}{MAP_SUFFIX}")
    legacy = out_dir / f"{base}{LEGACY_SUFFIX}"
    previous = _load_previous(report, legacy)
    # later than the previous build even within one second: Anki takes only newer notes
    build_time = max(int(now if now is not None else time.time()), previous.ids.built + 1)
    keep = set(keep_ids)
    matched, guids, claimed = match_identities(cards, previous.ids, keep)
    carried, retired_all = _retire(previous, claimed, keep, build_time, report)
    exported = retired_all if export_retired else []
    options = dict(type_in=type_in, flat=flat, remote_images=remote_images, progress=progress)
    entries = _write_package(report, cards, name, matched, guids, exported, build_time, **options)
    _write_map(report.ids_path, IdMap(build_time, [*entries, *carried, *retired_all]), name)
    if previous.map_path == legacy != report.ids_path:
        legacy.unlink()  # its content now lives in the new map
    report.size = report.path.stat().st_size
    return report


def _load_previous(report: AnkiReport, legacy: Path) -> _Previous:
    """The identities of the last build: the id map, else a map in the old place, else
    the GUIDs in the last package. Says which in `report.ids_from`."""
    previous = _Previous(report.path)
    for path in dict.fromkeys([report.ids_path, legacy]):
        ids, warning = IdMap.load(path)
        if warning:
            report.warnings.append(warning)
        if ids is None and warning:  # unreadable: set it aside, never overwrite what the user had
            _set_aside(path, report)
        if ids is not None:
            previous.ids, previous.map_path = ids, path
            report.ids_from = ("taken from the id map" if path == report.ids_path
                               else f"taken from the id map in the old place, {path} (moved)")
            return previous
    recovered = recover_from_package(previous.notes)
    if recovered.entries:
        previous.ids = recovered
        report.ids_from = f"no id map: {len(recovered.entries)} GUIDs recovered from {report.path}"
    else:
        report.ids_from = "no id map and no earlier package: every note is new"
    return previous


def _set_aside(path: Path, report: AnkiReport) -> None:
    kept, n = path.with_name(path.name + ".unreadable"), 1
    while kept.exists():  # an earlier broken map stays too
        n += 1
        kept = path.with_name(f"{path.name}.unreadable{n}")
    try:
        path.replace(kept)
        report.warnings[-1] += f"; it is kept as {kept.name}"
    except OSError:
        pass


def _retire(previous: _Previous, claimed: set[int], keep: set[str], build_time: int,
            report: AnkiReport) -> tuple[list[MapEntry], list[MapEntry]]:
    """Previous entries no card continued: filtered out of this build (carried as they
    are) or retired. Newly retired ones keep their last content from the last package."""
    carried: list[MapEntry] = []
    retired_all: list[MapEntry] = []
    for i, e in enumerate(previous.ids.entries):
        if i in claimed:
            continue
        if e.id in keep and not e.retired:
            carried.append(e)
            continue
        if not e.retired:
            e.retired = build_time
            report.retired.append(e)
        retired_all.append(e)
    if report.retired:
        retire_with_content(report.retired, previous.notes)
    return carried, retired_all


def _note_change(before: MapEntry | None, digest: str, build_time: int, report: AnkiReport) -> int:
    """Count the note as new, updated or unchanged; returns its modification time."""
    if before is None:
        report.new += 1
        return build_time
    if before.hash == digest and before.mod and not before.retired:
        report.unchanged += 1
        return before.mod  # Anki skips it: edits made in Anki survive
    report.updated += 1
    return build_time


def _write_package(report: AnkiReport, cards: Sequence[Card], name: str, matched, guids, exported,
                   build_time: int, *, type_in: bool, flat: bool, remote_images: bool, progress) -> list[MapEntry]:
    """Write the notes (and exported retired ones) into a collection and zip it to the
    package; returns the map entries of this build's notes."""
    names = deck_names(cards, name, flat)
    contexts = question_contexts(cards)
    retired_decks = [_retired_deck(e.deck, name) for e in exported]
    entries: list[MapEntry] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(db)
        try:
            # notes go to the database as they are made, so memory does not grow with the deck
            add_note = _start_collection(conn.cursor(), [*names, *retired_decks], build_time)
            for n, card in enumerate(cards):
                fields = note_fields(card, type_in, contexts.get(n, ""), remote_images)
                tags = note_tags(card)
                report.unanswered += UNANSWERED_TAG in tags
                digest = hash_note(fields, tags, names[n])
                mod = _note_change(matched[n], digest, build_time, report)
                report.kept_through_edit += matched[n] is not None and matched[n].id != card.id
                made = add_note(names[n], fields, tags, guids[n], mod)
                entries.append(MapEntry(guids[n], card.id, card.source, card.question, digest, mod, names[n]))
                report.type_in += made - 1
                report.decks[names[n]] += made
                report.cards += made
                if progress and (n % 200 == 0 or n + 1 == len(cards)):
                    progress(n + 1, len(cards))
            for e, deck in zip(exported, retired_decks):
                fields = retired_fields(e.question, e.answer, e.source, e.section, e.id)
                tags = list(dict.fromkeys([*(t for t in map(anki_tag, e.tags) if t and t != UNANSWERED_TAG),
                                           RETIRED_TAG]))
                made = add_note(deck, fields, tags, e.guid, e.retired)
                report.retired_exported += 1
                report.decks[deck] += made
                report.cards += made
            conn.commit()
        finally:
            conn.close()
        report.notes = len(cards) + len(exported)
        with atomic_path(report.path) as tmp_apkg:
            _zip_package(db, tmp_apkg)
    return entries


def _retired_deck(deck: str, root: str) -> str:
    """A retired note's deck as the map remembers it, if it is one of ours; else the root."""
    root, deck = clean_deck_name(root), clean_deck_name(deck)
    return deck if deck == root or deck.startswith(root + "::") else root


def _write_map(path: Path, ids: IdMap, name: str) -> None:
    with atomic_path(path) as tmp_ids:
        with open(tmp_ids, "w", encoding="utf-8") as out:
            ids.write(out, name)


def _start_collection(cursor, deck_names_used: Iterable[str], build_time: int):
    """Write genanki's empty collection with our note type and decks; returns
    add_note(deck, fields, tags, guid, mod) -> number of cards made."""
    import genanki

    the_model = model()
    decks = {}
    for deck_name in dict.fromkeys(deck_names_used):
        decks[deck_name] = genanki.Deck(deck_id(deck_name), deck_name)
        decks[deck_name].add_model(the_model)
    ids = itertools.count(build_time * 1000)
    genanki.Package(list(decks.values())).write_to_db(cursor, build_time, ids)

    def add_note(deck_name: str, fields: list[str], tags: list[str], guid: str, mod: int) -> int:
        note = genanki.Note(model=the_model, fields=fields, tags=tags, guid=guid)
        # genanki stamps a note with the timestamp it is given: each note gets its own
        note.write_to_db(cursor, mod, decks[deck_name].deck_id, ids)
        return len(note.cards)

    return add_note


def _zip_package(db: Path, target: Path) -> None:
    """The .apkg: genanki's layout (collection.anki2 and an empty media map), compressed."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.write(db, "collection.anki2")
        z.writestr("media", "{}")
