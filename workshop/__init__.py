"""Roundtable's web layer: pages, sockets and storage around the plain-Python domain.

Kept empty on purpose: `roundtable serve` must patch the standard library for gevent
before Flask is imported, so the app factory lives in `workshop.app`.
"""
