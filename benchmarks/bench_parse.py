"""Parse speed and start-up time, run by hand: `python benchmarks/bench_parse.py [SEEDS_DIR]`.

1. Exporting all seeds (read, split, parse, fold, ids, JSON lines) against markdown-it-py
   merely tokenizing the same text, in the same run. Target: at most 2x (issue 8). Wall clock and CPU
   time both: the machine is shared, and the wall clock swings with its load. The "fresh
   process" run still finds the compact English word list that the repair of damaged text
   caches on disk (deckgen.text.wordlist); the very first run ever builds it (about 1 s more).
2. The markdown reader alone on the markdown files it is given (inner files of the dumps
   included) against tokenizing the same texts with the shared configuration it uses
   (deckgen.mdconfig.document_markdown), and against full CommonMark tokenizing.
3. `deckgen --help` against a bare `python -c pass`. Target: at most 0.25 s more.

Prints numbers only; nothing here asserts.
"""

from __future__ import annotations

import io
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"


def best_of(runs: int, *works) -> list[tuple[float, float]]:
    """Per work, the best wall-clock time and the best CPU time (time.process_time) of `runs`
    runs. The works take turns, so a change in the machine's load hits all of them alike: on a
    shared machine even CPU time grows with the load (caches and cores are shared)."""
    walls: list[list[float]] = [[] for _ in works]
    cpus: list[list[float]] = [[] for _ in works]
    for _ in range(runs):
        for k, work in enumerate(works):
            start, start_cpu = time.perf_counter(), time.process_time()
            work()
            walls[k].append(time.perf_counter() - start)
            cpus[k].append(time.process_time() - start_cpu)
    return [(min(w), min(c)) for w, c in zip(walls, cpus)]


def bench_export(seeds: Path, runs: int) -> None:
    from markdown_it import MarkdownIt

    from deckgen import deck
    from deckgen.writers.jsonl import write_jsonl

    files = sorted(p for p in seeds.iterdir() if p.is_file())
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    size = sum(len(t) for t in texts)
    md = MarkdownIt("commonmark")

    def export() -> None:
        write_jsonl(deck.load(files).cards, io.StringIO())

    def tokenize() -> None:
        for text in texts:
            md.parse(text)

    export()  # warm up: lazy imports, regex compilation
    tokenize()
    (t_export, cpu_export), (t_tokenize, cpu_tokenize) = best_of(runs, export, tokenize)
    cards = len(deck.load(files).cards)
    print(f"seeds: {len(files)} files, {size / 1e6:.2f} M chars, {cards} cards (best of {runs} runs)")
    print("                                    wall clock    CPU time")
    print(f"  deckgen export (in process):    {t_export * 1000:8.1f} ms {cpu_export * 1000:8.1f} ms")
    print(f"  markdown-it-py tokenize only:   {t_tokenize * 1000:8.1f} ms {cpu_tokenize * 1000:8.1f} ms")
    print(f"  ratio export / tokenize:        {t_export / t_tokenize:8.2f}x   "
          f"{cpu_export / cpu_tokenize:8.2f}x   (target <= 2x)")

    # Where the export's time goes: turning bytes into repaired text, the rest is readers + deck.
    from deckgen.text.decode import decode_bytes
    from deckgen.text.normalize import normalize_text
    from deckgen.text.repair import repair

    def prepare() -> None:
        for path in files:
            repair(normalize_text(decode_bytes(path.read_bytes())[0]))

    (t_prepare, cpu_prepare), = best_of(runs, prepare)
    print(f"    of which decode + repair:     {t_prepare * 1000:8.1f} ms {cpu_prepare * 1000:8.1f} ms   "
          f"(the rest: readers, folding, ids, JSON)")

    # The first run in a fresh process also pays for lazy imports and word lists.
    cold = subprocess.run([sys.executable, "-c", COLD_RUN, str(seeds)], capture_output=True, text=True)
    if cold.returncode == 0:
        t_cold_export, cpu_cold_export, t_cold_tokenize, cpu_cold_tokenize = map(float, cold.stdout.split())
        print("  first run in a fresh process (imports and word lists included):")
        print(f"    deckgen export:               {t_cold_export * 1000:8.1f} ms {cpu_cold_export * 1000:8.1f} ms")
        print(f"    markdown-it-py tokenize:      {t_cold_tokenize * 1000:8.1f} ms {cpu_cold_tokenize * 1000:8.1f} ms")
        print(f"    ratio:                        {t_cold_export / t_cold_tokenize:8.2f}x   "
              f"{cpu_cold_export / cpu_cold_tokenize:8.2f}x")
    else:
        print("  first-run measurement failed:", cold.stderr.strip().splitlines()[-1:])


