//! `ascribe`: attribution of cyber intrusions as a reproducible computation.
//!
//! Exit codes: 0 success; 1 failure (IO, store, network); 2 usage error;
//! 3 invalid input (a malformed case or knowledge-base document);
//! 4 a name that is not in the knowledge base or is ambiguous.

mod kb_cmd;

use anyhow::{Context, Result};
use ascribe_kb::KnowledgeBase;
use ascribe_store::{SqliteStore, Store};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "ascribe",
    version,
    about = "Attribution engine for cyber intrusions: competing hypotheses, calibrated probabilities, forge costs and a false-flag stress test",
    long_about = None,
    after_help = "Exit codes: 0 success, 1 failure, 2 usage error, 3 invalid input, 4 name not found or ambiguous.\nThe store defaults to the platform data directory (e.g. ~/.local/share/ascribe/ascribe.db); an empty store is filled with the embedded default knowledge base on first use."
)]
struct Cli {
    /// Store file (SQLite). Defaults to the platform data directory.
    #[arg(long, global = true, env = "ASCRIBE_STORE", value_name = "PATH")]
    store: Option<PathBuf>,
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
}

#[derive(clap::Args)]
struct AnalyzeArgs {
    /// Case directory (holding case.toml) or a case.toml file.
    case: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutFormat::Text)]
    format: OutFormat,
    /// Shorthand for --format json.
    #[arg(long)]
    json: bool,
    /// Write the report to a file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Prior probability that the actor is not in the knowledge base.
    #[arg(long, default_value_t = 0.2, value_parser = probability)]
    prior_unknown: f64,
    /// Temperature dividing every log-likelihood ratio (calibration).
    #[arg(long, default_value_t = 1.0)]
    temperature: f64,
    /// Ignore knowledge-base links citing only reports whose name contains
    /// PATTERN (repeatable; adds to the case's exclude_citations).
    #[arg(long = "exclude-citation", value_name = "PATTERN")]
    exclude_citations: Vec<String>,
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
            } else if e.downcast_ref::<ascribe_case::CaseError>().is_some()
                || e.downcast_ref::<ascribe_kb::KbError>().is_some()
            {
                3
            } else {
                1
            };
            eprintln!("error: {e:#}");
            ExitCode::from(code)
        }
    }
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
    let out = match cli.command {
        Command::Analyze(args) => analyze(cli.store.as_deref(), cli.color, args)?,
        Command::Kb(cmd) => kb_cmd::run(cli.store.as_deref(), cmd)?,
    };
    emit(&out)
}

/// Write to standard output; a closed pipe (`| head`) is not an error.
fn emit(out: &str) -> Result<()> {
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

/// Open the store, filling an empty one with the embedded default knowledge base.
pub fn open_store(store: Option<&Path>) -> Result<SqliteStore> {
    let path = store_path(store)?;
    let mut s = SqliteStore::open(&path)?;
    if s.kb_is_empty()? {
        let facts = ascribe_kb::embedded::default_facts()?;
        s.put_kb_facts(&facts).with_context(|| {
            format!(
                "loading the embedded knowledge base into {}",
                path.display()
            )
        })?;
        eprintln!(
            "ascribe: loaded the embedded default knowledge base ({} entities, {} relations) into {}",
            facts.entities.len(),
            facts.relations.len(),
            path.display()
        );
    }
    Ok(s)
}

/// Load and build the knowledge base.
pub fn load_kb(store: &SqliteStore) -> Result<KnowledgeBase> {
    let facts = store.load_kb_facts()?;
    Ok(KnowledgeBase::build(&facts))
}

fn analyze(store: Option<&Path>, color: ColorChoice, args: AnalyzeArgs) -> Result<String> {
    let case = ascribe_case::load_case(&args.case)?;
    let s = open_store(store)?;
    let mut patterns = case.exclude_citations.clone();
    patterns.extend(args.exclude_citations.iter().cloned());
    let facts = s.load_kb_facts()?;
    let (facts, removed) = ascribe_kb::without_citations(&facts, &patterns);
    let kb = KnowledgeBase::build(&facts);
    let params = ascribe_reason::Params {
        prior_unknown: args.prior_unknown,
        temperature: if args.temperature > 0.0 {
            args.temperature
        } else {
            return Err(exit(2, "--temperature must be positive"));
        },
        ..Default::default()
    };
    let mut assessment = ascribe_reason::assess(&case, &kb, &params);
    if !patterns.is_empty() {
        assessment.warnings.push(format!(
            "leakage rule: {removed} knowledge-base link(s) citing only reports matching {} were ignored",
            patterns.iter().map(|p| format!("'{p}'")).collect::<Vec<_>>().join(", ")
        ));
    }
    if !case.files.is_empty() {
        assessment.warnings.push(format!(
            "{} evidence file(s) in the case directory are not analysed by this version (binary and report extractors plug in here): {}",
            case.files.len(),
            case.files.iter().take(10).cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    let format = if args.json {
        OutFormat::Json
    } else {
        args.format
    };
    let fmt = match format {
        OutFormat::Text => ascribe_report::Format::Text,
        OutFormat::Md => ascribe_report::Format::Markdown,
        OutFormat::Json => ascribe_report::Format::Json,
    };
    match args.output {
        Some(path) => {
            let out = ascribe_report::render(&assessment, fmt, false);
            std::fs::write(&path, out).with_context(|| format!("writing {}", path.display()))?;
            Ok(String::new())
        }
        None => Ok(ascribe_report::render(
            &assessment,
            fmt,
            use_color(color, std::io::stdout().is_terminal()),
        )),
    }
}
