"""One module per output; each takes a Deck (or its cards) and a path and writes atomically.

A regular file (or a name not taken yet) is written to a hidden temporary file beside
it, flushed to disk and renamed over it. A terminal, a pipe, a FIFO or another
character device (/dev/null, /dev/stdout) is written to directly: renaming a file over
it would replace the device. Anything else (a folder, a socket, a block device) is
refused.
"""

from __future__ import annotations

import os
import re
import stat
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no file locks; stale temporary files are judged by age
    fcntl = None

# Streams named by path: open() on them reaches the process's own descriptors.
_STREAM_PATH = re.compile(r"/dev/(stdin|stdout|stderr|fd/\d+)|/proc/self/fd/\d+")
# mkstemp's names: ".<target name>." + 8 characters + ".tmp"
_TEMP_SUFFIX = re.compile(r"\.[a-z0-9_]{8}\.tmp")


class OutputError(OSError):
    """An output cannot be written; the message names it (one line). An OSError, so
    code that expects a failed write to raise one still does."""


def output_kind(target: str | os.PathLike) -> str:
    """"stream" for a character device, a FIFO or /dev/std*: written in place; "file"
    for a regular file or a name not taken yet: replaced atomically. Raises OutputError
    for anything else."""
    if _STREAM_PATH.fullmatch(os.path.abspath(target)):
        return "stream"
    try:
        mode = os.stat(target).st_mode  # through symlinks: what the name leads to counts
    except OSError:  # not there yet, or its folder is not one: writing it says why
        return "file"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return "stream"
    if stat.S_ISDIR(mode):
        raise OutputError(f"{target} is a folder; give a file name")
    kind = "socket" if stat.S_ISSOCK(mode) else "block device" if stat.S_ISBLK(mode) else "special file"
    raise OutputError(f"{target} is a {kind}, not a regular file; not writing to it")


def _failed(target: Path, err: OSError) -> OutputError:
    return OutputError(f"cannot write {target}: {err.strerror or err}")


@contextmanager
def atomic_path(target: str | os.PathLike):
    """Yield the path to write `target` through. For a file: a temporary path beside it,
    renamed over it only when the block succeeds, so a failed or interrupted write
    leaves the old file intact. For a stream (see output_kind): `target` itself.
    An OSError while writing (a full disk) becomes an OutputError naming `target`."""
    target = Path(target)
    if output_kind(target) == "stream":
        try:
            yield target
        except OSError as err:
            raise _failed(target, err) from None
        return
    # a symlink to a file: the file it names is replaced, the link stays a link
    final = Path(os.path.realpath(target))
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(final)
        fd, tmp = _make_temp(final)
    except OSError as err:
        raise _failed(target, err) from None
    try:
        yield Path(tmp)
        os.fsync(fd)  # the data is on disk before the name points at it
        os.replace(tmp, final)
        _fsync_folder(final.parent)
    except OSError as err:
        raise _failed(target, err) from None
    finally:
        os.close(fd)
        if os.path.lexists(tmp):
            os.unlink(tmp)

