"""Mojibake repair, str -> str.

The damage this undoes: UTF-8 text decoded as TIS-620 / ISO-8859-11 (Thai). Each UTF-8
lead byte (C2-F4) and each continuation byte >= 0xA1 survives as a Thai-block character
(U+0E00 + byte - 0xA0); continuation bytes 0x80-0xA0 either survive as C1 control
characters (a plain ``decode("tis_620", errors="ignore")``) or are lost, with 0x85 / 0xA0
sometimes left behind as a space (when C1 controls were stripped afterwards). A lead byte
says how many continuation bytes its character had, so every damaged character is "this
lead byte + these surviving bytes + N missing ones in 0x80-0xA0". We enumerate the code
points that fit and choose by context:

- quotes, apostrophes and dashes by the letters and spaces around them;
- symbols and emoji by a ranked list of the ones people put in notes;
- "math bold/italic" styled letters (U+1D400-U+1D7FF) by guessing the alphabet per word and
  matching the letters that survived against words seen undamaged in the same text and an
  English word list (wordfreq), with words joined across the spaces a lost byte left;
- whatever cannot be inferred is dropped, so no Thai-block character leaks into a card.

Text without any Thai-block character takes a fast path (a byte search). Text whose Thai
runs mostly do not parse as damaged UTF-8 (genuine Thai) is left alone. Styled letters (math
alphanumerics, fullwidth forms) are normalized to plain ASCII whether damaged or not, on the
lines that hold them. Heavy work (wordfreq) is imported only when styled damage is found.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations, product

from deckgen.text.wordlist import WordBlocks, blocks_by_length

_DAMAGED_RUN = re.compile("[\u0080-\u009f\u0e00-\u0e7f]+")
_C1 = re.compile("[\u0080-\u009f]")
# two F0 lead bytes (each maybe with its one surviving byte) in a row: styled letters
_STYLED_DAMAGE = re.compile("\u0e50[\u0e01-\u0e1f]?\u0e50")
# Letterlike symbols that stand in for the "holes" of the math alphabets (italic h, script B ...).
_HOLES = "ℎℬℰℱℋℐℒℳℛℯℊℴℭℌℑℜℨℂℍℕℙℚℝℤ"
_STYLED_RUN = re.compile(f"[\U0001d400-\U0001d7ff{_HOLES}]+")
_MATH_LETTER = re.compile("[\U0001d400-\U0001d7ff]")
_FULLWIDTH = re.compile("[\uff01-\uff5e]+")


def repair(text: str) -> str:
    """Repair Thai-decoded UTF-8 mojibake and flatten styled letters; clean text is returned as is."""
    if text.isascii():
        return text
    # Byte searches are much faster than a regex over a long str. In UTF-8, Thai-block
    # characters are E0 B8 xx / E0 B9 xx, math letters F0 9D xx xx, fullwidth forms EF BC/BD xx.
    data = text.encode("utf-8", "surrogatepass")
    if b"\xe0\xb8" in data or b"\xe0\xb9" in data:
        text = _repair_mojibake(text)
        data = text.encode("utf-8", "surrogatepass")
    fixed = _fix_lines(data, (b"\xf0\x9d", b"\xef\xbc", b"\xef\xbd"), _plain_styled)
    return text if fixed is None else fixed.decode("utf-8", "surrogatepass")


def _fix_lines(data: bytes, needles: tuple[bytes, ...], fix) -> bytes | None:
    """Apply `fix` (str -> str) to just the lines of `data` holding one of `needles`; None if none do."""
    starts: set[int] = set()
    for needle in needles:
        at = data.find(needle)
        while at != -1:
            starts.add(data.rfind(b"\n", 0, at) + 1)
            end = data.find(b"\n", at)
            at = -1 if end == -1 else data.find(needle, end)
    if not starts:
        return None
    pieces, pos = [], 0
    for start in sorted(starts):
        end = data.find(b"\n", start)
        end = len(data) if end == -1 else end
        line = data[start:end].decode("utf-8", "surrogatepass")
        pieces += [data[pos:start], fix(line).encode("utf-8", "surrogatepass")]
        pos = end
    pieces.append(data[pos:])
    return b"".join(pieces)


def _plain_styled(text: str) -> str:
    """Math bold/italic/script... letters and fullwidth forms -> ASCII (NFKC, only on those runs)."""
    def nfkc(match: re.Match) -> str:
        return unicodedata.normalize("NFKC", match.group())

    def nfkc_styled(match: re.Match) -> str:
        run = match.group()  # a letterlike symbol (ℝ) alone is math, not styling: keep it
        return unicodedata.normalize("NFKC", run) if _MATH_LETTER.search(run) else run
    text = _STYLED_RUN.sub(nfkc_styled, text)
    return _FULLWIDTH.sub(nfkc, text)


# ---------------------------------------------------------------------------------------
# bytes and units

def _byte_of(ch: str) -> int | None:
    cp = ord(ch)
    if 0x80 <= cp <= 0x9F:
        return cp
    if 0x0E01 <= cp <= 0x0E5F:
        b = cp - 0x0E00 + 0xA0
        return None if 0xDB <= b <= 0xDE else b
    return None


def _continuations(lead: int) -> int:
    if 0xC2 <= lead <= 0xDF:
        return 1
    if 0xE0 <= lead <= 0xEF:
        return 2
    if lead in (0xF0, 0xF3):  # F1/F2/F4 lead only to unassigned planes: Thai digits, not damage
        return 3
    return 0


@dataclass
class _Unit:
    """One damaged character: its lead byte and the continuation bytes that survived."""
    lead: int
    need: int
    cont: list[int] = field(default_factory=list)
    space_after: bool = False  # a space or the line end follows (may be a lost 0x85/0xA0)

    @property
    def bare(self) -> bool:
        return not self.cont


def _parse_run(run: str, lenient: bool) -> list[_Unit] | None:
    """Split a run of Thai/C1 characters into damaged UTF-8 characters, or None if it is not one."""
    parsed = _parse_run_cached(run, lenient)
    return None if parsed is None else [_Unit(lead, need, list(cont)) for lead, need, cont in parsed]


@lru_cache(maxsize=4096)
def _parse_run_cached(run: str, lenient: bool) -> tuple | None:
    units: list[_Unit] = []
    for ch in run:
        b = _byte_of(ch)
        if b is not None and _continuations(b):
            units.append(_Unit(b, _continuations(b)))
        elif b is not None and 0x80 <= b <= 0xBF and units and len(units[-1].cont) < units[-1].need:
            units[-1].cont.append(b)
        elif not lenient:
            return None
    return tuple((u.lead, u.need, tuple(u.cont)) for u in units)


class _Model:
    """Which continuation bytes were lost: C1 kept (only A0 lost) or C1 stripped (80-A0 lost)."""

    def __init__(self, c1_kept: bool):
        self.c1_kept = c1_kept
        self.lost = frozenset([0xA0]) if c1_kept else frozenset(range(0x80, 0xA1))
        self.spacing = frozenset() if c1_kept else frozenset([0x85, 0xA0])
        self.cache: dict = {}

    def fits(self, ch: str, unit: _Unit) -> bool:
        data = ch.encode("utf-8")
        if data[0] != unit.lead or len(data) != unit.need + 1:
            return False
        cont = data[1:]
        for i, b in enumerate(cont):
            if b in self.spacing and (i < len(cont) - 1 or not unit.space_after):
                return False  # would have left a space right here
        return [b for b in cont if b not in self.lost] == unit.cont

    def every_fit(self, unit: _Unit, limit: int) -> list[str]:
        """Every assigned code point that fits, when there are few enough to try."""
        missing = unit.need - len(unit.cont)
        if len(self.lost) ** missing * math.comb(unit.need, missing) > limit:
            return []
        found = []
        for slots in map(set, combinations(range(unit.need), missing)):
            for fill in product(sorted(self.lost), repeat=missing):
                seq, it_fill, it_cont = [], iter(fill), iter(unit.cont)
                for i in range(unit.need):
                    seq.append(next(it_fill) if i in slots else next(it_cont))
                try:
                    ch = bytes([unit.lead, *seq]).decode("utf-8")
                except UnicodeDecodeError:
                    continue
                if unicodedata.category(ch) not in ("Cn", "Co", "Cs", "Cc") and self.fits(ch, unit):
                    found.append(ch)
        return found


# ---------------------------------------------------------------------------------------
# symbols: ranked by how often they turn up in notes and posts (earlier = preferred)

_PRIOR = (
    "’”“—–…•‘✅→↳←↑↓⇒✔❌✓✗⚠✍✏✨❤⭐⚡☑➡▶►■●○◆★☆™€£°±×÷≈≠≤≥∞√∑∂∇∈⊂∪∩∧∨¬∀∃⃣‣″′"
    "ᵀ⊙⊗∘‖∥⟨⟩∝∼≡⁻ⁿ₀₁₂ᵢⱼ∆∅ℝ"
    "\ufe0f\u200d"
    "👉💡🚀🔥📌📊📈🎯🧠🤖🔍📚💻📝🛠⚙🔗📢🌐🔑📦🧩🏆⏳📅🧪💼🔄🔹🔸📍📋🔰🔽🔼💬❓❗🌟🙌👏🤝👀💪"
    "🎓📖🧵📣🔔🟢🔴🟡🔵👇👍😉😊🙂😀😃😄😁😅😂🤣😍🥰😎🤔🙏🎉💯👋👆👈😢😭😡💥🌍🌎📉📎"
    "🗂📁📂💾🖥📱⌛⏰🔒🔓🧮🧬🔬🔭📐📏💙💚💛🧡💜🖤💔🎁🏁🚩🌈☀🌙💰💵📸🎥🎧🎤🎮👨👩👤👥"
    "🙋🤷🤦💭🧐😮😱😬🙃😇🥳🤩🤯😴👌✌🤞👊💎🔮📡🚨🚧⛔🆕🔝💫🌱🍀"
    "éèáàâäçíïñóöúüêëîôûãõåæœßÉÈÀÁÇÖÜÄØøαβγδεζηθικλμνξσπρτυφχψωΣΔΩΘΛΠΦΨΓ²³¹½¼¾·«»©®§¡¿"
)
_RANK = {ch: i for i, ch in enumerate(_PRIOR)}
# Symbols that are shown as emoji only with a following U+FE0F.
_TAKES_VS16 = set("➡✔✍✏❤☑⚠☀✌✈☎⚙⬆⬇↔↕↩↪▶◀♻✳❇☝✂✉❄☺♥⤴⤵⏱⏲✴〽©®™‼⁉ℹ↗↘↙↖⌨⏏⏭⏯⏮⏸⏹⏺")
_QUOTES = set("’”“‘—–")
_CONTRACTION_TAILS = {"s", "t", "d", "m", "ll", "re", "ve"}
_OPENERS = set(" \t([{/\"'“‘-—")


def _candidates(unit: _Unit, model: _Model) -> list[str]:
    key = (unit.lead, tuple(unit.cont), unit.space_after)
    if key not in model.cache:
        model.cache[key] = _find_candidates(unit, model)
    return model.cache[key]


def _find_candidates(unit: _Unit, model: _Model) -> list[str]:
    found = [ch for ch in _PRIOR if model.fits(ch, unit)]
    if not found and len(unit.cont) == unit.need:
        try:
            found = [bytes([unit.lead, *unit.cont]).decode("utf-8")]
        except UnicodeDecodeError:
            found = []
    if not found:
        # e.g. a styled letter whose last byte was 0xA0: prefer the blocks notes actually use
        found = sorted(model.every_fit(unit, limit=200), key=_block_preference)
    return found


def _block_preference(ch: str) -> int:
    cp = ord(ch)
    if 0x1D400 <= cp <= 0x1D7FF or 0x1F300 <= cp <= 0x1FAFF or 0x2000 <= cp <= 0x2BFF:
        return 0  # math letters, emoji, punctuation and symbols
    if cp < 0x2000:
        return 1  # Latin, Greek, Cyrillic...
    return 2  # CJK and the rest


# ---------------------------------------------------------------------------------------
# styled letters (U+1D400-U+1D7FF: F0 9D 9x yy; only yy >= A1 can survive)

_ALPHABET_BASES = {  # name: (A, a)
    "bold": (0x1D400, 0x1D41A), "italic": (0x1D434, 0x1D44E), "bold italic": (0x1D468, 0x1D482),
    "script": (0x1D49C, 0x1D4B6), "bold script": (0x1D4D0, 0x1D4EA), "fraktur": (0x1D504, 0x1D51E),
    "double-struck": (0x1D538, 0x1D552), "bold fraktur": (0x1D56C, 0x1D586), "sans": (0x1D5A0, 0x1D5BA),
    "sans bold": (0x1D5D4, 0x1D5EE), "sans italic": (0x1D608, 0x1D622),
    "sans bold italic": (0x1D63C, 0x1D656), "monospace": (0x1D670, 0x1D68A),
}


# what post generators offer first: always worth a try
_POPULAR_STYLES = ("sans bold", "bold", "sans italic", "sans bold italic", "italic")


@dataclass(frozen=True)
class _Alphabet:
    name: str
    by_byte: dict      # surviving last byte -> letter
    silent: frozenset  # letters whose last byte is lost without a trace
    spacing: frozenset  # letters whose last byte (85/A0) left a space
    holes: dict  # letterlike stand-in (E2 84 xx) seen as its surviving bytes -> letters


# Letters missing from a math alphabet are written with Letterlike Symbols (italic h = ℎ).
_HOLE_LETTERS = {
    "italic": {"h": "ℎ"},
    "script": {"B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ", "R": "ℛ",
               "e": "ℯ", "g": "ℊ", "o": "ℴ"},
    "fraktur": {"C": "ℭ", "H": "ℌ", "I": "ℑ", "R": "ℜ", "Z": "ℨ"},
    "double-struck": {"C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"},
}


@lru_cache(maxsize=1)
def _alphabets() -> tuple[_Alphabet, ...]:
    out = []
    for name, (upper, lower) in _ALPHABET_BASES.items():
        by_byte, silent, spacing = {}, set(), set()
        for base, letters in ((upper, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), (lower, "abcdefghijklmnopqrstuvwxyz")):
            for i, letter in enumerate(letters):
                cp = base + i
                if unicodedata.category(chr(cp)) == "Cn":
                    continue  # a hole, written with a letterlike symbol instead
                last = 0x80 | (cp & 0x3F)
                if last >= 0xA1:
                    by_byte[last] = letter
                elif last in (0x85, 0xA0):
                    spacing.add(letter)
                else:
                    silent.add(letter)
        holes: dict[tuple, set] = {}
        for letter, symbol in _HOLE_LETTERS.get(name, {}).items():
            last = symbol.encode("utf-8")[-1]
            holes.setdefault((last,) if last >= 0xA1 else (), set()).add(letter)
        out.append(_Alphabet(name, by_byte, frozenset(silent), frozenset(spacing),
                             {k: frozenset(v) for k, v in holes.items()}))
    return tuple(out)


def _alphabet(name: str) -> _Alphabet:
    return _alphabets_by_name()[name]


@lru_cache(maxsize=1)
def _alphabets_by_name() -> dict[str, _Alphabet]:
    return {a.name: a for a in _alphabets()}


class _Vocab:
    """Word probabilities: words seen undamaged in this text, blended with wordfreq English."""

    def __init__(self, text: str):
        from collections import Counter
        clean = _DAMAGED_RUN.sub("\0", text)
        words = re.findall(r"(?<![A-Za-z'’\0])[A-Za-z]+(?:['’][a-z]+)?(?![A-Za-z\0])", clean)
        self.forms = Counter(w.replace("’", "'") for w in words)
        self.counts = Counter()
        for w, n in self.forms.items():
            self.counts[w.lower()] += n
        self.total = max(1, sum(self.counts.values()))
        pairs = re.findall(r"(?<![A-Za-z\0])([A-Za-z]+)(?= ([A-Za-z]+)(?![A-Za-z\0]))", clean)
        self.bigrams = {(a.lower(), b.lower()) for a, b in pairs} | _DOMAIN_BIGRAMS
        self.bigram_heads = {a for a, _ in self.bigrams}  # words that can give a bigram bonus
        # how sentences start in this text ("If ..." is common there, "Of ..." is not)
        starts = re.findall(r"(?:^|[.!?:] )[^A-Za-z\n\0]{0,4}([A-Za-z]+)(?![A-Za-z\0])", clean, re.M)
        self.starts = Counter(w.lower() for w in starts)
        self.n_starts = max(1, sum(self.starts.values()))
        self.by_lower_forms: dict[str, list[str]] = {}
        for w in self.forms:
            self.by_lower_forms.setdefault(w.lower(), []).append(w)
        self.text_words = WordBlocks(blocks_by_length(self.counts), ordered=True)
        self.english = _english()
        self._matches: dict = {}
        self._options: dict = {}
        self.group_cache: dict = {}
        self.word_options_cache: dict = {}  # see _word_options
        self._probs: dict[str, float] = {}
        self._trigrams = None

    def prob(self, word: str) -> float:
        p = self._probs.get(word)
        if p is None:
            # a short text's own counts are noisy: trust them more as the text grows
            weight = min(0.5, self.total / (self.total + 1000))
            english = self.english.get(word, 0.0)
            if word in _DOMAIN_WORDS or word in _ACRONYMS:
                english = max(english * 30.0, 1e-6)  # some are missing from general English lists
            p = self._probs[word] = (1 - weight) * english + weight * self.counts.get(word, 0) / self.total
        return p

    def matches(self, sets: tuple[frozenset, ...]) -> list[tuple[str, float]]:
        """The likeliest known words (cased forms, probability) whose letters fit the per-position sets."""
        if sets in self._matches:
            return self._matches[sets]
        allowed = [_lower_letters(s) for s in sets]
        found = set(self.english.common.fitting(allowed))
        found.update(self.text_words.fitting(allowed))
        out = self._cased(found, sets)
        if not out:  # the rarer words, only when the common ones have nothing that fits
            out = self._cased(set(self.english.rare.fitting(allowed)), sets)
        best = dict(out)
        for form, p in self._contractions(sets):
            if p > best.get(form, 0.0):
                best[form] = p
        out = list(best.items())
        self._matches[sets] = out
        return out

    def _cased(self, found: set[str], sets: tuple[frozenset, ...]) -> list[tuple[str, float]]:
        """The cased forms (word, Word, WORD, or as seen in the text) of the likeliest words that fit."""
        out = []
        probs, prob = self._probs, self.prob
        scored = [(probs.get(w) or prob(w), w) for w in found]
        scored.sort(reverse=True)
        fits = frozenset.__contains__
        for p, w in scored[:40]:
            for form in {w, w.capitalize(), w.upper(), *self.by_lower_forms.get(w, ())}:
                if all(map(fits, sets, form)):
                    out.append((form, p))
        return out

    def _contractions(self, sets: tuple[frozenset, ...]) -> list[tuple[str, float]]:
        """word + ’s / ’t / ’re ...: word lists hold few of them, so build them from the stem."""
        if frozenset("'") not in sets[1:-1]:
            return []
        k = sets.index(frozenset("'"), 1)
        tails = [t for t in _CONTRACTION_TAILS
                 if len(t) == len(sets) - k - 1 and all(c in s for c, s in zip(t, sets[k + 1:]))]
        if not tails:
            return []
        return [(stem + "'" + tail, (0.01 if tail == "s" else 0.001) * p)
                for stem, p in self.matches(sets[:k])[:10] for tail in tails]

    def trigrams(self) -> tuple[dict[str, float], dict[str, float]]:
        if self._trigrams is None:
            self._trigrams = _trigram_counts((w, n) for w, n in self.counts.items() if w.isalpha())
        return self._trigrams

    def start_prob(self, word: str, p: float) -> float:
        """Probability of `word` opening a sentence: mostly how this text's sentences open."""
        return 0.6 * self.starts.get(word, 0) / self.n_starts + 0.08 * p

    def options(self, sets, initial: bool, title: bool | None) -> list[tuple[str, float]]:
        """Scored word choices (case included) for one styled word, before bigram context."""
        key = (sets, initial, title)
        if key not in self._options:
            scored = [(form, math.log(self.start_prob(form.lower(), p) if initial else p)
                       + _case_score(form, initial, title, self)) for form, p in self.matches(sets)]
            if len(sets) == 1:
                # a single styled letter is a word only as "a", "A" or "I" (but see compound)
                scored = [o for o in scored if o[0] in ("a", "A", "I")]
            elif not scored:
                scored = [(_UNKNOWN_WORD, _unknown_word_score(sets))]  # spelled out only if chosen
            scored.sort(key=lambda o: -o[1])
            self._options[key] = scored[:12]
        return self._options[key]


