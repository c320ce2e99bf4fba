#!/usr/bin/env python3
"""Wave 9 (branch claims22): development-side candidate sentences of catalogue and vendor
prose in NO earlier draw — ATT&CK group / campaign / software descriptions, MISP galaxy
`threat-actor` (older snapshot; the newer one is byte-identical), the newer snapshot's
`tidal-groups`, `tidal-software`, `microsoft-activity-group`, `360net` (English only),
`tool`, `backdoor`, `rat`, `ransomware`, `wiper`, `botnet`, `stealer`, and the event
`info` / text-attribute values and comments of ESET's MISP events
(`eset-malware-ioc/events`, BSD-2-Clause).

Malpedia descriptions (`malpedia.json`, both snapshots) are NOT used: the data README
notes Malpedia's own CC BY-NC-SA 3.0 terms, which the set (shipped with MIT / Apache-2.0
code) should not carry.

The document key (`attack:G0001`, `misp-<cluster>:<uuid>`, `eset:<folder>/<file>`) is
hashed by the split rule (SHA-1, even first byte -> dev) BEFORE its text is looked at;
held-out-side documents are skipped unread (their keys go to unread22.txt). A sentence
sharing 8 consecutive words with ANY sentence of the set (either half; the held-out
half's text is never printed) or with an earlier drawn sentence is dropped mechanically,
as are sentences already drawn, in the set, or listed in seen18.txt / seen22.txt
(sentences whose extractor output a probe run printed). Writes
/tmp/cands22.json (fields of candidates.py plus `kind`)."""
import json, re, sys, hashlib, os, glob
DATA = sys.argv[1] if len(sys.argv) > 1 else '/work/shared/data'
here = os.path.dirname(os.path.abspath(__file__))
CUE = re.compile(r"attribut|linked|link |behind|responsib|sponsor|suspect|assess|affiliat|believ|on behalf|tied|associated|work(s|ing)? for|operat(ed|es) by|unit |GRU|MSS|RGB|SVR|FSB|IRGC|MOIS|PLA|likely|possibl|align|nexus|origin|based in|intelligence|government|military|state|used by|developed by|created by|author|claim|group|actor|APT", re.I)
def split(text):
    text = re.sub(r"\s+", " ", text.strip())
    parts = re.split(r"(?<=[a-z0-9\)\]])\.(?:\(Citation:[^)]*\))*\s+(?=[A-Z\[])", text)
    return [p.strip() for p in parts if p.strip()]
def dev(key):
    return hashlib.sha1(key.encode()).digest()[0] % 2 == 0
def shingles(t):
    w = re.findall(r'\w+', t.lower())
    return {' '.join(w[i:i + 8]) for i in range(len(w) - 7)}
have, sh = set(), set()
for l in open(os.path.join(here, '../../../crates/text/tests/data/claims-real/claims-real.jsonl')):
    r = json.loads(l)
    have.add(r['text']); sh |= shingles(r['text'])
for f in glob.glob(os.path.join(here, 'drawn*.json')):
    if os.path.basename(f) in ('drawn300.json', 'drawn301.json', 'drawn302.json', 'drawn303.json'):
        continue  # this wave's own draws (so that a rerun draws the same)
    for x in json.load(open(f)):
        have.add(x['text']); sh |= shingles(x['text'])
for seen in ('seen18.txt', 'seen22.txt'):
    have |= {l.rstrip('\n') for l in open(os.path.join(here, seen)) if not l.startswith('#')}
out, unread, dropped, seen_keys = [], [], 0, set()
def add(key, url, date, lic, desc, kind):
    global dropped
    if key in seen_keys: return
    seen_keys.add(key)
    if not dev(key):
        unread.append(key)
        return  # held-out side: not read
    for s in split(desc):
        if s.endswith('…') or len(s) < 40 or len(s) > 420 or s in have: continue
        if re.search(r'[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]', s): continue
        if shingles(s) & sh:
            dropped += 1; continue
        out.append(dict(doc=key, url=url, date=date, licence=lic, text=s, kind=kind, cue=bool(CUE.search(s))))
