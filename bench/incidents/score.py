#!/usr/bin/env python3
"""Score ascribe's assessments of the real-incident cases (stdlib only).

usage: score.py --cases DIR --results DIR --bin ASCRIBE --store FILE [--slugs a,b,...]

Reads RESULTS/json/<slug>.<variant>.json (the output of
`ascribe analyze --json`, variant `full` or `blind`) and CASES/<slug>/meta.toml,
and writes RESULTS/results.md and RESULTS/results.json.

Per variant, over all cases and over the false-flag/hijack/disputed subset:

- top-1 (group): the verdict's leader is an actor hypothesis whose actor is
  one of `truth_groups` (resolved to knowledge-base ids with `kb actor`);
- top-3 (group): a true group among the three most probable hypotheses;
  95 % Wilson intervals of the top-1 shares;
- first among actors (group): the true group leads the known-actor
  hypotheses, "unknown" and false flags left aside (what ranking alone
  gets right; top-1 also needs the actor to beat the unknown hypotheses);
- supported (group): the evidence raised a true group above its prior
  (posterior > prior); a case where it did not is one the knowledge base of
  the analysis date could not attribute to that group from this evidence;
- top-1 (state): the leading state of the assessment's `states` list when
  the JSON has one, otherwise the country of the verdict's leader;
- P(true): the posterior summed over the hypotheses of the true groups (of
  actors of the true state, or the state's entry in `states`);
- Brier: multi-class, Σ (p − y)² over the listed hypotheses (the true
  groups merged into one class; "other actors", "unknown" and each false
  flag are classes of their own), or over the states;
- ECE: 10 equal-width bins of the leader's probability against whether the
  leader is right;
- wrong above "likely": wrong verdicts whose probability is ≥ 0.80
  (ICD 203 "very likely" or "almost certain"): the group verdict, or for
  state-only cases the state verdict; "wrong state" counts wrong state
  verdicts ≥ 0.80 over every case;
- cheap flip: the stress test's cheapest flip exists and its hardest item is
  cheap (planting cheap evidence alone would flip the verdict); "rests on
  cheap": discounting every cheap item changes the leader;
- naive baseline: every evidence item (duplicates skipped) gives one vote to
  the actor it supports most (highest likelihood ratio above 1; a tie
  splits the vote), and to that actor's state; the most votes wins, a tie
  counting as the expected accuracy of a random pick among the tied.
"""

import argparse
import json
import os
import subprocess
import sys
import tomllib

VARIANTS = ("full", "blind")
SUBSET = {"false-flag", "hijacked-infrastructure", "disputed"}
VERY_LIKELY = 0.80
EPS = 1e-9


class Kb:
    """Actor look-ups through `ascribe kb actor --json`, cached."""

    def __init__(self, binary, store):
        self.binary = binary
        self.store = store
        self.cache = {}

    def actor(self, name):
        if name in self.cache:
            return self.cache[name]
        r = subprocess.run(
            [self.binary, "--store", self.store, "--color", "never", "kb", "actor", name, "--json"],
            capture_output=True, text=True)
        val = None
        if r.returncode == 0:
            try:
                val = json.loads(r.stdout).get("actor")
            except json.JSONDecodeError:
                val = None
        self.cache[name] = val
        return val

    def state(self, actor_id):
        a = self.actor(actor_id)
        if not a:
            return None
        return a.get("state") or a.get("country")


def load_meta(cases, slug):
    with open(os.path.join(cases, slug, "meta.toml"), "rb") as f:
        meta = tomllib.load(f)
    for key in ("truth_state", "truth_groups", "as_of", "official", "categories"):
        if key not in meta:
            raise SystemExit(f"{cases}/{slug}/meta.toml: missing field '{key}'")
    return meta


def truth_ids(kb, meta):
    """Lower-cased ids and names of the true groups (empty: state-level truth only)."""
    ids = set()
    for g in meta["truth_groups"]:
        ids.add(g.lower())
        a = kb.actor(g)
        if a:
            ids.add(a["id"].lower())
            if a.get("attack_id"):
                ids.add(a["attack_id"].lower())
    return ids


def is_true_actor(actor, ids):
    if not actor:
        return False
    keys = [actor.get("id"), actor.get("attack_id"), actor.get("name")]
    return any(k and k.lower() in ids for k in keys)


def hypotheses(a):
    """The fullest hypothesis list the JSON offers (`ranking` when present)."""
    r = a.get("ranking")
    if isinstance(r, list) and r and isinstance(r[0], dict) and "posterior" in r[0]:
        return r
    return a["hypotheses"]


