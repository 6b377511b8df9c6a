"""Social posts pasted end to end: LinkedIn / Medium / Telegram posts with no blank
lines between anything, every post pasted twice (often as overlapping windows).

Reading goes in three steps:
1. fold repeats: a run of lines that repeats an earlier run is dropped. Runs, never
   single lines, so a line like "For example:" that legitimately occurs twice stays;
   overlapping windows stitch back into one text;
2. split posts: a post starts at the top of the file, after a reaction footer ("👍 12"),
   a hashtag line or a call to follow / repost, after a blank line before a title, and
   at the line before a repeated body (a post = its title + a body that was pasted
   again without the title). A feed's author header and buttons are dropped;
3. cut items inside each post: questions (`Q:`/`Q.`, lines ending in "?", exercises
   followed by `Answer:`), short headings ending in ":" with their text, numbered
   headings, `1.) Name : definition` lines, and a post title when nothing inside the
   post asks or names a topic of its own. Code pasted without fences is fenced.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from deckgen.card import Card, Source
from deckgen.text.code import PYTHON_HINT, RESTORED_TAG, reindent_python
from deckgen.text.markup import inline_math
from deckgen.readers.chat import (
    ANSWER_LINE, ENGAGEMENT, FENCE, FOOTER, HASHTAG_LINE, IMPERATIVE, INTERROGATIVE, KEYCAP, Q_INLINE,
    Q_LINE, SIGNOFF, TIMESTAMP, URL, Part,
    fix_levels, is_byline, is_noise, is_titlecase, list_part, question_like, render,
    strip_signoff, title_like, words,
)
from deckgen.readers.titles import MATH_STYLED, clean_line_title, unstyle

NAME = "posts"
SNIFF_MAX = 0.95  # the highest score sniff() gives (pick() relies on it)

MIN_RUN = 3                 # lines; a shorter repeat must be long text to count
# `3.) Name : definition` (a name may be written in lower case: `scikit-learn`)
DEF_LINE = re.compile(r"^\s*\d{1,2}(?:\.\)|[.)])\s*([^\W_][\w.+#/-]*(?: [\w.+#/-]+){0,3})\s+:\s+(\S.*)$")
NUM_HEADING = re.compile(r"^\s*\d{1,2}(?:\.\)|[.)])\s+(\S.*)$")
COLON_HEADING = re.compile(r"^(?!Answer\s*:)([^:]{2,80}?)\s*:$")
PHOTO_CREDIT = re.compile(r"^(?:photo|image|picture)\s+(?:by|credit|from)\b.*\b(?:on|via|from)\s+\w+", re.I)
CLOSING_HEADING = re.compile(r"^(?:to summari[sz]e|in summary|summary|conclusions?|in conclusion|final thoughts|"
                             r"wrapping up|tl;?dr|key takeaways?)$", re.I)
CODE_LINE = re.compile(
    r"^(?:import \w|from [\w.]+ import \w|def \w+\(.*\):?$|class \w+[(:]|return\b|print\(|@\w+|"
    r"for \w+(?:, \w+)* in .+:$|if .+:$|elif .+:$|else:$|try:$|except\b.*:$|with .+ as \w+:$|"
    r"[\w.]+(?:\[[^\]]*\])*\s*[+\-*/]?=\s*\S|[\w.]+\([^()]*(?:\([^()]*\)[^()]*)*\)\s*(?:#.*)?$)")
SQL_LINE = re.compile(r"^(?:SELECT|INSERT INTO|UPDATE|DELETE FROM|CREATE (?:TABLE|INDEX|VIEW)|WITH \w+ AS)\b")
SHELL_LINE = re.compile(r"^(?:\$ )?(?:pip3?|conda|git|docker|kubectl|npm|apt(?:-get)?|brew|curl|wget) [\w-]")
STRONG_CODE = re.compile(r"^(?:import |from \S+ import |def |class |print\()|\w\(.*\)")


# ---------------------------------------------------------------- sniff
def sniff(text: str) -> float:
    """No blank lines, runs of lines pasted twice, emoji/keycap bullets, styled letters."""
    lines = [line.strip() for line in text[:80000].rstrip("\n").split("\n")]
    nonblank = [line for line in lines if line]
    if len(nonblank) < 12:
        return 0.0
    score = 0.0
    # a post's lines follow each other with no blank line between them (blank lines,
    # if any, only separate posts): most prose lines sit right under another one
    if len(nonblank) / len(lines) > 0.95 or _mostly_glued(text[:80000].rstrip("\n").split("\n")):
        score += 0.3
    removed, _ = _repeats([_key(line) for line in nonblank])
    repeated = sum(removed) / len(nonblank)
    if repeated >= 0.15:
        score += 0.4
    elif repeated >= 0.05:
        score += 0.2
    score += min(0.2, 0.02 * _decorated(nonblank, enough=10))
    if _not_posts_markup(text):
        score -= 0.4
    return round(max(0.0, min(SNIFF_MAX, score)), 3)


def sniff_bound(text: str) -> float:
    """A quick upper bound of sniff(text) (pick() skips sniff when it cannot win): markdown
    headings or JSON / a tree cost 0.4 of at most 0.9."""
    return 0.5 if _not_posts_markup(text) else SNIFF_MAX


def _not_posts_markup(text: str) -> bool:
    return bool(re.search(r"^[ \t]*#{1,6} \S", text[:80000], re.M)) or text.lstrip().startswith(("{", "├"))


# ---------------------------------------------------------------- repeats
def _mostly_glued(raw: list[str]) -> bool:
    """Most prose lines sit right under another nonblank line."""
    prose = [k for k, line in enumerate(raw) if line.strip() and not line[0].isspace() and not list_part(line)]
    glued = sum(1 for k in prose if k > 0 and raw[k - 1].strip())
    return bool(prose) and glued / len(prose) >= 0.7


DECORATION_START = re.compile(r"^(?:➡️|↳|👉|✔️|✅|🔥)")
THAI_LETTER = re.compile(r"[\u0E01-\u0E5B]")  # Thai letters stand in for bullets in some posts


def _decorated(lines: list[str], enough: int) -> int:
    """How many lines open with an emoji or keycap bullet or hold styled letters, counted
    up to `enough` (more would not change the score)."""
    count = 0
    for line in lines:
        if line.isascii():
            continue  # every decoration is outside ASCII (keycaps, emoji, styled and Thai letters)
        if KEYCAP.match(line) or DECORATION_START.match(line) or MATH_STYLED.search(line) or THAI_LETTER.search(line):
            count += 1
            if count >= enough:
                break
    return count


def _key(line: str) -> str:
    return " ".join(line.casefold().split())


def _repeats(keys: list[str]) -> tuple[list[bool], list[tuple[int, int, int]]]:
    """Mark lines that belong to a run repeating an earlier run.

    Returns the removed flags and the runs as (start, original start, length).
    """
    n = len(keys)
    removed = [False] * n
    runs: list[tuple[int, int, int]] = []
    seen: dict[str, list[int]] = defaultdict(list)
    i = 0
    while i < n:
        best_len, best_from = 0, -1
        for j in seen.get(keys[i], ())[-64:]:     # the latest copies are enough
            k = 0
            while i + k < n and j + k < i and keys[j + k] == keys[i + k]:
                k += 1
            if k > best_len:
                best_len, best_from = k, j
        long_enough = best_len >= MIN_RUN or (
            best_len == 2 and sum(len(keys[i + t]) for t in range(2)) >= 120)
        if keys[i] and long_enough:
            for t in range(i, i + best_len):
                removed[t] = True
                seen[keys[t]].append(t)
            runs.append((i, best_from, best_len))
            i += best_len
            continue
        seen[keys[i]].append(i)
        i += 1
    return removed, runs


# ---------------------------------------------------------------- line kinds
def is_code(text: str) -> bool:
    s = text.strip()
    if not s or len(s) > 200:
        return False
    if re.match(r"^#\s*\w", s) and len(words(s)) <= 12:
        return True            # a comment inside code
    if SQL_LINE.match(s) or SHELL_LINE.match(s):
        return True
    if not CODE_LINE.match(s):
        return False
    prose = re.sub(r"\([^)]*\)|\[[^\]]*\]|'[^']*'|\"[^\"]*\"|#.*$", "", s)
    return len(words(prose)) <= 8


def post_end(text: str) -> bool:
    """A line that closes a post: reactions ("👍 12"), a hashtag line, a call to action."""
    return bool(FOOTER.match(text) or HASHTAG_LINE.match(text) or SIGNOFF.match(text))


def labelled_statement(text: str) -> bool:
    """`Precision: of all the flagged rows, how many are right?` - a term and its
    definition phrased as a question, not an interview question (unlike `Q:` or
    `Follow-up: how would you ...?`)."""
    m = re.match(r"^([^:?]{1,40}):\s+(\S.*)$", text.strip())
    if not m or re.search(r"(?i)question|follow[- ]?up|bonus|quiz|task|exercise|problem", m.group(1)):
        return False
    rest = m.group(2)
    return not (INTERROGATIVE.match(rest) or IMPERATIVE.match(rest))


# Labels that open a line of a post body, never its title.
INLINE_LABELS = {"example", "examples", "definition", "impact", "note", "pros", "cons", "pros & cons", "tip",
                 "answer", "solution", "result", "output", "input", "why", "how", "step", "summary", "use case",
                 "use cases", "key idea", "idea", "problem", "goal", "takeaway", "tl;dr", "tldr", "e.g", "i.e"}


def is_post_title(text: str) -> bool:
    """Short enough to be a post's title line (or a question)."""
    s = clean_line_title(text)
    if not s or is_code(text):
        return False
    label = re.match(r"^([\w /&-]{1,30}):\s+(\S.*)$", s)
    if label and (len(words(label.group(2))) > 8 or re.search(r"[.:,;]$", text.strip())
                  or label.group(1).casefold() in INLINE_LABELS):
        return False           # "Example: ...", "Impact: it can lead to:" - a labelled line of a body

    if re.search(r"[.!]\s+[A-Z]", s):
        return False           # several sentences: a paragraph, not a title
    return question_like(s) or (len(words(s)) <= 20 and len(s) <= 160)


