//! The sharding benchmark (bench/scale/shards.sh): the intel store on one
//! PostgreSQL against the same store sharded (a coordinator + shards), with
//! the synthetic indicators of `crates/intel/examples/intel-scale.rs`
//! (the same generator, included from there: same seed, same values).
//!
//! `shard-scale import URL N`: N records (100 per source, 1,000 sources per
//! `put_intel` batch) into the store at URL (sharded when URL is a
//! coordinator). `shard-scale lookup URL N CASE`: a case of CASE
//! indicators (10 % drawn from the N stored), their match keys looked up in
//! one batch, twice.

use ascribe_core::IntelRecord;
use ascribe_store::IntelStore;
use ascribe_store_pg::shard::ShardedStore;
use ascribe_store_pg::PgStore;
use std::time::Instant;

#[path = "../../intel/examples/common/synthetic.rs"]
mod synthetic;
use synthetic::*;

/// CPU time of this process in seconds (user + system, all threads).
fn cpu() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let f: Vec<&str> = s
        .rsplit_once(") ")
        .map(|x| x.1)
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let t = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (t(11) + t(12)) / 100.0
}

fn open(url: &str) -> Box<dyn IntelStore> {
    let pg = PgStore::open(url).expect("open");
    if ShardedStore::layout_of(&pg).expect("layout").is_some() {
        Box::new(ShardedStore::with_coordinator(pg, url, false).expect("open shards"))
    } else {
        Box::new(pg)
    }
}

fn import(url: &str, n: u64) {
    let mut s = open(url);
    let (t0, c0) = (Instant::now(), cpu());
    let mut t_put = 0.0;
    let batch = 100_000;
    let mut i = 0;
    let mut keys = 0;
    while i < n {
        let end = (i + batch).min(n);
        let recs: Vec<IntelRecord> = (i..end).map(record).collect();
        let t = Instant::now();
        keys += s.put_intel("synthetic", &recs).expect("put").relations;
        t_put += t.elapsed().as_secs_f64();
        i = end;
    }
    let total = t0.elapsed().as_secs_f64();
    println!(
        "import n={n} keys={keys} total={total:.1}s put={t_put:.1}s ({:.0} records/s, {:.0} key rows/s in put) client_cpu={:.1}s",
        n as f64 / t_put,
        keys as f64 / t_put,
        cpu() - c0
    );
}

fn lookup(url: &str, n: u64, case: u64) {
    let s = open(url);
    let mut keys = Vec::new();
    for j in 0..case {
        let h = mix(j ^ 0x5eed);
        let (kind, v) = if h % 100 < 10 {
            value(SEED, h % n)
        } else {
            value(99, j)
        };
        let norm = ascribe_intel::normalize(kind, &v).expect("valid");
        keys.extend(ascribe_intel::keys(kind, &norm));
    }
    for round in 0..2 {
        let (t, c) = (Instant::now(), cpu());
        let hits = s.intel_lookup(&keys).expect("lookup");
        let w = t.elapsed().as_secs_f64();
        println!(
            "lookup round={round} n={n} case={case} keys={} matches={} {w:.3}s wall ({:.0} keys/s) client_cpu={:.2}s",
            keys.len(),
            hits.len(),
            keys.len() as f64 / w,
            cpu() - c
        );
    }
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let usage = "usage: shard-scale import URL N | shard-scale lookup URL N CASE";
    match a.get(1).map(String::as_str) {
        Some("import") if a.len() == 4 => import(&a[2], a[3].parse().expect(usage)),
        Some("lookup") if a.len() == 5 => lookup(
            &a[2],
            a[3].parse().expect(usage),
            a[4].parse().expect(usage),
        ),
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    }
}
