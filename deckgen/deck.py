"""Load sources into a Deck: read, fold duplicates, assign stable ids, filter.

Problems are collected as Diagnostics (file, line, message); one bad file never
stops the others.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from pathlib import Path

from deckgen.card import Card, Diagnostic, Source, card_id, normalize_question

MAX_FILE_BYTES = 20 * 1024 * 1024
SKIP_DIRS = {".git", "__pycache__", "node_modules", ".ipynb_checkpoints", ".venv", "venv"}
# Files that are never notes, found while walking a folder.
SKIP_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".pdf", ".apkg", ".zip", ".gz", ".pyc",
                 ".db", ".sqlite", ".sqlite3", ".ico", ".woff", ".ttf", ".mp4", ".mp3",
                 ".json", ".jsonl", ".tmp"}  # .json: deckgen's own id maps and exports


@dataclass
class FileReport:
    """What happened to one input file."""

    path: str
    formats: list[str] = field(default_factory=list)
    cards: int = 0
    unanswered: int = 0
    folded: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    readable: bool = True
    text_chars: int = 0  # characters of text the readers accounted for
    lost_chars: int = 0  # of which in no card (each stretch has a diagnostic)

    @property
    def read_share(self) -> float | None:
        """The share of the file's text that became cards; None when its reader keeps no tally."""
        return 1 - self.lost_chars / self.text_chars if self.text_chars else None


@dataclass
class Deck:
    cards: list[Card]
    files: list[FileReport]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for f in self.files for d in f.diagnostics]

    @property
    def answered(self) -> list[Card]:
        return [c for c in self.cards if c.answered]

    def filter(self, tags: Iterable[str] = (), exclude_tags: Iterable[str] = (),
               search: str = "") -> "Deck":
        """Cards carrying any of `tags`, none of `exclude_tags`, and every word of
        `search` in question or answer. A tag matches any run of whole parts of a
        hierarchical tag: "statistics" or "topic::statistics" match topic::statistics::tests."""
        tags, exclude_tags = list(tags), list(exclude_tags)
        words = search.casefold().split()

        def has(card: Card, wanted: str) -> bool:
            # "statistics" matches topic::statistics::p_values: any run of whole parts
            parts = wanted.casefold().split("::")
            for tag in card.tags:
                segments = tag.casefold().split("::")
                if any(segments[i:i + len(parts)] == parts for i in range(len(segments))):
                    return True
            return False

        kept = [c for c in self.cards
                if (not tags or any(has(c, t) for t in tags))
                and not any(has(c, t) for t in exclude_tags)
                and all(w in (c.question + "\n" + c.answer).casefold() for w in words)]
        return Deck(kept, self.files)


def find_files(paths: Iterable[str | os.PathLike],
               skipped: list[FileReport] | None = None) -> list[tuple[Path, str]]:
    """Expand files and folders (recursively) to (path, display name) pairs.

    The display name is relative to the folder given, or the file's own name, so ids
    do not depend on where the command runs. Only regular files are read: inside a
    folder a symlink is followed only to a file inside that folder; FIFOs, devices,
    sockets, symlinked folders and links that lead out of the folder (or nowhere) are
    skipped, each with a FileReport appended to `skipped`.
    """
    found: list[tuple[Path, str]] = []
    skips = skipped if skipped is not None else []
    for given in paths:
        root = Path(given)
        if root.is_dir():
            found.extend(_walk(root, skips))
            continue
        problem = _special_file(root) if os.path.lexists(root) else None  # missing: load_source says so
        if problem:
            skips.append(_skipped_report(root.name, problem))
        else:
            found.append((root, root.name))
    return _distinct_names(_read_once(found, skips))


def _walk(root: Path, skips: list[FileReport]) -> list[tuple[Path, str]]:
    found = []
    inside = os.path.realpath(root)
    for dirpath, dirnames, filenames in os.walk(root):  # never descends into a symlinked folder
        kept = []
        for name in sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".")):
            path = Path(dirpath) / name
            if path.is_symlink():
                target = os.path.realpath(path)
                hint = ("its files are read where they are" if os.path.commonpath([inside, target]) == inside
                        else "give that folder as a source to read it")
                skips.append(_skipped_report(path.relative_to(root).as_posix(),
                                             f"symlink to the folder {target}; not followed ({hint})"))
            else:
                kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith(".") or path.suffix.lower() in SKIP_SUFFIXES:
                continue
            shown = path.relative_to(root).as_posix()
            problem = _outside_link(path, inside) or _special_file(path)
            if problem:
                skips.append(_skipped_report(shown, problem))
            else:
                found.append((path, shown))
    return found