def state_entries(a):
    """[(code or None, label, posterior)] from the assessment's `states`, or None."""
    st = a.get("states")
    if not isinstance(st, list) or not st:
        return None
    out = []
    for e in st:
        if not isinstance(e, dict):
            continue
        code = None
        for k in ("state", "country", "code", "id"):
            v = e.get(k)
            if isinstance(v, str) and len(v) == 2 and v.isalpha():
                code = v.upper()
                break
        p = e.get("posterior", e.get("probability"))
        if isinstance(p, (int, float)):
            out.append((code, e.get("label") or e.get("id") or "", float(p)))
    out.sort(key=lambda x: -x[2])
    return out or None


def score_one(a, meta, kb, ids):
    hyps = hypotheses(a)
    truth_state = meta["truth_state"].upper()
    verdict = a["verdict"]
    leader = next((h for h in hyps if h["id"] == verdict["leader"]), None)
    lead_actor = leader.get("actor") if leader and leader.get("kind") == "actor" else None
    group_ok = is_true_actor(lead_actor, ids)
    # rank of the best true group among the listed hypotheses (None: not listed)
    ordered = sorted(hyps, key=lambda h: -float(h["posterior"]))
    group_rank = next((i + 1 for i, h in enumerate(ordered)
                       if h.get("kind") == "actor" and is_true_actor(h.get("actor"), ids)), None)

    actors = [h for h in ordered if h.get("kind") == "actor"]
    first_among_actors = bool(actors) and is_true_actor(actors[0].get("actor"), ids)
    supported = any(h.get("kind") == "actor" and is_true_actor(h.get("actor"), ids)
                    and "prior" in h and float(h["posterior"]) > float(h["prior"]) for h in hyps)
    p_true = sum((float(h["posterior"]) for h in hyps
                  if h.get("kind") == "actor" and is_true_actor(h.get("actor"), ids)), 0.0)
    sum_sq = sum(h["posterior"] ** 2 for h in hyps
                 if not (h.get("kind") == "actor" and is_true_actor(h.get("actor"), ids)))
    brier = max(0.0, sum_sq + p_true ** 2 - 2 * p_true + 1)

    states = state_entries(a)
    if states is not None:
        s_code, s_label, s_prob = states[0]
        state_ok = s_code == truth_state
        state_p_true = sum(p for c, _, p in states if c == truth_state)
        s_sum_sq = sum(p ** 2 for c, _, p in states if c != truth_state)
        state_source = "states"
    else:
        by_state = {}
        other = []
        for h in hyps:
            c = (h.get("actor") or {}).get("country") if h.get("kind") == "actor" else None
            if c:
                by_state[c.upper()] = by_state.get(c.upper(), 0.0) + h["posterior"]
            else:
                other.append(h["posterior"])
        lead_country = (lead_actor or {}).get("country")
        s_code = lead_country.upper() if lead_country else None
        s_label = s_code or verdict["leader"]
        s_prob = by_state.get(s_code, verdict["probability"]) if s_code else verdict["probability"]
        state_ok = s_code == truth_state
        state_p_true = float(by_state.get(truth_state, 0.0))
        s_sum_sq = sum(p ** 2 for c, p in by_state.items() if c != truth_state) + sum(p ** 2 for p in other)
        state_source = "leader's country"
    state_brier = max(0.0, s_sum_sq + state_p_true ** 2 - 2 * state_p_true + 1)

    st = a.get("stress_test") or {}
    flip = st.get("cheapest_flip")
    cheap_flip = bool(flip) and flip.get("hardest") == "cheap"
    without_cheap = next((s for s in st.get("scenarios", []) if s.get("name") == "without cheap"), None)
    rests_on_cheap = bool(without_cheap) and without_cheap.get("leader") != verdict["leader"]

    naive_g, naive_s, naive_leader = naive(a, kb, ids, truth_state)

    if not ids:
        # state-level truth only: no group-level figures for this case
        group_ok = None
        p_true = brier = group_rank = None
        naive_g = None
        first_among_actors = supported = None
    return {
        "leader": verdict["leader"],
        "leader_label": verdict["leader_label"],
        "probability": verdict["probability"],
        "likelihood": verdict.get("likelihood"),
        "group_top1": None if group_ok is None else (1.0 if group_ok else 0.0),
        "group_rank": group_rank,
        "group_top3": None if group_ok is None else (1.0 if group_rank and group_rank <= 3 else 0.0),
        "p_true_group": p_true,
        "first_among_actors": None if first_among_actors is None else (1.0 if first_among_actors else 0.0),
        "supported": None if supported is None else (1.0 if supported else 0.0),
        "brier_group": brier,
        "state_leader": s_label,
        "state_probability": s_prob,
        "state_top1": 1.0 if state_ok else 0.0,
        "p_true_state": state_p_true,
        "brier_state": state_brier,
        "state_from": state_source,
        # a verdict is wrong when it names the wrong group (for state-only
        # cases: when the state verdict names the wrong state or none)
        "wrong_above_likely": (not state_ok and s_prob >= VERY_LIKELY) if group_ok is None
        else (not group_ok and verdict["probability"] >= VERY_LIKELY),
        "wrong_state_above_likely": not state_ok and s_prob >= VERY_LIKELY,
        "cheap_flip": cheap_flip,
        "rests_on_cheap": rests_on_cheap,
        "naive_group_top1": naive_g,
        "naive_state_top1": naive_s,
        "naive_leader": naive_leader,
        "evidence_items": len(a.get("evidence", [])),
        "warnings": len(a.get("warnings", [])),
    }


