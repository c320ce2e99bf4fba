//! bench/scale/shards.sh --code: the code index on the embedded store
//! (`DiskStore`), on one PostgreSQL (`PgCodeStore`) and sharded over three
//! (`ShardedCodeStore`: a coordinator and three shards), in the same run.
//!
//! ```text
//! shard-code-scale SINGLE_URL COORD_URL SHARD_URL,… CORPUS_DIR WORK_DIR SIZES [QUERY_REPS]
//! ```
//!
//! 1. Signs the files of `CORPUS_DIR/manifest.tsv` (`PG_SCALE_FILES` caps
//!    how many; family = project) and ingests them through
//!    `CodeIndex::add_signed` into each store (one transaction a sample on
//!    PostgreSQL): functions/s of the store writes, and the CPU seconds each
//!    PostgreSQL cluster spent (`CLUSTERS`: `name=port,…` of the Debian
//!    clusters, read from `/proc`; needs root).
//! 2. Grows a synthetic index to each size in `SIZES` (copies of the corpus
//!    signatures, MinHash re-hashed per copy, as `pg-scale`), in both
//!    PostgreSQL layouts one sample a transaction, the embedded one
//!    bulk-built; then a 2,000-function query `QUERY_REPS` times on each
//!    (p50/p95; the three answers must be equal) and band look-ups/s, with
//!    the clusters' CPU seconds during the sharded queries.
//!
//! Prints Markdown tables. The sharded layout is made with
//! `ShardedStore::init` in schema `bench_shard_code` of every node; that
//! schema and the single store's are dropped at the end.

use ascribe_code::{
    band_keys, Arch, CodeIndex, CodeIndexStore, DiskStore, DiskStoreBuilder, Format,
    FunctionInsert, QueryOptions, SampleRecord, SignedSample,
};
use ascribe_store_pg::shard::{NodeSpec, ShardedStore};
use ascribe_store_pg::{PgCodeStore, ShardedCodeStore};
use std::time::Instant;

#[path = "common/synthetic.rs"]
mod synthetic;
use synthetic::{sign_corpus, Synthetic};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

const SCHEMA: &str = "bench_shard_code";

fn pct(v: &mut [f64], p: usize) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v[((v.len() * p) / 100).min(v.len() - 1)]
}

/// CPU seconds (user + system) of a Debian cluster: its postmaster, the
/// children it reaped and the live ones.
fn cluster_cpu(name: &str) -> f64 {
    let tck = 100.0; // CLK_TCK on Linux
    let field = |pid: &str, with_children: bool| -> f64 {
        let Ok(s) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            return 0.0;
        };
        let Some(rest) = s.rsplit_once(") ").map(|x| x.1) else {
            return 0.0;
        };
        let f: Vec<f64> = rest.split(' ').map(|x| x.parse().unwrap_or(0.0)).collect();
        // fields 14-17 of stat (utime, stime, cutime, cstime) are 11-14 after the name
        let mut t = f[11] + f[12];
        if with_children {
            t += f[13] + f[14];
        }
        t
    };
    let Ok(pidfile) =
        std::fs::read_to_string(format!("/var/lib/postgresql/15/{name}/postmaster.pid"))
    else {
        return 0.0;
    };
    let pid = pidfile.lines().next().unwrap_or("").trim().to_string();
    let mut t = field(&pid, true);
    if let Ok(rd) = std::fs::read_dir("/proc") {
        for e in rd.flatten() {
            let p = e.file_name().to_string_lossy().to_string();
            if !p.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            if let Ok(s) = std::fs::read_to_string(format!("/proc/{p}/stat")) {
                let ppid = s
                    .rsplit_once(") ")
                    .and_then(|x| x.1.split(' ').nth(1))
                    .unwrap_or("");
                if ppid == pid {
                    t += field(&p, false);
                }
            }
        }
    }
    t / tck
}

struct Cpu(Vec<(String, f64)>);

