"""Hostile runs of one character cost linear time in every reader (issue 12 item 5).

Each reader reads long runs of every ASCII punctuation character (and of space, tab and
newline), bare and inside the structure the reader looks for. Reading eight times as much
text may take at most ~30 times as long (linear is 8, a quadratic pattern 64), measured
with the real reader in the same run; no absolute time limit.
"""

from __future__ import annotations

import json
import string
import time

import pytest

from deckgen.card import Source
from deckgen.readers import bullets, notebook, posts, repodump, tabular

CHARS = string.punctuation + " \t\n"
SMALL, FACTOR = 1500, 8


def _dump(body: str) -> str:
    return "├── a.md\n/a.md:\n" + "-" * 80 + "\n1 | " + body + "\n" + "-" * 80 + "\n"


def _cell(body: str) -> str:
    return json.dumps({"cells": [{"cell_type": "markdown", "source": ["## " + body]},
                                 {"cell_type": "code", "source": ["def f(x):\n", body]}]})


def _cells_around(run: str) -> str:
    """The run between a letter and more text, where headings, task labels and names are read."""
    markdown = ["# x" + run + "y", "Q" + run + "x", "## Q" + run + "x", "<" + run, "Difficulty" + run + "x"]
    code = ["def f(" + run + ")->" + run + "\n", "import " + run + "x\n", "# Task" + run + "x\n", run]
    return json.dumps({"cells": [{"cell_type": "markdown", "source": [m]} for m in markdown]
                       + [{"cell_type": "code", "source": code}]})


SHAPES = {
    bullets: [lambda run: run, lambda run: "What is it?\n  • " + run + "\n  • a\n  • b\nQ" + run + "x",
              lambda run: "What is it?" + run + "x? y:\n  • a\n  • http://" + run + " x\n  • b"],
    posts: [lambda run: run, lambda run: "A title\n" + run + "\nWhat is it?\n" + run,
            lambda run: "\n".join(["1. A title" + run + "x:"] + ["a line"] * 12 + ["#" + run])],
    notebook: [_cell, lambda run: '{"cells": [ "cell_type": "code", "source": ["' + run, _cells_around],
    repodump: [_dump, lambda run: _dump("# t " + run + " 2 | " + run), lambda run: _dump(run + "x")],
    tabular: [lambda run: run, lambda run: "#separator:tab\n#html:true\nq\t<b>" + run + "\nq" + run + "\t" + run],
}


def _cost(module, text: str) -> float:
    start = time.perf_counter()
    module.sniff(text)
    if hasattr(module, "sniff_bound"):
        module.sniff_bound(text)
    source = Source("hostile.txt", text)
    if hasattr(module, "split"):
        for inner in module.split(source):
            len(inner.text)
    else:
        list(module.read(source))
    return time.perf_counter() - start


@pytest.mark.parametrize("module", list(SHAPES), ids=lambda m: m.NAME)
def test_long_runs_of_one_character_read_in_linear_time(module):
    slow = []
    for shape in SHAPES[module]:
        for ch in CHARS:
            small, large = shape(ch * SMALL), shape(ch * SMALL * FACTOR)
            for _ in range(3):      # a busy machine may stall one measurement: measure again
                ratio = _cost(module, large) / max(_cost(module, small), 1e-3)
                if ratio <= 30:
                    break
            else:
                slow.append((repr(ch), round(ratio)))
    assert not slow, f"{module.NAME}: reading {FACTOR}x more text took this many times longer: {slow}"
