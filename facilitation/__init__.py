"""Facilitation: the rules of a live round, in plain Python (no web, no database)."""
