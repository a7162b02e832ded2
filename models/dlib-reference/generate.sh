#!/usr/bin/env bash
# Regenerates tests/data/dlib-faces: runs the dlib reference tool on dlib's example photos (committed
# in tests/data/dlib/photos, copied from the Debian source package dlib 19.24+dfsg-1) and writes
# reference.json plus one PNG chip per detected face.
#   usage: models/dlib-reference/generate.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
photos_dir=$repo/tests/data/dlib/photos
out=$repo/tests/data/dlib-faces
photos=(2007_007763 2008_001009 2008_001322 2008_002079 2008_002470 2008_002506 2008_004176
        2008_007676 2009_004587 Tom_Cruise_avp_2014_4 bald_guys)

"$here/build.sh" >/dev/null
mkdir -p "$out/chips"
rm -f "$out"/chips/*.png
args=()
for p in "${photos[@]}"; do
  args+=("$photos_dir/$p.jpg")
done
"$here/bin/dlib_reference" "$repo/models/dlib-shape-predictor-5/shape_predictor_5_face_landmarks.dat" \
  "$out/chips" "${args[@]}" > "$out/reference.json"
echo "wrote $out/reference.json and $(ls "$out/chips" | wc -l) chips"
