"""The grader: unit cases in our own words, plus the calibration targets on ../shared/gold/grader_dev.jsonl."""

import json

import pytest

from deckgen.quiz.grader import CORRECT, INCORRECT, PARTIAL, Grade, grade
from conftest import GOLD

REGULARIZATION = (
    "L1 regularization adds the absolute value of the weights to the loss, which drives some weights to "
    "exactly zero and gives sparse models.\n"
    "L2 regularization adds the squared weights to the loss and shrinks all weights smoothly toward zero.")
REG_Q = "What is the difference between L1 and L2 regularization?"

BAGGING = (
    "- **Bagging**: trains models in parallel on bootstrap samples and averages them; it mainly reduces variance.\n"
    "- **Boosting**: trains models sequentially, each one focusing on the errors of the previous ones; "
    "it mainly reduces bias.")
BAG_Q = "Bagging vs boosting?"


def test_correct_answer_in_own_words_scores_correct():
    g = grade("L1 uses absolute values so many weights become exactly zero (sparse); "
              "L2 squares the weights and shrinks them smoothly", REGULARIZATION, REG_Q)
    assert g.verdict == CORRECT and g.score >= 70
    assert len(g.hits) >= 2 and not g.misses


def test_swapped_terms_are_incorrect():
    g = grade("L2 uses absolute values so many weights become exactly zero (sparse); "
              "L1 squares the weights and shrinks them smoothly", REGULARIZATION, REG_Q)
    assert g.verdict == INCORRECT
    assert any("swapped" in note for note in g.notes)


def test_swapped_bagging_and_boosting():
    right = grade("bagging: parallel models on bootstrap samples, averaged, lowers variance. "
                  "boosting: sequential, each model fixes the previous errors, lowers bias", BAGGING, BAG_Q)
    wrong = grade("boosting: parallel models on bootstrap samples, averaged, lowers variance. "
                  "bagging: sequential, each model fixes the previous errors, lowers bias", BAGGING, BAG_Q)
    assert right.verdict == CORRECT
    assert wrong.verdict == INCORRECT and wrong.score < right.score


def test_typos_still_match():
    g = grade("L1 uses absolut valus so weigths become sparce; L2 squres the weights and shrinks them",
              REGULARIZATION, REG_Q)
    assert g.verdict == CORRECT


def test_one_term_only_is_partial():
    g = grade("L1 drives some weights to exactly zero, so the model is sparse", REGULARIZATION, REG_Q)
    assert g.verdict == PARTIAL


@pytest.mark.parametrize("answer", ["", "   ", "the", "The the a of", "I don't know", "idk", "no idea", "skip",
                                    "?"])
def test_empty_stop_words_and_dont_know_score_zero(answer):
    g = grade(answer, REGULARIZATION, REG_Q)
    assert g.score == 0 and g.verdict == INCORRECT
    assert not g.hits and len(g.misses) >= 2  # every key point missed


def test_question_words_earn_nothing():
    g = grade("L1 and L2 regularization differ", REGULARIZATION, REG_Q)
    assert g.verdict == INCORRECT and g.score < 25


def test_off_topic_answer_is_incorrect():
    g = grade("You should always normalise the pixel values of images before feeding a CNN.", REGULARIZATION,
              REG_Q)
    assert g.verdict == INCORRECT


PROBABILITY = "The answer is 1/4.\nThere are four equally likely outcomes and exactly one of them is a hit."
PROB_Q = "What is the probability of getting two heads when flipping two fair coins?"


@pytest.mark.parametrize("answer", ["1/4", "0.25", "25%", "about 25 %", "it is 0.25 since only HH works"])
def test_numbers_in_any_form(answer):
    assert grade(answer, PROBABILITY, PROB_Q).verdict == CORRECT


@pytest.mark.parametrize("answer", ["1/2", "0.5", "75%", "it's 1/3"])
def test_wrong_number_is_not_correct(answer):
    assert grade(answer, PROBABILITY, PROB_Q).verdict != CORRECT


def test_rounded_number_within_tolerance():
    ref = "The probability is 0.2936, computed as the product of (365 - k) / 365."
    assert grade("~0.29", ref, "What is the probability that 30 people all have different birthdays?").verdict \
        == CORRECT
    assert grade("about 0.5", ref, "What is the probability that 30 people all have different birthdays?").verdict \
        != CORRECT


