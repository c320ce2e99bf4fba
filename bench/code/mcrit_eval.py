#!/usr/bin/env python3
"""Scores the SMDA+MCRIT share matrix written by mcrit_bench.py like the Rust bench scores
ascribe-code: for every file, the best-sharing file among files of other project+versions.

usage: mcrit_eval.py MANIFEST.tsv mcrit.json
"""
import csv, json, sys

man = {r["rel_path"]: r for r in csv.DictReader(open(sys.argv[1]), delimiter="\t")}
res = json.load(open(sys.argv[2]))
files = res["files"]
share = res["share"]
rows = [man[f] for f in files]
n = len(rows)
nn = []
for i in range(n):
    best, bs = None, 0.0
    for j in range(n):
        if (rows[j]["project"], rows[j]["version"]) == (rows[i]["project"], rows[i]["version"]):
            continue
        if share[i][j] > bs:
            best, bs = j, share[i][j]
    nn.append((best, bs))

def report(idx, label):
    N = len(idx)
    ok = sum(1 for i in idx if nn[i][0] is not None and rows[nn[i][0]]["project"] == rows[i]["project"])
    sib = sum(1 for i in idx if nn[i][0] is not None and rows[nn[i][0]]["project"] == rows[i]["project"]
              and rows[nn[i][0]]["name_key"] == rows[i]["name_key"])
    ans = sum(1 for i in idx if nn[i][0] is not None)
    print(f"| SMDA + MCRIT ({label}, {N} queries) | {100*ok/N:.1f}% | {100*sib/N:.1f}% | {100*ans/N:.1f}% |")

print("| method | project top-1 | sibling top-1 | answered |\n|---|---:|---:|---:|")
queries = [i for i in range(n) if rows[i]["set"] in ("win64", "win32")]
report(queries, "all")
report([i for i in queries if rows[i]["component"] == "own"], "own code")
print("\n| MCRIT share threshold | answered | precision | recall |\n|---:|---:|---:|---:|")
for t in [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]:
    a = [i for i in queries if nn[i][0] is not None and nn[i][1] >= t]
    ok = sum(1 for i in a if rows[nn[i][0]]["project"] == rows[i]["project"])
    print(f"| {t:.1f} | {len(a)} | {ok/max(len(a),1):.4f} | {ok/len(queries):.4f} |")
fps = res["functions"] / max(res["smda_s"] + res["minhash_s"], 1e-9)
print(f"\nSMDA + MCRIT MinHash: {res['functions']} functions ({res['hashable']} minhashable) in "
      f"{res['smda_s']:.1f} s SMDA + {res['minhash_s']:.1f} s MCRIT MinHash = {fps:.1f} functions/s (one process); "
      f"all-pairs matching {res['match_s']:.1f} s")
