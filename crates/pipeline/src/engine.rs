//! The engine: knowledge bases built once and shared, and the analysis of
//! a case.

use ascribe_core::{AsOfReport, Assessment, Case, KbFacts, Observation};
use ascribe_kb::KnowledgeBase;
use ascribe_store::Store;
use ascribe_text::Vocabulary;
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use crate::{binaries, code, reports, CaseInput, EvidenceFile, LoadedCase, PipelineError};

/// Knowledge bases cut for an analysis date or a leakage rule kept at most
/// (the uncut one is always kept).
const MAX_CACHED_CUTS: usize = 8;

/// A step of the analysis, for progress reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Building (or cutting as of a date) the knowledge base: 0/1 then 1/1.
    KnowledgeBase,
    /// Reading the case's reports: files done of total.
    Reports,
    /// Inspecting the case's binaries: files done of total.
    Binaries,
    /// Searching the binaries in the code index: files done of total.
    CodeReuse,
    /// Weighing the evidence: 0/1 then 1/1.
    Reasoning,
}

/// A progress callback: `(stage, done, total)`. Called on the analysing
/// thread; it must return quickly. A stage that does not run (no reports,
/// no binaries, no code index) is not reported.
pub type Progress = Arc<dyn Fn(Stage, usize, usize) + Send + Sync>;

/// Which analysis date to assess the case with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum AsOf {
    /// The case's own `as_of`, if it has one.
    #[default]
    FromCase,
    /// This date (`YYYY-MM-DD`), overriding the case's.
    On(String),
    /// No date: everything the knowledge base knows today (hindsight
    /// included), even when the case has an `as_of`.
    Ignore,
}

/// How to analyse. `Default` is what `ascribe analyze CASE` does, except
/// that it searches no code index (set [`AnalyzeOptions::code_index`]).
#[derive(Clone)]
pub struct AnalyzeOptions {
    /// Prior probability that the actor is not in the knowledge base.
    pub prior_unknown: f64,
    /// Extra temperature dividing every log-likelihood ratio (> 0; 1 = as fitted).
    pub temperature: f64,
    /// Leakage rule: knowledge-base links citing only reports whose name
    /// contains one of these are ignored (added to the case's own).
    pub exclude_citations: Vec<String>,
    /// The analysis date.
    pub as_of: AsOf,
    /// Fill [`Analysis::strict_failure`] when any warning is emitted.
    pub strict: bool,
    /// Text/Markdown rendering: the N most probable hypotheses.
    pub top: Option<usize>,
    /// Text/Markdown rendering: every hypothesis at or above this posterior.
    pub min_probability: Option<f64>,
    /// The code index directory (`code::index_dir(store path)`); `None` or
    /// a missing directory: no code-reuse search (a note says so).
    pub code_index: Option<PathBuf>,
    /// An open code index searched instead of `code_index` (a networked
    /// store such as PostgreSQL, shared by analyses).
    pub code: Option<std::sync::Arc<dyn code::CodeSearch + Send + Sync>>,
    /// The store whose threat intelligence the case's indicators (and its
    /// binaries' SHA-256) are matched against, opened for this analysis;
    /// `None`: only the case's own `intel/` files.
    pub intel_store: Option<PathBuf>,
    /// An open indicator store matched in addition to `intel_store` (a
    /// networked backend such as PostgreSQL, shared by analyses).
    pub intel: Option<std::sync::Arc<dyn ascribe_store::IntelStore + Send + Sync>>,
    /// Called as the analysis advances.
    pub progress: Option<Progress>,
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        AnalyzeOptions {
            prior_unknown: ascribe_reason::Params::default().prior_unknown,
            temperature: 1.0,
            exclude_citations: Vec::new(),
            as_of: AsOf::FromCase,
            strict: false,
            top: None,
            min_probability: None,
            code_index: None,
            code: None,
            intel_store: None,
            intel: None,
            progress: None,
        }
    }
}

impl std::fmt::Debug for AnalyzeOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnalyzeOptions")
            .field("prior_unknown", &self.prior_unknown)
            .field("temperature", &self.temperature)
            .field("exclude_citations", &self.exclude_citations)
            .field("as_of", &self.as_of)
            .field("strict", &self.strict)
            .field("top", &self.top)
            .field("min_probability", &self.min_probability)
            .field("code_index", &self.code_index)
            .field("code", &self.code.as_ref().map(|_| "index"))
            .field("intel_store", &self.intel_store)
            .field("intel", &self.intel.as_ref().map(|_| "store"))
            .field("progress", &self.progress.as_ref().map(|_| "callback"))
            .finish()
    }
}

