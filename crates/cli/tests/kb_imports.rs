//! Imports that would silently wipe a source are refused (exit 6) unless
//! `--replace` is given; duplicate MISP uuids are reported; `kb reset
//! --defaults-only` keeps user sources; a store that cannot be opened says
//! how to recover and `kb reset --force` recreates it (issue 13).

use std::path::Path;
use std::process::Output;

mod common;
use common::{ascribe, json};

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

fn source_keys(store: &Path) -> Vec<String> {
    let st = json(&ascribe(store, &["kb", "stats", "--json"]));
    st["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap().to_string())
        .collect()
}

fn refused(o: &Output, needles: &[&str]) {
    assert_eq!(o.status.code(), Some(6), "{}", stderr(o));
    let e = stderr(o);
    for n in needles {
        assert!(e.contains(n), "missing {n:?} in: {e}");
    }
    assert!(e.contains("--replace"), "{e}");
}

const ONE_OBJECT_ATTACK: &str = r#"{"type":"bundle","id":"bundle--one","objects":[
  {"type":"intrusion-set","id":"intrusion-set--one","name":"One","external_references":[{"source_name":"mitre-attack","external_id":"G9999"}]}
]}"#;

#[test]
fn empty_and_wiping_imports_are_refused_and_leave_the_store_alone() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let before = json(&ascribe(&store, &["kb", "stats", "--json"]));

    // a 2-byte revocation list
    let f = write(d.path(), "empty.json", "[]");
    refused(
        &ascribe(&store, &["kb", "import", &f]),
        &[
            "mitre-attack:revocations",
            "holds nothing to import",
            "would remove all",
        ],
    );
    // an empty MISP threat-actor cluster
    let f = write(
        d.path(),
        "empty-misp.json",
        r#"{"type":"threat-actor","name":"Threat Actor","uuid":"7cdff317-a673-4474-84ec-4f1754947823","values":[]}"#,
    );
    refused(
        &ascribe(&store, &["kb", "import", &f]),
        &[
            "misp-galaxy:threat-actor@7cdff317-a673-4474-84ec-4f1754947823",
            "all 1041 entities",
        ],
    );
    // a one-object bundle citing an ATT&CK id
    let f = write(d.path(), "one.json", ONE_OBJECT_ATTACK);
    refused(
        &ascribe(&store, &["kb", "import", &f]),
        &[
            "mitre-attack:enterprise-attack",
            "would remove 1699 of the 1699 entities",
        ],
    );
    // nothing changed
    let after = json(&ascribe(&store, &["kb", "stats", "--json"]));
    assert_eq!(before, after);

    // a directory: the good file is imported, the wiping one refused, exit 6
    let dir = d.path().join("dir");
    std::fs::create_dir(&dir).unwrap();
    write(&dir, "a-empty.json", "[]");
    write(
        &dir,
        "b-user.json",
        r#"{"type":"bundle","id":"bundle--user","objects":[{"type":"intrusion-set","id":"intrusion-set--u","name":"User Group"}]}"#,
    );
    let o = ascribe(&store, &["kb", "import", dir.to_str().unwrap()]);
    refused(&o, &["a-empty.json", "1 file(s) not imported"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("stix:bundle--user"));
    assert!(source_keys(&store).contains(&"stix:bundle--user".to_string()));
}

#[test]
fn reimporting_the_same_source_is_allowed_and_replace_overrides_the_guard() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let misp = common::root().join("../shared/data/misp-galaxy/threat-actor.json");
    let o = ascribe(&store, &["kb", "import", misp.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("replaced 1041 entities"));

    let groups = |store: &Path| {
        json(&ascribe(store, &["kb", "stats", "--json"]))["entities"]["group"]
            .as_u64()
            .unwrap()
    };
    let before = groups(&store);
    let f = write(d.path(), "one.json", ONE_OBJECT_ATTACK);
    let o = ascribe(&store, &["kb", "import", "--replace", &f]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("replaced 1699 entities"));
    // the 172 ATT&CK groups gave way to the bundle's one
    assert_eq!(groups(&store), before - 171);
}

#[test]
fn duplicate_misp_uuids_are_reported_and_not_merged() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let f = write(
        d.path(),
        "dup.json",
        r#"{"type":"threat-actor","name":"Threat Actor","uuid":"7cdff317-a673-4474-84ec-4f1754947823","values":[
          {"value":"First","uuid":"11111111-0000-0000-0000-000000000000"},
          {"value":"Second","uuid":"11111111-0000-0000-0000-000000000000"}]}"#,
    );
    let o = ascribe(&store, &["kb", "import", &f]);
    refused(
        &o,
        &[
            "duplicate uuid 11111111-0000-0000-0000-000000000000",
            "'Second' skipped",
            "misp-galaxy:threat-actor",
            "would remove 1041 of the 1041",
        ],
    );
    let o = ascribe(&store, &["kb", "import", "--replace", "--json", &f]);
    let r = json(&o);
    assert_eq!(r[0]["skipped"]["value with a duplicate uuid"], 1);
    assert_eq!(r[0]["entities"]["misp-actor"], 1, "{r}");
}

