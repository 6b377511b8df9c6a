"""Markdown Q&A: questions in their several styles, the markdown below them answers.

How a file is read, in order:
1. lines (markdown_lines): every source line labelled by the markdown-it-py block token
   that holds it (the configuration render.py uses too, deckgen.mdconfig);
2. structure (markdown_rules.item_runs): the item level, from runs of siblings that share
   one marker at one level, before any wording is read;
3. rules (markdown_rules.RULES): one small function per question style, tried in order on
   every line; then, in topic notes, question bullets, glossaries and topic headings;
4. cards, and the account: every stretch of text in no card is reported with its kind and
   size, and the source's tally of text read and lost grows (`deckgen check`).

Question styles (any mix, outside code fences):
- headings that ask (`## What is X?`, `#### 3) Explain Y`, `### Q3: Describe Z`,
  `## 2. Explain W`, `1. ### What is V?`);
- numbered items, optionally tagged with a difficulty (`1. [E] What ...?`), with untagged
  parent topics whose sub-questions restart at 1 (nesting survives only in the numbers
  when a dump flattened the indentation);
- `**bold question?**` lines, `**2. Explain X**`, and `Q:`/`**Q1.**` labelled lines with
  their `A:` answers;
- `<details>` blocks (a `<summary>` that asks is the question, "Answer" labels go) and
  other HTML, which always ends up as markdown text;
- tables with a Question column (and Answer / Difficulty columns);
- in topic notes (system-design chapters): question bullets (`- Use case? web only`),
  imperative design prompts (`# Design a feed ranker`), glossary bullets
  (`* term: explanation`), and every heading with its own text as a topic card.

Difficulty comes from `[E]`/`(Hard)`/`` `Medium` `` tags, emoji, the file's own legend
(a line or a table), "Difficulty: X" lines, level badges, or a level-named section.

Answers are the fenced block right after a question, the content indented below it, or
the content up to the next question of the same level. `NOT ANSWERED`, empty fences and
link-only answers give unanswered cards with an empty answer. Tables of contents, badges,
link and reading lists, licenses, contribution sections, front matter, introductions that
talk about the notes themselves and the author's own story are dropped, each with a
diagnostic.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from deckgen.card import Card, Source
from deckgen.readers.lexicon import (
    ANSWER_LABELS, DESIGN_VERBS, INTERROGATIVES, PLACEHOLDER, QUESTION_OPENERS, WH_WORDS, first_word,
)
from deckgen.readers.markdown_lines import Line, read_lines, strip_comments
from deckgen.readers.markdown_rules import NOISE, RULES, Walk, item_runs
from deckgen.readers.markdown_text import (
    _ANCHOR_LINK_ONLY, _ANSWER_COLUMNS, _A_LABEL, _BOLD_QUESTION, _BOLD_TITLE, _CLARIFYING_TAIL,
    _CODE_PROMPT, _DIFFICULTY_TAGS, _FILE_CELL, _FIRST_PERSON, _FORMULA, _GUIDE_PROSE, _HR, _IMAGE,
    _LEVEL_BADGE, _LEVEL_COLUMNS, _LEVEL_LINE, _LEVEL_SECTION, _LEVEL_WORDS, _LINK, _NOISE_TITLE,
    _NUMBER_CELL, _PROMPT_HEADING, _PROSE_FENCES, _QUESTION_COLUMNS, _Q_LABEL, _SENTENCE_BREAK,
    _TABLE_RULE, _TAG, _TODO, _TODO_COMMENT, _TODO_LINE, _URL, _bare_emoji, _cells, _difficulty_of,
    _legend, _link_only, _looks_like_question, _wh_clause, _words,
    clean_question,
)
from deckgen.text.code import CODE_SIGN
from deckgen.text.markup import marks_removed
from deckgen.readers.titles import clean_title, strip_decoration, strip_emoji, topic_question

NAME = "markdown"
SNIFF_MAX = 0.9  # the highest score sniff() gives (pick() relies on it)

_HAS_TEXT = re.compile(r"[^\W\d_]")  # a letter: "1." or "2)" alone holds no text
# "**Category:** Theory", "**Tags**: a, b": a short labelled value; "**Sample Answer:**" alone.
_FIELD_LINE = re.compile(r"^(?:\*\*|__)([A-Za-z][\w /&-]{0,24}?)(?::(?:\*\*|__)|(?:\*\*|__):)\s*(\S[^\n]{0,100}?)\s*$")
_FIELD_LABEL = re.compile(r"^(?:\*\*|__)([A-Za-z][\w ]{0,24}?)(?::(?:\*\*|__)|(?:\*\*|__):)\s*$")
# an answer that is one fenced block and nothing else
_ONLY_CODE = re.compile(r"(`{3,}|~{3,})([\w+#.-]*)[^\n]*\n(?:(?!\1)[^\n]*\n)*\1")


@dataclass
class Item:
    line: int
    question: str
    kind: str = "question"
    difficulty: str | None = None
    section: tuple[str, ...] = ()
    lines: list[int] = field(default_factory=list)
    inline: str = ""          # answer given on the question's own line
    fence_answer: bool = False  # the answer is the first fenced block (tagged collections)
    whole: bool = False       # keep sub-headings in the answer (design prompts)


def sniff(text: str) -> float:
    head = text[:20000]
    headings = len(re.findall(r"^#{1,6} \S", head, re.M))
    numbered = len(re.findall(r"^\d{1,9}\. (?:\[[EMH]\] )?\S.*\?$", head, re.M))
    bold = len(re.findall(r"^\*\*[^*\n]+\?\*\*$", head, re.M))
    score = 0.3 + 0.1 * headings + 0.05 * (numbered + bold) if (headings or numbered > 1 or bold > 1) else 0.0
    # markup no other note format uses: reveal blocks, question tables, bold Q/A labels
    if re.search(r"<details\b[^>]*>", head, re.I) and re.search(r"<summary\b", head, re.I):
        score = max(score, 0.7)
    if re.search(r"^\|.*\bquestions?\b.*\|\s*\n\|?\s*:?-{2,}", head, re.I | re.M):
        score = max(score, 0.7)
    if len(re.findall(r"^(?:\*\*|__)(?:Q|Question)\s*\d{0,3}\s*[.:)]", head, re.M)) >= 2:
        score = max(score, 0.7)
    return min(SNIFF_MAX, score)


def read(source: Source) -> Iterator[Card]:
    from deckgen.readers import safely

    yield from safely(NAME, source, lambda: _Reader(source).cards())


# --- the reader -----------------------------------------------------------------------

class _Reader:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.lines, self.origin = read_lines(source)
        self.structure: set[int] = set()  # lines read as structure, not card text
        self.dropped: dict[int, str] = {}  # lines dropped on purpose -> why
        self.heading_cache: dict[int, bool] = {}
        self.items: list[Item] = []
        self.asks: dict[int, tuple[str | None, str]] = {}
        self.level_cache: dict[str, tuple[str | None, str]] = {}
        self.first_heading: Line | None | bool = False  # found on first use
        self.asking_titles: dict[str, bool] = {}
        self.legend, legend_line = _legend(self.lines)
        headings = [ln for ln in self.lines if ln.kind == "heading" and ln.title]
        self.question_headings = sum(self._heading_is_question(h.title) for h in headings)
        # a collection of question headings, or topic notes where a heading may ask now and then
        self.topic_notes = self.question_headings == 0 or (
            self.question_headings * 4 < len(headings) and self.question_headings < 5)
        self.legend_lines = set(legend_line)
        self.structure.update(legend_line)  # the legend is read, not lost
        self.tagged = sum(1 for ln in self.lines if ln.kind == "numbered"
                          and self._difficulty(ln.title)[0] is not None)
        self.table_rows = self._question_tables()
        self.runs = item_runs(self)
        self.bold_questions = sum(1 for ln in self.lines if ln.kind == "text" and (m := _BOLD_QUESTION.match(ln.text))
                                  and clean_question(m.group(1)).endswith("?"))

    def _lineno(self, index: int) -> int:
        return self.source.lineno(self.origin[index])

    def _difficulty(self, text: str) -> tuple[str | None, str]:
        """Difficulty markers: the file's own legend first, then the usual tags and emoji."""
        if text not in self.level_cache:
            self.level_cache[text] = self._find_difficulty(text)
        return self.level_cache[text]

    def _find_difficulty(self, text: str) -> tuple[str | None, str]:
        found = self._difficulty_marker(text)
        if found[0] is None and re.search(r"(?:\*\*|__)\s*$", text):
            # "**What is X? 👶**": the marker sits inside the bold question
            found = self._difficulty_marker(re.sub(r"(?:\*\*|__)\s*$", "", text))
        return found

    def _difficulty_marker(self, text: str) -> tuple[str | None, str]:
        body = _bare_emoji(text).strip()
        for symbol in sorted(self.legend, key=len, reverse=True):
            if body.startswith(symbol) and not body[len(symbol):len(symbol) + 1].isalnum():
                return self.legend[symbol], body[len(symbol):].strip()
            if body.endswith(symbol) and not body[-len(symbol) - 1:-len(symbol)].isalnum():
                return self.legend[symbol], body[:-len(symbol)].strip()
        return _difficulty_of(text)

    def _question_tables(self) -> dict[int, tuple[str, str, str | None] | None]:
        """Tables with a "Question" column: line index -> (question, answer, difficulty) for
        each body row, None for the header and separator rows."""
        out: dict[int, tuple[str, str, str | None] | None] = {}
        i = 0
        while i < len(self.lines):
            j = i
            while j < len(self.lines) and self.lines[j].kind == "table":
                j += 1
            out.update(self._question_table(self.lines[i:j]))
            i = max(j, i + 1)
        return out

    def _question_table(self, rows: list[Line]) -> dict[int, tuple[str, str, str | None] | None]:
        header = [marks_removed(c).casefold() for c in _cells(rows[0].text)] if rows else []
        asks = [k for k, c in enumerate(header) if c in _QUESTION_COLUMNS]
        if len(rows) < 3 or not asks or not _TABLE_RULE.match(rows[1].text):
            return {}
        answers = [k for k, c in enumerate(header) if c in _ANSWER_COLUMNS]
        levels = [k for k, c in enumerate(header) if c in _LEVEL_COLUMNS]
        out: dict[int, tuple[str, str, str | None] | None] = {rows[0].index: None, rows[1].index: None}
        for row in rows[2:]:
            cells = _cells(row.text)
            cell = lambda ks: cells[ks[0]].strip() if ks and ks[0] < len(cells) else ""
            difficulty, question = self._difficulty(cell(asks))
            level = _LEVEL_WORDS.get(marks_removed(cell(levels)).casefold().strip(" .")) or \
                self._difficulty(cell(levels))[0] if levels else None
            question = clean_question(question)
            out[row.index] = (question, cell(answers), level or difficulty) if _words(question) else None
        asked = [q for q in out.values() if q is not None and len(_words(q[0])) >= 2]
        # a "Questions" column of counts (a table of contents) holds no questions
        return out if len(asked) * 2 >= len(rows) - 2 else {}

    def _drop(self, indexes, kind: str) -> None:
        """Lines left out of every card on purpose, and why (reported by `_account`)."""
        for i in indexes:
            self.dropped.setdefault(i, kind)

    def _account(self, carded: set[int]) -> None:
        """Every stretch of text that is in no card is reported (lines, kind, size), and the
        source's tally of text read and text lost grows (`deckgen check` shows the share).
        Text is a line with a letter; a heading with a card below it names a section and
        breaks stretches, one with none is lost text; lines read as structure (a legend, a
        level line, a table header) are read."""
        total = lost = 0
        stretch: list[int] = []
        sections = self._headings_over(carded)

        def kind(i: int) -> str:
            if i in self.dropped:
                return self.dropped[i]
            return "heading with no card under it" if self.lines[i].kind == "heading" else "text outside any question"

        def flush() -> None:
            if stretch:
                first, last = self._lineno(stretch[0]), self._lineno(stretch[-1])
                span = f"line {first}" if first == last else f"lines {first}-{last}"
                chars = sum(len(self.lines[i].text) for i in stretch)
                self.source.report(first, f"{span}: {kind(stretch[0])}, {chars} characters in no card")
                stretch.clear()

        for ln in self.lines:
            if ln.kind in ("blank", "hr", "fence") or not _HAS_TEXT.search(ln.text):
                continue
            if ln.kind == "heading" and ln.index in sections and ln.index not in self.dropped:
                flush()
                total += len(ln.text) if ln.index in carded else 0  # a question heading
                continue
            total += len(ln.text)
            if ln.index in carded or ln.index in self.structure:
                flush()
                continue
            if stretch and kind(stretch[0]) != kind(ln.index):
                flush()
            stretch.append(ln.index)
            lost += len(ln.text)
        flush()
        self.source.text_chars += total
        self.source.lost_chars += lost

    def _headings_over(self, carded: set[int]) -> set[int]:
        """Headings with a carded line in their scope (down to the next heading at their
        level or above), or a line dropped for a reason the report names, or carded themselves."""
        out: set[int] = set()
        open_headings: list[Line] = []
        for ln in self.lines:
            if ln.kind == "heading" and self._is_heading(ln):
                while open_headings and open_headings[-1].level >= ln.level:
                    open_headings.pop()
                open_headings.append(ln)
            if ln.index in carded or (ln.index in self.dropped and ln.kind != "heading"):
                out.update(h.index for h in open_headings)
                out.add(ln.index)
        return out

    # headings

    def _heading_is_question(self, title: str) -> bool:
        if title not in self.asking_titles:
            self.asking_titles[title] = self._title_asks(title)
        return self.asking_titles[title]

    def _title_asks(self, title: str) -> bool:
        if re.match(r"^\d{1,9}\)\s+\S", title.strip()):
            return True
        title = strip_emoji(title).strip()
        text = clean_question(self._difficulty(title)[1])
        if _Q_LABEL.match(title) and len(_words(text)) >= 2:
            return True  # "### Q3: Describe ..." asks even without a question mark
        if re.match(r"^\d{1,9}[.)]\s+\S", title) and _looks_like_question(text):
            return True  # "## 2. Explain ...": a numbered prompt
        if _PROMPT_HEADING.match(text) and len(_words(text)) >= 3 and not text.endswith(":"):
            return True  # "## Explain ...", "## Difference between A and B": a prompt, not a topic
        return text.endswith("?") and len(_words(text)) >= 2

    def _next_content(self, index: int) -> Line | None:
        for j in range(index + 1, len(self.lines)):
            if self.lines[j].kind != "blank":
                return self.lines[j]
        return None

    def _own_content(self, index: int) -> list[int]:
        """Line indexes from after heading `index` to the next heading of any level."""
        out = []
        for j in range(index + 1, len(self.lines)):
            ln = self.lines[j]
            if ln.kind == "heading" and self._is_heading(ln):
                break
            out.append(ln.index)
        return out

    def _is_heading(self, ln: Line) -> bool:
        """Real headings; a bullet shaped like a heading counts only when text follows it."""
        if ln.index not in self.heading_cache:
            self.heading_cache[ln.index] = self._decide_heading(ln)
        return self.heading_cache[ln.index]

    def _decide_heading(self, ln: Line) -> bool:
        if ln.kind != "heading" or not clean_title(ln.title):
            return False  # an empty heading closes nothing
        if not ln.bullet_heading:
            return True
        nxt = self._next_content(ln.index)
        if nxt is not None and nxt.kind != "heading":
            return True
        # an empty one right under a heading is that heading's text ("* ### a -> b -> c")
        previous = next((self.lines[j] for j in range(ln.index - 1, -1, -1) if self.lines[j].kind != "blank"), None)
        return not (previous is not None and previous.kind == "heading" and not previous.bullet_heading)

    # main pass

    def cards(self) -> Iterator[Card]:
        self._walk()
        if self.topic_notes:
            self._topic_notes()
        carded: set[int] = set()
        for item in sorted(self.items, key=lambda it: it.line):
            card = self._card(item)
            if card is not None:
                carded.update([item.line, *item.lines])
                yield card
        self._account(carded)

    def _walk(self) -> None:
        """Each line through the rule table (markdown_rules.RULES): the first rule that
        claims it wins."""
        walk = Walk()
        for ln in self.lines:
            for rule in RULES:
                if rule(self, walk, ln):
                    break

    def _labelled_question(self, ln: Line) -> tuple[str, str, str | None] | None:
        """(question, answer on the same line, difficulty) for a `Q:`-labelled line."""
        m = _Q_LABEL.match(ln.text)
        if not m:
            return None
        rest = ln.text[m.end():]
        inline = ""
        if ln.text.startswith(("**", "__")) and rest.count(ln.text[:2]) == 1:
            rest, _, inline = rest.partition(ln.text[:2])  # "**Q1. What is X?** answer"
        answer = re.search(r"(?:^|\s)(?:\*\*|__)?(?:A|Ans|Answer)\s*[:.](?:\*\*|__)?(?:\s|$)", rest)
        if answer:  # "Q: ... A: ..." on one line
            rest, inline = rest[:answer.start()], rest[answer.end():] + (" " + inline if inline else "")
        difficulty, rest = self._difficulty(strip_emoji(rest).strip())
        question = clean_question(rest).strip(" *_")
        if len(_words(question)) < 2:
            return None
        return question, inline.strip(), difficulty

    def _bold_asks(self, bold: re.Match) -> bool:
        """A bold line asks when it ends in "?", or, alone on its line and not a label ending
        in ":", when it is numbered ("**2. Explain ...**") or opens like a prompt in a file
        whose bold lines ask."""
        text = clean_question(bold.group(1))
        if text.endswith("?"):
            return True
        if bold.group(2).strip() or bold.group(0).rstrip().endswith(":") or not _looks_like_question(text):
            return False
        return bool(re.match(r"^\*\*\s*\d{1,9}[.)]\s", bold.group(0))) or self.bold_questions >= 2

    def _links_section(self, ln: Line) -> bool:
        """A heading over nothing but links ("## Further reading"): a reading list."""
        texts = [self.lines[i].text for i in self._own_content(ln.index)
                 if self.lines[i].kind not in ("blank", "hr")]
        return bool(texts) and all(_link_only(t) for t in texts)

    def _starts_section(self, ln: Line) -> bool:
        """A non-question heading directly followed by a question heading opens a section."""
        nxt = self._next_content(ln.index)
        return nxt is not None and nxt.kind == "heading" and self._heading_is_question(nxt.title)

    def _question_list(self, ln: Line, current: Item) -> bool:
        """After a question, a numbered line starts the next question when it asks ("?"), or
        opens like a prompt ("Explain ...") and either the question had no answer yet or
        the numbering continues from it; otherwise it is a list inside the answer."""
        text = clean_question(ln.title)
        if _BOLD_TITLE.match(self.lines[current.line].title) and not _BOLD_TITLE.match(ln.title):
            return False  # the questions are written in bold: a plain numbered line is answer text
        if text.endswith("?"):
            return True
        if first_word(text) not in QUESTION_OPENERS or len(_words(text)) < 3:
            return False
        answered = any(self.lines[i].kind != "blank" for i in current.lines)
        if not answered or first_word(text) in INTERROGATIVES or len(_words(text)) >= 8:
            return True
        return ln.number == self.lines[current.line].number + 1

    def _add(self, ln: Line, question: str, stack, extra=(), difficulty=None,
             fence_answer=False, whole=False, kind=None) -> Item:
        section = tuple(t for _, t in stack if t) + tuple(extra)
        if kind is None:
            kind = "code" if _CODE_PROMPT.match(question) else "question"
        item = Item(ln.index, question, kind=kind, difficulty=difficulty, section=section,
                    fence_answer=fence_answer, whole=whole)
        self.items.append(item)
        return item

    # topic notes: question bullets, glossary bullets, topic headings

    def _topic_notes(self) -> None:
        heading_path: list[tuple[int, str]] = []
        sections: list[tuple[Line, tuple[str, ...], list[int]]] = []
        claimed = {it.line for it in self.items}
        for ln in self.lines:
            if ln.kind == "heading" and self._is_heading(ln) and clean_title(ln.title):
                heading_path = [h for h in heading_path if h[0] < ln.level]
                parents = tuple(t for _, t in heading_path if t)
                noise_title = bool(_NOISE_TITLE.match(clean_title(ln.title)))
                heading_path.append((ln.level, "" if noise_title else clean_title(ln.title)))
                if ln.index not in claimed and not _NOISE_TITLE.match(clean_title(ln.title)):
                    sections.append((ln, parents, self._own_content(ln.index)))
        self.walk_questions = {it.line for it in self.items if not it.whole}
        self.walk_lines = {i for it in self.items if not it.whole for i in [it.line, *it.lines]}
        claimed_lines = {i for it in self.items for i in [it.line, *it.lines] if not it.whole}
        covered = self._question_lines(sections, claimed_lines) | claimed_lines
        for heading, parents, content in sections:
            self._glossary(heading, parents, content, covered)
            self._topic_card(heading, parents, content, covered)
        self._design_sentences(sections)

    def _question_lines(self, sections, claimed: set[int]) -> set[int]:
        """Question bullets and lines inside topic sections; returns the lines they use."""
        used: set[int] = set()
        for heading, parents, content in sections:
            section = parents + (clean_title(heading.title),)
            rows = [self.lines[i] for i in content]
            for pos, ln in enumerate(rows):
                if ln.kind not in ("bullet", "text", "numbered") or ln.index in claimed or ln.index in used:
                    continue
                question, answer = self._split_question(ln)
                if question is None:
                    continue
                item = Item(ln.index, question, section=section)
                item.kind = "code" if _CODE_PROMPT.match(question) else "question"
                used.add(ln.index)
                if answer:
                    item.inline = answer
                else:
                    for follower in self._following_answer(rows, pos):
                        item.lines.append(follower.index)
                        used.add(follower.index)
                self.items.append(item)
            for pos, ln in enumerate(rows):
                if self._is_slot(rows, pos, used):
                    used.add(ln.index)
                    self.items.append(Item(ln.index, clean_question(ln.title).rstrip(":").strip(),
                                           section=section))
        return used

    def _split_question(self, ln: Line) -> tuple[str | None, str]:
        """(question, inline answer) for a line that asks, else (None, "").

        In a list of questions, a bullet that opens like a question ("How do you ...",
        "Compare ...") is one even without its question mark."""
        if ln.index in self.asks:
            return self.asks[ln.index]
        found = self._split_question_raw(ln)
        if found[0] is None and ln.kind == "bullet" and _looks_like_question(ln.title) \
                and not _link_only(ln.title) and not _wh_clause(clean_question(ln.title)):
            if any(self._split_question_raw(n)[0] for n in self._sibling_bullets(ln)):
                found = (clean_question(ln.title), "")
        self.asks[ln.index] = found
        return found

    def _sibling_bullets(self, ln: Line) -> list[Line]:
        """The bullets just before and after `ln` at its indent (its answer's deeper lines
        and blank lines between are skipped)."""
        out = []
        for step in (-1, 1):
            j = ln.index + step
            while 0 <= j < len(self.lines) and (self.lines[j].kind == "blank" or self.lines[j].indent > ln.indent):
                j += step
            if 0 <= j < len(self.lines) and self.lines[j].kind == "bullet" and self.lines[j].indent == ln.indent:
                out.append(self.lines[j])
        return out

    def _split_question_raw(self, ln: Line) -> tuple[str | None, str]:
        text = ln.title if ln.kind != "text" else ln.text
        if not text or _link_only(text) or text.startswith("("):
            return None, ""
        tag = _TAG.match(text)
        if tag and tag.group(1).lower() not in _DIFFICULTY_TAGS and tag.group(1).isupper():
            return clean_question(text[tag.end():]), ""
        plain = clean_question(text)
        if _SENTENCE_BREAK.search(plain) and len(_words(plain)) > 20:
            return None, ""  # a paragraph that happens to ask something
        if _FORMULA.search(plain):
            return None, ""  # a formula or an output format, not a question
        if plain.endswith("?"):
            return plain, ""
        if plain.endswith("?)"):
            inner = plain[plain.rfind("(") + 1:]
            return (plain, "") if first_word(inner) in WH_WORDS else (None, "")
        cut = plain.rfind("? ")
        if cut <= 0:
            return None, ""
        question, tail = plain[:cut + 1].strip(), plain[cut + 2:].strip()
        if _SENTENCE_BREAK.search(question) or ("?" not in question[:-1] and len(_words(question)) > 14):
            return None, ""
        if _CLARIFYING_TAIL.match(tail):
            return plain, ""
        if tail.startswith("("):
            # "(...)" after a wh-question states the answer; after a yes/no question it clarifies
            if first_word(question) in WH_WORDS and len(_words(tail)) >= 3:
                return question, tail
            return plain, ""
        return question, tail

    def _following_answer(self, rows: list[Line], pos: int) -> list[Line]:
        """Answer lines after a question that has none on its own line."""
        ln = rows[pos]
        after = rows[pos + 1:]
        nested = self._indented_below(ln, after)
        if nested:
            return nested
        if ln.kind == "text":  # a question sentence in prose: the paragraph below answers it
            out = []
            for nxt in after:
                if nxt.kind in ("blank", "heading") or self._split_question(nxt)[0]:
                    break
                out.append(nxt)
            return out
        lazy = []  # text lines right under a list item continue it (indentation may be lost)
        for nxt in after:
            if nxt.kind != "text" or self._split_question(nxt)[0]:
                break
            lazy.append(nxt)
        if lazy:
            for nxt in after[len(lazy):]:  # and the plain bullets that follow, up to the next question
                if nxt.kind != "bullet" or not nxt.title or self._split_question(nxt)[0]:
                    break
                lazy.append(nxt)
            return lazy
        block = []
        for nxt in after:
            if nxt.kind != "bullet" or not nxt.title:
                break
            block.append(nxt)
        if not block or self._split_question(block[0])[0]:
            return []
        first = block[0]
        # one bullet between two questions answers the first (a group label is shorter)
        if len(block) > 1 and self._split_question(block[1])[0]:
            return [first] if len(_words(first.title)) >= 3 and not first.title.endswith(":") else []
        # a short run of plain bullets that ends the list answers the question
        answers = []
        for nxt in block:
            if self._split_question(nxt)[0]:
                return []
            answers.append(nxt)
        ends = pos + 1 + len(block) >= len(rows) or rows[pos + 1 + len(block)].kind in ("blank", "heading")
        return answers if ends and len(answers) <= 3 else []

    def _indented_below(self, ln: Line, after: list[Line]) -> list[Line]:
        """Lines indented deeper than a question bullet (its own text and sub-list), up to
        the next line at its depth or a deeper line that asks again."""
        out: list[Line] = []
        for nxt in after:
            if nxt.kind == "blank":
                out.append(nxt)
                continue
            if nxt.indent <= ln.indent or nxt.kind == "heading" or \
                    (nxt.kind == "bullet" and self._split_question_raw(nxt)[0] and not out):
                break
            out.append(nxt)
        while out and out[-1].kind == "blank":
            out.pop()
        return out if ln.kind == "bullet" else []

    def _is_slot(self, rows: list[Line], pos: int, used: set[int]) -> bool:
        """`- Age group:` between question bullets: a question still to ask, unanswered."""
        ln = rows[pos]
        if ln.kind != "bullet" or not ln.title.endswith(":") or ln.index in used or pos == 0:
            return False
        if len(_words(ln.title)) > 6 or pos + 1 >= len(rows):
            return False
        before, after = rows[pos - 1], rows[pos + 1]
        return before.index in used and after.kind == "bullet" and self._split_question(after)[0] is not None

    def _glossary(self, heading: Line, parents, content: list[int], covered: set[int]) -> None:
        """Glossary sections: `term: explanation` bullets, or a short `term:` bullet with
        explanation bullets below it, each become a topic card."""
        section = parents + (clean_title(heading.title),)
        rows = [self.lines[i] for i in content if self.lines[i].kind != "blank"]
        bullets = [r for r in rows if r.kind == "bullet" and r.title]
        if len(bullets) < 3:
            return
        prose = [r for r in rows if r.kind == "text"]
        if len(prose) * 4 > len(rows):
            return  # bullets inside an explanation written in paragraphs, not a list of terms
        bullets = [r for r in bullets if r.index not in self.walk_lines]
        inline = [r for r in bullets if self._inline_term(r)]
        same_marker: list[Line] = []
        main = ""
        if inline:  # sub-bullets of the glossary use another marker: keep the main one
            markers = [r.text[0] for r in inline]
            main = max(set(markers), key=markers.count)
            inline = [r for r in inline if r.text[0] == main]
            same_marker = [r for r in bullets if r.text[0] == main]
        terms = [_term(r.title) for r in inline]
        if len(inline) >= 3 and len(inline) * 2 >= len(same_marker) and len(set(terms)) == len(terms):
            for r in inline:
                term, _, explanation = r.title.partition(":")
                self.items.append(Item(r.index, clean_question(term), kind="topic", section=section,
                                       inline=explanation.strip()))
            # a bare term with the glossary's marker explains itself in the lines below it
            main_rows = [i for i in content if self.lines[i].kind == "bullet" and self.lines[i].text[0] == main]
            for r in same_marker:
                if r in inline or len(_words(r.title)) > 4 or "?" in r.title or r.index in covered:
                    continue
                later = [i for i in main_rows if i > r.index]
                end = later[0] if later else content[-1] + 1
                below = [i for i in content if r.index < i < end]
                if any(self.lines[i].kind not in ("blank", "hr") for i in below):
                    item = Item(r.index, clean_question(r.title).rstrip(":").strip(), kind="topic", section=section)
                    item.lines = below
                    self.items.append(item)
            return
        pairs = []
        for pos, r in enumerate(bullets):
            term = _LINK.sub(lambda m: m.group(1), r.title).strip()
            if len(_words(term)) > 4 or "?" in term or ": " in term or not term or _term(term) in ANSWER_LABELS:
                continue
            explanation = []
            for nxt in bullets[pos + 1:]:
                if not self._explains(nxt):
                    break
                explanation.append(nxt)
            # without a colon, the term needs a link or a lower-case explanation below it
            if explanation and (term.endswith(":") or _LINK.search(r.title) or explanation[0].title[:1].islower()):
                pairs.append((r, term, explanation))
        explained = {r.index for r, _, ex in pairs} | {e.index for _, _, ex in pairs for e in ex}
        accounted = sum(1 for r in bullets if r.index in explained or r.index in covered)
        # a glossary section is mostly terms and their explanations, not a design outline
        if len(pairs) >= 2 and any(t.endswith(":") for _, t, _ in pairs) and accounted >= 0.6 * len(bullets):
            for r, term, explanation in pairs:
                item = Item(r.index, clean_question(term).rstrip(":").strip(), kind="topic", section=section)
                item.lines = [e.index for e in explanation]
                self.items.append(item)

    @staticmethod
    def _inline_term(r: Line) -> bool:
        term, colon, explanation = r.title.partition(":")
        return bool(colon) and 0 < len(_words(term)) <= 4 and len(_words(explanation)) >= 8 \
            and "?" not in term and "(" not in term[:1] and _term(term) not in ANSWER_LABELS

    def _explains(self, r: Line) -> bool:
        text = r.title
        return (len(_words(text)) >= 5 and not text.endswith(":") and self._split_question(r)[0] is None
                and not self._inline_term(r) and not re.match(r"^[^:]{1,40}:\s", text))

    def _topic_card(self, heading: Line, parents, content: list[int], covered: set[int]) -> None:
        """A heading with its own explanation below it becomes a topic card."""
        content = [i for i in content if i not in self.legend_lines]
        meaningful = [i for i in content if self.lines[i].kind not in ("blank", "hr")
                      and not (self.lines[i].kind == "heading" and not clean_title(self.lines[i].title))]
        if not meaningful:
            return
        texts = [self.lines[i].text for i in meaningful]
        if all(_link_only(t) or not _words(_IMAGE.sub("", t)) for t in texts) or \
                sum(_link_only(t) for t in texts) * 2 > len(texts) or self._resource_list(meaningful):
            self._drop(meaningful, NOISE)
            return
        if len(_FIRST_PERSON.findall(" ".join(texts))) >= 2:
            self._drop(meaningful, "the author's own story")
            return
        if any(i in covered for i in meaningful) and \
                all(i in covered or self._is_label(self.lines[i]) for i in meaningful):
            return  # only questions (and their answers): the heading is a section
        first_question = next((k for k, i in enumerate(meaningful) if i in covered), None)
        if first_question is not None and all(i in covered for i in meaningful[first_question:]) and \
                first_question <= 2 and all(self.lines[i].kind == "text" for i in meaningful[:first_question]):
            return  # a line or two introducing a list of questions: the heading is their section
        if any(i in self.walk_questions for i in meaningful):
            return  # numbered or bold questions live here: the heading is their section
        toc = _toc_tables([self.lines[i] for i in meaningful])
        if self._opens_file(heading, content) and all(self.lines[i].kind == "text" or i in toc or not _words(
                _TODO.sub("", self.lines[i].text)) for i in meaningful) and any(_GUIDE_PROSE.search(t) for t in texts):
            # prose under the file's title that talks to the reader about the notes, not a topic
            self._drop([i for i in meaningful if i not in toc], "an introduction to the notes")
            self._drop(toc, NOISE)
            return
        question = topic_question(heading.title)
        if not question:
            return
        item = Item(heading.index, question, kind="topic", section=parents)
        item.lines = content
        self.items.append(item)

    def _resource_list(self, meaningful: list[int]) -> bool:
        """A list of courses, code or reading: most list items carry a link."""
        items = [self.lines[i] for i in meaningful if self.lines[i].kind in ("bullet", "numbered")]
        linked = [r for r in items if _LINK.search(r.text) or _URL.search(r.text)]
        return len(items) * 2 >= len(meaningful) and len(linked) * 2 > len(items)

    def _opens_file(self, heading: Line, content: list[int]) -> bool:
        """The file's first heading (its title)."""
        if self.first_heading is False:
            self.first_heading = next((ln for ln in self.lines if ln.kind == "heading" and self._is_heading(ln)), None)
        return self.first_heading is heading

    @staticmethod
    def _is_label(ln: Line) -> bool:
        return ln.kind == "bullet" and len(_words(ln.title)) <= 3 and "?" not in ln.title

    def _design_sentences(self, sections) -> None:
        """`# Example` + one imperative sentence ("Design a system that ..."): the sentence is
        the question and the rest of the section (its sub-sections) the answer."""
        for heading, parents, content in sections:
            rows = [self.lines[i] for i in content if self.lines[i].kind != "blank"]
            if len(rows) != 1 or rows[0].kind != "text":
                continue
            sentence = rows[0].text
            if first_word(sentence) not in DESIGN_VERBS or len(_words(sentence)) < 4:
                continue
            end = len(self.lines)
            for ln in itertools.islice(self.lines, heading.index + 1, None):
                if ln.kind == "heading" and self._is_heading(ln) and ln.level <= heading.level:
                    end = ln.index
                    break
            lines = [i for i in range(rows[0].index + 1, end)]
            self.items = [it for it in self.items if not (it.kind == "topic" and it.line == heading.index)]
            item = Item(rows[0].index, clean_question(sentence), section=parents + (clean_title(heading.title),),
                        whole=True)
            item.lines = lines
            self.items.append(item)

    # cards

    def _card(self, item: Item) -> Card | None:
        if not item.question:
            return None
        tags: tuple[str, ...] = ()
        if item.kind != "topic":
            self._level_line(item)
            tags = self._fields(item)
            if item.difficulty is None:  # the level its section names, if any
                level = next((m.group(1) for t in reversed(item.section) if (m := _LEVEL_SECTION.match(t))), None)
                item.difficulty = _LEVEL_WORDS.get(level.lower()) if level else None
        answer = "\n\n".join(part for part in (item.inline.strip(), self._answer(item)) if part)
        answer = answer.strip()
        label = _A_LABEL.match(re.sub(r"^[-*+]\s+", "", answer))
        if label:  # "A: ...", "* Answer: ..." label
            answer = re.sub(r"^[-*+]\s+", "", answer)[label.end():]
        answer = _tidy(answer)
        answered = bool(answer) and not PLACEHOLDER.match(marks_removed(answer)) and not _links_only_answer(answer)
        if answer and not answered and item.kind != "topic" and _links_only_answer(answer):
            self.source.report(self._lineno(item.line), f"answer holds only links or images "
                               f"({len(answer)} characters in no card); question kept unanswered")
        if not answered:
            answer = ""
            if item.kind == "topic":
                return None
        if len(item.question) > 600:
            self._drop([item.line, *item.lines], "a question longer than 600 characters, skipped")
            return None
        only_code = _ONLY_CODE.fullmatch(answer) if item.kind == "question" else None
        if only_code and only_code.group(2).lower() not in _PROSE_FENCES:
            item.kind = "code"  # a prompt answered by code alone: an exercise
        return Card(question=item.question, answer=answer, source=self.source.name,
                    line=self._lineno(item.line), section=self.source.section_prefix + item.section,
                    tags=tags, difficulty=item.difficulty, kind=item.kind, answered=answered)

    def _level_line(self, item: Item) -> None:
        """"**Difficulty:** Hard" or a difficulty badge opening the answer: the item's level."""
        for i in [i for i in item.lines if self.lines[i].kind != "blank"][:2]:
            text = self.lines[i].text
            m = _LEVEL_LINE.match(text) or (_IMAGE.fullmatch(text.strip()) and _LEVEL_BADGE.search(text))
            if m and self.lines[i].kind in ("text", "bullet"):
                if item.difficulty is None:
                    item.difficulty = _LEVEL_WORDS[m.group(1).lower()]
                item.lines = [j for j in item.lines if j != i]
                self.structure.add(i)
                return

    def _fields(self, item: Item) -> tuple[str, ...]:
        """`**Category:** Theory` / `**Tags:** a, b` lines between a question and its
        `**Answer:**` label: the item's fields, not its answer. Their values become the
        card's tags; the label line goes (the answer follows it)."""
        rows = [i for i in item.lines if self.lines[i].kind != "blank"]
        k = 0
        while k < len(rows) and _FIELD_LINE.match(self.lines[rows[k]].text):
            k += 1
        label = _FIELD_LABEL.match(self.lines[rows[k]].text) if 0 < k < len(rows) else None
        if label is None or label.group(1).split()[-1].casefold() not in _ANSWER_COLUMNS:
            return ()
        values = [_FIELD_LINE.match(self.lines[i].text).group(2) for i in rows[:k]]
        self.structure.update(rows[:k + 1])
        item.lines = [i for i in item.lines if i not in rows[:k + 1]]
        tags = [clean_title(v) for value in values for v in value.split(",")]
        return tuple(dict.fromkeys(t for t in tags if t))

    def _answer(self, item: Item) -> str:
        rows = [self.lines[i] for i in item.lines]
        if item.fence_answer:
            first = next((r for r in rows if r.kind != "blank"), None)
            if first is not None and first.kind == "fence" and first.title != "close":
                return self._fenced(rows[rows.index(first):])
        if item.whole:
            rows = self._without_noise_sections(rows)
            item.lines = [r.index for r in rows]  # the link lists left are in no card
        content = [r for r in rows if r.kind != "blank"]
        if content and content[0].kind == "fence" and content[-1].kind == "fence" and \
                sum(r.kind == "fence" for r in content) == 2 and content[0].title in _PROSE_FENCES and \
                (content[0].title or not any(CODE_SIGN.search(r.text) for r in content[1:-1])):
            return self._fenced(content)  # the whole answer sits in one prose fence
        return _markdown(rows)

    def _fenced(self, rows: list[Line]) -> str:
        """The first fenced block: prose containers (```text) are unwrapped."""
        language = rows[0].title
        body = []
        for r in rows[1:]:
            if r.kind == "fence":
                break
            body.append(r.text)
        # a placeholder line ("NOT ANSWERED", "TODO") says nothing, in prose or in code (as in `_markdown`)
        body = [line for line in body if not PLACEHOLDER.match(line.strip())]
        text = "\n".join(body).strip("\n")
        if not text.strip():
            return ""
        if language in _PROSE_FENCES:
            return text
        return f"```{language}\n{text}\n```"

    def _without_noise_sections(self, rows: list[Line]) -> list[Line]:
        out, skip = [], False
        for r in rows:
            if r.kind == "heading" and self._is_heading(r):
                content = [self.lines[i].text for i in self._own_content(r.index)
                           if self.lines[i].kind not in ("blank", "hr")]
                skip = bool(content) and all(_link_only(t) for t in content)
            if skip:
                self._drop([r.index], NOISE)
            else:
                out.append(r)
        return out