/// A file the analysis could not use; the others were analysed. The same
/// problem is also a `W008` line (or a note) in the assessment's warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// The file's name in the case.
    pub file: String,
    /// Where it failed.
    pub stage: Stage,
    /// Why.
    pub message: String,
}

/// The result of an analysis.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The assessment, with every note and warning of the pipeline in
    /// `warnings` and their codes in `diagnostics`.
    pub assessment: Assessment,
    /// Every observation weighed or shown: the case's own, then those the
    /// extractors found (reports, binaries, code reuse).
    pub observations: Vec<Observation>,
    /// Files that could not be read, inspected or searched.
    pub file_errors: Vec<FileError>,
    /// With [`AnalyzeOptions::strict`] and at least one warning: the
    /// warnings by code (`--strict: 2 warning(s): W001 unknown-actor ×2`).
    pub strict_failure: Option<String>,
    /// What the text and Markdown reports list (from `top` and `min_probability`).
    pub report_options: ascribe_report::Options,
}

impl Analysis {
    /// The report in a format (`color`: ANSI bold headings, text only).
    pub fn render(&self, format: ascribe_report::Format, color: bool) -> String {
        ascribe_report::render_with(&self.assessment, format, color, &self.report_options)
    }
}

/// A knowledge base built from (possibly cut) facts, with what the cut did.
struct BuiltKb {
    kb: Arc<KnowledgeBase>,
    vocab: OnceLock<Arc<Vocabulary>>,
    /// What the as-of cut did (with an analysis date).
    as_of: Option<AsOfReport>,
    /// Links the leakage rule removed.
    removed: usize,
    /// The stored ATT&CK links carry no dates (a store filled by an
    /// ascribe older than citation dating): nothing could be cut.
    undated_store: bool,
}

impl BuiltKb {
    fn vocabulary(&self) -> Arc<Vocabulary> {
        self.vocab
            .get_or_init(|| Arc::new(reports::vocabulary(&self.kb)))
            .clone()
    }
}

/// The key of a cut: the analysis date and the leakage patterns.
type CutKey = (Option<String>, Vec<String>);
type Slot = Arc<Mutex<Option<Arc<BuiltKb>>>>;

/// Knowledge-base facts and the knowledge bases built from them, shared by
/// every analysis: build one `Engine` per store (and rebuild it after the
/// store changes), wrap it in an `Arc`, and call [`Engine::analyze`] from
/// as many threads as you like. Building the knowledge base happens once
/// (on first use), and once per analysis date or leakage rule (the 8
/// built last are kept besides the uncut one; an analysis still using an
/// evicted one keeps it until it ends).
pub struct Engine {
    facts: Arc<KbFacts>,
    cuts: Mutex<(HashMap<CutKey, Slot>, VecDeque<CutKey>)>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("entities", &self.facts.entities.len())
            .field("relations", &self.facts.relations.len())
            .finish()
    }
}

impl Engine {
    /// An engine over these facts.
    pub fn from_facts(facts: KbFacts) -> Engine {
        Engine::from_shared_facts(Arc::new(facts))
    }

    /// An engine over shared facts.
    pub fn from_shared_facts(facts: Arc<KbFacts>) -> Engine {
        Engine {
            facts,
            cuts: Mutex::new((HashMap::new(), VecDeque::new())),
        }
    }

    /// An engine over the facts of a store (read once, now).
    ///
    /// Errors: [`PipelineError::Store`] when the facts cannot be loaded.
    pub fn from_store<S: Store + ?Sized>(store: &S) -> Result<Engine, PipelineError> {
        Ok(Engine::from_facts(store.load_kb_facts()?))
    }

    /// The facts.
    pub fn facts(&self) -> &Arc<KbFacts> {
        &self.facts
    }

    /// The knowledge base of all facts (built on first use, then shared).
    pub fn knowledge_base(&self) -> Arc<KnowledgeBase> {
        self.base().kb.clone()
    }

    /// The report extractor's vocabulary of the whole knowledge base (built
    /// on first use, then shared).
    pub fn vocabulary(&self) -> Arc<Vocabulary> {
        self.base().vocabulary()
    }

    fn base(&self) -> Arc<BuiltKb> {
        self.cut(None, &[])
            .expect("the uncut knowledge base needs no date")
    }

    /// The knowledge base as known on `as_of` (`YYYY-MM-DD`) with links
    /// citing only reports matching `exclude_citations` removed; cached.
    ///
    /// Errors: [`PipelineError::AsOf`] for a date that cannot be read.
    pub fn knowledge_base_as_of(
        &self,
        as_of: Option<&str>,
        exclude_citations: &[String],
    ) -> Result<Arc<KnowledgeBase>, PipelineError> {
        Ok(self.cut(as_of, exclude_citations)?.kb.clone())
    }

