//! Replays the fuzz seeds and every minimised crasher ever found
//! (`fuzz/core/regressions/kb_import`) through the importers on stable Rust.

use std::path::PathBuf;

#[test]
fn fuzz_seeds_and_regressions_import_without_panicking() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/core");
    let mut n = 0;
    for dir in ["seeds/kb_import", "regressions/kb_import"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = entry.unwrap().path();
            if p.file_name().is_some_and(|f| f == ".keep") {
                continue;
            }
            let bytes = std::fs::read(&p).unwrap();
            if let Ok(imp) = ascribe_kb::import::import_bytes(&bytes, "seed") {
                let kb = ascribe_kb::KnowledgeBase::build(&imp.facts);
                let _ = kb.stats();
            }
            n += 1;
        }
    }
    assert!(n >= 3, "seeds missing");
}