def test_short_exact_answer():
    ref = "Adam"
    assert grade("adam", ref, "Which optimizer combines momentum with per-parameter learning rates?").verdict \
        == CORRECT
    assert grade("sgd", ref, "Which optimizer combines momentum with per-parameter learning rates?").verdict \
        == INCORRECT


def test_opposite_word_contradicts():
    ref = "PCA keeps the eigenvectors with the largest eigenvalues because they carry the most variance."
    q = "Which eigenvectors does PCA keep?"
    assert grade("the eigenvectors with the largest eigenvalues, most variance", ref, q).verdict == CORRECT
    assert grade("the eigenvectors with the smallest eigenvalues, most variance", ref, q).verdict == INCORRECT


def test_markdown_reference_and_grade_shape():
    ref = "**Dropout**: randomly zeroes activations during training.\n\n```python\nnn.Dropout(p=0.5)\n```"
    g = grade("randomly zeroes activations while training", ref, "What does dropout do?")
    assert g.verdict == CORRECT and g.score >= 50
    assert g.hits and all("**" not in p for p in g.hits + g.misses)


def test_rating_follows_verdict():
    assert grade("", REGULARIZATION, REG_Q).rating == 1
    partial = grade("L1 drives some weights to exactly zero, so the model is sparse", REGULARIZATION, REG_Q)
    assert partial.rating == 2
    assert grade("L1: absolute values, sparse, exact zeros. L2: squared weights, shrinks smoothly",
                 REGULARIZATION, REG_Q).rating in (3, 4)


def test_grade_is_frozen():
    g = grade("L1 sparse", REGULARIZATION, REG_Q)
    with pytest.raises(AttributeError):
        g.score = 100


# --- calibration on the shared dev set --------------------------------------------------------------------

LABELS = {"incorrect": 0, "partial": 1, "correct": 2}


def _spearman(xs, ys):
    from scipy.stats import spearmanr

    return float(spearmanr(xs, ys).statistic)


def test_calibration_targets_on_dev_set():
    # in-sample: the model was fitted on this set together with SemEval-2013 (benchmarks/fit_grader.py);
    # the cross-validated and held-out figures are printed by benchmarks/bench_grader.py
    path = GOLD / "grader_dev.jsonl"
    if not path.is_file():
        pytest.skip(f"grader dev set not found at {path} (../shared is absent)")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    grades = [grade(r["answer"], r["reference"], r["question"]) for r in rows]
    accuracy = sum(g.verdict == r["label"] for g, r in zip(grades, rows)) / len(rows)
    rho = _spearman([g.score for g in grades], [LABELS[r["label"]] for r in rows])
    extremes = [(g, r) for g, r in zip(grades, rows) if r["label"] != "partial"]
    binary = sum((g.verdict == CORRECT) == (r["label"] == CORRECT) for g, r in extremes) / len(extremes)
    assert accuracy >= 0.75, accuracy
    assert rho >= 0.60, rho
    assert binary >= 0.85, binary


# --- robustness -------------------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
_notes = st.lists(st.sampled_from(["L1", "L2", "vs", "and", "-", "*", ":", "1/4", "25%", "0.3", "=", "(MSE)",
                                   "\n", "\n- ", "weights", "sparse", "not", "```", "$x^2$", "\\(a\\)", "é"]),
                  max_size=60).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(answer=st.one_of(_text, _notes), reference=st.one_of(_text, _notes), question=st.one_of(_text, _notes))
def test_any_input_gives_a_valid_grade(answer, reference, question):
    g = grade(answer, reference, question)
    assert 0 <= g.score <= 100
    assert g.verdict in (CORRECT, PARTIAL, INCORRECT)
    assert g.rating in (1, 2, 3, 4)
    assert set(g.hits).isdisjoint(g.misses)


def test_answer_equal_to_reference_is_correct():
    assert grade(REGULARIZATION, REGULARIZATION, REG_Q).verdict == CORRECT
    assert grade(BAGGING, BAGGING, BAG_Q).verdict == CORRECT


def test_big_o_must_match_exactly():
    ref = "O(log n): every comparison halves the part of the sorted array still searched."
    q = "What is the time complexity of binary search?"
    assert grade("O(log n)", ref, q).verdict == CORRECT
    assert grade("O( log N )", ref, q).verdict == CORRECT
    for wrong in ("O(n)", "O(n log n) since it sorts first"):
        g = grade(wrong, ref, q)
        assert g.verdict != CORRECT and "the complexity is wrong" in g.notes


