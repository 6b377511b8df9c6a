import re

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
