#!/usr/bin/env bash
# The intel store embedded (SQLite + key file), on one PostgreSQL cluster and
# sharded over three clusters (a coordinator + three shards routed by ascribe,
# crates/store-pg/src/shard.rs), and the failure checks of issue 16.
#
#   bench/scale/shards.sh [N...]     import N synthetic indicators (default
#                                    1000000) into each layout, then look up
#                                    the keys of a 100,000-indicator case
#                                    (CASE=…), twice; CPU seconds per cluster
#   bench/scale/shards.sh --code [SIZE] [REPS]
#                                    the code index on the embedded store,
#                                    on one cluster (shard1) and on three
#                                    shards (coord + shard1-3), one after
#                                    the other in one run: corpus ingest
#                                    (FILES=… caps the corpus files,
#                                    CORPUS=… its directory) one sample a
#                                    transaction and in batches, a
#                                    synthetic index of SIZE functions
#                                    (default 10000000) grown in batches,
#                                    2,000-function query p50/p95 (REPS,
#                                    default 15) and band look-ups/s, CPU
#                                    seconds per cluster and of the client
#                                    (examples/shard-code-scale.rs). Each
#                                    PostgreSQL layout's data is dropped
#                                    once measured; the embedded index is
#                                    kept in /dev/shm meanwhile (RAM, not
#                                    disk). Memory is sized to the same
#                                    total for both layouts (--configure)
#   bench/scale/shards.sh --configure single|sharded|default
#                                    the clusters' memory for --code:
#                                    `single`: shard1 shared_buffers 3GB,
#                                    max_wal_size 1536MB; `sharded`:
#                                    shard1-3 1GB / 512MB each (the same
#                                    totals); both: effective_cache_size =
#                                    4 × shared_buffers, maintenance_work_mem
#                                    512MB; `default` restores Debian's
#                                    (ALTER SYSTEM RESET); restarts them
#   bench/scale/shards.sh --failures kill -9 of `ascribe intel import` and
#                                    `pg_ctlcluster … stop -m immediate` of a
#                                    shard mid-ingest: nothing acknowledged
#                                    lost (`store shard check`), a re-run
#                                    completes with every record
#
# Needs root: creates clusters `shard1..3` (ports 5433-5435) and `coord`
# (5436) with pg_createcluster when they are missing, and databases
# ascribe_bench* on them. The one-cluster layout runs on `shard1` alone, the
# sharded one has its coordinator on `coord` and its shards on `shard1..3`,
# so that each cluster's CPU time is this benchmark's only (`main`, shared
# with tests, is not used). Every database it makes is dropped at the end
# (KEEP=1 keeps them). All clusters share this machine: the
# figures are not a scaling measurement (BENCHMARKS.md says how they are
# projected).
set -euo pipefail
cd "$(dirname "$0")/../.."
uptime
PGV=${PGV:-15}
PORTS=(5433 5434 5435)
CP=5436 # the coordinator's cluster
CASE=${CASE:-100000}
U=ascribe_bench
PW=ascribe_bench
url() { echo "postgres://$U:$PW@127.0.0.1:$1/$2"; }
psql_su() { su postgres -c "cd / && psql -qAt -p $1 -c \"$2\""; }

setup_cluster() { # port name
  local port=$1 name=$2
  if [ "$name" != main ] && ! pg_lsclusters -h | awk -v n="$name" -v v="$PGV" '$1 == v && $2 == n' | grep -q .; then
    pg_createcluster "$PGV" "$name" --port "$port" -- --auth-host=scram-sha-256 >/dev/null
  fi
  pg_ctlcluster "$PGV" "$name" start >/dev/null 2>&1 || true
  psql_su "$port" "SELECT 1 FROM pg_roles WHERE rolname = '$U'" | grep -q 1 \
    || psql_su "$port" "CREATE ROLE $U LOGIN PASSWORD '$PW'"
}
fresh_db() { # port db
  su postgres -c "cd / && dropdb --if-exists -p $1 $2 2>/dev/null; createdb -p $1 -O $U $2"
}
drop_dbs() {
  [ -n "${KEEP:-}" ] && return 0
  for db in ${U}_coord ${U}_fail; do su postgres -c "cd / && dropdb --if-exists -p $CP $db 2>/dev/null"; done
  for p in "${PORTS[@]}"; do su postgres -c "cd / && dropdb --if-exists -p $p $U 2>/dev/null"; done
}

