"""Grade a typed answer against a card's reference answer: a pure function, no terminal code.

How: the reference is read into key points (grader_points: sentences, bullets, `Term: explanation`
labels). An answer covers a point when it matches enough of the point's telling words, typo-
tolerant (rapidfuzz), Snowball-stemmed, synonyms, joins and acronyms included; words of the
question earn a share of their weight, and a point made only of them is covered by one of them.
Fifteen interpretable measurements (FEATURES: coverage of the key points and of the reference's
word weight, how much of the answer is on topic, rapidfuzz's token_set_ratio, how much it says
beyond a list of words, a denial one side has and the other not, terms swapped, a wrong key
number, asked terms left out; and the first few again, weighted by how short the reference is)
go through a logistic model whose weights were fitted by grouped cross-validation over questions
on real student answers (SemEval-2013 Beetle and SciEntsBank) and grader_dev.jsonl together
(benchmarks/fit_grader.py); the score is its probability x 100. Rules the data cannot overrule:
a contradiction (opposite word, denial, relation turned around, terms swapped) caps the score
below partial, a wrong key number below correct, the right number of a number question lifts it;
a "correct" verdict needs its marks to agree (at least HITS_FOR_CORRECT of the points hit).
"I don't know", empty and off-topic answers score near 0. Figures: benchmarks/bench_grader.py.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from deckgen.quiz import grader_checks as checks
from deckgen.quiz import grader_terms as terms_mod
from deckgen.quiz.grader_points import Reference as _Reference
from deckgen.quiz.grader_points import content as _content
from deckgen.quiz.grader_points import owned_relations as _owned_relations
from deckgen.quiz.grader_points import prepare as _prepare
from deckgen.quiz.grader_text import NEGATIONS, STOP_WORDS, numbers_match, parse_number, plain, similar, stem, synonym, tokens, \
    weight

CORRECT, PARTIAL, INCORRECT = "correct", "partial", "incorrect"
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4

# Fitted by benchmarks/fit_grader.py (grouped cross-validation over questions; see its output).
CORRECT_AT = 50  # the model's P(correct) >= 0.5
PARTIAL_AT = 21
POINT_NEED = 2.2  # a point is covered by about two telling words (all of a shorter point) ...
POINT_SHARE = 0.4  # ... or this share of a long sentence's word weight, whichever is more
POINT_FLOOR = 0.3  # below this a point counts as missed: one shared common word is no coverage
ITEM_NEED = 0.5  # a list item counts as answered when one of its points is this much covered
SHORT_WORDS = 4  # a reference of up to this many telling words is short (see feature_vector)
HIT_AT = 0.5  # a point is shown as hit from this coverage on
KEYWORDS_RULE = False
STORY_RULE = False
KEY_NUMBER_SCORE = 80  # the right number answers a number question, whatever working is left out
HITS_FOR_CORRECT = 0.3  # a "correct" answer hits at least this share of the reference's items (importance-weighted)
FEATURES = ("recall", "weight_covered", "precision", "fuzz", "wordy", "negation_flip", "key_number", "off_topic",
            "swapped", "wrong_number", "terms_left", "recall_short", "weight_covered_short", "fuzz_short",
            "wordy_short")
MODEL = {"bias": -0.521, "recall": 3.025, "weight_covered": 2.983, "precision": 0.578, "fuzz": -0.37, "wordy": -1.39,
         "negation_flip": -1.05, "key_number": 3.722, "off_topic": -0.188, "swapped": -5.381, "wrong_number": -1.278,
         "terms_left": -0.521, "recall_short": -4.805, "weight_covered_short": 0.77, "fuzz_short": 0.605,
         "wordy_short": 0.556}
CAPS = True  # contradictions cap the score below PARTIAL_AT, a wrong key number below CORRECT_AT

_PLURAL_PRONOUNS = frozenset({"they", "both", "them", "each"})
_IDK = re.compile(r"^\W*(?:(?:i\s+)?(?:(?:do\s*n[o']?t|dont|have\s+no)\s+(?:know|remember|recall)|forgot)"
                  r"|idk|dunno|no\s+(?:idea|clue)|not\s+sure)\b"
                  r"|^\W*(?:skip|pass|none|nothing|n/?a|\?+|-+)\W*$", re.IGNORECASE)


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
        for s, w in _content(words, ref.question_stems, 0.0).items():
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


def _recall(coverage: list[float], points: list) -> float:
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


def _items_covered(coverage: list[float], points: list) -> tuple[int, int]:
    """(items the answer covers, items) of a list reference: bullets, numbered lines, `Term:` labels
    that say something (not examples or code). An item counts when one of its points is half covered."""
    best: dict[int, float] = {}
    for c, p in zip(coverage, points):
        if p.item >= 0 and p.importance >= 1.0:
            best[p.item] = max(best.get(p.item, 0.0), c)
    return sum(c >= ITEM_NEED for c in best.values()), len(best)


def _point_coverage(p, matched: set[str], question_stems: frozenset[str]) -> float:
    """How much of a key point the answer covers. Words of the question earn a share of their weight
    (grader_points.QUESTION_SHARE); a point made only of them ("the bulb and the battery are
    connected", asked about their connection) is covered by one of its telling words."""
    if any(s not in question_stems for s in p.stems):
        total = sum(p.stems.values())
        got = sum(w for s, w in p.stems.items() if s in matched)
        need = min(total, max(POINT_NEED, POINT_SHARE * total))
    else:
        return float(any(s in matched for s in p.stems))
    covered = min(1.0, got / need) if need else 0.0
    return covered if covered >= POINT_FLOOR else 0.0


def _matched(words: list[str], content: dict[str, float], ref: _Reference) -> tuple[set[str], set[str]]:
    """(reference stems the answer's words stand for, the answer stems that found one)."""
    matched_ref: set[str] = set()
    hits: set[str] = set()
    raw_of = {stem(w): w for w in words}
    for s in content:
        found = _matches(s, ref, raw_of.get(s, s))
        if found:
            matched_ref |= found
            hits.add(s)
    for a, b in zip(words, words[1:]):  # joined answer pairs: "auto encoder" for the reference's "autoencoder"
        joined = stem(a + b)
        if joined in ref.vocab:
            matched_ref.add(joined)
    for n in (2, 3, 4):  # an acronym of the reference spelled out: "mean absolute error" for "MAE"
        for start in range(len(words) - n + 1):
            run = words[start: start + n]
            initials = "".join(w[0] for w in run if w[:1].isalpha())
            if len(initials) == n and initials in ref.vocab:
                matched_ref.add(initials)
                hits.update(stem(w) for w in run)
    return matched_ref, hits


def _coverage(text: str, matched: set[str], ref: _Reference) -> list[float]:
    """How much of each key point the answer covers; a point about terms the answer does not speak
    of, when it speaks of other asked terms, is not covered by words said of those."""
    spoken: set[int] = set()
    asked_terms = {i for i, t in enumerate(ref.terms) if t.asked}
    if asked_terms:
        for owners, part_words in terms_mod.attribute(text, ref.terms)[0]:
            if _content(part_words, ref.question_stems, 0.0):
                spoken |= owners & asked_terms
    return [0.0 if spoken and p.owners and p.owners <= asked_terms and not p.owners & spoken
            else _point_coverage(p, matched, ref.question_stems) for p in ref.points]


def _terms_named(words: list[str], matched: set[str], ref: _Reference) -> tuple[int, int, int]:
    """(asked terms, named in the answer, described without being named: "a dense network")."""
    asked = [i for i, t in enumerate(ref.terms) if t.asked]
    named = {i for _, _, i in terms_mod.find_mentions([stem(w) for w in words], ref.terms)}
    if not named and _PLURAL_PRONOUNS & set(words):
        named = set(asked)  # "they are connected": the answer speaks of the terms the question names
    unnamed_covered = 0
    for i in set(asked) - named:
        others = set().union(*(ref.profiles[j] for j in range(len(ref.terms)) if j != i))
        own_words = [s for s in ref.profiles[i] if s not in others and s in matched]
        unnamed_covered += sum(ref.profiles[i][s] for s in own_words) >= 1.5
    return len(asked), len(named & set(asked)), unnamed_covered


def _fuzz(answer_text: str, ref: _Reference) -> float:
    from rapidfuzz import fuzz

    return fuzz.token_set_ratio(answer_text.lower(), ref.text.lower()) / 100.0


def features(answer: str, reference: str, question: str = "") -> dict:
    """The measurements the score is built from (exposed for calibration and tests)."""
    ref = _prepare(reference, question)
    text = plain(answer)
    words = tokens(text)
    content = _content(words, ref.question_stems)
    matched_ref, answer_hits = _matched(words, content, ref)
    new_content = _content(words, ref.question_stems, 0.0)  # on topic beyond repeating the question
    hit_weight = sum(w for s, w in new_content.items() if s in answer_hits)
    answer_total = sum(new_content.values())
    coverage = _coverage(text, matched_ref, ref)
    recall = _recall(coverage, ref.points)
    items_hit, items = _items_covered(coverage, ref.points)
    answer_numbers = [(w, parse_number(w)) for w in words if w[:1].isdigit()]
    answer_numbers = [(w, v) for w, v in answer_numbers if v is not None]
    big_o = {w for w in words if w.startswith("o(")}
    own, foreign, swapped = _swap_evidence(text, ref)
    asked, named, unnamed_covered = _terms_named(words, matched_ref, ref)
    return {
        "ref": ref, "content": content,
        "matched": matched_ref, "coverage": coverage, "recall": recall,
        "weight_covered": _weight_covered(matched_ref, ref),
        # an answer in the question's words alone is on topic when it covers a point made of them
        "precision": hit_weight / answer_total if answer_total else float(recall > 0), "fuzz": _fuzz(text, ref),
        "wordy": _wordiness(words), "negation_flip": _negation_flip(words, ref),
        "key_hit": any(numbers_match(v, k, w) for w, v in answer_numbers for k in ref.key_numbers),
        "answer_numbers": answer_numbers, "own": own, "foreign": foreign, "swapped": swapped,
        "opposites": checks.opposites(words, ref.words, ref.word_stems), "idk": bool(_IDK.match(text.strip())),
        "inversions": checks.inversions(_owned_relations(words, ref.terms), ref.relations),
        # denials are read only where no contrasted terms are (a "not" there often speaks of the other term)
        "negations": [] if ref.terms else checks.negation_clashes(words, ref.words, _polarity_index(ref)),
        "wrong_complexity": bool(big_o and ref.big_o and not big_o & ref.big_o),
        "asked": asked, "named": named, "unnamed_covered": unnamed_covered, "items": items, "items_hit": items_hit,
    }


def _weight_covered(matched: set[str], ref: _Reference) -> float:
    """Share of the reference's word weight the answer matches (strict: every word counts)."""
    total = sum(w for p in ref.points for w in p.stems.values())
    got = sum(w for p in ref.points for s, w in p.stems.items() if s in matched)
    return got / total if total else 0.0


def _negation_flip(words: list[str], ref: _Reference) -> bool:
    """A one-sentence reference denied by the answer, or the reverse ("not connected" for
    "connected"): one of them has a negation, the other none."""
    if len(ref.points) != 1:
        return False
    return any(w in NEGATIONS for w in words) != any(w in NEGATIONS for w in ref.words)


def _bare_terms(answer: str, f: dict) -> bool:
    """A bare list of words ("precision recall TP FP FN") for a reference that tells terms apart:
    no function word, no mark that ties a word to a term (":", "=", "->", ",")."""
    return len(f["ref"].terms) >= 2 and f["wordy"] == 0 and len(tokens(plain(answer))) >= 3 \
        and not any(mark in answer for mark in (":", "=", "->", ",", ";", "(", "\n"))


def _wordiness(words: list[str]) -> float:
    """Share of function words, up to a third: 0 for a bare list of keywords, 1 for a sentence."""
    if not words:
        return 0.0
    return min(1.0, 3.0 * sum(w in STOP_WORDS for w in words) / len(words))


def flags(f: dict) -> dict[str, list[str]]:
    """What the answer gets wrong, as notes by kind (empty kinds left out)."""
    ref: _Reference = f["ref"]
    out: dict[str, list[str]] = {}
    if f["foreign"] >= 1.5 and f["foreign"] >= 1.5 * f["own"]:
        out["swapped"] = ["terms swapped: " + "; ".join(f["swapped"][:3])]
    if f["inversions"]:
        out.setdefault("contradiction", []).append("reverses a relation: " + "; ".join(f["inversions"][:2]))
    if f["opposites"] or f["negations"]:
        out.setdefault("contradiction", []).append(
            "contradicts the reference: " + ", ".join((f["opposites"] + f["negations"])[:3]))
    if ref.numeric_question and not f["key_hit"]:
        out["wrong_number"] = ["the key number is wrong" if f["answer_numbers"] else "no number given"]
    if f["wrong_complexity"]:
        out.setdefault("wrong_number", []).append("the complexity is wrong")
    if f["items"] >= 3 and f["items_hit"] * 2 < f["items"]:
        out["items_left"] = [f"covers {f['items_hit']} of the {f['items']} items listed"]
    if f["asked"] >= 2 and f["named"] < f["asked"] and f["unnamed_covered"] < f["asked"] - f["named"]:
        out["terms_left"] = ["covers only some of the terms asked about"]
    return out


def feature_vector(f: dict, found: dict[str, list[str]] | None = None) -> dict[str, float]:
    """The model's inputs (FEATURES), named as in MODEL. Flags a cap already settles (a contradiction)
    or that did not help in cross-validation (items left out) are notes, not inputs."""
    found = flags(f) if found is None else found
    short = min(1.0, SHORT_WORDS / max(1, len(f["ref"].vocab)))  # a short reference is read more strictly
    vector = {"recall": f["recall"], "weight_covered": f["weight_covered"], "precision": f["precision"],
              "fuzz": f["fuzz"], "wordy": f["wordy"], "negation_flip": float(f["negation_flip"]),
              "key_number": float(f["ref"].numeric_question and f["key_hit"]),
              "off_topic": float(not f["recall"] and not f["precision"])}
    for kind in ("swapped", "wrong_number", "terms_left"):
        vector[kind] = float(kind in found)
    for kind in ("recall", "weight_covered", "fuzz", "wordy"):
        vector[kind + "_short"] = vector[kind] * short
    return {name: vector[name] for name in FEATURES}


def model_score(vector: dict[str, float], model: dict[str, float] = MODEL) -> float:
    z = model["bias"] + sum(model[k] * v for k, v in vector.items())
    return 100.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def score_features(f: dict, model: dict[str, float] = MODEL, caps: bool = CAPS) -> tuple[float, list[str]]:
    """Score 0-100 from the measurements, and notes on what held it down."""
    found = flags(f)
    score = model_score(feature_vector(f, found), model)
    if f["ref"].numeric_question and f["key_hit"]:
        score = max(score, KEY_NUMBER_SCORE)  # a number question is answered by its number
    if caps and not f["recall"] and not f["precision"] and not f["key_hit"]:
        score = min(score, PARTIAL_AT - 5)  # nothing the answer says beyond the question is in the reference
    elif caps and ("swapped" in found or "contradiction" in found):
        score = min(score, PARTIAL_AT - 5)
    elif caps and ("wrong_number" in found or ("terms_left" in found and f["ref"].contrast)):
        score = min(score, CORRECT_AT - 5)
    return score, [note for notes in found.values() for note in notes]


def warm_up() -> None:
    """Load the word lists and matchers now (about half a second), e.g. in a thread while the
    first question is on screen, so the first grade is as quick as the rest."""
    grade("warm up", "Warm up the grader: word weights and fuzzy matching.", "Warm up?")


_ALTERNATIVES = re.compile(r"\s+/\s+|\s+or\s+", re.IGNORECASE)


def alternatives(reference: str) -> list[str]:
    """A short one-line answer `A / B` or `A or B` accepts either: ["A", "B"]; else [reference].
    Parts are names or short phrases ("1 / 4" is a fraction, not two answers)."""
    text = reference.strip()
    if "\n" in text or len(text) > 80 or any(c in text for c in "$`\\"):  # a "/" in math or code divides
        return [reference]
    parts = [p.strip(" .") for p in _ALTERNATIVES.split(text)]
    if len(parts) < 2 or not all(p and len(p.split()) <= 4 and any(c.isalpha() for c in p) for p in parts):
        return [reference]
    return parts


def grade(answer: str, reference: str, question: str = "", references: list[str] | tuple = ()) -> Grade:
    """Grade a typed answer against the reference answer (markdown) of a card, or the best of
    several accepted answers (`references`; a short `A / B` reference accepts either)."""
    candidates = [r for ref in [reference, *references] if ref and ref.strip() for r in alternatives(ref)]
    grades = [_grade_one(answer or "", r, question) for r in dict.fromkeys(candidates or [reference or ""])]
    return max(grades, key=lambda g: g.score) if len(grades) > 1 else grades[0]


def _states_key_number(text: str, key_numbers: list[float]) -> bool:
    numbers = (parse_number(w) for w in tokens(text) if w[:1].isdigit())
    return any(v is not None and numbers_match(v, k, "") for v in numbers for k in key_numbers)


def _grade_one(answer: str, reference: str, question: str) -> Grade:
    f = features(answer, reference, question)
    ref: _Reference = f["ref"]
    if not answer.strip() or not (f["content"] or f["key_hit"]) or (f["idk"] and f["recall"] < 0.15):
        return Grade(0, INCORRECT, [], [p.text for p in ref.points],
                     ["no answer" if not answer.strip() else "no content"])
    score, notes = score_features(f)
    hit = [c >= HIT_AT for c in f["coverage"]]
    if f["key_hit"]:  # the number the question asks for is given: the point that states it is hit
        hit = [h or _states_key_number(p.text, ref.key_numbers) for h, p in zip(hit, ref.points)]
    if round(score) >= CORRECT_AT and _bare_terms(answer, f):
        score = CORRECT_AT - 1
        notes.append("names the terms but says nothing about which is which")
    if round(score) >= CORRECT_AT and not f["key_hit"] and _recall([float(h) for h in hit], ref.points) < HITS_FOR_CORRECT:
        # "correct" with most points marked missed would contradict itself: the marks decide
        score = CORRECT_AT - 1
        notes.append("most key points are missed")
    score_int = int(round(max(0.0, min(100.0, score))))
    verdict = CORRECT if score_int >= CORRECT_AT else PARTIAL if score_int >= PARTIAL_AT else INCORRECT
    if verdict != CORRECT and f["negation_flip"] and not notes:
        notes.append("says 'not' where the reference does not, or the reverse")
    elif verdict != CORRECT and all(hit) and not notes:  # every point marked hit: say why it is not correct
        notes.append("much of the answer is not in the reference" if f["precision"] < 0.5
                     else "the key points are only touched on")
    hits = [p.text for p, h in zip(ref.points, hit) if h]
    misses = [p.text for p, h in zip(ref.points, hit) if not h]
    return Grade(score_int, verdict, hits, misses, notes)
