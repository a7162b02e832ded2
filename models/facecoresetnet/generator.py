"""Synthetic face templates in dlib's 128-D descriptor space, for training and evaluating FaceCoresetNet.

There is no labelled face set on this machine big enough to train a set model, so templates are drawn
from a generative model whose few numbers are calibrated on real dlib descriptors (calibrate.py writes
calibration.json; MODEL_CARD.md lists the assumptions):

  identity centre   c = normalise(g + s_id * z),  z ~ N(0, I/D) orthogonal to g
                    g = the mean direction of real dlib descriptors (they all sit in one cone)
  one capture       f = normalise(c + o + w(q) * (u - c)),  o ~ sigma(q) * N(0, I/D)
                    u = a fixed "unrecognisable face" direction near g: bad images of different people
                    drift towards one another, which is what makes low quality faces misleading
  video clip        one capture condition o (and quality) shared by all frames, plus small per-frame
                    noise: many near-duplicates that outvote a few good stills in a plain mean
  reported quality  the true quality plus estimator noise, clipped to [0, 1]

sigma(q) and w(q) are piecewise linear in q through points fitted to real descriptors of clean and
degraded chips. Templates hold 1..30 faces: still images, clips, or both.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import List, Optional, Tuple

import numpy as np

DIM = 128
MAX_SET = 30
HERE = os.path.dirname(os.path.abspath(__file__))
CALIBRATION_FILE = os.path.join(HERE, "calibration.json")


@dataclass
class Calibration:
    mean_direction: np.ndarray  # g, unit [D]
    identity_spread: float  # s_id
    identity_spread_jitter: float  # s_id varies per identity by this fraction
    quality_knots: List[float]  # q values, ascending
    sigma_knots: List[float]  # capture noise at each knot
    drift_knots: List[float]  # drift towards u at each knot
    frame_noise: float  # per-frame noise inside a clip
    quality_noise: float  # std of the quality estimator's error

    @staticmethod
    def load(path: str = CALIBRATION_FILE) -> "Calibration":
        with open(path) as f:
            raw = json.load(f)
        g = np.asarray(raw["mean_direction"], dtype=np.float64)
        return Calibration(
            mean_direction=g / np.linalg.norm(g),
            identity_spread=raw["identity_spread"],
            identity_spread_jitter=raw["identity_spread_jitter"],
            quality_knots=raw["quality_knots"],
            sigma_knots=raw["sigma_knots"],
            drift_knots=raw["drift_knots"],
            frame_noise=raw["frame_noise"],
            quality_noise=raw["quality_noise"],
        )

    def sigma(self, q: np.ndarray) -> np.ndarray:
        return np.interp(q, self.quality_knots, self.sigma_knots)

    def drift(self, q: np.ndarray) -> np.ndarray:
        return np.interp(q, self.quality_knots, self.drift_knots)


def _normalise(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)


def _orthogonal_noise(rng: np.random.Generator, g: np.ndarray, count: int) -> np.ndarray:
    z = rng.standard_normal((count, g.shape[0])) / np.sqrt(g.shape[0])
    return z - np.outer(z @ g, g)


def unrecognisable_direction(cal: Calibration) -> np.ndarray:
    """u: fixed per calibration (seeded by the dimension only), so training and evaluation share it."""
    rng = np.random.default_rng(7)
    g = cal.mean_direction
    return _normalise(g + 0.25 * _orthogonal_noise(rng, g, 1)[0])


class TemplateGenerator:
    def __init__(self, cal: Calibration, seed: int) -> None:
        self.cal = cal
        self.rng = np.random.default_rng(seed)
        self.u = unrecognisable_direction(cal)

    # ---- identities ------------------------------------------------------------------------------
    def identities(self, count: int) -> np.ndarray:
        cal, rng = self.cal, self.rng
        spread = cal.identity_spread * (1.0 + cal.identity_spread_jitter * rng.uniform(-1, 1, size=(count, 1)))
        z = _orthogonal_noise(rng, cal.mean_direction, count)
        z = z / np.linalg.norm(z, axis=1, keepdims=True)  # |z| = 1 so s_id alone sets the angle to g
        return _normalise(cal.mean_direction + spread * z)

    # ---- captures --------------------------------------------------------------------------------
    def captures(self, centre: np.ndarray, q: np.ndarray) -> np.ndarray:
        """Independent captures (still images) of one identity at true qualities q [n] -> [n, D]."""
        n = q.shape[0]
        o = self.cal.sigma(q)[:, None] * self.rng.standard_normal((n, DIM)) / np.sqrt(DIM)
        w = self.cal.drift(q)[:, None]
        return _normalise(centre + o + w * (self.u - centre))

    def clip(self, centre: np.ndarray, frames: int, q_clip: float) -> Tuple[np.ndarray, np.ndarray]:
        """One video clip: a shared capture condition, near-duplicate frames, similar qualities."""
        rng = self.rng
        q = np.clip(q_clip + rng.normal(0.0, 0.04, size=frames), 0.0, 1.0)
        base = self.captures(centre, np.array([q_clip]))[0]
        jitter = self.cal.frame_noise * rng.standard_normal((frames, DIM)) / np.sqrt(DIM)
        # Frames a little worse than the clip's average look a little more like u, and vice versa.
        w = (self.cal.drift(q) - self.cal.drift(np.array([q_clip])))[:, None]
        return _normalise(base + jitter + w * (self.u - base)), q

    def observed_quality(self, q_true: np.ndarray) -> np.ndarray:
        return np.clip(q_true + self.rng.normal(0.0, self.cal.quality_noise, size=q_true.shape), 0.0, 1.0)

    # ---- templates -------------------------------------------------------------------------------
    def template(self, centre: np.ndarray, max_size: int = MAX_SET) -> Tuple[np.ndarray, np.ndarray]:
        """A template of 1..max_size faces: (unit embeddings [n, D] float32, observed qualities [n] float32)."""
        rng = self.rng
        kind = rng.random()
        parts_f: List[np.ndarray] = []
        parts_q: List[np.ndarray] = []
        if kind < 0.15:
            stills, clips = 1, 0  # one image: the commonest enrollment
        elif kind < 0.45:
            stills, clips = int(rng.integers(2, 9)), 0
        elif kind < 0.65:
            stills, clips = 0, int(rng.integers(1, 3))
        else:
            stills, clips = int(rng.integers(1, 7)), int(rng.integers(1, 3))
        if stills:
            q = rng.beta(5.0, 2.0, size=stills)
            parts_f.append(self.captures(centre, q))
            parts_q.append(q)
        for _ in range(clips):
            f, q = self.clip(centre, int(rng.integers(3, 21)), float(rng.beta(2.0, 3.0)))
            parts_f.append(f)
            parts_q.append(q)
        f = np.concatenate(parts_f)[:max_size]
        q = np.concatenate(parts_q)[:max_size]
        order = rng.permutation(f.shape[0])
        return f[order].astype(np.float32), self.observed_quality(q[order]).astype(np.float32)

    def pair_batch(self, identities: int, max_size: int = MAX_SET):
        """Two independent templates for each of `identities` fresh identities, padded:
        embeddings [2B, N, D], qualities [2B, N], valid [2B, N], labels [2B]."""
        centres = self.identities(identities)
        sets = []
        for i in range(identities):
            sets.append(self.template(centres[i], max_size))
            sets.append(self.template(centres[i], max_size))
        labels = np.repeat(np.arange(identities), 2)
        return pad(sets) + (labels,)


def pad(sets: List[Tuple[np.ndarray, np.ndarray]], size: Optional[int] = None):
    n = size or max(f.shape[0] for f, _ in sets)
    e = np.zeros((len(sets), n, DIM), np.float32)
    q = np.zeros((len(sets), n), np.float32)
    v = np.zeros((len(sets), n), bool)
    for i, (f, qq) in enumerate(sets):
        e[i, :f.shape[0]] = f
        q[i, :f.shape[0]] = qq
        v[i, :f.shape[0]] = True
    return e, q, v
