//! Stable-Rust replay of the fuzz inputs: every file in
//! `fuzz/binary/regressions/` and `fuzz/binary/seeds/*/` goes through the
//! three format parsers and `inspect_bytes` with everything on. A file
//! there that panics fails this test.
//!
//! `ASCRIBE_WRITE_SEEDS=1` (re)writes the seed files from the fixture
//! generators first.

use ascribe_binary::fixture::{self, FixtureResource, FixtureSpec};
use ascribe_binary::{inspect_bytes, InspectOptions};
use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/binary")
}

fn seeds() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    vec![
        ("pe", "fixture-version.exe", FixtureSpec::default().build()),
        (
            "pe",
            "fixture-rcdata-overlay.exe",
            FixtureSpec {
                resource: FixtureResource::RcData(b"seed".to_vec()),
                overlay: vec![0x5a; 64],
                ..FixtureSpec::default()
            }
            .build(),
        ),
        ("elf", "fixture.so", fixture::elf_so(&[7; 20])),
        (
            "macho",
            "fixture-arm64.dylib",
            fixture::macho_dylib(0x0100_000c, true),
        ),
        ("macho", "fixture-fat.dylib", fixture::macho_fat()),
    ]
}

#[test]
fn replay_regressions_and_seeds() {
    let dir = fuzz_dir();
    if std::env::var_os("ASCRIBE_WRITE_SEEDS").is_some() {
        for (kind, name, bytes) in seeds() {
            let d = dir.join("seeds").join(kind);
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join(name), bytes).unwrap();
        }
    }
    let mut files: Vec<PathBuf> =
        ascribe_binary::walk_inputs([dir.join("regressions"), dir.join("seeds")])
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n != ".gitkeep" && n != "README.md")
            })
            .collect();
    files.sort();
    let opts = InspectOptions::default();
    let mut n = 0;
    for f in &files {
        let data = std::fs::read(f).unwrap();
        let mut w = Vec::new();
        let _ = ascribe_binary::pe::parse(&data, &opts, &mut w);
        let _ = ascribe_binary::elf::parse(&data, &opts, &mut w);
        let _ = ascribe_binary::macho::parse(&data, &mut w);
        let r = inspect_bytes(&data, &opts);
        assert_eq!(r.size, data.len() as u64);
        n += 1;
    }
    // The in-memory seeds too, so the test means something even before the
    // seed files are written.
    for (_, _, bytes) in seeds() {
        let r = inspect_bytes(&bytes, &opts);
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        n += 1;
    }
    println!("replayed {n} inputs ({} files)", files.len());
    assert!(n >= 5);
}
