#!/usr/bin/env bash
# Reasoning benchmark: `ascribe analyze` on a case with N evidence items
# (default 1000), as a whole process, on a warm embedded store.
#
#   bench/reasoning/run.sh [N]
#
# Prints the median wall time of the full analysis beside the fixed cost of
# opening the store and building the knowledge base (`ascribe kb stats`),
# using hyperfine when installed, else bench/timeit.py (median of 10 runs).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000}
DATA=${ASCRIBE_SHARED_DATA:-../shared/data}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cargo build --release -q -p ascribe-cli
BIN=target/release/ascribe
export ASCRIBE_STORE="$WORK/store.db" NO_COLOR=1
python3 bench/reasoning/gen_case.py "$DATA/attack/enterprise-attack.json" "$WORK/case" "$N"
$BIN kb stats >/dev/null 2>&1   # fill the store once
items=$($BIN analyze "$WORK/case" --json | python3 -c 'import json,sys; a=json.load(sys.stdin); print(len(a["evidence"]), "evidence items;", len(a.get("warnings", [])), "warnings")')
echo "case: $items"
if command -v hyperfine >/dev/null; then
  hyperfine -w 1 -r 10 -N "$BIN kb stats" "$BIN analyze $WORK/case --json"
else
  python3 bench/timeit.py 10 "$BIN kb stats" "$BIN analyze $WORK/case --json"
fi
