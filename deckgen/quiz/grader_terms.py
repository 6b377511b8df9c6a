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
CONTRAST_CUES = ("differ", "compar", "contrast", " vs", "versus", "better than")
_GENERIC_MODIFIERS = frozenset("traditional standard regular vanilla plain classic classical normal simple "
                               "basic ordinary usual conventional typical".split())
# Labels that name an attribute of a term rather than a term.
_ATTRIBUTE_LABELS = frozenset("example examples note notes definition definitions pros cons advantages "
                              "disadvantages use case cases summary answer formula intuition why how steps key "
                              "components improvements relationship application applications idea output input "
                              "result results reason reasons problem solution".split())
# Words of a question that ask rather than name: its verbs and generic nouns are never terms
# ("implement and evaluate", "strengths and weaknesses", "separate and identify").
_QUESTION_WORDS = frozenset("""
explain describe compare contrast implement evaluate identify separate measure find test tell decide choose
calculate compute estimate prevent avoid improve handle work apply use build design train run show prove
write draw label list name give state predict observe happen happens happened found wanted wants want
strengths strength weaknesses weakness benefits benefit drawbacks drawback limitations limitation similarities
similarity differences difference types type kinds kind ways way methods steps step problems problem
""".split())
_CLAUSE_BREAK = re.compile(r"[.;:!?](?:\s|$)|,\s|\s(?:while|whereas|whilst|but|however|and|or|unlike|then)\s"
                           r"|\s[-=]\s|->|→|\n")


@dataclass(frozen=True)
class Term:
    name: str
    forms: tuple[tuple[str, ...], ...]  # stem sequences that mention it, longest first
    asked: bool = False  # the question asks about it (not merely a premise or a reference label)


def _stems(words: list[str]) -> tuple[str, ...]:
    return tuple(stem(w) for w in words)


_PARENS_ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9]{0,6}[A-Z][0-9]?)s?\)")  # "(MCAR)", "(VAEs)", "(L2)" no


def acronym_aliases(text: str) -> dict[str, str]:
    """'Variational auto-encoders (VAEs)' -> {'variational auto encoders': 'vae'}."""
    aliases = {}
    for match in _PARENS_ACRONYM.finditer(text):
        before = text[max(0, match.start() - 80): match.start()]
        before = re.split(r"[.;:,()\n]", before)[-1]
        words = tokens(before)
        acronym = match.group(1).lower()
        n = len(acronym)
        if not words:
            continue
        # the phrase is the last words whose initials spell the acronym, else the last n words
        for size in range(min(len(words), n + 1), 0, -1):
            phrase = words[-size:]
            if "".join(w[0] for w in phrase) == acronym[: len(phrase)]:
                break
        else:
            continue  # no words before it spell it: a remark in brackets, not a name
        aliases[" ".join(phrase)] = acronym
    return aliases


def _names_alone(word: str, phrase: list[str]) -> bool:
    """A word of a multi-word name stands for it alone only when it is rare: "bagging" for "bootstrap
    bagging", not "batch" for "batch gradient descent" (a mini-batch is no batch gradient descent)."""
    from deckgen.quiz.grader_text import weight

    return len(phrase) == 1 or weight(word) >= 1.0


def _make_terms(phrases: list[list[str]], aliases: dict[str, str], share_tail: bool = True) -> list[Term]:
    """Terms from phrases of one contrast: forms are the phrase, its core without a shared tail, acronyms."""
    if len(phrases) < 2:
        return []
    # "generative and discriminative model": the last phrase's head is shared by the earlier ones
    last = phrases[-1]
    full = []
    for words in phrases:
        if share_tail and words is not last and len(words) < len(last):
            tail = last[len(words):]
            if any(t in w or w in t for t in tail for w in words):  # "unsupervised, semi-supervised learning"
                tail = [] if any(last[-1] in w or w in last[-1] for w in words) else last[-1:]
            words = words + tail
        full.append(words)
    shared = 0
    while all(len(w) > shared + 1 for w in full) and len({w[-1 - shared] for w in full}) == 1:
        shared += 1
    terms = []
    for words in full:
        size = len(words) - shared
        while size < len(words) and (words[size - 1].isdigit() or len(words[size - 1]) <= 1):
            size += 1  # "two-stage" vs "one-stage": the number alone is no name
        core = words[:size]
        forms = {_stems(words), (stem("".join(words)),)}
        if len(core) > 1 or _names_alone(core[0], words):
            forms.update({_stems(core), (stem("".join(core)),)})
        for size in range(2, len(core)):
            forms.add(_stems(core[:size]))
        for start in range(1, len(words)):
            tail = words[start:]
            if not all(w in STOP_WORDS for w in tail) and (len(tail) > 1 or _names_alone(tail[0], words)):
                forms.add(_stems(tail))  # "entity linking" for "named entity linking"
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
    # forms shared by two terms cannot tell them apart, unless one is a term's whole name ("batch gradient
    # descent" is that term, not the tail of "mini-batch gradient descent"); a word of another term's
    # name is no name alone ("batch" of "mini-batch")
    whole = {_stems(words): i for i, words in enumerate(full)}
    words_of = [set(_stems(words)) for words in full]
    seen: dict[tuple[str, ...], int] = {}
    for term in terms:
        for form in term.forms:
            seen[form] = seen.get(form, 0) + 1
    kept = []
    for i, t in enumerate(terms):
        forms = [f for f in t.forms if (seen[f] == 1 or whole.get(f) == i)
                 and not (len(f) == 1 and any(f[0] in w for j, w in enumerate(words_of) if j != i))]
        kept.append(Term(t.name, tuple(forms)))
    return [t for t in kept if t.forms]


