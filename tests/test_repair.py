"""Mojibake repair: UTF-8 read as TIS-620 (Thai), continuation bytes 0x80-0xA0 lost.

Every input here is our own sentence, damaged by the two models of the damage; the seed
file is only checked for properties (no Thai left, clean lines untouched).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deckgen.text import repair as repair_module
from deckgen.text.repair import repair
from conftest import seed_file

THAI = re.compile("[\u0e00-\u0e7f]")


def damage_c1_kept(clean: str) -> str:
    """What `decode("tis_620", errors="ignore")` leaves: 0x80-0x9F kept as C1 controls, 0xA0 lost."""
    return clean.encode("utf-8").decode("tis_620", errors="ignore")


def damage_c1_stripped(clean: str) -> str:
    """The damage as found in real notes: C1 controls deleted, NEL/NBSP turned into spaces,
    runs of spaces collapsed, lines stripped."""
    text = clean.encode("utf-8").decode("iso8859_11", errors="ignore")
    text = re.sub("[\x80-\x9f]", "", text.replace("\x85", " ").replace("\xa0", " "))
    return "\n".join(re.sub(" +", " ", line).strip() for line in text.split("\n"))


def styled(text: str, upper: int, lower: int) -> str:
    return "".join(chr(upper + ord(c) - 65) if "A" <= c <= "Z" else
                   chr(lower + ord(c) - 97) if "a" <= c <= "z" else c for c in text)


def sans_bold(text: str) -> str:
    return styled(text, 0x1D5D4, 0x1D5EE)


def serif_bold(text: str) -> str:
    return styled(text, 0x1D400, 0x1D41A)


# -- text without the damage ------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Plain ASCII notes: gradient descent, learning rate = 0.01.\n  indented code\n",
    "Curly “quotes”, it’s — dashes – and • bullets… 💡 👉 1️⃣ ➡️ σ² ≈ 0.5",
    "",
])
def test_text_without_damage_is_returned_unchanged(text):
    assert repair(text) == text


def test_genuine_thai_is_left_alone():
    text = "Notes in Thai: ภาษาไทยเป็นภาษาที่สวยงามมาก และการเรียนรู้ของเครื่องก็สนุก"
    assert repair(text) == text


def test_styled_letters_are_flattened_even_without_damage():
    assert repair(sans_bold("Why batch norm helps")) == "Why batch norm helps"
    assert repair("ＦＵＬＬ width") == "FULL width"
    # only styled letters are normalized, not every compatibility character
    assert repair("𝐱² and ½") == "x² and ½"
    # a letterlike symbol on its own is mathematics (the reals), not a styled letter
    assert repair("𝐱 ∈ ℝ") == "x ∈ ℝ"


# -- punctuation, symbols, emoji ---------------------------------------------------------

PUNCTUATION = [
    "It’s the model’s job, and we’ll check what they’re doing.",
    "The loss “exploded,” then “vanished.”",
    "Dropout helps—sometimes—but not always.",
    "• First bullet… and a second one",
    "Parameter count — about 7 billion.",
    "Sizes from 32–512 work.",
]


@pytest.mark.parametrize("damage", [damage_c1_kept, damage_c1_stripped])
@pytest.mark.parametrize("clean", PUNCTUATION)
def test_punctuation_round_trip(clean, damage):
    damaged = damage(clean)
    assert THAI.search(damaged)  # the damage really is there
    assert repair(damaged) == clean


@pytest.mark.parametrize("damage", [damage_c1_kept, damage_c1_stripped])
def test_keycaps_and_variation_selectors(damage):
    clean = "1️⃣ Collect data\n2️⃣ Train the model\n➡️ Deploy it"
    assert repair(damage(clean)) == clean


def test_emoji_with_a_surviving_byte_comes_back_and_lost_ones_are_dropped():
    # 💡 keeps its last byte (0xA1); 👉 loses every byte after the lead one
    assert repair(damage_c1_stripped("💡 Tip: scale your features")) == "💡 Tip: scale your features"
    assert repair(damage_c1_stripped("👉 Scale your features")) == "Scale your features"
    assert repair(damage_c1_stripped("Remember this 👉")) == "Remember this"


def test_c1_kept_damage_is_lossless_for_emoji_and_greek():
    clean = "👉 The mean μ and the deviation σ 🚀 ✅ done"
    assert repair(damage_c1_kept(clean)) == clean


def test_accented_letter_is_chosen_by_the_word_around_it():
    # é survives (C3 A9); à (C3 A0) and × (C3 97) lose their only continuation byte
    assert repair(damage_c1_stripped("A naïve café model")) == "A naïve café model"
    assert repair(damage_c1_stripped("un café à la carte")) == "un café à la carte"
    assert repair(damage_c1_stripped("a 3 × 3 matrix")) == "a 3 × 3 matrix"


# -- styled (math bold) words ------------------------------------------------------------

NOTES = (
    "Batch normalization rescales activations. It speeds up training and acts as a regularizer.\n"
    "Candidate generation retrieves a few hundred items from the data; a ranking model orders them.\n"
)


@pytest.mark.parametrize("title", [
    "How does batch normalization speed up training?",
    "Contrastive Pretraining (Learning Without Labels)",
    "Loading Images.",
    "Why Does Dropout Work?",
    "What is a confusion matrix?",  # the x's lost last byte leaves a space before the "?"
])
def test_sans_bold_title_round_trip(title):
    clean = "💡 " + sans_bold(title) + "\n" + NOTES
    repaired = repair(damage_c1_stripped(clean))
    assert repaired.split("\n")[0] == "💡 " + title
    assert not THAI.search(repaired)


def test_serif_bold_words_split_by_a_lost_space_are_joined():
    # serif bold "g" and "F" end in 0x85/0xA0, which leave a space inside the word
    clean = serif_bold("Feature Engineering for Time Series") + "\n" + NOTES
    damaged = damage_c1_stripped(clean)
    assert damaged.split("\n")[0].count(" ") > 4  # the damage split the words
    assert repair(damaged).split("\n")[0] == "Feature Engineering for Time Series"


def test_ambiguous_styled_word_is_settled_by_words_seen_elsewhere():
    # In serif bold both R and B lose every byte, so "?anking" fits ranking and banking.
    clean = serif_bold("Ranking Stage") + "\n" + NOTES
    assert repair(damage_c1_stripped(clean)).split("\n")[0] == "Ranking Stage"
    # "ranking" is the likelier word in ML notes, but these notes are about banks
    clean = serif_bold("Banking Stage") + "\nBanking apps move money between banking accounts.\n"
    assert repair(damage_c1_stripped(clean)).split("\n")[0] == "Banking Stage"


def test_apostrophes_inside_styled_words():
    clean = sans_bold("Let’s check the model’s output") + "\nThe model output is checked twice.\n" + NOTES
    assert repair(damage_c1_stripped(clean)).split("\n")[0] == "Let’s check the model’s output"


def test_letterlike_stand_in_inside_a_styled_word():
    # math italic has no "h": ℎ (U+210E, a BMP character) stands in for it
    italic = styled("Why do we need a validation set?", 0x1D434, 0x1D44E).replace("\U0001D455", "ℎ")
    repaired = repair(damage_c1_stripped(italic + "\n" + NOTES + "A validation set is needed.\n"))
    assert repaired.split("\n")[0].startswith("Why ")
    assert repaired.split("\n")[0].endswith(" validation set?")


def test_styled_text_with_almost_every_byte_lost_is_dropped_not_invented():
    # monospace lowercase letters all end in bytes 0x8A-0xA0: nothing survives to read
    clean = "See " + styled("model.fit(X_train, y_train)", 0x1D670, 0x1D68A) + " in the docs"
    repaired = repair(damage_c1_stripped(clean))
    assert re.fullmatch(r"See [^A-Za-z]* in the docs", repaired), repaired


def test_symbol_whose_lost_last_byte_left_a_space_before_its_selector():
    # ⚠ is E2 9A A0: the lost A0 leaves a space between the symbol and its U+FE0F
    assert repair(damage_c1_stripped("⚠️ Watch the learning rate")) == "⚠️ Watch the learning rate"


def test_c1_kept_styled_words_are_exact():
    clean = sans_bold("Gradient Boosting in Machine Learning") + " (" + serif_bold("ranking") + ")"
    assert repair(damage_c1_kept(clean)) == "Gradient Boosting in Machine Learning (ranking)"


# -- never leak Thai ---------------------------------------------------------------------

PLAIN_ALPHABET = ("abcdefghijklmnopqrstuvwxyz ABCDEFXYZ 0123456789 .,:;!?()-'\n"
                  "’“”—–•…→↳✅✔❌⚠✨⭐é àüñσμπ²½©°" "💡🚀🔥👉👍📌😀🤖🧠" "\ufe0f\u20e3")
ALPHABET = PLAIN_ALPHABET + sans_bold("HowdoesitWork") + serif_bold("FgRankingData")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=80), st.booleans())
def test_any_damaged_text_repairs_without_thai_or_errors(clean, c1_kept):
    damaged = (damage_c1_kept if c1_kept else damage_c1_stripped)(clean)
    with pytest.MonkeyPatch.context() as patch:
        # run the line repair without its safety net, so a bug fails this test
        patch.setattr(repair_module, "_repair_line_safely",
                      lambda line, model, vocab: repair_module._LineRepair(line, model, vocab, True).run())
        repaired = repair(damaged)
    assert not THAI.search(repaired)
    assert repaired.count("\n") == damaged.count("\n")


def test_a_stray_control_character_does_not_change_the_damage_model():
    clean = "💡 " + sans_bold("Why Does Dropout Work?") + "\n" + NOTES
    repaired = repair(damage_c1_stripped(clean) + "\na stray \x85 control character")
    assert repaired.split("\n")[0] == "💡 Why Does Dropout Work?"


def test_repair_is_idempotent():
    once = repair(damage_c1_stripped("💡 " + sans_bold("Tuning the Learning Rate") + "\nIt’s “fine” — mostly.\n"))
    assert repair(once) == once


def test_kept_c1_damage_round_trips_any_text():
    # everything comes back; the styled words come back as plain letters
    assert repair(damage_c1_kept(ALPHABET)) == PLAIN_ALPHABET + "HowdoesitWork" + "FgRankingData"


# -- the real damaged seed ---------------------------------------------------------------

def test_seed_000_has_no_thai_left_and_clean_lines_untouched():
    raw = seed_file("000_").read_text(encoding="utf-8")
    repaired = repair(raw)
    raw_lines, new_lines = raw.split("\n"), repaired.split("\n")
    assert len(raw_lines) == len(new_lines)
    damaged = [i for i, line in enumerate(raw_lines) if THAI.search(line)]
    assert len(damaged) > 100
    assert not THAI.search(repaired)
    for i, (old, new) in enumerate(zip(raw_lines, new_lines)):
        if i not in damaged:
            assert old == new
    # styled headings (four damaged styled letters in a row) come back as plain ASCII words
    styled_lines = [i for i in damaged if re.search("(\u0e50[\u0e01-\u0e1f]){4}", raw_lines[i])]
    assert len(styled_lines) > 20
    for i in styled_lines:
        assert not re.search("[\U0001d400-\U0001d7ff]", new_lines[i])
        assert re.search("[A-Za-z]{4}", new_lines[i])
