"""Bullet primers: long web pages copied as text.

The layout (shared/formats/README.md, "Bullet primers"):
- a column-0 line that asks (ends in "?", opens with a question word or an
  imperative such as "Explain"), or a short title followed by indented bullets,
  starts an item;
- `•` lines (or `◦ ▪ – ●`, `-`/`*` indented under the prompt, numbered lines) whose
  indentation is the nesting depth, depth = (indent - 2) / 2 with a tab counting as
  two spaces, form the answer; it is rebuilt as a nested markdown list;
- column-0 prose, column-0 `- ` lines and code whose indentation was lost continue
  the answer; code becomes a fenced block;
- the HTML-to-text copy drops some headings and leaves 2+ blank lines instead.
  When the bullets after such a gap open by defining a term that the item's
  prompt does not mention, they belong to a lost question: no question may be
  invented, so the block is skipped and reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from deckgen.card import Card, Source
from deckgen.readers.lexicon import INTERROGATIVES, PLACEHOLDER, WH_WORDS
from deckgen.text.code import PYTHON_HINT, RESTORED_TAG, reindent_python
from deckgen.text.markup import ListColumns, inline_math, plain_to_markdown as _inline

NAME = "bullets"
SNIFF_MAX = 0.95  # the highest score sniff() gives (pick() relies on it)

_GLYPHS = "•●▪◦‣∙○■□►▸➢➤–"
_BULLET = re.compile(rf"^( *)(?:[{_GLYPHS}]|[-*+](?= ))\s*(.*)$")
_GLYPH_LINE = re.compile(rf"^[ \t]*[{_GLYPHS}]\s", re.M)
# "-", "*" or "+" bullets indented under a column-0 prompt (a primer written with ASCII markers)
_DASH_LINE = re.compile(r"^(?: {2,}|\t+)[-*+] \S", re.M)
# a bullet indented with tabs: one tab is one level, like two spaces
_TAB_BULLET = re.compile(rf"^\t+(?=[{_GLYPHS}]|[-*+] )")
_ORDERED = re.compile(r"^( *)(\d{1,3})([.)])\s+(\S.*)$")
_ATX = re.compile(r"#{1,6} \S")
_QA_MARKER = re.compile(r"^[ \t]*(?:Q|A|Answer)[ \t]*[:.]\s", re.M)

_QUESTION_WORDS = WH_WORDS
# Question words that may open a prompt written without "?" ("Why add sparsity").
_BARE_QUESTION_WORDS = {"what", "how", "why", "which", "when", "where"}
_IMPERATIVES = {"define", "describe", "explain", "list", "compare", "contrast", "mention", "name",
                "state", "discuss", "write", "implement", "derive", "prove", "outline", "summarize",
                "summarise", "differentiate", "distinguish", "illustrate", "elaborate", "briefly",
                "design", "give", "calculate", "compute", "estimate"}
# Imperatives that are also nouns ("List comprehensions are fast."): a prompt only before a determiner.
_NOUN_LIKE_IMPERATIVES = {"list", "name", "state", "design", "outline", "compute", "estimate"}
_DETERMINERS = {"the", "a", "an", "some", "all", "any", "few", "several", "two", "three", "four", "five",
                "your", "its", "their", "main", "common", "key", "different", "various", "each", "one",
                "down", "out", "and"}
# Prompts of two words: "Walk me through ...", "Tell me about ...".
_IMPERATIVE_PAIRS = {("walk", "me"), ("tell", "me"), ("talk", "me"), ("take", "me"), ("show", "me"),
                     ("talk", "about"), ("point", "out")}
# Yes/no openers; without "?" they ask only before a subject ("Can a forest overfit").
_YES_NO = INTERROGATIVES - WH_WORDS
_SUBJECTS = {"it", "we", "you", "i", "they", "there", "this", "that", "these", "those", "he", "she"}
# "Q1." / "Q:" / "Question 3:" in front of a prompt
_QUESTION_LABEL = re.compile(r"^(?:Q|Question)\s*(?:\d{1,3}\s*)?[.:)]\s+(?=\S)")
_QUESTION_BREAK = re.compile(r"\?\s+(?=\S)")
_CODE_TASK = re.compile(r"\b(?:write|return|output|find|implement|print|code)\b", re.I)
_CODE_TASK_OPENERS = {"given", "write", "implement", "code"}
# Labels that title a part of an answer, never a topic of their own.
_GENERIC_LABELS = {"pros", "cons", "advantages", "disadvantages", "example", "examples", "note",
                   "notes", "summary", "steps", "solution", "answer", "code", "output", "input",
                   "references", "reference", "sources", "source", "see also", "further reading",
                   "key points", "takeaways", "tl;dr", "tldr", "for example", "e.g"}
# Page furniture whose bullets answer nothing: skipped up to the next prompt.
_FURNITURE = re.compile(r"^(?:table of contents|contents|toc|references|further reading|citations?|"
                        r"acknowledge?ments|related (?:posts|articles)|see also)\s*:?$", re.I)
_TODO_LABELS = re.compile(r"^(?:to ?do|to add|to answer|to read|todo|tbd|later)\s*:?$", re.I)
_CITATION = re.compile(r"\b(?:please )?cite (?:it|this|us|our work)\b|\bbibtex\b", re.I)
_RHETORICAL = re.compile(r"^(?:did|do|have|wouldn|isn|aren|don|doesn|ever|guess)\b", re.I)
# An answer that is only what is left of a link ("Taken from here", "(source)").
_LINK_ONLY = re.compile(r"^\W*(?:(?:taken from|source|link|see|read more|more info|details)\b[^.]{0,60}\W*"
                        r"|https?://\S+\s*)$", re.I)
# A pointer to a picture or notebook the copy lost ("The notebook snippet below shows ...").
_LOST_VISUAL = re.compile(r"\b(?:image|snippet|figure|notebook|screenshot|picture)s? below\b"
                          r"|\bbelow (?:image|snippet|figure|notebook)\b", re.I)
# The opening of a definition: "Underfitting occurs when ...", "An epoch represents ...".
_DEFINES = re.compile(r"^[“\"]?(?:in [^,]{1,60}, )?(?:an? |the )?(?P<term>[\w-]+)(?: [\w()-]+){0,4}? "
                      r"(?:refers? to|occurs? when|happens? when|represents?|is defined as|denotes?|"
                      r"(?:is|are) (?:an?|the) (?:\w+ ){0,3}?(?:technique|method|approach|process|measure|metric|"
                      r"algorithm|model|type|way|form|family|class|set|kind)s?)\b",
                      re.I)

# Code whose fence and indentation were lost: recognised line by line.
_PY_LINE = re.compile(r"^(?:import \w|from [\w.]+ import |(?:async )?def \w+\(|class \w+[(:]|return\b|print\("
                      r"|lambda\b|@\w|(?:for|while|if|elif|with)\b.*:$|else:$|try:$|finally:$|except\b.*:$)")
_SQL_LINE = re.compile(r"^(?:SELECT|FROM|WHERE|JOIN|LEFT JOIN|RIGHT JOIN|INNER JOIN|OUTER JOIN|ON|GROUP BY"
                       r"|HAVING|ORDER BY|LIMIT|OFFSET|INSERT INTO|UPDATE|DELETE FROM|UNION|VALUES)\b")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][\w.\[\]'\"]*\s*(?:=|\+=|-=|\*=)\s*[^=\s]")
_CALL = re.compile(r"^[A-Za-z_][\w.]*\(.*\)\s*(?:[;&|+%]|$)")



def sniff(text: str) -> float:
    """High when most lines are glyph bullets under column-0 prompts.

    Chat notes share the bullet style, so Q:/A: markers, numbered column-0 titles
    and column-0 paragraphs (the other families' signs) pull the score down. Code
    pasted without fences counts for neither side, and its `# comment` lines are not
    markdown headings: a web copy whose only `#` lines sit in code is still a primer.
    """
    head = text[:60000]
    lines = head.split("\n")
    code = _code_lines(lines)
    nonblank = [line for k, line in enumerate(lines) if line.strip() and k not in code]
    bullets = len(_GLYPH_LINE.findall(head)) + len(_DASH_LINE.findall(head))
    if bullets < 3 or not nonblank:
        return 0.0
    column0 = [line for line in nonblank if not line[0].isspace()]
    long_prose = sum(len(line) > 200 for line in column0)
    numbered = sum(bool(re.match(r"\d+[.)]\s", line)) for line in column0)
    score = 0.25 + bullets / len(nonblank)
    qa_markers = len(_QA_MARKER.findall(head))
    score -= min(0.5, 0.05 * qa_markers)
    if column0:
        share = 1 / len(column0)
        score -= 0.5 * long_prose * share + 0.5 * numbered * share + 0.6 * min(1.0, qa_markers * share)
    if any(_ATX.match(line) for line in nonblank):
        score -= 0.5            # markdown headings: the markdown reader's file
    # in a primer most column-0 lines are prompts with bullets right below them; in
    # chat notes and posts they are mostly titles over paragraphs
    prompts = [k for k, line in enumerate(nonblank) if not line[0].isspace() and not _BULLET.match(line)]
    over_bullets = sum(1 for k in prompts if k + 1 < len(nonblank)
                       and (_GLYPH_LINE.match(nonblank[k + 1]) or _DASH_LINE.match(nonblank[k + 1])))
    if prompts and over_bullets / len(prompts) < 0.5:
        score -= 0.5 - over_bullets / len(prompts)
    return round(max(0.0, min(SNIFF_MAX, score)), 3)


def _code_lines(lines: list[str]) -> set[int]:
    """Indexes of column-0 lines that read as unfenced code: code lines, and `#` comment
    lines right above or inside such code (the way the reader itself fences them)."""
    code: set[int] = set()
    after_code = False
    for k, line in enumerate(lines):
        if not line.strip():
            continue            # a blank line may sit inside code
        if line[0].isspace():
            after_code = False
            continue
        nxt = next((lines[j] for j in range(k + 1, min(k + 4, len(lines))) if lines[j].strip()), "")
        comment_over_code = line.startswith("#") and _looks_like_code(nxt, False) and not nxt.startswith("#")
        if comment_over_code or _looks_like_code(line, after_code):
            code.add(k)
            after_code = True
        else:
            after_code = False
    return code


@dataclass
class _Entry:
    """One block of an answer, before it becomes markdown."""

    kind: str            # "li" list item, "cont" unmarked indented line, "para", "code"
    line: int            # 0-based text line
    text: str = ""
    depth: int = 0
    marker: str = "-"
    code: list[str] = field(default_factory=list)
    lang: str = ""
    nested: bool = False  # code that belongs to the list item above it


@dataclass
class _Item:
    question: str
    line: int
    kind: str
    entries: list[_Entry] = field(default_factory=list)
    restored: bool = False  # code in its answer got its indentation back


def read(source: Source) -> Iterator[Card]:
    # no safety net here: deck.load reports a reader that raises, and tests must see it raise
    for item in _parse(source):
        yield from _cards(item, source)


# ---------------------------------------------------------------- line shapes

def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _depth(indent: int) -> int:
    return max(0, (indent - 2) // 2) if indent else 0


def _looks_like_code(line: str, after_code: bool) -> bool:
    if line.startswith("\t"):
        return True
    s = line.strip()
    if after_code and (s.startswith("#") or re.fullmatch(r"[\])}]+[,;]?", s)):
        return True
    if _PY_LINE.match(s) or _SQL_LINE.match(s) or s.endswith(";"):
        return True
    if _ASSIGNMENT.match(s) and not s.endswith("."):
        return True
    return bool(_CALL.match(s))


def _next_nonblank(lines: list[str], i: int) -> int:
    j = i + 1
    while j < len(lines) and not lines[j].strip():
        j += 1
    return j


def _introduces_bullets(lines: list[str], i: int) -> bool:
    j = _next_nonblank(lines, i)
    if j >= len(lines) or j - i > 4:
        return False
    nxt = lines[j]
    if _GLYPH_LINE.match(nxt):
        return True
    return _indent(nxt) >= 2 and bool(_BULLET.match(nxt) or _ORDERED.match(nxt))


def _strip_quotes(text: str) -> str:
    return text.strip().strip("“”\"'‘’ ").strip()


def _clean_question(text: str) -> str:
    text = _strip_quotes(text)
    text = re.sub(r"(^|[\s/(])#(\w)", r"\1\2", text)  # hashtags pasted from posts
    text = inline_math(text)
    return " ".join(text.split())


def _prompt(lines: list[str], i: int) -> tuple[str, str, str] | None:
    """(question, kind, lead-in that starts the answer) when column-0 line i starts an item."""
    s = _QUESTION_LABEL.sub("", lines[i].strip(), count=1)
    numbered = _ORDERED.match(s)
    if numbered:
        # "12. What is dropout?" (or "3) Tell me about ...") over bullets is a numbered prompt;
        # other numbered lines, titles included, are answer lists
        text = numbered.group(4).strip()
        if not _introduces_bullets(lines, i):
            return None
        found = _classify(text, lambda: True)
        if found and (_strip_quotes(text).endswith("?") or found[1] != "topic"):
            return found
        return None
    return _classify(s, lambda: _introduces_bullets(lines, i))


def _classify(s: str, introduces_bullets) -> tuple[str, str, str] | None:
    """Classify one column-0 line; `introduces_bullets()` says whether bullets follow it."""
    core = _strip_quotes(s)
    words = core.split()
    if not words or _BULLET.match(s) or not re.search(r"[^\W\d_]", core):
        return None
    first = re.sub(r"[^\w]", "", words[0]).lower()
    asks = first in _QUESTION_WORDS or first in _IMPERATIVES or first in _CODE_TASK_OPENERS
    code_task = first in _CODE_TASK_OPENERS and bool(_CODE_TASK.search(core))
    kind = "code" if code_task else "question"
    if core.endswith("?") and len(words) <= 120:
        return _clean_question(core), kind, ""
    # "How do you avoid overfitting? Try one of the following:" - prompt and lead-in share a line
    split = _split_after_question(core)
    if split and asks and split[1].endswith(":"):
        return _clean_question(split[0]), kind, split[1]
    # "What is a p-value? The chance of data this extreme under the null." - the answer
    # begins on the prompt's line (unless what follows asks again: then it is all prompt)
    if split and first in _QUESTION_WORDS | _YES_NO and len(split[0].split()) <= 30:
        rest = split[1]
        rest_first = re.sub(r"[^\w]", "", rest.split()[0]).lower()
        if not ("?" in rest or rest_first in _IMPERATIVES | _QUESTION_WORDS | {"and", "or", "also"}):
            return _clean_question(split[0]), kind, rest
    ends_open = s.endswith(":")
    if first in _BARE_QUESTION_WORDS and not re.search(r"[.:;,!]$", s) and len(words) <= 25 \
            and not _SQL_LINE.match(s):          # "WHERE x > 0" is a query clause
        return _clean_question(core), kind, ""
    second = words[1].lower() if len(words) > 1 else ""
    if first in _YES_NO and (second in _SUBJECTS or second in _DETERMINERS - {"and", "down", "out"}) \
            and not re.search(r"[.:;,!]$", s) and 3 <= len(words) <= 20:
        return _clean_question(core), kind, ""
    imperative = (first in _IMPERATIVES and (
        first not in _NOUN_LIKE_IMPERATIVES or second in _DETERMINERS or second.isdigit())) \
        or (first, second) in _IMPERATIVE_PAIRS
    if imperative and not ends_open and len(words) <= 60:
        return _clean_question(core), kind, ""
    if code_task and not ends_open:
        return _clean_question(core), "code", ""
    title = s.rstrip(":").strip()
    if ends_open and (len(words) > 6 or "," in title):  # a lead-in sentence, not a title
        return None
    short = len(words) <= 14 and len(title) <= 120 and not re.search(r"[.!,;?]$", title)
    if (short and not _looks_like_code(s, after_code=True)
            and title.lower().strip("* ") not in _GENERIC_LABELS and introduces_bullets()):
        return _clean_question(title), "topic", ""
    return None


def _split_after_question(core: str) -> tuple[str, str] | None:
    """("What is X?", "rest") at the first "?" that whitespace and more text follow."""
    m = _QUESTION_BREAK.search(core, 1)
    return (core[:m.start() + 1], core[m.end():]) if m else None


def _starts_new_topic(text: str, question: str) -> str | None:
    """The term a bullet defines, when the item's prompt does not mention it."""
    m = _DEFINES.match(text)
    if not m:
        return None
    term = m.group("term").lower()
    stem = term[: max(4, len(term) - 3)]
    for word in re.findall(r"[\w-]+", question.lower()):
        if len(word) >= 4 and (word.startswith(stem) or term.startswith(word[: max(4, len(word) - 3)])):
            return None
    return m.group("term")


# ---------------------------------------------------------------- parsing

class _Skip:
    """Tracks a run of skipped lines so it is reported once, with its range."""

    def __init__(self, source: Source):
        self.source = source
        self.reason = ""
        self.first = self.last = -1

    def start(self, reason: str, i: int) -> None:
        self.close()
        self.reason, self.first, self.last = reason, i, i

    def take(self, i: int) -> None:
        if self.first < 0:
            self.first = i
        self.last = i

    def close(self) -> None:
        if self.first >= 0 and self.reason:
            a, b = self.source.lineno(self.first), self.source.lineno(self.last)
            where = f"lines {a}-{b}" if b > a else f"line {a}"
            self.source.report(a, f"{where}: {self.reason}; skipped")
        self.reason, self.first, self.last = "", -1, -1


def _parse(source: Source) -> list[_Item]:
    return _Parser(source).run()


class _Parser:
    """One pass over the lines: column-0 lines open items (or skipped blocks), the lines
    under an item become its entries."""

    def __init__(self, source: Source):
        # a lone "\r" is a space, as in the markdown reader: line numbers stay those of the source
        lines = source.text.replace("\r\n", "\n").replace("\r", " ").split("\n")
        self.lines = [_TAB_BULLET.sub(lambda m: "  " * len(m.group(0)), line) for line in lines]
        self.items: list[_Item] = []
        self.current: _Item | None = None
        self.skip = _Skip(source)
        self.skip.reason = "text before the first question"

    def run(self) -> list[_Item]:
        lines = self.lines
        gap = 0
        i = 0
        while i < len(lines):
            raw = lines[i].rstrip()
            if not raw.strip():
                gap += 1
                i += 1
                continue
            blank_before, gap = gap, 0
            if not raw[0].isspace():
                step = self.column0(i, raw)
                if step:
                    i = step
                    continue
                raw = lines[i].rstrip()     # a wrapped prompt may have been joined
            if self.current is None:
                self.skip.take(i)
                i += 1
                continue
            i = self.answer_line(i, raw, blank_before)
        self.skip.close()
        for item in self.items:
            _attach_bullets_to_numbered(item.entries)
        return self.items

    def column0(self, i: int, raw: str) -> int:
        """Handle a column-0 line that starts code, a skipped block or an item: the index
        of the next line to read, or 0 when it is a line of the current answer."""
        lines, skip = self.lines, self.skip
        # a "# comment" line opens a code block when code follows it directly
        opens_code = raw.startswith("#") and i + 1 < len(lines) and _looks_like_code(lines[i + 1], False)
        if opens_code or _looks_like_code(raw, after_code=False):
            return _take_code(lines, i, self.current, skip)
        label = raw.strip().rstrip(":")
        if _TODO_LABELS.match(raw.strip()) or _FURNITURE.match(raw.strip()):
            self.current = None
            skip.start("a to-do note, not a question" if _TODO_LABELS.match(label) else
                       f"page furniture ({label})", i)
            return i + 1
        if _wraps_onto_next_line(lines, i):
            # a long prompt the copy wrapped: "What is the difference between A and" / "B?"
            lines[i] = raw = raw + " " + lines[i + 1].strip()
            lines[i + 1] = ""
        found = _prompt(lines, i)
        if found:
            skip.close()
            question, kind, lead_in = found
            self.current = _Item(question, i, kind)
            self.items.append(self.current)
            if lead_in:
                self.current.entries.append(_Entry("para", i, lead_in))
            return i + 1
        if _CITATION.search(raw):
            self.current = None
            skip.start("citation boilerplate", i)
            return i + 1
        return 0

    def answer_line(self, i: int, raw: str, blank_before: int) -> int:
        """Add line i to the current item's entries; the index of the next line to read."""
        lines, current = self.lines, self.current
        at_col0 = not raw[0].isspace()
        math_end = _display_math_end(lines, i)
        if math_end:
            # display math over several lines: one entry, so it renders as one formula
            body = " ".join(line.strip() for line in lines[i:math_end + 1])
            current.entries.append(_Entry("para" if at_col0 else "cont", i, body))
            return math_end + 1
        bullet, ordered = _BULLET.match(raw), _ORDERED.match(raw)
        if bullet and bullet.group(2).strip():
            indent = len(bullet.group(1))
            text = bullet.group(2).strip()
            term = _starts_new_topic(text, current.question) if blank_before >= 2 and indent <= 3 else None
            if term or (blank_before >= 3 and indent <= 3):
                # 2 blank lines: a dropped heading or label; 3: a dropped heading and its label
                why = (f"after blank lines (a dropped heading) define '{term}', which the item above does "
                       "not cover" if term else f"after {blank_before} blank lines (a dropped heading and label)")
                self.current = None
                self.skip.start(f"bullets {why}; their question is lost", i)
                return i + 1
            # column-0 dash lines (from <pre> blocks) get their own marker so they form their own list
            marker = "*" if indent == 0 and raw[0] in "-*+" else "-"
            current.entries.append(_Entry("li", i, text, _depth(indent), marker))
        elif ordered:
            indent = len(ordered.group(1))
            current.entries.append(_Entry("li", i, ordered.group(4).strip(), _depth(indent),
                                          ordered.group(2) + ordered.group(3)))
        else:
            current.entries.append(_Entry("para" if at_col0 else "cont", i, raw.strip()))
        return i + 1


def _display_math_end(lines: list[str], i: int) -> int:
    """The line closing display math opened by a bare `\\[` or `$$` at line i (0 if none)."""
    opener = lines[i].strip()
    closer = {"\\[": "\\]", "$$": "$$"}.get(opener)
    if closer is None:
        return 0
    for j in range(i + 1, min(len(lines), i + 40)):
        if lines[j].strip().endswith(closer):
            return j
    return 0


def _wraps_onto_next_line(lines: list[str], i: int) -> bool:
    """Line i opens a question that ends on the next column-0 line."""
    if i + 1 >= len(lines):
        return False
    s, nxt = lines[i].strip(), lines[i + 1]
    first = re.sub(r"[^\w]", "", s.split()[0]).lower() if s.split() else ""
    return (first in _QUESTION_WORDS | _YES_NO | _IMPERATIVES and not re.search(r"[.?!:;]$", s)
            and bool(nxt.strip()) and not nxt[0].isspace() and not _BULLET.match(nxt)
            and nxt.rstrip().endswith("?") and len(nxt.split()) <= 12 and nxt.strip()[0].islower())


def _take_code(lines: list[str], i: int, current: _Item | None, skip: _Skip) -> int:
    """Collect a run of code lines starting at i; single blank lines stay inside it."""
    code: list[str] = []
    j = i
    while j < len(lines):
        line = lines[j].rstrip()
        if not line.strip():
            k = _next_nonblank(lines, j)
            if k - j == 1 and k < len(lines) and not lines[k][:1].isspace() \
                    and _looks_like_code(lines[k], after_code=True) \
                    and (lines[k].startswith("#") or _prompt(lines, k) is None):
                code.append("")
                j += 1
                continue
            break
        comment = line.startswith("#")
        if line[:1] == " " or not _looks_like_code(line, after_code=True) \
                or (code and not comment and _prompt(lines, j)):
            break
        code.append(line)
        j += 1
    if current is None:
        for k in range(i, j):
            skip.take(k)
        return j
    lang = ""
    if any(_SQL_LINE.match(c.strip()) for c in code):
        lang = "sql"
    elif any(_PY_LINE.match(c.strip()) or PYTHON_HINT.search(c) for c in code):
        lang = "python"
        rebuilt = reindent_python("\n".join(code))      # the copy lost its indentation
        if rebuilt is not None:
            code, current.restored = rebuilt.split("\n"), True
    prev = current.entries[-1] if current.entries else None
    nested = bool(prev and prev.kind == "li" and prev.text.rstrip().endswith(":"))
    depth = prev.depth + 1 if nested and prev else 0
    current.entries.append(_Entry("code", i, "", depth, code=code, lang=lang, nested=nested))
    return j


def _attach_bullets_to_numbered(entries: list[_Entry]) -> None:
    """Bullets at the same indentation right under a numbered line are its children."""
    owner: _Entry | None = None
    for e in entries:
        if e.kind != "li":
            if e.kind == "para":
                owner = None
            continue
        if e.marker[0].isdigit():
            owner = e
        elif owner is not None and e.depth == owner.depth:
            e.depth += 1
        elif owner is not None and e.depth < owner.depth:
            owner = None


# ---------------------------------------------------------------- cards

def _is_subquestion(text: str) -> bool:
    """A bullet that is entirely a question (rhetorical openers excluded)."""
    core = _strip_quotes(text)
    words = core.split()
    if not words or _RHETORICAL.match(core):
        return False
    first = re.sub(r"[^\w]", "", words[0]).lower()
    if core.endswith("?"):
        return (first in _QUESTION_WORDS or first in {"is", "are", "can", "does", "should"}) \
            and core.count("?") == 1 and len(words) <= 30
    return first in _BARE_QUESTION_WORDS and len(words) <= 10 and not re.search(r"[.:;,!]$", core)


def _subquestion_span(entries: list[_Entry], k: int) -> list[_Entry]:
    """Its deeper children, or else the siblings that follow it (up to the next one)."""
    q = entries[k]
    span: list[_Entry] = []
    for e in entries[k + 1:]:
        if e.kind == "para" or (e.kind == "li" and (e.depth <= q.depth or _is_subquestion(e.text))):
            break
        span.append(e)
    if span:
        return span
    for e in entries[k + 1:]:
        if e.kind == "para" or (e.kind == "li" and (e.depth < q.depth or _is_subquestion(e.text))):
            break
        span.append(e)
    first_li = next((e for e in span if e.kind == "li"), None)
    if first_li is None or "?" in first_li.text:  # a checklist of questions, not an answer
        return []
    return span


def _cards(item: _Item, source: Source) -> Iterator[Card]:
    answer = _render(item.entries)
    texts = [e.text for e in item.entries if e.kind != "code"]
    only_stub = not any(e.kind == "code" for e in item.entries) and len(texts) == 1 \
        and bool(PLACEHOLDER.match(texts[0]) or _LINK_ONLY.match(texts[0]))
    answered = bool(answer.strip()) and not only_stub
    if answered and item.kind == "code" and _only_points_at_lost_visual(item.entries):
        answered = False
        source.report(source.lineno(item.line),
                      f"line {source.lineno(item.line)}: the answer only points at a picture or notebook "
                      "the copy lost; marked unanswered")
    yield Card(item.question, answer if answered else _keep_pointer(answer, item), source.name,
               source.lineno(item.line), source.section_prefix, kind=item.kind, answered=answered,
               tags=(RESTORED_TAG,) if item.restored else ())
    for k, e in enumerate(item.entries):
        if e.kind != "li" or not _is_subquestion(e.text):
            continue
        span = _subquestion_span(item.entries, k)
        if not span:
            continue
        base = min(x.depth for x in span)
        shifted = [_Entry(x.kind, x.line, x.text, x.depth - base, x.marker, x.code, x.lang, x.nested)
                   for x in span]
        yield Card(_clean_question(e.text), _render(shifted), source.name, source.lineno(e.line),
                   source.section_prefix + (item.question,), kind="question")


def _only_points_at_lost_visual(entries: list[_Entry]) -> bool:
    if any(e.kind == "code" for e in entries):
        return False
    texts = [e.text for e in entries if e.text]
    return len(texts) == 1 and bool(_LOST_VISUAL.search(texts[0]))


def _keep_pointer(answer: str, item: _Item) -> str:
    # An unanswered card keeps what little text there was only when it points at the lost part.
    return answer if _only_points_at_lost_visual(item.entries) else ""


# ---------------------------------------------------------------- markdown

def _fence(code: list[str], lang: str, indent: int) -> str:
    longest = max((len(r) for c in code for r in re.findall(r"`+", c)), default=0)
    ticks = "`" * max(3, longest + 1)
    pad = " " * indent
    body = [pad + c if c else "" for c in code]
    return "\n".join([pad + ticks + lang, *body, pad + ticks])


def _render(entries: list[_Entry]) -> str:
    """Entries to CommonMark: nested lists indented to their parent's content column."""
    parts: list[str] = []
    columns = ListColumns()
    kind_at: dict[int, str] = {}       # indent -> list type open there ("-", "*", "." or ")")
    in_list = False
    for e in entries:
        if e.kind == "li":
            indent = columns.place(e.depth, e.marker)
            ordered = e.marker[0].isdigit()
            list_type = e.marker[-1]  # "." or ")" for ordered lists, the bullet character otherwise
            continues = in_list and kind_at.get(indent) == list_type
            # an ordered list that does not start at 1 cannot interrupt a paragraph: blank line first
            tight = in_list and (continues or not ordered or e.marker[:-1] == "1")
            parts.append(("\n" if tight else "\n\n") + " " * indent + e.marker + " " + _inline(e.text))
            kind_at = {k: v for k, v in kind_at.items() if k < indent}
            kind_at[indent] = list_type
            in_list = True
        elif e.kind == "cont" and columns.open:
            # display math continues the item above; a caption or sub-title is its own paragraph
            math = e.text.startswith(("\\[", "$$", "\\("))
            parts.append(("\n" if math else "\n\n") + " " * columns.content() + _inline(e.text))
        elif e.kind == "code" and e.nested and columns.open:
            parts.append("\n" + _fence(e.code, e.lang, columns.content()))
        else:
            columns.close()
            kind_at.clear()
            in_list = False
            if e.kind == "code":
                parts.append("\n\n" + _fence(e.code, e.lang, 0))
            else:
                parts.append("\n\n" + _inline(e.text))
    return "".join(parts).strip("\n")
