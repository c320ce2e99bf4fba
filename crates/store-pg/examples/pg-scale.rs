//! bench/scale: the code index on the embedded store (`DiskStore`) and on
//! one PostgreSQL (`PgCodeStore`), in the same run.
//!
//! ```text
//! pg-scale URL SCHEMA CORPUS_DIR WORK_DIR SIZES [QUERY_REPS]
//! ```
//!
//! 1. Signs every file of `CORPUS_DIR/manifest.tsv` (family = project), then
//!    ingests the signed corpus through `CodeIndex::add_signed` into a new
//!    `DiskStore` (flush + compact) and into PostgreSQL (one transaction a
//!    sample, then `compact`): functions/s of the store writes (signing is
//!    the same for both and timed apart).
//! 2. Grows a synthetic index to each size in `SIZES` (comma-separated,
//!    ascending): copy c of the corpus signatures with every MinHash value
//!    re-hashed with c (same similarity structure, new families; copy 0 is
//!    the corpus), as `bench scale` of ascribe-code does. The embedded index
//!    is bulk-built (`DiskStoreBuilder`) per size; PostgreSQL grows by
//!    `add_signed` in batches of `PG_SCALE_BATCH` functions (default 250,000)
//!    a transaction, then `compact` and `VACUUM ANALYZE`.
//! 3. Per size: a 2,000-function query (functions taken evenly across the
//!    corpus, so it matches real samples) timed `QUERY_REPS` times on each
//!    store (p50/p95; the answers must be equal), PostgreSQL read through one
//!    connection and through `PG_SCALE_READERS` (default 2) at once
//!    (`PgCodeStore::add_readers`), and band look-ups/s (the query's 32,000
//!    band keys, `lookup_bands` with the query's cap).
//!
//! Prints Markdown tables; WORK_DIR and SCHEMA are removed at the end.

use ascribe_code::{
    band_keys, Arch, CodeIndex, CodeIndexStore, DiskStore, DiskStoreBuilder, Format, QueryOptions,
    SignedSample,
};
use ascribe_store_pg::PgCodeStore;
use std::time::Instant;

#[path = "common/synthetic.rs"]
mod synthetic;
use synthetic::{sign_corpus, Synthetic};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn pct(v: &mut [f64], p: usize) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v[((v.len() * p) / 100).min(v.len() - 1)]
}

