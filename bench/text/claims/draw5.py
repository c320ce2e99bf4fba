#!/usr/bin/env python3
"""Wave 7: the draw of new-kind development sentences from /tmp/cands5.json
(`candidates5.py`, development-side documents only). Per kind, candidates in SHA-1 order
of document key + text, at most one per document, until the kind's quota of marked (cue)
and unmarked sentences is filled. `draw5.py` writes drawn5.json (labels5.tsv, by `idx`);
`draw5.py 7` (wave 7c) writes drawn7.json (labels7.tsv) from the candidates in no
earlier draw, with the quotas of QUOTA7."""
import json, hashlib, os, sys
here = os.path.dirname(os.path.abspath(__file__))
QUOTA7 = {'misp-microsoft-activity-group': (20, 2), 'misp-360net': (15, 2), 'misp-tidal-groups': (25, 3)}
QUOTA = {'attack-software': (32, 4), 'misp-ransomware': (16, 3), 'misp-tool': (12, 3), 'misp-rat': (7, 1),
         'misp-botnet': (5, 1), 'misp-microsoft-activity-group': (14, 2), 'misp-backdoor': (3, 0),
         'misp-wiper': (0, 2), 'misp-stealer': (1, 0)}
batch = sys.argv[1] if len(sys.argv) > 1 else '5'
c = json.load(open('/tmp/cands5.json'))
if batch == '7':
    QUOTA = QUOTA7
    used = {x['text'] for x in json.load(open(os.path.join(here, 'drawn5.json')))}
    c = [x for x in c if x['text'] not in used]
c = [x for x in c if x['kind'] in QUOTA]
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
json.dump(out, open(os.path.join(here, f'drawn{batch}.json'), 'w'), indent=0, ensure_ascii=False)
print(len(out), 'drawn', n)
