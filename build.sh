#!/usr/bin/env bash
# Build and test entry point.
#   ./build.sh build [dotnet build args...]   Release build of FaceGallery.sln
#   ./build.sh test  [dotnet test args...]    the one test command (CI runs it through .ci/run):
#       installs PostgreSQL 15 + pgvector when missing, builds the whole solution, runs the tests against
#       a throwaway cluster of their own, always stops it, and ends with the line
#       `Tests: N passed, N failed, N skipped`. Extra args go to `dotnet test` (e.g. --filter ...).
# Environment for `test`:
#   FACEGALLERY_TEST_PG_PORT  port of the throwaway cluster; default: first free of 55439-55448
#   FACEGALLERY_TEST_HANG     per-test hang limit before the test host is killed (default 20m; "" = none)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
readonly root=$PWD
readonly solution=FaceGallery.sln
readonly results=$root/artifacts/test-results
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

step() { printf '\n==> [%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

cmd_build() {
  step "Building $solution (Release)"
  dotnet build "$solution" -c Release "$@"
}

# --- test -----------------------------------------------------------------------------------------

pg_port="" pg_dir="" test_rc="" lock_fd=""

# Children get the port lock closed ({lock_fd}>&-): a server or compiler daemon that inherited it
# would keep the port claimed long after this run ends.
pg_dev() { PGDEV_PORT=$pg_port PGDEV_DIR=$pg_dir infra/pg-dev.sh "$@" {lock_fd}>&-; }

# Several checkouts may run their tests at once on one machine: each run holds a lock on its port for
# its whole duration, so it never starts on, or cleans up, a cluster another run is using.
claim_port() {
  local candidates port
  if [[ -n ${FACEGALLERY_TEST_PG_PORT:-} ]]; then
    candidates=("$FACEGALLERY_TEST_PG_PORT")
  else
    mapfile -t candidates < <(seq 55439 55448)
  fi
  for port in "${candidates[@]}"; do
    exec {lock_fd}>"/var/tmp/facegallery-test-pg-$port.lock"
    if flock -n "$lock_fd"; then
      pg_port=$port
      pg_dir=/var/tmp/facegallery-test-pg-$port
      pg_dev stop >/dev/null 2>&1 || true   # leftovers of a run that was killed
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        return 0
      fi
      echo "port $port is used by something else" >&2
      pg_port="" pg_dir=""
    fi
    exec {lock_fd}>&-
  done
  echo "no free port for the test cluster among ${candidates[*]} (set FACEGALLERY_TEST_PG_PORT)" >&2
  return 1
}

# Counts the outcome of every test result in the .trx files into the globals passed/failed/skipped.
# (The trx <Counters> element leaves skipped tests out, so the results themselves are counted.)
count_results() {
  passed=0 failed=0 skipped=0
  local outcome
  while read -r outcome; do
    case $outcome in
      Passed) passed=$((passed + 1)) ;;
      NotExecuted | Inconclusive | NotRunnable) skipped=$((skipped + 1)) ;;
      *) failed=$((failed + 1)) ;;   # Failed, Error, Timeout, Aborted, ...
    esac
  done < <(find "$results" -name '*.trx' -exec grep -ho '<UnitTestResult [^>]*>' {} + 2>/dev/null \
             | sed -n 's/.* outcome="\([A-Za-z]*\)".*/\1/p')
}

# EXIT trap: stop the cluster, print the summary as the very last line, pick the exit status.
finish_test() {
  local rc=$?
  trap - EXIT
  if [[ -n $pg_port ]]; then
    step "Stopping the test cluster"
    pg_dev stop || echo "could not stop the test cluster in $pg_dir" >&2
  fi
  if [[ -n ${CI:-} ]]; then
    dotnet build-server shutdown >/dev/null 2>&1 || true   # no compiler servers outliving the job
  fi
  count_results
  if [[ -z $test_rc ]]; then
    echo "the tests did not run: a step before them failed (exit $rc)" >&2
  elif ((test_rc != 0 && failed == 0)); then
    echo "dotnet test exited with $test_rc (build error, crash or hang?)" >&2
  fi
  ((passed + failed > 0)) || echo "no test ran" >&2
  step "Summary (trx files in ${results#"$root"/})"
  echo "Tests: $passed passed, $failed failed, $skipped skipped"
  if ((rc != 0)); then exit "$rc"; fi
  if [[ $test_rc != 0 ]] || ((failed > 0 || passed + failed == 0)); then exit 1; fi
  exit 0
}

cmd_test() {
  rm -rf "$results"
  mkdir -p "$results"
  trap finish_test EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  step "[1/4] PostgreSQL 15 + pgvector, and Chromium for the web-page test (installs only what is missing)"
  infra/setup-postgres.sh
  infra/setup-chromium.sh

  # `dotnet test` alone builds only test projects and what they reference; build everything so a
  # project no test touches still breaks the run.
  step "[2/4] Building $solution (Release)"
  dotnet build "$solution" -c Release

  step "[3/4] Starting a throwaway PostgreSQL cluster"
  claim_port
  local connection
  connection=$(pg_dev start | tail -n1)
  [[ $connection == Host=* ]] || { echo "pg-dev.sh start gave no connection string" >&2; return 1; }
  export FACEGALLERY_TEST_PG=$connection
  echo "FACEGALLERY_TEST_PG=$FACEGALLERY_TEST_PG"

  step "[4/4] dotnet test $solution (Release) $*"
  local hang=()
  if [[ -n ${FACEGALLERY_TEST_HANG-20m} ]]; then
    hang=(--blame-hang-timeout "${FACEGALLERY_TEST_HANG-20m}" --blame-hang-dump-type none)
  fi
  test_rc=0
  dotnet test "$solution" -c Release --no-build --results-directory "$results" \
    --logger "trx;LogFilePrefix=tests" "${hang[@]}" "$@" {lock_fd}>&- || test_rc=$?
}

case ${1:-} in
  build) shift; cmd_build "$@" ;;
  test) shift; cmd_test "$@" ;;
  *) echo "usage: $0 build|test [extra dotnet args...]" >&2; exit 2 ;;
esac
