"""wordfreq's English word list in a compact form, loaded once and cheaply (for the repair).

Importing wordfreq and unpacking its 320,000 English words into a dict costs about a second.
The compact form is built from it on first use and kept in the user cache folder
(DECKGEN_CACHE_DIR overrides it), keyed by wordfreq's data files, so later runs load it in a
few tens of milliseconds without importing wordfreq. Any cache problem means building it in
memory, as the first run does.

- `English.get(word, default)`: wordfreq's frequency 10^(-bucket/100), by binary search in a
  sorted word list (no 320,000-entry dict to build).
- `English.common` / `English.rare`: the alphabetic words (a-z, maybe one apostrophe), the
  30,000 commonest and the rest, as `WordBlocks`: per length one fixed-width ASCII block,
  searched column by column with bytes.translate and the columns ANDed as big integers,
  instead of a regex compiled and run per query.
"""

from __future__ import annotations

import marshal
import os
import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path

FORMAT = 2  # 2: blocks sorted
COMMON = 30_000  # the commonest alphabetic words, searched before the rest


class WordBlocks:
    """Words grouped by length; each length is one block of fixed-width ASCII words."""

    def __init__(self, blocks: dict[int, bytes], ordered: bool = False):
        self._blocks = blocks
        self._ordered = ordered  # each block sorted (as blocks_by_length makes it): prefixes are ranges
        self._columns: dict[int, list[bytes]] = {}

    def words(self) -> Iterator[str]:
        for n, data in self._blocks.items():
            text = data.decode("ascii")
            for at in range(0, len(text), n):
                yield text[at:at + n]

    def fitting(self, sets: Sequence[str]) -> list[str]:
        """The words whose i-th character is one of `sets[i]` (a string of allowed characters)."""
        n = len(sets)
        data = self._blocks.get(n)
        if not data:
            return []
        columns = self._columns.get(n)
        if columns is None:
            columns = self._columns[n] = [data[i::n] for i in range(n)]
        lo, hi, k = 0, len(data) // n, 0
        if self._ordered:
            # a sorted block: the words starting with the forced letters are one range of it
            while k < n and len(sets[k]) == 1:
                k += 1
            if k:
                prefix = "".join(sets[:k])
                if not prefix.isascii():
                    return []
                lo, hi = _prefix_range(data, n, prefix.encode("ascii"))
                if lo == hi:
                    return []
        order = sorted(range(k, n), key=lambda i: len(sets[i]))  # the narrowest sets first
        if not order:
            return [data[at * n:(at + 1) * n].decode("ascii") for at in range(lo, hi)]
        whole = lo == 0 and hi == len(data) // n
        mask = -1  # one byte per word, 1 while the word still fits
        for done, i in enumerate(order, 1):
            column = columns[i] if whole else columns[i][lo:hi]
            mask &= int.from_bytes(column.translate(_fits_table(sets[i])), "big")
            if not mask:
                return []
            if mask.bit_count() <= 64:
                break  # few words left: checking them one by one is cheaper than whole columns
        hits = mask.to_bytes(hi - lo, "big")
        rest = [(i, sets[i]) for i in order[done:]]
        out = []
        at = hits.find(1)
        if not rest:  # every column checked: all the hits fit
            while at != -1:
                out.append(data[(lo + at) * n:(lo + at + 1) * n].decode("ascii"))
                at = hits.find(1, at + 1)
            return out
        while at != -1:
            word = data[(lo + at) * n:(lo + at + 1) * n].decode("ascii")
            if all(word[i] in allowed for i, allowed in rest):
                out.append(word)
            at = hits.find(1, at + 1)
        return out


def blocks_by_length(words: Iterable[str]) -> dict[int, bytes]:
    """ASCII words -> {length: the words of that length, sorted and concatenated}."""
    by_len: dict[int, list[str]] = {}
    for w in words:
        by_len.setdefault(len(w), []).append(w)
    return {n: "".join(sorted(ws)).encode("ascii") for n, ws in by_len.items()}


