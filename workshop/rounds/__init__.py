"""Every read and change of a round: each takes a database session and commits."""