def _english():
    """wordfreq's English frequencies (`.get`), and its alphabetic words by length for
    letter-set search: the 30,000 commonest (`.common`), and the rest (`.rare`, searched only
    when those give nothing). Built once, then cached on disk: see deckgen.text.wordlist."""
    from deckgen.text.wordlist import english
    return english()


@lru_cache(maxsize=4096)
def _lower_letters(letters: frozenset) -> str:
    return "".join(sorted({c.lower() for c in letters}))


# These notes are about machine learning: its words get a boost over general English
# (styled "Data" must not come back as "Late", nor "Scaling" as "feeling").
_DOMAIN_WORDS = frozenset("""
accuracy activation adam adaptive agent agents algorithm algorithms analysis anomaly api architecture
attention auc augmentation autoencoder average backpropagation bagging baseline batch bayes bayesian
benchmark bert bias binary boosting bootstrap categorical causal centroid chain checkpoint class
classes classification classifier cleaning cluster clustering coefficient cold compute confidence
confusion context convergence convolution convolutional correlation cost covariance cross curve data
database dataset datasets decay decision decoder deep deployment depth descent detection deviation
dimension dimensionality dimensions discriminative distance distribution dropout embedding embeddings
encoder encoding engineering ensemble entropy epoch epochs error estimate estimation evaluation
experiment explainability exploration f1 feature features filtering fine forest function functions
gan gaussian generalization generation generative gpu gradient gradients graph greedy grid hash
hidden hyperparameter hyperparameters imbalanced imputation index inference information ingestion
initialization input inputs interpretability interview kernel knn label labels lambda language
latency layer layers leakage learning likelihood linear llm logistic loss machine margin markov
matrix maximum mean median memory metric metrics missing mlops model models momentum monitoring
neural network networks node nodes noise normalization normalize objective optimization optimizer
outlier outliers output overfitting parameter parameters pca pipeline pipelines pooling precision
prediction predictions preprocessing pretraining principal prior probability production prompt
pruning query queries random ranking rate recall recommendation recurrent regression regularization
reinforcement relu representation residual retrieval reward rnn robust sample samples sampling scaling
score search selection semantic sequence sigmoid similarity softmax sparse split statistics stochastic
supervised svm target tensor test testing threshold token tokenization tokens training transfer
transformer transformers tree trees tuning underfitting unsupervised validation value values variable
variables variance vector vectors versus vs weight weights window text clipping debug debugging
ensembling tokenizer tokenizers tokenize calibration forecasting distillation compression schedule
imbalance stratified estimator estimators kernel smoothing scratch recommender
""".split())
# acronyms written in capitals (their all-caps form is not an odd casing)
_ACRONYMS = frozenset("""
ai ml llm llms nlp cnn cnns rnn rnns lstm gan gans gpu gpus roc auc mse rmse mae pca svm knn sql api
rag bert gpt etl ab kpi nn
""".split())
# ... and its usual pairs of words, which settle the choice between two words that both fit
_DOMAIN_BIGRAMS = frozenset(tuple(pair.split("_")) for pair in """
learning_rate batch_normalization batch_size feature_scaling feature_engineering feature_selection
feature_importance data_leakage data_drift data_cleaning data_science gradient_descent gradient_boosting
random_forest decision_tree decision_trees neural_network neural_networks loss_function cost_function
cross_validation confusion_matrix missing_values missing_data machine_learning deep_learning
transfer_learning reinforcement_learning supervised_learning logistic_regression linear_regression
vector_database language_model language_models test_set training_set validation_set training_data
test_data hyperparameter_tuning model_training model_evaluation model_deployment vanishing_gradient
""".split())

