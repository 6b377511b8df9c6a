"""Grader benchmark: every labelled set side by side with rapidfuzz baselines measured in the same run, and speed.

    PYTHONPATH=$PWD python3 benchmarks/bench_grader.py [--folds 5]

Sets: SemEval-2013 Task 7 training splits (Beetle, SciEntsBank: real student answers, 2-way labels),
../shared/gold/grader_dev.jsonl (3-way) and benchmarks/grader_heldout.jsonl (3-way, never fitted on).
Methods, each with the same figures (3-way accuracy, Spearman(score, label), correct-vs-incorrect on
the 3-way sets; 2-way accuracy on SemEval):
  - grader, cross-validated: the grader's model (benchmarks/fit_grader.py) refitted per fold of a
    grouped 5-fold split by question over SemEval + dev, each answer scored by a model that never saw
    its question: the honest figure for SemEval and dev;
  - grader, shipped: the constants in deckgen/quiz/grader.py (fitted on SemEval + dev: on those an
    in-sample figure; on the held-out set the honest one);
  - rapidfuzz token_set_ratio / ratio alone (best over the references), thresholds fitted the same way
    (per fold for SemEval and dev, on all of SemEval + dev for the held-out set).
Then: median grade time for a 1,500-character reference (cold: reference not cached), 10,000 batch grades.
"""

from __future__ import annotations

import random
import statistics
import time

import fit_grader as fit
from grader_sets import HELDOUT, fit_sets, folds_or_exit, measure, read, references

from deckgen.quiz import grader

SETS_2WAY = ("beetle", "scientsbank")


def _thresholds(scores, labels, two_way):
    """{True: (correct_at, 0) for 2-way rows, False: (correct_at, partial_at) for 3-way rows}, each fitted
    on the rows of its kind to make the most right verdicts."""
    out = {}
    for kind in (True, False):
        pairs = [(s, lab) for s, lab, w in zip(scores, labels, two_way) if w == kind]
        best = (-1, 50, 0)
        for correct_at in range(5, 101):
            if kind:
                right = sum((s >= correct_at) == (lab == "correct") for s, lab in pairs)
                partial_at = 0
            else:
                partial_at = fit.fit_partial_at([s for s, _ in pairs], [lab for _, lab in pairs], correct_at)
                right = sum(fit.verdict(s, correct_at, partial_at) == lab for s, lab in pairs)
            if right > best[0]:
                best = (right, correct_at, partial_at)
        out[kind] = best[1:]
    return out


def baseline_cv(rows, scores, folds):
    """Out-of-fold verdicts of a one-number baseline: thresholds fitted on the other questions."""
    from sklearn.model_selection import GroupKFold

    verdicts = [""] * len(rows)
    labels = [r["label"] for r in rows]
    two_way = [r["set"] in SETS_2WAY for r in rows]
    for train, test in GroupKFold(n_splits=folds).split(rows, groups=[r["qid"] for r in rows]):
        at = _thresholds([scores[i] for i in train], [labels[i] for i in train], [two_way[i] for i in train])
        for i in test:
            verdicts[i] = fit.verdict(scores[i], *at[two_way[i]])
    return verdicts


def figures(rows, scores, verdicts):
    """'3-way / Spearman / c-v-i' for a 3-way set, '2-way' for SemEval."""
    labels = [r["label"] for r in rows]
    if rows[0]["set"] in SETS_2WAY:
        return {"2-way": sum((v == "correct") == (lab == "correct") for v, lab in zip(verdicts, labels)) / len(rows)}
    pairs = [(v, lab) for v, lab in zip(verdicts, labels) if lab != "partial"]
    return {"3-way": sum(v == lab for v, lab in zip(verdicts, labels)) / len(rows),
            "Spearman": fit.spearman(scores, [fit.LABELS[lab] for lab in labels]),
            "c-v-i": sum((v == "correct") == (lab == "correct") for v, lab in pairs) / len(pairs)}


def table(results):
    print(f"{'set':12s} {'method':34s} {'3-way':>6s} {'Spearman':>9s} {'c-v-i':>6s} {'2-way':>6s}")
    for name, method, figs in results:
        cells = [f"{figs[k]:.3f}" if k in figs else "" for k in ("3-way", "Spearman", "c-v-i", "2-way")]
        print(f"{name:12s} {method:34s} {cells[0]:>6s} {cells[1]:>9s} {cells[2]:>6s} {cells[3]:>6s}")


def shipped(rows):
    scores, verdicts = [], []
    for r in rows:
        g = grader.grade(r["answer"], r["reference"], r.get("question", ""), r.get("references", ()))
        scores.append(g.score)
        verdicts.append(g.verdict)
    return scores, verdicts


