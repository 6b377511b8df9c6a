"""Timing of the repo-dump split and the markdown reader (run by hand, prints numbers).

    python benchmarks/bench_markdown_dump.py [--sections 2000]

Builds synthetic notes of our own (question headings, tagged numbered questions, topic
notes) and a flattened dump of them, then times split + read. Also times the seeds
002/003 when ../shared/seeds is present.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from deckgen.card import Source
from deckgen.readers import markdown, read, repodump

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def notes(sections: int) -> list[str]:
    lines = []
    for i in range(sections):
        lines += [f"## Part {i}", f"### What does step {i} compute?", "- a running mean", "```python",
                  "# keep it short", "total = 0", "```", f"1. [M] Why is step {i} stable?", "```text",
                  "Because the update is bounded.", "```", "* Clarifying questions", "- Scale?", "- ten users",
                  "- Latency budget? 50 ms", "* ## Glossary entry", "* an explanation below it", ""]
    return lines


def timed(label: str, fn) -> None:
    start = time.perf_counter()
    count = fn()
    print(f"{label:<40} {time.perf_counter() - start:7.3f} s  ({count} items)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sections", type=int, default=2000)
    args = ap.parse_args()
    lines = notes(args.sections)
    text = "\n".join(lines)
    topic = "\n".join(ln for ln in lines if not ln.startswith("###"))
    dump = ("├── notes └── a.md /notes/a.md: " + "-" * 80 + " "
            + " ".join(f"{n} | {ln}" if ln else f"{n} |" for n, ln in enumerate(lines, 1)) + " " + "-" * 80)
    print(f"{len(lines)} lines of notes, dump of {len(dump):,} characters")
    timed("markdown (question headings)", lambda: len(list(markdown.read(Source("a.md", text)))))
    timed("markdown (topic notes)", lambda: len(list(markdown.read(Source("b.md", topic)))))
    timed("repodump.split (flattened)", lambda: sum(len(s.line_map) for s in repodump.split(Source("d", dump))))
    timed("split + read (flattened)", lambda: len(list(read(Source("d", dump)))))
    for prefix in ("002_", "003_"):
        for path in sorted(SEEDS.glob(prefix + "*")) if SEEDS.is_dir() else []:
            seed = path.read_text(encoding="utf-8")
            timed(f"seed {path.name[:20]}", lambda: len(list(read(Source(path.name, seed)))))


if __name__ == "__main__":
    main()
