#!/usr/bin/env bash
# Installs PostgreSQL 15 and pgvector >= 0.8.0 on Debian 12 (run as root).
# bookworm ships no pgvector, so the extension is built from Debian trixie's *source* package
# (fetched by infra/debian-source.sh; apt verifies it against trixie's signed index).
# Idempotent: when both are already installed it returns at once, without root and without apt.
#   usage: infra/setup-postgres.sh [--force-build] [--destdir DIR]
#     --force-build  build and install pgvector even when a recent enough one is installed
#     --destdir DIR  build pgvector and stage it under DIR instead of the system (implies --force-build)
set -euo pipefail

readonly pg_major=15
readonly min_vector=0.8.0
readonly pg_bin=/usr/lib/postgresql/$pg_major/bin
readonly vector_control=/usr/share/postgresql/$pg_major/extension/vector.control
readonly vector_module=/usr/lib/postgresql/$pg_major/lib/vector.so
readonly packages=("postgresql-$pg_major" "postgresql-server-dev-$pg_major" build-essential dpkg-dev)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

force_build=false destdir=""
while (($#)); do
  case $1 in
    --force-build) force_build=true ;;
    --destdir) [[ $# -ge 2 ]] || { echo "--destdir needs a directory" >&2; exit 2; }
               destdir=$(realpath -m "$2"); force_build=true; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

log() { echo "setup-postgres: $*"; }
die() { echo "setup-postgres: $*" >&2; exit 1; }

# default_version of the vector extension installed under root $1 ("" = the system), or nothing.
vector_version() {
  local control=$1$vector_control
  [[ -f $control && -f $1$vector_module ]] || return 0
  sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$control"
}
vector_ok() {
  local version
  version=$(vector_version "$1")
  [[ -n $version ]] && dpkg --compare-versions "$version" ge "$min_vector"
}
postgres_ok() { [[ -x $pg_bin/postgres && -x $pg_bin/initdb && -x $pg_bin/pg_ctl && -x $pg_bin/psql ]]; }
package_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

if ! $force_build && postgres_ok && vector_ok ""; then
  log "PostgreSQL $pg_major and pgvector $(vector_version "") already installed; nothing to do"
  exit 0
fi
((EUID == 0)) || die "must run as root to install PostgreSQL $pg_major / pgvector"

missing=()
for package in "${packages[@]}"; do
  package_installed "$package" || missing+=("$package")
done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -q update
  apt-get -q install -y --no-install-recommends "${missing[@]}"
fi
postgres_ok || die "PostgreSQL $pg_major binaries missing under $pg_bin after installation"

if ! $force_build && vector_ok ""; then
  log "pgvector $(vector_version "") already installed"
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/pgvector-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"   # apt downloads as the unprivileged _apt user

log "fetching the pgvector source package of Debian trixie"
"$here/debian-source.sh" pgvector trixie "$work"
# Checksums are verified here; the .dsc signature cannot be (no Debian keyring), which is fine because
# apt already checked every file against trixie's signed index. Its warning is shown only on failure.
dpkg-source -x "$work"/pgvector_*.dsc "$work/pgvector" >"$work/dpkg-source.log" 2>&1 \
  || { cat "$work/dpkg-source.log" >&2; die "dpkg-source could not unpack pgvector"; }
source_version=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$work/pgvector/vector.control")
dpkg --compare-versions "$source_version" ge "$min_vector" \
  || die "trixie's pgvector is $source_version, older than $min_vector"

log "building pgvector $source_version"
make -C "$work/pgvector" -s -j"$(nproc)" PG_CONFIG="$pg_bin/pg_config"
make -C "$work/pgvector" -s install PG_CONFIG="$pg_bin/pg_config" ${destdir:+DESTDIR="$destdir"}

vector_ok "$destdir" || die "pgvector $min_vector or newer not found under ${destdir:-/} after make install"
log "pgvector $(vector_version "$destdir") installed${destdir:+ under $destdir}"
