"""deckgen: turn messy ML-interview study notes into flashcards."""

__version__ = "0.1.0"
