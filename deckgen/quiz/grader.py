"""Grade a typed answer against a card's reference answer: a pure function, no terminal code.

How: the reference is split into key points (bullets, sentences, clause-sized pieces of long
sentences, `Term: explanation` labels); an answer covers a point when it matches enough of the
point's telling words, typo-tolerant (rapidfuzz), synonyms included, where stop words and words
already in the question earn nothing. Words weigh by informativeness: rare words (wordfreq) up,
words that recur across the reference's points down. The score mixes how much of the reference
is covered with how much of the answer is on topic, then caps it: a list reference answered by
fewer than half its items, or only some of the terms asked about, stays partial; contradictions
are incorrect: terms swapped (what the reference says of L1 said of L2: grader_terms), opposite
words, denials, relations turned around ("maps values to keys", "replace ReLU with sigmoid", a
"fraction of X that are Y" moved to the other term: grader_checks); a wrong key number or
complexity is at most partial. "I don't know", empty and off-topic answers score near 0.
Figures on the dev set and on our own held-out set: benchmarks/bench_grader.py.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from deckgen.quiz.grader_text import (is_content, numbers_match, parse_number, plain, similar, stem, synonym, tokens,
                                      weight)
from deckgen.quiz import grader_checks as checks
from deckgen.quiz import grader_terms as terms_mod

CORRECT, PARTIAL, INCORRECT = "correct", "partial", "incorrect"
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4

# Score thresholds of the verdicts (calibrated on grader_dev.jsonl by grouped cross-validation).
CORRECT_AT = 50
PARTIAL_AT = 25
# A key point is covered when the answer matches this much of its word weight (about two telling
# words; all of a shorter point). More than that did not separate partial from correct answers.
POINT_NEED = 2.2
POINT_FLOOR = 0.3  # below this a point counts as missed: one shared common word is no coverage
# Sentences with this many telling words are cut at clause breaks into points of at least POINT_MIN_WORDS.
SPLIT_SENTENCES_AT = 10
POINT_MIN_WORDS = 4
ITEM_NEED = 0.5  # a list item counts as answered when one of its points is this much covered

_IDK = re.compile(r"^\W*(?:(?:i\s+)?(?:(?:do\s*n[o']?t|dont|have\s+no)\s+(?:know|remember|recall)|forgot)"
                  r"|idk|dunno|no\s+(?:idea|clue)|not\s+sure)\b"
                  r"|^\W*(?:skip|pass|none|nothing|n/?a|\?+|-+)\W*$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*+\u2022]|\d+[.)]|[a-z][.)])\s+")
_LABEL = re.compile(r"^([^:]{1,60}?):(?:\s+(.*))?$")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"'])")
_EXAMPLE = re.compile(r"^(?:example|for example|for instance|e\.g\.|eg\b|note\b|e\.g,)", re.IGNORECASE)
_CODE = re.compile(r"^(?:import |from \w+ import|print\(|def |return |>>>)|^\w+(?:\[[^\]]*\])*\s*=\s*\S")


@dataclass(frozen=True)
class Grade:
    score: int  # 0-100
    verdict: str  # correct | partial | incorrect
    hits: list[str] = field(default_factory=list)  # key points of the reference the answer covers
    misses: list[str] = field(default_factory=list)  # key points it does not
    notes: list[str] = field(default_factory=list)  # why the score was capped (swapped terms, numbers...)

    @property
    def rating(self) -> int:
        """Suggested review rating, 1-4 = Again / Hard / Good / Easy."""
        return suggested_rating(self.verdict, self.score)


def suggested_rating(verdict: str, score: int) -> int:
    if verdict == CORRECT:
        return EASY if score >= 90 else GOOD
    if verdict == PARTIAL:
        return HARD
    return AGAIN


@dataclass
class _Point:
    text: str
    stems: dict[str, float]  # content stem -> weight
    importance: float
    owners: frozenset[int] = frozenset()  # the terms it speaks of, when the reference contrasts terms
    group: int = 0  # points under one heading or label form one item of a list
    item: int = -1  # the bullet, numbered line or `Term:` label it is under; -1 before any (plain prose)


@dataclass
class _Reference:
    points: list[_Point]
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
    polarity: tuple | None = None  # what it denies and affirms, worked out on first need


@lru_cache(maxsize=65536)
def _word(w: str) -> tuple[str, float, bool]:
    """(stem, weight, can earn credit) of a word, computed once per word."""
    return stem(w), weight(w), is_content(w)


def _content(words: list[str], question_stems: frozenset[str]) -> dict[str, float]:
    """Stems of the words that can earn credit (not stop words, not in the question) -> weight."""
    out: dict[str, float] = {}
    for w in words:
        s, wt, ok = _word(w)
        if ok and s not in question_stems and (s not in out or out[s] < wt):
            out[s] = wt
    return out


def _key_points(sentence: str, question_stems: frozenset[str]) -> list[tuple[str, list[list[str]]]]:
    """A sentence as key points: long ones cut at clause breaks into pieces of a few telling words each.

    Returns (text shown, clauses as word lists) per point."""
    pieces = [(shown, tokens(clause)) for clause, shown in terms_mod.clause_pieces(sentence)]
    if not pieces:
        return []
    sizes = [len(_content(words, question_stems)) for _, words in pieces]
    if sum(sizes) < SPLIT_SENTENCES_AT or not POINT_MIN_WORDS:
        return [(sentence.strip(), [words for _, words in pieces])]
    points: list[tuple[str, list[list[str]]]] = []
    text, clause_words, size = "", [], 0
    for (shown, words), n in zip(pieces, sizes):
        text, clause_words, size = text + shown, clause_words + [words], size + n
        if size >= POINT_MIN_WORDS:
            points.append((text.strip(), clause_words))
            text, clause_words, size = "", [], 0
    if clause_words:  # a short remainder joins the point before it
        if points:
            points[-1] = ((points[-1][0] + " " + text.strip()).strip(), points[-1][1] + clause_words)
        else:
            points.append((text.strip(), clause_words))
    return points


_NUMERIC_QUESTION = re.compile(r"\b(probability|how many|how much|what is the (?:value|chance|odds|expected)|"
                               r"calculate|compute|estimate|chance|odds)\b", re.IGNORECASE)


@lru_cache(maxsize=256)
def _prepare(reference: str, question: str) -> _Reference:
    text = plain(reference)
    question_words = tokens(plain(question))
    question_stems = frozenset(stem(w) for w in question_words if w not in terms_mod.STOP_WORDS)
    points: list[_Point] = []
    labels: list[str] = []
    # (clauses as word lists, id of its key point or None) in reading order; each sentence is tokenized once
    sentences: list[tuple[list[list[str]], int | None]] = []
    group, under_heading = 0, False
    item, numbered = -1, 0
    statements: list[str] = []  # every sentence, telling words or not ("6.")
    for raw in text.split("\n"):
        marker = _BULLET.match(raw)
        position = re.match(r"\s*(\d+)[.)]", raw)
        if position and int(position.group(1)) not in (1, numbered + 1):
            marker = None  # "6. The wait is geometric": an answer that opens with its number, no list
        elif position:
            numbered = int(position.group(1))
        line = (raw[marker.end():] if marker else raw).strip()
        if not line:
            continue
        starts_item = bool(marker)
        label, rest = None, line
        m = _LABEL.match(line)
        if m and len(m.group(1).split()) <= 6 and "http" not in m.group(1):
            label, rest = m.group(1).strip(), (m.group(2) or "").strip()
            labels.append(label)
        # an item starts at a heading or a naming label ("Bagging: ..."), not at "Example:" or "Definition:"
        if label and not terms_mod.is_attribute_label(label):
            group, under_heading = group + 1, not rest
            starts_item = True
        if starts_item:  # the lines after an item's first line belong to it
            item += 1
        is_code = bool(_CODE.match(line))
        if not rest:
            words = tokens(label)
            stems = _content(words, question_stems)
            if stems:
                points.append(_Point(label, stems, 0.5, group=group, item=item))
            sentences.append(([words], id(points[-1]) if stems else None))
            continue
        for n, sentence in enumerate(_SENTENCE.split(rest)):
            shown = f"{label}: {sentence}" if label and n == 0 else sentence
            statements.append(shown)
            importance = 1.0
            if is_code:
                importance = 0.3
            elif _EXAMPLE.match(sentence) or (label and _EXAMPLE.match(label)):
                importance = 0.5
            for text_of_point, clause_words in _key_points(shown, question_stems):
                stems = _content([w for c in clause_words for w in c], question_stems)
                if not stems:
                    sentences.append((clause_words, None))
                    continue
                if not label and not under_heading:
                    group += 1  # plain prose: each point is an item of its own
                points.append(_Point(text_of_point, stems, importance, group=group, item=item))
                sentences.append((clause_words, id(points[-1])))
    _spread_down(points)
    vocab: dict[str, float] = {}
    for p in points:
        for s, w in p.stems.items():
            vocab[s] = max(vocab.get(s, 0.0), w)
    by_synonym: dict[str, set[str]] = {}
    for s in vocab:
        if synonym(s):
            by_synonym.setdefault(synonym(s), set()).add(s)
    by_prefix: dict[str, list[str]] = {}
    for s in vocab:
        if len(s) >= 5:
            by_prefix.setdefault(s[:5], []).append(s)
        if len(s) >= 5 and s[:3] != s[:5]:
            by_prefix.setdefault(s[:3], []).append(s)  # 3-letter keys: for clipped words ("abs", "reg")
    all_words = [w for clause_words, _ in sentences for c in clause_words for w in c]
    joins = {}
    for a, b in zip(all_words, all_words[1:]):
        joins.setdefault((a + b).rstrip("s"), (a, b))
    runs: list[list[str]] = [[]]  # runs of content words, where acronyms are spelled out
    for w in all_words:
        if w.isalpha() and _word(w)[2]:
            runs[-1].append(w)
        elif runs[-1]:
            runs.append([])
    # terms and what the reference says of each
    # a one-word name from a reference label must be a telling word the reference uses ("TF", not "term")
    known = {stem(w) for w in all_words}
    defined = set(terms_mod.acronym_aliases(text).values())  # "(MAR)" names a term outright
    from_labels = [terms_mod.Term(t.name, tuple(f for f in t.forms if len(f) > 1 or f[0] in defined or (
        f[0] in known and _word(f[0])[1] >= 1.0)), t.asked) for t in terms_mod.label_terms(labels, text, question)]
    terms = terms_mod.merge_terms(terms_mod.question_terms(question), [t for t in from_labels if t.forms])
    terms = terms_mod.TermList(terms if len(terms) >= 2 else [])
    profiles: list[dict[str, float]] = [dict() for _ in terms]
    term_stems = frozenset(s for t in terms for f in t.forms for s in f)
    if terms:
        # what each term is said to be, and which terms each key point speaks of, in reading order
        current = frozenset()
        by_key = {id(p): p for p in points}
        for clause_words, point_id in sentences:
            parts, current = terms_mod.attribute_clauses(clause_words, terms, current)
            for owners, words in parts:
                for s, w in _content(words, question_stems).items():
                    if s not in term_stems and not s[:1].isdigit():
                        for index in owners:
                            profiles[index][s] = w
            if point_id in by_key:
                by_key[point_id].owners = frozenset().union(*(o for o, _ in parts)) if parts else current
    key_numbers = _key_numbers(statements) if _NUMERIC_QUESTION.search(question) else []
    numeric_question = bool(key_numbers)
    return _Reference(points, vocab, by_prefix, by_synonym, joins, [r for r in runs if len(r) >= 2], question_stems,
                      terms, profiles, term_stems, key_numbers, numeric_question, all_words, frozenset(known),
                      _owned_relations(all_words, terms), frozenset(w for w in all_words if w.startswith("o(")))


def _owned_relations(words: list[str], terms) -> list[tuple[str, set[str], set[str], int | None]]:
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


def _key_numbers(texts: list[str]) -> list[float]:
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


def _spread_down(points: list[_Point]) -> None:
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


def _matches(answer_stem: str, ref: _Reference, raw: str = "") -> set[str]:
    """Reference stems an answer stem stands for: itself, a typo of it, a join or an acronym."""
    found: set[str] = set()
    if answer_stem in ref.vocab:
        found.add(answer_stem)
    if synonym(answer_stem):  # "shrinks" for the reference's "reduces"
        found.update(ref.by_synonym.get(synonym(answer_stem), ()))
    if answer_stem[:1].isdigit():
        return found
    if len(answer_stem) >= 4:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        cutoff = 1 if len(answer_stem) < 7 else 2
        for candidate, _, _ in process.extract(answer_stem, ref.vocab.keys(), scorer=Levenshtein.distance,
                                               score_cutoff=cutoff, limit=None):
            if similar(answer_stem, candidate):
                found.add(candidate)
        for candidate in ref.by_prefix.get(answer_stem[:5], ()):
            if similar(answer_stem, candidate):
                found.add(candidate)
    if not found and 3 <= len(answer_stem) <= 6 and answer_stem.isalpha() and weight(raw or answer_stem) > 1.0:
        # a clipped word ("abs", "param", "regul") stands for the one reference word it begins
        clipped = [s for s in ref.by_prefix.get(answer_stem[:5], ()) if s.startswith(answer_stem)] \
            if len(answer_stem) >= 5 else [s for s in ref.by_prefix.get(answer_stem[:3], ())
                                            if s.startswith(answer_stem) and len(s) >= len(answer_stem) + 2]
        if 1 <= len(clipped) <= 2:
            found.update(clipped)
    joined = ref.joins.get(raw.rstrip("s"))
    if joined:
        found.update(s for s in map(stem, joined) if s in ref.vocab)
    if not found and 2 <= len(answer_stem) <= 5 and answer_stem.isalpha():
        n = len(answer_stem)
        for run in ref.runs:
            for start in range(len(run) - n + 1):
                if all(run[start + k][0] == answer_stem[k] for k in range(n)):
                    found.update(s for s in (stem(x) for x in run[start: start + n]) if s in ref.vocab)
    return found


def _polarity_index(ref: _Reference):
    if ref.polarity is None:
        ref.polarity = checks.polarity_index(ref.words)
    return ref.polarity


def _idk(answer: str) -> bool:
    return bool(_IDK.match(answer.strip()))


def _swap_evidence(answer: str, ref: _Reference) -> tuple[float, float, list[str]]:
    """Weight of answer words said of the wrong term vs of the right one."""
    if len(ref.terms) < 2:
        return 0.0, 0.0, []
    parts, _ = terms_mod.attribute(answer, ref.terms)
    own = foreign = 0.0
    swapped: list[str] = []
    for owners, words in parts:
        if len(owners) != 1:
            continue
        index = next(iter(owners))
        for s, w in _content(words, ref.question_stems).items():
            if s in ref.term_stems or s[:1].isdigit():
                continue
            mine = _said_of(s, ref.profiles[index])
            others = [j for j, prof in enumerate(ref.profiles) if j != index and _said_of(s, prof)]
            if mine and not others:
                own += w
            elif others and not mine:
                foreign += w
                swapped.append(f"{ref.terms[index].name}: {s} (said of {ref.terms[others[0]].name})")
    return own, foreign, swapped


def _said_of(s: str, profile: dict[str, float]) -> bool:
    """The stem is among the profile's words, allowing a typo."""
    if s in profile:
        return True
    if len(s) < 4 or s[:1].isdigit():
        return False
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    return any(similar(s, p) for p, _, _ in process.extract(s, profile.keys(), scorer=Levenshtein.distance,
                                                            score_cutoff=3, limit=None))