# CPU seconds (user + system) of a cluster: its postmaster, the children it
# has reaped (backends that exited) and the live ones.
cluster_cpu() { # name
  local pid
  pid=$(head -n 1 "/var/lib/postgresql/$PGV/$1/postmaster.pid")
  {
    awk '{ split($0, a, ") "); split(a[2], f, " "); print f[12] + f[13] + f[14] + f[15] }' "/proc/$pid/stat"
    for c in $(ps -o pid= --ppid "$pid"); do
      awk '{ split($0, a, ") "); split(a[2], f, " "); print f[12] + f[13] }' "/proc/$c/stat" 2>/dev/null || true
    done
  } | awk -v hz="$(getconf CLK_TCK)" '{ s += $1 } END { printf "%.1f", s / hz }'
}
cpu_all() { for n in coord shard1 shard2 shard3; do printf '%s=%s ' "$n" "$(cluster_cpu $n)"; done; }
cpu_delta() { # "before" "after"
  python3 - "$1" "$2" <<'EOF'
import sys
b = dict(x.split("=") for x in sys.argv[1].split())
a = dict(x.split("=") for x in sys.argv[2].split())
print(" ".join(f"{k}={float(a[k]) - float(b[k]):.1f}s" for k in a))
EOF
}

# --configure LAYOUT: memory of the clusters for the code benchmark (see above)
if [ "${1:-}" = "--configure" ]; then
  conf() { # name shared_buffers max_wal_size effective_cache_size
    local port
    port=$(pg_lsclusters -h | awk -v n="$1" -v v="$PGV" '$1 == v && $2 == n { print $3 }')
    if [ "$2" = reset ]; then
      for k in shared_buffers max_wal_size effective_cache_size maintenance_work_mem; do psql_su "$port" "ALTER SYSTEM RESET $k"; done
    else
      psql_su "$port" "ALTER SYSTEM SET shared_buffers = '$2'"
      psql_su "$port" "ALTER SYSTEM SET max_wal_size = '$3'"
      psql_su "$port" "ALTER SYSTEM SET effective_cache_size = '$4'"
      psql_su "$port" "ALTER SYSTEM SET maintenance_work_mem = '512MB'"
    fi
    pg_ctlcluster "$PGV" "$1" restart
    echo "$1: shared_buffers $(psql_su "$port" 'SHOW shared_buffers'), max_wal_size $(psql_su "$port" 'SHOW max_wal_size'), effective_cache_size $(psql_su "$port" 'SHOW effective_cache_size')"
  }
  case "${2:-}" in
    single) conf shard1 3GB 1536MB 12GB ;;
    sharded) for n in shard1 shard2 shard3; do conf "$n" 1GB 512MB 4GB; done ;;
    default) for n in shard1 shard2 shard3; do conf "$n" reset; done ;;
    *) echo "usage: $0 --configure single|sharded|default" >&2; exit 2 ;;
  esac
  exit 0
fi

setup_cluster "$CP" coord
for i in 1 2 3; do setup_cluster "${PORTS[$((i - 1))]}" "shard$i"; done
trap drop_dbs EXIT

