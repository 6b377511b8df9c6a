"""Notes nobody here had seen: the chat, posts and bullet-primer readers on new wording.

Each text is written for this file and varies what the seeds fix: filler and sign-off
wording, `Q.`/`Question 2:`/`A.`/`Ans:` markers, code and math in answers, posts pasted
twice with other hashtags and calls to action, emoji bullets, primers with `-`/`*`/`◦`
markers and tab indentation, prompts without "?". Routing (`pick`) is checked on every
family so that one reader does not swallow another's notes.
"""

from __future__ import annotations

from deckgen.card import Source
from deckgen.readers import bullets, chat, pick, posts

KEYCAP = "\ufe0f\u20e3"


def read_with(module, text: str):
    source = Source(name="unseen.txt", text=text)
    return list(module.read(source)), source


def questions(cards) -> list[str]:
    return [c.question for c in cards]


def card(cards, question: str):
    found = [c for c in cards if c.question == question]
    assert found, f"no card {question!r} in {questions(cards)}"
    return found[0]


# ---------------------------------------------------------------- chat notes

CHAT_NOTES = """\
Deep Learning Prep


Great, here is a more detailed take on each question from your list.


Q. What problem does batch normalization solve?
A. It keeps each layer's input distribution steady, so deeper networks tolerate larger learning rates.

Question 2: Why pair softmax with cross-entropy?
Ans: The gradient of the pair simplifies to $p - y$, which is cheap and numerically stable.

Q. How would you write a stable softmax in NumPy?
A. Subtract the row maximum first:

```python
def softmax(x):
    z = x - x.max(axis=-1, keepdims=True)
    return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)
```

The shift cancels in the ratio.

I hope this clears things up. Good luck with the interview!


Regularization Answers:

1. Weight Decay

Adds $\\lambda \\lVert w \\rVert^2$ to the loss and pulls weights toward zero.

2. Why does augmentation reduce overfitting?

It shows the model more label-preserving variation than the raw data holds.

Hopefully these notes give you a solid base. Happy studying!


Vanishing Gradients

Answer: Small derivatives multiplied through many layers shrink the signal that reaches early layers.

Is there anything else you would like me to cover?
"""


def test_chat_markers_filler_and_sections_in_new_wording():
    source = Source(name="unseen.txt", text=CHAT_NOTES)
    assert pick(source) is chat
    cards = list(chat.read(source))
    assert questions(cards) == [
        "What problem does batch normalization solve?", "Why pair softmax with cross-entropy?",
        "How would you write a stable softmax in NumPy?", "Weight Decay",
        "Why does augmentation reduce overfitting?", "Vanishing Gradients"]
    # the page title is the root of every section; the numbered group ends at the next title
    assert all(c.section[0] == "Deep Learning Prep" for c in cards)
    assert card(cards, "Weight Decay").section == ("Deep Learning Prep", "Regularization Answers")
    assert card(cards, "Vanishing Gradients").section == ("Deep Learning Prep",)
    # answer markers are stripped, whatever their spelling
    assert card(cards, "What problem does batch normalization solve?").answer.startswith("It keeps each layer")
    assert card(cards, "Why pair softmax with cross-entropy?").answer.startswith("The gradient of the pair")
    # math and fenced code are kept; filler is neither a card nor part of an answer
    assert "$p - y$" in cards[1].answer
    assert "$\\lambda \\lVert w \\rVert^2$" in card(cards, "Weight Decay").answer
    code = card(cards, "How would you write a stable softmax in NumPy?").answer
    assert "```python\ndef softmax(x):\n    z = x - x.max(axis=-1, keepdims=True)" in code
    assert code.endswith("The shift cancels in the ratio.")
    everything = "\n".join(c.question + "\n" + c.answer for c in cards)
    for filler in ("Great, here", "clears things up", "Good luck", "Happy studying", "anything else"):
        assert filler not in everything


