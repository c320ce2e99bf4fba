//! `case from-misp` on every ESET MISP event in `../shared/data/eset-malware-ioc`
//! (57 events and two broken files): each event becomes a case directory that
//! `ascribe_case` reads and `ascribe_reason` assesses; the broken inputs are
//! errors, never panics. Prints the kept and dropped counts per mapping
//! (docs/formats/misp.md quotes them).

use ascribe_interop::misp_in::from_misp_with;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn events_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/eset-malware-ioc/events");
    assert!(
        d.exists(),
        "{} is missing (../shared beside the checkout)",
        d.display()
    );
    d
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

#[test]
fn every_eset_event_becomes_a_case_that_analyses() {
    let mut files = Vec::new();
    json_files(&events_dir(), &mut files);
    assert_eq!(files.len(), 59, "the ESET set has 59 JSON files");
    let facts = ascribe_kb::embedded::default_facts().unwrap();
    let kb = ascribe_kb::KnowledgeBase::build(&facts);
    let params = ascribe_reason::Params::default();
    let tmp = tempfile::tempdir().unwrap();
    let mut totals: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut ok, mut broken, mut observations) = (0, Vec::new(), 0);
    for (i, f) in files.iter().enumerate() {
        let bytes = std::fs::read(f).unwrap();
        let name = f.strip_prefix(events_dir()).unwrap().display().to_string();
        let imp = match from_misp_with(&bytes, &name, Some(&kb)) {
            Ok(imp) => imp,
            Err(e) => {
                broken.push(format!("{name}: {e}"));
                continue;
            }
        };
        let dir = tmp.path().join(format!("case-{i}"));
        imp.write(&dir, &name).unwrap();
        let case = ascribe_case::load_case(&dir).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!case.observations.is_empty(), "{name}: nothing imported");
        let a = ascribe_reason::assess(&case, &kb, &params);
        assert!(!a.verdict.statement.is_empty(), "{name}");
        assert!(a.verdict.probability.is_finite(), "{name}");
        observations += case.observations.len();
        for (m, c) in &imp.counts {
            let t = totals.entry(m.clone()).or_default();
            t.0 += c.kept;
            t.1 += c.dropped;
        }
        ok += 1;
    }
    eprintln!(
        "{ok} events imported and assessed ({observations} observations); broken inputs reported:"
    );
    for b in &broken {
        eprintln!("  {b}");
    }
    eprintln!("| mapping | kept | dropped |\n|---|---:|---:|");
    for (m, (k, d)) in &totals {
        eprintln!("| {m} | {k} | {d} |");
    }
    assert_eq!(ok, 57, "57 ESET events parse as MISP events");
    assert_eq!(broken.len(), 2, "{broken:?}");
    assert!(broken
        .iter()
        .any(|b| b.contains("malicious_pypi_packages") && b.contains("not valid JSON")));
    assert!(broken
        .iter()
        .any(|b| b.contains("rqz-dnsduvel_blocklist") && b.contains("not a MISP event")));
    // the common indicator types are kept, not dropped
    for m in [
        "sha1 → indicator hash",
        "domain → indicator domain",
        "md5 → indicator hash",
    ] {
        let (k, d) = totals[m];
        assert!(k > 100 && d * 20 < k, "{m}: kept {k}, dropped {d}");
    }
    // techniques come from the ATT&CK galaxy tags
    assert!(totals
        .keys()
        .any(|m| m.contains("attack-pattern → technique") && totals[m].0 > 100));
}
