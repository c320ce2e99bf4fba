#!/usr/bin/env python3
"""Check ascribe's exports with the ecosystem's own tools.

Usage: check_exports.py DIR
  DIR/*.stix.json    must pass stix2-validator with no error
  DIR/*.misp.json    must load with PyMISP's MISPEvent().load and survive a round trip
  DIR/*.layers.json  every layer must validate against the Navigator layer format 4.5 schema
  DIR/*.html         one self-contained file: no external reference
Prints one line per file and a closing 'N passed, N failed' line; exits 1 on any failure.
"""
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def check_stix(path):
    from stix2validator import validate_file, ValidationOptions
    res = validate_file(path, ValidationOptions(version="2.1"))
    errors = []
    for r in res.object_results:
        errors += [f"{r.object_id}: {e}" for e in r.errors]
    if res.fatal:
        errors.append(str(res.fatal))
    warnings = sum(len(r.warnings) for r in res.object_results)
    if not res.is_valid or errors:
        return False, f"{len(errors)} error(s): " + "; ".join(errors[:5])
    n = len(json.load(open(path)).get("objects", []))
    return True, f"no error ({n} objects; {warnings} warning(s))"


def check_misp(path):
    from pymisp import MISPEvent
    raw = json.load(open(path))
    ev = MISPEvent()
    ev.load(json.loads(json.dumps(raw)))  # load() consumes the dict it is given
    again = MISPEvent()
    again.load(ev.to_json())
    src = raw["Event"]
    problems = []
    if str(again.uuid) != src["uuid"]:
        problems.append("uuid changed")
    if len(again.attributes) != len(src.get("Attribute", [])):
        problems.append(f"{len(again.attributes)} attributes after the round trip, {len(src.get('Attribute', []))} before")
    vals = sorted((a.type, a.value) for a in again.attributes)
    if vals != sorted((a["type"], a["value"]) for a in src.get("Attribute", [])):
        problems.append("attribute values changed")
    tags = sorted(t.name for t in again.tags)
    if tags != sorted(t["name"] for t in src.get("Tag", [])):
        problems.append("tags changed")
    clusters = [c for g in getattr(again, "galaxies", []) for c in g.clusters]
    want = [c for g in src.get("Galaxy", []) for c in g["GalaxyCluster"]]
    if len(clusters) != len(want):
        problems.append(f"{len(clusters)} galaxy clusters after the round trip, {len(want)} before")
    for c in clusters:
        if "attribution-confidence" not in (c.meta or {}):
            problems.append(f"cluster {c.value} lost attribution-confidence")
    reports = getattr(again, "event_reports", [])
    if len(reports) != len(src.get("EventReport", [])):
        problems.append("event report lost")
    if problems:
        return False, "; ".join(problems)
    return True, f"loads and round-trips ({len(again.attributes)} attributes, {len(tags)} tags, {len(clusters)} threat-actor clusters, {len(reports)} report)"


def check_layers(path):
    import jsonschema
    schema = json.load(open(os.path.join(HERE, "layer-format-4.5.schema.json")))
    doc = json.load(open(path))
    layers = doc if isinstance(doc, list) else [doc]
    v = jsonschema.Draft7Validator(schema)
    errs = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in v.iter_errors(doc)]
    if errs:
        return False, f"{len(errs)} schema error(s): " + "; ".join(errs[:5])
    return True, f"{len(layers)} layer(s) valid against layer format 4.5"


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|@import|url\(""", re.I)


def check_html(path):
    text = open(path, encoding="utf-8").read()
    bad = EXTERNAL.findall(text)
    if bad:
        return False, f"external reference(s): {bad[:3]}"
    if "<svg" not in text or "@media print" not in text:
        return False, "no inline SVG chart or no print stylesheet"
    return True, f"self-contained ({len(text)} bytes)"


def main():
    d = sys.argv[1]
    checks = [("*.stix.json", check_stix), ("*.misp.json", check_misp),
              ("*.layers.json", check_layers), ("*.html", check_html)]
    passed = failed = 0
    for pattern, fn in checks:
        for p in sorted(glob.glob(os.path.join(d, pattern))):
            try:
                ok, msg = fn(p)
            except Exception as e:  # a crash of a checker is a failure of the file
                ok, msg = False, f"{type(e).__name__}: {e}"
            print(f"{'ok  ' if ok else 'FAIL'} {os.path.basename(p)}: {msg}")
            passed += ok
            failed += not ok
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or not passed else 0)


if __name__ == "__main__":
    main()