impl Cpu {
    fn now(names: &[String]) -> Cpu {
        Cpu(names.iter().map(|n| (n.clone(), cluster_cpu(n))).collect())
    }
    fn since(&self, names: &[String]) -> String {
        let now = Cpu::now(names);
        self.0
            .iter()
            .zip(&now.0)
            .map(|((n, a), (_, b))| format!("{n} {:.1}", b - a))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn main() -> Res<()> {
    let a: Vec<String> = std::env::args().skip(1).collect();
    if a.len() < 6 {
        return Err("usage: shard-code-scale SINGLE_URL COORD_URL SHARD_URL,… CORPUS_DIR WORK_DIR SIZES [QUERY_REPS]".into());
    }
    let (single, coord, corpus, work) = (&a[0], &a[1], &a[3], &a[4]);
    let shards: Vec<String> = a[2].split(',').map(|s| s.to_string()).collect();
    let sizes: Vec<usize> = a[5]
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<f64>().map(|x| x as usize))
        .collect::<Result<_, _>>()?;
    let reps: usize = a.get(6).and_then(|x| x.parse().ok()).unwrap_or(15);
    let clusters: Vec<String> = std::env::var("CLUSTERS")
        .unwrap_or_else(|_| "coord,shard1,shard2,shard3".into())
        .split(',')
        .map(|s| s.to_string())
        .collect();
    std::fs::create_dir_all(work)?;
    let all_nodes: Vec<&String> = std::iter::once(single)
        .chain(std::iter::once(coord))
        .chain(&shards)
        .collect();
    for u in &all_nodes {
        drop_schema(u)?;
    }
    let init = || -> Res<()> {
        let specs: Vec<NodeSpec> = shards
            .iter()
            .map(|u| NodeSpec {
                url: u.clone(),
                schema: Some(SCHEMA.into()),
            })
            .collect();
        drop(ShardedStore::init(coord, Some(SCHEMA), &specs)?);
        Ok(())
    };

    // 1. the corpus
    let t = Instant::now();
    let (listed, signed) = sign_corpus(corpus)?;
    eprintln!(
        "signed {} of {} files in {:.1} s (2 threads)",
        signed.len(),
        listed,
        t.elapsed().as_secs_f64()
    );
    let disk_dir = format!("{work}/corpus.code");
    let _ = std::fs::remove_dir_all(&disk_dir);
    let t = Instant::now();
    let mut disk = CodeIndex::new(DiskStore::open(&disk_dir)?)?;
    for (s, m) in &signed {
        disk.add_signed(s, m)?;
    }
    disk.flush()?;
    disk.store_mut().compact()?;
    let t_disk = t.elapsed().as_secs_f64();
    let dc = disk.store().counts()?;
    drop(disk);
    let _ = std::fs::remove_dir_all(&disk_dir);
    let cpu = Cpu::now(&clusters);
    let t = Instant::now();
    let mut pg = CodeIndex::new(PgCodeStore::open_in_schema(single, SCHEMA)?)?;
    for (s, m) in &signed {
        pg.add_signed(s, m)?;
    }
    pg.flush()?;
    let t_pg = t.elapsed().as_secs_f64();
    let cpu_pg = cpu.since(&clusters);
    assert_eq!(pg.store().counts()?, dc);
    drop(pg);
    init()?;
    let cpu = Cpu::now(&clusters);
    let t = Instant::now();
    let mut sh = CodeIndex::new(ShardedCodeStore::open_in_schema(coord, SCHEMA)?)?;
    for (s, m) in &signed {
        sh.add_signed(s, m)?;
    }
    sh.flush()?;
    let t_sh = t.elapsed().as_secs_f64();
    let cpu_sh = cpu.since(&clusters);
    assert_eq!(sh.store().counts()?, dc);
    drop(sh);
    println!(
        "### Corpus ingest ({} samples, {} functions, {} postings)\n",
        dc.samples, dc.functions, dc.postings
    );
    println!("| store | seconds | functions/s | cluster CPU seconds |\n|---|---:|---:|---|");
    println!(
        "| embedded `DiskStore` | {t_disk:.1} | {:.0} | – |",
        dc.functions as f64 / t_disk
    );
    println!(
        "| one PostgreSQL (`PgCodeStore`) | {t_pg:.1} | {:.0} | {cpu_pg} |",
        dc.functions as f64 / t_pg
    );
    println!(
        "| three shards (`ShardedCodeStore`) | {t_sh:.1} | {:.0} | {cpu_sh} |\n",
        dc.functions as f64 / t_sh
    );
    for u in &all_nodes {
        drop_schema(u)?;
    }

    // 2. the synthetic index
    let real: Vec<(u32, ascribe_code::FunctionSignature)> = signed
        .iter()
        .enumerate()
        .flat_map(|(i, (s, _))| s.functions.iter().map(move |f| (i as u32, f.clone())))
        .collect();
    let query = SignedSample {
        sha256: "query".into(),
        format: Format::Pe,
        arch: Arch::X64,
        functions_total: 2000,
        functions: real
            .iter()
            .step_by((real.len() / 2000).max(1))
            .take(2000)
            .map(|(_, f)| f.clone())
            .collect(),
        packed: false,
        limits_hit: vec![],
        imports: vec![],
        strings: Vec::new(),
        warnings: vec![],
    };
    let qkeys: Vec<u64> = query
        .functions
        .iter()
        .flat_map(|f| band_keys(&f.minhash))
        .collect();
    let opts = QueryOptions::default();
    init()?;
    println!("### Synthetic index: ingest, 2,000-function query, band look-ups\n");
    println!("| functions | ingest functions/s one PG / 3 shards | ingest CPU s per cluster (3 shards) | query p50 / p95 ms embedded | one PG | 3 shards | band look-ups/s embedded / one PG / 3 shards | query CPU s per cluster (3 shards, all reps) |\n|---:|---:|---|---:|---:|---:|---:|---|");
    let mut pgw = CodeIndex::new(PgCodeStore::open_in_schema(single, SCHEMA)?)?;
    let mut shw = CodeIndex::new(ShardedCodeStore::open_in_schema(coord, SCHEMA)?)?;
    let mut gen = Synthetic::new(&real);
    let mut added = 0usize;
    for (k, &size) in sizes.iter().enumerate() {
        let mut batch = Vec::new();
        while added < size {
            let (s, m) = gen.sample(size - added);
            added += s.functions.len();
            batch.push((s, m));
        }
        let nf: usize = batch.iter().map(|(s, _)| s.functions.len()).sum();
        let t = Instant::now();
        for (s, m) in &batch {
            pgw.add_signed(s, m)?;
        }
        pgw.flush()?;
        let r_pg = nf as f64 / t.elapsed().as_secs_f64();
        let cpu = Cpu::now(&clusters);
        let t = Instant::now();
        for (s, m) in &batch {
            shw.add_signed(s, m)?;
        }
        shw.flush()?;
        let r_sh = nf as f64 / t.elapsed().as_secs_f64();
        let cpu_ing = cpu.since(&clusters);
        drop(batch);
        vacuum(single, false)?;
        vacuum(coord, true)?;
        for u in &shards {
            vacuum(u, false)?;
        }
        // the embedded index, bulk-built to the same samples
        let dir = format!("{work}/scale-{size}");
        let _ = std::fs::remove_dir_all(&dir);
        let mut b = DiskStoreBuilder::create(&dir)?;
        let mut g2 = Synthetic::new(&real);
        let mut n = 0usize;
        let mut bounds = sizes[..=k].iter();
        let mut bound = *bounds.next().expect("a size");
        while n < size {
            if n >= bound {
                bound = *bounds.next().expect("a larger size");
                continue;
            }
            let (s, m) = g2.sample(bound - n);
            n += s.functions.len();
            let ins: Vec<FunctionInsert> = s
                .functions
                .iter()
                .map(|f| FunctionInsert {
                    band_keys: band_keys(&f.minhash),
                    signature: f.clone(),
                })
                .collect();
            b.add_sample(
                SampleRecord {
                    sha256: s.sha256.clone(),
                    family: m.family.clone(),
                    actor: None,
                    name: None,
                    format: Format::Pe,
                    arch: Arch::X64,
                    functions_total: ins.len() as u32,
                    functions_indexed: ins.len() as u32,
                    packed: false,
                    imports: Vec::new(),
                    strings: Vec::new(),
                    records_sha256: None,
                },
                &ins,
            )?;
        }
        let disk = CodeIndex::new(b.finish()?)?;
        let pgr = CodeIndex::new(PgCodeStore::open_in_schema_read_only(single, SCHEMA)?)?;
        let shr = CodeIndex::new(ShardedCodeStore::open_in_schema_read_only(
            coord, SCHEMA, false,
        )?)?;
        assert_eq!(shr.store().counts()?, disk.store().counts()?);
        assert_eq!(pgr.store().counts()?, disk.store().counts()?);
        let (mut ld, mut lp, mut ls) = (Vec::new(), Vec::new(), Vec::new());
        let mut t_sh = 0.0;
        let cpu = Cpu::now(&clusters);
        for _ in 0..reps {
            let t = Instant::now();
            let d = disk.match_samples(&query, &opts)?;
            ld.push(t.elapsed().as_secs_f64() * 1e3);
            let t = Instant::now();
            let p = pgr.match_samples(&query, &opts)?;
            lp.push(t.elapsed().as_secs_f64() * 1e3);
            let t = Instant::now();
            let s = shr.match_samples(&query, &opts)?;
            let e = t.elapsed().as_secs_f64();
            t_sh += e;
            ls.push(e * 1e3);
            assert_eq!(
                d, p,
                "the same answer from the embedded store and one PostgreSQL"
            );
            assert_eq!(
                d, s,
                "the same answer from the embedded store and the shards"
            );
        }
        let _ = t_sh;
        let cpu_q = cpu.since(&clusters);
        let (mut bd, mut bp, mut bs) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..reps.min(5) {
            let t = Instant::now();
            disk.store().lookup_bands(&qkeys, opts.max_postings)?;
            bd.push(qkeys.len() as f64 / t.elapsed().as_secs_f64());
            let t = Instant::now();
            pgr.store().lookup_bands(&qkeys, opts.max_postings)?;
            bp.push(qkeys.len() as f64 / t.elapsed().as_secs_f64());
            let t = Instant::now();
            shr.store().lookup_bands(&qkeys, opts.max_postings)?;
            bs.push(qkeys.len() as f64 / t.elapsed().as_secs_f64());
        }
        println!(
            "| {} | {r_pg:.0} / {r_sh:.0} | {cpu_ing} | {:.0} / {:.0} | {:.0} / {:.0} | {:.0} / {:.0} | {:.0} / {:.0} / {:.0} | {cpu_q} |",
            shr.store().counts()?.functions,
            pct(&mut ld, 50),
            pct(&mut ld, 95),
            pct(&mut lp, 50),
            pct(&mut lp, 95),
            pct(&mut ls, 50),
            pct(&mut ls, 95),
            pct(&mut bd, 50),
            pct(&mut bp, 50),
            pct(&mut bs, 50),
        );
        drop(disk);
        let _ = std::fs::remove_dir_all(&dir);
    }
    drop(pgw);
    drop(shw);
    if std::env::var("PG_SCALE_KEEP").as_deref() != Ok("1") {
        for u in &all_nodes {
            drop_schema(u)?;
        }
    }
    Ok(())
}

fn client(url: &str) -> Res<postgres::Client> {
    Ok(postgres::Client::connect(url, postgres::NoTls)?)
}

fn drop_schema(url: &str) -> Res<()> {
    client(url)?.batch_execute(&format!("DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))?;
    Ok(())
}

fn vacuum(url: &str, coordinator: bool) -> Res<()> {
    let mut c = client(url)?;
    let tables: &[&str] = if coordinator {
        &["code_sample"]
    } else {
        &["code_posting", "code_function", "code_sample"]
    };
    for t in tables {
        c.batch_execute(&format!("VACUUM ANALYZE {SCHEMA}.{t}"))?;
    }
    Ok(())
}
