"""The markdown reader's question styles: structure first, then an ordered rule table.

`item_runs` finds the item level before any wording is read: a run of siblings that
share one marker at one level (`## 1.` … `## 40.` headings, `**1)**` bold numbers) is a
run of items whatever each title says. Then `RULES` is tried top to bottom on every
line, the way markdown-it tries its block rules: the first rule that claims the line
wins, and the last one adds the line to the answers of the open items. Every rule has
the signature `rule(reader, walk, line) -> bool` and a docstring showing its syntax.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from deckgen.readers.lexicon import DESIGN_VERBS, first_word
from deckgen.readers.markdown_lines import Line
from deckgen.readers.markdown_text import (
    _BOLD_QUESTION, _DIFFICULTY_TAGS, _NOISE_TITLE, _Q_LABEL, _TAG, _link_only, _looks_like_question,
    _words, clean_question,
)
from deckgen.readers.titles import clean_title

NOISE = "dropped as noise (a table of contents, links, badges or a licence)"
_ITEMS = frozenset({"qhead", "numq", "boldq", "labelq", "boldn"})
# inside an item of these kinds, other question markers belong to its answer
_STRUCTURAL = frozenset({"qhead", "boldn"})
# "Question 3", "Q 12", "Problem #4", "Exercise 2.": a numbered label naming no topic
_LABEL_ONLY = re.compile(r"^(?:Q|Ques|Question|Problem|Exercise|Task)\s*#?\s*\d{1,4}[.:)]?$", re.I)
_HEADING_NUMBER = re.compile(r"^(Q\s*)?\d{1,4}\s*([.):\-–])\s")
# "**1)** task", "**2.** task", "**3**. task": the number in bold, the prompt after it
_BOLD_NUMBER = re.compile(r"^(?:\*\*|__)(\d{1,4})([.)]?)(?:\*\*|__)([.)]?)\s+(\S.*)$")


@dataclass
class ItemRuns:
    """What structure says before wording: the heading level of the items (None when no
    run of headings) and the lines that are run members."""

    heading_level: int | None = None
    headings: set[int] = field(default_factory=set)
    bold_numbers: dict[int, str] = field(default_factory=dict)  # line -> the prompt after the number


@dataclass
class Walk:
    """The reading state: the heading path, the open items and the numbering of a list."""

    stack: list[tuple[int, str]] = field(default_factory=list)
    open_items: list[tuple[str, object, int]] = field(default_factory=list)  # (kind, item, heading level)
    parent: tuple[int, str] | None = None
    top_expected: int = 1
    sub_expected: int = 1
    skipping: bool = False  # inside a noise section (license, table of contents)

    def close(self, what=_ITEMS) -> None:
        self.open_items[:] = [o for o in self.open_items if o[0] not in what]

    def open(self, what: str, item, level: int = 0) -> None:
        self.open_items.append((what, item, level))

    def inside(self, what=_STRUCTURAL) -> bool:
        return any(o[0] in what for o in self.open_items)

    def restart_numbering(self) -> None:
        self.parent, self.top_expected, self.sub_expected = None, 1, 1


def _heading_shape(title: str) -> str:
    m = _HEADING_NUMBER.match(title.strip())
    return f"{'Q' if m.group(1) else ''}N{m.group(2)}" if m else ""


def item_runs(reader) -> ItemRuns:
    """The item level: the heading level with the most asking headings (3 or more); at
    that level, every heading numbered like the asking ones (`## 13. Define variance`
    among `## N. …?`) is an item too. Bold-number lines of one shape, twice or more, are a
    run of items."""
    runs = ItemRuns()
    by_level: dict[int, list[Line]] = {}
    for ln in reader.lines:
        if ln.kind == "heading" and reader._is_heading(ln) and clean_title(ln.title) \
                and not _NOISE_TITLE.match(clean_title(ln.title)):
            by_level.setdefault(ln.level, []).append(ln)
    asking = {level: [h for h in hs if reader._heading_is_question(h.title)] for level, hs in by_level.items()}
    best = max(asking, key=lambda level: (len(asking[level]), -level), default=None)
    if best is not None and len(asking[best]) >= 3:
        runs.heading_level = best
        runs.headings = {h.index for h in asking[best]}
        shapes = Counter(_heading_shape(h.title) for h in asking[best])
        numbered = Counter(_heading_shape(h.title) for h in by_level[best])
        for h in by_level[best]:
            shape = _heading_shape(h.title)
            if shape and shapes[shape] >= 3 and shapes[shape] * 2 >= numbered[shape]:
                runs.headings.add(h.index)
    bold = {ln.index: m for ln in reader.lines if ln.kind == "text" and (m := _BOLD_NUMBER.match(ln.text))}
    shapes = Counter(m.group(2) + m.group(3) for m in bold.values())
    runs.bold_numbers = {i: m.group(4) for i, m in bold.items() if shapes[m.group(2) + m.group(3)] >= 2}
    return runs


# --- the rules, in the order they are tried ----------------------------------------------

def _real_heading(reader, ln: Line) -> bool:
    return ln.kind == "heading" and reader._is_heading(ln)


def empty_heading(reader, walk: Walk, ln: Line) -> bool:
    """`##` with no text (or only emoji and marks): closes nothing, says nothing."""
    return _real_heading(reader, ln) and not clean_title(ln.title)


def heading_item(reader, walk: Walk, ln: Line) -> bool:
    """`## What is X?`, `#### 3) Explain Y`, `### Q3: Describe Z`, and any member of a
    run of headings (`## 13. Define variance` among `## 12. What is …?`), whatever its wording."""
    if not _real_heading(reader, ln):
        return False
    if ln.index not in reader.runs.headings and not reader._heading_is_question(ln.title):
        return False
    walk.close()
    walk.stack = [s for s in walk.stack if s[0] < ln.level]
    difficulty, title = reader._difficulty(ln.title)
    walk.open("qhead", reader._add(ln, clean_question(title), walk.stack, difficulty=difficulty), ln.level)
    walk.restart_numbering()
    walk.skipping = False
    return True


def heading_in_answer(reader, walk: Walk, ln: Line) -> bool:
    """`### Visual representation` under `## What is PCA?`: a heading deeper than the item
    level (or at it, without asking, in a question collection) belongs to the answer."""
    if not _real_heading(reader, ln):
        return False
    qhead = next((o for o in walk.open_items if o[0] == "qhead"), None)
    if qhead is None or ln.level < qhead[2] or _NOISE_TITLE.match(clean_title(ln.title)) \
            or reader._links_section(ln):
        return False
    level = reader.runs.heading_level
    if level is None or ln.level <= level:
        if reader.topic_notes or reader._starts_section(ln):
            return False
    qhead[1].lines.append(ln.index)
    return True


def heading_in_line_item(reader, walk: Walk, ln: Line) -> bool:
    """`##### KNN` + its explanation under `**Q2 How is KNN different from k-means?**`: a
    heading deeper than the section of a bold or labelled question, that heads plain text
    (not the next question), belongs to that question's answer."""
    if not _real_heading(reader, ln) or reader._heading_is_question(ln.title):
        return False
    line_item = next((o for o in walk.open_items if o[0] in ("boldq", "labelq", "boldn")), None)
    section_level = walk.stack[-1][0] if walk.stack else 0
    if line_item is None or ln.level <= section_level or _NOISE_TITLE.match(clean_title(ln.title)):
        return False
    first = next((reader.lines[i] for i in reader._own_content(ln.index) if reader.lines[i].kind != "blank"), None)
    if first is None or first.kind != "text" or first.text.rstrip().endswith(("?", "?**")) \
            or _BOLD_QUESTION.match(first.text) or _Q_LABEL.match(first.text) or _BOLD_NUMBER.match(first.text):
        return False
    line_item[1].lines.append(ln.index)
    return True


