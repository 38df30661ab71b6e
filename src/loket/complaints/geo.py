"""Coordinates: Indonesia's bounds, distances and bounding boxes (no GIS extension needed).

Distances use the haversine formula on a sphere of the Earth's mean radius; for the few
hundred metres this module cares about the error is far below a phone's GPS error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_M = 6_371_008.8
# A box around Indonesia's territory with a small margin at sea: Sabang/We island (≈95.0 E,
# 6.1 N) to Merauke (≈141.0 E) and Rote/Ndana (≈11.0 S).
INDONESIA_SOUTH, INDONESIA_NORTH = -11.2, 6.3
INDONESIA_WEST, INDONESIA_EAST = 94.7, 141.1


def inside_indonesia(latitude: float, longitude: float) -> bool:
    return (
        INDONESIA_SOUTH <= latitude <= INDONESIA_NORTH
        and INDONESIA_WEST <= longitude <= INDONESIA_EAST
    )


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class BoundingBox:
    south: float
    west: float
    north: float
    east: float


def box_around(latitude: float, longitude: float, radius_m: float) -> BoundingBox:
    """The smallest latitude/longitude box that contains the circle of ``radius_m``: the index
    narrows to the box, haversine then keeps the circle."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    cos_lat = max(math.cos(math.radians(latitude)), 1e-6)
    dlng = math.degrees(radius_m / (EARTH_RADIUS_M * cos_lat))
    return BoundingBox(latitude - dlat, longitude - dlng, latitude + dlat, longitude + dlng)
