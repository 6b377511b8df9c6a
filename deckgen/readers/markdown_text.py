"""Markdown question text: cleaning, difficulty markers, link-only lines.

Pure functions of a line's text, shared by the markdown reader's rules.
"""

from __future__ import annotations

import functools
import re

from deckgen.readers.lexicon import QUESTION_OPENERS, WH_WORDS, first_word
from deckgen.readers.markdown_lines import Line
from deckgen.readers.titles import IMAGE as _IMAGE
from deckgen.readers.titles import LINK as _LINK
from deckgen.readers.titles import SHORTCODE as _SHORTCODE
from deckgen.readers.titles import strip_emoji as _strip_emoji
from deckgen.readers.titles import unmark as _unmark

_BOLD_QUESTION = re.compile(r"^\*\*([^*]+?(?:\*\*\?|\?\*\*|\*\*))\s*:?\s*(.*)$")
_PROSE_FENCES = ("", "text", "txt", "markdown", "md", "plain", "plaintext")
_FILE_CELL = re.compile(r"\|\s*[\w./-]+\.(?:md|ipynb|py|txt|pdf|html)\s*\|")
_BOLD_TITLE = re.compile(r"^(?:\[[^\]]{1,8}\]\s*)?(\*\*|__)[^*_].*\1\s*\S{0,3}$")
# "Q:", "Q3.", "**Q1)**", "**Question**:", "Question 5 -": a label that says the line asks.
_Q_LABEL = re.compile(r"^(?:\*\*|__)?(?:Q|Ques|Question)\s*(?:#\s*)?\d{0,4}(?:\*\*|__)?\s*[.:)\-–—](?:\*\*|__)?(?:\s+|$)")
# "3. ", "Q14 - ", "Q14 -When", "Q2 ", "Question: ", "Ques 5) ": numbering and labels before a question
_QUESTION_PREFIX = re.compile(r"^\s*(?:#+\s*)?(?:\d{1,9}[.)]\s+)?"
                              r"(?:(?:Q|Ques|Question)\s*(?:#\s*)?\d{0,4}\s*[.:)\-–—]\s+|Q\d{1,4}\s*[-–—](?=[^\W\d_])|"
                              r"Q\d{1,4}\s+)?")
# "**A:**", "Answer:", "**Answer**:", "Ans." opening an answer.
_A_LABEL = re.compile(r"^(?:\*\*|__)?(?:A\s*\d{0,3}(?:\*\*|__)?\s*:|(?:Ans|Answer)\s*\d{0,3}(?:\*\*|__)?\s*[:.])"
                      r"(?:\*\*|__)?(?:\s+|$)")
# "… works? [[src]](https://…)", "[source](…)", "[1]", "(source)": a citation after the question
_CITATION = re.compile(r"\s*(?:\[\[[^\[\]]{1,30}\]\]\([^()\s]*\)|\[(?:src|source|sources|ref|reference|link|"
                       r"paper|here|\d{1,3})\](?:\([^()\s]*\))?|\((?:src|source|ref|link)\))\s*$", re.I)
# "[Uber]", "[Google, Meta]" before or after the question: who asked it, not what
_COMPANY_TAG = re.compile(r"^\s*\[[A-Z][\w&.,/ +-]{0,40}\](?!\()\s*|\s*\[[A-Z][\w&.,/ +-]{0,40}\]\s*$")
# a CommonMark backslash escape ("From\_To"); not in math, where backslashes are commands
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_WORD = re.compile(r"[\w'’-]+")
_SENTENCE_BREAK = re.compile(r"(?<!\be\.g)(?<!\bi\.e)[.!]\s+[A-Z]")
_FORMULA = re.compile(r"->|=|<|\s>\s")  # arrows and comparisons: an output format, not a question
_HR = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})$")
# A line of program code, not prose (an unlabelled fence holding it stays a code block).
_ANCHOR_LINK_ONLY = re.compile(r"^\W*\[[^\]]*\]\(#[^)]*\)\W*$")
_LEVEL_NAMES = r"(easy|beginner|basic|medium|intermediate|moderate|hard|advanced|expert|difficult)"
_LEVEL_LINE = re.compile(r"^(?:[-*+]\s+)?(?:\*\*|__)?(?:difficulty|level)(?:\s*level)?\s*[:=\-–]?\s*(?:\*\*|__)?\s*"
                         r"[:=\-–]?\s*"
                         r"(?:\*\*|__|`)?" + _LEVEL_NAMES + r"\b\W*$", re.I)
_LEVEL_BADGE = re.compile(r"(?<![a-z])" + _LEVEL_NAMES + r"(?![a-z])", re.I)
# "## Beginner level", "## 🟢 Easy questions": a section whose questions share a level.
_LEVEL_SECTION = re.compile(r"^(?:level\s*\d?\s*[:\-–]?\s*)?" + _LEVEL_NAMES +
                            r"(?:\s*[-–:]?\s*(?:level|questions?|problems?|topics?|concepts?))*$", re.I)
