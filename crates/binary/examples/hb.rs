//! Component micro-benchmark: `hb MODE FILE` runs one hash over FILE
//! (modes: none, ssdeep, fuzzyhash, tlsh, md5, sha1, sha256, strings,
//! entropy, structural, full) and prints MB/s. Meant for instruction counts
//! under `valgrind --tool=callgrind` as much as for wall time.
use std::time::Instant;
fn main() {
    let mode = std::env::args().nth(1).unwrap();
    let p = std::env::args().nth(2).unwrap();
    let d = std::fs::read(&p).unwrap();
    let mb = d.len() as f64 / 1e6;
    let t = Instant::now();
    let n = match mode.as_str() {
        "none" => 0,
        "ssdeep" => ascribe_binary::ssdeep::hash(&d).len(),
        "tlsh" => ascribe_binary::hashes::tlsh(&d).map_or(0, |s| s.len()),
        "md5" => ascribe_binary::hashes::md5_hex(&d).len(),
        "sha1" => {
            use sha1::Digest;
            sha1::Sha1::digest(&d).len()
        }
        "sha256" => {
            use sha2::Digest;
            sha2::Sha256::digest(&d).len()
        }
        "strings" => ascribe_binary::strings::scan(&d, 256).len(),
        "entropy" => ascribe_binary::hashes::entropy(&d) as usize,
        "structural" => {
            ascribe_binary::inspect_bytes(&d, &ascribe_binary::InspectOptions::structural())
                .warnings
                .len()
        }
        "full" => ascribe_binary::inspect_bytes(&d, &ascribe_binary::InspectOptions::default())
            .warnings
            .len(),
        m => panic!("mode {m}"),
    };
    println!("{mode} {:.1} MB/s ({n})", mb / t.elapsed().as_secs_f64());
}
