#!/usr/bin/env python3
"""Wave 9 (branch claims22): a SEEDED development-side draw of catalogue and vendor prose
from `candidates22.py` output (/tmp/cands22.json), with quotas per kind.

usage: draw22.py SEED [strong]     writes drawnSEED.json (labels: labelsSEED.tsv); seeds >= 300

With `software` (batches E and F, seeds 304 and 305), only software / tool descriptions
with the narrower cue. With `strong` (batches C and D, seeds 302 and 303), a "cue" is `candidates.py`'s narrower
attribution vocabulary (batches A and B, drawn with the wider `candidates22.py` cue, held
5 claims in 41 sentences each), with quotas weighted further to threat-group prose.

Candidates (development-side documents only, in no earlier draw, not in the set, sharing
no 8 consecutive words with any sentence of the set) are taken in SHA-1 order of
"SEED:" + document key + text, at most one sentence per document, until each kind's
quota of sentences with a cue and without is filled. Excludes every drawn*.json in this
directory (so seed 301 never redraws seed 300's rows). `idx` = draw order."""
import json, hashlib, os, sys, glob
if len(sys.argv) not in (2, 3) or not sys.argv[1].isdigit() or int(sys.argv[1]) < 300 or sys.argv[2:] not in ([], ['strong'], ['software']):
    sys.exit(__doc__)
strong = sys.argv[2:] in (['strong'], ['software'])
import re
STRONG = re.compile(r"attribut|linked|link |behind|responsib|sponsor|suspect|assess|affiliat|believ|on behalf|tied|associated|work(s|ing)? for|operat(ed|es) by|unit |GRU|MSS|RGB|SVR|FSB|IRGC|MOIS|PLA|likely|possibl|align|nexus|origin|based in|intelligence|government|military|state", re.I)
seed = int(sys.argv[1])
here = os.path.dirname(os.path.abspath(__file__))
# kind -> (with a cue, without): ATT&CK groups and MISP threat-actor prose first (93 of the
# held-out half's 140 claims are of those kinds), then vendor prose, software, ESET events
SOFT = ('attack-software', 'misp-tidal-software', 'misp-tool', 'misp-rat', 'misp-ransomware', 'misp-botnet',
        'misp-backdoor', 'misp-wiper', 'misp-stealer')
QUOTA = {'misp-threat-actor': (14, 3), 'attack-group': (4, 1), 'misp-tidal-groups': (4, 1),
         'misp-microsoft-activity-group': (3, 0), 'software': (7, 2), 'eset': (1, 1)}
if strong:
    QUOTA = {'misp-threat-actor': (17, 3), 'attack-group': (4, 0), 'misp-tidal-groups': (4, 0),
             'misp-microsoft-activity-group': (3, 0), 'software': (3, 0), 'eset': (0, 0)}
if sys.argv[2:] == ['software']:  # batches E and F (seeds 304, 305): software and tool prose only
    QUOTA = {'software': (20, 0)}
c = json.load(open('/tmp/cands22.json'))
if strong:
    for x in c: x['cue'] = bool(STRONG.search(x['text']))
earlier = [f for f in glob.glob(os.path.join(here, 'drawn*.json')) if not f.endswith(f'drawn{seed}.json')]
used = {x['text'] for f in earlier for x in json.load(open(f))}
dev = [x for x in c if hashlib.sha1(x['doc'].encode()).digest()[0] % 2 == 0 and x['text'] not in used]
dev.sort(key=lambda x: hashlib.sha1(f'{seed}:{x["doc"]}{x["text"]}'.encode()).hexdigest())
out, docs, n = [], set(), {}
for x in dev:
    k = 'software' if x['kind'] in SOFT else x['kind']
    if x['doc'] in docs or k not in QUOTA: continue
    j = 0 if x['cue'] else 1
    if n.get((k, j), 0) >= QUOTA[k][j]: continue
    n[(k, j)] = n.get((k, j), 0) + 1
    docs.add(x['doc']); out.append(x)
for i, x in enumerate(out): x['idx'] = i
json.dump(out, open(os.path.join(here, f'drawn{seed}.json'), 'w'), indent=0, ensure_ascii=False)
print(len(out), 'drawn', n)
