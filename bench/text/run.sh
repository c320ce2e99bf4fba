#!/usr/bin/env bash
# One command: quality (P/R/F1 per type vs iocsearcher, ioc-finder, iocextract)
# and throughput of ascribe-text on a large concatenation of the evaluation text.
#   bash bench/text/run.sh            # from the repository root
# Environment: ASCRIBE_SEEDS_DIR (default: <repo>/../shared/seeds), BIG_MB (default 60).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SEEDS=${ASCRIBE_SEEDS_DIR:-$REPO/../shared/seeds}
BIG_MB=${BIG_MB:-60}
OUT=${TMPDIR:-/tmp}/ascribe-text-bench
mkdir -p "$OUT"

python3 -c "import iocsearcher, ioc_finder, iocextract" 2>/dev/null \
  || python3 -m pip install --quiet iocsearcher==3.1.0 ioc-finder==9.4.1 iocextract==1.16.1

(cd "$REPO" && nice -n 19 cargo build --release -q -p ascribe-text --example ascribe-text-extract)
BIN="$REPO/target/release/examples/ascribe-text-extract"

echo "== quality: $(ls "$HERE/eval/docs" | wc -l) labelled documents + seed articles from $SEEDS"
python3 "$HERE/score.py" --ascribe "$BIN" --docs "$HERE/eval/docs" --seeds "$SEEDS" \
  --labels "$HERE/eval/labels.json" --json-out "$OUT/quality.json"
if [ -f "$HERE/eval/heldout/labels.json" ]; then
  echo
  echo "== held-out set (written after tuning; see the top-level BENCHMARKS.md for its first-run scores)"
  python3 "$HERE/score.py" --ascribe "$BIN" --docs "$HERE/eval/heldout/docs" \
    --labels "$HERE/eval/heldout/labels.json" --json-out "$OUT/heldout.json"
fi

echo
echo "== throughput: ${BIG_MB} MB concatenation of the evaluation text and seeds"
python3 - "$HERE/eval/docs" "$SEEDS" "$OUT/big.txt" "$BIG_MB" <<'PY'
import os, sys
docs, seeds, out, mb = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
parts = []
for d in (docs, seeds):
    if os.path.isdir(d):
        for n in sorted(os.listdir(d)):
            parts.append(open(os.path.join(d, n), encoding="utf-8").read())
blob = "\n\n".join(parts) + "\n\n"
with open(out, "w", encoding="utf-8") as f:
    n = 0
    while n < mb * 1_000_000:
        f.write(blob)
        n += len(blob.encode())
print(f"wrote {os.path.getsize(out)} bytes to {out}")
PY
PIN=""
command -v taskset >/dev/null && PIN="taskset -c 0"
echo "-- indicators only (empty vocabulary), one core, best of 3 in-process runs:"
$PIN "$BIN" --throughput "$OUT/big.txt"
echo "-- indicators + ATT&CK/MISP vocabulary + claims, one core:"
$PIN "$BIN" --throughput --kb "$OUT/big.txt"
echo "-- whole process, indicators only (/usr/bin/time):"
/usr/bin/time -f "wall %e s, max RSS %M KB" $PIN "$BIN" "$OUT/big.txt" > /dev/null
