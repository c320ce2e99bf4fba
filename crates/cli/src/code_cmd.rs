//! `ascribe index …` and `ascribe similar`. Code-reuse evidence for
//! `analyze` is in `ascribe_pipeline::code`.
//!
//! The function index (`ascribe-code`'s on-disk store: memory-mapped sorted
//! LSH postings plus an append log) lives beside the SQLite store, in
//! `<store>.code/`; with `--database postgres://…` (or `ASCRIBE_DATABASE`)
//! it is the database's code tables (`ascribe_store_pg::PgCodeStore`), which
//! several `index add` processes may write at once.

use crate::{exit, store_path};
use anyhow::{Context, Result};
use ascribe_code::{AddOutcome, CodeIndex, CodeIndexStore, DiskStore, QueryOptions, SampleMeta};
use clap::Subcommand;
use std::fmt::Write;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum IndexCommand {
    /// Add reference samples of a family (and the actor it is tied to).
    /// Re-adding a file (same sha256) changes nothing. On a sharded
    /// PostgreSQL store (`--database` a coordinator) files are written in
    /// batches of ASCRIBE_INDEX_BATCH functions (default 50000, 0: one sample
    /// at a time), each acknowledged by the coordinator's commit.
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

/// Prints the code index's import-table warnings for `file` (never an empty import set in
/// silence).
fn warn_imports(file: &Path, warnings: &[String]) {
    for w in warnings {
        eprintln!("ascribe: warning: {}: {w}", file.display());
    }
}

/// Adds one file (signing it only when it is not indexed yet), printing its warnings.
fn add_file<S: CodeIndexStore>(
    idx: &mut CodeIndex<S>,
    path: &Path,
    data: &[u8],
    meta: &SampleMeta,
) -> Result<AddOutcome, ascribe_code::CodeError> {
    if let Some(sample) = idx.store().find_sample(&ascribe_code::sha256_hex(data))? {
        return Ok(AddOutcome::AlreadyIndexed { sample });
    }
    let signed = idx.sign(data)?;
    warn_imports(path, &signed.warnings);
    idx.add_signed(&signed, meta)
}

/// Counters of an `index add`: samples added, already present, skipped, functions added.
#[derive(Default)]
struct Added {
    added: usize,
    present: usize,
    skipped: usize,
    functions: u64,
}

impl Added {
    fn count(&mut self, p: &Path, out: Result<AddOutcome, ascribe_code::CodeError>) {
        match out {
            Ok(AddOutcome::Added { functions: f, .. }) => {
                self.added += 1;
                self.functions += u64::from(f);
            }
            Ok(AddOutcome::AlreadyIndexed { .. }) => self.present += 1,
            Err(e) => {
                self.skipped += 1;
                eprintln!("ascribe: {}: skipped: {e}", p.display());
            }
        }
    }
}

/// The exit of an `index add` that skipped files (each named on standard
/// error as it was skipped): as `extract` and `inspect`, 7 when some files
/// were skipped and the others indexed (or already there), 1 when every file
/// was skipped. The summary line is written first.
fn skipped_exit(o: &str, indexed: usize, skipped: usize) -> Result<()> {
    let code = crate::batch_exit_code(skipped, skipped + indexed);
    if code == 0 {
        return Ok(());
    }
    crate::emit(o)?;
    Err(exit(
        code,
        format!(
            "{skipped} of {} file(s) skipped (named above)",
            skipped + indexed
        ),
    ))
}

/// Files signed and waiting to be written as one batch.
type Signed = Vec<(PathBuf, ascribe_code::SignedSample, SampleMeta)>;

/// Writes a batch of signed files and commits it (`flush`). A store error fails the command:
/// nothing of the batch is acknowledged then.
fn write_batch<S: CodeIndexStore>(
    idx: &mut CodeIndex<S>,
    batch: &mut Signed,
    n: &mut Added,
) -> Result<()> {
    let mut done = Added::default();
    for (p, signed, meta) in batch.iter() {
        let out = idx.add_signed(signed, meta).with_context(|| {
            format!(
                "adding {} (nothing of its batch of {} file(s) was stored; re-run `ascribe index add`)",
                p.display(),
                batch.len()
            )
        })?;
        done.count(p, Ok(out));
    }
    idx.flush().with_context(|| {
        format!(
            "writing a batch of {} file(s) (nothing of it is acknowledged; re-run `ascribe index add`)",
            batch.len()
        )
    })?;
    batch.clear();
    n.added += done.added;
    n.present += done.present;
    n.functions += done.functions;
    Ok(())
}

/// Adds the files under `paths` to the index (not flushed): samples added, already present,
/// skipped, functions added. `batch` > 0 (a sharded PostgreSQL store): files are signed
/// first, then written `batch` functions at a time, each batch one transaction a shard and
/// committed (acknowledged) before the next is signed — the allocator lock is held only
/// while a batch is written, never while files are signed.
fn add_files<S: CodeIndexStore>(
    idx: &mut CodeIndex<S>,
    family: &str,
    actor: Option<&str>,
    paths: &[PathBuf],
    batch: usize,
) -> Result<(usize, usize, usize, u64)> {
    let files: Vec<PathBuf> = ascribe_binary::walk_inputs(paths).collect();
    if files.is_empty() {
        return Err(exit(3, "no files found under the given paths"));
    }
    let progress = files.len() >= 20 && std::io::stderr().is_terminal();
    let mut n = Added::default();
    let mut pending: Signed = Vec::new();
    let mut pending_functions = 0usize;
    for (k, p) in files.iter().enumerate() {
        let data = match read_binary(p) {
            Ok(d) => d,
            Err(e) => {
                n.skipped += 1;
                eprintln!("ascribe: {e:#}");
                continue;
            }
        };
        let meta = SampleMeta {
            family: family.to_string(),
            actor: actor.map(str::to_string),
            name: p.file_name().map(|n| n.to_string_lossy().into_owned()),
        };
        if batch == 0 {
            let out = add_file(idx, p, &data, &meta);
            n.count(p, out);
        } else {
            match idx.store().find_sample(&ascribe_code::sha256_hex(&data)) {
                Ok(Some(_)) => n.present += 1,
                Ok(None) => match idx.sign(&data) {
                    Ok(signed) => {
                        warn_imports(p, &signed.warnings);
                        pending_functions += signed.functions.len();
                        pending.push((p.clone(), signed, meta));
                    }
                    Err(e) => n.count(p, Err(e)),
                },
                Err(e) => n.count(p, Err(e)),
            }
            if pending_functions >= batch {
                write_batch(idx, &mut pending, &mut n)?;
                pending_functions = 0;
            }
        }
        if progress {
            eprint!("\rascribe: indexing {}/{}", k + 1, files.len());
        }
    }
    if !pending.is_empty() {
        write_batch(idx, &mut pending, &mut n)?;
    }
    if progress {
        eprintln!();
    }
    Ok((n.added, n.present, n.skipped, n.functions))
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
    #[cfg(feature = "postgres")]
    if let Some(url) = crate::database::database_url() {
        return pg::run(url, cmd);
    }
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
            let (added, present, skipped, functions) =
                add_files(&mut idx, &family, actor.as_deref(), &paths, 0)?;
            idx.flush()?;
            idx.store_mut().compact()?;
            let _ = writeln!(
                o,
                "family {family}: {added} sample(s) added ({functions} functions), {present} already indexed, {skipped} skipped; index {}",
                dir.display()
            );
            skipped_exit(&o, added + present, skipped)?;
        }
        IndexCommand::Stats { json } => {
            if !dir.exists() {
                return Err(exit(4, format!("no code index at {}; add samples with `ascribe index add --family NAME FILES`", dir.display())));
            }
            let st = open(&dir)?.stats()?;
            stats_text(&st, &dir.display().to_string(), json, &mut o)?;
        }
        IndexCommand::Verify { json } => {
            if !dir.exists() {
                return Err(no_index(&dir));
            }
            let rep = ascribe_code::verify(&dir)
                .with_context(|| format!("verifying the code index {}", dir.display()))?;
            verify_text(&rep, &dir.display().to_string(), json, "run `ascribe index rebuild` (postings damaged), or restore a backup / re-add the samples into a new index (samples.jsonl or functions.bin damaged)", &mut o)?;
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
    #[cfg(feature = "postgres")]
    if let Some(url) = crate::database::database_url() {
        let idx = pg::open_read_only(url)?;
        if idx.store().counts()?.samples == 0 {
            return Err(exit(
                4,
                format!(
                    "no code index in {}; add samples with `ascribe index add --family NAME FILES`",
                    ascribe_store_pg::redact_url(url)
                ),
            ));
        }
        let data = read_binary(file)?;
        let mut out = similar_in(&idx, file, &data, json, top)?;
        // a partial answer says so: in the text, and on standard error (JSON stays the list)
        let mut note = String::new();
        pg::partial_lines(idx.store(), &mut note);
        if !note.is_empty() {
            eprint!(
                "ascribe: {}",
                note.replace("\nPARTIAL", "\nascribe: PARTIAL")
            );
            if !json {
                out.push_str(&note);
            }
        }
        return Ok(out);
    }
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
    similar_in(&idx, file, &data, json, top)
}

/// `ascribe similar FILE` against an open index of any store.
fn similar_in<S: CodeIndexStore>(
    idx: &CodeIndex<S>,
    file: &Path,
    data: &[u8],
    json: bool,
    top: usize,
) -> Result<String> {
    let opts = QueryOptions {
        top_pairs: top,
        ..QueryOptions::default()
    };
    let signed = idx
        .sign(data)
        .map_err(|e| exit(3, format!("{}: {e}", file.display())))?;
    warn_imports(file, &signed.warnings);
    // the file was read and signed: a failure now is the index's (a shard down), not the input's
    let res = idx.similar(&signed, &opts).map_err(|e| match e {
        ascribe_code::CodeError::Store(_) | ascribe_code::CodeError::Io(_) => {
            exit(1, format!("{}: {e}", file.display()))
        }
        _ => exit(3, format!("{}: {e}", file.display())),
    })?;
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
            "{:<30} score {:.3}  coverage {:.0}%  shared functions {}  imports {:.0}%  strings {:.0}%  exports {:.0}%  actors {}",
            m.family,
            m.score,
            m.coverage * 100.0,
            m.shared_functions,
            m.import_similarity * 100.0,
            m.string_similarity * 100.0,
            m.export_similarity * 100.0,
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

/// `index stats` output for the index at `location`.
fn stats_text(
    st: &ascribe_code::IndexStats,
    location: &str,
    json: bool,
    o: &mut String,
) -> Result<()> {
    if json {
        let _ = writeln!(o, "{}", serde_json::to_string_pretty(st)?);
    } else {
        let _ = writeln!(
            o,
            "code index {location}: {} samples, {} functions, {} postings",
            st.counts.samples, st.counts.functions, st.counts.postings
        );
        let _ = writeln!(o, "families:");
        for (f, n) in &st.families {
            let _ = writeln!(o, "  {f:<40} {n} sample(s)");
        }
    }
    Ok(())
}

/// `index verify` output; exits 1 naming the problems, then `remedy`.
fn verify_text(
    rep: &ascribe_code::VerifyReport,
    location: &str,
    json: bool,
    remedy: &str,
    o: &mut String,
) -> Result<()> {
    if json {
        let _ = writeln!(o, "{}", serde_json::to_string_pretty(rep)?);
    } else {
        let _ = writeln!(
            o,
            "code index {location}: {} samples, {} functions, {} postings{}",
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
        msg.push_str(remedy);
        return Err(exit(1, msg));
    }
    if !json {
        let _ = writeln!(o, "ok");
    }
    Ok(())
}

/// The code index in PostgreSQL (`--database` / `ASCRIBE_DATABASE`): the
/// database's code tables, or on the coordinator of a sharded store the
/// code index sharded across its shards.
#[cfg(feature = "postgres")]
pub mod pg {
    use super::*;
    use ascribe_store_pg::{open_code, redact_url, AnyCodeStore};

    /// Opens the database's code index for reading (a snapshot of what is committed now;
    /// `--allow-partial` honoured on a sharded store).
    pub fn open_read_only(url: &str) -> Result<CodeIndex<AnyCodeStore>> {
        let name = redact_url(url);
        let st = crate::database::open_code_read_only(url)?;
        CodeIndex::new(st).with_context(|| format!("reading the code index in {name}"))
    }

    /// Lines naming the shards a partial read left out.
    pub fn partial_lines(st: &AnyCodeStore, o: &mut String) {
        for m in st.missing_shards() {
            let _ = writeln!(
                o,
                "PARTIAL: {m} did not answer; the functions and postings it holds are not in this answer"
            );
        }
    }

    /// `ascribe index …` on PostgreSQL.
    pub fn run(url: &str, cmd: IndexCommand) -> Result<String> {
        let name = redact_url(url);
        let mut o = String::new();
        match cmd {
            IndexCommand::Add {
                family,
                actor,
                paths,
            } => {
                let mut st = open_code(url, false, false)
                    .with_context(|| format!("opening the code index in {name}"))?;
                // a coordinator writes in batches (one transaction a shard a batch); one
                // database commits every sample
                let batch = match st {
                    AnyCodeStore::Sharded(_) => crate::database::index_batch()?,
                    AnyCodeStore::Single(_) => 0,
                };
                st.set_batch_functions(batch);
                let mut idx = CodeIndex::new(st)
                    .with_context(|| format!("reading the code index in {name}"))?;
                let (added, present, skipped, functions) =
                    add_files(&mut idx, &family, actor.as_deref(), &paths, batch)?;
                idx.flush()?;
                // merge the posting blocks this run added (one a key a sample) into full ones
                idx.store_mut()
                    .compact()
                    .with_context(|| format!("compacting the code index in {name}"))?;
                for c in idx.store().cleaned_orphans() {
                    let _ = writeln!(
                        o,
                        "{}: removed {} function(s) and {} posting(s) left by an interrupted `index add`",
                        c.shard, c.functions, c.postings
                    );
                }
                let _ = writeln!(
                    o,
                    "family {family}: {added} sample(s) added ({functions} functions), {present} already indexed, {skipped} skipped; index {name}"
                );
                super::skipped_exit(&o, added + present, skipped)?;
            }
            IndexCommand::Stats { json } => {
                let st = open_read_only(url)?.stats()?;
                stats_text(&st, &name, json, &mut o)?;
            }
            IndexCommand::Verify { json } => {
                let st = open_code(url, true, false)
                    .with_context(|| format!("opening the code index in {name}"))?;
                let rep = st
                    .verify()
                    .with_context(|| format!("verifying the code index in {name}"))?;
                if !json {
                    for x in st.orphans()? {
                        let _ = writeln!(
                            o,
                            "{}: {} function(s) and {} posting(s) of an interrupted `index add` (ignored by readers; the next `index add` removes them)",
                            x.shard, x.functions, x.postings
                        );
                    }
                }
                verify_text(
                    &rep,
                    &name,
                    json,
                    "restore the database from a backup, or re-add the damaged samples into a new database",
                    &mut o,
                )?;
            }
            IndexCommand::Rebuild => {
                return Err(exit(
                    2,
                    format!("index rebuild is for the embedded index: in {name} each sample's postings are written with it in one transaction; `ascribe index verify` checks them"),
                ));
            }
        }
        Ok(o)
    }
}