fn main() -> Res<()> {
    let a: Vec<String> = std::env::args().skip(1).collect();
    if a.len() < 5 {
        return Err("usage: pg-scale URL SCHEMA CORPUS_DIR WORK_DIR SIZES [QUERY_REPS]".into());
    }
    let (url, schema, corpus, work) = (&a[0], &a[1], &a[2], &a[3]);
    let sizes: Vec<usize> = a[4]
        .split(',')
        .map(|s| s.parse::<f64>().map(|x| x as usize))
        .collect::<Result<_, _>>()?;
    let reps: usize = a.get(5).and_then(|x| x.parse().ok()).unwrap_or(15);
    std::fs::create_dir_all(work)?;
    drop_schema(url, schema)?;

    // 1. the corpus
    let t = Instant::now();
    let (listed, signed) = sign_corpus(corpus)?;
    let t_sign = t.elapsed().as_secs_f64();
    let n_funcs: usize = signed.iter().map(|(s, _)| s.functions.len()).sum();
    eprintln!(
        "signed {} of {} files, {n_funcs} functions, {t_sign:.1} s (2 threads)",
        signed.len(),
        listed
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
    let t = Instant::now();
    let mut pg = CodeIndex::new(PgCodeStore::open_in_schema(url, schema)?)?;
    for (s, m) in &signed {
        pg.add_signed(s, m)?;
    }
    pg.flush()?;
    let t_pg = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let (ck, cb, ca) = pg.store_mut().compact()?;
    let t_compact = t.elapsed().as_secs_f64();
    let pc = pg.store().counts()?;
    drop(pg);
    assert_eq!(dc, pc, "both stores hold the corpus");
    println!(
        "### Corpus ingest ({} files signed, {} samples, {} functions indexed, {} postings)\n",
        signed.len(),
        dc.samples,
        dc.functions,
        dc.postings
    );
    println!("| step | seconds | functions/s |\n|---|---:|---:|");
    println!(
        "| signing (extraction + signatures, 2 threads, both stores) | {t_sign:.1} | {:.0} |",
        n_funcs as f64 / t_sign
    );
    println!(
        "| embedded `DiskStore` (add_signed, flush, compact) | {t_disk:.1} | {:.0} |",
        dc.functions as f64 / t_disk
    );
    println!(
        "| PostgreSQL (add_signed, one transaction a sample) | {t_pg:.1} | {:.0} |",
        pc.functions as f64 / t_pg
    );
    println!(
        "| PostgreSQL compaction ({ck} keys, {cb} blocks → {ca}) | {t_compact:.1} | {:.0} (with the ingest) |\n",
        pc.functions as f64 / (t_pg + t_compact)
    );
    let _ = std::fs::remove_dir_all(&disk_dir);
    drop_schema(url, schema)?;

    // 2 + 3. the synthetic index
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
    let readers: usize = std::env::var("PG_SCALE_READERS")
        .ok()
        .and_then(|x| x.parse().ok())
        .unwrap_or(2);
    println!("### Synthetic index: 2,000-function query and band look-ups\n");
    println!("| functions | samples | postings | embedded build s | PostgreSQL ingest s (functions/s) | compaction s | VACUUM ANALYZE s | PostgreSQL size (posting blocks) | query p50 / p95 ms embedded | query p50 / p95 ms PostgreSQL | ratio p50 | query p50 / p95 ms PostgreSQL, {readers} connections | ratio p50 | band look-ups/s embedded | band look-ups/s PostgreSQL | band look-ups/s PostgreSQL, {readers} connections | candidate samples |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut pgw = CodeIndex::new(PgCodeStore::open_in_schema(url, schema)?)?;
    // bulk growth: one transaction (one COPY of functions, one of posting blocks) per batch
    let batch: usize = std::env::var("PG_SCALE_BATCH")
        .ok()
        .and_then(|x| x.parse().ok())
        .unwrap_or(250_000);
    pgw.store_mut().set_batch_functions(batch);
    let mut gen = Synthetic::new(&real);
    let mut pg_added = 0usize;
    let mut pg_secs = 0f64;
    for (k, &size) in sizes.iter().enumerate() {
        // PostgreSQL grows to `size`
        let before = pg_added;
        let t = Instant::now();
        while pg_added < size {
            let (s, m) = gen.sample(size - pg_added);
            pg_added += s.functions.len();
            pgw.add_signed(&s, &m)?;
        }
        pgw.flush()?;
        let t_ing = t.elapsed().as_secs_f64();
        pg_secs += t_ing;
        eprintln!("{size}: PostgreSQL ingest {t_ing:.0} s");
        let t = Instant::now();
        let (ck, cb, ca) = pgw.store_mut().compact()?;
        let t_compact = t.elapsed().as_secs_f64();
        eprintln!("{size}: compaction {t_compact:.0} s ({ck} keys, {cb} blocks → {ca})");
        let t = Instant::now();
        vacuum(url, schema)?;
        let t_vac = t.elapsed().as_secs_f64();
        let (bytes, blocks) = schema_bytes(url, schema)?;
        // the embedded index, bulk-built to the same samples
        let dir = format!("{work}/scale-{size}");
        let _ = std::fs::remove_dir_all(&dir);
        eprintln!(
            "{size}: VACUUM ANALYZE {t_vac:.0} s, {:.2} GB",
            bytes as f64 / 1e9
        );
        let t = Instant::now();
        let mut b = DiskStoreBuilder::create(&dir)?;
        // the same calls as PostgreSQL's growth, so the same samples
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
            synthetic::add_to_builder(&mut b, &s, &m)?;
        }
        let disk = CodeIndex::new(b.finish()?)?;
        let t_build = t.elapsed().as_secs_f64();
        let pgr = CodeIndex::new(PgCodeStore::open_in_schema_read_only(url, schema)?)?;
        // the same snapshot read through `readers` connections at once
        let mut st = PgCodeStore::open_in_schema_read_only(url, schema)?;
        st.add_readers(url, Some(schema), readers)?;
        let pgn = CodeIndex::new(st)?;
        let counts = pgr.store().counts()?;
        assert_eq!(
            counts,
            disk.store().counts()?,
            "both stores hold the same index"
        );
        let (mut ld, mut lp, mut ln) = (Vec::new(), Vec::new(), Vec::new());
        let mut cands = 0;
        for _ in 0..reps {
            let t = Instant::now();
            let d = disk.match_samples(&query, &opts)?;
            ld.push(t.elapsed().as_secs_f64() * 1e3);
            let t = Instant::now();
            let p = pgr.match_samples(&query, &opts)?;
            lp.push(t.elapsed().as_secs_f64() * 1e3);
            assert_eq!(d, p, "the same answer from both stores");
            let t = Instant::now();
            let p = pgn.match_samples(&query, &opts)?;
            ln.push(t.elapsed().as_secs_f64() * 1e3);
            assert_eq!(d, p, "the same answer with more readers");
            cands = d.len();
        }
        let (mut bd, mut bp, mut bn) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..reps.min(5) {
            let t = Instant::now();
            disk.store().lookup_bands(&qkeys, opts.max_postings)?;
            bd.push(qkeys.len() as f64 / t.elapsed().as_secs_f64());
            let t = Instant::now();
            pgr.store().lookup_bands(&qkeys, opts.max_postings)?;
            bp.push(qkeys.len() as f64 / t.elapsed().as_secs_f64());
            let t = Instant::now();
            pgn.store().lookup_bands(&qkeys, opts.max_postings)?;
            bn.push(qkeys.len() as f64 / t.elapsed().as_secs_f64());
        }
        let (d50, d95, p50, p95, n50, n95) = (
            pct(&mut ld, 50),
            pct(&mut ld, 95),
            pct(&mut lp, 50),
            pct(&mut lp, 95),
            pct(&mut ln, 50),
            pct(&mut ln, 95),
        );
        println!(
            "| {} | {} | {} | {t_build:.1} | {t_ing:.0} ({:.0}) | {t_compact:.0} | {t_vac:.0} | {:.2} GB ({blocks}) | {d50:.0} / {d95:.0} | {p50:.0} / {p95:.0} | {:.1}× | {n50:.0} / {n95:.0} | {:.1}× | {:.0} | {:.0} | {:.0} | {cands} |",
            counts.functions,
            counts.samples,
            counts.postings,
            (pg_added - before) as f64 / t_ing.max(1e-9),
            bytes as f64 / 1e9,
            p50 / d50,
            n50 / d50,
            pct(&mut bd, 50),
            pct(&mut bp, 50),
            pct(&mut bn, 50),
        );
        drop(disk);
        let _ = std::fs::remove_dir_all(&dir);
    }
    eprintln!("PostgreSQL synthetic ingest: {pg_added} functions in {pg_secs:.0} s");
    drop(pgw);
    if std::env::var("PG_SCALE_KEEP").as_deref() != Ok("1") {
        drop_schema(url, schema)?;
    }
    Ok(())
}

fn client(url: &str) -> Res<postgres::Client> {
    Ok(postgres::Client::connect(url, postgres::NoTls)?)
}

fn drop_schema(url: &str, schema: &str) -> Res<()> {
    client(url)?.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))?;
    Ok(())
}

fn vacuum(url: &str, schema: &str) -> Res<()> {
    let mut c = client(url)?;
    for t in ["code_posting", "code_function", "code_sample"] {
        c.batch_execute(&format!("VACUUM ANALYZE {schema}.{t}"))?;
    }
    Ok(())
}

fn schema_bytes(url: &str, schema: &str) -> Res<(i64, i64)> {
    let mut c = client(url)?;
    let r = c.query_one(
        "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'",
        &[&schema],
    )?;
    let b = c.query_one(&format!("SELECT count(*) FROM {schema}.code_posting"), &[])?;
    Ok((r.get(0), b.get(0)))
}