def _prefix_range(data: bytes, n: int, prefix: bytes) -> tuple[int, int]:
    """The records [lo, hi) of a sorted block of `n`-byte records that start with `prefix`."""
    k = len(prefix)
    lo, hi = 0, len(data) // n
    while lo < hi:  # first record >= prefix
        mid = (lo + hi) // 2
        if data[mid * n:mid * n + k] < prefix:
            lo = mid + 1
        else:
            hi = mid
    start, hi = lo, len(data) // n
    while lo < hi:  # first record past the prefix
        mid = (lo + hi) // 2
        if data[mid * n:mid * n + k] <= prefix:
            lo = mid + 1
        else:
            hi = mid
    return start, lo


@lru_cache(maxsize=4096)
def _fits_table(chars: str) -> bytes:
    """A bytes.translate table: 1 for the bytes of `chars`, 0 for every other byte."""
    table = bytearray(256)
    for ch in chars:
        if ord(ch) < 256:
            table[ord(ch)] = 1
    return bytes(table)


class English:
    def __init__(self, words: list[str], buckets: bytes, common: dict[int, bytes], rare: dict[int, bytes]):
        self._words = words  # sorted
        self._buckets = array("H", buckets)  # wordfreq bucket of each word
        self.common = WordBlocks(common, ordered=True)
        self.rare = WordBlocks(rare, ordered=True)

    def get(self, word: str, default: float = 0.0) -> float:
        """wordfreq's frequency of `word` (as its frequency list gives it), or `default`."""
        i = bisect_left(self._words, word)
        if i < len(self._words) and self._words[i] == word:
            return 10 ** (-self._buckets[i] / 100)  # bucket i holds the words of frequency 10^(-i/100)
        return default


@lru_cache(maxsize=1)
def english() -> English:
    key = _source_key()
    path = _cache_path(key) if key else None
    parts = _load(path, key) if path else None
    if parts is None:
        parts = _build()
        if path:
            _save(path, key, parts)
    return English(*parts)


def _build() -> tuple:
    from wordfreq import get_frequency_list

    bucket_of: dict[str, int] = {}
    alphabetic: list[str] = []
    for index, bucket in enumerate(get_frequency_list("en")):
        bucket_of.update(dict.fromkeys(bucket, index))
        alphabetic.extend(re.findall(r"^[a-z]+(?:'[a-z]+)?$", "\n".join(bucket), re.M))
    words = sorted(bucket_of)
    buckets = array("H", (bucket_of[w] for w in words)).tobytes()
    return words, buckets, blocks_by_length(alphabetic[:COMMON]), blocks_by_length(alphabetic[COMMON:])


def _source_key() -> str | None:
    """wordfreq's English data files (name, size, mtime), found without importing wordfreq."""
    from importlib.util import find_spec

    try:
        spec = find_spec("wordfreq")
        folder = Path(next(iter(spec.submodule_search_locations))) / "data"
        stats = [(p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.glob("*_en.msgpack.gz"))]
    except (AttributeError, TypeError, StopIteration, OSError, ImportError, ValueError):
        return None
    return f"{FORMAT}:{folder}:{stats}" if stats else None


def _cache_path(key: str) -> Path | None:
    import hashlib

    override = os.environ.get("DECKGEN_CACHE_DIR")
    if override:
        root = Path(override)
    else:
        try:
            from platformdirs import user_cache_dir
        except ImportError:
            return None
        root = Path(user_cache_dir("deckgen", appauthor=False))
    return root / "wordlist" / f"english-{hashlib.sha1(key.encode()).hexdigest()[:16]}.marshal"


def _load(path: Path, key: str) -> tuple | None:
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(data, tuple) and len(data) == 6 and data[0] == FORMAT and data[1] == key):
        return None
    words, buckets, common, rare = data[2:]
    if not (isinstance(words, list) and isinstance(buckets, bytes) and isinstance(common, dict)
            and isinstance(rare, dict) and len(buckets) == 2 * len(words)):
        return None
    return words, buckets, common, rare


def _save(path: Path, key: str, parts: tuple) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(marshal.dumps((FORMAT, key, *parts)))
        os.replace(tmp, path)  # whole or not at all, even with two runs writing at once
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass
