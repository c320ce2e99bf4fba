//! Build the embedded default knowledge base from the shared data directory.
//!
//! ```text
//! cargo run -p ascribe-kb --example build-default-kb -- ../shared/data [OUT]
//! ```
//!
//! OUT defaults to `crates/kb/data/default-kb.json.deflate`. Only facts are
//! written (the importer never keeps descriptions).

use ascribe_kb::{default_data_files, embedded, import};
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let data = PathBuf::from(args.next().unwrap_or_else(|| "../shared/data".into()));
    let out = args.next().map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/default-kb.json.deflate")
    });
    let facts = match import::import_default_set_reporting(&data, &default_data_files()) {
        Ok((f, skipped)) => {
            for s in skipped {
                eprintln!("skipped: {s}");
            }
            f
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let bytes = embedded::encode(&facts);
    std::fs::write(&out, &bytes).unwrap_or_else(|e| {
        eprintln!("error: cannot write {}: {e}", out.display());
        std::process::exit(1);
    });
    println!(
        "wrote {} ({} bytes): {} sources, {} entities, {} relations",
        out.display(),
        bytes.len(),
        facts.sources.len(),
        facts.entities.len(),
        facts.relations.len()
    );
}
