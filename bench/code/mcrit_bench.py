#!/usr/bin/env python3
"""SMDA + MCRIT baseline without MongoDB.

Disassembles each file with SMDA (as MCRIT's indexer does), computes MCRIT's own MinHash
signatures with mcrit.minhash.MinHasher (default McritConfig: segmented strategy, 64 x 8-bit
values, FuzzyStatPairShingler + EscapedBlockShingler) and PicHashes, and scores function pairs
with MinHash.calculateMinHashScore (match if score > MINHASH_MATCHING_THRESHOLD = 50, or equal
PicHash, as MCRIT's matcher does). Candidate generation is exhaustive (all pairs, vectorised with
numpy), which can only help MCRIT's recall compared to its band index. The sample-level ranking
mirrors MCRIT's MatcherQuery summary: the share of the query's minhashable functions that have a
match in the candidate sample.

usage: mcrit_bench.py CORPUS_DIR FILE_LIST OUT.json   (FILE_LIST: rel paths from manifest.tsv)
"""
import json, sys, time, logging
import numpy as np

logging.disable(logging.WARNING)
from smda.Disassembler import Disassembler
from mcrit.config.McritConfig import McritConfig
from mcrit.minhash.MinHasher import MinHasher

corpus, listfile, out = sys.argv[1:4]
rels = [l.strip() for l in open(listfile) if l.strip()]
cfg = McritConfig()
mh = MinHasher(cfg.MINHASH_CONFIG, cfg.SHINGLER_CONFIG)
thr = cfg.MINHASH_CONFIG.MINHASH_MATCHING_THRESHOLD
dis = Disassembler()
sigs = []  # per file: (np.uint8 [n,64], pichash list)
t_dis = t_mh = 0.0
n_fun = n_hashable = 0
for rel in rels:
    t0 = time.perf_counter()
    rep = dis.disassembleFile(f"{corpus}/{rel}")
    t1 = time.perf_counter()
    rows, pics = [], []
    for f in rep.getFunctions():
        n_fun += 1
        if not mh.isMinHashableFunction(f):
            continue
        m = mh._calculateMinHash(f)
        rows.append(np.frombuffer(m.getMinHash(), dtype=np.uint8))
        pics.append(f.pic_hash)
    t2 = time.perf_counter()
    t_dis += t1 - t0
    t_mh += t2 - t1
    n_hashable += len(rows)
    sigs.append((np.array(rows, dtype=np.uint8).reshape(-1, 64), pics))
    print(f"{rel} {rep.num_functions} fn {len(rows)} hashable {t1-t0:.2f}s + {t2-t1:.2f}s", file=sys.stderr)

# All-pairs sample matching: for query i and candidate j, the share of i's functions matched in j.
t0 = time.perf_counter()
allm = np.concatenate([s[0] for s in sigs]) if sigs else np.zeros((0, 64), np.uint8)
owner = np.concatenate([np.full(len(s[0]), k) for k, s in enumerate(sigs)]) if sigs else np.zeros(0)
pic_owner = {}
for k, (_, pics) in enumerate(sigs):
    for p in pics:
        pic_owner.setdefault(p, set()).add(k)
share = np.zeros((len(sigs), len(sigs)), dtype=np.float32)
need = int(np.floor(thr * 64 / 100)) + 1  # score > thr  <=>  equal values >= need
for i, (m, pics) in enumerate(sigs):
    if len(m) == 0:
        continue
    matched = np.zeros((len(m), len(sigs)), dtype=bool)
    for a in range(0, len(m), 64):
        eq = (m[a:a + 64, None, :] == allm[None, :, :]).sum(axis=2) >= need  # [q, N]
        for qi in range(eq.shape[0]):
            hit = np.unique(owner[eq[qi]])
            matched[a + qi, hit] = True
    for qi, p in enumerate(pics):
        for k in pic_owner.get(p, ()):
            matched[qi, k] = True
    share[i] = matched.sum(axis=0) / len(m)
t_match = time.perf_counter() - t0
json.dump({"files": rels, "share": share.tolist(), "functions": n_fun, "hashable": n_hashable,
           "smda_s": t_dis, "minhash_s": t_mh, "match_s": t_match}, open(out, "w"))
print(json.dumps({"files": len(rels), "functions": n_fun, "hashable": n_hashable, "smda_s": round(t_dis, 2),
                  "minhash_s": round(t_mh, 2), "functions_per_s": round(n_fun / max(t_dis + t_mh, 1e-9), 1),
                  "match_s": round(t_match, 1)}))
