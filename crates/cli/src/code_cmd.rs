//! `ascribe index …`, `ascribe similar` and code-reuse evidence for `analyze`.
//!
//! The function index (`ascribe-code`'s on-disk store: memory-mapped sorted
//! LSH postings plus an append log) lives beside the SQLite store, in
//! `<store>.code/`.

use crate::{exit, store_path};
use anyhow::{Context, Result};
use ascribe_code::{AddOutcome, CodeIndex, DiskStore, FamilyMatch, QueryOptions, SampleMeta};
use ascribe_core::{Location, Observation, ObservationKind, Source, SourceKind};
use clap::Subcommand;
use std::fmt::Write;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Coverage above which a family match becomes evidence: the threshold at
/// which same-family precision measured 0.99 on the corpus (BENCHMARKS.md).
pub const EVIDENCE_COVERAGE: f32 = 0.30;

#[derive(Subcommand)]
pub enum IndexCommand {
    /// Add reference samples of a family (and the actor it is tied to).
    /// Re-adding a file (same sha256) changes nothing.
    Add {
        /// Family name.
        #[arg(long)]
        family: String,
        /// Actor the family is attributed to (name, alias or id).
        #[arg(long)]
        actor: Option<String>,
        /// Files or directories (searched recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Samples, functions and families in the index.
    Stats {
        #[arg(long)]
        json: bool,
    },
}

/// Where the code index lives.
pub fn index_dir(store: Option<&Path>) -> Result<PathBuf> {
    let p = store_path(store)?;
    let mut name = p.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".code");
    Ok(p.with_file_name(name))
}

fn open(dir: &Path) -> Result<CodeIndex<DiskStore>> {
    let store = DiskStore::open(dir)
        .with_context(|| format!("opening the code index {}", dir.display()))?;
    CodeIndex::new(store).with_context(|| format!("reading the code index {}", dir.display()))
}

pub fn run(store: Option<&Path>, cmd: IndexCommand) -> Result<String> {
    let dir = index_dir(store)?;
    let mut o = String::new();
    match cmd {
        IndexCommand::Add {
            family,
            actor,
            paths,
        } => {
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            let mut idx = open(&dir)?;
            let files: Vec<PathBuf> = ascribe_binary::walk_inputs(&paths).collect();
            if files.is_empty() {
                return Err(exit(3, "no files found under the given paths"));
            }
            let progress = files.len() >= 20 && std::io::stderr().is_terminal();
            let (mut added, mut present, mut skipped, mut functions) =
                (0usize, 0usize, 0usize, 0u64);
            for (k, p) in files.iter().enumerate() {
                let data = match std::fs::read(p) {
                    Ok(d) => d,
                    Err(e) => {
                        skipped += 1;
                        eprintln!("ascribe: {}: {e}", p.display());
                        continue;
                    }
                };
                let meta = SampleMeta {
                    family: family.clone(),
                    actor: actor.clone(),
                    name: p.file_name().map(|n| n.to_string_lossy().into_owned()),
                };
                match idx.add_bytes(&data, &meta) {
                    Ok(AddOutcome::Added { functions: f, .. }) => {
                        added += 1;
                        functions += u64::from(f);
                    }
                    Ok(AddOutcome::AlreadyIndexed { .. }) => present += 1,
                    Err(e) => {
                        skipped += 1;
                        eprintln!("ascribe: {}: skipped: {e}", p.display());
                    }
                }
                if progress {
                    eprint!("\rascribe: indexing {}/{}", k + 1, files.len());
                }
            }
            if progress {
                eprintln!();
            }
            idx.flush()?;
            idx.store_mut().compact()?;
            let _ = writeln!(
                o,
                "family {family}: {added} sample(s) added ({functions} functions), {present} already indexed, {skipped} skipped; index {}",
                dir.display()
            );
        }
        IndexCommand::Stats { json } => {
            if !dir.exists() {
                return Err(exit(4, format!("no code index at {}; add samples with `ascribe index add --family NAME FILES`", dir.display())));
            }
            let st = open(&dir)?.stats()?;
            if json {
                let _ = writeln!(o, "{}", serde_json::to_string_pretty(&st)?);
            } else {
                let _ = writeln!(o, "code index {}", dir.display());
                let _ = writeln!(o, "{}", serde_json::to_string_pretty(&st.counts)?);
                let _ = writeln!(o, "families:");
                for (f, n) in &st.families {
                    let _ = writeln!(o, "  {f:<40} {n} sample(s)");
                }
            }
        }
    }
    Ok(o)
}