    fn cut(&self, as_of: Option<&str>, patterns: &[String]) -> Result<Arc<BuiltKb>, PipelineError> {
        let key: CutKey = (as_of.map(str::to_string), patterns.to_vec());
        let slot = {
            let mut guard = self.cuts.lock().unwrap_or_else(|e| e.into_inner());
            let (map, order) = &mut *guard;
            match map.get(&key) {
                Some(s) => s.clone(),
                None => {
                    let s: Slot = Arc::default();
                    map.insert(key.clone(), s.clone());
                    let uncut = key.0.is_none() && key.1.is_empty();
                    if !uncut {
                        order.push_back(key.clone());
                        if order.len() > MAX_CACHED_CUTS {
                            if let Some(old) = order.pop_front() {
                                map.remove(&old);
                            }
                        }
                    }
                    s
                }
            }
        };
        // one builder per key; others wait for it
        let mut built = slot.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(b) = built.as_ref() {
            return Ok(b.clone());
        }
        let b = Arc::new(self.build(as_of, patterns)?);
        *built = Some(b.clone());
        Ok(b)
    }

    fn build(&self, as_of: Option<&str>, patterns: &[String]) -> Result<BuiltKb, PipelineError> {
        let (facts, removed) = ascribe_kb::without_citations(&self.facts, patterns);
        let undated_store = facts
            .relations
            .iter()
            .any(|r| r.source.starts_with("mitre-attack"))
            && !facts
                .relations
                .iter()
                .filter(|r| r.source.starts_with("mitre-attack"))
                .any(|r| r.created.is_some() || r.citations.iter().any(|c| c.date.is_some()));
        let (facts, as_of) = match as_of {
            Some(d) => {
                let (f, r) = ascribe_kb::try_as_of(&facts, d).map_err(PipelineError::AsOf)?;
                (f, Some(r))
            }
            None => (facts, None),
        };
        Ok(BuiltKb {
            kb: Arc::new(KnowledgeBase::build(&facts)),
            vocab: OnceLock::new(),
            as_of,
            removed,
            undated_store,
        })
    }

    /// Load a case and analyse it: [`CaseInput::load`] then
    /// [`Engine::analyze_case`].
    pub fn analyze(
        &self,
        input: &CaseInput,
        opts: &AnalyzeOptions,
    ) -> Result<Analysis, PipelineError> {
        self.analyze_case(input.load()?, opts)
    }

