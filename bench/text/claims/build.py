#!/usr/bin/env python3
"""Joins drawn.json + labels.tsv + gov.py into claims-real.jsonl and splits it by document
(sha1 of the document key: even first byte -> dev, odd -> test)."""
import json, hashlib, os, sys
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import gov, gov2, gov3, gov4, gov5, certeu
gov_c17 = __import__('gov-c17')
gov_c21 = __import__('gov-c21')  # wave 9 (claims21)
def load(drawn_name, labels_name):
    drawn = json.load(open(os.path.join(here, drawn_name)))
    labels = {}
    for line in open(os.path.join(here, labels_name)):
        if line.startswith('#') or not line.strip(): continue
        i, st, cl, tg, hd = line.rstrip('\n').split('\t')
        labels.setdefault(int(i), []).append((st, None if cl == '-' else cl, tg, None if hd == '-' else hd))
    return drawn, labels
rows = []
seen = {}
# wave 8: claims16, claims17 and claims18 drew from the same development-side pool in
# parallel, so some sentences were drawn and labelled twice, blind to each other. The
# first labelling (in the order of this script) is kept; the second is counted, and
# whether the two agree (the same claims, compared as sets) is reported.
twice = {'same': 0, 'different': 0}
def row(doc, url, date, lic, text, claims):
    out = []
    for st, cl, tg, hd in claims:
        assert tg in text, (tg, text)
        assert cl is None or cl in text, (cl, text)
        out.append(dict(stance=st, claimant=cl, target=tg, hedge=hd))
    h = hashlib.sha1(doc.encode()).digest()[0]
    rid = hashlib.sha1((doc + text).encode()).hexdigest()[:12]
    if rid in seen:
        key = lambda cs: sorted(json.dumps(c, sort_keys=True) for c in cs)
        twice['same' if key(seen[rid]['claims']) == key(out) else 'different'] += 1
        rows.append(seen[rid])  # the row stays where it was first added; removed below
        return
    seen[rid] = dict(id=rid, doc=doc, split='dev' if h % 2 == 0 else 'test',
                     url=url, date=date, licence=lic, text=text, stance='claim' if out else 'none', claims=out)
    rows.append(seen[rid])
# first draw + first government batch, then (wave 4) the second draw and second batch
for drawn_name, labels_name, g in (('drawn.json', 'labels.tsv', gov), ('drawn2.json', 'labels2.tsv', gov2)):
    drawn, labels = load(drawn_name, labels_name)
    for i, x in enumerate(drawn):
        row(x['doc'], x['url'], x['date'], x['licence'], x['text'], labels.get(i, []))
    for doc, text, claims in g.S:
        url, date, lic = g.DOCS[doc]
        row(doc, url, date, lic, text, [(s, c, t, h) for s, c, t, h in claims])
# wave 5: the third and fourth draws (development side only; `idx` is the index labels3.tsv uses)
drawn, labels = load('drawn3.json', 'labels3.tsv')
for x in drawn:
    row(x['doc'], x['url'], x['date'], x['licence'], x['text'], labels.get(x['idx'], []))
    assert rows[-1]['split'] == 'dev', x['doc']
drawn, labels = load('drawn4.json', 'labels4.tsv')
for x in drawn:
    row(x['doc'], x['url'], x['date'], x['licence'], x['text'], labels.get(x['idx'], []))
    assert rows[-1]['split'] == 'dev', x['doc']
# wave 7: the draw of new kinds (ATT&CK software, MISP tool / ransomware / rat / botnet /
# backdoor / wiper / stealer / microsoft-activity-group; development side only)
drawn, labels = load('drawn5.json', 'labels5.tsv')
for x in drawn:
    row(x['doc'], x['url'], x['date'], x['licence'], x['text'], labels.get(x['idx'], []))
    assert rows[-1]['split'] == 'dev', x['doc']
# wave 7: a further ATT&CK / MISP draw (`draw.py 6 70 10`; development side only)
drawn, labels = load('drawn6.json', 'labels6.tsv')
for x in drawn:
    row(x['doc'], x['url'], x['date'], x['licence'], x['text'], labels.get(x['idx'], []))
    assert rows[-1]['split'] == 'dev', x['doc']
# wave 7c: MISP tidal-groups and microsoft-activity-group descriptions (`draw5.py 7`; development side only)
drawn, labels = load('drawn7.json', 'labels7.tsv')
for x in drawn:
    row(x['doc'], x['url'], x['date'], x['licence'], x['text'], labels.get(x['idx'], []))
    assert rows[-1]['split'] == 'dev', x['doc']
# wave 7d: a further ATT&CK / MISP draw (`draw.py 8 60 8`; development side only)
drawn, labels = load('drawn8.json', 'labels8.tsv')
for x in drawn:
    row(x['doc'], x['url'], x['date'], x['licence'], x['text'], labels.get(x['idx'], []))
    assert rows[-1]['split'] == 'dev', x['doc']
# wave 7c (claims15): a further ATT&CK / MISP draw (`draw.py 9 40 5`; development side only),
# labelled before any extractor ran on it: the fresh batch on which wave 7c is measured
drawn, labels = load('drawn9.json', 'labels9.tsv')
for x in drawn:
    row(x['doc'], x['url'], x['date'], x['licence'], x['text'], labels.get(x['idx'], []))
    assert rows[-1]['split'] == 'dev', x['doc']
