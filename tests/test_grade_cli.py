"""`deckgen grade` through its real entry point, `python -m deckgen grade`."""

import json
import subprocess
import sys

REFERENCE = ("Precision is the share of predicted positives that are truly positive.\n"
             "Recall is the share of actual positives that the model finds.")
QUESTION = "How do precision and recall differ?"


def run(*args, stdin=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "deckgen", "grade", *args], input=stdin, capture_output=True,
                          text=True, timeout=60, cwd=cwd)


def test_single_answer_json():
    out = run("--reference", REFERENCE, "--question", QUESTION, "--json", "--answer",
              "precision: of the predicted positives, how many are truly positive; "
              "recall: of the actual positives, how many the model finds")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["verdict"] == "correct" and result["score"] >= 55
    assert len(result["hits"]) == 2 and result["misses"] == []
    assert result["rating"] in (3, 4)


def test_single_answer_text_marks_hits_and_misses():
    out = run("--reference", REFERENCE, "--question", QUESTION, "--answer",
              "recall is the share of actual positives the model finds")
    assert out.returncode == 0, out.stderr
    first, *rest = out.stdout.splitlines()
    assert first.startswith("partial")
    assert any(line.startswith("  + Recall") for line in rest)
    assert any(line.startswith("  - Precision") for line in rest)


def test_swapped_terms_from_the_command_line():
    out = run("--reference", REFERENCE, "--question", QUESTION, "--json", "--answer",
              "recall: of the predicted positives, how many are truly positive; "
              "precision: of the actual positives, how many the model finds")
    assert json.loads(out.stdout)["verdict"] == "incorrect"


def test_batch_passes_other_keys_through(tmp_path):
    lines = [
        {"id": 7, "question": QUESTION, "reference": REFERENCE, "answer": "I don't know", "who": "ana"},
        {"id": 8, "question": QUESTION, "reference": REFERENCE,
         "answer": "precision = true positives among predicted positives, recall = positives found"},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n", encoding="utf-8")
    dst = tmp_path / "out" / "graded.jsonl"
    out = run("--batch", str(src), "-o", str(dst))
    assert out.returncode == 0, out.stderr
    graded = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert [g["id"] for g in graded] == [7, 8]
    assert graded[0]["who"] == "ana" and graded[0]["verdict"] == "incorrect" and graded[0]["score"] == 0
    assert graded[1]["verdict"] == "correct"
    for g in graded:
        assert set(g) >= {"question", "reference", "answer", "score", "verdict", "hits", "misses"}


def test_batch_from_stdin_to_stdout():
    line = json.dumps({"question": QUESTION, "reference": REFERENCE, "answer": "recall"})
    out = run("--batch", "-", stdin=line + "\n")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["verdict"] in ("incorrect", "partial")


def test_malformed_lines_are_named_and_the_rest_is_graded(tmp_path):
    src = tmp_path / "in.jsonl"
    good = {"question": QUESTION, "reference": REFERENCE, "answer": "recall is the share of actual positives found"}
    src.write_text("\n".join([json.dumps({**good, "id": 1}), "{not json", json.dumps({"question": QUESTION}),
                              json.dumps({**good, "id": 4}), json.dumps([1, 2]),
                              json.dumps({**good, "references": "not a list"}), json.dumps({**good, "id": 7})])
                   + "\n", encoding="utf-8")
    dst = tmp_path / "graded.jsonl"
    out = run("--batch", str(src), "-o", str(dst))
    assert out.returncode == 2  # some lines were skipped: a script can tell
    problems = [line for line in out.stderr.splitlines() if "line skipped" in line]
    assert [p.split(":")[2] for p in problems] == ["2", "3", "5", "6"]
    assert f"{src}:2: not valid JSON" in problems[0]
    assert "missing text field 'answer'" in problems[1]
    assert "expected a JSON object, got list" in problems[2]
    assert "'references' must be a list" in problems[3]
    assert "4 malformed lines skipped, 3 graded" in out.stderr
    graded = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert [g["id"] for g in graded] == [1, 4, 7]
    assert all(g["verdict"] in ("partial", "correct") for g in graded)


def test_batch_of_only_bad_lines_writes_no_file(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("{not json\n", encoding="utf-8")
    dst = tmp_path / "graded.jsonl"
    out = run("--batch", str(src), "-o", str(dst))
    assert out.returncode == 2 and f"{src}:1: not valid JSON" in out.stderr
    assert not dst.exists()


def test_batch_references_list_accepts_any_of_them(tmp_path):
    src = tmp_path / "in.jsonl"
    lines = [{"question": "Which activation is used in most hidden layers today?", "answer": "relu",
              "references": ["Sigmoid was used in early networks.", "ReLU"]},
             {"question": "Which activation is used in most hidden layers today?", "answer": "relu",
              "reference": "Sigmoid was used in early networks."}]
    src.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    out = run("--batch", str(src))
    assert out.returncode == 0, out.stderr
    with_list, without = [json.loads(line) for line in out.stdout.splitlines()]
    assert with_list["verdict"] == "correct"
    assert without["verdict"] == "incorrect"


def test_missing_arguments_is_a_clear_error():
    out = run("--answer", "x")
    assert out.returncode == 2
    assert "--reference" in out.stderr and "Traceback" not in out.stderr


def test_missing_batch_file(tmp_path):
    out = run("--batch", str(tmp_path / "nope.jsonl"))
    assert out.returncode == 2 and "cannot read" in out.stderr


def test_non_text_field_and_bad_encoding_name_their_line(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"question": QUESTION, "reference": REFERENCE, "answer": 42}) + "\n", encoding="utf-8")
    out = run("--batch", str(src))
    assert out.returncode == 2 and f"{src}:1: field 'answer' must be text" in out.stderr
    good = json.dumps({"question": QUESTION, "reference": REFERENCE, "answer": "recall"}).encode()
    src.write_bytes(good + b"\n" + b'{"answer": "\xff\xfe"}\n')
    out = run("--batch", str(src))
    assert out.returncode == 2 and f"{src}:2: not UTF-8 text" in out.stderr
    assert json.loads(out.stdout)["answer"] == "recall"  # the good line before it is graded
