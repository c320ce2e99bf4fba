//! bench/scale/shards.sh --code: the code index on the embedded store
//! (`DiskStore`), on one PostgreSQL (`PgCodeStore`) and sharded over three
//! (`ShardedCodeStore`: a coordinator and three shards), in one run.
//!
//! ```text
//! shard-code-scale SINGLE_URL COORD_URL SHARD_URL,… CORPUS_DIR WORK_DIR EMBEDDED_DIR SIZE [QUERY_REPS]
//! ```
//!
//! 1. Signs the files of `CORPUS_DIR/manifest.tsv` (`PG_SCALE_FILES` caps
//!    how many; family = project) once, and builds the embedded index of the
//!    corpus (`add_signed` per sample, flush, compact) in `WORK_DIR`, and the
//!    synthetic index of `SIZE` functions (copies of the corpus signatures,
//!    MinHash re-hashed per copy, as `pg-scale`) bulk-built in
//!    `EMBEDDED_DIR`, kept for the queries of both PostgreSQL layouts.
//! 2. Then each PostgreSQL layout in turn, one PostgreSQL then three shards:
//!    before it, `LAYOUT_HOOK` (a shell command) is run with the layout's
//!    name (`single`, `sharded`): the benchmark script sizes and restarts
//!    the clusters there. Corpus ingest one transaction a sample, then in
//!    batches (`set_batch_functions(PG_SCALE_BATCH)`, default 250,000
//!    functions), each followed by the compaction `index add` runs (single
//!    database; a shard's blocks are never compacted); the synthetic index
//!    grown to `SIZE` in batches, compacted (single), `VACUUM ANALYZE`d;
//!    then a 2,000-function query `QUERY_REPS` times, alternating with the
//!    embedded store (p50/p95; every answer must equal the embedded one), on
//!    one PostgreSQL with one connection and with `PG_SCALE_READERS`
//!    (default 2, `add_readers`), and band look-ups/s. Each layout's data is
//!    dropped once it is measured (the disk holds one layout at a time).
//!
//! CPU seconds of each cluster (`CLUSTERS`: Debian cluster names, read from
//! `/proc`, needs root) and of this process (the client: extraction of
//! rows, `COPY` encoding) are measured around every step. Prints Markdown
//! tables on stdout as the steps finish, progress on stderr.

use ascribe_code::{
    band_keys, Arch, CodeIndex, CodeIndexStore, DiskStore, DiskStoreBuilder, Format, QueryOptions,
    SampleMeta, SignedSample,
};
use ascribe_store_pg::shard::{NodeSpec, ShardedStore};
use ascribe_store_pg::{PgCodeStore, ShardedCodeStore};
use std::io::Write;
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

/// utime + stime (+ the reaped children's when `with_children`) of a process, in ticks.
fn proc_ticks(pid: &str, with_children: bool) -> f64 {
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
}

const TCK: f64 = 100.0; // CLK_TCK on Linux

/// CPU seconds (user + system) of a Debian cluster: its postmaster, the
/// children it reaped and the live ones.
fn cluster_cpu(name: &str) -> f64 {
    let Ok(pidfile) =
        std::fs::read_to_string(format!("/var/lib/postgresql/15/{name}/postmaster.pid"))
    else {
        return 0.0;
    };
    let pid = pidfile.lines().next().unwrap_or("").trim().to_string();
    let mut t = proc_ticks(&pid, true);
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
                    t += proc_ticks(&p, false);
                }
            }
        }
    }
    t / TCK
}

/// CPU seconds of the clusters and of this process at one moment.
#[derive(Clone)]
struct Cpu {
    clusters: Vec<(String, f64)>,
    client: f64,
}

