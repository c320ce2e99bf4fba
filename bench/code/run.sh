#!/usr/bin/env bash
# ascribe-code corpus benchmark: quality and speed side by side with TLSH, ssdeep, import hash,
# import-set Jaccard and SMDA+MCRIT, plus query latency against a synthetic 10M-function index.
#
#   bench/code/run.sh [CORPUS_DIR] [OUT_DIR]
#
# CORPUS_DIR defaults to $ASCRIBE_CORPUS or /work/corpus (fetched by
# shared/corpus/fetch-pe-corpus.sh; needs manifest.tsv). OUT_DIR defaults to target/bench-code.
# MCRIT needs a Python venv with `pip install mcrit smda numpy`; set MCRIT_PY to its python
# (default: python3). Set SKIP_MCRIT=1 to skip it, SCALE_SIZES to change the latency sizes.
# Heavy: run it alone, under `nice -n 19` on a shared machine.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
corpus="${1:-${ASCRIBE_CORPUS:-/work/corpus}}"
out="${2:-$root/target/bench-code}"
mkdir -p "$out"
cd "$root"
cargo build --release -p ascribe-code --examples
bench="$root/target/release/examples/bench"

echo "== machine"; (nproc; grep -m1 'model name' /proc/cpuinfo; free -g | sed -n 2p) | tee "$out/machine.txt"

echo "== 1. quality + extraction speed on every PE file (ascribe-code, TLSH, ssdeep, imports)"
/usr/bin/time -v "$bench" quality "$corpus" "$out/all" 2> >(tee "$out/all.stderr" >&2) | tee "$out/quality-all.md"
echo "== 1b. the same answers on the project-level fit/test split (bench/code/split.py)"
python3 "$(dirname "$0")/split.py" "$out/all" | tee "$out/split-all.md"

echo "== 2. the same on the MCRIT subset (PE files <= 50 KB), for a like-for-like comparison"
awk -F'\t' 'NR>1 && $6=="pe" && $5<=50000 {print $13}' "$corpus/manifest.tsv" | sort > "$out/small.txt"
"$bench" quality "$corpus" "$out/small" --max-size 50000 | tee "$out/quality-small.md"

if [ "${SKIP_MCRIT:-0}" != 1 ]; then
  echo "== 3. SMDA + MCRIT on the same subset"
  "${MCRIT_PY:-python3}" "$here/mcrit_bench.py" "$corpus" "$out/small.txt" "$out/mcrit-small.json" 2> "$out/mcrit.stderr"
  "${MCRIT_PY:-python3}" "$here/mcrit_eval.py" "$corpus/manifest.tsv" "$out/mcrit-small.json" | tee "$out/mcrit-small.md"
fi

echo "== 4. query latency vs index size (synthetic scale-up of the real signatures)"
"$bench" scale "$out/all" "${SCALE_SIZES:-100000,1000000,3000000,10000000}" | tee "$out/scale.md"