def test_labels_the_question_names_are_contrasted():
    ref = ("**Bias**: error from assumptions that are too simple; high bias leads to underfitting.\n"
           "**Variance**: sensitivity to the particular training sample; high variance leads to overfitting.")
    q = "Explain the bias-variance tradeoff."
    right = grade("bias: too simple assumptions -> underfitting; variance: sensitive to the training sample "
                  "-> overfitting", ref, q)
    swapped = grade("high bias means sensitivity to the training sample and overfitting, high variance means "
                    "too simple assumptions and underfitting", ref, q)
    assert right.verdict == CORRECT
    assert swapped.verdict == INCORRECT


@pytest.mark.parametrize("question, sentence, expected", [
    ("L1 vs. L2 regularization?", "L2 shrinks weights while L1 zeroes them", ["l2", "l1"]),
    ("What is the difference between two-stage and one-stage object detectors?",
     "a 1-stage detector is faster than a two stage one", ["1 stage", "2 stage"]),
    ("Compare k-means with DBSCAN.", "DBSCAN finds dense regions, k-means needs the number of means",
     ["dbscan", "k means"]),
    ("What is the difference between auto-encoders and variational auto-encoders (VAEs)?",
     "a VAE samples, an autoencoder only reconstructs", ["variational auto", "auto"]),
    ("What is the difference between discriminative and generative classifiers?",
     "discrimnative models learn p(y|x)", ["discriminative"]),
    ("Explain ReLU, sigmoid and tanh.", "tanh is zero-centred, unlike the sigmoid", ["tanh", "sigmoid"]),
    ("When is it worth starting from a pretrained network?", "reuse a pretrained model", []),
])
def test_contrasted_terms_and_their_mentions(question, sentence, expected):
    from deckgen.quiz.grader_terms import find_mentions, question_terms
    from deckgen.quiz.grader_text import stem, tokens

    terms = question_terms(question)
    mentions = find_mentions([stem(w) for w in tokens(sentence)], terms)
    assert [terms[i].name for _, _, i in mentions] == expected


def test_relation_turned_around_is_incorrect():
    ref = "A hash map maps keys to values, so a lookup by key takes constant time on average."
    q = "What does a hash map do?"
    assert grade("it maps keys to values, giving constant-time lookups by key", ref, q).verdict == CORRECT
    turned = grade("it maps values to keys, giving constant-time lookups by key", ref, q)
    assert turned.verdict == INCORRECT and any("reverses" in note for note in turned.notes)


def test_conditional_turned_around():
    ref = "Naive Bayes assumes the features are conditionally independent given the class."
    q = "What does Naive Bayes assume?"
    assert grade("features are independent given the class", ref, q).verdict == CORRECT
    assert grade("the classes are independent given the features", ref, q).verdict == INCORRECT


def test_affirming_what_the_reference_denies():
    ref = "The switch was not closed, so no current could flow through the lamp."
    q = "Why did the lamp stay dark?"
    assert grade("the switch was open so current could not flow", ref, q).verdict == CORRECT
    g = grade("because the switch was closed and current could flow", ref, q)
    assert g.verdict == INCORRECT and any("contradicts" in note for note in g.notes)


def test_not_as_accurate_is_no_denial():
    ref = "Linear models are fast to train. They are not as accurate as boosted trees on tabular data."
    q = "Pros and cons of linear models?"
    assert grade("fast to train, less accurate than boosted trees on tabular data", ref, q).verdict == CORRECT


TIPS = ("Early stopping: watch the validation loss and stop when it no longer improves.\n"
        "Dropout: zero random activations during training so units cannot co-adapt.\n"
        "Weight decay: add an L2 penalty on the weights to the loss.\n"
        "Data augmentation: create new training examples by flipping, cropping or adding noise.\n"
        "Smaller model: fewer layers or units leave less capacity to memorize the training set.")
TIPS_Q = "How can you reduce overfitting in a neural network?"


def test_list_reference_one_item_is_partial_all_items_correct():
    assert grade("stop training early once validation loss stops improving", TIPS, TIPS_Q).verdict == PARTIAL
    assert grade("early stopping on validation loss, dropout, L2 weight decay, data augmentation (flips, crops), "
                 "a smaller model", TIPS, TIPS_Q).verdict == CORRECT
    assert grade("use a bigger learning rate and train longer", TIPS, TIPS_Q).verdict == INCORRECT


STEPS = ("1. Pick the number of clusters and place that many starting centres.\n"
         "2. Give every point to its closest centre.\n"
         "3. Move each centre to the average of the points it was given.\n"
         "4. Repeat the last two steps until no point changes cluster.")
