"""Facilitator pages: projects, experiments, rounds, and the live console."""