ATT = 'MITRE ATT&CK terms of use (royalty-free, copyright notice reproduced)'
b = json.load(open(f'{DATA}/attack/enterprise-attack.json'))
for o in sorted([o for o in b['objects'] if o['type'] in ('intrusion-set', 'campaign', 'malware', 'tool')], key=lambda o: o['id']):
    ext = [r for r in o.get('external_references', []) if r.get('source_name') == 'mitre-attack']
    if not ext: continue
    k = 'attack-group' if o['type'] in ('intrusion-set', 'campaign') else 'attack-software'
    add(f"attack:{ext[0]['external_id']}", ext[0].get('url', ''), o.get('modified', '')[:10], ATT, o.get('description', ''), k)
MISP = 'CC0-1.0 OR BSD-2-Clause (MISP galaxy)'
t = json.load(open(f'{DATA}/misp-galaxy/threat-actor.json'))
for v in sorted(t['values'], key=lambda v: v['uuid']):
    add(f"misp-threat-actor:{v['uuid']}", f"https://github.com/MISP/misp-galaxy/blob/main/clusters/threat-actor.json#{v['uuid']}",
        '2026-08-06', MISP, v.get('description', ''), 'misp-threat-actor')
for cl in ('tidal-groups', 'microsoft-activity-group', '360net', 'tidal-software', 'tool', 'backdoor', 'rat', 'ransomware', 'wiper', 'botnet', 'stealer'):
    t = json.load(open(f'{DATA}/misp-galaxy-extra/{cl}.json'))
    for v in sorted(t['values'], key=lambda v: v['uuid']):
        add(f"misp-{cl}:{v['uuid']}", f"https://github.com/MISP/misp-galaxy/blob/main/clusters/{cl}.json#{v['uuid']}",
            '2026-08-06', MISP, v.get('description', ''), f'misp-{cl}')
# ESET events: the key is the file's path under events/, hashed before the file is opened
ESET = 'BSD-2-Clause (ESET spol. s r.o., github.com/eset/malware-ioc)'
root = f'{DATA}/eset-malware-ioc/events'
for path in sorted(glob.glob(f'{root}/**/*.json', recursive=True)):
    rel = os.path.relpath(path, root)
    key = f'eset:{rel}'
    if not dev(key):
        unread.append(key); seen_keys.add(key); continue
    try:
        ev = json.load(open(path))
    except Exception:
        continue
    if isinstance(ev, dict) and isinstance(ev.get('response'), list) and ev['response']:
        ev = ev['response'][0]
    ev = ev.get('Event', ev) if isinstance(ev, dict) else {}
    if not isinstance(ev, dict): continue
    texts = [ev.get('info', '')]
    for a in ev.get('Attribute', []) + [a for o in ev.get('Object', []) for a in o.get('Attribute', [])]:
        if a.get('type') in ('text', 'comment'): texts.append(a.get('value', ''))
        texts.append(a.get('comment', '') or '')
    seen_keys.discard(key)
    add(key, f'https://github.com/eset/malware-ioc/blob/f9c1102417f469167bcb40f24e14badeeaf9dc70/{rel}',
        (ev.get('date') or '')[:10], ESET, ' '.join(x.strip().rstrip('.') + '.' for x in texts if x and len(x) > 30), 'eset')
for c in out:
    c['id'] = hashlib.sha1((c['doc'] + c['text']).encode()).hexdigest()[:10]
json.dump(out, open('/tmp/cands22.json', 'w'))
open(os.path.join(here, 'unread22.txt'), 'w').write(
    '# wave 9 (claims22): held-out-side document keys (SHA-1 first byte odd), left unread by candidates22.py\n'
    + ''.join(k + '\n' for k in sorted(set(unread))))
from collections import Counter
print(len(out), 'candidates,', sum(c['cue'] for c in out), 'with a cue; held-out-side documents skipped unread:', len(set(unread)), '; dropped by the 8-word check:', dropped)
for k, n in sorted(Counter((c['kind'], c['cue']) for c in out).items()): print(k, n)