def _recall(coverage: list[float], points: list[_Point]) -> float:
    """Share of the reference covered: per item (a heading or label with its sentences), half the
    best point and half the mean, weighted by importance."""
    items: dict[int, list[tuple[float, float]]] = {}
    for c, p in zip(coverage, points):
        items.setdefault(p.group, []).append((c, p.importance))
    total = covered = 0.0
    for pairs in items.values():
        weight_sum = sum(w for _, w in pairs)
        mean = sum(c * w for c, w in pairs) / weight_sum
        best = max(c for c, _ in pairs)
        importance = max(w for _, w in pairs)
        covered += importance * (0.5 * best + 0.5 * mean)
        total += importance
    return covered / total if total else 0.0


def _items_covered(coverage: list[float], points: list[_Point]) -> tuple[int, int]:
    """(items the answer covers, items) of a list reference: bullets, numbered lines, `Term:` labels
    that say something (not examples or code). An item counts when one of its points is half covered."""
    best: dict[int, float] = {}
    for c, p in zip(coverage, points):
        if p.item >= 0 and p.importance >= 1.0:
            best[p.item] = max(best.get(p.item, 0.0), c)
    return sum(c >= ITEM_NEED for c in best.values()), len(best)


def features(answer: str, reference: str, question: str = "") -> dict:
    """The measurements the score is built from (exposed for calibration and tests)."""
    ref = _prepare(reference, question)
    text = plain(answer)
    words = tokens(text)
    content = _content(words, ref.question_stems)
    matched_ref: set[str] = set()
    answer_hit_weight = 0.0
    answer_total = sum(content.values()) or 0.0
    raw_of = {stem(w): w for w in words}
    for s, w in content.items():
        found = _matches(s, ref, raw_of.get(s, s))
        if found:
            matched_ref |= found
            answer_hit_weight += w
    # joined answer pairs: "auto encoder" for the reference's "autoencoder"
    for a, b in zip(words, words[1:]):
        joined = stem(a + b)
        if joined in ref.vocab:
            matched_ref.add(joined)
    coverage = []
    spoken: set[int] = set()
    asked_terms = {i for i, t in enumerate(ref.terms) if t.asked}
    if asked_terms:
        for owners, part_words in terms_mod.attribute(text, ref.terms)[0]:
            if _content(part_words, ref.question_stems):
                spoken |= owners & asked_terms
    for p in ref.points:
        if spoken and p.owners and p.owners <= asked_terms and not p.owners & spoken:
            coverage.append(0.0)  # the answer speaks of other terms, not of this point's
            continue
        total = sum(p.stems.values())
        got = sum(w for s, w in p.stems.items() if s in matched_ref)
        need = min(total, POINT_NEED)
        covered = min(1.0, got / need) if need else 0.0
        coverage.append(covered if covered >= POINT_FLOOR else 0.0)
    recall = _recall(coverage, ref.points)
    items_hit, items = _items_covered(coverage, ref.points)
    answer_numbers = [(w, parse_number(w)) for w in words if w[:1].isdigit()]
    answer_numbers = [(w, v) for w, v in answer_numbers if v is not None]
    key_hit = any(numbers_match(v, k, w) for w, v in answer_numbers for k in ref.key_numbers)
    big_o = {w for w in words if w.startswith("o(")}
    own, foreign, swapped = _swap_evidence(text, ref)
    asked = [i for i, t in enumerate(ref.terms) if t.asked]
    named = {i for _, _, i in terms_mod.find_mentions([stem(w) for w in words], ref.terms)}
    # a term not named may still be described ("a dense network" for "fully connected")
    unnamed_covered = 0
    for i in set(asked) - named:
        others = set().union(*(ref.profiles[j] for j in range(len(ref.terms)) if j != i))
        own_words = [s for s in ref.profiles[i] if s not in others and s in matched_ref]
        unnamed_covered += sum(ref.profiles[i][s] for s in own_words) >= 1.5
    return {
        "ref": ref, "content": content, "matched": matched_ref, "coverage": coverage, "recall": recall,
        "precision": answer_hit_weight / answer_total if answer_total else 0.0,
        "key_hit": key_hit, "answer_numbers": answer_numbers, "own": own, "foreign": foreign, "swapped": swapped,
        "opposites": checks.opposites(words, ref.words, ref.word_stems), "idk": _idk(text),
        "inversions": checks.inversions(_owned_relations(words, ref.terms), ref.relations),
        # denials are read only where no contrasted terms are (a "not" there often speaks of the other term)
        "negations": [] if ref.terms else checks.negation_clashes(words, ref.words, _polarity_index(ref)),
        "wrong_complexity": bool(big_o and ref.big_o and not big_o & ref.big_o),
        "asked": len(asked), "named": len(named & set(asked)), "unnamed_covered": unnamed_covered,
        "items": items, "items_hit": items_hit,
    }