_FUNCTION_WORDS = {"a", "an", "the", "of", "in", "on", "and", "or", "to", "for", "vs", "with", "by", "at",
                   "from", "as", "is", "are", "be"}


def _case_score(form: str, initial: bool, title: bool | None, vocab: _Vocab) -> float:
    low = form.lower()
    seen = vocab.by_lower_forms.get(low, [])
    if form in seen and not form.islower() and not (form.istitle() and len(form) > 1):
        return 0.0  # an unusual casing seen as such in the text (LLM, MLOps)
    if form.islower():
        return -2.0 if initial else (-1.2 if title and low not in _FUNCTION_WORDS else 0.0)
    if form == form.capitalize():
        if initial:
            return 0.0
        if title is None:
            return -0.6
        if title:
            return -0.8 if low in _FUNCTION_WORDS else 0.0
        return -3.0
    if form.isupper() and low in _ACRONYMS:
        return 0.0
    return -3.0  # all caps / odd casing never seen in the text


@dataclass
class _Word:
    text: str
    score: float


_LETTER_FREQ = dict(zip("etaoinshrdlcumwfgypbvkjxqz",
                        (12.7, 9.1, 8.2, 7.5, 7.0, 6.7, 6.3, 6.1, 6.0, 4.3, 4.0, 2.8, 2.8, 2.4, 2.4, 2.2,
                         2.0, 2.0, 1.9, 1.5, 1.0, 0.8, 0.15, 0.15, 0.1, 0.07)))


