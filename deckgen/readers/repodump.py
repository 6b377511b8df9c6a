"""Repo dumps: a file tree, then every file as `/path:` + an 80-dash rule + numbered lines.

A dump is a container: `split` yields one `Source` per inner file, which the registry
hands to the reader for that file's type. The dump may be flattened onto one physical
line (every newline and indentation collapsed to one space) or keep some newlines, so
nothing here relies on physical lines:

    ├── docs ├── notes.md /docs/notes.md: ----(80)---- 1 | # Title 2 | 3 | text ----(80)----

Lines are rebuilt by walking the expected next prefix `n+1 |` (never splitting on any
`\\d+ |`: table rows and prose hold numbers next to pipes), tolerating gaps where lines
were deleted upstream, and noticing text spliced in from another file (numbering that
restarts lower in the middle of a line).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from deckgen.card import Source

NAME = "repodump"
SNIFF_MAX = 0.99  # the highest score sniff() gives (pick() relies on it)

# exactly 80 dashes; written to open with a literal "-" (the lookbehind after it looks at the
# character before the run) so the search jumps from dash to dash
RULE = re.compile(r"-(?<!--)-{79}(?!-)")
# A line prefix candidate: a number and a pipe, standing alone between whitespace.
MARKER = re.compile(r"(?<!\S)(\d{1,6}) \|(?=\s|$)")
TREE_GLYPHS = ("├──", "└──")
# The header before a rule: "/path/to/file.md:" (a path that starts with "/").
HEADER_PATH = re.compile(r"(?:^|\s)(/[^\n|]{0,300}?):\s*$")
PLACEHOLDER = re.compile(r"(?:https?://\S+|[\[(<]?[^\n]{0,20}\bbinary\b[^\n]{0,40}?[\])>]?)", re.I)
# How far numbering may jump where lines were deleted upstream (stripped comments).
MAX_GAP = 40
# Inner files that never hold notes, by name (suffixes are skipped by the registry).
NOISE_NAMES = {"license", "license.md", "license.txt", "copying", "notice", ".gitignore",
               ".gitattributes", ".ds_store", ".dockerignore", ".editorconfig", "contributing.md",
               "contributing", "code_of_conduct.md", "security.md", "changelog.md", "pull_request_template.md",
               "funding.yml", "codeowners"}
# Folders of repository machinery (issue templates, CI), not notes.
NOISE_FOLDERS = (".github/", ".gitlab/", ".circleci/", ".vscode/", ".idea/")


def sniff(text: str) -> float:
    head = text[:400000]
    headers = _headers(head)
    if not headers:
        return 0.0
    has_tree = any(g in head[:headers[0][0] + 1] for g in TREE_GLYPHS)
    numbered = bool(MARKER.search(head, headers[0][2], headers[0][2] + 200))
    if has_tree and numbered:
        return SNIFF_MAX
    return 0.9 if numbered else 0.3  # a lone "/path: ----" in prose is weak evidence


def split(source: Source) -> Iterator[Source]:
    """One Source per inner file; problems become diagnostics on `source` or the inner file."""
    text = source.text
    headers = _headers(text)
    if not headers:
        source.report(None, "looks like a repo dump but no '/path:' + 80-dash file header was found; nothing read")
        return
    for index, (path_start, path, body_start) in enumerate(headers):
        last = index + 1 == len(headers)
        body_end = headers[index + 1][0] if not last else len(text)
        body = text[body_start:body_end]
        closing = RULE.search(body[-100:]) if body.rstrip().endswith("-" * 80) else None
        if closing:
            body = body.rstrip()[:-80]
        elif last:
            source.report(_outer_line(text, path_start),
                          f"{path}: file has no closing 80-dash rule; the dump may be truncated")
        yield from _inner_sources(source, path, body, _outer_line(text, body_start))


def _headers(text: str) -> list[tuple[int, str, int]]:
    """(start of the path, path, start of the body) for every file header."""
    found = []
    previous_end = 0
    for rule in RULE.finditer(text):
        before = text[max(previous_end, rule.start() - 400):rule.start()]
        match = HEADER_PATH.search(before)
        if match and not _inside_numbered_line(text, rule.start()):
            path = match.group(1).strip()
            # in the tree segment the path starts after the last tree entry
            if any(g in path for g in TREE_GLYPHS + ("│",)):
                tail = re.search(r"(?:^|\s)(/[^\s│├└]*(?: [^\s│├└/]+)*?)$", path)
                if not tail:
                    previous_end = rule.end()
                    continue
                path = tail.group(1)
            path_start = rule.start() - len(before) + match.start(1)
            if (found and path_start < found[-1][2]) or _inside_numbered_line(text, path_start):
                previous_end = rule.end()
                continue  # "12 | /a.md: ----" is a line of some file that shows a header
            found.append((path_start, path, rule.end()))
        previous_end = rule.end()
    return found


def _inside_numbered_line(text: str, pos: int) -> bool:
    """True when the rule at `pos` is the content of a numbered line (`12 | ----`)."""
    return bool(re.search(r"(?<!\S)\d+ \|\s*$", text[max(0, pos - 12):pos]))


def _outer_line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _inner_sources(outer: Source, path: str, body: str, outer_line: int) -> Iterator[Source]:
    inner_path = path.lstrip("/")
    name = f"{outer.name}::{inner_path}"
    base = inner_path.rsplit("/", 1)[-1].lower()
    if base in NOISE_NAMES or inner_path.lower().startswith(NOISE_FOLDERS):
        outer.report(outer_line, f"{inner_path}: boilerplate file (license, contributing guide, "
                                       f"templates, ignore list), skipped")
        return
    if not body.strip() or PLACEHOLDER.fullmatch(body.strip()):
        what = "empty file" if not body.strip() else "binary file placeholder (no text)"
        outer.report(outer_line, f"{inner_path}: {what}; no cards")
        return
    first = MARKER.search(body)
    if first is None or body[:first.start()].strip():
        outer.report(outer_line, f"{inner_path}: no 'N |' line prefixes; read as plain text")
        yield Source(name=name, text=body.strip(), path=outer.path, section_prefix=(inner_path,))
        return
    pieces = _rebuild(body, first.start())
    for number, (lines, line_map, notes) in enumerate(pieces):
        inner = Source(name=name, text="\n".join(lines), path=outer.path,
                       line_map=line_map, section_prefix=(inner_path,))
        for line, message in notes:
            inner.report(line, message)
        if number:
            inner.report(line_map[0], f"text spliced in from another file (numbering restarts at "
                                      f"{line_map[0]}); read as a separate fragment")
        yield inner


def _rebuild(body: str, start: int) -> list[tuple[list[str], list[int], list[tuple[int, str]]]]:
    """Walk the numbered lines of one file body.

    Returns pieces of (lines, original numbers, notes): the file itself, then any text
    spliced in from another file (its numbering restarts lower inside a line).
    """
    markers = [(m.start(), int(m.group(1)), m.end()) for m in MARKER.finditer(body, start)]
    at_line_start = [mk for mk in markers if mk[0] == 0 or body[mk[0] - 1] == "\n"]
    if len(at_line_start) >= 3 and len(at_line_start) * 2 >= len(markers):
        # a dump that kept its newlines: prefixes open physical lines, the rest is content
        markers = at_line_start
    positions = [m[0] for m in markers]
    by_number: dict[int, list[int]] = {}
    for i, (_, num, _) in enumerate(markers):
        by_number.setdefault(num, []).append(i)

    def next_with(num: int, after: int) -> int | None:
        """Index of the first marker numbered `num` at or after marker index `after`."""
        indexes = by_number.get(num)
        if not indexes:
            return None
        k = bisect.bisect_left(indexes, after)
        return indexes[k] if k < len(indexes) else None

    pieces = []
    pending = [0]  # marker indexes where a piece starts
    while pending:
        i = pending.pop(0)
        lines: list[str] = []
        numbers: list[int] = []
        notes: list[tuple[int, str]] = []
        while i is not None:
            _, n, content_start = markers[i]
            following = _next_line(markers, n, i + 1, next_with,
                                   lambda i, j: (body[markers[j][2]:markers[j + 1][0] if j + 1 < len(markers)
                                                      else len(body)].strip(),
                                                 body[markers[i][2]:markers[j][0]].strip()))
            if following is not None and markers[following][1] > n + 1:
                notes.append((n, f"line numbers jump from {n} to {markers[following][1]} "
                                 f"(lines missing in the dump)"))
            end = positions[following] if following is not None else len(body)
            splice = _restart_run(markers, i + 1, following if following is not None else len(markers), n)
            if splice is not None:
                # the rest is another file's text: it becomes its own piece
                end, following = positions[splice], None
                pending.append(splice)
            lines.append(_clean(body[content_start:end]))
            numbers.append(n)
            i = following
        pieces.append((lines, numbers, notes))
    return pieces


def _next_line(markers, n: int, start: int, next_with, content_of) -> int | None:
    """Index of the marker that starts the line after line `n`: `n+1` itself or, where
    lines were deleted upstream, a slightly higher number that goes on counting (its next
    prefix is k+1) or that opens a real line of text (a table cell such as `| 12 | 16 |`
    has no text of its own and ends with a pipe)."""
    exact = next_with(n + 1, start)
    limit = exact if exact is not None else min(len(markers), start + 200)
    for j in range(start, limit):
        k = markers[j][1]
        if not n + 1 < k <= n + MAX_GAP:
            continue
        last = j + 1 == len(markers)
        following = markers[j + 1][1] if not last else None
        if following == k + 1:
            return j
        counts_on = (following is not None and k < following <= k + MAX_GAP) or (last and exact is None)
        text, before = content_of(start - 1, j)
        # a table cell sits after a pipe in a row and holds no line of its own
        if counts_on and ((text and not text.endswith("|")) or not before.endswith("|")):
            return j
    if exact is None:
        return _after_long_gap(markers, n, start)
    return exact


def _after_long_gap(markers, n: int, start: int) -> int | None:
    """Where numbering resumes after more than MAX_GAP deleted lines: the first higher
    number that goes on counting for five markers in a row (or to the end of the file)."""
    for j in range(start, len(markers)):
        k = markers[j][1]
        if k <= n + MAX_GAP:
            continue
        run = markers[j:j + 5]
        if all(m[1] == k + offset for offset, m in enumerate(run)) and (len(run) == 5 or j + len(run) == len(markers)) \
                and len(run) >= 2:
            return j
    return None


def _restart_run(markers, start: int, stop: int, n: int) -> int | None:
    """Index of a run of 3+ consecutive numbers, starting at or below `n`, inside one line."""
    for j in range(start, min(stop, len(markers)) - 2):
        k = markers[j][1]
        if k <= n and markers[j + 1][1] == k + 1 and markers[j + 2][1] == k + 2:
            return j
    return None


def _clean(content: str) -> str:
    """One line's text: drop the space after the pipe, keep any indentation a multi-line
    dump preserved, and fold stray newlines (left by stripped tags) into spaces."""
    if content.startswith(" "):
        content = content[1:]
    content = content.rstrip()
    return content.replace("\r", " ").replace("\n", " ") if "\n" in content or "\r" in content else content
