"""Rounds after the event: reports, comparisons and the files other tools read."""
