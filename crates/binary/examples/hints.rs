//! Inspect every file under the given paths (no content hashes) and print
//! the batch's `evidence_hints` as JSON:
//! `cargo run --release -p ascribe-binary --example hints -- DIR...`

use ascribe_binary::{evidence_hints, inspect_batch, walk_inputs, InspectOptions};

fn main() {
    let paths: Vec<_> = walk_inputs(std::env::args().skip(1)).collect();
    let opts = InspectOptions {
        content_hashes: false,
        ..InspectOptions::default()
    };
    let reports: Vec<_> = inspect_batch(&paths, &opts)
        .into_iter()
        .filter_map(|(_, r)| r.ok())
        .filter(|r| r.pe.is_some() || r.elf.is_some() || r.macho.is_some())
        .collect();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let hints = evidence_hints::derive(&reports, now);
    println!(
        "{}",
        serde_json::to_string_pretty(&hints).expect("hints serialise")
    );
}