def heading_section(reader, walk: Walk, ln: Line) -> bool:
    """Any other heading closes the open items and names the section of what follows
    (only headings above the item level do); `## License`, `## Table of contents` and
    link-only sections are noise; in topic notes `# Design a feed ranker` is a prompt."""
    if not _real_heading(reader, ln):
        return False
    title = clean_title(ln.title)
    walk.close()
    walk.open_items[:] = [o for o in walk.open_items if not (o[0] == "design" and o[2] >= ln.level)]
    noise = bool(_NOISE_TITLE.match(title))
    level = reader.runs.heading_level
    walk.stack = [s for s in walk.stack if s[0] < ln.level]
    if level is None or ln.level <= level:
        # a table of contents is no section, nor is "## Question 3" (a label wrapping one item)
        walk.stack.append((ln.level, "" if noise or _LABEL_ONLY.match(title) else title))
    walk.restart_numbering()
    walk.skipping = noise or (reader._links_section(ln) and not reader.topic_notes)
    if walk.skipping:
        return True
    if reader.topic_notes and first_word(title) in DESIGN_VERBS and len(_words(title)) >= 3:
        stack = walk.stack[:-1] if walk.stack and walk.stack[-1][0] == ln.level else walk.stack
        walk.open("design", reader._add(ln, clean_question(title), stack, whole=True), ln.level)
        return True
    for _, item, _ in walk.open_items:
        item.lines.append(ln.index)
    return True


