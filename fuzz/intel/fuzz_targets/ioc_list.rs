//! Fuzz target: `ascribe_intel::fuzz::ioc_list` (bounded importer, never panics).
//! Run: `cd fuzz/intel && cargo +nightly fuzz run ioc_list seeds/ioc_list`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ascribe_intel::fuzz::ioc_list(data);
});