STEPS_Q = "How does Lloyd's clustering algorithm run?"


def test_one_item_of_a_four_item_list_is_partial():
    g = grade("you give each point to the closest centre", STEPS, STEPS_Q)
    assert g.verdict == PARTIAL
    assert any("1 of the 4 items" in note for note in g.notes)


def test_most_items_of_a_list_are_correct():
    g = grade("start with k centres, attach points to the closest centre, move centres to the average of their "
              "points, repeat until nothing changes", STEPS, STEPS_Q)
    assert g.verdict == CORRECT and not any("items" in note for note in g.notes)


def test_number_answer_is_not_held_to_a_list_of_working():
    ref = ("- Each die shows six faces, so two dice give 36 equally likely pairs.\n"
           "- Six of those pairs add up to seven.\n"
           "- The probability is 6/36 = 1/6.")
    q = "What is the probability that two dice add up to seven?"
    assert grade("1/6", ref, q).verdict == CORRECT


def test_fraction_typed_in_words():
    ref = "One third. Of the three equally likely doors, the prize is behind exactly one."
    q = "What is the chance of picking the prize door at random out of three?"
    assert grade("its one third, one door out of 3", ref, q).verdict == CORRECT
    assert grade("a half", ref, q).verdict != CORRECT


def test_reference_opening_with_its_number():
    ref = "4,160: 64 x 64 = 4,096 weights plus 64 biases."
    q = "How many parameters does a dense layer from 64 to 64 units have, biases included?"
    assert grade("4160", ref, q).verdict == CORRECT
    assert grade("4096", ref, q).verdict != CORRECT


def test_answer_that_is_a_number_from_the_question():
    ref = "6. The wait for a first 6 is geometric with p = 1/6, so its mean is 1/p."
    q = "How many rolls of a fair die do you expect until the first 6?"
    assert grade("6", ref, q).verdict == CORRECT
    assert grade("3", ref, q).verdict != CORRECT


def test_negation_inside_an_identifier_denies_nothing():
    ref = "Call `frozen.detach()` to cut one tensor from the graph, or run the code under `torch.no_grad()`."
    q = "How do you keep autograd from tracking tensors?"
    g = grade("torch.no_grad() or frozen.detach()", ref, q)
    assert g.verdict == CORRECT and not g.notes


def test_denial_worded_differently_is_no_contradiction():
    ref = "Measurement noise sets a floor on the error that cannot be removed by any estimator."
    q = "What limits how low the error can go?"
    g = grade("the measurement noise: no estimator can remove that part of the error", ref, q)
    assert g.verdict == CORRECT and not g.notes


def test_antonym_agrees_with_a_denied_word():
    ref = "The valve is not open while the tank fills, so no water leaves it."
    q = "What state is the valve in while the tank fills?"
    assert grade("closed, so water cannot leave the tank", ref, q).verdict == CORRECT
    assert grade("open, so water leaves the tank", ref, q).verdict == INCORRECT


def test_synonyms_count_as_the_reference_words():
    ref = "Pruning removes branches that add little, which reduces the size of the tree and its variance."
    q = "Why prune a decision tree?"
    assert grade("it deletes weak branches so the tree shrinks", ref, q).verdict == CORRECT
    assert grade("it makes the tree deeper", ref, q).verdict == INCORRECT
    assert grade("choose the class with the biggest chance", "Pick the category with the highest probability.",
                 "How does a classifier decide?").verdict == CORRECT


def test_preference_turned_around():
    ref = "Prefer ReLU instead of sigmoid in deep networks, because sigmoid saturates and its gradients vanish."
    q = "Which activation should hidden layers of a deep network use?"
    for right in ("replace sigmoid with relu since sigmoid saturates", "relu is better than sigmoid which saturates",
                  "sigmoid is replaced by relu because it saturates"):
        assert grade(right, ref, q).verdict == CORRECT, right
    for turned in ("replace relu with sigmoid because relu saturates", "sigmoid is better than relu"):
        g = grade(turned, ref, q)
        assert g.verdict == INCORRECT and any("reverses" in note for note in g.notes), turned


SPAM = ("Hit rate: the fraction of the flagged emails that are actually spam.\n"
        "Catch rate: the fraction of the spam emails that are flagged by the filter.")
SPAM_Q = "What is the difference between hit rate and catch rate?"


