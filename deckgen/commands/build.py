"""`deckgen build`: the Anki package and the printable PDFs."""

from __future__ import annotations

import sys
from pathlib import Path

from deckgen.commands.common import (UserError, add_filters, add_sources, load_deck, make_console,
                                     no_match_message, sources, writable_output)
from deckgen.text.terminal import plural, strip_controls, terminal_text


def escape(text: str) -> str:
    """Names and questions from the notes are printed as text, never as rich markup."""
    from rich.markup import escape as rich_escape

    return rich_escape(strip_controls(text))


def register(sub) -> None:
    p = sub.add_parser(
        "build", help="write the Anki package and printable PDFs",
        description="Write build/<name>.apkg (updates in place when re-imported into Anki), "
                    "build/<name>-cheatsheet.pdf and build/<name>-cards.pdf.")
    add_sources(p)
    add_filters(p)
    p.add_argument("-o", "--out-dir", default="build", metavar="DIR", help="output folder (default build/)")
    p.add_argument("--name", default="ML Interview", type=_deck_name,
                   help='deck name (default "ML Interview"); "A::B" makes it a subdeck of A')
    p.add_argument("--only", action="append", choices=("apkg", "cheatsheet", "cards"), default=[],
                   help="write only these outputs (repeatable; default: all three)")
    p.add_argument("--include-unanswered", action="store_true",
                   help="also include unanswered questions (Anki: as cards; cheat sheet: an appendix)")
    _add_anki_options(p)
    _add_pdf_options(p)
    p.set_defaults(func=cmd_build)


def _deck_name(text: str) -> str:
    import argparse

    name = " ".join(text.split())
    if not name.strip(" .:"):
        raise argparse.ArgumentTypeError(f"a deck name needs letters or digits, not {text!r}")
    return name


