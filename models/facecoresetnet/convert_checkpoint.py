"""Converts the authors' released FaceCoresetNet checkpoint (AdaFace IR-101, D = 512) to FaceGallery's layout.

The released checkpoint is a PyTorch Lightning file ({"state_dict": ...}) of the authors' training
module, which holds the frozen backbone (`model.*`), the AdaFace head (`head.*`) and the aggregator
(`aggregate_model.*`). Only the aggregator is kept. Names below were read from the authors' public
repository (net_template.py / train_val_template.py, the version whose decoder runs one self-attention
and one cross-attention block, as the paper describes):

  aggregate_model.gamma                                  -> gamma
  aggregate_model.pos_trans_norm.{weight,bias}           -> quality_norm.{weight,bias}
  aggregate_model.decoder_layer1.self_attn1.*            -> self_attn.*      (nn.MultiheadAttention layout:
  aggregate_model.decoder_layer1.multihead_attn1.*       -> cross_attn.*      in_proj_weight, in_proj_bias,
  aggregate_model.decoder_layer1.norm1.{weight,bias}     -> norm1.*           out_proj.weight, out_proj.bias)
  aggregate_model.decoder_layer1.norm2.{weight,bias}     -> norm2.*

Present in the checkpoint but unused by the one-block forward, hence ignored: decoder_layer1.self_attn2,
multihead_attn2, multihead_attn3, norm3, norm4 (a two-block variant in other commits of the authors'
code; if a checkpoint was trained with that forward, this conversion does not reproduce it), tau,
feature_norm_normalizer, ur_center, dist_from_ur_center_norm_size_balance, quality_measure.

Assumptions, stated because the checkpoint itself cannot be checked here: the exponent is gamma alone
(the authors' gamma_base is a constant 0 outside the state dict); qualities fed to the converted model
are AdaFace feature norms (tens, not [0, 1]); the single-face passthrough is off, so one face still
goes through attention as in the paper.

usage:
  convert_checkpoint.py CHECKPOINT.ckpt OUT_DIR [--name facecoresetnet-adaface-ir101]
  convert_checkpoint.py --self-test      (randomly initialised module with the authors' key names)
"""
from __future__ import annotations

import argparse
import math
import sys
from typing import Dict

import numpy as np
import onnx
import torch
from torch import nn
from torch.nn import functional as F

import onnx_numpy
from export import export_all
from model import ExportWrapper, FaceCoresetNet

PREFIX = "aggregate_model."
KEY_MAP = {
    "gamma": "gamma",
    "pos_trans_norm.weight": "quality_norm.weight",
    "pos_trans_norm.bias": "quality_norm.bias",
    "decoder_layer1.norm1.weight": "norm1.weight",
    "decoder_layer1.norm1.bias": "norm1.bias",
    "decoder_layer1.norm2.weight": "norm2.weight",
    "decoder_layer1.norm2.bias": "norm2.bias",
}
for _theirs, _ours in (("self_attn1", "self_attn"), ("multihead_attn1", "cross_attn")):
    for _p in ("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"):
        KEY_MAP[f"decoder_layer1.{_theirs}.{_p}"] = f"{_ours}.{_p}"
IGNORED_PREFIXES = ("decoder_layer1.self_attn2.", "decoder_layer1.multihead_attn2.", "decoder_layer1.multihead_attn3.",
                    "decoder_layer1.norm3.", "decoder_layer1.norm4.", "quality_measure.")
IGNORED_KEYS = {"tau", "feature_norm_normalizer", "ur_center", "dist_from_ur_center_norm_size_balance"}
CONVERSION_TOLERANCE = 1e-5


