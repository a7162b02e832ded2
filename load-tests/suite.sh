#!/usr/bin/env bash
# The documented set of load runs, one after another, into one folder: throughput vs silo count (silos
# capped at --silo-cpus cores each, and uncapped), then each chaos mode. Ends with the comparison
# (scaling.md, scaling.png) and one summary line per run. About 25 minutes on a 2-core machine.
#   usage: load-tests/suite.sh [--out DIR] [--silo-cpus CORES] [--only scaling|chaos]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

out=load-tests/results/suite-$(date -u +%Y%m%dT%H%M%SZ) cap=0.3 only=""
while (($#)); do
  case $1 in
    --out) out=$2; shift 2 ;;
    --silo-cpus) cap=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
run() {   # run NAME ARGS...: one run.sh run into $out/NAME; a failed run is reported and the suite goes on
  local name=$1; shift
  printf '[%s] suite: %s: load-tests/run.sh %s\n' "$(date -u +%H:%M:%S)" "$name" "$*" >&2
  load-tests/run.sh "$@" --out "$out/$name" >"$out/$name.log" 2>&1 || printf 'suite: %s exited with %s (see %s.log)\n' "$name" "$?" "$out/$name" >&2
}

if [[ $only != chaos ]]; then
  for n in 1 2 3; do run "mixed-${n}silo-capped" mixed --silos "$n" --duration 30 --silo-cpus "$cap"; done
  for n in 1 2 3; do run "mixed-${n}silo" mixed --silos "$n" --duration 30; done
  run add-silo-capped mixed --silos 2 --duration 120 --silo-cpus "$cap" --chaos add-silo
fi
if [[ $only != scaling ]]; then
  run kill-silo mixed --silos 3 --duration 60 --chaos kill-silo
  run restart-postgres mixed --silos 2 --duration 40 --chaos restart-postgres
  run remove-silo mixed --silos 3 --duration 30 --chaos remove-silo
  run add-silo mixed --silos 2 --duration 90 --rate 40 --chaos add-silo
fi

reports=()
for r in "$out"/mixed-*silo*/report.json; do [[ -f $r ]] && reports+=("$r"); done
if ((${#reports[@]})); then
  dotnet load-tests/FaceGallery.LoadTests/bin/Release/net10.0/facegallery-load.dll compare --out "$out" "${reports[@]}"
fi
for r in "$out"/*/report.json; do
  jq -r --arg run "$(basename "$(dirname "$r")")" \
    '"\($run): \(.requests) requests, \(.throughput_rps) req/s, p99 \(.latency_ms.p99) ms, errors \(.errors), lost \(.lost)"' "$r"
done
