"""Question styles of interview collections the seeds do not show.

Each input is small and written for this file; the assertions say what a reader of the
deck must get: every question once, its whole answer and nothing of the next one, text
instead of HTML, the difficulty the file states, and no cards made of introductions.
"""

import json
import re

from deckgen.card import Source
from deckgen.readers import markdown, notebook, read

RULE = "-" * 80


def cards_of(*lines, name="notes.md"):
    source = Source(name=name, text="\n".join(lines))
    return list(markdown.read(source)), source


def qa(cards):
    return [(c.question, c.answer) for c in cards]


# --- HTML reveal blocks -------------------------------------------------------------------

DETAILS = [
    "# Clustering interview prep",
    "",
    "### 1. What does the elbow method look for?",
    "<details>",
    "<summary>Answer</summary>",
    "",
    "The bend where adding clusters stops reducing the within-cluster spread much.",
    "",
    "</details>",
    "",
    "### 2. Why run k-means several times?",
    "<details><summary><b>Show answer</b></summary>",
    "<p>Its result depends on the starting centroids, so restarts avoid a poor local optimum.</p>",
    "<ul>",
    "<li>Keep the run with the lowest inertia.</li>",
    "<li>k-means++ seeding needs fewer restarts.</li>",
    "</ul>",
    "</details>",
    "",
    "### 3. What is a silhouette score?",
    "<details>",
    "<summary>Answer</summary>",
    "</details>",
]


def test_details_blocks_give_text_answers_without_markup():
    cards, _ = cards_of(*DETAILS)
    assert [c.question for c in cards] == [
        "What does the elbow method look for?", "Why run k-means several times?", "What is a silhouette score?"]
    first, second, third = cards
    assert first.answer == "The bend where adding clusters stops reducing the within-cluster spread much."
    assert second.answer.startswith("Its result depends on the starting centroids")
    assert "- Keep the run with the lowest inertia." in second.answer
    assert "- k-means++ seeding needs fewer restarts." in second.answer
    for card in cards:
        assert "<" not in card.answer and "Show answer" not in card.answer
    assert third.answered is False and third.answer == ""


def test_summary_that_asks_is_the_question_and_the_legend_sets_the_level():
    cards, _ = cards_of(
        "# Containers",
        "",
        "Legend: ⭐ = beginner, ⭐⭐ = intermediate, ⭐⭐⭐ = advanced",
        "",
        "<details>",
        "<summary>⭐ What does a container image hold?</summary>",
        "",
        "The filesystem layers and the settings needed to start the process.",
        "</details>",
        "",
        "<details><summary>⭐⭐⭐ How do cgroups limit a container?</summary>",
        "They cap the CPU, memory and IO the process group may use.",
        "</details>",
    )
    assert [(c.question, c.difficulty, c.kind) for c in cards] == [
        ("What does a container image hold?", "easy", "question"),
        ("How do cgroups limit a container?", "hard", "question")]
    assert cards[1].answer == "They cap the CPU, memory and IO the process group may use."


def test_html_entities_and_inline_tags_become_plain_markdown():
    cards, _ = cards_of(
        "## What does <code>np.where</code> return?",
        "<p>Indices where a condition holds &amp; values picked from two arrays.</p>",
    )
    assert cards[0].question == "What does np.where return?"
    assert cards[0].answer == "Indices where a condition holds & values picked from two arrays."


def test_pre_blocks_are_code():
    cards, _ = cards_of(
        "## How do you reverse a list in Python?",
        "<pre><code>",
        "items[::-1]",
        "</code></pre>",
    )
    assert cards[0].answer == "```\nitems[::-1]\n```"


# --- labelled questions -------------------------------------------------------------------

def test_q_and_a_labels_in_bold_or_plain():
    cards, _ = cards_of(
        "# Hypothesis testing",
        "## Basics",
        "**Q:** What does a type I error mean?",
        "**A:** Rejecting a null hypothesis that is true.",
        "",
        "**Q:** State what a confidence level controls.",
        "",
        "**A:** How often intervals built this way cover the true value.",
        "It is not the chance that one given interval does.",
        "",
        "**Q:** What is a two-sided test?",
        "**A:**",
        "",
        "Q: Why correct for multiple comparisons? A: Many tests make some false positives likely.",
    )
    assert qa(cards) == [
        ("What does a type I error mean?", "Rejecting a null hypothesis that is true."),
        ("State what a confidence level controls.",
         "How often intervals built this way cover the true value.\n"
         "It is not the chance that one given interval does."),
        ("What is a two-sided test?", ""),
        ("Why correct for multiple comparisons?", "Many tests make some false positives likely."),
    ]
    assert cards[2].answered is False
    assert all(c.kind == "question" for c in cards)  # "Basics" holds only questions: no topic card


def test_q_numbered_headings_ask_even_without_a_question_mark():
    cards, _ = cards_of(
        "# Graph questions",
        "### Q1: Describe a topological sort",
        "An order of nodes where every edge points forward.",
        "### Q2. When does Dijkstra fail?",
        "With negative edge weights.",
        "### Question 3 - What is a spanning tree?",
        "A tree that touches every node of a connected graph.",
        "#### Example",
        "A road network kept connected with the fewest roads.",
    )
    assert [c.question for c in cards] == [
        "Describe a topological sort", "When does Dijkstra fail?", "What is a spanning tree?"]
    assert cards[0].answer == "An order of nodes where every edge points forward."
    assert "A road network kept connected" in cards[2].answer  # the sub-heading stays in the answer


def test_bold_question_label_inside_the_previous_answer_starts_a_new_question():
    cards, _ = cards_of(
        "### 1. What is a heap?",
        "A tree where each parent orders before its children.",
        "",
        "---",
        "",
        "**Question 2: Why is heap insertion logarithmic?**",
        "",
        "The new item climbs at most the height of the tree.",
    )
    assert qa(cards) == [
        ("What is a heap?", "A tree where each parent orders before its children."),
        ("Why is heap insertion logarithmic?", "The new item climbs at most the height of the tree."),
    ]


