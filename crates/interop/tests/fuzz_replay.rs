//! Stable-Rust replay of the fuzz inputs (`fuzz/interop/`): every seed and
//! regression, and deterministic mutations of the seeds (truncations, byte
//! flips, splices of JSON tokens), go through both readers. Property: no
//! panic, and every accepted input gives a case.toml that parses.

use ascribe_interop::{misp_in::from_misp, stix_in::from_stix};
use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/interop")
}

fn files(sub: &str) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(fuzz_dir().join(sub))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    v.sort();
    v
}

fn check(name: &str, bytes: &[u8]) -> (bool, bool) {
    let m = from_misp(bytes, name);
    if let Ok(imp) = &m {
        imp.case_toml()
            .unwrap_or_else(|e| panic!("{name}: accepted MISP input gives a bad case: {e}"));
    }
    let s = from_stix(bytes, name);
    if let Ok(imp) = &s {
        imp.case_toml()
            .unwrap_or_else(|e| panic!("{name}: accepted STIX input gives a bad case: {e}"));
    }
    (m.is_ok(), s.is_ok())
}

/// A small deterministic generator (no dependency).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn seeds_and_regressions_never_panic() {
    let misp = files("seeds/misp");
    let stix = files("seeds/stix");
    assert!(misp.len() >= 2 && stix.len() >= 2);
    for (n, b) in &misp {
        assert!(check(n, b).0, "{n}: a MISP seed is accepted");
    }
    for (n, b) in &stix {
        assert!(check(n, b).1, "{n}: a STIX seed is accepted");
    }
    for (n, b) in files("regressions") {
        check(&n, &b);
    }
}

#[test]
fn mutations_of_the_seeds_never_panic() {
    let mut seeds = files("seeds/misp");
    seeds.extend(files("seeds/stix"));
    let mut rng = Lcg(0x5eed);
    let tokens: [&[u8]; 8] = [
        b"{",
        b"}",
        b"[",
        b"\"",
        b"null",
        b"-1e999",
        b"\"\\u0000\"",
        b"\"T1059.001\"",
    ];
    let mut accepted = 0;
    for (name, seed) in &seeds {
        for i in 0..150 {
            let mut b = seed.clone();
            match i % 3 {
                0 => b.truncate((rng.next() as usize) % (b.len() + 1)),
                1 => {
                    for _ in 0..4 {
                        let at = (rng.next() as usize) % b.len().max(1);
                        if let Some(x) = b.get_mut(at) {
                            *x ^= 1 << (rng.next() % 8);
                        }
                    }
                }
                _ => {
                    let at = (rng.next() as usize) % (b.len() + 1);
                    let t = tokens[(rng.next() as usize) % tokens.len()];
                    b.splice(at..at, t.iter().copied());
                }
            }
            let (m, s) = check(&format!("{name} mutation {i}"), &b);
            accepted += usize::from(m) + usize::from(s);
        }
    }
    // byte flips inside string values keep many inputs valid: the mutated
    // documents do reach the mapping code, not only the JSON parser
    assert!(
        accepted > 50,
        "only {accepted} mutated inputs were accepted"
    );
}

#[test]
fn a_hostile_ascribe_extension_cannot_break_the_case() {
    let ext = ascribe_interop::stix_out::extension_id();
    let b = serde_json::json!({"type": "bundle", "id": "bundle--x", "objects": [
        {"type": "campaign", "id": "campaign--1", "extensions": {ext.clone(): {"case": {
            "name": "", "date": "2014-13-45", "as_of": "yesterday",
            "victim": {"incident_type": "alien invasion"},
            "hypotheses": [{"id": "BAD ID", "label": "x", "prior": 7.0},
                           {"id": "ok", "label": "fine", "prior": 0.1}]}}}},
        {"type": "note", "id": "note--1", "extensions": {ext.clone(): {"observation": {
            "id": "x", "kind": {"type": "indicator", "indicator": "ip", "value": "999.1.1.1"},
            "source": {"id": "s", "title": "t", "kind": "vendor", "date": "2014-02-30"}}}}},
        {"type": "note", "id": "note--2", "extensions": {ext.clone(): {"observation": {
            "id": "y", "kind": {"type": "declared-evidence", "hypothesis": "ok", "stance": "for", "strength": "weak"},
            "source": {"id": "s", "title": "t", "kind": "vendor"}}}}},
        {"type": "note", "id": "note--3", "extensions": {ext: {"observation": {
            "id": "z", "kind": {"type": "technique", "id": "T1485"},
            "source": {"id": "s", "title": "t", "kind": "vendor"},
            "forge_cost_override": ["cheap", "short"]}}}}
    ]});
    let imp = from_stix(b.to_string().as_bytes(), "hostile").unwrap();
    let text = imp.case_toml().unwrap();
    assert_eq!(imp.case.hypotheses.len(), 1);
    assert_eq!(imp.case.observations.len(), 1, "{text}");
    assert!(imp.case.date.is_none() && imp.case.as_of.is_none());
    assert!(imp.unmapped.iter().any(|u| u.contains("refuses")));
}
