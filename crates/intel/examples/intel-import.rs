//! Read intelligence files and print what was read (one line per source,
//! one per broken file): `cargo run -p ascribe-intel --example intel-import -- PATH…`
//! (`--folder-actor` takes the folder as the actor when an event names none;
//! `--records` prints every record as JSON).

fn main() {
    let mut paths = Vec::new();
    let mut opts = ascribe_intel::ImportOptions::default();
    let mut show = false;
    for a in std::env::args().skip(1) {
        match a.as_str() {
            "--folder-actor" => opts.actor_from_folder = true,
            "--records" => show = true,
            _ => paths.push(std::path::PathBuf::from(a)),
        }
    }
    let (mut n, mut recs) = (0, 0);
    for o in ascribe_intel::import_paths(&paths, &opts) {
        match o.result {
            Ok(srcs) => {
                for s in srcs {
                    n += 1;
                    recs += s.records.len();
                    println!(
                        "{}\t{}\t{}\t{:?}\t{} records\t{} invalid\tdropped {:?}",
                        o.path.display(),
                        s.source,
                        s.published.as_deref().unwrap_or("-"),
                        s.actors,
                        s.records.len(),
                        s.invalid_count,
                        s.dropped
                    );
                    if show {
                        for r in &s.records {
                            println!("{}", serde_json::to_string(r).unwrap_or_default());
                        }
                    }
                }
            }
            Err(e) => println!("{}\tERROR\t{e}", o.path.display()),
        }
    }
    println!("{n} sources, {recs} records");
}