def test_copied_conversations_use_speaker_labels_as_markers():
    text = ("You said:\n"
            "How do bagging and boosting differ in what they reduce?\n"
            "ChatGPT said:\n"
            "Bagging averages models trained apart on bootstrap samples, which lowers variance.\n\n"
            "Boosting trains models in turn on the previous ones' mistakes, which lowers bias.\n\n"
            "You said:\n"
            "Give an example of each in scikit-learn\n"
            "ChatGPT said:\n"
            "RandomForestClassifier bags trees; GradientBoostingClassifier boosts them.\n\n"
            "User: Why can boosting overfit noisy labels?\n"
            "Assistant: It keeps upweighting the hardest points, and mislabelled ones are the hardest.\n")
    source = Source(name="unseen.txt", text=text)
    assert pick(source) is chat
    cards = list(chat.read(source))
    assert questions(cards) == ["How do bagging and boosting differ in what they reduce?",
                                "Give an example of each in scikit-learn", "Why can boosting overfit noisy labels?"]
    assert cards[0].answer.endswith("which lowers bias.") and "said" not in cards[0].answer
    assert cards[2].answer.startswith("It keeps upweighting")


CONTENT_LIKE_NOISE = ["Save it to disk with torch.save before the job ends.",
                      "Subscribe to a topic, then poll it for new messages.",
                      "Drop a column with frame.drop when it leaks the label.",
                      "Follow these steps to roll back a bad model.",
                      "Sure, but dropout is switched off at test time.",
                      "Ensembles keep all the best features of their members."]


def test_answer_lines_that_resemble_calls_to_action_are_kept():
    chat_text = "Q: Any practical tips?\nA: A few from production work:\n\n" + "\n\n".join(CONTENT_LIKE_NOISE) + "\n"
    cards, _ = read_with(chat, chat_text)
    assert len(cards) == 1
    for line in CONTENT_LIKE_NOISE:
        assert line in cards[0].answer
    post_text = "\n".join(["What are some practical tips from production?"] + CONTENT_LIKE_NOISE + ["👍 3"]
                           + ["Why log every prediction?", "So drift can be measured later.",
                              "Follow me for more field notes", "#mlops"])
    cards, _ = read_with(posts, post_text)
    assert questions(cards) == ["What are some practical tips from production?", "Why log every prediction?"]
    for line in CONTENT_LIKE_NOISE:
        assert line in cards[0].answer
    assert "Follow me" not in cards[1].answer


def test_a_question_wrapped_over_several_lines_stays_whole():
    text = ("Q: How would you design a system that\n"
            "recommends videos to brand new users\n"
            "with no watch history?\n"
            "A: Start from regional popularity, then learn from the first few clicks.\n\n"
            "Q: Name three ways to handle class imbalance\n"
            "Resampling, class weights and threshold tuning.\n")
    cards, _ = read_with(chat, text)
    assert questions(cards) == [
        "How would you design a system that recommends videos to brand new users with no watch history?",
        "Name three ways to handle class imbalance"]
    assert cards[0].answer.startswith("Start from regional popularity")
    assert cards[1].answer == "Resampling, class weights and threshold tuning."


def test_numbered_steps_announced_by_the_answer_stay_in_it():
    text = ("Q1: How do you ship a trained model?\n"
            "A: Three steps:\n\n"
            "1. Package the model\n\n"
            "Keep weights and preprocessing code together.\n\n"
            "2. Serve it\n\n"
            "Wrap prediction in a small web service.\n\n"
            "Q2: What is shadow deployment?\n"
            "A: The new model sees live traffic but its answers are not used.\n")
    cards, _ = read_with(chat, text)
    assert questions(cards) == ["How do you ship a trained model?", "What is shadow deployment?"]
    assert "Package the model" in cards[0].answer and "small web service" in cards[0].answer


