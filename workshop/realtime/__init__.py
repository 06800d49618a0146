"""Realtime: socket namespaces for participants and facilitators, and the publisher."""
