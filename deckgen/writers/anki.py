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
`<name>.ids.json` beside the package remembers every GUID with its card id, source and
question; on rebuild a question that changed only slightly (rapidfuzz ratio >= 90 on the
normalized question, same source) keeps its GUID, so Anki keeps its review history.
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

No JavaScript anywhere. Every character from a source reaches Anki as text: fields come
from deckgen.render (markdown-it with html=False), Source/Section are escaped, and Anki's
own field syntax ([sound:...], [latex], [$]...) is neutralized.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import re
import sqlite3
import tempfile
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from deckgen.card import Card, normalize_question

MODEL_ID = 1735481234
MODEL_NAME = "deckgen Q&A"
FIELDS = ("Question", "Answer", "Source", "Section", "Difficulty", "TypeAnswer", "DeckgenId")
TEMPLATE_NAMES = ("Recall", "Type answer")
NAMESPACE = "deckgen"
KEEP_GUID_RATIO = 90
TYPE_IN_MAX_CHARS = 60
TYPE_IN_MAX_WORDS = 5
RETIRED_TAG = "deckgen::retired"
UNANSWERED_TAG = "deckgen::unanswered"
MAP_FORMAT = "deckgen-anki-ids"

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


# --- names, tags, fields ----------------------------------------------------------------

def anki_tag(tag: str) -> str:
    """A tag Anki keeps as one hierarchical tag: no spaces, quotes or control
    characters, no empty "::" parts."""
    parts = []
    for part in tag.split("::"):
        part = re.sub(r'[\s"\x00-\x1f\x7f]+', "_", part.strip()).strip("_:")
        if part:
            parts.append(part)
    return "::".join(parts)


def _deck_part(text: str) -> str:
    text = " ".join(text.replace("::", ":").split()).strip(" :")
    if len(text) > 60:
        text = text[:60].rsplit(" ", 1)[0].rstrip(" :,;-") + "…"
    return text


_FILE_EXT = re.compile(r"\.(md|markdown|txt|ipynb|json|html?|rst)$", re.I)


def collection_name(source: str) -> str:
    """The deck level for a source: the file (or repo dump) path without extension."""
    return _deck_part(_FILE_EXT.sub("", source.split("::", 1)[0])) or "notes"


def deck_names(cards: Sequence[Card], root: str, flat: bool = False) -> list[str]:
    """The deck of each card: root::collection::top section, where the top section is
    the first heading level not shared by every card of the collection."""
    root = "::".join(p for p in (_deck_part(x) for x in root.split("::")) if p) or "deckgen"
    if flat:
        return [root] * len(cards)
    sections: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for card in cards:
        sections[collection_name(card.source)].append(card.section)
    shared: dict[str, int] = {}
    for name, paths in sections.items():
        depth = 0
        first = paths[0]
        while depth < len(first) and all(len(p) > depth and p[depth] == first[depth] for p in paths):
            depth += 1
        shared[name] = depth
    names = []
    for card in cards:
        collection = collection_name(card.source)
        rest = card.section[shared[collection]:]
        top = _deck_part(_FILE_EXT.sub("", rest[0])) if rest else ""
        names.append("::".join(p for p in (root, collection, top) if p))
    return names


