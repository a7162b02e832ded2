"""FaceCoresetNet set aggregator (Shapira & Keller, AAAI 2024), re-implemented for FaceGallery.

Input per face: an embedding f_i (normalised here, so any norm is accepted) and a quality q_i. The
network works on the quality-scaled points x_i = q_i * f_i, as the paper does:

  1. Coreset of K = min(3, N) faces: first the face with the highest quality, then repeatedly the
     face farthest from the faces chosen so far, where the distance of face i to a chosen face c is
     q_i^gamma * (1 - cos(f_i, c)) / 2 and face i keeps the minimum over the chosen faces. Training
     draws each further pick with a hard Gumbel-softmax (tau = 1, straight-through) so gamma learns;
     inference takes the plain argmax.
  2. Quality encoding enc(q): sinusoids theta_m = 2*pi*q / 10000^(m/(D/2)), m = 0..D/2-1, written
     interleaved [sin theta_0, cos theta_0, sin theta_1, ...], then one LayerNorm shared by the set's
     and the coreset's encodings.
  3. One decoder layer, 8 heads, no feed-forward:
        Q     = core + enc(q_core)
        x     = LN1(Q + SelfAttn(Q, Q, Q))
        delta = LN2(core + CrossAttn(x, keys = set + enc(q_set), values = set))
        out   = normalise(mean_k(core + delta))

Points where the description leaves room, and what this module does (FaceGallery's choices):
  * The quality of a coreset member fed to enc() is the member's input q. The authors' code
    recomputes it as ||q f||, which is the same number for unit f up to float rounding.
  * The cosine in the coreset distance uses the normalised input f_i. The paper normalises q_i f_i,
    which is the same for q_i > 0; for q_i = 0 it would make the direction vanish instead.
  * q^gamma uses max(q, QUALITY_FLOOR) so that q = 0 with a learned gamma <= 0 stays finite; every
    other use of q (scaling, first pick, encoding) takes q as given.
  * Faces already in the coreset are masked out of later picks (their distance is 0 anyway; the
    mask makes identical duplicates pick distinct faces rather than the same one twice).
  * N < 3: the coreset has N members; nothing is counted twice. The exported graph always runs three
    picks and keeps the first min(3, N) of them.
  * Ties (equal qualities, equal distances) go to the lowest index, as ONNX ArgMax does.
  * Training: the first pick is the plain argmax of q also in training (FACTS: "first = argmax q");
    only the farthest-point picks are Gumbel-sampled. The authors' code also Gumbel-samples the first
    pick with the raw AdaFace norms as logits, which with norms in the tens is an argmax in practice;
    with qualities in [0, 1] it would be close to uniform, which is not what the paper describes.
  * single_face_passthrough (FaceGallery addition, on for our weights, off for converted checkpoints):
    a set of one face returns that face's normalised embedding. Training uses the same rule, so the
    model learns to put set descriptors in the embedding space itself: a one-image probe and a
    one-image enrollment compare as plain embeddings, and embedding thresholds keep their meaning.
  * A set whose qualities are all 0 is read as if every quality were 1 (FaceGallery addition): with
    q = 0 every point q*f is zero and every such set would get the same descriptor.
  * Dropout: none (the authors train with 0.1 inside attention; our training is short and synthetic).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import torch
from torch import Tensor, nn
from torch.nn import functional as F

CORESET_SIZE = 3
HEADS = 8
QUALITY_FLOOR = 1e-6
# Larger than any distance (distances lie in [0, q^gamma]) yet finite, so Gumbel-softmax over rows
# where every face is masked stays a number instead of NaN.
MASKED_LOGIT = -1.0e4
NORM_EPS = 1e-12
LAYER_NORM_EPS = 1e-5


def quality_frequencies(dim: int) -> Tensor:
    """2*pi / 10000^(m/(D/2)) for m = 0..D/2-1, computed in float64 and rounded once to float32."""
    half = dim // 2
    m = torch.arange(half, dtype=torch.float64)
    return ((2.0 * math.pi) * torch.pow(torch.tensor(10000.0, dtype=torch.float64), -m / half)).float()


def quality_encoding(q: Tensor, frequencies: Tensor) -> Tensor:
    """Sinusoidal encoding of qualities [...] -> [..., D], interleaved sin/cos (before LayerNorm)."""
    theta = q.unsqueeze(-1) * frequencies  # [..., D/2]
    return torch.stack((torch.sin(theta), torch.cos(theta)), dim=-1).flatten(-2)


def _one_hot(index: Tensor, like: Tensor) -> Tensor:
    """One-hot rows shaped like `like` [B, N]; built by scatter so an exported graph keeps N dynamic."""
    return torch.zeros_like(like).scatter(1, index.unsqueeze(1), 1.0)


def _count(q: Tensor, valid: Optional[Tensor]) -> Tensor:
    """Faces per set as float [B]; computed from the data, not from Python ints, for the same reason."""
    return torch.ones_like(q).sum(1) if valid is None else valid.to(q.dtype).sum(1)


class Attention(nn.Module):
    """Multi-head attention with nn.MultiheadAttention's parameter layout (in_proj_weight rows are
    [W_q; W_k; W_v]), written out so the exported graph is plain MatMul/Softmax and a checkpoint of
    nn.MultiheadAttention loads unchanged."""

    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        if dim % heads != 0:
            raise ValueError(f"dim {dim} is not divisible by {heads} heads")
        self.dim = dim
        self.heads = heads
        self.in_proj_weight = nn.Parameter(torch.empty(3 * dim, dim))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * dim))
        self.out_proj = nn.Linear(dim, dim)
        # Same initialisation as nn.MultiheadAttention.
        nn.init.xavier_uniform_(self.in_proj_weight)
        nn.init.zeros_(self.out_proj.bias)

    def forward(self, query: Tensor, key: Tensor, value: Tensor, key_valid: Optional[Tensor] = None) -> Tensor:
        """query [B, L, D], key/value [B, S, D], key_valid [B, S] bool (None: all valid)."""
        d, h = self.dim, self.heads
        w_q, w_k, w_v = self.in_proj_weight[:d], self.in_proj_weight[d:2 * d], self.in_proj_weight[2 * d:]
        b_q, b_k, b_v = self.in_proj_bias[:d], self.in_proj_bias[d:2 * d], self.in_proj_bias[2 * d:]
        q = F.linear(query, w_q, b_q)
        if key_valid is None or not self.training:
            k = F.linear(key, w_k, b_k)
            v = F.linear(value, w_v, b_v)
        else:
            # Padded training batches: project only the real faces (most of a padded batch is padding).
            # Inference and export take the plain path; masked scores below give the same result.
            k = key.new_zeros(key.shape).index_put((key_valid,), F.linear(key[key_valid], w_k, b_k))
            v = value.new_zeros(value.shape).index_put((key_valid,), F.linear(value[key_valid], w_v, b_v))
        b, l, s = query.shape[0], query.shape[1], key.shape[1]
        q = q.reshape(b, l, h, d // h).transpose(1, 2)  # [B, H, L, dh]
        k = k.reshape(b, s, h, d // h).transpose(1, 2)
        v = v.reshape(b, s, h, d // h).transpose(1, 2)
        scores = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(d // h))  # [B, H, L, S]
        if key_valid is not None:
            scores = scores.masked_fill(~key_valid[:, None, None, :], float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        out = torch.matmul(weights, v).transpose(1, 2).reshape(b, l, d)
        return self.out_proj(out)


@dataclass
class Aggregate:
    descriptor: Tensor  # [B, D], unit length
    coreset: Tensor  # [B, K] int64 indices into the set
    coreset_valid: Tensor  # [B, K] bool: False where the set has fewer than K faces


class FaceCoresetNet(nn.Module):
    def __init__(self, dim: int = 128, heads: int = HEADS, coreset_size: int = CORESET_SIZE,
                 gamma_init: float = 0.01, single_face_passthrough: bool = True) -> None:
        super().__init__()
        self.dim = dim
        self.coreset_size = coreset_size
        self.single_face_passthrough = single_face_passthrough
        self.gamma = nn.Parameter(torch.tensor(float(gamma_init)))
        self.register_buffer("frequencies", quality_frequencies(dim), persistent=False)
        self.quality_norm = nn.LayerNorm(dim, eps=LAYER_NORM_EPS)
        self.self_attn = Attention(dim, heads)
        self.norm1 = nn.LayerNorm(dim, eps=LAYER_NORM_EPS)
        self.cross_attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=LAYER_NORM_EPS)

    # ---- coreset -------------------------------------------------------------------------------
    def select_coreset(self, unit: Tensor, q: Tensor, valid: Optional[Tensor], hard_gumbel: bool):
        """Returns (one-hot picks [B, K, N] float, indices [B, K] int64, pick_valid [B, K] bool)."""
        k_total = self.coreset_size
        weight = torch.pow(torch.clamp(q, min=QUALITY_FLOOR), self.gamma)  # q^gamma, [B, N]
        first_logits = q if valid is None else q.masked_fill(~valid, MASKED_LOGIT)
        first = torch.argmax(first_logits, dim=1)  # [B]
        onehot = _one_hot(first, q)  # [B, N]
        picks, indices = [onehot], [first]
        chosen = onehot
        dmin: Optional[Tensor] = None
        for _ in range(1, k_total):
            center = torch.einsum("bn,bnd->bd", onehot, unit)  # the newest pick's unit embedding
            cos = torch.einsum("bnd,bd->bn", unit, center)
            dist = weight * (1.0 - cos) * 0.5
            dmin = dist if dmin is None else torch.minimum(dmin, dist)
            masked = chosen > 0.5 if valid is None else (chosen > 0.5) | ~valid
            logits = dmin.masked_fill(masked, MASKED_LOGIT)
            if hard_gumbel:
                onehot = F.gumbel_softmax(logits, tau=1.0, hard=True, dim=1)
                index = torch.argmax(onehot, dim=1)
            else:
                index = torch.argmax(logits, dim=1)
                onehot = _one_hot(index, q)
            picks.append(onehot)
            indices.append(index)
            chosen = chosen + onehot.detach()
        onehots = torch.stack(picks, dim=1)  # [B, K, N]
        idx = torch.stack(indices, dim=1)
        counts = _count(q, valid)
        pick_valid = torch.arange(k_total, device=q.device, dtype=q.dtype)[None, :] < counts[:, None]
        return onehots, idx, pick_valid

    # ---- full forward ----------------------------------------------------------------------------
    def forward(self, embeddings: Tensor, qualities: Tensor, valid: Optional[Tensor] = None) -> Aggregate:
        """embeddings [B, N, D], qualities [B, N], valid [B, N] bool for padded batches (None: all)."""
        unit = embeddings / torch.clamp(embeddings.norm(dim=-1, keepdim=True), min=NORM_EPS)
        # A set whose qualities are all zero says nothing about which face is better: read it as all
        # equal (1) rather than as all-zero points, which would give every such set one descriptor.
        q = torch.where(qualities.max(dim=1, keepdim=True).values > 0, qualities, torch.ones_like(qualities))
        points = q.unsqueeze(-1) * unit  # the paper's q_i * f_i
        onehots, idx, core_valid = self.select_coreset(unit, q, valid, hard_gumbel=self.training)
        core = torch.einsum("bkn,bnd->bkd", onehots, points)
        q_core = torch.einsum("bkn,bn->bk", onehots, q)
        enc_core = self.quality_norm(quality_encoding(q_core, self.frequencies))
        enc_set = self.quality_norm(quality_encoding(q, self.frequencies))
        query = core + enc_core
        x = self.norm1(query + self.self_attn(query, query, query, core_valid))
        delta = self.norm2(core + self.cross_attn(x, points + enc_set, points, valid))
        summed = core + delta
        weights = core_valid.to(summed.dtype)
        pooled = (summed * weights.unsqueeze(-1)).sum(1) / weights.sum(1, keepdim=True)
        descriptor = pooled / torch.clamp(pooled.norm(dim=-1, keepdim=True), min=NORM_EPS)
        if self.single_face_passthrough:
            counts = _count(q, valid)
            single = torch.einsum("bn,bnd->bd", onehots[:, 0], unit)
            descriptor = torch.where((counts == 1).unsqueeze(-1), single, descriptor)
        return Aggregate(descriptor, idx, core_valid)


class ExportWrapper(nn.Module):
    """The ONNX interface: embeddings [N, D] float, qualities [N] float -> descriptor [D] float,
    coreset [min(3, N)] int64."""

    def __init__(self, model: FaceCoresetNet) -> None:
        super().__init__()
        self.model = model

    def forward(self, embeddings: Tensor, qualities: Tensor):
        out = self.model(embeddings.unsqueeze(0), qualities.unsqueeze(0))
        n = embeddings.shape[0]
        # Slicing a K-long tensor at N keeps min(K, N) entries; traced, N stays a graph value.
        return out.descriptor.reshape(self.model.dim), out.coreset[0][:n]
