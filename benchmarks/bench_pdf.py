"""Time and peak memory of the two PDFs: the five seed notes, then synthetic decks
of growing size (growth should be linear). Run by hand:

    python benchmarks/bench_pdf.py            # seeds + 1,250 / 2,500 / 5,000 synthetic cards
    python benchmarks/bench_pdf.py --sizes 500 1000

Each measurement runs in a fresh process, so peak RSS is that build's own.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"

WORDS = ("gradient variance bias softmax attention token embedding loss regularization dropout batch layer "
         "norm convolution kernel stride pooling recall precision entropy prior posterior likelihood sampling "
         "boosting tree forest margin hinge logistic linear vector matrix").split()


def synthetic_cards(n: int, seed: int = 7):
    """Cards shaped like real notes: prose, nested lists, code, math, Unicode."""
    from deckgen.card import Card

    rnd = random.Random(seed)

    def words(lo, hi):
        return " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(lo, hi)))

    cards = []
    for i in range(n):
        roll = rnd.random()
        if roll < 0.45:
            answer = words(15, 90) + "."
        elif roll < 0.75:
            answer = "Key points:\n\n" + "\n".join(
                f"- {words(3, 15)}" + (f"\n  - {words(2, 8)}" if rnd.random() < 0.3 else "")
                for _ in range(rnd.randint(2, 7)))
        elif roll < 0.9:
            answer = "In code:\n\n```python\n" + "\n".join(
                f"{'    ' * (j % 3)}x{j} = {rnd.choice(WORDS)}({j})  # {words(1, 10)}"
                for j in range(rnd.randint(2, 14))) + "\n```\n"
        elif roll < 0.98:
            answer = r"The loss $L = -\sum_{i=1}^{n} y_i \log \hat{y}_i$ with $\alpha \le \beta$ → converges ✓."
        else:  # a long one that overflows a flashcard
            answer = "\n\n".join(words(60, 120) for _ in range(8))
        cards.append(Card(question=f"Q{i}: what is the {words(3, 12)}?", answer=answer,
                          source=f"notes_{i % 8}.md", line=i + 1,
                          section=(f"Topic {i % 8}", f"Part {(i // 9) % 5}"), id=f"{i:016x}",
                          difficulty=rnd.choice([None, "easy", "medium", "hard"]), answered=rnd.random() > 0.05))
    return cards


def measure(which: str, source: str) -> dict:
    """Build one PDF in this process; print a JSON line with the numbers."""
    from deckgen.writers.pdf import PdfOptions, write_cheatsheet_pdf, write_flashcards_pdf

    if source == "seeds":
        from deckgen import deck

        cards = deck.load([SEEDS]).cards
    else:
        cards = synthetic_cards(int(source))
    write = write_cheatsheet_pdf if which == "cheatsheet" else write_flashcards_pdf
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        result = write(cards, Path(tmp) / "out.pdf", PdfOptions(include_unanswered=True))
        seconds = time.perf_counter() - start
        size = result.path.stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux -> MiB
    return {"which": which, "source": source, "cards": result.cards, "pages": result.pages,
            "seconds": round(seconds, 2), "peak_mib": round(peak, 1), "kib": size // 1024}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[1250, 2500, 5000])
    parser.add_argument("--one", nargs=2, metavar=("WHICH", "SOURCE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(*args.one)))
        return
    sources = (["seeds"] if SEEDS.is_dir() else []) + [str(n) for n in args.sizes]
    print(f"{'pdf':<11} {'input':>6} {'cards':>6} {'pages':>6} {'seconds':>8} {'ms/card':>8} {'peak MiB':>9} {'KiB':>7}")
    for source in sources:
        for which in ("cheatsheet", "cards"):
            out = subprocess.run([sys.executable, __file__, "--one", which, source],
                                 capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            per = 1000 * r["seconds"] / max(r["cards"], 1)
            print(f"{r['which']:<11} {r['source']:>6} {r['cards']:>6} {r['pages']:>6} {r['seconds']:>8.2f} "
                  f"{per:>8.1f} {r['peak_mib']:>9.1f} {r['kib']:>7}", flush=True)


if __name__ == "__main__":
    main()
