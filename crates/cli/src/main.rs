//! `ascribe`: attribution of cyber intrusions as a reproducible computation.
//!
//! Exit codes: 0 success; 1 failure (IO, store, network); 2 usage error;
//! 3 invalid input (a malformed case or knowledge-base document);
//! 4 a name that is not in the knowledge base or is ambiguous (also
//! `intel remove` of an unknown source, `index`/`similar` with no code index);
//! 5 `analyze --strict` and at least one warning (a line with a code such
//! as `W001 unknown-actor`) was emitted (the report is still written);
//! 6 `kb import`/`kb update` refused an import that is empty or would remove
//! more than 10 % of a source's entities (pass `--replace`).
//! 7 `extract`, `inspect`, `intel import`, `kb import DIR` or `index add`:
//! some inputs failed (the others are written; when every input failed the
//! code is 1).

// Output code never slices strings by byte index (a cut inside a character panics).
#![deny(clippy::string_slice)]

mod binaries;
mod code_cmd;
mod database;
mod intel_cmd;
mod interop_cmd;
mod kb_cmd;
#[cfg(feature = "server")]
mod serve_cmd;
mod shard_cmd;

use anyhow::{Context, Result};
use ascribe_kb::KnowledgeBase;
use ascribe_pipeline::PipelineError;
use ascribe_store::Store;
use clap::{Parser, Subcommand, ValueEnum};
use database::Database;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "ascribe",
    version,
    about = "Attribution engine for cyber intrusions: competing hypotheses with probabilities, forge costs and a false-flag stress test",
    long_about = None,
    after_help = "Exit codes: 0 success, 1 failure (for extract, inspect, intel import, kb import DIR and index add: every input failed), 2 usage error, 3 invalid input, 4 name not found or ambiguous (also an unknown intel source, no code index), 5 warnings under analyze --strict, 6 kb or intel import refused (empty, or would remove more than 10 % of a source; --replace), 7 extract, inspect, intel import, kb import DIR or index add: some inputs failed (the others are written).\nThe store defaults to the platform data directory (e.g. ~/.local/share/ascribe/ascribe.db); an empty store is filled with the embedded default knowledge base on first use."
)]
struct Cli {
    /// Store file (SQLite). Defaults to the platform data directory.
    /// Not used by `inspect`, which reads no knowledge base.
    #[arg(long, global = true, env = "ASCRIBE_STORE", value_name = "PATH")]
    store: Option<PathBuf>,
    /// PostgreSQL database (postgres://…) for the KB and the intelligence.
    #[arg(long, global = true, env = "ASCRIBE_DATABASE", value_name = "URL")]
    database: Option<String>,
    /// When to colour the output (NO_COLOR is respected).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Assess a case directory: hypotheses, evidence, stress test, what to collect next.
    Analyze(AnalyzeArgs),
    /// Knowledge base: import, update, statistics, actor look-up.
    #[command(subcommand)]
    Kb(kb_cmd::KbCommand),
    /// Threat intelligence: import MISP/STIX/IOC lists, look up values, stats.
    #[command(subcommand)]
    Intel(intel_cmd::IntelCommand),
    /// Stores: copy the knowledge base and the intelligence between an
    /// embedded store file and PostgreSQL.
    #[command(subcommand)]
    Store(database::StoreCommand),
    /// Cases from other platforms: MISP events and STIX 2.1 bundles.
    #[command(subcommand)]
    Case(interop_cmd::CaseCommand),
    /// Extract indicators, techniques, actor and software mentions and
    /// attribution claims from reports (.txt, .md, .html, .pdf).
    Extract(ExtractArgs),
    /// Inspect PE, ELF and Mach-O files: hashes (md5, sha1, sha256, TLSH,
    /// ssdeep), imphash, Rich header, timestamps, resources and languages,
    /// PDB paths, signatures, sections, notable strings. Never executes them.
    Inspect(InspectArgs),
    /// The function-level code index: add reference samples of families.
    #[command(subcommand)]
    Index(code_cmd::IndexCommand),
    /// Families and samples of the code index that share code with a file:
    /// shared functions, weighted score, the strongest matched pairs with
    /// addresses, and how distinctive they are.
    Similar {
        /// The PE, ELF or Mach-O file to compare with the code index.
        file: PathBuf,
        /// Output as one JSON object.
        #[arg(long)]
        json: bool,
        /// Matched function pairs to show per family.
        #[arg(long, default_value_t = 5)]
        top: usize,
        /// On a sharded PostgreSQL store (--database), answer from the
        /// shards that are up when some are not; the output names the
        /// missing shards. Without it an unreachable shard is an error.
        #[arg(long)]
        allow_partial: bool,
    },
    /// The multi-user HTTP API and web interface (docs/server.md).
    #[cfg(feature = "server")]
    Serve(serve_cmd::ServeArgs),
}