impl Cpu {
    fn now(names: &[String]) -> Cpu {
        Cpu {
            clusters: names.iter().map(|n| (n.clone(), cluster_cpu(n))).collect(),
            client: proc_ticks("self", false) / TCK,
        }
    }
    /// Seconds spent since `self`, per cluster, and by this process.
    fn delta(&self, names: &[String]) -> Spent {
        let now = Cpu::now(names);
        Spent {
            clusters: self
                .clusters
                .iter()
                .zip(&now.clusters)
                .map(|((n, a), (_, b))| (n.clone(), b - a))
                .collect(),
            client: now.client - self.client,
        }
    }
}

/// CPU seconds spent during a step.
#[derive(Clone, Default)]
struct Spent {
    clusters: Vec<(String, f64)>,
    client: f64,
}

impl Spent {
    fn add(&mut self, o: &Spent) {
        if self.clusters.is_empty() {
            self.clusters = o.clusters.iter().map(|(n, _)| (n.clone(), 0.0)).collect();
        }
        for ((_, a), (_, b)) in self.clusters.iter_mut().zip(&o.clusters) {
            *a += b;
        }
        self.client += o.client;
    }
    /// The clusters that did work (≥ 0.05 s), e.g. `shard1 12.3, shard2 11.9`.
    fn text(&self) -> String {
        let v: Vec<String> = self
            .clusters
            .iter()
            .filter(|(_, s)| *s >= 0.05)
            .map(|(n, s)| format!("{n} {s:.1}"))
            .collect();
        if v.is_empty() {
            "–".into()
        } else {
            v.join(", ")
        }
    }
    fn total(&self) -> f64 {
        self.clusters.iter().map(|x| x.1).sum()
    }
}

fn say(s: &str) {
    println!("{s}");
    let _ = std::io::stdout().flush();
}

fn progress(s: &str) {
    let t = std::process::Command::new("date")
        .arg("+%H:%M:%S")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    eprintln!("[{t}] {s}");
}

/// The two PostgreSQL layouts.
#[derive(Clone, Copy, PartialEq)]
enum Layout {
    Single,
    Sharded,
}

impl Layout {
    fn name(self) -> &'static str {
        match self {
            Layout::Single => "one PostgreSQL",
            Layout::Sharded => "three shards",
        }
    }
}

struct Nodes {
    single: String,
    coord: String,
    shards: Vec<String>,
}

impl Nodes {
    fn all(&self) -> Vec<&String> {
        std::iter::once(&self.single)
            .chain(std::iter::once(&self.coord))
            .chain(&self.shards)
            .collect()
    }
    fn drop_all(&self) -> Res<()> {
        for u in self.all() {
            drop_schema(u)?;
        }
        Ok(())
    }
    /// A fresh, empty code index of `layout`.
    fn fresh(&self, layout: Layout) -> Res<()> {
        self.drop_all()?;
        if layout == Layout::Sharded {
            let specs: Vec<NodeSpec> = self
                .shards
                .iter()
                .map(|u| NodeSpec {
                    url: u.clone(),
                    schema: Some(SCHEMA.into()),
                })
                .collect();
            drop(ShardedStore::init(&self.coord, Some(SCHEMA), &specs)?);
        }
        Ok(())
    }
}

/// A writer of either layout.
enum Writer {
    Single(CodeIndex<PgCodeStore>),
    Sharded(CodeIndex<ShardedCodeStore>),
}

impl Writer {
    fn open(n: &Nodes, layout: Layout, batch: usize) -> Res<Writer> {
        Ok(match layout {
            Layout::Single => {
                let mut s = PgCodeStore::open_in_schema(&n.single, SCHEMA)?;
                s.set_batch_functions(batch);
                Writer::Single(CodeIndex::new(s)?)
            }
            Layout::Sharded => {
                let mut s = ShardedCodeStore::open_in_schema(&n.coord, SCHEMA)?;
                s.set_batch_functions(batch);
                Writer::Sharded(CodeIndex::new(s)?)
            }
        })
    }
    fn add(&mut self, s: &SignedSample, m: &SampleMeta) -> Res<()> {
        match self {
            Writer::Single(w) => w.add_signed(s, m)?,
            Writer::Sharded(w) => w.add_signed(s, m)?,
        };
        Ok(())
    }
    fn flush(&mut self) -> Res<()> {
        match self {
            Writer::Single(w) => w.flush()?,
            Writer::Sharded(w) => w.flush()?,
        }
        Ok(())
    }
    fn counts(&self) -> Res<ascribe_code::StoreCounts> {
        Ok(match self {
            Writer::Single(w) => w.store().counts()?,
            Writer::Sharded(w) => w.store().counts()?,
        })
    }
    /// The compaction `index add` runs after adding (none on shards): seconds.
    fn compact(&mut self) -> Res<f64> {
        let t = Instant::now();
        if let Writer::Single(w) = self {
            w.store_mut().compact()?;
        }
        Ok(t.elapsed().as_secs_f64())
    }
}