def _english_look(units: list[_Unit], alpha: _Alphabet) -> float:
    """How English the surviving letters look in `alpha` (letter frequencies, sane casing)."""
    score, prev = 0.0, None
    for u in units:
        if not u.cont or u.lead != 0xF0:
            prev = None
            continue
        letter = alpha.by_byte.get(u.cont[-1]) if len(u.cont) == 1 else None
        if letter is None:
            return -99.0
        score += math.log(_LETTER_FREQ[letter.lower()] / 100)
        if prev is not None and letter.isupper() and prev.islower():
            score -= 3.0
        prev = letter
    return score


def _letter_sets(units: list[_Unit], joins_after: set[int], end_space: bool,
                 alpha: _Alphabet) -> tuple[frozenset, ...] | None:
    """What each unit of a styled word can be in `alpha`: the letter its surviving byte names,
    or one of the letters whose last byte is lost (or left a space, where a space follows)."""
    sets = []
    last = len(units) - 1
    for i, u in enumerate(units):
        if u.lead != 0xF0:
            # a BMP character inside a styled word: a letterlike stand-in, or an apostrophe
            options = set(alpha.holes.get(tuple(u.cont), ()))
            if u.bare and 0 < i < last:
                options.add("'")
            if not options:
                return None
            sets.append(frozenset(options))
        elif not u.bare:
            letter = alpha.by_byte.get(u.cont[-1]) if len(u.cont) == 1 else None
            if letter is None:
                return None
            sets.append(frozenset(letter))
        elif i in joins_after:
            if not alpha.spacing:
                return None
            sets.append(alpha.spacing)
        elif i == last and end_space:
            sets.append(alpha.silent | alpha.spacing)
        else:
            sets.append(alpha.silent)
    return tuple(sets)


