"""The fields, tags and deck names of deckgen's Anki notes (see deckgen.writers.anki for
the note type they fill). Every text from a source reaches a field escaped: questions
and answers through deckgen.render, the rest through `text_html`; Anki's own field syntax
([sound:...], [[type:...]], [latex], [$]...) is neutralized and bidi overrides are removed
from questions, sections and deck names."""

from __future__ import annotations

import hashlib
import html
import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from deckgen.card import Card, normalize_question
from deckgen.mathjax import WORD_JOINER
from deckgen.render import inline_html, text_html, to_html
from deckgen.text.normalize import strip_bidi
from deckgen.writers.file_names import package_file_name
from deckgen.text.code import RESTORED_TAG

FIELDS = ("Question", "Answer", "Source", "Section", "Difficulty", "TypeAnswer", "DeckgenId")
TYPE_IN_MAX_CHARS = 60
TYPE_IN_MAX_WORDS = 5
RETIRED_TAG = "deckgen::retired"
UNANSWERED_TAG = "deckgen::unanswered"
UNANSWERED_HTML = '<p class="dg-unanswered">Not answered in your notes yet.</p>'
RETIRED_HTML = '<p class="dg-unanswered">No longer in your notes: you can delete this card.</p>'


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
    text = " ".join(strip_bidi(text).replace("::", ":").split()).strip(" :")
    if len(text) > 60:
        text = text[:60].rsplit(" ", 1)[0].rstrip(" :,;-") + "…"
    return text


def clean_deck_name(name: str) -> str:
    """A deck name Anki shows as meant: no empty levels, spaces folded, no bidi overrides."""
    return "::".join(p for p in (_deck_part(x) for x in name.split("::")) if p) or "deckgen"


_FILE_EXT = re.compile(r"\.(md|markdown|txt|ipynb|json|html?|rst)$", re.I)


def collection_name(source: str) -> str:
    """The deck level for a source: the file (or repo dump) path without extension."""
    return _deck_part(_FILE_EXT.sub("", source.split("::", 1)[0])) or "notes"


def deck_names(cards: Sequence[Card], root: str, flat: bool = False) -> list[str]:
    """The deck of each card: root::collection::top section, where the top section is
    the first heading level not shared by every card of the collection."""
    root = clean_deck_name(root)
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


_ANKI_SYNTAX = re.compile(r"\[(?=sound:|anki:|\[type:|latex\]|\$\]|\$\$\]|/latex\]|/\$\]|/\$\$\])", re.I)


def _neutralize(field_html: str) -> str:
    """Anki reads [sound:..], [latex], [$] in field text as commands, and its reviewers
    (desktop, AnkiDroid) turn [[type:Field]] into an input box; an entity keeps them as text."""
    return _ANKI_SYNTAX.sub("&#91;", field_html)


def _plain(html_text: str) -> str:
    text = re.sub(r"<[^>]+>", "", html_text)
    return " ".join(html.unescape(text).replace(WORD_JOINER, "").split())


def type_in_answer(card: Card) -> str:
    """The short plain answer for the type-in card, or "" when the answer is not short
    and simple: at most 60 characters and a few words (a term, a number, a name; typing
    a whole sentence exactly is a chore), no code, math or second line."""
    if not card.answered or card.kind != "question" or "$" in card.answer or "```" in card.answer:
        return ""
    if len(card.answer.strip().splitlines()) != 1:
        return ""
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


def note_fields(card: Card, type_in: bool = False, context: str = "", remote_images: bool = False) -> list[str]:
    """The note's fields, in FIELDS order."""
    answer = to_html(card.answer, remote_images=remote_images) if has_answer(card) else UNANSWERED_HTML
    source = f"{card.source}:{card.line}" if card.line else card.source
    if RESTORED_TAG in card.tags:
        source += " · code indentation restored by deckgen"
    question = inline_html(strip_bidi(card.question.strip()), remote_images=remote_images)
    if context:
        question += f' <span class="dg-qctx">({text_html(strip_bidi(context))})</span>'
    fields = [
        question,
        answer,
        text_html(strip_bidi(source)),
        text_html(strip_bidi(" › ".join(card.section))),
        card.difficulty or "",
        html.escape(type_in_answer(card), quote=False) if type_in else "",
        text_html(card.id),
    ]
    return [_neutralize(f) for f in fields]


def note_tags(card: Card) -> list[str]:
    """The card's tags made Anki-safe, plus deckgen::unanswered where it applies."""
    tags = [t for t in (anki_tag(t) for t in card.tags) if t]
    if not has_answer(card):
        tags.append(UNANSWERED_TAG)
    return list(dict.fromkeys(tags))


def retired_fields(question: str, answer: str, source: str, section: str, card_id: str) -> list[str]:
    """Fields for a note that left the notes (--export-retired), from what the id map and
    the last package remember. Both are files anyone can edit: their texts are plain text
    here, rendered like any note text."""
    old = "<br>\n".join(text_html(line) for line in answer.strip().splitlines())
    fields = [
        inline_html(strip_bidi(question.strip())),
        RETIRED_HTML + (f'\n<div class="dg-retired">{old}</div>' if old else ""),
        text_html(strip_bidi(source)),
        text_html(strip_bidi(section)),
        "",
        "",
        text_html(card_id),
    ]
    return [_neutralize(f) for f in fields]


def hash_note(fields: list[str], tags: list[str], deck: str) -> str:
    data = "\x1f".join(fields) + "\x1e" + " ".join(tags) + "\x1e" + deck
    return hashlib.sha1(data.encode("utf-8")).hexdigest()[:16]