/// A read-only store of either layout.
enum Reader {
    Single(CodeIndex<PgCodeStore>),
    Sharded(CodeIndex<ShardedCodeStore>),
}

impl Reader {
    fn query(
        &self,
        q: &SignedSample,
        o: &QueryOptions,
    ) -> Res<Vec<(ascribe_code::SampleMatch, Vec<ascribe_code::FunctionPair>)>> {
        Ok(match self {
            Reader::Single(r) => r.match_samples(q, o)?,
            Reader::Sharded(r) => r.match_samples(q, o)?,
        })
    }
    /// Looks the keys up; per shard (the one database: itself) its keys and seconds.
    fn lookup(&self, keys: &[u64], limit: usize) -> Res<Vec<(String, usize, f64)>> {
        Ok(match self {
            Reader::Single(r) => {
                let t = Instant::now();
                r.store().lookup_bands(keys, limit)?;
                let secs = t.elapsed().as_secs_f64();
                let distinct: std::collections::HashSet<&u64> = keys.iter().collect();
                vec![("shard1".into(), distinct.len(), secs)]
            }
            Reader::Sharded(r) => {
                let (_, per) = r.store().lookup_bands_timed(keys, limit)?;
                per.into_iter()
                    .enumerate()
                    .map(|(i, (_, k, s))| (format!("shard{}", i + 1), k, s))
                    .collect()
            }
        })
    }
}