def test_fraction_definitions_swapped_between_terms():
    right = grade("hit rate is the fraction of flagged emails that are really spam; catch rate is the fraction of "
                  "spam emails that get flagged", SPAM, SPAM_Q)
    swapped = grade("hit rate is the fraction of spam emails that are flagged, catch rate is the fraction of flagged "
                    "emails that are spam", SPAM, SPAM_Q)
    assert right.verdict == CORRECT and not right.notes
    assert swapped.verdict == INCORRECT and any("reverses" in note for note in swapped.notes)


def test_affirming_a_synonym_of_what_the_reference_denies():
    ref = "Renaming a column in the table does not remove the values stored in that column."
    q = "What happens to the values when you rename a column?"
    assert grade("the values stored in the column are kept, renaming never deletes them", ref, q).verdict == CORRECT
    g = grade("renaming the column deletes the values stored in it", ref, q)
    assert g.verdict == INCORRECT and any("contradicts" in note for note in g.notes)


# --- issue 9: answers written the way people write them -----------------------------------------------------

EARLY = ("Early stopping halts training when the validation loss stops improving, which keeps the model from "
         "overfitting the training data.")
EARLY_Q = "What is early stopping?"


def test_paraphrase_is_credited():
    g = grade("you end the training once the loss on held-out validation data no longer gets better, so the "
              "network does not overfit", EARLY, EARLY_Q)
    assert g.verdict == CORRECT and g.hits and not g.misses
    assert grade("a learning rate schedule that lowers the rate each epoch", EARLY, EARLY_Q).verdict == INCORRECT


DROPOUT = ("Dropout is active only during training: it randomly zeroes a fraction of the activations at each step. "
           "At inference it is switched off and every unit is used, with the activations scaled to match.")
DROPOUT_Q = "When is dropout applied?"


def test_reversed_fact_is_caught():
    right = grade("only while training: random activations are zeroed each step; at test time it is turned off "
                  "and all units are used", DROPOUT, DROPOUT_Q)
    reversed_ = grade("it is switched on at inference and off during training", DROPOUT, DROPOUT_Q)
    assert right.verdict == CORRECT and not right.notes
    assert reversed_.verdict == INCORRECT and any("contradicts" in note for note in reversed_.notes)


PR = ("Precision is the share of predicted positives that are truly positive: TP / (TP + FP).\n"
      "Recall is the share of actual positives that the model finds: TP / (TP + FN).")
PR_Q = "What are precision and recall?"


def test_bare_keyword_list_is_not_full_credit():
    listed = grade("precision recall TP FP FN positives", PR, PR_Q)
    said = grade("precision = TP/(TP+FP), the fraction of predicted positives that are right; recall = TP/(TP+FN), "
                 "the fraction of real positives found", PR, PR_Q)
    assert listed.verdict != CORRECT and listed.rating < 3
    assert any("which is which" in note for note in listed.notes)
    assert said.verdict == CORRECT and said.score > listed.score


def test_reference_made_of_question_words_is_still_coverable():
    ref = "The bulb and the battery are connected."
    q = "What can you say about the connection between the bulb and the battery?"
    said = grade("they are connected", ref, q)
    denied = grade("they are not connected", ref, q)
    # the point is covered (the old grader said "no content", 0); how much that is worth is the model's call
    assert said.score > 0 and said.hits == [ref] and not said.misses and "no content" not in said.notes
    assert denied.score < said.score and denied.verdict == INCORRECT


@pytest.mark.parametrize("reference", ["MSE / MAE", "MSE or MAE"])
def test_short_answer_with_alternatives_accepts_either(reference):
    q = "Name a loss for regression."
    for answer in ("mse", "MAE", "mean absolute error"):
        assert grade(answer, reference, q).verdict == CORRECT, answer
    # graded against the alternative it names, as if that were the whole reference
    assert grade("mae", reference, q).score == grade("mae", "MAE", q).score
    assert grade("cross entropy", reference, q).verdict == INCORRECT


def test_a_fraction_is_not_two_alternatives():
    q = "What is the probability of two heads with two fair coins?"
    assert grade("1/4", "1 / 4", q).verdict == CORRECT
    assert grade("4", "1 / 4", q).verdict != CORRECT


def test_several_accepted_answers():
    q = "Which activation do most hidden layers use today?"
    assert grade("relu", "Sigmoid was common in early networks.", q, ["ReLU"]).verdict == CORRECT
    assert grade("relu", "Sigmoid was common in early networks.", q).verdict == INCORRECT


def test_real_stemmer_meets_word_forms():
    from deckgen.quiz.grader_text import stem

    assert stem("iterative") == stem("iteration") == stem("iterations")
    assert stem("generalizes") == stem("generalization")
    assert stem("connected") == stem("connection")


