//! Fuzz target: bytes → `case from-misp` reader → case.toml.
//! Run: `cd fuzz/interop && cargo +nightly fuzz run from_misp corpus/misp`.
//! The reader must never panic, and whatever it accepts must give a
//! case.toml that `ascribe_case::parse_case` reads.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(imp) = ascribe_interop::misp_in::from_misp(data, "fuzz") {
        imp.case_toml().expect("the importer's case.toml parses");
    }
});
