"""bytes -> str: detect binary files, honour BOMs, fall back with a diagnostic."""

from __future__ import annotations

import codecs


class BinaryFile(ValueError):
    """The bytes are not text."""


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_bytes(data: bytes) -> tuple[str, list[tuple[int | None, str]]]:
    """Decode `data` to text. Returns the text and a list of (line, message) notes.

    Raises BinaryFile when the bytes look like a binary file: NUL bytes (outside a
    UTF-16 text) in the first 8 KiB or more than a few anywhere.
    """
    notes: list[tuple[int | None, str]] = []
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), notes
    nuls = data.count(b"\x00")  # the whole file: a binary tail after text counts too
    if nuls and (b"\x00" in data[:8192] or nuls > max(8, len(data) // 1000)):
        raise BinaryFile("binary file (contains NUL bytes)")
    if nuls:
        # a stray NUL or two in a text (a bad copy, a broken editor) is dropped, not kept
        # in a card, and the text around it is still read
        notes.append((_line_of(data, data.index(b"\x00")), f"{nuls} NUL byte{'s' * (nuls > 1)} removed"))
        data = data.replace(b"\x00", b"")
    try:
        return data.decode("utf-8"), notes
    except UnicodeDecodeError as err:
        line = _line_of(data, err.start)
    # Not UTF-8: cp1252 is what most non-UTF-8 notes on Windows are; bytes it does
    # not define become U+FFFD, and the user is told where the first bad byte was.
    notes.append((line, "invalid UTF-8; decoded as Windows-1252, check accented characters"))
    return data.decode("cp1252", errors="replace"), notes
