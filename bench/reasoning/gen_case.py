#!/usr/bin/env python3
"""Generate a case with N evidence items from the shared ATT&CK data.

usage: gen_case.py ATTACK_BUNDLE OUT_DIR [N]

The mix (60% techniques, 15% software, 10% indicators, 5% claims, 5%
artifacts, 5% code overlaps) exercises every evidence builder. Deterministic.
"""
import json
import os
import random
import sys


def main():
    bundle, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    rnd = random.Random(1000)
    objs = json.load(open(bundle))["objects"]
    ext = lambda o: next((r["external_id"] for r in o.get("external_references", []) if r.get("source_name") == "mitre-attack"), None)
    techs = sorted(ext(o) for o in objs if o["type"] == "attack-pattern" and ext(o))
    soft = sorted(o["name"] for o in objs if o["type"] in ("malware", "tool"))
    groups = sorted(ext(o) for o in objs if o["type"] == "intrusion-set")
    countries = ["KP", "CN", "RU", "IR", "US", "TH", "PL", "IT", "BR", "VN"]
    langs = ["Korean", "Chinese", "Russian", "Persian", "English"]
    parts = ['[case]\nname = "synthetic case with %d evidence items"\n' % n,
             '[[source]]\nid = "s1"\ntitle = "synthetic vendor report"\nkind = "vendor"\n',
             '[[source]]\nid = "s2"\ntitle = "synthetic government statement"\nkind = "government"\n']
    counts = {"technique": int(n * 0.60), "software": int(n * 0.15), "indicator": int(n * 0.10),
              "claim": int(n * 0.05), "artifact": int(n * 0.05)}
    counts["code_overlap"] = n - sum(counts.values())
    for t in rnd.sample(techs, min(counts["technique"], len(techs))):
        parts.append('[[technique]]\nid = "%s"\nsource = "s1"\n' % t)
    for _ in range(counts["technique"] - min(counts["technique"], len(techs))):
        parts.append('[[technique]]\nid = "%s"\nsource = "s2"\n' % rnd.choice(techs))
    for s in rnd.sample(soft, counts["software"]):
        parts.append('[[software]]\nname = %s\nsource = "s1"\n' % json.dumps(s))
    for i in range(counts["indicator"]):
        parts.append('[[indicator]]\ntype = "ip"\nvalue = "198.51.%d.%d"\ncountry = "%s"\nsource = "s1"\n' % (i // 250, i % 250 + 1, rnd.choice(countries)))
    for _ in range(counts["claim"]):
        parts.append('[[claim]]\nclaimant = "agency"\nclaimant_kind = "government"\ntarget = "%s"\nstance = "%s"\nsource = "s2"\n'
                     % (rnd.choice(groups), rnd.choice(["asserts", "suspects", "doubts"])))
    for i in range(counts["artifact"]):
        parts.append('[[artifact]]\ntype = "resource-language"\nvalue = "%s"\nsample = "sample-%d.exe"\nsource = "s1"\n' % (rnd.choice(langs), i))
    for i in range(counts["code_overlap"]):
        parts.append('[[code_overlap]]\nfamily = "family-%d"\nactor = "%s"\nsimilarity = %.2f\nsample = "sample-%d.exe"\nsource = "s1"\n'
                     % (i, rnd.choice(groups), rnd.uniform(0.05, 0.9), i))
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "case.toml"), "w") as f:
        f.write("\n".join(parts))
    print("wrote %s/case.toml: %s" % (out, counts))


if __name__ == "__main__":
    main()
