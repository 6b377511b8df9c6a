"""The social-posts reader: repeated windows fold, posts split, items cut, code fenced."""

import re

from deckgen.card import Source
from deckgen.readers import chat, pick, posts
from deckgen.text.normalize import normalize_text
from deckgen.text.repair import repair

from conftest import seed_file

KEYCAP = "\ufe0f\u20e3"


def styled(text: str) -> str:
    """Write `text` in Unicode sans-serif bold letters, as social posts do."""
    out = []
    for ch in text:
        if "A" <= ch <= "Z":
            out.append(chr(0x1D5D4 + ord(ch) - ord("A")))
        elif "a" <= ch <= "z":
            out.append(chr(0x1D5EE + ord(ch) - ord("a")))
        else:
            out.append(ch)
    return "".join(out)


def cards_of(text: str):
    source = Source(name="posts.txt", text=text)
    return list(posts.read(source)), source


BODY = [
    "Tokenisation turns text into integer ids the model can embed.",
    "For example:",
    "The word unhappiness may split into un, happi and ness.",
    "Embeddings map each id to a dense vector of a few hundred numbers.",
    "For example:",
    "Two ids with similar meaning end up close in that space.",
    "Attention then mixes the vectors of all positions in the context.",
    "Finally a softmax over the vocabulary picks the next token.",
]


def test_post_pasted_twice_in_overlapping_windows_folds_to_one_item():
    title = "How does a language model read a sentence?"
    # title + lines 1-5, then a window with lines 2-7, then a window with lines 6-8
    text = "\n".join([title] + BODY[0:5] + BODY[1:7] + BODY[5:8])
    cards, source = cards_of(text)
    assert [c.question for c in cards] == [title]
    answer = cards[0].answer
    for line in BODY:
        assert line in answer
    assert answer.count("Tokenisation turns text") == 1
    assert answer.count("Finally a softmax") == 1
    assert answer.count("For example:") == 2          # a line repeated inside the post stays
    assert sum("repeat lines" in d.message for d in source.diagnostics) == 2


def test_body_pasted_again_without_its_title_starts_no_item():
    first = ["Why normalise inputs?", "Features on very different scales slow down gradient descent.",
             "Standardising each feature to zero mean helps.", "Min-max scaling is an alternative."]
    second = ["What is a learning-rate schedule?", "A rule that changes the step size during training.",
              "Cosine decay is a common choice.", "Warm restarts reset it periodically."]
    text = "\n".join(first + first[1:] + second + second[1:])
    cards, _ = cards_of(text)
    assert [c.question for c in cards] == [first[0], second[0]]
    assert "Cosine decay" not in cards[0].answer          # the repeat is not glued on
    assert cards[1].answer.count("Warm restarts") == 1


def test_keycap_numbering_stays_inside_the_answer_and_styled_title_is_plain():
    text = "\n".join([
        "💡 " + styled("How is a recommender trained") + "?",
        "It happens in three phases:",
        "1" + KEYCAP + " " + styled("Candidate Generation"),
        "A cheap model narrows millions of items to hundreds.",
        "2" + KEYCAP + " Ranking",
        "A heavier model scores the few hundred candidates.",
        "3" + KEYCAP + " Re-ranking",
        "Business rules and diversity adjust the final list.",
    ])
    cards, _ = cards_of(text)
    assert len(cards) == 1
    assert cards[0].question == "How is a recommender trained?"
    assert "1. Candidate Generation" in cards[0].answer
    assert "3. Re-ranking" in cards[0].answer
    assert KEYCAP not in cards[0].answer


def test_reaction_footer_separates_posts_and_definition_lines_become_items():
    text = "\n".join([
        "Three kinds of gradient descent:",
        "1. Batch Gradient Descent",
        "Uses the whole training set for every update.",
        "2. Stochastic Gradient Descent",
        "Updates after every single example.",
        "👍 12",
        "Tools we use every day:",
        "1.) Pandas : A library for tables of data in Python.",
        "2.) Airflow : A scheduler for data pipelines.",
        "It retries failed tasks on its own.",
    ])
    cards, _ = cards_of(text)
    found = {c.question: c for c in cards}
    assert list(found) == ["Batch Gradient Descent", "Stochastic Gradient Descent", "Pandas", "Airflow"]
    assert found["Batch Gradient Descent"].section == ("Three kinds of gradient descent",)
    assert found["Airflow"].answer == "A scheduler for data pipelines.\n\nIt retries failed tasks on its own."
    assert "12" not in found["Stochastic Gradient Descent"].answer


