//! Fuzz target: `ascribe_intel::fuzz::stix_bundle` (bounded importer, never panics).
//! Run: `cd fuzz/intel && cargo +nightly fuzz run stix_bundle seeds/stix_bundle`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ascribe_intel::fuzz::stix_bundle(data);
});
