//! The scale benchmark of the indicator store (bench/infrastructure/scale):
//! synthetic indicators over 1,000 actors.
//!
//! `intel-scale import DB N`: generate N records (100 per event, one event
//! per source, 1,000 sources per `put_intel` batch), normalise them and
//! derive their keys with `ascribe_intel`, store them, rebuild the key file.
//!
//! `intel-scale match DB N CASE [HITS%]`: a case of CASE indicators, HITS %
//! (default 10) drawn from the N stored ones and the rest new; their keys
//! are looked up through the key file and, in the same run, through the
//! plain indexed SQLite table (`intel_key`, primary key (key, record));
//! both answers must be equal.

use ascribe_core::IntelRecord;
use ascribe_store::{IntelStore, SqliteStore};
use std::path::Path;
use std::time::Instant;

#[path = "common/synthetic.rs"]
mod synthetic;
use synthetic::*;

/// CPU time of this thread in seconds (`/proc/thread-self/schedstat`, ns):
/// the machine is shared, so wall time alone says little.
fn cpu() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .next()
                .and_then(|x| x.parse::<u64>().ok())
        })
        .unwrap_or(0) as f64
        / 1e9
}

fn rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|x| x.parse::<u64>().ok())
            })
        })
        .unwrap_or(0)
        / 1024
}

fn import(db: &Path, n: u64) {
    let mut s = SqliteStore::open(db).expect("open store");
    let t0 = Instant::now();
    let c0 = cpu();
    let (mut t_make, mut t_put) = (0.0, 0.0);
    let batch = 100_000;
    let mut i = 0;
    while i < n {
        let end = (i + batch).min(n);
        let t = Instant::now();
        let recs: Vec<IntelRecord> = (i..end).map(record).collect();
        t_make += t.elapsed().as_secs_f64();
        let t = Instant::now();
        s.put_intel("synthetic", &recs).expect("put");
        t_put += t.elapsed().as_secs_f64();
        i = end;
    }
    let t = Instant::now();
    let nkeys = s.rebuild_intel_index().expect("rebuild");
    let t_index = t.elapsed().as_secs_f64();
    let total = t0.elapsed().as_secs_f64();
    let total_cpu = cpu() - c0;
    let db_size = std::fs::metadata(db).map(|m| m.len()).unwrap_or(0);
    let kf = s
        .intel_key_file()
        .and_then(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .unwrap_or(0);
    println!(
        "import n={n} keys={nkeys} total={total:.1}s wall, {total_cpu:.1}s cpu ({:.0} indicators/s wall, {:.0}/s cpu) normalise+keys={t_make:.1}s sqlite={t_put:.1}s keyfile={t_index:.1}s db={} MiB keyfile={} MiB peak_rss={} MiB",
        n as f64 / total,
        n as f64 / total_cpu,
        db_size >> 20,
        kf >> 20,
        rss_mib()
    );
}

fn matching(db: &Path, n: u64, case: u64, hits_pct: u64) {
    let s = SqliteStore::open(db).expect("open store");
    let t = Instant::now();
    let mut keys = Vec::new();
    for j in 0..case {
        let h = mix(j ^ 0x5eed);
        let (kind, v) = if h % 100 < hits_pct {
            value(SEED, h % n)
        } else {
            value(99, j)
        };
        let norm = ascribe_intel::normalize(kind, &v).expect("valid");
        keys.extend(ascribe_intel::keys(kind, &norm));
    }
    let t_keys = t.elapsed().as_secs_f64();
    for round in 0..2 {
        let (t, c) = (Instant::now(), cpu());
        let fast = s
            .intel_lookup_keyfile(&keys)
            .expect("lookup")
            .expect("key file is current");
        let (t_fast, c_fast) = (t.elapsed().as_secs_f64(), cpu() - c);
        let (t, c) = (Instant::now(), cpu());
        let sql = s.intel_lookup_sql(&keys).expect("sql lookup");
        let (t_sql, c_sql) = (t.elapsed().as_secs_f64(), cpu() - c);
        let norm = |v: &Vec<(String, IntelRecord)>| {
            let mut x: Vec<(String, String, String)> = v
                .iter()
                .map(|(k, r)| (k.clone(), r.source.clone(), r.keys[0].clone()))
                .collect();
            x.sort();
            x
        };
        assert_eq!(norm(&fast), norm(&sql), "the key file and SQL disagree");
        let exact = fast.iter().filter(|(k, r)| *k == r.keys[0]).count();
        println!(
            "match round={round} n={n} case={case} keys={} matches={} exact={exact} keyfile={t_fast:.3}s wall {c_fast:.3}s cpu, sqlite_index={t_sql:.3}s wall {c_sql:.3}s cpu (case keys made in {t_keys:.2}s) peak_rss={} MiB",
            keys.len(),
            fast.len(),
            rss_mib()
        );
    }
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let usage = "usage: intel-scale import DB N | intel-scale match DB N CASE [HITS%]";
    match a.get(1).map(String::as_str) {
        Some("import") if a.len() == 4 => import(Path::new(&a[2]), a[3].parse().expect(usage)),
        Some("match") if a.len() >= 5 => matching(
            Path::new(&a[2]),
            a[3].parse().expect(usage),
            a[4].parse().expect(usage),
            a.get(5).map(|x| x.parse().expect(usage)).unwrap_or(10),
        ),
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    }
}
