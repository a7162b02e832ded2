#!/usr/bin/env bash
# Load test on one machine, loopback only: a throwaway PostgreSQL, N FaceGallery.Server silos, the load
# generator (load-tests/FaceGallery.LoadTests), one chaos action at about the middle, verification of every
# acknowledged enrollment, reports. Everything it starts is stopped by PID on exit (trap).
#   usage: load-tests/run.sh enroll|search|mixed [--silos N] [--duration SECONDS] [--rate PER_SECOND]
#              [--chaos none|kill-silo|add-silo|remove-silo|restart-postgres] [--out DIR]
#              [--concurrency N] [--requests N] [--enroll-ratio R] [--preload N] [--cpu-groups auto|on|off]
#              [--silo-cpus CORES]
#   env:   LOADTEST_PG_PORT   port of its PostgreSQL (default: first free of 55480-55489)
#          LOADTEST_BASE_PORT first of the silo/gateway/HTTP ports it probes for free ones (default 21100)
# Without --rate the generator runs closed loop (--concurrency workers, default 16).
# --cpu-groups (default auto: on when this shell may create cpu cgroups): PostgreSQL, the generator and the
# silos each get an equal CPU share, and the silos split theirs equally, as if each silo were its own
# machine; otherwise a silo's share follows its thread count and a starting silo starves on a busy box.
# --silo-cpus caps each silo at that many cores (a CPU quota on its group), like a cluster of small machines:
# the way to see throughput grow with silo count on one box, as long as the silos are the bottleneck.
# add-silo starts the new silo at a third of the measured phase (other chaos at half) so it has time to join.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly root=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
log() { printf '[%s] run.sh: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "$*"; exit 1; }

scenario=${1:-}
[[ $scenario =~ ^(enroll|search|mixed)$ ]] || usage
shift
silos=1 duration=30 rate="" chaos=none out="" concurrency=16 requests=1000000 ratio=0.2 preload="" cpu_groups=auto silo_cpus=""
while (($#)); do
  case $1 in
    --silos) silos=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --chaos) chaos=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    --enroll-ratio) ratio=$2; shift 2 ;;
    --preload) preload=$2; shift 2 ;;
    --cpu-groups) cpu_groups=$2; shift 2 ;;
    --silo-cpus) silo_cpus=$2; shift 2 ;;
    *) usage ;;
  esac
done
[[ $silos =~ ^[1-9][0-9]?$ ]] || die "--silos must be 1-99"
[[ $duration =~ ^[0-9]+$ ]] && ((duration >= 4 && duration <= 3600)) || die "--duration must be 4-3600 seconds"
[[ $chaos =~ ^(none|kill-silo|add-silo|remove-silo|restart-postgres)$ ]] || die "unknown --chaos $chaos"
[[ $cpu_groups =~ ^(auto|on|off)$ ]] || die "--cpu-groups must be auto, on or off"
if [[ -n $silo_cpus ]]; then
  [[ $silo_cpus =~ ^[0-9]*\.?[0-9]+$ ]] && awk "BEGIN { exit !($silo_cpus >= 0.05) }" || die "--silo-cpus must be a number of cores, at least 0.05"
  [[ $cpu_groups == off ]] && die "--silo-cpus needs cpu groups"
  cpu_groups=on
fi
if [[ $chaos == kill-silo || $chaos == remove-silo ]] && ((silos < 2)); then die "--chaos $chaos needs --silos 2 or more"; fi
out=${out:-load-tests/results/$scenario-${silos}silo-$chaos-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)

readonly server_dll=$root/src/FaceGallery.Server/bin/Release/net10.0/FaceGallery.Server.dll
readonly load_dll=$root/load-tests/FaceGallery.LoadTests/bin/Release/net10.0/facegallery-load.dll
readonly cli_dll=$root/src/FaceGallery.Cli/bin/Release/net10.0/facegallery.dll
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pg_port=${LOADTEST_PG_PORT:-}
if [[ -z $pg_port ]]; then
  for candidate in $(seq 55480 55489); do
    if ! port_open "$candidate" && [[ ! -e /var/tmp/facegallery-loadtest-pg-$candidate ]]; then pg_port=$candidate; break; fi
  done
  [[ -n $pg_port ]] || die "no free port for PostgreSQL among 55480-55489 (set LOADTEST_PG_PORT)"
