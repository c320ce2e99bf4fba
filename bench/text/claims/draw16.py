#!/usr/bin/env python3
"""A seeded development-side draw of ATT&CK / MISP threat-actor sentences (wave 8, claims16).

usage: draw16.py NAME SEED MARKED UNMARKED [CANDS]   writes drawnNAME.json (labels: labelsNAME.tsv)

As draw.py, but (1) candidates are ordered by SHA-1 of SEED + document key + text, so a
new seed draws other rows than draw.py's fixed order (claims16 used seeds < 100, claims18
seeds >= 100), (2) every drawn*.json already in this folder is excluded, (3) the
candidates file (`candidates.py` output) may be given. Only documents whose SHA-1 puts
them on the development side are drawn, at most one sentence per document; a drawn
sentence sharing 8 consecutive words with a held-out sentence is dropped mechanically
(the held-out text is not printed). `idx` keeps the draw order that labelsNAME.tsv uses."""
import json, hashlib, os, re, sys, glob
if len(sys.argv) not in (5, 6) or not all(a.isdigit() for a in sys.argv[2:5]):
    sys.exit(__doc__)
name, seed = sys.argv[1], sys.argv[2]
want_m, want_u = int(sys.argv[3]), int(sys.argv[4])
cands = sys.argv[5] if len(sys.argv) == 6 else '/tmp/cands.json'
here = os.path.dirname(os.path.abspath(__file__))
target = os.path.join(here, f'drawn{name}.json')
if os.path.exists(target):
    sys.exit(f'{target} exists')
c = json.load(open(cands))
used = {x['text'] for f in glob.glob(os.path.join(here, 'drawn*.json')) for x in json.load(open(f))}
dev = [x for x in c if hashlib.sha1(x['doc'].encode()).digest()[0] % 2 == 0 and x['text'] not in used]
dev.sort(key=lambda x: hashlib.sha1((seed + ':' + x['doc'] + x['text']).encode()).hexdigest())
out, docs, nm, nu = [], set(), 0, 0
for x in dev:
    if x['doc'] in docs: continue
    if x['cue'] and nm < want_m: nm += 1
    elif not x['cue'] and nu < want_u: nu += 1
    else: continue
    docs.add(x['doc']); out.append(x)
def shingles(t):
    w = re.findall(r'\w+', t.lower())
    return {' '.join(w[i:i + 8]) for i in range(len(w) - 7)}
test = set()
for l in open(os.path.join(here, '../../../crates/text/tests/data/claims-real/claims-real.jsonl')):
    r = json.loads(l)
    if r['split'] == 'test': test |= shingles(r['text'])
for i, x in enumerate(out): x['idx'] = i
out = [x for x in out if not shingles(x['text']) & test]
json.dump(out, open(target, 'w'), indent=0, ensure_ascii=False)
print(len(out), 'kept of', nm + nu)
