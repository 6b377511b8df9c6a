"""The one record every reader makes and every writer reads."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

KINDS = ("question", "topic", "code")
DIFFICULTIES = ("easy", "medium", "hard")


@dataclass(frozen=True, slots=True)
class Card:
    """One question/answer item.

    `answer` is CommonMark markdown. `source` names the file (and, for a repo dump,
    the inner path after "::"). `id` is filled in by the deck (see `card_id`).
    """

    question: str
    answer: str = ""
    source: str = ""
    line: int = 0
    section: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    difficulty: str | None = None
    kind: str = "question"
    answered: bool = True
    id: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {self.kind!r}")
        if self.difficulty is not None and self.difficulty not in DIFFICULTIES:
            raise ValueError(f"difficulty must be one of {DIFFICULTIES} or None, not {self.difficulty!r}")

    def to_dict(self) -> dict:
        """The export record: exactly the keys `deckgen export` promises."""
        return {
            "id": self.id,
            "question": self.question,
            "answer": self.answer,
            "source": self.source,
            "line": self.line,
            "section": list(self.section),
            "tags": list(self.tags),
            "difficulty": self.difficulty,
            "kind": self.kind,
            "answered": self.answered,
        }


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem found while reading: reported, never raised."""

    file: str
    line: int | None
    message: str
    severity: str = "warning"  # "warning": something skipped; "error": the file could not be read

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity}: {self.message}"


_PUNCT_EDGES = " \t.:;?!,-*_`#>\"'()[]"


def normalize_question(text: str) -> str:
    """Fold a question to the form used for identity and duplicate detection."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"[*_`#>\\]", " ", text)
    text = " ".join(text.split())
    return text.strip(_PUNCT_EDGES)


def card_id(source_key: str, question: str, occurrence: int = 1) -> str:
    """Stable id from the source name and the normalized question.

    Never from position or time, so a rebuilt deck updates notes instead of duplicating
    them. `occurrence` (2, 3, ...) separates identical questions inside one source.
    """
    key = f"{source_key}\n{normalize_question(question)}"
    if occurrence > 1:
        key += f"\n#{occurrence}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


@dataclass
class Source:
    """A decoded text handed to a reader.

    `name` is what users see (and what ids derive from): the file path relative to the
    folder given on the command line, plus "::inner/path" for files inside a repo dump.
    `line_map[i]` is the original line number of text line i (dumps have gaps).
    """

    name: str
    text: str
    path: str = ""
    line_map: list[int] | None = None
    section_prefix: tuple[str, ...] = ()
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # the reader's tally: characters of text it accounted for, and how many became no card
    text_chars: int = 0
    lost_chars: int = 0

    def lineno(self, index: int) -> int:
        """Original 1-based line number of 0-based text line `index`."""
        if self.line_map and 0 <= index < len(self.line_map):
            return self.line_map[index]
        return index + 1

    def report(self, line: int | None, message: str, severity: str = "warning") -> None:
        self.diagnostics.append(Diagnostic(self.name, line, message, severity))

    @property
    def suffix(self) -> str:
        base = self.name.rsplit("::", 1)[-1]
        dot = base.rfind(".")
        return base[dot:].lower() if dot > base.rfind("/") else ""