    /// Analyse a loaded case: the case's reports and binaries through the
    /// extractors into observations, then the assessment.
    ///
    /// A file that cannot be read is reported ([`Analysis::file_errors`]
    /// and a warning) and the others are analysed.
    ///
    /// Errors: [`PipelineError::AsOf`] (an analysis date that cannot be
    /// read), [`PipelineError::InvalidOption`] (a temperature that is not
    /// positive).
    pub fn analyze_case(
        &self,
        loaded: LoadedCase,
        opts: &AnalyzeOptions,
    ) -> Result<Analysis, PipelineError> {
        let LoadedCase {
            mut case,
            files,
            rename,
            _temp,
        } = loaded;
        let progress = |stage: Stage, done: usize, total: usize| {
            if let Some(p) = &opts.progress {
                p(stage, done, total);
            }
        };
        let mut patterns = case.exclude_citations.clone();
        patterns.extend(opts.exclude_citations.iter().cloned());
        match &opts.as_of {
            AsOf::FromCase => {}
            AsOf::On(d) => case.as_of = Some(d.clone()),
            AsOf::Ignore => case.as_of = None,
        }
        progress(Stage::KnowledgeBase, 0, 1);
        let built = self.cut(case.as_of.as_deref(), &patterns)?;
        progress(Stage::KnowledgeBase, 1, 1);
        let temperature = if opts.temperature > 0.0 {
            opts.temperature
        } else {
            return Err(PipelineError::InvalidOption(
                "temperature must be positive".into(),
            ));
        };
        let kb = &*built.kb;
        let by_name: HashMap<&str, &EvidenceFile> =
            files.iter().map(|f| (f.name.as_str(), f)).collect();
        let mut file_errors = Vec::new();
        let mut notes = Vec::new();
        for f in &case.skipped_files {
            notes.push(format!(
                "{f}: a report ascribe wrote (e.g. with analyze -o): skipped, never read back as evidence"
            ));
        }
        notes.extend(case.file_notes.iter().cloned());
        if !case.illustrative_files.is_empty() {
            notes.push(format!(
                "{} file(s) under a directory marked ILLUSTRATIVE are stand-ins: analysed and listed in these notes, never weighed",
                case.illustrative_files.len()
            ));
        }
        ingest_reports(
            &mut case,
            &by_name,
            &built,
            rename,
            &mut notes,
            &mut file_errors,
            &progress,
        );
        let bins: Vec<&EvidenceFile> = case
            .files
            .iter()
            .filter(|f| !reports::is_report(f))
            .filter_map(|f| by_name.get(f.as_str()).copied())
            .filter(|f| binaries::looks_binary(&f.path))
            .collect();
        let illustrative: HashSet<&str> =
            case.illustrative_files.iter().map(String::as_str).collect();
        // stand-ins form their own batch: their hints never mix with real ones
        let (stand_ins, real): (Vec<EvidenceFile>, Vec<EvidenceFile>) = bins
            .iter()
            .map(|f| (*f).clone())
            .partition(|f| illustrative.contains(f.name.as_str()));
        let total = bins.len();
        let mut inspected = 0;
        let mut searched = 0;
        for (batch, stand_in) in [(real, false), (stand_ins, true)] {
            if batch.is_empty() {
                continue;
            }
            let (mut obs, n, errs) = binaries::observations(&batch, kb, &mut |done| {
                progress(Stage::Binaries, inspected + done, total)
            });
            inspected += batch.len();
            let source = match (&opts.code, &opts.code_index) {
                (Some(i), _) => code::IndexSource::Open(i.as_ref()),
                (None, Some(d)) => code::IndexSource::Dir(d),
                (None, None) => code::IndexSource::None,
            };
            let (more, n2, errs2) = code::observations(source, &batch, rename, &mut |done| {
                progress(Stage::CodeReuse, searched + done, total)
            });
            searched += batch.len();
            file_errors.extend(errs.into_iter().chain(errs2));
            obs.extend(more);
            for o in &mut obs {
                o.illustrative = stand_in;
                if stand_in {
                    o.id = format!("illustrative:{}", o.id);
                }
            }
            case.observations.extend(obs);
            let label = if stand_in {
                "illustrative stand-ins: "
            } else {
                ""
            };
            notes.extend(n.into_iter().chain(n2).map(|x| format!("{label}{x}")));
        }
        let params = ascribe_reason::Params {
            prior_unknown: opts.prior_unknown,
            temperature,
            ..Default::default()
        };
        // the case's indicators and binaries against the store's intelligence
        // and the case's own intel/ files
        let named = |f: &EvidenceFile| (f.name.clone(), f.path.clone());
        let intel_files: Vec<(String, PathBuf)> = files
            .iter()
            .filter(|f| f.name.starts_with("intel/"))
            .map(named)
            .collect();
        let (case_intel, intel_notes) = ascribe_intel::memory::load_intel_files(&intel_files);
        let real_bins: Vec<(String, PathBuf)> = bins
            .iter()
            .filter(|f| !illustrative.contains(f.name.as_str()))
            .map(|f| named(f))
            .collect();
        let (hashed, hash_notes) = ascribe_intel::matching::file_indicators_at(&real_bins);
        let stored = match &opts.intel_store {
            Some(p) if p.is_file() => {
                Some(ascribe_store::SqliteStore::open(p).map_err(PipelineError::Store)?)
            }
            _ => None,
        };
        let mut stores: Vec<&dyn ascribe_store::IntelStore> = Vec::new();
        if let Some(s) = &stored {
            stores.push(s);
        }
        if let Some(s) = &opts.intel {
            stores.push(s.as_ref());
        }
        stores.push(&case_intel);
        let (matches, match_notes) = ascribe_reason::intel::case_matches(&case, &stores, &hashed);
        notes.extend(intel_notes.into_iter().chain(hash_notes).chain(match_notes));
        progress(Stage::Reasoning, 0, 1);
        let mut assessment = ascribe_reason::assess_with_intel(&case, kb, &params, matches);
        progress(Stage::Reasoning, 1, 1);
        if let Some(r) = built.as_of.clone() {
            if built.undated_store {
                assessment.warnings.push(format!(
                    "analysis date {}: the stored ATT&CK links carry no dates (the store was filled by an ascribe older than citation dating), so nothing was cut: run `ascribe kb reset` (or re-import the sources) and analyse again",
                    r.date
                ));
            }
            if let Some(k) = assessment.knowledge_as_of.as_mut() {
                k.knowledge_base = Some(r);
            }
        }
        if !patterns.is_empty() {
            assessment.warnings.push(format!(
                "leakage rule: {} knowledge-base link(s) citing only reports matching {} were ignored",
                built.removed,
                patterns.iter().map(|p| format!("'{p}'")).collect::<Vec<_>>().join(", ")
            ));
        }
        assessment.warnings.extend(notes);
        let bin_names: HashSet<&str> = bins.iter().map(|f| f.name.as_str()).collect();
        let other: Vec<&String> = case
            .files
            .iter()
            .filter(|f| {
                !reports::is_report(f) && !reports::is_readme(f) && !bin_names.contains(f.as_str())
            })
            .filter(|f| !f.starts_with("intel/"))
            .collect();
        if !other.is_empty() {
            assessment.warnings.push(format!(
                "{} file(s) in the case directory are neither reports nor PE/ELF/Mach-O binaries and were not analysed: {}",
                other.len(),
                other.iter().take(10).map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
            ));
        }
        assessment.diagnostics = ascribe_core::diagnostics(&assessment.warnings);
        let strict_failure = opts.strict.then(|| strict_summary(&assessment)).flatten();
        Ok(Analysis {
            assessment,
            observations: std::mem::take(&mut case.observations),
            file_errors,
            strict_failure,
            report_options: ascribe_report::Options {
                top: opts.top,
                floor: opts.min_probability,
            },
        })
    }
}

