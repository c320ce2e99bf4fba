#!/usr/bin/env python3
"""A development-side draw of ATT&CK / MISP threat-actor sentences not in the set (waves 5+).

usage: draw.py N MARKED UNMARKED      writes drawnN.json (labels: labelsN.tsv)

Only documents whose SHA-1 puts them on the development side are drawn, so the held-out
half stays exactly as it was (its figures stay comparable across waves). Takes
candidates (`candidates.py` output, /tmp/cands.json) not in drawn.json … drawn(N-1).json,
in SHA-1 order of document key + text, at most one per document, until it holds MARKED
sentences with a cue and UNMARKED without. The wave-5 draws were `draw.py 3 120 30`
and `draw.py 4 150 20`."""
import json, hashlib, os, re, sys
if len(sys.argv) != 4 or not all(a.isdigit() for a in sys.argv[1:]) or int(sys.argv[1]) < 3:
    sys.exit(__doc__)
n, want_m, want_u = (int(a) for a in sys.argv[1:])
here = os.path.dirname(os.path.abspath(__file__))
c = json.load(open('/tmp/cands.json'))
earlier = ['drawn.json'] + [f'drawn{k}.json' for k in range(2, n)]
used = {x['text'] for f in earlier for x in json.load(open(os.path.join(here, f)))}
dev = [x for x in c if hashlib.sha1(x['doc'].encode()).digest()[0] % 2 == 0 and x['text'] not in used]
dev.sort(key=lambda x: hashlib.sha1((x['doc'] + x['text']).encode()).hexdigest())
out, docs, nm, nu = [], set(), 0, 0
for x in dev:
    if x['doc'] in docs: continue
    if x['cue'] and nm < want_m: nm += 1
    elif not x['cue'] and nu < want_u: nu += 1
    else: continue
    docs.add(x['doc']); out.append(x)
# a dev-side document may repeat a held-out document's words (ATT&CK and MISP copy each
# other): drop every drawn sentence sharing 8 consecutive words with a held-out sentence
# (checked mechanically; the held-out text is not printed). `idx` keeps the draw order
# that labelsN.tsv refers to.
def shingles(t):
    w = re.findall(r'\w+', t.lower())
    return {' '.join(w[i:i + 8]) for i in range(len(w) - 7)}
test = set()
for l in open(os.path.join(here, '../../../crates/text/tests/data/claims-real/claims-real.jsonl')):
    r = json.loads(l)
    if r['split'] == 'test': test |= shingles(r['text'])
for i, x in enumerate(out): x['idx'] = i
out = [x for x in out if not shingles(x['text']) & test]
json.dump(out, open(os.path.join(here, f'drawn{n}.json'), 'w'), indent=0, ensure_ascii=False)
print(len(out), 'kept of', nm + nu)
