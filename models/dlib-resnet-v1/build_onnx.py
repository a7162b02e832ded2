#!/usr/bin/env python3
"""Builds dlib-resnet-v1.onnx from the layer dump written by `dlib_face_tool export`.

The builder interprets dlib's layer list generically (input, con, affine, relu, max/avg pool, tag, skip,
add_prev, fc, loss_metric), walking from the input upwards exactly as dlib evaluates it, so strides,
paddings and shortcuts come from the model file rather than from assumptions here. Affine (frozen
batch-norm) layers are folded into the convolution beneath them in float64. add_prev follows dlib's
tt::add: the smaller operand is zero-filled at the end of each axis (channels, bottom rows, right
columns) before adding, which becomes an explicit Pad.

usage: build_onnx.py DUMP_DIR OUT.onnx
Prints a JSON summary (multiply-adds per face, parameter count) on stdout.
"""
import json
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
INPUT_NAME = "image"
OUTPUT_NAME = "embedding"


def parse_layers(dump_dir):
    layers = []
    with open(f"{dump_dir}/layers.txt") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.split()
            fields = dict(p.split("=", 1) for p in parts[2:])
            layers.append((int(parts[0]), parts[1], fields))
    params = np.fromfile(f"{dump_dir}/params.bin", dtype="<f4")
    layers.sort(key=lambda entry: entry[0])
    return layers, params


def take(params, fields):
    offset, count = int(fields["offset"]), int(fields["count"])
    if offset + count > params.size:
        raise ValueError("params.bin is shorter than layers.txt says")
    return params[offset:offset + count]


class GraphBuilder:
    def __init__(self):
        self.nodes, self.initializers = [], []
        self.counter = 0
        self.multiply_adds = 0
        self.parameters = 0

    def name(self, kind):
        self.counter += 1
        return f"{kind}_{self.counter}"

    def constant(self, kind, array):
        tensor_name = self.name(kind)
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), tensor_name))
        return tensor_name

    def node(self, op, inputs, kind=None, **attributes):
        output = self.name(kind or op.lower())
        self.nodes.append(helper.make_node(op, inputs, [output], name=output, **attributes))
        return output


def pooled(size, window, stride, pad):
    # dlib's output size for convolutions and pools alike.
    return 1 + (size + 2 * pad - window) // stride