def question_terms(question: str) -> list[Term]:
    """The named terms a question contrasts: 'X vs Y', 'between X and Y', 'an epoch, a batch and an iteration'."""
    aliases = acronym_aliases(question)
    text = _PARENS_ACRONYM.sub(" ", question).lower()
    text = re.sub(r"\b(vs|e\.g|i\.e|etc)\.", r"\1", text)
    text = re.sub(r"(?<=\w)-(?=\w)", " zzhyphen ", text)  # "k-means": the word after a hyphen stays in the name
    text = re.sub(r"[?!.;:()\"]", " | ", text).replace(",", " , ").replace("/", " / ")
    raw = tokens(text.replace("|", " zzbreak ").replace(",", " zzcomma "))
    words, glued = [], set()
    for w in raw:
        if w == "zzhyphen":
            glued.add(len(words))
            continue
        words.append("," if w == "zzcomma" else "|" if w == "zzbreak" else w)
    contrast = any(cue in question.lower() for cue in CONTRAST_CUES)
    joiners = _JOINERS | ({"with", "to", "from", "over"} if contrast else set())
    groups: list[list[list[str]]] = []
    phrase: list[str] = []
    group: list[list[str]] = []
    gap: list[str] = []  # words between the last phrase and the next one
    prepositional: set[int] = set()  # groups joined by "with"/"from": no shared tail between them
    for position, word in enumerate(words + ["|"]):
        content = (word not in STOP_WORDS and word not in joiners and word != "|" and word not in _ARTICLES) \
            or (position in glued and phrase != [])
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
    # a contrast in a sentence that is no question ("X states that when A and B ...") is a premise
    sentences = [s for s in re.split(r"(?<=[.?!])\s+", question.lower()) if s]
    premises = " ".join(s for s in sentences if not s.rstrip().endswith("?")) if len(sentences) > 1 else ""
    premise_words = set(tokens(premises))
    for number, g in enumerate(groups):
        if any(p[0] in _ATTRIBUTE_LABELS for p in g):
            continue  # "pros and cons", "advantages and disadvantages" name no terms
        g = [p for p in g if not set(p) <= _QUESTION_WORDS]
        if len(g) >= 2 and all(len(p) <= 5 for p in g):
            asked = not all(set(p) <= premise_words for p in g)
            if not asked and premises and not contrast:
                continue  # names in a story told before the question ("Jana and Emily tested...")
            made = _make_terms(g, aliases, share_tail=number not in prepositional)
            terms.extend(Term(t.name, t.forms, asked) for t in made)
    return terms


def contrasts(question: str) -> bool:
    """The question asks for a comparison ("differ", "compare", "vs")."""
    return any(cue in question.lower() for cue in CONTRAST_CUES)


def is_attribute_label(label: str) -> bool:
    """'Definition', 'Example', 'Pros': a label naming an attribute of the item, not an item."""
    words = tokens(label)
    return bool(words) and words[0] in _ATTRIBUTE_LABELS


def label_terms(labels: list[str], reference: str, question: str = "") -> list[Term]:
    """Terms named by `Term: explanation` labels of the reference, when it defines two or more."""
    asked_words = {stem(w) for w in tokens(question)}
    aliases = acronym_aliases(reference)
    counts: dict[str, int] = {}
    for label in labels:
        counts[label.lower()] = counts.get(label.lower(), 0) + 1
    phrases = []
    for label in dict.fromkeys(labels):
        words = [w for w in tokens(_PARENS_ACRONYM.sub(" ", label)) if w not in _ARTICLES]
        if counts[label.lower()] > 1 or not words or len(words) > 5 or words[0].isdigit():
            continue
        if set(words) & _ATTRIBUTE_LABELS:
            continue
        phrases.append(words)
    # parallel labels share a word ("Training Set", "Test Set"); a list of unrelated tips is no contrast
    # or labels the question names ("Bias:", "Variance:" for "the bias-variance tradeoff")
    named = [p for p in phrases if {stem(w) for w in p} <= asked_words]
    phrases = [p for p in phrases if any(set(p) & set(q) - _ARTICLES for q in phrases if q is not p)
               or (len(named) >= 2 and p in named)]
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


class TermList(list):
    """Terms with their mention index built once (find_mentions runs per clause)."""

    _forms = None

    def forms_index(self):
        if self._forms is None:
            self._forms = _form_index(self)
        return self._forms


