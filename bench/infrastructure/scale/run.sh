#!/usr/bin/env bash
# Scale benchmark of the indicator store (issue 11): import speed and peak
# memory for N synthetic indicators over 1,000 actors, then a case of
# 100,000 indicators (10 % drawn from the store) matched through the key file
# and, in the same run, through the plain indexed SQLite table.
#
#   bench/infrastructure/scale/run.sh [N...]      (default: 1000000 10000000)
#
# DIR (default /dev/shm/ascribe-intel-scale) holds the store; it is deleted
# at the end (the 10 M store is ~2.5 GB). TARGET_DIR sets the cargo target
# directory of the release build.
set -euo pipefail
uptime
cd "$(dirname "$0")/../../.."
DIR=${DIR:-/dev/shm/ascribe-intel-scale}
SIZES=${*:-1000000 10000000}
CASE=${CASE:-100000}
if [ -n "${TARGET_DIR:-}" ]; then export CARGO_TARGET_DIR="$TARGET_DIR"; fi
cargo build --release -q -p ascribe-intel --example intel-scale
BIN=${CARGO_TARGET_DIR:-target}/release/examples/intel-scale
mkdir -p "$DIR"
for N in $SIZES; do
  DB="$DIR/scale-$N.db"
  if [ -n "${MATCH_ONLY:-}" ]; then "$BIN" match "$DB" "$N" "$CASE"; continue; fi
  rm -f "$DB"*
  echo "== N=$N"
  /usr/bin/time -v "$BIN" import "$DB" "$N" 2> "$DIR/time-import-$N.txt"
  grep -E "Maximum resident|Elapsed|User time|System time" "$DIR/time-import-$N.txt"
  du -sh "$DB" "$DB.intel-keys"
  /usr/bin/time -v "$BIN" match "$DB" "$N" "$CASE" 2> "$DIR/time-match-$N.txt"
  grep -E "Maximum resident|Elapsed|User time|System time" "$DIR/time-match-$N.txt"
  [ -n "${KEEP:-}" ] || rm -f "$DB"*
done
[ -n "${KEEP:-}" ] || rm -rf "$DIR"
