#!/usr/bin/env python3
"""Make the blind variant of a real-incident case (stdlib only).

usage: blind.py CASE_DIR OUT_DIR [--bin ASCRIBE --store FILE]

The blind variant keeps the technical evidence and removes what names the
answer (see bench/incidents/README.md, "The blind rule"):

- every claim whose claimant, target or quote names a truth term is dropped;
- an indicator's `overlaps`, an artifact's `known_for` and a code overlap's
  `actor` that name a truth term are removed (the item itself stays);
- an `[[infrastructure_overlap]]` whose `overlaps` names a truth term is
  dropped, and so is a code overlap whose `family` does;
- software listed in meta.toml `incident_software` (families the knowledge
  base links to the actor only because of this incident) or named after a
  truth term (other than a knowledge-base alias) is dropped;
- notes, the case summary, and source titles and URLs that name a truth
  term are withheld (they are not weighed, but nothing may name the answer);
- the newer tables: an `[[operator_origin]]` whose `actor` names a truth
  term is dropped (its actor is the whole finding); a `[[link]]` whose `to`
  names one or is the incident's own software is dropped, and a truth term
  in its `actor` is removed; a declared `[[hypothesis]]` whose `state` is
  the truth state loses it, and a label naming a truth term is withheld;
  its `[[hypothesis_evidence]]` keeps only what names nothing;
- on every observation, a `forge_cost_why` naming a truth term is replaced
  by a neutral reason and a `fact` key naming one by an opaque key (items
  that shared the key still share it); a table blind.py does not know is an
  error, so that nothing new slips through unread.

Truth terms: the case's `truth_groups`, the names of `truth_state`, the
meta's `blind_strip` list, and the aliases of the truth groups in the
knowledge base (looked up with `ASCRIBE kb actor NAME --json` when --bin
and --store are given).
Matching is case-insensitive on word boundaries.

The files of the case directory other than case.toml and meta.toml
(reports, binaries) are not copied: the real-incident cases hold none, and a
report would have to be checked by hand before it could enter a blind
variant.
"""

import json
import os
import re
import subprocess
import sys
import tomllib

# Names of the states the cases are attributed to, as sources write them.
STATE_NAMES = {
    "KP": ["North Korea", "North Korean", "DPRK", "Democratic People's Republic of Korea",
           "Pyongyang"],
    "RU": ["Russia", "Russian", "Russian Federation", "Kremlin", "Moscow"],
    "CN": ["China", "Chinese", "PRC", "People's Republic of China", "Beijing"],
    "IR": ["Iran", "Iranian", "Islamic Republic of Iran", "Tehran"],
    "US": ["United States", "USA", "American"],
    "IL": ["Israel", "Israeli"],
    "VN": ["Vietnam", "Vietnamese"],
    "PK": ["Pakistan", "Pakistani"],
    "IN": ["India", "Indian"],
    "LB": ["Lebanon", "Lebanese"],
    "AE": ["United Arab Emirates", "UAE", "Emirati"],
}

# Aliases shorter than this are not used for stripping (too many false hits).
MIN_ALIAS = 4

# Every table of docs/case-format.md; blind_case refuses a case with any other.
KNOWN_TABLES = {"case", "victim", "source", "technique", "software", "indicator",
                "infrastructure_overlap", "operator_origin", "link", "artifact",
                "code_overlap", "claim", "hypothesis", "hypothesis_evidence"}


def truth_terms(meta, aliases):
    terms = set()
    for g in meta.get("truth_groups", []):
        terms.add(g)
    for s in meta.get("blind_strip", []):
        terms.add(s)
    terms.update(STATE_NAMES.get(meta.get("truth_state", ""), []))
    for a in aliases:
        if len(a) >= MIN_ALIAS:
            terms.add(a)
    return sorted(t for t in terms if t.strip())


def make_matcher(terms):
    if not terms:
        return lambda s: False
    # a space in a term also matches hyphens, underscores, dots and slashes,
    # so that "Lazarus Group" is found in ".../lazarus-group-the-missing-link/"
    alts = "|".join(r"[\s\-_./]+".join(re.escape(w) for w in t.split())
                    for t in sorted(terms, key=len, reverse=True))
    rx = re.compile(r"(?<![A-Za-z0-9])(?:" + alts + r")(?![A-Za-z0-9])", re.IGNORECASE)
    return lambda s: isinstance(s, str) and rx.search(s) is not None


