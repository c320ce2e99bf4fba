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