#[derive(clap::Args)]
struct InspectArgs {
    /// Files or directories (searched recursively).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// One JSON object per file (JSON Lines).
    #[arg(long)]
    json: bool,
    /// Headers and directories only: no content hashes, entropy or strings.
    #[arg(long)]
    structural: bool,
    /// Worker threads (default: all cores; at most 4 per core, a larger
    /// number is lowered with a note).
    #[arg(long, short = 'j')]
    threads: Option<usize>,
    /// Also print the attribution hints of the whole batch (languages,
    /// time zone, toolchains, PDB users, signers, infrastructure).
    #[arg(long)]
    hints: bool,
}

#[derive(clap::Args)]
struct ExtractArgs {
    /// Files or directories (searched recursively).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// One JSON object per file (JSON Lines).
    #[arg(long)]
    json: bool,
    /// Leave out indicators (techniques, entities and claims only).
    #[arg(long)]
    no_indicators: bool,
    /// Run only these passes (comma-separated). `--only indicators` skips the
    /// vocabulary and claims passes and does not load the knowledge base:
    /// the fast path for IOC lists (BENCHMARKS.md, "Throughput").
    #[arg(long, value_enum, value_delimiter = ',', value_name = "PASS")]
    only: Vec<ExtractPass>,
}

/// One pass of `extract`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ExtractPass {
    /// Indicators of compromise.
    Indicators,
    /// ATT&CK technique ids and names.
    Techniques,
    /// Actor, software and country mentions.
    Entities,
    /// Attribution claims.
    Claims,
}

#[derive(clap::Args)]
struct AnalyzeArgs {
    /// Case directory (holding case.toml) or a case.toml file.
    case: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutFormat::Text)]
    format: OutFormat,
    /// Shorthand for --format json.
    #[arg(long, conflicts_with = "format")]
    json: bool,
    /// Write the report to a file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// On a sharded PostgreSQL store (--database), analyse with what the
    /// shards that are up hold when some are not; the report names the
    /// missing shards. Without it an unreachable shard is an error.
    #[arg(long)]
    allow_partial: bool,
    /// Prior probability that the actor is not in the knowledge base
    /// (default: the value fitted with the open set, BENCHMARKS.md).
    #[arg(long, default_value_t = ascribe_reason::Params::default().prior_unknown, value_parser = probability)]
    prior_unknown: f64,
    /// Extra temperature dividing every log-likelihood ratio (1 = as
    /// fitted: technique, software and timing ratios carry the temperature
    /// fitted on the ATT&CK benchmark; >1 is more cautious).
    #[arg(long, default_value_t = 1.0)]
    temperature: f64,
    /// Ignore knowledge-base links citing only reports whose name contains
    /// PATTERN (repeatable; adds to the case's exclude_citations).
    #[arg(long = "exclude-citation", value_name = "PATTERN")]
    exclude_citations: Vec<String>,
    /// List the N most probable hypotheses of the full ranking in the text
    /// and Markdown reports (JSON always carries the full ranking).
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// List every hypothesis with at least this posterior probability
    /// (with --top: either condition).
    #[arg(long, value_name = "P", value_parser = probability)]
    min_probability: Option<f64>,
    /// Assess with the knowledge published by this day (YYYY-MM-DD):
    /// knowledge-base links whose every citation is later are dropped, and
    /// the report says how much of the verdict rests on undated knowledge.
    /// Overrides the case's `as_of`.
    #[arg(long = "as-of", value_name = "DATE", value_parser = as_of_date)]
    as_of: Option<String>,
    /// Ignore the case's `as_of`: assess with everything the knowledge base
    /// knows today (hindsight included), e.g. to compare with the verdict
    /// that could be given on the day.
    #[arg(long = "no-as-of", conflicts_with = "as_of")]
    no_as_of: bool,
    /// Exit with code 5 when any warning (a line with a code such as
    /// W001 unknown-actor) is emitted; the report is still written.
    #[arg(long)]
    strict: bool,
    #[command(flatten)]
    interop: interop_cmd::ExportArgs,
}

