"""Quiz start-up: time from launching `deckgen quiz` on the seed notes to the first
question on screen, with a cold and a warm parse cache. Prints numbers (target < 0.5 s).

    python benchmarks/bench_quiz.py [SOURCES…]     (default ../shared/seeds)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def time_to_first_question(sources: list[str], env: dict, db: str) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "deckgen", "quiz", *sources, "--db", db, "--limit", "1"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=env, cwd=ROOT)
    seen = b""
    while b"Type your answer" not in seen:
        chunk = proc.stdout.read1(4096)
        if not chunk:
            raise SystemExit("deckgen quiz ended before showing a question")
        seen += chunk
    elapsed = time.perf_counter() - start
    proc.kill()
    proc.wait()
    return elapsed


def main() -> None:
    sources = sys.argv[1:] or [str(ROOT.parent / "shared" / "seeds")]
    if not all(Path(s).exists() for s in sources):
        raise SystemExit(f"sources not found: {sources} (../shared/seeds is absent?)")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DECKGEN_CACHE_DIR": str(Path(tmp) / "cache")}
        db = str(Path(tmp) / "progress.sqlite3")
        cold = time_to_first_question(sources, env, db)
        warm = [time_to_first_question(sources, env, db) for _ in range(7)]
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare = time.perf_counter() - start
    print(f"quiz start-up on {', '.join(sources)}")
    print(f"  cold parse cache (first run):     {cold * 1000:8.1f} ms")
    print(f"  warm parse cache (median of 7):   {statistics.median(warm) * 1000:8.1f} ms   (target < 500 ms)")
    print(f"  bare python -c pass:              {bare * 1000:8.1f} ms")
    print(f"  load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
