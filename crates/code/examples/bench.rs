//! Corpus benchmark for ascribe-code (see bench/code/run.sh and BENCHMARKS.md (section "Code reuse")).
//!
//! ```text
//! bench quality CORPUS_DIR OUT_DIR [--ngram N] [--min-sim X] [--sweep] [--limit N]
//!                                  [--string-weight W] [--old-duplicate-rule]
//! bench scale OUT_DIR SIZES   (e.g. 100000,1000000,10000000; needs OUT_DIR/sigs.bin from quality)
//! ```
//!
//! `quality` extracts and signs every PE file of the corpus (single thread, timed), indexes them
//! by project, and for every PE file finds the best match among files of *other* versions (its
//! own project+version excluded from the index view), next to TLSH, ssdeep, imphash-like and
//! import-set Jaccard nearest neighbours computed on the same files. A file that several
//! project+versions ship byte-identical is one answer with several labels: right when any
//! holder outside the query's project+version is of the query's project, for every method
//! (`--old-duplicate-rule`: ascribe-code never answers with it and the first holder's label
//! counts, the rule before 2026-11-29 night).
#![allow(clippy::type_complexity, clippy::needless_range_loop)]
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, Write};
use std::time::Instant;

use ascribe_code::{
    band_keys, extract, jaccard, sha256_hex, sign_function, Arch, CodeIndex, DiskStoreBuilder,
    ExtractConfig, Format, FunctionInsert, FunctionSignature, MemoryStore, QueryOptions,
    SampleMeta, SampleRecord, SignatureConfig, SignedSample, MINHASH_K,
};

struct Row {
    sha: String,
    project: String,
    version: String,
    component: String,
    name_key: String,
    rel: String,
    set: String,
    size: u64,
    /// Queried (win64/win32); other PE files (the opt-in `deb` set) are distractors in the pool.
    query: bool,
}

struct Baseline {
    tlsh: Option<tlsh2::TlshDefault>,
    ssdeep: String,
    imports: Vec<u64>,
    imphash: Option<u64>,
}

fn read_manifest(corpus: &str) -> Vec<Row> {
    let f = std::fs::File::open(format!("{corpus}/manifest.tsv")).expect("manifest.tsv");
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line.expect("line");
        if i == 0 {
            continue;
        }
        let c: Vec<&str> = line.split('\t').collect();
        out.push(Row {
            sha: c[0].into(),
            project: c[1].into(),
            version: c[2].into(),
            set: c[6].into(),
            component: c[10].into(),
            name_key: c[11].into(),
            rel: c[12].into(),
            size: c[4].parse().unwrap_or(0),
            query: c[6] == "win64" || c[6] == "win32",
        });
        if c[5] != "pe" {
            out.pop();
        }
    }
    out
}

fn h(s: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut x = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut x);
    x.finish()
}

fn baseline(data: &[u8]) -> Baseline {
    let tlsh = tlsh2::TlshDefaultBuilder::build_from(data);
    let ssdeep = fuzzyhash::FuzzyHash::new(data).to_string();
    let mut imports = Vec::new();
    let mut ordered = Vec::new();
    // The same reader as the index (ascribe-binary, pefile's rules), so that the baseline is
    // not hurt by import tables `object` rejects (delvewheel-patched DLLs).
    let mut notes = Vec::new();
    if let Ok(t) = ascribe_binary::pe::import_tables(data, &mut notes) {
        for d in &t.imports {
            let mut lib = d.dll.to_ascii_lowercase();
            if lib.starts_with("python3") && lib.ends_with(".dll") {
                lib = "python3xx.dll".into();
            }
            let lib = lib.trim_end_matches(".dll").to_string();
            for f in &d.slots {
                let item = format!("{lib}.{}", f.name.to_ascii_lowercase());
                ordered.push(item.clone());
                imports.push(h(item.as_bytes()));
            }
        }
    }
    let imphash = (!ordered.is_empty()).then(|| h(ordered.join(",").as_bytes()));
    imports.sort_unstable();
    imports.dedup();
    Baseline {
        tlsh,
        ssdeep,
        imports,
        imphash,
    }
}

/// True when `v` beats the current best score (or there is none yet).
fn better(cur: Option<(usize, f64)>, v: f64) -> bool {
    match cur {
        Some((_, best)) => v > best,
        None => true,
    }
}

/// Result of one nearest-neighbour query: matched row index and a score (higher is better).
type Nn = Option<(usize, f64)>;

struct Eval {
    name: String,
    nn: Vec<Nn>,
}