def convert_state_dict(state: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    aggregator = {k[len(PREFIX):]: v for k, v in state.items() if k.startswith(PREFIX)}
    if not aggregator:
        aggregator = dict(state)  # a bare aggregator state dict
    ours = {}
    for theirs, target in KEY_MAP.items():
        if theirs not in aggregator:
            raise KeyError(f"checkpoint lacks {PREFIX}{theirs}")
        ours[target] = aggregator[theirs].detach().float().clone()
    unknown = [k for k in aggregator if k not in KEY_MAP and k not in IGNORED_KEYS
               and not k.startswith(IGNORED_PREFIXES)]
    if unknown:
        raise KeyError(f"unexpected aggregator keys (a different model version?): {unknown}")
    return ours


def build_model(state: Dict[str, torch.Tensor]) -> FaceCoresetNet:
    dim = state["quality_norm.weight"].shape[0]
    model = FaceCoresetNet(dim, single_face_passthrough=False)
    model.load_state_dict(state)
    return model.eval()


# ---- self-test: a module laid out like the authors' checkpoint, with its own forward ------------------
class _AuthorsDecoder(nn.Module):
    def __init__(self, d: int) -> None:
        super().__init__()
        for name in ("self_attn1", "self_attn2", "multihead_attn1", "multihead_attn2", "multihead_attn3"):
            setattr(self, name, nn.MultiheadAttention(d, 8, batch_first=True))
        for name in ("norm1", "norm2", "norm3", "norm4"):
            setattr(self, name, nn.LayerNorm(d))


class _AuthorsAggregator(nn.Module):
    """Same parameter names and shapes as the checkpoint's aggregate_model; forward written from the paper
    with torch's own MultiheadAttention, so the converted graph is checked against a separate reading."""

    def __init__(self, d: int = 512) -> None:
        super().__init__()
        self.gamma = nn.Parameter(torch.tensor(0.01))
        self.tau = nn.Parameter(torch.tensor(0.0))
        self.feature_norm_normalizer = nn.Parameter(torch.tensor(-2.9))
        self.ur_center = nn.Parameter(torch.randn(d))
        self.dist_from_ur_center_norm_size_balance = nn.Parameter(torch.tensor(-1.4))
        self.decoder_layer1 = _AuthorsDecoder(d)
        self.pos_trans_norm = nn.LayerNorm(d)
        self.quality_measure = nn.Linear(d, 1)

    def encode(self, norms: torch.Tensor) -> torch.Tensor:
        d = self.pos_trans_norm.weight.shape[0]
        j = torch.arange(d, dtype=torch.float32)
        scale = 10000.0 ** (2 * torch.div(j, 2, rounding_mode="floor") / d)
        pos = norms[..., None] * (2 * math.pi) / scale
        enc = torch.stack((pos[..., 0::2].sin(), pos[..., 1::2].cos()), dim=-1).flatten(-2)
        return self.pos_trans_norm(enc)

    @torch.no_grad()
    def forward(self, features: torch.Tensor, norms: torch.Tensor):
        """features [N, D] unit, norms [N] -> descriptor [D], coreset indices."""
        n = features.shape[0]
        points = norms[:, None] * features
        unit = F.normalize(points, dim=-1)
        picks = [int(torch.argmax(norms))]
        nearest = torch.full((n,), float("inf"))
        for _ in range(min(3, n) - 1):
            dist = norms.pow(self.gamma) * (1 - unit @ unit[picks[-1]]) / 2
            nearest = torch.minimum(nearest, dist)
            picks.append(int(torch.argmax(nearest)))
        core = points[picks][None]
        enc_core = self.encode(core.norm(dim=-1))
        layer = self.decoder_layer1
        q = core + enc_core
        x = layer.norm1(q + layer.self_attn1(q, q, q, need_weights=False)[0])
        keys = points[None] + self.encode(norms[None])
        delta = layer.norm2(core + layer.multihead_attn1(x, keys, points[None], need_weights=False)[0])
        agg = (core + delta).mean(1)[0]
        return agg / agg.norm(), picks


def self_test(dim: int = 512, seed: int = 3) -> float:
    torch.manual_seed(seed)
    authors = _AuthorsAggregator(dim).eval()
    with torch.no_grad():
        for p in authors.parameters():  # move every tensor off its default so a swapped mapping shows
            p.add_(0.05 * torch.randn_like(p))
        authors.gamma.fill_(0.37)
    checkpoint = {"state_dict": {**{f"{PREFIX}{k}": v for k, v in authors.state_dict().items()},
                                 "model.output_layer.weight": torch.zeros(2), "head.kernel": torch.zeros(2)}}
    model = build_model(convert_state_dict(checkpoint["state_dict"]))
    wrapper = ExportWrapper(model).eval()
    rng = np.random.default_rng(seed)
    worst = 0.0
    import io
    buffer = io.BytesIO()
    torch.onnx.export(wrapper, (torch.randn(5, dim), torch.rand(5) * 30), buffer,
                      input_names=["embeddings", "qualities"], output_names=["descriptor", "coreset"],
                      dynamic_axes={"embeddings": {0: "N"}, "qualities": {0: "N"}, "coreset": {0: "K"}},
                      opset_version=17)
    graph = onnx.load_from_string(buffer.getvalue())
    for n in (1, 2, 3, 7, 20, 60):
        f = F.normalize(torch.from_numpy(rng.standard_normal((n, dim)).astype(np.float32)) + 2.0, dim=-1)
        norms = torch.from_numpy(rng.uniform(5.0, 40.0, n).astype(np.float32))  # AdaFace-like feature norms
        want, want_picks = authors(f, norms)
        got, got_picks = onnx_numpy.run(graph, {"embeddings": f.numpy(), "qualities": norms.numpy()})
        if got_picks.tolist() != want_picks:
            raise SystemExit(f"N={n}: coreset {got_picks.tolist()} != authors-layout {want_picks}")
        worst = max(worst, float(np.abs(got - want.numpy()).max()))
    if worst > CONVERSION_TOLERANCE:
        raise SystemExit(f"conversion self-test: max abs {worst:.3g} > {CONVERSION_TOLERANCE}")
    print(f"conversion self-test passed: converted ONNX vs authors-layout module, max abs {worst:.3g} (N = 1..60, D = {dim})")
    return worst


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("checkpoint", nargs="?")
    parser.add_argument("out_dir", nargs="?")
    parser.add_argument("--name", default="facecoresetnet-adaface-ir101")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    if args.self_test:
        self_test()
        return 0
    if not args.checkpoint or not args.out_dir:
        parser.error("CHECKPOINT and OUT_DIR are required (or --self-test)")
    raw = torch.load(args.checkpoint, map_location="cpu")
    state = raw.get("state_dict", raw) if isinstance(raw, dict) else raw
    model = build_model(convert_state_dict(state))
    provenance = {"weights": "authors' released FaceCoresetNet checkpoint (AdaFace IR-101 backbone), converted by "
                             "models/facecoresetnet/convert_checkpoint.py",
                  "qualities": "AdaFace feature norms (pre-normalisation), not FaceGallery's [0, 1] scale"}
    parity = export_all(model, args.out_dir, args.name, "LicenseRef-FaceCoresetNet-authors", provenance,
                        source={"package": "FaceCoresetNet checkpoint", "version": "released", "component": None,
                                "file": args.checkpoint, "sha256": None}, quality_max=None)
    print(f"converted {args.checkpoint}: parity max abs {parity['max_abs_descriptor']:.3g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
