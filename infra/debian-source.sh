#!/usr/bin/env bash
# Downloads a Debian *source* package without touching the system's apt configuration.
# The archive URI is read from this machine's own apt sources, so no mirror is written here.
#   usage: infra/debian-source.sh PACKAGE SUITE DEST_DIR
# Leaves the .dsc, the orig tarballs (including component tarballs) and the debian tarball in DEST_DIR.
# apt checks every file against the signed index of SUITE, so what lands in DEST_DIR is verified.
set -euo pipefail
(($# == 3)) || { echo "usage: $0 PACKAGE SUITE DEST_DIR" >&2; exit 2; }
pkg=$1 suite=$2 dest=$3

# The machine's main Debian archive: the first enabled source whose suite is this release's own
# codename (or its -updates), which leaves out the security archive and third-party repositories.
archive_uri() {
  local codename
  # shellcheck source=/dev/null
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [[ -n $codename ]] || { echo "no VERSION_CODENAME in /etc/os-release" >&2; return 1; }
  local uri=""
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    # deb822 stanzas: paragraphs of "Field: value" lines.
    uri=$(awk -v codename="$codename" '
      BEGIN { RS = ""; FS = "\n" }
      {
        uris = ""; suites = ""; types = ""; enabled = "yes"
        for (i = 1; i <= NF; i++) {
          line = $i
          if (line ~ /^[ \t]*#/) continue
          field = tolower(line); sub(/:.*/, "", field)
          value = line; sub(/^[^:]*:[ \t]*/, "", value)
          if (field == "uris") uris = value
          else if (field == "suites") suites = value
          else if (field == "types") types = value
          else if (field == "enabled") enabled = tolower(value)
        }
        if (enabled == "no" || types !~ /(^|[ \t])deb([ \t]|$)/) next
        n = split(suites, s, /[ \t]+/)
        for (j = 1; j <= n; j++)
          if (s[j] == codename || s[j] == codename "-updates") {
            split(uris, u, /[ \t]+/); print u[1]; exit
          }
      }' /etc/apt/sources.list.d/*.sources)
  fi
  if [[ -z $uri && -f /etc/apt/sources.list ]]; then
    # One-line format: deb [options] URI SUITE COMPONENT...
    uri=$(awk -v codename="$codename" '
      $1 != "deb" { next }
      {
        i = 2
        if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        if ($(i + 1) == codename || $(i + 1) == codename "-updates") { print $i; exit }
      }' /etc/apt/sources.list)
  fi
  [[ -n $uri ]] || { echo "no Debian archive for '$codename' found in this machine's apt sources" >&2; return 1; }
  echo "$uri"
}

mkdir -p "$dest"
if compgen -G "$dest/${pkg}_*.dsc" >/dev/null; then
  echo "source package $pkg already in $dest"
  exit 0
fi
uri=$(archive_uri)

state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
chmod 755 "$state"
mkdir -p "$state/lists/partial" "$state/download"
# apt downloads as the unprivileged _apt user when it can write the target directory.
if ((EUID == 0)) && id _apt >/dev/null 2>&1; then chown _apt "$state/download"; fi
echo "deb-src $uri $suite main" > "$state/sources.list"
# Private sources, lists and caches: the system's apt state is neither read for sources nor rewritten.
apt_opts=(-o Dir::Etc::SourceList="$state/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o Dir::State::Lists="$state/lists"
          -o Dir::Cache::pkgcache="$state/pkgcache.bin" -o Dir::Cache::srcpkgcache="$state/srcpkgcache.bin"
          -o APT::Get::Download-Only=true)
apt-get "${apt_opts[@]}" -q update >/dev/null
(cd "$state/download" && apt-get "${apt_opts[@]}" -q source --download-only "$pkg")
mv "$state/download"/* "$dest"/
