#!/usr/bin/env bash
# Regenerates tests/data/dlib: dlib's own outputs that the C# tests compare ONNX Runtime against.
#   johns/             dlib's examples/johns chips (5 people x 11 aligned 150x150 chips), copied as they are
#   johns.json         dlib's descriptor of every johns chip
#   photos/            dlib's examples/faces photos
#   chips/             the chips dlib cuts from those photos: HOG detector (no upsampling), 5-point
#                      shape predictor, get_face_chip_details(shape, 150, 0.25), extract_image_chip; PNG
#   faces.json         per photo: HOG boxes and scores, landmarks, chip rectangle/angle, chip file, descriptor
# Same tooling and scratch as build.sh.
source "$(dirname "$0")/tool/common.sh"
OUT=$REPO_ROOT/tests/data/dlib

fetch_source
unpack "$MODELS_TARBALL" "$MODELS_MEMBER/dlib_face_recognition_resnet_model_v1.dat" \
  "$MODELS_MEMBER/shape_predictor_5_face_landmarks.dat"
unpack "$MAIN_TARBALL" "dlib-$DLIB_UPSTREAM/examples/johns" "dlib-$DLIB_UPSTREAM/examples/faces"
build_tool

rm -rf "$OUT/johns" "$OUT/photos" "$OUT/chips"
mkdir -p "$OUT/photos"
cp -r "$EXAMPLES/johns" "$OUT/johns"
# dogs.jpg has no people; the XML files are dlib's training annotations, not needed here.
find "$EXAMPLES/faces" -maxdepth 1 -name '*.jpg' ! -name dogs.jpg -exec cp {} "$OUT/photos/" \;

cd "$OUT"
mapfile -t johns < <(find johns -name '*.jpg' | LC_ALL=C sort)
"$TOOL" describe "$RESNET_DAT" "${johns[@]}" > "$WORK/johns.jsonl"
mapfile -t photos < <(find photos -name '*.jpg' | LC_ALL=C sort)
"$TOOL" faces "$RESNET_DAT" "$SHAPE5_DAT" chips "${photos[@]}" > "$WORK/faces.jsonl"

"$PYTHON" - "$WORK/johns.jsonl" "$WORK/faces.jsonl" <<'PY'
import json, sys
source = {"package": "dlib", "version": "19.24+dfsg-1",
          "model": "dlib_face_recognition_resnet_model_v1.dat",
          "tool": "models/dlib-resnet-v1/tool/dlib_face_tool.cpp against libdlib-dev 19.24"}
johns = [json.loads(line) for line in open(sys.argv[1])]
for chip in johns:
    chip["person"] = chip["file"].split("/")[1]
photos = [json.loads(line) for line in open(sys.argv[2])]
for photo, name in ((p, p["file"]) for p in photos):
    photo["file"] = "photos/" + name
    for face in photo["faces"]:
        face["chip"] = "chips/" + face["chip"]
with open("johns.json", "w") as f:
    json.dump({"source": source, "chips": johns}, f, indent=1)
    f.write("\n")
with open("faces.json", "w") as f:
    json.dump({"source": source, "detector": "dlib get_frontal_face_detector(), no upsampling",
               "landmarks": "shape_predictor_5_face_landmarks.dat",
               "chips": "get_face_chip_details(shape, 150, 0.25) + extract_image_chip", "photos": photos}, f, indent=1)
    f.write("\n")
print(f"{len(johns)} johns chips, {sum(len(p['faces']) for p in photos)} faces in {len(photos)} photos")
PY
du -sh "$OUT"
