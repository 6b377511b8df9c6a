import json

from conftest import seed_file

from deckgen.card import Source
from deckgen.readers import notebook, pick, repodump


def md(*lines):
    return {"cell_type": "markdown", "metadata": {}, "source": list(lines)}


def code(*lines, outputs=None):
    return {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": outputs or [],
            "source": list(lines)}


def nb(*cells, language="python"):
    return json.dumps({"cells": list(cells), "metadata": {"language_info": {"name": language}},
                       "nbformat": 4, "nbformat_minor": 5}, indent=1)


def cards_of(text, name="practice.ipynb", prefix=()):
    source = Source(name=name, text=text, section_prefix=prefix)
    return list(notebook.read(source)), source


RELU = code("def relu(x):\n", "    return max(0.0, x)\n")
PNG = {"output_type": "display_data", "metadata": {},
       "data": {"image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
                "text/plain": ["<Figure size 432x288 with 1 Axes>"]}}


def test_valid_notebook_gives_one_code_card_per_titled_exercise():
    text = nb(md("## Sigmoid"), code("import math\n", "def sigmoid(z):\n", "    return 1 / (1 + math.exp(-z))"),
              md("## Mean squared error"), code("def mse(y, p):\n", "    return sum((a - b) ** 2 for a, b in zip(y, p)) / len(y)"))
    cards, source = cards_of(text)
    assert [c.question for c in cards] == ["Implement sigmoid from scratch", "Implement mean squared error from scratch"]
    assert all(c.kind == "code" and c.answered for c in cards)
    assert cards[0].answer == "```python\nimport math\ndef sigmoid(z):\n    return 1 / (1 + math.exp(-z))\n```"
    assert source.diagnostics == []


def test_card_line_points_at_the_title_cell():
    text = nb(md("# Dropout"), code("def dropout(x, p):\n", "    return x"))
    cards, _ = cards_of(text)
    lines = text.split("\n")
    assert lines[cards[0].line - 1].strip() == '"# Dropout"'


def test_outputs_are_never_read():
    text = nb(md("## ReLU"), code("def relu(x):\n", "    return max(0.0, x)\n", outputs=[PNG]))
    (card,), _ = cards_of(text)
    assert "iVBOR" not in card.answer and "Figure size" not in card.answer
    assert "return max(0.0, x)" in card.answer


def test_step_headings_and_tests_stay_in_the_exercise():
    text = nb(md("## Softmax"), md("Softmax turns scores into probabilities."),
              md("### Code"), code("import numpy as np\n", "def softmax(z):\n", "    e = np.exp(z - z.max())\n",
                                  "    return e / e.sum()"),
              md("### Test"), code("print(softmax(np.array([1.0, 2.0])))"))
    (card,), _ = cards_of(text)
    assert card.question == "Implement softmax from scratch"
    assert "def softmax" in card.answer and "print(softmax(" in card.answer
    assert "probabilities" not in card.answer  # markdown is context, not the answer


def test_nested_heading_without_code_becomes_the_section():
    text = nb(md("# Pooling"), md("## Max pooling"), code("def max_pool(xs):\n", "    return max(xs)"),
              md("## Average pooling"), code("def avg_pool(xs):\n", "    return sum(xs) / len(xs)"))
    cards, _ = cards_of(text, prefix=("notebooks/pooling.ipynb",))
    assert [c.question for c in cards] == ["Implement max pooling from scratch",
                                           "Implement average pooling from scratch"]
    assert all(c.section == ("notebooks/pooling.ipynb", "Pooling") for c in cards)


def test_definition_sentence_widens_the_title_and_class_name_is_hinted():
    text = nb(md("## Naive Bayes"),
              md("Naive Bayes classifiers are simple probabilistic models that assume independent features."),
              code("class GaussianNB:\n", "    def fit(self, X, y):\n", "        self.classes = set(y)\n"))
    (card,), _ = cards_of(text)
    assert card.question == "Implement Naive Bayes classifiers from scratch (GaussianNB)"


