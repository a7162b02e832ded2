#!/usr/bin/env bash
# The FaceCoresetNet v2 experiment (`facecoresetnet-dlib128-v2`, NOT shipped: see docs/accuracy.md, "v2 attempt").
#
#   QUALITY_DATA=DIR/quality-data.jsonl models/facecoresetnet/build-v2.sh
#
# QUALITY_DATA (optional): quality-data.jsonl of `facegallery eval build-real --out DIR` (seed 5, quality v1);
# when set, calibration-v2.json is refitted from its bald_guys chips (never the evaluation identities) and
# metrics.json gets the bald_guys real check. Writes everything to $WORK/v2 (default
# ~/.cache/facegallery/facecoresetnet/v2); the shipped model next to this script is not touched.
# 1500 steps single-threaded: ~20 minutes on an idle core (the session's run took 43 minutes on a busy one).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="${WORK:-$HOME/.cache/facegallery/facecoresetnet}/v2"
PY=/usr/bin/python3
mkdir -p "$WORK/export"
cd "$HERE"

quality_args=()
if [[ -n "${QUALITY_DATA:-}" ]]; then
    "$PY" calibrate_quality.py calibration-v2.json "$QUALITY_DATA"
    quality_args=(--quality-data "$QUALITY_DATA")
fi
"$PY" train.py "$WORK/train" --steps 1500 --minutes 600 --generator v2 --pair-weight 3.0 --schedule decay
"$PY" evaluate.py "$WORK/train/weights.pt" "${quality_args[@]}" > "$WORK/metrics.json"
"$PY" export.py "$WORK/train/weights.pt" "$WORK/export" --name facecoresetnet-dlib128-v2 \
    --training "$WORK/train/training.json" --metrics "$WORK/metrics.json"
