//! What a case is made of: `case.toml` and evidence files, from a case
//! directory or from parts a caller holds (uploaded text and files).

use ascribe_case::{ILLUSTRATIVE_MARKER, MAX_CASE_BYTES, MAX_FILES};
use ascribe_core::Case;
use std::collections::{BTreeSet, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::PipelineError;

/// A case to analyse.
#[derive(Debug, Clone)]
pub enum CaseInput {
    /// A case directory holding `case.toml`, or the path of a `case.toml`:
    /// the evidence files are every other file under its directory
    /// (`ascribe_case::load_case`).
    Path(PathBuf),
    /// `case.toml` text and evidence files stored anywhere, e.g.
    /// content-addressed in a server's data directory. Each file has the
    /// relative name it has in the case (`reports/fbi.txt`) and the path
    /// where its bytes are. Keep the name's extension on the stored path
    /// (`<sha256>.html`): a report's format is read from the path's
    /// extension, and sniffed from its first bytes without one.
    Files {
        /// The text of `case.toml`.
        case_toml: String,
        /// The evidence files.
        files: Vec<EvidenceFile>,
    },
    /// `case.toml` text and evidence bytes held in memory. The bytes are
    /// written to a private temporary directory for the analysis (the
    /// extractors read files, memory-mapped) and removed after it.
    Memory {
        /// The text of `case.toml`.
        case_toml: String,
        /// `(relative name, bytes)` of each evidence file.
        files: Vec<(String, Vec<u8>)>,
    },
}

/// One evidence file: its name in the case and where its bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceFile {
    /// Relative name in the case, `/`-separated (`reports/fbi.txt`). The
    /// file's kind (report or binary) comes from this name and its bytes.
    pub name: String,
    /// Where the bytes are.
    pub path: PathBuf,
}

impl EvidenceFile {
    /// Messages about this file name it as the case does, never by its
    /// storage path (which is the same for a case directory).
    pub(crate) fn rename(&self, message: &str) -> String {
        let stored = self.path.display().to_string();
        if stored == self.name || stored.is_empty() {
            message.to_string()
        } else {
            message.replace(&stored, &self.name)
        }
    }
}

/// A parsed case and its evidence files, ready for
/// [`crate::Engine::analyze_case`].
#[derive(Debug, Clone)]
pub struct LoadedCase {
    /// The case: `case.toml`'s observations; `files`, `illustrative_files`
    /// and `skipped_files` list the evidence by name.
    pub case: Case,
    /// Where each of `case.files` is (same order).
    pub files: Vec<EvidenceFile>,
    /// Whether messages name files by `EvidenceFile::name` instead of the
    /// storage path (parts, not a directory).
    pub(crate) rename: bool,
    /// The temporary directory of a [`CaseInput::Memory`] input, removed
    /// when the last clone goes.
    pub(crate) _temp: Option<Arc<tempfile::TempDir>>,
}

impl CaseInput {
    /// A case directory (or a `case.toml` path).
    pub fn path(p: impl Into<PathBuf>) -> CaseInput {
        CaseInput::Path(p.into())
    }

    /// Parse `case.toml` and list the evidence files.
    ///
    /// Errors: [`PipelineError::Case`] (a missing, unreadable or malformed
    /// `case.toml`, with file:line:column), [`PipelineError::InvalidInput`]
    /// (a part named with `..`, an absolute path or twice),
    /// [`PipelineError::Io`] (the temporary directory of a memory input).
    pub fn load(&self) -> Result<LoadedCase, PipelineError> {
        match self {
            CaseInput::Path(p) => {
                let case = ascribe_case::load_case(p)?;
                let dir = if p.is_dir() {
                    p.clone()
                } else {
                    p.parent().map(Path::to_path_buf).unwrap_or_default()
                };
                let files = case
                    .files
                    .iter()
                    .map(|f| EvidenceFile {
                        name: f.clone(),
                        path: dir.join(f),
                    })
                    .collect();
                Ok(LoadedCase {
                    case,
                    files,
                    rename: false,
                    _temp: None,
                })
            }
            CaseInput::Files { case_toml, files } => load_parts(case_toml, files.clone(), None),
            CaseInput::Memory { case_toml, files } => {
                let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
                check_names(names.iter().copied())?;
                let tmp = tempfile::Builder::new()
                    .prefix("ascribe-case-")
                    .tempdir()
                    .map_err(|e| PipelineError::Io {
                        path: std::env::temp_dir(),
                        message: format!("cannot create a temporary directory: {e}"),
                    })?;
                let mut parts = Vec::with_capacity(files.len());
                for (k, (name, bytes)) in files.iter().enumerate() {
                    // numbered, so that no name of the case becomes a
                    // path; the extension kept, since a report's format
                    // comes from it
                    let path = match Path::new(name).extension().and_then(|e| e.to_str()) {
                        Some(ext) => tmp.path().join(format!("{k}.{ext}")),
                        None => tmp.path().join(format!("{k}")),
                    };
                    std::fs::write(&path, bytes).map_err(|e| PipelineError::Io {
                        path: path.clone(),
                        message: format!("cannot write evidence file {name}: {e}"),
                    })?;
                    parts.push(EvidenceFile {
                        name: name.clone(),
                        path,
                    });
                }
                load_parts(case_toml, parts, Some(Arc::new(tmp)))
            }
        }
    }
}