_NUMBER_CELL = re.compile(r"(?:^|\s)\d{1,6} \|")
# Headings that ask without a question mark (never "How it works", a common sub-heading).
_PROMPT_HEADING = re.compile(r"^(?:explain|describe|compare|contrast|define|differentiate|distinguish|discuss|"
                             r"summari[sz]e|(?:the\s+)?differences?\s+between)\b", re.I)
_TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
_QUESTION_COLUMNS = {"question", "questions", "q", "interview question", "interview questions", "prompt"}
_ANSWER_COLUMNS = {"answer", "answers", "a", "solution", "explanation", "short answer", "response"}
_LEVEL_COLUMNS = {"difficulty", "level", "diff", "difficulty level"}
_TAG = re.compile(r"^\[([A-Za-z]{1,8})\]\s*")
_DIFFICULTY_TAGS = {"e": "easy", "easy": "easy", "m": "medium", "medium": "medium",
                    "h": "hard", "hard": "hard"}
_DIFFICULTY_EMOJI = {"🟢": "easy", "🟩": "easy", "💚": "easy", "🟡": "medium", "🟨": "medium",
                     "🟠": "medium", "🟧": "medium", "🔴": "hard", "🟥": "hard"}
_URL = re.compile(r"https?://\S+")
_CODE_PROMPT = re.compile(r"^(code|implement|write (a |an |the )?(function|program|class|script|code))\b", re.I)
_CLARIFYING_TAIL = re.compile(r"^\(?\s*(e\.g\.|eg\b|i\.e\.|ie\b|such as|like\b|for example|for instance|etc)", re.I)
_TODO = re.compile(r"\s*[\[(]\s*(?:TBD|TODO|to do)\b[^\])]*[\])]|^\W*(?:TBD|TODO)\W*$", re.I)
_TODO_COMMENT = re.compile(r"^\s*(?:#|//|--|/\*)\s*(?:TODO|TBD|FIXME)\b", re.I)
_TODO_LINE = re.compile(r"^[-*+\s]*(?:\*\*)?(?:TODO|TBD|NOT ANSWERED)\b", re.I)
# Prose about the notes themselves or addressed to the reader ("This repo ...", "you will").
_GUIDE_PROSE = re.compile(r"\b(?:you|your|you're|yourself|my|we'll|(?<![\w/])I(?![\w/])|I'm|I've|these|below|"
                          r"the following|welcome|work in progress|contribut\w*|pull requests?|feel free|"
                          r"this (?:repo|repository|guide|document|page|list|book|file|section|collection|chapter|"
                          r"cheat ?sheet))\b", re.I)
_NOISE_TITLE = re.compile(r"^(table of contents|contents|toc|license|licence|badges?|contributions?|contributing|"
                          r"contributors|how to contribute|acknowledge?ments?|credits|sponsors?|support( me| us)?|"
                          r"star history|stargazers|authors?|changelog|citation|cite this|code of conduct)$", re.I)
# First-person narrative ("I practised ...", "my notes"): a story about preparing, not a topic.
# "I", "I'm", "I've", "I'd", "my", "mine" as words; each branch opens with its letter (the
# lookbehinds after it check the character before) so the search jumps to those letters
_FIRST_PERSON = re.compile(r"I(?<![\w/]I)(?:(?![\w/'’:])|['’](?:m|ve|d)\b)|[Mm](?<!\w[Mm])(?:y|ine)\b")


# --- text helpers ---------------------------------------------------------------------

def _bare_emoji(text: str) -> str:
    """Emoji without joiners and variation selectors, so "⭐️" and "⭐" compare equal."""
    return text.replace("\u200d", "").replace("\ufe0f", "")


@functools.lru_cache(maxsize=16384)
def clean_question(text: str) -> str:
    """Plain question text: no markdown marks, escapes, labels, tags, citations, emoji
    or list numbers."""
    text = _CITATION.sub("", text)
    text = _LINK.sub(lambda m: m.group(1), _IMAGE.sub("", text))
    text = _unmark(text)
    if "\\" in text and "$" not in text:
        text = _ESCAPE.sub(r"\1", text)
    text = _SHORTCODE.sub("", _strip_emoji(text))
    text = _QUESTION_PREFIX.sub("", text)
    text = _TAG.sub("", text.strip())
    if "[" in text:
        text = _COMPANY_TAG.sub("", _CITATION.sub("", text))
    return " ".join(text.split()).strip()


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _looks_like_question(text: str) -> bool:
    """A question sentence or an interview prompt ("Explain ...", "Given ...")."""
    text = clean_question(text)
    if not text:
        return False
    if text.endswith("?"):
        return True
    return first_word(text) in QUESTION_OPENERS and len(_words(text)) >= 3


