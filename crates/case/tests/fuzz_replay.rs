//! Replays the fuzz seeds and every minimised crasher ever found
//! (`fuzz/core/regressions/case_toml`) through the parser on stable Rust.

use std::path::PathBuf;

#[test]
fn fuzz_seeds_and_regressions_parse_without_panicking() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/core");
    let mut n = 0;
    for dir in ["seeds/case_toml", "regressions/case_toml"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = entry.unwrap().path();
            if p.file_name().is_some_and(|f| f == ".keep") {
                continue;
            }
            let bytes = std::fs::read(&p).unwrap();
            if let Ok(s) = std::str::from_utf8(&bytes) {
                let _ = ascribe_case::parse_case(s, "case.toml");
            }
            n += 1;
        }
    }
    assert!(n >= 1, "no seeds found");
}

#[test]
fn the_seed_with_every_new_table_parses() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/core");
    let text = std::fs::read_to_string(root.join("seeds/case_toml/issue10.toml")).unwrap();
    let c = ascribe_case::parse_case(&text, "issue10.toml").unwrap();
    assert_eq!(c.observations.len(), 7);
    assert_eq!(c.hypotheses.len(), 1);
}
