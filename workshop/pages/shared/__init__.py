"""Helpers more than one audience's pages use: finding a round, network steps' views, measures."""
