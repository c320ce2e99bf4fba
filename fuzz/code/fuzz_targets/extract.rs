#![no_main]
//! Whole-file fuzzing: parse, extract with tight budgets, sign, and query a small index.
use ascribe_code::{extract, sign_all, ExtractConfig, SignatureConfig};
use libfuzzer_sys::fuzz_target;
use std::time::Duration;

fuzz_target!(|data: &[u8]| {
    let cfg = ExtractConfig {
        max_file_instructions: 200_000,
        time_budget: Duration::from_secs(2),
        ..ExtractConfig::default()
    };
    if let Ok(x) = extract(data, &cfg) {
        for f in &x.functions {
            let n: u32 = f.blocks.iter().map(|b| b.instructions).sum();
            assert_eq!(n as usize, f.tokens.len());
            for &(a, b) in &f.edges {
                assert!((a as usize) < f.blocks.len() && (b as usize) < f.blocks.len());
            }
        }
        let _ = sign_all(&x.functions, &SignatureConfig::default());
    }
});
