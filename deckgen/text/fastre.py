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
        first = _first_of_sequence(parsed, pattern.flags)
    except Exception:  # an unknown construct in the parse tree: leave the pattern alone
        return pattern
    if first is None:
        return pattern
    chars, nullable = first
    if nullable or not chars:
        return pattern  # a match may be empty: it can start anywhere
    guard = "".join(re.escape(c) for c in sorted(chars))
    try:
        return re.compile(f"(?=[{guard}])(?:{pattern.pattern})", pattern.flags)
    except re.error:  # e.g. global inline flags, which must stay at the start
        return pattern


def _first_of_sequence(items, flags: int) -> tuple[set[str], bool] | None:
    """(characters a match of `items` can start with, whether it can match empty), or None."""
    chars: set[str] = set()
    for op, av in items:
        first = _first_of_item(op, av, flags)
        if first is None:
            return None
        chars |= first[0]
        if not first[1]:
            return chars, False
    return chars, True


def _first_of_item(op, av, flags: int) -> tuple[set[str], bool] | None:
    if op is _sre.LITERAL:
        return {chr(av)}, False
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        return set(), True  # zero width: the next item starts the match
    if op is _sre.IN:
        chars: set[str] = set()
        for item_op, item_av in av:
            if item_op is _sre.LITERAL:
                chars.add(chr(item_av))
            elif item_op is _sre.RANGE and item_av[1] - item_av[0] < _MAX_RANGE:
                chars.update(map(chr, range(item_av[0], item_av[1] + 1)))
            else:
                return None  # a negated class, \w, \s, a wide range
        return chars, False
    if op is _sre.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & re.IGNORECASE and not flags & re.IGNORECASE:
            return None  # (?i:...) inside a case-sensitive pattern: the guard would be too narrow
        return _first_of_sequence(sub, flags)
    if op is _sre.BRANCH:
        chars, nullable = set(), False
        for alternative in av[1]:
            first = _first_of_sequence(alternative, flags)
            if first is None:
                return None
            chars |= first[0]
            nullable = nullable or first[1]
        return chars, nullable
    if op in _REPEATS:
        low, _high, sub = av
        first = _first_of_sequence(sub, flags)
        if first is None:
            return None
        return first[0], first[1] or low == 0
    return None  # ANY (.), categories, back references...: any character may start a match
