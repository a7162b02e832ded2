# Shared by build.sh and make-reference-data.sh (sourced, not run).
# Fetches Debian's dlib source package when not cached, unpacks only the files the tooling needs, and
# builds dlib_face_tool against libdlib-dev. Everything lands under $WORK; nothing is written elsewhere.
set -euo pipefail

MODEL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_ROOT=$(cd "$MODEL_DIR/../.." && pwd)
DLIB_PACKAGE=dlib
DLIB_SUITE=bookworm
DLIB_VERSION=19.24+dfsg-1
DLIB_UPSTREAM=19.24+dfsg
CACHE=${FACEGALLERY_CACHE:-$HOME/.cache/facegallery}
SOURCE_DIR=${DLIB_SOURCE_DIR:-$CACHE/dlib}          # where the .dsc and orig tarballs live
WORK=${DLIB_RESNET_WORK:-$CACHE/dlib-resnet-v1}     # unpacked files, the tool, intermediate dumps
MODELS_TARBALL=$SOURCE_DIR/${DLIB_PACKAGE}_${DLIB_UPSTREAM}.orig-dlib-models.tar.bz2
MAIN_TARBALL=$SOURCE_DIR/${DLIB_PACKAGE}_${DLIB_UPSTREAM}.orig.tar.bz2
TOOL=$WORK/bin/dlib_face_tool
# Debian's interpreter: python3-onnx and python3-numpy are installed for it, not for any other python3 on PATH.
PYTHON=${PYTHON:-/usr/bin/python3}

fetch_source() {
  if [[ ! -f $MODELS_TARBALL || ! -f $MAIN_TARBALL ]]; then
    "$REPO_ROOT/infra/debian-source.sh" "$DLIB_PACKAGE" "$DLIB_SUITE" "$SOURCE_DIR"
  fi
  grep -q "^Version: $DLIB_VERSION\$" "$SOURCE_DIR/${DLIB_PACKAGE}_${DLIB_VERSION}.dsc" \
    || { echo "expected dlib $DLIB_VERSION in $SOURCE_DIR" >&2; exit 1; }
}

# unpack TARBALL MEMBER... : extracts the members (paths inside the tarball) into $WORK/unpacked once.
unpack() {
  local tarball=$1; shift
  local missing=()
  for member in "$@"; do [[ -e $WORK/unpacked/$member ]] || missing+=("$member"); done
  if ((${#missing[@]})); then
    mkdir -p "$WORK/unpacked"
    tar -xjf "$tarball" -C "$WORK/unpacked" "${missing[@]}"
  fi
}

build_tool() {
  local src=$MODEL_DIR/tool
  if [[ ! -x $TOOL || $src/dlib_face_tool.cpp -nt $TOOL || $src/face_network.h -nt $TOOL ]]; then
    mkdir -p "$(dirname "$TOOL")"
    echo "building dlib_face_tool (a few minutes: dlib's dnn templates are heavy)" >&2
    # shellcheck disable=SC2046
    g++ -std=c++17 -O2 -o "$TOOL" "$src/dlib_face_tool.cpp" $(pkg-config --cflags --libs dlib-1)
  fi
}

MODELS_MEMBER=dlib-models-$DLIB_UPSTREAM
RESNET_DAT=$WORK/unpacked/$MODELS_MEMBER/dlib_face_recognition_resnet_model_v1.dat
SHAPE5_DAT=$WORK/unpacked/$MODELS_MEMBER/shape_predictor_5_face_landmarks.dat
EXAMPLES=$WORK/unpacked/dlib-$DLIB_UPSTREAM/examples
