"""The chat-notes reader: Q:/A: pairs, numbered titles, filler, bare question lists."""

import re

import pytest

from deckgen.card import Source
from deckgen.readers import chat, pick, posts
from deckgen.text.normalize import normalize_text
from deckgen.text.repair import repair

from conftest import seed_file


def cards_of(text: str, name: str = "notes.txt"):
    source = Source(name=name, text=text)
    return list(chat.read(source)), source


def by_question(cards):
    return {c.question: c for c in cards}


def test_inline_q_and_a_on_one_line():
    cards, _ = cards_of(
        "Q: What does a learning rate control? A: The size of each optimisation step.\n\n"
        "Q: Why shuffle training data each epoch? A: So batches are not correlated with file order.\n")
    assert [c.question for c in cards] == ["What does a learning rate control?",
                                           "Why shuffle training data each epoch?"]
    assert cards[0].answer == "The size of each optimisation step."
    assert all(c.answered and c.kind == "question" for c in cards)


def test_question_line_answered_on_following_lines():
    text = ("Q. How do you pick k in k-means?\n\n"
            "Answer: Plot inertia against k and look for the elbow.\n\n"
            "  • Silhouette scores give a second opinion.\n"
            "    • Higher is better.\n\n"
            "Q: What is early stopping?\n"
            "A: Halting training when validation loss stops improving.\n")
    cards, _ = cards_of(text)
    found = by_question(cards)
    kmeans = found["How do you pick k in k-means?"]
    assert kmeans.answer.startswith("Plot inertia against k")
    assert "- Silhouette scores give a second opinion." in kmeans.answer
    assert "\n  - Higher is better." in kmeans.answer  # nesting kept, at the parent's content column
    assert "Answer:" not in kmeans.answer
    assert found["What is early stopping?"].answer == "Halting training when validation loss stops improving."


def test_numbered_titles_under_a_group_label_are_heading_items():
    text = ("Optimisation Answers:\n\n"
            "1. Weight Initialisation\n\n"
            "Small random weights break the symmetry between hidden units.\n\n"
            "2. Learning Rate Warmup\n\n"
            "  • Start with a tiny step size.\n"
            "  • Raise it over the first thousand updates.\n\n"
            "3. What is gradient clipping?\n\n"
            "Rescaling gradients whose norm exceeds a threshold.\n")
    cards, _ = cards_of(text)
    assert [c.question for c in cards] == ["Weight Initialisation", "Learning Rate Warmup",
                                           "What is gradient clipping?"]
    assert [c.kind for c in cards] == ["topic", "topic", "question"]
    assert all(c.section == ("Optimisation Answers",) for c in cards)
    assert cards[1].answer == "- Start with a tiny step size.\n- Raise it over the first thousand updates."


def test_numbered_sub_headings_stay_inside_one_answer():
    text = ("How would you monitor a model after launch?\n\n"
            "  • Monitoring needs several layers working together, and here is how to build them:\n\n"
            "1. Input Checks\n\n"
            "  • Compare feature distributions with the training data.\n\n"
            "2. Output Checks\n\n"
            "  • Track the share of each predicted class.\n\n"
            "What is a canary release?\n\n"
            "  • Sending a small share of traffic to the new model first.\n")
    cards, _ = cards_of(text)
    assert [c.question for c in cards] == ["How would you monitor a model after launch?",
                                           "What is a canary release?"]
    assert "Input Checks" in cards[0].answer and "share of each predicted class" in cards[0].answer


def test_chat_filler_and_signoffs_are_dropped():
    text = ("Thanks for sharing these questions! Here are longer answers below.\n\n"
            "Q: What is dropout? A: Randomly zeroing activations during training.\n\n"
            "Feel free to ask for further clarifications!\n\n"
            "Batch Normalisation\n\n"
            "It rescales activations per mini-batch. —- Follow me for more notes like this! #ml #ai\n\n"
            "#deeplearning #python\n")
    cards, _ = cards_of(text)
    assert [c.question for c in cards] == ["What is dropout?", "Batch Normalisation"]
    everything = "\n".join(c.question + "\n" + c.answer for c in cards)
    assert "Thanks" not in everything and "Feel free" not in everything
    assert "Follow me" not in everything and "#" not in everything
    assert cards[1].answer == "It rescales activations per mini-batch."


def test_filler_lines_closing_a_multi_line_answer_are_cut_from_it():
    # the filler sits inside the answers' own lines, so only the filler rule can keep it out
    text = ("Q: What is dropout?\nRandomly zeroing activations during training.\n"
            "Hope this helps with your preparation!\n\n"
            "Q: What is weight decay?\nA penalty on large weights.\nFeel free to ask for further clarifications!\n")
    cards, _ = cards_of(text)
    assert [(c.question, c.answer) for c in cards] == [
        ("What is dropout?", "Randomly zeroing activations during training."),
        ("What is weight decay?", "A penalty on large weights.")]


