#!/usr/bin/env python3
"""Wave 8 (branch claims17): a fresh development batch of vendor prose — MISP galaxy
`tidal-groups` (Tidal Cyber) and `microsoft-activity-group` (Microsoft) cluster
descriptions — from `candidates5.py` output (development-side documents only; its path is
the first argument, default /tmp/cands5.json). Candidates in no earlier draw
(drawn*.json) and sharing no 8 consecutive words with any sentence already in the set
(either half: the held-out text is compared mechanically, never printed), in SHA-1 order
of document key + text, at most one per document, until each kind's quota of marked
(cue) and unmarked sentences is filled. Writes drawn-c17.json (labels-c17.tsv, by
`idx`). The government sentences of the same batch are in gov-c17.py."""
import glob, hashlib, json, os, re, sys
here = os.path.dirname(os.path.abspath(__file__))
QUOTA = {'misp-tidal-groups': (26, 3), 'misp-microsoft-activity-group': (4, 2)}
c = json.load(open(sys.argv[1] if len(sys.argv) > 1 else '/tmp/cands5.json'))
used = {x['text'] for f in glob.glob(os.path.join(here, 'drawn*.json')) if not f.endswith('drawn-c17.json')
        for x in json.load(open(f))}
def shingles(t):
    w = re.findall(r'\w+', t.lower())
    return {' '.join(w[i:i + 8]) for i in range(len(w) - 7)}
seen = set()
for l in open(os.path.join(here, '../../../crates/text/tests/data/claims-real/claims-real.jsonl')):
    seen |= shingles(json.loads(l)['text'])
c = [x for x in c if x['kind'] in QUOTA and x['text'] not in used and not shingles(x['text']) & seen]
c.sort(key=lambda x: hashlib.sha1((x['doc'] + x['text']).encode()).hexdigest())
out, docs, n = [], set(), {}
for x in c:
    assert hashlib.sha1(x['doc'].encode()).digest()[0] % 2 == 0
    if x['doc'] in docs: continue
    m, u = n.get(x['kind'], (0, 0)); qm, qu = QUOTA[x['kind']]
    if x['cue'] and m < qm: n[x['kind']] = (m + 1, u)
    elif not x['cue'] and u < qu: n[x['kind']] = (m, u + 1)
    else: continue
    docs.add(x['doc']); out.append(x)
for i, x in enumerate(out): x['idx'] = i
json.dump(out, open(os.path.join(here, 'drawn-c17.json'), 'w'), indent=0, ensure_ascii=False)
print(len(out), 'drawn', n)
