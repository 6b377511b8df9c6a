import re

from hypothesis import given, settings
from hypothesis import strategies as st

from deckgen.text.fastre import guarded

# Alternations of the kind the readers use to spot chat filler and post sign-offs.
PATTERNS = [
    re.compile(r"^(?:thanks|thank you)\b.{0,20}\bfor\b|\bgood luck\b|\blet me know\b|"
               r"\b(?:hope|hopefully) (?:this|it) helps?\b|^(?:sure|ok|okay)\s*[!,.]", re.I),
    re.compile(r"(?:[-—–]{1,3}\s*(?:follow|subscribe)\b|(?:you can )?(?:learn|read) more\b"
               r"|\bfollow me (?:for|on)\b).*$", re.I),
    re.compile(r"\b(?:have|did) you\b|\bdo you (?:use|prefer)\b|(?-i:[A-Z]{2,}) rocks", re.I),
    re.compile(r"(?<=\s)(?:ab|cd)+(?!x)|\bsk[iy]"),
    re.compile(r"[a-f]{2}\d|\bKelvin\b|stra(?:ss|ß)e", re.I),
    re.compile(r"^(?:ok|sure)\b|\b(?:good|bad) luck|\b(?:ab)?cd", re.I | re.M),
    re.compile(r"^-+ follow|(?:x)?\bfollow|\bſk", re.I | re.M),
    re.compile(r"(?:\b|-)ab|\bsk|(?a:\bk)", re.I),
]

TEXTS = [
    "Thanks a lot for reading, and good luck with the interview!",
    "Hope this helps: regularization trades variance for bias.",
    "OK, here is the short version.",
    "The model overfits — follow the validation curve, not the training one.",
    "Learn more in the appendix. — Follow me for daily notes",
    "Did you tune the learning rate? Do you prefer Adam?",
    "GPU rocks but gpu rocks does not count",
    "a cdcd abx skiing sky",
    "ae1 the KELVIN scale, strasse and straße",
    "",
    "no filler in this sentence at all",
]


def spans(pattern: re.Pattern, text: str) -> tuple:
    found = pattern.search(text)
    return (found.span(), found.group()) if found else None, [m.span() for m in pattern.finditer(text)]


def test_guard_is_added_to_word_alternations_and_finds_the_same_matches():
    for pattern in PATTERNS:
        fast = guarded(pattern)
        assert fast is not pattern and fast.pattern.startswith(("(?=[", r"\b(?=["))
        for text in TEXTS:
            assert spans(fast, text) == spans(pattern, text), (pattern.pattern, text)


def test_word_boundary_guard_only_where_every_match_starts_a_word():
    assert guarded(PATTERNS[0]).pattern.startswith(r"\b(?=[")  # \b or ^ + letter on every branch
    assert guarded(PATTERNS[5]).pattern.startswith(r"\b(?=[")
    for pattern in (PATTERNS[1], PATTERNS[6], PATTERNS[7]):  # "-" may open a match, "x" without \b
        assert guarded(pattern).pattern.startswith("(?=[")


def test_case_folding_equivalents_still_match():
    # under re.I, "ſ" matches "s" and the Kelvin sign matches "k": the guard must let them through
    pattern = re.compile(r"\bsubscribe\b|\bkelvin\b", re.I)
    fast = guarded(pattern)
    for text in ("please ſubscribe now", "measured in \u212aelvin"):
        assert pattern.search(text) and fast.search(text).span() == pattern.search(text).span()


def test_patterns_without_known_first_characters_are_left_alone():
    for source, flags in ((r"a*b?", 0), (r".foo|bar", 0), (r"\w+ing\b", 0), (r"[^x]y|z", 0),
                          (r"^(?:foo|bar)", re.I), (r"(?i:foo)|bar", 0), (r"foo # a comment", re.X),
                          (r"(?=foo)|bar", 0)):
        pattern = re.compile(source, flags)
        assert guarded(pattern) is pattern, source


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=list("abcdefhiklmnoprstuyvw ,.!-—–\n'ſ\u212aDGHKOPSTU0123456789ß"), max_size=80),
       st.sampled_from(PATTERNS))
def test_same_matches_on_any_text(text, pattern):
    assert spans(guarded(pattern), text) == spans(pattern, text)
