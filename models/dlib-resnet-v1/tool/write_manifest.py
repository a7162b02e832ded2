#!/usr/bin/env python3
"""Writes manifest.json for dlib-resnet-v1 to stdout.

usage: write_manifest.py MODEL.onnx SOURCE.dat SUMMARY_JSON
SUMMARY_JSON is build_onnx.py's output (multiply-adds and parameter count).
"""
import hashlib
import json
import os
import sys


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main(onnx_path, source_path, summary_json):
    summary = json.loads(summary_json)
    manifest = {
        "name": "dlib-resnet-v1",
        "file": os.path.basename(onnx_path),
        "sha256": sha256(onnx_path),
        "licence": "CC0-1.0",
        "source": {
            "package": "dlib",
            "version": "19.24+dfsg-1",
            "component": "dlib-models",
            "file": os.path.basename(source_path),
            "sha256": sha256(source_path),
        },
        "input": {
            "name": "image",
            "shape": [-1, 3, 150, 150],
            "layout": "NCHW",
            "colorOrder": "RGB",
            "range": [0, 255],
            "normalisation": {"inGraph": True, "mean": [122.782, 117.001, 104.298], "scale": 0.00390625},
        },
        "output": {"name": "embedding", "shape": [-1, summary["outputDimension"]]},
        "embedding": {
            "dimension": summary["outputDimension"],
            "distance": "euclidean",
            "threshold": 0.6,
            "thresholdSource": "dlib's documentation of dlib_face_recognition_resnet_model_v1: "
                               "same person when the Euclidean distance is below 0.6 (99.38% on LFW)",
        },
        "chip": {"size": 150, "padding": 0.25, "landmarks": 5,
                 "recipe": "dlib get_face_chip_details(shape5, 150, 0.25) + extract_image_chip"},
        "cost": {"multiplyAddsPerFace": summary["multiplyAddsPerFace"], "parameters": summary["parameters"]},
    }
    json.dump(manifest, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
