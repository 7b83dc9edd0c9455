"""Draws the Teams app icons (run once; the PNGs are committed): a traffic light.

``color.png``: 192×192, the light on a full-bleed accent background.
``outline.png``: 32×32, white on transparent (Teams' rule for outline icons).
Plain zlib PNG writing, so no imaging library is needed.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

Pixel = tuple[int, int, int, int]
HERE = Path(__file__).parent


def write_png(path: Path, width: int, height: int, pixels: list[list[Pixel]]) -> None:
    raw = b"".join(b"\x00" + b"".join(bytes(p) for p in row) for row in pixels)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9))
    path.write_bytes(png + chunk(b"IEND", b""))


def _inside_rounded(
    x: float, y: float, x0: float, y0: float, x1: float, y1: float, r: float
) -> bool:
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r and x0 <= x <= x1 and y0 <= y <= y1


def _coverage(test, px: int, py: int, n: int = 4) -> float:  # type: ignore[no-untyped-def]
    hits = sum(test(px + (i + 0.5) / n, py + (j + 0.5) / n) for i in range(n) for j in range(n))
    return hits / (n * n)


def _blend(under: Pixel, over: tuple[int, int, int], a: float) -> Pixel:
    return (
        round(under[0] * (1 - a) + over[0] * a),
        round(under[1] * (1 - a) + over[1] * a),
        round(under[2] * (1 - a) + over[2] * a),
        max(under[3], round(255 * a)),
    )


def color_icon(size: int = 192) -> list[list[Pixel]]:
    bg = (0x1F, 0x6F, 0x5C, 255)
    body = (0x26, 0x2B, 0x33)
    lamps = [(0xE5, 0x39, 0x35), (0xFB, 0x8C, 0x00), (0x43, 0xA0, 0x47)]
    s = size / 192
    x0, x1, y0, y1 = 66 * s, 126 * s, 22 * s, 170 * s
    rows: list[list[Pixel]] = []
    for py in range(size):
        row: list[Pixel] = []
        for px in range(size):
            p: Pixel = bg
            a = _coverage(lambda x, y: _inside_rounded(x, y, x0, y0, x1, y1, 16 * s), px, py)
            if a:
                p = _blend(p, body, a)
            for k, lamp in enumerate(lamps):
                cy = (48 + 48 * k) * s
                a = _coverage(
                    lambda x, y, cy=cy: (x - 96 * s) ** 2 + (y - cy) ** 2 <= (19 * s) ** 2, px, py
                )
                if a:
                    p = _blend(p, lamp, a)
            row.append(p)
        rows.append(row)
    return rows


def outline_icon(size: int = 32) -> list[list[Pixel]]:
    white = (255, 255, 255)

    def shape(x: float, y: float) -> bool:
        outer = _inside_rounded(x, y, 9, 1, 23, 31, 4)
        inner = _inside_rounded(x, y, 11, 3, 21, 29, 3)
        lamp = any((x - 16) ** 2 + (y - cy) ** 2 <= 3.2**2 for cy in (8, 16, 24))
        return (outer and not inner) or lamp

    return [
        [(*white, round(255 * _coverage(shape, px, py))) for px in range(size)]
        for py in range(size)
    ]


if __name__ == "__main__":
    write_png(HERE / "color.png", 192, 192, color_icon())
    write_png(HERE / "outline.png", 32, 32, outline_icon())
