"""Benchmark the mojibake repair (deckgen.text.repair) on text we damage ourselves.

Run by hand:  python benchmarks/bench_repair.py [-v]   (-v lists every line it got wrong)

Prints word and character accuracy of the repair against the clean original, for two
damage models, the time taken, and for the 000 seed (if ../shared/seeds is present) how
many lines were damaged and how many Thai-block characters are left after repair (must be 0).

The texts are our own. PROSE and TITLES were used while developing the repair; HELD_OUT,
FRESH and FRESH_TITLES were written later and measured first without tuning (some general
fixes followed, so today's numbers on them are slightly optimistic).
"""

from __future__ import annotations

import re
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deckgen.text.repair import repair  # noqa: E402


def styled(text: str, upper: int, lower: int) -> str:
    """ASCII letters -> one math alphabet (e.g. 0x1D5D4/0x1D5EE = sans-serif bold)."""
    out = []
    for ch in text:
        if "A" <= ch <= "Z":
            out.append(chr(upper + ord(ch) - ord("A")))
        elif "a" <= ch <= "z":
            out.append(chr(lower + ord(ch) - ord("a")))
        else:
            out.append(ch)
    return "".join(out)


def sans_bold(text: str) -> str:
    return styled(text, 0x1D5D4, 0x1D5EE)


def serif_bold(text: str) -> str:
    return styled(text, 0x1D400, 0x1D41A)


def sans_italic(text: str) -> str:
    return styled(text, 0x1D608, 0x1D622)


# Our own study-note prose: curly quotes, dashes, bullets, emoji, keycaps, Greek, styled titles.
PROSE = "\n".join([
    "💡 " + sans_bold("Why does batch normalization speed up training?"),
    "It’s one of the questions interviewers love — and most candidates answer it too quickly.",
    "Batch normalization rescales each layer’s activations to zero mean and unit variance, "
    "then learns a scale γ and a shift β so the network can undo it when that helps.",
    "1️⃣ " + sans_bold("Smoother loss surface"),
    "The original paper blamed “internal covariate shift,” but later work suggests the real win is a "
    "smoother optimization landscape… which lets you use a larger learning rate.",
    "2️⃣ " + sans_bold("Less sensitivity to initialization"),
    "Because every layer sees inputs with a similar scale, a bad initialization hurts less; "
    "you don’t need to hand-tune the variance of the weights.",
    "3️⃣ " + sans_bold("A mild regularizer"),
    "Each mini-batch gives slightly different statistics (μ and σ), which adds noise — a bit like dropout.",
    "👉 At inference time the layer uses running averages instead of batch statistics.",
    "👉 With tiny batches the estimates get noisy, so people switch to layer norm or group norm.",
    "",
    serif_bold("Interview question: bias versus variance"),
    "• High bias means the model is too simple: it underfits, and training error stays high.",
    "• High variance means the model memorizes noise: training error is low, validation error is high.",
    "• Regularization, more data and ensembling reduce variance; richer features reduce bias.",
    "➡️ A quick check: plot the learning curves before you touch the architecture.",
    "The usual trade-off is “more capacity → less bias → more variance,” but deep networks "
    "don’t always follow it – double descent is the famous exception.",
    "",
    "🚀 " + sans_bold("Precision and recall in one minute"),
    "Precision asks “of the items we flagged, how many were right?” while recall asks "
    "“of the items that were right, how many did we flag?”",
    "✅ Use precision when false positives are expensive (spam filters).",
    "✅ Use recall when false negatives are expensive (cancer screening).",
    "The F1 score is their harmonic mean; it’s ≈ 0.67 when precision is 0.5 and recall is 1.0.",
    "",
    serif_bold("Gradient descent variants") + " — " + sans_italic("the short version"),
    "Stochastic gradient descent updates the weights after every example; mini-batch descent "
    "averages the gradient over 32–512 examples; Adam keeps running estimates of the first and "
    "second moments and divides by √v.",
    "✔️ Learning rate warm-up helps Adam when the batch is large.",
    "🔥 Don’t forget weight decay: with Adam you want the decoupled version (AdamW).",
    "📌 " + sans_bold("Key takeaway:") + " tune the learning rate first, then the batch size.",
    "",
    sans_bold("Overfitting in decision trees"),
    "A deep tree can memorize the training set; pruning, a minimum leaf size or a maximum depth "
    "keeps it honest. Random forests average many decorrelated trees, and gradient boosting "
    "adds shallow trees one at a time — each one fits the residuals of the ensemble so far.",
    "Let’s be honest: most “feature importance” plots are biased toward high-cardinality features.",
])