_UNKNOWN_WORD = "\0"


@lru_cache(maxsize=4096)
def _unknown_word_score(sets: tuple[frozenset, ...]) -> float:
    """A word in no list is unlikely, and more so when it is long, has many lost letters, or
    has a capital forced in after small letters (a sign of a wrong alphabet or a wrong join)."""
    unknown = sum(len(s) > 1 for s in sets)
    flips = sum(1 for a, b in zip(sets, sets[1:])
                if all(c.islower() for c in a) and all(c.isupper() for c in b))
    return -25.0 - 4.0 * unknown - 10.0 * flips - 1.5 * max(0, len(sets) - 10)


def _trigram_counts(words) -> tuple[dict[str, float], dict[str, float]]:
    """Letter-trigram and two-letter-context counts of (word, weight) pairs ("^"/"$" pad the ends)."""
    from collections import Counter
    tris: Counter = Counter()
    for word, weight in words:
        padded = "^^" + word + "$"
        for i in range(len(padded) - 2):
            tris[padded[i:i + 3]] += weight
    contexts: Counter = Counter()
    for tri, n in tris.items():
        contexts[tri[:2]] += n
    return tris, contexts


@lru_cache(maxsize=1)
def _english_trigrams() -> tuple[dict[str, float], dict[str, float]]:
    return _trigram_counts((w, 1) for w in _english().common.words() if w.isalpha())


def _fallback(sets: tuple[frozenset, ...], vocab: _Vocab) -> str:
    """A word in no list: fill each lost letter by letter trigrams of English and of this text's words
    (so "regulari?er" borrows the "riz" of a "regularization" seen elsewhere)."""
    eng_tris, eng_ctx = _english_trigrams()
    text_tris, text_ctx = vocab.trigrams()

    def logp(tri: str) -> float:
        num = eng_tris.get(tri, 0) + 400 * text_tris.get(tri, 0) + 0.1
        return math.log(num / (eng_ctx.get(tri[:2], 0) + 400 * text_ctx.get(tri[:2], 0) + 2.7))

    all_caps = sum(1 for s in sets[1:] if len(s) == 1 and next(iter(s)).isupper()) > len(sets) // 3
    paths = {"^^": (0.0, "")}  # last two letters (lowercase) -> best (score, text)
    for i, s in enumerate(sets):
        new: dict[str, tuple[float, str]] = {}
        for c in s:
            case_cost = 0.0 if i == 0 or c.isupper() == all_caps else -6.0
            for ctx, (score, text) in paths.items():
                cand = (score + case_cost + logp(ctx + c.lower()), text + c)
                key = ctx[1] + c.lower()
                if key not in new or cand > new[key]:
                    new[key] = cand
        paths = new
    return max((score + logp(ctx + "$"), text) for ctx, (score, text) in paths.items())[1]


# letters seen glued to a digit, hyphen or slash in ML notes (L1, F1, K-Means, A/B, p-value, t-test)
_COMPOUND_LETTERS = "LFKABNPTXYCDSRMQkptxynabcdefgh"

_QUESTION_WORDS = {"how", "what", "why", "when", "where", "which", "who", "whose", "is", "are", "do", "does",
                   "did", "can", "could", "should", "would", "will", "was", "were", "have", "has"}


def _word_options(sets, vocab: _Vocab, initial: bool, title: bool | None, prev: str | None,
                  question: bool = False, compound: bool = False) -> list[_Word]:
    """The best few words for one styled word in its context (shared lists: do not modify)."""
    # "question" counts only for a sentence's first word, "compound" only for a lone letter
    key = (sets, initial, title, prev, question and initial, compound and len(sets) == 1)
    options = vocab.word_options_cache.get(key)
    if options is None:
        if prev is not None and prev not in vocab.bigram_heads:
            # no bigram starts with this word: scored exactly as with no word before
            options = _word_options(sets, vocab, initial, title, None, key[4], key[5])
        else:
            options = _score_word_options(*key, vocab)
        vocab.word_options_cache[key] = options
    return options


def _score_word_options(sets, initial: bool, title: bool | None, prev: str | None,
                        question: bool, compound: bool, vocab: _Vocab) -> list[_Word]:
    options = [_Word(form, score + (2.5 if prev and (prev, form.lower()) in vocab.bigrams else 0.0)
                     + (2.0 if initial and question and form.lower() in _QUESTION_WORDS else 0.0))
               for form, score in vocab.options(sets, initial, title)]
    if compound and len(sets) == 1:
        # a letter glued to a hyphen or slash: p-value, k-means, A/B
        for letter in sorted(sets[0]):
            rank = _COMPOUND_LETTERS.find(letter)
            options.append(_Word(letter, -7.0 - 0.1 * (rank if rank >= 0 else len(_COMPOUND_LETTERS))))
    options.sort(key=lambda o: -o.score)
    return options[:6]


@dataclass
class _GroupContext:
    """A styled phrase on one line: its chunks of F0 units, the plain text between them, and
    what precedes it (sentence start? the word before)."""
    chunks: list[list[_Unit]]
    gaps: list[str | None]
    initial: bool
    prev: str | None
    line_start: bool
    question: bool  # the line ends with "?"
    heading: bool  # the line's only words are styled ones
    space_then_stop: tuple[bool, ...]  # per chunk: followed by " " and then . , ; : ! ? )
    compound: tuple[bool, ...]  # per chunk: touching a hyphen or slash

    def key(self) -> tuple:
        units = tuple(tuple((u.lead, tuple(u.cont), u.space_after) for u in c) for c in self.chunks)
        return (units, tuple(self.gaps), self.initial, self.prev, self.line_start, self.question,
                self.heading, self.compound, self.space_then_stop)


def _read_styled(ctx: _GroupContext, vocab: _Vocab, alphabets) -> list[tuple[int, int, str | None, bool]]:
    """Choose words for a styled phrase: (start chunk, end chunk, text or None for an emoji,
    whether its last letter is one whose lost byte left the space that follows it)."""
    spans = _spans(ctx, alphabets)
    # Title Case or sentence case? Read the phrase assuming each, and without assuming: the
    # case rules charge for every word against the assumption, so the true one scores best.
    neutral, title, sentence = (_beam(ctx, spans, vocab, dict.fromkeys((a.name for a in alphabets), hint))
                                for hint in (None, True, False))
    if neutral is None:
        return []
    best = neutral[1]
    if title and sentence:
        if abs(title[0] - sentence[0]) > 0.5:
            best = max(title, sentence, key=lambda r: r[0])[1]
        elif ctx.question:
            best = sentence[1]  # nothing decides it: questions are mostly in sentence case,
        elif ctx.heading:
            best = title[1]  # and styled headings in Title Case
    by_name = {a.name: a for a in alphabets}
    out = []
    for start, end, text, alpha_name, sets, _initial in best:
        if text is None:
            out.append((start, end, None, False))
            continue
        if text == _UNKNOWN_WORD:
            text = _fallback(sets, vocab)
        spaced = ctx.chunks[end][-1].bare and text[-1] in by_name[alpha_name].spacing
        out.append((start, end, text.replace("'", "’"), spaced))
    return out


