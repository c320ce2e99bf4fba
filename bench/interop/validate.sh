#!/usr/bin/env bash
# Validate ascribe's exports with the ecosystem's own tools (called by .ci/run).
#   - every example case and a sample of the ESET MISP events (imported with
#     `ascribe case from-misp`) are exported to STIX 2.1, MISP, ATT&CK
#     Navigator and HTML;
#   - STIX: stix2-validator, no error; MISP: PyMISP MISPEvent().load and a
#     round trip; Navigator: the layer format 4.5 JSON schema; HTML: self-contained.
# Usage: bench/interop/validate.sh [OUT_DIR]   (ASCRIBE_ESET_ALL=1: every ESET event)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-target/interop-exports}
VENV=${ASCRIBE_VENV:-.ci/venv}
rm -rf "$OUT" && mkdir -p "$OUT"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import stix2validator, pymisp, jsonschema" 2>/dev/null; then
  python3 -m venv "$VENV" 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null && python3 -m venv "$VENV"; }
  "$VENV/bin/pip" install -q --disable-pip-version-check -r bench/interop/requirements.txt
fi

cargo build --locked -q -p ascribe-cli
BIN=target/debug/ascribe
export ASCRIBE_STORE="$OUT/store.db" NO_COLOR=1

export_all() { # case-dir name
  local c=$1 n=$2
  "$BIN" analyze "$c" --format stix --tlp amber -o "$OUT/$n.stix.json"
  "$BIN" analyze "$c" --format misp --tlp amber -o "$OUT/$n.misp.json"
  "$BIN" analyze "$c" --format navigator -o "$OUT/$n.layers.json"
  "$BIN" analyze "$c" --format html --tlp amber -o "$OUT/$n.html"
}

for c in examples/*/; do
  [ -f "$c/case.toml" ] || continue
  export_all "$c" "$(basename "$c")"
done

# the Sony round trip through STIX, exported again
"$BIN" case from-stix "$OUT/sony-2014.stix.json" -o "$OUT/sony-roundtrip.case" > /dev/null
"$BIN" analyze "$OUT/sony-roundtrip.case" --format stix -o "$OUT/sony-roundtrip.stix.json"

EVENTS=../shared/data/eset-malware-ioc/events
if [ -d "$EVENTS" ]; then
  if [ "${ASCRIBE_ESET_ALL:-0}" = 1 ]; then
    mapfile -t SAMPLE < <(cd "$EVENTS" && find . -name '*.json' | sort | sed 's|^\./||')
  else
    SAMPLE=(sednit/2018-11-20_Zebrocy.json sednit/2019-05-23_Zebrocy.json turla/misp-turla-outlook-event.json nukesped_lazarus/lazarus_3cx.json oceanlotus/oceanlotus.misp.event.json)
  fi
  for e in "${SAMPLE[@]}"; do
    n=eset-$(echo "${e%.json}" | tr '/' '-')
    if "$BIN" case from-misp "$EVENTS/$e" -o "$OUT/$n.case" > /dev/null 2> "$OUT/$n.import-error"; then
      export_all "$OUT/$n.case" "$n"
    else
      echo "not a MISP event (reported, not crashed on): $e: $(cat "$OUT/$n.import-error")"
    fi
  done
else
  echo "WARNING: $EVENTS missing: ESET exports skipped" >&2
fi

"$VENV/bin/python" bench/interop/check_exports.py "$OUT"