#[test]
fn a_cluster_with_another_uuid_is_a_source_of_its_own() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let f = write(
        d.path(),
        "mine.json",
        r#"{"type":"threat-actor","name":"My actors","uuid":"22222222-0000-0000-0000-000000000000","values":[
          {"value":"My Actor","uuid":"33333333-0000-0000-0000-000000000000"}]}"#,
    );
    let o = ascribe(&store, &["kb", "import", &f]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("misp-galaxy:threat-actor@22222222-0000-0000-0000-000000000000"),
        "{out}"
    );
    assert!(!out.contains("replaced"), "{out}");
    let keys = source_keys(&store);
    assert!(
        keys.contains(&"misp-galaxy:threat-actor@7cdff317-a673-4474-84ec-4f1754947823".to_string())
    );
}

#[test]
fn a_cluster_stored_without_its_uuid_is_superseded_by_the_same_cluster() {
    // stores filled before the key carried the cluster uuid hold
    // `misp-galaxy:threat-actor`; importing the cluster replaces that source
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let f = write(
        d.path(),
        "old.json",
        r#"{"type":"threat-actor","name":"Threat Actor","values":[
          {"value":"APT1","uuid":"1cb7e1cc-d695-42b1-92f4-fd0112a3c9be"}]}"#,
    );
    let o = ascribe(&store, &["kb", "import", &f]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(source_keys(&store).contains(&"misp-galaxy:threat-actor".to_string()));
    let misp = common::root().join("../shared/data/misp-galaxy/threat-actor.json");
    let o = ascribe(&store, &["kb", "import", misp.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!source_keys(&store).contains(&"misp-galaxy:threat-actor".to_string()));
    // and `kb reset --defaults-only` drops such a key too
    assert!(ascribe(&store, &["kb", "import", &f]).status.success());
    let o = ascribe(&store, &["kb", "reset", "--defaults-only"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!source_keys(&store).contains(&"misp-galaxy:threat-actor".to_string()));
}

#[test]
fn reset_defaults_only_keeps_user_sources() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let default_groups = json(&ascribe(&store, &["kb", "stats", "--json"]))["entities"]["group"]
        .as_u64()
        .unwrap();
    let user = write(
        d.path(),
        "user.json",
        r#"{"type":"bundle","id":"bundle--user","objects":[{"type":"intrusion-set","id":"intrusion-set--u","name":"User Group"}]}"#,
    );
    assert!(ascribe(&store, &["kb", "import", &user]).status.success());
    let one = write(d.path(), "one.json", ONE_OBJECT_ATTACK);
    assert!(ascribe(&store, &["kb", "import", "--replace", &one])
        .status
        .success());

    let o = ascribe(&store, &["kb", "reset", "--defaults-only"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("stix:bundle--user"));
    let st = json(&ascribe(&store, &["kb", "stats", "--json"]));
    assert_eq!(
        st["entities"]["group"].as_u64(),
        Some(default_groups + 1),
        "the default groups and the user's"
    );
    assert!(source_keys(&store).contains(&"stix:bundle--user".to_string()));

    // a plain reset drops user sources
    assert!(ascribe(&store, &["kb", "reset"]).status.success());
    assert!(!source_keys(&store).contains(&"stix:bundle--user".to_string()));
}

#[test]
fn a_corrupted_store_says_how_to_recover_and_reset_force_recreates_it() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("ascribe.db");
    std::fs::write(&store, vec![0x5a_u8; 8192]).unwrap();
    for args in [&["kb", "stats"][..], &["kb", "reset"][..]] {
        let o = ascribe(&store, args);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let e = stderr(&o);
        assert!(e.contains("not an ascribe store"), "{e}");
        assert!(
            e.contains("--store") && e.contains("kb reset --force"),
            "{e}"
        );
    }
    let o = ascribe(&store, &["kb", "reset", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("recreated"));
    let st = json(&ascribe(&store, &["kb", "stats", "--json"]));
    let fresh = json(&ascribe(
        &d.path().join("other.db"),
        &["kb", "stats", "--json"],
    ));
    assert_eq!(st["entities"], fresh["entities"]);
    // a real store whose pages are damaged
    let damaged = d.path().join("damaged.db");
    assert!(ascribe(&damaged, &["kb", "stats"]).status.success());
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(&damaged)
            .unwrap();
        f.seek(SeekFrom::Start(4096 * 3)).unwrap();
        f.write_all(&vec![0xff_u8; 4096 * 50]).unwrap();
    }
    let o = ascribe(&damaged, &["kb", "stats"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("kb reset --force"), "{}", stderr(&o));
    assert!(ascribe(&damaged, &["kb", "reset", "--force"])
        .status
        .success());
    assert!(ascribe(&damaged, &["kb", "stats"]).status.success());
    // --force on a missing file creates it
    let fresh = d.path().join("new.db");
    assert!(ascribe(&fresh, &["kb", "reset", "--force"])
        .status
        .success());
    assert!(fresh.exists());
}
