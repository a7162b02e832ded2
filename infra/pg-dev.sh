#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for development and tests: 127.0.0.1 only, trust authentication,
# superuser `postgres`, the `vector` extension in template1 (so every new database has it) and postgres.
#   usage: infra/pg-dev.sh start|stop|status
#   env:   PGDEV_PORT  TCP port (default 55432)
#          PGDEV_DIR   state directory: data, log, socket (default /var/tmp/facegallery-pg-<port>)
# start   idempotent; waits until the server accepts connections; last line = Npgsql connection string
# stop    stops the server and deletes the state directory (only one this script created)
# status  exit 0 and the connection string when running, exit 3 when not
# Needs PostgreSQL 15 and pgvector: infra/setup-postgres.sh.
set -euo pipefail

port=${PGDEV_PORT:-55432}
state=${PGDEV_DIR:-/var/tmp/facegallery-pg-$port}
readonly pg_bin=/usr/lib/postgresql/15/bin
readonly data=$state/data
readonly log_file=$state/postgres.log
readonly marker=$state/.pg-dev   # proves the directory is ours before `stop` deletes it
readonly connection="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"

log() { echo "pg-dev[$port]: $*" >&2; }
die() { log "$*"; exit 1; }

if ! [[ $port =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
  die "PGDEV_PORT must be a TCP port, not '$port'"
fi
# The directory goes into postgresql.conf as a quoted string.
[[ $state == /* && $state != *[\'\"\ ]* ]] || die "PGDEV_DIR must be an absolute path without quotes or spaces"

# initdb and pg_ctl refuse to run as root: as root, run them as `postgres`. From `/` because the
# caller's working directory may be closed to that user.
as_owner() {
  if ((EUID == 0)); then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

sql() { PGCONNECT_TIMEOUT=10 PGOPTIONS="-c client_min_messages=warning" "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"; }

is_running() { [[ -f $data/PG_VERSION ]] && as_owner "$pg_bin/pg_ctl" status -D "$data" >/dev/null 2>&1; }

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

is_ours() { [[ -f $marker ]]; }

require_ours() {
  is_ours || die "$state exists but was not created by pg-dev.sh; refusing to touch it"
}

create_state_dir() {
  if [[ -d $state ]]; then
    if ! is_ours; then
      [[ -z $(ls -A "$state") ]] || die "$state is not empty and was not created by pg-dev.sh"
    fi
  fi
  mkdir -p "$state"
  touch "$marker"
  chmod 700 "$state"
  if ((EUID == 0)); then chown -R postgres:postgres "$state"; fi
}

init_cluster() {
  log "initdb in $data"
  rm -rf "$data"   # a half-made data directory from an interrupted initdb
  as_owner "$pg_bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    >"$state/initdb.log" 2>&1 || { cat "$state/initdb.log" >&2; die "initdb failed"; }
  as_owner tee "$data/pg_hba.conf" >/dev/null <<'EOF'
# pg-dev.sh: trust on the local socket and on IPv4 loopback only.
local all all trust
host  all all 127.0.0.1/32 trust
EOF
  echo "include_if_exists = 'pg-dev.conf'" | as_owner tee -a "$data/postgresql.conf" >/dev/null
}

# Rewritten on every start so the port and directory always match the environment.
write_settings() {
  # Parallel index builds use dynamic shared memory in /dev/shm; containers often cap it at 64 MB.
  local dsm=posix shm_mb
  shm_mb=$(df --output=size -BM /dev/shm 2>/dev/null | tail -n1 | tr -dc '0-9')
  if [[ -z $shm_mb ]] || ((shm_mb < 1024)); then dsm=mmap; fi
  as_owner tee "$data/pg-dev.conf" >/dev/null <<EOF
# Written by infra/pg-dev.sh on every start; edits here are lost.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$state'
max_connections = 300
shared_buffers = 256MB
maintenance_work_mem = 256MB
dynamic_shared_memory_type = $dsm
# Tests check durability (acknowledged means on disk): never trade these for speed here.
fsync = on
synchronous_commit = on
full_page_writes = on
timezone = 'UTC'
log_timezone = 'UTC'
EOF
}

ensure_vector() {
  local db
  for db in template1 postgres; do
    sql -d "$db" -c 'CREATE EXTENSION IF NOT EXISTS vector' \
      || die "cannot create the vector extension in $db (run infra/setup-postgres.sh)"
  done
}

cmd_start() {
  [[ -x $pg_bin/postgres ]] || die "PostgreSQL 15 is not installed (run infra/setup-postgres.sh)"
  if is_running; then
    log "already running from $data"
  else
    port_taken && die "127.0.0.1:$port is already in use by another process; choose another PGDEV_PORT"
    create_state_dir
    [[ -f $data/PG_VERSION ]] || init_cluster
    write_settings
    log "starting"
    as_owner "$pg_bin/pg_ctl" start -D "$data" -l "$log_file" -w -t 60 >/dev/null \
      || { tail -n 30 "$log_file" >&2; die "server did not start"; }
  fi
  "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 30 \
    || die "server for $data does not answer on 127.0.0.1:$port (started with another PGDEV_PORT?)"
  ensure_vector
  log "ready"
  echo "$connection"
}

cmd_stop() {
  if [[ ! -e $state ]]; then
    log "nothing at $state"
    return 0
  fi
  require_ours
  if is_running; then
    log "stopping"
    as_owner "$pg_bin/pg_ctl" stop -D "$data" -m fast -w -t 60 >/dev/null \
      || as_owner "$pg_bin/pg_ctl" stop -D "$data" -m immediate -w -t 30 >/dev/null
  fi
  rm -rf -- "$state"
  log "stopped; removed $state"
}

cmd_status() {
  if is_ours && is_running; then
    log "running from $data"
    echo "$connection"
  else
    log "not running (state directory $state)"
    return 3
  fi
}

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
