#!/usr/bin/env bash
# Downloads a Debian *source* package without touching the system's apt configuration.
# The archive URI is read from this machine's own apt sources, so no mirror is written here.
#   usage: infra/debian-source.sh PACKAGE SUITE DEST_DIR
# Leaves the .dsc, the orig tarballs (including component tarballs) and the debian tarball in DEST_DIR.
set -euo pipefail
pkg=$1 suite=$2 dest=$3

archive_uri() {
  local uri=""
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    uri=$(awk '/^URIs:/ {for (i = 2; i <= NF; i++) if ($i !~ /security/) {print $i; exit}}' /etc/apt/sources.list.d/*.sources)
  fi
  if [[ -z $uri && -f /etc/apt/sources.list ]]; then
    uri=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file):/) {print $i; exit}}' /etc/apt/sources.list)
  fi
  [[ -n $uri ]] || { echo "no Debian archive URI found in this machine's apt sources" >&2; exit 1; }
  echo "$uri"
}

mkdir -p "$dest"
if compgen -G "$dest/${pkg}_*.dsc" >/dev/null; then
  echo "source package $pkg already in $dest"
  exit 0
fi
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
chmod 755 "$state"
mkdir -p "$state/lists/partial"
echo "deb-src $(archive_uri) $suite main" > "$state/sources.list"
apt_opts=(-o Dir::Etc::SourceList="$state/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o Dir::State::Lists="$state/lists" -o APT::Get::Download-Only=true)
apt-get "${apt_opts[@]}" -q update >/dev/null
(cd "$dest" && apt-get "${apt_opts[@]}" -q source --download-only "$pkg")
