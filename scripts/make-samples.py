"""Draws the sample images shipped in public/samples/ (made by this project; public domain, CC0).

Run with any Python 3 (standard library only): python3 scripts/make-samples.py
Each image is 224x224 RGB PNG, chosen to make feature maps easy to read:
  shapes.png   - a disc, a square and a triangle on a soft gradient (edges, corners, blobs)
  stripes.png  - gratings at four orientations in four quadrants (orientation-selective filters)
  checker.png  - a checkerboard whose squares shrink from left to right (scale, receptive fields)
"""
import math
import struct
import zlib
from pathlib import Path

W = H = 224
OUT = Path(__file__).resolve().parent.parent / "public" / "samples"


def write_png(path, pixels):
    raw = b"".join(b"\x00" + bytes(v for px in row for v in px) for row in pixels)
    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    path.write_bytes(png)


def shapes():
    rows = []
    for y in range(H):
        row = []
        for x in range(W):
            r, g, b = 40 + x // 3, 60 + y // 4, 140
            if (x - 70) ** 2 + (y - 75) ** 2 < 42 ** 2:
                r, g, b = 235, 180, 40
            if 125 <= x <= 195 and 30 <= y <= 100:
                r, g, b = 220, 60, 70
            # triangle with apex (112, 120), base y=205 from x=50 to x=174
            if 120 <= y <= 205 and abs(x - 112) <= (y - 120) * 62 / 85:
                r, g, b = 60, 200, 120
            row.append((min(r, 255), min(g, 255), b))
        rows.append(row)
    return rows


def stripes():
    rows = []
    for y in range(H):
        row = []
        for x in range(W):
            q = (x >= W // 2) + 2 * (y >= H // 2)
            angle = [0, math.pi / 4, math.pi / 2, 3 * math.pi / 4][q]
            t = x * math.cos(angle) + y * math.sin(angle)
            v = int(127.5 + 127.5 * math.sin(t * 2 * math.pi / 16))
            row.append((v, v, v))
        rows.append(row)
    return rows


def checker():
    rows = []
    for y in range(H):
        row = []
        for x in range(W):
            size = 28 if x < 75 else 14 if x < 150 else 7
            v = 230 if ((x // size) + (y // size)) % 2 == 0 else 25
            row.append((v, v, v if x < 150 else 255 - v // 2))
        rows.append(row)
    return rows


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for name, fn in [("shapes", shapes), ("stripes", stripes), ("checker", checker)]:
        write_png(OUT / f"{name}.png", fn())
        print("wrote", OUT / f"{name}.png")
