"""The console commands: serve, accounts, the demo, exports, the database and questionnaires."""