def test_link_only_answers_are_unanswered():
    text = ("Can you answer these before the interview?\n\n"
            "  • Why is training a two-layer network NP-hard? https://example.org/papers/np.pdf\n"
            "  • How would you parallelise gradient boosting? https://example.org/gbm\n"
            "  • What does float16 change in training? https://example.org/a, https://example.org/b\n"
            "  • Why can a linear model not learn XOR? https://example.org/xor\n")
    cards, _ = cards_of(text)
    assert len(cards) == 4
    assert not any(c.answered for c in cards)
    assert cards[2].question == "What does float16 change in training?"
    assert cards[2].answer == "https://example.org/a, https://example.org/b"


def test_question_list_splits_renumbered_lines_and_glued_labels():
    text = ("Open Questions\n\n"
            "Panel round:\n\n"
            "  1. How is attention computed? What is its cost? 2. Why use layer norm\n"
            "  2. What is beam search? Retrieval:\n"
            "  3. Does chunk size change recall?\n"
            "  4. A note about my own project\n")
    cards, source = cards_of(text)
    questions = [c.question for c in cards]
    assert questions == ["How is attention computed? What is its cost?", "Why use layer norm",
                         "What is beam search?", "Does chunk size change recall?"]
    assert cards[0].section == ("Open Questions", "Panel round")
    assert cards[3].section == ("Open Questions", "Panel round", "Retrieval")
    assert not any(c.answered for c in cards)
    assert any("not a question" in d.message for d in source.diagnostics)


def test_orphan_answer_is_not_glued_to_the_previous_item():
    text = ("Pooling Layers\n\n"
            "Answer: Pooling downsamples feature maps.\n\n\n"
            "Answer: An unrelated explanation whose question was lost.\n\n"
            "Stride\n\n"
            "Answer: The step between filter positions.\n")
    cards, source = cards_of(text)
    assert by_question(cards)["Pooling Layers"].answer == "Pooling downsamples feature maps."
    assert by_question(cards)["Stride"].answer == "The step between filter positions."
    assert any("without a question" in d.message for d in source.diagnostics)


def test_math_is_kept_verbatim():
    cards, _ = cards_of("Q: How fast is bubble sort? A: About $\\frac{n^2}{2}$ swaps, $\\Theta(n_{\\text{items}}^2)$.\n")
    assert cards[0].answer == "About $\\frac{n^2}{2}$ swaps, $\\Theta(n_{\\text{items}}^2)$."


def test_post_title_with_a_hook_question_becomes_the_item():
    text = ("Contrastive Learning\n\n"
            "  • What is contrastive learning? It pulls matching pairs together in embedding space.\n"
            "  • Negatives are pushed apart.\n\n\n"
            "  • Do you know why temperature matters? It sharpens the softmax over similarities.\n")
    cards, _ = cards_of(text)
    assert [c.question for c in cards] == ["What is contrastive learning?",
                                           "Do you know why temperature matters?"]
    assert cards[0].section == ("Contrastive Learning",)
    assert cards[0].answer.startswith("It pulls matching pairs together")
    assert cards[1].answer == "It sharpens the softmax over similarities."


def test_engagement_question_at_the_end_of_a_post_is_not_an_item():
    text = ("Feature Hashing Trick\n\n"
            "Hash each category into a fixed number of buckets.\n\n"
            "Have you ever tried this on your own data?\n")
    cards, _ = cards_of(text)
    assert [c.question for c in cards] == ["Feature Hashing Trick"]


def test_odd_input_gives_no_cards_and_reports_the_text_it_drops():
    for text in ("", "\n\n\n", "1.\n\n2."):  # nothing with words in it: nothing to report either
        cards, source = cards_of(text)
        assert cards == [] and source.diagnostics == [], repr(text)
    # an empty question marker, an answer with no question, bare bullets: no card, and line 1 is named
    for text in ("Q:", "A: lonely answer", "•\n  •\n    •"):
        cards, source = cards_of(text)
        assert cards == [], repr(text)
        assert [d.line for d in source.diagnostics] == [1], repr(text)
    # one-letter questions and answers are cards; control characters after them stay text
    cards, _ = cards_of("Q: a A: b\n" * 3 + "\x00\ufffd")
    assert [(c.question, c.answer.split("\n")[0]) for c in cards] == [("a", "b")] * 3


def test_a_one_character_inline_question_keeps_its_answer():
    cards, _ = cards_of("Q: x A: y\nQ: What is z? A: z\n")
    assert [(c.question, c.answer, c.answered) for c in cards] == [("x", "y", True), ("What is z?", "z", True)]


