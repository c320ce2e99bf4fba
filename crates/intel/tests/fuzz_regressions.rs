//! Stable replay of the fuzz seeds and regressions in `fuzz/intel/` through
//! the same steps as the cargo-fuzz targets (`ascribe_intel::fuzz`).

use std::path::Path;

type Step = fn(&[u8]);

fn replay(dir: &Path, pick: &dyn Fn(&str) -> Option<Step>) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if let Some(f) = pick(&name) {
            f(&std::fs::read(&p).unwrap());
            n += 1;
        }
    }
    n
}

fn by_prefix(name: &str) -> Option<Step> {
    use ascribe_intel::fuzz::*;
    if name.starts_with("misp_event") {
        Some(misp_event)
    } else if name.starts_with("stix_bundle") {
        Some(stix_bundle)
    } else if name.starts_with("ioc_list") {
        Some(ioc_list)
    } else {
        None
    }
}

#[test]
fn seeds_and_regressions_replay_without_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/intel");
    let mut n = 0;
    for t in ["misp_event", "stix_bundle", "ioc_list"] {
        let f = by_prefix(t).unwrap();
        n += replay(&root.join("seeds").join(t), &|_| Some(f));
    }
    n += replay(&root.join("regressions"), &by_prefix);
    assert!(n >= 6, "{n} inputs replayed");
}