fn main() -> Res<()> {
    let a: Vec<String> = std::env::args().skip(1).collect();
    if a.len() < 7 {
        return Err("usage: shard-code-scale SINGLE_URL COORD_URL SHARD_URL,… CORPUS_DIR WORK_DIR EMBEDDED_DIR SIZE [QUERY_REPS]".into());
    }
    let nodes = Nodes {
        single: a[0].clone(),
        coord: a[1].clone(),
        shards: a[2].split(',').map(|s| s.to_string()).collect(),
    };
    let (corpus, work, emb_dir) = (&a[3], &a[4], &a[5]);
    let size = a[6].parse::<f64>().map(|x| x as usize)?;
    let reps: usize = a.get(7).and_then(|x| x.parse().ok()).unwrap_or(15);
    let env_num = |k: &str, d: usize| -> usize {
        std::env::var(k)
            .ok()
            .and_then(|x| x.parse().ok())
            .unwrap_or(d)
    };
    let batch = env_num("PG_SCALE_BATCH", 250_000);
    let readers = env_num("PG_SCALE_READERS", 2);
    let clusters: Vec<String> = std::env::var("CLUSTERS")
        .unwrap_or_else(|_| "coord,shard1,shard2,shard3".into())
        .split(',')
        .map(|s| s.to_string())
        .collect();
    let hook = std::env::var("LAYOUT_HOOK").ok();
    std::fs::create_dir_all(work)?;
    nodes.drop_all()?;

    // 1. the corpus, signed once; the embedded stores
    progress("signing the corpus");
    let t = Instant::now();
    let (listed, signed) = sign_corpus(corpus)?;
    let t_sign = t.elapsed().as_secs_f64();
    let n_signed: usize = signed.iter().map(|(s, _)| s.functions.len()).sum();
    progress(&format!(
        "signed {} of {listed} files ({n_signed} functions) in {t_sign:.1} s (2 threads)",
        signed.len()
    ));
    let disk_dir = format!("{work}/corpus.code");
    let _ = std::fs::remove_dir_all(&disk_dir);
    let cpu = Cpu::now(&clusters);
    let t = Instant::now();
    let mut disk = CodeIndex::new(DiskStore::open(&disk_dir)?)?;
    for (s, m) in &signed {
        disk.add_signed(s, m)?;
    }
    disk.flush()?;
    disk.store_mut().compact()?;
    let t_disk = t.elapsed().as_secs_f64();
    let cpu_disk = cpu.delta(&clusters);
    let dc = disk.store().counts()?;
    drop(disk);
    let _ = std::fs::remove_dir_all(&disk_dir);
    say(&format!(
        "### Corpus ingest ({} samples, {} functions, {} postings; signing {t_sign:.1} s on 2 threads, timed apart)\n",
        dc.samples, dc.functions, dc.postings
    ));
    say("| layout | writes | seconds | functions/s | compaction s | functions/s with compaction | cluster CPU s | client CPU s | cluster CPU µs a function |\n|---|---|---:|---:|---:|---:|---|---:|---:|");
    say(&format!(
        "| embedded `DiskStore` | add_signed, flush, compact | {t_disk:.1} | {:.0} | (in) | {:.0} | – | {:.1} | – |",
        dc.functions as f64 / t_disk,
        dc.functions as f64 / t_disk,
        cpu_disk.client
    ));

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
        exports: Vec::new(),
        warnings: vec![],
    };
    let qkeys: Vec<u64> = query
        .functions
        .iter()
        .flat_map(|f| band_keys(&f.minhash))
        .collect();
    let opts = QueryOptions::default();

    // the synthetic index, bulk-built embedded (kept for both layouts' queries)
    progress(&format!(
        "building the embedded synthetic index of {size} functions"
    ));
    let _ = std::fs::remove_dir_all(emb_dir);
    let cpu = Cpu::now(&clusters);
    let t = Instant::now();
    let mut b = DiskStoreBuilder::create(emb_dir)?;
    let mut g = Synthetic::new(&real);
    let mut n = 0usize;
    while n < size {
        let (s, m) = g.sample(size - n);
        n += s.functions.len();
        synthetic::add_to_builder(&mut b, &s, &m)?;
    }
    let disk = CodeIndex::new(b.finish()?)?;
    let t_build = t.elapsed().as_secs_f64();
    let cpu_build = cpu.delta(&clusters);
    let sc = disk.store().counts()?;
    progress(&format!(
        "embedded: {} samples, {} functions, {} postings in {t_build:.0} s",
        sc.samples, sc.functions, sc.postings
    ));
    // embedded queries alone once, to warm its pages as PostgreSQL's are warmed by the ingest
    let want = disk.match_samples(&query, &opts)?;

    let mut ingest_rows = Vec::new();
    let mut query_rows = Vec::new();
    ingest_rows.push(format!(
        "| embedded `DiskStore` | bulk-built (`DiskStoreBuilder`) | {} | {t_build:.0} ({:.0}) | – | – | {:.2} GB | – | {:.1} | – |",
        sc.functions,
        sc.functions as f64 / t_build,
        dir_bytes(emb_dir) as f64 / 1e9,
        cpu_build.client,
    ));
    let mut emb_lat_all: Vec<f64> = Vec::new();
    let mut emb_look_all: Vec<f64> = Vec::new();

    for layout in [Layout::Single, Layout::Sharded] {
        if let Some(h) = &hook {
            let which = match layout {
                Layout::Single => "single",
                Layout::Sharded => "sharded",
            };
            progress(&format!("LAYOUT_HOOK {which}"));
            let st = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("{h} {which} 1>&2"))
                .status()?;
            if !st.success() {
                return Err(format!("LAYOUT_HOOK {which} failed: {st}").into());
            }
        }
        // corpus: one transaction a sample, then batches
        for (mode, b) in [("one transaction a sample", 0), ("batches", batch)] {
            nodes.fresh(layout)?;
            progress(&format!("{}: corpus, {mode}", layout.name()));
            let cpu = Cpu::now(&clusters);
            let t = Instant::now();
            let mut w = Writer::open(&nodes, layout, b)?;
            for (s, m) in &signed {
                w.add(s, m)?;
            }
            w.flush()?;
            let t_w = t.elapsed().as_secs_f64();
            let t_c = w.compact()?;
            let spent = cpu.delta(&clusters);
            assert_eq!(w.counts()?, dc, "the same corpus index as embedded");
            drop(w);
            let mode_text = if b > 0 {
                format!("{mode} of {b} functions")
            } else {
                mode.to_string()
            };
            say(&format!(
                "| {} | {mode_text} | {t_w:.1} | {:.0} | {} | {:.0} | {} | {:.1} | {:.0} |",
                layout.name(),
                dc.functions as f64 / t_w,
                if layout == Layout::Single {
                    format!("{t_c:.1}")
                } else {
                    "– (never)".into()
                },
                dc.functions as f64 / (t_w + t_c),
                spent.text(),
                spent.client,
                spent.total() * 1e6 / dc.functions as f64,
            ));
        }

        // the synthetic index, grown in batches
        nodes.fresh(layout)?;
        progress(&format!("{}: synthetic ingest", layout.name()));
        let mut w = Writer::open(&nodes, layout, batch)?;
        let mut g = Synthetic::new(&real);
        let mut n = 0usize;
        let mut t_ing = 0f64;
        let mut spent = Spent::default();
        while n < size {
            let mut chunk = Vec::new();
            let mut k = 0;
            while n < size && k < batch {
                let (s, m) = g.sample(size - n);
                n += s.functions.len();
                k += s.functions.len();
                chunk.push((s, m));
            }
            let cpu = Cpu::now(&clusters);
            let t = Instant::now();
            for (s, m) in &chunk {
                w.add(s, m)?;
            }
            if n >= size {
                w.flush()?;
            }
            t_ing += t.elapsed().as_secs_f64();
            spent.add(&cpu.delta(&clusters));
            if (n / batch) % 8 == 0 {
                progress(&format!(
                    "{}: {n} functions, {:.0}/s",
                    layout.name(),
                    n as f64 / t_ing
                ));
            }
        }
        let cpu = Cpu::now(&clusters);
        let t_c = w.compact()?;
        let spent_c = cpu.delta(&clusters);
        assert_eq!(w.counts()?, sc, "the same synthetic index as embedded");
        drop(w);
        let t = Instant::now();
        match layout {
            Layout::Single => vacuum(&nodes.single)?,
            Layout::Sharded => {
                vacuum_coord(&nodes.coord)?;
                std::thread::scope(|s| -> Res<()> {
                    let hs: Vec<_> = nodes
                        .shards
                        .iter()
                        .map(|u| s.spawn(move || vacuum(u).map_err(|e| e.to_string())))
                        .collect();
                    for h in hs {
                        h.join().map_err(|_| "vacuum panicked")??;
                    }
                    Ok(())
                })?;
            }
        }
        let t_vac = t.elapsed().as_secs_f64();
        let sizes: Vec<(String, i64, i64)> = match layout {
            Layout::Single => vec![(
                "one".into(),
                schema_bytes(&nodes.single)?.0,
                schema_bytes(&nodes.single)?.1,
            )],
            Layout::Sharded => nodes
                .shards
                .iter()
                .enumerate()
                .map(|(i, u)| schema_bytes(u).map(|(b, k)| (format!("shard{}", i + 1), b, k)))
                .collect::<Res<_>>()?,
        };
        let total: i64 = sizes.iter().map(|x| x.1).sum();
        let blocks: i64 = sizes.iter().map(|x| x.2).sum();
        ingest_rows.push(format!(
            "| {} | batches of {batch} functions | {} | {t_ing:.0} ({:.0}) | {} | {t_vac:.0} | {:.2} GB{} ({blocks} blocks) | {} | {:.1} | {:.0} |",
            layout.name(),
            sc.functions,
            sc.functions as f64 / t_ing,
            if layout == Layout::Single {
                format!("{t_c:.0} (CPU: {})", spent_c.text())
            } else {
                "– (never)".into()
            },
            total as f64 / 1e9,
            if sizes.len() > 1 {
                format!(
                    " ({})",
                    sizes
                        .iter()
                        .map(|(n, b, _)| format!("{n} {:.2}", *b as f64 / 1e9))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            } else {
                String::new()
            },
            spent.text(),
            spent.client,
            spent.total() * 1e6 / sc.functions as f64,
        ));
        eprintln!("{}", ingest_rows.last().expect("a row"));

        // queries, alternating with the embedded store
        progress(&format!("{}: queries", layout.name()));
        let mut stores: Vec<(String, Reader)> = Vec::new();
        match layout {
            Layout::Single => {
                let one = PgCodeStore::open_in_schema_read_only(&nodes.single, SCHEMA)?;
                stores.push((
                    "one PostgreSQL, 1 connection".into(),
                    Reader::Single(CodeIndex::new(one)?),
                ));
                if readers > 1 {
                    let mut st = PgCodeStore::open_in_schema_read_only(&nodes.single, SCHEMA)?;
                    st.add_readers(&nodes.single, Some(SCHEMA), readers)?;
                    stores.push((
                        format!("one PostgreSQL, {readers} connections (`add_readers`)"),
                        Reader::Single(CodeIndex::new(st)?),
                    ));
                }
            }
            Layout::Sharded => {
                let st = ShardedCodeStore::open_in_schema_read_only(&nodes.coord, SCHEMA, false)?;
                stores.push((
                    "three shards (1 connection a shard, all at once)".into(),
                    Reader::Sharded(CodeIndex::new(st)?),
                ));
            }
        }
        let mut ld = Vec::new();
        let mut lat: Vec<Vec<f64>> = vec![Vec::new(); stores.len()];
        let mut qcpu: Vec<Spent> = vec![Spent::default(); stores.len()];
        for _ in 0..reps {
            let t = Instant::now();
            let d = disk.match_samples(&query, &opts)?;
            ld.push(t.elapsed().as_secs_f64() * 1e3);
            assert_eq!(d, want);
            for (i, (_, s)) in stores.iter().enumerate() {
                let cpu = Cpu::now(&clusters);
                let t = Instant::now();
                let p = s.query(&query, &opts)?;
                lat[i].push(t.elapsed().as_secs_f64() * 1e3);
                qcpu[i].add(&cpu.delta(&clusters));
                assert_eq!(p, want, "the same answer as the embedded store");
            }
        }
        let mut bd = Vec::new();
        let mut bl: Vec<Vec<f64>> = vec![Vec::new(); stores.len()];
        // per store, per shard: its distinct keys and its look-ups/s (its keys / its time)
        let mut shard_rates: Vec<std::collections::BTreeMap<String, (usize, Vec<f64>)>> =
            vec![Default::default(); stores.len()];
        for _ in 0..reps.min(5) {
            let t = Instant::now();
            disk.store().lookup_bands(&qkeys, opts.max_postings)?;
            bd.push(qkeys.len() as f64 / t.elapsed().as_secs_f64());
            for (i, (_, s)) in stores.iter().enumerate() {
                let t = Instant::now();
                let per = s.lookup(&qkeys, opts.max_postings)?;
                bl[i].push(qkeys.len() as f64 / t.elapsed().as_secs_f64());
                for (name, k, secs) in per {
                    let e = shard_rates[i].entry(name).or_insert((k, Vec::new()));
                    e.1.push(k as f64 / secs.max(1e-9));
                }
            }
        }
        let (d50, d95) = (pct(&mut ld, 50), pct(&mut ld, 95));
        let b50 = pct(&mut bd, 50);
        emb_lat_all.extend(&ld);
        emb_look_all.extend(&bd);
        query_rows.push(format!(
            "| embedded (alternating with {}) | {d50:.0} / {d95:.0} | 1 | {b50:.0} | – | – | – |",
            layout.name()
        ));
        for (i, (name, _)) in stores.iter().enumerate() {
            let (p50, p95) = (pct(&mut lat[i], 50), pct(&mut lat[i], 95));
            let per = |s: &Spent| -> String {
                let v: Vec<String> = s
                    .clusters
                    .iter()
                    .filter(|(_, x)| *x >= 0.005 * reps as f64)
                    .map(|(n, x)| format!("{n} {:.2}", x / reps as f64))
                    .collect();
                if v.is_empty() {
                    "–".into()
                } else {
                    v.join(", ")
                }
            };
            query_rows.push(format!(
                "| {name} | {p50:.0} / {p95:.0} | **{:.1}×** ({:.1}× at p95) | {:.0} | {} | {} | {:.2} |",
                p50 / d50,
                p95 / d95,
                pct(&mut bl[i], 50),
                shard_rates[i]
                    .iter_mut()
                    .map(|(n, (k, v))| format!("{n} {:.0} ({k} keys)", pct(v, 50)))
                    .collect::<Vec<_>>()
                    .join(", "),
                per(&qcpu[i]),
                qcpu[i].client / reps as f64,
            ));
            eprintln!("{}", query_rows.last().expect("a row"));
        }
        drop(stores);
        nodes.drop_all()?;
        progress(&format!("{}: done, data dropped", layout.name()));
    }
    drop(disk);
    let _ = std::fs::remove_dir_all(emb_dir);

    say(&format!(
        "\n### Synthetic index ({} samples, {} functions, {} postings)\n",
        sc.samples, sc.functions, sc.postings
    ));
    say("| layout | writes | functions | ingest s (functions/s) | compaction s (cluster CPU s) | VACUUM ANALYZE s | size | ingest cluster CPU s | ingest client CPU s | ingest cluster CPU µs a function |\n|---|---|---:|---:|---:|---:|---|---|---:|---:|");
    for r in &ingest_rows {
        say(r);
    }
    say(&format!(
        "\n### 2,000-function query ({reps} runs, 32,000 band keys) and band look-ups (capped at {} ids a key)\n",
        opts.max_postings
    ));
    say("| store | query p50 / p95 ms | p50 ratio to embedded (same rounds) | band look-ups/s | band look-ups/s per shard (its distinct keys / its statement's time) | cluster CPU s a query | client CPU s a query |\n|---|---:|---:|---:|---|---|---:|");
    for r in &query_rows {
        say(r);
    }
    Ok(())
}

fn dir_bytes(dir: &str) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn client(url: &str) -> Res<postgres::Client> {
    Ok(postgres::Client::connect(url, postgres::NoTls)?)
}

fn drop_schema(url: &str) -> Res<()> {
    client(url)?.batch_execute(&format!("DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))?;
    Ok(())
}

fn vacuum(url: &str) -> Res<()> {
    let mut c = client(url)?;
    for t in ["code_posting", "code_function", "code_sample"] {
        c.batch_execute(&format!("VACUUM ANALYZE {SCHEMA}.{t}"))?;
    }
    Ok(())
}

fn vacuum_coord(url: &str) -> Res<()> {
    client(url)?.batch_execute(&format!("VACUUM ANALYZE {SCHEMA}.code_sample"))?;
    Ok(())
}

/// Bytes of the schema's tables (with their indexes) on one node, and its posting blocks.
fn schema_bytes(url: &str) -> Res<(i64, i64)> {
    let mut c = client(url)?;
    let r = c.query_one(
        "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'",
        &[&SCHEMA],
    )?;
    let b = c.query_one(&format!("SELECT count(*) FROM {SCHEMA}.code_posting"), &[])?;
    Ok((r.get(0), b.get(0)))
}
