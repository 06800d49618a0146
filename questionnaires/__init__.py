"""Questionnaires: the schema of a workshop file, its loader and the built-in library."""
