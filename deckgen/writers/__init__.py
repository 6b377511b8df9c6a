"""One module per output; each takes a Deck (or its cards) and a path and writes atomically.

A regular file (or a name not taken yet) is written to a hidden temporary file beside
it, flushed to disk and renamed over it. A terminal, a pipe, a FIFO or another
character device (/dev/null, /dev/stdout) is never replaced: the output is made in a
private temporary file and then copied into it, without truncating it (`>> log` plus
`-o /dev/stdout` appends to the log, as a shell redirection would). Anything else (a
folder, a socket, a block device) is refused.
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
_STD_FD = {"stdin": 0, "stdout": 1, "stderr": 2}
# mkstemp's names: ".<target name>." + 8 characters + ".tmp"
_TEMP_SUFFIX = re.compile(r"\.[a-z0-9_]{8}\.tmp")


class OutputError(OSError):
    """An output cannot be written; the message names it (one line). An OSError, so
    code that expects a failed write to raise one still does."""


def output_kind(target: str | os.PathLike) -> str:
    """"stream" for a character device, a FIFO or /dev/std*: written in place; "file"
    for a regular file, a symlink or a name not taken yet: replaced atomically. Raises
    OutputError for anything else.

    A symlink is never written through (the link itself is replaced): a link planted
    in an output folder (a cloned repository can hold one) must not make deckgen
    overwrite the file or device it names."""
    if _STREAM_PATH.fullmatch(os.path.abspath(target)):
        return "stream"
    try:
        mode = os.lstat(target).st_mode
    except OSError:  # not there yet, or its folder is not one: writing it says why
        return "file"
    if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
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
        yield from _through_temp_into_stream(target)
        return
    final = target
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


def _through_temp_into_stream(target: Path):
    """Yield a private temporary path; when the block succeeds, copy what was written
    there into the stream `target`. Opening a stream by name with "w" truncates it:
    /dev/stdout of a shell's `>> log` is the log file itself."""
    import shutil
    import tempfile

    # named and locked like the temporary files beside regular outputs, so a killed
    # run's leftover in the temp folder is removed by the next stream output
    place = Path(tempfile.gettempdir()) / "deckgen-stream"
    try:
        remove_stale_temps(place)
        fd, tmp = _make_temp(place)
    except OSError as err:
        raise _failed(target, err) from None
    try:
        yield Path(tmp)
        with open(tmp, "rb") as made, _open_stream(target) as stream:
            shutil.copyfileobj(made, stream)
    except BrokenPipeError:
        raise  # the reader went away (`| head`): the command ends quietly, as on stdout
    except OSError as err:
        raise _failed(target, err) from None
    finally:
        os.close(fd)
        os.unlink(tmp)


def _open_stream(target: Path):
    """The stream `target` for writing, never truncated. A descriptor this process
    holds (/dev/stdout, /dev/fd/N, /proc/self/fd/N) is written through a copy of it,
    at its own position and in its own append mode; a FIFO or device by name is opened
    without O_TRUNC or O_CREAT."""
    import sys

    match = re.fullmatch(r"/dev/(stdin|stdout|stderr)|/(?:dev|proc/self)/fd/(\d+)", os.path.abspath(target))
    if match:
        for shown in (sys.stdout, sys.stderr):  # what deckgen printed so far comes first
            if shown is not None:
                shown.flush()
        fd = os.dup(_STD_FD[match[1]] if match[1] else int(match[2]))
    else:
        fd = os.open(target, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    return os.fdopen(fd, "wb")


def _make_temp(final: Path) -> tuple[int, str]:
    """A private temporary file beside `final`, locked while this process writes it (so
    remove_stale_temps in another run leaves it alone), with the mode `final` has or
    would get."""
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
    try:
        _lock(fd, wait=True)
        os.chmod(tmp, _mode_for(final))
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    return fd, tmp


def _mode_for(final: Path) -> int:
    """The permissions of the file being replaced; for a new file (or one replacing a
    link) the usual ones: mkstemp makes its file private (0600)."""
    try:
        info = os.lstat(final)
        if stat.S_ISREG(info.st_mode):
            return stat.S_IMODE(info.st_mode)
    except OSError:
        pass
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _lock(fd: int, wait: bool) -> bool:
    """An exclusive lock on the open file `fd`; False if another process holds it."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


def remove_stale_temps(final: Path, min_age: float = 24 * 3600) -> list[Path]:
    """Delete temporary files of our own naming for `final` (".<name>.XXXXXXXX.tmp")
    that a killed run left behind: those no live process holds locked (without file
    locks: older than `min_age` seconds). Returns what was removed."""
    import time

    removed = []
    prefix = f".{final.name}"
    try:
        names = [n for n in os.listdir(final.parent)
                 if n.startswith(prefix) and _TEMP_SUFFIX.fullmatch(n[len(prefix):])]
    except OSError:
        return removed
    for name in names:
        path = final.parent / name
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue  # gone meanwhile, or a symlink: not ours
        try:
            info = os.fstat(fd)
            free = _lock(fd, wait=False) if fcntl else time.time() - info.st_mtime > min_age
            # a regular file, still the one under that name (not replaced since it was opened)
            if stat.S_ISREG(info.st_mode) and free and os.stat(path, follow_symlinks=False).st_ino == info.st_ino:
                os.unlink(path)
                removed.append(path)
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; some systems cannot open a folder: then skip."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
