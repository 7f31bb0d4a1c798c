"""Concord's two Teams app icons, drawn in code as PNG files (no image library needed).

Teams wants a 192×192 full-colour icon and a 32×32 outline icon that is white on a
transparent background. Both show the same mark: a ring — the shared purpose — with
three partners on it. Edges are anti-aliased from a signed distance, so the bytes
are the same on every run.
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Callable

COLOR_SIZE = 192
OUTLINE_SIZE = 32
WHITE = (255, 255, 255)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# A distance field: negative inside the mark, positive outside, in pixels.
Shape = Callable[[float, float], float]


def color_icon(accent: str) -> bytes:
    """The 192×192 colour icon: the white mark on an opaque `accent` (#RRGGBB) square."""
    background = _rgb(accent)
    shape = _mark(COLOR_SIZE, ring=42.0, stroke=9.0, dot=15.0)

    def pixel(x: float, y: float) -> tuple[int, int, int, int]:
        cover = _coverage(shape(x, y))
        red, green, blue = (round(c + (255 - c) * cover) for c in background)
        return red, green, blue, 255

    return png(COLOR_SIZE, COLOR_SIZE, pixel)


def outline_icon() -> bytes:
    """The 32×32 outline icon: every pixel white, opaque on the mark, transparent elsewhere."""
    shape = _mark(OUTLINE_SIZE, ring=10.0, stroke=2.0, dot=3.5)

    def pixel(x: float, y: float) -> tuple[int, int, int, int]:
        return *WHITE, round(255 * _coverage(shape(x, y)))

    return png(OUTLINE_SIZE, OUTLINE_SIZE, pixel)


def png(
    width: int, height: int, pixel: Callable[[float, float], tuple[int, int, int, int]]
) -> bytes:
    """An 8-bit RGBA PNG; `pixel` is asked for the colour at each pixel's centre."""
    rows = bytearray()
    for row in range(height):
        rows.append(0)  # filter type 0: the row as it is
        for column in range(width):
            rows.extend(pixel(column + 0.5, row + 0.5))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _chunk(b"IEND", b"")
    )


def _mark(size: int, ring: float, stroke: float, dot: float) -> Shape:
    """A ring of radius `ring` and width `stroke`, with three dots of radius `dot` on it."""
    centre = size / 2
    # Partners at the top, lower right and lower left (angles from the positive x axis).
    dots = [
        (centre + ring * math.cos(angle), centre - ring * math.sin(angle))
        for angle in (math.pi / 2, math.pi / 2 + 2 * math.pi / 3, math.pi / 2 + 4 * math.pi / 3)
    ]

    def distance(x: float, y: float) -> float:
        around = abs(math.hypot(x - centre, y - centre) - ring) - stroke / 2
        nearest = min(math.hypot(x - dx, y - dy) for dx, dy in dots) - dot
        return min(around, nearest)

    return distance


def _coverage(distance: float) -> float:
    """How much of a pixel the mark covers, from the distance of its centre to the edge."""
    return min(1.0, max(0.0, 0.5 - distance))


def _rgb(colour: str) -> tuple[int, int, int]:
    if len(colour) != 7 or colour[0] != "#":
        raise ValueError(f"a colour is #RRGGBB, not {colour!r}")
    value = int(colour[1:], 16)
    return value >> 16, (value >> 8) & 0xFF, value & 0xFF


def _chunk(kind: bytes, data: bytes) -> bytes:
    checksum = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)
