"""Fits the synthetic generator's numbers to real dlib descriptors and writes calibration.json.

Input: JSON lines {"file": ".../<person>/<name>[_L<level>].<ext>", "descriptor": [128 floats]} for
clean chips (level 0) and their degraded copies (degrade_chips.py, levels 1..4). Per level it measures
  own   = mean cosine of a face to its person's clean centre (leave-one-out at level 0)
  cross = mean cosine between faces of different people at that level
and picks generator parameters that reproduce both by simulation (common random numbers, grid search):
  level 0: identity spread s_id and capture noise sigma_0, no drift;
  level l: capture noise sigma_l and drift w_l towards the unrecognisable direction, s_id fixed.
Degradation levels stand for qualities 1.0, 0.8, 0.6, 0.4, 0.2 (an assumption: FaceGallery's quality
score is defined elsewhere); q = 0 extends the last step linearly.

usage: calibrate.py OUT.json DESCRIPTORS.jsonl...
"""
from __future__ import annotations

import json
import os
import re
import sys
from collections import defaultdict

import numpy as np

import generator as G

LEVEL_QUALITY = {0: 1.0, 1: 0.8, 2: 0.6, 3: 0.4, 4: 0.2}
SIM_IDENTITIES = 300
SIM_CAPTURES = 4


def load(paths):
    rows = defaultdict(list)  # (person, level) -> [unit vectors]
    for path in paths:
        with open(path) as f:
            for line in f:
                r = json.loads(line)
                person = os.path.basename(os.path.dirname(r["file"]))
                m = re.search(r"_L(\d)\.\w+$", r["file"])
                level = int(m.group(1)) if m else 0
                v = np.asarray(r["descriptor"], np.float64)
                rows[(person, level)].append(v / np.linalg.norm(v))
    return {k: np.stack(v) for k, v in rows.items()}


def measure(rows):
    people = sorted({p for p, _ in rows})
    levels = sorted({l for _, l in rows})
    clean_sum = {p: rows[(p, 0)].sum(0) for p in people}
    stats = {}
    for level in levels:
        own = []
        for p in people:
            for v in rows.get((p, level), []):
                c = clean_sum[p] - (v if level == 0 else 0)  # leave the face itself out of its centre
                own.append(v @ (c / np.linalg.norm(c)))
        cross = []
        for i, a in enumerate(people):
            for b in people[i + 1:]:
                if (a, level) in rows and (b, level) in rows:
                    cross.extend((rows[(a, level)] @ rows[(b, level)].T).ravel())
        stats[level] = {"own": float(np.mean(own)), "cross": float(np.mean(cross)), "faces": len(own)}
    g = np.concatenate([rows[(p, 0)] for p in people]).mean(0)
    return stats, g / np.linalg.norm(g)


class Simulator:
    """Generator captures with fixed random numbers, so the fit is smooth in its parameters."""

    def __init__(self, g: np.ndarray):
        rng = np.random.default_rng(11)
        self.g = g
        cal = _calibration(g, 0.5, [0.0, 1.0], [0.1, 0.1], [0.0, 0.0])
        self.u = G.unrecognisable_direction(cal)
        z = G._orthogonal_noise(rng, g, SIM_IDENTITIES)
        self.z = z / np.linalg.norm(z, axis=1, keepdims=True)
        self.eps = rng.standard_normal((SIM_IDENTITIES, SIM_CAPTURES, g.shape[0])) / np.sqrt(g.shape[0])
        self.eps_clean = rng.standard_normal((SIM_IDENTITIES, 11, g.shape[0])) / np.sqrt(g.shape[0])

    def stats(self, spread, sigma0, sigma, drift):
        c = G._normalise(self.g + spread * self.z)  # [I, D]
        clean = G._normalise(c[:, None] + sigma0 * self.eps_clean)
        centre = G._normalise(clean.mean(1))
        f = G._normalise(c[:, None] + sigma * self.eps + drift * (self.u - c)[:, None])
        own = float(np.einsum("icd,id->ic", f, centre).mean())
        cross = _mean_cross(f)
        return own, cross