def build(dump_dir, out_path):
    layers, params = parse_layers(dump_dir)
    g = GraphBuilder()
    tags = {}
    pending_conv = None  # (weights float64, bias float64, input name, attributes) awaiting a possible affine
    current, shape = None, None  # tensor name, (channels, rows, cols)

    def flush_conv():
        nonlocal pending_conv, current
        if pending_conv is None:
            return
        weights, bias, source, attributes = pending_conv
        w = g.constant("conv_w", weights.astype(np.float32))
        b = g.constant("conv_b", bias.astype(np.float32))
        current = g.node("Conv", [source, w, b], "conv", **attributes)
        pending_conv = None

    # dlib numbers layers from the top (0 = loss); evaluation runs from the input upwards.
    for index, kind, f in reversed(layers):
        if kind != "affine":
            flush_conv()
        if kind == "input_rgb":
            rows, cols = int(f["rows"]), int(f["cols"])
            mean = np.array([float(f["avg_red"]), float(f["avg_green"]), float(f["avg_blue"])], dtype=np.float32)
            centred = g.node("Sub", [INPUT_NAME, g.constant("mean", mean.reshape(1, 3, 1, 1))], "centred")
            # dlib divides by 256 after subtracting the mean; a power of two, so the product is exact.
            current = g.node("Mul", [centred, g.constant("scale", np.array(1 / 256, dtype=np.float32))], "normalised")
            shape = (3, rows, cols)
        elif kind == "con":
            filters, inputs = int(f["filters"]), int(f["inputs"])
            kr, kc = int(f["rows"]), int(f["cols"])
            sy, sx, py, px = (int(f[k]) for k in ("stride_y", "stride_x", "pad_y", "pad_x"))
            if inputs != shape[0]:
                raise ValueError(f"layer {index}: con expects {inputs} channels, gets {shape[0]}")
            data = take(params, f).astype(np.float64)
            weights = data[:filters * inputs * kr * kc].reshape(filters, inputs, kr, kc)
            bias = data[filters * inputs * kr * kc:] if f["bias"] == "1" else np.zeros(filters)
            attributes = dict(kernel_shape=[kr, kc], strides=[sy, sx], pads=[py, px, py, px])
            pending_conv = (weights, bias, current, attributes)
            out_rows, out_cols = pooled(shape[1], kr, sy, py), pooled(shape[2], kc, sx, px)
            g.multiply_adds += filters * inputs * kr * kc * out_rows * out_cols
            g.parameters += data.size
            shape = (filters, out_rows, out_cols)
        elif kind == "affine":
            channels = int(f["channels"])
            data = take(params, f).astype(np.float64)
            gamma, beta = data[:channels], data[channels:]
            g.parameters += data.size
            if f["mode"] != "conv" or pending_conv is None:
                raise ValueError(f"layer {index}: only per-channel affine layers right above a con are supported")
            weights, bias, source, attributes = pending_conv
            pending_conv = (weights * gamma[:, None, None, None], bias * gamma + beta, source, attributes)
        elif kind == "relu":
            current = g.node("Relu", [current])
        elif kind in ("max_pool", "avg_pool"):
            kr, kc = int(f["rows"]), int(f["cols"])
            sy, sx, py, px = (int(f[k]) for k in ("stride_y", "stride_x", "pad_y", "pad_x"))
            if kr == 0 and kc == 0:
                op = "GlobalMaxPool" if kind == "max_pool" else "GlobalAveragePool"
                current = g.node(op, [current])
                shape = (shape[0], 1, 1)
            else:
                if py or px:
                    raise ValueError(f"layer {index}: padded pooling is not needed by this model and not supported")
                op = "MaxPool" if kind == "max_pool" else "AveragePool"
                current = g.node(op, [current], kernel_shape=[kr, kc], strides=[sy, sx], pads=[0, 0, 0, 0])
                shape = (shape[0], pooled(shape[1], kr, sy, 0), pooled(shape[2], kc, sx, 0))
        elif kind == "tag":
            tags[f["id"]] = (current, shape)
        elif kind == "skip":
            current, shape = tags[f["id"]]
        elif kind == "add_prev":
            other, other_shape = tags[f["id"]]
            target = tuple(max(a, b) for a, b in zip(shape, other_shape))

            def padded(name, s):
                if s == target:
                    return name
                pads = np.array([0, 0, 0, 0, 0, target[0] - s[0], target[1] - s[1], target[2] - s[2]], dtype=np.int64)
                return g.node("Pad", [name, g.constant("pads", pads)], "pad", mode="constant")

            current = g.node("Add", [padded(current, shape), padded(other, other_shape)], "add")
            shape = target
        elif kind == "fc":
            outputs, inputs = int(f["outputs"]), int(f["inputs"])
            if f["bias"] != "0":
                raise ValueError(f"layer {index}: fc with bias is not needed by this model")
            if inputs != shape[0] * shape[1] * shape[2]:
                raise ValueError(f"layer {index}: fc expects {inputs} inputs, gets {shape}")
            weights = take(params, f).reshape(inputs, outputs)
            flat = g.node("Flatten", [current], axis=1)
            current = g.node("MatMul", [flat, g.constant("fc_w", weights)], "fc")
            g.multiply_adds += inputs * outputs
            g.parameters += weights.size
            shape = (outputs,)
        elif kind == "loss_metric":
            # loss_metric's output is the fc output itself: no normalisation.
            g.nodes.append(helper.make_node("Identity", [current], [OUTPUT_NAME], name=OUTPUT_NAME))
        else:
            raise ValueError(f"layer {index}: unsupported dlib layer '{kind}'")

    graph = helper.make_graph(
        g.nodes,
        "dlib_face_recognition_resnet_model_v1",
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, ["batch", 3, 150, 150])],
        [helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, ["batch", shape[0]])],
        g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="facegallery models/dlib-resnet-v1/build_onnx.py")
    model.doc_string = ("dlib_face_recognition_resnet_model_v1 (dlib 19.24, CC0-1.0) converted layer by layer. "
                        "Input: RGB 0-255, planar NCHW 150x150; dlib's mean subtraction and /256 are in the graph. "
                        "Output: dlib's 128-D descriptor; same person when Euclidean distance < 0.6.")
    onnx.checker.check_model(model)
    with open(out_path, "wb") as out:
        out.write(model.SerializeToString())
    return {"multiplyAddsPerFace": int(g.multiply_adds), "parameters": int(g.parameters),
            "outputDimension": int(shape[0])}


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(json.dumps(build(sys.argv[1], sys.argv[2])))
