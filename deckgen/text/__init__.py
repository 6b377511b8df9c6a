"""Decoding and repair only: pure functions, bytes/str -> str."""