@dataclass
class _Item:
    question: str
    line: int
    kind: str
    section: tuple[str, ...]
    parts: list[Part] = field(default_factory=list)


class _PostReader:
    def __init__(self, source: Source):
        self.source = source
        raw = source.text.split("\n")
        self.rows = [(i, unstyle(line.strip())) for i, line in enumerate(raw) if line.strip()]
        self.cards: list[Card] = []

    # ---- step 1 and 2
    def posts(self) -> list[list[tuple[int, str]]]:
        rows = self.rows
        removed, runs = _repeats([_key(text) for _, text in rows])
        # a post ends at its reaction footer, its hashtags or its call to follow / share;
        # in this format a blank line, when there is one, falls between two posts
        starts = {0} | {k + 1 for k, (_, text) in enumerate(rows) if post_end(text)}
        lines = self.source.text.split("\n")
        starts |= {k for k, (line, text) in enumerate(rows)
                   if k and line > 0 and not lines[line - 1].strip() and is_post_title(text)}
        for start, origin, length in runs:
            first, last = rows[start][0], rows[start + length - 1][0]
            self.source.report(self.source.lineno(first),
                               f"lines {self.source.lineno(first)}-{self.source.lineno(last)} repeat "
                               f"lines {self.source.lineno(rows[origin][0])}-"
                               f"{self.source.lineno(rows[origin + length - 1][0])}; folded")
            # a post = its title + a body pasted again without the title: the line
            # before the original body is a title when a post boundary precedes it
            title = origin - 1
            at_boundary = title == 0 or title > 0 and (removed[title - 1] or post_end(rows[title - 1][1]))
            whole_post = origin in starts
            if title >= 0 and at_boundary and not removed[title] and is_post_title(rows[title][1]):
                starts.add(title)
                whole_post = True
            if whole_post and origin + length == start and start + length < len(rows):
                starts.add(start + length)         # the post was pasted again: a new one follows
        posts: list[list[tuple[int, str]]] = []
        current: list[tuple[int, str]] = []
        for index, (line, text) in enumerate(rows):
            if FOOTER.match(text):
                if current:
                    posts.append(current)
                current = []
                continue
            if index in starts and current:
                posts.append(current)
                current = []
            if not removed[index]:
                current.append((line, text))
        if current:
            posts.append(current)
        return posts

    # ---- step 3
    def run(self) -> list[Card]:
        for post in self.posts():
            self.read_post(post)
        return self.cards

    def starter(self, post: list[tuple[int, str]], k: int, depth: int = 0) -> str | None:
        """What item (or section) the line k of a post starts, if any."""
        text = post[k][1]
        nxt = post[k + 1][1] if k + 1 < len(post) else ""
        if is_code(text):
            return None
        if Q_LINE.match(text):
            return "question"
        if DEF_LINE.match(text):
            return "definition"
        cleaned = clean_line_title(text)
        if text.rstrip().endswith("?") and len(text) <= 400 and not text.startswith(("“", '"')):
            if ENGAGEMENT.search(cleaned) and len(words(cleaned)) <= 12 or labelled_statement(cleaned):
                return None
            if self._closing_question(post, k):
                return "closing"
            return "question"
        if ANSWER_LINE.match(nxt) and (question_like(text) or IMPERATIVE.match(cleaned)):
            return "question"
        m = NUM_HEADING.match(text)
        if m and not KEYCAP.match(text):
            head = m.group(1).rstrip(":").strip()
            if title_like(head, 8) and not head.endswith(".") and is_titlecase(head):
                if COLON_HEADING.match(nxt) and len(words(nxt)) <= 10:
                    return "section"
                if self._topic_list(post, k):
                    return "skip"
                return "heading"
        m = COLON_HEADING.match(text)
        if m and len(words(text)) <= 10 and not list_part(text):
            following = self.starter(post, k + 1, depth + 1) if k + 1 < len(post) and depth < 3 else None
            if following in ("definition", "heading", "question", "section") or (
                    COLON_HEADING.match(nxt) and len(words(nxt)) <= 10):
                return "section"
            if len(words(text)) <= 8 and is_titlecase(m.group(1)) and title_like(m.group(1), 8):
                return "heading"
            return None
        if CLOSING_HEADING.match(cleaned):
            return "closing"
        if title_like(text, 6) and is_titlecase(text) and not re.search(r"[.:;!]$", text) \
                and k + 1 < len(post) and depth < 3 and self.starter(post, k + 1, depth + 1) == "question":
            return "section"
        return None

    @staticmethod
    def _closing_question(post: list[tuple[int, str]], k: int) -> bool:
        """A short question to the reader with nothing but noise after it closes the
        post ("Which one does your team use?"): it has no answer to learn."""
        text = post[k][1]
        if k == 0 or len(words(text)) > 15 or not re.search(r"(?i)\byou(?:r|'ve|’ve)?\b", text):
            return False
        return all(is_noise(t) or post_end(t) for _, t in post[k + 1:])

    def _topic_list(self, post: list[tuple[int, str]], k: int) -> bool:
        """A numbered heading followed only by short bullets names topics; it
        explains nothing, so it is no card."""
        j, bullets = k + 1, 0
        while j < len(post):
            part = list_part(post[j][1])
            if part is None or part.ordered:
                break
            if len(words(part.text)) > 10:
                return False
            bullets += 1
            j += 1
        return bullets >= 2

    def read_post(self, post: list[tuple[int, str]]) -> None:
        post = self.without_furniture(post)
        if not post:
            return
        kinds = [self.starter(post, k) for k in range(len(post))]
        post_label, item, body_starts = self.opening(post, kinds)
        section = list(post_label)
        level_one: str | None = None
        level_two: str | None = None
        dropped = 0
        for k in range(body_starts, len(post)):
            line, text = post[k]
            kind = kinds[k]
            if self.is_caption(post, k):
                continue
            if kind in ("section", "closing", "skip"):
                self.close(item)
                item = None
                if kind == "section":
                    if NUM_HEADING.match(text):
                        level_one, level_two = text.strip().removesuffix(":").rstrip(), None
                    else:
                        level_two = clean_line_title(text)
                    section = post_label + [s for s in (level_one, level_two) if s]
                continue
            if kind in ("question", "heading", "definition"):
                if item is not None and item.kind == "question" and kind == "heading" \
                        and not NUM_HEADING.match(text) and item.parts:
                    item.parts.append(Part("head", clean_line_title(text)))   # a sub-heading in an answer
                    continue
                self.close(item)
                if kind == "heading" and NUM_HEADING.match(text):
                    level_one = level_two = None      # a numbered topic of its own
                    section = list(post_label)
                item = self.new_item(kind, line, text, tuple(section))
                continue
            if item is None:
                dropped += 1
                continue
            m = ANSWER_LINE.match(text)
            if m:
                text = m.group(1)
                if not text.strip():
                    continue
            self.add(item, text)
        self.close(item)
        if dropped:
            self.source.report(self.source.lineno(post[0][0]),
                               f"{dropped} line(s) of post introduction kept out of the cards")

    def without_furniture(self, post: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """The post without a feed's author header and without buttons, captions and calls
        to action (no part of any item or title)."""
        # a feed copy opens with the author: name, degree, headline, then the post's age
        header = [k for k, (_, text) in enumerate(post[:6]) if TIMESTAMP.match(text) or is_byline(text)]
        if header:
            self.source.report(self.source.lineno(post[0][0]), "author header kept out of the cards")
            post = post[header[-1] + 1:]
        return [(line, text) for line, text in post if not is_noise(text)]

    def opening(self, post: list[tuple[int, str]], kinds: list[str | None]) -> tuple[list[str], _Item | None, int]:
        """What the post's first line is: (the label of its items, an item it opens, where
        the body starts)."""
        first_line, first_text = post[0]
        if kinds[0] == "section" and not NUM_HEADING.match(first_text):
            return [clean_line_title(first_text)], None, 1     # the post's title labels its items
        if kinds[0] is None and is_post_title(first_text) and not list_part(first_text):
            title = clean_line_title(first_text)
            if any(kind in ("question", "definition", "heading", "section") for kind in kinds[1:]):
                # a title over items of its own (a sentence is an intro, not a label)
                return ([] if re.search(r"[.!]$", title) else [title]), None, 1
            if len(post) > 1 and len(words(title)) <= 20:
                return [], _Item(title, self.source.lineno(first_line), "topic", ()), 1
        return [], None, 0

    @staticmethod
    def is_caption(post: list[tuple[int, str]], k: int) -> bool:
        """Noise, a photo credit, or an image caption right above its credit line."""
        text = post[k][1]
        if is_noise(text) or PHOTO_CREDIT.match(text):
            return True
        return k + 1 < len(post) and bool(PHOTO_CREDIT.match(post[k + 1][1])) and len(words(text)) <= 10 \
            and text[:1].islower()

    def new_item(self, kind: str, line: int, text: str, section: tuple[str, ...]) -> _Item:
        if kind == "definition":
            m = DEF_LINE.match(text)
            item = _Item(m.group(1).strip(), self.source.lineno(line), "topic", section)
            item.parts.append(Part("para", m.group(2).strip()))
            return item
        inline = Q_INLINE.match(text)
        item = _Item(clean_line_title(inline.group(1) if inline else text), self.source.lineno(line),
                     "question" if kind == "question" else "topic", section)
        if inline:
            self.add(item, inline.group(2))
        return item

    def close(self, item: _Item | None) -> None:
        if item is not None:
            self.emit(item)

    @staticmethod
    def add(item: _Item, text: str) -> None:
        last = item.parts[-1] if item.parts else None
        if last is not None and last.kind == "code" and last.lang == "\x00open":
            if FENCE.match(text):
                last.lang = last.text.split("\n", 1)[0]          # the fence closes
                last.text = last.text.split("\n", 1)[1] if "\n" in last.text else ""
            else:
                last.text += "\n" + text
            return
        fence = FENCE.match(text)
        if fence:
            item.parts.append(Part("code", fence.group(3), lang="\x00open"))   # language, then the lines
            return
        if text.startswith("|"):
            if last is not None and last.kind == "table":
                last.text += "\n" + text
            else:
                item.parts.append(Part("table", text))
            return
        text = strip_signoff(text)
        if not text:
            return
        if text.endswith("?") and ENGAGEMENT.search(text) and len(words(text)) <= 15:
            return                                  # "Which one do you prefer?"
        if is_code(text):
            if item.parts and item.parts[-1].kind == "code":
                item.parts[-1].text += "\n" + text
            else:
                item.parts.append(Part("code", text))
            return
        part = list_part(text)
        if part is None:
            if title_like(text, 6) and is_titlecase(text) and not re.search(r"[.:;!?]$", text) and item.parts:
                part = Part("head", text)          # a styled sub-heading inside a post
            else:
                part = Part("para", text)
        item.parts.append(part)

    def emit(self, item: _Item) -> None:
        parts = fix_levels(item.parts)
        restored = False
        for part in parts:
            if part.kind in ("para", "item", "head"):
                part.text = inline_math(part.text)    # \[1, 2\] is text for MathJax, \(x^2\) is $x^2$
            if part.kind != "code":
                continue
            if part.lang == "\x00open":                              # a fence never closed
                part.lang, _, part.text = part.text.partition("\n")
            if not part.lang:
                code_lines = part.text.split("\n")
                if len(code_lines) == 1 and not STRONG_CODE.search(part.text) \
                        and not SQL_LINE.match(part.text) and not SHELL_LINE.match(part.text):
                    part.kind = "para"                 # a lone formula, not code
                    continue
                part.lang = ("sql" if any(SQL_LINE.match(x) for x in code_lines)
                             else "bash" if any(SHELL_LINE.match(x) for x in code_lines)
                             else "python" if PYTHON_HINT.search(part.text) else "")
            if part.lang in ("python", "py"):
                rebuilt = reindent_python(part.text)                   # the paste lost its indentation
                if rebuilt is not None:
                    part.text, restored = rebuilt, True
        answer = render(parts)
        question = inline_math(" ".join(item.question.split()))
        if not question:
            return
        if not answer and item.kind == "topic":
            self.source.report(item.line, f"heading without text, skipped: {question[:60]!r}")
            return
        answered = bool(answer) and not (URL.search(answer) and not re.search(r"[A-Za-z]{3,}", URL.sub("", answer)))
        self.cards.append(Card(question=question, answer=answer, source=self.source.name, line=item.line,
                               section=self.source.section_prefix + item.section, answered=answered,
                               kind="question" if item.kind == "question" else "topic",
                               tags=(RESTORED_TAG,) if restored else ()))


def read(source: Source) -> Iterator[Card]:
    # no safety net here: deck.load reports a reader that raises, and tests must see it raise
    yield from _PostReader(source).run()