def test_untitled_notebook_is_named_after_its_class():
    text = nb(code("class RidgeRegression:\n", "    def fit(self, X, y):\n", "        self.w = X.T @ y\n",
                   "    def predict(self, X):\n", "        return X @ self.w\n"))
    (card,), _ = cards_of(text)
    assert card.question == "Implement ridge regression from scratch (RidgeRegression class with fit, predict)"


def test_stub_exercise_is_unanswered():
    text = nb(md("### Lasso"), code("class Lasso:\n", "    def fit(self, X, y):\n", "\n", "    def predict(self, X):\n",
                                    "        pass"))
    (card,), _ = cards_of(text)
    assert not card.answered and card.answer == ""


def test_optimized_version_of_the_same_class_continues_the_exercise():
    text = nb(md("## Normalizer"), code("class Normalizer:\n", "    def fit(self, X):\n", "        self.m = X.mean()\n"),
              md("## Faster variant"), code("class Normalizer:\n", "    def fit(self, X):\n", "        self.m = X.sum() / len(X)\n"))
    (card,), _ = cards_of(text)
    assert card.answer.count("class Normalizer") == 2


def test_explanation_only_notebook_gives_no_cards():
    text = nb(md("# Reading list"), md("Papers about attention to read later."))
    cards, source = cards_of(text)
    assert cards == []
    assert [d.message for d in source.diagnostics] == ["notebook has 2 cells but no code exercise; no cards"]


def test_language_comes_from_notebook_metadata():
    text = nb(md("## Vector sum"), code("sum_vec <- function(v) sum(v)"), language="R")
    (card,), _ = cards_of(text)
    assert card.answer.startswith("```r\n")


def test_broken_json_is_scanned_with_a_diagnostic():
    text = nb(md("## Hinge loss"), code("def hinge(y, s):\n", "    return max(0, 1 - y * s)")) [:-40]
    cards, source = cards_of(text)
    assert [c.question for c in cards] == ["Implement hinge loss from scratch"]
    assert "return max(0, 1 - y * s)" in cards[0].answer
    assert any("not valid JSON" in d.message and d.line for d in source.diagnostics)


def test_flattened_dump_lines_are_scanned():
    # as a repo dump rebuilds them: one JSON token per line, indentation collapsed
    lines = ['{', '"cells": [', '{', '"cell_type": "markdown",', '"source": [', '"## Cosine similarity"', ']',
             '},', '{', '"cell_type": "code",', '"outputs": [ {"data": {"text/plain": [', '"', '"', ']}} ],',
             '"source": [', '"def cos(a, b):\\n",', '" return dot(a, b) / (norm(a) * norm(b))"', ']', '}', ']']
    cards, source = cards_of("\n".join(lines))
    assert [c.question for c in cards] == ["Implement cosine similarity from scratch"]
    assert cards[0].line == 6  # the title string, not the cell's opening brace
    # (the dump collapsed the indentation to one space: it is restored)
    assert "def cos(a, b):\n    return dot(a, b) / (norm(a) * norm(b))" in cards[0].answer


def test_fragment_starting_mid_notebook_is_read():
    lines = [']', '},', '{', '"cell_type": "markdown",', '"source": [',
             '"The Scaler class has the following methods:\\n",', '"fit(self, X): learns the range\\n"', ']', '},',
             '{', '"cell_type": "code",', '"source": [', '"s = Scaler()\\n",', '"s.fit([1, 2, 3])"', ']', '}']
    cards, _ = cards_of("\n".join(lines))
    assert [c.question for c in cards] == ["Implement scaler from scratch (Scaler class with fit)"]
    assert cards[0].line == 6  # the explanation that names the class


def test_garbage_gives_no_cards_and_says_why():
    # no fragment holds a titled code exercise: no card, and a diagnostic explains the empty result
    for text in ['"source": [', '{"cells": 3}', '"cell_type": "code" "source": "x = 1', "[1, 2", '"source": ["\\u12']:
        cards, source = cards_of(text)
        assert cards == [], text
        assert any("no cards" in d.message for d in source.diagnostics), text


