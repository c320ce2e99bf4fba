//! `ascribe intel` end to end on the real ESET malware-ioc events
//! (../shared/data/eset-malware-ioc, BSD-2-Clause) and small fixtures.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::{ascribe, json, root};

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn eset() -> Option<PathBuf> {
    let p = root().join("../shared/data/eset-malware-ioc");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: {} absent", p.display());
        None
    }
}

#[test]
fn eset_events_are_imported_the_broken_files_named_and_every_value_found() {
    let Some(dir) = eset() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("s.db");
    let d = dir.display().to_string();
    let o = ascribe(&store, &["intel", "import", &d, "--json"]);
    // two files are broken: some inputs failed
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("malicious_pypi_packages.misp-event.json: not valid JSON: trailing comma"),
        "{e}"
    );
    assert!(
        e.contains("rqz-dnsduvel_blocklist.json: not a MISP event"),
        "{e}"
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["sources"].as_array().unwrap().len(), 57);
    assert_eq!(v["failed"].as_array().unwrap().len(), 2);
    let st = json(&ascribe(&store, &["intel", "stats", "--json"]));
    assert_eq!(st["counts"]["sources"], 57);
    assert_eq!(st["counts"]["key_file_fresh"], true);
    let n = st["counts"]["records"].as_u64().unwrap();
    assert_eq!(n, v["records"].as_u64().unwrap());

    // every imported value (file names aside: they are looked up as what
    // they look like) is found again, exactly, through the CLI
    let mut values = Vec::new();
    let mut total = 0;
    for out in ascribe_intel::import_paths(std::slice::from_ref(&dir), &Default::default()) {
        for s in out.result.into_iter().flatten() {
            for r in s.records {
                total += 1;
                if r.kind != ascribe_core::IntelKind::Filename {
                    values.push(r.value);
                }
            }
        }
    }
    assert_eq!(total, n);
    for chunk in values.chunks(1000) {
        let mut args = vec!["intel", "lookup", "--json"];
        args.extend(chunk.iter().map(String::as_str));
        let l = json(&ascribe(&store, &args));
        assert_eq!(
            l["not_indicators"].as_array().unwrap().len(),
            0,
            "{}",
            l["not_indicators"]
        );
        for r in l["results"].as_array().unwrap() {
            let m = r["matches"].as_array().unwrap();
            assert!(m.iter().any(|m| m["match"] == "exact"), "{r}");
        }
    }

    // a known Zebrocy hash: actor from the event's galaxy tag
    let l = ascribe(
        &store,
        &[
            "intel",
            "lookup",
            "7768fd2812ceff05db8f969a7bed1de5615bfc5a",
        ],
    );
    let t = String::from_utf8_lossy(&l.stdout);
    assert!(
        l.status.success() && t.contains("Sofacy") && t.contains("exact"),
        "{t}"
    );
}

#[test]
fn lookup_shows_derived_matches_and_sharing() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("s.db");
    let a = tmp.path().join("a.txt");
    std::fs::write(
        &a,
        "203.0.113.5\nhxxps://login.evil-example[.]com/x\n10.20.0.0/23\n",
    )
    .unwrap();
    let b = tmp.path().join("b.csv");
    std::fs::write(&b, "value\n203.0.113.5\n").unwrap();
    let imp = |f: &Path, actor: &str| {
        json(&ascribe(
            &store,
            &[
                "intel",
                "import",
                &f.display().to_string(),
                "--actor",
                actor,
                "--date",
                "2015-01-02",
                "--json",
            ],
        ))
    };
    assert_eq!(imp(&a, "APT1")["records"], 3);
    assert_eq!(imp(&b, "Lazarus Group")["records"], 1);
    let l = json(&ascribe(
        &store,
        &[
            "intel",
            "lookup",
            "--json",
            "203.0.113.5",
            "203.0.113.200",
            "www.evil-example.com",
            "10.20.1.7",
            "nonsense",
        ],
    ));
    let r = l["results"].as_array().unwrap();
    assert_eq!(r[0]["actors_sharing_value"], 2);
    assert_eq!(r[0]["matches"].as_array().unwrap().len(), 2);
    assert_eq!(r[1]["matches"][0]["match"], "same-/24");
    assert_eq!(r[1]["actors_sharing_value"], 0);
    assert_eq!(r[2]["matches"][0]["match"], "same-registrable-domain");
    assert_eq!(r[2]["matches"][0]["record"]["actors"][0], "APT1");
    assert_eq!(r[2]["matches"][0]["record"]["published"], "2015-01-02");
    assert_eq!(r[3]["matches"][0]["match"], "inside-network");
    assert_eq!(l["not_indicators"][0], "nonsense");
    let bad = ascribe(&store, &["intel", "lookup", "nonsense"]);
    assert_eq!(bad.status.code(), Some(3));
}

