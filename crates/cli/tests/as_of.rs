//! `analyze --as-of` and `[case] as_of` end to end on the Sony example.

mod common;
use common::{ascribe, json, root};

#[test]
fn sony_as_of_the_fbi_statement() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("ascribe.db");
    let a = json(&ascribe(
        &store,
        &[
            "analyze",
            "examples/sony-2014",
            "--as-of",
            "2014-12-19",
            "--json",
        ],
    ));
    let k = &a["knowledge_as_of"];
    assert_eq!(k["date"], "2014-12-19");
    let kb = &k["knowledge_base"];
    let n = |x: &serde_json::Value| x.as_u64().unwrap();
    assert!(n(&kb["links_dropped"]) > n(&kb["links_kept_dated"]), "{kb}");
    assert!(n(&kb["links_undated"]) > 0);
    assert!(
        kb["per_source"]["misp-galaxy:threat-actor@7cdff317-a673-4474-84ec-4f1754947823"]
            ["undated"]
            .as_u64()
            .unwrap()
            > 0
    );
    assert!(kb["campaigns_dropped"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c.as_str().unwrap().contains("C0022")));
    let share = k["share_undated_or_later"].as_f64().unwrap();
    assert!(share > 0.0 && share <= 1.0, "{share}");
    assert!(k["weight_by_basis"].is_object());
    // Guardians of Peace is no evidence for Lazarus Group as of that day.
    let ev = a["evidence"].as_array().unwrap();
    let gop = ev
        .iter()
        .find(|e| {
            e["kind"] == "self-claim"
                && e["summary"]
                    .as_str()
                    .unwrap()
                    .contains("Guardians of Peace")
        })
        .expect("the Guardians of Peace self-claim");
    assert!(
        gop["support"].as_array().is_none_or(|s| s.is_empty()),
        "{gop}"
    );
    assert!(gop["notes"][0].as_str().unwrap().contains("undated alias"));
    // RawDisk was tied to Lazarus Group only by Operation Blockbuster (2016).
    let raw = ev
        .iter()
        .find(|e| e["summary"].as_str().unwrap().contains("RawDisk"))
        .unwrap();
    assert!(raw["support"]
        .as_array()
        .is_none_or(|s| s.iter().all(|x| x["actor"] != "G0032")));

    let t = ascribe(
        &store,
        &["analyze", "examples/sony-2014", "--as-of", "2014-12-19"],
    );
    let text = String::from_utf8_lossy(&t.stdout);
    assert!(text.contains("KNOWLEDGE AS OF 2014-12-19"), "{text}");
    assert!(text.contains("rests on undated or later knowledge"));
    let m = ascribe(
        &store,
        &[
            "analyze",
            "examples/sony-2014",
            "--as-of",
            "2014-12-19",
            "--format",
            "md",
        ],
    );
    assert!(String::from_utf8_lossy(&m.stdout).contains("## Knowledge as of 2014-12-19"));

    // The example's own date applies without the flag.
    let own = json(&ascribe(
        &store,
        &["analyze", "examples/sony-2014", "--json"],
    ));
    assert_eq!(own["knowledge_as_of"]["date"], "2014-12-19");
    // With --no-as-of, nothing is cut and there is no such section.
    let now = json(&ascribe(
        &store,
        &["analyze", "examples/sony-2014", "--no-as-of", "--json"],
    ));
    assert!(now.get("knowledge_as_of").is_none());
    // --as-of and --no-as-of together are a usage error.
    let both = ascribe(
        &store,
        &[
            "analyze",
            "examples/sony-2014",
            "--no-as-of",
            "--as-of",
            "2014-12-19",
        ],
    );
    assert_eq!(both.status.code(), Some(2));

    // A bad date is a usage error that says what to write.
    let bad = ascribe(
        &store,
        &["analyze", "examples/sony-2014", "--as-of", "2014-12-32"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("YYYY-MM-DD"));
}

#[test]
fn case_file_as_of_and_the_flag_override() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("ascribe.db");
    let case = d.path().join("case");
    std::fs::create_dir_all(case.join("reports")).unwrap();
    let src = root().join("examples/sony-2014");
    let toml = std::fs::read_to_string(src.join("case.toml")).unwrap();
    // the example carries its analysis date in the file
    assert!(toml.contains("as_of = \"2014-12-19\""));
    std::fs::write(case.join("case.toml"), toml).unwrap();
    for f in std::fs::read_dir(src.join("reports")).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), case.join("reports").join(f.file_name())).unwrap();
    }
    let c = case.to_str().unwrap();
    let a = json(&ascribe(&store, &["analyze", c, "--json"]));
    assert_eq!(a["knowledge_as_of"]["date"], "2014-12-19");
    let b = json(&ascribe(
        &store,
        &["analyze", c, "--as-of", "2017-06-01", "--json"],
    ));
    assert_eq!(b["knowledge_as_of"]["date"], "2017-06-01");
    let kept = |x: &serde_json::Value| {
        x["knowledge_as_of"]["knowledge_base"]["links_kept_dated"]
            .as_u64()
            .unwrap()
    };
    assert!(kept(&b) > kept(&a));
    // an invalid date in the file is an input error with its line
    let bad = std::fs::read_to_string(case.join("case.toml"))
        .unwrap()
        .replace("as_of = \"2014-12-19\"", "as_of = \"19 December 2014\"");
    std::fs::write(case.join("case.toml"), bad).unwrap();
    let o = ascribe(&store, &["analyze", c]);
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("case.toml:") && err.contains("as_of"), "{err}");
}

#[test]
fn a_store_without_dates_is_reported() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("ascribe.db");
    // An ATT&CK-style bundle whose links carry no date (as in stores filled
    // before citations were dated).
    let bundle = d.path().join("old-attack.json");
    std::fs::write(
        &bundle,
        r#"{"type":"bundle","id":"bundle--1","objects":[
          {"type":"intrusion-set","id":"intrusion-set--1","name":"Old Group","external_references":[{"source_name":"mitre-attack","external_id":"G9999"}]},
          {"type":"attack-pattern","id":"attack-pattern--1","name":"Data Destruction","external_references":[{"source_name":"mitre-attack","external_id":"T1485"}]},
          {"type":"relationship","id":"relationship--1","relationship_type":"uses","source_ref":"intrusion-set--1","target_ref":"attack-pattern--1","external_references":[{"source_name":"Some report"}]}
        ]}"#,
    )
    .unwrap();
    // it replaces the ATT&CK source, so it needs --replace
    let o = ascribe(&store, &["kb", "import", bundle.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(6));
    let o = ascribe(
        &store,
        &["kb", "import", "--replace", bundle.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let a = json(&ascribe(
        &store,
        &[
            "analyze",
            "examples/sony-2014",
            "--as-of",
            "2014-12-19",
            "--json",
        ],
    ));
    let w = a["warnings"].as_array().unwrap();
    assert!(
        w.iter()
            .any(|x| x.as_str().unwrap().contains("carry no dates")),
        "{w:?}"
    );
    // with the dated embedded knowledge base there is no such warning
    let fresh = d.path().join("fresh.db");
    let b = json(&ascribe(
        &fresh,
        &[
            "analyze",
            "examples/sony-2014",
            "--as-of",
            "2014-12-19",
            "--json",
        ],
    ));
    assert!(!b["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x.as_str().unwrap().contains("carry no dates")));
}
