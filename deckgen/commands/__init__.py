"""Subcommands whose faces live outside cli.py, one module each.

Each module has `register(sub, add_sources, add_filters)` adding its subparser(s);
they import their rooms lazily, inside the command functions, to keep start-up fast.
"""

MODULES = ("deckgen.commands.build", "deckgen.commands.quiz", "deckgen.commands.grade")
