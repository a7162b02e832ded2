#!/usr/bin/env python3
"""Writes matmul.onnx: one MatMul of two float inputs with dynamic shapes (C = A x B).

The benchmarks time it on square matrices to measure the GFLOP/s ONNX Runtime's GEMM reaches on this
machine, the ceiling the face network's convolutions (im2col + GEMM in MLAS) can approach.
usage: /usr/bin/python3 make_matmul.py OUT.onnx
"""
import sys

import onnx
from onnx import TensorProto, helper

graph = helper.make_graph(
    [helper.make_node("MatMul", ["a", "b"], ["c"], name="matmul")],
    "matmul",
    [helper.make_tensor_value_info("a", TensorProto.FLOAT, ["m", "k"]),
     helper.make_tensor_value_info("b", TensorProto.FLOAT, ["k", "n"])],
    [helper.make_tensor_value_info("c", TensorProto.FLOAT, ["m", "n"])],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                          producer_name="facegallery tests/FaceGallery.Benchmarks/Models/make_matmul.py")
onnx.checker.check_model(model)
with open(sys.argv[1], "wb") as f:
    f.write(model.SerializeToString())
