"""Time of the two PDFs against a floor measured in the same run, long answers, the
whole build, and synthetic decks of growing size. Run by hand:

    python benchmarks/bench_pdf.py                 # all of it
    python benchmarks/bench_pdf.py --rounds 5 --sizes 1250 2500

The floor is reportlab alone laying out the same cards (the seeds, as loaded for
export) as plain paragraphs, no markdown and no shrink-to-fit: two balanced columns
for the cheat sheet, a 2x4 grid (question front, answer back) for the flashcards.
Every measurement runs in a fresh process with its own cache folder: empty ("cold")
unless said otherwise ("warm": an earlier build of the same cards filled it). Fonts
are registered before the clock starts, for ours and the floor alike; rounds
alternate ours and the floor and the best round of each is compared, so a busy
machine slows both alike. Times are wall seconds and CPU seconds (the build's
includes its child process).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

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


def long_card(kilobytes: int, code: bool):
    """One card whose answer is a single paragraph (or code block) of about `kilobytes` KB."""
    from deckgen.card import Card

    rnd = random.Random(kilobytes)
    words, size = [], 0
    while size < kilobytes * 1000:
        words.append(rnd.choice(WORDS))
        size += len(words[-1]) + 1
    if code:
        answer = "```\n" + "\n".join(" ".join(words[i:i + 8]) for i in range(0, len(words), 8)) + "\n```"
    else:
        answer = " ".join(words) + "."
    return [Card("What does the long note say?", answer, source="long.md", line=1, id="1" * 16)]


# --- the floor: reportlab alone, plain paragraphs -------------------------------------------

def _plain(text: str) -> list[str]:
    return [escape(part.replace("\n", " ")) for part in text.split("\n\n") if part.strip()]


def floor_cheatsheet(cards, path) -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    from deckgen.writers.pdf_cheatsheet import BODY_SIZE, GAP, MARGIN
    from deckgen.writers.pdf_fonts import fonts

    fs = fonts()
    doc = BaseDocTemplate(str(path), leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN)
    width = (doc.width - GAP) / 2
    doc.addPageTemplates([PageTemplate("page", [
        Frame(doc.leftMargin + i * (width + GAP), doc.bottomMargin, width, doc.height, 0, 0, 0, 0, id=f"col{i}")
        for i in range(2)])])
    leading = BODY_SIZE * 1.22
    question = ParagraphStyle("q", fontName=fs.bold, fontSize=BODY_SIZE, leading=leading)
    answer = ParagraphStyle("a", fontName=fs.regular, fontSize=BODY_SIZE, leading=leading,
                            spaceAfter=BODY_SIZE * 0.25, splitLongWords=True)
    story = []
    for card in cards:
        if card.answered:
            story.append(Paragraph(escape(card.question), question))
            story.extend(Paragraph(text, answer) for text in _plain(card.answer))
    doc.build(story)


def floor_flashcards(cards, path) -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph

    from deckgen.writers.pdf_flashcards import ANSWER_SIZES, MARGIN, PAD, QUESTION_SIZES
    from deckgen.writers.pdf_fonts import fonts
    from deckgen.writers.pdf_layout import PdfOptions

    fs = fonts()
    page_w, page_h = PdfOptions().page_size(landscape=False)
    cols, rows = 2, 4
    cell_w, cell_h = (page_w - 2 * MARGIN) / cols, (page_h - 2 * MARGIN) / rows
    size, qsize = ANSWER_SIZES[0], QUESTION_SIZES[0]
    question = ParagraphStyle("q", fontName=fs.bold, fontSize=qsize, leading=qsize * 1.2, alignment=1)
    answer = ParagraphStyle("a", fontName=fs.regular, fontSize=size, leading=size * 1.22,
                            spaceAfter=size * 0.25, splitLongWords=True)
    canvas = Canvas(str(path), pagesize=(page_w, page_h))
    answered = [c for c in cards if c.answered]
    for start in range(0, len(answered), cols * rows):
        batch = answered[start:start + cols * rows]
        for side in ("front", "back"):
            for slot, card in enumerate(batch):
                x = MARGIN + (slot % cols) * cell_w + PAD
                top = page_h - MARGIN - (slot // cols) * cell_h - PAD
                if side == "front":
                    para = Paragraph(escape(card.question), question)
                    _w, h = para.wrap(cell_w - 2 * PAD, cell_h)
                    para.drawOn(canvas, x, top - (cell_h - 2 * PAD) / 2 - h / 2)
                    continue
                for text in _plain(card.answer):
                    para = Paragraph(text, answer)
                    _w, h = para.wrap(cell_w - 2 * PAD, cell_h)
                    top -= h
                    para.drawOn(canvas, x, top)
                    top -= answer.spaceAfter
            canvas.showPage()
    canvas.save()


# --- one measurement, in its own process --------------------------------------------------

def _cards(source: str):
    if source == "seeds":
        from deckgen import deck

        return deck.load([SEEDS]).cards
    if source.startswith(("prose", "code")):
        kind, kilobytes = re.fullmatch(r"(prose|code)(\d+)", source).groups()
        return long_card(int(kilobytes), kind == "code")
    return synthetic_cards(int(source))


def measure(which: str, source: str) -> dict:
    """Build one PDF in this process; the numbers as a dict."""
    from deckgen.writers.pdf import PdfOptions, write_cheatsheet_pdf, write_flashcards_pdf
    from deckgen.writers.pdf_fonts import fonts

    cards = _cards(source)
    fonts()
    write = {"cheatsheet": lambda c, p: write_cheatsheet_pdf(c, p, PdfOptions()),
             "cards": lambda c, p: write_flashcards_pdf(c, p, PdfOptions()),
             "floor-cheatsheet": floor_cheatsheet, "floor-cards": floor_flashcards}[which]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.pdf"
        start, cpu = time.perf_counter(), time.process_time()
        write(cards, path)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        size = path.stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux -> MiB
    return {"which": which, "source": source, "cards": sum(c.answered for c in cards),
            "seconds": seconds, "cpu": cpu, "peak_mib": round(peak, 1), "kib": size // 1024}


def run_one(which: str, source: str, cache: str | None = None) -> dict:
    """One measurement in a fresh process; `cache` is the cache folder it may use
    (default: a new empty one, so nothing is reused)."""
    with tempfile.TemporaryDirectory() as empty:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "DECKGEN_CACHE_DIR": cache or empty}
        out = subprocess.run([sys.executable, __file__, "--one", which, source], capture_output=True, text=True,
                             check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def best(which: str, source: str, rounds: int) -> dict:
    runs = [run_one(which, source) for _ in range(rounds)]
    return min(runs, key=lambda r: r["seconds"]) | {"cpu": min(r["cpu"] for r in runs)}


# --- the reports ---------------------------------------------------------------------------

def against_the_floor(rounds: int) -> None:
    """Ours with an empty cache (cold) and with the cache of an earlier build (warm:
    every answer unchanged), against the floor, rounds alternating."""
    print(f"seeds against the floor (best of {rounds} alternating rounds; load {os.getloadavg()[0]:.1f})")
    print(f"{'pdf':<11} {'cache':<5} {'ours s':>7} {'floor s':>8} {'ratio':>6} {'ours cpu':>9} {'floor cpu':>10} "
          f"{'ratio':>6} {'bar':>5}")
    with tempfile.TemporaryDirectory() as warm:
        for which in ("cheatsheet", "cards"):
            run_one(which, "seeds", warm)  # warms the cache
        for which, bar in (("cheatsheet", 1.5), ("cards", 2.0)):
            runs: dict[str, list[dict]] = {"floor": [], "cold": [], "warm": []}
            for _ in range(rounds):
                runs["floor"].append(run_one(f"floor-{which}", "seeds"))
                runs["cold"].append(run_one(which, "seeds"))
                runs["warm"].append(run_one(which, "seeds", warm))
            f_s, f_c = (min(r[k] for r in runs["floor"]) for k in ("seconds", "cpu"))
            for cache in ("cold", "warm"):
                o_s, o_c = (min(r[k] for r in runs[cache]) for k in ("seconds", "cpu"))
                print(f"{which:<11} {cache:<5} {o_s:>7.2f} {f_s:>8.2f} {o_s / f_s:>6.2f} {o_c:>9.2f} {f_c:>10.2f} "
                      f"{o_c / f_c:>6.2f} {bar:>5}", flush=True)


def long_answers(rounds: int) -> None:
    print("\none long answer: 400 KB against 100 KB (bar: 4x)")
    print(f"{'answer':<8} {'pdf':<11} {'100 KB s':>9} {'400 KB s':>9} {'ratio':>6}")
    for kind in ("prose", "code"):
        for which in ("cheatsheet", "cards"):
            small, large = best(which, f"{kind}100", rounds), best(which, f"{kind}400", rounds)
            print(f"{kind:<8} {which:<11} {small['seconds']:>9.2f} {large['seconds']:>9.2f} "
                  f"{large['seconds'] / small['seconds']:>6.2f}", flush=True)


def whole_build(rounds: int) -> None:
    """`deckgen build` of the seeds (apkg and both PDFs) with a warm parse cache."""
    print(f"\ndeckgen build of the seeds, parse cache warm (bar: 3 s; {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f})")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "DECKGEN_CACHE_DIR": str(Path(tmp) / "cache")}
        command = [sys.executable, "-m", "deckgen", "build", str(SEEDS), "-o", str(Path(tmp) / "out")]
        subprocess.run(command, env=env, capture_output=True, check=True)  # warms the cache
        times = []
        for _ in range(rounds):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(command, env=env, capture_output=True, check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            times.append((time.perf_counter() - start, cpu))
    wall, cpu = min(times)
    print(f"best wall {wall:.2f} s, cpu {cpu:.2f} s (all rounds: "
          + ", ".join(f"{w:.2f}/{c:.2f}" for w, c in times) + ")")


def synthetic(sizes: list[int]) -> None:
    print("\nsynthetic decks (growth should be linear)")
    print(f"{'pdf':<11} {'input':>6} {'cards':>6} {'seconds':>8} {'ms/card':>8} {'peak MiB':>9} {'KiB':>7}")
    for source in map(str, sizes):
        for which in ("cheatsheet", "cards"):
            r = run_one(which, source)
            per = 1000 * r["seconds"] / max(r["cards"], 1)
            print(f"{which:<11} {source:>6} {r['cards']:>6} {r['seconds']:>8.2f} {per:>8.1f} {r['peak_mib']:>9.1f} "
                  f"{r['kib']:>7}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[1250, 2500, 5000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--one", nargs=2, metavar=("WHICH", "SOURCE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(*args.one)))
        return
    if SEEDS.is_dir():
        against_the_floor(args.rounds)
    else:
        print(f"seed notes not found at {SEEDS}: no floor comparison and no build timing")
    long_answers(args.rounds)
    if SEEDS.is_dir():
        whole_build(args.rounds)
    synthetic(args.sizes)


if __name__ == "__main__":
    main()
