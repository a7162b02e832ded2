#!/usr/bin/env bash
# Rebuilds dlib-resnet-v1.onnx from Debian's dlib source package and checks that it is byte-for-byte
# the committed file (the conversion is deterministic: same dump, same numpy folding, same protobuf).
#   models/dlib-resnet-v1/build.sh            rebuild and compare (exit 1 on any difference)
#   models/dlib-resnet-v1/build.sh --update   rebuild and replace the committed ONNX file and manifest
# Needs: libdlib-dev, g++, pkg-config, python3-onnx, python3-numpy. Scratch: $DLIB_RESNET_WORK
# (default ~/.cache/facegallery/dlib-resnet-v1); source package: $DLIB_SOURCE_DIR (default ~/.cache/facegallery/dlib).
source "$(dirname "$0")/tool/common.sh"
update=false
[[ ${1:-} == --update ]] && update=true

fetch_source
unpack "$MODELS_TARBALL" "$MODELS_MEMBER/dlib_face_recognition_resnet_model_v1.dat" "$MODELS_MEMBER/LICENSE"
build_tool

rm -rf "$WORK/dump" && mkdir -p "$WORK/dump"
"$TOOL" export "$RESNET_DAT" "$WORK/dump"
summary=$("$PYTHON" "$MODEL_DIR/build_onnx.py" "$WORK/dump" "$WORK/dlib-resnet-v1.onnx")
"$PYTHON" "$MODEL_DIR/tool/write_manifest.py" "$WORK/dlib-resnet-v1.onnx" "$RESNET_DAT" "$summary" > "$WORK/manifest.json"

if $update; then
  cp "$WORK/dlib-resnet-v1.onnx" "$WORK/manifest.json" "$MODEL_DIR/"
  echo "updated $MODEL_DIR/dlib-resnet-v1.onnx and manifest.json"
elif cmp -s "$WORK/dlib-resnet-v1.onnx" "$MODEL_DIR/dlib-resnet-v1.onnx" && cmp -s "$WORK/manifest.json" "$MODEL_DIR/manifest.json"; then
  echo "reproduced byte-for-byte: $(sha256sum "$MODEL_DIR/dlib-resnet-v1.onnx")"
else
  echo "rebuilt model or manifest differs from the committed one (see $WORK)" >&2
  exit 1
fi
