"""Append-only, hash-chained audit log of who did what to whose data, when and why."""
