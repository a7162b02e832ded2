"""Writes held-out synthetic IJB-like benchmarks for `facegallery eval` as JSON lines, one template a line:
{"template": id, "identity": id, "role": "gallery"|"probe", "samples": [{"embedding": [...], "quality": q}]}

Templates come from models/facecoresetnet/generator.py (the distribution FaceCoresetNet was trained on) with a
seed the training never used (training: 20240301; the model card's check: 99). Gallery: one template for each of
the first `--mated` identities; probes: one template for every identity, so `--identities - --mated` probes are
non-mated (open-set). Two files:
  synthetic.jsonl   templates drawn exactly like the training data
  swamped.jsonl     probes = one good still (q ~ 0.9) + a long poor clip (q ~ 0.2, 20-40 frames) whose frames
                    drift from the probe's identity towards another identity (mix weight rising 0 -> --drift)
Usage: /usr/bin/python3 tests/eval-benchmarks/make_synthetic.py OUT_DIR [--seed 4242] [--identities 1000] [--mated 700]
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "models", "facecoresetnet"))
from generator import Calibration, TemplateGenerator, _normalise  # noqa: E402


def line(template: str, identity: str, role: str, f: np.ndarray, q: np.ndarray) -> str:
    samples = [{"embedding": [round(float(x), 6) for x in f[i]], "quality": round(float(q[i]), 4)} for i in range(f.shape[0])]
    return json.dumps({"template": template, "identity": identity, "role": role, "samples": samples}, separators=(",", ":"))


def swamped_probe(gen: TemplateGenerator, centre: np.ndarray, other: np.ndarray, drift: float):
    rng = gen.rng
    still = gen.captures(centre, np.array([0.9]))
    frames = int(rng.integers(20, 41))
    clip, q = gen.clip(centre, frames, 0.2)
    mix = np.linspace(0.0, drift, frames)[:, None]
    clip = _normalise((1 - mix) * clip + mix * other)
    f = np.concatenate([still, clip]).astype(np.float32)
    qq = gen.observed_quality(np.concatenate([[0.9], q])).astype(np.float32)
    return f, qq


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=4242)
    p.add_argument("--identities", type=int, default=1000)
    p.add_argument("--mated", type=int, default=700)
    p.add_argument("--drift", type=float, default=0.6)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    gen = TemplateGenerator(Calibration.load(), a.seed)
    centres = gen.identities(a.identities)
    with open(os.path.join(a.out, "synthetic.jsonl"), "w") as out:
        for i in range(a.identities):
            if i < a.mated:
                f, q = gen.template(centres[i])
                out.write(line(f"g{i}", f"s{i}", "gallery", f, q) + "\n")
            f, q = gen.template(centres[i])
            out.write(line(f"p{i}", f"s{i}", "probe", f, q) + "\n")
    with open(os.path.join(a.out, "swamped.jsonl"), "w") as out:
        for i in range(a.identities):
            if i < a.mated:
                f, q = gen.template(centres[i])
                out.write(line(f"g{i}", f"s{i}", "gallery", f, q) + "\n")
            other = centres[(i + int(gen.rng.integers(1, a.identities))) % a.identities]
            f, q = swamped_probe(gen, centres[i], other, a.drift)
            out.write(line(f"p{i}", f"s{i}", "probe", f, q) + "\n")


if __name__ == "__main__":
    main()