/// Run the report extractor over the case's report files and add what it
/// finds as observations.
fn ingest_reports(
    case: &mut Case,
    by_name: &HashMap<&str, &EvidenceFile>,
    built: &BuiltKb,
    rename: bool,
    warnings: &mut Vec<String>,
    file_errors: &mut Vec<crate::FileError>,
    progress: &dyn Fn(Stage, usize, usize),
) {
    let illustrative: HashSet<String> = case.illustrative_files.iter().cloned().collect();
    let report_files: Vec<String> = case
        .files
        .iter()
        .filter(|f| reports::is_report(f))
        .cloned()
        .collect();
    if report_files.is_empty() {
        return;
    }
    let kb = &*built.kb;
    let vocab = built.vocabulary();
    let opts = ascribe_text::ExtractOptions::default();
    let total = report_files.len();
    for (k, f) in report_files.into_iter().enumerate() {
        let Some(file) = by_name.get(f.as_str()) else {
            continue;
        };
        let read = reports::extract_file(&file.path, &vocab, &opts);
        progress(Stage::Reports, k + 1, total);
        let ext = match read {
            Ok(x) => x,
            Err(e) => {
                let msg = if rename {
                    file.rename(&e.to_string())
                } else {
                    e.to_string()
                };
                warnings.push(ascribe_core::diagnostic::warn(
                    "W008",
                    format!("{f}: not read: {msg}"),
                ));
                file_errors.push(crate::FileError {
                    file: f.clone(),
                    stage: Stage::Reports,
                    message: msg,
                });
                continue;
            }
        };
        let stand_in = illustrative.contains(&f);
        let source = case
            .sources
            .iter()
            .find(|s| s.file.as_deref() == Some(f.as_str()))
            .cloned()
            .unwrap_or_else(|| ascribe_core::Source {
                id: format!("report:{f}"),
                title: f.clone(),
                url: None,
                date: None,
                kind: ascribe_core::SourceKind::Other,
                file: Some(f.clone()),
            });
        let (mut obs, sum) = reports::observations(&ext, kb, &source, &f);
        for o in &mut obs {
            o.illustrative = stand_in;
        }
        warnings.push(format!(
            "{f}{}: extracted {} technique(s), {} software, {} claim(s), {} indicator(s) matching known infrastructure ({} other indicator(s) not weighed)",
            if stand_in { " (illustrative stand-in: shown, never weighed)" } else { "" },
            sum.techniques, sum.software, sum.claims, sum.indicators_matched, sum.indicators_unmatched
        ));
        for w in &ext.warnings {
            warnings.push(format!("{f}: {w}"));
        }
        case.observations.extend(obs);
    }
}

/// Under `strict`: the warnings by code, or `None` when there are none.
pub fn strict_summary(a: &Assessment) -> Option<String> {
    let mut counts: std::collections::BTreeMap<(String, String), usize> = Default::default();
    for d in &a.diagnostics {
        if d.severity == ascribe_core::Severity::Warning {
            let key = (
                d.code.clone().unwrap_or_default(),
                d.name.clone().unwrap_or_default(),
            );
            *counts.entry(key).or_default() += 1;
        }
    }
    if counts.is_empty() {
        return None;
    }
    let n: usize = counts.values().sum();
    Some(format!(
        "--strict: {n} warning(s): {}",
        counts
            .iter()
            .map(|((c, name), k)| format!("{c} {name} ×{k}"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}
