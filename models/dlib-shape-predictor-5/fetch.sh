#!/usr/bin/env bash
# Reproduces shape_predictor_5_face_landmarks.dat from Debian's dlib source package (component
# tarball dlib_19.24+dfsg.orig-dlib-models.tar.bz2, CC0) and checks it against manifest.json.
#   usage: models/dlib-shape-predictor-5/fetch.sh [CACHE_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/facegallery/dlib}
name=shape_predictor_5_face_landmarks.dat
want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sha256"])' "$here/manifest.json")

"$repo/infra/debian-source.sh" dlib bookworm "$cache"
tarball=$(ls "$cache"/dlib_*.orig-dlib-models.tar.bz2)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xjf "$tarball" -C "$tmp" --wildcards "*/$name"
found=$(find "$tmp" -name "$name" | head -n 1)
got=$(sha256sum "$found" | cut -d' ' -f1)
[[ $got == "$want" ]] || { echo "sha256 mismatch: $got != $want" >&2; exit 1; }
cp "$found" "$here/$name"
echo "$here/$name"
