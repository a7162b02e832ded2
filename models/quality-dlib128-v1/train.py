"""Trains quality-dlib128-v1: an MLP from (unit dlib embedding, chip cues) to recognizability in [0, 1].

Data: `facegallery eval build-real --out DIR` writes DIR/quality-data.jsonl: every real chip of tests/data/dlib
(johns: 5 people x 11; photo chips: 36) clean and degraded 28 ways (blur, down-scaling, noise, JPEG, occlusion,
lighting at four strengths, plus four random pairs). Target: cosine of the degraded chip's embedding to the clean
chip's, mapped to [0, 1] by q = clip((cos - C0) / (1 - C0), 0, 1) with C0 = 0.8, about the mean cosine of two
different people's clean dlib descriptors: a face no closer to itself than to a stranger is worth nothing.

Held out (never trained on): people John_Shimkus and John_Simm and the photo chips of the 2008_* photos.
Reports Spearman rank correlation with the target on held-out faces, for this model and for quality v1.
Usage: /usr/bin/python3 models/quality-dlib128-v1/train.py DIR/quality-data.jsonl [--seed 1]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
C0 = 0.8
HELD_OUT_PEOPLE = {"John_Shimkus", "John_Simm"}


def held_out(group: str) -> bool:
    return group in HELD_OUT_PEOPLE or group.startswith("2008_")


def ranks(x: np.ndarray) -> np.ndarray:
    order = np.argsort(x, kind="mergesort")
    r = np.empty(len(x))
    r[order] = np.arange(len(x))
    # average ranks over ties
    _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=r)
    return sums[inverse] / counts[inverse]


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(ranks(a), ranks(b))[0, 1])


class QualityNet(torch.nn.Module):
    def __init__(self, dim: int = 128, cues: int = 4) -> None:
        super().__init__()
        self.net = torch.nn.Sequential(
            torch.nn.Linear(dim + cues, 64), torch.nn.GELU(),
            torch.nn.Linear(64, 32), torch.nn.GELU(),
            torch.nn.Linear(32, 1))

    def forward(self, embedding: torch.Tensor, cues: torch.Tensor) -> torch.Tensor:
        e = embedding / torch.clamp(torch.linalg.norm(embedding, dim=1, keepdim=True), min=1e-12)
        return torch.sigmoid(self.net(torch.cat([e, cues], dim=1))).squeeze(1)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("data")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--epochs", type=int, default=600)
    a = p.parse_args()
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    torch.set_num_threads(1)
    rows = [json.loads(line) for line in open(a.data)]
    emb = np.array([r["embedding"] for r in rows], np.float32)
    cues = np.array([r["cues"] for r in rows], np.float32)
    cos = np.array([r["target"] for r in rows], np.float64)
    v1 = np.array([r["v1"] for r in rows], np.float64)
    target = np.clip((cos - C0) / (1 - C0), 0, 1).astype(np.float32)
    test = np.array([held_out(r["group"]) for r in rows])
    train = ~test
    model = QualityNet()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-3)
    e_t, c_t, y_t = (torch.from_numpy(x[train]) for x in (emb, cues, target))
    for epoch in range(a.epochs):
        perm = torch.randperm(e_t.shape[0])
        for i in range(0, len(perm), 128):
            idx = perm[i:i + 128]
            loss = torch.nn.functional.mse_loss(model(e_t[idx], c_t[idx]), y_t[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        pred = model(torch.from_numpy(emb), torch.from_numpy(cues)).numpy()
    metrics = {
        "rows": int(len(rows)), "train_rows": int(train.sum()), "test_rows": int(test.sum()),
        "held_out": "people John_Shimkus, John_Simm; photo chips 2008_*",
        "spearman_test_learned": spearman(pred[test], cos[test]),
        "spearman_test_v1": spearman(v1[test], cos[test]),
        "spearman_train_learned": spearman(pred[train], cos[train]),
        "spearman_train_v1": spearman(v1[train], cos[train]),
        "mae_test_learned": float(np.abs(pred[test] - target[test]).mean()),
    }
    per_kind = {}
    kinds = np.array([r["degradation"].split(":")[0] if r["degradation"] else "clean" for r in rows])
    for k in sorted(set(kinds)):
        m = test & (kinds == k) & np.array(["+" not in r["degradation"] for r in rows])
        if m.sum() > 5 and k != "clean":
            per_kind[k] = {"learned": spearman(pred[m], cos[m]), "v1": spearman(v1[m], cos[m]), "n": int(m.sum())}
    metrics["spearman_test_by_degradation"] = per_kind
    print(json.dumps(metrics, indent=1))
    onnx_path = os.path.join(HERE, "quality-dlib128-v1.onnx")
    torch.onnx.export(model, (torch.zeros(1, 128), torch.zeros(1, 4)), onnx_path, opset_version=17,
                      input_names=["embedding", "cues"], output_names=["quality"],
                      dynamic_axes={"embedding": {0: "n"}, "cues": {0: "n"}, "quality": {0: "n"}})
    sha = hashlib.sha256(open(onnx_path, "rb").read()).hexdigest()
    with open(os.path.join(HERE, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=1)
    manifest = {
        "name": "quality-dlib128-v1",
        "file": "quality-dlib128-v1.onnx",
        "sha256": sha,
        "licence": "LicenseRef-FaceGallery",
        "source": None,
        "input": {"name": "embedding", "shape": [-1, 128]},
        "output": {"name": "quality", "shape": [-1]},
        "inputs": [
            {"name": "embedding", "shape": [-1, 128], "type": "float32", "meaning": "dlib-resnet-v1 descriptor, any norm (normalised inside)"},
            {"name": "cues", "shape": [-1, 4], "type": "float32", "meaning": "ChipCues: log1p(Laplacian variance)/8, mean grey/255, grey std/128, resolution (inter-ocular distance / 52.55, max 1)"},
        ],
        "outputs": [{"name": "quality", "shape": [-1], "type": "float32", "meaning": "recognizability in [0, 1], 1 = best"}],
        "opset": 17,
        "training": {
            "seed": a.seed, "epochs": a.epochs, "target": f"clip((cos(degraded, clean) - {C0}) / (1 - {C0}), 0, 1)",
            "data": "tests/data/dlib johns + photo chips, degraded by `facegallery eval build-real` (seed 5)",
            "command": "dotnet run --project src/FaceGallery.Cli -- eval build-real --out DIR && /usr/bin/python3 models/quality-dlib128-v1/train.py DIR/quality-data.jsonl",
        },
        "metrics": metrics,
    }
    with open(os.path.join(HERE, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main()