def deck_id(name: str) -> int:
    """A stable deck id from the deck name (in genanki's recommended id range)."""
    digest = hashlib.sha1(name.encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


_ANKI_SYNTAX = re.compile(r"\[(?=sound:|anki:|latex\]|\$\]|\$\$\]|/latex\]|/\$\]|/\$\$\])", re.I)


def _neutralize(field_html: str) -> str:
    """Anki reads [sound:..], [latex], [$] in field text as commands; an entity keeps
    them as text."""
    return _ANKI_SYNTAX.sub("&#91;", field_html)


def _plain(html_text: str) -> str:
    text = re.sub(r"<[^>]+>", "", html_text)
    return " ".join(html.unescape(text).split())


def type_in_answer(card: Card) -> str:
    """The short plain answer for the type-in card, or "" when the answer is not short
    and simple: at most 60 characters and a few words (a term, a number, a name; typing
    a whole sentence exactly is a chore), no code, math or second line."""
    if not card.answered or card.kind != "question" or "$" in card.answer or "```" in card.answer:
        return ""
    if len(card.answer.strip().splitlines()) != 1:
        return ""
    from deckgen.render import inline_html

    plain = _plain(inline_html(re.sub(r"^[-*+]\s+", "", card.answer.strip())))  # a lone bullet
    return plain if 0 < len(plain) <= TYPE_IN_MAX_CHARS and len(plain.split()) <= TYPE_IN_MAX_WORDS else ""


def has_answer(card: Card) -> bool:
    """Answered, and the answer holds some text (not just a rule or an empty heading)."""
    return card.answered and any(ch.isalnum() for ch in card.answer)


def _context_options(card: Card) -> list[str]:
    """Ever wider labels for where a card sits: its deepest heading, then the heading
    path, then the file as well."""
    parts = [Path(_FILE_EXT.sub("", s)).name if _FILE_EXT.search(s) else s
             for s in card.section if s.strip() and s.strip() != card.question.strip()]
    file = Path(_FILE_EXT.sub("", card.source.split("::")[-1])).name
    options = [parts[-1]] if parts else []
    options += [" › ".join(parts[-2:]), " › ".join(parts), " › ".join([file, *parts])]
    return [o for o in options if o]


def question_contexts(cards: Sequence[Card]) -> dict[int, str]:
    """Anki flags notes whose first field repeats (and such fronts are ambiguous): for
    questions asked more than once in this build, the narrowest context label that
    tells the copies apart, by card index."""
    groups: dict[str, list[int]] = defaultdict(list)
    for n, card in enumerate(cards):
        groups[normalize_question(card.question)].append(n)
    labels: dict[int, str] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        options = {n: _context_options(cards[n]) for n in members}
        for level in range(4):
            chosen = {n: (opts[min(level, len(opts) - 1)] if opts else "") for n, opts in options.items()}
            if len(set(chosen.values())) == len(members):
                break
        labels.update((n, label) for n, label in chosen.items() if label)
    return labels


def note_fields(card: Card, type_in: bool = False, context: str = "") -> list[str]:
    from deckgen.render import inline_html, to_html

    if has_answer(card):
        answer = to_html(card.answer)
    else:
        answer = '<p class="dg-unanswered">Not answered in your notes yet.</p>'
    source = f"{card.source}:{card.line}" if card.line else card.source
    question = inline_html(card.question.strip())
    if context:
        question += f' <span class="dg-qctx">({html.escape(context, quote=False)})</span>'
    fields = [
        question,
        answer,
        html.escape(source, quote=False),
        html.escape(" › ".join(card.section), quote=False),
        card.difficulty or "",
        html.escape(type_in_answer(card), quote=False) if type_in else "",
        card.id,
    ]
    return [_neutralize(f) for f in fields]



def model():
    import genanki

    return genanki.Model(
        MODEL_ID, MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": TEMPLATE_NAMES[0], "qfmt": RECALL_FRONT, "afmt": RECALL_BACK},
                   {"name": TEMPLATE_NAMES[1], "qfmt": TYPE_FRONT, "afmt": TYPE_BACK}],
        css=CSS, sort_field_index=0)


# --- the id map -----------------------------------------------------------------------

@dataclass
class MapEntry:
    """One note deckgen has written under this deck name."""

    guid: str
    id: str
    source: str
    question: str
    hash: str = ""
    mod: int = 0          # the note's modification time in the last package
    deck: str = ""
    retired: int = 0      # when it disappeared from the notes (0: still there)
    fields: list[str] | None = None  # retired notes only: their last fields and tags, for
    tags: list[str] | None = None    # --export-retired


