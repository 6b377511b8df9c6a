"""Chat-style notes: `Q:`/`A:` pairs, numbered topic titles, pasted chatbot answers
and social posts, one block per paragraph (blocks separated by blank lines).

What starts an item:
- `Q: ... A: ...` on one line, or a `Q:`/`Q.`/`Question 2:` line (possibly wrapped)
  answered by the lines after it (an `Answer:`/`A:`/`A.`/`Ans:` prefix is dropped);
  copied conversations mark the same with `You said:`/`ChatGPT said:`, `User:`/`Assistant:`;
- a column-0 question line (ends with `?`, or reads as a question without one);
- a short column-0 title followed by its text (a heading item), numbered titles
  (`3. Title`) under a group label (`NLP Answers:`);
- in an untitled post, a paragraph whose first sentence is a question;
- a list of bare questions (questions with links at most) becomes one unanswered
  item per question.
Everything else is answer text: an answer's own labels (`Example:`, `Pros:`) and the
numbered steps its intro announces stay in it. Chat filler, sign-offs, hashtags,
bylines, feed buttons and closing questions to the reader are dropped. `$…$` math is
kept verbatim, multi-line display math as one block; code that lost its fence
(`python` / `Copy code`, or indented under a colon line) is fenced again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from deckgen.card import Card, Source
from deckgen.readers.lexicon import (
    ANSWER_LABELS, CHAT_OFFER, FILLER, INTERROGATIVES, PROMPT_VERBS, SIGNOFF, SIGNOFF_TAIL, SMALL_WORDS, TASK_PHRASES,
    TASK_VERBS, opening,
)
from deckgen.text.code import CODE_SIGN
from deckgen.text.markup import ListColumns, marks_removed
from deckgen.readers.titles import LEADING_DECOR, TRAILING_DECOR, clean_line_title, unstyle

NAME = "chat"
SNIFF_MAX = 0.95  # the highest score sniff() gives (pick() relies on it)

# ---------------------------------------------------------------- line patterns
Q_INLINE = re.compile(r"^\s*(?:Q|Question)\s*\d{0,3}\s*[:.]\s+(\S(?:.*?\S)?)\s+(?:A|Answer)\s*\d{0,3}\s*:\s+(.+)$")
Q_LINE = re.compile(r"^\s*(?:Q|Question)\s*\d{0,3}\s*[:.]\s+(.+)$")
# `A:`, `Ans:`, `Answer 3:`; the dotted forms (`A.`, `Ans.`) need a space after the dot
ANSWER_LINE = re.compile(r"^\s*(?:(?:A|Ans|Answer)\s*\d{0,3}\s*:|(?:A|Ans)\s*\d{0,3}\.(?=\s))\s*(.*)$", re.I)
# Copied conversations: "You said:" / "ChatGPT said:", "User:" / "Assistant:", interview transcripts.
SPEAKER_Q = re.compile(r"^(?:you said|user|human|prompt|interviewer)\s*:\s*(.*)$", re.I)
SPEAKER_A = re.compile(r"^(?:(?:chatgpt|gpt-?4o?|claude|gemini|copilot|bard|bot)(?: said)?|assistant|"
                       r"candidate|me)\s*:\s*(.*)$", re.I)
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+#.-]*)\s*$")
BULLET = re.compile(
    r"^(\s*)(?:[•◦▪▫‣●○■□∙⁃·]|[-*+–](?=\s)|-(?=[A-Z“\"])|→|➡️?|👉|↳|✅|✔️?|☑️?|🔹|🔸|🔷|▶️?|►|⮕|➜|➤)\s*(.*)$")
NUMBERED = re.compile(r"^(\s*)(\d{1,3})(?:\.-\d+)?(?:\.\)|[.)])\s+(.*)$")
KEYCAP = re.compile(r"^(\s*)([0-9])\ufe0f?\u20e3\s*(.*)$|^(\s*)(🔟)\s*(.*)$")
URL = re.compile(r"(?:https?://|www\.)\S+")
# A code block copied out of a chat window as text: its language label, then "Copy code".
LANG_LABEL = re.compile(r"^\s*(python|py|bash|shell|sh|console|sql|javascript|js|typescript|ts|java|c\+\+|cpp|"
                        r"c#|go|rust|r|scala|julia|json|yaml|toml|xml|html|css|matlab|latex|plaintext|text)\s*$", re.I)
COPY_CODE = re.compile(r"^\s*copy(?: code)?\s*$", re.I)

INTERROGATIVE = opening(INTERROGATIVES)
# (a post line opening with "Code" names it: "Code and data: <link>")
IMPERATIVE = opening(PROMPT_VERBS | TASK_VERBS - {"code"}, TASK_PHRASES)
STRICT_IMPERATIVE = opening(PROMPT_VERBS)
# "If X, how will you ..." / "..., what would ..." : a question without "?"
QUESTION_CLAUSE = re.compile(
    r"\b(?:how|what|why|which|when|where)\s+(?:do|does|did|will|would|can|could|should|is|are|to|you|we)\b",
    re.I)
INDIRECT_QUESTION = re.compile(
    r"^(?:a|one|the)\s+(?:common\s+|frequent\s+|typical\s+|popular\s+|recurring\s+)?question\s+"
    r"(?:that\s+|I\s+)?(?:often\s+|frequently\s+|always\s+|usually\s+)?"
    r"(?:arises|comes up|gets asked|I get|people ask|students ask)\b[^.?!]*[.?!]", re.I)

HASHTAGS_TAIL = re.compile(r"(?:\s+#[\w-]+)+\s*$")
HASHTAG_LINE = re.compile(r"^\s*(?:#[\w-]+[\s,]*)+$")
FOOTER = re.compile(r"^\W{0,6}\d[\d,.]{0,6}[kK]?\W{0,3}$|"
                    r"^\W{0,3}\d[\d,.]*[kK]?\s+(?:likes?|comments?|reposts?|reactions?|shares?|views?)\b", re.I)
BYLINE = re.compile(r"•\s*(?:1st|2nd|3rd)\b|\b\d+\s*(?:hours?|days?|weeks?|minutes?|months?)\s+ago\s*$", re.I)
# The post's age as a feed shows it: "1w •", "3d • Edited •", "5 min read · Mar 3".
TIMESTAMP = re.compile(r"^\d{1,2}\s?(?:s|m|h|d|w|mo|yr|y)\s*(?:[•·]\s*(?:edited\s*[•·]?\s*)?)?$|"
                       r"^\d{1,2} min read\b", re.I)
# Buttons and captions a feed adds around a post when it is copied as text.
UI_FURNITURE = re.compile(
    r"^(?:…|\.\.\.)?\s*(?:see|show) (?:more|less|translation)$|^…?more$|"
    r"^(?:\+ ?)?(?:like|comment|repost|send|share|reply|follow|following|connect|message|save|listen|"
    r"celebrate|support|love|insightful|funny|promoted|edited|report this post)$|"
    r"^(?:like|comment|repost|send|share|reply)(?:\s*[·•|]\s*(?:like|comment|repost|send|share|reply))+$|"
    r"^no alternative text description\b|^activate to view larger image|^member-only story$|"
    r"^(?:view|open) (?:image|full image|document)$",
    re.I)
ENGAGEMENT = re.compile(
    r"^(?:is|was|isn't) (?:that|this|it) something\b|\bdo you know if (?:this|that|there)\b|"
    r"\bwhat(?:'s| is| are) your (?:favou?rite|take|thoughts|experience|opinion)|\bwhat do you think\b|"
    r"\bhave you (?:ever )?(?:tried|used|seen|heard of|wondered about) (?:this|that|it|these)\b|"
    r"\bwould you (?:agree|add)\b|\b(?:thoughts|agree)\s*\?$|"
    r"\bwhich (?:one )?(?:do|would) you (?:prefer|pick|choose)\b",
    re.I)
# A question about the reader's own habits or views, as posts close with.
READER_ASIDE = re.compile(
    r"\b(?:have|did|were|are) you\b|\bdo you (?:use|prefer|like|agree|know|think|reach|remember|see|have)\b|"
    r"\byour (?:team|company|org|go-to|favou?rite|take|thoughts|experience|opinion|own)\b|"
    r"\bwhat(?:'s|’s| is| are) your\b|\bwhich (?:\w+ ){0,4}(?:do|does|would) (?:you|your)\b|\banyone\b",
    re.I)
# A line that introduces a list of questions rather than asking one.
INTRO_QUESTION = re.compile(r"\b(?:following|these|below|next|some)\s+(?:\w+\s+)?questions\b|"
                            r"\b(?:answer|try|solve|tackle)\s+(?:the\s+)?(?:following|these|below|them)\b", re.I)
# Closing lines of a chatbot answer: after one, a title starts a new item.
CLOSER = re.compile(
    r"^(?:in summary|in conclusion|in short|overall|to summarize|to sum up|ultimately|remember|"
    r"by (?:applying|combining|using|leveraging|following|incorporating|understanding|implementing)|"
    r"the (?:key|goal|main idea|core idea|choice|bottom line)|this approach|each of these|"
    r"these (?:strategies|techniques|approaches|methods))\b", re.I)

# ---------------------------------------------------------------- small helpers

def words(text: str) -> list[str]:
    return text.split()


def is_titlecase(text: str, share: float = 0.6) -> bool:
    """Most content words start with a capital (or are acronyms / numbers)."""
    content = [w for w in re.findall(r"[\w’'.&+-]+", text) if w.casefold() not in SMALL_WORDS]
    if not content:
        return False
    capital = sum(1 for w in content if w[0].isupper() or w[0].isdigit())
    return capital / len(content) >= share


def title_like(text: str, max_words: int = 14) -> bool:
    """A short line that can name a topic: no sentence ending, no link."""
    text = text.strip()
    if not text or len(text) > 110 or URL.search(text) or len(words(text)) > max_words:
        return False
    letters = sum(c.isalpha() for c in text)
    if "=" in text or letters < 0.5 * len(text.replace(" ", "")):
        return False           # a formula or code, not a title
    bare = TRAILING_DECOR.sub("", text)
    if bare.endswith((".", ",", ";")) and not LEADING_DECOR.match(text):
        return False
    return bool(re.search(r"[A-Za-z]", text))


def unpunctuated_sentence(text: str) -> bool:
    """A sentence that lost its final period ("It was popular 9 years ago"): long
    enough, mostly lower case, neither a label nor a question."""
    s = text.strip()
    return len(words(s)) >= 6 and not is_titlecase(s) and not s.endswith(":") and not question_like(s)


def question_like(text: str) -> bool:
    """A line that asks: ends with "?", or opens like a question or an exercise."""
    text = clean_line_title(text)
    if not text or len(text) > 600 or not any(ch.isalnum() for ch in text):
        return False
    if text.rstrip().endswith("?"):
        return True
    if text.endswith((".", "!", ":")) and not IMPERATIVE.match(text):
        return False
    if len(words(text)) > 45 or re.search(r"[.!?]\s+[A-Z]", text):
        return False           # prose, not a question that lost its "?"
    if INTERROGATIVE.match(text) and 3 <= len(words(text)) <= 25:
        return True
    if IMPERATIVE.match(text) and len(words(text)) >= 4:
        return True
    if STRICT_IMPERATIVE.match(text) and len(words(text)) >= 2:
        return True            # "Explain dropout": these verbs are never a topic's name
    return len(words(text)) <= 45 and bool(QUESTION_CLAUSE.search(text)) and "," in text


def lead_question(text: str, max_len: int = 300) -> tuple[str, str] | None:
    """Split a paragraph whose FIRST sentence is a question into (question, rest).

    A second sentence that also asks is kept in the question ("What is X? Why Y?").
    """
    m = INDIRECT_QUESTION.match(text)
    if m:
        return m.group(0).strip(), text[m.end():].strip()
    q = text.find("?")
    if q < 0 or q > max_len:
        return None
    if re.search(r"[.!](?:\s+|$)(?=[A-Z“\"(])", text[:q]) and not re.match(r"(?:e\.g|i\.e|vs|etc)\.", text):
        return None
    end = q + 1
    nxt = text.find("?", end)
    if nxt > 0 and nxt <= max_len and not re.search(r"[.!](?:\s|$)", text[end:nxt]):
        end = nxt + 1
    question, rest = text[:end].strip(), text[end:].strip()
    if len(words(question)) < 3:
        return None
    return question, rest


def split_at_question(text: str) -> tuple[str, str, str] | None:
    """(before, question sentence, after) for a paragraph with a question sentence
    in the middle; None when it has none."""
    for m in re.finditer(r"(?:^|(?<=[.!])\s+)([A-Z][^.?!]{10,250}\?)", text):
        before = text[:m.start(1)].strip()
        return before, m.group(1).strip(), text[m.end(1):].strip()
    return None


def strip_signoff(text: str) -> str:
    """Cut a trailing sign-off ("—- Follow me for more!") and hashtags."""
    low = text.casefold()
    if "follow" in low or "subscribe" in low or "newsletter" in low:
        m = SIGNOFF_TAIL.search(text)
        if m:
            text = text[:m.start()]
    if "#" in text:
        text = HASHTAGS_TAIL.sub("", text)
    return text.rstrip()


def is_noise(text: str) -> bool:
    """Filler, sign-off, hashtag, footer or byline line."""
    s = text.strip()
    if not s:
        return True
    if HASHTAG_LINE.match(s) or FOOTER.match(s) or SIGNOFF.match(s) or UI_FURNITURE.match(s) \
            or TIMESTAMP.match(s):
        return True
    if len(s) < 300 and FILLER.search(s) and (not s.endswith("?") or CHAT_OFFER.search(s)):
        return True
    return is_byline(s)


def is_byline(s: str) -> bool:
    """An author line: "Name • 2nd Headline 3h • 3 hours ago", or a bare "5 days ago"
    (a sentence that ends in "... years ago" is content)."""
    return len(s) < 200 and bool(BYLINE.search(s)) and ("•" in s or len(words(s)) <= 4)


def only_links(text: str) -> bool:
    """True when `text` holds links and nothing that answers."""
    rest = URL.sub("", text)
    rest = re.sub(r"(?i)\b(?:answer here|see|link|paper|source|ref(?:erence)?s?)\b\s*:?", "", rest)
    return bool(URL.search(text)) and not re.search(r"[A-Za-z]{3,}", rest.replace("…", ""))


# ---------------------------------------------------------------- answer building
@dataclass
class Part:
    kind: str          # "para", "item" (list item), "head" (sub-heading), "code", "table"
    text: str
    level: int = 0
    ordered: str = ""  # "3" for a numbered list item
    lang: str = ""


def render(parts: list[Part]) -> str:
    """Answer parts to CommonMark: tight lists (nested at their parent's content column),
    paragraphs apart, code fenced."""
    out: list[str] = []
    prev = None
    columns = ListColumns()
    for part in parts:
        text = part.text.strip()
        if not text and part.kind != "code":
            continue
        if part.kind != "item":
            columns.close()
        if part.kind == "item":
            if prev is not None and prev != "item":
                out.append("")
            marker = f"{part.ordered}." if part.ordered else "-"
            out.append(" " * columns.place(part.level, marker) + f"{marker} {escape_line(text)}")
        elif part.kind == "code":
            if out:
                out.append("")
            longest = max((len(run) for run in re.findall(r"`{3,}", part.text)), default=2)
            fence = "`" * max(3, longest + 1)
            out.append(f"{fence}{part.lang}")
            out.extend(part.text.split("\n"))
            out.append(fence)
        elif part.kind == "math":
            if out:
                out.append("")
            out.extend(["$$", part.text.strip(), "$$"])
        elif part.kind == "table":
            if out:
                out.append("")
            out.extend(line.strip() for line in part.text.split("\n"))
        else:
            if out:
                out.append("")
            out.append(f"**{text}**" if part.kind == "head" else escape_line(text))
        prev = part.kind
    return "\n".join(out).strip()


def escape_line(text: str) -> str:
    """Keep a line of prose from turning into markdown structure it never had."""
    text = re.sub(r"\s{2,}", " ", text)
    if re.match(r"[#>+=]|[-*](?=\s)|\d+[.)]\s", text):
        return "\\" + text
    return text


def list_part(raw: str) -> Part | None:
    """A bullet or numbered line as a list item part, with its nesting level."""
    m = BULLET.match(raw)
    if m:
        return Part("item", m.group(2), level=max(0, len(m.group(1).expandtabs(4)) // 2 - 1))
    m = KEYCAP.match(raw)
    if m:
        digit = m.group(2) or "10"
        return Part("item", m.group(3) if m.group(2) else m.group(6), ordered=digit)
    m = NUMBERED.match(raw)
    if m:
        return Part("item", m.group(3), level=max(0, len(m.group(1).expandtabs(4)) // 2 - 1),
                    ordered=m.group(2))
    return None


def fix_levels(parts: list[Part]) -> list[Part]:
    """Nesting from relative indentation: a deeper item is the child of the one above,
    an item as deep as an earlier sibling is that sibling's sibling (so a list indented
    in steps of one tab or four spaces nests as well as one in steps of two)."""
    stack: list[int] = []          # raw levels of the open list items, outermost first
    for part in parts:
        if part.kind != "item":
            stack = []
            continue
        raw = part.level
        while stack and stack[-1] > raw:
            stack.pop()
        if not stack or stack[-1] < raw:
            stack.append(raw)
        part.level = len(stack) - 1
    return parts


# ---------------------------------------------------------------- items
@dataclass
class Item:
    question: str
    line: int
    kind: str = "question"
    section: tuple[str, ...] = ()
    parts: list[Part] = field(default_factory=list)
    runin: bool = False        # started by a question inside an untitled post
    titled: bool = False       # opened by a title line (not a question line)
    subheads: bool = False     # its answer is organised under sub-headings

    @property
    def has_answer(self) -> bool:
        return any(p.kind != "head" and p.text.strip() for p in self.parts)

    def add(self, part: Part) -> None:
        self.parts.append(part)


def make_card(item: Item, source: Source) -> Card | None:
    question = " ".join(item.question.split())
    if not question:
        return None
    parts = fix_levels([p for p in item.parts])
    answer = render(parts)
    answered = bool(answer) and not only_links(answer)
    kind = "question" if item.kind == "question" else "topic"
    return Card(question=question, answer=answer, source=source.name, line=item.line,
                section=source.section_prefix + item.section, answered=answered, kind=kind)


# ---------------------------------------------------------------- sniff
# Sniffed at the start of a block (the text's start or right after a blank line):
BLOCK_TITLE = re.compile(r"([^\s•\-*#>|][^\n]{2,110})(?=\n\n)")
GLUED_TITLE = re.compile(r"(?:\d{1,3}[.)]\s+)?([^\s•\-*#>|][^\n]{2,110})\n[A-Z][^\n]{30,}(?=\n\n|\n?$)")
GROUP_LABEL = re.compile(r"[A-Z][^\n:]{2,60}:\n\n\d{1,3}[.)]\s")


def _block_starts(text: str) -> list[int]:
    """0 and every position right after a blank line ("\n\n"), in order."""
    starts = [0]
    at = text.find("\n\n")
    while at != -1:
        starts.append(at + 2)
        at = text.find("\n\n", at + 1)
    return starts


def _findall_at(pattern: re.Pattern, text: str, starts: list[int]) -> list[str]:
    """re.findall of `(?:(?<=\n\n)|^)PATTERN` in `text` (same matches, same order): trying
    only the block starts beats the regex engine trying the lookbehind at every position."""
    found, end = [], 0
    for start in starts:
        if start >= end:
            m = pattern.match(text, start)
            if m:
                found.append(m.group(1) if pattern.groups else m.group(0))
                end = m.end()
    return found


def sniff(text: str) -> float:
    """Q:/A: markers, `Answer:` lines, chat filler and blank-line separated blocks
    of bullets and titles."""
    head = text[:60000]
    lines = head.split("\n")
    nonblank = [line for line in lines if line.strip()]
    if not nonblank:
        return 0.0
    qa = len(re.findall(r"^\s*Q\s*[:.]\s+\S|^(?:you said|user|interviewer)\s*:", head, re.M | re.I))
    answers = len(re.findall(r"^\s*(?:A|Answer)\s*:\s", head, re.M))
    filler = 0
    for line in nonblank[:400]:
        filler += bool(len(line) < 300 and FILLER.search(line))
        # posts pasted with blank lines between blocks keep their calls to action and hashtags
        filler += bool(SIGNOFF.match(line.strip()) or HASHTAG_LINE.match(line) or SIGNOFF_TAIL.search(line))
        if filler >= 2:
            break  # only min(filler, 2) counts
    blank_ratio = 1 - len(nonblank) / max(1, len(lines))
    score = 0.1 * min(qa, 5) + 0.05 * min(answers, 4) + 0.1 * min(filler, 2)
    if blank_ratio > 0.25:          # blocks apart: typical of copied chat answers
        score += 0.15
        # stand-alone column-0 titles and questions, each a block of its own
        block_starts = _block_starts(head)
        alone = _findall_at(BLOCK_TITLE, head, block_starts)
        # ... or glued to the first line of their paragraph ("2. What is X?" / "X is ...")
        alone += _findall_at(GLUED_TITLE, head, block_starts)
        titles = sum(1 for line in alone if title_like(line) and not line.rstrip().endswith("."))
        asks = sum(1 for line in alone if line.rstrip().endswith("?"))
        score += min(0.2, 0.02 * titles) + min(0.15, 0.03 * asks)
        # group labels ("NLP Answers:") each over a run of numbered titles
        groups = len(_findall_at(GROUP_LABEL, head, block_starts))
        score += min(0.2, 0.1 * groups)
    if re.search(r"^#{1,6} \S", head, re.M) or head.lstrip().startswith(("{", "├", "/")):
        score -= 0.3
    if blank_ratio < 0.05 and len(nonblank) >= 20 and qa < 3:
        score -= 0.3                # no blocks at all: pasted posts, not chat notes
    return round(max(0.0, min(SNIFF_MAX, score)), 3)


# ---------------------------------------------------------------- reader
class _Reader:
    def __init__(self, source: Source):
        self.source = source
        self.lines = [line.rstrip() for line in source.text.split("\n")]
        self.cards: list[Card] = []
        self.item: Item | None = None
        self.root: tuple[str, ...] = ()
        self.group: str | None = None
        self.orphan = False            # inside an answer whose question was lost
        self.skipping = False          # inside a run of text that belongs to no item
        self.index = 0

    # ---- helpers over lines
    def blank(self, i: int) -> bool:
        return i < 0 or i >= len(self.lines) or not self.lines[i].strip()

    def next_nonblank(self, i: int) -> int:
        j = i + 1
        while j < len(self.lines) and not self.lines[j].strip():
            j += 1
        return j

    def gap_before(self, i: int) -> int:
        n, j = 0, i - 1
        while j >= 0 and not self.lines[j].strip():
            n, j = n + 1, j - 1
        return n if j >= 0 else 99

    def is_list(self, raw: str) -> bool:
        return bool(BULLET.match(raw) or KEYCAP.match(raw) or (NUMBERED.match(raw) and raw[:1].isspace()))

    def is_num_title(self, i: int) -> str | None:
        raw = self.lines[i]
        m = NUMBERED.match(raw)
        if not m or m.group(1):
            return None
        rest = m.group(3).strip()
        if not self.blank(i + 1) and not self.is_list(self.lines[i + 1]):
            # a numbered title glued to its first paragraph: a short title (or a question)
            # over a full sentence that is not the next numbered line
            nxt = self.lines[i + 1].strip()
            if NUMBERED.match(nxt) or len(words(nxt)) < 6 or not nxt[:1].isupper() or rest.endswith(":") \
                    or not (rest.endswith("?") or len(words(rest)) <= 8 and is_titlecase(rest, 0.5)):
                return None
        if not title_like(rest) and not (rest.endswith("?") and len(rest) < 200):
            return None
        if re.search(r"\s\d+[.)]\s", rest):   # "1) a 2) b": a flattened list, not a title
            return None
        return rest

    def is_title(self, i: int) -> bool:
        raw = self.lines[i]
        if raw[:1].isspace() or not self.blank(i - 1) or self.is_list(raw) or NUMBERED.match(raw):
            return False
        s = raw.strip()
        if not title_like(s) or ANSWER_LINE.match(s):
            return False
        if not (self.blank(i + 1) or self.is_list(self.lines[i + 1])
                or ANSWER_LINE.match(self.lines[i + 1])):
            # a title glued to its first paragraph: short, capitalised, prose below it
            nxt = self.lines[i + 1].strip()
            if not (len(words(s)) <= 8 and is_titlecase(s) and not re.search(r"[.,;!?]$", s)
                    and len(words(nxt)) >= 8 and nxt[:1].isupper()):
                return False
        return is_titlecase(s, 0.5) if s.endswith(":") else True

    def is_question_line(self, i: int) -> bool:
        raw = self.lines[i]
        if raw[:1].isspace() or not self.blank(i - 1) or self.is_list(raw):
            return False
        if not question_like(raw):
            return False
        if not (self.blank(i + 1) or self.is_list(self.lines[i + 1]) or raw.rstrip().endswith("?")):
            return False
        if len(words(raw)) > 25 and re.search(r"[.!]\s+[A-Z]", raw):
            # a paragraph that ends by asking: a question only when a chat-style
            # answer (a list, "Answer:") or nothing follows, not more prose
            j = self.next_nonblank(i)
            return j >= len(self.lines) or self.is_list(self.lines[j]) or bool(ANSWER_LINE.match(self.lines[j]))
        return True

    # ---- item life cycle
    def close(self) -> None:
        item, self.item = self.item, None
        self.orphan = False
        if item is None:
            return
        if not item.has_answer and item.kind == "topic":
            self.source.report(item.line, f"title without text, skipped: {item.question[:60]!r}")
            return
        if item.kind == "topic" and self._link_collection(item):
            self.source.report(item.line, f"list of links, no card: {item.question[:60]!r}")
            return
        card = make_card(item, self.source)
        if card is None:
            return
        if len(card.answer) > 20000:
            self.source.report(item.line, f"answer of {len(card.answer)} characters is no flashcard; "
                                          f"skipped: {item.question[:60]!r}")
            return
        self.cards.append(card)

    @staticmethod
    def _link_collection(item: Item) -> bool:
        listed = [p for p in item.parts if p.kind == "item"]
        with_link = [p for p in listed if URL.search(p.text) and len(p.text) < 160]
        return len(listed) >= 5 and len(with_link) >= 0.8 * len(listed)

    def section(self) -> tuple[str, ...]:
        return self.root + ((self.group,) if self.group else ())

    def open(self, question: str, line_index: int, kind: str = "question", runin: bool = False,
             section: tuple[str, ...] | None = None) -> Item:
        self.close()
        question = strip_signoff(clean_line_title(question))
        self.skipping = False
        self.item = Item(question, self.source.lineno(line_index), kind,
                         self.section() if section is None else section, runin=runin)
        return self.item

    def add_text(self, raw: str) -> None:
        """Append a content line to the open item (or drop it as orphan text)."""
        text = strip_signoff(unstyle(raw.rstrip()))
        if not text.strip():
            return
        if self.item is None or self.orphan:
            if self.item is None and not self.orphan and not self.skipping:
                self.source.report(self.source.lineno(self.index),
                                   "text outside any question or title, kept out of the cards")
            self.skipping = True
            return
        self.skipping = False
        if text.lstrip().startswith("|"):
            last = self.item.parts[-1] if self.item.parts else None
            if last is not None and last.kind == "table" and self.lines[self.index - 1].lstrip().startswith("|"):
                last.text += "\n" + text.strip()     # the next row of the same table
            else:
                self.item.add(Part("table", text.strip()))
            return
        part = list_part(text)
        if part is None:
            part = Part("para", text.strip())
        self.item.add(part)

    # ---- the main loop
    def run(self) -> list[Card]:
        lines = self.lines
        i = 0
        first = self.next_nonblank(-1)
        if first < len(lines) and self.is_title(first) and not lines[first].strip().endswith(("?", ":")):
            following = self.next_nonblank(first)
            while following < len(lines) and is_noise(lines[following]):
                following = self.next_nonblank(following)
            # a page title: items follow it, or two blank lines set it apart from what follows
            if following < len(lines) and (Q_LINE.match(lines[following])
                                           or self.is_title(following) and not unpunctuated_sentence(lines[following])
                                           or self.is_num_title(following) or following - first > 2):
                self.root = (clean_line_title(lines[first]),)
                i = first + 1
        while i < len(lines):
            i = self.step(i)
        self.close()
        return fold_repeated_posts(self.cards, self.source)

    def step(self, i: int) -> int:
        """Read line `i` and what belongs with it; the index of the next line to read."""
        self.index = i
        if not self.lines[i].strip():
            return i + 1
        for read_at in (self._block, self._labelled, self._headline):
            end = read_at(i)
            if end is not None:
                return end
        return self._body(i)

    def _block(self, i: int) -> int | None:
        """A fence, display math or pasted code inside an answer, or a noise line."""
        raw = self.lines[i]
        s = raw.strip()
        fence = FENCE.match(raw)
        if fence:
            return self.fenced_code(i, fence)
        if self.item is not None and not self.orphan:
            end = self.display_math(i) or self.pasted_code(i)
            if end:
                return end
        if is_noise(s):
            if FILLER.search(s) and self.item is not None and not self.item.subheads:
                self.close()       # a chatbot's closing line ends its answer
                self.group = None
            return i + 1
        return None

    def _labelled(self, i: int) -> int | None:
        """`Q:` / `A:` labels and speaker turns (`You said:`, `ChatGPT said:`)."""
        raw = self.lines[i]
        m = SPEAKER_Q.match(raw)
        if m:
            return self.speaker_question(i, m.group(1).strip())
        m = Q_INLINE.match(raw)
        if m:
            self.open(m.group(1), i)
            self.add_text(m.group(2))
            return i + 1
        m = Q_LINE.match(raw)
        if m and not raw[:1].isspace():
            return self._labelled_question(i, m.group(1).strip())
        m = ANSWER_LINE.match(raw) or SPEAKER_A.match(raw)
        if m and not raw[:1].isspace():
            item = self.item
            if item is None or (item.has_answer and self.gap_before(i) >= 2) or self.orphan:
                self.source.report(self.source.lineno(i), "answer without a question, skipped")
                self.close()
                self.orphan = True
                self.item = None
                return i + 1
            self._mark_intro(i)
            self.add_text(m.group(1))
            return i + 1
        return None

    def _labelled_question(self, i: int, first: str) -> int:
        """A `Q:` line; a long question may wrap onto the next lines, up to its "?" or
        the answer marker."""
        question, j = first, i + 1
        while not question.endswith("?") and j < len(self.lines) and j - i <= 3 and self.lines[j].strip() \
                and not (ANSWER_LINE.match(self.lines[j]) or SPEAKER_A.match(self.lines[j])
                         or self.is_list(self.lines[j])) and "?" in " ".join(self.lines[i:j + 4]):
            question += " " + self.lines[j].strip()
            j += 1
        if not question.endswith("?"):
            question, j = first, i + 1    # no "?" ahead: the lines below answer
        self.open(question, i)
        return j

    def _headline(self, i: int) -> int | None:
        """A run of listed questions, or a column-0 heading, title or question."""
        raw = self.lines[i]
        s = raw.strip()
        run_start = not (i > 0 and self.lines[i - 1].strip() and self.is_list(self.lines[i - 1]))
        if self.is_list(raw) and run_start and self._question_list_at(i):
            return self.question_list(i)
        num_title = self.is_num_title(i)
        if num_title is not None and not raw[:1].isspace():
            return self.numbered_title(i, num_title)
        if self.is_question_line(i):
            item = self.item
            text = strip_signoff(clean_line_title(s))
            if ENGAGEMENT.search(text) and len(words(text)) <= 15 and item is not None and item.has_answer:
                return i + 1       # "Is that something you have wondered about?"
            if self._reader_aside(i, text):
                return i + 1
            section = None
            if item is not None and item.has_answer and item.titled and shared_words(item.question, text) >= 2:
                section = item.section + (item.question,)    # a follow-up question inside a post
            elif self.gap_before(i) >= 2:
                self.group = None
            self.open(text, i, "question", section=section).titled = not s.endswith("?")
            return i + 1
        if self.is_title(i):
            return self.title(i)
        return None

    def _body(self, i: int) -> int:
        """A line of body text: the open item's answer (or the question a topic's first
        line asks)."""
        raw = self.lines[i]
        item = self.item
        if self.gap_before(i) >= 2 and item is not None and item.has_answer and not item.subheads:
            # two blank lines mark a new post or chat answer whose title was not kept
            # (an answer under sub-headings runs on: its closing paragraph often follows them)
            self.close()
            self.group = None
        if self.item is None or self.item.runin:
            split = self.runin(i)
            if split:
                return i + 1
        if self.item is not None and not self.item.has_answer and self.item.kind == "topic" \
                and not self.item.runin and not self.item.parts:
            hook = lead_question(strip_list_marker(raw.strip()))
            if hook and not question_like(self.item.question):
                title = self.item.question
                self.item.question, self.item.kind = hook[0], "question"
                self.item.section = self.item.section + (title,)
                if hook[1]:
                    self.add_text(hook[1])
                return i + 1
        if self.item is not None and not self.orphan:
            self._mark_intro(i)
        self.add_text(raw)
        return i + 1

    def _reader_aside(self, i: int, text: str) -> bool:
        """A short question to the reader closing a post ("What's your go-to method?"):
        right below an answer, about the reader's own habits, and nothing answers it."""
        item = self.item
        if item is None or not item.has_answer or self.orphan or self.gap_before(i) != 1:
            return False
        if len(words(text)) > 15 or not READER_ASIDE.search(text):
            return False
        j = self.next_nonblank(i)
        return (j >= len(self.lines) or self.gap_before(j) >= 2 or is_noise(self.lines[j])
                or self.is_title(j) or self.is_question_line(j) or self.is_num_title(j) is not None)

    def speaker_question(self, i: int, text: str) -> int:
        """`You said:` (or `User:`) and the prompt after it, on the same line or on the
        lines below up to a blank line or the reply's label. Returns the next line."""
        j = i + 1
        if not text:
            taken = []
            while j < len(self.lines) and self.lines[j].strip() and not SPEAKER_A.match(self.lines[j]):
                taken.append(self.lines[j].strip())
                j += 1
            text = " ".join(taken)
        if len(text) > 300:
            # a long prompt (pasted code, context): its last question is what was asked
            asks = re.findall(r"[^.?!]*\?", text)
            text = asks[-1].strip() if asks else text[:300].rsplit(" ", 1)[0] + " …"
        if not text:
            self.source.report(self.source.lineno(i), "speaker label without a prompt, skipped")
            return j
        self.open(text, i)
        return j

    def display_math(self, i: int) -> int:
        """A `$$` or `\\[` line opens display math that runs to its closing line; it is
        kept as one block (blank lines inside would break it). Returns the next line."""
        s = self.lines[i].strip()
        closer = {"$$": "$$", "\\[": "\\]"}.get(s[:2])
        if closer is None or closer in s[2:]:
            return 0               # not display math, or opened and closed on one line
        j = i + 1
        while j < len(self.lines) and j - i <= 40 and not self.lines[j].strip().endswith(closer):
            j += 1
        if j >= len(self.lines) or j - i > 40:
            return 0
        inner = [s[2:]] + [line.strip() for line in self.lines[i + 1:j]] + [self.lines[j].strip()[:-2]]
        self.item.add(Part("math", "\n".join(x for x in inner if x)))
        return j + 1

    def pasted_code(self, i: int) -> int:
        """Code that lost its fence: a block copied from a chat window (`python` /
        `Copy code` / the code) or lines indented by 4+ spaces under a line ending in
        ":". Adds it as a code part and returns the line after it (0 when none)."""
        lines, raw = self.lines, self.lines[i]
        if LANG_LABEL.match(raw) and i + 1 < len(lines) and COPY_CODE.match(lines[i + 1]):
            lang, start, indented = LANG_LABEL.match(raw).group(1).lower(), i + 2, False
        elif COPY_CODE.match(raw):
            lang, start, indented = "", i + 1, False
        else:
            prev = self.next_nonblank_before(i)
            if (len(raw) - len(raw.lstrip(" ")) < 4 or self.is_list(raw) or not self.blank(i - 1)
                    or prev < 0 or not lines[prev].rstrip().endswith(":") or not CODE_SIGN.search(raw)):
                return 0
            lang, start, indented = "", i, True
        j, body = start, []
        while j < len(lines):
            line = lines[j]
            if line.strip():
                margin = len(line) - len(line.lstrip())
                if indented and margin < 4:
                    break
                if not indented and margin == 0 and not CODE_SIGN.search(line) and len(words(line)) >= 3:
                    break          # prose resumes at column 0
            body.append(line)
            j += 1
        while body and not body[-1].strip():
            body.pop()
        if not body:
            return 0
        import textwrap
        code = textwrap.dedent("\n".join(body))
        if not lang:
            lang = "python" if re.search(r"^\s*(?:import |from \S+ import |def |class |print\()", code, re.M) else ""
        self.item.add(Part("code", code, lang="python" if lang == "py" else lang))
        return start + len(body)

    def next_nonblank_before(self, i: int) -> int:
        j = i - 1
        while j >= 0 and not self.lines[j].strip():
            j -= 1
        return j

    def fenced_code(self, i: int, fence: re.Match) -> int:
        """A fenced code block is copied as it is, blank lines and indentation kept."""
        indent, marker, lang = fence.groups()
        j = i + 1
        while j < len(self.lines) and not self.lines[j].strip().startswith(marker):
            j += 1
        if j >= len(self.lines):
            self.add_text(self.lines[i])          # never closed: not a fence after all
            return i + 1
        body = [line[len(indent):] if line.startswith(indent) else line.lstrip() for line in self.lines[i + 1:j]]
        if self.item is not None and not self.orphan:
            self.item.add(Part("code", "\n".join(body), lang=lang))
        return j + 1

    def _mark_intro(self, i: int) -> None:
        """An answer line ending in ":" right before a column-0 heading announces
        sub-headings: from then on those stay inside this answer."""
        s = self.lines[i].strip()
        m = ANSWER_LINE.match(s)
        if m:
            s = m.group(1).strip()     # "A: Three steps:" - an answer that opens with its outline
        if not s.endswith(":") or len(words(s)) < (1 if m else 3):
            return
        j = self.next_nonblank(i)
        if j < len(self.lines) and (self.is_num_title(j) is not None or self.is_title(j)):
            self.item.subheads = True

    def runin(self, i: int) -> bool:
        """In an untitled post, a paragraph (or first bullet) that asks starts an item."""
        raw = self.lines[i]
        text = strip_list_marker(raw.strip())
        if self.is_list(raw) and not self.blank(i - 1):
            return False           # a post opens with its first line, not a mid-list bullet
        lead = lead_question(text)
        if lead and not (ENGAGEMENT.search(lead[0]) and len(words(lead[0])) <= 12 and self.item):
            self.open(lead[0], i, "question", runin=True)
            if lead[1]:
                self.add_text(lead[1])
            return True
        if self.item is None:
            split = split_at_question(text)
            if split is None:
                return False
            self.open(split[1], i, "question", runin=True)
            if split[2]:
                self.add_text(split[2])
            return True
        split = split_at_question(text)
        if split and split[0] and not ENGAGEMENT.search(split[1]):
            self.add_text(split[0])
            self.open(split[1], i, "question", runin=True)
            if split[2]:
                self.add_text(split[2])
            return True
        return False

    def _group_ahead(self, i: int) -> bool:
        """A label heads a group when numbered titles follow it directly (or after
        one orphan paragraph), not after an introduction that ends in ":"."""
        j, content = self.next_nonblank(i), 0
        while j < len(self.lines) and content <= 3:
            s = self.lines[j].strip()
            if self.is_num_title(j) is not None:
                return True
            if self.is_title(j) or self.is_question_line(j) or Q_LINE.match(self.lines[j]):
                return False
            if s.endswith(":") and len(words(s)) >= 6:
                return False
            if self.gap_before(j) < 2:
                return False       # a title owns the text right below it
            content += 1
            j = self.next_nonblank(j)
        return False

    def numbered_title(self, i: int, title: str) -> int:
        """`3. Title` at column 0: an item under a group label (or with nothing open);
        inside an answer organised under sub-headings, one of its sub-headings."""
        item = self.item
        if item is not None and not self.orphan and item.subheads and not self._after_closer(i):
            item.add(Part("head", self.lines[i].strip()))
            return i + 1
        kind = "question" if title.rstrip().endswith("?") else "topic"
        self.open(title, i, kind)
        return i + 1

    def _after_closer(self, i: int) -> bool:
        """The line before `i` is a column-0 closing paragraph of the open answer."""
        j = i - 1
        while j >= 0 and not self.lines[j].strip():
            j -= 1
        prev = self.lines[j] if j >= 0 else ""
        if not prev or prev[:1].isspace() or self.is_list(prev) or prev.strip().endswith(":"):
            return bool(CLOSER.match(strip_list_marker(prev.strip())))
        return len(words(prev)) >= 12 or bool(CLOSER.match(prev.strip()))

    def title(self, i: int) -> int:
        s = self.lines[i].strip()
        item = self.item
        if item is not None and not self.orphan and item.kind == "topic" and not item.parts \
                and unpunctuated_sentence(s):
            self.add_text(self.lines[i])        # a sentence without its final period answers the title
            return i + 1
        if item is not None and not self.orphan and item.subheads and not self._after_closer(i):
            item.add(Part("head", s))
            return i + 1
        if item is not None and not self.orphan and item.has_answer \
                and clean_line_title(s).casefold() in ANSWER_LABELS:
            item.add(Part("head", s))           # "Example:" / "Pros:" inside an answer
            return i + 1
        ahead = not question_like(s) and self._group_ahead(i)
        if item is not None and not self.orphan and not ahead:
            nxt = self.next_nonblank(i)
            listed = nxt < len(self.lines) and self.is_list(self.lines[nxt])
            if s.endswith(":") and (not item.has_answer or listed and self.group is not None):
                item.add(Part("head", s))       # "Clarifying Questions:" inside an answer
                return i + 1
        if ahead:
            self.close()
            self.group = clean_line_title(s)
            return i + 1
        text = clean_line_title(s)
        if self.gap_before(i) >= 2:
            self.group = None      # a title set apart by blank lines ends the numbered group
        self.open(text, i, "question" if question_like(text) else "topic").titled = not s.endswith("?")
        return i + 1

    # ---- lists of bare questions
    def _question_list_at(self, i: int) -> bool:
        run = self._list_run(i)
        if len(run) < 3:
            return False
        texts = [strip_list_marker(self.lines[j].strip()) for j in run]
        asks = sum(1 for t in texts if question_like(t) or lead_question(t) is not None)
        if asks < 0.7 * len(run):
            return False
        bare = sum(1 for t in texts if self._bare_question(t))
        item = self.item
        open_answer = item is not None and item.has_answer and not self.orphan
        if open_answer:
            return len(run) >= 6 and bare >= 0.8 * len(run)
        return len(run) >= 4 or (item is None and bare == len(run))

    def _list_run(self, i: int) -> list[int]:
        run = []
        j = i
        while j < len(self.lines) and self.lines[j].strip() and self.is_list(self.lines[j]):
            run.append(j)
            j += 1
        return run

    @staticmethod
    def _bare_question(text: str) -> bool:
        """A question followed by nothing but links (or nothing)."""
        q = text.rfind("?")
        if q < 0:
            return question_like(text)
        tail = strip_signoff(text[q + 1:])
        return not tail.strip() or only_links(tail) or bool(re.match(r"\s*\d+[.)]\s", tail))

    def question_list(self, i: int) -> int:
        run = self._list_run(i)
        base = self.section()
        item = self.item
        if item is not None and not item.has_answer:
            # the title and labels right above the list name its section; a real
            # question above it stays a card of its own (one that introduces "the
            # following questions" does not)
            labels = [clean_line_title(p.text) for p in item.parts if p.kind == "head"]
            if item.kind == "question" and not INTRO_QUESTION.search(item.question):
                self.item = Item(item.question, item.line, item.kind, item.section)
                self.close()
            else:
                labels.insert(0, item.question)
            base = self.root + tuple(x for x in labels if x and len(x) <= 60 and not x.endswith("?"))
            self.item = None
        self.close()
        self.group = None
        label: tuple[str, ...] = ()
        for j in run:
            text = strip_signoff(strip_list_marker(self.lines[j].strip()))
            for piece in re.split(r"(?<=\S)\s+(?=\d{1,2}\.\s+[A-Z])", text):
                label = self._question_piece(piece, j, base, label)
        return run[-1] + 1

    def _question_piece(self, piece: str, j: int, base: tuple[str, ...],
                        label: tuple[str, ...]) -> tuple[str, ...]:
        piece = re.sub(r"^\d{1,2}\.\s+", "", piece).strip()
        trailing = re.search(r"(?:^|\s)([A-Z][\w]*(?: [\w]+){0,2}):\s*$", piece)
        next_label = label
        if trailing and (trailing.start() == 0 or re.search(r"[?.]$|\S/\S*$|\d$", piece[:trailing.start()])):
            next_label = (trailing.group(1).strip(),)
            piece = piece[:trailing.start()].strip()
        sub = re.match(r"^([A-Z][\w ]{0,30}):\s+(?=[a-h]\.\s)", piece)
        if sub:
            sublabel = label + (sub.group(1),) if label else (sub.group(1),)
            for part in re.split(r"\s+(?=[a-h]\.\s+[A-Z])", piece[sub.end():]):
                self._bare_item(re.sub(r"^[a-h]\.\s+", "", part), j, base + sublabel)
            return next_label
        self._bare_item(piece, j, base + label)
        return next_label

    def _bare_item(self, text: str, j: int, section: tuple[str, ...]) -> None:
        links = URL.findall(text)
        first_link = URL.search(text)
        if first_link and "?" in text[:first_link.start()]:
            text = text[:text.rfind("?", 0, first_link.start()) + 1]   # drop the outro after the links
        question = URL.sub("", text)
        question = re.sub(r"(?i)\banswer here\s*:?\s*$", "", question.strip())
        question = re.sub(r"[\s,;:]+$", "", question).strip()
        asks = "?" in question or INTERROGATIVE.match(question) or IMPERATIVE.match(question)
        if not question or not asks:
            if question:
                self.source.report(self.source.lineno(j), f"not a question, skipped: {question[:60]!r}")
            return
        answer = ", ".join(link.rstrip(".,;") for link in links)
        self.cards.append(Card(question=" ".join(question.split()), answer=answer, source=self.source.name,
                               line=self.source.lineno(j), section=self.source.section_prefix + section,
                               answered=False, kind="question"))


