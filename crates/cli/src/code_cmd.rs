//! `ascribe index …` and `ascribe similar`. Code-reuse evidence for
//! `analyze` is in `ascribe_pipeline::code`.
//!
//! The function index (`ascribe-code`'s on-disk store: memory-mapped sorted
//! LSH postings plus an append log) lives beside the SQLite store, in
//! `<store>.code/`.

use crate::{exit, store_path};
use anyhow::{Context, Result};
use ascribe_code::{AddOutcome, CodeIndex, DiskStore, QueryOptions, SampleMeta};
use clap::Subcommand;
use std::fmt::Write;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

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
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Check the index without modifying it: sample lines, function records, postings and the
    /// checksums of MANIFEST.json. Exits 1 and names the damaged file on corruption.
    Verify {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Rebuild the postings (and checksums) from the signatures stored with the samples.
    /// Takes the writer lock, so it waits for a running `index add`.
    Rebuild,
}

/// Reads a binary for the code index (`ascribe_pipeline::code::read_binary`).
pub fn read_binary(path: &Path) -> Result<Vec<u8>> {
    ascribe_pipeline::code::read_binary(path).map_err(|e| exit(1, e.to_string()))
}

/// Where the code index lives.
pub fn index_dir(store: Option<&Path>) -> Result<PathBuf> {
    Ok(ascribe_pipeline::code::index_dir(&store_path(store)?))
}

/// Opens the index for reading: never waits for a writer, never modifies a file.
fn open(dir: &Path) -> Result<CodeIndex<DiskStore>> {
    Ok(ascribe_pipeline::code::open_index(dir)?)
}

/// Opens the index as its one writer, waiting (with a message) for another writer.
fn open_writer(dir: &Path) -> Result<CodeIndex<DiskStore>> {
    let store = DiskStore::open_writer(dir, || {
        eprintln!(
            "ascribe: another process is writing the code index {}; waiting for it to finish",
            dir.display()
        )
    })
    .with_context(|| format!("opening the code index {}", dir.display()))?;
    CodeIndex::new(store).with_context(|| format!("reading the code index {}", dir.display()))
}

fn no_index(dir: &Path) -> anyhow::Error {
    exit(
        4,
        format!(
            "no code index at {}; add samples with `ascribe index add --family NAME FILES`",
            dir.display()
        ),
    )
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
            let mut idx = open_writer(&dir)?;
            let files: Vec<PathBuf> = ascribe_binary::walk_inputs(&paths).collect();
            if files.is_empty() {
                return Err(exit(3, "no files found under the given paths"));
            }
            let progress = files.len() >= 20 && std::io::stderr().is_terminal();
            let (mut added, mut present, mut skipped, mut functions) =
                (0usize, 0usize, 0usize, 0u64);
            for (k, p) in files.iter().enumerate() {
                let data = match read_binary(p) {
                    Ok(d) => d,
                    Err(e) => {
                        skipped += 1;
                        eprintln!("ascribe: {e:#}");
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
        IndexCommand::Verify { json } => {
            if !dir.exists() {
                return Err(no_index(&dir));
            }
            let rep = ascribe_code::verify(&dir)
                .with_context(|| format!("verifying the code index {}", dir.display()))?;
            if json {
                let _ = writeln!(o, "{}", serde_json::to_string_pretty(&rep)?);
            } else {
                let _ = writeln!(
                    o,
                    "code index {}: {} samples, {} functions, {} postings{}",
                    dir.display(),
                    rep.counts.samples,
                    rep.counts.functions,
                    rep.counts.postings,
                    if rep.checksummed {
                        ""
                    } else {
                        " (no MANIFEST.json: structure checked, no checksums; `ascribe index rebuild` writes them)"
                    }
                );
                if rep.unchecksummed_samples > 0 {
                    let _ = writeln!(
                        o,
                        "{} sample(s) committed after the last checksum (structure checked only)",
                        rep.unchecksummed_samples
                    );
                }
            }
            if !rep.problems.is_empty() {
                let mut msg = o.clone();
                for p in &rep.problems {
                    let _ = writeln!(msg, "corrupt: {p}");
                }
                msg.push_str("run `ascribe index rebuild` (postings damaged), or restore a backup / re-add the samples into a new index (samples.jsonl or functions.bin damaged)");
                return Err(exit(1, msg));
            }
            if !json {
                let _ = writeln!(o, "ok");
            }
        }
        IndexCommand::Rebuild => {
            if !dir.exists() {
                return Err(no_index(&dir));
            }
            let c = ascribe_code::rebuild(&dir, || {
                eprintln!(
                    "ascribe: another process is writing the code index {}; waiting for it to finish",
                    dir.display()
                )
            })
            .with_context(|| format!("rebuilding the code index {}", dir.display()))?;
            let _ = writeln!(
                o,
                "code index {} rebuilt: {} samples, {} functions, {} postings",
                dir.display(),
                c.samples,
                c.functions,
                c.postings
            );
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
    let data = read_binary(file)?;
    let idx = open(&dir)?;
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
        if let Some(s) = m.samples.iter().find(|s| s.identical) {
            let _ = writeln!(
                o,
                "{:<30} identical file (same SHA-256) as indexed sample {} {}",
                m.family,
                s.sha256.chars().take(16).collect::<String>(),
                s.name.as_deref().unwrap_or("")
            );
        }
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