def naive(a, kb, ids, truth_state):
    votes, svotes = {}, {}
    for e in a.get("evidence", []):
        if e.get("duplicate_of"):
            continue
        # actors only: a state's unknown group ("state:KP") is not an actor
        # the baseline could vote for (the baseline stays what it was)
        sup = [s for s in e.get("support", [])
               if s.get("lr", 0) > 1.0 + EPS and not s.get("actor", "").startswith("state:")]
        if not sup:
            continue
        best = max(s["lr"] for s in sup)
        tied = [s["actor"] for s in sup if s["lr"] >= best * (1 - 1e-9)]
        w = 1.0 / len(tied)
        for act in tied:
            votes[act] = votes.get(act, 0.0) + w
            st = kb.state(act) if not act.startswith("declared:") else None
            key = st.upper() if st else f"?{act}"
            svotes[key] = svotes.get(key, 0.0) + w
    if not votes:
        return 0.0, 0.0, None

    def pick(v, ok):
        top = max(v.values())
        tied = [k for k, x in v.items() if x >= top - EPS]
        return sum(1 for k in tied if ok(k)) / len(tied), tied

    g, gt = pick(votes, lambda k: k.lower() in ids or is_true_actor(kb.actor(k), ids))
    s, _ = pick(svotes, lambda k: k == truth_state)
    return g, s, gt[0] if len(gt) == 1 else f"tie of {len(gt)}"


def wilson(k, n, z=1.96):
    """95 % Wilson score interval of a proportion k/n."""
    if n == 0:
        return None
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / d
    return [max(0.0, c - h), min(1.0, c + h)]


def ece(rows, pkey, okkey, bins=10):
    rows = [r for r in rows if r[okkey] is not None]
    if not rows:
        return None
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inb = [r for r in rows if (lo <= r[pkey] < hi) or (b == bins - 1 and r[pkey] == 1.0)]
        if inb:
            conf = sum(r[pkey] for r in inb) / len(inb)
            acc = sum(r[okkey] for r in inb) / len(inb)
            total += len(inb) / len(rows) * abs(conf - acc)
    return total


def aggregate(rows):
    n = len(rows)
    if n == 0:
        return {"n": 0}
    def mean(k):
        vals = [float(r[k]) for r in rows if r[k] is not None]
        return sum(vals) / len(vals) if vals else None

    return {
        "n": n,
        "n_group": sum(1 for r in rows if r["group_top1"] is not None),
        "group_top1": mean("group_top1"),
        "state_top1": mean("state_top1"),
        "p_true_group": mean("p_true_group"),
        "p_true_state": mean("p_true_state"),
        "brier_group": mean("brier_group"),
        "brier_state": mean("brier_state"),
        "ece_group": ece(rows, "probability", "group_top1"),
        "ece_state": ece(rows, "state_probability", "state_top1"),
        "mean_leader_probability": mean("probability"),
        "wrong_above_likely": sum(1 for r in rows if r["wrong_above_likely"]),
        "wrong_state_above_likely": sum(1 for r in rows if r["wrong_state_above_likely"]),
        "cheap_flip": mean("cheap_flip"),
        "rests_on_cheap": mean("rests_on_cheap"),
        "group_top3": mean("group_top3"),
        "first_among_actors": mean("first_among_actors"),
        "supported": mean("supported"),
        "group_top1_ci95": wilson(sum(r["group_top1"] for r in rows if r["group_top1"] is not None),
                                  sum(1 for r in rows if r["group_top1"] is not None)),
        "state_top1_ci95": wilson(sum(r["state_top1"] for r in rows), n),
        "naive_group_top1": mean("naive_group_top1"),
        "naive_state_top1": mean("naive_state_top1"),
    }


def fmt(x, pct=False):
    if x is None:
        return "–"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int):
        return str(x)
    return f"{x:.2f}"