def _grid(text: str) -> tuple[int, int]:
    """argparse type, so a bad --grid stops the build before anything is written."""
    import argparse

    from deckgen.writers.pdf_layout import parse_grid

    try:
        return parse_grid(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def cmd_build(args) -> int:
    outputs = args.only or ["apkg", "cheatsheet", "cards"]
    writable_output(args.out_dir, folder=True)  # before the (possibly long) read
    for path in _output_paths(args, outputs):
        writable_output(path)
    full = load_deck(args)
    deck = full.filter(args.tag, args.exclude_tag)
    # nothing to write must not replace last build's outputs with empty ones
    if not deck.cards:
        raise UserError(no_match_message(full, args))
    if not args.include_unanswered and not any(c.answered for c in deck.cards):
        which = "the one card has no" if len(deck.cards) == 1 else f"none of the {len(deck.cards)} cards has an"
        raise UserError(f"{which} answer; nothing written "
                        "(--include-unanswered builds them anyway)")
    console = make_console()
    written: list[Path] = []
    # Each writer adds its own call here.
    if "apkg" in outputs:  # Anki: see _build_apkg below
        written.extend(_build_apkg(args, full, deck, console))
    if "cheatsheet" in outputs or "cards" in outputs:  # PDFs: see _build_pdfs below
        written.extend(_build_pdfs(args, deck, outputs, console))
    for path in written:
        console.print(f"wrote {escape(str(path))}{_size(path)}")
    if not written:
        print("deckgen: nothing written", file=sys.stderr)
    return 0


def _size(path: Path) -> str:
    """" (12 KiB)" for a file; nothing for a FIFO or device written through (its size says nothing)."""
    import stat

    info = path.stat()
    return f" ({info.st_size / 1024:.0f} KiB)" if stat.S_ISREG(info.st_mode) else ""


def _output_paths(args, outputs) -> list[Path]:
    from deckgen.writers.file_names import package_file_name
    from deckgen.writers.pdf import pdf_paths

    base = Path(args.out_dir) / package_file_name(args.name)
    cheatsheet, cards = pdf_paths(args.out_dir, args.name)
    paths = {"apkg": [base.with_name(base.name + ".apkg"), _id_map_path(args)],
             "cheatsheet": [cheatsheet], "cards": [cards]}
    return [path for output in outputs for path in paths[output]]


# --- Anki package -----------------------------------------------------------------------

def _add_anki_options(p) -> None:
    g = p.add_argument_group("Anki package")
    g.add_argument("--type-in", action="store_true",
                   help="add a type-in-the-answer card for short answers (at most 60 characters, 5 words)")
    g.add_argument("--export-retired", action="store_true",
                   help="put notes that disappeared from your sources into the package, tagged "
                        "deckgen::retired, so you can find and delete them in Anki")
    g.add_argument("--flat", action="store_true",
                   help="one deck for everything instead of <name>::<file>::<section> subdecks")
    g.add_argument("--remote-images", action="store_true",
                   help="show web images (![](https://...)) on the cards; they load on every review "
                        "(default: a link to the image)")
    g.add_argument("--id-map", metavar="FILE",
                   help="the id map that keeps notes and review history across edits (default: "
                        "<name>.deckgen-ids.json in the folder of the first source; commit it with your notes)")


def _id_map_path(args) -> Path:
    """The id map lives with the notes (see anki_ids.id_map_path)."""
    from deckgen.writers.anki_ids import id_map_path

    return Path(args.id_map) if args.id_map else id_map_path(sources(args), args.name, args.out_dir)


def _build_apkg(args, full, deck, console) -> list[Path]:
    """Write the .apkg, then print what it holds and what changed since the last build."""
    from deckgen.writers.anki import has_answer

    # an "answer" that is only a rule or an empty heading counts as unanswered
    cards = deck.cards if args.include_unanswered else [c for c in deck.cards if has_answer(c)]
    if not cards:  # an empty package would only retire every note of the last build
        console.print("Anki: no cards to write; the previous package (if any) is left as it was")
        return []
    report = _write_package(args, full, cards)
    console.print(_deck_table(args.name, report.decks))
    _print_counts(console, args, full, deck, cards, report)
    _print_changes(console, args, report)
    for warning in report.warnings:
        print(f"deckgen: warning: {warning}", file=sys.stderr)
    return [report.path]


def _write_package(args, full, cards):
    """write_apkg with a progress bar on a terminal for big decks."""
    from rich.progress import Progress

    from deckgen.writers.anki import write_apkg

    # ids still in the notes but filtered out here are not "retired"
    kept = [c.id for c in full.cards]
    options = dict(type_in=args.type_in, export_retired=args.export_retired, flat=args.flat, keep_ids=kept,
                   ids_path=_id_map_path(args), remote_images=args.remote_images)
    if not (sys.stderr.isatty() and len(cards) > 500):
        return write_apkg(cards, args.out_dir, args.name, **options)
    with Progress(transient=True, console=make_console(stderr=True)) as progress:
        task = progress.add_task("writing Anki notes", total=len(cards))
        return write_apkg(cards, args.out_dir, args.name,
                          progress=lambda done, total: progress.update(task, completed=done), **options)


def _deck_table(name: str, decks: dict[str, int]):
    """Cards per deck; with many subdecks, one row per file (collection) is easier to read."""
    from rich.table import Table

    shown = decks
    if len(decks) > 25:
        shown = {}
        for deck_name, count in decks.items():
            key = "::".join(deck_name.split("::")[:name.count("::") + 2])
            shown[key] = shown.get(key, 0) + count
    table = Table(title=f"Anki: {escape(name)} ({plural(len(decks), 'deck')})", show_edge=False)
    table.add_column("deck" if shown is decks else "deck (subdecks summed)", overflow="fold")
    table.add_column("cards", justify="right")
    for deck_name, count in sorted(shown.items()):
        table.add_row(escape(deck_name), str(count))
    return table


def _print_counts(console, args, full, deck, cards, report) -> None:
    skipped = len(deck.cards) - len(cards)
    folded = sum(f.folded for f in full.files)
    console.print(f"{plural(report.notes, 'note')}, {plural(report.cards, 'card')} in {plural(len(report.decks), 'deck')}"
                  + (f" ({report.type_in} type-in)" if report.type_in else "")
                  + f"; {skipped} unanswered skipped" * (not args.include_unanswered)
                  + f"; {report.unanswered} unanswered included" * bool(args.include_unanswered)
                  + f"; {len(full.cards) - len(deck.cards)} filtered out" * bool(args.tag or args.exclude_tag)
                  + f"; {plural(folded, 'duplicate')} folded")


def _print_changes(console, args, report) -> None:
    """New / updated / unchanged / retired since the last build, and what to do about retired notes."""
    console.print(f"since the last build: [green]{report.new} new[/], [yellow]{report.updated} updated[/]"
                  + (f" ({plural(report.kept_through_edit, 'edited question')} kept their note)"
                     if report.kept_through_edit else "")
                  + f", {report.unchanged} unchanged, [red]{len(report.retired)} retired[/]")
    console.print(f"ids {escape(report.ids_from)}; saved in {escape(str(report.ids_path))} "
                  "(commit it with your notes)", soft_wrap=True)
    for entry in report.retired[:20]:
        console.print(f"  retired: {escape(terminal_text(entry.question))}  [dim]({escape(entry.source)})[/]",
                      soft_wrap=True)
    if len(report.retired) > 20:
        console.print(f"  ... and {len(report.retired) - 20} more (all listed in {report.ids_path})")
    if report.retired and not args.export_retired:
        console.print("  [dim]Anki keeps retired notes; rebuild with --export-retired to tag them "
                      "deckgen::retired[/]")
    elif report.retired_exported:
        console.print(f"  {plural(report.retired_exported, 'retired note')} exported with the tag deckgen::retired")


# --- printable PDFs -----------------------------------------------------------------------

def _add_pdf_options(p) -> None:
    g = p.add_argument_group("printable PDFs")
    g.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size (default a4)")
    g.add_argument("--landscape", action="store_true", help="cheat sheet in landscape, 3 columns")
    g.add_argument("--grid", default=(2, 4), type=_grid, metavar="COLSxROWS",
                   help="flashcards per page, columns x rows (default 2x4)")
    g.add_argument("--short-edge", action="store_true",
                   help="flashcards for duplex flipped on the short edge (default: long edge)")


def _build_pdfs(args, deck, outputs, console) -> list[Path]:
    from deckgen.writers.pdf import PdfOptions, pdf_paths, write_pdfs

    options = PdfOptions(title=args.name, paper=args.paper, landscape=args.landscape,
                         include_unanswered=args.include_unanswered, grid=args.grid, short_edge=args.short_edge,
                         cache=not getattr(args, "no_cache", False))
    cheatsheet_path, cards_path = pdf_paths(args.out_dir, args.name)
    written: list[Path] = []
    # PDF layout has no per-card hook; a spinner shows it is working (seconds per 100 cards)
    shown = len(deck.cards) if args.include_unanswered else sum(c.answered for c in deck.cards)
    wanted = [(output, what, path) for output, what, path in (("cheatsheet", "cheat sheet", cheatsheet_path),
                                                              ("cards", "flashcards", cards_path))
              if output in outputs]
    jobs = [(output, path) for output, _what, path in wanted]
    if sys.stderr.isatty():
        with make_console(stderr=True).status(f"writing the {' and the '.join(w for _o, w, _p in wanted)} ({plural(shown, 'card')})"):
            pdfs = write_pdfs(deck.cards, jobs, options)
    else:
        pdfs = write_pdfs(deck.cards, jobs, options)
    results = [(what, pdf) for (_output, what, _path), pdf in zip(wanted, pdfs)]
    for what, result in results:
        console.print(f"{what}: {plural(result.cards, 'card')} on {plural(result.pages, 'page')}")
        written.append(result.path)
    if any(r.degraded_fonts for _, r in results):
        print("deckgen: warning: no DejaVu fonts found (install fonts-dejavu-core or matplotlib); "
              "the PDFs use a Latin-only fallback and spell out other symbols", file=sys.stderr)
    return written