def test_code_copied_out_of_a_chat_window_is_fenced():
    text = ("Q: How do you drop duplicate rows in pandas?\n\n"
            "A: Use drop_duplicates on the columns that define a repeat:\n\n"
            "python\n"
            "Copy code\n"
            "import pandas as pd\n\n"
            "frame = frame.drop_duplicates(subset=[\"user\"], keep=\"last\")\n\n"
            "The keep argument picks the copy that survives.\n\n"
            "Q: How do you reverse a list?\n\n"
            "A: Slice it with a negative step:\n\n"
            "    items[::-1]\n\n"
            "or call items.reverse() to do it in place.\n")
    cards, _ = read_with(chat, text)
    assert questions(cards) == ["How do you drop duplicate rows in pandas?", "How do you reverse a list?"]
    first = cards[0].answer
    assert "```python\nimport pandas as pd\n\nframe = frame.drop_duplicates(" in first
    assert "Copy code" not in first
    assert first.endswith("The keep argument picks the copy that survives.")
    assert "```\nitems[::-1]\n```" in cards[1].answer
    assert cards[1].answer.endswith("or call items.reverse() to do it in place.")


def test_a_copy_code_line_without_a_language_still_opens_code():
    text = ("Q: How do you sort a list in place?\n"
            "A: Call sort on it:\n\n"
            "Copy code\n"
            "items.sort(key=len)\n\n"
            "It returns None.\n")
    cards, _ = read_with(chat, text)
    assert questions(cards) == ["How do you sort a list in place?"]
    assert "```\nitems.sort(key=len)\n```" in cards[0].answer and "Copy code" not in cards[0].answer
    assert cards[0].answer.endswith("It returns None.")


def test_display_math_over_several_lines_stays_one_block():
    text = ("Q: What is the cross-entropy loss?\n"
            "A: For targets $y$ and predicted probabilities $p$:\n\n"
            "$$\n"
            "L = -\\sum_k y_k \\log p_k\n"
            "$$\n\n"
            "It is the negative log-likelihood of the right class.\n\n"
            "Q: What does softmax compute?\n"
            "A: Probabilities from logits:\n"
            "\\[\n"
            "\\sigma(z)_i = e^{z_i} / \\sum_j e^{z_j}\n"
            "\\]\n")
    cards, _ = read_with(chat, text)
    assert "$$\nL = -\\sum_k y_k \\log p_k\n$$" in cards[0].answer
    assert cards[0].answer.endswith("It is the negative log-likelihood of the right class.")
    assert cards[1].answer.endswith("$$\n\\sigma(z)_i = e^{z_i} / \\sum_j e^{z_j}\n$$")


def test_closing_questions_to_the_reader_are_dropped_but_bare_questions_stay():
    text = ("Saved posts\n\n\n"
            "Feature Stores\n\n"
            "One place computes features for both training and serving, so the two never drift apart.\n\n"
            "Have you run into training/serving skew in production?\n\n"
            "Warmup Schedules\n\n"
            "Early optimizer statistics are noisy, so the step size ramps up over the first updates.\n\n"
            "What's your go-to warmup length? —- Follow me for weekly notes! #ml\n\n\n"
            "How do you pick the temperature for distillation?\n\n\n"
            "Calibration\n\n"
            "Platt scaling fits a logistic curve to the raw scores.\n")
    cards, _ = read_with(chat, text)
    assert questions(cards) == ["Feature Stores", "Warmup Schedules",
                                "How do you pick the temperature for distillation?", "Calibration"]
    assert not card(cards, "How do you pick the temperature for distillation?").answered
    assert "go-to" not in cards[1].answer and "Follow" not in cards[1].answer


def test_tab_indented_bullets_in_chat_notes_nest_by_relative_depth():
    text = ("Pooling Layers\n\n"
            "\t• They shrink each feature map.\n"
            "\t\t• Max pooling keeps the largest value.\n"
            "\t\t• Average pooling keeps the mean.\n"
            "\t• They add a little shift invariance.\n\n"
            "Q: What is a stride? A: The step between two filter positions.\n")
    cards, _ = read_with(chat, text)
    assert card(cards, "Pooling Layers").answer == (
        "- They shrink each feature map.\n"
        "  - Max pooling keeps the largest value.\n"  # at the parent's content column
        "  - Average pooling keeps the mean.\n"
        "- They add a little shift invariance.")