fn summarize(rows: &[Row], evals: &[Eval], out: &mut String) {
    let subsets: [(&str, Box<dyn Fn(&Row) -> bool>); 3] = [
        ("all PE queries", Box::new(|_| true)),
        (
            "own code (component = own)",
            Box::new(|r| r.component == "own"),
        ),
        ("bundled third-party", Box::new(|r| r.component != "own")),
    ];
    for (label, pred) in &subsets {
        let idx: Vec<usize> = (0..rows.len())
            .filter(|&i| rows[i].query && pred(&rows[i]))
            .collect();
        let n = idx.len() as f64;
        out.push_str(&format!("\n#### {label}: {} queries\n\n| method | project top-1 | sibling top-1 | answered |\n|---|---:|---:|---:|\n", idx.len()));
        for e in evals {
            let (mut ok, mut sib, mut ans) = (0, 0, 0);
            for &i in &idx {
                if let Some((j, _)) = e.nn[i] {
                    ans += 1;
                    if rows[j].project == rows[i].project {
                        ok += 1;
                        if rows[j].name_key == rows[i].name_key {
                            sib += 1;
                        }
                    }
                }
            }
            out.push_str(&format!(
                "| {} | {:.1}% | {:.1}% | {:.1}% |\n",
                e.name,
                100.0 * ok as f64 / n,
                100.0 * sib as f64 / n,
                100.0 * ans as f64 / n
            ));
        }
    }
}

/// Precision/recall of "same family" for the top-1 answer at score thresholds.
fn curve(rows: &[Row], nn: &[Nn], thresholds: &[f64], own_only: bool) -> (String, Option<f64>) {
    let idx: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].query && (!own_only || rows[i].component == "own"))
        .collect();
    let n = idx.len() as f64;
    let mut s =
        String::from("| threshold | answered | precision | recall |\n|---:|---:|---:|---:|\n");
    let mut best = None;
    for &t in thresholds {
        let (mut ans, mut ok) = (0usize, 0usize);
        for &i in &idx {
            if let Some((j, sc)) = nn[i] {
                if sc >= t {
                    ans += 1;
                    ok += usize::from(rows[j].project == rows[i].project);
                }
            }
        }
        let p = if ans > 0 { ok as f64 / ans as f64 } else { 1.0 };
        if p >= 0.99 && best.is_none() {
            best = Some(t);
        }
        s.push_str(&format!(
            "| {t:.3} | {ans} | {:.4} | {:.4} |\n",
            p,
            ok as f64 / n
        ));
    }
    (s, best)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("quality") => quality(&args[1..]),
        Some("scale") => scale(&args[1..]),
        _ => Err("usage: bench quality CORPUS OUT [--ngram N] [--min-sim X] [--sweep] [--limit N] | bench scale OUT SIZES".into()),
    }
}