fi
readonly pg_port
readonly pg_dir=/var/tmp/facegallery-loadtest-pg-$pg_port
readonly chaos_log=$out/chaos.log urls_file=$out/urls.txt started_marker=$out/.measuring
pids=() names=() http_ports=() pg_started="" load_pid=""

# --- CPU groups (cgroup v2, or v1's cpu controller): base/{postgres,load,silos/{silo-1,...}} ----------------
cpu_base=""
cgroup_v2() { [[ -f /sys/fs/cgroup/cgroup.controllers ]] && grep -qw cpu /sys/fs/cgroup/cgroup.controllers; }
make_cpu_groups() {
  [[ $cpu_groups == off ]] && return 0
  local base
  if cgroup_v2; then
    base=/sys/fs/cgroup/facegallery-loadtest-$$
    { echo +cpu >/sys/fs/cgroup/cgroup.subtree_control && mkdir -p "$base/silos" && echo +cpu >"$base/cgroup.subtree_control" \
        && echo +cpu >"$base/silos/cgroup.subtree_control" && mkdir -p "$base/postgres" "$base/load"; } 2>/dev/null || base=""
  elif [[ -w /sys/fs/cgroup/cpu ]]; then
    base=/sys/fs/cgroup/cpu/facegallery-loadtest-$$
    mkdir -p "$base/silos" "$base/postgres" "$base/load" 2>/dev/null || base=""
  fi
  if [[ -z $base ]]; then
    [[ $cpu_groups == on ]] && die "--cpu-groups on: cannot create cpu cgroups here (needs root and a writable cgroup cpu controller)"
    log "cpu groups: not available here, processes share the CPU by thread count"
    return 0
  fi
  cpu_base=$base
  log "cpu groups under $cpu_base: postgres, load generator and the silos get equal shares"
}
into_cpu_group() {   # into_cpu_group GROUP PID: best effort; a process that already exited is fine
  [[ -n $cpu_base ]] || return 0
  mkdir -p "$cpu_base/$1" 2>/dev/null || true
  echo "$2" >"$cpu_base/$1/cgroup.procs" 2>/dev/null || true
}
cap_cpu_group() {    # cap_cpu_group GROUP CORES: a CFS quota of CORES per 100 ms period
  local quota
  quota=$(awk "BEGIN { printf \"%d\", $2 * 100000 }")
  if cgroup_v2; then echo "$quota 100000" >"$cpu_base/$1/cpu.max"
  else echo 100000 >"$cpu_base/$1/cpu.cfs_period_us" && echo "$quota" >"$cpu_base/$1/cpu.cfs_quota_us"; fi \
    || die "could not cap $1 at $2 cores"
}
postgres_into_cpu_group() {   # the postmaster and the processes it already forked; later backends inherit
  local pm child
  pm=$(head -n1 "$pg_dir/data/postmaster.pid" 2>/dev/null) || return 0
  into_cpu_group postgres "$pm"
  for child in $(pgrep -P "$pm"); do into_cpu_group postgres "$child"; done
}
remove_cpu_groups() {
  [[ -n $cpu_base && -d $cpu_base ]] || return 0
  local dir
  # deepest first; a group still holding a process (one that refused to die) stays and is reported
  for dir in $(find "$cpu_base" -mindepth 1 -type d | sort -r) "$cpu_base"; do rmdir "$dir" 2>/dev/null || log "could not remove $dir"; done
}

# --- cleanup: everything this script started, by PID ------------------------------------------------
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n $load_pid ]] && kill -0 "$load_pid" 2>/dev/null; then kill -TERM "$load_pid" 2>/dev/null || true; fi
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [[ -n $pg_started ]]; then PGDEV_PORT=$pg_port PGDEV_DIR=$pg_dir infra/pg-dev.sh stop >/dev/null 2>&1 || log "could not stop PostgreSQL in $pg_dir"; fi
  rm -f "$started_marker"
  remove_cpu_groups
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

make_cpu_groups