def test_code_without_fences_is_fenced_with_a_language():
    text = "\n".join([
        "Counting Missing Values:",
        "Pandas counts them per column in one line.",
        "import pandas as pd",
        "frame = pd.read_csv(\"table.csv\")",
        "print(frame.isnull().sum()) # per column",
        "The result is a series indexed by column name.",
    ])
    cards, _ = cards_of(text)
    assert len(cards) == 1
    answer = cards[0].answer
    assert "```python\nimport pandas as pd\nframe = pd.read_csv(\"table.csv\")\n" in answer
    assert answer.index("```python") < answer.index("The result is a series")
    assert "\\#" not in answer and not re.search(r"^# per", answer, re.M)


def test_questions_followed_by_answer_lines_in_an_article():
    text = "\n".join([
        "A short guide to interview questions for data roles. Read it the night before.",
        "Core Questions",
        "Explain the bias-variance trade-off.",
        "Answer: Simple models miss patterns while flexible ones chase noise.",
        "Example: A deep tree memorises its training rows.",
        "What does regularisation do?",
        "Answer: It penalises large weights.",
        "To Summarize",
        "Practice these before the interview.",
    ])
    cards, _ = cards_of(text)
    assert [c.question for c in cards] == ["Explain the bias-variance trade-off.", "What does regularisation do?"]
    assert cards[0].section == ("Core Questions",)
    assert cards[0].answer.startswith("Simple models miss patterns")
    assert cards[1].answer == "It penalises large weights."        # the closing section is not glued on


def test_odd_input_never_raises_and_stray_or_repeated_lines_are_reported():
    cards, source = cards_of("")
    assert cards == [] and source.diagnostics == []
    cards, source = cards_of("x")  # one stray word is no post: kept out, and said so for line 1
    assert cards == [] and [d.line for d in source.diagnostics] == [1]
    cards, source = cards_of("\n".join(["same line"] * 30))  # one line pasted 30 times is one item at most
    assert len(cards) <= 1 and any("repeat" in d.message for d in source.diagnostics)
    for text in ("1.)\n2.)\n👍", "Q.\nAnswer:\n" * 5):  # markers with no words after them ask nothing
        cards, source = cards_of(text)
        assert cards == [] and source.diagnostics, repr(text)



def test_author_header_photo_credit_and_its_caption_stay_out_of_the_post():
    text = "\n".join(["Mira Chen • 2nd", "Data engineer, retail forecasting", "3 days ago",
                      "Why does batch scoring still matter?", "Most scoring jobs run nightly over the whole table.",
                      "It costs less than a live endpoint.", "nightly job runtimes over one month",
                      "Photo by Mina Park on Unsplash", "The app reads the results from a table.", "👍 8"])
    cards, source = cards_of(text)
    assert [(c.question, c.answer) for c in cards] == [(
        "Why does batch scoring still matter?",
        "Most scoring jobs run nightly over the whole table.\n\nIt costs less than a live endpoint.\n\n"
        "The app reads the results from a table.")]
    assert [(d.line, "author header" in d.message) for d in source.diagnostics] == [(1, True)]

def _seed_cards(prefix: str):
    path = seed_file(prefix)
    source = Source(name=path.name, text=repair(normalize_text(path.read_text(encoding="utf-8"))))
    return source, list(posts.read(source))


def test_seed_000_is_read_as_posts_and_repeats_fold():
    source, cards = _seed_cards("000_")
    assert pick(source) is posts
    assert chat.sniff(source.text) < posts.sniff(source.text)
    questions = [" ".join(c.question.casefold().split()) for c in cards]
    assert len(questions) == len(set(questions))          # every repeated post folded to one item
    assert 35 <= len(cards) <= 70
    for card in cards:
        lines = [line for line in card.answer.split("\n") if line.strip()]
        triples = [tuple(lines[k:k + 3]) for k in range(len(lines) - 2)]
        assert len(triples) == len(set(triples)), card.question      # no window pasted twice
        assert not re.search(r"[\u0E00-\u0E7F]", card.question + card.answer)
        assert KEYCAP not in card.question
    assert any("```python" in c.answer for c in cards)


