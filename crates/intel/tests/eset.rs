//! The real ESET malware-ioc MISP events (../shared/data/eset-malware-ioc,
//! BSD-2-Clause): every valid event is read, the two broken files are
//! reported with their reason, and the batch goes on.

use ascribe_intel::{import_paths, ImportError, ImportOptions};
use std::path::PathBuf;

fn eset() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/eset-malware-ioc");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: {} absent", p.display());
        None
    }
}

#[test]
fn every_valid_event_is_read_and_the_broken_files_are_named() {
    let Some(dir) = eset() else { return };
    let out = import_paths(&[dir], &ImportOptions::default());
    let mut events = 0;
    let mut records = 0;
    let mut broken = Vec::new();
    for o in &out {
        match &o.result {
            Ok(srcs) => {
                for s in srcs {
                    events += 1;
                    records += s.records.len();
                    assert!(s.source.starts_with("misp-event:"), "{}", s.source);
                    assert!(s.published.is_some(), "{}", s.source);
                }
            }
            Err(e) => broken.push((
                o.path.clone(),
                e.to_string(),
                matches!(e, ImportError::Json(_)),
            )),
        }
    }
    assert_eq!(events, 57, "{broken:?}");
    assert_eq!(broken.len(), 2, "{broken:?}");
    let pypi = broken
        .iter()
        .find(|b| b.0.ends_with("malicious_pypi_packages.misp-event.json"))
        .unwrap();
    // Not truncated, as it looks at first: a trailing comma before the
    // closing `]` near the end of the file.
    assert!(
        pypi.2 && pypi.1.contains("trailing comma at line 37374"),
        "{pypi:?}"
    );
    let dns = broken
        .iter()
        .find(|b| b.0.ends_with("rqz-dnsduvel_blocklist.json"))
        .unwrap();
    assert!(
        dns.1.contains("not a MISP event") && dns.1.contains("duvelDetails"),
        "{dns:?}"
    );
    assert!(records > 2500, "{records}");
}

#[test]
fn folder_attribution_and_linked_hashes_on_real_events() {
    let Some(dir) = eset() else { return };
    let opts = ImportOptions {
        actor_from_folder: true,
        ..Default::default()
    };
    let out = import_paths(
        &[
            dir.join("events/sednit/2018-11-20_Zebrocy.json"),
            dir.join("events/turla"),
            dir.join("events/nukesped_lazarus"),
        ],
        &opts,
    );
    let srcs: Vec<_> = out
        .iter()
        .flat_map(|o| o.result.as_ref().unwrap().iter())
        .collect();
    // Zebrocy carries a Sofacy galaxy tag: the tag wins over the folder.
    assert_eq!(srcs[0].actors, ["Sofacy"]);
    assert!(srcs.iter().all(|s| !s.actors.is_empty()));
    // file objects: md5/sha1/sha256 of one file find each other
    let linked = srcs
        .iter()
        .flat_map(|s| &s.records)
        .filter(|r| {
            r.keys
                .iter()
                .filter(|k| {
                    k.starts_with("sha1:") || k.starts_with("md5:") || k.starts_with("sha256:")
                })
                .count()
                == 3
        })
        .count();
    assert!(linked > 0);
}

#[test]
fn a_misp_feed_directory_reads_the_events_its_manifest_lists() {
    let tmp = tempfile::tempdir().unwrap();
    let feed = tmp.path().join("feed");
    std::fs::create_dir(&feed).unwrap();
    let ev = |uuid: &str, ip: &str| {
        format!(
            r#"{{"Event": {{"uuid": "{uuid}", "info": "e", "date": "2021-03-04", "Attribute": [{{"type": "ip-dst", "value": "{ip}"}}]}}}}"#
        )
    };
    let a = "5c8ff618-0998-4b11-89d4-39d70a016219";
    let b = "72f7a401-5a65-4977-8f43-4c34dda37b2f";
    std::fs::write(feed.join(format!("{a}.json")), ev(a, "198.51.100.1")).unwrap();
    std::fs::write(feed.join(format!("{b}.json")), ev(b, "198.51.100.2")).unwrap();
    // a file the manifest does not list is not read; an entry that is not
    // a uuid never names a file (no path outside the feed)
    std::fs::write(feed.join("other.json"), ev("x", "198.51.100.3")).unwrap();
    std::fs::write(tmp.path().join("secret.json"), ev("y", "198.51.100.4")).unwrap();
    std::fs::write(
        feed.join("manifest.json"),
        format!(
            r#"{{"{a}": {{"info": "e"}}, "{b}": {{}}, "../secret": {{}}, "00000000-0000-4000-8000-000000000000": {{}}}}"#
        ),
    )
    .unwrap();
    let out = import_paths(&[feed], &ImportOptions::default());
    let ok: Vec<_> = out
        .iter()
        .filter_map(|o| o.result.as_ref().ok())
        .flatten()
        .map(|s| (s.source.clone(), s.records[0].norm.clone()))
        .collect();
    assert_eq!(
        ok,
        [
            (format!("misp-event:{a}"), "198.51.100.1".to_string()),
            (format!("misp-event:{b}"), "198.51.100.2".to_string())
        ]
    );
    let errs: Vec<String> = out
        .iter()
        .filter_map(|o| o.result.as_ref().err().map(|e| e.to_string()))
        .collect();
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(
        errs.iter().any(|e| e.contains("not an event uuid")),
        "{errs:?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.contains("00000000-0000-4000-8000-000000000000.json")),
        "{errs:?}"
    );
}
