import re
from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from deckgen.text import wordlist
from deckgen.text.wordlist import English, WordBlocks, blocks_by_length

WORDS = ["cat", "cot", "cut", "dog", "dig", "gradient", "gradients", "variance", "don't", "it's",
         "a", "i", "tree", "tied", "trie", "bias"]


def regex_fitting(words: list[str], sets: list[str]) -> set[str]:
    """The reference: one regex per query, as the repair used to search."""
    pattern = re.compile("^" + "".join(f"[{re.escape(s)}]" for s in sets) + "$")
    return {w for w in words if pattern.match(w)}


def test_fitting_finds_the_words_whose_letters_fit_each_position():
    blocks = WordBlocks(blocks_by_length(WORDS))
    assert sorted(blocks.fitting(["cd", "ou", "tg"])) == ["cot", "cut", "dog"]
    assert sorted(blocks.fitting(["t", "ri", "ie", "ed"])) == ["tied", "tree", "trie"]
    assert sorted(blocks.fitting(["di", "o'", "nts", "'", "ts"])) == ["don't"]
    assert blocks.fitting(["x", "y", "z"]) == []
    assert blocks.fitting(["a"] * 12) == []  # no word of that length
    assert sorted(blocks.words()) == sorted(WORDS)


def test_fitting_in_a_block_too_large_to_check_word_by_word():
    # 1296 four-letter words: every column is ANDed before the hits are listed
    words = ["".join(w) for w in product("abcdef", repeat=4)]
    for ordered in (False, True):
        blocks = WordBlocks(blocks_by_length(words), ordered=ordered)
        assert sorted(blocks.fitting(["ab", "bc", "cd", "de"])) == sorted(
            a + b + c + d for a in "ab" for b in "bc" for c in "cd" for d in "de")
        assert sorted(blocks.fitting(["f", "a", "bcdef", "ab"])) == sorted(
            "fa" + c + d for c in "bcdef" for d in "ab")
        assert sorted(blocks.fitting(["abcdef"] * 3 + ["a"])) == sorted(w for w in words if w.endswith("a"))
        assert len(blocks.fitting(["abcdef"] * 4)) == 1296
        assert blocks.fitting(["é", "a", "a", "a"]) == [] and blocks.fitting(["g", "abc", "a", "a"]) == []
        for sets in (["e", "ea", "bf", "c"], ["fe", "d", "ab", "cf"], ["abc", "def", "f", "a"]):
            assert sorted(blocks.fitting(sets)) == sorted(regex_fitting(words, sets))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="abcdeit'", min_size=1, max_size=6), min_size=1, max_size=60),
       st.lists(st.text(alphabet="abcdeit'", min_size=1, max_size=4), min_size=1, max_size=6))
def test_fitting_agrees_with_a_regex_search(words, sets):
    blocks = WordBlocks(blocks_by_length(words))
    assert set(blocks.fitting(sets)) == regex_fitting(words, sets)


def test_frequency_by_bucket_and_unknown_words():
    words = sorted(["the", "of", "zebra"])
    buckets = {"the": 0, "of": 100, "zebra": 550}
    raw = wordlist.array("H", (buckets[w] for w in words)).tobytes()
    english = English(words, raw, {}, {})
    assert english.get("the") == 1.0
    assert english.get("of") == 10 ** -1
    assert english.get("zebra") == 10 ** -5.5
    assert english.get("zebr") == 0.0 and english.get("zzz", -1.0) == -1.0


def test_cache_round_trip_and_broken_cache_files(tmp_path):
    parts = (["a", "b"], wordlist.array("H", [3, 7]).tobytes(), {1: b"ab"}, {2: b"cdef"})
    path = tmp_path / "wordlist" / "english-test.marshal"
    wordlist._save(path, "key-1", parts)
    assert wordlist._load(path, "key-1") == parts
    assert wordlist._load(path, "key-2") is None  # wordfreq's data changed: rebuilt
    path.write_bytes(b"not a marshal file")
    assert wordlist._load(path, "key-1") is None
    assert wordlist._load(tmp_path / "missing.marshal", "key-1") is None


def test_cached_list_is_wordfreq_english(tmp_path, monkeypatch):
    from wordfreq import get_frequency_list

    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(tmp_path))
    wordlist.english.cache_clear()
    try:
        built = wordlist.english()
        assert list((tmp_path / "wordlist").glob("english-*.marshal"))  # written for the next run
        wordlist.english.cache_clear()
        loaded = wordlist.english()  # from the cache file this time
    finally:
        wordlist.english.cache_clear()
    buckets = get_frequency_list("en")
    for index in (0, 150, 400, 700):
        for word in buckets[index][:20]:
            assert built.get(word) == loaded.get(word) == 10 ** (-index / 100)
    assert "gradient" in loaded.common.fitting(["g", "r", "a", "d", "i", "e", "n", "t"])
    assert sorted(loaded.common.words()) == sorted(built.common.words())
    assert sorted(loaded.rare.words()) == sorted(built.rare.words())



def _alphabetic(word: str) -> bool:
    """Lowercase a-z letters, with at most one apostrophe between them."""
    parts = word.split("'")
    return len(parts) <= 2 and all(p.isascii() and p.isalpha() and p.islower() for p in parts)


def test_common_words_are_the_commonest_alphabetic_ones_and_rare_the_rest():
    from wordfreq import get_frequency_list

    wordlist.english.cache_clear()
    try:
        english = wordlist.english()
    finally:
        wordlist.english.cache_clear()
    by_frequency = [w for bucket in get_frequency_list("en") for w in bucket if _alphabetic(w)]
    assert len(by_frequency) > 100_000
    assert sorted(english.common.words()) == sorted(by_frequency[:30_000])
    assert sorted(english.rare.words()) == sorted(by_frequency[30_000:])
