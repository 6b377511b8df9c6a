"""`deckgen grade`: grade one typed answer, or a JSON-lines batch, against reference answers."""

from __future__ import annotations

import json
import sys


def register(sub, add_sources, add_filters) -> None:
    p = sub.add_parser(
        "grade", help="grade typed answers against reference answers",
        description="Grade one answer (--reference, --answer) or a batch (--batch IN.jsonl, one object a line "
                    "with question, reference, answer; other keys are passed through; output adds score, "
                    "verdict, hits, misses).")
    p.add_argument("--reference", metavar="TEXT", help="the reference answer (markdown)")
    p.add_argument("--answer", metavar="TEXT", help="the typed answer")
    p.add_argument("--question", default="", metavar="TEXT", help="the question (its words earn no credit)")
    p.add_argument("--json", action="store_true", help="print the grade as one JSON object")
    p.add_argument("--batch", metavar="IN.jsonl", help="grade every line of this JSON-lines file (- = stdin)")
    p.add_argument("-o", "--output", metavar="OUT.jsonl", help="batch output file (default stdout)")
    p.set_defaults(func=cmd_grade)


def _grade_record(grade) -> dict:
    return {"score": grade.score, "verdict": grade.verdict, "hits": grade.hits, "misses": grade.misses}


def cmd_grade(args) -> int:
    from deckgen.cli import UserError

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
        print(json.dumps({**_grade_record(result), "rating": result.rating, "notes": result.notes},
                         ensure_ascii=False))
        return 0
    print(f"{result.verdict} · score {result.score}/100")
    for point in result.hits:
        print(f"  + {point}")
    for point in result.misses:
        print(f"  - {point}")
    for note in result.notes:
        print(f"  ! {note}")
    return 0


def _read_batch(path: str):
    """(line number, record) for each non-blank line; a bad line is a one-line error naming file:line."""
    from deckgen.cli import UserError

    name = "<stdin>" if path == "-" else path
    try:  # bytes, decoded line by line, so an encoding error names its own line
        handle = sys.stdin.buffer if path == "-" else open(path, "rb")
    except OSError as err:
        raise UserError(f"cannot read {name}: {err.strerror or err}") from None
    with handle:
        for number, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                raise UserError(f"{name}:{number}: not UTF-8 text") from None
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                # "\ud800" is valid JSON but no character: it could never be written out
                json.dumps(record, ensure_ascii=False).encode("utf-8")
            except json.JSONDecodeError as err:
                raise UserError(f"{name}:{number}: not valid JSON ({err.msg})") from None
            except UnicodeEncodeError:
                raise UserError(f"{name}:{number}: text holds a lone surrogate (an escape like \\ud800 "
                                "that is half of a character); not valid Unicode") from None
            if not isinstance(record, dict):
                raise UserError(f"{name}:{number}: expected a JSON object, got {type(record).__name__}")
            for key in ("reference", "answer"):
                if key not in record:
                    raise UserError(f"{name}:{number}: missing text field {key!r}")
            for key in ("question", "reference", "answer"):
                if not isinstance(record.get(key, ""), str):
                    raise UserError(f"{name}:{number}: field {key!r} must be text, got {record[key]!r:.40}")
            yield number, record


def _batch(args) -> int:
    from deckgen.quiz.grader import grade

    records = list(_read_batch(args.batch))  # validate the whole file before writing anything
    lines = []
    for _, record in records:
        result = grade(record["answer"], record["reference"], record.get("question", ""))
        lines.append(json.dumps({**record, **_grade_record(result)}, ensure_ascii=False))
    if args.output in (None, "-"):
        for line in lines:
            print(line)
        return 0
    from deckgen.writers import atomic_path

    with atomic_path(args.output) as tmp:
        with open(tmp, "w", encoding="utf-8") as out:
            out.write("".join(line + "\n" for line in lines))
    print(f"graded {len(lines)} answers -> {args.output}", file=sys.stderr)
    return 0
