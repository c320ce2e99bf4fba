#!/usr/bin/env bash
# Attribution quality on MITRE ATT&CK: held-out campaigns and "a new report
# about a known group" cases, ascribe beside Jaccard and TF-IDF baselines,
# with the temperature fitted on the fitting half (see BENCHMARKS.md).
#
# usage: bench/attack-campaigns/run.sh [ascribe-eval options]
#   e.g. bench/attack-campaigns/run.sh --ablation      # the full table (~10 min on 2 cores)
#        bench/attack-campaigns/run.sh --every 10      # the cheap form CI runs
#        bench/attack-campaigns/run.sh --set attack,open   # also the open set: P(unknown) and the recalibration
# env:   ASCRIBE_DATA (default ../shared/data), OUT (default bench/attack-campaigns/results)
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${ASCRIBE_DATA:-../shared/data}
OUT=${OUT:-bench/attack-campaigns/results}
cargo build --release --locked -p ascribe-eval
mkdir -p "$OUT"
# stderr (progress, the fitted parameters, /usr/bin/time's resource use) also goes to $OUT/stderr.log
/usr/bin/time -v target/release/ascribe-eval --data "$DATA" --out "$OUT" "$@" 2> >(tee "$OUT/stderr.log" >&2)
if [ ! -f "$OUT/reliability.csv" ]; then
    :
elif python3 -c 'import matplotlib' 2>/dev/null; then
    python3 bench/attack-campaigns/plot.py "$OUT"
else
    echo "matplotlib is not installed: pip install matplotlib, then python3 bench/attack-campaigns/plot.py $OUT" >&2
fi