/// Names must be relative, `/`-separated, without `.`/`..` or empty
/// components, and unique.
fn check_names<'a>(names: impl Iterator<Item = &'a str>) -> Result<(), PipelineError> {
    let mut seen = HashSet::new();
    let mut n = 0usize;
    for name in names {
        n += 1;
        if n > MAX_FILES {
            return Err(PipelineError::InvalidInput(format!(
                "more than {MAX_FILES} evidence files in the case"
            )));
        }
        let bad = name.is_empty()
            || name.starts_with('/')
            || name.contains('\\')
            || name.contains('\0')
            || name
                .split('/')
                .any(|c| c.is_empty() || c == "." || c == "..")
            || Path::new(name)
                .components()
                .any(|c| !matches!(c, Component::Normal(_)));
        if bad {
            return Err(PipelineError::InvalidInput(format!(
                "evidence file name {name:?}: give a relative path such as reports/fbi.txt (no '..', no leading '/', no backslash, no empty part)"
            )));
        }
        if name == "case.toml" {
            return Err(PipelineError::InvalidInput(
                "an evidence file is named case.toml: pass the case text as case_toml, not as a file".into(),
            ));
        }
        if !seen.insert(name) {
            return Err(PipelineError::InvalidInput(format!(
                "evidence file {name} is given twice: each name once"
            )));
        }
    }
    Ok(())
}

/// Parts as a case directory would be listed: marker files mark their
/// directory (and everything under it) illustrative and are not evidence,
/// ascribe's own reports are skipped, names are sorted.
fn load_parts(
    case_toml: &str,
    files: Vec<EvidenceFile>,
    temp: Option<Arc<tempfile::TempDir>>,
) -> Result<LoadedCase, PipelineError> {
    if case_toml.len() as u64 > MAX_CASE_BYTES {
        return Err(PipelineError::Case(ascribe_case::CaseError::Io {
            path: PathBuf::from("case.toml"),
            message: format!(
                "{} bytes is larger than the {MAX_CASE_BYTES}-byte limit for case.toml",
                case_toml.len()
            ),
        }));
    }
    check_names(files.iter().map(|f| f.name.as_str()))?;
    let mut case = ascribe_case::parse_case(case_toml, "case.toml")?;
    // directories holding a marker ("" is the case's root)
    let marked: BTreeSet<String> = files
        .iter()
        .filter_map(|f| match f.name.rsplit_once('/') {
            Some((dir, base)) if base == ILLUSTRATIVE_MARKER => Some(dir.to_string()),
            None if f.name == ILLUSTRATIVE_MARKER => Some(String::new()),
            _ => None,
        })
        .collect();
    let is_marked = |name: &str| {
        if marked.contains("") {
            return true;
        }
        let mut dir = name;
        while let Some((parent, _)) = dir.rsplit_once('/') {
            if marked.contains(parent) {
                return true;
            }
            dir = parent;
        }
        false
    };
    let mut kept = Vec::new();
    let mut illustrative = Vec::new();
    let mut skipped = Vec::new();
    for f in files {
        let base = f.name.rsplit('/').next().unwrap_or(&f.name);
        if base == ILLUSTRATIVE_MARKER {
            continue;
        }
        if is_own_report(&f) {
            skipped.push(f.name);
            continue;
        }
        if is_marked(&f.name) {
            illustrative.push(f.name.clone());
        }
        kept.push(f);
    }
    kept.sort_by(|a, b| a.name.cmp(&b.name));
    illustrative.sort();
    skipped.sort();
    case.files = kept.iter().map(|f| f.name.clone()).collect();
    case.illustrative_files = illustrative;
    case.skipped_files = skipped;
    Ok(LoadedCase {
        case,
        files: kept,
        rename: true,
        _temp: temp,
    })
}

/// `ascribe_case::is_ascribe_output` with the extension taken from the
/// name in the case, not from the storage path.
fn is_own_report(f: &EvidenceFile) -> bool {
    let ext = Path::new(&f.name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !matches!(
        ext.as_str(),
        "md" | "markdown" | "txt" | "json" | "jsonl" | "log" | ""
    ) {
        return false;
    }
    match ascribe_case::read_head(&f.path, 4096) {
        Some(head) => ascribe_case::looks_like_ascribe_output(&String::from_utf8_lossy(&head)),
        None => false,
    }
}
