"""Reader registry: sniff each source, pick its reader, split containers.

A reader is a module with `NAME`, `sniff(text) -> float` (0..1, how sure it is that
it can read the text) and `read(source) -> Iterator[Card]`. A container reader
(repo dumps) has `split(source) -> Iterator[Source]` instead of `read`; its inner
sources are dispatched again. Readers never print and never write files; they
report problems with `source.report(line, message)`.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from types import ModuleType

from deckgen.card import Card, Source

# Order matters only for ties: earlier wins.
READER_MODULES = ("repodump", "notebook", "tabular", "markdown", "chat", "posts", "bullets")
# A file extension that settles the question without sniffing.
BY_SUFFIX = {".ipynb": "notebook"}
# Inner files of a dump that hold no notes.
SKIP_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".pdf", ".zip", ".gz", ".pkl", ".bin",
                 ".csv", ".json", ".yml", ".yaml", ".toml", ".cfg", ".ini", ".lock", ".txt_",
                 ".py", ".js", ".ts", ".sh", ".css", ".html"}

_loaded: dict[str, ModuleType] = {}

# The readers' safety net turns a reader's exception into an error diagnostic (bad input
# is normal input, one file never stops the others). Tests switch it off, so a reader
# that raises fails them instead of passing with a diagnostic.
STRICT = False


def safely(name: str, source: Source, read_cards: Callable[[], Iterable[Card]]) -> list[Card]:
    """The cards `read_cards()` gives; if the reader raises, the cards it gave before
    that and an error diagnostic (or, with STRICT, the exception)."""
    cards: list[Card] = []
    try:
        cards.extend(read_cards())
    except Exception as err:
        if STRICT:
            raise
        source.report(None, f"{name} reader stopped early: {type(err).__name__}: {err}", "error")
    return cards


def reader(name: str) -> ModuleType:
    if name not in _loaded:
        _loaded[name] = importlib.import_module(f"deckgen.readers.{name}")
    return _loaded[name]


def _later_ceilings() -> list[float]:
    """Per position in READER_MODULES, the highest score any later reader's sniff can give
    (a reader states its own as `SNIFF_MAX`; without one, 1.0)."""
    caps = [getattr(reader(name), "SNIFF_MAX", 1.0) for name in READER_MODULES]
    return [max(caps[k + 1:], default=0.0) for k in range(len(caps))]


def pick(source: Source) -> ModuleType | None:
    """The reader for `source`, or None when no reader is at all sure."""
    forced = BY_SUFFIX.get(source.suffix)
    if forced:
        return reader(forced)
    later_ceiling = _later_ceilings()
    best, best_score = None, 0.0
    for k, name in enumerate(READER_MODULES):
        module = reader(name)
        bound = getattr(module, "sniff_bound", None)
        # a reader whose quick upper bound cannot beat the best so far need not sniff
        score = 0.0 if bound is not None and bound(source.text) <= best_score else module.sniff(source.text)
        if score > best_score:
            best, best_score = module, score
        # a later reader wins only with a higher score: once none can reach one, stop
        # sniffing (a dump's 0.99 settles it before five more sniffs of the whole text)
        if best_score >= later_ceiling[k]:
            break
    return best if best_score >= 0.2 else None


def read(source: Source, formats: list[str] | None = None) -> Iterator[Card]:
    """Cards of `source`. `formats`, when given, collects (source name, reader name)."""
    if not source.text.strip():
        source.report(None, "empty file, no cards")
        return
    module = pick(source)
    if module is None:
        source.report(None, "no reader recognised this text; skipped")
        return
    if formats is not None:
        formats.append((source.name, module.NAME))
    if hasattr(module, "split"):
        skipped: Counter[str] = Counter()
        for inner in module.split(source):
            if inner.suffix in SKIP_SUFFIXES:
                skipped[inner.suffix] += 1
                continue
            yield from read(inner, formats)
            source.diagnostics.extend(inner.diagnostics)
            source.text_chars += inner.text_chars
            source.lost_chars += inner.lost_chars
        if skipped:
            kinds = ", ".join(f"{n} {suffix}" for suffix, n in sorted(skipped.items()))
            source.report(None, f"skipped {sum(skipped.values())} inner files that hold no notes ({kinds})")
        return
    yield from module.read(source)