_WH_FOLLOWERS = {"is", "are", "was", "were", "do", "does", "did", "can", "could", "should", "would", "will",
                 "shall", "may", "might", "has", "have", "had", "much", "many", "long", "often", "far", "to",
                 "kind", "type", "types", "sort", "one", "ones", "way", "ways", "exactly", "else", "not"}


def _wh_clause(text: str) -> bool:
    """"When it is reused ..." states a condition; "When should you ...?" asks (inversion)."""
    words = _words(text.lower())
    return len(words) >= 2 and words[0] in WH_WORDS and words[0] not in ("what", "which", "whose") \
        and words[1] not in _WH_FOLLOWERS


_BOLD_TAG = re.compile(r"^(\*\*|__)(\[[^\]]{1,8}\])\1\s*")
_LEADING_LEVEL = re.compile(r"^\((easy|medium|hard)\)\s*", re.I)
_TRAILING_LEVEL = re.compile(r"\s*[\[(`](easy|medium|hard)[\])`]$", re.I)


def _difficulty_of(text: str) -> tuple[str | None, str]:
    """(difficulty, text without the marker) for `[E]`/`[Hard]` tags and emoji legends."""
    body = _BOLD_TAG.sub(r"\2 ", text.strip())  # **[E]** -> [E]
    for emoji, level in _DIFFICULTY_EMOJI.items():
        if body.startswith(emoji):
            return level, body[len(emoji):].strip()
        if body.endswith(emoji):
            return level, body[:-len(emoji)].strip()
    m = _TAG.match(body)
    if m and m.group(1).lower() in _DIFFICULTY_TAGS:
        return _DIFFICULTY_TAGS[m.group(1).lower()], body[m.end():].strip()
    m = _LEADING_LEVEL.match(body)
    if m:
        return m.group(1).lower(), body[m.end():].strip()
    m = _TRAILING_LEVEL.search(body) if body.endswith((")", "]", "`")) else None  # "What is X? (Medium)"
    if m:
        return m.group(1).lower(), body[:m.start()].strip()
    return None, body


_LEVEL_WORDS = {"easy": "easy", "beginner": "easy", "basic": "easy", "medium": "medium",
                "intermediate": "medium", "moderate": "medium", "hard": "hard", "advanced": "hard",
                "expert": "hard", "difficult": "hard"}
# (a symbol starts only where a run of symbols starts, and is taken whole: linear time)
_LEGEND_ENTRY = re.compile(r"(?<![^\w\s|:=(),.*])([^\w\s|:=(),.*]++)\s*(?:[:=\-–—]\s*)?\**("
                           + "|".join(_LEVEL_WORDS) + r")\b", re.I)


def _legend(lines: list[Line]) -> tuple[dict[str, str], list[int]]:
    """A difficulty legend near the top ("⭐ basic · ⭐⭐ intermediate · 🔥 expert"):
    symbol -> level, taken from the first line that names two levels or more, or from a
    legend table ("| 🐣 | Easy |" rows)."""
    table: list[tuple[str, str]] = []
    rows: list[int] = []
    for ln in lines[:60]:
        if ln.kind in ("code", "fence", "blank"):
            continue
        if ln.kind == "table":
            cells = [_bare_emoji(c).strip(" *") for c in _cells(ln.text)]
            words = [c.lower() for c in cells if c.lower() in _LEVEL_WORDS]
            symbols = [c for c in cells if c and not re.search(r"\w", c)]
            rows.append(ln.index)
            if len(words) == 1 and len(symbols) == 1:
                table.append((symbols[0], words[0]))
            if len({level for _, level in table}) >= 2 and (ln.index + 1 >= len(lines) or
                                                            lines[ln.index + 1].kind != "table"):
                return {symbol: _LEVEL_WORDS[level] for symbol, level in table}, rows
            continue
        table, rows = [], []
        entries = [(_bare_emoji(symbol).strip(), level) for symbol, level in _LEGEND_ENTRY.findall(ln.text)]
        entries = [(symbol, level) for symbol, level in entries if symbol]
        if len({level.lower() for _, level in entries}) >= 2:
            return {symbol: _LEVEL_WORDS[level.lower()] for symbol, level in entries}, [ln.index]
    return {}, []


@functools.lru_cache(maxsize=16384)  # asked again of the same line by several passes
def _link_only(text: str) -> bool:
    """True when a line says nothing but links (or images, badges)."""
    rest = _IMAGE.sub(" ", text)
    rest = _LINK.sub(" ", rest)
    rest = _URL.sub(" ", rest)
    rest = re.sub(r"^[-*+•]\s*|^\d+[.)]\s*", "", rest.strip())
    return len(_words(rest)) <= 2 and bool(_LINK.search(text) or _URL.search(text))




def _cells(row: str) -> list[str]:
    """The cells of a table row (escaped pipes stay in their cell)."""
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [c.replace("\\|", "|") for c in re.split(r"(?<!\\)\|", row)]
