"""Fits how FaceGallery's quality score relates to real capture damage, for generator_v2.py.

Input: `quality-data.jsonl` written by `facegallery eval build-real` (every chip of tests/data/dlib clean and
degraded 28 ways by FaceGallery's own ChipDegrader, with its dlib embedding, its quality v1 score and
`target` = cosine of the degraded embedding to the clean one). Only the `bald_guys_*` chips are used: they
are the chips the evaluation benchmarks leave out (the 5 Johns and the other photo chips are evaluation
identities and are never read here).

What it measures and writes (calibration-v2.json):
  * pairs (q_true, q_obs) for every bald_guys capture: q_obs is the quality v1 score; q_true is the
    generator quality (generator.py's calibration) whose capture keeps, on average, the same share of its
    identity as the real capture kept of its clean chip (`target`), found by inverting the generator's
    curve R(q) = E cos(capture(q), centre) / E cos(capture(1), centre) by simulation. The pairs are what
    generator_v2 draws "real-like" captures from: quality v1 misses noise, JPEG and occlusion (scores ~1
    on visibly damaged chips) and follows blur, down-scaling and lighting.
  * the bald_guys people's clean-chip statistics (4 people x 6 chips, grouped by cosine > 0.92), reported
    as a check of the identity spread; the spread itself stays the one in calibration.json.

usage: calibrate_quality.py OUT.json QUALITY_DATA.jsonl
"""
from __future__ import annotations

import json
import sys

import numpy as np

import generator as G

PREFIX = "bald_guys_"
SAME_PERSON = 0.92


def unit(v) -> np.ndarray:
    v = np.asarray(v, np.float64)
    return v / np.linalg.norm(v)


def retention_curve(cal: G.Calibration, grid: np.ndarray, identities: int = 400, captures: int = 8):
    """R(q) for the generator: mean cosine of a capture at q to its identity centre, relative to q = 1."""
    gen = G.TemplateGenerator(cal, 3)
    centres = gen.identities(identities)
    own = []
    for q in grid:
        cos = [gen.captures(c, np.full(captures, q)) @ c for c in centres]
        own.append(float(np.mean(cos)))
    own = np.asarray(own)
    return own / own[-1]


def group_people(clean: dict) -> dict:
    names = sorted(clean)
    parent = {n: n for n in names}

    def root(n):
        while parent[n] != n:
            n = parent[n]
        return n

    for a in names:
        for b in names:
            if a < b and clean[a] @ clean[b] > SAME_PERSON:
                parent[root(a)] = root(b)
    return {n: root(n) for n in names}


def main(argv) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in open(argv[2])]
    rows = [r for r in rows if r["group"].startswith(PREFIX)]
    cal = G.Calibration.load()
    grid = np.linspace(0.0, 1.0, 101)
    ratio = retention_curve(cal, grid)  # increasing in q
    order = np.argsort(ratio)

    pairs = []
    kinds = {}
    for r in rows:
        target = float(r["target"])
        q_true = float(np.interp(target, ratio[order], grid[order])) if r["degradation"] else 1.0
        pairs.append([round(q_true, 4), round(float(r["v1"]), 4)])
        kind = r["degradation"].split(":")[0] if r["degradation"] and "+" not in r["degradation"] else (
            "combined" if r["degradation"] else "clean")
        kinds.setdefault(kind, []).append((q_true, float(r["v1"]), target))

    clean = {r["group"]: unit(r["embedding"]) for r in rows if not r["degradation"]}
    person = group_people(clean)
    names = sorted(clean)
    same, diff = [], []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            (same if person[a] == person[b] else diff).append(float(clean[a] @ clean[b]))

    out = {
        "source": "quality-data.jsonl of `facegallery eval build-real` (seed 5), bald_guys_* chips only: "
                  "FaceGallery's dlib embedder and quality v1 on clean and ChipDegrader-degraded chips",
        "pairs_q_true_q_obs": pairs,
        "by_kind": {k: {"captures": len(v), "q_true": float(np.mean([x[0] for x in v])),
                        "q_obs": float(np.mean([x[1] for x in v])), "target": float(np.mean([x[2] for x in v]))}
                    for k, v in sorted(kinds.items())},
        "retention_curve": {"q": [float(x) for x in grid[::10]], "R": [float(x) for x in ratio[::10]]},
        "bald_guys_people": {"people": len(set(person.values())), "chips": len(names),
                             "same_person_cos": float(np.mean(same)), "different_people_cos": float(np.mean(diff))},
    }
    with open(argv[1], "w") as f:
        json.dump(out, f, indent=1)
    for k, v in out["by_kind"].items():
        print(f"{k:10s} {v['captures']:4d} captures: target {v['target']:.3f} -> q_true {v['q_true']:.3f}, quality v1 {v['q_obs']:.3f}")
    print(f"bald_guys: {out['bald_guys_people']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