# A fresh process with the modules imported before the clock starts: no memo of an earlier
# run in the same process helps, and import time is left to the start-up benchmark.
FRESH_RUN = """
import io, sys, time
from pathlib import Path
import rapidfuzz.fuzz, rapidfuzz.process
from markdown_it import MarkdownIt
from deckgen import deck, readers
from deckgen.writers.jsonl import write_jsonl
import deckgen.text.repair, deckgen.text.decode, deckgen.text.normalize
for name in readers.READER_MODULES:
    readers.reader(name)
files = sorted(p for p in Path(sys.argv[1]).iterdir() if p.is_file())
texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
start = time.process_time()
write_jsonl(deck.load(files).cards, io.StringIO())
export = time.process_time() - start
start = time.process_time()
md = MarkdownIt("commonmark")
for text in texts:
    md.parse(text)
print(export, time.process_time() - start)
"""


def bench_fresh(seeds: Path, runs: int) -> None:
    exports, tokenizes = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", FRESH_RUN, str(seeds)], capture_output=True, text=True)
        if out.returncode != 0:
            print("  fresh-process measurement failed:", out.stderr.strip().splitlines()[-1:])
            return
        e, t = map(float, out.stdout.split())
        exports.append(e)
        tokenizes.append(t)
    e, t = min(exports), min(tokenizes)
    print(f"  fresh process, modules imported, CPU time (min of {runs}):")
    print(f"    deckgen export:               {e * 1000:8.1f} ms")
    print(f"    markdown-it-py tokenize:      {t * 1000:8.1f} ms")
    print(f"    ratio:                        {e / t:8.2f}x   (target <= 2x)")


COLD_RUN = """
import io, sys, time
from pathlib import Path
files = sorted(p for p in Path(sys.argv[1]).iterdir() if p.is_file())
texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
start, start_cpu = time.perf_counter(), time.process_time()
from deckgen import deck
from deckgen.writers.jsonl import write_jsonl
write_jsonl(deck.load(files).cards, io.StringIO())
export, export_cpu = time.perf_counter() - start, time.process_time() - start_cpu
start, start_cpu = time.perf_counter(), time.process_time()
from markdown_it import MarkdownIt
md = MarkdownIt("commonmark")
for text in texts:
    md.parse(text)
print(export, export_cpu, time.perf_counter() - start, time.process_time() - start_cpu)
"""


def bench_startup(runs: int) -> None:
    def timed(args: list[str]) -> float:
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)

    bare = timed([sys.executable, "-c", "pass"])
    helped = timed([sys.executable, "-m", "deckgen", "--help"])
    print(f"start-up (median of {runs} runs)")
    print(f"  python -c pass:                 {bare * 1000:8.1f} ms")
    print(f"  python -m deckgen --help:       {helped * 1000:8.1f} ms")
    print(f"  difference:                     {(helped - bare) * 1000:8.1f} ms   (target <= 250 ms)")


def bench_markdown_reader(seeds: Path, runs: int) -> None:
    from markdown_it import MarkdownIt

    from deckgen import readers
    from deckgen.card import Source
    from deckgen.deck import FileReport, load_source
    from deckgen.mdconfig import document_markdown
    from deckgen.readers import markdown

    inner: list[Source] = []

    def collect(source: Source) -> None:
        module = readers.pick(source)
        if module is markdown:
            inner.append(source)
        elif module is not None and hasattr(module, "split"):
            for part in module.split(source):
                collect(part)

    for path in sorted(p for p in seeds.iterdir() if p.is_file()):
        source = load_source(path, path.name, FileReport(path.name))
        if source is not None:
            collect(source)
    texts = [s.text for s in inner]
    full = MarkdownIt("commonmark").enable("table")

    def read() -> None:
        for s in inner:
            list(markdown.read(Source(s.name, s.text, line_map=s.line_map)))

    (t_read, c_read), (t_blocks, c_blocks), (t_full, c_full) = best_of(
        runs, read, lambda: [document_markdown().parse(t) for t in texts], lambda: [full.parse(t) for t in texts])
    print(f"markdown reader: {len(inner)} markdown texts, {sum(map(len, texts)) / 1e6:.2f} M chars (best of {runs})")
    print(f"  markdown.read:                  {t_read * 1000:8.1f} ms {c_read * 1000:8.1f} ms")
    print(f"  shared config, blocks only:     {t_blocks * 1000:8.1f} ms {c_blocks * 1000:8.1f} ms")
    print(f"  commonmark + table, full parse: {t_full * 1000:8.1f} ms {c_full * 1000:8.1f} ms")
    print(f"  ratio read / full tokenize:     {t_read / t_full:8.2f}x   {c_read / c_full:8.2f}x")


def main() -> None:
    seeds = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SEEDS
    if seeds.is_dir():
        bench_export(seeds, runs=5)
        bench_fresh(seeds, runs=5)
        bench_markdown_reader(seeds, runs=5)
    else:
        print(f"no seeds at {seeds}; export benchmark skipped")
    bench_startup(runs=15)


if __name__ == "__main__":
    main()
