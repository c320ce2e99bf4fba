//! case.toml parser: any text gives Ok or a located error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = ascribe_case::parse_case(s, "case.toml");
    }
});
