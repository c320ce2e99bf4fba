#!/usr/bin/env python3
"""Project-level fit/test split of `bench quality` results (issue 12).

A project is in the *fit* half when the first byte of SHA-1(project name) is
even, else in the *test* half (the rule of the claims set, applied to project
names; fixed before any ranking change). Ranking changes are decided on fit
projects' failures only; test and whole-corpus figures are reported.

    python3 bench/code/split.py OUT            # table: fit / test / all, every method
    python3 bench/code/split.py OUT --failures # also ascribe-code's fit failures (top 3)
"""
import hashlib
import sys


def half(project):
    return "fit" if hashlib.sha1(project.encode()).digest()[0] % 2 == 0 else "test"


def main():
    out = sys.argv[1]
    lines = open(f"{out}/per-query.tsv").read().splitlines()
    head = lines[0].split("\t")
    methods = head[4:]
    rows = [l.split("\t") for l in lines[1:]]
    print("| method | half | queries | project top-1 | sibling top-1 |")
    print("|---|---|---:|---:|---:|")
    for mi, m in enumerate(methods):
        for h in ("fit", "test", "all"):
            sel = [r for r in rows if h == "all" or half(r[1]) == h]
            ok = sib = 0
            for r in sel:
                ans = r[4 + mi]
                if ans == "-":
                    continue
                p, _, nk = ans.partition("/")
                if p == r[1]:
                    ok += 1
                    sib += nk == r[2]
            n = len(sel)
            print(f"| {m} | {h} | {n} | {100 * ok / n:.1f} % | {100 * sib / n:.1f} % |")
    print()
    print("fit projects:", sorted({r[1] for r in rows if half(r[1]) == "fit"}))
    print("test projects:", sorted({r[1] for r in rows if half(r[1]) == "test"}))
    if "--failures" in sys.argv:
        top3 = {}
        for l in open(f"{out}/ascribe-top3.tsv").read().splitlines()[1:]:
            c = l.split("\t")
            top3[c[0]] = (c[4], c[5])
        for r in rows:
            if half(r[1]) != "fit":
                continue
            p, _, nk = r[4].partition("/")
            if p == r[1] and nk == r[2]:
                continue
            kind = "SIBLING" if p == r[1] else "PROJECT"
            signed, t3 = top3.get(r[0], ("?", ""))
            print(f"\n{kind} {r[0]} ({r[3]}, {signed} signed) -> {r[4]}")
            for t in t3.split(" | "):
                print("    ", t)


main()
