"""Named terms a question contrasts (L1 vs L2, precision vs recall) and which term each clause talks about.

An answer that says of term A what the reference says of term B has swapped them: the grader
counts the answer's words that belong to the other term's clauses and not to the named one's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from deckgen.quiz.grader_text import STOP_WORDS, stem, tokens

# Words that end a term phrase in a question; "and", "or", "vs", "," join the terms of a contrast.
_JOINERS = frozenset({"and", "or", "vs", "versus", ",", "/"})
_ARTICLES = frozenset({"a", "an", "the"})
_CONTRAST_CUES = ("differ", "compar", "contrast", " vs", "versus", "better than")
_GENERIC_MODIFIERS = frozenset("traditional standard regular vanilla plain classic classical normal simple "
                               "basic ordinary usual conventional typical".split())
# Labels that name an attribute of a term rather than a term.
_ATTRIBUTE_LABELS = frozenset("example examples note notes definition definitions pros cons advantages "
                              "disadvantages use case cases summary answer formula intuition why how steps key "
                              "components improvements relationship application applications idea output input "
                              "result results reason reasons problem solution".split())
_ACRONYM_IN_PARENS = re.compile(r"([A-Za-z][\w\- ]*?)\s*\(([A-Za-z][A-Za-z0-9]{1,7})s?\)")
_CLAUSE_BREAK = re.compile(r"[.;:!?](?:\s|$)|,\s|\s(?:while|whereas|whilst|but|however|and|or|unlike|then)\s"
                           r"|\s[-=]\s|->|→|\n")


@dataclass(frozen=True)
class Term:
    name: str
    forms: tuple[tuple[str, ...], ...]  # stem sequences that mention it, longest first


def _stems(words: list[str]) -> tuple[str, ...]:
    return tuple(stem(w) for w in words)


def _acronym_aliases(text: str) -> dict[str, str]:
    """'Variational auto-encoders (VAEs)' -> {'variational auto encoders': 'vae'}."""
    aliases = {}
    for match in _ACRONYM_IN_PARENS.finditer(text):
        words = tokens(match.group(1))
        acronym = match.group(2).lower()
        n = len(acronym)
        # the phrase is the last words whose initials spell the acronym, else the last n words
        for size in range(min(len(words), n + 1), 0, -1):
            phrase = words[-size:]
            if "".join(w[0] for w in phrase) == acronym[: len(phrase)]:
                break
        else:
            phrase = words[-n:]
        aliases[" ".join(phrase)] = acronym
    return aliases


def _make_terms(phrases: list[list[str]], aliases: dict[str, str], share_tail: bool = True) -> list[Term]:
    """Terms from phrases of one contrast: forms are the phrase, its core without a shared tail, acronyms."""
    if len(phrases) < 2:
        return []
    longest = max(phrases, key=len)
    full = []
    for words in phrases:
        tail = longest[len(words):] if len(words) < len(longest) else []
        if tail and share_tail and not set(tail) & set(words):
            words = words + tail  # "generative and discriminative model": both are models
        full.append(words)
    shared = 0
    while all(len(w) > shared + 1 for w in full) and len({w[-1 - shared] for w in full}) == 1:
        shared += 1
    terms = []
    for words in full:
        size = len(words) - shared
        while size < len(words) and (words[size - 1].isdigit() or len(words[size - 1]) <= 2):
            size += 1  # "two-stage" vs "one-stage": the number alone is no name
        core = words[:size]
        forms = {_stems(words), _stems(core), (stem("".join(words)),), (stem("".join(core)),)}
        for size in range(2, len(core)):
            forms.add(_stems(core[:size]))
        if len(core) > 2 and core[0] in _GENERIC_MODIFIERS:
            forms.add(_stems(core[1:]))
        if len(words) >= 2:
            forms.add((("".join(w[0] for w in words if w[:1].isalpha())),))
        if len(core) >= 2:
            forms.add((("".join(w[0] for w in core if w[:1].isalpha())),))
        for phrase, acronym in aliases.items():
            if phrase.endswith(" ".join(core)) or " ".join(words).endswith(phrase):
                forms.add((acronym,))
        forms = {f for f in forms if f and len("".join(f)) >= 2}
        terms.append(Term(" ".join(core), tuple(sorted(forms, key=len, reverse=True))))
    # forms shared by two terms cannot tell them apart
    seen: dict[tuple[str, ...], int] = {}
    for term in terms:
        for form in term.forms:
            seen[form] = seen.get(form, 0) + 1
    terms = [Term(t.name, tuple(f for f in t.forms if seen[f] == 1)) for t in terms]
    return [t for t in terms if t.forms]


def question_terms(question: str) -> list[Term]:
    """The named terms a question contrasts: 'X vs Y', 'between X and Y', 'an epoch, a batch and an iteration'."""
    aliases = _acronym_aliases(question)
    text = _ACRONYM_IN_PARENS.sub(r"\1", question.lower())
    text = re.sub(r"[?!.;:()\"]", " | ", text).replace(",", " , ").replace("/", " / ")
    words = tokens(text.replace("|", " zzbreak ").replace(",", " zzcomma "))
    words = ["," if w == "zzcomma" else "|" if w == "zzbreak" else w for w in words]
    contrast = any(cue in question.lower() for cue in _CONTRAST_CUES)
    joiners = _JOINERS | ({"with", "to", "from", "over"} if contrast else set())
    groups: list[list[list[str]]] = []
    phrase: list[str] = []
    group: list[list[str]] = []
    gap: list[str] = []  # words between the last phrase and the next one
    prepositional: set[int] = set()  # groups joined by "with"/"from": no shared tail between them
    for word in words + ["|"]:
        content = word not in STOP_WORDS and word not in joiners and word != "|" and word not in _ARTICLES
        if content and not (word.isdigit() and not phrase and len(word) > 1):
            joined = any(g in joiners for g in gap) and all(g in joiners or g in _ARTICLES for g in gap)
            if gap and phrase == [] and group and not joined:
                if contrast and any(g in ("differ", "differs") for g in gap) and len(group) == 1:
                    pass  # "what X is and how it differs from Y" keeps X and Y together
                else:
                    groups.append(group)
                    group = []
            if gap and group and set(gap) & {"with", "to", "from", "over", "differ", "differs"}:
                prepositional.add(len(groups))
            gap = []
            phrase.append(word)
            continue
        if phrase:
            group.append(phrase)
            phrase = []
        gap.append(word)
        if word == "|" and group:
            groups.append(group)
            group = []
    terms: list[Term] = []
    for number, g in enumerate(groups):
        if len(g) >= 2 and all(len(p) <= 5 for p in g):
            terms.extend(_make_terms(g, aliases, share_tail=number not in prepositional))
    return terms


def label_terms(labels: list[str], reference: str) -> list[Term]:
    """Terms named by `Term: explanation` labels of the reference, when it defines two or more."""
    aliases = _acronym_aliases(reference)
    counts: dict[str, int] = {}
    for label in labels:
        counts[label.lower()] = counts.get(label.lower(), 0) + 1
    phrases = []
    for label in dict.fromkeys(labels):
        words = [w for w in tokens(_ACRONYM_IN_PARENS.sub(r"\1", label)) if w not in _ARTICLES]
        if counts[label.lower()] > 1 or not words or len(words) > 5 or words[0].isdigit():
            continue
        if set(words) & _ATTRIBUTE_LABELS:
            continue
        phrases.append(words)
    if len(phrases) < 2:
        return []
    # each label is its own contrast member; no shared-tail completion across unrelated labels
    return _make_terms(phrases, aliases, share_tail=False)


def merge_terms(*groups: list[Term]) -> list[Term]:
    merged: list[Term] = []
    for group in groups:
        for term in group:
            if not any(set(term.forms) & set(t.forms) for t in merged):
                merged.append(term)
    return merged


def find_mentions(stems: list[str], terms: list[Term]) -> list[tuple[int, int, int]]:
    """(start, end, term index) of term mentions, longest forms first, no overlaps."""
    if not terms:
        return []
    forms = sorted(((form, i) for i, t in enumerate(terms) for form in t.forms), key=lambda f: -len(f[0]))
    taken = [False] * len(stems)
    found = []
    for form, index in forms:
        n = len(form)
        for start in range(len(stems) - n + 1):
            if stems[start: start + n] == list(form) and not any(taken[start: start + n]):
                found.append((start, start + n, index))
                for k in range(start, start + n):
                    taken[k] = True
    return sorted(found)


def clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE_BREAK.split(text) if c and c.strip()]


def attribute(text: str, terms: list[Term], current: int | None = None) -> tuple[list[tuple[int, list[str]]], int | None]:
    """Split text into clauses and give each clause's words to the term it talks about.

    A clause naming no term continues the previous one; words before the first mention in a
    clause belong to that mention ("logistic regression is discriminative").
    Returns [(term index, words)] and the term current at the end.
    """
    out: list[tuple[int, list[str]]] = []
    for clause in clauses(text):
        words = tokens(clause)
        stems = [stem(w) for w in words]
        mentions = find_mentions(stems, terms)
        if not mentions:
            if current is not None:
                out.append((current, words))
            continue
        for k, (start, end, index) in enumerate(mentions):
            stop = mentions[k + 1][0] if k + 1 < len(mentions) else len(words)
            begin = 0 if k == 0 else start
            part = words[begin:start] + words[end:stop]
            out.append((index, part))
            current = index
    return out, current
