#!/usr/bin/env bash
# Loopback load test of `ascribe serve` (issue 15): N concurrent clients
# mixing reads, edits with If-Match and analyses for a bounded time, then
# the lost-edit check; and the analyse latency of the CLI on the same case.
#
#   bench/server/run.sh [--seconds S] [--clients N] [--cases C] [--database URL]
#   bench/server/run.sh --ci          # 30 s, 100 clients (CI smoke)
#
# --database postgres://…: the server keeps its records in PostgreSQL
# (`serve --database`), in a schema of its own created for the run and
# dropped at the end (needs psql).
#
# Defaults: 600 s (10 minutes), 100 clients, 10 cases (examples/sony-2014).
# Only loopback traffic; the server and the client stop by themselves.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_RUN=600 CLIENTS=100 CASES=10 DATABASE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_RUN=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --cases) CASES=$2; shift 2 ;;
    --ci) SECONDS_RUN=30; shift ;;
    --database) DATABASE=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
cargo build --release --locked -q -p ascribe-cli
cargo build --release --locked -q -p ascribe-server --example loadgen
BIN=target/release/ascribe
GEN=target/release/examples/loadgen
TMP=$(mktemp -d)
SPID=""
SCHEMA=""
cleanup() {
  [ -n "$SPID" ] && kill "$SPID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$TMP"
  [ -n "$SCHEMA" ] && psql -q "$DATABASE" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1 || true
}
trap cleanup EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SERVE_DB=()
if [ -n "$DATABASE" ]; then
  SCHEMA="bench_server_$$"
  psql -q "$DATABASE" -c "CREATE SCHEMA $SCHEMA" >/dev/null
  case "$DATABASE" in *\?*) SEP='&' ;; *) SEP='?' ;; esac
  SERVE_DB=(--database "${DATABASE}${SEP}options=-csearch_path%3D$SCHEMA")
fi
"$BIN" "${SERVE_DB[@]}" serve --data "$TMP/data" --listen "127.0.0.1:$PORT" 2> "$TMP/serve.log" &
SPID=$!
for _ in $(seq 1 300); do grep -q "password:" "$TMP/serve.log" 2>/dev/null && break; sleep 0.2; done
PW=$(sed -n 's/^  password: //p' "$TMP/serve.log")
[ -n "$PW" ] || { cat "$TMP/serve.log"; echo "server did not start" >&2; exit 1; }
tar -czf "$TMP/sony.tar.gz" -C examples sony-2014
grep "^ascribe serve: database" "$TMP/serve.log" || true
echo "== server load: $CLIENTS clients, $SECONDS_RUN s, $CASES cases (machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB)"
status=0
"$GEN" --url "http://127.0.0.1:$PORT" --password "$PW" --clients "$CLIENTS" --seconds "$SECONDS_RUN" \
  --cases "$CASES" --pid "$SPID" --archive "$TMP/sony.tar.gz" > "$TMP/load.json" || status=$?
cat "$TMP/load.json"
kill "$SPID"; wait "$SPID" 2>/dev/null || true; SPID=""
echo "== CLI: ascribe analyze examples/sony-2014 (store filled first; median of 5)"
"$BIN" --store "$TMP/cli.db" analyze examples/sony-2014 --json > /dev/null 2>&1
python3 - "$BIN" "$TMP/cli.db" <<'PY'
import subprocess, sys, time
t = []
for _ in range(5):
    s = time.perf_counter()
    subprocess.run([sys.argv[1], "--store", sys.argv[2], "analyze", "examples/sony-2014", "--json"], stdout=subprocess.DEVNULL, check=True)
    t.append((time.perf_counter() - s) * 1000)
t.sort()
print(f"cli_analyze_ms median {t[2]:.0f} (min {t[0]:.0f}, max {t[4]:.0f})")
PY
exit $status
