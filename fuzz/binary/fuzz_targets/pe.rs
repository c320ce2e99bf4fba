#![no_main]
//! Fuzz the pe parser through the public entry point. Content hashes are
//! off (they are not ours and cost most of the time); entropy and the
//! string scan stay on.
use ascribe_binary::{inspect_bytes, InspectOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = InspectOptions {
        content_hashes: false,
        ..InspectOptions::default()
    };
    let mut w = Vec::new();
    let _ = ascribe_binary::pe::parse(data, &opts, &mut w);
    let r = inspect_bytes(data, &opts);
    assert_eq!(r.size, data.len() as u64);
});
