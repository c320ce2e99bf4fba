//! Command-line driver for manual testing and benchmarks.
//!
//! ```text
//! codeidx extract FILE...                                  functions, blocks, timing per file
//! codeidx add INDEX_DIR --family NAME [--actor NAME] FILE|DIR...
//! codeidx similar INDEX_DIR FILE
//! codeidx stats INDEX_DIR
//! ```
use std::path::{Path, PathBuf};
use std::time::Instant;

use ascribe_code::{
    extract, AddOutcome, CodeIndex, DiskStore, ExtractConfig, QueryOptions, SampleMeta,
};

fn files(paths: &[String]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            if let Ok(rd) = std::fs::read_dir(&p) {
                stack.extend(rd.flatten().map(|e| e.path()));
            }
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: codeidx extract FILE... | add DIR --family F [--actor A] FILE... | similar DIR FILE | stats DIR";
    match args.first().map(String::as_str) {
        Some("extract") => {
            let cfg = ExtractConfig::default();
            for p in files(&args[1..]) {
                let data = std::fs::read(&p)?;
                let t = Instant::now();
                match extract(&data, &cfg) {
                    Ok(x) => {
                        let dt = t.elapsed().as_secs_f64();
                        let blocks: usize = x.functions.iter().map(|f| f.blocks.len()).sum();
                        let packed: Vec<&str> = x
                            .sections
                            .iter()
                            .filter(|s| s.packed)
                            .map(|s| s.name.as_str())
                            .collect();
                        println!(
                            "{}\t{:?}/{:?}\tfunctions {}\tblocks {}\tinstructions {}\t{:.3}s\tpacked {:?}\tlimits {:?}",
                            p.display(),
                            x.format,
                            x.arch,
                            x.functions.len(),
                            blocks,
                            x.instructions_decoded,
                            dt,
                            packed,
                            x.limits_hit
                        );
                    }
                    Err(e) => println!("{}\terror {e}", p.display()),
                }
                if std::env::var_os("CODEIDX_VERBOSE").is_some() {
                    if let Ok(x) = extract(&data, &cfg) {
                        for f in &x.functions {
                            println!(
                                "  {:#x}\t{:?}\tins {}\tblocks {}\tinvalid {}",
                                f.address,
                                f.source,
                                f.instructions(),
                                f.blocks.len(),
                                f.has_invalid
                            );
                        }
                    }
                }
            }
        }
        Some("add") if args.len() >= 3 => {
            let mut idx = CodeIndex::new(DiskStore::open(&args[1])?)?;
            let mut family = None;
            let mut actor = None;
            let mut inputs = Vec::new();
            let mut it = args[2..].iter();
            while let Some(a) = it.next() {
                match a.as_str() {
                    "--family" => family = it.next().cloned(),
                    "--actor" => actor = it.next().cloned(),
                    _ => inputs.push(a.clone()),
                }
            }
            let family = family.ok_or(usage)?;
            for p in files(&inputs) {
                let data = std::fs::read(&p)?;
                let meta = SampleMeta {
                    family: family.clone(),
                    actor: actor.clone(),
                    name: Path::new(&p)
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned()),
                };
                match idx.add_bytes(&data, &meta) {
                    Ok(AddOutcome::Added { functions, .. }) => {
                        println!("added\t{}\t{functions} functions", p.display())
                    }
                    Ok(AddOutcome::AlreadyIndexed { .. }) => println!("present\t{}", p.display()),
                    Err(e) => println!("skipped\t{}\t{e}", p.display()),
                }
            }
            idx.flush()?;
            idx.store_mut().compact()?;
        }
        Some("similar") if args.len() == 3 => {
            let idx = CodeIndex::new(DiskStore::open(&args[1])?)?;
            let data = std::fs::read(&args[2])?;
            let t = Instant::now();
            let res = idx.similar_bytes(&data, &QueryOptions::default())?;
            eprintln!("query took {:.3}s", t.elapsed().as_secs_f64());
            println!("{}", serde_json::to_string_pretty(&res)?);
        }
        Some("stats") if args.len() == 2 => {
            let idx = CodeIndex::new(DiskStore::open(&args[1])?)?;
            println!("{}", serde_json::to_string_pretty(&idx.stats()?)?);
        }
        _ => return Err(usage.into()),
    }
    Ok(())
}