fn opt<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> T {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn quality(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let corpus = &args[0];
    let outdir = &args[1];
    std::fs::create_dir_all(outdir)?;
    let ngram: usize = opt(args, "--ngram", SignatureConfig::default().ngram);
    let min_sim: f32 = opt(args, "--min-sim", QueryOptions::default().min_similarity);
    let limit: usize = opt(args, "--limit", usize::MAX);
    let sweep = args.iter().any(|a| a == "--sweep");
    let skip_baselines = args.iter().any(|a| a == "--skip-baselines");
    let old_rule = args.iter().any(|a| a == "--old-duplicate-rule");
    let max_postings: usize = opt(args, "--max-postings", QueryOptions::default().max_postings);
    let max_candidates: usize = opt(
        args,
        "--max-candidates",
        QueryOptions::default().max_candidates,
    );
    let only_project: String = opt(args, "--only-project", String::new());
    let max_size: u64 = opt(args, "--max-size", u64::MAX);
    let mut rows = read_manifest(corpus);
    rows.retain(|r| r.size <= max_size);
    rows.sort_by(|a, b| a.rel.cmp(&b.rel));
    if limit < rows.len() {
        // Deterministic spread: every k-th file.
        let k = rows.len().div_ceil(limit);
        rows = rows.into_iter().step_by(k).collect();
    }
    eprintln!("{} PE files", rows.len());

    // 1. Extraction (timed, one thread), keeping functions for re-signing in sweeps.
    let ecfg = ExtractConfig::default();
    let mut extractions = Vec::with_capacity(rows.len());
    let mut t_extract = 0.0;
    let mut bytes_total = 0u64;
    let mut baselines = Vec::with_capacity(rows.len());
    let mut t_base = 0.0;
    for r in &rows {
        let data = std::fs::read(format!("{corpus}/{}", r.rel))?;
        bytes_total += data.len() as u64;
        assert_eq!(sha256_hex(&data), r.sha, "{}", r.rel);
        let t = Instant::now();
        let x = extract(&data, &ecfg).ok();
        t_extract += t.elapsed().as_secs_f64();
        let t = Instant::now();
        baselines.push(if skip_baselines {
            Baseline {
                tlsh: None,
                ssdeep: String::new(),
                imports: Vec::new(),
                imphash: None,
            }
        } else {
            baseline(&data)
        });
        t_base += t.elapsed().as_secs_f64();
        extractions.push(x);
    }
    let n_funcs: usize = extractions
        .iter()
        .flatten()
        .map(|x| x.functions.len())
        .sum();
    let n_ins: u64 = extractions
        .iter()
        .flatten()
        .map(|x| x.instructions_decoded)
        .sum();
    let failed = extractions.iter().filter(|x| x.is_none()).count();
    let packed = extractions.iter().flatten().filter(|x| x.packed).count();
    let limited = extractions
        .iter()
        .flatten()
        .filter(|x| !x.limits_hit.is_empty())
        .count();

    let fexp: f32 = opt(
        args,
        "--family-exp",
        QueryOptions::default().family_exponent,
    );
    let fexps: Vec<f32> = opt(args, "--family-exps", String::new())
        .split(',')
        .filter_map(|x| x.parse().ok())
        .collect();
    let mut configs: Vec<(usize, f32, f32)> = if sweep {
        let mut v = Vec::new();
        for g in [1usize, 2, 3, 4] {
            for s in [0.3f32, 0.4, 0.5, 0.6, 0.7] {
                v.push((g, s, fexp));
            }
        }
        v
    } else {
        vec![(ngram, min_sim, fexp)]
    };
    let grid: String = opt(args, "--grid", String::new());
    for item in grid.split(',').filter(|x| !x.is_empty()) {
        let mut it = item.split(':');
        let g: usize = it
            .next()
            .and_then(|x| x.parse().ok())
            .ok_or("--grid N:SIM,...")?;
        let sim: f32 = it
            .next()
            .and_then(|x| x.parse().ok())
            .ok_or("--grid N:SIM,...")?;
        if (g, sim) != (ngram, min_sim) {
            configs.push((g, sim, fexp));
        }
    }
    for &e in &fexps {
        if e != fexp {
            configs.push((ngram, min_sim, e));
        }
    }
    let mut report = String::new();
    report.push_str(&format!(
        "## Corpus run\n\n{} PE files ({} queried: win64 + win32; the rest are distractors in the pool), {:.1} MB; extraction failed on {failed}; packed flagged {packed}; limits hit {limited}\n\n",
        rows.len(),
        rows.iter().filter(|r| r.query).count(),
        bytes_total as f64 / 1e6
    ));
    report.push_str(&format!(
        "Extraction (one thread): {n_funcs} functions, {n_ins} instructions in {t_extract:.2} s = {:.0} functions/s, {:.1} M instructions/s, {:.1} MB/s\n\n",
        n_funcs as f64 / t_extract,
        n_ins as f64 / t_extract / 1e6,
        bytes_total as f64 / 1e6 / t_extract
    ));
    report.push_str(&format!(
        "Baseline digests (TLSH + ssdeep + imports, one thread): {t_base:.2} s\n\n"
    ));

    // Baseline nearest neighbours.
    let pv = |i: usize| (&rows[i].project, &rows[i].version);
    let t = Instant::now();
    let n = rows.len();
    let mut tl: Vec<Nn> = vec![None; n];
    let mut ss: Vec<Nn> = vec![None; n];
    let mut ij: Vec<Nn> = vec![None; n];
    let mut ih: Vec<Nn> = vec![None; n];
    let mut by_ih: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, b) in baselines.iter().enumerate() {
        if let Some(x) = b.imphash {
            by_ih.entry(x).or_default().push(i);
        }
    }
    for i in 0..n {
        if skip_baselines {
            break;
        }
        if !rows[i].query {
            continue;
        }
        let bi = &baselines[i];
        let (mut bt, mut bs, mut bj) = (
            None::<(usize, f64)>,
            None::<(usize, f64)>,
            None::<(usize, f64)>,
        );
        for j in 0..n {
            if pv(i) == pv(j) {
                continue;
            }
            let bjb = &baselines[j];
            if let (Some(a), Some(b)) = (&bi.tlsh, &bjb.tlsh) {
                let d = -(a.diff(b, true) as f64);
                if better(bt, d) {
                    bt = Some((j, d));
                }
            }
            if let Ok(s) = fuzzyhash::FuzzyHash::compare(&bi.ssdeep, &bjb.ssdeep) {
                if s > 0 && better(bs, s as f64) {
                    bs = Some((j, s as f64));
                }
            }
            let jc = jaccard(&bi.imports, &bjb.imports);
            if jc > 0.0 && better(bj, jc) {
                bj = Some((j, jc));
            }
        }
        tl[i] = bt;
        ss[i] = bs;
        ij[i] = bj;
        if let Some(x) = bi.imphash {
            // Majority vote among equal hashes of other versions; answer with one of them.
            let ms: Vec<usize> = by_ih[&x]
                .iter()
                .copied()
                .filter(|&j| pv(i) != pv(j))
                .collect();
            if !ms.is_empty() {
                let mut votes: BTreeMap<&str, usize> = BTreeMap::new();
                for &j in &ms {
                    *votes.entry(rows[j].project.as_str()).or_default() += 1;
                }
                let top = votes
                    .iter()
                    .max_by_key(|(_, c)| **c)
                    .map(|(p, _)| *p)
                    .unwrap_or("");
                let j = ms
                    .iter()
                    .copied()
                    .find(|&j| rows[j].project == top)
                    .unwrap_or(ms[0]);
                ih[i] = Some((j, 1.0));
            }
        }
    }
    eprintln!("baselines: {:.1}s", t.elapsed().as_secs_f64());

    let mut sweep_table = String::from("| n-gram | min similarity | project top-1 | sibling top-1 | precision-0.99 threshold (coverage) | recall there |\n|---:|---:|---:|---:|---:|---:|\n");
    let mut main_eval: Option<(Vec<Nn>, Vec<Nn>, Vec<Nn>, f64, usize)> = None;
    for &(g, s, fe) in &configs {
        let scfg = SignatureConfig {
            ngram: g,
            ..SignatureConfig::default()
        };
        let t = Instant::now();
        let signed: Vec<Option<SignedSample>> = extractions
            .iter()
            .zip(&rows)
            .map(|(x, r)| {
                x.as_ref().map(|x| SignedSample {
                    sha256: r.sha.clone(),
                    format: x.format,
                    arch: x.arch,
                    functions_total: x.functions.len() as u32,
                    functions: x
                        .functions
                        .iter()
                        .filter_map(|f| sign_function(f, &scfg))
                        .collect(),
                    packed: x.packed,
                    limits_hit: x.limits_hit.clone(),
                    imports: x.imports.clone(),
                    warnings: x.import_warnings.clone(),
                    strings: x.strings.clone(),
                    exports: x.exports.clone(),
                })
            })
            .collect();
        let t_sign = t.elapsed().as_secs_f64();
        let n_signed: usize = signed.iter().flatten().map(|s| s.functions.len()).sum();
        let t = Instant::now();
        let mut idx = CodeIndex::new(MemoryStore::new())?;
        let mut sample_of_row = vec![None; n];
        let mut row_of_sample: HashMap<u32, usize> = HashMap::new();
        for (i, s) in signed.iter().enumerate() {
            if let Some(s) = s {
                let meta = SampleMeta {
                    family: rows[i].project.clone(),
                    actor: None,
                    name: Some(rows[i].rel.clone()),
                };
                match idx.add_signed(s, &meta)? {
                    ascribe_code::AddOutcome::Added { sample, .. }
                    | ascribe_code::AddOutcome::AlreadyIndexed { sample } => {
                        sample_of_row[i] = Some(sample);
                        row_of_sample.entry(sample).or_insert(i);
                    }
                }
            }
        }
        let t_index = t.elapsed().as_secs_f64();
        // Group samples by project+version for exclusion.
        let mut pv_samples: HashMap<(String, String), Vec<u32>> = HashMap::new();
        for (i, s) in sample_of_row.iter().enumerate() {
            if let Some(s) = s {
                pv_samples
                    .entry((rows[i].project.clone(), rows[i].version.clone()))
                    .or_default()
                    .push(*s);
            }
        }
        // Whether a row outside query i's project+version holds sample `sm` (same SHA-256).
        let held_elsewhere = |sm: u32, i: usize| -> bool {
            (0..n).any(|j| sample_of_row[j] == Some(sm) && pv(j) != pv(i))
        };
        let t = Instant::now();
        let mut nn_score: Vec<Nn> = vec![None; n];
        let mut nn_cov: Vec<Nn> = vec![None; n];
        let mut nn_raw: Vec<Nn> = vec![None; n];
        let mut lat = Vec::new();
        let mut top3: Vec<String> = vec![String::new(); n];
        for i in 0..n {
            let Some(q) = &signed[i] else { continue };
            if !rows[i].query || (!only_project.is_empty() && rows[i].project != only_project) {
                continue;
            }
            let mut opts = QueryOptions {
                min_similarity: s,
                family_exponent: fe,
                max_postings,
                max_candidates,
                size_exponent: opt(args, "--size-exp", QueryOptions::default().size_exponent),
                string_weight: opt(
                    args,
                    "--string-weight",
                    QueryOptions::default().string_weight,
                ),
                export_weight: opt(
                    args,
                    "--export-weight",
                    QueryOptions::default().export_weight,
                ),
                // Leave-one-out: the query's project+version is not an answer. A sample
                // whose file another version also holds (byte-identical) stays one: the
                // baselines find that copy too.
                exclude_samples: pv_samples[&(rows[i].project.clone(), rows[i].version.clone())]
                    .iter()
                    .copied()
                    .filter(|&sm| old_rule || !held_elsewhere(sm, i))
                    .collect(),
                // The query's own copy is excluded explicitly (the product reports it) unless
                // another version holds the same file.
                exclude_self: old_rule || !sample_of_row[i].is_some_and(|sm| held_elsewhere(sm, i)),
                ..QueryOptions::default()
            };
            opts.exclude_samples.sort_unstable();
            let tq = Instant::now();
            let ms = idx.match_samples(q, &opts)?;
            lat.push(tq.elapsed().as_secs_f64());
            // Identical files in other versions map to the same sample; pick a row of another version.
            let row_for = |sm: u32| -> usize {
                let r = row_of_sample[&sm];
                if pv(r) != pv(i) {
                    return r;
                }
                (0..n)
                    .find(|&j| sample_of_row[j] == Some(sm) && pv(j) != pv(i))
                    .unwrap_or(r)
            };
            if std::env::var_os("BENCH_DEBUG").is_some()
                && ms
                    .first()
                    .is_some_and(|(m, _)| rows[row_for(m.sample)].project != rows[i].project)
            {
                eprintln!("WRONG {} ({} signed)", rows[i].rel, q.functions.len());
                for (m, pairs) in ms.iter().take(3) {
                    eprintln!(
                        "   {} score {:.2} cov {:.3} shared {}",
                        rows[row_for(m.sample)].rel,
                        m.score,
                        m.coverage,
                        m.shared_functions
                    );
                    for p in pairs.iter().take(4) {
                        eprintln!(
                            "      {:x}->{:x} sim {:.2} ins {} df {} dff {} w {:.2}",
                            p.query_address,
                            p.address,
                            p.similarity,
                            p.instructions,
                            p.df_samples,
                            p.df_families,
                            p.weight
                        );
                    }
                }
            }
            top3[i] = ms
                .iter()
                .take(10)
                .map(|(m, _)| {
                    format!(
                        "{} rank {:.3} cov {:.3} imp {:.3} str {:.3} exp {:.3} shared {}/{}",
                        rows[row_for(m.sample)].rel,
                        m.rank_score,
                        m.coverage,
                        m.import_similarity,
                        m.string_similarity,
                        m.export_similarity,
                        m.shared_functions,
                        m.sample_functions
                    )
                })
                .collect::<Vec<_>>()
                .join(" | ");
            if let Some((m, _)) = ms.first() {
                let top = row_for(m.sample);
                nn_score[i] = Some((top, f64::from(m.coverage)));
                nn_raw[i] = Some((top, f64::from(m.score)));
                // Margin over the best sample of another family.
                let other = ms
                    .iter()
                    .find(|(o, _)| rows[row_for(o.sample)].project != rows[top].project)
                    .map_or(0.0, |(o, _)| o.score);
                let margin = if m.score > 0.0 {
                    1.0 - other / m.score
                } else {
                    0.0
                };
                nn_cov[i] = Some((top, f64::from(margin)));
            }
        }
        let t_query = t.elapsed().as_secs_f64();
        lat.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        let nq = (0..n)
            .filter(|&i| {
                rows[i].query && (only_project.is_empty() || rows[i].project == only_project)
            })
            .count()
            .max(1) as f64;
        let ok = |nn: &[Nn]| {
            (0..n)
                .filter(|&i| {
                    rows[i].query && nn[i].is_some_and(|(j, _)| rows[j].project == rows[i].project)
                })
                .count() as f64
                / nq
        };
        let sib = |nn: &[Nn]| {
            (0..n)
                .filter(|&i| {
                    rows[i].query
                        && nn[i].is_some_and(|(j, _)| {
                            rows[j].project == rows[i].project
                                && rows[j].name_key == rows[i].name_key
                        })
                })
                .count() as f64
                / nq
        };
        let thresholds: Vec<f64> = (0..=40).map(|k| f64::from(k) * 0.005).collect();
        let (_, best) = curve(&rows, &nn_score, &thresholds, false);
        let rec_at = best.map_or(0.0, |b| {
            (0..n)
                .filter(|&i| {
                    nn_score[i].is_some_and(|(j, sc)| sc >= b && rows[j].project == rows[i].project)
                })
                .count() as f64
                / n as f64
        });
        sweep_table.push_str(&format!(
            "| {g} | {s:.1} | {:.1}% | {:.1}% | {} | {:.1}% |\n",
            100.0 * ok(&nn_score),
            100.0 * sib(&nn_score),
            best.map_or("-".into(), |b| format!("{b:.3}")),
            100.0 * rec_at
        ));
        eprintln!(
            "ngram {g} min_sim {s} family_exp {fe}: sign {t_sign:.1}s ({n_signed} signed), index {t_index:.1}s, queries {t_query:.1}s; top1 {:.4} sib {:.4}",
            ok(&nn_score),
            sib(&nn_score),
        );
        if g == ngram && (s - min_sim).abs() < 1e-6 && (fe - fexp).abs() < 1e-6 {
            let p50 = lat[lat.len() / 2];
            let p99 = lat[(lat.len() * 99 / 100).min(lat.len() - 1)];
            report.push_str(&format!(
                "Signing (n-gram {g}): {n_signed} functions signed (≥ {} instructions) in {t_sign:.2} s; extraction + signing = {:.0} functions/s (recovered functions) on one thread\n\nIndex build (memory store): {t_index:.2} s. Queries: {n} in {t_query:.2} s, median {:.1} ms, p99 {:.1} ms\n\n",
                scfg.min_instructions,
                n_funcs as f64 / (t_extract + t_sign),
                p50 * 1e3,
                p99 * 1e3
            ));
            // One line per query (bench/code/split.py reads it for the project-level split).
            let mut tsv = String::from("rel\tproject\tname_key\tcomponent\tsigned\ttop3\n");
            for i in 0..n {
                if rows[i].query {
                    tsv.push_str(&format!(
                        "{}\t{}\t{}\t{}\t{}\t{}\n",
                        rows[i].rel,
                        rows[i].project,
                        rows[i].name_key,
                        rows[i].component,
                        signed[i].as_ref().map_or(0, |s| s.functions.len()),
                        top3[i]
                    ));
                }
            }
            std::fs::write(format!("{outdir}/ascribe-top3.tsv"), tsv)?;
            main_eval = Some((
                nn_score.clone(),
                nn_cov.clone(),
                nn_raw.clone(),
                t_sign,
                n_signed,
            ));
            // Keep the real signatures for the scale benchmark.
            let mut w =
                std::io::BufWriter::new(std::fs::File::create(format!("{outdir}/sigs.bin"))?);
            for (i, s) in signed.iter().enumerate() {
                if let Some(s) = s {
                    for f in &s.functions {
                        w.write_all(&(i as u32).to_le_bytes())?;
                        w.write_all(&f.instructions.to_le_bytes())?;
                        w.write_all(&f.blocks.to_le_bytes())?;
                        w.write_all(&f.edges.to_le_bytes())?;
                        w.write_all(&f.address.to_le_bytes())?;
                        w.write_all(&f.exact.to_le_bytes())?;
                        for v in &f.minhash {
                            w.write_all(&v.to_le_bytes())?;
                        }
                    }
                }
            }
        }
    }
    let (nn_score, nn_margin, nn_raw, ..) = main_eval.ok_or("chosen configuration not in run")?;
    // Byte-identical files held by several project+versions are one answer with several
    // labels: an answer is right when any of its holders outside the query's project+version
    // is of the query's project (and a sibling when one is also of its module). The same rule
    // for every method (`--old-duplicate-rule`: the first holder's label, as before).
    let mut holders: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, r) in rows.iter().enumerate() {
        holders.entry(r.sha.as_str()).or_default().push(k);
    }
    let canon = |i: usize, j: usize| -> usize {
        if old_rule {
            return j;
        }
        let hs: Vec<usize> = holders[rows[j].sha.as_str()]
            .iter()
            .copied()
            .filter(|&k| pv(k) != pv(i))
            .collect();
        let same = |k: &usize| rows[*k].project == rows[i].project;
        hs.iter()
            .copied()
            .find(|k| same(k) && rows[*k].name_key == rows[i].name_key)
            .or_else(|| hs.iter().copied().find(same))
            .unwrap_or(j)
    };
    let canon_all = |nn: Vec<Nn>| -> Vec<Nn> {
        nn.into_iter()
            .enumerate()
            .map(|(i, a)| a.map(|(j, sc)| (canon(i, j), sc)))
            .collect()
    };
    let (nn_score, nn_margin, nn_raw) =
        (canon_all(nn_score), canon_all(nn_margin), canon_all(nn_raw));
    let (tl, ss, ij, ih) = (canon_all(tl), canon_all(ss), canon_all(ij), canon_all(ih));
    let evals = vec![
        Eval {
            name: format!("**ascribe-code** (n-gram {ngram}, min similarity {min_sim})"),
            nn: nn_score.clone(),
        },
        Eval {
            name: "TLSH nearest".into(),
            nn: tl,
        },
        Eval {
            name: "ssdeep best".into(),
            nn: ss,
        },
        Eval {
            name: "import-set Jaccard nearest".into(),
            nn: ij,
        },
        Eval {
            name: "import hash equality (majority)".into(),
            nn: ih,
        },
    ];
    report.push_str("## Quality: best match among files of other versions\n");
    summarize(&rows, &evals, &mut report);
    let thresholds = [
        0.0, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6,
    ];
    let (c_all, b_all) = curve(&rows, &nn_score, &thresholds, false);
    let (c_own, b_own) = curve(&rows, &nn_score, &thresholds, true);
    report.push_str(&format!(
        "\n## Same-family precision/recall of the top-1 answer vs coverage threshold\n\nAll PE queries (first threshold with precision ≥ 0.99: {b_all:?}):\n\n{c_all}\nOwn code only (first threshold with precision ≥ 0.99: {b_own:?}):\n\n{c_own}"
    ));
    let margins = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];
    let (c_m, b_m) = curve(&rows, &nn_margin, &margins, false);
    let (c_mo, b_mo) = curve(&rows, &nn_margin, &margins, true);
    report.push_str(&format!(
        "\n## Same-family precision/recall vs family margin (1 - best other-family score / top score)\n\nAll PE queries (first threshold with precision ≥ 0.99: {b_m:?}):\n\n{c_m}\nOwn code only (first threshold with precision ≥ 0.99: {b_mo:?}):\n\n{c_mo}"
    ));
    let raws = [0.0, 5.0, 10.0, 20.0, 40.0, 80.0, 160.0, 320.0];
    let (c_r, b_r) = curve(&rows, &nn_raw, &raws, false);
    report.push_str(&format!(
        "\n## Same-family precision/recall vs raw IDF-weighted score\n\nAll PE queries (first threshold with precision ≥ 0.99: {b_r:?}):\n\n{c_r}"
    ));
    if sweep {
        report.push_str(&format!(
            "\n## Parameter sweep (ranking by IDF-weighted score)\n\n{sweep_table}"
        ));
    }
    // Per-project accuracy.
    let mut pp: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for i in 0..n {
        if !rows[i].query {
            continue;
        }
        let e = pp.entry(rows[i].project.as_str()).or_default();
        e.0 += 1;
        if let Some((j, _)) = nn_score[i] {
            if rows[j].project == rows[i].project {
                e.1 += 1;
                if rows[j].name_key == rows[i].name_key {
                    e.2 += 1;
                }
            }
        }
    }
    report.push_str("\n## Per project (ascribe-code)\n\n| project | files | project top-1 | sibling top-1 |\n|---|---:|---:|---:|\n");
    for (p, (c, ok, sib)) in pp {
        report.push_str(&format!(
            "| {p} | {c} | {:.1}% | {:.1}% |\n",
            100.0 * ok as f64 / c as f64,
            100.0 * sib as f64 / c as f64
        ));
    }
    let _ = rows.iter().map(|r| &r.set).collect::<HashSet<_>>();
    // Top-1 answer of every method for every query (bench/code/split.py).
    let mut tsv = String::from("rel\tproject\tname_key\tcomponent");
    for e in &evals {
        tsv.push_str(&format!("\t{}", e.name.replace('*', "")));
    }
    tsv.push('\n');
    for i in 0..n {
        if !rows[i].query {
            continue;
        }
        tsv.push_str(&format!(
            "{}\t{}\t{}\t{}",
            rows[i].rel, rows[i].project, rows[i].name_key, rows[i].component
        ));
        for e in &evals {
            match e.nn[i] {
                Some((j, _)) => {
                    tsv.push_str(&format!("\t{}/{}", rows[j].project, rows[j].name_key))
                }
                None => tsv.push_str("\t-"),
            }
        }
        tsv.push('\n');
    }
    std::fs::write(format!("{outdir}/per-query.tsv"), tsv)?;
    std::fs::write(format!("{outdir}/quality.md"), &report)?;
    println!("{report}");
    Ok(())
}