def test_seed_004_chat_notes_are_not_taken_for_posts():
    path = seed_file("004_")
    text = repair(normalize_text(path.read_text(encoding="utf-8")))
    assert posts.sniff(text) < chat.sniff(text)


def test_pasted_python_gets_its_indentation_back_and_the_card_says_so():
    text = "\n".join(["Summing a List:", "A loop with an accumulator.", "def total(xs):", "s = 0",
                      "for x in xs:", "s += x", "return s", "Short and clear."])
    (card,), _ = cards_of(text)
    assert "```python\ndef total(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s\n```" in card.answer
    assert card.tags == ("indentation-restored",)


def test_whole_posts_pasted_twice_with_their_titles_stay_apart():
    first = ["Sharding a vector index.", "Split the index by id range across nodes.",
             "Each node answers the query for its shard.", "A merger keeps the global top results."]
    second = ["Caching embeddings.", "Store the embedding of frequent queries.",
              "A hit skips the encoder entirely.", "Expire entries when the model changes."]
    cards, _ = cards_of("\n".join(first + first + second + second))
    assert [c.question for c in cards] == ["Sharding a vector index.", "Caching embeddings."]
    assert "Expire entries" not in cards[0].answer
    assert cards[1].answer.count("A hit skips") == 1


def test_engagement_question_closing_a_post_is_dropped_and_inline_qa_splits():
    text = "\n".join([
        "Why do transformers need positional encodings?",
        "Attention alone treats the input as a set, not a sequence.",
        "Rotary encodings rotate queries and keys by a growing angle.",
        "Which one do you prefer?",
        "👍 7",
        "Q: What does a tokenizer do? A: It maps text to integer ids.",
    ])
    cards, _ = cards_of(text)
    assert [c.question for c in cards] == ["Why do transformers need positional encodings?",
                                           "What does a tokenizer do?"]
    assert "prefer" not in cards[0].answer
    assert cards[1].answer == "It maps text to integer ids."


def test_one_qa_pair_per_line_without_blank_lines_goes_to_the_chat_reader():
    text = "\n".join(f"Q: What is case {i} about? A: It covers topic number {i}." for i in range(25))
    assert pick(Source(name="qa.txt", text=text)) is chat


def test_fenced_code_in_a_post_keeps_its_language():
    text = "\n".join(["Reading a CSV Lazily:", "Use a chunked reader.", "```python",
                      "for chunk in pd.read_csv(path, chunksize=1000):", "handle(chunk)", "```",
                      "Memory stays flat."])
    cards, _ = cards_of(text)
    assert len(cards) == 1
    assert "```python\nfor chunk in pd.read_csv(path, chunksize=1000):\n    handle(chunk)\n```" in cards[0].answer
    assert cards[0].answer.endswith("Memory stays flat.")
    assert cards[0].tags == ("indentation-restored",)


def test_sql_and_shell_are_fenced_but_a_lone_formula_is_prose():
    text = "\n".join(["Metrics Cheat Sheet:", "Accuracy is the share of right answers.", "Accuracy = correct / total",
                      "Query it with:", "SELECT label, COUNT(*) FROM predictions GROUP BY label",
                      "Install the tools:", "pip install scikit-learn"])
    cards, _ = cards_of(text)
    answer = cards[0].answer
    assert "\n\nAccuracy = correct / total\n\n" in answer
    assert "```sql\nSELECT label, COUNT(*) FROM predictions GROUP BY label\n```" in answer
    assert "```bash\npip install scikit-learn\n```" in answer


def test_brackets_in_a_post_stay_text_and_written_math_becomes_dollar_math():
    from deckgen.render import to_html

    text = "\n".join(["Feature Vectors:", "A user is a vector such as [0.8, 0.2] of traits.",
                      "A copy from markdown shows \\[1, 2\\] for the same brackets.",
                      "The score of a pair is \\(u \\cdot v\\).", "Ranking keeps the top ten."])
    (card,), _ = cards_of(text)
    html = to_html(card.answer)
    assert "[0.8, 0.2]" in html and "[1, 2]" in html and "\\[" not in html
    assert "$u \\cdot v$" in card.answer and "\\(u \\cdot v\\)" in html
