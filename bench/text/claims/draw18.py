#!/usr/bin/env python3
"""Wave 8 (branch claims18): a SEEDED development-side draw of ATT&CK group / campaign and
MISP threat-actor sentences (`candidates.py` output, /tmp/cands.json) in no earlier draw.

usage: draw18.py SEED MARKED UNMARKED [KIND]     writes drawnSEED.json (labels: labelsSEED.tsv)

With KIND (e.g. misp-tidal-groups), candidates are those of `candidates5.py`
(/tmp/cands5.json, development-side documents only) of that kind instead.
Sentences whose claims a probe run printed as changed (SEEN) are never drawn.

Same rules as draw.py (development-side documents only by the split rule, at most one
sentence per document, the 8-word overlap check against the held-out half, `idx` = draw
order), but candidates are taken in SHA-1 order of "SEED:" + document key + text, so
different seeds draw different rows (draw.py's order does not depend on its N). Seeds
>= 100 (claims16 uses seeds < 100). Excludes every drawn*.json in this directory."""
import json, hashlib, os, re, sys, glob
if len(sys.argv) not in (4, 5) or not all(a.isdigit() for a in sys.argv[1:4]) or int(sys.argv[1]) < 100:
    sys.exit(__doc__)
seed, want_m, want_u = (int(a) for a in sys.argv[1:4])
kind = sys.argv[4] if len(sys.argv) == 5 else None
here = os.path.dirname(os.path.abspath(__file__))
c = json.load(open('/tmp/cands.json')) if kind is None else [x for x in json.load(open('/tmp/cands5.json')) if x['kind'] == kind]
# (wave 8: a development-side sentence whose claims an unlabelled probe printed as changed)
SEEN = {'Storm-1044 has been identified as part of a cyber campaign in collaboration with Twisted Spider'}
# (and those listed in seen18.txt: printed from the unlabelled probe before they could be drawn)
SEEN |= {l.rstrip('\n') for l in open(os.path.join(here, 'seen18.txt')) if not l.startswith('#')}
c = [x for x in c if x['text'] not in SEEN]
earlier = [f for f in glob.glob(os.path.join(here, 'drawn*.json')) if not f.endswith(f'drawn{seed}.json')]
used = {x['text'] for f in earlier for x in json.load(open(f))}
dev = [x for x in c if hashlib.sha1(x['doc'].encode()).digest()[0] % 2 == 0 and x['text'] not in used]
dev.sort(key=lambda x: hashlib.sha1(f'{seed}:{x["doc"]}{x["text"]}'.encode()).hexdigest())
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
json.dump(out, open(os.path.join(here, f'drawn{seed}.json'), 'w'), indent=0, ensure_ascii=False)
print(len(out), 'kept of', nm + nu)
