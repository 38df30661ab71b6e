"""Open311 GeoReport v2 on top of the complaints module (see README.md)."""