def _outside_link(path: Path, inside: str) -> str | None:
    """Why a symlink in a folder is not followed: it leads out of `inside`, or nowhere."""
    if not path.is_symlink():
        return None
    target = os.path.realpath(path)
    if not os.path.exists(target):
        return f"broken symlink (to {target}); skipped"
    if os.path.commonpath([inside, target]) != inside:
        return f"symlink to {target}, outside the folder given; skipped (symlinks are followed only inside it)"
    return None


def _special_file(path: Path) -> str | None:
    """Why `path` is not read as a note file: it is no regular file (stat follows links)."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError as err:
        return f"cannot read: {err.strerror or err}; skipped"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = ("FIFO" if stat.S_ISFIFO(mode) else "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "socket" if stat.S_ISSOCK(mode) else "special file")
    return f"a {kind}, not a regular file; skipped"


def _read_once(found: list[tuple[Path, str]], skips: list[FileReport]) -> list[tuple[Path, str]]:
    """A symlink to a file that is read anyway (itself, or through an earlier link) is skipped."""
    real_names = {os.path.realpath(p): n for p, n in found if not p.is_symlink()}
    out = []
    for path, name in found:
        if path.is_symlink():
            real = os.path.realpath(path)
            if real in real_names:
                skips.append(_skipped_report(name, f"symlink to {real_names[real]}, read once under that name"))
                continue
            real_names[real] = name
        out.append((path, name))
    return out


def _skipped_report(name: str, message: str) -> FileReport:
    return FileReport(name, diagnostics=[Diagnostic(name, None, message, "warning")], readable=False)


def _distinct_names(found: list[tuple[Path, str]]) -> list[tuple[Path, str]]:
    """Two different files with one display name (a/notes.md, b/notes.md given as
    `a b`) get their parent folders in front until the names differ."""
    counts: dict[str, int] = defaultdict(int)
    for _, name in found:
        counts[name] += 1
    out = []
    for path, name in found:
        if counts[name] > 1:
            parts = path.resolve().parts
            depth = len(Path(name).parts) + 1
            name = "/".join(parts[-depth:])
            while depth < len(parts) and sum(1 for p, _ in found
                                             if "/".join(p.resolve().parts[-depth:]) == name) > 1:
                depth += 1
                name = "/".join(parts[-depth:])
        out.append((path, name))
    return out


def load_source(path: Path, name: str, report: FileReport) -> Source | None:
    """Read and decode one file, or record why it could not be read."""
    from deckgen.text.decode import BinaryFile, decode_bytes
    from deckgen.text.normalize import normalize_text
    from deckgen.text.repair import repair

    def fail(message: str) -> None:
        report.readable = False
        report.diagnostics.append(Diagnostic(name, None, message, "error"))

    try:
        data = _read_bytes(path)
    except FileNotFoundError:
        fail("no such file or folder")
        return None
    except OSError as err:
        fail(f"cannot read: {err.strerror or err}")
        return None
    except ValueError as err:  # too large, or not a regular file
        fail(f"{err}; skipped")
        return None
    try:
        text, notes = decode_bytes(data)
    except BinaryFile as err:
        fail(f"{err}; skipped")
        return None
    for line, message in notes:
        report.diagnostics.append(Diagnostic(name, line, message))
    return Source(name=name, text=repair(normalize_text(text)), path=str(path))


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, at most MAX_FILE_BYTES of them (counted as read, so a file that
    says it is empty but never ends is stopped too). Raises ValueError for a file too
    large or no regular file (it may have been swapped since the folder was walked)."""
    import stat

    # O_NONBLOCK: opening a FIFO must not wait for a writer; no effect on a regular file
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("not a regular file")
        limit = f"the limit is {MAX_FILE_BYTES / 1e6:.0f} MB"
        if info.st_size > MAX_FILE_BYTES:
            raise ValueError(f"file too large ({info.st_size / 1e6:.1f} MB; {limit})")
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"file too large (more than {MAX_FILE_BYTES / 1e6:.0f} MB read; {limit})")
    return data


