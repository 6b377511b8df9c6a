"""A reference answer prepared for grading: its key points, the indices answers are matched with,
the terms it contrasts and what it says of each (one job per function; `prepare` puts them together).

Key points are whole sentences, bullets, numbered lines and `Term: explanation` labels, so what
the quiz shows as hit or missed reads as the notes do; a point's words weigh by informativeness
(wordfreq), words recurring across points weigh less, and words of the question weigh a fraction
of their worth: they earn little, but a point made only of them can still be covered.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from deckgen.quiz import grader_checks as checks
from deckgen.quiz import grader_terms as terms_mod
from deckgen.quiz.grader_text import is_content, parse_number, plain, stem, synonym, tokens, weight

QUESTION_SHARE = 0.25  # a word of the question earns this share of its weight

_BULLET = re.compile(r"^\s*(?:[-*+\u2022]|\d+[.)]|[a-z][.)])\s+")
_POSITION = re.compile(r"\s*(\d+)[.)]")
_LABEL = re.compile(r"^([^:]{1,60}?):(?:\s+(.*))?$")
# a sentence ends at . ! ? before a capital, a digit or a quote; "e.g. x" and "1.5" do not end one
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"'])")
_EXAMPLE = re.compile(r"^(?:example|for example|for instance|e\.g\.|eg\b|note\b|e\.g,)", re.IGNORECASE)
_CODE = re.compile(r"^(?:import |from \w+ import|print\(|def |return |>>>)|^\w+(?:\[[^\]]*\])*\s*=\s*\S")
_NUMERIC_QUESTION = re.compile(r"\b(probability|how many|how much|what is the (?:value|chance|odds|expected)|"
                               r"calculate|compute|estimate|chance|odds)\b", re.IGNORECASE)


@dataclass
class Point:
    text: str
    stems: dict[str, float]  # content stem -> weight
    importance: float
    owners: frozenset[int] = frozenset()  # the terms it speaks of, when the reference contrasts terms
    group: int = 0  # points under one heading or label form one item of a list
    item: int = -1  # the bullet, numbered line or `Term:` label it is under; -1 before any (plain prose)


@dataclass
class Reference:
    points: list[Point]
    vocab: dict[str, float]  # every content stem of the reference -> weight
    by_prefix: dict[str, list[str]]
    by_synonym: dict[str, set[str]]  # synonym group -> the reference's stems in it
    joins: dict[str, tuple[str, str]]  # "autoencoder" -> ("auto", "encoders"): hyphen or space dropped
    runs: list[list[str]]  # runs of content words, for acronyms ("rf" = random forest)
    question_stems: frozenset[str]
    terms: list
    profiles: list[dict[str, float]]  # per term: content stems said of it
    term_stems: frozenset[str]
    key_numbers: list[float]
    numeric_question: bool
    words: list[str]
    word_stems: frozenset[str]
    relations: list[tuple[str, set[str], set[str], int | None]]  # with the term each is said of
    big_o: frozenset[str]  # complexities the reference states, "o(logn)"
    text: str = ""  # the reference as plain text
    contrast: bool = False  # the question asks for a comparison of its terms
    polarity: tuple | None = None  # what it denies and affirms, worked out on first need


@lru_cache(maxsize=65536)
def word_facts(w: str) -> tuple[str, float, bool]:
    """(stem, weight, can earn credit) of a word, computed once per word."""
    return stem(w), weight(w), is_content(w)


def content(words: list[str], question_stems: frozenset[str], question_share: float | None = None
            ) -> dict[str, float]:
    """Stems of the words that can earn credit (not stop words) -> weight; the question's words
    weigh `question_share` of theirs (0: they earn nothing)."""
    share = QUESTION_SHARE if question_share is None else question_share
    out: dict[str, float] = {}
    for w in words:
        s, wt, ok = word_facts(w)
        if not ok:
            continue
        if s in question_stems:
            wt *= share
        if wt > 0 and (s not in out or out[s] < wt):
            out[s] = wt
    return out


@dataclass
class _Reading:
    """What reading the reference's lines gives, in reading order."""
    points: list[Point]
    labels: list[str]
    sentences: list[tuple[str, list[str], int | None]]  # each sentence, its words, id of its key point or None
    statements: list[str]  # every sentence, telling words or not ("6.")