def markdown(summary, per_case, header):
    out = [header, ""]
    out.append("Group-level figures are over the cases with a true group (n group); state-only cases count at the state level.")
    out.append("")
    out.append("| variant | cases | n | n group | top-1 group | top-1 state | P(true) group | P(true) state | Brier group | Brier state | ECE group | ECE state | mean leader p | wrong ≥ 0.80 | wrong state ≥ 0.80 | cheap flip | rests on cheap | naive top-1 group | naive top-1 state |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for v in VARIANTS:
        for sub in ("all", "false-flag/hijack/disputed"):
            s = summary.get(v, {}).get(sub)
            if not s or s["n"] == 0:
                continue
            out.append("| " + " | ".join([v, sub, str(s["n"]), str(s["n_group"])] + [fmt(s[k]) for k in (
                "group_top1", "state_top1", "p_true_group", "p_true_state", "brier_group", "brier_state",
                "ece_group", "ece_state", "mean_leader_probability", "wrong_above_likely",
                "wrong_state_above_likely", "cheap_flip",
                "rests_on_cheap", "naive_group_top1", "naive_state_top1")]) + " |")
    out.append("")
    out.append("| variant | cases | top-3 group | first among actors | true group supported | top-1 group, 95 % interval | top-1 state, 95 % interval |")
    out.append("|---|---|---|---|---|---|---|")
    for v in VARIANTS:
        for sub in ("all", "false-flag/hijack/disputed"):
            s_ = summary.get(v, {}).get(sub)
            if not s_ or s_["n"] == 0:
                continue
            ci = lambda x: "–" if not x else f"{x[0]:.2f}–{x[1]:.2f}"
            out.append(f"| {v} | {sub} | {fmt(s_['group_top3'])} | {fmt(s_['first_among_actors'])} | {fmt(s_['supported'])} | {ci(s_['group_top1_ci95'])} | {ci(s_['state_top1_ci95'])} |")
    out.append("")
    out.append("| case | categories | variant | leader | p | state leader | group ✓ | state ✓ | P(true) group | P(true) state | cheap flip | naive group ✓ | naive state ✓ |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for slug in sorted(per_case):
        c = per_case[slug]
        for v in VARIANTS:
            r = c["variants"].get(v)
            if not r:
                continue
            out.append("| " + " | ".join([
                slug, ", ".join(c["categories"]) or "–", v, r["leader_label"].replace("|", "/"),
                f"{r['probability']:.2f}", f"{r['state_leader']} ({r['state_probability']:.2f})", fmt(r["group_top1"]), fmt(r["state_top1"]),
                fmt(r["p_true_group"]), fmt(r["p_true_state"]),
                "yes" if r["cheap_flip"] else "no", fmt(r["naive_group_top1"]), fmt(r["naive_state_top1"])]) + " |")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("--cases", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--store", required=True)
    ap.add_argument("--slugs", default="")
    ap.add_argument("--header", default="## Real incidents")
    ap.add_argument("--run-info", default="{}", help="JSON object recorded as 'run' in results.json")
    args = ap.parse_args()

    slugs = [s for s in args.slugs.split(",") if s] or sorted(
        d for d in os.listdir(args.cases) if os.path.isfile(os.path.join(args.cases, d, "meta.toml")))
    kb = Kb(args.bin, args.store)
    per_case = {}
    for slug in slugs:
        meta = load_meta(args.cases, slug)
        ids = truth_ids(kb, meta)
        if meta["truth_groups"] and not any(kb.actor(g) for g in meta["truth_groups"]):
            print(f"warning: {slug}: no truth group is known to the knowledge base", file=sys.stderr)
        entry = {"categories": meta["categories"], "truth_state": meta["truth_state"],
                 "truth_groups": meta["truth_groups"], "as_of": meta["as_of"], "variants": {}}
        for v in VARIANTS:
            path = os.path.join(args.results, "json", f"{slug}.{v}.json")
            if not os.path.exists(path):
                continue
            with open(path, encoding="utf-8") as f:
                a = json.load(f)
            entry["variants"][v] = score_one(a, meta, kb, ids)
        per_case[slug] = entry

    summary = {}
    for v in VARIANTS:
        rows = [c["variants"][v] for c in per_case.values() if v in c["variants"]]
        sub = [c["variants"][v] for c in per_case.values()
               if v in c["variants"] and SUBSET & set(c["categories"])]
        summary[v] = {"all": aggregate(rows), "false-flag/hijack/disputed": aggregate(sub)}

    result = {"run": json.loads(args.run_info), "summary": summary, "cases": per_case}
    with open(os.path.join(args.results, "results.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1, sort_keys=True)
    md = markdown(summary, per_case, args.header)
    with open(os.path.join(args.results, "results.md"), "w", encoding="utf-8") as f:
        f.write(md)
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
