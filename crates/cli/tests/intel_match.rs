//! `analyze` matches a case's indicators against the store's intelligence
//! and the case's own `intel/` directory, and lists every match.

mod common;
use common::{ascribe, json, root};

#[test]
fn the_sony_overlap_is_computed_from_the_examples_intelligence() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("ascribe.db");
    let a = json(&ascribe(
        &store,
        &["analyze", "examples/sony-2014", "--json"],
    ));
    let list = a["infrastructure_matches"]
        .as_array()
        .expect("matches listed");
    assert_eq!(list.len(), 7, "{list:?}");
    for m in list {
        assert_eq!(m["match_kind"], "exact");
        assert_eq!(m["published"], "2014-12-19");
        assert_eq!(m["actors"][0], "North Korea");
        assert!(m["source"].as_str().unwrap().starts_with("misp-event:"));
    }
    // no typed overlap is left in the case: the infrastructure evidence is
    // the computed one
    let infra: Vec<&serde_json::Value> = a["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "infrastructure")
        .collect();
    assert_eq!(infra.len(), 7);
    assert!(infra
        .iter()
        .all(|e| e["source"].as_str().unwrap().starts_with("intelligence:")));
}

#[test]
fn imported_intelligence_is_matched_and_a_later_record_is_not_used() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("ascribe.db");
    // import one ESET event into the store (Turla's Gazer, 2017)
    let ev = root().join("../shared/data/eset-malware-ioc/events/turla");
    if !ev.is_dir() {
        eprintln!("skipped: no ESET events at {}", ev.display());
        return;
    }
    let out = ascribe(&store, &["intel", "import", ev.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let case = d.path().join("case");
    std::fs::create_dir_all(&case).unwrap();
    // a C2 name of ESET's Turla Mosquito event (2018-01-08), on a
    // dynamic-DNS provider
    std::fs::write(
        case.join("case.toml"),
        r#"[case]
name = "intel match"
date = "2018-03-01"

[[source]]
id = "ir"
title = "incident notes"
kind = "analysis"

[[indicator]]
type = "domain"
value = "adstore.twilightparadox.com"
source = "ir"
"#,
    )
    .unwrap();
    let a = json(&ascribe(
        &store,
        &["analyze", case.to_str().unwrap(), "--json"],
    ));
    let list = a["infrastructure_matches"].as_array().expect("matched");
    assert_eq!(list.len(), 1, "{list:?}");
    let m = &list[0];
    // the event holds a URL on that host
    assert_eq!(m["match_kind"], "same-host");
    assert_eq!(m["strength"], "moderate");
    assert_eq!(m["forge_cost"], "cheap");
    assert!(m["shared_service"]
        .as_str()
        .unwrap()
        .starts_with("dynamic-dns"));
    // as of a day before any Turla event: nothing may be used
    let b = json(&ascribe(
        &store,
        &[
            "analyze",
            case.to_str().unwrap(),
            "--as-of",
            "2010-01-01",
            "--json",
        ],
    ));
    assert!(b["infrastructure_matches"]
        .as_array()
        .is_none_or(|v| v.is_empty()));
    assert!(b["warnings"].as_array().unwrap().iter().any(|w| w
        .as_str()
        .unwrap()
        .contains("published after the analysis date")));
}
