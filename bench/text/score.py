#!/usr/bin/env python3
"""Scores ascribe-text and the peers iocsearcher, ioc-finder and iocextract on
the hand-labelled set in eval/ (plus the seed articles, which hold no
indicators and so count false positives only). Prints precision / recall / F1
per indicator type, side by side, micro-averaged over documents."""
import argparse, json, os, subprocess, sys, time
from collections import defaultdict

TYPES = ["ipv4", "ipv6", "domain", "url", "email", "md5", "sha1", "sha256", "cve",
         "windows-path", "registry-key", "file-name", "mutex"]


def norm(t, v):
    v = v.strip()
    if t == "url":
        return v.lower().rstrip("/")
    if t in ("domain",):
        return v.lower().rstrip(".")
    if t in ("email", "md5", "sha1", "sha256", "ipv6", "file-name"):
        return v.lower()
    if t == "cve":
        return v.upper()
    return v


def run_ascribe(binary, paths):
    out = {}
    res = subprocess.run([binary] + paths, capture_output=True, text=True, check=True)
    for line in res.stdout.splitlines():
        x = json.loads(line)
        out[x["file"]] = {t: set(vs) for t, vs in x.get("indicators", {}).items()}
    return out


def peer_iocsearcher():
    from iocsearcher.searcher import Searcher
    s = Searcher()
    m = {"ip4": "ipv4", "ip4Net": "ipv4", "ip6": "ipv6", "fqdn": "domain", "email": "email", "url": "url",
         "md5": "md5", "sha1": "sha1", "sha256": "sha256", "cve": "cve", "registry": "registry-key"}

    def f(text):
        r = defaultdict(set)
        for ioc in s.search_data(text):
            t = m.get(ioc.name)
            if t:
                r[t].add(ioc.value)
        return r
    return f, set(m.values())


def peer_ioc_finder():
    from ioc_finder import find_iocs
    m = {"urls": "url", "domains": "domain", "ipv4s": "ipv4", "ipv4_cidrs": "ipv4", "ipv6s": "ipv6",
         "email_addresses": "email", "md5s": "md5", "sha1s": "sha1", "sha256s": "sha256", "cves": "cve",
         "file_paths": "windows-path", "registry_key_paths": "registry-key"}

    def f(text):
        r = defaultdict(set)
        for k, vs in find_iocs(text).items():
            t = m.get(k)
            if t:
                for v in vs:
                    r[t].add(v)
        return r
    return f, set(m.values())


