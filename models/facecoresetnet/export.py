"""Exports trained FaceCoresetNet weights: ONNX graph, manifest, raw weights and a torch parity file.

Writes into OUT_DIR:
  <name>.onnx          inputs embeddings [N, D] float32, qualities [N] float32;
                       outputs descriptor [D] float32 (unit length), coreset [min(3, N)] int64
  manifest.json        what FaceGallery's model loader reads (ModelManifest), plus both tensors of each
                       side, the aggregator's settings, training provenance and the licence
  weights.bin          every parameter as little-endian float32, back to back
  weights.json         index of weights.bin (name -> offset in floats, shape) and the model settings:
                       what FaceGallery's plain C# reference implementation reads
  parity-torch.json    inputs and torch outputs for a few sets, which the C# tests replay in ONNX Runtime

Before writing, the exported graph is run by onnx_numpy.py (a numpy interpreter) against torch on
random and synthetic sets of 1..500 faces; any difference above 1e-5 or any different coreset fails.

usage: export.py WEIGHTS.pt OUT_DIR [--name NAME] [--training training.json] [--passthrough 0|1]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
from typing import Dict, List, Optional

import numpy as np
import onnx
import torch

import onnx_numpy
from model import (CORESET_SIZE, HEADS, LAYER_NORM_EPS, MASKED_LOGIT, NORM_EPS, QUALITY_FLOOR, ExportWrapper,
                   FaceCoresetNet)

OPSET = 17
INPUTS = ("embeddings", "qualities")
OUTPUTS = ("descriptor", "coreset")
TOLERANCE = 1e-5
PARITY_SIZES = (1, 2, 3, 7, 30, 500)


def export_onnx(model: FaceCoresetNet, path: str) -> onnx.ModelProto:
    wrapper = ExportWrapper(model).eval()
    dim = model.dim
    example = (torch.randn(5, dim), torch.rand(5))
    torch.onnx.export(wrapper, example, path, input_names=list(INPUTS), output_names=list(OUTPUTS),
                      dynamic_axes={"embeddings": {0: "N"}, "qualities": {0: "N"}, "coreset": {0: "K"}},
                      opset_version=OPSET, do_constant_folding=True)
    wrapper.eval()  # export restores the wrapper's prior mode; keep inference mode for the checks
    graph = onnx.load(path)
    onnx.checker.check_model(graph)
    return graph


def parity_sets(dim: int, seed: int = 5) -> List[Dict[str, np.ndarray]]:
    rng = np.random.default_rng(seed)
    sets = []
    for n in PARITY_SIZES:
        for variant in range(2):
            e = rng.standard_normal((n, dim)).astype(np.float32)
            if variant == 1:
                # Embeddings in one cone, as real descriptors are, with some qualities at the ends.
                e = (e * 0.3 + 1.0).astype(np.float32)
            q = rng.random(n).astype(np.float32)
            if variant == 1 and n > 2:
                q[0], q[1] = 0.0, 1.0
            sets.append({"embeddings": e, "qualities": q})
    return sets


def check_parity(model: FaceCoresetNet, graph: onnx.ModelProto, sets) -> Dict[str, float]:
    wrapper = ExportWrapper(model).eval()
    worst = 0.0
    for s in sets:
        with torch.no_grad():
            t_desc, t_core = wrapper(torch.from_numpy(s["embeddings"]), torch.from_numpy(s["qualities"]))
        o_desc, o_core = onnx_numpy.run(graph, dict(s))
        diff = float(np.abs(o_desc - t_desc.numpy()).max())
        worst = max(worst, diff)
        n = s["embeddings"].shape[0]
        if o_core.tolist() != t_core.tolist() or len(o_core) != min(CORESET_SIZE, n):
            raise SystemExit(f"coreset mismatch for N={n}: onnx {o_core.tolist()} torch {t_core.tolist()}")
        if diff > TOLERANCE:
            raise SystemExit(f"descriptor mismatch for N={n}: max abs {diff:.3g} > {TOLERANCE}")
        s["torch_descriptor"] = t_desc.numpy()
        s["torch_coreset"] = t_core.numpy()
    return {"max_abs_descriptor": worst, "sets": len(sets)}


def write_weights(model: FaceCoresetNet, out_dir: str, name: str) -> Dict[str, object]:
    index = {}
    offset = 0
    chunks = []
    for key, tensor in model.state_dict().items():
        data = tensor.detach().cpu().numpy().astype("<f4").reshape(-1)
        index[key] = {"offset": offset, "shape": list(tensor.shape)}
        chunks.append(data)
        offset += data.size
    blob = np.concatenate(chunks).astype("<f4").tobytes()
    with open(os.path.join(out_dir, "weights.bin"), "wb") as f:
        f.write(blob)
    meta = {
        "model": name,
        "format": "little-endian float32, parameters back to back; offsets and shapes in floats",
        "file": "weights.bin",
        "sha256": hashlib.sha256(blob).hexdigest(),
        "dimension": model.dim,
        "heads": HEADS,
        "coresetSize": model.coreset_size,
        "singleFacePassthrough": model.single_face_passthrough,
        "layerNormEpsilon": LAYER_NORM_EPS,
        "qualityFloor": QUALITY_FLOOR,
        "maskedLogit": MASKED_LOGIT,
        "normEpsilon": NORM_EPS,
        "tensors": index,
    }
    with open(os.path.join(out_dir, "weights.json"), "w") as f:
        json.dump(meta, f, indent=1)
    return meta


def write_parity(sets, path: str) -> None:
    cases = [{
        "embeddings": s["embeddings"].tolist(),
        "qualities": s["qualities"].tolist(),
        "descriptor": s["torch_descriptor"].tolist(),
        "coreset": s["torch_coreset"].tolist(),
    } for s in sets if s["embeddings"].shape[0] <= 30]
    with open(path, "w") as f:
        json.dump({"tolerance": TOLERANCE, "cases": cases}, f)


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_manifest(out_dir: str, name: str, onnx_file: str, dim: int, licence: str, provenance: Dict[str, object],
                   parity: Dict[str, float], weights_meta: Dict[str, object], source: Optional[Dict[str, object]],
                   quality_max: Optional[float]) -> None:
    manifest = {
        "name": name,
        "file": onnx_file,
        "sha256": sha256_file(os.path.join(out_dir, onnx_file)),
        "licence": licence,
        "source": source,
        "input": {"name": "embeddings", "shape": [-1, dim]},
        "output": {"name": "descriptor", "shape": [dim]},
        "inputs": [
            {"name": "embeddings", "shape": [-1, dim], "type": "float32",
             "meaning": "one face embedding per row, any norm (normalised inside)"},
            {"name": "qualities", "shape": [-1], "type": "float32",
             "meaning": "one quality per face; FaceGallery's scale is [0, 1], 1 = best"},
        ],
        "outputs": [
            {"name": "descriptor", "shape": [dim], "type": "float32", "meaning": "unit-length set descriptor"},
            {"name": "coreset", "shape": [-1], "type": "int64",
             "meaning": "indices of the min(3, N) faces chosen, in pick order (first = highest quality)"},
        ],
        "opset": OPSET,
        "aggregator": {
            "kind": "facecoresetnet",
            "coresetSize": weights_meta["coresetSize"],
            "heads": weights_meta["heads"],
            "singleFacePassthrough": weights_meta["singleFacePassthrough"],
            # Largest quality the weights were trained for; null = no upper bound (AdaFace norms).
            "qualityMax": quality_max,
        },
        "weights": {"file": weights_meta["file"], "index": "weights.json", "sha256": weights_meta["sha256"]},
        "parity": {"checkedWith": "onnx_numpy.py against torch", **parity},
        "provenance": provenance,
    }
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


def export_all(model: FaceCoresetNet, out_dir: str, name: str, licence: str, provenance: Dict[str, object],
               source: Optional[Dict[str, object]] = None, quality_max: Optional[float] = 1.0) -> Dict[str, float]:
    os.makedirs(out_dir, exist_ok=True)
    model.eval()
    onnx_file = f"{name}.onnx"
    graph = export_onnx(model, os.path.join(out_dir, onnx_file))
    sets = parity_sets(model.dim)
    parity = check_parity(model, graph, sets)
    weights_meta = write_weights(model, out_dir, name)
    write_parity(sets, os.path.join(out_dir, "parity-torch.json"))
    write_manifest(out_dir, name, onnx_file, model.dim, licence, provenance, parity, weights_meta, source, quality_max)
    return parity


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("weights")
    parser.add_argument("out_dir")
    parser.add_argument("--name", default="facecoresetnet-dlib128-v1")
    parser.add_argument("--training", help="training.json written by train.py")
    parser.add_argument("--metrics", help="metrics.json written by evaluate.py")
    args = parser.parse_args()
    model = FaceCoresetNet(128)
    model.load_state_dict(torch.load(args.weights))
    provenance: Dict[str, object] = {
        "weights": "trained by FaceGallery (models/facecoresetnet/train.py); no third-party weights",
        "data": "synthetic templates in dlib 128-D descriptor space (generator.py), calibrated on dlib "
                "descriptors of dlib's example chips and degraded copies (calibration.json)",
        "reproduce": "models/facecoresetnet/build.sh",
    }
    if args.training:
        with open(args.training) as f:
            t = json.load(f)
        provenance["training"] = {k: t[k] for k in ("seed", "steps", "seconds", "lr", "gamma_lr", "final_gamma")}
    if args.metrics:
        with open(args.metrics) as f:
            m = json.load(f)
        provenance["metrics"] = {"synthetic_tar_at_far": {k: v["tar_at_far"] for k, v in m["synthetic"].items()
                                                          if isinstance(v, dict) and "tar_at_far" in v}}
    parity = export_all(model, args.out_dir, args.name, "LicenseRef-FaceGallery", provenance)
    print(f"exported {args.name}: parity max abs {parity['max_abs_descriptor']:.3g} over {parity['sets']} sets")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
