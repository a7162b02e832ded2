"""Writes degraded copies of aligned 150x150 face chips, for calibrating the synthetic generator.

Each chip gets one copy per degradation level 1..4 (level 0 is the chip itself): downscaling and
upscaling back (lost detail), a small rotation and shift (imperfect alignment), contrast loss and
pixel noise, all growing with the level. The descriptors of these copies (computed with dlib's own
network, see build.sh) tell how fast embeddings leave their identity as images get worse.

usage: degrade_chips.py OUT_DIR CHIP...
"""
from __future__ import annotations

import os
import sys

import numpy as np
from PIL import Image

SEED = 20240301
# level: (side in pixels before upscaling back, rotation degrees, shift px, contrast kept, noise sigma)
LEVELS = {
    1: (64, 3.0, 2.0, 0.90, 4.0),
    2: (40, 6.0, 4.0, 0.75, 8.0),
    3: (26, 10.0, 6.0, 0.60, 12.0),
    4: (16, 15.0, 9.0, 0.45, 18.0),
}


def degrade(img: Image.Image, level: int, rng: np.random.Generator) -> Image.Image:
    side, rot, shift, contrast, noise = LEVELS[level]
    angle = rng.uniform(-rot, rot)
    dx, dy = rng.uniform(-shift, shift, size=2)
    out = img.rotate(angle, resample=Image.BILINEAR, translate=(dx, dy), fillcolor=(128, 128, 128))
    out = out.resize((side, side), Image.BILINEAR).resize(img.size, Image.BILINEAR)
    a = np.asarray(out).astype(np.float32)
    a = (a - a.mean()) * contrast + a.mean() + rng.normal(0.0, noise, size=a.shape)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    out_dir, chips = argv[1], argv[2:]
    rng = np.random.default_rng(SEED)
    for chip in sorted(chips):
        person = os.path.basename(os.path.dirname(chip))
        stem = os.path.splitext(os.path.basename(chip))[0]
        img = Image.open(chip).convert("RGB")
        os.makedirs(os.path.join(out_dir, person), exist_ok=True)
        for level in LEVELS:
            degrade(img, level, rng).save(os.path.join(out_dir, person, f"{stem}_L{level}.png"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