def _spans(ctx: _GroupContext, alphabets) -> dict[tuple[int, int], list[tuple[str, tuple]]]:
    """Letter sets for every word a run of chunks can form, per alphabet.

    Touching chunks (gap "") always join; chunks join across a single space only where a
    lost 0x85/0xA0 byte of the letter before it left that space."""
    spans: dict[tuple[int, int], list[tuple[str, tuple]]] = {}
    n = len(ctx.chunks)
    for start in range(n):
        for end in range(start, n):
            if end > start:
                gap = ctx.gaps[end - 1]
                if gap != "" and (gap != " " or not ctx.chunks[end - 1][-1].bare
                                  or ctx.chunks[end - 1][-1].lead != 0xF0):
                    break
            units = [u for c in ctx.chunks[start:end + 1] for u in c]
            joins, k = set(), -1
            for c, gap in zip(ctx.chunks[start:end], ctx.gaps[start:end]):
                k += len(c)
                if gap == " ":
                    joins.add(k)
            last = ctx.chunks[end][-1]
            for alpha in alphabets:
                sets = _letter_sets(units, joins, last.space_after, alpha)
                if sets is not None:
                    spans.setdefault((start, end), []).append((alpha.name, sets))
    return spans


def _beam(ctx: _GroupContext, spans, vocab: _Vocab, hints) -> list | None:
    """Best reading; a state is (score, alphabet, previous word, choices, sentence start pending)."""
    n = len(ctx.chunks)
    finished: list = []
    states: dict[int, list] = {0: [(0.0, None, ctx.prev, [], ctx.initial)]}
    chunk_is_bare_end = [c[-1].bare and c[-1].lead == 0xF0 for c in ctx.chunks]

    def push(pos, state):
        (finished if pos == n else states.setdefault(pos, [])).append(state)

    for start in range(n):
        best_per_key: dict = {}
        for state in states.get(start, ()):
            key = (state[1], state[2], state[4])
            if key not in best_per_key or state[0] > best_per_key[key][0]:
                best_per_key[key] = state
        ranked = sorted(best_per_key.values(), key=lambda st: -st[0])[:12]
        gap_before = ctx.gaps[start - 1] if start else ""
        chunk = ctx.chunks[start]
        for score, alpha_name, prev, choices, pending in ranked:
            must_skip = bool(choices) and choices[-1][2] is not None and gap_before == ""
            initial = pending or bool(gap_before and gap_before.strip() in (".", "!", "?"))
            if len(chunk) == 1:
                # a lone unit may be an emoji or punctuation, left for the symbol rules
                if chunk[0].lead != 0xF0:
                    cost = 1.0
                elif start == 0 and ctx.line_start:
                    cost = 0.5  # a lone F0 at a line's start is most likely an emoji bullet
                else:
                    cost = 9.0
                push(start + 1, (score - cost, alpha_name, None if chunk[0].lead == 0xF0 else prev,
                                 choices + [(start, start, None, None, None, initial)], initial))
            if must_skip:
                continue
            for end in range(start, n):
                if end + 1 < n and ctx.gaps[end] == "" and ctx.chunks[end + 1][0].lead == 0xF0:
                    continue  # a word cannot stop in the middle of touching styled letters
                # a word glued to punctuation that is not part of it (“word”) is less likely
                glued = -1.5 * ((start > 0 and gap_before == "") + (end + 1 < n and ctx.gaps[end] == ""))
                for name, sets in spans.get((start, end), ()):
                    switch = glued + (0.0 if alpha_name in (None, name) else -6.0)
                    compound = start == end and ctx.compound[start]
                    spacing = _alphabet(name).spacing
                    for word in _word_options(sets, vocab, initial, hints[name], prev, ctx.question, compound):
                        if ctx.space_then_stop[end] and chunk_is_bare_end[end]:
                            # "wor ?": a space before punctuation is more likely a lost byte
                            # (the word ends in a letter that leaves one) than a real space
                            word = _Word(word.text, word.score + (1.5 if word.text[-1] in spacing else -1.5))
                        push(end + 1, (score + switch + word.score, name, word.text.lower(),
                                       choices + [(start, end, word.text, name, sets, initial)], False))
    if not finished:
        return None
    best = max(finished, key=lambda st: st[0])
    return best[0], best[3]


# ---------------------------------------------------------------------------------------
# one line

