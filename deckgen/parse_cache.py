"""A per-file cache of what the readers made, so a second run skips parsing.

An entry is keyed by the file's resolved path, size and modification time, and by a
fingerprint of deckgen's own code: any change to a reader invalidates every entry.
Entries are JSON in the user cache folder (DECKGEN_CACHE_DIR overrides it); a broken
or unreadable entry is simply a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from deckgen.card import Card, Diagnostic

FORMAT = 1


def cache_dir() -> Path:
    override = os.environ.get("DECKGEN_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("deckgen", appauthor=False)) / "parsed"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    from deckgen import __version__

    root = Path(__file__).resolve().parent
    h = hashlib.sha1(f"{FORMAT}:{__version__}".encode())
    for path in sorted(root.rglob("*.py")):
        stat = path.stat()
        h.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return h.hexdigest()


def _entry(path: Path, name: str) -> Path | None:
    try:
        stat = path.resolve().stat()
    except OSError:
        return None
    key = f"{path.resolve()}\n{name}\n{stat.st_size}\n{stat.st_mtime_ns}\n{code_fingerprint()}"
    return cache_dir() / (hashlib.sha1(key.encode()).hexdigest() + ".json")


def get(path: Path, name: str):
    """(cards, report fields) for an unchanged file, or None."""
    entry = _entry(path, name)
    if entry is None:
        return None
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
        cards = [Card(**{**c, "section": tuple(c["section"]), "tags": tuple(c["tags"])}) for c in data["cards"]]
        data["report"]["diagnostics"] = [Diagnostic(**d) for d in data["report"]["diagnostics"]]
        return cards, data["report"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def put(path: Path, name: str, cards: list[Card], report: dict) -> None:
    """Store an entry; a cache that cannot be written is silently skipped."""
    entry = _entry(path, name)
    if entry is None:
        return
    data = {"cards": [c.to_dict() for c in cards],
            "report": {**report, "diagnostics": [asdict(d) for d in report["diagnostics"]]}}
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, entry)
    except OSError:
        pass
