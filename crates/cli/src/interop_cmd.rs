//! `ascribe case from-misp|from-stix` and `ascribe analyze --format
//! stix|misp|navigator|html` (crate `ascribe-interop`).

use crate::exit;
use anyhow::{Context, Result};
use ascribe_interop::{ExportOptions, ImportedCase, InteropError, Tlp};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Cases from other platforms.
#[derive(clap::Subcommand)]
pub enum CaseCommand {
    /// A MISP event (JSON export or REST response) becomes a case
    /// directory: indicators, techniques, software, actor claims with their
    /// source, attachments as evidence files (malware samples zipped, never
    /// executable), event reports as report files, and IMPORT-REPORT.md
    /// saying what was kept and what was not mapped.
    FromMisp(ImportArgs),
    /// A STIX 2.1 bundle (e.g. an OpenCTI export of a report or incident)
    /// becomes a case directory: observables and indicators,
    /// attack-patterns, malware and tools, attributed-to claims with their
    /// created_by_ref identity as the claimant. A bundle ascribe exported is
    /// restored exactly (its verdict is never read back as evidence).
    FromStix(ImportArgs),
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The JSON document to import.
    pub file: PathBuf,
    /// The case directory to write (default: the file's name without its
    /// extension, with `.case`, in the current directory).
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Write into a directory that already holds a case.toml.
    #[arg(long)]
    pub force: bool,
    /// Print the import summary as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Options of `analyze` for the interoperability formats.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// TLP 2.0 marking of a STIX, MISP or HTML export: clear, green, amber,
    /// amber+strict or red (the other formats carry no marking and refuse it).
    #[arg(long, value_name = "LEVEL", value_parser = tlp)]
    pub tlp: Option<Tlp>,
}

fn tlp(s: &str) -> Result<Tlp, String> {
    Tlp::parse(s).ok_or_else(|| {
        format!("'{s}' is not a TLP 2.0 level: clear, green, amber, amber+strict, red")
    })
}

fn invalid(e: InteropError) -> anyhow::Error {
    match e {
        InteropError::Io { .. } => exit(1, e.to_string()),
        _ => exit(3, e.to_string()),
    }
}

/// Read an input document (regular files only, bounded).
fn read_input(path: &Path) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| exit(1, format!("{}: {e}", path.display())))?;
    if !meta.is_file() {
        return Err(exit(1, format!("{}: not a regular file", path.display())));
    }
    if meta.len() > ascribe_interop::MAX_INPUT_BYTES as u64 {
        return Err(exit(
            3,
            format!(
                "{}: {} bytes is more than the {} accepted",
                path.display(),
                meta.len(),
                ascribe_interop::MAX_INPUT_BYTES
            ),
        ));
    }
    std::fs::read(path).map_err(|e| exit(1, format!("{}: {e}", path.display())))
}

pub fn run_case(store: Option<&Path>, cmd: CaseCommand) -> Result<String> {
    let (args, kind) = match cmd {
        CaseCommand::FromMisp(a) => (a, "misp"),
        CaseCommand::FromStix(a) => (a, "stix"),
    };
    let bytes = read_input(&args.file)?;
    let origin = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| args.file.display().to_string());
    let imp = if kind == "misp" {
        // the knowledge base names ATT&CK techniques written without their id
        let kb = crate::load_kb(&crate::open_store(store)?)?;
        ascribe_interop::misp_in::from_misp_with(&bytes, &origin, Some(&kb))
    } else {
        ascribe_interop::stix_in::from_stix(&bytes, &origin)
    }
    .map_err(invalid)?;
    let dir = args.output.clone().unwrap_or_else(|| {
        let stem = args
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "imported".into());
        PathBuf::from(format!("{stem}.case"))
    });
    if dir.join("case.toml").exists() && !args.force {
        return Err(exit(
            1,
            format!(
                "{} already holds a case.toml; pass --force to overwrite it or -o DIR for another directory",
                dir.display()
            ),
        ));
    }
    imp.write(&dir, &origin).map_err(invalid)?;
    Ok(summary(&imp, &dir, args.json))
}

fn summary(imp: &ImportedCase, dir: &Path, json: bool) -> String {
    let (kept, dropped) = imp.totals();
    if json {
        return serde_json::json!({
            "case": dir.display().to_string(),
            "name": imp.case.name,
            "observations": imp.case.observations.len(),
            "sources": imp.case.sources.len(),
            "files": imp.files.iter().map(|f| f.0.clone()).collect::<Vec<_>>(),
            "kept": kept,
            "dropped": dropped,
            "mappings": imp.counts,
            "not_mapped": imp.unmapped,
        })
        .to_string()
            + "\n";
    }
    let mut o = String::new();
    let _ = writeln!(
        o,
        "wrote {} ({}: {} observation(s), {} source(s), {} file(s)); {kept} item(s) kept, {dropped} not mapped",
        dir.join("case.toml").display(),
        imp.case.name,
        imp.case.observations.len(),
        imp.case.sources.len(),
        imp.files.len()
    );
    for (m, c) in &imp.counts {
        let _ = writeln!(o, "  {m}: {} kept, {} dropped", c.kept, c.dropped);
    }
    if !imp.unmapped.is_empty() {
        let _ = writeln!(o, "not mapped (also in IMPORT-REPORT.md):");
        for u in imp.unmapped.iter().take(30) {
            let _ = writeln!(o, "  - {u}");
        }
        if imp.unmapped.len() > 30 {
            let _ = writeln!(o, "  … {} more", imp.unmapped.len() - 30);
        }
    }
    o
}

/// Render the assessment in an interoperability format (`stix`, `misp`,
/// `navigator`, `html`); written to `output` when given (for `navigator`,
/// a directory gets one file per layer, anything else one JSON list of
/// layers). Returns what goes to standard output.
pub fn export(
    format: &str,
    a: &ascribe_core::Assessment,
    case: &ascribe_core::Case,
    kb: &ascribe_kb::KnowledgeBase,
    args: &ExportArgs,
    output: Option<&Path>,
    strict_failure: Option<String>,
) -> Result<String> {
    let opts = ExportOptions {
        tlp: args.tlp,
        ..Default::default()
    };
    let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_default() + "\n";
    let out = match format {
        "stix" => pretty(&ascribe_interop::stix_out::bundle(a, case, Some(kb), &opts)),
        "misp" => pretty(&ascribe_interop::misp_out::event(a, case, Some(kb), &opts)),
        "html" => ascribe_interop::html::report(a, &opts),
        _ => {
            let layers = ascribe_interop::navigator::layers(a, case, Some(kb), &opts);
            if let Some(dir) = output.filter(|p| p.is_dir()) {
                for (stem, layer) in &layers {
                    let p = dir.join(format!("{stem}.json"));
                    std::fs::write(&p, pretty(layer))
                        .with_context(|| format!("writing {}", p.display()))?;
                }
                return finish(String::new(), strict_failure);
            }
            pretty(&serde_json::Value::Array(
                layers.into_iter().map(|(_, l)| l).collect(),
            ))
        }
    };
    match output {
        Some(p) => {
            std::fs::write(p, &out).with_context(|| format!("writing {}", p.display()))?;
            finish(String::new(), strict_failure)
        }
        None => finish(out, strict_failure),
    }
}

fn finish(out: String, strict_failure: Option<String>) -> Result<String> {
    match strict_failure {
        Some(msg) => {
            crate::emit(&out)?;
            Err(exit(5, msg))
        }
        None => Ok(out),
    }
}