fn as_of_date(s: &str) -> Result<String, String> {
    ascribe_core::parse_as_of(s).map(|d| d.to_string())
}

fn probability(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("'{s}' is not a number"))?;
    if v > 0.0 && v < 1.0 {
        Ok(v)
    } else {
        Err(format!("{v} is not strictly between 0 and 1"))
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum OutFormat {
    Text,
    Md,
    Json,
    /// STIX 2.1 bundle
    Stix,
    /// MISP event JSON
    Misp,
    /// ATT&CK Navigator layers (format 4.5)
    Navigator,
    /// one self-contained HTML page for decision-makers
    Html,
}

/// An error with a specific exit code.
#[derive(Debug)]
pub struct Exit {
    pub code: u8,
    pub message: String,
}

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Exit {}

pub fn exit(code: u8, message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Exit {
        code,
        message: message.into(),
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let code = if let Some(x) = e.downcast_ref::<Exit>() {
                x.code
            } else if let Some(ascribe_case::CaseError::Io { .. }) =
                e.downcast_ref::<ascribe_case::CaseError>()
            {
                // case.toml missing, unreadable, not a regular file, too large
                1
            } else if e.downcast_ref::<ascribe_case::CaseError>().is_some()
                || e.downcast_ref::<ascribe_kb::KbError>().is_some()
            {
                3
            } else {
                1
            };
            eprintln!("error: {}", error_message(&e));
            ExitCode::from(code)
        }
    }
}

/// The error with its causes, each said once: a cause whose text the
/// message already holds (errors that print their source, such as a
/// store's SQLite error with its path) is not repeated.
fn error_message(e: &anyhow::Error) -> String {
    let mut msg = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !c.is_empty() && !msg.contains(&c) {
            msg.push_str(": ");
            msg.push_str(&c);
        }
    }
    msg
}

/// Colour decision for a stream.
pub fn use_color(choice: ColorChoice, stream_is_tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stream_is_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    database::set_database_url(cli.database.clone());
    let out = match cli.command {
        Command::Store(cmd) => database::run(cmd)?,
        Command::Analyze(args) => analyze(cli.store.as_deref(), cli.color, args)?,
        Command::Kb(cmd) => kb_cmd::run(cli.store.as_deref(), cmd)?,
        Command::Intel(cmd) => intel_cmd::run(cli.store.as_deref(), cmd)?,
        Command::Case(cmd) => interop_cmd::run_case(cli.store.as_deref(), cmd)?,
        Command::Extract(args) => extract(cli.store.as_deref(), cli.color, args)?,
        Command::Inspect(args) => inspect(cli.color, args)?,
        Command::Index(cmd) => code_cmd::run(cli.store.as_deref(), cmd)?,
        Command::Similar {
            file,
            json,
            top,
            allow_partial,
        } => {
            database::set_allow_partial(allow_partial);
            code_cmd::similar(cli.store.as_deref(), &file, json, top)?
        }
        #[cfg(feature = "server")]
        Command::Serve(args) => serve_cmd::run(args)?,
    };
    emit(&out)
}

