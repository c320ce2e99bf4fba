#!/usr/bin/env bash
# The prototype behind the choice of routing over postgres_fdw
# (BENCHMARKS.md, "Sharded PostgreSQL"): the table intel_key hash-partitioned
# on a coordinator (cluster `coord`, port 5436) over postgres_fdw foreign
# partitions on clusters shard1..3 (5433-5435), against writing each
# shard's share straight into it. Run bench/scale/shards.sh first (it creates
# the clusters and the role); everything made here is dropped at the end.
#
#   bench/scale/fdw-prototype.sh [ROWS]   (default 300000)
set -euo pipefail
ROWS=${1:-300000}
CP=5436
export PGPASSWORD=ascribe_bench
q() { psql -qAt -h 127.0.0.1 -U ascribe_bench -p "$1" -d "$2" -c "$3"; }
su_q() { su postgres -c "cd / && psql -qAt -p $1 -d $2 -c \"$3\""; }
TMP=$(mktemp -d /tmp/fdw-prototype.XXXXXX)
cleanup() {
  rm -rf "$TMP"
  su postgres -c "cd / && dropdb --if-exists -p $CP fdw_coord" 2>/dev/null || true
  for p in 5433 5434 5435; do su postgres -c "cd / && dropdb --if-exists -p $p fdw_shard" 2>/dev/null || true; done
}
trap cleanup EXIT
cleanup; mkdir -p "$TMP"
TABLE="CREATE TABLE intel_key (key text NOT NULL, source text NOT NULL, rid bigint NOT NULL, data text NOT NULL"
for p in 5433 5434 5435; do
  su postgres -c "cd / && createdb -p $p -O ascribe_bench fdw_shard"
  q $p fdw_shard "$TABLE, PRIMARY KEY (key, source, rid))"
done
su postgres -c "cd / && createdb -p $CP -O ascribe_bench fdw_coord"
su_q $CP fdw_coord "CREATE EXTENSION postgres_fdw"
for i in 1 2 3; do
  su_q $CP fdw_coord "CREATE SERVER s$i FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '$((5432 + i))', dbname 'fdw_shard', batch_size '1000', fetch_size '10000', async_capable 'true')"
  su_q $CP fdw_coord "CREATE USER MAPPING FOR ascribe_bench SERVER s$i OPTIONS (user 'ascribe_bench', password 'ascribe_bench')"
  su_q $CP fdw_coord "GRANT USAGE ON FOREIGN SERVER s$i TO ascribe_bench"
done
q $CP fdw_coord "$TABLE) PARTITION BY HASH (key)"
for i in 0 1 2; do
  su_q $CP fdw_coord "CREATE FOREIGN TABLE intel_key_p$i PARTITION OF intel_key FOR VALUES WITH (MODULUS 3, REMAINDER $i) SERVER s$((i + 1)) OPTIONS (table_name 'intel_key')"
  su_q $CP fdw_coord "ALTER FOREIGN TABLE intel_key_p$i OWNER TO ascribe_bench"
done
KEY="'ipv4:10.' || (g / 65536) || '.' || (g / 256 % 256) || '.' || (g % 256)"
echo "== fdw: INSERT ... SELECT of $ROWS generated rows (batch_size 1000)"
/usr/bin/time -f "%e s" psql -qAt -h 127.0.0.1 -U ascribe_bench -p $CP -d fdw_coord \
  -c "INSERT INTO intel_key SELECT $KEY, 'feed:x', g, repeat('d', 150) FROM generate_series(1, $ROWS) g"
python3 - "$TMP" "$ROWS" <<'PY'
import sys, zlib
d, n = sys.argv[1], int(sys.argv[2])
out = [open(f"{d}/r{i}.tsv", "w") for i in range(3)]
with open(f"{d}/rows.tsv", "w") as all_rows:
    for g in range(n + 1, 2 * n + 1):
        k = f"ipv4:10.{g // 65536}.{g // 256 % 256}.{g % 256}"
        all_rows.write(f"{k}\tfeed:y\t{g}\t{'d' * 150}\n")
        out[zlib.crc32(k.encode()) % 3].write(f"{k}\tfeed:z\t{g}\t{'d' * 150}\n")
PY
echo "== fdw: COPY of $ROWS rows through the coordinator"
/usr/bin/time -f "%e s" psql -qAt -h 127.0.0.1 -U ascribe_bench -p $CP -d fdw_coord -c "\\copy intel_key FROM '$TMP/rows.tsv'"
echo "== routed: COPY of each shard's share, three at once"
/usr/bin/time -f "%e s" bash -c "for i in 0 1 2; do psql -qAt -h 127.0.0.1 -U ascribe_bench -p \$((5433 + i)) -d fdw_shard -c \"\\\\copy intel_key FROM '$TMP/r\$i.tsv'\" & done; wait"
LOOK="SELECT count(*), sum(length(data)) FROM intel_key WHERE key = ANY(ARRAY(SELECT $KEY FROM generate_series(1, $((2 * ROWS)), 6) g))"
for r in 1 2; do
  echo "== fdw: look-up of $((ROWS / 3)) keys, round $r"
  /usr/bin/time -f "%e s" psql -qAt -h 127.0.0.1 -U ascribe_bench -p $CP -d fdw_coord -c "$LOOK"
  echo "== routed (every shard gets every key), round $r"
  /usr/bin/time -f "%e s" bash -c "for i in 0 1 2; do psql -qAt -h 127.0.0.1 -U ascribe_bench -p \$((5433 + i)) -d fdw_shard -c \"$LOOK\" & done; wait"
done