def main() -> int:
    folds = folds_or_exit("bench_grader", "for its grouped cross-validation")
    if folds is None:
        return 1
    rows = fit_sets()
    heldout = read(HELDOUT, "heldout")
    if not rows and not heldout:
        return 0
    measure(rows)
    from rapidfuzz import fuzz

    cv_scores, cv_verdicts = fit.cross_validate(rows, fit.DEV_WEIGHT, folds) if rows else ([], [])
    ship_scores, ship_verdicts = shipped(rows)
    held_scores, held_verdicts = shipped(heldout)
    baselines = {}
    for title, scorer in (("rapidfuzz token_set_ratio", fuzz.token_set_ratio), ("rapidfuzz ratio", fuzz.ratio)):
        fit_scores = [max(scorer(r["answer"].lower(), ref.lower()) for ref in references(r)) for r in rows]
        ho_scores = [max(scorer(r["answer"].lower(), ref.lower()) for ref in references(r)) for r in heldout]
        at = _thresholds(fit_scores, [r["label"] for r in rows], [r["set"] in SETS_2WAY for r in rows])
        baselines[title] = (fit_scores, baseline_cv(rows, fit_scores, folds),
                            ho_scores, [fit.verdict(s, *at[False]) for s in ho_scores])
    results = []
    for name in ("beetle", "scientsbank", "dev"):
        idx = [i for i, r in enumerate(rows) if r["set"] == name]
        if not idx:
            continue
        sub = [rows[i] for i in idx]

        def pick(values):
            return [values[i] for i in idx]

        results.append((name, f"grader, grouped {folds}-fold CV", figures(sub, pick(cv_scores), pick(cv_verdicts))))
        results.append((name, "grader, shipped (in-sample)", figures(sub, pick(ship_scores), pick(ship_verdicts))))
        for title, (scores, verdicts, _, _) in baselines.items():
            results.append((name, title + ", CV", figures(sub, pick(scores), pick(verdicts))))
    if heldout:
        results.append(("heldout", "grader, shipped (never fitted on)", figures(heldout, held_scores, held_verdicts)))
        for title, (_, _, scores, verdicts) in baselines.items():
            results.append(("heldout", title, figures(heldout, scores, verdicts)))
    table(results)
    for name, data, verdicts in (("held-out", heldout, held_verdicts),
                                 ("dev (CV)", [r for r in rows if r["set"] == "dev"],
                                  [v for v, r in zip(cv_verdicts, rows) if r["set"] == "dev"])):
        by_kind(name, data, verdicts)
    speed(rows)
    return 0


def by_kind(name, rows, verdicts):
    if not rows:
        return
    print(f"{name} by answer kind (verdicts):")
    for kind in dict.fromkeys(r.get("type", r["label"]) for r in rows):
        counts = {}
        for r, v in zip(rows, verdicts):
            if r.get("type", r["label"]) == kind:
                counts[v] = counts.get(v, 0) + 1
        right = sum(v == r["label"] for r, v in zip(rows, verdicts) if r.get("type", r["label"]) == kind)
        print(f"  {kind:22s} " + "  ".join(f"{v} {counts.get(v, 0):2d}" for v in ("correct", "partial", "incorrect"))
              + f"   ({right}/{sum(counts.values())} right)")


def speed(rows):
    """Median grade time for a 1,500-character reference, cold and cached; 10,000 batch grades."""
    # speed: a 1,500-character reference, each grade on a reference not seen before (caches cleared)
    import os

    from deckgen.quiz import grader_text

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (timings stretch under load)")
    rng = random.Random(7)
    vocabulary = ("gradient descent updates the weights against the gradient of the loss with a learning rate; "
                  "momentum averages past gradients, Adam adapts per-parameter steps using first and second "
                  "moment estimates, batch size trades noise for throughput, schedulers decay the rate").split()

    def reference(seed):
        words, text = vocabulary[:], []
        rng.seed(seed)
        while len(" ".join(text)) < 1500:
            rng.shuffle(words)
            text.append("- " + " ".join(words[:14]).capitalize() + ".\n")
        return "".join(text)[:1500]

    answer = "Adam uses first and second moment estimates and per-parameter steps; momentum averages gradients"
    question = "How do SGD with momentum and Adam differ?"
    cases = [(answer, reference(seed), question) for seed in range(1, 31)]
    # real notes of about that length, when the dev set is at hand
    cases += [(r["answer"], r["reference"], r["question"]) for r in rows if 1300 <= len(r["reference"]) <= 1700]
    for case in cases:
        grader.grade(*case)  # warm up imports and the word lists (wordfreq loads once per process)
    times, cpu = [], []
    for case in cases:
        for _ in range(5):
            grader._prepare.cache_clear()
            grader_text._tokens.cache_clear()
            start, start_cpu = time.perf_counter(), time.thread_time()
            grader.grade(*case)
            cpu.append(time.thread_time() - start_cpu)
            times.append(time.perf_counter() - start)
    print(f"median grade time, ~1,500-character reference, cold (not cached), {len(cases)} references: "
          f"{statistics.median(times) * 1000:.2f} ms wall, {statistics.median(cpu) * 1000:.2f} ms CPU "
          f"(target < 5 ms)")
    ref = reference(999)
    grader.grade(answer, ref, question)
    warm = []
    for n in range(300):
        start = time.perf_counter()
        grader.grade(answer + " " + str(n), ref, question)
        warm.append(time.perf_counter() - start)
    print(f"median grade time, same reference again (prepared reference cached): "
          f"{statistics.median(warm) * 1000:.2f} ms")
    refs = [reference(seed) for seed in range(1000, 1100)]
    answers = [answer, "momentum", "I don't know", "the learning rate decays over time with a scheduler",
               "Adam adapts the step per parameter"]
    start = time.perf_counter()
    for n in range(10_000):
        grader.grade(answers[n % len(answers)], refs[n % len(refs)], question)
    print(f"10,000 batch grades (100 references, 5 answers): {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    raise SystemExit(main())