def italic(text: str) -> str:
    return styled(text, 0x1D434, 0x1D44E).replace("\U0001D455", "ℎ")  # italic h is a letterlike symbol


def sans_bold_italic(text: str) -> str:
    return styled(text, 0x1D63C, 0x1D656)


def monospace(text: str) -> str:
    return styled(text, 0x1D670, 0x1D68A)


# A second text, written after the repair was tuned on PROSE and never tuned on: the honest number.
HELD_OUT = "\n".join([
    "🧠 " + sans_bold("What is the difference between bagging and boosting?"),
    "Bagging trains many models in parallel on bootstrap samples and averages them; it’s mostly a "
    "variance reducer. Boosting trains models one after another, each focusing on the examples the "
    "previous ones got wrong — so it reduces bias, but it can overfit noisy labels.",
    "🔑 " + sans_bold_italic("Rule of thumb:") + " reach for a random forest first, then try gradient boosting.",
    "",
    serif_bold("Explain the attention mechanism in transformers"),
    "Each token builds a query, a key and a value. The weights are softmax(QKᵀ / √d), and the output is "
    "the weighted sum of the values… that’s the whole trick.",
    "• Multi-head attention runs several of these in parallel with smaller dimensions.",
    "• Positional encodings tell the model where each token sits — attention itself is order-blind.",
    "⚠️ Complexity is O(n²) in the sequence length, which is why long contexts are expensive.",
    "",
    italic("Why do we need a validation set?"),
    "Because tuning hyperparameters on the test set leaks information: the “final” score stops being "
    "an unbiased estimate. Keep the test set locked until the very end.",
    "✔️ Use k-fold cross-validation when the dataset is small.",
    "❌ Don’t normalize with statistics computed on the whole dataset before splitting.",
    "",
    monospace("model.fit(X_train, y_train)") + " – the classic scikit-learn call.",
    "📊 " + sans_bold("Metrics for imbalanced classes"),
    "Accuracy looks great when 99% of the labels are negative; prefer the ROC AUC, the PR AUC or the "
    "F1 score, and always look at the confusion matrix.",
    "👍 " + serif_bold("Summary:") + " pick the metric before you train the model.",
])


# A third text, measured once and never tuned on (PROSE was the development text; HELD_OUT
# led to a few fixes after its first measurement).
FRESH = "\n".join([
    "🎯 " + sans_bold("How would you explain p-values to a product manager?"),
    "A p-value is the probability of seeing data at least this extreme if the null hypothesis were "
    "true. It’s not the probability that the hypothesis is true — that’s the most common mix-up.",
    "✅ Say what the test assumes; ✅ report the effect size; ❌ never stop a test early because "
    "“it looks significant.”",
    "",
    serif_bold("Describe how you would detect data drift"),
    "Compare the distribution of each feature in production against the training data: the "
    "population stability index, a Kolmogorov–Smirnov test, or a classifier trained to tell the two apart.",
    "👉 Monitor the predictions too; a shift in the output often shows up first.",
    "👉 Alert on trends, not on single days — seasonality will fool you.",
    "",
    "📝 " + sans_bold("What does regularization do in logistic regression?"),
    "L2 shrinks every coefficient toward zero; L1 pushes some of them to exactly zero, which is why "
    "it’s used for feature selection. The strength is set by λ (or C = 1/λ in scikit-learn).",
    "• Small λ → low bias, high variance.",
    "• Large λ → high bias, low variance.",
    "🤖 " + sans_bold_italic("Bonus:") + " elastic net mixes both penalties.",
])


# Styled headings on their own, each a separate text (no other words to lean on).
TITLES = [
    "Why Does Dropout Work?", "When Should You Stop Training Early?", "Bias and Variance",
    "How do you handle missing values?", "Explain gradient boosting", "What is a confusion matrix?",
    "Precision versus Recall", "Choosing the Learning Rate", "Batch Normalization Explained",
    "Why is my model overfitting?", "Cross Validation Done Right", "Feature Scaling Matters",
    "What is the curse of dimensionality?", "Logistic Regression Basics", "Random Forests in Practice",
    "How does attention work?", "Transformers for Beginners", "The Vanishing Gradient Problem",
    "Regularization: L1 vs L2", "What makes a good baseline?", "Data Leakage Pitfalls",
    "Monitoring Models in Production", "How to Design an A/B Test", "Embeddings and Similarity Search",
    "Clustering with K-Means", "Principal Component Analysis", "Why Normalize Your Inputs?",
    "Interview Tips for Data Scientists", "Common Mistakes to Avoid", "Key Takeaways",
]


