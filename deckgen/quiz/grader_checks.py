"""Contradiction checks for the grader: opposite words, denials, relations turned around, result numbers.

Each takes word lists (from grader_text.tokens) and returns what it found, as short notes.
"""

from __future__ import annotations

import re

from deckgen.quiz.grader_text import NEGATIONS, STOP_WORDS, parse_number, stem, synonym, tokens, weight

# Opposites: an answer saying one where the reference says the other contradicts it.
_OPPOSITES = [
    ("large", "small"), ("largest", "smallest"), ("high", "low"), ("higher", "lower"), ("highest", "lowest"),
    ("increase", "decrease"), ("simple", "complex"), ("simpler", "complex"), ("fast", "slow"),
    ("faster", "slower"), ("add", "remove"), ("maximum", "minimum"), ("max", "min"),
    ("positive", "negative"), ("exact", "approximate"), ("independent", "dependent"),
    ("supervised", "unsupervised"), ("linear", "nonlinear"), ("parametric", "nonparametric"),
    ("overfitting", "underfitting"), ("shrink", "grow"), ("vanishing", "exploding"), ("before", "after"),
    ("first", "last"), ("early", "late"), ("earlier", "later"), ("sum", "product"), ("cosine", "sine"),
    ("close", "distant"), ("near", "far"), ("limited", "huge"), ("small", "huge"), ("robust", "sensitive"),
    ("global", "local"), ("always", "never"), ("accurate", "inaccurate"), ("rows", "columns"), ("top", "bottom"), ("sparse", "dense"), ("sparser", "denser"), ("static", "dynamic"),
    ("explicit", "implicit"), ("random", "deterministic"),
    ("larger", "smaller"), ("bigger", "smaller"), ("big", "small"),
    ("long", "short"), ("longer", "shorter"), ("strong", "weak"), ("stronger", "weaker"), ("wide", "narrow"),
    ("easy", "hard"), ("easier", "harder"), ("cheap", "expensive"), ("parallel", "sequential"),
    ("numerator", "denominator"), ("start", "end"), ("beginning", "end"), ("open", "closed"), ("gain", "lose"),
    ("maximize", "minimize"), ("oversample", "undersample"), ("overestimate", "underestimate"),
    ("majority", "minority"), ("accept", "reject"), ("include", "exclude"),
    ("rise", "fall"), ("increase", "reduce"), ("upper", "lower"), ("success", "failure"),
    ("horizontal", "vertical"), ("online", "offline"), ("convex", "concave"), ("grow", "decay"),
    ("active", "inactive"), ("enabled", "disabled"), ("enable", "disable"), ("on", "off"),
]
# "on" and "off" are states only after a verb of switching ("switched off", "is on"), not in "depends on"
_PARTICLES = frozenset({"on", "off"})
_SWITCH_VERBS = frozenset(stem(w) for w in "switch switched turn turned toggled kept keep stays stay is are be "
                                            "left set".split())
# Not pairs: train/test ("test set" in a training answer), same/different ("come from the same
# distribution" for "whether two samples differ"), multiply/divide (a formula said either way).
_OPPOSITE: dict[str, set[str]] = {}
for _a, _b in _OPPOSITES:
    _OPPOSITE.setdefault(stem(_a), set()).add(stem(_b))
    _OPPOSITE.setdefault(stem(_b), set()).add(stem(_a))


_STATED_NUMBER = re.compile(r"\b(?:is|are|equals|equal to|be|gives|of)\s+"
                            r"(?:about |approximately |roughly |around |~)?(\d[\d.,/]*(?:\s?%)?)")


def states_number(text: str) -> bool:
    """'the answer is 11/216', 'equals 0.5': the text states a number as a result."""
    return bool(_STATED_NUMBER.search(text.lower()))


def result_numbers(text: str) -> list[float]:
    """The number a statement concludes with: after its last '=', else the one it states
    ('the answer is 11/216'), else its last number."""
    if "=" in text:
        text = text.rsplit("=", 1)[1]
    else:
        stated = _STATED_NUMBER.search(text.lower())
        if stated:
            text = stated.group(1).rstrip(".,")
    values = [parse_number(w) for w in tokens(text) if w[:1].isdigit()]
    values = [v for v in values if v is not None]
    return values[-1:]


def _window(words: list[str], at: int, size: int = 6) -> set[str]:
    return {stem(w) for w in words[max(0, at - size): at + size + 1] if w not in STOP_WORDS}


_REJECTING = frozenset({"instead", "rather", "unlike"})  # "ANN instead of exact search" rejects "exact"


def _negated(words: list[str], at: int, before: int = 3) -> bool:
    return any(w in NEGATIONS or w in _REJECTING for w in words[max(0, at - before): at])


def _switched(words: list[str], at: int) -> bool:
    return at > 0 and stem(words[at - 1]) in _SWITCH_VERBS


def _said_there(answer_words: list[str], i: int, ref_words: list[str], s: str) -> float:
    """How well the answer's word at i sits where the reference uses the same word (shared context weight)."""
    context = _window(answer_words, i) - {s}
    return max((sum(weight(x) for x in context & (_window(ref_words, j) - {s}))
                for j, w in enumerate(ref_words) if stem(w) == s), default=0.0)