def read_file(path: Path, name: str) -> tuple[list[Card], FileReport]:
    from deckgen import readers

    report = FileReport(name)
    source = load_source(path, name, report)
    if source is None:
        return [], report
    formats: list[tuple[str, str]] = []
    try:
        cards = list(readers.read(source, formats))
    except Exception as err:  # a reader bug must not take the other files down
        cards = []
        source.report(None, f"reader failed: {type(err).__name__}: {err}", "error")
        report.readable = False
    cards = [_unanswer_empty(_whole_characters(c, source), source) for c in cards]
    report.diagnostics.extend(source.diagnostics)
    report.text_chars, report.lost_chars = source.text_chars, source.lost_chars
    report.formats = sorted({f for _, f in formats})
    return cards, report


_SURROGATE = re.compile("[\ud800-\udfff]")


def _whole_characters(card: Card, source: Source) -> Card:
    """A lone surrogate (a JSON escape like \\ud800 in a notebook) is half a character:
    no file can hold it, so it becomes U+FFFD, with a note."""
    if not any(_SURROGATE.search(t) for t in (card.question, card.answer, *card.section)):
        return card
    source.report(card.line or None, "lone surrogate (half a character, e.g. a \\ud800 escape) replaced by U+FFFD")
    whole = partial(_SURROGATE.sub, "\ufffd")
    return replace(card, question=whole(card.question), answer=whole(card.answer),
                   section=tuple(map(whole, card.section)))


def _unanswer_empty(card: Card, source: Source) -> Card:
    """An answer with no letters or digits (a lone rule, an empty heading) is no answer."""
    if card.answered and not any(ch.isalnum() for ch in card.answer):
        source.report(card.line or None, f"answer has no text, kept as unanswered: {card.question[:60]}")
        return replace(card, answer="", answered=False)
    return card


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=4096)
def _answer_words(answer: str) -> frozenset[str]:
    return frozenset(_WORD.findall(answer.casefold()))


def _answers_overlap(a: Card, b: Card, share: float = 0.8) -> bool:
    """Most words (`share`) of the shorter answer appear in the longer one (a repeat,
    possibly cut short or extended). Word sets, not fuzzy alignment: cheap on long
    answers."""
    if a.kind == "code" and b.kind == "code":
        # code shares most of its vocabulary (self, np, return, X): only a near-copy repeats
        from rapidfuzz import fuzz

        ca, cb = (" ".join(c.answer.split())[:6000] for c in (a, b))
        return fuzz.ratio(ca, cb) >= 90
    wa, wb = _answer_words(a.answer), _answer_words(b.answer)
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return not short or len(short & long_) >= share * len(short)


# Words that ask rather than say: "What is active learning?" and "Active learning"
# ask the same thing.
_ASKING_WORDS = frozenset("""a an the is are was were be what whats what's which who how why when where
    do does did can could would should will you your we i me my of in on to for and or with about
    explain describe define definition tell discuss give briefly mean meant means by""".split())


def _topic_key(norm: str) -> str:
    """The content words, plural -s dropped, in sorted order: "Preprocessing videos"
    and "Video preprocessing" get one key."""
    words = re.findall(r"[\w'+-]+", norm)
    content = {w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
               for w in words if w not in _ASKING_WORDS}
    return " ".join(sorted(content))


def _same_item(card: Card, other: Card) -> bool:
    """Whether two cards with matching questions are one item. Inside one file an
    unanswered repeat folds into the answered one; across the inner files of a dump
    only two answered cards with nearly the same answer fold (chapters of a repo
    reuse titles like "Problem formulation" for different things)."""
    if card.source == other.source:
        return not card.answered or not other.answered or _answers_overlap(card, other)
    return card.answered and other.answered and _answers_overlap(card, other, 0.9)


_NUMBER = re.compile(r"\d+")
_RECENT = 50  # candidates compared per key