# Written after the repair was tuned on TITLES, measured without further tuning.
FRESH_TITLES = [
    "What is the kernel trick?", "Handling Class Imbalance", "Early Stopping and Patience",
    "How would you evaluate a recommender system?", "Bagging versus Boosting", "Explain the ROC curve",
    "Softmax and Cross Entropy", "Why use a learning rate schedule?", "Dealing with Outliers",
    "What is mode collapse in GANs?", "Word Embeddings from Scratch", "Sampling Strategies for Large Data",
    "How do decision trees choose a split?", "Model Compression Techniques", "Online versus Batch Learning",
    "Explain the bias of an estimator", "Time Series Forecasting Basics", "When does ensembling help?",
    "Hyperparameter Search on a Budget", "Tokenizers and Vocabulary Size", "Calibrating Predicted Probabilities",
    "What is label smoothing?", "Gradient Clipping in Practice", "Designing Features for Text",
    "How to debug a neural network", "Knowledge Distillation", "Causal Inference for Beginners",
    "Stratified Sampling Explained", "What does the learning curve tell you?", "Final Thoughts",
]


def bench_titles(titles: list[str], label: str) -> None:
    from rapidfuzz.distance import Levenshtein

    for style_name, style in (("sans bold", sans_bold), ("serif bold", serif_bold),
                              ("sans italic", sans_italic), ("sans bold italic", sans_bold_italic)):
        exact = words = total_words = 0
        started = time.perf_counter()
        for title in titles:
            got = repair(damage_c1_stripped(style(title)))
            exact += got == title
            words += len(title.split()) - Levenshtein.distance(title.split(), got.split())
            total_words += len(title.split())
            if "-v" in sys.argv and got != title:
                print(f"    {style_name}: want {title!r} got {got!r}")
        print(f"[{label}, {style_name}, no context] exact {exact}/{len(titles)}  "
              f"word acc {words / total_words:.3f}  time {time.perf_counter() - started:.2f}s")


def damage_c1_kept(clean: str) -> str:
    """The damage exactly as `decode("tis_620", errors="ignore")` leaves it (C1 controls kept)."""
    return clean.encode("utf-8").decode("tis_620", errors="ignore")


def damage_c1_stripped(clean: str) -> str:
    """The damage as found in the seed: ISO-8859-11, NEL/NBSP -> space, other C1 deleted,
    runs of spaces collapsed, lines stripped."""
    text = clean.encode("utf-8").decode("iso8859_11", errors="ignore")
    text = text.replace("\x85", " ").replace("\xa0", " ")
    text = re.sub("[\x80-\x9f]", "", text)
    return "\n".join(re.sub(" +", " ", line).strip() for line in text.split("\n"))


def plain(text: str) -> str:
    """What a perfect repair returns: the clean text with styled letters as ASCII."""
    return "".join(unicodedata.normalize("NFKC", c) if 0x1D400 <= ord(c) <= 0x1D7FF or c == "ℎ" else c
                   for c in text)


def accuracy(original: str, reference: str, got: str) -> dict[str, float]:
    """Word/char accuracy (1 - normalized edit distance) and how many damaged words came back."""
    from rapidfuzz.distance import Levenshtein

    ref_words, got_words = reference.split(), got.split()
    got_counts: dict[str, int] = {}
    for w in got_words:
        got_counts[w] = got_counts.get(w, 0) + 1
    hits = {"plain": 0, "styled": 0}
    totals = {"plain": 0, "styled": 0}
    for word in original.split():
        if word.isascii():
            continue
        kind = "styled" if any(0x1D400 <= ord(c) <= 0x1D7FF or c == "ℎ" for c in word) else "plain"
        totals[kind] += 1
        want = plain(word)
        if got_counts.get(want, 0) > 0:
            got_counts[want] -= 1
            hits[kind] += 1
    return {
        "word": 1 - Levenshtein.distance(ref_words, got_words) / len(ref_words),
        "word_ci": 1 - Levenshtein.distance([w.lower() for w in ref_words],
                                            [w.lower() for w in got_words]) / len(ref_words),
        "char": 1 - Levenshtein.distance(reference, got) / len(reference),
        "hits": hits,
        "totals": totals,
    }