def test_answer_heading_and_numbered_prompt_headings():
    cards, _ = cards_of(
        "# Networking questions",
        "## 1. What is a socket?",
        "### Answer",
        "An endpoint for sending and receiving data across a network.",
        "## 2. Explain the TCP handshake",
        "### Answer",
        "SYN, SYN-ACK, ACK: both sides agree on starting sequence numbers.",
        "## 3. Describe what a load balancer does",
        "### Answer",
    )
    assert [(c.question, c.answered) for c in cards] == [
        ("What is a socket?", True), ("Explain the TCP handshake", True),
        ("Describe what a load balancer does", False)]
    assert cards[1].answer == "SYN, SYN-ACK, ACK: both sides agree on starting sequence numbers."
    assert all(c.kind == "question" for c in cards)


def test_answer_label_bullet_under_a_numbered_question():
    cards, _ = cards_of(
        "1. What is the median of 1, 3 and 8?",
        "   * Answer: 3, the middle value.",
        "2. What is the mode of a sample?",
    )
    assert qa(cards) == [("What is the median of 1, 3 and 8?", "3, the middle value."),
                         ("What is the mode of a sample?", "")]


# --- tables of questions --------------------------------------------------------------------

def test_question_table_rows_become_cards_with_their_level():
    cards, _ = cards_of(
        "# Git questions",
        "",
        "| # | Question | Answer | Level |",
        "|---|----------|--------|:-----:|",
        "| 1 | What does `git rebase` do? | Replays commits on top of another base. | Medium |",
        "| 2 | What is a detached HEAD? | Checking out a commit instead of a branch. | Hard |",
        "| 3 | What does `git stash` keep? | | Easy |",
        "",
        "## Quick ones",
        "| Question | Answer |",
        "|:--|:--|",
        "| What is a fork? | A copy of a repository under another owner. |",
    )
    assert [(c.question, c.answer, c.difficulty, c.answered) for c in cards] == [
        ("What does git rebase do?", "Replays commits on top of another base.", "medium", True),
        ("What is a detached HEAD?", "Checking out a commit instead of a branch.", "hard", True),
        ("What does git stash keep?", "", "easy", False),
        ("What is a fork?", "A copy of a repository under another owner.", None, True),
    ]
    assert cards[3].section == ("Git questions", "Quick ones")


def test_a_table_inside_an_answer_stays_there():
    cards, _ = cards_of(
        "## How do lists and sets differ?",
        "| Feature | List | Set |",
        "|---|---|---|",
        "| Order | kept | none |",
    )
    assert len(cards) == 1 and "| Order | kept | none |" in cards[0].answer


# --- difficulty tags -----------------------------------------------------------------------

def test_tags_in_brackets_parentheses_and_emoji_anywhere_on_the_question():
    cards, _ = cards_of(
        "# Operating systems",
        "## Memory",
        "- **[Easy]** What is virtual memory?",
        "  - Each process sees its own address space.",
        "- **[Hard]** Why can a TLB miss be expensive?",
        "  - The page table walk touches memory several times.",
        "## Scheduling",
        "### What is a context switch? (Medium)",
        "Saving one task's state and loading another's.",
        "### (Easy) What is a time slice?",
        "The interval a task may run before the scheduler steps in.",
        "### What is priority inversion? [Hard]",
        "A low priority task holds a lock a high priority one needs.",
        "### 🟢 What does a mutex protect?",
        "A critical section from concurrent entry.",
    )
    assert [(c.question, c.difficulty) for c in cards] == [
        ("What is virtual memory?", "easy"), ("Why can a TLB miss be expensive?", "hard"),
        ("What is a context switch?", "medium"), ("What is a time slice?", "easy"),
        ("What is priority inversion?", "hard"), ("What does a mutex protect?", "easy")]
    assert cards[0].answer == "- Each process sees its own address space."
    assert all(c.kind == "question" for c in cards)


def test_legend_symbols_inside_bold_questions():
    cards, _ = cards_of(
        "Legend: 🐣 easy ‍⭐️ medium 🔥 expert",
        "",
        "**What is a hash collision? 🐣**",
        "",
        "Two keys landing in the same bucket.",
        "",
        "**How does open addressing resolve one? ‍⭐️**",
        "",
        "It probes other slots until a free one turns up.",
    )
    assert [(c.question, c.difficulty) for c in cards] == [
        ("What is a hash collision?", "easy"), ("How does open addressing resolve one?", "medium")]


def test_dunder_names_in_code_spans_survive_question_cleaning():
    cards, _ = cards_of("## What does `__repr__` return?", "A string meant for developers.")
    assert cards[0].question == "What does __repr__ return?"


# --- answers as indented paragraphs ------------------------------------------------------------

def test_indented_paragraph_answers_keep_their_inner_lists_and_code():
    cards, _ = cards_of(
        "## Training",
        "",
        "1. Why does batch size matter?",
        "",
        "    Larger batches give smoother gradients but fewer updates per epoch.",
        "",
        "    1. What about memory? It grows with the batch.",
        "    2. Which is faster per epoch? Usually the larger batch.",
        "",
        "2. How do you clip gradients?",
        "",
        "    ```python",
        "    torch.nn.utils.clip_grad_norm_(params, 1.0)",
        "    ```",
        "",
        "3. What is early stopping?",
    )
    assert [c.question for c in cards] == [
        "Why does batch size matter?", "How do you clip gradients?", "What is early stopping?"]
    assert "1. What about memory? It grows with the batch." in cards[0].answer
    assert cards[1].answer == "```python\ntorch.nn.utils.clip_grad_norm_(params, 1.0)\n```"
    assert cards[2].answered is False


def test_plain_numbered_lines_under_bold_numbered_questions_are_answer_text():
    # a flattened dump loses the indentation: the bold style still tells questions apart
    cards, _ = cards_of(
        "1. **What is a bloom filter?**",
        "A bit array that answers 'maybe present' or 'surely absent'.",
        "1. What if it fills up? False positives rise.",
        "2. Can it delete? Not the plain variant.",
        "2. **What is a trie?**",
        "A tree keyed by string prefixes.",
    )
    assert [c.question for c in cards] == ["What is a bloom filter?", "What is a trie?"]
    assert "2. Can it delete? Not the plain variant." in cards[0].answer


