"""A small numpy interpreter for the ONNX operators that export.py's graph uses.

Debian ships python3-onnx but no ONNX Runtime for Python, so export.py checks the exported file by
running it here against torch. It is a second, independent reading of the exported graph; the C#
tests run the same file in ONNX Runtime. Operators outside the list fail loudly.
"""
from __future__ import annotations

from typing import Callable, Dict, List

import numpy as np
import onnx
from onnx import helper, numpy_helper

_Op = Callable[[List[object], Dict[str, object]], List[np.ndarray]]
_OPS: Dict[str, _Op] = {}


def _op(name: str):
    def register(fn: _Op) -> _Op:
        _OPS[name] = fn
        return fn
    return register


def _ints(a) -> List[int]:
    return [int(v) for v in np.asarray(a).reshape(-1)]


@_op("Constant")
def _constant(x, a):
    return [numpy_helper.to_array(a["value"])]


@_op("Identity")
def _identity(x, a):
    return [x[0]]


for _name, _fn in {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Equal": np.equal,
                   "Less": np.less, "Greater": np.greater}.items():
    _OPS[_name] = (lambda f: lambda x, a: [np.asarray(f(x[0], x[1]))])(_fn)

for _name, _fn in {"Sqrt": np.sqrt, "Sin": np.sin, "Cos": np.cos, "Not": np.logical_not}.items():
    _OPS[_name] = (lambda f: lambda x, a: [np.asarray(f(x[0]))])(_fn)