#[test]
fn an_import_that_would_empty_a_source_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("s.db");
    let ev = |attrs: &str| {
        format!(
            r#"{{"Event": {{"uuid": "11111111-2222-3333-4444-555555555555", "info": "t", "date": "2020-01-01", "Attribute": [{attrs}]}}}}"#
        )
    };
    let f = tmp.path().join("e.json");
    std::fs::write(&f, ev(r#"{"type": "domain", "value": "evil-example.com"}, {"type": "ip-dst", "value": "198.51.100.1"}"#)).unwrap();
    let fp = f.display().to_string();
    let o = ascribe(&store, &["intel", "import", &fp]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(&f, ev(r#"{"type": "text", "value": "nothing"}"#)).unwrap();
    let o = ascribe(&store, &["intel", "import", &fp]);
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("would remove all 2 records"),
        "{}",
        stderr(&o)
    );
    std::fs::write(&f, ev(r#"{"type": "domain", "value": "evil-example.com"}"#)).unwrap();
    let o = ascribe(&store, &["intel", "import", &fp]);
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    let o = ascribe(&store, &["intel", "import", &fp, "--replace"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let st = json(&ascribe(&store, &["intel", "stats", "--json"]));
    assert_eq!(st["counts"]["records"], 1);
    let o = ascribe(
        &store,
        &[
            "intel",
            "remove",
            "misp-event:11111111-2222-3333-4444-555555555555",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = ascribe(&store, &["intel", "remove", "misp-event:nope"]);
    assert_eq!(o.status.code(), Some(4));
    let st = json(&ascribe(&store, &["intel", "stats", "--json"]));
    assert_eq!(st["counts"]["records"], 0);
}

#[test]
fn a_date_that_does_not_exist_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("s.db");
    let a = tmp.path().join("a.txt");
    std::fs::write(&a, "203.0.113.5\n").unwrap();
    let a = a.display().to_string();
    for bad in [
        "2020-13-01",
        "2020-02-30",
        "2021-02-29",
        "2020-00-10",
        "garbage",
    ] {
        let o = ascribe(&store, &["intel", "import", &a, "--date", bad]);
        assert_eq!(o.status.code(), Some(2), "--date {bad}: {}", stderr(&o));
        assert!(stderr(&o).contains("expected YYYY-MM-DD"), "{}", stderr(&o));
    }
    let o = ascribe(&store, &["intel", "import", &a, "--date", "2020-02-29"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn an_empty_source_imported_with_replace_empties_it() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("s.db");
    let ev = |attrs: &str| {
        let p = tmp.path().join("ev.json");
        std::fs::write(
            &p,
            format!(
                r#"{{"Event": {{"uuid": "11111111-2222-3333-4444-555555555555", "info": "t", "date": "2020-01-01", "Attribute": [{attrs}]}}}}"#
            ),
        )
        .unwrap();
        p.display().to_string()
    };
    let full = ev(r#"{"type": "ip-dst", "value": "203.0.113.7"}"#);
    assert!(ascribe(&store, &["intel", "import", &full])
        .status
        .success());
    let empty = ev("");
    // refused without --replace: the record stays
    let o = ascribe(&store, &["intel", "import", &empty]);
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    let found = |store: &Path| {
        let l = json(&ascribe(
            store,
            &["intel", "lookup", "--json", "203.0.113.7"],
        ));
        l["results"][0]["matches"].as_array().unwrap().len()
    };
    assert_eq!(found(&store), 1);
    // with --replace the source is replaced by nothing
    let o = ascribe(&store, &["intel", "import", &empty, "--replace"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        found(&store),
        0,
        "the emptied source's record is still found"
    );
    let st = json(&ascribe(&store, &["intel", "stats", "--json"]));
    assert!(
        !st.to_string()
            .contains("11111111-2222-3333-4444-555555555555"),
        "{st}"
    );
}
