"""Labelled answer sets for the grader's benchmarks and its fitting script, read from ../shared/.

Sets: SemEval-2013 Task 7 training splits (real student answers, 2-way labels, Beetle and
SciEntsBank), ../shared/gold/grader_dev.jsonl (3-way) and benchmarks/grader_heldout.jsonl (3-way,
never fitted on). Rows carry `set`, `qid` (grouping for cross-validation), `label`, the
references and, once measured, one feature vector per reference.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
SEMEVAL = {"beetle": SHARED / "data" / "semeval2013" / "beetle-train.jsonl",
           "scientsbank": SHARED / "data" / "semeval2013" / "scientsbank-train.jsonl"}
DEV = SHARED / "gold" / "grader_dev.jsonl"
HELDOUT = ROOT / "benchmarks" / "grader_heldout.jsonl"
LABELS = {"incorrect": 0, "partial": 1, "correct": 2}


def read(path: Path, name: str) -> list[dict]:
    if not path.is_file():
        print(f"{name} not found at {path}: skipped")
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for r in rows:
        r["set"] = name
        r["qid"] = f"{name}:{r['qid']}"
    return rows


def fit_sets() -> list[dict]:
    """The rows the grader is fitted on: both SemEval training splits and the dev set."""
    rows = []
    for name, path in SEMEVAL.items():
        rows += read(path, name)
    return rows + read(DEV, "dev")


def folds_or_exit(script: str, why: str) -> int | None:
    """The `--folds` argument of a grader script, or None (with a message) when scikit-learn,
    which the grouped cross-validation needs, is not installed."""
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print(f"{script} needs scikit-learn{' ' + why if why else ''}: pip install 'deckgen[bench]'")
        return None
    return args.folds


def references(row: dict) -> list[str]:
    return list(dict.fromkeys([row["reference"], *row.get("references", [])]))


def measure(rows: list[dict]) -> None:
    """Attach each row's feature vectors (one per accepted answer, its `A / B` alternatives included)."""
    from deckgen.quiz import grader

    for r in rows:
        vectors = []
        for ref in references(r):
            for alt in grader.alternatives(ref):
                f = grader.features(r["answer"], alt, r.get("question", ""))
                empty = not r["answer"].strip() or not (f["content"] or f["key_hit"]) or (
                    f["idk"] and f["recall"] < 0.15)
                found = grader.flags(f)
                vectors.append({**grader.feature_vector(f, found), "_empty": empty,
                                "_capped": "swapped" in found or "contradiction" in found,
                                "_number": "wrong_number" in found or ("terms_left" in found and f["ref"].contrast)})
        r["vectors"] = vectors
        from rapidfuzz import fuzz

        r["tsr"] = max(fuzz.token_set_ratio(r["answer"].lower(), ref.lower()) for ref in references(r))
