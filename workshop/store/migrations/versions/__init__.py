"""The schema's revisions, oldest first: 0001_baseline is the schema from before Alembic."""
