#!/usr/bin/env bash
# Rebuilds FaceGallery's FaceCoresetNet from nothing: calibration, training, evaluation, export, checks.
#
#   models/facecoresetnet/build.sh
#
# Needs Debian's python3-torch, python3-onnx, python3-numpy and python3-pil (/usr/bin/python3).
# Scratch goes to $WORK (default ~/.cache/facegallery/facecoresetnet); the outputs that FaceGallery loads
# (ONNX, manifest, raw weights, parity file, metrics, training log) are written next to this script.
#
# Builds facecoresetnet-dlib128-v2. Calibration on real descriptors runs only when these are set (otherwise
# the committed calibration.json / calibration-v2.json are used as they are):
#   QUALITY_DATA    quality-data.jsonl of `facegallery eval build-real --out DIR` (seed 5, quality v1): the
#                   bald_guys chips' real quality v1 scores and damage -> calibration-v2.json; also gives the
#                   real-data check in metrics.json (bald_guys only, never the evaluation identities)
# and, for generator.py's base calibration (calibration.json, shared with the synthetic benchmark):
#   DLIB_FACE_TOOL  `dlib_face_tool` built from models/dlib-resnet-v1/tool (its `describe` command)
#   DLIB_MODEL      dlib_face_recognition_resnet_model_v1.dat (CC0, dlib's models tarball)
#   JOHNS_DIR       dlib's examples/johns folder (one sub-folder of aligned chips per person)
# Takes about an hour on two busy cores, nearly all of it training (4000 steps, single-threaded, seed fixed).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="${WORK:-$HOME/.cache/facegallery/facecoresetnet}"
PY=/usr/bin/python3
mkdir -p "$WORK"
cd "$HERE"

if [[ -n "${DLIB_FACE_TOOL:-}" && -n "${DLIB_MODEL:-}" && -n "${JOHNS_DIR:-}" ]]; then
    echo "== calibrating the generator on dlib descriptors of $JOHNS_DIR"
    mapfile -t chips < <(find "$JOHNS_DIR" -name '*.jpg' | sort)
    "$DLIB_FACE_TOOL" describe "$DLIB_MODEL" "${chips[@]}" > "$WORK/johns.jsonl"
    rm -rf "$WORK/degraded"
    "$PY" degrade_chips.py "$WORK/degraded" "${chips[@]}"
    mapfile -t degraded < <(find "$WORK/degraded" -name '*.png' | sort)
    "$DLIB_FACE_TOOL" describe "$DLIB_MODEL" "${degraded[@]}" > "$WORK/degraded.jsonl"
    "$PY" calibrate.py calibration.json "$WORK/johns.jsonl" "$WORK/degraded.jsonl"
else
    echo "== using the committed calibration.json (set DLIB_FACE_TOOL, DLIB_MODEL, JOHNS_DIR to redo it)"
fi

quality_args=()
if [[ -n "${QUALITY_DATA:-}" ]]; then
    echo "== calibrating the observed-quality model on the bald_guys chips of $QUALITY_DATA"
    "$PY" calibrate_quality.py calibration-v2.json "$QUALITY_DATA"
    quality_args=(--quality-data "$QUALITY_DATA")
fi

echo "== training (generator_v2 mix, in-batch margin softmax + one-threshold pair loss)"
"$PY" train.py "$WORK/train" --steps 4000 --minutes 600 --generator v2 --pair-weight "${PAIR_WEIGHT:-1.0}"
cp "$WORK/train/training.json" training.json

echo "== evaluating against mean, quality-mean and best-single"
"$PY" evaluate.py "$WORK/train/weights.pt" "${quality_args[@]}" > metrics.json

echo "== exporting (ONNX, manifest, raw weights, torch parity file; numpy run of the graph vs torch)"
"$PY" export.py "$WORK/train/weights.pt" . --training training.json --metrics metrics.json

echo "== checkpoint converter self-test"
"$PY" convert_checkpoint.py --self-test
