"""Realtime: the only code that emits, with event and room names, and the shared queue."""
