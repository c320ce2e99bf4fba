#!/usr/bin/env bash
# bench/scale: the code index on the embedded store and on one PostgreSQL, in the same run
# (crates/store-pg/examples/pg-scale.rs): corpus ingest (functions/s), a synthetic index grown
# to each size, a 2,000-function query (p50/p95) and band look-ups/s on both stores.
#
#   bench/scale/run.sh [SIZES] [QUERY_REPS]
#
# SIZES: comma-separated function counts (default 100000,1000000,2000000). PostgreSQL keeps
# about 1 kB a function (packed posting blocks + primary key, function rows; schema version 3),
# plus up to max_wal_size of WAL during the load; the embedded index ~0.35 kB: check `df -h`
# first; 10 M functions need ~9.5 GB in PostgreSQL and ~3.5 GB embedded. PG_SCALE_BATCH
# (functions a transaction while growing, default 250000) and PG_SCALE_READERS (connections of
# the second PostgreSQL reader, default 2) may be set. CORPUS (default /work/corpus, needs manifest.tsv), PG_URL
# (default postgres://ascribe:ascribe@127.0.0.1:5432/ascribe_test), PG_SCHEMA
# (default bench_scale_code) and OUT (default target/bench-scale) may be set. The schema and the
# embedded indexes are removed at the end. Heavy: run it alone, under `nice` on a shared machine.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
sizes="${1:-100000,1000000,2000000}"
reps="${2:-15}"
corpus="${CORPUS:-/work/corpus}"
url="${PG_URL:-postgres://ascribe:ascribe@127.0.0.1:5432/ascribe_test}"
schema="${PG_SCHEMA:-bench_scale_code}"
out="${OUT:-$root/target/bench-scale}"
mkdir -p "$out"
cd "$root"
cargo build --release -p ascribe-store-pg --examples
echo "== machine"; (nproc; grep -m1 'model name' /proc/cpuinfo; free -g | sed -n 2p; uptime; df -h "$out" | tail -1) | tee "$out/machine.txt"
echo "== code index: embedded vs PostgreSQL (sizes $sizes, $reps queries each)"
/usr/bin/time -v "$root/target/release/examples/pg-scale" "$url" "$schema" "$corpus" "$out/work" "$sizes" "$reps" \
  2> >(tee "$out/code.stderr" >&2) | tee "$out/code.md"
rm -rf "$out/work"
echo "== load after"; uptime
