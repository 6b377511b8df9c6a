"""`deckgen grade`: grade one typed answer, or a JSON-lines batch, against reference answers."""

from __future__ import annotations

import json
import sys

from deckgen.commands.common import UserError
from deckgen.text.terminal import plural

MAX_LINE_BYTES = 2**20        # one answer with its references: a few KiB in practice
MAX_BATCH_BYTES = 64 * 2**20  # every graded line is kept until the output is written


def register(sub) -> None:
    p = sub.add_parser(
        "grade", help="grade typed answers against reference answers",
        description="Grade one answer (--reference, --answer) or a batch (--batch IN.jsonl, one object a line "
                    "with question, reference or references (a list of accepted answers: the best counts), "
                    "answer; other keys are passed through; output adds score, verdict, rating, hits, misses, "
                    "notes). A malformed line is named on stderr with its line number and skipped; the rest "
                    f"is graded, and the exit status is then 2. A line may hold {MAX_LINE_BYTES // 2**20} MiB, "
                    f"the whole batch {MAX_BATCH_BYTES // 2**20} MiB.")
    p.add_argument("--reference", metavar="TEXT", help="the reference answer (markdown)")
    p.add_argument("--answer", metavar="TEXT", help="the typed answer")
    p.add_argument("--question", default="", metavar="TEXT", help="the question (its words earn no credit)")
    p.add_argument("--json", action="store_true", help="print the grade as one JSON object")
    p.add_argument("--batch", metavar="IN.jsonl", help="grade every line of this JSON-lines file (- = stdin)")
    p.add_argument("-o", "--output", metavar="OUT.jsonl", help="batch output file (default stdout)")
    p.set_defaults(func=cmd_grade)


def _grade_record(grade) -> dict:
    return {"score": grade.score, "verdict": grade.verdict, "rating": grade.rating, "hits": grade.hits,
            "misses": grade.misses, "notes": grade.notes}


def cmd_grade(args) -> int:
    if args.batch:
        if args.reference is not None or args.answer is not None:
            raise UserError("use either --batch or --reference/--answer, not both")
        return _batch(args)
    if args.reference is None or args.answer is None:
        raise UserError("give --reference and --answer (or --batch IN.jsonl)")
    if args.output:
        raise UserError("-o/--output goes with --batch")
    from deckgen.quiz.grader import grade

    result = grade(args.answer, args.reference, args.question)
    if args.json:
        print(json.dumps(_grade_record(result), ensure_ascii=False))
        return 0
    from deckgen.quiz.session import verdict_line
    from deckgen.text.terminal import terminal_text

    print(verdict_line(result))  # the line the quiz shows
    for mark, lines in (("+", result.hits), ("-", result.misses), ("!", result.notes)):
        for line in lines:
            print(f"  {mark} {terminal_text(line)}")
    return 0


class _BadLine(ValueError):
    """A batch line that cannot be graded; the message says why."""


def _check_record(record) -> dict:
    if not isinstance(record, dict):
        raise _BadLine(f"expected a JSON object, got {type(record).__name__}")
    if "answer" not in record:
        raise _BadLine("missing text field 'answer'")
    if "reference" not in record and "references" not in record:
        raise _BadLine("missing text field 'reference' (or a 'references' list)")
    for key in ("question", "reference", "answer"):
        if not isinstance(record.get(key, ""), str):
            raise _BadLine(f"field {key!r} must be text, got {record[key]!r:.40}")
    refs = record.get("references", [])
    if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
        raise _BadLine(f"field 'references' must be a list of texts, got {refs!r:.40}")
    if not record.get("reference", "").strip() and not any(r.strip() for r in refs):
        raise _BadLine("no reference answer: 'reference' and 'references' are empty")
    return record


def _parse_line(raw: bytes, number: int):
    """The record on one batch line, None for a blank line; _BadLine says what is wrong with it."""
    try:
        line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError:
        raise _BadLine("not UTF-8 text") from None
    if not line.strip():
        return None
    try:
        record = json.loads(line)
        # "\ud800" is valid JSON but no character: it could never be written out
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except json.JSONDecodeError as err:
        raise _BadLine(f"not valid JSON ({err.msg})") from None
    except UnicodeEncodeError:
        raise _BadLine("text holds a lone surrogate (an escape like \\ud800 that is half of a "
                       "character); not valid Unicode") from None
    return _check_record(record)


def _read_batch(path: str, bad: list[str]):
    """(line number, record) for each good line; each bad one adds a one-line diagnostic to `bad`
    (and to stderr) naming file:line, and the rest is read on."""
    name = "<stdin>" if path == "-" else path
    try:  # bytes, decoded line by line, so an encoding error names its own line
        handle = sys.stdin.buffer if path == "-" else open(path, "rb")
    except OSError as err:
        raise UserError(f"cannot read {name}: {err.strerror or err}") from None
    with handle:
        for number, raw in enumerate(_bounded_lines(handle, name), 1):
            try:
                if raw is None:
                    raise _BadLine(f"longer than {MAX_LINE_BYTES // 2**20} MiB")
                record = _parse_line(raw, number)
            except _BadLine as err:
                bad.append(f"{name}:{number}: {err} (line skipped)")
                print(f"deckgen: {bad[-1]}", file=sys.stderr)
                continue
            if record is not None:
                yield number, record


def _bounded_lines(handle, name: str):
    """The lines of `handle` as bytes, None for a line over MAX_LINE_BYTES (read past,
    never held); UserError once more than MAX_BATCH_BYTES were read (/dev/zero, a
    runaway pipe), so memory stays bounded whatever the input is."""
    total = 0
    while True:
        raw = handle.readline(MAX_LINE_BYTES + 1)
        total += len(raw)
        if not raw:
            return
        too_long = len(raw) > MAX_LINE_BYTES
        while raw and not raw.endswith(b"\n") and len(raw) > MAX_LINE_BYTES and total <= MAX_BATCH_BYTES:
            raw = handle.readline(MAX_LINE_BYTES + 1)  # the rest of the long line, dropped
            total += len(raw)
        if total > MAX_BATCH_BYTES:
            raise UserError(f"{name}: more than {MAX_BATCH_BYTES // 2**20} MiB of input; split the batch")
        yield None if too_long else raw


def _batch(args) -> int:
    from deckgen.quiz.grader import grade

    bad: list[str] = []
    lines = []
    for _, record in _read_batch(args.batch, bad):
        result = grade(record["answer"], record.get("reference", ""), record.get("question", ""),
                       record.get("references", ()))
        lines.append(json.dumps({**record, **_grade_record(result)}, ensure_ascii=False))
    if args.output in (None, "-"):
        for line in lines:
            print(line)
    elif lines or not bad:  # no output file made of nothing but skipped lines
        from deckgen.writers import atomic_path

        with atomic_path(args.output) as tmp:
            with open(tmp, "w", encoding="utf-8") as out:
                out.write("".join(line + "\n" for line in lines))
        print(f"graded {plural(len(lines), 'answer')} -> {args.output}", file=sys.stderr)
    if bad:
        print(f"deckgen: {plural(len(bad), 'malformed line')} skipped, {len(lines)} graded",
              file=sys.stderr)
        return 2  # bad input, like any other: the good lines are graded all the same
    return 0