def noise_section(reader, walk: Walk, ln: Line) -> bool:
    """Every line under a noise heading, up to the next heading."""
    if walk.skipping:
        reader._drop([ln.index], NOISE)
    return walk.skipping


def table_row(reader, walk: Walk, ln: Line) -> bool:
    """`| Question | Answer | Difficulty |` tables: one item per body row."""
    if ln.index not in reader.table_rows:
        return False
    walk.close()
    row = reader.table_rows[ln.index]
    if row is None:
        reader.structure.add(ln.index)  # the header row
    else:
        reader._add(ln, row[0], walk.stack, difficulty=row[2]).inline = row[1]
    return True


def bold_number(reader, walk: Walk, ln: Line) -> bool:
    """`**1)** The number of active campaigns.`, `**6.** What is …?`, `**3**. Count …`:
    a run of bold numbers, each a prompt; the lines up to the next one answer it."""
    prompt = reader.runs.bold_numbers.get(ln.index)
    if prompt is None or walk.inside({"qhead"}):
        return False
    question = clean_question(prompt)
    if not _words(question):
        return False
    walk.close()
    difficulty, question = reader._difficulty(question)
    walk.open("boldn", reader._add(ln, question, walk.stack, difficulty=difficulty))
    return True


def tagged_bullet(reader, walk: Walk, ln: Line) -> bool:
    """`- [E] What is X?`, `* 🟢 How does Y work?`: a bullet with a difficulty marker that asks."""
    if ln.kind != "bullet" or walk.inside():
        return False
    difficulty, body = reader._difficulty(ln.title)
    question = clean_question(body)
    if difficulty is None or not _looks_like_question(question):
        return False
    walk.close()
    walk.open("numq", reader._add(ln, question, walk.stack, difficulty=difficulty))
    return True


def numbered_item(reader, walk: Walk, ln: Line) -> bool:
    """`1. [E] What is X?` (tagged collections: untagged `3. Topic` lines over tagged
    sub-questions that restart at 1 are parent topics), and `2. Explain Y` in a list of
    questions (not a numbered list inside an answer)."""
    # a tagged list is a run of its own: it ends the answer of a lone asking heading
    if ln.kind != "numbered" or (_in_run_item(reader, walk) if reader.tagged else walk.inside()):
        return False
    item = _tagged_number(reader, walk, ln) if reader.tagged else _plain_number(reader, walk, ln)
    if item is False:
        return False
    walk.close()
    if item is None:
        reader.structure.add(ln.index)  # a parent topic: it lives on in the sections
    else:
        walk.open("numq", item)
    return True