def _form_index(terms):
    by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    fuzzy: list[tuple[str, int]] = []
    for i, t in enumerate(terms):
        for form in t.forms:
            by_first.setdefault(form[0], []).append((form, i))
            if len(form) == 1 and len(form[0]) >= 7:
                fuzzy.append((form[0], i))
    for forms in by_first.values():
        forms.sort(key=lambda f: -len(f[0]))
    return by_first, fuzzy


def find_mentions(stems: list[str], terms: list[Term]) -> list[tuple[int, int, int]]:
    """(start, end, term index) of term mentions, longest first, no overlaps.

    One-word names of seven letters or more also match with a typo ("discrimnative")."""
    if not terms:
        return []
    by_first, fuzzy = terms.forms_index() if isinstance(terms, TermList) else _form_index(terms)
    candidates = []
    for start, s in enumerate(stems):
        for form, index in by_first.get(s, ()):
            n = len(form)
            if tuple(stems[start: start + n]) == form:
                candidates.append((n, start, index))
        if s not in by_first and len(s) >= 6:
            from deckgen.quiz.grader_text import similar

            for name, index in fuzzy:
                if similar(s, name):
                    candidates.append((1, start, index))
                    break
    candidates.sort(key=lambda c: (-c[0], c[1]))
    taken = [False] * len(stems)
    found = []
    for n, start, index in candidates:
        if not any(taken[start: start + n]):
            found.append((start, start + n, index))
            for k in range(start, start + n):
                taken[k] = True
    return sorted(found)


def clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE_BREAK.split(text) if c and c.strip()]


def clause_pieces(text: str) -> list[tuple[str, str]]:
    """(clause, the clause with the break after it) in order: the second joins back into the text."""
    pieces: list[tuple[str, str]] = []
    start = 0
    for match in _CLAUSE_BREAK.finditer(text):
        if text[start: match.start()].strip():
            pieces.append((text[start: match.start()], text[start: match.end()]))
        elif pieces:
            pieces[-1] = (pieces[-1][0], pieces[-1][1] + text[start: match.end()])
        start = match.end()
    if text[start:].strip():
        pieces.append((text[start:], text[start:]))
    elif pieces:
        pieces[-1] = (pieces[-1][0], pieces[-1][1] + text[start:])
    return pieces


_COPULA = frozenset({"is", "are", "was", "were", "be", "as", "called", "a", "an", "the", "like", "such"})


_COORDINATORS = frozenset({"and", "or", "&", "vs", "versus", "plus"})


def attribute(text: str, terms: list[Term], current: frozenset[int] = frozenset()
              ) -> tuple[list[tuple[frozenset[int], list[str]]], frozenset[int]]:
    """Split text into clauses and give each clause's words to the term(s) it talks about.

    A clause naming no term continues the previous one. Words before a clause's first mention
    belong to that mention after a copula ("logistic regression is discriminative") and to the
    term already under discussion otherwise. "X and Y are ..." gives the words to both.
    Returns [(term indices, words)] and the terms current at the end.
    """
    return attribute_clauses([tokens(c) for c in clauses(text)], terms, current)


def attribute_clauses(clause_words: list[list[str]], terms: list[Term], current: frozenset[int] = frozenset()
                      ) -> tuple[list[tuple[frozenset[int], list[str]]], frozenset[int]]:
    """`attribute` for text already split into clauses of words."""
    out: list[tuple[frozenset[int], list[str]]] = []
    pending: set[int] = set()  # bare mentions joined by "and"/"or"/","
    for words in clause_words:
        stems = [stem(w) for w in words]
        mentions = find_mentions(stems, terms)
        if not mentions:
            if pending:
                current = frozenset(pending)
                pending = set()
            if current:
                out.append((current, words))
            continue
        # "X and Y", "TF-IDF": adjacent mentions share what follows
        groups: list[tuple[int, int, set[int]]] = []
        for start, end, index in mentions:
            if groups and all(w in _COORDINATORS for w in words[groups[-1][1]:start]):
                groups[-1] = (groups[-1][0], end, groups[-1][2] | {index})
            else:
                groups.append((start, end, {index}))
        rest = [w for k, w in enumerate(words)
                if not any(s <= k < e for s, e, _ in groups) and w not in STOP_WORDS]
        if not rest:  # the clause only names terms: what follows is said of them all
            for _, _, owners in groups:
                pending |= owners
            continue
        for k, (start, end, owners) in enumerate(groups):
            stop = groups[k + 1][0] if k + 1 < len(groups) else len(words)
            owners = frozenset(owners | pending) if k == 0 else frozenset(owners)
            if k == 0 and start > 0:
                before = words[:start]
                if current and not pending and before[-1] not in _COPULA:
                    out.append((current, before))
                else:
                    out.append((owners, before))
            out.append((owners, words[end:stop]))
            pending = set()
            current = owners
    if pending:  # a heading that only names terms: the next lines speak of them
        current = frozenset(pending)
    return out, current