/// Write to standard output; a closed pipe (`| head`) is not an error.
pub fn emit(out: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// The store path: --store / ASCRIBE_STORE, else the platform data directory.
pub fn store_path(store: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = store {
        return Ok(p.to_path_buf());
    }
    let dir = dirs::data_dir().ok_or_else(|| {
        exit(1, "no platform data directory is known for this user; pass --store PATH or set ASCRIBE_STORE")
    })?;
    Ok(dir.join("ascribe").join("ascribe.db"))
}

/// The analysis output with the shards a partial read left out: a
/// `missing_shards` member in JSON, closing lines in text and Markdown.
fn partial_note(out: String, fmt: ascribe_report::Format, missing: &[String]) -> Result<String> {
    if missing.is_empty() || out.is_empty() {
        return Ok(out);
    }
    if fmt == ascribe_report::Format::Json {
        let mut v: serde_json::Value = serde_json::from_str(&out)?;
        if let Some(o) = v.as_object_mut() {
            o.insert("missing_shards".into(), serde_json::json!(missing));
        }
        return Ok(serde_json::to_string_pretty(&v)? + "\n");
    }
    let mut out = out;
    for m in missing {
        out.push_str(&format!(
            "\nPARTIAL: {m} did not answer; the knowledge, intelligence and code index share it holds are not in this analysis\n"
        ));
    }
    Ok(out)
}

/// Open the store (`--database`, else the store file), filling an empty one
/// with the embedded default knowledge base.
pub fn open_store(store: Option<&Path>) -> Result<Database> {
    if let Some(url) = database::database_url() {
        let mut s = database::open_postgres(url)?;
        if s.kb_is_empty()? {
            let facts = ascribe_kb::embedded::default_facts()?;
            s.put_kb_facts(&facts)?;
            eprintln!(
                "ascribe: loaded the embedded default knowledge base ({} entities, {} relations) into {}",
                facts.entities.len(),
                facts.relations.len(),
                s.location()
            );
        }
        return Ok(s);
    }
    let path = store_path(store)?;
    let (s, loaded) = ascribe_pipeline::open_store(&path).map_err(pipeline_error)?;
    if let Some(b) = loaded {
        eprintln!(
            "ascribe: loaded the embedded default knowledge base ({} entities, {} relations) into {}",
            b.entities,
            b.relations,
            path.display()
        );
    }
    Ok(Database::Sqlite(s))
}

/// A pipeline error as the CLI reports it: the exit code follows from the
/// error (`main`), the text says what to do on the command line.
fn pipeline_error(e: PipelineError) -> anyhow::Error {
    match e {
        PipelineError::Case(e) => e.into(),
        PipelineError::Kb(e) => e.into(),
        PipelineError::Store(e) => e.into(),
        PipelineError::StoreUnreadable { path, source } => unreadable_store(source, &path),
        PipelineError::Bootstrap { path, source } => anyhow::Error::new(source).context(format!(
            "loading the embedded knowledge base into {}",
            path.display()
        )),
        PipelineError::AsOf(m) => exit(2, m),
        // the only option the pipeline checks
        PipelineError::InvalidOption(_) => exit(2, "--temperature must be positive"),
        PipelineError::InvalidInput(m) => exit(3, m),
        e @ PipelineError::Io { .. } => exit(1, e.to_string()),
    }
}

/// A store error, with the way out when the file itself is damaged.
fn unreadable_store(e: ascribe_store::StoreError, path: &Path) -> anyhow::Error {
    match e {
        // these carry their own advice
        ascribe_store::StoreError::NotAStore { .. }
        | ascribe_store::StoreError::TooNew { .. }
        | ascribe_store::StoreError::Directory { .. } => e.into(),
        _ => anyhow::Error::new(e).context(format!(
            "store {} cannot be read; pass --store PATH (or set ASCRIBE_STORE) to use another file, or run `ascribe kb reset --force` to recreate this one with the default knowledge base (what it holds is lost)",
            path.display()
        )),
    }
}

/// The engine (knowledge-base facts, the knowledge base built on use) of a store.
pub fn engine(store: &Database) -> Result<ascribe_pipeline::Engine> {
    ascribe_pipeline::Engine::from_store(store).map_err(|e| match e {
        PipelineError::Store(e) => unreadable_store(e, Path::new(&store.location())),
        e => pipeline_error(e),
    })
}

/// Load and build the knowledge base.
pub fn load_kb(store: &Database) -> Result<Arc<KnowledgeBase>> {
    Ok(engine(store)?.knowledge_base())
}

/// Batches of at least this many files show a progress bar.
const PROGRESS_MIN_FILES: usize = 20;

/// A progress bar on standard error for a batch of `total` files, only when
/// standard error is a terminal (coloured unless NO_COLOR or --color never).
fn progress(color: ColorChoice, total: usize, verb: &str) -> Option<indicatif::ProgressBar> {
    let tty = std::io::stderr().is_terminal();
    if !tty || total < PROGRESS_MIN_FILES {
        return None;
    }
    let bar = if use_color(color, tty) {
        "{bar:30.cyan/blue}"
    } else {
        "{bar:30}"
    };
    let style = indicatif::ProgressStyle::with_template(&format!(
        "ascribe: {verb} {bar} {{pos}}/{{len}} files ({{elapsed}}, {{eta}} left)"
    ))
    .ok()?
    .progress_chars("=> ");
    let pb = indicatif::ProgressBar::new(total as u64);
    pb.set_style(style);
    Some(pb)
}

/// A line on standard error that does not tear the progress bar.
fn note(pb: &Option<indicatif::ProgressBar>, line: String) {
    match pb {
        Some(pb) => pb.suspend(|| eprintln!("{line}")),
        None => eprintln!("{line}"),
    }
}

fn inspect(color: ColorChoice, args: InspectArgs) -> Result<String> {
    use std::fmt::Write as _;
    if let Some(n) = args.threads {
        rayon_threads(n)?;
    }
    let opts = if args.structural {
        ascribe_binary::InspectOptions::structural()
    } else {
        ascribe_binary::InspectOptions::default()
    };
    let mut missing = 0usize;
    for p in &args.paths {
        if std::fs::symlink_metadata(p).is_err() {
            missing += 1;
            eprintln!("ascribe: {}: no such file or directory", p.display());
        }
    }
    let files: Vec<PathBuf> = ascribe_binary::walk_inputs(&args.paths).collect();
    if files.is_empty() {
        if missing > 0 {
            return Err(exit(1, "no input could be read"));
        }
        return Err(exit(3, "no files found under the given paths"));
    }
    let pb = progress(color, files.len(), "inspecting");
    let mut o = String::new();
    let mut reports = Vec::new();
    let mut failed = missing;
    for chunk in files.chunks(64) {
        for (p, r) in ascribe_binary::inspect_batch(chunk, &opts) {
            match r {
                Ok(rep) => {
                    if args.json {
                        o.push_str(&serde_json::to_string(&rep)?);
                        o.push('\n');
                    } else {
                        binaries::table_row(&mut o, &rep);
                    }
                    if args.hints {
                        reports.push(rep);
                    }
                }
                Err(e) => {
                    failed += 1;
                    note(
                        &pb,
                        format!(
                            "ascribe: {}: {}",
                            p.display(),
                            ascribe_pipeline::binaries::inspect_error_reason(&e)
                        ),
                    );
                }
            }
        }
        if let Some(pb) = &pb {
            pb.inc(chunk.len() as u64);
        }
    }
    if let Some(pb) = pb {
        pb.finish_and_clear();
    }
    if args.hints {
        let h = ascribe_binary::evidence_hints::derive(
            &reports,
            ascribe_pipeline::binaries::unix_now(),
        );
        if args.json {
            let _ = writeln!(o, "{}", serde_json::json!({ "hints": h }));
        } else {
            let _ = writeln!(
                o,
                "\nhints over {} file(s):\n{}",
                h.files,
                serde_json::to_string_pretty(&h)?
            );
        }
    }
    partial_failure(o, failed, files.len() + missing, "inspected")
}

/// The exit code of a batch of `total` inputs of which `failed` failed: 0
/// when none did, 1 when every one did, else 7 (the others are written). One
/// rule for `extract`, `inspect`, `intel import`, `kb import DIR` and
/// `index add`.
pub fn batch_exit_code(failed: usize, total: usize) -> u8 {
    match failed {
        0 => 0,
        f if f >= total => 1,
        _ => 7,
    }
}

/// The exit of a batch command (`extract`, `inspect`): the output when
/// every input was read; exit 1 when none was; else the output is written
/// and the exit code is 7.
fn partial_failure(out: String, failed: usize, total: usize, verb: &str) -> Result<String> {
    let code = batch_exit_code(failed, total);
    if code == 0 {
        return Ok(out);
    }
    if code == 1 {
        return Err(exit(
            1,
            format!("none of the {total} file(s) could be {verb}"),
        ));
    }
    emit(&out)?;
    Err(exit(
        code,
        format!("{failed} of {total} file(s) could not be {verb}; the others are written"),
    ))
}

/// The most worker threads `-j` starts: 4 per core.
fn max_threads() -> usize {
    4 * std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn rayon_threads(n: usize) -> Result<()> {
    let cap = max_threads();
    let n = if n > cap {
        eprintln!("ascribe: -j {n} lowered to {cap} (at most 4 threads per core)");
        cap
    } else {
        n
    };
    rayon::ThreadPoolBuilder::new()
        .num_threads(n.max(1))
        .build_global()
        .map_err(|e| exit(1, format!("cannot start {n} worker threads: {e}")))
}

fn extract(store: Option<&Path>, color: ColorChoice, args: ExtractArgs) -> Result<String> {
    let wants = |p: ExtractPass| args.only.is_empty() || args.only.contains(&p);
    let opts = ascribe_text::ExtractOptions {
        indicators: !args.no_indicators && wants(ExtractPass::Indicators),
        techniques: wants(ExtractPass::Techniques),
        entities: wants(ExtractPass::Entities),
        claims: wants(ExtractPass::Claims),
        ..Default::default()
    };
    // the vocabulary comes from the knowledge base; indicators alone need neither
    let vocab = if opts.techniques || opts.entities || opts.claims {
        let s = open_store(store)?;
        engine(&s)?.vocabulary()
    } else {
        std::sync::Arc::new(ascribe_text::Vocabulary::new())
    };
    let mut o = String::new();
    let mut failed = 0usize;
    let mut files = 0usize;
    // the files are listed first (cheap) so that the bar knows the total;
    // each is loaded when its turn comes
    let listed: Vec<Result<PathBuf, ascribe_text::TextError>> = args
        .paths
        .iter()
        .flat_map(ascribe_text::list_documents)
        .collect();
    let pb = progress(color, listed.len(), "extracting");
    for entry in listed {
        {
            if let Some(pb) = &pb {
                pb.inc(1);
            }
            files += 1;
            let path = match entry {
                Ok(path) => path,
                Err(e) => {
                    failed += 1;
                    note(&pb, format!("ascribe: {e}"));
                    continue;
                }
            };
            let ext = match ascribe_pipeline::reports::extract_file(&path, &vocab, &opts) {
                Ok(x) => x,
                Err(e) => {
                    failed += 1;
                    // the error names the file
                    note(&pb, format!("ascribe: {e}"));
                    continue;
                }
            };
            if args.json {
                // one document's JSON becomes the output as is (no copy of a
                // 100 MB string); later ones are appended
                let js = serde_json::to_string(&ext)?;
                if o.is_empty() {
                    o = js;
                } else {
                    o.push_str(&js);
                }
                o.push('\n');
                continue;
            }
            use std::fmt::Write as _;
            let _ = writeln!(
                o,
                "== {} ({} bytes, {} sentences)",
                path.display(),
                ext.stats.bytes,
                ext.stats.sentences
            );
            // the extraction's warnings begin with the document's
            for w in &ext.warnings {
                let _ = writeln!(o, "   warning: {w}");
            }
            for c in &ext.claims {
                let src = c
                    .source
                    .as_ref()
                    .map(|s| match &s.role {
                        Some(r) => format!("{} ({r})", s.name),
                        None => s.name.clone(),
                    })
                    .unwrap_or_else(|| "(no source)".into());
                let target = match &c.target.resolved {
                    Some(r) => format!("{} → {r}", c.target.surface),
                    None => c.target.surface.clone(),
                };
                let ids = if c.target.ids.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", c.target.ids.join(", "))
                };
                let _ = writeln!(
                    o,
                    "   claim  line {:>4}  {src} {:?} {target}{ids}{}{}",
                    c.location.line,
                    c.stance,
                    if c.hedges.is_empty() {
                        String::new()
                    } else {
                        format!("; hedges: {}", c.hedges.join(", "))
                    },
                    if c.alternatives.is_empty() {
                        String::new()
                    } else {
                        format!("; alternatives: {}", c.alternatives.join(", "))
                    }
                );
            }
            for t in &ext.techniques {
                let _ = writeln!(
                    o,
                    "   tech   line {:>4}  {} {}{}",
                    t.location.line,
                    t.attack_id,
                    t.name.as_deref().unwrap_or(""),
                    t.revoked_id
                        .as_deref()
                        .map(|r| format!(" (written {r}, revoked)"))
                        .unwrap_or_default()
                );
            }
            for e in &ext.entities {
                if matches!(
                    e.kind,
                    ascribe_text::EntityKind::Actor
                        | ascribe_text::EntityKind::Software
                        | ascribe_text::EntityKind::Country
                ) {
                    let _ = writeln!(
                        o,
                        "   {:<6} line {:>4}  \"{}\" → {}{}",
                        format!("{:?}", e.kind).to_lowercase(),
                        e.location.line,
                        e.surface,
                        e.ids.join(", "),
                        if e.ambiguous { " (ambiguous)" } else { "" }
                    );
                }
            }
            for i in &ext.indicators {
                let _ = writeln!(
                    o,
                    "   ioc    line {:>4}  {:?} {}{}",
                    i.location.line,
                    i.kind,
                    i.value,
                    if i.defanged { " (defanged)" } else { "" }
                );
            }
        }
    }
    if let Some(pb) = pb {
        pb.finish_and_clear();
    }
    if files == 0 {
        return Err(exit(3, "no readable report found (.txt, .md, .html, .pdf)"));
    }
    partial_failure(o, failed, files, "read")
}

fn analyze(store: Option<&Path>, color: ColorChoice, args: AnalyzeArgs) -> Result<String> {
    let format = if args.json {
        OutFormat::Json
    } else {
        args.format
    };
    if args.interop.tlp.is_some()
        && !matches!(format, OutFormat::Stix | OutFormat::Misp | OutFormat::Html)
    {
        // never hand out an unmarked report to someone who asked for a marking
        return Err(exit(
            2,
            "--tlp marks a STIX, MISP or HTML export (--format stix, misp or html); the other formats carry no TLP marking",
        ));
    }
    let case = ascribe_pipeline::CaseInput::path(&args.case)
        .load()
        .map_err(pipeline_error)?;
    database::set_allow_partial(args.allow_partial);
    let s = open_store(store)?;
    let engine = ascribe_pipeline::Engine::from_store(&s).map_err(pipeline_error)?;
    // the bar follows the pipeline's file stages (reports, binaries, code index)
    let pb = progress(color, case.files.len(), "{msg}");
    let bar = pb.clone().map(|pb| -> ascribe_pipeline::Progress {
        Arc::new(move |stage, done, total| {
            use ascribe_pipeline::Stage;
            let verb = match stage {
                Stage::Reports => "reading reports",
                Stage::Binaries => "inspecting binaries",
                Stage::CodeReuse => "searching the code index",
                Stage::KnowledgeBase | Stage::Reasoning => return,
            };
            pb.set_message(verb);
            pb.set_length(total as u64);
            pb.set_position(done as u64);
        })
    });
    let opts = ascribe_pipeline::AnalyzeOptions {
        prior_unknown: args.prior_unknown,
        temperature: args.temperature,
        exclude_citations: args.exclude_citations.clone(),
        as_of: match (&args.as_of, args.no_as_of) {
            (Some(d), _) => ascribe_pipeline::AsOf::On(d.clone()),
            (None, true) => ascribe_pipeline::AsOf::Ignore,
            (None, false) => ascribe_pipeline::AsOf::FromCase,
        },
        strict: args.strict,
        top: args.top,
        min_probability: args.min_probability,
        // with --database the code index is the database's
        code_index: code_cmd::index_dir(store)
            .ok()
            .filter(|_| database::database_url().is_none()),
        code: database::pipeline_code()?,
        intel_store: s.sqlite().map(|s| s.path().to_path_buf()),
        intel: database::pipeline_intel()?,
        progress: bar,
    };
    // what the exports need besides the assessment: the case as analysed
    // (its observations, those read from reports included) and the
    // knowledge base as of the analysis date
    let mut analysed = case.case.clone();
    let analysis = engine.analyze_case(case, &opts);
    if let Some(pb) = pb {
        pb.finish_and_clear();
    }
    let analysis = analysis.map_err(pipeline_error)?;
    let missing = database::missing_shards(&s);
    for m in &missing {
        eprintln!("ascribe: PARTIAL: {m} did not answer; the knowledge, intelligence and code index share it holds are not in this analysis");
    }
    let fmt = match format {
        OutFormat::Text => ascribe_report::Format::Text,
        OutFormat::Md => ascribe_report::Format::Markdown,
        OutFormat::Json => ascribe_report::Format::Json,
        other => {
            let name = other.to_possible_value().map(|v| v.get_name().to_string());
            let name = name.unwrap_or_default();
            let as_of = match &opts.as_of {
                ascribe_pipeline::AsOf::On(d) => Some(d.clone()),
                ascribe_pipeline::AsOf::Ignore => None,
                ascribe_pipeline::AsOf::FromCase => analysed.as_of.clone(),
            };
            let mut patterns = analysed.exclude_citations.clone();
            patterns.extend(args.exclude_citations.iter().cloned());
            let kb = engine
                .knowledge_base_as_of(as_of.as_deref(), &patterns)
                .map_err(pipeline_error)?;
            analysed.as_of = as_of;
            analysed.observations = analysis.observations.clone();
            let (a, o) = (&analysis.assessment, args.output.as_deref());
            return interop_cmd::export(
                &name,
                a,
                &analysed,
                &kb,
                &args.interop,
                o,
                analysis.strict_failure.clone(),
            );
        }
    };
    let out = match args.output {
        Some(path) => {
            let out = analysis.render(fmt, false);
            std::fs::write(&path, out).with_context(|| format!("writing {}", path.display()))?;
            String::new()
        }
        None => analysis.render(fmt, use_color(color, std::io::stdout().is_terminal())),
    };
    let out = partial_note(out, fmt, &missing)?;
    match analysis.strict_failure {
        Some(msg) => {
            emit(&out)?;
            Err(exit(5, msg))
        }
        None => Ok(out),
    }
}
