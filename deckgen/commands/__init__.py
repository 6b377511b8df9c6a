"""The commands, one module each; `deckgen/cli.py` only parses and dispatches.

Each module has `register(sub)` adding its subparser(s), with `func` set to the command;
shared helpers live in `common`. Commands import their rooms lazily, inside the command
functions, to keep start-up fast.
"""

# in the order `deckgen --help` lists them
MODULES = ("deckgen.commands.export", "deckgen.commands.check", "deckgen.commands.listing",
           "deckgen.commands.build", "deckgen.commands.quiz", "deckgen.commands.stats",
           "deckgen.commands.grade")
