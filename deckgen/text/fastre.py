"""A faster `search` for big alternations, with exactly the same matches.

Python's regex engine tries every alternative of a pattern such as
`\\bthanks\\b|\\bgood luck\\b|\\blet me know\\b|...` at every position of the text, and for
case-insensitive letters it cannot skip ahead by the first character. `guarded(pattern)`
puts a lookahead in front for the characters a match can start with, worked out from the
parsed pattern, so most positions are turned down by one class test. Meant for
case-insensitive alternations whose branches start with words (measure: a pattern that
starts with a case-sensitive literal is already fast, and a guard only slows it). The characters are
worked out again whenever the pattern changes; when they cannot be known for certain
(a match may start with any character, or be empty), the pattern is returned unchanged.
"""

from __future__ import annotations

import re

try:  # Python 3.11+
    from re import _constants as _sre, _parser as _sre_parse
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_MAX_RANGE = 512  # a wider class ([^...], \w, a big range) is "any character": no guard
_REPEATS = tuple(getattr(_sre, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
                 if hasattr(_sre, name))


def guarded(pattern: re.Pattern) -> re.Pattern:
    """`pattern` with a lookahead for the characters its matches start with (same matches)."""
    if not isinstance(pattern.pattern, str) or pattern.flags & re.VERBOSE:
        return pattern  # (a verbose pattern's last comment would swallow the closing parenthesis)
    try:
        parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
        if parsed[0] == (_sre.AT, _sre.AT_BEGINNING) and not pattern.flags & re.MULTILINE:
            return pattern  # only ever tried at the start: already fast
        first = _first_of_sequence(parsed, pattern.flags, _Start())
    except Exception:  # an unknown construct in the parse tree: leave the pattern alone
        return pattern
    if first is None:
        return pattern
    chars, nullable, at_boundary = first
    if nullable or not chars:
        return pattern  # a match may be empty: it can start anywhere
    guard = "".join(re.escape(c) for c in sorted(chars))
    # every match starting at a word boundary (each branch opens with \b, or with ^ and a
    # letter): positions inside words are turned down first, by the cheapest test
    boundary = r"\b" if at_boundary else ""
    try:
        return re.compile(f"{boundary}(?=[{guard}])(?:{pattern.pattern})", pattern.flags)
    except re.error:  # e.g. global inline flags, which must stay at the start
        return pattern


class _Start(tuple):
    """What is known of the position a match starts at: (\b asserted there, ^ asserted there)."""

    def __new__(cls, boundary: bool = False, line_start: bool = False):
        return super().__new__(cls, (boundary, line_start))


_LINE_STARTS = (_sre.AT_BEGINNING, _sre.AT_BEGINNING_LINE, _sre.AT_BEGINNING_STRING)


def _first_of_sequence(items, flags: int, start: _Start) -> tuple[set[str], bool, bool] | None:
    """(characters a match of `items` can start with, whether it can match empty, whether every
    match that consumes a character starts at a word boundary), or None when unknown."""
    chars: set[str] = set()
    at_boundary = True
    boundary, line_start = start
    for op, av in items:
        if op is _sre.AT:
            boundary = boundary or av is _sre.AT_BOUNDARY
            line_start = line_start or av in _LINE_STARTS
            continue
        if op in (_sre.ASSERT, _sre.ASSERT_NOT):
            continue  # zero width: the next item starts the match
        first = _first_of_item(op, av, flags, _Start(boundary, line_start))
        if first is None:
            return None
        chars |= first[0]
        at_boundary = at_boundary and first[2]
        if not first[1]:
            return chars, False, at_boundary
        # an item that may match empty: what it asserts may not happen, so nothing is learnt
    return chars, True, at_boundary


def _first_of_item(op, av, flags: int, start: _Start) -> tuple[set[str], bool, bool] | None:
    if op is _sre.LITERAL:
        return {chr(av)}, False, _boundary_before(start, {chr(av)}, flags)
    if op is _sre.IN:
        chars: set[str] = set()
        for item_op, item_av in av:
            if item_op is _sre.LITERAL:
                chars.add(chr(item_av))
            elif item_op is _sre.RANGE and item_av[1] - item_av[0] < _MAX_RANGE:
                chars.update(map(chr, range(item_av[0], item_av[1] + 1)))
            else:
                return None  # a negated class, \w, \s, a wide range
        return chars, False, _boundary_before(start, chars, flags)
    if op is _sre.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & re.IGNORECASE and not flags & re.IGNORECASE:
            return None  # (?i:...) inside a case-sensitive pattern: the guard would be too narrow
        if add_flags & re.ASCII and not flags & re.ASCII:
            start = _Start(start[0], False)  # \w differs inside: no conclusions from letters
        return _first_of_sequence(sub, flags, start)
    if op is _sre.BRANCH:
        chars, nullable, at_boundary = set(), False, True
        for alternative in av[1]:
            first = _first_of_sequence(alternative, flags, start)
            if first is None:
                return None
            chars |= first[0]
            nullable = nullable or first[1]
            at_boundary = at_boundary and first[2]
        return chars, nullable, at_boundary
    if op in _REPEATS:
        low, _high, sub = av
        first = _first_of_sequence(sub, flags, start)
        if first is None:
            return None
        return first[0], first[1] or low == 0, first[2]
    return None  # ANY (.), categories, back references...: any character may start a match


def _boundary_before(start: _Start, chars: set[str], flags: int) -> bool:
    """Is there a word boundary before a first character from `chars`, given `start`? After a
    line start (nothing or a newline before) there is exactly when the character is a word one."""
    boundary, line_start = start
    return boundary or (line_start and all(_is_word(c, flags) for c in chars))


def _is_word(ch: str, flags: int) -> bool:
    # as the regex engine's \w sees it (letters' case variants are letters too)
    if flags & re.ASCII and not ch.isascii():
        return False
    return ch.isalnum() or ch == "_"
