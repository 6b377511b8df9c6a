"""Fit the grader's model: a logistic regression over its interpretable features, by grouped
cross-validation over questions on SemEval-2013 (Beetle, SciEntsBank training splits) and
../shared/gold/grader_dev.jsonl together. benchmarks/grader_heldout.jsonl is never read here.

    PYTHONPATH=$PWD python3 benchmarks/fit_grader.py [--folds 5]

Prints the cross-validated figures (every fold's model and thresholds fitted without the
questions it is measured on) for a few settings of the dev set's weight, then the constants to
write into deckgen/quiz/grader.py (MODEL, PARTIAL_AT), fitted on all the rows.
"""

from __future__ import annotations

import math

from grader_sets import LABELS, fit_sets, folds_or_exit, measure

from deckgen.quiz.grader import FEATURES, KEY_NUMBER_SCORE



REGULARIZATION_C = 1.0  # sklearn default; C from 0.1 to 10 moved no grouped-CV figure by more than 0.02
DEV_WEIGHT = 30.0  # one dev answer weighs as 30 SemEval ones: the best grouped-CV figures of the weights tried


def score(v, model, caps=True, partial_at=25, correct_at=50):
    if v["_empty"]:
        return 0.0
    z = model["bias"] + sum(model[k] * v[k] for k in FEATURES)
    s = 100.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
    if v["key_number"]:
        s = max(s, KEY_NUMBER_SCORE)
    if caps and v["_capped"]:
        s = min(s, partial_at - 5)
    elif caps and v["_number"]:
        s = min(s, correct_at - 5)
    return s


def best_vector(r, model):
    """The vector of the reference the answer scores best against (the first one before a model)."""
    if model is None or len(r["vectors"]) == 1:
        return r["vectors"][0]
    return max(r["vectors"], key=lambda v: score(v, model))


def fit(rows, indices, dev_weight, rounds=2):
    from sklearn.linear_model import LogisticRegression

    model = None
    for _ in range(rounds):  # pick each row's best reference under the model, refit
        X, y, w = [], [], []
        for i in indices:
            r = rows[i]
            v = best_vector(r, model) if model else max(r["vectors"], key=lambda v: v["recall"] + v["fuzz"])
            x = [v[k] for k in FEATURES]
            weight = dev_weight if r["set"] == "dev" else 1.0
            labels = [(1, 0.5), (0, 0.5)] if r["label"] == "partial" else [(int(r["label"] == "correct"), 1.0)]
            for label, share in labels:
                X.append(x); y.append(label); w.append(weight * share)  # noqa: E702
        clf = LogisticRegression(C=REGULARIZATION_C, max_iter=2000).fit(X, y, sample_weight=w)
        model = {"bias": float(clf.intercept_[0]), **{k: float(c) for k, c in zip(FEATURES, clf.coef_[0])}}
    return model


def verdict(s, correct_at, partial_at):
    return "correct" if s >= correct_at else "partial" if s >= partial_at else "incorrect"


def fit_partial_at(scores, labels, correct_at=50):
    """The partial/incorrect threshold below correct_at that makes the most right verdicts (ties: nearest 25)."""
    best = (-1, correct_at)
    for p in range(5, correct_at):
        acc = sum(verdict(s, correct_at, p) == lab for s, lab in zip(scores, labels))
        if acc > best[0] or (acc == best[0] and abs(p - 25) < abs(best[1] - 25)):
            best = (acc, p)
    return best[1]


def spearman(xs, ys):
    from scipy.stats import spearmanr

    return float(spearmanr(xs, ys).statistic)


def three_way(scores, labels, correct_at, partial_at):
    verdicts = [verdict(s, correct_at, partial_at) for s in scores]
    acc = sum(v == lab for v, lab in zip(verdicts, labels)) / len(labels)
    pairs = [(v, lab) for v, lab in zip(verdicts, labels) if lab != "partial"]
    binary = sum((v == "correct") == (lab == "correct") for v, lab in pairs) / len(pairs)
    return acc, spearman(scores, [LABELS[lab] for lab in labels]), binary


def cross_validate(rows, dev_weight, folds=5, caps=True):
    """Out-of-fold scores and verdicts: each fold's model and PARTIAL_AT fitted on the other questions."""
    from sklearn.model_selection import GroupKFold

    scores, verdicts = [0.0] * len(rows), [""] * len(rows)
    groups = [r["qid"] for r in rows]
    for train, test in GroupKFold(n_splits=folds).split(rows, groups=groups):
        model = fit(rows, train, dev_weight)
        dev_train = [i for i in train if rows[i]["set"] == "dev"]
        partial_at = fit_partial_at([score(best_vector(rows[i], model), model, caps) for i in dev_train],
                                    [rows[i]["label"] for i in dev_train]) if dev_train else 25
        for i in test:
            scores[i] = score(best_vector(rows[i], model), model, caps, partial_at)
            verdicts[i] = verdict(scores[i], 50, partial_at)
    return scores, verdicts


def report(rows, scores, verdicts, title):
    print(title)
    for name in ("beetle", "scientsbank"):
        idx = [i for i, r in enumerate(rows) if r["set"] == name]
        if idx:
            acc = sum((verdicts[i] == "correct") == (rows[i]["label"] == "correct") for i in idx) / len(idx)
            print(f"  SemEval {name:12s} 2-way accuracy {acc:.3f}  ({len(idx)} answers)")
    idx = [i for i, r in enumerate(rows) if r["set"] == "dev"]
    if idx:
        labels = [rows[i]["label"] for i in idx]
        verdict_acc = sum(verdicts[i] == rows[i]["label"] for i in idx) / len(idx)
        _, rho, _ = three_way([scores[i] for i in idx], labels, 50, 25)
        pairs = [i for i in idx if rows[i]["label"] != "partial"]
        binary = sum((verdicts[i] == "correct") == (rows[i]["label"] == "correct") for i in pairs) / len(pairs)
        print(f"  dev 3-way {verdict_acc:.3f}  Spearman {rho:.3f}  correct-vs-incorrect {binary:.3f}")


def main() -> int:
    folds = folds_or_exit("fit_grader", "")
    if folds is None:
        return 1
    rows = fit_sets()
    measure(rows)
    for dev_weight in (1.0, 10.0, DEV_WEIGHT, 100.0):
        for caps in (True, False):
            scores, verdicts = cross_validate(rows, dev_weight, folds, caps)
            report(rows, scores, verdicts, f"grouped {folds}-fold CV, dev weight {dev_weight}, caps {caps}:")
    dev_weight = DEV_WEIGHT
    model = fit(rows, range(len(rows)), dev_weight)
    dev = [i for i, r in enumerate(rows) if r["set"] == "dev"]
    partial_at = fit_partial_at([score(best_vector(rows[i], model), model) for i in dev], [rows[i]["label"] for i in dev])
    print(f"fitted on all rows (dev weight {dev_weight}):")
    print("MODEL = {" + ", ".join(f'"{k}": {v:.3f}' for k, v in model.items()) + "}")
    print(f"PARTIAL_AT = {partial_at}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