class _LineRepair:
    """One damaged line: split into plain characters and damaged units, read the styled
    phrases (word by word, with the vocabulary), then the symbols (by context), then join."""

    def __init__(self, line: str, model: _Model, vocab_factory, lenient: bool):
        self.line = line
        self.model = model
        self.vocab_factory = vocab_factory
        self.items: list = []  # str (one plain char) or _Unit
        pos = 0
        for match in _DAMAGED_RUN.finditer(line):
            self.items.extend(line[pos:match.start()])
            units = _parse_run(match.group(), lenient)
            if units is None:
                self.items.extend(match.group())  # genuine Thai: keep
            else:
                if units and (match.end() == len(line) or line[match.end()] == " "):
                    units[-1].space_after = True
                self.items.extend(units)
            pos = match.end()
        self.items.extend(line[pos:])
        self.out: list[str | None] = [it if isinstance(it, str) else None for it in self.items]
        # where the symbol rules look: damaged characters, and real quotes (open/closed state)
        self.positions = [i for i, it in enumerate(self.items) if not isinstance(it, str) or it in "“”"]
        self.drop_space: set[int] = set()
        self.styled: set[int] = set()  # unit indexes decoded as styled letters
        self._closers: list[int] | None = None

    def run(self) -> str:
        if not self.model.c1_kept and _STYLED_DAMAGE.search(self.line):
            self._styled()
        self._symbols()
        return self._assemble()

    # -- styled words -----------------------------------------------------------------
    def _chunks(self) -> list[list[int]]:
        """Runs of adjacent F0 units (indexes into items); an E2 unit touching one is a chunk
        of its own (a letterlike stand-in such as italic ℎ, or an apostrophe)."""
        def f0(i):
            it = self.items[i] if 0 <= i < len(self.items) else None
            return isinstance(it, _Unit) and it.lead == 0xF0 and len(it.cont) <= 1

        def e2(i):
            it = self.items[i]
            return isinstance(it, _Unit) and it.lead == 0xE2 and len(it.cont) <= 1 and (f0(i - 1) or f0(i + 1))
        chunks: list[list[int]] = []
        for i in (i for i, it in enumerate(self.items) if isinstance(it, _Unit)):
            if f0(i):
                if chunks and chunks[-1][-1] == i - 1 and f0(i - 1):
                    chunks[-1].append(i)
                else:
                    chunks.append([i])
            elif e2(i):
                chunks.append([i])
        return chunks

    def _space_then_stop(self, i: int) -> bool:
        return i + 2 < len(self.items) and self.items[i + 1] == " " and self.items[i + 2] in tuple(".,;:!?)")

    def _touches(self, chunk: list[int], chars: str) -> bool:
        before = self.items[chunk[0] - 1] if chunk[0] > 0 else ""
        after = self.items[chunk[-1] + 1] if chunk[-1] + 1 < len(self.items) else ""
        return any(isinstance(c, str) and c and c in chars for c in (before, after))

    def _plain_letter_next_to(self, chunk: list[int]) -> bool:
        before = self.items[chunk[0] - 1] if chunk[0] > 0 else " "
        after = self.items[chunk[-1] + 1] if chunk[-1] + 1 < len(self.items) else " "
        return any(isinstance(c, str) and c.isalnum() for c in (before, after))

    def _text_before(self, i: int, limit: int = 40) -> str:
        """Up to `limit` characters of plain text before item i (right-stripped)."""
        out: list[str] = []
        j = i - 1
        while j >= 0 and len(out) < limit:
            if isinstance(self.items[j], str):
                out.append(self.items[j])
            j -= 1
        return "".join(reversed(out)).rstrip()

    def _styled(self) -> None:
        chunks = self._chunks()
        if not any(len(c) > 1 for c in chunks):
            return
        # per position: has any letter / any non-space plain text come before? (one pass)
        self.letters_before, self.text_before_any = [], []
        letter = text = False
        for it in self.items:
            self.letters_before.append(letter)
            self.text_before_any.append(text)
            if isinstance(it, str):
                letter = letter or it.isalpha()
                text = text or not it.isspace()
        plain = "".join(c for c in self.items if isinstance(c, str)).rstrip()
        self.question = plain.endswith("?")
        self.heading = not any(c.isalpha() for c in plain)
        # keep chunks that can be styled text: long ones, and single units next to a long one
        groups: list[list[list[int]]] = []
        for chunk in chunks:
            if groups and self._gap(groups[-1][-1], chunk) is not None:
                groups[-1].append(chunk)
            else:
                groups.append([chunk])
        vocab = self.vocab_factory()
        for group in groups:
            if any(len(c) > 1 for c in group):
                group = [c for c in group if len(c) > 1 or not self._plain_letter_next_to(c)
                         or self._touches(c, "0123456789")]
                self._decode_group(group, vocab)

    def _gap(self, left: list[int], right: list[int]) -> str | None:
        """The plain text between two chunks if they belong to one styled phrase."""
        between = self.items[left[-1] + 1:right[0]]
        if any(not isinstance(c, str) for c in between):
            return None
        gap = "".join(between)
        if len(gap) > 4 or any(c.isalpha() for c in gap):
            return None
        return gap

    def _likely_alphabets(self, group) -> list[_Alphabet]:
        """The alphabets whose surviving letters look most like English, per chunk and overall."""
        alphabets = _alphabets()
        keep: set[str] = set()
        totals = dict.fromkeys((a.name for a in alphabets), 0.0)
        for chunk in group:
            units = [self.items[i] for i in chunk]
            scores = sorted(((_english_look(units, a), a.name) for a in alphabets), reverse=True)
            for score, name in scores:
                totals[name] += score
            if sum(1 for u in units if u.cont) >= 3:
                keep.update(name for _, name in scores[:2])
        keep.update(sorted(totals, key=lambda name: -totals[name])[:3])
        keep.update(_POPULAR_STYLES)
        return [a for a in alphabets if a.name in keep]

    def _decode_group(self, group: list[list[int]], vocab: _Vocab) -> None:
        letters = [self.items[i] for chunk in group for i in chunk if self.items[i].lead == 0xF0]
        if len(letters) > 3 and sum(1 for u in letters if u.cont) < 0.2 * len(letters):
            # almost every byte lost (monospace, say): any reading would be invented
            for i in range(group[0][0], group[-1][-1] + 1):
                if isinstance(self.items[i], _Unit) or self.items[i] == " ":
                    self.out[i] = ""
                    self.styled.add(i)
            return
        first = group[0][0]
        before = self._text_before(first)
        letters_before = self.letters_before[first]
        context = _GroupContext(
            chunks=[[self.items[i] for i in chunk] for chunk in group],
            gaps=[self._gap(group[k - 1], group[k]) for k in range(1, len(group))],
            initial=not letters_before or (before != "" and before[-1] in ".!?"),
            prev=m.group(1).lower() if (m := re.search(r"([A-Za-z]+)\W?$", before)) else None,
            line_start=not before and not self.text_before_any[first],
            question=self.question,
            heading=self.heading,
            space_then_stop=tuple(self._space_then_stop(chunk[-1]) for chunk in group),
            compound=tuple(self._touches(chunk, "-/0123456789") for chunk in group),
        )
        key = context.key()
        if key not in vocab.group_cache:
            vocab.group_cache[key] = _read_styled(context, vocab, self._likely_alphabets(group))
        for start, end, text, spaced in vocab.group_cache[key]:
            idxs = [i for c in group[start:end + 1] for i in c]
            if text is None:
                self.out[idxs[0]] = None  # emoji: left for _symbols
                continue
            after = idxs[-1] + 1
            if spaced and after + 1 < len(self.items) and self.items[after] == " " and \
                    self.items[after + 1] in tuple(".,;:!?)"):
                self.drop_space.add(after)  # "matri x ?" -> "matrix?": that space was the x's lost byte
            for i in idxs:
                self.out[i] = ""
            self.out[idxs[0]] = text
            for c in group[start:end]:  # the spaces inside a joined word were lost bytes
                self.drop_space.add(c[-1] + 1)
            self.styled.update(idxs)

    # -- symbols ------------------------------------------------------------------------
    def _symbols(self) -> None:
        quote_open = False
        for i in self.positions:
            it = self.items[i]
            if i in self.styled:
                continue
            if isinstance(it, str):
                if it == "“":
                    quote_open = True
                elif it == "”":
                    quote_open = False
                continue
            choice = self._choose(i, it, quote_open)
            self.out[i] = choice or ""
            if choice == "“":
                quote_open = True
            elif choice == "”":
                quote_open = False

    def _neighbour(self, i: int, step: int) -> str:
        """The nearest output character on one side ("" at the line edge, NUL if undecided)."""
        j = i + step
        while 0 <= j < len(self.items):
            out = self.out[j]
            if out is None:
                return "\x00"
            if out:
                return out[0] if step > 0 else out[-1]
            j += step
        return ""

    def _choose(self, i: int, unit: _Unit, quote_open: bool) -> str | None:
        if unit.bare and unit.lead == 0xF0:
            return None  # an emoji with every byte lost: nothing to go on
        cands = _candidates(unit, self.model)
        if not cands:
            return None
        prev, nxt = self._neighbour(i, -1), self._neighbour(i, +1)
        next_item = self.items[i + 1] if i + 1 < len(self.items) else None
        next_is_vs = isinstance(next_item, _Unit) and "\ufe0f" in _candidates(next_item, self.model)
        if "\ufe0f" in cands:
            # a variation selector follows an emoji or keycap base; alone it means nothing
            return "\ufe0f" if prev and (prev in _TAKES_VS16 or prev in "0123456789#*" or ord(prev) > 0x2000) else None
        if "\u20e3" in cands and prev in ("\ufe0f", *"0123456789#*"):
            return "\u20e3"
        if next_is_vs:
            takers = [c for c in cands if c in _TAKES_VS16]
            if takers:
                return takers[0]
        after_space = self.items[i + 2] if next_item == " " and i + 2 < len(self.items) else None
        if isinstance(after_space, _Unit) and "\ufe0f" in _candidates(after_space, self.model):
            # "X ️": the space between a symbol and its U+FE0F was the symbol's own lost last byte
            takers = [c for c in cands if c in _TAKES_VS16 and c.encode("utf-8")[-1] in self.model.spacing]
            if takers:
                self.out[i + 1] = ""
                return takers[0]
        if any(c in _QUOTES for c in cands):
            return self._quote(i, cands, prev, nxt, quote_open)
        letters = [c for c in cands if c.isalpha()]
        if len(letters) > 1 and (prev.isalpha() or nxt.isalpha()):
            return self._best_letter(i, letters)
        if letters and prev == nxt == " " and cands[0] not in letters:
            # a lone word between words ("café à Paris") is a letter; between numbers, a symbol
            words_around = all(self._out_at(j)[:1].isalpha() for j in (i - 3, i - 2, i + 2, i + 3))
            return letters[0] if words_around else cands[0]
        return cands[0]

    def _out_at(self, j: int) -> str:
        """What item j has become so far ("" past the edges or while undecided)."""
        return (self.out[j] or "") if 0 <= j < len(self.items) else ""

    def _quote(self, i, cands, prev, nxt, quote_open) -> str:
        def pick(*wanted):
            for w in wanted:
                if w in cands:
                    return w
            return cands[0]
        tail = ""
        j = i + 1
        while j < len(self.items) and isinstance(self.items[j], str) and self.items[j].isalpha():
            tail += self.items[j]
            j += 1
        if prev.isdigit() and nxt.isdigit():
            return pick("–", "—")
        if prev.isalnum() and nxt.isalpha():
            return pick("’") if tail.lower() in _CONTRACTION_TAILS else pick("—", "–")
        if prev == "" and nxt == " ":  # a line-start bullet: a symbol, not punctuation
            symbols = [c for c in cands if c not in _QUOTES]
            return symbols[0] if symbols else pick("—")
        if prev in ("", " ") and nxt in ("", " "):
            return pick("—", "→", "–")
        if prev == "" or prev in _OPENERS:
            if not self._closer_after(i):
                # an opening quote that nothing closes is more likely a prefix symbol (√d)
                prefixes = [c for c in "√∑∂∇" if c in cands]
                if prefixes and nxt.isalnum():
                    return prefixes[0]
            return pick("“", "‘")
        if nxt == "" or nxt in " \t.,;:!?)]}":
            if quote_open:
                return pick("”")
            return pick("’") if prev.isalpha() and prev.lower() == "s" else pick("”")
        return pick("”", "’")

    def _closer_after(self, i: int) -> bool:
        """Is there, later on the line, something that could close a quote opened at i?"""
        if self._closers is None:
            self._closers = []
            for j, it in enumerate(self.items):
                if it in ("”", '"'):
                    self._closers.append(j)
                elif isinstance(it, _Unit) and it.lead == 0xE2 and it.bare and j not in self.styled:
                    before = self.items[j - 1] if j else " "
                    after = self.items[j + 1] if j + 1 < len(self.items) else " "
                    if isinstance(before, str) and before not in " ([{" and not (
                            isinstance(after, str) and after.isalpha()):
                        self._closers.append(j)  # after a word, not before letters: a closing quote's place
        from bisect import bisect_right
        return bisect_right(self._closers, i) < len(self._closers)

    def _best_letter(self, i: int, letters: list[str]) -> str:
        left = right = ""
        j = i - 1
        while j >= 0 and isinstance(self.items[j], str) and self.items[j].isalpha():
            left = self.items[j] + left
            j -= 1
        j = i + 1
        while j < len(self.items) and isinstance(self.items[j], str) and self.items[j].isalpha():
            right += self.items[j]
            j += 1
        freqs = _english()
        # the candidates come in order of preference: that order breaks ties
        scored = [(freqs.get(unicodedata.normalize("NFKC", left + c + right).lower(), 0.0), -i, c)
                  for i, c in enumerate(letters)]
        return max(scored)[2]

    # -- output -------------------------------------------------------------------------
    def _assemble(self) -> str:
        out = ["" if piece is None else piece for piece in self.out]
        for i in self.drop_space:
            if self.items[i] == " ":
                out[i] = ""
        # a dropped symbol must not leave a double space or a space at the line's edge
        for i in self.positions:
            if not isinstance(self.items[i], _Unit) or out[i] or i in self.styled:
                continue
            left, right = i - 1, i + 1
            while left >= 0 and not out[left]:
                left -= 1
            while right < len(out) and not out[right]:
                right += 1
            left_ch = out[left][-1] if left >= 0 else None
            right_ch = out[right][0] if right < len(out) else None
            if right_ch == " " and left_ch in (None, " "):
                out[right] = out[right][1:]
            elif left_ch == " " and right_ch is None:
                out[left] = out[left][:-1]
        return "".join(out)


