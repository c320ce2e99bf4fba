//! Print one JSON line per input file (`FileReport`), recursing into
//! directories: `cargo run --release -p ascribe-binary --example inspect -- PATH...`
//! Add `--structural` to skip content hashes, entropy and strings.

use ascribe_binary::{inspect_path, walk_inputs, InspectOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let structural = args.iter().any(|a| a == "--structural");
    let opts = if structural {
        InspectOptions::structural()
    } else {
        InspectOptions::default()
    };
    let paths = args.iter().filter(|a| !a.starts_with("--"));
    for p in walk_inputs(paths) {
        match inspect_path(&p, &opts) {
            Ok(r) => println!("{}", serde_json::to_string(&r).expect("report serialises")),
            Err(e) => eprintln!("error: {e}"),
        }
    }
}