def peer_iocextract():
    import iocextract as ie

    def f(text):
        r = defaultdict(set)
        r["url"] = set(ie.extract_urls(text, refang=True))
        r["ipv4"] = set(ie.extract_ipv4s(text, refang=True))
        r["ipv6"] = set(ie.extract_ipv6s(text))
        r["email"] = set(ie.extract_emails(text, refang=True))
        r["md5"] = set(ie.extract_md5_hashes(text))
        r["sha1"] = set(ie.extract_sha1_hashes(text))
        r["sha256"] = set(ie.extract_sha256_hashes(text))
        return r
    return f, {"url", "ipv4", "ipv6", "email", "md5", "sha1", "sha256"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ascribe", required=True)
    ap.add_argument("--docs", required=True)
    ap.add_argument("--seeds")
    ap.add_argument("--labels", required=True)
    ap.add_argument("--json-out")
    ap.add_argument("--types", help="comma-separated types to score (default: all); other types are ignored")
    a = ap.parse_args()
    global TYPES
    if a.types:
        TYPES = [t for t in TYPES if t in a.types.split(",")]
    labels = json.load(open(a.labels))
    docs = {}  # key -> path
    for k in labels:
        if k.startswith("_"):
            continue
        if k.startswith("seed:"):
            if a.seeds and os.path.isfile(os.path.join(a.seeds, k[5:])):
                docs[k] = os.path.join(a.seeds, k[5:])
            else:
                print(f"note: seed {k[5:]} not found, skipped", file=sys.stderr)
        else:
            docs[k] = os.path.join(a.docs, k)
    texts = {k: open(p, encoding="utf-8").read() for k, p in docs.items()}

    tools = {}
    t0 = time.time()
    asc = run_ascribe(a.ascribe, list(docs.values()))
    tools["ascribe"] = ({k: asc[p] for k, p in docs.items()}, set(TYPES), time.time() - t0)
    for name, mk in [("iocsearcher", peer_iocsearcher), ("ioc-finder", peer_ioc_finder), ("iocextract", peer_iocextract)]:
        try:
            f, supported = mk()
        except Exception as e:  # noqa: BLE001
            print(f"note: {name} unavailable: {e}", file=sys.stderr)
            continue
        t0 = time.time()
        tools[name] = ({k: f(texts[k]) for k in docs}, supported, time.time() - t0)

    results = {}
    for name, (preds, supported, secs) in tools.items():
        per = {}
        for t in TYPES:
            if t not in supported:
                continue
            tp = fp = fn = 0
            for k in docs:
                gold = {norm(t, v) for v in labels[k].get(t, [])}
                pred = {norm(t, v) for v in preds[k].get(t, set())}
                tp += len(gold & pred)
                fp += len(pred - gold)
                fn += len(gold - pred)
            if tp + fp + fn == 0:
                continue
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            per[t] = dict(tp=tp, fp=fp, fn=fn, p=p, r=r, f1=f1)
        # defanged recall: gold values written defanged, found under any type
        dg = df = 0
        for k in docs:
            allpred = set()
            for t, vs in preds[k].items():
                allpred |= {norm(t, v) for v in vs}
            for v in labels[k].get("defanged", []):
                dg += 1
                if any(norm(t, v) in allpred for t in TYPES):
                    df += 1
        fp_total = sum(x["fp"] for x in per.values())
        fp_seeds = sum(len(vs) for k in docs if k.startswith("seed:") for t, vs in preds[k].items() if t in supported)
        results[name] = dict(types=per, defanged_found=df, defanged_total=dg, fp_total=fp_total, fp_seeds=fp_seeds, seconds=secs)

    names = list(results)
    print(f"documents: {len(docs)} ({sum(1 for k in docs if k.startswith('seed:'))} seed articles)")
    print("P / R / F1 per type (— = type not supported by the tool)\n")
    print(f"{'type':<13}" + "".join(f"{n:>22}" for n in names) + f"{'gold':>6}")
    for t in TYPES:
        gold = sum(len(labels[k].get(t, [])) for k in docs)
        row = f"{t:<13}"
        for n in names:
            x = results[n]["types"].get(t)
            row += f"{'—':>22}" if x is None else f"{x['p']:.2f}/{x['r']:.2f}/{x['f1']:.2f}".rjust(22)
        print(row + f"{gold:>6}")
    row = f"{'micro':<13}"
    for n in names:
        per = results[n]["types"]
        tp = sum(x["tp"] for x in per.values()); fp = sum(x["fp"] for x in per.values()); fn = sum(x["fn"] for x in per.values())
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        results[n]["micro"] = dict(tp=tp, fp=fp, fn=fn, p=p, r=r, f1=f1)
        row += f"{p:.3f}/{r:.3f}/{f1:.3f}".rjust(22)
    print(row + f"{sum(len(labels[k].get(t, [])) for k in docs for t in TYPES):>6}")
    print(f"{'(micro over the types each tool supports)':<13}")
    print()
    print(f"{'defanged found':<13}" + "".join(f"{str(results[n]['defanged_found']) + '/' + str(results[n]['defanged_total']):>22}" for n in names))
    print(f"{'false pos.':<13}" + "".join(f"{results[n]['fp_total']:>22}" for n in names))
    print(f"{'FP on seeds':<13}" + "".join(f"{results[n]['fp_seeds']:>22}" for n in names))
    print(f"{'seconds':<13}" + "".join(f"{results[n]['seconds']:>22.2f}" for n in names))
    if a.json_out:
        json.dump(results, open(a.json_out, "w"), indent=1)


if __name__ == "__main__":
    main()