def test_registry_sends_ipynb_to_this_reader():
    assert pick(Source(name="dump.txt::nb/a.ipynb", text="{}")) is notebook


def test_seed_dump_notebooks_become_code_cards():
    path = seed_file("003_")
    outer = Source(name=path.name, text=path.read_text(encoding="utf-8"))
    cards = []
    for inner in repodump.split(outer):
        if inner.suffix == ".ipynb":
            cards += list(notebook.read(inner))
    assert cards and all(c.kind == "code" for c in cards)
    assert all(c.answer.startswith("```python\n") for c in cards if c.answered)
    assert not any("iVBOR" in c.answer or '"outputs"' in c.answer for c in cards)
    # every exercise names what it implements and keeps the notebook path as its section
    assert all(c.question.startswith("Implement ") and c.section[0].endswith(".ipynb") for c in cards)
    # a notebook whose functions are left empty is a placeholder, not an answer
    assert any(not c.answered for c in cards)


def test_abbreviated_title_is_spelled_out_without_repeating_the_class():
    text = nb(md("### KNN"), code("class KNN:\n", "    def fit(self, X, y):\n", "        self.X, self.y = X, y\n"))
    (card,), _ = cards_of(text)
    assert card.question == "Implement k-nearest neighbors (KNN) from scratch"


def test_numbered_task_cells_each_become_a_card_under_the_title():
    text = nb(md("# NumPy drills"), md("1. Create a 3x3 identity matrix"), code("I = np.eye(3)"),
              md("2. Reverse a vector in place"), code("v = v[::-1]"),
              md("How would you count the non-zero entries?"), code("np.count_nonzero(v)"))
    cards, _ = cards_of(text)
    assert [c.question for c in cards] == ["Create a 3x3 identity matrix", "Reverse a vector in place",
                                           "How would you count the non-zero entries?"]
    assert all(c.section == ("NumPy drills",) for c in cards)
    assert cards[1].answer == "```python\nv = v[::-1]\n```"


def test_same_exercise_in_two_notebooks_of_one_dump_is_not_folded(tmp_path):
    from deckgen import deck

    def entry(path, cells):
        lines = nb(*cells).split("\n")
        return [f"{path}: {'-' * 80}"] + [f"{n} | {line.strip()}" for n, line in enumerate(lines, 1)] + ["-" * 80]

    # two different implementations that share most of their words
    first = [md("### KNN"), code("class KNN:\n", " def predict(self, X):\n", " d = np.linalg.norm(X - self.X, axis=1)\n",
                                 " return self.y[np.argsort(d)[:self.k]]")]
    second = [md("## KNN"), code("import numpy as np\n", "class KNN:\n", " def __init__(self, k):\n", " self.k = k\n",
                                 " def predict(self, X):\n", " d = np.linalg.norm(X[:, None] - self.X, axis=2)\n",
                                 " return self.y[np.argsort(d)[:, :self.k]]")]
    dump = "\n".join(["├── a.ipynb", "└── b.ipynb"] + entry("/a.ipynb", first) + entry("/b.ipynb", second))
    (tmp_path / "dump.txt").write_text(dump, encoding="utf-8")
    cards = deck.load([tmp_path]).cards
    assert [c.source for c in cards] == ["dump.txt::a.ipynb", "dump.txt::b.ipynb"]


def test_untitled_code_is_named_by_a_task_comment_or_its_function():
    (card,), _ = cards_of(nb(code("# Implement the ReLU activation\n", "def relu(x):\n", "    return max(0, x)")))
    assert card.question == "Implement the ReLU activation"
    (card,), _ = cards_of(nb(code("# helpers\n", "def clip(x, lo, hi):\n", "    return min(max(x, lo), hi)")))
    assert card.question == "Implement clip()"


def test_sniff_wants_notebook_json_not_notes_quoting_it():
    assert notebook.sniff(nb(md("## A"), code("x = 1"))) >= 0.9
    quoted = '# Jupyter format\n\nA cell looks like:\n\n```json\n{"cell_type": "code", "source": ["x = 1"]}\n```\n'
    assert notebook.sniff(quoted) == 0.0


