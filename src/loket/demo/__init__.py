"""Demo data: a Lampung installation in its first month."""
