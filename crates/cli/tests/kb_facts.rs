//! `kb actor` for actors' states and state organisations, `kb stats`
//! conflicts, `kb import DIR` going on past broken files, and `extract`
//! recognising state organisations — end to end on the embedded KB.

use std::process::Output;

mod common;
use common::ascribe;

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).to_string()
}

#[test]
fn actors_show_their_state_and_organisations_resolve() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kb.sqlite");
    let out = ok(&ascribe(&store, &["kb", "actor", "Sandworm"]));
    assert!(out.contains("state:      RU"), "{out}");
    assert!(out.contains("Unit 74455"), "{out}");
    assert!(out.contains("not merged: IRIDIUM"), "{out}");
    let out = ok(&ascribe(&store, &["kb", "actor", "Turla"]));
    assert!(out.contains("state:      RU"), "{out}");
    let out = ok(&ascribe(&store, &["kb", "actor", "APT38"]));
    assert!(out.contains("state:      KP"), "{out}");
    let out = ok(&ascribe(&store, &["kb", "actor", "GRU"]));
    assert!(out.contains("state organisation: GRU"), "{out}");
    assert!(out.contains("Russia (RU)"), "{out}");
    assert!(out.contains("G0007") && out.contains("G0034"), "{out}");
    let v: serde_json::Value =
        serde_json::from_str(&ok(&ascribe(&store, &["kb", "actor", "the MSS", "--json"]))).unwrap();
    assert_eq!(v["state"], "CN");
    assert!(v["groups"].as_array().is_some_and(|g| !g.is_empty()));
    let v: serde_json::Value =
        serde_json::from_str(&ok(&ascribe(&store, &["kb", "stats", "--json"]))).unwrap();
    let conflicts = v["conflicts"].as_array().unwrap();
    assert!(conflicts.iter().any(|c| c["actor"] == "G0034"));
    assert!(
        v["software_links_by_source"]["misp-event"]
            .as_u64()
            .unwrap()
            > 0
    );
    let text = ok(&ascribe(&store, &["kb", "stats"]));
    assert!(
        text.contains("conflicts between sources about an actor's country"),
        "{text}"
    );
}

#[test]
fn kb_import_of_a_directory_reports_broken_files_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kb.sqlite");
    let ev = dir.path().join("events/turla");
    std::fs::create_dir_all(&ev).unwrap();
    std::fs::write(
        ev.join("good.json"),
        r#"{"response":[{"Event":{"uuid":"e-1","info":"Turla Crutch","date":"2020-11-30",
        "Attribute":[{"category":"Antivirus detection","type":"text","value":"Win32/Crutch.A"}]}}]}"#,
    )
    .unwrap();
    std::fs::write(ev.join("broken.json"), r#"{"response":[{"Event":"#).unwrap();
    let o = ascribe(
        &store,
        &["kb", "import", dir.path().join("events").to_str().unwrap()],
    );
    // the good file is imported, the broken one named, and the exit code
    // says that some inputs failed (7)
    assert_eq!(o.status.code(), Some(7), "{o:?}");
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("broken.json"), "{err}");
    assert!(out.contains("1 file(s) could not be imported"), "{out}");
    assert!(
        err.contains("1 of 2 file(s) could not be imported"),
        "{err}"
    );
    assert!(out.contains("misp-event"), "{out}");
    // a directory of broken files only: nothing imported, exit 1
    std::fs::remove_file(ev.join("good.json")).unwrap();
    let o = ascribe(
        &store,
        &["kb", "import", dir.path().join("events").to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1), "{o:?}");
}

#[test]
fn extract_recognises_state_organisations_in_claims() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kb.sqlite");
    let r = dir.path().join("r.txt");
    std::fs::write(
        &r,
        "The US Department of Justice said the attack was carried out by officers of the GRU.\n",
    )
    .unwrap();
    let out = ok(&ascribe(&store, &["extract", r.to_str().unwrap()]));
    assert!(out.contains("state-org:ru-gru"), "{out}");
}

#[test]
fn a_language_is_not_a_malware_family() {
    // The MISP ransomware cluster has a family named "Korean": a language
    // setting in a report must stay a language, not become that family.
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kb.sqlite");
    let r = dir.path().join("r.txt");
    std::fs::write(
        &r,
        "Parts of the malware had Korean language settings, and the wiper used RawDisk.\n",
    )
    .unwrap();
    let out = ok(&ascribe(
        &store,
        &["extract", "--json", r.to_str().unwrap()],
    ));
    let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    let text = v.to_string();
    assert!(text.contains("RawDisk"), "{text}");
    assert!(
        !text.contains("4febffe0"),
        "Korean taken for a family: {text}"
    );
}

#[test]
fn kb_actor_survives_non_ascii_campaign_dates() {
    // a campaign whose first_seen is written in full-width digits: the date
    // is shown cut to ten characters, never sliced inside a character
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kb.sqlite");
    let bundle = dir.path().join("wide.json");
    std::fs::write(
        &bundle,
        r#"{"type":"bundle","id":"bundle--w","objects":[
          {"type":"intrusion-set","id":"intrusion-set--w","name":"Wide Group","external_references":[{"source_name":"mitre-attack","external_id":"G9990"}]},
          {"type":"campaign","id":"campaign--w","name":"Wide Campaign","first_seen":"２０１４－１１－２４Ｔ００:００:００Ｚ","external_references":[{"source_name":"mitre-attack","external_id":"C9990"}]},
          {"type":"relationship","id":"relationship--w","relationship_type":"attributed-to","source_ref":"campaign--w","target_ref":"intrusion-set--w"}
        ]}"#,
    )
    .unwrap();
    ok(&ascribe(
        &store,
        // it stands in for ATT&CK, so it replaces it
        &["kb", "import", "--replace", bundle.to_str().unwrap()],
    ));
    let out = ok(&ascribe(&store, &["kb", "actor", "Wide Group"]));
    assert!(out.contains("Wide Campaign"), "{out}");
}