if [ "${1:-}" = "--code" ]; then
  cargo build --release -q -p ascribe-store-pg --example shard-code-scale
  BIN=${CARGO_TARGET_DIR:-target}/release/examples/shard-code-scale
  WORK=$(mktemp -d /tmp/ascribe-shard-code.XXXXXX)
  EMB=$(mktemp -d /dev/shm/ascribe-shard-code-emb.XXXXXX)
  trap 'rm -rf "$WORK" "$EMB"; su postgres -c "cd / && dropdb --if-exists -p 5433 ${U}_single"; drop_dbs; "$0" --configure default >/dev/null' EXIT
  su postgres -c "cd / && dropdb --if-exists -p 5433 ${U}_single 2>/dev/null; createdb -p 5433 -O $U ${U}_single"
  fresh_db $CP ${U}_coord
  SH=""
  for p in "${PORTS[@]}"; do fresh_db "$p" $U; SH="$SH${SH:+,}$(url "$p" $U)"; done
  echo "== code index: embedded / one cluster (shard1) / three shards; $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load: $(cut -d' ' -f1-3 /proc/loadavg); disk: $(df -h /work | awk 'NR == 2 {print $4}') free"
  PG_SCALE_FILES=${FILES:-} CLUSTERS=coord,shard1,shard2,shard3 LAYOUT_HOOK="$0 --configure" \
    "$BIN" "$(url 5433 ${U}_single)" "$(url $CP ${U}_coord)" "$SH" "${CORPUS:-/work/corpus}" "$WORK" "$EMB" "${2:-10000000}" "${3:-15}"
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi

if [ "${1:-}" = "--failures" ]; then
  cargo build -q -p ascribe-cli
  BIN=${CARGO_TARGET_DIR:-target}/debug/ascribe
  FEEDS=$(mktemp -d /tmp/ascribe-shard-feeds.XXXXXX)
  trap 'rm -rf "$FEEDS" "$FEEDS.err"; drop_dbs' EXIT
  python3 - "$FEEDS" <<'EOF'
import random, sys
random.seed(16)
for f in range(60):
    with open(f"{sys.argv[1]}/feed{f:03}.txt", "w") as fh:
        for i in range(2000):
            fh.write(f"{random.randrange(1, 223)}.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}\n")
            fh.write(f"host{i}.feed{f}.example{f % 7}.com\n")
EOF
  EXPECT=240000
  fresh_db $CP ${U}_fail
  SHARDS=()
  for p in "${PORTS[@]}"; do fresh_db "$p" $U; SHARDS+=(--shard "postgres://$U@127.0.0.1:$p/$U"); done
  DB=$(url $CP ${U}_fail)
  "$BIN" store shard init --coordinator "$DB" "${SHARDS[@]}" >/dev/null
  acked() { su postgres -c "cd / && psql -qAt -p $CP -d ${U}_fail -c 'SELECT count(*) FROM intel_source'"; }
  wait_for() { # n sources acknowledged
    for _ in $(seq 1 600); do [ "$(acked)" -ge "$1" ] && return 0; sleep 0.1; done
    echo "timed out waiting for $1 sources" >&2; return 1
  }
  echo "== kill -9 of an importer mid-ingest (60 files, $EXPECT records)"
  "$BIN" --database "$DB" intel import "$FEEDS" > /dev/null 2>&1 &
  IMP=$!
  wait_for 15; sleep "0.$((RANDOM % 10))" # somewhere inside a batch or between two
  kill -9 "$IMP"; wait "$IMP" 2>/dev/null || true
  echo "killed after: $(su postgres -c "cd / && psql -qAt -p $CP -d ${U}_fail -c \"SELECT count(*) || ' sources, ' || sum(records) || ' records acknowledged' FROM intel_source\"")"
  "$BIN" --database "$DB" store shard check
  "$BIN" --database "$DB" intel import "$FEEDS" | tail -n 1
  "$BIN" --database "$DB" store shard check
  "$BIN" --database "$DB" intel stats | head -n 1

  echo "== shard 2 stopped (immediate) mid-ingest"
  "$BIN" --database "$DB" intel remove $(su postgres -c "cd / && psql -qAt -p $CP -d ${U}_fail -c 'SELECT source FROM intel_source'") > /dev/null
  "$BIN" --database "$DB" intel import "$FEEDS" > /dev/null 2> "$FEEDS.err" &
  IMP=$!
  wait_for 15; sleep "0.$((RANDOM % 10))" # somewhere inside a batch or between two
  pg_ctlcluster "$PGV" shard2 stop -m immediate
  rc=0; wait "$IMP" || rc=$?
  echo "importer exit $rc: $(tail -n 1 "$FEEDS.err")"
  echo "acknowledged: $(su postgres -c "cd / && psql -qAt -p $CP -d ${U}_fail -c \"SELECT count(*) || ' sources, ' || sum(records) || ' records' FROM intel_source\"")"
  "$BIN" --database "$DB" intel lookup 1.2.3.4 > /dev/null 2> "$FEEDS.err" || echo "lookup while down (exit $?): $(cat "$FEEDS.err")"
  "$BIN" --database "$DB" intel lookup --allow-partial 1.2.3.4 | head -n 1
  pg_ctlcluster "$PGV" shard2 start
  "$BIN" --database "$DB" store shard check
  "$BIN" --database "$DB" intel import "$FEEDS" | tail -n 1
  "$BIN" --database "$DB" store shard check
  "$BIN" --database "$DB" intel stats | head -n 1
  exit 0
