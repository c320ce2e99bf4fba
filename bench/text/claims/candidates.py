#!/usr/bin/env python3
"""Draws candidate sentences from the offline ATT&CK bundle and MISP threat-actor
galaxy (deterministic: sorted by object id, fixed filters). Labels are added by hand
in labels.tsv; build.py joins both into the JSONL set."""
import json, re, sys, hashlib
DATA = sys.argv[1] if len(sys.argv) > 1 else '/work/shared/data'
CUE = re.compile(r"attribut|linked|link |behind|responsib|sponsor|suspect|assess|affiliat|believ|on behalf|tied|associated|work(s|ing)? for|operat(ed|es) by|unit |GRU|MSS|RGB|SVR|FSB|IRGC|MOIS|PLA|likely|possibl|align|nexus|origin|based in|intelligence|government|military|state", re.I)
def split(text):
    # candidate splitter for drawing only (the extractor has its own)
    text = re.sub(r"\s+", " ", text.strip())
    parts = re.split(r"(?<=[a-z0-9\)\]])\.(?:\(Citation:[^)]*\))*\s+(?=[A-Z\[])", text)
    return [p.strip() for p in parts if p.strip()]
out = []
b = json.load(open(f'{DATA}/attack/enterprise-attack.json'))
objs = sorted([o for o in b['objects'] if o['type'] in ('intrusion-set', 'campaign')], key=lambda o: o['id'])
for o in objs:
    ext = [r for r in o.get('external_references', []) if r.get('source_name') == 'mitre-attack']
    if not ext: continue
    eid = ext[0]['external_id']; url = ext[0].get('url', '')
    d = o.get('description', '')
    for i, s in enumerate(split(d)):
        if s.endswith('…') or len(s) < 40 or len(s) > 420: continue
        out.append(dict(doc=f'attack:{eid}', url=url, date=o.get('modified', '')[:10], licence='MITRE ATT&CK terms of use (royalty-free, copyright notice reproduced)', text=s, cue=bool(CUE.search(s))))
t = json.load(open(f'{DATA}/misp-galaxy/threat-actor.json'))
for v in sorted(t['values'], key=lambda v: v['uuid']):
    d = v.get('description', '')
    for s in split(d):
        if len(s) < 40 or len(s) > 420: continue
        out.append(dict(doc=f"misp-threat-actor:{v['uuid']}", url=f"https://github.com/MISP/misp-galaxy/blob/main/clusters/threat-actor.json#{v['uuid']}", date='2026-08-06', licence='CC0-1.0 OR BSD-2-Clause (MISP galaxy)', text=s, cue=bool(CUE.search(s))))
for c in out:
    c['id'] = hashlib.sha1((c['doc'] + c['text']).encode()).hexdigest()[:10]
json.dump(out, open('/tmp/cands.json', 'w'))
print(len(out), sum(c['cue'] for c in out))