# --- build when needed ------------------------------------------------------------------------------
stale() { [[ ! -f $1 ]] || [[ -n $(find "${@:2}" -newer "$1" \( -name '*.cs' -o -name '*.csproj' -o -name '*.sql' -o -name '*.props' \) -not -path '*/obj/*' -not -path '*/bin/*' -print -quit) ]]; }
if stale "$server_dll" src Directory.Packages.props; then log "building the server (Release)"; dotnet build src/FaceGallery.Server -c Release -v q -nologo >"$out/logs/build.log" || { tail -n 30 "$out/logs/build.log"; die "build failed"; }; touch "$server_dll"; fi
if stale "$load_dll" load-tests tests/FaceGallery.Testing; then log "building the load generator (Release)"; dotnet build load-tests/FaceGallery.LoadTests -c Release -v q -nologo >>"$out/logs/build.log" || { tail -n 30 "$out/logs/build.log"; die "build failed"; }; touch "$load_dll"; fi
if stale "$cli_dll" src; then log "building the CLI (Release)"; dotnet build src/FaceGallery.Cli -c Release -v q -nologo >>"$out/logs/build.log" || { tail -n 30 "$out/logs/build.log"; die "build failed"; }; touch "$cli_dll"; fi

# --- PostgreSQL ---------------------------------------------------------------------------------------
pg_dev() { PGDEV_PORT=$pg_port PGDEV_DIR=$pg_dir infra/pg-dev.sh "$@"; }
if [[ -e $pg_dir ]]; then pg_dev stop >/dev/null 2>&1 || true; fi   # leftovers of a killed run
pg_started=1
connection=$(pg_dev start 2>"$out/logs/pg-dev.log" | tail -n1) || true
[[ $connection == Host=* ]] || { cat "$out/logs/pg-dev.log" >&2; die "PostgreSQL did not start"; }
log "PostgreSQL on 127.0.0.1:$pg_port"
postgres_into_cpu_group

# --- silos --------------------------------------------------------------------------------------------
next_port=${LOADTEST_BASE_PORT:-21100}
free_port() {   # sets $port (no subshell, so the counter moves on)
  while port_open "$next_port"; do next_port=$((next_port + 1)); done
  port=$next_port; next_port=$((next_port + 1))
}
start_silo() {   # start_silo NAME: starts it in the background, records pid and HTTP port
  local name=$1 silo_port gateway_port http_port
  free_port; silo_port=$port; free_port; gateway_port=$port; free_port; http_port=$port
  (cd "$(dirname "$server_dll")" && exec env ConnectionStrings__Gallery="$connection" \
      Orleans__SiloPort="$silo_port" Orleans__GatewayPort="$gateway_port" Orleans__ClusterId=loadtest FaceGallery__DrainSeconds=3 \
      DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
      dotnet "$server_dll" --urls "http://127.0.0.1:$http_port") >"$out/logs/$name.log" 2>&1 &
  pids+=($!) names+=("$name") http_ports+=("$http_port")
  if [[ -n $silo_cpus ]]; then mkdir -p "$cpu_base/silos/$name" && cap_cpu_group "silos/$name" "$silo_cpus"; fi
  into_cpu_group "silos/$name" "$!"
  log "$name: pid $! http $http_port silo $silo_port gateway $gateway_port"
}
wait_ready() {   # wait_ready INDEX
  local i=$1
  for _ in $(seq 1 600); do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then local rc=0; wait "${pids[$i]}" || rc=$?; tail -n 30 "$out/logs/${names[$i]}.log" >&2; die "${names[$i]} exited with $rc"; fi
    if curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:${http_ports[$i]}/health/ready"; then return 0; fi
    sleep 0.2
  done
  die "${names[$i]} not ready within 120 s"
}
active_silos() { curl -fsS --max-time 3 "http://127.0.0.1:${http_ports[0]}/v1/cluster" 2>/dev/null | jq '[.silos[] | select(.status == "Active")] | length' 2>/dev/null || echo 0; }
wait_active() {   # wait_active COUNT TIMEOUT_S
  local deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do (($(active_silos) == $1)) && return 0; sleep 0.2; done
  return 1
}