def _placed_right(answer_words: list[str], o: str, ref_context: set[str]) -> float:
    """How well the answer's own uses of the reference's word sit where the reference puts it: an
    answer that says "training" where the reference does may also speak of "test" elsewhere."""
    best = 0.0
    for k, w in enumerate(answer_words):
        if stem(w) == o and (w not in _PARTICLES or _switched(answer_words, k)):
            best = max(best, sum(weight(x) for x in (_window(answer_words, k) - {o}) & ref_context) + 1e-9)
    return best


def opposites(answer_words: list[str], ref_words: list[str], ref_stems: frozenset[str]) -> list[str]:
    """Opposite words ('smallest' where the reference says 'largest') in the same context."""
    found = []
    ref_stems = frozenset(s for s in ref_stems if s not in _PARTICLES) | {
        w for j, w in enumerate(ref_words) if w in _PARTICLES and _switched(ref_words, j)}
    for i, word in enumerate(answer_words):
        s = stem(word)
        if s not in _OPPOSITE or (i and answer_words[i - 1] in ("non", "not", "un")):
            continue
        # a word the reference uses too is wrong only where the reference puts its opposite
        agree = _said_there(answer_words, i, ref_words, s) if s in ref_stems else 0.0
        if word in _PARTICLES and not _switched(answer_words, i):
            continue
        for o in _OPPOSITE[s]:
            context = _window(answer_words, i) - {s}
            if o not in ref_stems or o in context:
                continue
            for j, ref_word in enumerate(ref_words):
                if ref_word in _PARTICLES and not _switched(ref_words, j):
                    continue
                # "open" agrees with "not closed"
                if stem(ref_word) == o and _negated(answer_words, i) == _negated(ref_words, j):
                    ref_context = _window(ref_words, j) - {o}
                    shared = sum(weight(x) for x in context & ref_context)
                    if shared >= 1.2 and shared > agree and shared >= _placed_right(answer_words, o, ref_context):
                        found.append(f"{word} (reference: {ref_word})")
                        break
    return found


_HEDGED_NEGATION = frozenset({"as", "so", "only", "just", "necessarily", "always", "all", "too"})  # "not as accurate"


_IMPLICIT_NEGATION = frozenset("stop stops stopped cease ceases ceased fail fails failed lack lacks lacking unable "
                               "barely hardly longer".split())


# negations of a verb deny the next telling word only; "no", "never", "without" reach further
_VERB_NEGATIONS = frozenset(w for w in NEGATIONS if w == "not" or w.endswith("n't") or w == "cannot")


def _polarity(words: list[str]) -> list[tuple[int, str, bool]]:
    """(position, stem, negated) per telling word: negated when 'no', 'never'... stands up to three
    words before it, or 'not' with no telling word between (but not 'not as', 'not only'): "does not
    remove the values" denies the removing, not the values; "no estimator can remove" the removing."""
    out = []
    last_telling = -1
    for i, w in enumerate(words):
        if w in STOP_WORDS or w in NEGATIONS or not w[:1].isalpha():
            continue
        before = words[max(0, i - 3): i]
        negated = any(x in NEGATIONS and (x not in _VERB_NEGATIONS or k > last_telling)
                      and words[k + 1] not in _HEDGED_NEGATION for k, x in enumerate(before, max(0, i - 3)))
        out.append((i, synonym(stem(w)) or stem(w), negated))  # "not erased" denies "removed" too
        last_telling = i
    return out


def polarity_index(ref_words: list[str]) -> tuple[set[str], set[str], dict[str, int]]:
    """What the reference denies, what it affirms, and where each word first stands."""
    ref_polarity = _polarity(ref_words)
    denied = {s for _, s, neg in ref_polarity if neg}
    affirmed = {s for _, s, neg in ref_polarity if not neg}
    first_at: dict[str, int] = {}
    for j, s, _ in ref_polarity:
        first_at.setdefault(s, j)
    return denied, affirmed, first_at


def negation_clashes(answer_words: list[str], ref_words: list[str],
                     index: tuple[set[str], set[str], dict[str, int]] | None = None) -> list[str]:
    """Words the answer affirms where the reference only denies them, or denies where it only affirms."""
    denied, affirmed, first_at = index or polarity_index(ref_words)
    found = []
    for i, s, neg in _polarity(answer_words):
        softened = _IMPLICIT_NEGATION & set(answer_words[max(0, i - 3): i])  # "stops improving"
        # a denial in the reference's clause too ("no model can remove it", "cannot be reduced by any
        # model") is the same denial worded otherwise
        clash = (s in denied and s not in affirmed and not neg and not softened) or \
            (neg and s in affirmed and s not in denied and not _negated(ref_words, first_at[s], 6))
        if not clash or weight(answer_words[i]) < 0.6:  # the word's own rarity, not its stem's
            continue
        shared = (_window(answer_words, i) - {s}) & (_window(ref_words, first_at[s]) - {s})
        if sum(weight(x) for x in shared) >= 1.2:
            found.append(f"{'not ' if neg else ''}{s} (reference: {'' if neg else 'not '}{s})")
    return found


