//! Test/bench-only loader: builds a [`Vocabulary`] from the shared ATT&CK
//! STIX bundle and the MISP threat-actor galaxy (read with serde_json).
//!
//! Data directory: `$ASCRIBE_DATA_DIR`, else `CARGO_MANIFEST_DIR/../../../shared/data`.

#![allow(dead_code)]

use std::path::PathBuf;

use ascribe_text::Vocabulary;
use serde_json::Value;

/// Directory of the shared knowledge data; panics with a clear message if missing.
pub fn data_dir() -> PathBuf {
    let p = std::env::var_os("ASCRIBE_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    assert!(
        p.join("attack/enterprise-attack.json").is_file(),
        "shared knowledge data not found at {} (expected attack/enterprise-attack.json there; \
         set ASCRIBE_DATA_DIR or place shared/ beside the repository)",
        p.display()
    );
    p
}

/// Directory of the seed articles (`shared/seeds`, beside `shared/data`).
pub fn seeds_dir() -> PathBuf {
    let p = data_dir().join("../seeds");
    assert!(p.is_dir(), "seed articles not found at {}", p.display());
    p
}

fn attack_id(o: &Value) -> Option<String> {
    o["external_references"]
        .as_array()?
        .iter()
        .find(|r| r["source_name"] == "mitre-attack")?["external_id"]
        .as_str()
        .map(str::to_owned)
}

/// Builds the vocabulary: ATT&CK techniques, groups (id `G....`), software
/// (`S....`), MISP actors (`misp:<uuid>`), revoked techniques and the
/// built-in country list.
pub fn load_vocab() -> Vocabulary {
    let dir = data_dir();
    let mut v = Vocabulary::new();
    let bundle: Value = serde_json::from_slice(
        &std::fs::read(dir.join("attack/enterprise-attack.json")).expect("read bundle"),
    )
    .expect("parse bundle");
    for o in bundle["objects"].as_array().expect("objects") {
        let Some(id) = attack_id(o) else { continue };
        let name = o["name"].as_str().unwrap_or_default();
        let aliases: Vec<&str> = o["aliases"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        match o["type"].as_str() {
            Some("attack-pattern") => v.add_technique(&id, name),
            Some("intrusion-set") => {
                v.add_actor(&id, name);
                for a in aliases {
                    v.add_actor(&id, a);
                }
            }
            Some("malware") | Some("tool") => {
                v.add_software(&id, name);
                for a in aliases {
                    v.add_software(&id, a);
                }
            }
            _ => {}
        }
    }
    let revoked: Value = serde_json::from_slice(
        &std::fs::read(dir.join("attack/revoked-deprecated.json")).expect("read revoked"),
    )
    .expect("parse revoked");
    for r in revoked.as_array().expect("array") {
        if let (Some(old), Some(new)) =
            (r["attack_id"].as_str(), r["revoked_by_attack_id"].as_str())
        {
            v.add_revoked(old, new);
        }
    }
    let misp: Value = serde_json::from_slice(
        &std::fs::read(dir.join("misp-galaxy/threat-actor.json")).expect("read misp"),
    )
    .expect("parse misp");
    for a in misp["values"].as_array().expect("values") {
        let id = format!("misp:{}", a["uuid"].as_str().unwrap_or_default());
        if let Some(n) = a["value"].as_str() {
            v.add_actor(&id, n);
        }
        if let Some(syn) = a["meta"]["synonyms"].as_array() {
            for s in syn.iter().filter_map(Value::as_str) {
                v.add_actor(&id, s);
            }
        }
    }
    v.add_default_countries();
    v
}