for i in $(seq 1 "$silos"); do start_silo "silo-$i"; done
for i in $(seq 0 $((silos - 1))); do wait_ready "$i"; done
wait_active "$silos" 60 || die "the cluster never showed $silos active silos"
log "$silos silo(s) active"
: >"$urls_file"; : >"$chaos_log"
for p in "${http_ports[@]}"; do echo "http://127.0.0.1:$p/" >>"$urls_file"; done

# --- load -----------------------------------------------------------------------------------------------
args=(run --scenario "$scenario" --url-file "$urls_file" --duration "$duration" --requests "$requests"
      --concurrency "$concurrency" --enroll-ratio "$ratio" --connection "$connection" --silos "$silos" --chaos "$chaos"
      --chaos-log "$chaos_log" --started-marker "$started_marker" --out "$out")
for p in "${http_ports[@]}"; do args+=(--url "http://127.0.0.1:$p/"); done
[[ -n $rate ]] && args+=(--rate "$rate")
[[ -n $preload ]] && args+=(--preload "$preload")
[[ -n $silo_cpus ]] && args+=(--silo-cpus "$silo_cpus")
rm -f "$started_marker"
dotnet "$load_dll" "${args[@]}" > >(tee "$out/logs/load.log") 2>&1 &
load_pid=$!
into_cpu_group load "$load_pid"

# --- chaos at about the middle of the measured phase -------------------------------------------------------
event() { printf '%s\t%s\t%s\n' "$(date +%s%3N)" "$1" "$2" >>"$chaos_log"; log "chaos: $2"; }
if [[ $chaos != none ]]; then
  while [[ ! -f $started_marker ]]; do kill -0 "$load_pid" 2>/dev/null || break; sleep 0.1; done
  if [[ $chaos == add-silo ]]; then at=3; else at=2; fi
  sleep "$(awk "BEGIN { print $duration / $at }")"
  last=$((${#pids[@]} - 1))
  case $chaos in
    kill-silo)
      event action "SIGKILL ${names[$last]}"
      kill -KILL "${pids[$last]}"
      if wait_active $((silos - 1)) 60; then event observed "${names[$last]} declared dead"; fi ;;
    remove-silo)
      event action "SIGTERM ${names[$last]} (scale in)"
      kill -TERM "${pids[$last]}"
      for _ in $(seq 1 600); do kill -0 "${pids[$last]}" 2>/dev/null || break; sleep 0.1; done
      event observed "${names[$last]} exited" ;;
    add-silo)
      event action "start silo-$((silos + 1))"
      start_silo "silo-$((silos + 1))"
      wait_ready "$silos"
      wait_active $((silos + 1)) 60 || true
      echo "http://127.0.0.1:${http_ports[$silos]}/" >>"$urls_file"
      event observed "silo-$((silos + 1)) active, taking requests" ;;
    restart-postgres)
      event action "stop PostgreSQL"
      if ((EUID == 0)); then
        (cd / && runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl stop -D "$pg_dir/data" -m fast -w >/dev/null)
      else
        /usr/lib/postgresql/15/bin/pg_ctl stop -D "$pg_dir/data" -m fast -w >/dev/null
      fi
      event observed "PostgreSQL stopped"
      sleep 5
      event action "start PostgreSQL"
      pg_dev start >/dev/null 2>>"$out/logs/pg-dev.log"
      postgres_into_cpu_group
      event observed "PostgreSQL accepting connections" ;;
  esac
fi

load_rc=0
wait "$load_pid" || load_rc=$?
load_pid=""

# --- descriptor consistency check over the whole gallery ---------------------------------------------------
check_rc=0
dotnet "$cli_dll" check-descriptors --connection "$connection" >"$out/descriptor-check.txt" 2>&1 || check_rc=$?
{
  printf '\n## Descriptor consistency check\n\n`facegallery check-descriptors` recomputed every descriptor from its samples with the server'"'"'s aggregator (exit %s):\n\n```\n' "$check_rc"
  tail -n 15 "$out/descriptor-check.txt"
  printf '```\n'
} >>"$out/report.md"
log "report: $out/report.md (generator exit $load_rc, descriptor check exit $check_rc)"
((load_rc == 0 && check_rc == 0))
