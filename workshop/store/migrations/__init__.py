"""Alembic's migration environment; the revisions are in versions/."""
