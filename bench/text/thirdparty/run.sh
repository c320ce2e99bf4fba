#!/usr/bin/env bash
# Scores ascribe-text beside iocsearcher, ioc-finder and iocextract on the labelled third-party
# IOC pages (bench/text/thirdparty, see SOURCES.md), all in one run.
#   bash bench/text/thirdparty/run.sh          # from anywhere
# Env: VENV (default <repo>/target/iocvenv): a Python venv, created and filled on first use
# (iocsearcher 3.1.0, ioc-finder 9.4.1, iocextract 1.16.1, requests, publicsuffixlist).
# RELABEL=1 regenerates labels.json from label.py + corrections.json first.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
VENV=${VENV:-$REPO/target/iocvenv}
if ! "$VENV/bin/python" -c "import iocsearcher, ioc_finder, iocextract, requests, publicsuffixlist" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet iocsearcher==3.1.0 ioc-finder==9.4.1 iocextract==1.16.1 requests publicsuffixlist
fi
if [ "${RELABEL:-0}" = 1 ]; then
  "$VENV/bin/python" "$HERE/label.py" "$HERE/docs" "$HERE/corrections.json" > "$HERE/labels.json"
fi
(cd "$REPO" && nice -n 19 cargo build --release -q -p ascribe-text --example ascribe-text-extract)
BIN="$REPO/target/release/examples/ascribe-text-extract"
echo "== $(ls "$HERE/docs" | wc -l) third-party IOC pages (types: network, hashes, CVE; see SOURCES.md)"
"$VENV/bin/python" "$REPO/bench/text/score.py" --ascribe "$BIN" --docs "$HERE/docs" \
  --labels "$HERE/labels.json" --types ipv4,ipv6,domain,url,email,md5,sha1,sha256,cve \
  --json-out "${TMPDIR:-/tmp}/ascribe-thirdparty.json"
