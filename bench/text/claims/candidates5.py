#!/usr/bin/env python3
"""Wave 7: candidate sentences of NEW kinds (development side only) — ATT&CK software
(malware, tool) descriptions and MISP galaxy clusters other than threat-actor
(`misp-galaxy-extra/`: tool, backdoor, rat, ransomware, wiper, botnet, stealer, and
microsoft-activity-group, whose descriptions are vendor prose with a named claimant).

The document key (`attack:S0001`, `misp-<cluster>:<uuid>`) is hashed by the existing
split rule (SHA-1, even first byte -> dev) BEFORE its text is looked at; held-out-side
documents are skipped unread (only their count is printed). A sentence sharing 8
consecutive words with a held-out sentence of the set is dropped mechanically, without
printing it. Writes /tmp/cands5.json (same fields as candidates.py)."""
import json, re, sys, hashlib, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
DATA = sys.argv[1] if len(sys.argv) > 1 else '/work/shared/data'
here = os.path.dirname(os.path.abspath(__file__))
CUE = re.compile(r"attribut|linked|link |behind|responsib|sponsor|suspect|assess|affiliat|believ|on behalf|tied|associated|work(s|ing)? for|operat(ed|es) by|unit |GRU|MSS|RGB|SVR|FSB|IRGC|MOIS|PLA|likely|possibl|align|nexus|origin|based in|intelligence|government|military|state|used by|developed by|created by|author", re.I)
def split(text):
    text = re.sub(r"\s+", " ", text.strip())
    parts = re.split(r"(?<=[a-z0-9\)\]])\.(?:\(Citation:[^)]*\))*\s+(?=[A-Z\[])", text)
    return [p.strip() for p in parts if p.strip()]
def dev(key):
    return hashlib.sha1(key.encode()).digest()[0] % 2 == 0
def shingles(t):
    w = re.findall(r'\w+', t.lower())
    return {' '.join(w[i:i + 8]) for i in range(len(w) - 7)}
held, have = set(), set()
# the wave-7 draws themselves do not count as "already in the set" (so that a rerun draws the same)
ours = set()
for f in ('drawn5.json', 'drawn6.json', 'drawn7.json'):
    if os.path.exists(os.path.join(here, f)):
        ours |= {x['text'] for x in json.load(open(os.path.join(here, f)))}
for l in open(os.path.join(here, '../../../crates/text/tests/data/claims-real/claims-real.jsonl')):
    r = json.loads(l)
    if r['text'] not in ours: have.add(r['text'])
    if r['split'] == 'test': held |= shingles(r['text'])
out, skipped_docs, dropped = [], 0, 0
unread = []  # held-out-side document keys, left unread (written to unread7.txt)
def add(key, url, date, lic, desc, kind):
    global skipped_docs, dropped
    if not dev(key):
        skipped_docs += 1
        unread.append(key)
        return  # held-out side: not read
    for s in split(desc):
        if s.endswith('…') or len(s) < 40 or len(s) > 420 or s in have: continue
        # English prose only (wave 7c: 360net's descriptions are mostly Chinese)
        if re.search(r'[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]', s): continue
        if shingles(s) & held:
            dropped += 1; continue
        out.append(dict(doc=key, url=url, date=date, licence=lic, text=s, kind=kind, cue=bool(CUE.search(s))))
b = json.load(open(f'{DATA}/attack/enterprise-attack.json'))
for o in sorted([o for o in b['objects'] if o['type'] in ('malware', 'tool')], key=lambda o: o['id']):
    ext = [r for r in o.get('external_references', []) if r.get('source_name') == 'mitre-attack']
    if not ext: continue
    add(f"attack:{ext[0]['external_id']}", ext[0].get('url', ''), o.get('modified', '')[:10],
        'MITRE ATT&CK terms of use (royalty-free, copyright notice reproduced)', o.get('description', ''), 'attack-software')
# wave 7c added '360net' and 'tidal-groups' (threat-actor descriptions by other publishers)
for cl in ('tool', 'backdoor', 'rat', 'ransomware', 'wiper', 'botnet', 'stealer', 'microsoft-activity-group', '360net', 'tidal-groups'):
    t = json.load(open(f'{DATA}/misp-galaxy-extra/{cl}.json'))
    for v in sorted(t['values'], key=lambda v: v['uuid']):
        add(f"misp-{cl}:{v['uuid']}", f"https://github.com/MISP/misp-galaxy/blob/main/clusters/{cl}.json#{v['uuid']}",
            '2026-08-06', 'CC0-1.0 OR BSD-2-Clause (MISP galaxy)', v.get('description', ''), f'misp-{cl}')
for c in out:
    c['id'] = hashlib.sha1((c['doc'] + c['text']).encode()).hexdigest()[:10]
json.dump(out, open('/tmp/cands5.json', 'w'))
open(os.path.join(here, 'unread7.txt'), 'w').write(
    '# wave 7: held-out-side document keys (SHA-1 first byte odd) of the new kinds, left unread by candidates5.py\n'
    + ''.join(k + '\n' for k in unread))
from collections import Counter
print(len(out), 'candidates,', sum(c['cue'] for c in out), 'with a cue; held-out-side documents skipped unread:', skipped_docs, '; dropped by the 8-word check:', dropped)
print(Counter((c['kind'], c['cue']) for c in out))
