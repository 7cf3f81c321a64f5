"""Ankommen: reception and integration platform for a German county."""
