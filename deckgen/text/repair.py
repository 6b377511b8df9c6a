"""Mojibake repair (placeholder pass-through until the repair work lands)."""

from __future__ import annotations


def repair(text: str) -> str:
    """Repair mojibake in `text`; returns it unchanged when there is none."""
    return text
