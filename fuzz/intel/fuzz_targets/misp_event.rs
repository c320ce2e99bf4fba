//! Fuzz target: `ascribe_intel::fuzz::misp_event` (bounded importer, never panics).
//! Run: `cd fuzz/intel && cargo +nightly fuzz run misp_event seeds/misp_event`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ascribe_intel::fuzz::misp_event(data);
});