@pytest.mark.parametrize("question", ["How would you implement and evaluate a recommender system?",
                                      "What are the strengths and weaknesses of k-means?"])
def test_question_verbs_and_generic_nouns_are_no_terms(question):
    from deckgen.quiz.grader_terms import question_terms

    assert question_terms(question) == []


def test_multi_word_name_is_kept_whole():
    from deckgen.quiz.grader_terms import find_mentions, question_terms
    from deckgen.quiz.grader_text import stem, tokens

    terms = question_terms("Compare batch gradient descent, mini-batch gradient descent and stochastic gradient "
                           "descent.")
    names = {t.name for t in terms}
    assert len(terms) == 3
    mentions = find_mentions([stem(w) for w in tokens("mini-batch gradient descent uses a small batch")], terms)
    # "a small batch" names none of the three; "mini-batch gradient descent" is the mini-batch term
    assert [terms[i].name for _, _, i in mentions] == [next(n for n in names if "mini" in n)]


def test_key_points_are_whole_sentences():
    ref = ("Batch normalization normalizes the activations of each layer over the mini-batch, which allows higher "
           "learning rates and makes training less sensitive to the initialization. It also regularizes a little.")
    g = grade("it normalizes layer activations per mini-batch so you can use larger learning rates", ref,
              "What does batch normalization do?")
    assert g.hits + g.misses == ["Batch normalization normalizes the activations of each layer over the mini-batch, "
                                 "which allows higher learning rates and makes training less sensitive to the "
                                 "initialization.", "It also regularizes a little."]


def test_verdict_and_marks_tell_one_story(monkeypatch):
    from deckgen.quiz import grader

    # one step of four answered: even where the model would call it correct (here: forced to), it is not
    # "correct" with three of four points marked missed
    monkeypatch.setitem(grader.MODEL, "bias", 8.0)
    g = grade("you give each point to the closest centre", STEPS, STEPS_Q)
    assert g.verdict == PARTIAL and len(g.misses) >= 3 and g.rating == 2
    assert any("most key points are missed" in note for note in g.notes)
    monkeypatch.undo()
    # every point hit but held below correct: a note says why
    q = "What can you say about the connection between the bulb and the battery?"
    g = grade("they are connected", "The bulb and the battery are connected.", q)
    assert g.verdict != CORRECT and not g.misses and g.notes


def test_acronym_plural_names_its_term():
    ref = ("A convolutional neural network (CNN) is built for images. Unlike fully connected networks, where each "
           "unit sees every input, CNNs slide small shared filters over the image to catch local patterns with few "
           "weights.")
    q = "How does a convolutional neural network (CNN) differ from a fully connected network?"
    g = grade("CNNs slide small shared filters over the image, catching local patterns with few weights; in a fully "
              "connected net each unit sees every input", ref, q)
    assert g.verdict == CORRECT and not any("swapped" in note for note in g.notes)



def test_a_sentence_wrapped_over_two_lines_is_one_key_point():
    ref = ("Normalizing layer inputs keeps activations in a steady range, permits larger steps and\n"
           "makes the network less sensitive to how weights start.")
    g = grade("activations stay in a steady range", ref, "Why normalize layer inputs?")
    points = g.hits + g.misses
    assert len(points) == 1 and points[0].endswith("less sensitive to how weights start.")


def test_key_points_show_math_as_readable_text():
    ref = "The scores are $QK^\\top / \\sqrt{d_k}$ before the softmax."
    g = grade("something unrelated entirely", ref, "How are attention scores computed?")
    (point,) = g.hits + g.misses
    assert "\\sqrt" not in point and "\\top" not in point and "√" in point


def test_a_slash_inside_math_does_not_make_two_accepted_answers():
    ref = "The scores are $QK^\\top / \\sqrt{d_k}$ before the softmax."
    g = grade("the scores are QK transpose over root d_k before the softmax", ref, "How are attention scores computed?")
    assert len(g.hits + g.misses) == 1 and (g.hits + g.misses)[0].endswith("before the softmax.")


def test_the_point_stating_the_asked_number_is_marked_hit_when_the_number_is_given():
    ref = "It has 2,080 parameters. Each of the 32 outputs sees 64 inputs and adds a bias."
    g = grade("2080", ref, "How many parameters does a dense layer from 64 to 32 units have?")
    assert g.verdict == CORRECT
    assert g.hits and g.hits[0].startswith("It has 2,080 parameters")