@dataclass
class IdMap:
    built: int = 0
    entries: list[MapEntry] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> tuple["IdMap", str]:
        """The map at `path` (empty if missing), and a warning if it was unreadable."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != MAP_FORMAT:
                raise ValueError("not a deckgen id map")
            known = set(MapEntry.__dataclass_fields__)
            entries = [MapEntry(**{k: v for k, v in e.items() if k in known}) for e in data["notes"]]
            return cls(int(data.get("built", 0)), entries), ""
        except FileNotFoundError:
            return cls(), ""
        except (OSError, ValueError, KeyError, TypeError) as err:
            return cls(), f"{path}: unreadable id map ({err}); every card counts as new"

    def write(self, out: TextIO, deck: str) -> None:
        """JSON, one note per line, written as it goes (big decks need no second copy)."""
        head = json.dumps({"format": MAP_FORMAT, "version": 1, "deck": deck, "namespace": NAMESPACE,
                           "built": self.built}, ensure_ascii=False)
        out.write(head[:-1] + ', "notes": [\n')
        for n, e in enumerate(self.entries):
            record = {k: v for k, v in vars(e).items() if v is not None}
            out.write(("" if n == 0 else ",\n") + json.dumps(record, ensure_ascii=False))
        out.write("\n]}\n")


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
    warnings: list[str] = field(default_factory=list)


def package_file_name(name: str) -> str:
    """A file name for a deck name: "ML::Stats" -> "ML-Stats"."""
    # quotes are dropped ('My "best" deck' -> 'My best deck'); other unsafe runs become "-"
    return re.sub(r'[\\/:*?<>|\x00-\x1f]+', "-", name.replace('"', "")).strip(" .-") or "deck"


def _hash(fields: list[str], tags: list[str], deck: str) -> str:
    data = "\x1f".join(fields) + "\x1e" + " ".join(tags) + "\x1e" + deck
    return hashlib.sha1(data.encode("utf-8")).hexdigest()[:16]


def _previous_notes(package: Path, guids: set[str]) -> dict[str, tuple[list[str], list[str]]]:
    """guid -> (fields, tags) of these notes in an earlier package, if it is readable."""
    found: dict[str, tuple[list[str], list[str]]] = {}
    if not guids or not package.is_file():
        return found
    try:
        with zipfile.ZipFile(package) as z, tempfile.TemporaryDirectory() as tmp:
            db = Path(z.extract("collection.anki2", tmp))
            conn = sqlite3.connect(db)
            try:
                for guid, flds, tags in conn.execute("SELECT guid, flds, tags FROM notes"):
                    if guid in guids:
                        found[guid] = (flds.split("\x1f"), tags.split())
            finally:
                conn.close()
    except (OSError, KeyError, zipfile.BadZipFile, sqlite3.Error):
        pass
    return found


def write_apkg(cards: Sequence[Card], out_dir: str | Path, name: str = "ML Interview", *,
               type_in: bool = False, export_retired: bool = False, flat: bool = False,
               keep_ids: Iterable[str] = (), now: float | None = None,
               progress: Callable[[int, int], None] | None = None) -> AnkiReport:
    """Write `out_dir/<name>.apkg` and its id map `<name>.ids.json`, atomically.

    `cards` are the cards to include (unanswered ones become cards saying so);
    `keep_ids` are ids still present in the notes but filtered out of this build, so
    they are not reported as retired. `progress(done, total)` is called while rendering.
    """
    import genanki

    from deckgen.writers import atomic_path

    out_dir = Path(out_dir)
    base = package_file_name(name)
    report = AnkiReport(out_dir / f"{base}.apkg", out_dir / f"{base}.ids.json")
    previous, warning = IdMap.load(report.ids_path)
    if warning:
        # keep the unreadable map (hand-edited, merge conflict...) instead of overwriting it
        kept = report.ids_path.with_name(report.ids_path.name + ".unreadable")
        try:
            report.ids_path.replace(kept)
            warning += f"; the old map is kept as {kept.name}"
        except OSError:
            pass
        report.warnings.append(warning)
    # later than the previous build even within one second: Anki takes only newer notes
    build_time = max(int(now if now is not None else time.time()), previous.built + 1)

    matched, guids, claimed = match_identities(cards, previous, keep_ids)
    names = deck_names(cards, name, flat)
    contexts = question_contexts(cards)

    # previous entries no card continued: filtered out (kept as they are) or retired
    keep = set(keep_ids)
    carried: list[MapEntry] = []
    retired_all: list[MapEntry] = []
    for i, e in enumerate(previous.entries):
        if i in claimed:
            continue
        if e.id in keep and not e.retired:
            carried.append(e)
            continue
        if not e.retired:
            e.retired = build_time
            report.retired.append(e)
        retired_all.append(e)
    # the last package still holds the newly retired notes: keep their content in the map
    old = _previous_notes(report.path, {e.guid for e in report.retired})
    for e in report.retired:
        e.fields, e.tags = old.get(e.guid, (None, None))
    exported = retired_all if export_retired else []

    entries: list[MapEntry] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(db)
        try:
            # notes go to the database as they are made, so memory does not grow with the deck
            add_note = _start_collection(conn.cursor(), [*names, *(e.deck or name for e in exported)],
                                         build_time)
            total = len(cards)
            for n, card in enumerate(cards):
                fields = note_fields(card, type_in, contexts.get(n, ""))
                tags = [t for t in (anki_tag(t) for t in card.tags) if t]
                if not has_answer(card):
                    tags.append(UNANSWERED_TAG)
                    report.unanswered += 1
                tags = list(dict.fromkeys(tags))
                digest = _hash(fields, tags, names[n])
                before = matched[n]
                if before is None:
                    report.new += 1
                    mod = build_time
                elif before.hash == digest and before.mod and not before.retired:
                    report.unchanged += 1
                    mod = before.mod  # Anki skips it: edits made in Anki survive
                else:
                    report.updated += 1
                    mod = build_time
                    report.kept_through_edit += before.id != card.id
                made = add_note(names[n], fields, tags, guids[n], mod)
                entries.append(MapEntry(guids[n], card.id, card.source, card.question, digest, mod, names[n]))
                report.type_in += made - 1
                report.decks[names[n]] += made
                report.cards += made
                if progress and (n % 200 == 0 or n + 1 == total):
                    progress(n + 1, total)
            for e in exported:
                fields, tags = e.fields, e.tags or []
                if fields is None or len(fields) != len(FIELDS):
                    fields = note_fields(Card(question=e.question, source=e.source, answered=False, id=e.id))
                    fields[1] = '<p class="dg-unanswered">No longer in your notes: you can delete this card.</p>'
                tags = list(dict.fromkeys([*(t for t in tags if t != UNANSWERED_TAG), RETIRED_TAG]))
                made = add_note(e.deck or name, fields, tags, e.guid, e.retired)
                report.retired_exported += 1
                report.decks[e.deck or name] += made
                report.cards += made
            conn.commit()
        finally:
            conn.close()
        report.notes = len(cards) + len(exported)
        with atomic_path(report.path) as tmp_apkg:
            _zip_package(db, tmp_apkg)
    with atomic_path(report.ids_path) as tmp_ids:
        with open(tmp_ids, "w", encoding="utf-8") as out:
            IdMap(build_time, [*entries, *carried, *retired_all]).write(out, name)
    report.size = report.path.stat().st_size
    return report


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
