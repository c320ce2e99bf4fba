//! ascribe's case pipeline as a library: a case (a directory, or
//! `case.toml` text and evidence files a caller holds) through the
//! extractors to observations, and the observations to an assessment.
//!
//! The `ascribe` CLI (`analyze`, `extract`, `similar`) and the HTTP server
//! both call this crate; it prints nothing and never exits.
//!
//! # How to call it
//!
//! 1. Build an [`Engine`] once from the knowledge-base facts:
//!    [`Engine::from_store`] (any [`ascribe_store::Store`]; [`open_store`]
//!    opens the embedded SQLite store and fills an empty one with the
//!    default knowledge base) or [`Engine::from_facts`]. The engine builds
//!    the [`ascribe_kb::KnowledgeBase`] on first use and keeps it, and keeps
//!    the knowledge bases cut as of an analysis date (or by a leakage
//!    rule), so share one engine (`Arc<Engine>`) between analyses and
//!    threads; build a new one after the store changes.
//! 2. Describe the case with a [`CaseInput`]: [`CaseInput::Path`] (a case
//!    directory), [`CaseInput::Files`] (`case.toml` text plus evidence files
//!    stored anywhere, each with its name in the case) or
//!    [`CaseInput::Memory`] (`case.toml` text plus named byte buffers).
//! 3. Call [`Engine::analyze`] with [`AnalyzeOptions`] (`Default` is what
//!    `ascribe analyze CASE` does, but the code index is yours to name:
//!    [`code::index_dir`] of the store path). It is synchronous and CPU-bound (it
//!    inspects binaries in rayon's pool): from async code, run it on a
//!    blocking thread (`tokio::task::spawn_blocking`). Progress is reported
//!    through [`AnalyzeOptions::progress`].
//! 4. Read the [`Analysis`]: the [`ascribe_core::Assessment`] (with every
//!    note and coded warning of the pipeline), the observations weighed or
//!    shown, and the files that could not be used (a bad file is reported,
//!    the others are analysed). [`Analysis::render`] writes the text,
//!    Markdown or JSON report.
//!
//! Errors are [`PipelineError`]s whose messages say what to do;
//! [`PipelineError::is_input_error`] tells the caller's mistakes (a
//! malformed `case.toml`, a part named `../x`, a bad date) from the
//! store's or the machine's.
//!
//! Limits: `case.toml` and each evidence file are bounded as for a case
//! directory (`ascribe_case::MAX_CASE_BYTES`, `ascribe_case::MAX_FILES`
//! files, the extractors' size limits); the total size of a
//! [`CaseInput::Memory`] is the caller's to bound (it is held in memory
//! and written to a temporary directory once).
//!
//! ```
//! use ascribe_pipeline::{AnalyzeOptions, CaseInput, Engine};
//! use std::sync::Arc;
//!
//! # fn main() -> Result<(), ascribe_pipeline::PipelineError> {
//! // once, at start-up (a server: from its store, `Engine::from_store`)
//! let engine = Arc::new(Engine::from_facts(ascribe_kb::embedded::default_facts()?));
//!
//! // per analysis
//! let case_toml = r#"
//! [case]
//! name = "Example"
//!
//! [[source]]
//! id = "ir"
//! title = "Incident response notes"
//! kind = "vendor"
//!
//! [[technique]]
//! id = "T1485"
//! source = "ir"
//! "#;
//! let input = CaseInput::Memory {
//!     case_toml: case_toml.into(),
//!     files: vec![("notes/readme.txt".into(), b"Nothing attributable here.".to_vec())],
//! };
//! let progress: ascribe_pipeline::Progress =
//!     Arc::new(|stage, done, total| eprintln!("{stage:?} {done}/{total}"));
//! let opts = AnalyzeOptions { progress: Some(progress), ..Default::default() };
//! let analysis = engine.analyze(&input, &opts)?;
//! assert!(analysis.file_errors.is_empty());
//! assert!(!analysis.assessment.hypotheses.is_empty());
//! let json = analysis.render(ascribe_report::Format::Json, false);
//! assert!(json.contains("\"ascribe.assessment/"));
//! # Ok(())
//! # }
//! ```
//!
//! Modules: [`reports`] (report text → observations, the extractor's
//! vocabulary from the knowledge base), [`binaries`] (inspection hints →
//! observations), [`code`] (code-index matches → observations, reading the
//! index), [`mod@store`] (opening the embedded store).

pub mod binaries;
pub mod code;
mod engine;
mod input;
pub mod reports;
pub mod store;

pub use engine::{
    strict_summary, Analysis, AnalyzeOptions, AsOf, Engine, FileError, Progress, Stage,
};
pub use input::{CaseInput, EvidenceFile, LoadedCase};
pub use store::{open_store, Bootstrapped};

use std::path::PathBuf;

/// Why an analysis (or opening the store) failed. Problems with single
/// evidence files are not errors: they are [`FileError`]s in the
/// [`Analysis`].
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// `case.toml` is missing, unreadable, too large
    /// ([`ascribe_case::CaseError::Io`]) or malformed
    /// ([`ascribe_case::CaseError::Invalid`], with file:line:column and
    /// what to write instead).
    #[error(transparent)]
    Case(#[from] ascribe_case::CaseError),
    /// Evidence parts that cannot form a case (a name with `..`, given
    /// twice, too many files): the message says what to send instead.
    #[error("{0}")]
    InvalidInput(String),
    /// A file the pipeline needed (not an evidence file) could not be
    /// written or read.
    #[error("{}: {message}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// What happened.
        message: String,
    },
    /// The knowledge-base facts could not be loaded from the store.
    #[error(transparent)]
    Store(#[from] ascribe_store::StoreError),
    /// The store file cannot be opened or read.
    #[error("store {} cannot be read; use another store file, or recreate this one with the default knowledge base (`ascribe kb reset --force`; what it holds is lost)", path.display())]
    StoreUnreadable {
        /// The store file.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: ascribe_store::StoreError,
    },
    /// The embedded default knowledge base could not be written into an
    /// empty store.
    #[error("loading the embedded knowledge base into {}", path.display())]
    Bootstrap {
        /// The store file.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: ascribe_store::StoreError,
    },
    /// The embedded default knowledge base could not be decoded.
    #[error(transparent)]
    Kb(#[from] ascribe_kb::KbError),
    /// The analysis date cannot be read; the message says which form to use.
    #[error("{0}")]
    AsOf(String),
    /// An option out of range (a temperature that is not positive).
    #[error("{0}")]
    InvalidOption(String),
}

impl PipelineError {
    /// Whether the caller's input is at fault (the case, its parts, the
    /// options: an HTTP server answers 4xx) rather than the store or the
    /// machine (5xx).
    pub fn is_input_error(&self) -> bool {
        matches!(
            self,
            PipelineError::Case(_)
                | PipelineError::InvalidInput(_)
                | PipelineError::AsOf(_)
                | PipelineError::InvalidOption(_)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A server shares one engine between threads and moves options,
    /// inputs and results across them.
    #[test]
    fn engine_and_values_cross_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Engine>();
        send_sync::<AnalyzeOptions>();
        send_sync::<CaseInput>();
        send_sync::<LoadedCase>();
        send_sync::<Analysis>();
        send_sync::<PipelineError>();
    }
}