def fold_duplicates(cards: list[Card]) -> tuple[list[Card], int]:
    """Fold repeats of the same question inside one file, keeping the most complete
    answer. Two items fold when their questions are near-identical (rapidfuzz ratio
    >= 92) or ask about the same words ("Active learning" / "What is active
    learning?") and they are one item by `_same_item`. Returns the kept cards and how
    many were folded."""
    from rapidfuzz import fuzz

    _answer_words.cache_clear()  # a per-call memo: one card meets many candidates
    kept: list[Card] = []
    # Candidates come from exact keys per file (topic words; first and last two
    # content words), and only the most recent few per key are compared, so folding
    # stays linear however many cards a file has.
    buckets: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    norms: list[str] = []
    topics: list[str] = []
    folded = 0
    for card in cards:
        norm = normalize_question(card.question)
        file = card.source.split("::", 1)[0]
        topic = _topic_key(norm)
        content = [w for w in re.findall(r"[\w'+-]+", norm) if w not in _ASKING_WORDS]
        keys = [(file, "topic", topic), (file, "head", " ".join(content[:2])),
                (file, "tail", " ".join(content[-2:]))]
        match = None
        for index in dict.fromkeys(i for key in keys for i in buckets[key][-_RECENT:]):
            other = kept[index]
            # "L1 regularization" and "L2 regularization" are different questions
            if _NUMBER.findall(norm) != _NUMBER.findall(norms[index]):
                continue
            same_topic = bool(topic) and topics[index] == topic
            if not same_topic and fuzz.ratio(norm, norms[index]) < 92:
                continue
            if _same_item(card, other):
                match = index
                break
        if match is None:
            for key in keys:
                buckets[key].append(len(kept))
            kept.append(card)
            norms.append(norm)
            topics.append(topic)
            continue
        folded += 1
        other = kept[match]
        better = card if (card.answered, len(card.answer)) > (other.answered, len(other.answer)) else other
        tags = tuple(dict.fromkeys(other.tags + card.tags))
        kept[match] = replace(other, answer=better.answer, answered=better.answered,
                              tags=tags, difficulty=other.difficulty or card.difficulty,
                              kind=better.kind if better.answered else other.kind)
    return kept, folded


@lru_cache(maxsize=4096)  # a deck repeats a few section and file names many times
def tag_slug(text: str) -> str:
    """A tag part without spaces or Anki's separators: "Deep Learning" -> "deep_learning"."""
    text = re.sub(r"\.(md|ipynb|txt|markdown)$", "", text.strip(), flags=re.I)
    return re.sub(r"[^\w.+-]+", "_", text.casefold()).strip("_")[:60] or "misc"


def standard_tags(card: Card) -> tuple[str, ...]:
    """Hierarchical tags every card gets: source::<file>, topic::<top section>,
    difficulty::<level>, kept after the reader's own tags."""
    tags = list(card.tags)
    tags.append("source::" + tag_slug(card.source.split("::", 1)[0].rsplit("/", 1)[-1]))
    if card.section:
        # two levels: a single-file note's first heading is often just its title
        tags.append("::".join(["topic"] + [tag_slug(part.rsplit("/", 1)[-1]) for part in card.section[:2]]))
    if card.difficulty:
        tags.append("difficulty::" + card.difficulty)
    return tuple(dict.fromkeys(t for t in tags if t))


def assign_ids(cards: list[Card]) -> list[Card]:
    """Give each card its stable id and standard tags; identical questions in one
    source are numbered in order of appearance."""
    seen: dict[tuple[str, str], int] = defaultdict(int)
    out = []
    for card in cards:
        key = (card.source, normalize_question(card.question))
        seen[key] += 1
        out.append(replace(card, id=card_id(card.source, card.question, seen[key]),
                           tags=standard_tags(card)))
    return out


def _read_folded(path: Path, name: str, use_cache: bool) -> tuple[list[Card], FileReport]:
    from deckgen import parse_cache

    if use_cache:
        hit = parse_cache.get(path, name)
        if hit is not None:
            cards, fields = hit
            return cards, FileReport(**fields)
    cards, report = read_file(path, name)
    cards, report.folded = fold_duplicates(cards)
    report.cards = sum(c.answered for c in cards)
    report.unanswered = len(cards) - report.cards
    if use_cache and report.readable:
        parse_cache.put(path, name, cards, dict(report.__dict__))
    return cards, report


def load(paths: Iterable[str | os.PathLike],
         progress: Callable[[str, int, int], None] | None = None, cache: bool = False) -> Deck:
    """Read every file under `paths` into a Deck. `progress(name, done, total)` is
    called after each file. With `cache`, unchanged files are not parsed again
    (see parse_cache)."""
    skipped: list[FileReport] = []
    files = find_files(paths, skipped)
    all_cards: list[Card] = []
    reports: list[FileReport] = []
    for done, (path, name) in enumerate(files, 1):
        cards, report = _read_folded(path, name, cache)
        all_cards.extend(cards)
        reports.append(report)
        if progress:
            progress(name, done, len(files))
    return Deck(assign_ids(all_cards), reports + skipped)