# --- introductions are not cards --------------------------------------------------------------

def test_intro_prose_under_the_title_and_over_a_question_list_gives_no_card():
    cards, _ = cards_of(
        "# Behavioural round",
        "",
        "Stories I prepared; write your own before the interview.",
        "",
        "## Questions",
        "These have no model answers.",
        "",
        "- Tell me about a deadline you missed.",
        "- How do you handle a disagreement with your manager?",
    )
    assert [(c.question, c.kind, c.answered) for c in cards] == [
        ("Tell me about a deadline you missed.", "question", False),
        ("How do you handle a disagreement with your manager?", "question", False)]


def test_a_definition_under_a_title_is_still_a_topic():
    cards, _ = cards_of("# Sharding", "Splitting one table across machines by a key.",
                        "## Rebalancing", "- move ranges when a node joins")
    assert [c.question for c in cards] == ["Sharding", "Rebalancing"]


def test_a_contribution_section_is_dropped():
    cards, _ = cards_of("# Queues", "## What is backpressure?", "Slowing producers when consumers lag.",
                        "## Contributing", "Open a pull request with new questions.")
    assert qa(cards) == [("What is backpressure?", "Slowing producers when consumers lag.")]


# --- repo dumps of such files -------------------------------------------------------------------

def make_dump(files: dict[str, str], flat: bool, binary=(), drop=None) -> str:
    """Our own dumper: tree, then '/path:' + 80 dashes + 'N | line' per file."""
    drop = drop or {}
    paths = sorted(set(files) | set(binary))
    parts = [("└── " if i == len(paths) - 1 else "├── ") + p.rsplit("/", 1)[-1]
             for i, p in enumerate(paths)]
    for path in paths:
        if path in binary:
            body = [f"https://raw.githubusercontent.com/someone/notes/main/{path}"]
        else:
            lines = files[path].split("\n")
            body = [f"{n} | {line}" if line else f"{n} |" for n, line in enumerate(lines, 1)
                    if n not in drop.get(path, ())]
        parts += [f"/{path}:", RULE, *body, RULE, ""]
    text = "\n".join(parts)
    return " ".join(text.split()) if flat else text


def dump_cards(text: str):
    source = Source(name="dump.txt", text=text)
    return list(read(source)), source


REPO = {
    "README.md": "\n".join([
        "# Interview notes", "", "Questions I collected, one file per topic.", "",
        "| Topic | File |", "|---|---|", "| Caching | [caching.md](topics/caching.md) |", "",
        "## License", "", "MIT"]),
    "topics/caching.md": "\n".join(DETAILS),
    "topics/deep/labels.md": "\n".join([
        "# Labelled", "**Q:** What is a cache stampede?", "**A:** Many requests rebuilding one expired entry.",
        "", "**Q:** How does jitter on expiry help?", "**A:** Entries stop expiring all at once."]),
}


def test_dumped_collections_read_like_the_files_themselves_flat_and_multiline():
    # what the files say, read from them by hand: the README holds no question
    alone = [
        ("What does the elbow method look for?",
         "The bend where adding clusters stops reducing the within-cluster spread much.", True),
        ("Why run k-means several times?",
         "Its result depends on the starting centroids, so restarts avoid a poor local optimum.\n\n"
         "- Keep the run with the lowest inertia.\n- k-means++ seeding needs fewer restarts.", True),
        ("What is a silhouette score?", "", False),
        ("What is a cache stampede?", "Many requests rebuilding one expired entry.", True),
        ("How does jitter on expiry help?", "Entries stop expiring all at once.", True),
    ]
    for flat in (False, True):
        cards, source = dump_cards(make_dump(REPO, flat, binary=["img/arch.png"]))
        got = [(c.question, c.answer, c.answered) for c in cards]
        if flat:  # collapsed whitespace: compare the words
            got = [(q, " ".join(a.split()), ok) for q, a, ok in got]
            want = [(q, " ".join(a.split()), ok) for q, a, ok in alone]
        else:
            want = alone
        assert sorted(got) == sorted(want)
        assert all(c.source.startswith("dump.txt::topics/") for c in cards)  # the README gives no card
        by_q = {c.question: c for c in cards}
        assert by_q["What is a cache stampede?"].section[0] == "topics/deep/labels.md"
        assert any("img/arch.png" in str(d) for d in source.diagnostics)


def test_dump_with_deleted_lines_keeps_the_questions_around_the_gap():
    cards, source = dump_cards(make_dump({"topics/caching.md": "\n".join(DETAILS)}, True,
                                         drop={"topics/caching.md": {5, 6}}))
    assert [c.question for c in cards] == [
        "What does the elbow method look for?", "Why run k-means several times?", "What is a silhouette score?"]
    assert any("jump" in str(d) for d in source.diagnostics)


# --- notebooks in other shapes ------------------------------------------------------------------

def cell(kind, *lines):
    c = {"cell_type": kind, "metadata": {}, "source": [line + "\n" for line in lines[:-1]] + [lines[-1]]}
    if kind == "code":
        c.update(execution_count=1, outputs=[{"output_type": "stream", "name": "stdout", "text": ["ok\n"]}])
    return c