def _markdown(rows: list[Line]) -> str:
    """Answer lines as markdown: headings inside answers become bold lines, code fences
    and images stay (the renderer shows an image as a link or text)."""
    out = []
    toc = _toc_tables(rows)
    # list nesting survives as indentation relative to the answer's outermost list
    base = min((r.indent for r in rows if r.kind in ("bullet", "numbered")), default=0)
    in_block = False  # inside an indented code block, written out fenced
    for r in rows:
        if _ANCHOR_LINK_ONLY.match(r.text) and r.kind not in ("code", "fence"):
            continue  # "[Back to top](#contents)": page navigation
        indented = r.kind == "code" and r.title == "indented"
        if in_block and not indented:
            out.append("```")
            in_block = False
        if r.kind == "code" and (_TODO_COMMENT.match(r.text) or PLACEHOLDER.match(r.text)):
            continue  # a to-do note or placeholder left in the code, not part of the answer
        if indented and not in_block:
            out.append("```")
            in_block = True
        if r.kind in ("code", "fence"):
            out.append(r.text)
            continue
        if r.index in toc or _TODO_LINE.match(r.text):
            continue
        text = r.text
        if r.kind == "table" and _NUMBER_CELL.search(text):
            # "| 2 | 4 |" written "|2|4|": the same table, never mistaken for a dump's "2 |" line prefix
            text = "|" + "|".join(cell.strip() for cell in _cells(text)) + "|"
        if r.kind == "heading":
            title = clean_title(r.title)
            if not title:
                continue
            text = f"- {title}" if r.bullet_heading else f"**{title}**"
        text = _TODO.sub("", text)
        text = strip_comments(text)
        text = strip_decoration(text).rstrip()
        if r.kind != "blank" and not text.strip(" -*"):
            continue
        if r.kind in ("bullet", "numbered") and r.indent > base:
            text = " " * (r.indent - base) + text.lstrip()
        out.append(text)
    if in_block:
        out.append("```")
    return re.sub(r"(?m)^(`{3,}|~{3,})[\w+#.-]*\n\1$\n?", "", "\n".join(out))  # empty fences go


