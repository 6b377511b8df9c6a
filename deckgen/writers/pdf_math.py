"""LaTeX math -> readable Unicode text for print: the conversion every plain-text view
shares lives in deckgen/text/latex_text.py."""

from deckgen.text.latex_text import SUB, SUPER, latex_to_text  # noqa: F401  (re-exported for the PDF writer)
