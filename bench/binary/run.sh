#!/usr/bin/env bash
# bench/binary/run.sh — throughput of ascribe-binary against its peers.
#
# Usage:  bench/binary/run.sh CORPUS_DIR [OUT.jsonl]
#
# CORPUS_DIR is the directory written by shared/corpus/fetch-pe-corpus.sh
# (it must hold manifest.tsv). In one run, on the same files, with every
# input preloaded into memory and single-threaded unless said otherwise:
#
#   ascribe structural   InspectOptions::structural(): headers, imports +
#                        imphash, exports, Rich (entries, key, checksum,
#                        hash), resources, version info, debug/PDB, overlay,
#                        Authenticode signer
#   ascribe full         everything, incl. md5 + sha1 + sha256 + TLSH +
#                        ssdeep, section entropy and the string scan
#   ascribe hashes       md5 + sha1 + sha256 + TLSH + ssdeep only
#   ascribe full, N thr  full, rayon pool of $(nproc) threads
#   peers (PyPI)         lief parse + imphash + rich_header; pefile fast
#                        load + directories + imphash + Rich hash; py-tlsh;
#                        ssdeep (python-ssdeep, else ppdeep on every 10th
#                        file); hashlib md5 + sha1 + sha256; lief on ELF
#
# Each result is one JSON line (files, MB, wall_s, files_per_s, MB_per_s),
# appended to OUT.jsonl (default bench/binary/results.jsonl) and printed.
# All jobs run under `nice -n 19`, one at a time. The peers are installed
# into $VENV (default: bench/binary/.venv) with pip on first use:
#   pip install pefile lief py-tlsh ppdeep ssdeep
# (ssdeep needs libfuzzy headers: `apt-get install libfuzzy-dev`; when it
# fails to build, ppdeep is timed on a 10% sample instead).
#
# Environment: REPEAT (ascribe runs per mode, best kept; default 3),
# VENV, SKIP_PEERS=1 (ascribe only).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
corpus="${1:?usage: run.sh CORPUS_DIR [OUT.jsonl]}"
out="${2:-$here/results.jsonl}"
repeat="${REPEAT:-3}"
venv="${VENV:-$here/.venv}"
[ -f "$corpus/manifest.tsv" ] || { echo "no manifest.tsv in $corpus" >&2; exit 2; }

echo "# $(date -u +%FT%TZ) $(uname -m) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out"

(cd "$root" && cargo build --release -q -p ascribe-binary --example bench_inspect)
bench="$root/target/release/examples/bench_inspect"
run_ascribe() { nice -n 19 "$bench" --repeat "$repeat" --manifest "$corpus/manifest.tsv" "$@" | tee -a "$out"; }

run_ascribe --format pe --mode structural --threads 1
run_ascribe --format pe --mode full --threads 1
run_ascribe --format pe --mode hashes --threads 1
run_ascribe --format pe --mode full --threads "$(nproc)"
run_ascribe --format elf --mode structural --threads 1
run_ascribe --format elf --mode full --threads 1

[ "${SKIP_PEERS:-0}" = 1 ] && exit 0
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q pefile lief py-tlsh ppdeep
fi
if ! "$venv/bin/python" -c "import ssdeep" 2>/dev/null; then
  # python-ssdeep's setup.py imports pkg_resources, which the setuptools that
  # pip's build isolation fetches no longer ships: build it against an older
  # setuptools in the venv itself.
  { "$venv/bin/pip" install -q "setuptools<80" cffi wheel &&
    "$venv/bin/pip" install -q --no-build-isolation ssdeep; } ||
    echo "python-ssdeep did not build (is libfuzzy-dev installed?); ppdeep will be sampled" >&2
fi
py() { nice -n 19 "$venv/bin/python" "$here/peers.py" "$@" | tee -a "$out"; }
py lief_imphash pe "$corpus"
py pefile_fast pe "$corpus"
py tlsh pe "$corpus"
if "$venv/bin/python" -c "import ssdeep" 2>/dev/null; then
  py ssdeep pe "$corpus"
else
  py ppdeep pe "$corpus" sample10
fi
py hashlib pe "$corpus"
py lief elf "$corpus"
py tlsh elf "$corpus"