def test_old_nbformat_3_worksheets_are_read():
    old = {"nbformat": 3, "metadata": {}, "worksheets": [{"cells": [
        {"cell_type": "heading", "level": 2, "source": ["Step function"]},
        {"cell_type": "code", "input": ["def step(x):\n", "    return 1 if x > 0 else 0"], "outputs": []}]}]}
    (card,), _ = cards_of(json.dumps(old))
    assert card.question == "Implement step function from scratch"
    assert "return 1 if x > 0 else 0" in card.answer


def test_code_loses_trailing_spaces_and_runs_of_blank_lines():
    text = nb(md("## Clip"), code("\n", "\n", "def clip(x, lo, hi):   \n", "\n", "\n", "\n",
                                  "    return min(max(x, lo), hi)\n", "\n"))
    (card,), _ = cards_of(text)
    assert card.answer == "```python\ndef clip(x, lo, hi):\n\n    return min(max(x, lo), hi)\n```"


def test_headings_that_start_like_a_step_stay_in_the_exercise():
    text = nb(md("## Moving average"),
              code("def moving_average(xs, k):\n", "    return [sum(xs[i:i + k]) / k for i in range(len(xs) - k + 1)]"),
              md("### Testing on a short series"), code("print(moving_average([1, 2, 3, 4], 2))"),
              md("### Plot of the smoothed series"), code("plt.plot(moving_average(series, 7))"))
    (card,), _ = cards_of(text)
    assert card.question == "Implement moving average from scratch"
    assert "print(moving_average(" in card.answer and "plt.plot(" in card.answer


# --- exercise cells, difficulty, sections (issue 8 item 7) -----------------------------------

def test_bold_number_task_cells_give_one_code_card_each_with_the_section_difficulty():
    text = nb(md("# Pandas drills"),
              md("## Selecting rows\n", "Difficulty: easy"),
              md("**1.** Keep only the rows where `age` is above 30."), code("df[df.age > 30]"),
              md("**2.** Count the distinct cities."), code("df.city.nunique()"),
              md("## Grouping"), md("**Difficulty:** Hard"),
              md("**3.** Average salary per department."), code("df.groupby('dept').salary.mean()"))
    cards, _ = cards_of(text)
    assert [c.question for c in cards] == ["Keep only the rows where `age` is above 30.",
                                           "Count the distinct cities.", "Average salary per department."]
    assert [c.difficulty for c in cards] == ["easy", "easy", "hard"]
    assert all(c.kind == "code" and c.answered for c in cards)
    assert cards[1].answer == "```python\ndf.city.nunique()\n```"
    assert "Difficulty" not in " ".join(c.answer for c in cards)


def test_sibling_sections_replace_each_other_instead_of_nesting():
    text = nb(md("# Drills"), md("## Strings"), md("1. Reverse a string."), code("s[::-1]"),
              md("## Lists"), md("### Sorting"), md("2. Sort a list in place."), code("xs.sort()"),
              md("## Sets"), md("3. Count unique items."), code("len(set(xs))"))
    cards, _ = cards_of(text)
    assert [c.section for c in cards] == [("Drills", "Strings"), ("Drills", "Lists", "Sorting"),
                                          ("Drills", "Sets")]


def test_a_difficulty_line_in_a_task_cell_is_that_task_s_own():
    text = nb(md("## Arrays\n", "Difficulty: medium"),
              md("**1.** Flip a matrix upside down.\n", "Difficulty: hard"), code("m[::-1]"),
              md("**2.** Transpose a matrix."), code("m.T"))
    cards, _ = cards_of(text)
    assert [c.difficulty for c in cards] == ["hard", "medium"]


# --- flattened code from dumps (issue 11 item 4) ---------------------------------------------