def notebook_text(*cells):
    return json.dumps({"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


def nb_cards(text, name="drills.ipynb"):
    return list(notebook.read(Source(name=name, text=text)))


def test_task_comments_split_a_notebook_without_markdown():
    text = notebook_text(
        cell("code", "# Task: count the words in a sentence", "def count(s):", "    return len(s.split())"),
        cell("code", "# Exercise 2: square every number in a list", "def squares(xs):",
             "    return [x * x for x in xs]"),
    )
    cards = nb_cards(text)
    assert [c.question for c in cards] == ["Count the words in a sentence", "Square every number in a list"]
    assert "return [x * x for x in xs]" in cards[1].answer and "split" not in cards[1].answer


def test_markdown_task_then_code_then_a_test_cell_and_a_stub():
    text = notebook_text(
        cell("markdown", "# Array drills"),
        cell("markdown", "**Exercise 1:** Return the running maximum of a list."),
        cell("code", "def running_max(xs):", "    out, best = [], float('-inf')", "    for x in xs:",
             "        best = max(best, x)", "        out.append(best)", "    return out"),
        cell("markdown", "### Tests"),
        cell("code", "assert running_max([1, 3, 2]) == [1, 3, 3]"),
        cell("markdown", "**Exercise 2:** Rotate a list k steps to the right."),
        cell("code", "def rotate(xs, k):", "    # YOUR CODE HERE", "    raise NotImplementedError()"),
    )
    cards = nb_cards(text)
    assert [(c.question, c.answered, c.section) for c in cards] == [
        ("Return the running maximum of a list.", True, ("Array drills",)),
        ("Rotate a list k steps to the right.", False, ("Array drills",))]
    assert "assert running_max([1, 3, 2]) == [1, 3, 3]" in cards[0].answer  # the test stays with it
    assert "ok" not in cards[0].answer.split("\n")  # outputs are never read


def test_notebook_inside_a_flattened_dump_gives_the_same_exercises():
    text = notebook_text(
        cell("markdown", "## Binary search", "Find a target in a sorted list."),
        cell("code", "def search(xs, t):", "    lo, hi = 0, len(xs)", "    while lo < hi:",
             "        mid = (lo + hi) // 2", "        if xs[mid] < t:", "            lo = mid + 1",
             "        else:", "            hi = mid", "    return lo"),
    )
    alone = nb_cards(text)
    cards, _ = dump_cards(make_dump({"nb/search.ipynb": text}, flat=True))
    assert [c.question for c in cards] == [c.question for c in alone] == ["Implement binary search from scratch"]
    assert " ".join(cards[0].answer.split()) == " ".join(alone[0].answer.split())


def test_numbered_heading_items_after_a_table_of_contents_with_back_to_top_links():
    cards, _ = cards_of(
        "# Frontend questions",
        "## Table of Contents",
        "| No. | Questions |",
        "| --- | --------- |",
        "| 1 | [What is the DOM?](#what-is-the-dom) |",
        "",
        "1. ### What is the DOM?",
        "",
        "    A tree of objects the browser builds from the page markup.",
        "      - scripts read and change it",
        "        - changes trigger re-rendering",
        "",
        "    **[⬆ Back to Top](#table-of-contents)**",
        "",
        "2. ### What is event bubbling?",
        "",
        "    An event fires on the target first, then on each ancestor.",
        "",
        "## 3️⃣ What does `preventDefault` do?",
        "It stops the browser's built-in reaction to the event.",
    )
    assert [c.question for c in cards] == [
        "What is the DOM?", "What is event bubbling?", "What does preventDefault do?"]
    assert cards[0].section == ("Frontend questions",)  # the table of contents is no section
    assert cards[0].answer == ("A tree of objects the browser builds from the page markup.\n"
                               "- scripts read and change it\n  - changes trigger re-rendering")


def test_repository_boilerplate_and_front_matter_give_no_cards():
    files = {
        "notes/queues.md": "\n".join(["---", "title: Queues", "tags: [systems]", "---", "",
                                      "## What is a dead letter queue?", "Where messages go after failing too often."]),
        "CONTRIBUTING.md": "# Contributing\n\n## How do I add a question?\n\nOpen a pull request.",
        "CODE_OF_CONDUCT.md": "# Code of Conduct\n\n## Our Pledge\n\nWe pledge to be kind to everyone.",
        ".github/ISSUE_TEMPLATE/wrong.md": "---\nname: Wrong answer\n---\n\n## Which answer is wrong?\n\nTell us.",
    }
    cards, source = dump_cards(make_dump(files, flat=False))
    assert [(c.question, c.answer) for c in cards] == [
        ("What is a dead letter queue?", "Where messages go after failing too often.")]
    skipped = " ".join(str(d) for d in source.diagnostics)
    assert "CONTRIBUTING.md: boilerplate" in skipped and ".github/ISSUE_TEMPLATE/wrong.md: boilerplate" in skipped


def test_headingless_collections_are_still_recognised_as_markdown():
    texts = {
        "details": "<details>\n<summary>What is a thunk?</summary>\n\nA delayed computation.\n</details>\n",
        "table": "| Question | Answer |\n|---|---|\n| What is a semaphore? | A counter guarding a pool. |\n",
        "labels": ("**Q:** What is a race?\n**A:** Outcomes depending on timing.\n\n"
                   "**Q:** What is a fence?\n**A:** An ordering barrier.\n"),
    }
    for kind, text in texts.items():
        source = Source(name=f"{kind}.md", text=text)
        cards = list(read(source))
        assert cards and all(c.answered for c in cards), kind
        assert not source.diagnostics, kind


def test_a_solutions_sub_heading_inside_an_answer_stays():
    cards, _ = cards_of("## Why do deep nets train slowly?", "Small gradients reach the early layers.",
                        "#### Solutions", "- residual connections")
    assert cards[0].answer == "Small gradients reach the early layers.\n**Solutions**\n- residual connections"


def test_resource_lists_and_the_authors_story_are_no_topic_cards():
    cards, _ = cards_of(
        "# Systems notes",
        "## Reading list",
        "- [A paper on consensus](https://example.org/raft) (short and clear)",
        "- [Lecture videos](https://example.org/videos)",
        "## How I prepared",
        "I solved a problem a day and my friend quizzed me on weekends.",
        "## Consensus",
        "Nodes agree on one value even when some of them fail.",
    )
    assert [c.question for c in cards] == ["Consensus"]


def test_levels_from_section_titles_level_lines_badges_and_code_span_tags():
    cards, source = cards_of(
        "# SQL practice",
        "## 🟢 Beginner Level",
        "### 1. What does DISTINCT do?",
        "It removes duplicate rows from the result.",
        "## Intermediate Questions",
        "### 2. What is a self join? `Hard`",
        "Joining a table to itself under two aliases.",
        "### 3. What is a CTE?",
        "**Difficulty:** Easy",
        "",
        "A named subquery defined with WITH.",
        "## Tables",
        "### 4. Why normalize a schema?",
        "![Hard](https://img.shields.io/badge/level-hard-red)",
        "",
        "To store each fact once and avoid update anomalies.",
    )
    assert [(c.question, c.difficulty) for c in cards] == [
        ("What does DISTINCT do?", "easy"), ("What is a self join?", "hard"),
        ("What is a CTE?", "easy"), ("Why normalize a schema?", "hard")]
    assert cards[2].answer == "A named subquery defined with WITH."
    assert cards[3].answer == "To store each fact once and avoid update anomalies."
    assert not source.diagnostics  # the level lines are read, not reported as lost text


def test_numbering_headings_in_a_notebook_take_the_task_below_them():
    text = notebook_text(
        cell("markdown", "# Week 2 practice"),
        cell("markdown", "## Question 1", "", "Write a function that counts vowels in a string."),
        cell("code", "def vowels(s):", "    return sum(ch in 'aeiou' for ch in s.lower())"),
        cell("markdown", "### Exercise 2"),
        cell("markdown", "Return the second largest value of a list."),
        cell("code", "def second(xs):", "    return sorted(set(xs))[-2]"),
        cell("markdown", "## Problem 3: Clamp"),
        cell("code", "def clamp(x, lo, hi):", "    return max(lo, min(x, hi))"),
    )
    cards = nb_cards(text)
    assert [(c.question, c.section) for c in cards] == [
        ("Write a function that counts vowels in a string.", ("Week 2 practice",)),
        ("Return the second largest value of a list.", ("Week 2 practice",)),
        ("Implement clamp from scratch", ("Week 2 practice",))]


def test_a_reading_list_after_the_last_question_is_not_its_answer():
    cards, _ = cards_of(
        "## What is a write-ahead log?",
        "Changes are appended to a log before the data files change.",
        "## Further reading",
        "- [Storage engines](https://example.org/storage)",
        "- [Crash recovery notes](https://example.org/recovery)",
    )
    assert qa(cards) == [("What is a write-ahead log?", "Changes are appended to a log before the data files change.")]


def test_bold_numbered_prompts_without_question_marks_and_badges_in_titles():
    cards, _ = cards_of(
        '<p align="center"><img src="logo.png"></p>',
        "# Probability cheatsheet [![Stars](https://img.shields.io/badge/stars-9k-blue)](https://example.org)",
        "## Basics",
        "**1. What is a random variable?**",
        "",
        "A function from outcomes to numbers.",
        "",
        "---",
        "",
        "**2. Explain the law of total probability**",
        "",
        "- Split the space into disjoint cases.",
        "- Sum the conditional probabilities weighted by each case.",
        "",
        "**Why it matters:**",
        "It turns a hard probability into easy pieces.",
    )
    assert [c.question for c in cards] == ["What is a random variable?", "Explain the law of total probability"]
    assert cards[0].section == ("Probability cheatsheet", "Basics")
    assert cards[0].answer == "A function from outcomes to numbers."
    assert cards[1].answer.endswith("It turns a hard probability into easy pieces.")  # a bold label stays inside


def test_question_bullets_take_what_is_indented_below_them():
    cards, _ = cards_of(
        "# Stream processing",
        "## Basics",
        "- **What is a watermark?**",
        "  A timestamp that says no older events are expected any more.",
        "- **Why window a stream?**",
        "  To aggregate an unbounded stream in finite pieces.",
        "  - tumbling windows do not overlap",
        "- **What is exactly-once delivery?**",
        "## Operations",
        "* When should you add partitions?",
        "    * When consumers cannot keep up with the topic.",
        "    * Before the peak, since moving keys later hurts ordering.",
    )
    assert qa(cards) == [
        ("What is a watermark?", "A timestamp that says no older events are expected any more."),
        ("Why window a stream?",
         "To aggregate an unbounded stream in finite pieces.\n- tumbling windows do not overlap"),
        ("What is exactly-once delivery?", ""),
        ("When should you add partitions?",
         "* When consumers cannot keep up with the topic.\n* Before the peak, since moving keys later hurts ordering."),
    ]


def test_question_bullets_keep_their_answers_when_a_dump_flattens_the_indentation():
    lines = [
        "# Stream processing", "## Basics",
        "- **What is a watermark?**",
        "  A timestamp that says no older events are expected any more.",
        "- **Why window a stream?**",
        "  To aggregate an unbounded stream in finite pieces.",
        "  - tumbling windows do not overlap",
        "- **What is exactly-once delivery?**",
        "## Operations",
        "* When should you add partitions?",
        "    * When consumers cannot keep up with the topic.",
        "    * Before the peak, since moving keys later hurts ordering.",
    ]
    alone, _ = cards_of(*lines)
    cards, _ = dump_cards(make_dump({"notes/streams.md": "\n".join(lines)}, flat=True))
    assert [(c.question, " ".join(c.answer.split()), c.answered) for c in cards] == \
        [(c.question, " ".join(c.answer.split()), c.answered) for c in alone]
    assert len(cards) == 4 and [c.answered for c in cards] == [True, True, False, True]


def test_titles_underlined_with_equals_signs_are_headings():
    cards, _ = cards_of(
        "Compilers",
        "=========",
        "",
        "## What does a lexer produce?",
        "A stream of tokens.",
        "---",
        "More about tokens after a rule.",
    )
    assert [(c.question, c.section) for c in cards] == [("What does a lexer produce?", ("Compilers",))]
    assert cards[0].answer.startswith("A stream of tokens.")  # the rule is no heading underline
    assert cards[0].answer.endswith("More about tokens after a rule.")


def test_term_bullets_inside_a_paragraph_explanation_are_no_glossary():
    explained = [
        "# Retrieval notes",
        "## Sparse retrieval",
        "Documents become weighted word vectors.",
        "Two common weightings:",
        "- Counts: how often each word occurs in the document, nothing else",
        "- BM25: counts damped by saturation and scaled by document length overall",
        "The score of a document is the sum over query words.",
        "score = sum of weights",
        "- Boolean: a document matches or it does not, without any ranking at all",
        "Long documents otherwise win too often.",
    ]
    cards, _ = cards_of(*explained)
    assert [(c.question, c.kind) for c in cards] == [("Sparse retrieval", "topic")]
    glossary = [
        "# Retrieval notes",
        "## Ranking metrics",
        "- Precision: the share of returned documents that are relevant to the query",
        "- Recall: the share of relevant documents that the system manages to return",
        "- MRR: the mean over queries of one over the rank of the first relevant hit",
    ]
    cards, _ = cards_of(*glossary)
    assert [c.question for c in cards if c.kind == "topic"][-3:] == ["Precision", "Recall", "MRR"]


def test_any_mix_of_these_styles_reads_without_raising_or_leaking_markup():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    line = st.sampled_from([
        "", "# Title", "## Q1: Describe it", "### Answer", "<details>", "<summary>Answer</summary>",
        "<summary>What is it?</summary>", "</details>", "<p>Some <b>bold</b> text &amp; more.</p>",
        "<ul><li>one</li><li>two</li></ul>", "<pre>", "</pre>", "**Q:** What is it?", "**A:**", "A: yes",
        "| Question | Answer |", "|---|---|", "| What is it? | A thing. |", "| | |", "- **[Easy]** Why?",
        "  - because", "1. ### What is X?", "**[⬆ Back to Top](#contents)**", "Legend: 🟢 easy 🔴 hard",
        "### 🟢 What now?", "**Difficulty:** Hard", "## Beginner level", "=====", "---", "```", "    code()",
        "**2. Explain the idea**", "## Contributing", "I wrote my notes here.", "NOT ANSWERED"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(line, max_size=40))
    def check(lines):
        cards, source = cards_of(*lines)
        fenced = [line for k, line in enumerate(lines) if lines[:k].count("```") % 2]
        tag_inside_a_fence = any(line.startswith("<") for line in fenced)
        for card in cards:
            assert card.question.strip()
            assert (card.answer.strip() != "") == card.answered
            prose = re.sub(r"(?ms)^(`{3,}|~{3,}).*?^\1", "", card.answer)  # code may show HTML
            if not tag_inside_a_fence:  # a bare ``` fence is unwrapped as prose: its text is the author's
                assert "<details" not in prose and "<summary" not in prose and "<li>" not in prose
            assert "NOT ANSWERED" not in card.answer
        assert not [d for d in source.diagnostics if d.severity == "error"]

    check()


def test_an_indented_code_block_is_code_and_its_comment_no_heading():
    cards, _ = cards_of(
        "## How do you memoize a function?",
        "Wrap it with a cache decorator:",
        "",
        "    # keep the last results",
        "    @functools.lru_cache(maxsize=128)",
        "    def cost(n): ...",
        "",
        "Repeated calls with the same argument return at once.",
        "## What is a closure?",
        "A function that keeps the variables of its defining scope.",
    )
    assert [c.question for c in cards] == ["How do you memoize a function?", "What is a closure?"]
    assert "```\n# keep the last results\n@functools.lru_cache(maxsize=128)\ndef cost(n): ...\n```" in cards[0].answer
    assert cards[0].answer.endswith("Repeated calls with the same argument return at once.")


def test_a_long_run_of_deleted_lines_does_not_glue_the_rest_of_the_file_to_one_line():
    lines = ["# Notes", "", "## What is A?", "The first answer."] + [f"comment line {i}" for i in range(70)] + [
        "## What is B?", "The second answer.", "", "| n | square |", "|---|---|", "| 2 | 4 |", "| 3 | 9 |",
        "## What is C?", "The third answer."]
    deleted = set(range(5, 75))  # a long HTML comment stripped upstream, prefixes and all
    cards, source = dump_cards(make_dump({"notes.md": "\n".join(lines)}, flat=True, drop={"notes.md": deleted}))
    assert [(c.question, c.line) for c in cards] == [("What is A?", 3), ("What is B?", 75), ("What is C?", 82)]
    assert cards[1].answer == "The second answer.\n\n| n | square |\n|---|---|\n|2|4|\n|3|9|"
    assert any("jump from 4 to 75" in str(d) for d in source.diagnostics)


def test_numeric_table_cells_are_written_so_they_never_look_like_line_prefixes():
    cards, _ = cards_of("## What does a confusion matrix hold?", "| | predicted + | predicted - |", "|---|---|---|",
                        "| actual + | 40 | 10 |", "| actual - | 5 | 45 |")
    assert cards[0].answer.split("\n")[2:] == ["|actual +|40|10|", "|actual -|5|45|"]
    assert not re.search(r"(?:^|\s)\d{1,4} \| ", cards[0].answer)


def test_a_legend_table_defines_the_difficulty_symbols():
    cards, source = cards_of(
        "# Caching questions",
        "",
        "| Symbol | Level |",
        "|---|---|",
        "| 🐣 | Easy |",
        "| 🦉 | Hard |",
        "",
        "## 🐣 What is a cache hit ratio?",
        "The share of lookups served from the cache.",
        "## 🦉 How do you avoid a thundering herd on a cold cache?",
        "Let one request rebuild an entry while the others wait or get a stale copy.",
    )
    assert [(c.question, c.difficulty) for c in cards] == [
        ("What is a cache hit ratio?", "easy"), ("How do you avoid a thundering herd on a cold cache?", "hard")]
    assert not source.diagnostics  # the legend is read, not reported as text outside the questions


def test_prompt_headings_without_question_marks_are_questions_not_sub_headings():
    cards, _ = cards_of(
        "# Python questions",
        "## What is a generator?",
        "A function that yields values lazily.",
        "### How it works",
        "Each next() call resumes it after the last yield.",
        "## Difference between a list and a tuple",
        "Lists change in place; tuples do not.",
        "## Explain the GIL",
        "One lock lets only one thread run Python bytecode at a time.",
    )
    assert [c.question for c in cards] == [
        "What is a generator?", "Difference between a list and a tuple", "Explain the GIL"]
    assert cards[0].answer.endswith("Each next() call resumes it after the last yield.")
    assert cards[1].answer == "Lists change in place; tuples do not."


def test_a_file_that_only_introduces_a_round_gives_no_card():
    cards, _ = cards_of(
        "# 5. System design round",
        "In this round you sketch a service end to end and defend your choices.",
        "",
        "**Examples:**",
        "",
        "- [TBD]",
    )
    assert cards == []


def test_question_and_answer_labels_spelled_out_or_abbreviated():
    cards, _ = cards_of(
        "# Mixed labels",
        "Question: What is a heap?",
        "Answer: A tree ordered parent-before-child.",
        "",
        "**Q1. What is a trie?** **Answer:** A prefix tree.",
        "",
        "Q2) Why use a bloom filter?",
        "Ans. Cheap membership tests with false positives.",
        "",
        "1. **Q:** What is a skip list?",
        "   **A:** Layers of linked lists that allow fast search.",
    )
    assert qa(cards) == [
        ("What is a heap?", "A tree ordered parent-before-child."),
        ("What is a trie?", "A prefix tree."),
        ("Why use a bloom filter?", "Cheap membership tests with false positives."),
        ("What is a skip list?", "Layers of linked lists that allow fast search."),
    ]


# --- structure before wording (in-the-wild §1–§3) -----------------------------------------

def test_every_member_of_a_numbered_heading_run_is_an_item():
    cards, _ = cards_of(
        "# Statistics refresher",
        "## 1. What is a p-value?",
        "The chance of data this extreme if the null hypothesis holds.",
        "## 2. Define variance",
        "The mean squared distance from the mean.",
        "## 3. What is a confidence interval?",
        "A range that covers the true value in a stated share of repeats.",
        "## 4. Pseudo labeling",
        "Training on the model's own confident guesses for unlabeled rows.",
        "## 5. Why does bootstrapping work?",
        "Resampling the sample imitates sampling the population.",
    )
    assert [c.question for c in cards] == [
        "What is a p-value?", "Define variance", "What is a confidence interval?", "Pseudo labeling",
        "Why does bootstrapping work?"]
    assert cards[1].answer == "The mean squared distance from the mean."
    assert cards[3].answer == "Training on the model's own confident guesses for unlabeled rows."


def test_sub_headings_inside_an_answer_stay_in_it_and_name_no_section():
    cards, _ = cards_of(
        "# Unsupervised learning",
        "## What is PCA?",
        "A rotation onto the directions of largest variance.",
        "### Visual representation",
        "Picture an ellipse of points and its long axis.",
        "##### K Means",
        "Not the same thing: a clustering method.",
        "## What is t-SNE?",
        "A neighbour-preserving embedding for plots.",
        "## What is UMAP?",
        "A faster neighbour-graph embedding.",
    )
    assert [c.question for c in cards] == ["What is PCA?", "What is t-SNE?", "What is UMAP?"]
    assert "Picture an ellipse" in cards[0].answer and "a clustering method" in cards[0].answer
    assert all(c.section == ("Unsupervised learning",) for c in cards)


def test_bold_number_prompts_answered_by_code_are_code_cards():
    cards, _ = cards_of(
        "## SQL drills",
        "**1)** The number of orders placed per day.",
        "```sql",
        "SELECT day, COUNT(*) FROM orders GROUP BY day;",
        "```",
        "**2)** The customer with the largest total spend.",
        "```sql",
        "SELECT customer FROM orders GROUP BY customer ORDER BY SUM(total) DESC LIMIT 1;",
        "```",
        "**3)** Orders without a shipment.",
        "```sql",
        "SELECT o.id FROM orders o LEFT JOIN shipments s ON s.order_id = o.id WHERE s.id IS NULL;",
        "```",
    )
    assert [c.question for c in cards] == ["The number of orders placed per day.",
                                           "The customer with the largest total spend.",
                                           "Orders without a shipment."]
    assert all(c.kind == "code" and c.answer.startswith("```sql\nSELECT") for c in cards)
    assert cards[0].section == ("SQL drills",)


def test_a_bold_number_answer_keeps_its_math_code_and_inner_questions():
    cards, _ = cards_of(
        "**5.** What is early stopping?",
        "Stop training when the validation loss stops improving.",
        "**6.** What is the difference between L1 and L2 penalties?",
        "L1 adds $\\lambda \\sum |w|$, L2 adds $\\lambda \\sum w^2$.",
        "",
        "**When is L1 preferred?**",
        "When you want sparse weights.",
        "",
        "```python",
        "model = Lasso(alpha=0.1)",
        "```",
        "**7.** What is a learning rate schedule?",
        "A rule that changes the step size during training.",
    )
    assert [c.question for c in cards] == ["What is early stopping?",
                                           "What is the difference between L1 and L2 penalties?",
                                           "What is a learning rate schedule?"]
    answer = cards[1].answer
    assert cards[1].answered and "\\lambda" in answer and "When is L1 preferred?" in answer
    assert "model = Lasso(alpha=0.1)" in answer and "step size" not in answer


def test_numbered_questions_from_one_thousand_on_are_items():
    lines = []
    for n in range(998, 1003):
        lines += [f"{n}. What is fact number {n}?", f"   It is the fact counted as {n}.", ""]
    cards, source = cards_of(*lines)
    assert [c.question for c in cards] == [f"What is fact number {n}?" for n in range(998, 1003)]
    assert cards[-1].answer == "It is the fact counted as 1002."


def test_mixed_styles_in_one_file_are_all_found():
    cards, _ = cards_of(
        "### What is gradient descent?",
        "Stepping against the gradient to lower the loss.",
        "",
        "**Why scale features before it?**",
        "",
        "So one step size suits every direction.",
        "",
        "## Practice",
        "1. [E] What is a learning rate?",
        "```text",
        "The size of each step.",
        "```",
        "2. [M] What is momentum?",
        "```text",
        "NOT ANSWERED",
        "```",
        "3. [H] Why can Adam generalise worse than SGD?",
        "```text",
        "Its adaptive steps can settle in sharper minima.",
        "```",
    )
    found = {c.question: c for c in cards}
    assert list(found) == ["What is gradient descent?", "Why scale features before it?", "What is a learning rate?",
                           "What is momentum?", "Why can Adam generalise worse than SGD?"]
    assert found["What is momentum?"].answered is False and found["What is momentum?"].difficulty == "medium"
    assert found["Why scale features before it?"].answer == "So one step size suits every direction."


# --- question text without its furniture (in-the-wild §4) ---------------------------------

def test_labels_company_tags_citations_and_escapes_leave_the_question():
    cards, _ = cards_of(
        "## Q14 - How does dropout regularise a network? [[src]](https://example.org/dropout)",
        "It trains many thinned networks that share weights.",
        "## [Acme] Why is the From\\_To column a poor key?",
        "**Answer**: it repeats across rows.",
        "## What does a confusion matrix show? [source](https://example.org/cm)",
        "Counts of predicted against true classes.",
        "**Question**: What is recall?",
        "The share of real positives that were found.",
    )
    assert [c.question for c in cards] == [
        "How does dropout regularise a network?", "Why is the From_To column a poor key?",
        "What does a confusion matrix show?", "What is recall?"]
    assert cards[1].answer == "it repeats across rows."
    assert cards[3].answer == "The share of real positives that were found."


def test_a_question_keeps_a_link_that_carries_its_words():
    (card,), _ = cards_of("## What is [BERT](https://example.org/bert) pretrained on?", "Masked tokens.")
    assert card.question == "What is BERT pretrained on?"


# --- HTML and noise, one way everywhere (in-the-wild §6, §8) -------------------------------

def test_html_with_a_markdown_equivalent_is_converted_and_no_word_is_deleted():
    cards, _ = cards_of(
        "## What does <b>early stopping</b> watch?",
        "The <u>validation</u> loss, checked every epoch.<br>It stops when the loss <span style=\"color:red\">rises</span>.",
        "<img src=\"curve.png\" alt=\"loss curve\">",
        "",
        "## Why use <i>patience</i>?",
        "<ul><li>Noise makes one bad epoch likely</li><li>Patience waits a few epochs</li></ul>",
    )
    assert [c.question for c in cards] == ["What does early stopping watch?", "Why use patience?"]
    first = cards[0].answer
    for word in ("validation", "rises", "loss curve"):
        assert word in first, word
    assert "<" not in first and "<" not in cards[1].answer
    assert cards[1].answer == "- Noise makes one bad epoch likely\n- Patience waits a few epochs"


def test_a_back_to_top_link_ending_an_answer_goes_alone_an_image_stays():
    (card,), source = cards_of(
        "## What is weight decay?",
        "An L2 penalty on the weights, applied at each update.",
        "",
        "![decay plot](decay.png)",
        "",
        "[Back to top](#contents)",
    )
    assert card.answer == "An L2 penalty on the weights, applied at each update.\n\n![decay plot](decay.png)"


def test_a_numbered_question_run_after_its_own_table_of_contents():
    lines = ["# Retrieval", "", "[← All topics](../README.md)", "",
             "Retrieval puts documents into a prompt; these questions cover it.", "", "## Questions", ""]
    asked = ["What is a vector index?", "Explain hybrid search.", "Reranking", "Why chunk documents?",
             "How is recall at k computed?"]
    lines += [f"{n}. [{q}](#{n}-anchor)" for n, q in enumerate(asked, 1)]
    lines += ["", "---", ""]
    for n, q in enumerate(asked, 1):
        lines += [f"## {n}. {q}", "", f"**A short answer for item {n}.**", "", f"More about item {n}.", "",
                  '<p align="center"><img src="fig.svg" alt="a figure of the idea"></p>', "",
                  "*Figure: the idea drawn.*", "", "**Watch out:** one caveat.", "", "---", ""]
    cards, source = cards_of(*lines)
    assert [c.question for c in cards] == asked
    assert all(c.answer.startswith(f"**A short answer for item {n}.**") and "one caveat" in c.answer
               for n, c in enumerate(cards, 1))
    assert all(c.section == ("Retrieval",) for c in cards)
    assert any("characters in no card" in d.message and d.line == 9 for d in source.diagnostics)  # the contents


def test_a_tagged_list_right_under_a_lone_asking_heading_is_a_run_of_its_own():
    cards, _ = cards_of(
        "### What is gradient descent?", "Stepping against the gradient.", "",
        "1. [E] What is a learning rate?", "```text", "The step size.", "```",
        "2. [M] What is momentum?", "```text", "NOT ANSWERED", "```")
    assert [(c.question, c.answer, c.answered) for c in cards] == [
        ("What is gradient descent?", "Stepping against the gradient.", True),
        ("What is a learning rate?", "The step size.", True), ("What is momentum?", "", False)]


def test_heading_runs_numbered_from_one_thousand_on_keep_every_member():
    lines = []
    for n, title in [(998, "What is a kernel?"), (999, "What is a margin?"), (1000, "Soft margins"),
                     (1001, "Why use the dual form?"), (1002, "How are support vectors found?")]:
        lines += [f"## {n}) {title}", f"Answer number {n}."]
    cards, _ = cards_of(*lines)
    assert [c.answer for c in cards] == [f"Answer number {n}." for n in range(998, 1003)]
    assert cards[2].question == "Soft margins"


def test_tagged_bullets_are_items_with_their_difficulty():
    cards, _ = cards_of(
        "## Warm-up",
        "- [E] What is a Python list?",
        "  An ordered, mutable sequence.",
        "- 🔴 How does the garbage collector find reference cycles?",
        "  It walks container objects and subtracts internal references.",
    )
    assert [(c.question, c.difficulty, c.answer) for c in cards] == [
        ("What is a Python list?", "easy", "An ordered, mutable sequence."),
        ("How does the garbage collector find reference cycles?", "hard",
         "It walks container objects and subtracts internal references.")]


def test_html_after_a_fence_that_only_looks_unclosed_is_still_converted():
    # the summary's HTML block swallows the first ``` line, so a first parse sees an unclosed
    # fence holding "<details>"; that fence is text, and its HTML is converted like any other
    cards, _ = cards_of("<summary>What is it?</summary>", "```", "", "```", "<details>")
    assert [(c.question, c.answer, c.answered) for c in cards] == [("What is it?", "", False)]
