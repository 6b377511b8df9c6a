"""Anki export speed and memory, run by hand: `python benchmarks/bench_anki.py [SEEDS_DIR] [--sizes 5000,10000,20000]`.

1. Building the five seeds: reading them (deck.load) and writing the .apkg (writers.anki).
2. N synthetic cards (mixed markdown: paragraphs, nested lists, code, math, tables) written
   by deckgen's writer against a bare genanki script writing the same notes: the same
   HTML (deckgen.render.to_html), one deck per file, Package.write_to_file.
   Target: deckgen <= 1.5x the bare script, in time and peak memory, and linear in N.
   Also a rebuild with 1% of the questions slightly edited (id map + fuzzy matching).

Each measurement runs in a fresh child process so peak memory (ru_maxrss) is its own.
Times are CPU seconds of that process (time.process_time), which stay meaningful on a
machine shared with other jobs; wall time would measure the neighbours.
Prints numbers only; nothing here asserts.
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
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"

WORDS = ("gradient model loss feature label batch tensor weight bias layer sample variance metric "
         "precision recall entropy kernel margin token embedding attention dropout optimizer").split()


def synthetic_cards(n: int, seed: int = 1):
    """n cards from 20 files x 10 sections; every 5th has code, every 7th math, every 20th a table."""
    from deckgen.card import Card
    from deckgen.deck import assign_ids

    rng = random.Random(seed)

    def sentence(k: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(k)).capitalize() + "."

    cards = []
    for i in range(n):
        parts = [sentence(14), f"- {sentence(6)}\n  - {sentence(5)}\n  - **{rng.choice(WORDS)}** {sentence(4)}"]
        if i % 5 == 0:
            parts.append(f"```python\ndef f_{i}(x, y=2):\n    # {sentence(4)}\n    return [v ** y for v in x]\n```")
        if i % 7 == 0:
            parts.append(f"Here $\\sigma_{i % 9}^2 = E[(X-\\mu)^2]$ and\n\n$$\\sum_{{k=1}}^{{{i}}} w_k x_k$$")
        if i % 20 == 0:
            parts.append("| a | b |\n|---|---|\n| " + rng.choice(WORDS) + " | " + rng.choice(WORDS) + " |")
        question = f"Question {i}: what does the {rng.choice(WORDS)} {rng.choice(WORDS)} do?"
        file = f"notes/topic{i % 20:02d}.md"
        section = ("Primer", f"Section {(i // 20) % 10}")
        cards.append(Card(question, "\n\n".join(parts), file, i + 1, section,
                          difficulty=rng.choice(("easy", "medium", "hard", None))))
    return assign_ids(cards)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(kind: str, n: int, seeds: str) -> dict:
    """One measurement, in this (fresh) process."""
    out = Path(tempfile.mkdtemp(prefix="bench_anki_"))
    result: dict = {"kind": kind, "n": n}
    if kind == "seeds":
        from deckgen import deck as deckmod
        from deckgen.writers.anki import has_answer, write_apkg

        start = time.process_time()
        deck = deckmod.load([seeds])
        loaded = time.process_time()
        cards = [c for c in deck.cards if has_answer(c)]
        report = write_apkg(cards, out, "Seeds")
        done = time.process_time()
        result.update(load_s=loaded - start, write_s=done - loaded, notes=report.notes, size_kb=report.size / 1024,
                      peak_mb=_rss_mb())
        return result

    cards = synthetic_cards(n)
    base_mb = _rss_mb()
    if kind == "deckgen":
        from deckgen.writers.anki import write_apkg

        start = time.process_time()
        report = write_apkg(cards, out, "Bench")
        result["first_s"] = time.process_time() - start
        result["size_kb"] = report.size / 1024
        result["peak_mb"] = _rss_mb()  # before the rebuild below adds its own copies
        # rebuild: 1% of the questions get a small edit, all keep their notes
        from dataclasses import replace

        from deckgen.deck import assign_ids
        edited = assign_ids([replace(c, question=c.question.replace("what", "What"), id="", tags=())
                             if i % 100 == 0 else replace(c, id="", tags=()) for i, c in enumerate(cards)])
        start = time.process_time()
        again = write_apkg(edited, out, "Bench")
        result["rebuild_s"] = time.process_time() - start
        result["rebuild"] = f"{again.new} new, {again.updated} updated, {again.unchanged} unchanged"
    else:  # the bare genanki script
        import genanki

        from deckgen.render import to_html

        start = time.process_time()
        model = genanki.Model(1607392319, "Bare", fields=[{"name": "Question"}, {"name": "Answer"}],
                              templates=[{"name": "Card 1", "qfmt": "{{Question}}",
                                          "afmt": "{{FrontSide}}<hr id=answer>{{Answer}}"}])
        decks: dict[str, genanki.Deck] = {}
        for card in cards:
            name = f"Bench::{card.source}::{card.section[-1]}"
            deck = decks.setdefault(name, genanki.Deck(abs(hash(name)) % (1 << 30) + (1 << 30), name))
            deck.add_note(genanki.Note(model=model, fields=[card.question, to_html(card.answer)],
                                       tags=[t.replace(" ", "_") for t in card.tags],
                                       guid=genanki.guid_for(card.id)))
        genanki.Package(list(decks.values())).write_to_file(str(out / "bare.apkg"))
        result["first_s"] = time.process_time() - start
        result["size_kb"] = (out / "bare.apkg").stat().st_size / 1024
        result["peak_mb"] = _rss_mb()
    result["extra_mb"] = result["peak_mb"] - base_mb
    return result


def run_child(kind: str, n: int, seeds: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", kind, "--n", str(n), str(seeds)],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", nargs="?", default=str(DEFAULT_SEEDS))
    parser.add_argument("--sizes", default="5000,10000,20000")
    parser.add_argument("--child", choices=("seeds", "deckgen", "genanki"))
    parser.add_argument("--n", type=int, default=0)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.n, args.seeds)))
        return

    if Path(args.seeds).is_dir():
        r = run_child("seeds", 0, args.seeds)
        print(f"seeds: read {r['load_s']:.2f} s, write .apkg {r['write_s']:.2f} s for {r['notes']} notes "
              f"({r['size_kb']:.0f} KiB), peak RSS {r['peak_mb']:.0f} MB")
    else:
        print(f"seeds: {args.seeds} not found, skipped")

    print(f"{'cards':>7} {'deckgen s':>10} {'genanki s':>10} {'ratio':>6} {'us/card':>8} "
          f"{'deckgen MB':>11} {'genanki MB':>11} {'ratio':>6} {'rebuild s':>10}  rebuild report")
    for n in (int(x) for x in args.sizes.split(",")):
        ours, bare = run_child("deckgen", n, args.seeds), run_child("genanki", n, args.seeds)
        print(f"{n:>7} {ours['first_s']:>10.2f} {bare['first_s']:>10.2f} {ours['first_s'] / bare['first_s']:>6.2f} "
              f"{ours['first_s'] / n * 1e6:>8.0f} {ours['extra_mb']:>11.0f} {bare['extra_mb']:>11.0f} "
              f"{ours['extra_mb'] / max(bare['extra_mb'], 1):>6.2f} {ours['rebuild_s']:>10.2f}  {ours['rebuild']}")
    print("s = CPU seconds; MB = peak RSS growth while writing (cards already in memory); sizes: "
          f"deckgen {ours['size_kb']:.0f} KiB, genanki {bare['size_kb']:.0f} KiB at {n} cards")


if __name__ == "__main__":
    main()