fi

SIZES=${*:-1000000}
cargo build --release -q -p ascribe-store-pg --example shard-scale
cargo build --release -q -p ascribe-intel --example intel-scale
BIN=${CARGO_TARGET_DIR:-target}/release/examples/shard-scale
EBIN=${CARGO_TARGET_DIR:-target}/release/examples/intel-scale
for N in $SIZES; do
  # the embedded store (SQLite + key file) on the same generator, seed and
  # case, in RAM as in bench/infrastructure/scale, deleted once measured
  echo "== N=$N, embedded store (SQLite + key file in /dev/shm); load: $(cut -d' ' -f1-3 /proc/loadavg)"
  EDIR=$(mktemp -d /dev/shm/ascribe-shards-embedded.XXXXXX)
  /usr/bin/time -f "import: %e s wall, %U s user, %S s system, %M kB peak RSS" "$EBIN" import "$EDIR/store.db" "$N"
  du -sh "$EDIR"
  /usr/bin/time -f "match: %e s wall, %U s user, %S s system, %M kB peak RSS" "$EBIN" match "$EDIR/store.db" "$N" "$CASE"
  rm -rf "$EDIR"

  echo "== N=$N, one cluster (shard1, port 5433); load: $(cut -d' ' -f1-3 /proc/loadavg)"
  fresh_db 5433 $U
  b=$(cpu_all); "$BIN" import "$(url 5433 $U)" "$N"; echo "cluster CPU: $(cpu_delta "$b" "$(cpu_all)")"
  su postgres -c "cd / && psql -qAt -p 5433 -d $U -c \"SELECT 'size ' || pg_size_pretty(pg_database_size('$U'))\""
  b=$(cpu_all); "$BIN" lookup "$(url 5433 $U)" "$N" "$CASE"; echo "cluster CPU: $(cpu_delta "$b" "$(cpu_all)")"
  [ -n "${KEEP:-}" ] || su postgres -c "cd / && dropdb -p 5433 $U"

  echo "== N=$N, three shards (coordinator: coord, port $CP; shards: shard1-3, ports ${PORTS[*]}); load: $(cut -d' ' -f1-3 /proc/loadavg)"
  fresh_db $CP ${U}_coord
  SHARDS=()
  for p in "${PORTS[@]}"; do fresh_db "$p" $U; SHARDS+=(--shard "postgres://$U@127.0.0.1:$p/$U"); done
  target/debug/ascribe store shard init --coordinator "$(url $CP ${U}_coord)" "${SHARDS[@]}" > /dev/null 2>&1 \
    || { cargo build -q -p ascribe-cli && target/debug/ascribe store shard init --coordinator "$(url $CP ${U}_coord)" "${SHARDS[@]}" > /dev/null; }
  b=$(cpu_all); "$BIN" import "$(url $CP ${U}_coord)" "$N"; echo "cluster CPU: $(cpu_delta "$b" "$(cpu_all)")"
  for p in "${PORTS[@]}"; do su postgres -c "cd / && psql -qAt -p $p -d $U -c \"SELECT 'port $p size ' || pg_size_pretty(pg_database_size('$U'))\""; done
  b=$(cpu_all); "$BIN" lookup "$(url $CP ${U}_coord)" "$N" "$CASE"; echo "cluster CPU: $(cpu_delta "$b" "$(cpu_all)")"
  target/debug/ascribe --database "$(url $CP ${U}_coord)" store stats | tail -n 2
done