def fold_repeated_posts(cards: list[Card], source: Source) -> list[Card]:
    """Keep one card for a post pasted twice under different titles: answers that
    are nearly the same text (re-wrapped, a line dropped) fold into the first card,
    which keeps the longer answer."""
    import bisect
    from dataclasses import replace

    from rapidfuzz import fuzz

    by_length: list[tuple[int, int]] = []      # (length of plain answer, index), sorted
    out: dict[int, Card] = {}
    plain: dict[int, str] = {}
    for index, card in enumerate(cards):
        text = marks_removed(card.answer).casefold() if card.answered and len(card.answer) >= 200 else ""
        match = None
        if text:
            lo = bisect.bisect_left(by_length, (int(len(text) * 0.8), -1))
            hi = bisect.bisect_right(by_length, (int(len(text) / 0.8) + 1, len(cards)))
            for _, other in by_length[lo:hi]:
                if fuzz.ratio(plain[other], text, score_cutoff=90):
                    match = other
                    break
        if match is None:
            out[index] = card
            if text:
                plain[index] = text
                bisect.insort(by_length, (len(text), index))
            continue
        first = out[match]
        source.report(card.line, f"repeats the post at line {first.line}; folded")
        if len(card.answer) > len(first.answer):
            out[match] = replace(first, answer=card.answer)
    return [out[i] for i in sorted(out)]


def shared_words(a: str, b: str) -> int:
    """How many content words (4+ letters) two lines share."""
    def content(text: str) -> set[str]:
        return {w for w in re.findall(r"[a-z]{4,}", text.casefold())
                if w not in {"what", "which", "when", "where", "there", "their", "that", "this", "with",
                             "from", "have", "does", "your", "would", "could", "should", "about", "into"}}
    return len(content(a) & content(b))


def strip_list_marker(text: str) -> str:
    part = list_part(text)
    return part.text.strip() if part else text.strip()


def read(source: Source) -> Iterator[Card]:
    from deckgen.readers import safely
    from deckgen.readers.accounting import account_by_words

    cards = safely(NAME, source, _Reader(source).run)
    account_by_words(source, cards)
    yield from cards
