#!/usr/bin/env bash
# Infrastructure time split on ESET's MISP events (issue 11).
#
# Events published before the cut date (their median publication date) are
# the intelligence; each later event is a case made of its own indicators.
# Writes results/results.md and results/results.json.
#
#   bash bench/infrastructure/run.sh [EVENTS_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
events="${1:-$root/../shared/data/eset-malware-ioc/events}"
if [ ! -d "$events" ]; then
  echo "no ESET events at $events (pass the events directory)" >&2
  exit 2
fi
cd "$root"
start=$(date +%s.%N)
cargo run -q -p ascribe-reason --example infra_time_split -- "$events" "$here/results"
end=$(date +%s.%N)
echo
echo "wall time: $(echo "$end - $start" | bc) s (including the build when it is not fresh)"