_DIRECTIONAL = {"given": "given", "instead": "prefer", "rather": "prefer", "to": "map", "into": "map"}
_MAP_VERBS = frozenset({"map", "maps", "mapped", "mapping", "from"})


_REPLACE = frozenset({"replace", "replaces", "replaced", "replacing", "swap", "swaps", "swapped"})
_COMPARATIVE = {"better": True, "worse": False}


_CLAUSE_WORDS = frozenset({"because", "since", "so", "as", "and", "but", "while", "which", "that", "when", "if"})


def _telling(words: list[str], forward: bool = True) -> list[str]:
    """Telling stems of a phrase, cut where another clause starts (after it, or before it when looking back)."""
    cut = [k for k, w in enumerate(words) if w in _CLAUSE_WORDS]
    if cut:
        words = words[: cut[0]] if forward else words[cut[-1] + 1:]
    return [stem(w) for w in words if w not in STOP_WORDS and w not in NEGATIONS]


def _preferences(words: list[str], i: int) -> tuple[list[str], list[str]] | None:
    """(preferred, dispreferred) stems at 'replace X with Y', 'X better than Y', 'X worse than Y'."""
    word = words[i]
    if word in _REPLACE:
        for k in range(i + 1, min(len(words), i + 6)):
            if words[k] in ("with", "by"):
                # "replace X with Y", or "X is replaced by Y"
                old = _telling(words[i + 1: k])[:2] or _telling(words[max(0, i - 5): i], False)[-3:]
                return _telling(words[k + 1: k + 5])[:2], old
        return None
    if word in _COMPARATIVE and i + 1 < len(words) and words[i + 1] == "than":
        left, right = _telling(words[max(0, i - 5): i], False)[-3:], _telling(words[i + 2: i + 6])[:2]
        return (left, right) if _COMPARATIVE[word] else (right, left)
    return None


_RATIO_WORDS = frozenset("fraction share proportion percentage percent ratio portion".split())
_QUALIFIERS = frozenset({"that", "which", "who", "whose", "where"})


def _ratio(words: list[str], i: int) -> tuple[list[str], list[str]] | None:
    """(whole, qualifier) stems of 'the fraction of [all] WHOLE that are QUALIFIER'."""
    if i + 1 >= len(words) or words[i + 1] != "of":
        return None
    for k in range(i + 2, min(len(words), i + 8)):
        if words[k] in _QUALIFIERS:
            return _telling(words[i + 2: k])[-3:], _telling(words[k + 1: k + 5])[:2]
    return None


Relation = tuple[str, set[str], set[str], int]  # kind, stems on the left, on the right, position


def relations(words: list[str]) -> list[Relation]:
    """(kind, stems before, stems after, position) around 'given', 'instead of', 'rather than',
    'maps X to Y'; 'replace X with Y' and 'X better than Y' are preferences like 'Y instead of X';
    'the fraction of X that are Y' is a ratio (the whole, what part of it is counted)."""
    out = []
    for i, word in enumerate(words):
        preference = _preferences(words, i) if word in _REPLACE or word in _COMPARATIVE else None
        if preference and preference[0] and preference[1]:
            out.append(("prefer", set(preference[0]), set(preference[1]), i))
            continue
        ratio = _ratio(words, i) if word in _RATIO_WORDS else None
        if ratio and ratio[0] and ratio[1]:
            out.append(("ratio", set(ratio[0]), set(ratio[1]), i))
            continue
        kind = _DIRECTIONAL.get(word)
        if not kind:
            continue
        before = words[max(0, i - 5): i]
        if kind == "map" and not _MAP_VERBS & set(before):
            continue
        if kind == "map":  # only what lies between the verb and "to"
            last_verb = max(k for k, w in enumerate(before) if w in _MAP_VERBS)
            before = before[last_verb + 1:]
        left = [stem(w) for w in before if w not in STOP_WORDS][-3:]
        right = [stem(w) for w in words[i + 1: i + 5] if w not in STOP_WORDS][:2]
        if left and right:
            out.append((kind, set(left), set(right), i))
    return out


def inversions(answer_relations: list[tuple[str, set[str], set[str], int | None]],
               ref_relations: list[tuple[str, set[str], set[str], int | None]]) -> list[str]:
    """Relations the answer turns around: 'classes independent given the features' where the
    reference has 'features independent given the class'. Each relation comes with the term it
    is said of (None when no terms are contrasted): what the reference says of precision, said
    of recall, is turned around for recall even though the reference says it too."""
    found = []
    for kind, left, right, owner in answer_relations:
        same = [r for r in ref_relations if r[0] == kind and (owner is None or r[3] is None or r[3] == owner)]
        if any(left & ref_left and right & ref_right for _, ref_left, ref_right, _ in same):
            continue  # it says what the reference says of that term
        for _, ref_left, ref_right, _ in same:
            if left & ref_right and right & ref_left and not right & ref_right:
                found.append(f"{'/'.join(sorted(right))} {kind} {'/'.join(sorted(left))} turned around")
                break
    return found