def test_answer_labels_stay_inside_the_answer():
    text = ("Q: What is overfitting?\n"
            "A: The model memorises noise instead of the signal.\n\n"
            "Example:\n"
            "A wiggly curve through ten noisy points fits them all and predicts badly between them.\n\n"
            "Q: What is underfitting?\n"
            "A: The model is too simple for the signal.\n\n"
            "Pros:\n\n"
            "  • Fast to train.\n\n"
            "Cons:\n\n"
            "  • High bias.\n")
    cards, _ = read_with(chat, text)
    assert questions(cards) == ["What is overfitting?", "What is underfitting?"]
    assert "wiggly curve" in cards[0].answer
    assert "Pros" in cards[1].answer and cards[1].answer.endswith("- High bias.")


def test_numbered_titles_glued_to_their_sentence_under_group_labels():
    text = ("General ML:\n\n"
            "1. What is bias?\n"
            "Bias is the error that comes from wrong assumptions in the model.\n\n"
            "2) Bias-variance trade-off\n"
            "Lowering one usually raises the other, so the best model balances both.\n\n"
            "Deep Learning:\n\n"
            "1. Why does dropout work?\n"
            "It stops units from co-adapting, much like averaging many thinned networks.\n")
    source = Source(name="unseen.txt", text=text)
    assert pick(source) is chat
    cards = list(chat.read(source))
    assert questions(cards) == ["What is bias?", "Bias-variance trade-off", "Why does dropout work?"]
    assert [c.section for c in cards] == [("General ML",), ("General ML",), ("Deep Learning",)]
    assert cards[1].answer == "Lowering one usually raises the other, so the best model balances both."


# ---------------------------------------------------------------- social posts

def styled(text: str) -> str:
    """Unicode sans-serif bold letters, as posts use for titles."""
    return "".join(chr(0x1D5D4 + ord(c) - 65) if "A" <= c <= "Z" else
                   chr(0x1D5EE + ord(c) - 97) if "a" <= c <= "z" else c for c in text)


ACCUMULATION = ["When a batch does not fit in GPU memory you can still train with a large effective batch.",
                "Here is the trick in three steps:",
                "1" + KEYCAP + " Run forward and backward on a micro-batch",
                "Gradients add up in the parameters.",
                "2" + KEYCAP + " Repeat for N micro-batches",
                "Hold the optimizer step until the last one.",
                "3" + KEYCAP + " Step and reset",
                "Call the optimizer, then zero the gradients.",
                "Divide the loss by N so the scale matches a real batch."]
FISHING = ["Precision: of everything in your net, how much is actually fish?",
           "Recall: of all the fish in the lake, how many did you catch?",
           "✅ A small net gives high precision and low recall.",
           "👉 F1 is the harmonic mean of the two.",
           "🔹 Fraud teams usually care more about recall.",
           "Which one does your team optimise for?",
           "👋 Follow Dana Ruiz for one ML idea a day"]
IMBALANCE = ["🔹 Resampling: repeat the rare class or thin out the common one.",
             "🔹 Class weights: make errors on the rare class cost more.",
             "For example:",
             "With one percent positives a 0.5 threshold almost never fires.",
             "For example:",
             "SMOTE interpolates between rare neighbours to make new rows.",
             "Save this for your next interview 📌",
             "#machinelearning #datascience"]