def test_a_line_without_letters_is_no_question():
    cards, _ = cards_of("Q: What is a heap? A: A tree-shaped priority queue.\n\n??????????\n")
    assert [c.question for c in cards] == ["What is a heap?"]


def test_sniff_prefers_chat_for_chat_text_and_posts_for_pasted_posts():
    chat_text = ("Q: What is a kernel? A: A similarity function.\n\n"
                 "Answer: Something else.\n\n"
                 "Feel free to ask more!\n\n"
                 "Some Title\n\n  • a bullet\n")
    assert chat.sniff(chat_text) > posts.sniff(chat_text)
    post_lines = [f"Line number {i} of a pasted post about retrieval systems." for i in range(12)]
    post_text = "\n".join(["What is dense retrieval?"] + post_lines + post_lines[:10])
    assert posts.sniff(post_text) > chat.sniff(post_text)


def _seed_source(prefix: str) -> Source:
    path = seed_file(prefix)
    text = repair(normalize_text(path.read_text(encoding="utf-8")))
    return Source(name=path.name, text=text)


# Chat filler the seed holds, found by reading it (not by the reader's own pattern).
SEED_FILLER = ("feel free to dive deeper", "let me know", "these answers provide a starting point")


def test_seed_004_is_read_as_chat_notes():
    source = _seed_source("004_")
    assert all(phrase in source.text.casefold() for phrase in SEED_FILLER)  # the test has something to find
    assert pick(source) is chat
    cards = list(chat.read(source))
    assert len(cards) >= 120
    for card in cards:
        assert card.question.strip()
        text = (card.question + "\n" + card.answer).casefold()
        assert not any(phrase in text for phrase in SEED_FILLER), card.question
        assert not re.match(r"^(?:Q\s*[:.]|\d+\.\s)", card.question)      # markers are stripped
        assert "Answer:" not in card.answer.split("\n")[0]
    unanswered = [c for c in cards if not c.answered]
    assert len(unanswered) >= 40                       # link-only and "to answer" lists
    assert not any(c.answered and not c.answer.strip() for c in cards)
    # numbered titles become items; numbered sub-headings inside answers do not
    assert sum(c.kind == "topic" for c in cards) >= 60
    assert max(len(c.answer) for c in cards) < 20000


def test_seed_004_question_lists_are_split_into_single_questions():
    cards = list(chat.read(_seed_source("004_")))
    listed = [c for c in cards if not c.answered and c.section and len(c.section) >= 3]
    assert len(listed) >= 25
    assert all(len(c.question) < 250 for c in listed)
    assert not any(re.search(r"\s\d{1,2}\.\s+[A-Z]", c.question) for c in listed)


def test_a_post_pasted_again_under_another_title_folds_into_the_first():
    body = ("Add a column of random noise to the features, train a model with feature importances, "
            "and drop every real feature that ranks below the noise column. It is cheap, needs no "
            "tuning and works with any model that reports importances. Repeat it a few times with "
            "different seeds to be safe.")
    text = (f"Quick Noise Column Trick\n\n{body} Which method do you prefer?\n\n"
            "Unrelated Topic\n\nSomething else entirely, about learning rates and warmup.\n\n"
            f"Noise Column Trick\n\n{body}\n")
    cards, source = cards_of(text)
    assert [c.question for c in cards] == ["Quick Noise Column Trick", "Unrelated Topic"]
    assert any("repeats the post" in d.message for d in source.diagnostics)


def test_notes_of_titles_and_questions_without_markers_are_still_recognised():
    text = ("Gradient Noise\n\nSmall batches add noise that can help escape sharp minima.\n\n"
            "Label Smoothing\n\nSoft targets keep the model from growing over-confident.\n\n"
            "Why does weight decay help?\n\n  • It keeps weights small.\n\n"
            "What is a residual connection?\n\n  • A shortcut that adds the input to the output.\n\n"
            "Mixed Precision\n\nHalf-precision maths with a full-precision master copy.\n")
    source = Source(name="notes.txt", text=text)
    assert pick(source) is chat
    assert [c.question for c in chat.read(source)] == [
        "Gradient Noise", "Label Smoothing", "Why does weight decay help?",
        "What is a residual connection?", "Mixed Precision"]


def test_colon_titles_with_bullets_start_new_items_outside_groups():
    text = ("Dropout:\n\n  • Randomly zeroes activations while training.\n\n"
            "Batch Norm:\n\n  • Normalises activations per mini-batch.\n  • Learns a scale and a shift.\n")
    cards, _ = cards_of(text)
    assert [c.question for c in cards] == ["Dropout", "Batch Norm"]
    assert cards[1].answer == "- Normalises activations per mini-batch.\n- Learns a scale and a shift."