def warm_up() -> None:
    """Load the word lists and matchers now (about half a second), e.g. in a thread while the
    first question is on screen, so the first grade is as quick as the rest."""
    grade("warm up", "Warm up the grader: word weights and fuzzy matching.", "Warm up?")


def grade(answer: str, reference: str, question: str = "") -> Grade:
    """Grade a typed answer against the reference answer (markdown) of a card."""
    answer = answer or ""
    f = features(answer, reference, question)
    ref: _Reference = f["ref"]
    if not answer.strip() or not (f["content"] or f["key_hit"]) or (f["idk"] and f["recall"] < 0.15):
        return Grade(0, INCORRECT, [], [p.text for p in ref.points],
                     ["no answer" if not answer.strip() else "no content"])
    score, notes = score_features(f)
    score_int = int(round(max(0.0, min(100.0, score))))
    verdict = CORRECT if score_int >= CORRECT_AT else PARTIAL if score_int >= PARTIAL_AT else INCORRECT
    hits = [p.text for p, c in zip(ref.points, f["coverage"]) if c >= 0.5]
    misses = [p.text for p, c in zip(ref.points, f["coverage"]) if c < 0.5]
    return Grade(score_int, verdict, hits, misses, notes)


PARAMS = {"recall_full": 0.6, "recall_power": 0.8, "precision_share": 0.3}