def bench(name: str, damage, prose: str = PROSE) -> None:
    reference = plain(prose)
    damaged = damage(prose)
    if damage is damage_c1_stripped:
        reference = "\n".join(re.sub(" +", " ", line).strip() for line in reference.split("\n"))
    started = time.perf_counter()
    repaired = repair(damaged)
    elapsed = time.perf_counter() - started
    before = accuracy(prose, reference, damaged)
    after = accuracy(prose, reference, repaired)
    thai = len(re.findall("[\u0e00-\u0e7f]", repaired))
    hits, totals = after["hits"], after["totals"]
    print(f"[{name}] {len(prose)} chars; {totals['plain']} words with non-ASCII punctuation/emoji/letters, "
          f"{totals['styled']} styled (math bold/italic) words")
    if damage is damage_c1_stripped:
        pass
    print(f"  damaged text : word acc {before['word']:.3f}  char acc {before['char']:.3f}")
    print(f"  repaired     : word acc {after['word']:.3f} (case-insensitive {after['word_ci']:.3f})  "
          f"char acc {after['char']:.3f}  Thai left {thai}  time {elapsed:.2f}s")
    print(f"  recovered exactly: non-ASCII words {hits['plain']}/{totals['plain']}, "
          f"styled words {hits['styled']}/{totals['styled']}")
    if "-v" in sys.argv:
        for ref_line, got_line in zip(reference.split("\n"), repaired.split("\n")):
            if ref_line != got_line:
                print(f"    want: {ref_line}\n    got : {got_line}")


def bench_seed() -> None:
    seeds = ROOT.parent / "shared" / "seeds"
    paths = sorted(seeds.glob("000_*"))
    if not paths:
        print(f"[seed 000] not found in {seeds}; skipped")
        return
    raw = paths[0].read_text(encoding="utf-8")
    started = time.perf_counter()
    repaired = repair(raw)
    elapsed = time.perf_counter() - started
    damaged_lines = sum(1 for line in raw.split("\n") if re.search("[\u0e00-\u0e7f]", line))
    thai = len(re.findall("[\u0e00-\u0e7f]", repaired))
    same_lines = len(raw.split("\n")) == len(repaired.split("\n"))
    print(f"[seed 000] {damaged_lines} damaged lines of {len(raw.split(chr(10)))}; "
          f"Thai-block chars left after repair: {thai}; line count kept: {same_lines}; time {elapsed:.2f}s")


def bench_speed() -> None:
    clean = (plain(PROSE) + "\n") * (50_000_000 // (len(PROSE) + 1))
    started = time.perf_counter()
    repair(clean)
    print(f"[speed] clean {len(clean) / 1e6:.0f} MB, no styled letters: {time.perf_counter() - started:.2f}s")
    clean = (PROSE + "\n") * (50_000_000 // (len(PROSE) + 1))
    started = time.perf_counter()
    repair(clean)
    print(f"[speed] clean {len(clean) / 1e6:.0f} MB, styled titles on every 5th line: "
          f"{time.perf_counter() - started:.2f}s")
    damaged = damage_c1_stripped("\n".join(f"{i}: {line}" for i, line in enumerate(PROSE.split("\n") * 100)))
    started = time.perf_counter()
    repair(damaged)
    print(f"[speed] damaged {len(damaged) / 1e6:.1f} MB, every line distinct: "
          f"{time.perf_counter() - started:.2f}s")
    line = damage_c1_stripped(" ".join(PROSE.split("\n")) * 70)
    started = time.perf_counter()
    repair(line)
    print(f"[speed] damaged, one {len(line) / 1e3:.0f} KB line: {time.perf_counter() - started:.2f}s")


if __name__ == "__main__":
    bench("tis_620 errors=ignore (C1 kept)", damage_c1_kept)
    bench("seed-style (C1 stripped, spaces collapsed)", damage_c1_stripped)
    bench("held-out text, tis_620 errors=ignore", damage_c1_kept, HELD_OUT)
    bench("held-out text, seed-style", damage_c1_stripped, HELD_OUT)
    bench("fresh text, tis_620 errors=ignore", damage_c1_kept, FRESH)
    bench("fresh text, seed-style", damage_c1_stripped, FRESH)
    bench_titles(TITLES, "titles")
    bench_titles(FRESH_TITLES, "fresh titles")
    bench_seed()
    bench_speed()
