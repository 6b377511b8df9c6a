"""Words for the grader: plain text, tokens, Snowball stems, weights, numbers, typo-tolerant matching.

Pure functions; rapidfuzz and wordfreq are imported where they are used.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Function words and filler: they never earn credit (otherwise "the" covers every reference).
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before being below
between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each etc
few for from further had hadn't has hasn't have haven't having he her here hers herself him himself his how i
i'm if in into is isn't it it's its itself just let's me more most my myself no nor not of off on once only or
other ought our ours ourselves out over own same she should shouldn't so some such than that that's the their
theirs them themselves then there there's these they this those through to too under until up very was wasn't
we were weren't what what's when where which while who whom why will with won't would wouldn't you your yours
yourself yourselves e.g eg i.e ie vs via like basically simply really actually usually generally typically
often mostly quite rather much many lot lots thing things something someone stuff kind sort way ways use used
using uses one's get gets got make makes made let us may might must shall will also well just even still yet
here's thus hence therefore however whereas since within without per
what's explain describe define definition difference differences different differ differs compare compared compares
comparison contrast mean means
meaning give example examples name list tell briefly
""".split())

# Negation and comparison words are kept apart from stop words: they matter to contradiction checks.
NEGATIONS = frozenset("not no never neither nor without cannot can't don't doesn't isn't aren't won't "
                      "didn't wasn't weren't shouldn't wouldn't couldn't none".split())

_NUMBER_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "half": 0.5, "quarter": 0.25}

# Shorthand people type for words notes spell out; acronyms are found from the reference itself.
SHORTHAND = {
    "w": "with", "wo": "without", "thru": "through", "param": "parameter", "params": "parameters",
    "feat": "feature", "feats": "features", "dim": "dimension", "dims": "dimensions", "num": "number",
    "prob": "probability", "probs": "probabilities", "eval": "evaluation", "info": "information",
    "recon": "reconstruction", "reg": "regularization", "regularisation": "regularization",
    "logreg": "logistic regression", "linreg": "linear regression", "nn": "neural network",
    "nns": "neural networks", "iter": "iteration", "iters": "iterations", "obj": "object", "ref": "reference",
    "refs": "references", "var": "variable", "vars": "variables", "doc": "document", "docs": "documents",
    "approx": "approximate", "avg": "average", "min": "minimum", "max": "maximum", "grad": "gradient",
    "grads": "gradients", "lr": "learning rate", "conv": "convolutional", "fc": "fully connected",
    "dist": "distribution", "distrib": "distribution", "img": "image", "imgs": "images", "seq": "sequence",
    "seqs": "sequences", "emb": "embedding", "embs": "embeddings", "repr": "representation",
    "idx": "index", "cols": "columns", "col": "column", "diff": "difference", "corr": "correlation",
    "std": "standard deviation", "stdev": "standard deviation", "sd": "standard deviation",
    "cov": "covariance", "mem": "memory", "perf": "performance", "acc": "accuracy",
    "func": "function", "dl": "deep learning", "prec": "precision", "dqn": "deep q network",
    "batchnorm": "batch normalization", "layernorm": "layer normalization",
    "ml": "machine learning", "dataset": "data set", "datasets": "data sets", "pretrained": "pre trained",
    "finetune": "fine tune", "finetuned": "fine tuned", "finetuning": "fine tuning", "pretraining": "pre training",
}

# Words people use for one another when they retell an answer; each group meets as one word.
SYNONYM_GROUPS = [
    "large big huge massive enormous", "small tiny little", "fast quick rapid speedy", "error mistake",
    "reduce decrease lessen diminish shrink", "increase raise boost enlarge", "remove delete discard eliminate erase",
    "choose select pick", "feature attribute predictor", "label target", "category class", "forecast predict",
    "compute calculate", "begin start", "repeat iterate loop", "combine merge", "split partition",
    "neuron unit node", "whole entire full complete", "closest nearest", "image picture photo",
    "create generate produce", "method technique approach", "important crucial essential vital",
    "allow enable permit", "disable deactivate", "rare uncommon infrequent", "frequent common", "same identical",
    "prevent avoid",
    "hidden latent", "centroid centre center", "store save retain", "sample instance observation datapoint",
    "aim goal objective", "column field", "cost expensive", "probability chance likelihood",
    "ignore disregard", "trait property characteristic",
]
_BIG_O_NOISE = re.compile(r"[\s.*^\u00b7\u00d7]")
_DIGIT_WORDS = {w: str(v) for w, v in _NUMBER_WORDS.items() if isinstance(v, int) and v > 0}
_FRACTION_WORDS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
                   "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8,
                   "tenth": 10, "tenths": 10}
# "no_grad", "not_null": a negation glued into an identifier denies nothing
_GLUED_NEGATION = re.compile(r"\b(no|not|non|never)_(?=\w)")

_LATEX_COMMAND = re.compile(r"\\([a-zA-Z]+)")  # \frac, \text, \left... dropped; a few become symbols
_LATEX_MAP = {"mid": " | ", "cdot": " * ", "times": " * ", "le": " <= ", "leq": " <= ", "ge": " >= ",
              "geq": " >= ", "approx": " ~ ", "prod": " product ", "sum": " sum ", "sqrt": " sqrt ",
              "log": " log ", "exp": " exp "}

TOKEN = re.compile(r"\bo\s?\([^()]{1,30}\)"  # big-O
                   r"|\d+(?:[.,]\d+)*(?:\s*/\s*\d+(?:\.\d+)?)?(?:\s?%)?"  # 3, 0.25, 1,000, 11/216, 25%
                   r"|[^\W\d_][^\W_]*(?:'[^\W\d_]+)?")  # words (any alphabet), "it's"


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=4096)
def _unaccent(char: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))


