"""Training templates for FaceCoresetNet v2: generator.py's space, a real quality model, and a mix of template kinds.

generator.py (v1, unchanged: the synthetic evaluation benchmark is drawn from it) assumes the quality
score tracks capture damage to within N(0, 0.05). FaceGallery's quality v1 does not: on real degraded
chips it follows blur, down-scaling and lighting but scores noisy, JPEG-damaged and occluded faces near 1
(calibration-v2.json, calibrate_quality.py). Trained only on v1's assumption the model trusted quality
too much and learned an output space in which a multi-face descriptor and a one-face descriptor (a plain
embedding, by the pass-through rule) of the same person were far apart. This generator adds:

  * real-like captures: (true quality, observed quality) drawn together from the pairs measured on real
    degraded chips of people the evaluation never uses (bald_guys_*), with a little jitter;
  * template kinds drawn independently for the two templates of an identity, so every pairing occurs:
      v1        generator.py's own template (1..30 stills and clips, accurate quality)
      gallery   2..5 lightly damaged real-like stills (an enrollment)
      stills    1..4 real-like stills
      clip      a real-like clip of 3..20 frames (one condition, per-frame jitter), with 0..3 stills
      single    one real-like still (compares as a plain embedding)
      swamped   one good still and a long poor clip whose frames drift towards another identity
"""
from __future__ import annotations

import json
import os
from typing import List, Tuple

import numpy as np

import generator as G

CALIBRATION_V2_FILE = os.path.join(G.HERE, "calibration-v2.json")
# Share of each template kind (the two templates of an identity are drawn independently).
KINDS = (("v1", 0.30), ("gallery", 0.15), ("stills", 0.15), ("clip", 0.15), ("single", 0.13), ("swamped", 0.12))
PAIR_JITTER = 0.03


class RealisticGenerator(G.TemplateGenerator):
    def __init__(self, cal: G.Calibration, seed: int, pairs_path: str = CALIBRATION_V2_FILE) -> None:
        super().__init__(cal, seed)
        with open(pairs_path) as f:
            self.pairs = np.asarray(json.load(f)["pairs_q_true_q_obs"], np.float64)  # [P, 2]
        self.light = self.pairs[self.pairs[:, 0] >= 0.6]
        names = [k for k, _ in KINDS]
        weights = np.asarray([w for _, w in KINDS])
        self.kind_names = names
        self.kind_weights = weights / weights.sum()

    # ---- real-like qualities -----------------------------------------------------------------
    def real_pairs(self, count: int, light: bool = False) -> Tuple[np.ndarray, np.ndarray]:
        pool = self.light if light else self.pairs
        pick = pool[self.rng.integers(0, len(pool), size=count)]
        q_true = np.clip(pick[:, 0] + self.rng.normal(0, PAIR_JITTER, count), 0.05, 1.0)
        q_obs = np.clip(pick[:, 1] + self.rng.normal(0, PAIR_JITTER, count), 0.0, 1.0)
        return q_true, q_obs

    def real_stills(self, centre: np.ndarray, count: int, light: bool = False):
        q_true, q_obs = self.real_pairs(count, light)
        return self.captures(centre, q_true), q_obs

    def real_clip(self, centre: np.ndarray, frames: int):
        q_true, q_obs = self.real_pairs(1)
        f, q = self.clip(centre, frames, float(q_true[0]))
        # The clip's observed quality follows its condition's observed score, frame by frame.
        q_seen = np.clip(q_obs[0] + (q - q_true[0]) + self.rng.normal(0, 0.01, frames), 0.0, 1.0)
        return f, q_seen

    def swamped(self, centre: np.ndarray, other: np.ndarray):
        rng = self.rng
        q_good = float(rng.uniform(0.75, 1.0))
        still = self.captures(centre, np.array([q_good]))
        frames = int(rng.integers(10, 41))
        q_clip = float(rng.uniform(0.1, 0.4))
        clip, q = self.clip(centre, frames, q_clip)
        mix = np.linspace(0.0, float(rng.uniform(0.2, 0.7)), frames)[:, None]
        clip = G._normalise((1 - mix) * clip + mix * other)
        f = np.concatenate([still, clip])
        return f, self.observed_quality(np.concatenate([[q_good], q]))

    # ---- templates -----------------------------------------------------------------------------
    def mixed_template(self, centre: np.ndarray, other: np.ndarray, max_size: int = G.MAX_SET):
        rng = self.rng
        kind = self.kind_names[int(rng.choice(len(self.kind_names), p=self.kind_weights))]
        if kind == "v1":
            return self.template(centre, max_size)
        parts_f: List[np.ndarray] = []
        parts_q: List[np.ndarray] = []
        if kind == "gallery":
            f, q = self.real_stills(centre, int(rng.integers(2, 6)), light=True)
            parts_f.append(f), parts_q.append(q)
        elif kind == "stills":
            f, q = self.real_stills(centre, int(rng.integers(1, 5)))
            parts_f.append(f), parts_q.append(q)
        elif kind == "single":
            f, q = self.real_stills(centre, 1)
            parts_f.append(f), parts_q.append(q)
        elif kind == "clip":
            stills = int(rng.integers(0, 4))
            if stills:
                f, q = self.real_stills(centre, stills)
                parts_f.append(f), parts_q.append(q)
            f, q = self.real_clip(centre, int(rng.integers(3, 21)))
            parts_f.append(f), parts_q.append(q)
        else:
            f, q = self.swamped(centre, other)
            parts_f.append(f), parts_q.append(q)
        f = np.concatenate(parts_f)[:max_size]
        q = np.concatenate(parts_q)[:max_size]
        order = rng.permutation(f.shape[0])
        return f[order].astype(np.float32), q[order].astype(np.float32)

    def pair_batch(self, identities: int, max_size: int = G.MAX_SET):
        centres = self.identities(identities)
        sets = []
        for i in range(identities):
            # Swamped clips drift towards another identity of the same batch: a hard impostor in the loss.
            other = centres[(i + int(self.rng.integers(1, identities))) % identities]
            sets.append(self.mixed_template(centres[i], other, max_size))
            sets.append(self.mixed_template(centres[i], other, max_size))
        labels = np.repeat(np.arange(identities), 2)
        return G.pad(sets) + (labels,)