fn scale(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let outdir = &args[0];
    let sizes: Vec<usize> = args[1]
        .split(',')
        .map(|s| s.parse::<f64>().map(|x| x as usize))
        .collect::<Result<_, _>>()?;
    let raw = std::fs::read(format!("{outdir}/sigs.bin"))?;
    const REC: usize = 32 + MINHASH_K * 2;
    let mut real: Vec<(u32, FunctionSignature)> = Vec::with_capacity(raw.len() / REC);
    for b in raw.chunks_exact(REC) {
        let u32_at = |o: usize| u32::from_le_bytes(b[o..o + 4].try_into().expect("4"));
        let u64_at = |o: usize| u64::from_le_bytes(b[o..o + 8].try_into().expect("8"));
        real.push((
            u32_at(0),
            FunctionSignature {
                instructions: u32_at(4),
                blocks: u32_at(8),
                edges: u32_at(12),
                address: u64_at(16),
                exact: u64_at(24),
                minhash: (0..MINHASH_K)
                    .map(|i| u16::from_le_bytes([b[32 + 2 * i], b[33 + 2 * i]]))
                    .collect(),
            },
        ));
    }
    eprintln!("{} real signatures", real.len());
    // Query: the first 2,000 signatures of the largest real samples, as one synthetic sample.
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
        warnings: vec![],
        strings: vec![],
        exports: Vec::new(),
    };
    println!("| indexed functions | samples | build s | postings | query (2,000 functions) median ms | p95 ms | candidate samples |\n|---:|---:|---:|---:|---:|---:|---:|");
    for &size in &sizes {
        let dir = format!("{outdir}/scale-{size}");
        let _ = std::fs::remove_dir_all(&dir);
        let t = Instant::now();
        let mut b = DiskStoreBuilder::create(&dir)?;
        // Copy c of the real corpus gets every MinHash value re-hashed with c: the same
        // similarity structure, new (non-matching) families. Copy 0 is the real corpus.
        let mut added = 0usize;
        let mut copy = 0u64;
        'outer: loop {
            let mut cur: Option<u32> = None;
            let mut batch: Vec<FunctionInsert> = Vec::new();
            let flush = |b: &mut DiskStoreBuilder,
                         cur: u32,
                         batch: &mut Vec<FunctionInsert>|
             -> Result<(), ascribe_code::CodeError> {
                b.add_sample(
                    SampleRecord {
                        sha256: format!("{copy:04}-{cur:06}"),
                        family: format!("synthetic-{copy}-{}", cur % 15),
                        actor: None,
                        name: None,
                        format: Format::Pe,
                        arch: Arch::X64,
                        functions_total: batch.len() as u32,
                        functions_indexed: batch.len() as u32,
                        packed: false,
                        imports: Vec::new(),
                        strings: Vec::new(),
                        exports: Vec::new(),
                        records_sha256: None,
                    },
                    batch,
                )?;
                batch.clear();
                Ok(())
            };
            for (s, f) in &real {
                if cur != Some(*s) {
                    if let Some(c) = cur {
                        flush(&mut b, c, &mut batch)?;
                    }
                    cur = Some(*s);
                }
                let mut f = f.clone();
                if copy > 0 {
                    for v in &mut f.minhash {
                        *v = (u64::from(*v).wrapping_mul(0x9e37_79b9_7f4a_7c15)
                            ^ copy.wrapping_mul(0xff51_afd7_ed55_8ccd))
                        .rotate_left(29) as u16;
                    }
                    f.exact ^= copy.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
                }
                batch.push(FunctionInsert {
                    band_keys: band_keys(&f.minhash),
                    signature: f,
                });
                added += 1;
                if added >= size {
                    flush(&mut b, cur.expect("sample"), &mut batch)?;
                    break 'outer;
                }
            }
            if let Some(c) = cur {
                if !batch.is_empty() {
                    flush(&mut b, c, &mut batch)?;
                }
            }
            copy += 1;
        }
        let store = b.finish()?;
        let build = t.elapsed().as_secs_f64();
        let idx = CodeIndex::new(store)?;
        let counts = idx.stats()?.counts;
        let mut lat = Vec::new();
        let mut cands = 0;
        let reps: usize = std::env::var("BENCH_QUERY_REPS")
            .ok()
            .and_then(|x| x.parse().ok())
            .unwrap_or(7);
        for _ in 0..reps {
            let t = Instant::now();
            let m = idx.match_samples(&query, &QueryOptions::default())?;
            lat.push(t.elapsed().as_secs_f64());
            cands = m.len();
        }
        lat.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        println!(
            "| {} | {} | {build:.1} | {} | {:.1} | {:.1} | {cands} |",
            counts.functions,
            counts.samples,
            counts.postings,
            lat[lat.len() / 2] * 1e3,
            lat[lat.len() * 95 / 100] * 1e3
        );
        drop(idx);
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}
