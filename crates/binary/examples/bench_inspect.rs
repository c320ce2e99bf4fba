//! In-process throughput measurement for `bench/binary/run.sh`.
//!
//! ```text
//! bench_inspect --mode structural|full|hashes [--threads N] [--repeat R]
//!               (--manifest DIR/manifest.tsv [--format pe|elf] | PATH...)
//! ```
//!
//! All inputs are read into memory first (like the peer timings, which
//! preload the data), then processed `--repeat` times; the fastest run is
//! reported as one JSON line. `structural` = `InspectOptions::structural()`
//! (headers and directories: imphash, Rich, resources, debug, exports…);
//! `full` = every artifact incl. md5/sha1/sha256/TLSH/ssdeep, entropy and
//! strings; `hashes` = only md5/sha1/sha256/TLSH/ssdeep.

use ascribe_binary::{hashes::ContentHashes, inspect_bytes, InspectOptions};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut mode = "full".to_string();
    let mut threads = 1usize;
    let mut repeat = 3usize;
    let mut manifest: Option<PathBuf> = None;
    let mut format: Option<String> = None;
    let mut paths = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--mode" => mode = args.next().expect("--mode VALUE"),
            "--threads" => {
                threads = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--threads N")
            }
            "--repeat" => {
                repeat = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--repeat N")
            }
            "--manifest" => manifest = args.next().map(PathBuf::from),
            "--format" => format = args.next(),
            _ => paths.push(PathBuf::from(a)),
        }
    }
    let mut files: Vec<PathBuf> = Vec::new();
    if let Some(m) = &manifest {
        let dir = m.parent().expect("manifest has a directory");
        let text = std::fs::read_to_string(m).expect("read manifest");
        let mut lines = text.lines();
        let hdr: Vec<&str> = lines.next().expect("header").split('\t').collect();
        let ix = |n: &str| hdr.iter().position(|c| *c == n).expect("manifest column");
        let (ifmt, irel) = (ix("format"), ix("rel_path"));
        for l in lines {
            let f: Vec<&str> = l.split('\t').collect();
            if format.as_deref().is_none_or(|want| f[ifmt] == want) {
                let p = dir.join(f[irel]);
                if p.is_file() {
                    files.push(p);
                }
            }
        }
    }
    files.extend(ascribe_binary::walk_inputs(&paths));
    let data: Vec<Vec<u8>> = files
        .iter()
        .map(|p| std::fs::read(p).expect("read input"))
        .collect();
    let bytes: usize = data.iter().map(Vec::len).sum();
    let opts = match mode.as_str() {
        "structural" => InspectOptions::structural(),
        "full" | "hashes" => InspectOptions::default(),
        m => panic!("unknown mode {m}"),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    let mut best = f64::INFINITY;
    let mut check = 0u64;
    for _ in 0..repeat.max(1) {
        let t0 = Instant::now();
        check = pool.install(|| {
            use rayon::prelude::*;
            let one = |d: &Vec<u8>| -> u64 {
                if mode == "hashes" {
                    ContentHashes::compute(d).ssdeep.len() as u64
                } else {
                    let r = inspect_bytes(d, &opts);
                    r.warnings.len() as u64 + r.pe.map_or(0, |p| p.imports.len() as u64)
                }
            };
            if threads == 1 {
                data.iter().map(one).sum()
            } else {
                data.par_iter().map(one).sum()
            }
        });
        best = best.min(t0.elapsed().as_secs_f64());
    }
    println!(
        "{{\"tool\":\"ascribe-{mode}\",\"threads\":{threads},\"files\":{},\"MB\":{:.1},\"wall_s\":{:.3},\"files_per_s\":{:.1},\"MB_per_s\":{:.1},\"check\":{check}}}",
        data.len(),
        bytes as f64 / 1e6,
        best,
        data.len() as f64 / best,
        bytes as f64 / 1e6 / best
    );
}
