from pathlib import Path

import pytest
from hypothesis import settings

# The same examples on every run: a property test that passes once passes in CI too (a new
# failing example is found by running with --hypothesis-seed or a random profile by hand).
settings.register_profile("deckgen", derandomize=True, print_blob=True)
settings.load_profile("deckgen")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold"


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed notes not found at {SEEDS} (../shared/seeds is absent)")
    return SEEDS


def seed_file(prefix: str) -> Path:
    """The seed whose name starts with `prefix`, or skip the test with the reason."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed notes not found at {SEEDS} (../shared/seeds is absent)")
    matches = sorted(SEEDS.glob(prefix + "*"))
    if not matches:
        pytest.skip(f"no seed file {prefix}* in {SEEDS}")
    return matches[0]


@pytest.fixture(autouse=True)
def _private_parse_cache(tmp_path_factory, monkeypatch):
    """Tests (and the deckgen processes they start) never touch the user's cache."""
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(tmp_path_factory.mktemp("parse-cache")))