def test_posts_pasted_twice_with_new_calls_to_action_fold_and_split():
    text = "\n".join(
        ["🧠 " + styled("What is gradient accumulation") + "?"] + ACCUMULATION[:7] + ACCUMULATION[2:]
        + ["♻️ Repost if this saved you memory", "#deeplearning #pytorch"]
        + ["Precision vs Recall, explained with a fishing net 🎣"] + FISHING
        + ["Precision vs Recall, explained with a fishing net 🎣"] + FISHING
        + [styled("Two ways to handle class imbalance")] + IMBALANCE + IMBALANCE)
    source = Source(name="unseen.txt", text=text)
    assert pick(source) is posts
    cards = list(posts.read(source))
    assert questions(cards) == ["What is gradient accumulation?",
                                "Precision vs Recall, explained with a fishing net",
                                "Two ways to handle class imbalance"]
    accumulation, fishing, imbalance = (c.answer for c in cards)
    assert accumulation.count("Gradients add up") == 1 and accumulation.count("Step and reset") == 1
    assert "Precision vs Recall" not in accumulation and "Repost" not in accumulation
    # "Term: ...?" lines define; emoji bullets become list items; the closing question and
    # the follow line are dropped
    assert fishing.startswith("Precision: of everything in your net")
    assert "- A small net gives high precision" in fishing and "- F1 is the harmonic mean" in fishing
    assert "optimise for" not in fishing and "Follow" not in fishing
    assert imbalance.count("For example:") == 2
    assert "Save this" not in imbalance and "#" not in imbalance


def test_posts_without_any_repeat_split_at_their_sign_offs():
    text = "\n".join([
        "💡 " + styled("Why keep a validation set") + "?",
        "Tuning on the test set quietly turns it into training data.",
        "👉 Train set: fit the weights.",
        "👉 Validation set: pick hyperparameters.",
        "Drop a 💬 if you have seen a test set abused!",
        "#ml #interviewprep",
        "🔥 " + styled("Cosine similarity in one line"),
        "It compares directions and ignores lengths.",
        "import numpy as np",
        "sim = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))",
        "Values near one mean the vectors agree.",
        "👇 Link to the notebook in the first comment",
        "Follow me for more bite-sized ML tips 🚀",
        "Tools worth knowing:",
        "1.) scikit-learn : Classic models, pipelines and metrics.",
        "2.) Polars : A fast DataFrame library written in Rust.",
        "👍 12",
    ])
    source = Source(name="unseen.txt", text=text)
    assert pick(source) is posts
    cards = list(posts.read(source))
    assert questions(cards) == ["Why keep a validation set?", "Cosine similarity in one line",
                                "scikit-learn", "Polars"]
    assert "Cosine" not in cards[0].answer and "Drop a" not in cards[0].answer
    assert "```python\nimport numpy as np\nsim = a @ b" in cards[1].answer
    assert "Follow me" not in cards[1].answer and "first comment" not in cards[1].answer
    assert cards[2].section == ("Tools worth knowing",)


def test_feed_furniture_and_author_header_are_no_part_of_a_post():
    body = ["Each tower encodes one side on its own, so item vectors can be computed offline.",
            "At request time only the user tower runs, then a nearest-neighbour lookup.",
            "The price: no cross features between user and item at this stage."]
    hard = ["Hard negatives: the key to a good retriever",
            "Random negatives are too easy to teach the model much.",
            "Mine items the current model scores high that are not relevant.",
            "Mix them with in-batch negatives to keep training stable."]
    text = "\n".join(["Priya Natarajan", "Priya Natarajan", " • 2nd", "Staff ML Engineer | Ranking", "1w • ",
                      "Follow", "Why do two-tower models dominate retrieval?"] + body
                     + ["…see more", "No alternative text description for this image", "👍❤️ 231",
                        "18 comments · 9 reposts", "Like", "Comment", "Repost", "Send",
                        "Why do two-tower models dominate retrieval?"] + body + hard + ["Show translation"] + hard)
    source = Source(name="unseen.txt", text=text)
    assert pick(source) is posts
    cards = list(posts.read(source))
    assert questions(cards) == ["Why do two-tower models dominate retrieval?",
                                "Hard negatives: the key to a good retriever"]
    assert cards[0].section == ()
    assert cards[0].answer.endswith("The price: no cross features between user and item at this stage.")
    assert cards[1].answer.count("Mine items") == 1
    for noise in ("see more", "alternative text", "Like", "Repost", "translation", "Natarajan"):
        assert noise not in cards[0].answer + cards[1].answer


