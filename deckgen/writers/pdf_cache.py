"""What the PDF writers keep from one build to the next, so an unchanged card is not
parsed or measured again (`deckgen --no-cache build` ignores it).

Three stores, JSON files in the parse cache's folder:
  pdf-blocks.json    an answer -> its blocks (markdown parsed, paragraph markup made)
  pdf-sizes.json     an answer in a flashcard box -> the text size its cards use
  pdf-contents.json  a cheat sheet (all its cards, options, date) -> its contents' page
                     numbers, so an unchanged one is laid out once (a wrong number
                     only costs reportlab's second pass)
An entry's key is a hash of everything its value depends on (the answer text, the box
and the sizes to choose from); a store as a whole belongs to one code fingerprint and
one set of font files (missing glyphs are replaced by what the font lacks). A changed
answer is a new key, so it is laid out afresh. Each build keeps only the entries it
used; an unreadable store is an empty one.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import fields
from pathlib import Path

FORMAT = 1


def _fingerprint() -> str:
    from deckgen.parse_cache import code_fingerprint
    from deckgen.writers.pdf_fonts import fonts

    h = hashlib.sha1(f"{FORMAT}:{code_fingerprint()}".encode())
    for file in fonts().files:
        try:
            stat = os.stat(file)
            h.update(f"{file}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        except OSError:
            h.update(file.encode())
    return h.hexdigest()


def key(*parts) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()


class Store:
    """One JSON store: read at the start of a build, written at its end."""

    def __init__(self, name: str, enabled: bool = True):
        from deckgen.parse_cache import cache_dir

        self.path: Path | None = cache_dir() / f"pdf-{name}.json" if enabled else None
        self.fingerprint = _fingerprint() if enabled else ""
        self.old: dict = self._read()
        self.used: dict = {}

    def _read(self) -> dict:
        if self.path is None:
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data["entries"] if data.get("fingerprint") == self.fingerprint else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}

    def get(self, entry: str):
        value = self.old.get(entry)
        if value is not None:
            self.used[entry] = value
        return value

    def put(self, entry: str, value) -> None:
        self.used[entry] = value

    def save(self) -> None:
        """Write the entries used in this build; a cache that cannot be written is skipped."""
        if self.path is None or self.used == self.old:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"fingerprint": self.fingerprint, "entries": self.used}, ensure_ascii=False),
                           encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass


def prepare_blocks(answers, enabled: bool = True) -> None:
    """Have the blocks of every answer in memory: from the store, else parsed (and stored)."""
    from deckgen.writers.pdf_markdown import Block, answer_blocks, known_blocks, remember_blocks

    missing = [a for a in dict.fromkeys(answers) if not known_blocks(a)]
    if not missing:
        return
    store = Store("blocks", enabled)
    for answer in missing:
        entry = key(answer)
        cached = store.get(entry)
        blocks = _blocks_from_json(cached, Block) if cached is not None else None
        if blocks is None:
            store.put(entry, [_block_to_json(b) for b in answer_blocks(answer)])
        else:
            remember_blocks(answer, blocks)
    store.save()


def _block_to_json(block) -> dict:
    """The fields that differ from their default (most are defaults)."""
    values = ((f.name, getattr(block, f.name), f.default) for f in fields(block))
    return {name: value for name, value, default in values if value != default}


def _blocks_from_json(data, block_type):
    try:
        return tuple(block_type(**{**b, "rows": tuple(tuple(r) for r in b.get("rows", ()))}) for b in data)
    except (TypeError, AttributeError):
        return None