def _mean_cross(f):
    """Mean cosine between faces of the first and the second half of the identities (the mean of all
    pairwise dot products is the dot product of the two means)."""
    half = f.shape[0] // 2
    return float(f[:half].reshape(-1, f.shape[-1]).mean(0) @ f[half:].reshape(-1, f.shape[-1]).mean(0))


def _calibration(g, spread, knots, sigmas, drifts):
    return G.Calibration(mean_direction=g, identity_spread=spread, identity_spread_jitter=0.3,
                         quality_knots=knots, sigma_knots=sigmas, drift_knots=drifts,
                         frame_noise=0.08, quality_noise=0.05)


def fit(stats, g):
    sim = Simulator(g)
    best = None
    for spread in np.arange(0.2, 1.21, 0.02):
        for sigma0 in np.arange(0.0, 0.61, 0.02):
            # Level 0 captures come from the same clean pool as the centre: leave-one-out is what
            # `own` measured, so simulate it with the clean noise (one of the 11 clean captures).
            c = G._normalise(g + spread * sim.z)
            clean = G._normalise(c[:, None] + sigma0 * sim.eps_clean)
            loo = G._normalise(clean.sum(1, keepdims=True) - clean)
            own = float(np.einsum("ikd,ikd->ik", clean, loo).mean())
            cross = _mean_cross(clean)
            err = (own - stats[0]["own"]) ** 2 + (cross - stats[0]["cross"]) ** 2
            if best is None or err < best[0]:
                best = (err, spread, sigma0, own, cross)
    _, spread, sigma0, own0, cross0 = best
    fitted = {0: {"sigma": sigma0, "drift": 0.0, "own_fit": own0, "cross_fit": cross0}}
    for level in sorted(stats):
        if level == 0:
            continue
        best = None
        for sigma in np.arange(0.0, 2.01, 0.025):
            for drift in np.arange(0.0, 0.951, 0.025):
                own, cross = sim.stats(spread, sigma0, sigma, drift)
                err = (own - stats[level]["own"]) ** 2 + (cross - stats[level]["cross"]) ** 2
                if best is None or err < best[0]:
                    best = (err, sigma, drift, own, cross)
        fitted[level] = {"sigma": best[1], "drift": best[2], "own_fit": best[3], "cross_fit": best[4]}
    return spread, sigma0, fitted


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    rows = load(argv[2:])
    stats, g = measure(rows)
    spread, sigma0, fitted = fit(stats, g)
    levels = sorted(fitted, key=lambda l: LEVEL_QUALITY[l])
    knots = [LEVEL_QUALITY[l] for l in levels]
    sigmas = [float(fitted[l]["sigma"]) for l in levels]
    drifts = [float(fitted[l]["drift"]) for l in levels]
    if knots[0] > 0.0 and len(knots) >= 2:
        slope_s = (sigmas[1] - sigmas[0]) / (knots[1] - knots[0])
        slope_d = (drifts[1] - drifts[0]) / (knots[1] - knots[0])
        knots.insert(0, 0.0)
        sigmas.insert(0, float(max(sigmas[0], sigmas[0] - slope_s * knots[1])))
        drifts.insert(0, float(min(0.95, max(drifts[0], drifts[0] - slope_d * knots[1]))))
    out = {
        "source": "dlib_face_recognition_resnet_model_v1 descriptors of dlib examples/johns chips "
                  "(5 people x 11) and of degraded copies (degrade_chips.py levels 1-4)",
        "measured": {str(k): v for k, v in stats.items()},
        "fitted": {str(k): v for k, v in fitted.items()},
        "mean_direction": [float(x) for x in g],
        "identity_spread": float(spread),
        "identity_spread_jitter": 0.3,
        "quality_knots": knots,
        "sigma_knots": sigmas,
        "drift_knots": drifts,
        "frame_noise": 0.08,
        "quality_noise": 0.05,
    }
    with open(argv[1], "w") as f:
        json.dump(out, f, indent=1)
    for level in sorted(stats):
        print(f"level {level}: measured own {stats[level]['own']:.4f} cross {stats[level]['cross']:.4f}"
              f" | fitted sigma {fitted[level]['sigma']:.3f} drift {fitted[level]['drift']:.3f}"
              f" -> own {fitted[level]['own_fit']:.4f} cross {fitted[level]['cross_fit']:.4f}")
    print(f"identity spread {spread:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