def test_untitled_post_after_two_blank_lines_yields_its_questions():
    text = ("Sparse Features\n\nEmbeddings help with sparse ids.\n\n\n"
            "A new post without a title starts here. It explains pruning in general terms.\n\n"
            "So, why do pruned models generalise? They train longer with restarts.\n\n"
            "On noisy data the story differs. Why does a larger loss help there? The model ignores noisy labels.\n")
    cards, source = cards_of(text)
    assert [c.question for c in cards] == ["Sparse Features", "So, why do pruned models generalise?",
                                           "Why does a larger loss help there?"]
    assert cards[0].answer == "Embeddings help with sparse ids."
    assert cards[1].answer == "They train longer with restarts.\n\nOn noisy data the story differs."
    assert cards[2].answer == "The model ignores noisy labels."
    assert any("outside any question" in d.message for d in source.diagnostics)


def test_bare_question_above_a_labelled_question_list_stays_a_card():
    text = ("Why use label smoothing?\n\n"
            "Interview Questions:\n\n"
            "  • What is a learning rate finder? https://example.com/lr\n"
            "  • Why does batch norm differ at inference? https://example.com/bn\n"
            "  • How does gradient checkpointing save memory? https://example.com/ckpt\n"
            "  • What is the difference between L1 and L2 loss? https://example.com/loss\n")
    cards, _ = cards_of(text)
    assert [c.question for c in cards][:2] == ["Why use label smoothing?", "What is a learning rate finder?"]
    assert len(cards) == 5 and not any(c.answered for c in cards)
    assert cards[0].section == () and cards[1].section == ("Interview Questions",)


def test_fenced_code_and_tables_are_kept_whole():
    text = ("Q: How do you write a training step?\n\n"
            "Answer: One step in PyTorch:\n\n"
            "```python\n"
            "def step(model, batch):\n"
            "    loss = model(batch).mean()\n"
            "\n"
            "    loss.backward()\n"
            "```\n\n"
            "| part | role |\n"
            "|---|---|\n"
            "| loss | what to minimise |\n\n"
            "Keep the step small.\n")
    cards, _ = cards_of(text)
    assert len(cards) == 1
    assert ("```python\ndef step(model, batch):\n    loss = model(batch).mean()\n\n    loss.backward()\n```"
            in cards[0].answer)
    assert "| part | role |\n|---|---|\n| loss | what to minimise |" in cards[0].answer
    assert cards[0].answer.endswith("Keep the step small.")


def test_titles_and_questions_glued_to_their_first_paragraph():
    text = ("Gradient Clipping\n"
            "Rescale the gradient when its norm passes a threshold, so one bad batch cannot wreck training.\n\n"
            "Why warm up the learning rate?\n"
            "Early updates are noisy, and small steps keep the optimiser state sane.\n")
    cards, _ = cards_of(text)
    assert [c.question for c in cards] == ["Gradient Clipping", "Why warm up the learning rate?"]
    assert cards[1].answer.startswith("Early updates are noisy")


def test_chat_filler_lines_go_and_answer_lines_with_the_same_words_stay():
    text = "\n".join([
        "Q: What is label smoothing?",
        "A: Training targets are softened so the model is less overconfident.",
        "We hope to reduce overconfidence on noisy labels this way.",
        "Hope this helps!",
        "",
        "Q: Why warm up the learning rate?",
        "A: Large early steps can break the randomly initialised network.",
        "Good luck with your interviews!",
        "Happy studying!",
    ])
    cards = list(chat.read(Source("chat.txt", text)))
    assert [c.question for c in cards] == ["What is label smoothing?", "Why warm up the learning rate?"]
    assert "We hope to reduce overconfidence" in cards[0].answer
    everything = " ".join(c.answer for c in cards)
    assert "Hope this helps" not in everything and "Good luck" not in everything and "Happy studying" not in everything


def test_chat_text_in_no_card_is_reported_once_and_tallied():
    stray = "eggs, flour and lemons are on the list, bought on tuesday."
    text = "\n".join([
        stray, "",
        "Q: What is a confusion matrix?", "A: A table of predicted against true classes.", "",
        "Q: What is recall?", "A: The share of real positives the model finds.", "",
        "Good luck with your interviews!",
    ])
    source = Source("chat.txt", text)
    cards = list(chat.read(source))
    assert [c.question for c in cards] == ["What is a confusion matrix?", "What is recall?"]
    # the reader names line 1 itself; the filler at the end is named by the accounting
    assert [d.line for d in source.diagnostics] == [1, 9]
    assert source.diagnostics[1].message == \
        "line 9: filler (greetings, offers of help, calls to follow), 31 characters in no card"
    assert source.lost_chars == len(stray) + 31 and source.text_chars == len(text.replace("\n", ""))