def test_a_sentence_that_ends_in_ago_is_content_not_a_byline():
    text = ("Transformers\n\n"
            "Attention replaced recurrence in translation about 7 years ago\n\n"
            "Residual Connections\n\n"
            "They were popularised by image models 9 years ago\n")
    cards, _ = read_with(chat, text)
    assert [c.answer for c in cards] == ["Attention replaced recurrence in translation about 7 years ago",
                                         "They were popularised by image models 9 years ago"]


def test_posts_without_decoration_or_blank_lines_are_still_posts():
    text = ("What is the difference between L1 and L2 regularization?\n"
            "L1 adds the absolute weights to the loss and drives many of them to zero.\n"
            "L2 adds the squared weights and shrinks them all smoothly.\n"
            "Example:\n"
            "With five hundred noisy features L1 keeps a few dozen.\n"
            "Cons:\n"
            "L1 picks one feature at random from a correlated group.\n"
            "👍 5\n"
            "Why use a learning rate schedule?\n"
            "A fixed step is too slow early on or too noisy late.\n"
            "Cosine decay and one-cycle are common choices.\n"
            "Note:\n"
            "Warm restarts can help leave sharp minima.\n")
    source = Source(name="unseen.txt", text=text)
    assert pick(source) is posts          # the file's final newline is no blank line
    cards = list(posts.read(source))
    assert questions(cards) == ["What is the difference between L1 and L2 regularization?",
                                "Why use a learning rate schedule?"]
    assert "correlated group" in cards[0].answer and "Warm restarts" in cards[1].answer


def test_posts_with_a_blank_line_between_them_still_go_to_the_posts_reader():
    text = "\n".join([
        "💡 Why keep a validation set?",
        "Tuning on the test set quietly turns it into training data.",
        "👉 Train set: fit the weights.",
        "👉 Validation set: pick hyperparameters.",
        "Drop a 💬 if you have seen a test set abused!",
        "",
        "🔥 Cosine similarity in one line",
        "It compares directions and ignores lengths.",
        "Values near one mean the vectors agree.",
        "Scaling both vectors leaves it unchanged.",
        "",
        "What is the curse of dimensionality?",
        "As features grow, every point drifts far from every other.",
        "✅ Distances lose contrast.",
        "✅ Coverage needs exponentially more data.",
        "Like and share with someone preparing for interviews!",
    ])
    source = Source(name="unseen.txt", text=text)
    assert pick(source) is posts
    assert questions(list(posts.read(source))) == ["Why keep a validation set?", "Cosine similarity in one line",
                                                   "What is the curse of dimensionality?"]


# ---------------------------------------------------------------- bullet primers

ASCII_PRIMER = """\
Data Engineering Basics

What is a data lake?
  - A store that keeps raw data in its original format.
  - Schemas are applied on read.
    - This is called schema-on-read.

Difference between OLTP and OLAP
  - OLTP handles many small transactions.
  - OLAP answers few heavy queries over history.

Explain partitioning
  * Splitting a table by the value of a column, often the date.
  * Queries that filter on that column read only their parts.

List the main parts of a DAG
  * Tasks.
  * Dependencies between tasks.
"""


def test_primer_written_with_ascii_markers_is_read_as_a_primer():
    source = Source(name="unseen.txt", text=ASCII_PRIMER)
    assert pick(source) is bullets
    cards = list(bullets.read(source))
    assert questions(cards) == ["What is a data lake?", "Difference between OLTP and OLAP",
                                "Explain partitioning", "List the main parts of a DAG"]
    assert cards[0].answer == ("- A store that keeps raw data in its original format.\n"
                               "- Schemas are applied on read.\n"
                               "  - This is called schema-on-read.")
    assert [c.kind for c in cards] == ["question", "topic", "question", "question"]


