"""Template verification metrics for FaceCoresetNet against the baselines it replaces.

TAR@FAR follows FACTS.md's convention: the ROC over genuine and impostor template pairs, TAR read at
the ROC point whose FAR is nearest each target FAR. Genuine pairs: the two templates of one identity;
impostor pairs: the first template of one identity against the second of every other identity.

usage: evaluate.py WEIGHTS.pt [REAL_DESCRIPTORS.jsonl...]   (prints JSON)
"""
from __future__ import annotations

import json
import sys
from typing import Dict, List, Sequence, Tuple

import numpy as np
import torch

import generator as G
from model import FaceCoresetNet

EVAL_SEED = 99
FARS = (1e-4, 1e-3, 1e-2, 1e-1)


def mean_descriptor(f: np.ndarray, q: np.ndarray, quality_weighted: bool) -> np.ndarray:
    w = q.astype(np.float64) if quality_weighted and q.sum() > 0 else np.ones(len(q))
    v = (f.astype(np.float64) * w[:, None]).sum(0)
    return v / max(np.linalg.norm(v), 1e-12)


@torch.no_grad()
def model_descriptors(model: FaceCoresetNet, sets: Sequence[Tuple[np.ndarray, np.ndarray]], batch: int = 256) -> np.ndarray:
    model.eval()
    out = []
    for i in range(0, len(sets), batch):
        e, q, v = G.pad(list(sets[i:i + batch]))
        out.append(model(torch.from_numpy(e), torch.from_numpy(q), torch.from_numpy(v)).descriptor.numpy())
    return np.concatenate(out).astype(np.float64)


def tar_at_far(genuine: np.ndarray, impostor: np.ndarray, fars: Sequence[float] = FARS) -> Dict[str, float]:
    imp = np.sort(impostor)[::-1]
    result = {}
    for far in fars:
        k = max(1, int(round(far * len(imp))))
        threshold = imp[k - 1]
        result[f"{far:g}"] = float((genuine >= threshold).mean()) if k <= len(imp) else float("nan")
    return result


def verification(a: np.ndarray, b: np.ndarray, labels_a: np.ndarray, labels_b: np.ndarray) -> Dict[str, object]:
    scores = a @ b.T
    same = labels_a[:, None] == labels_b[None, :]
    genuine, impostor = scores[same], scores[~same]
    return {"tar_at_far": tar_at_far(genuine, impostor), "genuine": int(genuine.size), "impostor": int(impostor.size),
            "genuine_mean": float(genuine.mean()), "impostor_mean": float(impostor.mean())}


def compare(model: FaceCoresetNet, first: List, second: List, labels: np.ndarray) -> Dict[str, object]:
    report = {}
    for name in ("mean", "quality-mean"):
        qw = name == "quality-mean"
        a = np.stack([mean_descriptor(f, q, qw) for f, q in first])
        b = np.stack([mean_descriptor(f, q, qw) for f, q in second])
        report[name] = verification(a, b, labels, labels)
    report["facecoresetnet"] = verification(model_descriptors(model, first), model_descriptors(model, second), labels, labels)
    return report


def synthetic_report(model: FaceCoresetNet, identities: int = 1500, seed: int = EVAL_SEED) -> Dict[str, object]:
    gen = G.TemplateGenerator(G.Calibration.load(), seed)
    centres = gen.identities(identities)
    first = [gen.template(c) for c in centres]
    second = [gen.template(c) for c in centres]
    labels = np.arange(identities)
    report = compare(model, first, second, labels)
    # The hard case the paper targets: a clip of poor frames against a few stills.
    first = [gen.template(c) for c in centres]
    second = []
    for c in centres:
        f, q = gen.clip(c, 20, 0.2)
        s = gen.captures(c, np.array([0.9]))
        second.append((np.concatenate([f, s]).astype(np.float32),
                       gen.observed_quality(np.concatenate([q, [0.9]])).astype(np.float32)))
    report["clip_of_20_poor_frames_plus_one_good_still"] = compare(model, first, second, labels)
    return report


def real_report(model: FaceCoresetNet, paths: Sequence[str], pairs: int = 400, seed: int = EVAL_SEED) -> Dict[str, object]:
    """Templates of real dlib descriptors (clean and degraded chips, quality = the level's proxy)."""
    from calibrate import LEVEL_QUALITY, load

    rows = load(paths)
    people = sorted({p for p, _ in rows})
    pool = {p: [(v, LEVEL_QUALITY[l]) for (pp, l), vs in rows.items() if pp == p for v in vs] for p in people}
    rng = np.random.default_rng(seed)

    def template(p):
        items = pool[p]
        n = int(rng.integers(1, 13))
        pick = rng.choice(len(items), size=min(n, len(items)), replace=False)
        f = np.stack([items[i][0] for i in pick]).astype(np.float32)
        q = np.array([items[i][1] for i in pick], np.float32)
        return f, q

    labels = np.array([k % len(people) for k in range(pairs)])
    first = [template(people[k]) for k in labels]
    second = [template(people[k]) for k in labels]
    report = compare(model, first, second, labels)
    report["note"] = f"{len(people)} people, {pairs} template pairs drawn with replacement; impostor pairs are few and correlated"
    return report


def main(argv: List[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    model = FaceCoresetNet(G.DIM)
    model.load_state_dict(torch.load(argv[1]))
    report = {"synthetic": synthetic_report(model)}
    if len(argv) > 2:
        report["real_dlib_johns"] = real_report(model, argv[2:])
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