@_op("Div")
def _div(x, a):
    if np.issubdtype(x[0].dtype, np.integer):
        return [np.asarray(x[0] // x[1])]
    return [np.asarray(x[0] / x[1]).astype(x[0].dtype)]


@_op("Pow")
def _pow(x, a):
    return [np.power(x[0], x[1].astype(x[0].dtype))]


@_op("Min")
def _min(x, a):
    out = x[0]
    for v in x[1:]:
        out = np.minimum(out, v)
    return [out]


@_op("MatMul")
def _matmul(x, a):
    return [np.matmul(x[0], x[1])]


@_op("Einsum")
def _einsum(x, a):
    return [np.einsum(a["equation"].decode(), *x).astype(x[0].dtype)]


@_op("Where")
def _where(x, a):
    return [np.where(x[0], x[1], x[2])]


@_op("Clip")
def _clip(x, a):
    lo = x[1] if len(x) > 1 and x[1] is not None else None
    hi = x[2] if len(x) > 2 and x[2] is not None else None
    out = x[0]
    if lo is not None:
        out = np.maximum(out, lo)
    if hi is not None:
        out = np.minimum(out, hi)
    return [out.astype(x[0].dtype)]


@_op("Cast")
def _cast(x, a):
    return [x[0].astype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[a["to"]])]


@_op("Shape")
def _shape(x, a):
    shape = np.array(x[0].shape, dtype=np.int64)
    return [shape[a.get("start", 0):a.get("end", len(shape))]]


@_op("ConstantOfShape")
def _constant_of_shape(x, a):
    value = numpy_helper.to_array(a["value"]) if "value" in a else np.zeros(1, np.float32)
    return [np.full(_ints(x[0]), value.reshape(-1)[0], dtype=value.dtype)]


@_op("Unsqueeze")
def _unsqueeze(x, a):
    out = x[0]
    rank = out.ndim + len(_ints(x[1]))
    for axis in sorted(v % rank for v in _ints(x[1])):
        out = np.expand_dims(out, axis)
    return [out]


@_op("Reshape")
def _reshape(x, a):
    shape = _ints(x[1])
    shape = [x[0].shape[i] if s == 0 else s for i, s in enumerate(shape)]
    return [x[0].reshape(shape)]


@_op("Expand")
def _expand(x, a):
    return [np.broadcast_to(x[0], np.broadcast_shapes(x[0].shape, tuple(_ints(x[1])))).copy()]


@_op("Concat")
def _concat(x, a):
    return [np.concatenate(x, axis=a["axis"])]


@_op("Transpose")
def _transpose(x, a):
    return [np.transpose(x[0], a.get("perm"))]


@_op("Gather")
def _gather(x, a):
    return [np.take(x[0], x[1], axis=a.get("axis", 0))]


@_op("Slice")
def _slice(x, a):
    data = x[0]
    starts, ends = _ints(x[1]), _ints(x[2])
    axes = _ints(x[3]) if len(x) > 3 and x[3] is not None else list(range(len(starts)))
    steps = _ints(x[4]) if len(x) > 4 and x[4] is not None else [1] * len(starts)
    index = [slice(None)] * data.ndim
    for s, e, ax, st in zip(starts, ends, axes, steps):
        index[ax] = slice(s, e, st)
    return [data[tuple(index)]]


@_op("ReduceSum")
def _reduce_sum(x, a):
    keep = bool(a.get("keepdims", 1))
    if len(x) < 2 or x[1] is None or x[1].size == 0:
        if a.get("noop_with_empty_axes", 0):
            return [x[0]]
        return [np.sum(x[0], keepdims=keep).astype(x[0].dtype)]
    return [np.sum(x[0], axis=tuple(_ints(x[1])), keepdims=keep).astype(x[0].dtype)]


@_op("ReduceMax")
def _reduce_max(x, a):
    keep = bool(a.get("keepdims", 1))
    axes = a.get("axes")
    return [np.max(x[0], axis=None if axes is None else tuple(axes), keepdims=keep)]


@_op("ArgMax")
def _argmax(x, a):
    if a.get("select_last_index", 0):
        raise NotImplementedError("ArgMax select_last_index")
    out = np.argmax(x[0], axis=a.get("axis", 0))
    if a.get("keepdims", 1):
        out = np.expand_dims(out, a.get("axis", 0))
    return [out.astype(np.int64)]


@_op("Softmax")
def _softmax(x, a):
    axis = a.get("axis", -1)
    shifted = x[0] - np.max(x[0], axis=axis, keepdims=True)
    e = np.exp(shifted)
    return [(e / np.sum(e, axis=axis, keepdims=True)).astype(x[0].dtype)]


@_op("LayerNormalization")
def _layer_norm(x, a):
    axis = a.get("axis", -1)
    eps = a.get("epsilon", 1e-5)
    v = x[0]
    axes = tuple(range(axis % v.ndim, v.ndim))
    mean = v.mean(axis=axes, keepdims=True)
    var = ((v - mean) ** 2).mean(axis=axes, keepdims=True)
    y = (v - mean) / np.sqrt(var + eps) * x[1]
    if len(x) > 2 and x[2] is not None:
        y = y + x[2]
    return [y.astype(v.dtype)]


@_op("ScatterElements")
def _scatter_elements(x, a):
    if a.get("reduction", b"none") not in (b"none", "none"):
        raise NotImplementedError("ScatterElements reduction")
    out = x[0].copy()
    np.put_along_axis(out, x[1], x[2], axis=a.get("axis", 0))
    return [out]


def run(model: onnx.ModelProto, feeds: Dict[str, np.ndarray]) -> List[np.ndarray]:
    values: Dict[str, object] = {"": None}
    for init in model.graph.initializer:
        values[init.name] = numpy_helper.to_array(init)
    values.update(feeds)
    for node in model.graph.node:
        fn = _OPS.get(node.op_type)
        if fn is None:
            raise NotImplementedError(f"operator {node.op_type} ({node.name})")
        attrs = {at.name: helper.get_attribute_value(at) for at in node.attribute}
        outs = fn([values[name] for name in node.input], attrs)
        for name, out in zip(node.output, outs):
            values[name] = out
    return [np.asarray(values[o.name]) for o in model.graph.output]


def supported_ops() -> List[str]:
    return sorted(_OPS)