def test_primer_indented_with_tabs_and_mixed_glyphs_nests():
    text = ("Vision Notes\n\n"
            "What does a pooling layer do?\n\n"
            "\t• It downsamples each feature map.\n"
            "\t\t◦ Max pooling keeps the largest value.\n"
            "\t\t◦ Average pooling keeps the mean.\n"
            "\t• It adds some shift invariance.\n\n"
            "when to use data augmentation\n\n"
            "\t▪ When the training set is small.\n\n"
            "Intersection over Union\n\n"
            "\t• Overlap area divided by the union area.\n")
    source = Source(name="unseen.txt", text=text)
    assert pick(source) is bullets
    cards = list(bullets.read(source))
    assert questions(cards) == ["What does a pooling layer do?", "when to use data augmentation",
                                "Intersection over Union"]
    assert cards[0].answer == ("- It downsamples each feature map.\n"
                               "  - Max pooling keeps the largest value.\n"
                               "  - Average pooling keeps the mean.\n"
                               "- It adds some shift invariance.")
    assert [c.kind for c in cards] == ["question", "question", "topic"]


def test_primer_prompts_in_other_shapes():
    text = ("Q1. What is feature leakage?\n\n"
            "  • Training features that would not exist at prediction time.\n\n"
            "Walk me through building a spam filter\n\n"
            "  • Label messages, start from a bag-of-words baseline, then add sender features.\n\n"
            "3) Tell me about a model that failed in production\n\n"
            "  • Say how the failure was noticed and what changed.\n\n"
            "Can a random forest overfit\n\n"
            "  • Yes, with very deep trees on noisy labels.\n\n"
            "2) Keep the answer short.\n"
            "3) Mention the metric.\n")
    cards, _ = read_with(bullets, text)
    assert questions(cards) == ["What is feature leakage?", "Walk me through building a spam filter",
                                "Tell me about a model that failed in production", "Can a random forest overfit"]
    assert all(c.kind == "question" for c in cards)
    assert "2) Keep the answer short." in cards[-1].answer      # numbered answer lines are no prompts


def test_en_dash_bullets_nest_like_any_other_glyph():
    text = ("Optimisers\n\n"
            "What does momentum do?\n\n"
            "  – It averages recent gradients.\n"
            "    – Oscillations across a valley cancel out.\n"
            "  – Progress along the valley adds up.\n\n"
            "Why use Adam\n\n"
            "  – Per-parameter steps from running gradient statistics.\n"
            "  – Little tuning is needed.\n")
    source = Source(name="unseen.txt", text=text)
    assert pick(source) is bullets
    cards = list(bullets.read(source))
    assert questions(cards) == ["What does momentum do?", "Why use Adam"]
    assert cards[0].answer == ("- It averages recent gradients.\n"
                               "  - Oscillations across a valley cancel out.\n"
                               "- Progress along the valley adds up.")


def test_display_math_inside_a_bullet_stays_one_formula():
    text = ("What is the squared loss?\n\n"
            "  • The mean of squared errors:\n"
            "    \\[\n"
            "    L = \\frac{1}{n} \\sum_i (y_i - \\hat{y}_i)^2\n"
            "    \\]\n"
            "  • It punishes large errors hard.\n")
    cards, _ = read_with(bullets, text)
    assert cards[0].answer == ("- The mean of squared errors:\n"
                               "  $$L = \\frac{1}{n} \\sum_i (y_i - \\hat{y}_i)^2$$\n"
                               "- It punishes large errors hard.")


def test_small_primer_whose_answer_starts_on_the_prompt_line():
    text = ("What is a p-value? The chance of data this extreme if the null hypothesis holds.\n\n"
            "  • Small values cast doubt on the null.\n\n"
            "Why keep a holdout set? It gives an honest estimate.\n\n"
            "  • Never tune on it.\n"
            "  • Look at it once, at the end.\n")
    source = Source(name="unseen.txt", text=text)
    assert pick(source) is bullets
    cards = list(bullets.read(source))
    assert questions(cards) == ["What is a p-value?", "Why keep a holdout set?"]
    assert cards[0].answer == ("The chance of data this extreme if the null hypothesis holds.\n\n"
                               "- Small values cast doubt on the null.")