def plain(markdown: str) -> str:
    """Markdown (with stray LaTeX) to plain text for matching."""
    from deckgen.render import to_text
    from deckgen.text.latex_text import math_to_text

    # math read as the terminal shows it ("QK^\\top" -> "QKᵀ"), so key points read as the notes do
    text = to_text(math_to_text(markdown or "", escape_markdown=False))
    text = text.replace("\\(", " ").replace("\\)", " ").replace("\\[", " ").replace("\\]", " ").replace("$", " ")
    text = _LATEX_COMMAND.sub(lambda m: _LATEX_MAP.get(m.group(1), " "), text)
    text = text.replace("{", " ").replace("}", " ").replace("`", " ")
    if not text.isascii():  # "naïve" and "naive" are one word to a typist
        text = _NON_ASCII.sub(lambda m: _unaccent(m.group()), text)
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')


_VOWELS = frozenset("aeiouy")


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer  # PyStemmer: the Snowball English (Porter2) stemmer, in C

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball (Porter2) stem of a word: 'iterative' and 'iteration' both give 'iter'."""
    if word.endswith("'s"):
        word = word[:-2]
    if not word.isalpha() or len(word) <= 2:
        return word
    if word.endswith("s") and not _VOWELS & set(word[:-1]):
        return word[:-1]  # an acronym's plural: "cnns", "llms" (Snowball keeps the s of a word with no vowel)
    return _stemmer().stemWord(word)


@lru_cache(maxsize=65536)
def weight(word: str) -> float:
    """How much a word says: rare words (jargon) weigh more than common ones (wordfreq Zipf scale)."""
    if word[:1].isdigit():
        return 1.0
    from wordfreq import zipf_frequency

    zipf = zipf_frequency(word, "en")
    if zipf == 0:  # unknown to the word list: jargon, acronym or typo
        return 1.2
    return max(0.3, min(1.4, (7.0 - zipf) / 3.0))


def parse_number(token: str) -> float | None:
    token = token.replace(" ", "")
    if token in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[token])
    if not token[:1].isdigit():
        return None
    percent = token.endswith("%")
    token = token.rstrip("%")
    try:
        if "/" in token:
            top, bottom = token.split("/", 1)
            value = float(top.replace(",", "")) / float(bottom)
        else:
            if re.fullmatch(r"\d{1,3}(,\d{3})+", token):
                token = token.replace(",", "")
            value = float(token.replace(",", "."))
    except (ValueError, ZeroDivisionError):
        return None
    return value / 100 if percent else value


def numbers_match(said: float, truth: float, said_text: str) -> bool:
    """Equal within rounding of what was typed ('0.29' for 0.2936, '5%' for 11/216) or 2%."""
    if truth == said:
        return True
    if truth.is_integer() and said.is_integer() and not said_text.endswith("%"):
        return False  # counts are exact: 4,096 weights are not 4,160 parameters
    if truth and abs(said - truth) / abs(truth) <= 0.02:
        return True
    digits = said_text.rstrip("%").split("/")[0]
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    unit = 10.0 ** -decimals / (100 if said_text.endswith("%") else 1)
    return "/" not in said_text and abs(said - truth) <= unit * 0.75 and abs(said - truth) < abs(truth) * 0.25


def tokens(text: str) -> list[str]:
    """Lower-case word and number tokens; hyphenated words are split (their joins are matched separately)."""
    return list(_tokens(text))


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[str, ...]:
    out = []
    text = _GLUED_NEGATION.sub(r"\1", text.lower().replace("\u2019", "'"))
    for tok in TOKEN.findall(text):  # "auto-encoder" -> auto, encoder
        if tok[-1] == ")":  # big-O: "O(N . D)" and "O(ND)" are one thing
            tok = _BIG_O_NOISE.sub("", tok)
        elif " " in tok:
            tok = tok.replace(" ", "")
        if tok in _FRACTION_WORDS and out and (out[-1] in ("a", "an") or out[-1].isdigit()):
            # "one half", "two thirds", "a sixth": a fraction typed in words
            count = out.pop()
            tok = f"{'1' if count in ('a', 'an') else count}/{_FRACTION_WORDS[tok]}"
        elif tok in _DIGIT_WORDS:
            tok = _DIGIT_WORDS[tok]
        expansion = SHORTHAND.get(tok)
        out.extend(expansion.split() if expansion else (tok,))
    return tuple(out)


def is_content(word: str, question_stems: frozenset[str] = frozenset()) -> bool:
    return word not in STOP_WORDS and word not in NEGATIONS and stem(word) not in question_stems \
        and (len(word) > 1 or word.isdigit())


@lru_cache(maxsize=262144)
def similar(a: str, b: str) -> bool:
    """Two stems name the same word, allowing one typo in longer words."""
    if a == b:
        return True
    if a[:1].isdigit() or b[:1].isdigit() or a.endswith(")") or b.endswith(")"):
        return False
    shorter = min(len(a), len(b))
    if shorter < 5:  # "lifo"/"fifo", "mae"/"mse": short words and acronyms must match exactly
        return False
    if shorter >= 5 and (a.startswith(b) or b.startswith(a)) and abs(len(a) - len(b)) <= 3:
        return True
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(a, b, score_cutoff=2) <= (1 if shorter < 7 else 2)


@lru_cache(maxsize=1)
def _synonym_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for group in SYNONYM_GROUPS:
        words = group.split()
        for w in words:
            index.setdefault(stem(w), stem(words[0]))
    return index


def synonym(stem_: str) -> str | None:
    """The first stem of the synonym group the stem belongs to ("decreas" -> "reduc"), or None."""
    return _synonym_index().get(stem_)
