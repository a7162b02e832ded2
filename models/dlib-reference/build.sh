#!/usr/bin/env bash
# Builds the dlib reference tool against Debian's libdlib-dev (apt-get install libdlib-dev pkg-config).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/bin"
g++ -O2 -std=c++14 -o "$here/bin/dlib_reference" "$here/dlib_reference.cpp" $(pkg-config --cflags --libs dlib-1)
echo "$here/bin/dlib_reference"
