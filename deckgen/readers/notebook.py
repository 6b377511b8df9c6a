"""Jupyter notebooks: one code card per exercise.

An exercise is a run of cells under a title (a markdown heading, or the first
markdown sentence when there is none). The question says what is implemented; the
answer is the exercise's non-empty code cells in one fenced block. Markdown cells
are context (they name the exercise), outputs are never read (base64 images, logs).

Notebooks inside repo dumps are often not valid JSON as a whole (newlines and
indentation collapsed, text spliced in from other files), so when `json.loads`
fails the cells are recovered by a tolerant scan of `"cell_type"` keys and
`"source": [...]` string arrays, with a diagnostic.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from deckgen.readers.titles import clean_cell_title
from deckgen.card import Card, Source
from deckgen.text.code import RESTORED_TAG, parses, reindent_python

NAME = "notebook"
SNIFF_MAX = 0.95  # the highest score sniff() gives (pick() relies on it)

_CELL_TYPE = re.compile(r'(?<!\\)"cell_type"\s*:\s*"(\w+)"')
_SOURCE_KEY = re.compile(r'(?<!\\)"(?:source|input)"\s*:\s*')
# A JSON string literal on one line; an unterminated one runs to the end of the line.
_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)("|$)', re.M)
_FILLER = re.compile(r"(?:[\s,]|(?<!\S)\d{1,6} \|(?=\s|$))+")
_ESCAPE = re.compile(r'\\(u[0-9a-fA-F]{4}|.)', re.S)
_ESCAPES = {"n": "\n", "t": "\t", "r": "", "b": "", "f": "", '"': '"', "\\": "\\", "/": "/"}
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$")
_HEADING_TAIL = " \t\r\f\v#"  # a closing "###" and trailing spaces are no part of the title
_DEFINES = re.compile(r"^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+([A-Za-z_]\w*)", re.M)
_DEF_START = re.compile(r"^\s*(?:async\s+)?def\s+\w+\s*\(")
_PLACEHOLDER_BODY = re.compile(r"^\s*(?:pass|\.\.\.|raise\s+NotImplementedError.*|return)\s*(?:#.*)?$")
# Headings that name a step of an exercise, not a new exercise.
_STEP_LABELS = {
    "code", "solution", "implementation", "test", "tests", "testing", "example", "examples", "usage",
    "example usage", "demo", "visualize", "visualise", "visualization", "visualisation", "plot",
    "plots", "plotting", "results", "result", "output", "evaluation", "evaluate", "optimization",
    "optimisation", "optimized version", "optimised version", "follow ups", "follow-ups",
    "followups", "follow up", "notes", "note", "references", "setup", "imports", "data",
    "dataset", "generate data", "helpers", "helper functions", "utils", "answer", "run",
    "sanity check", "check", "complexity", "discussion", "summary", "explanation",
}
_STEP_PREFIXES = ("test ", "testing ", "example ", "plot ", "visualiz", "visualis", "usage ")
# Titles that are bare abbreviations of a well-known algorithm.
_EXPANSIONS = {
    "knn": "k-nearest neighbors (KNN)", "k-nn": "k-nearest neighbors (KNN)",
    "kmeans": "k-means clustering", "k-means": "k-means clustering", "k means": "k-means clustering",
    "svm": "a support vector machine (SVM)", "svms": "support vector machines (SVMs)",
    "pca": "principal component analysis (PCA)", "mlp": "a multilayer perceptron (MLP)",
    "cnn": "a convolutional neural network (CNN)", "rnn": "a recurrent neural network (RNN)",
    "lstm": "an LSTM cell", "gmm": "a Gaussian mixture model (GMM)", "em": "expectation maximization (EM)",
    "lin regression": "linear regression", "lin reg": "linear regression", "linreg": "linear regression",
    "log regression": "logistic regression", "log reg": "logistic regression",
    "logreg": "logistic regression", "tf-idf": "TF-IDF", "tfidf": "TF-IDF",
    "nb": "naive Bayes", "gd": "gradient descent", "sgd": "stochastic gradient descent (SGD)",
}
# "K-means clustering is a ...", "A decision tree is a type of ...": a definition names the subject.
_DEFINITION = re.compile(r"^\s*((?:an?|the)\s+)?([^.:;!?\n]{2,70}?)\s+(?:is|are)\s+\w",
                         re.I)
_TASK_PREFIX = re.compile(r"^(?:\*\*)?(?:(?:Q|Question|Exercise|Task|Problem|Ex)\s*(?:\d+\s*)?[.:)-]|\d{1,3}(?:\*\*)?[.)])"
                          r"(?:\*\*)?\s+", re.I)
# A short markdown cell that opens with one of these states a task.
_TASK_VERB = re.compile(r"^(?:implement|write|create|compute|calculate|find|build|define|generate|given|return|"
                        r"reverse|sort|count|convert|normalize|normalise|make|construct|code|design|solve|"
                        r"derive|simulate|vectorize|vectorise|estimate|extract|determine|initialize|"
                        r"initialise|replace|multiply|stack|reshape|split|merge|select)\b", re.I)
_ASKS = re.compile(r"^(?:implement|write|code|build|create|compute|calculate|define|make|find|given|generate|"
                   r"return|how|what|why|which|when|can|could|use|train|load|convert|count|sort|reverse|"
                   r"normalize|explain|derive|design|solve)\b", re.I)
_CLASS_MENTION = re.compile(r"\b(?:the\s+)?`?([A-Z][A-Za-z0-9]+)`?\s+class\b")
_METHOD_MENTION = re.compile(r"^[ \t]*(?:[-*][ \t]*)?`?([a-z_][a-z0-9_]*)\(self\b", re.M)


@dataclass
class Cell:
    kind: str  # "code", "markdown" or "raw"
    text: str
    line: int
    cut: bool = False  # its source list was broken off (a dump spliced another file in)


@dataclass
class Exercise:
    title: str = ""
    prompt: str = ""  # a task stated in full ("Create a 3x3 identity matrix"): the question as is
    title_line: int = 0
    level: int = 0
    parents: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    note_line: int = 0
    code: list[Cell] = field(default_factory=list)
    scope: tuple = ()  # the open headings (_Section) when it started: they carry its difficulty
    own_difficulty: str | None = None  # a `Difficulty:` line in the task's own cell

    @property
    def difficulty(self) -> str | None:
        return self.own_difficulty or next((s.difficulty for s in reversed(self.scope) if s.difficulty), None)

    @property
    def has_code(self) -> bool:
        return any(c.text.strip() for c in self.code)


def sniff(text: str) -> float:
    """Sure for a JSON object with notebook cells; notes that merely quote notebook
    JSON in a code block start with text, not "{". (.ipynb files skip sniffing.)"""
    head = text[:5000].lstrip("\ufeff \t\r\n")
    if head.startswith("{") and _CELL_TYPE.search(head):
        return SNIFF_MAX
    if head.startswith("{") and '"nbformat"' in text[-2000:]:
        return 0.6
    return 0.0


def read(source: Source) -> Iterator[Card]:
    cells, language = _cells(source)
    if not cells:
        source.report(None, "notebook has no code or markdown cells; no cards")
        return
    made = 0
    for exercise in _merge_follow_ups(_exercises(cells)):
        card = _card(source, exercise, language)
        if card is not None:
            made += 1
            yield card
    if not made:
        source.report(None, f"notebook has {len(cells)} cells but no code exercise; no cards")


# --- cells ------------------------------------------------------------------------------

def _cells(source: Source) -> tuple[list[Cell], str]:
    text = source.text
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_at(pos: int) -> int:
        return source.lineno(bisect_right(line_starts, pos) - 1)

    try:
        notebook = json.loads(text)
    except (ValueError, RecursionError) as err:
        notebook = None
        where = line_at(getattr(err, "pos", 0) or 0)
        source.report(where, f"notebook is not valid JSON ({getattr(err, 'msg', err)}); "
                             "cells recovered by a line-by-line scan")
    if isinstance(notebook, dict):
        cells = _cells_from_json(notebook, text, line_at)
        if cells is not None:
            return cells, _language(notebook)
    return _scan_cells(source, text, line_at), "python"


def _cells_from_json(notebook: dict, text: str, line_at) -> list[Cell] | None:
    raw = notebook.get("cells")
    if raw is None:  # nbformat 3 kept cells in worksheets
        raw = [c for ws in notebook.get("worksheets") or [] if isinstance(ws, dict)
               for c in ws.get("cells") or []]
    if not isinstance(raw, list):
        return None
    # Lines come from the positions of the "cell_type" keys, in the same order as the cells.
    positions = [m.start() for m in _CELL_TYPE.finditer(text)]
    cells = []
    for index, cell in enumerate(raw):
        if not isinstance(cell, dict):
            continue
        body = cell.get("source", cell.get("input", ""))
        if isinstance(body, list):
            body = "".join(part for part in body if isinstance(part, str))
        if not isinstance(body, str):
            continue
        line = line_at(_text_start(text, positions[index])) if index < len(positions) else 1
        kind = str(cell.get("cell_type", ""))
        if kind == "heading":  # nbformat 3 kept headings in cells of their own
            level = cell.get("level") if isinstance(cell.get("level"), int) else 1
            kind, body = "markdown", "#" * max(1, min(level, 6)) + " " + body
        cells.append(Cell(kind, body, line))
    return cells


def _language(notebook: dict) -> str:
    meta = notebook.get("metadata") if isinstance(notebook.get("metadata"), dict) else {}
    for key in ("language_info", "kernelspec"):
        info = meta.get(key)
        if isinstance(info, dict):
            name = info.get("name") if key == "language_info" else info.get("language")
            if isinstance(name, str) and re.fullmatch(r"[\w+#.-]{1,20}", name):
                return name.lower()
    return "python"


def _scan_cells(source: Source, text: str, line_at) -> list[Cell]:
    """Recover cells from text that is not valid JSON: each `"cell_type"` key opens a
    cell, the next `"source": [...]` array (or string) is its text."""
    cells: list[Cell] = []
    kind = "code"  # a fragment may start inside a cell whose type was cut off
    pos = 0
    while True:
        type_match = _CELL_TYPE.search(text, pos)
        source_match = _SOURCE_KEY.search(text, pos)
        if source_match is None:
            break
        if type_match is not None and type_match.start() < source_match.start():
            kind = type_match.group(1)
            pos = type_match.end()
            continue
        start = source_match.end()
        parts, pos, closed = _scan_strings(text, start)
        if not closed:
            source.report(line_at(start), "notebook cell source is not a closed list of strings; "
                                          "read up to the break")
        first = text.find('"', start, start + 1000)
        cells.append(Cell(kind, "".join(parts), line_at(first if first >= 0 else start), cut=not closed))
        kind = "code"
    return cells


def _text_start(text: str, pos: int) -> int:
    """Where the cell's first source string starts (its line is the card's line)."""
    key = _SOURCE_KEY.search(text, pos, pos + 100000)
    if key is None:
        return pos
    quote = text.find('"', key.end(), key.end() + 1000)
    return quote if quote >= 0 else key.end()


def _scan_strings(text: str, pos: int) -> tuple[list[str], int, bool]:
    """The strings of a `[...]` array (or one string) at `pos`: (strings, end, closed)."""
    if text.startswith('"', pos):
        m = _STRING.match(text, pos)
        return [_unescape(m.group(1))], m.end(), m.group(2) == '"'
    if not text.startswith("[", pos):
        return [], pos, False
    pos += 1
    parts: list[str] = []
    while True:
        filler = _FILLER.match(text, pos)
        if filler:
            pos = filler.end()
        if pos >= len(text):
            return parts, pos, False
        if text[pos] == "]":
            return parts, pos + 1, True
        m = _STRING.match(text, pos)
        if m is None:
            return parts, pos, False
        parts.append(_unescape(m.group(1)))
        pos = m.end()
        if m.group(2) != '"':
            return parts, pos, False


def _unescape(body: str) -> str:
    try:
        return json.loads(f'"{body}"')
    except ValueError:
        def one(m: re.Match) -> str:
            esc = m.group(1)
            if esc.startswith("u") and len(esc) == 5:
                return chr(int(esc[1:], 16))
            return _ESCAPES.get(esc, esc)

        return _ESCAPE.sub(one, body)


# --- exercises --------------------------------------------------------------------------

def _heading(text: str) -> tuple[int, str, str] | None:
    """(level, title, rest) when the cell's first non-empty line is a heading."""
    lines = text.strip("\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return None
    m = _HEADING.match(lines[0])
    if not m:
        return None
    title = _clean_title(m.group(2).rstrip(_HEADING_TAIL))
    return (len(m.group(1)), title, "\n".join(lines[1:]).strip()) if title else None


def _clean_title(title: str) -> str:
    """A cell heading as a title, without an exercise label (`Q3.`, `Task 2:`)."""
    return " ".join(_TASK_PREFIX.sub("", clean_cell_title(title)).split()).rstrip(":").strip()


def _task(text: str) -> str:
    """The task a short markdown cell states ("2. Reverse a list in place", "How would
    you batch this?"), or "" for explanations and notes."""
    text = " ".join(text.split())
    if not text or len(text) > 300:
        return ""
    numbered = _TASK_PREFIX.match(text)
    body = text[numbered.end():] if numbered else text
    body = re.sub(r"[*_]{2}", "", body).strip().rstrip(":").strip()
    if len(body) < 6 or body.startswith("$"):
        return ""
    if numbered or body.endswith("?") or _TASK_VERB.match(body):
        return body
    return ""


def _tasks_in(text: str) -> list[str]:
    """The tasks of a cell that lists several ("**1)** Make …" / "**2)** Reverse …"), each
    with the lines under it; [] when the cell states one task or none."""
    tasks: list[list[str]] = []
    for line in text.split("\n"):
        if _TASK_PREFIX.match(line.strip()):
            tasks.append([line.strip()])
        elif tasks and line.strip():
            tasks[-1].append(line.strip())
    found = [_task(" ".join(lines)) for lines in tasks]
    return found if len(found) >= 2 and all(found) else []


_TASK_COMMENT = re.compile(r"^\s*(?:#+|//)\s*(?:Task|Exercise|Problem|Question|Q|Ex)\s*(?:\d{1,3}\s*)?[:.)-]\s*"
                           r"(.{6,200}?)\s*$",
                           re.I)


def _labelled_task(code: str) -> str:
    """The task a code cell states in a labelled comment on its first line ("# Task: ...")."""
    first = next((line for line in code.split("\n") if line.strip()), "")
    m = _TASK_COMMENT.match(first)
    if not m:
        return ""
    task = m.group(1).rstrip(".:")
    return task[0].upper() + task[1:]


_LABEL_TITLE = re.compile(r"^(?:Q|Question|Exercise|Task|Problem|Ex|Part|Challenge)(?:\s*#)?"
                          r"(?:\s*(?:\d{1,3}[a-z]?|[a-z]))?\s*[.:)-]?$",
                          re.I)


def _label_heading(text: str) -> tuple[bool, str]:
    """(True, text below it) when the cell opens with a bare numbering heading ("## Exercise 3")."""
    lines = text.strip("\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    m = _HEADING.match(lines[0]) if lines else None
    if not m:
        return False, ""
    title = re.sub(r"<[^<>]+>|[*_`]", "", m.group(2).rstrip(_HEADING_TAIL)).strip()
    if not _LABEL_TITLE.match(title):
        return False, ""
    return True, "\n".join(lines[1:]).strip()


def _statement(text: str) -> str:
    """A task statement: the cell's first paragraph, when it is short enough to ask."""
    paragraph = re.split(r"\n\s*\n", text.strip(), maxsplit=1)[0]
    paragraph = " ".join(re.sub(r"[*_]{2}", "", paragraph).split()).rstrip(":")
    if not paragraph or len(paragraph) > 300 or paragraph.startswith(("#", "$", "!", "|", "```")):
        return ""
    return paragraph[0].upper() + paragraph[1:]


def _is_step_label(title: str) -> bool:
    key = re.sub(r"[^\w\s-]", "", title.casefold()).strip()
    return key in _STEP_LABELS or key.startswith(_STEP_PREFIXES)


_DIFFICULTY = re.compile(r"^[ \t>*_-]*(?:difficulty|level)[ \t*_]*[:=][ \t*_]*"
                         r"(easy|medium|hard|beginner|intermediate|advanced)\b[^\n]*$", re.I | re.M)
_LEVELS = {"beginner": "easy", "intermediate": "medium", "advanced": "hard"}


@dataclass(eq=False)
class _Section:
    """A heading open above the cells that follow it; a `Difficulty:` line under it sets
    the difficulty of its tasks (and of the tasks of its sub-sections)."""

    level: int
    title: str
    difficulty: str | None = None


def _take_difficulty(text: str) -> tuple[str, str | None]:
    """The cell's text without its `Difficulty: …` line, and the level it names."""
    m = _DIFFICULTY.search(text)
    if m is None:
        return text, None
    word = m.group(1).lower()
    return (text[:m.start()] + text[m.end():]).strip("\n"), _LEVELS.get(word, word)


class _Builder:
    """Cells to exercises. Headings form a stack: a heading closes every open heading at
    its level or deeper, so sibling `##` sections replace each other and never nest."""

    def __init__(self) -> None:
        self.exercises: list[Exercise] = []
        self.current: Exercise | None = None
        self.sections: list[_Section] = [_Section(0, "")]
        self.awaiting = False  # a bare "## Exercise 3" heading waits for the cell that states the task
        self.pending: list[Exercise] = []  # tasks listed in one cell that wait for their solution cells

    def path(self) -> tuple[str, ...]:
        return tuple(s.title for s in self.sections if s.title)

    def start(self, **fields) -> Exercise:
        fields.setdefault("parents", self.path())
        self.current = Exercise(scope=tuple(self.sections), **fields)
        self.exercises.append(self.current)
        return self.current

    def run(self, cells: list[Cell]) -> list[Exercise]:
        for cell in cells:
            if cell.kind == "code":
                self.code(cell)
            elif cell.kind == "markdown":
                text, difficulty = _take_difficulty(cell.text)
                made = self.markdown(Cell(cell.kind, text, cell.line)) if text.strip() or not difficulty else ""
                if made in ("label", "task", "heading"):
                    self.pending = []     # a new task or section: listed tasks wait no longer
                if difficulty and made == "task":
                    self.current.own_difficulty = difficulty      # "**3.** … Difficulty: hard"
                elif difficulty:
                    self.sections[-1].difficulty = difficulty     # the section's tasks (its heading is on top)
        return self.exercises

    def code(self, cell: Cell) -> None:
        if self.pending and self.current is not None and self.current.has_code:
            self.current = self.pending.pop(0)    # the next solution cell answers the next listed task
        current, task = self.current, _labelled_task(cell.text)
        if task and (current is None or current.has_code):
            # "# Exercise 2: ..." opening a code cell starts the next exercise
            current = self.start(prompt=task, title_line=cell.line)
        elif task and not current.prompt and not current.title:
            current.prompt, current.title_line = task, cell.line
        if current is None:
            current = self.start()
        current.code.append(cell)

    def markdown(self, cell: Cell) -> str:
        """Read one markdown cell; returns what it was ("label", "task", "note" or "heading")."""
        label, rest = _label_heading(cell.text)
        if label:
            self.label(cell, rest)
            return "label"
        heading = _heading(cell.text)
        tasks = _tasks_in(heading[2] if heading else cell.text)
        if tasks:
            self.listed_tasks(cell, heading, tasks)
            return "tasks"
        current = self.current
        if self.awaiting and current is not None and not current.code and _heading(cell.text) is None:
            self.awaiting = False
            statement = _statement(cell.text)
            if statement:
                current.prompt = statement
                return "task"
        self.awaiting = False
        heading = _heading(cell.text)
        task = _task(cell.text) if heading is None else ""
        if task:
            self.task(cell, task)
            return "task"
        if heading is None or _is_step_label(heading[1]):
            self.note(cell, heading[2] if heading else cell.text.strip())
            return "note"
        self.heading(cell, *heading)
        return "heading"

    def listed_tasks(self, cell: Cell, heading: tuple[int, str, str] | None, tasks: list[str]) -> None:
        """One exercise per listed task; the code cells that follow answer them in order."""
        if heading:
            level, title, _ = heading
            while len(self.sections) > 1 and self.sections[-1].level >= level:
                self.sections.pop()
            self.sections.append(_Section(level, title))
        listed = [self.start(prompt=task, title_line=cell.line) for task in tasks]
        self.current, self.pending = listed[0], listed[1:]

    def label(self, cell: Cell, rest: str) -> None:
        """"## Question 2" (+ the task below it): the label numbers the exercise, the text states it."""
        current = self.current
        if current is None or current.has_code or current.prompt:
            current = self.start()
        elif current.title:
            current.parents, current.title = self.path(), ""
        current.title_line = cell.line
        current.prompt = _statement(rest) if rest else ""
        self.awaiting = not rest

    def task(self, cell: Cell, task: str) -> None:
        current = self.current
        if current is None or current.has_code:
            current = self.start()
        elif current.title:  # "# NumPy drills" then "1. Create ...": the title becomes the section
            current.parents, current.title = self.path(), ""
        current.prompt, current.title_line = task, cell.line

    def note(self, cell: Cell, body: str) -> None:
        current = self.current or self.start()
        if body:
            if not current.notes:
                current.note_line = cell.line
            current.notes.append(body)

    def heading(self, cell: Cell, level: int, title: str, rest: str) -> None:
        while len(self.sections) > 1 and self.sections[-1].level >= level:
            self.sections.pop()
        parents = self.path()
        self.sections.append(_Section(level, title))
        current = self.current
        if current is not None and not current.code and (current.title or current.prompt):
            # a heading with no code yet names the exercise instead ("# Convolution" > "## 2D");
            # an earlier task becomes context
            current.title, current.title_line, current.level, current.parents = title, cell.line, level, parents
            current.notes = [n for n in (current.prompt, rest) if n]
            current.prompt, current.note_line, current.scope = "", cell.line, tuple(self.sections)
        elif current is not None and not current.code and not current.title:
            current.title, current.title_line, current.level = title, cell.line, level
            current.parents, current.scope = parents, tuple(self.sections)
            if rest:
                current.notes.append(rest)
        else:
            self.start(title=title, title_line=cell.line, level=level, parents=parents,
                       notes=[rest] if rest else [], note_line=cell.line)


def _exercises(cells: list[Cell]) -> list[Exercise]:
    return _Builder().run(cells)


def _defined(exercise: Exercise) -> set[str]:
    return {name for c in exercise.code for name in _DEFINES.findall(c.text)}


def _merge_follow_ups(exercises: list[Exercise]) -> list[Exercise]:
    """A titled part whose code only redefines or exercises what the previous part
    defined (an optimized version, a test on other data) continues that exercise."""
    out: list[Exercise] = []
    for ex in exercises:
        prev = out[-1] if out else None
        if prev is not None and prev.has_code and ex.has_code:
            before, mine = _defined(prev), _defined(ex)
            code = "\n".join(c.text for c in ex.code)
            uses_previous = any(re.search(rf"\b{re.escape(n)}\s*\(", code) for n in before)
            if before and ((mine and mine <= before) or (not mine and uses_previous)):
                prev.code.extend(ex.code)
                continue
        out.append(ex)
    return out


# --- cards ------------------------------------------------------------------------------

def _card(source: Source, ex: Exercise, language: str) -> Card | None:
    python = language in ("python", "python3", "py")
    cells = [(_mend(source, c, python), c) for c in ex.code]
    code_cells = [text for (text, _), _ in cells if text]
    restored = any(done for (_, done), _ in cells)
    if not code_cells and ex.prompt:
        # a task stated with no solution cell is an unanswered exercise, not nothing
        return Card(question=ex.prompt, answer="", source=source.name, line=ex.title_line,
                    section=source.section_prefix + ex.parents, kind="code", answered=False,
                    difficulty=ex.difficulty)
    if not code_cells and not (ex.title and ex.code):
        return None  # explanation only (or a title with no code cell at all): nothing to practise
    question = _question(ex, code_cells)
    if not question:
        return None
    code = "\n\n".join(code_cells)
    line = ex.title_line or ex.note_line or (ex.code[0].line if ex.code else 1)
    answered = bool(code_cells) and not _is_stub(code)
    missing = _used_not_defined(code) if answered and not ex.prompt else []
    if missing:
        # "Implement X from scratch" over a cell that only calls X(): the implementation was lost
        answered = False
        source.report(line, f"line {line}: the code of '{question[:60]}' only uses {', '.join(missing)}, "
                            "which the notebook never defines; kept as an unanswered card")
    fence = "```" if "```" not in code else "~~~~"
    answer = f"{fence}{language}\n{code}\n{fence}" if code_cells and (answered or missing) else ""
    return Card(question=question, answer=answer, source=source.name, line=line,
                section=source.section_prefix + ex.parents, kind="code", answered=answered,
                difficulty=ex.difficulty, tags=(RESTORED_TAG,) if restored else ())


def _mend(source: Source, cell: Cell, python: bool) -> tuple[str, bool]:
    """(code, indentation restored): a cell's code tidied; a flattened Python cell gets its
    indentation back, and a cut cell loses a last line that the cut damaged."""
    code = _tidy_code(cell.text)
    if not python or not code:
        return code, False
    if cell.cut and not parses(code) and "\n" in code:
        head, last = code.rsplit("\n", 1)
        if parses(head) or reindent_python(head) is not None:
            source.report(cell.line, f"cell at line {cell.line} was cut off in the dump; its last line "
                                     f"{last.strip()[:60]!r} is damaged and left out")
            code = head.rstrip()
    restored = reindent_python(code)
    return (restored, True) if restored is not None else (code, False)


_IMPORTED = re.compile(r"^[ \t]*(?:from[ \t]+\S+[ \t]+)?import[ \t]+(.+)$", re.M)
_CALLED_CLASS = re.compile(r"\b([A-Z][A-Za-z0-9_]*[a-z][A-Za-z0-9_]*)\(")


def _used_not_defined(code: str) -> list[str]:
    """Classes the code calls but neither defines nor imports (when it defines nothing)."""
    if _DEFINES.search(code):
        return []
    imported = {name.split(".")[-1] for m in _IMPORTED.finditer(code)
                for name in re.findall(r"(?<![\w.])[\w.]+(?=\s*(?:,|$|\)))", m.group(1).replace(" as ", ","))}
    assigned = set(re.findall(r"^[ \t]*([A-Z]\w*)[ \t]*=", code, re.M))
    called = dict.fromkeys(_CALLED_CLASS.findall(code))
    return [name for name in called if name not in imported | assigned
            and not name.endswith(("Error", "Exception", "Warning"))]


def _tidy_code(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue  # no leading blank lines, no runs of blank lines
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _is_stub(code: str) -> bool:
    """True when at least half of the functions have no real body (only `pass`,
    `...`, `raise NotImplementedError`, or nothing before the next definition)."""
    lines = [line for line in code.split("\n") if line.strip() and not line.strip().startswith("#")]
    defs = empty = 0
    for i, line in enumerate(lines):
        if not (_DEF_START.match(line) and line.rstrip().endswith(":")):
            continue
        defs += 1
        body = []
        for following in lines[i + 1:]:
            if re.match(r"^\s*(?:async\s+)?(?:def|class)\s", following):
                break
            body.append(following)
            if len(body) > 1:
                break
        if not body or (len(body) == 1 and _PLACEHOLDER_BODY.match(body[0])):
            empty += 1
    return defs > 0 and empty * 2 >= defs


def _question(ex: Exercise, code_cells: list[str]) -> str:
    if ex.prompt:
        return ex.prompt
    subject = _subject(ex)
    notes = "\n".join(ex.notes)
    code = "\n".join(code_cells)
    classes = re.findall(r"^[ \t]*class[ \t]+([A-Za-z_]\w*)", code, re.M) or _CLASS_MENTION.findall(notes)
    if subject:
        if _ASKS.match(subject) or subject.endswith("?"):
            return subject[0].upper() + subject[1:]
        # the class name tells which interface to write
        named = {w.rstrip("s") for w in re.findall(r"\w+", subject.casefold())}
        hint = f" ({classes[0]})" if classes and classes[0].casefold().rstrip("s") not in named else ""
        return f"Implement {subject} from scratch{hint}"
    # no title and no definition: a comment that states the task, else the class or
    # function the code defines
    for comment in re.findall(r"^[ \t]*#+[ \t]*(.{8,160}?)[ \t]*$", code, re.M)[:3]:
        task = _task(comment)
        if task:
            return task[0].upper() + task[1:]
    if classes:
        name = classes[0]
        words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()
        methods = [m for m in dict.fromkeys(re.findall(r"^[ \t]*def[ \t]+([a-z]\w*)[ \t]*\(", code, re.M)
                                            + _METHOD_MENTION.findall(notes))
                   if not m.startswith("_")]
        detail = f" with {', '.join(methods[:5])}" if methods else ""
        return f"Implement {words} from scratch ({name} class{detail})"
    functions = re.findall(r"^[ \t]*def[ \t]+([A-Za-z]\w*)[ \t]*\(", code, re.M)
    if functions:
        return f"Implement {functions[0]}()"
    comment = re.search(r"^[ \t]*#[ \t]*(.{8,120})$", code, re.M)
    if comment:
        return comment.group(1).strip().rstrip(".:")
    return ""


def _subject(ex: Exercise) -> str:
    """What the exercise implements: its title (abbreviations spelled out), widened by
    a definition sentence in its notes ("K-means clustering is ...")."""
    title = ex.title
    definition = ""
    for note in ex.notes[:2]:
        text = re.sub(r"[*_`]", "", note.strip())
        m = _DEFINITION.match(text)
        if m:
            definition = ((m.group(1) or "") + m.group(2)).strip()
            break
    if title:
        if definition and _bare(definition).casefold().startswith(_bare(title).casefold()):
            return _lower_article(definition)
        return _EXPANSIONS.get(title.casefold(), _sentence_case(title))
    return _lower_article(definition)


def _sentence_case(title: str) -> str:
    """"Mean squared error" -> "mean squared error"; names and acronyms keep their case."""
    words = title.split()
    if re.fullmatch(r"[A-Z][a-z]+(?:-[a-z]+)*", words[0]) and not any(re.match(r"[A-Z]", w) for w in words[1:]):
        return title[0].lower() + title[1:]
    return title


def _bare(text: str) -> str:
    return re.sub(r"(?i)^(?:an?|the)\s+", "", text)


def _lower_article(text: str) -> str:
    return re.sub(r"^(An?|The)\s", lambda m: m.group(0).lower(), text)
