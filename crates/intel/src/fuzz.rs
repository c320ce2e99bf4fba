//! The steps the fuzz targets (`fuzz/intel`) run, shared with the stable
//! replay of their seeds and regressions (`tests/fuzz_regressions.rs`).
//! Each must return without panicking on any input.

use crate::import::{import_bytes, import_json, ImportOptions};
use serde_json::{json, Value};

fn opts(data: &[u8]) -> ImportOptions {
    ImportOptions {
        actor: None,
        date: None,
        actor_from_folder: data.first().is_some_and(|b| b & 1 == 1),
    }
}

/// Bytes as JSON, read as a MISP event (`{"Event": …}`) and as a MISP
/// export (`{"response": …}`), then through format detection.
pub fn misp_event(data: &[u8]) {
    let o = opts(data);
    if let Ok(v) = serde_json::from_slice::<Value>(data) {
        let _ = import_json(&json!({ "Event": v.clone() }), Some("folder"), &o);
        let _ = import_json(&json!({ "response": v }), None, &o);
    }
    let _ = import_bytes(data, Some("folder"), &o);
}

/// Bytes as JSON, read as the objects of a STIX bundle; as text, as a STIX
/// pattern.
pub fn stix_bundle(data: &[u8]) {
    let o = opts(data);
    if let Ok(v) = serde_json::from_slice::<Value>(data) {
        let objects = if v.is_array() { v } else { json!([v]) };
        let _ = import_json(
            &json!({"type": "bundle", "id": "bundle--fuzz", "objects": objects}),
            None,
            &o,
        );
    }
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = crate::pattern::parse(s);
    }
}

/// Bytes as a plain or CSV IOC list; each line through `detect` and `keys`.
pub fn ioc_list(data: &[u8]) {
    let o = ImportOptions {
        actor: Some("fuzz".into()),
        date: Some("2020-01-01".into()),
        actor_from_folder: false,
    };
    let _ = crate::ioclist::import_list(data, &o);
    if let Ok(s) = std::str::from_utf8(data) {
        for line in s.lines().take(1000) {
            if let Some((k, n)) = crate::detect(line) {
                let keys = crate::keys(k, &n);
                assert_eq!(keys[0], crate::exact_key(k, &n));
                assert!(keys.len() <= 257);
            }
        }
    }
}
