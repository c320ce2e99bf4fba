#!/usr/bin/env bash
# Leave-one-vendor-out on MITRE ATT&CK: for every publisher with at least 20
# cited reports, every citation of that publisher leaves the knowledge base
# (links resting on it alone go too) and the new-report cases built from its
# reports are assessed; ranks, Brier, ECE and whether the printed verdict
# names the true group (see BENCHMARKS.md).
#
# usage: bench/vendor-holdout/run.sh [ascribe-eval options]
#   e.g. bench/vendor-holdout/run.sh                    # every holdout case (~382)
#        bench/vendor-holdout/run.sh --every 10         # the cheap form CI runs
#        bench/vendor-holdout/run.sh --lovo-split fit --ablation --ablation-temperatures 0.9,1.0,1.1,1.2,1.4,1.7,2.0
#            # the cross-publisher folds inside the fitting half: variants chosen for a new publisher's prose
# env:   ASCRIBE_DATA (default ../shared/data), OUT (default bench/vendor-holdout/results)
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${ASCRIBE_DATA:-../shared/data}
OUT=${OUT:-bench/vendor-holdout/results}
cargo build --release --locked -p ascribe-eval
mkdir -p "$OUT"
/usr/bin/time -v target/release/ascribe-eval --data "$DATA" --out "$OUT" --set lovo "$@" 2> >(tee "$OUT/stderr.log" >&2)
