"""Storage: the SQLModel tables and the only code that opens a database session."""