def _repair_mojibake(text: str) -> str:
    from collections import Counter
    runs = Counter(_DAMAGED_RUN.findall(text))
    ok = sum(n for run, n in runs.items() if _parse_run_cached(run, False) is not None)
    if ok <= runs.total() - ok:
        return text  # mostly runs that are not damaged UTF-8: genuine Thai, leave it
    # C1 controls inside most damaged runs: they were kept (a plain errors="ignore" decode);
    # a stray one here and there does not make the whole text that kind
    with_c1 = sum(n for run, n in runs.items() if _C1.search(run))
    model = _Model(c1_kept=with_c1 >= 0.3 * runs.total())
    vocab: list[_Vocab] = []

    def vocab_factory() -> _Vocab:
        if not vocab:
            vocab.append(_Vocab(text))
        return vocab[0]

    cache: dict[str, str] = {}
    lines = text.split("\n")
    for n, line in enumerate(lines):
        if not _DAMAGED_RUN.search(line):
            continue
        if line not in cache:
            cache[line] = _repair_line_safely(line, model, vocab_factory)
        lines[n] = cache[line]
    return "\n".join(lines)


def _repair_line_safely(line: str, model: _Model, vocab_factory) -> str:
    # Bad input is normal; a bug here must not cost the user the file: at worst the
    # damaged characters are dropped, never left in as Thai.
    try:
        return _LineRepair(line, model, vocab_factory, lenient=True).run()
    except Exception:  # pragma: no cover - a safety net, the tests drive _LineRepair directly
        return _DAMAGED_RUN.sub("", line)