# wave 8 (claims16): seeded ATT&CK / MISP draws (`draw16.py`; development side only), each
# labelled before any extractor ran on it: 16a (rules written from it), 16b and 16c (fresh checks)
for name in ('16a', '16b', '16c', '16d'):
    if not os.path.exists(os.path.join(here, f'drawn{name}.json')): continue
    drawn, labels = load(f'drawn{name}.json', f'labels{name}.tsv')
    for x in drawn:
        row(x['doc'], x['url'], x['date'], x['licence'], x['text'], labels.get(x['idx'], []))
        assert rows[-1]['split'] == 'dev', x['doc']
# wave 8 (claims17): MISP tidal-groups and microsoft-activity-group descriptions
# (`draw-c17.py`; development side only), labelled before any extractor ran on them
drawn, labels = load('drawn-c17.json', 'labels-c17.tsv')
for x in drawn:
    row(x['doc'], x['url'], x['date'], x['licence'], x['text'], labels.get(x['idx'], []))
    assert rows[-1]['split'] == 'dev', x['doc']
# wave 8 (claims18): seeded draws of MISP threat-actor / ATT&CK sentences (`draw18.py SEED 32 10`;
# development side only), each labelled before any extractor ran on it (batch A: seed 100, B: 101, C: 102, E: 103)
for seed in (100, 101, 102, 103):
    drawn, labels = load(f'drawn{seed}.json', f'labels{seed}.tsv')
    for x in drawn:
        row(x['doc'], x['url'], x['date'], x['licence'], x['text'], labels.get(x['idx'], []))
        assert rows[-1]['split'] == 'dev', x['doc']
# wave 8 (claims18): batch D, MISP tidal-groups threat-group descriptions (`draw18.py 200 30 8
# misp-tidal-groups`; candidates5.py output, development side only) and batch F (seed 201)
for drawn_name, labels_name in (('drawn200.json', 'labels200.tsv'), ('drawn201.json', 'labels201.tsv')):
    drawn, labels = load(drawn_name, labels_name)
    for x in drawn:
        row(x['doc'], x['url'], x['date'], x['licence'], x['text'], labels.get(x['idx'], []))
        assert rows[-1]['split'] == 'dev', x['doc']
# wave 9 (claims22): seeded draws of catalogue and vendor prose (`candidates22.py`, `draw22.py`;
# development side only), each labelled before any extractor ran on it: A 300, B 301 (wide cue),
# C 302, D 303 (narrow cue), E 304, F 305 (software and tool prose); G 306, H 307 drawn after v2; I 308, J 309 after v5; K 310, L 311 after v7; M 312, N 313 after v8; O 314, P 315 after v9
for seed in (300, 301, 302, 303, 304, 305, 306, 307, 308, 309, 310, 311, 312, 313, 314, 315):
    if not os.path.exists(os.path.join(here, f'drawn{seed}.json')): continue
    drawn, labels = load(f'drawn{seed}.json', f'labels{seed}.tsv')
    for x in drawn:
        row(x['doc'], x['url'], x['date'], x['licence'], x['text'], labels.get(x['idx'], []))
        assert rows[-1]['split'] == 'dev', x['doc']
# wave 5: government sentences of development-side documents only (see gov3.py); a
# sentence sharing 8 consecutive words with a held-out sentence would be refused
import re
def shingles(t):
    w = re.findall(r'\w+', t.lower())
    return {' '.join(w[i:i + 8]) for i in range(len(w) - 7)}
held = set()
for r in rows:
    if r['split'] == 'test': held |= shingles(r['text'])
for doc, text, claims, mod in ([(d, t, c, gov3) for d, t, c in gov3.S] + [(d, t, c, certeu) for d, t, c in certeu.S]
                               + [(d, t, c, gov4) for d, t, c in gov4.S]  # gov4: wave 6
                               + [(d, t, c, gov5) for d, t, c in gov5.S]  # gov5: wave 6c
                               + [(d, t, c, gov_c17) for d, t, c in gov_c17.S]  # wave 8 (claims17)
                               + [(d, t, c, gov_c21) for d, t, c in gov_c21.S]):  # wave 9 (claims21)
    url, date, lic = mod.DOCS[doc]
    if shingles(text) & held:
        print('dropped (shares 8 words with a held-out sentence):', doc, text[:60])
        continue
    row(doc, url, date, lic, text, [(s, c, t, h) for s, c, t, h in claims])
    assert rows[-1]['split'] == 'dev', doc
ids = set()
rows = [r for r in rows if not (r['id'] in ids or ids.add(r['id']))]
print('drawn twice (wave 8 branches):', twice['same'] + twice['different'], 'sentences; the two labellings agree on',
      twice['same'], 'and differ on', twice['different'], '(the first is kept)')
dest = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '../../../crates/text/tests/data/claims-real/claims-real.jsonl')
os.makedirs(os.path.dirname(dest), exist_ok=True)
with open(dest, 'w') as f:
    for r in rows: f.write(json.dumps(r, ensure_ascii=False) + '\n')
for sp in ('dev', 'test'):
    rs = [r for r in rows if r['split'] == sp]
    print(sp, 'sentences', len(rs), 'claim sentences', sum(1 for r in rs if r['claims']), 'claims', sum(len(r['claims']) for r in rs), 'docs', len({r['doc'] for r in rs}))
print('total', len(rows), 'claim sentences', sum(1 for r in rows if r['claims']), 'non-claim', sum(1 for r in rows if not r['claims']))
