"""Loket: one door for a regional government's public services."""

__version__ = "0.1.0"
