#!/usr/bin/env python3
"""Tests of the real-incidents benchmark: the cases' metadata and dates, the
blind rule and the scorer (stdlib only).

usage: python3 bench/incidents/test_incidents.py
"""

import os
import re
import sys
import tomllib
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree

import blind  # noqa: E402
import score  # noqa: E402

CASES = os.path.join(HERE, "cases")
CATEGORIES = {"false-flag", "hijacked-infrastructure", "disputed", "persona", "criminal-cover",
              "leaked-tool", "operator-origin", "misleading-language", "criminal-cooperation",
              "multiple-actors"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def slugs():
    return sorted(d for d in os.listdir(CASES) if os.path.isdir(os.path.join(CASES, d)))


def load(slug, name):
    with open(os.path.join(CASES, slug, name), "rb") as f:
        return tomllib.load(f)


class Cases(unittest.TestCase):
    def test_enough_cases_and_false_flags(self):
        metas = [load(s, "meta.toml") for s in slugs()]
        self.assertGreaterEqual(len(metas), 25)
        subset = [m for m in metas if score.SUBSET & set(m["categories"])]
        self.assertGreaterEqual(len(subset), 6)

    def test_meta_fields(self):
        for s in slugs():
            with self.subTest(case=s):
                m = load(s, "meta.toml")
                self.assertRegex(m["truth_state"], r"^[A-Z]{2}$")
                self.assertIsInstance(m["truth_groups"], list)
                self.assertRegex(m["as_of"], DATE)
                self.assertRegex(m["official"]["date"], DATE)
                self.assertTrue(m["official"]["by"] and m["official"]["source"])
                self.assertLess(m["as_of"], m["official"]["date"],
                                "as_of must precede the official attribution")
                self.assertTrue(set(m["categories"]) <= CATEGORIES, m["categories"])

    def test_nothing_after_as_of(self):
        # every source of the full variant was public by the analysis date
        for s in slugs():
            as_of = load(s, "meta.toml")["as_of"]
            for src in load(s, "case.toml").get("source", []):
                with self.subTest(case=s, source=src["id"]):
                    self.assertIn("date", src, "every source carries its date")
                    self.assertLessEqual(src["date"], as_of)

    def test_every_item_has_a_declared_source(self):
        for s in slugs():
            case = load(s, "case.toml")
            ids = {x["id"] for x in case.get("source", [])}
            for key, items in case.items():
                # [[hypothesis]] declares a theory and takes no source; the
                # evidence for or against it ([[hypothesis_evidence]]) does
                if isinstance(items, list) and key not in ("source", "hypothesis"):
                    for it in items:
                        with self.subTest(case=s, table=key):
                            self.assertIn(it["source"], ids)

    def test_blind_variant_names_no_truth_term(self):
        for s in slugs():
            meta = load(s, "meta.toml")
            case = load(s, "case.toml")
            names = blind.make_matcher(blind.truth_terms(meta, []))
            out, _ = blind.blind_case(case, meta, names, names)
            with self.subTest(case=s):
                for c in out.get("claim", []):
                    self.assertFalse(names(c["target"]) or names(c.get("quote")) or names(c["claimant"]))
                for i in out.get("indicator", []):
                    self.assertFalse(names(i.get("overlaps")))
                for o in out.get("infrastructure_overlap", []):
                    self.assertFalse(names(o["overlaps"]))
                for a in out.get("artifact", []):
                    self.assertFalse(names(a.get("known_for")))
                sw = {x.lower() for x in meta.get("incident_software", [])}
                for x in out.get("software", []):
                    self.assertNotIn(x["name"].lower(), sw)
                for o in out.get("operator_origin", []):
                    self.assertFalse(names(o["actor"]) or names(o.get("activity")))
                for k in out.get("link", []):
                    self.assertFalse(names(k["to"]) or names(k.get("actor")))
                    self.assertNotIn(k["to"].lower(), sw)
                for h in out.get("hypothesis", []):
                    self.assertNotEqual(h.get("state"), meta["truth_state"])
                    self.assertFalse(names(h["label"]) or names(h["id"]))
                for key, items in out.items():
                    if isinstance(items, list) and key != "source":
                        for it in items:
                            self.assertFalse(names(it.get("note")), (key, it))
                            self.assertFalse(names(it.get("forge_cost_why")), (key, it))
                            self.assertFalse(names(it.get("fact")), (key, it))


SAMPLE_CASE = {
    "case": {"name": "Test", "summary": "Done by North Korea"},
    "source": [
        {"id": "a", "title": "Vendor: Lazarus Group strikes", "kind": "vendor", "url": "https://x/lazarus-group-report"},
        {"id": "b", "title": "Advisory", "kind": "government"},
        {"id": "c", "title": "Only used by a dropped claim", "kind": "media"},
    ],
    "technique": [{"id": "T1485", "source": "b", "note": "like Lazarus Group's"}],
    "software": [{"name": "Destover", "source": "b"}, {"name": "RawDisk", "source": "b"},
                 {"name": "BlackEnergy", "source": "b"}],
    "indicator": [{"type": "ip", "value": "192.0.2.1", "source": "b", "overlaps": "Lazarus Group"}],
    "infrastructure_overlap": [{"indicators": ["x"], "overlaps": "North Korea", "source": "a"},
                               {"indicators": ["y"], "overlaps": "OilRig", "source": "a"}],
    "artifact": [{"type": "rich-header", "value": "v", "known_for": "Lazarus Group", "source": "b"},
                 {"type": "rich-header", "value": "w", "known_for": "APT10", "source": "b"}],
    "code_overlap": [{"family": "DarkSeoul", "actor": "North Korea", "similarity": 0.1, "source": "a"},
                     {"family": "North Korean wiper", "similarity": 0.1, "source": "a"}],
    "operator_origin": [{"actor": "North Korea", "address": "175.45.178.0/24", "source": "b"},
                        {"actor": "China", "address": "223.166.0.0/15", "source": "b",
                         "activity": "logins like Lazarus Group's"}],
    "link": [{"kind": "same-operator", "to": "Destover", "source": "b"},
             {"kind": "same-c2", "to": "Lazarus Group", "source": "b"},
             {"kind": "same-operator", "to": "Operation Troy", "actor": "North Korea", "source": "b",
              "forge_cost": "cheap", "forge_cost_why": "public knowledge about Lazarus Group",
              "fact": "same-operator:lazarus-group-troy"}],
    "hypothesis": [{"id": "sympathisers", "label": "sympathisers of North Korea", "prior": 0.02,
                    "state": "KP"},
                   {"id": "insider", "label": "an insider", "prior": 0.02}],
    "hypothesis_evidence": [{"hypothesis": "sympathisers", "stance": "for", "strength": "weak",
                             "source": "b", "note": "Pyongyang praised it"},
                            {"hypothesis": "insider", "stance": "against", "strength": "weak",
                             "source": "b", "note": "no insider access needed",
                             "fact": "declared:insider-access"}],
    "claim": [{"claimant": "GoP", "claimant_kind": "actor", "target": "Guardians of Peace",
               "stance": "claims-responsibility", "source": "c"},
              {"claimant": "X", "claimant_kind": "media", "target": "China", "stance": "suspects",
               "source": "a"}],
}
SAMPLE_META = {"truth_state": "KP", "truth_groups": ["G0032", "Lazarus Group"],
               "incident_software": ["Destover"], "blind_strip": ["GoP"]}


class Blind(unittest.TestCase):
    def setUp(self):
        terms = blind.truth_terms(SAMPLE_META, ["Guardians of Peace", "BlackEnergy", "ABC"])
        self.names = blind.make_matcher(terms)
        self.names_sw = blind.make_matcher(blind.truth_terms(SAMPLE_META, []))
        self.out, self.removed = blind.blind_case(SAMPLE_CASE, SAMPLE_META, self.names, self.names_sw)

    def test_terms(self):
        terms = blind.truth_terms(SAMPLE_META, ["ABC", "Guardians of Peace"])
        self.assertIn("North Korea", terms)
        self.assertIn("Guardians of Peace", terms)
        self.assertNotIn("ABC", terms)  # short KB aliases are ignored
        self.assertTrue(self.names("the LAZARUS group"))
        self.assertFalse(self.names("Lazarusian"))  # word boundaries

    def test_claims(self):
        self.assertEqual([c["target"] for c in self.out["claim"]], ["China"])

    def test_fields_and_items(self):
        self.assertNotIn("overlaps", self.out["indicator"][0])
        self.assertEqual([o["overlaps"] for o in self.out["infrastructure_overlap"]], ["OilRig"])
        self.assertNotIn("known_for", self.out["artifact"][0])
        self.assertEqual(self.out["artifact"][1]["known_for"], "APT10")
        self.assertEqual([c["family"] for c in self.out["code_overlap"]], ["DarkSeoul"])
        self.assertNotIn("actor", self.out["code_overlap"][0])
        self.assertNotIn("note", self.out["technique"][0])
        self.assertNotIn("summary", self.out["case"])

    def test_software(self):
        # the incident's own family goes; a family that is only a KB alias stays
        self.assertEqual([s["name"] for s in self.out["software"]], ["RawDisk", "BlackEnergy"])

    def test_sources(self):
        by_id = {s["id"]: s for s in self.out["source"]}
        self.assertNotIn("c", by_id)  # used only by a dropped claim
        self.assertNotIn("Lazarus", by_id["a"]["title"])
        self.assertNotIn("url", by_id["a"])
        self.assertEqual(by_id["b"]["title"], "Advisory")

    def test_new_tables(self):
        # an operator origin in the truth state's space goes; another stays,
        # without an activity that names the answer
        self.assertEqual([o["actor"] for o in self.out["operator_origin"]], ["China"])
        self.assertNotIn("activity", self.out["operator_origin"][0])
        # links to the incident's own software or to a truth term go; a truth
        # term in a kept link's actor, forge-cost reason or fact key is removed
        self.assertEqual([k["to"] for k in self.out["link"]], ["Operation Troy"])
        link = self.out["link"][0]
        self.assertNotIn("actor", link)
        self.assertEqual(link["forge_cost"], "cheap")
        self.assertFalse(self.names(link["forge_cost_why"]))
        self.assertGreaterEqual(len(link["forge_cost_why"]), 10)  # the parser's minimum
        self.assertTrue(link["fact"].startswith("fact:withheld-"))
        # declared hypotheses stay (their evidence refers to them) without the
        # truth state and with a neutral label
        hyps = {h["id"]: h for h in self.out["hypothesis"]}
        self.assertEqual(set(hyps), {"sympathisers", "insider"})
        self.assertNotIn("state", hyps["sympathisers"])
        self.assertFalse(self.names(hyps["sympathisers"]["label"]))
        self.assertEqual(hyps["insider"]["label"], "an insider")
        ev = self.out["hypothesis_evidence"]
        self.assertEqual(len(ev), 2)
        self.assertNotIn("note", ev[0])
        self.assertEqual(ev[1]["note"], "no insider access needed")
        self.assertEqual(ev[1]["fact"], "declared:insider-access")

    def test_unknown_table_is_an_error(self):
        case = dict(SAMPLE_CASE, new_table=[{"source": "b"}])
        with self.assertRaises(ValueError):
            blind.blind_case(case, SAMPLE_META, self.names, self.names_sw)

    def test_toml_round_trip(self):
        text = blind.dump_case(self.out)
        self.assertEqual(tomllib.loads(text), self.out)


class FakeKb:
    actors = {
        "G0032": {"id": "G0032", "attack_id": "G0032", "name": "Lazarus Group", "country": "KP"},
        "G0067": {"id": "G0067", "attack_id": "G0067", "name": "APT37", "country": "KP"},
        "G0034": {"id": "G0034", "attack_id": "G0034", "name": "Sandworm Team", "country": "IR"},
        "Lazarus Group": {"id": "G0032", "attack_id": "G0032", "name": "Lazarus Group", "country": "KP"},
    }

    def actor(self, name):
        return self.actors.get(name)

    def state(self, actor_id):
        a = self.actor(actor_id)
        return a and a.get("country")


def hyp(id_, kind, p, actor=None):
    h = {"id": id_, "kind": kind, "posterior": p, "label": id_}
    if actor:
        h["actor"] = FakeKb.actors[actor]
    return h


def assessment(leader, hyps, evidence=(), flip=None, states=None):
    lead = next(h for h in hyps if h["id"] == leader)
    a = {"verdict": {"leader": leader, "leader_label": leader, "probability": lead["posterior"],
                     "likelihood": "likely"},
         "hypotheses": hyps, "evidence": list(evidence),
         "stress_test": {"scenarios": [{"name": "without cheap", "leader": leader}],
                         "cheapest_flip": flip}}
    if states is not None:
        a["states"] = states
    return a


class Score(unittest.TestCase):
    META = {"truth_state": "KP", "truth_groups": ["G0032", "Lazarus Group"]}

    def setUp(self):
        self.kb = FakeKb()
        self.ids = score.truth_ids(self.kb, self.META)

    def test_right_group(self):
        a = assessment("actor:G0032", [hyp("actor:G0032", "actor", 0.6, "G0032"),
                                       hyp("actor:G0067", "actor", 0.3, "G0067"),
                                       hyp("unknown", "unknown-actor", 0.1)])
        r = score.score_one(a, self.META, self.kb, self.ids)
        self.assertEqual(r["group_top1"], 1.0)
        self.assertEqual(r["group_rank"], 1)
        self.assertEqual(r["state_top1"], 1.0)
        self.assertAlmostEqual(r["p_true_group"], 0.6)
        self.assertAlmostEqual(r["p_true_state"], 0.9)
        # multi-class Brier: (1-0.6)^2 + 0.3^2 + 0.1^2
        self.assertAlmostEqual(r["brier_group"], 0.16 + 0.09 + 0.01)
        # states: KP 0.9 (true), unknown 0.1
        self.assertAlmostEqual(r["brier_state"], 0.01 + 0.01)
        self.assertFalse(r["wrong_above_likely"])

    def test_first_among_actors_and_supported(self):
        # "unknown" leads, the true group leads the actors and was raised by the evidence
        h = [hyp("unknown", "unknown-actor", 0.5), hyp("actor:G0032", "actor", 0.3, "G0032"),
             hyp("actor:G0034", "actor", 0.2, "G0034")]
        h[1]["prior"], h[2]["prior"] = 0.01, 0.3
        r = score.score_one(assessment("unknown", h), self.META, self.kb, self.ids)
        self.assertEqual(r["group_top1"], 0.0)
        self.assertEqual(r["first_among_actors"], 1.0)
        self.assertEqual(r["supported"], 1.0)
        # the true group second among the actors and lowered by the evidence
        h[1]["posterior"], h[1]["prior"] = 0.1, 0.2
        h[2]["posterior"] = 0.4
        r = score.score_one(assessment("actor:G0034", h), self.META, self.kb, self.ids)
        self.assertEqual(r["first_among_actors"], 0.0)
        self.assertEqual(r["supported"], 0.0)
        agg = score.aggregate([r])
        self.assertEqual(agg["first_among_actors"], 0.0)

    def test_wrong_confident_and_cheap_flip(self):
        a = assessment("actor:G0034", [hyp("actor:G0034", "actor", 0.85, "G0034"),
                                       hyp("actor:G0032", "actor", 0.15, "G0032")],
                       flip={"hardest": "cheap"})
        r = score.score_one(a, self.META, self.kb, self.ids)
        self.assertEqual(r["group_top1"], 0.0)
        self.assertEqual(r["group_rank"], 2)
        self.assertEqual(r["group_top3"], 1.0)
        self.assertEqual(r["state_top1"], 0.0)
        self.assertTrue(r["wrong_above_likely"])
        self.assertTrue(r["wrong_state_above_likely"])
        self.assertTrue(r["cheap_flip"])

    def test_states_list_preferred(self):
        a = assessment("unknown", [hyp("unknown", "unknown-actor", 0.5),
                                   hyp("actor:G0032", "actor", 0.4, "G0032")],
                       states=[{"state": "KP", "posterior": 0.45}, {"id": "unknown", "posterior": 0.5}])
        r = score.score_one(a, self.META, self.kb, self.ids)
        self.assertEqual(r["state_top1"], 0.0)  # "unknown" leads the states
        self.assertAlmostEqual(r["p_true_state"], 0.45)
        self.assertEqual(r["state_from"], "states")

    def test_state_only_truth(self):
        meta = {"truth_state": "KP", "truth_groups": []}
        a = assessment("actor:G0067", [hyp("actor:G0067", "actor", 0.9, "G0067")])
        r = score.score_one(a, meta, self.kb, score.truth_ids(self.kb, meta))
        self.assertIsNone(r["group_top1"])
        self.assertEqual(r["state_top1"], 1.0)
        self.assertFalse(r["wrong_above_likely"])
        wrong = score.score_one(a, {"truth_state": "RU", "truth_groups": []}, self.kb, set())
        self.assertTrue(wrong["wrong_above_likely"])  # a state-only case judged by its state
        agg = score.aggregate([r])
        self.assertIsNone(agg["group_top1"])
        self.assertEqual(agg["n_group"], 0)

    def test_naive_votes(self):
        ev = [
            {"support": [{"actor": "G0034", "lr": 5.0}, {"actor": "G0032", "lr": 2.0}]},
            {"support": [{"actor": "G0032", "lr": 3.0}, {"actor": "G0067", "lr": 3.0}]},  # tie: 1/2 each
            {"support": [{"actor": "G0032", "lr": 4.0}]},
            {"support": [{"actor": "G0034", "lr": 9.0}], "duplicate_of": "E1"},  # skipped
            {"support": [{"actor": "G0034", "lr": 0.5}]},  # no ratio above 1: abstains
        ]
        g, s, leader = score.naive({"evidence": ev}, self.kb, self.ids, "KP")
        self.assertEqual(leader, "G0032")  # 1.5 votes against 1
        self.assertEqual(g, 1.0)
        self.assertEqual(s, 1.0)  # KP 2 votes, IR 1

    def test_naive_tie_is_expected_accuracy(self):
        ev = [{"support": [{"actor": "G0034", "lr": 5.0}]}, {"support": [{"actor": "G0032", "lr": 5.0}]}]
        g, _, leader = score.naive({"evidence": ev}, self.kb, self.ids, "KP")
        self.assertEqual(g, 0.5)
        self.assertEqual(leader, "tie of 2")

    def test_wilson(self):
        lo, hi = score.wilson(15, 23)
        self.assertTrue(0.44 < lo < 0.46 and 0.81 < hi < 0.83, (lo, hi))
        self.assertIsNone(score.wilson(0, 0))

    def test_ece(self):
        rows = [{"p": 0.9, "ok": 1.0}, {"p": 0.9, "ok": 0.0}, {"p": 0.15, "ok": 0.0}]
        # bin 0.9: conf 0.9, acc 0.5 (weight 2/3); bin 0.1: conf 0.15, acc 0 (weight 1/3)
        self.assertAlmostEqual(score.ece(rows, "p", "ok"), 2 / 3 * 0.4 + 1 / 3 * 0.15)


if __name__ == "__main__":
    unittest.main()