def score_features(f: dict, params: dict = PARAMS, correct_at: float | None = None,
                   partial_at: float | None = None) -> tuple[float, list[str]]:
    """Score 0-100 from the measurements, and notes on what capped it.

    Caps sit relative to the verdict thresholds: swapped terms and contradictions land in
    "incorrect", a wrong key number or complexity in "partial", half the asked terms just
    under "correct"."""
    correct_at = CORRECT_AT if correct_at is None else correct_at
    partial_at = PARTIAL_AT if partial_at is None else partial_at
    params = {**params, "swap_cap": min(15.0, partial_at - 5), "opposite_cap": partial_at - 5,
              "wrong_number_cap": partial_at + 5, "partial_terms_cap": correct_at - 5}
    ref: _Reference = f["ref"]
    recall, precision = f["recall"], f["precision"]
    # a long reference is fully answered by its main points; a one- or two-point one needs most of it
    full = max(params["recall_full"], min(0.8, 1.2 / max(1, len(ref.points))))
    score = 100.0 * min(1.0, recall / full) ** params["recall_power"] \
        * (1 - params["precision_share"] + params["precision_share"] * precision)
    notes: list[str] = []
    if f["foreign"] >= 1.5 and f["foreign"] >= 1.5 * f["own"]:
        notes.append("terms swapped: " + "; ".join(f["swapped"][:3]))
        score = min(score, params["swap_cap"])
    # a list is answered by most of its items (a number question by its number, below)
    if f["items"] >= 3 and f["items_hit"] * 2 < f["items"]:
        notes.append(f"covers {f['items_hit']} of the {f['items']} items listed")
        score = min(score, params["partial_terms_cap"])
    if ref.numeric_question:
        if f["key_hit"]:
            score = max(score, 80.0)
        else:
            notes.append("the key number is wrong" if f["answer_numbers"] else "no number given")
            score = min(score, params["wrong_number_cap"])
    if f["wrong_complexity"]:
        notes.append("the complexity is wrong")
        score = min(score, params["wrong_number_cap"])
    if f["asked"] >= 2 and f["named"] < f["asked"] and f["unnamed_covered"] < f["asked"] - f["named"]:
        notes.append("covers only some of the terms asked about")
        score = min(score, params["partial_terms_cap"])
    if f["inversions"]:
        notes.append("reverses a relation: " + "; ".join(f["inversions"][:2]))
        score = min(score, params["swap_cap"])
    if f["opposites"] or f["negations"]:
        notes.append("contradicts the reference: " + ", ".join((f["opposites"] + f["negations"])[:3]))
        score = min(score, params["opposite_cap"])
    return score, notes
