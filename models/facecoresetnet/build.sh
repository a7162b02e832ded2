#!/usr/bin/env bash
# Rebuilds FaceGallery's FaceCoresetNet from nothing: calibration, training, evaluation, export, checks.
#
#   models/facecoresetnet/build.sh
#
# Needs Debian's python3-torch, python3-onnx, python3-numpy and python3-pil (/usr/bin/python3).
# Scratch goes to $WORK (default ~/.cache/facegallery/facecoresetnet); the outputs that FaceGallery loads
# (ONNX, manifest, raw weights, parity file, metrics, training log) are written next to this script.
#
# Calibration on real descriptors runs only when these are set (otherwise the committed calibration.json
# is used as it is):
#   DLIB_FACE_TOOL  `dlib_face_tool` built from models/dlib-resnet-v1/tool (its `describe` command)
#   DLIB_MODEL      dlib_face_recognition_resnet_model_v1.dat (CC0, dlib's models tarball)
#   JOHNS_DIR       dlib's examples/johns folder (one sub-folder of aligned chips per person)
# Takes about 15 minutes on two busy cores, most of it training (1000 steps, single-threaded, seed fixed).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="${WORK:-$HOME/.cache/facegallery/facecoresetnet}"
PY=/usr/bin/python3
mkdir -p "$WORK"
cd "$HERE"

real_descriptors=()
if [[ -n "${DLIB_FACE_TOOL:-}" && -n "${DLIB_MODEL:-}" && -n "${JOHNS_DIR:-}" ]]; then
    echo "== calibrating the generator on dlib descriptors of $JOHNS_DIR"
    mapfile -t chips < <(find "$JOHNS_DIR" -name '*.jpg' | sort)
    "$DLIB_FACE_TOOL" describe "$DLIB_MODEL" "${chips[@]}" > "$WORK/johns.jsonl"
    rm -rf "$WORK/degraded"
    "$PY" degrade_chips.py "$WORK/degraded" "${chips[@]}"
    mapfile -t degraded < <(find "$WORK/degraded" -name '*.png' | sort)
    "$DLIB_FACE_TOOL" describe "$DLIB_MODEL" "${degraded[@]}" > "$WORK/degraded.jsonl"
    "$PY" calibrate.py calibration.json "$WORK/johns.jsonl" "$WORK/degraded.jsonl"
    real_descriptors=("$WORK/johns.jsonl" "$WORK/degraded.jsonl")
else
    echo "== using the committed calibration.json (set DLIB_FACE_TOOL, DLIB_MODEL, JOHNS_DIR to redo it)"
fi

echo "== training"
"$PY" train.py "$WORK/train"
cp "$WORK/train/training.json" training.json

echo "== evaluating against mean and quality-mean"
"$PY" evaluate.py "$WORK/train/weights.pt" "${real_descriptors[@]}" > metrics.json

echo "== exporting (ONNX, manifest, raw weights, torch parity file; numpy run of the graph vs torch)"
"$PY" export.py "$WORK/train/weights.pt" . --training training.json --metrics metrics.json

echo "== checkpoint converter self-test"
"$PY" convert_checkpoint.py --self-test
