#!/usr/bin/python3
"""Writes cmyk.jpg: a 64x64 CMYK JPEG (Adobe APP14, as Photoshop and PIL write them) whose four
quadrants are pure cyan, magenta, yellow and 50 % black. Needs python3-pil (Debian)."""
from pathlib import Path
from PIL import Image

img = Image.new("CMYK", (64, 64))
quadrants = [((0, 0), (255, 0, 0, 0)), ((32, 0), (0, 255, 0, 0)),
             ((0, 32), (0, 0, 255, 0)), ((32, 32), (0, 0, 0, 128))]
for (x0, y0), color in quadrants:
    for y in range(y0, y0 + 32):
        for x in range(x0, x0 + 32):
            img.putpixel((x, y), color)
img.save(Path(__file__).with_name("cmyk.jpg"), quality=95)