def _toc_tables(rows: list[Line]) -> set[int]:
    """Line indexes of tables that are tables of contents (every row a short label and a link)."""
    out: set[int] = set()
    table: list[Line] = []
    for r in rows + [Line(-1, "", "blank")]:
        if r.kind == "table":
            table.append(r)
            continue
        body = [t for t in table if re.sub(r"[|\s:-]", "", t.text)]
        linked = [t for t in body if (_LINK.search(t.text) and len(_words(_LINK.sub(" ", t.text))) <= 3)
                  or _FILE_CELL.search(t.text)]
        if body and len(linked) * 2 >= len(body):
            out.update(t.index for t in table)
        table = []
    return out


def _term(text: str) -> str:
    return " ".join(_LINK.sub(lambda m: m.group(1), text).casefold().strip(" :;*").split())


def _tidy(answer: str) -> str:
    lines = answer.split("\n")
    while lines and (not lines[-1].strip() or _HR.match(lines[-1].strip())):
        lines.pop()
    while lines and (not lines[0].strip() or _HR.match(lines[0].strip())):
        lines.pop(0)
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _links_only_answer(answer: str) -> bool:
    lines = [ln for ln in answer.split("\n") if ln.strip()]
    return bool(lines) and all(_link_only(ln) for ln in lines)
