//! `extract --only` (issue 12, item 4): chosen passes only; indicators alone never open the
//! store, so they need no knowledge base.

mod common;

use common::ascribe;

#[test]
fn only_indicators_skips_the_knowledge_base_and_the_other_passes() {
    let d = tempfile::tempdir().unwrap();
    // a store path in a directory that does not exist: opening it would fail
    let store = d.path().join("missing-dir").join("s.db");
    let report = d.path().join("r.adoc");
    std::fs::write(
        &report,
        "APT28 used T1059 and contacted |`+evil-c2[.]com+`| and https://attack.mitre.org/techniques/T1012/[T1012].\n",
    )
    .unwrap();
    let o = ascribe(
        &store,
        &[
            "extract",
            "--json",
            "--only",
            "indicators",
            report.to_str().unwrap(),
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!store.exists());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let values: Vec<&str> = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["value"].as_str().unwrap())
        .collect();
    assert!(values.contains(&"evil-c2.com"), "{values:?}");
    assert!(
        values.contains(&"https://attack.mitre.org/techniques/T1012/"),
        "{values:?}"
    );
    assert!(v["techniques"].as_array().unwrap().is_empty());
    assert!(v["entities"].as_array().unwrap().is_empty());
    assert!(v["claims"].as_array().unwrap().is_empty());

    // techniques alone (the knowledge base is loaded): ids, including the one an ATT&CK URL
    // names, and no indicators
    let store2 = d.path().join("s2.db");
    let o = ascribe(
        &store2,
        &[
            "extract",
            "--json",
            "--only",
            "techniques",
            report.to_str().unwrap(),
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["indicators"].as_array().unwrap().is_empty());
    let ids: Vec<&str> = v["techniques"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["attack_id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"T1059") && ids.contains(&"T1012"), "{ids:?}");

    // an unknown pass is a usage error
    let o = ascribe(
        &store2,
        &["extract", "--only", "bogus", report.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
}
