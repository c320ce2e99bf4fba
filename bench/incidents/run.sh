#!/usr/bin/env bash
# Real incidents: ascribe on publicly documented intrusions, each in a full
# and a blind variant, scored against the official attribution, beside a
# naive one-vote-per-item baseline (see bench/incidents/README.md).
#
# usage: bench/incidents/run.sh [--cheap]
#   --cheap   only the cases listed in bench/incidents/cheap.txt (the CI form)
# env:   OUT (default bench/incidents/results; --cheap: target/incidents-cheap)
#        ASCRIBE_BIN (default: build and use target/release/ascribe)
#        ANALYZE_ARGS extra arguments of every `ascribe analyze` (a sensitivity
#                     run, e.g. "--prior-unknown 0.4"; recorded in results.json)
set -euo pipefail
cd "$(dirname "$0")/../.."
HERE=bench/incidents
CHEAP=0
for arg in "$@"; do
    case "$arg" in
        --cheap) CHEAP=1 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg (usage: $0 [--cheap])" >&2; exit 2 ;;
    esac
done
python3 -c "import tomllib" 2>/dev/null || { echo "bench/incidents needs Python 3.11 or newer (tomllib)" >&2; exit 1; }
if [ "$CHEAP" = 1 ]; then OUT=${OUT:-target/incidents-cheap}; else OUT=${OUT:-$HERE/results}; fi
if [ -z "${ASCRIBE_BIN:-}" ]; then
    cargo build --release --locked -p ascribe-cli
    ASCRIBE_BIN=target/release/ascribe
fi
BIN=$ASCRIBE_BIN
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
STORE=$TMP/store.db          # a fresh store: the embedded default knowledge base
rm -rf "$OUT/json" "$OUT/logs"
mkdir -p "$OUT/json" "$OUT/logs"

# --as-of is added by another work package; use it when this build has it.
ASOF=0
if "$BIN" analyze --help | grep -q -- '--as-of'; then ASOF=1; fi

if [ "$CHEAP" = 1 ]; then
    SLUGS=$(grep -v '^#' "$HERE/cheap.txt" | sed '/^\s*$/d')
else
    SLUGS=$(cd "$HERE/cases" && for d in */; do [ -f "$d/meta.toml" ] && echo "${d%/}"; done)
fi

failed=0
start=$(date +%s)
for slug in $SLUGS; do
    dir=$HERE/cases/$slug
    [ -f "$dir/case.toml" ] && [ -f "$dir/meta.toml" ] || { echo "$dir: case.toml or meta.toml missing" >&2; failed=1; continue; }
    asof_args=()
    if [ "$ASOF" = 1 ]; then
        asof_args=(--as-of "$(python3 -c 'import sys,tomllib;print(tomllib.load(open(sys.argv[1],"rb"))["as_of"])' "$dir/meta.toml")")
    fi
    python3 "$HERE/blind.py" --bin "$BIN" --store "$STORE" "$dir" "$TMP/blind/$slug"
    cp "$TMP/blind/$slug/removed.json" "$OUT/logs/$slug.blind-removed.json"
    for variant in full blind; do
        if [ "$variant" = full ]; then cdir=$dir; else cdir=$TMP/blind/$slug; fi
        if ! "$BIN" --store "$STORE" --color never analyze "$cdir" --json ${asof_args[@]+"${asof_args[@]}"} ${ANALYZE_ARGS:-} \
                > "$OUT/json/$slug.$variant.json" 2> "$OUT/logs/$slug.$variant.log"; then
            echo "FAILED: $slug ($variant):" >&2
            cat "$OUT/logs/$slug.$variant.log" >&2
            rm -f "$OUT/json/$slug.$variant.json"
            failed=1
        fi
    done
done
end=$(date +%s)

header="## Real incidents ($(echo "$SLUGS" | wc -w) cases, $(git rev-parse --short HEAD 2>/dev/null || echo unknown), as-of: $([ "$ASOF" = 1 ] && echo used || echo 'not available in this build'), $((end - start)) s)"
[ -n "${ANALYZE_ARGS:-}" ] && header="$header, analyze $ANALYZE_ARGS"
run_info=$(python3 -c 'import json,sys;print(json.dumps(dict(zip(["commit","ascribe","as_of_flag","seconds","cpus","cheap","analyze_args"],sys.argv[1:]))))' \
    "$(git rev-parse HEAD 2>/dev/null || echo unknown)" "$("$BIN" --version)" "$ASOF" "$((end - start))" "$(nproc)" "$CHEAP" "${ANALYZE_ARGS:-}")
python3 "$HERE/score.py" --cases "$HERE/cases" --results "$OUT" --bin "$BIN" --store "$STORE" \
    --slugs "$(echo $SLUGS | tr ' ' ',')" --header "$header" --run-info "$run_info"
echo "results: $OUT/results.md, $OUT/results.json" >&2
exit $failed