/// `ascribe similar FILE`.
pub fn similar(store: Option<&Path>, file: &Path, json: bool, top: usize) -> Result<String> {
    let dir = index_dir(store)?;
    if !dir.exists() {
        return Err(exit(
            4,
            format!(
                "no code index at {}; add samples with `ascribe index add --family NAME FILES`",
                dir.display()
            ),
        ));
    }
    let idx = open(&dir)?;
    let data = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let opts = QueryOptions {
        top_pairs: top,
        ..QueryOptions::default()
    };
    let res = idx
        .similar_bytes(&data, &opts)
        .map_err(|e| exit(3, format!("{}: {e}", file.display())))?;
    if json {
        return Ok(serde_json::to_string_pretty(&res)? + "\n");
    }
    let mut o = String::new();
    if res.is_empty() {
        let _ = writeln!(
            o,
            "{}: no indexed family shares code or imports with it",
            file.display()
        );
    }
    for m in &res {
        let _ = writeln!(
            o,
            "{:<30} score {:.3}  coverage {:.0}%  shared functions {}  imports {:.0}%  actors {}",
            m.family,
            m.score,
            m.coverage * 100.0,
            m.shared_functions,
            m.import_similarity * 100.0,
            if m.actors.is_empty() {
                "-".to_string()
            } else {
                m.actors.join(", ")
            }
        );
        for s in m.samples.iter().take(3) {
            let _ = writeln!(
                o,
                "    sample {} {} ({} shared of {})",
                s.sha256.chars().take(16).collect::<String>(),
                s.name.as_deref().unwrap_or(""),
                s.shared_functions,
                s.sample_functions
            );
        }
        for p in m.top_pairs.iter().take(top) {
            let _ = writeln!(
                o,
                "    0x{:x} ↔ {}:0x{:x}  similarity {:.2}{}  seen in {} sample(s) of {} famil{}",
                p.query_address,
                p.sample_sha256.chars().take(12).collect::<String>(),
                p.address,
                p.similarity,
                if p.exact { " (exact)" } else { "" },
                p.df_samples,
                p.df_families,
                if p.df_families == 1 { "y" } else { "ies" }
            );
        }
    }
    Ok(o)
}

/// Code-reuse observations for the case's binaries, when a code index exists.
pub fn observations(
    store: Option<&Path>,
    dir: &Path,
    bins: &[String],
) -> (Vec<Observation>, Vec<String>) {
    let mut notes = Vec::new();
    let idx_dir = match index_dir(store) {
        Ok(d) if d.exists() => d,
        _ => {
            notes.push("no code index: binaries were not compared for code reuse (build one with `ascribe index add --family NAME --actor ACTOR FILES`)".into());
            return (Vec::new(), notes);
        }
    };
    let idx = match open(&idx_dir) {
        Ok(i) => i,
        Err(e) => {
            notes.push(format!("code index not usable: {e:#}"));
            return (Vec::new(), notes);
        }
    };
    let source = Source {
        id: "code-reuse".into(),
        title: "ascribe function-level code-reuse search".into(),
        url: None,
        date: None,
        kind: SourceKind::Analysis,
        file: None,
    };
    let mut out = Vec::new();
    for f in bins {
        let data = match std::fs::read(dir.join(f)) {
            Ok(d) => d,
            Err(e) => {
                notes.push(format!("{f}: {e}"));
                continue;
            }
        };
        let res: Vec<FamilyMatch> = match idx.similar_bytes(&data, &QueryOptions::default()) {
            Ok(r) => r,
            Err(e) => {
                notes.push(format!("{f}: no code-reuse search: {e}"));
                continue;
            }
        };
        for m in res {
            if m.shared_functions == 0 {
                notes.push(format!(
                    "{f}: imports resemble family {} ({:.0}% import-set overlap) but no code is shared: not evidence",
                    m.family,
                    m.import_similarity * 100.0
                ));
                continue;
            }
            if m.coverage < EVIDENCE_COVERAGE {
                notes.push(format!(
                    "{f}: shares {} function(s) with family {} (coverage {:.0}%, below the {:.0}% evidence threshold)",
                    m.shared_functions,
                    m.family,
                    m.coverage * 100.0,
                    EVIDENCE_COVERAGE * 100.0
                ));
                continue;
            }
            let shared: Vec<String> = m
                .top_pairs
                .iter()
                .take(5)
                .map(|p| {
                    format!(
                        "0x{:x}↔0x{:x} ({:.2}, in {} famil{})",
                        p.query_address,
                        p.address,
                        p.similarity,
                        p.df_families,
                        if p.df_families == 1 { "y" } else { "ies" }
                    )
                })
                .collect();
            out.push(Observation {
                id: format!("code:{f}:{}", m.family),
                kind: ObservationKind::CodeOverlap {
                    family: m.family.clone(),
                    actor: m.actors.first().cloned(),
                    similarity: f64::from(m.coverage.clamp(0.0, 1.0)),
                    shared,
                    sample: Some(f.clone()),
                },
                source: source.clone(),
                location: Some(Location {
                    file: f.clone(),
                    line: None,
                }),
                note: Some(format!(
                    "{} shared functions, IDF-weighted score {:.3}",
                    m.shared_functions, m.score
                )),
                status: Default::default(),
                forge_cost_override: None,
                fact_key: None,
                illustrative: false,
            });
        }
    }
    (out, notes)
}