def blind_case(case, meta, names, names_sw):
    """Return (blind case dict, list of what was removed).

    `names` matches every truth term; `names_sw` only those not taken from
    the knowledge base's aliases (a family such as BlackEnergy, public long
    before the incident, is not dropped because a knowledge-base cluster
    also uses its name as an alias of the actor)."""
    removed = []
    incident_sw = {s.lower() for s in meta.get("incident_software", [])}
    unknown = set(case) - KNOWN_TABLES
    if unknown:
        raise ValueError(f"blind.py does not know the table(s) {sorted(unknown)}: "
                         "teach it the blind rule for them before using them in a case")
    out = {}
    fact_ids = {}

    def common(item, what):
        """The fields every observation table takes (forge_cost_why, fact)."""
        if names(item.get("forge_cost_why")):
            item["forge_cost_why"] = "reason withheld in the blind variant"
            removed.append(f"forge_cost_why of {what}")
        if names(item.get("fact")):
            key = item["fact"]
            item["fact"] = fact_ids.setdefault(key, f"fact:withheld-{len(fact_ids) + 1}")
            removed.append(f"fact key of {what}")

    head = dict(case["case"])
    if names(head.get("summary")):
        del head["summary"]
        removed.append("case summary")
    if names(head.get("name")):
        head["name"] = "blind variant"
        removed.append("case name")
    out["case"] = head
    if "victim" in case:
        out["victim"] = dict(case["victim"])

    sources = []
    for s in case.get("source", []):
        s = dict(s)
        if names(s.get("title")):
            s["title"] = f"source {s['id']} (title withheld in the blind variant)"
            removed.append(f"title of source {s['id']}")
        if names(s.get("url")):
            del s["url"]
            removed.append(f"url of source {s['id']}")
        sources.append(s)
    out["source"] = sources

    def strip_note(item, what):
        if names(item.get("note")):
            del item["note"]
            removed.append(f"note of {what}")
        common(item, what)

    for t in case.get("technique", []):
        t = dict(t)
        strip_note(t, f"technique {t['id']}")
        out.setdefault("technique", []).append(t)

    for s in case.get("software", []):
        s = dict(s)
        if s["name"].lower() in incident_sw or names_sw(s["name"]):
            removed.append(f"software {s['name']}")
            continue
        strip_note(s, f"software {s['name']}")
        out.setdefault("software", []).append(s)

    for i in case.get("indicator", []):
        i = dict(i)
        if names(i.get("overlaps")):
            del i["overlaps"]
            removed.append(f"overlaps of indicator {i['value']}")
        strip_note(i, f"indicator {i['value']}")
        out.setdefault("indicator", []).append(i)

    for o in case.get("infrastructure_overlap", []):
        if names(o.get("overlaps")):
            removed.append(f"infrastructure overlap with {o['overlaps']}")
            continue
        o = dict(o)
        strip_note(o, "an infrastructure overlap")
        out.setdefault("infrastructure_overlap", []).append(o)

    for a in case.get("artifact", []):
        a = dict(a)
        if names(a.get("known_for")):
            del a["known_for"]
            removed.append(f"known_for of artifact {a['type']}")
        strip_note(a, f"artifact {a['type']}")
        out.setdefault("artifact", []).append(a)

    for c in case.get("code_overlap", []):
        if names(c.get("family")):
            removed.append(f"code overlap with {c['family']}")
            continue
        c = dict(c)
        if names(c.get("actor")):
            del c["actor"]
            removed.append(f"actor of code overlap with {c['family']}")
        strip_note(c, f"code overlap with {c['family']}")
        out.setdefault("code_overlap", []).append(c)

    for c in case.get("claim", []):
        if names(c.get("target")) or names(c.get("quote")) or names(c.get("claimant")):
            removed.append(f"claim by {c['claimant']} about {c['target']}")
            continue
        c = dict(c)
        strip_note(c, f"claim by {c['claimant']}")
        out.setdefault("claim", []).append(c)

    for o in case.get("operator_origin", []):
        if names(o.get("actor")):
            removed.append(f"operator origin from {o['actor']}")
            continue
        o = dict(o)
        if names(o.get("activity")):
            del o["activity"]
            removed.append("activity of an operator origin")
        strip_note(o, f"operator origin from {o['actor']}")
        out.setdefault("operator_origin", []).append(o)

    for k in case.get("link", []):
        if names(k.get("to")) or k.get("to", "").lower() in incident_sw:
            removed.append(f"{k['kind']} link to {k['to']}")
            continue
        k = dict(k)
        if names(k.get("actor")):
            del k["actor"]
            removed.append(f"actor of {k['kind']} link to {k['to']}")
        strip_note(k, f"{k['kind']} link to {k['to']}")
        out.setdefault("link", []).append(k)

    for h in case.get("hypothesis", []):
        h = dict(h)
        if h.get("state") and (h["state"].upper() == meta.get("truth_state", "").upper()
                               or names(h["state"])):
            del h["state"]
            removed.append(f"state of declared hypothesis {h['id']}")
        if names(h.get("label")):
            h["label"] = f"declared hypothesis {h['id']} (label withheld in the blind variant)"
            removed.append(f"label of declared hypothesis {h['id']}")
        if names(h["id"]):
            raise ValueError(f"declared hypothesis id {h['id']!r} names a truth term: choose a neutral id")
        out.setdefault("hypothesis", []).append(h)

    for e in case.get("hypothesis_evidence", []):
        e = dict(e)
        strip_note(e, f"evidence on declared hypothesis {e['hypothesis']}")
        out.setdefault("hypothesis_evidence", []).append(e)

    # Sources no longer used by any observation are dropped (an unused source
    # whose title was withheld says nothing).
    used = set()
    for key, items in out.items():
        if isinstance(items, list) and key != "source":
            used.update(x.get("source") for x in items)
    out["source"] = [s for s in out["source"] if s["id"] in used]
    return out, removed


