"""Nouns and rules of Strongroom: pure Python, no I/O, no clock reads, no third-party imports."""
