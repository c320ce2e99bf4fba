#!/usr/bin/env bash
# Builds the combined fitting corpus of bench/code (BENCHMARKS.md, "Issue 12: duplicates scored
# by every holder ..."): the shared corpus and the extra corpus (extra-corpus/fetch.py) in one
# directory, manifests concatenated and each project's tree linked, so that
# `bench quality OUT_DIR ...` queries the extra projects against both. Read only the extra and
# the fit projects' rows of its results (bench/code/split.py's test projects stay unstudied).
#
#   bench/code/combine.sh SHARED_CORPUS EXTRA_CORPUS OUT_DIR
set -euo pipefail
shared="$1"; extra="$2"; out="$3"
mkdir -p "$out"
for set in win64 win32 linux64; do
  mkdir -p "$out/$set"
  for corpus in "$shared" "$extra"; do
    [ -d "$corpus/$set" ] || continue
    for d in "$corpus/$set"/*; do
      ln -sfn "$(cd "$d" && pwd)" "$out/$set/$(basename "$d")"
    done
  done
done
{ cat "$shared/manifest.tsv"; tail -n +2 "$extra/manifest.tsv"; } > "$out/manifest.tsv"
echo "$(($(wc -l < "$out/manifest.tsv") - 1)) files in $out/manifest.tsv"
