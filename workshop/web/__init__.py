"""Plumbing every page shares: the request, addresses, languages, limits, errors and wording."""
