"""Participant pages: join by code or link, agree, wait, and answer one step at a time."""