# ------------------------------------------------------------ TOML writing
# Only what case.toml holds: tables, arrays of tables, strings, numbers,
# booleans and lists of strings.

def toml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    raise ValueError(f"cannot write {type(v).__name__} to case.toml")


def toml_table(d):
    return "".join(f"{k} = {toml_value(v)}\n" for k, v in d.items())


def dump_case(case):
    parts = []
    for key in ("case", "victim"):
        if key in case:
            parts.append(f"[{key}]\n" + toml_table(case[key]))
    for key, items in case.items():
        if key in ("case", "victim"):
            continue
        for item in items:
            parts.append(f"[[{key}]]\n" + toml_table(item))
    return "\n".join(parts)


def kb_aliases(binary, store, groups):
    """Names and aliases of the truth groups in the knowledge base."""
    out = []
    for g in groups:
        r = subprocess.run([binary, "--store", store, "--color", "never", "kb", "actor", g, "--json"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            continue
        try:
            actor = json.loads(r.stdout).get("actor") or {}
        except json.JSONDecodeError:
            continue
        out.append(actor.get("name", ""))
        out.extend(actor.get("aliases", []))
    return [a for a in out if a]


def take_opt(args, name):
    if name in args:
        i = args.index(name)
        if i + 1 >= len(args):
            raise SystemExit(f"{name} needs a value")
        val = args[i + 1]
        del args[i:i + 2]
        return val
    return None


def main(argv):
    args = argv[1:]
    binary = take_opt(args, "--bin")
    store = take_opt(args, "--store")
    if len(args) != 2 or (binary is None) != (store is None):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    case_dir, out_dir = args
    with open(os.path.join(case_dir, "case.toml"), "rb") as f:
        case = tomllib.load(f)
    with open(os.path.join(case_dir, "meta.toml"), "rb") as f:
        meta = tomllib.load(f)
    aliases = kb_aliases(binary, store, meta.get("truth_groups", [])) if binary else []
    names = make_matcher(truth_terms(meta, aliases))
    names_sw = make_matcher(truth_terms(meta, []))
    blind, removed = blind_case(case, meta, names, names_sw)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "case.toml"), "w", encoding="utf-8") as f:
        f.write("# Blind variant made by bench/incidents/blind.py; do not edit.\n")
        f.write(dump_case(blind))
    with open(os.path.join(out_dir, "removed.json"), "w", encoding="utf-8") as f:
        json.dump(removed, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