def _line_label(raw: str, numbered: int) -> tuple[str, bool, int, str | None, str]:
    """(line without its marker, starts an item, last list number, label, text after the label)."""
    marker = _BULLET.match(raw)
    position = _POSITION.match(raw)
    if position and int(position.group(1)) not in (1, numbered + 1):
        marker = None  # "6. The wait is geometric": an answer that opens with its number, no list
    elif position:
        numbered = int(position.group(1))
    line = (raw[marker.end():] if marker else raw).strip()
    label, rest = None, line
    m = _LABEL.match(line)
    if m and len(m.group(1).split()) <= 6 and "http" not in m.group(1):
        label, rest = m.group(1).strip(), (m.group(2) or "").strip()
    return line, bool(marker), numbered, label, rest


def _importance(line: str, label: str | None, sentence: str) -> float:
    if _CODE.match(line):
        return 0.3
    if _EXAMPLE.match(sentence) or (label and _EXAMPLE.match(label)):
        return 0.5
    return 1.0


def _joined_lines(text: str) -> list[str]:
    """The reference's lines with a paragraph's soft line breaks joined: a line that starts in
    lower case, after a line that ends no sentence, goes on that line ("…learning rates and" /
    "makes training…" is one sentence, one key point)."""
    lines: list[str] = []
    for raw in text.split("\n"):
        if (lines and raw[:1].islower() and lines[-1].strip()
                and not lines[-1].rstrip().endswith((".", "!", "?", ":", ";"))
                and not _BULLET.match(raw)):
            lines[-1] = lines[-1].rstrip() + " " + raw.strip()
        else:
            lines.append(raw)
    return lines


def _read(text: str, question_stems: frozenset[str]) -> _Reading:
    """Key points of the reference: a point per sentence, bullet, numbered line or label."""
    reading = _Reading([], [], [], [])
    group, under_heading, item, numbered = 0, False, -1, 0
    for raw in _joined_lines(text):
        line, starts_item, numbered, label, rest = _line_label(raw, numbered)
        if not line:
            continue
        if label:
            reading.labels.append(label)
        # an item starts at a heading or a naming label ("Bagging: ..."), not at "Example:" or "Definition:"
        if label and not terms_mod.is_attribute_label(label):
            group, under_heading = group + 1, not rest
            starts_item = True
        if starts_item:  # the lines after an item's first line belong to it
            item += 1
        if not rest:
            words = tokens(label)
            stems = content(words, question_stems)
            if stems:
                reading.points.append(Point(label, stems, 0.5, group=group, item=item))
            reading.sentences.append((label, words, id(reading.points[-1]) if stems else None))
            continue
        for n, sentence in enumerate(_SENTENCE.split(rest)):
            shown = f"{label}: {sentence}" if label and n == 0 else sentence
            reading.statements.append(shown)
            words = tokens(shown)
            stems = content(words, question_stems)
            if not stems:
                reading.sentences.append((shown, words, None))
                continue
            if not label and not under_heading:
                group += 1  # plain prose: each point is an item of its own
            reading.points.append(Point(shown.strip(), stems, _importance(line, label, sentence), group=group,
                                        item=item))
            reading.sentences.append((shown, words, id(reading.points[-1])))
    return reading


def _spread_down(points: list[Point]) -> None:
    """Weigh down words that recur across the reference's points: "centre" in every step of an
    algorithm tells the steps apart less than "average" in one (an inverse document frequency
    over the points, 1 for a word in one point)."""
    n = len(points)
    if n < 2:
        return
    spread: dict[str, int] = {}
    for p in points:
        for s in p.stems:
            spread[s] = spread.get(s, 0) + 1
    factor = {s: (1 + math.log(n / k)) / (1 + math.log(n)) for s, k in spread.items() if k > 1}
    for p in points:
        p.stems = {s: w * factor.get(s, 1.0) for s, w in p.stems.items()}


def _indices(points: list[Point], all_words: list[str]):
    """(vocab, by_synonym, by_prefix, joins, runs): how answer words find the reference's."""
    vocab: dict[str, float] = {}
    for p in points:
        for s, w in p.stems.items():
            vocab[s] = max(vocab.get(s, 0.0), w)
    by_synonym: dict[str, set[str]] = {}
    by_prefix: dict[str, list[str]] = {}
    for s in vocab:
        if synonym(s):
            by_synonym.setdefault(synonym(s), set()).add(s)
        if len(s) >= 5:
            by_prefix.setdefault(s[:5], []).append(s)
        if len(s) >= 5 and s[:3] != s[:5]:
            by_prefix.setdefault(s[:3], []).append(s)  # 3-letter keys: for clipped words ("abs", "reg")
    joins = {}
    for a, b in zip(all_words, all_words[1:]):
        joins.setdefault((a + b).rstrip("s"), (a, b))
    runs: list[list[str]] = [[]]  # runs of content words, where acronyms are spelled out
    for w in all_words:
        if w.isalpha() and word_facts(w)[2]:
            runs[-1].append(w)
        elif runs[-1]:
            runs.append([])
    return vocab, by_synonym, by_prefix, joins, [r for r in runs if len(r) >= 2]