def _tagged_number(reader, walk: Walk, ln: Line):
    difficulty, body = reader._difficulty(ln.title)
    if difficulty is None:
        nxt = reader._next_content(ln.index)
        if nxt is not None and nxt.kind == "numbered" and nxt.number == 1 \
                and reader._difficulty(nxt.title)[0] is not None:
            walk.parent, walk.top_expected, walk.sub_expected = (ln.number, clean_title(body).rstrip(".")), \
                (ln.number or 0) + 1, 1
            return None  # an untagged line followed by tagged sub-questions: a parent topic
        if not _looks_like_question(body):
            return False
    if walk.parent is not None:
        is_sub, is_top = ln.number == walk.sub_expected, ln.number == walk.top_expected
        previous = reader.lines[ln.index - 1] if ln.index else None
        if is_sub and is_top:  # collision: a blank line before it means top level
            is_sub = not (previous is not None and previous.kind == "blank")
        if is_sub:
            walk.sub_expected += 1
            return reader._add(ln, clean_question(body), walk.stack, extra=(walk.parent[1],),
                               difficulty=difficulty, fence_answer=True)
        walk.parent = None
    walk.top_expected, walk.sub_expected = (ln.number or 0) + 1, 1
    return reader._add(ln, clean_question(body), walk.stack, difficulty=difficulty, fence_answer=True)


def _plain_number(reader, walk: Walk, ln: Line):
    difficulty, body = reader._difficulty(ln.title)
    tag = _TAG.match(body)
    if tag and tag.group(1).lower() not in _DIFFICULTY_TAGS:
        body = body[tag.end():]
    text = clean_question(body)
    if _link_only(ln.title) or not _looks_like_question(text):
        return False
    current = next((o[1] for o in walk.open_items if o[0] == "numq"), None)
    if current is not None and (ln.indent > reader.lines[current.line].indent + 1
                                or not reader._question_list(ln, current)):
        return False  # a list inside the answer
    walk.parent, walk.top_expected, walk.sub_expected = None, (ln.number or 0) + 1, 1
    return reader._add(ln, text, walk.stack, difficulty=difficulty)


def labelled(reader, walk: Walk, ln: Line) -> bool:
    """`Q: What is X?`, `**Q1.** What is X?** answer`, `Question 5 - …`, `Q: … A: …` on
    one line: a label says the line asks, even inside a question heading's answer."""
    found = reader._labelled_question(ln) if ln.kind == "text" else None
    if found is None:
        return False
    walk.close()
    question, inline, difficulty = found
    item = reader._add(ln, question, walk.stack, difficulty=difficulty)
    item.inline = inline
    walk.open("labelq", item)
    return True


def _in_run_item(reader, walk: Walk) -> bool:
    """Inside the answer of a member of a structural run (a heading at the item level,
    a bold number): one-line questions there are the answer's own sub-heads."""
    return any(o[0] == "boldn" or (o[0] == "qhead" and o[2] == reader.runs.heading_level)
               for o in walk.open_items)


def bold_question(reader, walk: Walk, ln: Line) -> bool:
    """`**What is X?**`, `**What is X?** short answer`, `**2. Explain Y**`; not inside
    the answer of a run member."""
    bold = _BOLD_QUESTION.match(ln.text) if ln.kind == "text" else None
    if not bold or _in_run_item(reader, walk) or not reader._bold_asks(bold):
        return False
    walk.close()
    difficulty, text = reader._difficulty(bold.group(1))
    item = reader._add(ln, clean_question(text), walk.stack, difficulty=difficulty)
    item.inline = bold.group(2).strip()
    walk.open("boldq", item)
    return True


def answer_line(reader, walk: Walk, ln: Line) -> bool:
    """Anything else: a line of the answer of every open item."""
    for _, item, _ in walk.open_items:
        item.lines.append(ln.index)
    return True


RULES = (empty_heading, heading_item, heading_in_answer, heading_in_line_item, heading_section, noise_section, table_row,
         bold_number, tagged_bullet, numbered_item, labelled, bold_question, answer_line)