def test_a_flattened_code_cell_gets_its_indentation_back_and_says_so():
    text = nb(md("## Running mean"),
              code("def running_mean(xs):\n", " total = 0\n", " out = []\n", " for i, x in enumerate(xs):\n",
                   " total += x\n", " out.append(total / (i + 1))\n", " return out\n", "print(running_mean([1, 3]))"))
    (card,), _ = cards_of(text)
    assert card.answer == ("```python\ndef running_mean(xs):\n    total = 0\n    out = []\n"
                           "    for i, x in enumerate(xs):\n        total += x\n        out.append(total / (i + 1))\n"
                           "    return out\nprint(running_mean([1, 3]))\n```")
    assert "indentation-restored" in card.tags


def test_code_that_kept_its_indentation_is_not_marked_restored():
    (card,), _ = cards_of(nb(md("## ReLU"), RELU))
    assert card.tags == () and "    return max(0.0, x)" in card.answer


def test_a_cell_cut_by_a_splice_loses_its_damaged_last_line_with_a_diagnostic():
    # a notebook body broken off inside a code cell, as a dump splice leaves it
    text = ('{"cells": [{"cell_type": "markdown", "source": ["## Nearest centre"]}, '
            '{"cell_type": "code", "source": ["def nearest(x, cs):\\n", " best = None\\n", '
            '" for c in cs:\\n", " d = abs(x - c)\\n", " if d= 0.0, 1, -1)\\n"')
    (card,), source = cards_of(text)
    assert "if d=" not in card.answer
    assert "        d = abs(x - c)" in card.answer
    assert any("damaged" in d.message and "if d=" in d.message for d in source.diagnostics)


def test_a_from_scratch_exercise_whose_class_was_lost_is_unanswered_and_reported():
    text = nb(md("## Perceptron\n", "Write the `Perceptron` class with `fit(self, X, y)` and `predict(self, X)`."),
              code("import numpy as np\n", "p = Perceptron()\n", "p.fit(np.zeros((2, 2)), [1, -1])"))
    (card,), source = cards_of(text)
    assert not card.answered and "p = Perceptron()" in card.answer
    assert any("only uses Perceptron" in d.message for d in source.diagnostics)
    # an imported class is a library call, not a lost implementation
    text = nb(md("## Scaling"), code("from sklearn.preprocessing import StandardScaler\n", "s = StandardScaler()"))
    (card,), _ = cards_of(text)
    assert card.answered


def test_deckgen_build_says_in_the_source_field_that_indentation_was_restored(tmp_path):
    import html
    import re

    from test_bullets_reader import anki_fields

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "drills.ipynb").write_text(nb(
        md("## Clip"), code("def clip(x, lo, hi):\n", " if x < lo:\n", " return lo\n", " return min(x, hi)"),
        md("## ReLU"), RELU), encoding="utf-8")
    by_source = {r["Question"]: r for r in anki_fields(notes, tmp_path)}
    clip = by_source["Implement clip from scratch"]
    assert "indentation restored" in clip["Source"] and clip["Source"].startswith("drills.ipynb:")
    shown = html.unescape(re.sub(r"<[^>]+>", "", clip["Answer"]))
    assert "    if x < lo:\n        return lo\n    return min(x, hi)" in shown
    assert "indentation restored" not in by_source["Implement ReLU from scratch"]["Source"]


def test_a_cell_listing_several_tasks_pairs_them_with_the_solution_cells_in_order():
    text = nb(md("## Arrays\n", "**1)** Make a 3x3 identity matrix.\n", "\n", "**2)** Reverse a vector.\n", "\n",
                 "**3)** Stack two vectors side by side."),
              code("np.eye(3)"), md("Slicing with a negative step walks backwards."), code("v[::-1]"),
              md("**4**. Sum each row of a matrix."), code("m.sum(axis=1)"))
    cards, _ = cards_of(text)
    assert [(c.question, c.answer, c.answered) for c in cards] == [
        ("Make a 3x3 identity matrix.", "```python\nnp.eye(3)\n```", True),
        ("Reverse a vector.", "```python\nv[::-1]\n```", True),
        ("Stack two vectors side by side.", "", False),          # no solution cell: unanswered, not lost
        ("Sum each row of a matrix.", "```python\nm.sum(axis=1)\n```", True)]
    assert all(c.section == ("Arrays",) for c in cards)