def _terms(text: str, labels: list[str], all_words: list[str], question: str):
    """The terms the question or the reference's labels contrast (two or more, else none)."""
    # a one-word name from a reference label must be a telling word the reference uses ("TF", not "term")
    known = {stem(w) for w in all_words}
    defined = set(terms_mod.acronym_aliases(text).values())  # "(MAR)" names a term outright
    from_labels = [terms_mod.Term(t.name, tuple(f for f in t.forms if len(f) > 1 or f[0] in defined or (
        f[0] in known and word_facts(f[0])[1] >= 0.8)), t.asked) for t in terms_mod.label_terms(labels, text, question)]
    terms = terms_mod.merge_terms(terms_mod.question_terms(question), [t for t in from_labels if t.forms])
    return terms_mod.TermList(terms if len(terms) >= 2 else [])


def _profiles(reading: _Reading, terms, question_stems: frozenset[str]) -> list[dict[str, float]]:
    """What the reference says of each term; sets each key point's owners (the terms it speaks of)."""
    profiles: list[dict[str, float]] = [dict() for _ in terms]
    if not terms:
        return profiles
    term_stems = {s for t in terms for f in t.forms for s in f}
    current = frozenset()
    by_key = {id(p): p for p in reading.points}
    for shown, _, point_id in reading.sentences:
        clause_words = [tokens(c) for c in terms_mod.clauses(shown)]
        parts, current = terms_mod.attribute_clauses(clause_words, terms, current)
        for owners, part in parts:
            for s, w in content(part, question_stems, 0.0).items():
                if s not in term_stems and not s[:1].isdigit():
                    for index in owners:
                        profiles[index][s] = w
        if point_id in by_key:
            by_key[point_id].owners = frozenset().union(*(o for o, _ in parts)) if parts else current
    return profiles


def owned_relations(words: list[str], terms) -> list[tuple[str, set[str], set[str], int | None]]:
    """Directional relations of a text, each with the term last named before it (None without terms)."""
    found = checks.relations(words)
    if not found or len(terms) < 2:
        return [(kind, left, right, None) for kind, left, right, _ in found]
    mentions = terms_mod.find_mentions([stem(w) for w in words], terms)
    owned = []
    for kind, left, right, at in found:
        before = [index for start, _, index in mentions if start < at]
        owned.append((kind, left, right, before[-1] if before else None))
    return owned


def key_numbers(texts: list[str]) -> list[float]:
    """The number a reference answers with: the number it opens with, else its opening point when
    that states a result ("= x", "is x"), else the last point that does (working first, result last)."""
    opening = tokens(texts[0]) if texts else []
    if opening and opening[0][:1].isdigit() and parse_number(opening[0]) is not None:
        return [parse_number(opening[0])]  # "8,256: 128 x 64 weights plus 64 biases"
    for text in texts[:1] + [t for t in texts[:0:-1] if any(c.isdigit() for c in t)]:
        if "=" in text or checks.states_number(text) or len(tokens(text)) <= 4:
            found = checks.result_numbers(text)
            if found:
                return found
    return checks.result_numbers(texts[0]) if texts else []


@lru_cache(maxsize=256)
def prepare(reference: str, question: str) -> Reference:
    """The reference read once: key points, match indices, terms, relations and key numbers."""
    text = plain(reference)
    question_stems = frozenset(stem(w) for w in tokens(plain(question)) if w not in terms_mod.STOP_WORDS)
    reading = _read(text, question_stems)
    _spread_down(reading.points)
    all_words = [w for _, words, _ in reading.sentences for w in words]
    vocab, by_synonym, by_prefix, joins, runs = _indices(reading.points, all_words)
    terms = _terms(text, reading.labels, all_words, question)
    profiles = _profiles(reading, terms, question_stems)
    numbers = key_numbers(reading.statements) if _NUMERIC_QUESTION.search(question) else []
    return Reference(reading.points, vocab, by_prefix, by_synonym, joins, runs, question_stems, terms, profiles,
                     frozenset(s for t in terms for f in t.forms for s in f), numbers, bool(numbers), all_words,
                     frozenset(stem(w) for w in all_words), owned_relations(all_words, terms),
                     frozenset(w for w in all_words if w.startswith("o(")), text, terms_mod.contrasts(question))