def test_block_after_a_dropped_heading_that_defines_another_term_is_skipped():
    text = ("Batch Normalization\n\n"
            "  • Normalises activations over each mini-batch.\n"
            "  • Learns a scale and a shift per channel.\n\n\n"
            "  • Dropout is a regularization technique that zeroes random units while training.\n"
            "  • At test time every unit is kept.\n\n"
            "Weight Decay\n\n"
            "  • Shrinks weights toward zero every step.\n\n\n"
            "  • Weight decay is a simple method that most optimizers offer as a flag.\n")
    cards, source = read_with(bullets, text)
    assert questions(cards) == ["Batch Normalization", "Weight Decay"]
    assert "Dropout" not in cards[0].answer and cards[0].answer.endswith("a shift per channel.")
    assert any("Dropout" in d.message for d in source.diagnostics)
    assert "most optimizers offer" in cards[1].answer      # the same topic goes on after the gap


def test_a_prompt_wrapped_onto_a_second_line_is_one_question():
    text = ("How does a generative model differ from a\n"
            "discriminative one?\n\n"
            "  • A generative model learns how the inputs are distributed.\n"
            "  • A discriminative model learns only the boundary.\n\n"
            "Why use dropout?\n\n"
            "  • It reduces co-adaptation.\n")
    cards, _ = read_with(bullets, text)
    assert questions(cards) == ["How does a generative model differ from a discriminative one?",
                                "Why use dropout?"]
    assert cards[0].answer.endswith("learns only the boundary.")


def test_a_line_without_letters_is_no_prompt():
    cards, source = read_with(bullets, ":\n  • point\n\n?\n  • another point\n")
    assert cards == []  # no prompt at all: the lines are named as skipped, not lost
    assert [(d.line, d.message) for d in source.diagnostics] == [(1, "lines 1-5: text before the first question; skipped")]
    cards, _ = read_with(bullets, "What is a kernel?\n  • A similarity function.\n\n:\n  • point\n\n?\n  • another point\n")
    assert questions(cards) == ["What is a kernel?"]
    assert cards[0].answer.startswith("- A similarity function.") and cards[0].answer.endswith("- another point")


# ---------------------------------------------------------------- routing

CHAT_WITH_BULLETS = """\
Saved posts


Calibrating Classifiers

  • Why calibrate? Scores are often over-confident, and decisions need real probabilities.
  • Platt scaling fits a logistic curve on the scores.
  • Isotonic regression fits a monotone step function.

Which of these do you reach for first? —- Follow me for weekly notes! #calibration


Feature Stores

A feature store computes features once for training and serving, so the two cannot drift apart.
It keeps an offline store for training sets and an online store for fast lookups.

Learning Rate Warmup

Early optimizer statistics are poor, so large early steps can push the weights somewhere bad.
"""


def test_each_family_goes_to_its_own_reader():
    assert pick(Source(name="a.txt", text=CHAT_NOTES)) is chat
    assert pick(Source(name="b.txt", text=CHAT_WITH_BULLETS)) is chat
    assert pick(Source(name="c.txt", text=ASCII_PRIMER)) is bullets
    pasted = "\n".join(["What is gradient accumulation?"] + ACCUMULATION + ACCUMULATION[3:] + ["👍 4"])
    assert pick(Source(name="d.txt", text=pasted)) is posts
    # and a reader handed another family's notes still returns cards without raising
    for module in (chat, posts, bullets):
        for text in (CHAT_NOTES, CHAT_WITH_BULLETS, ASCII_PRIMER, pasted):
            cards, source = read_with(module, text)
            assert cards and all(c.question.strip() for c in cards), (module.NAME, text[:40])
            assert not [d for d in source.diagnostics if d.severity == "error"]
