//! Code reuse: the case's binaries searched in the function-level code
//! index (`ascribe-code`'s on-disk store) and the matches turned into
//! observations. Only coverage is code-reuse evidence: a match below
//! [`EVIDENCE_COVERAGE`] or sharing imports only is a note.
//!
//! The index lives beside the knowledge-base store, in `<store>.code/`
//! ([`index_dir`]).

use ascribe_code::{CodeError, CodeIndex, CodeIndexStore, DiskStore, FamilyMatch, QueryOptions};
use ascribe_core::{Location, Observation, ObservationKind, Source, SourceKind};
use std::path::{Path, PathBuf};

use crate::{EvidenceFile, FileError, Stage};

/// Coverage above which a family match becomes evidence: the threshold at
/// which same-family precision measured 0.99 on the corpus (BENCHMARKS.md).
pub const EVIDENCE_COVERAGE: f32 = 0.30;

/// Why a binary could not be read for the code index. The message names
/// the file and says what happened (no separate cause to print).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("reading {}: {message}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        message: String,
    },
    /// A FIFO, device or directory: refused before it is opened.
    #[error("{}: not a regular file (FIFO, device or directory): refused", path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
    },
    /// Larger than [`ascribe_binary::DEFAULT_MAX_FILE_SIZE`].
    #[error("{}: {size} bytes, larger than the {} MiB limit: refused", path.display(), limit >> 20)]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The file grew past the limit while it was read.
    #[error("{}: grew past the {} MiB limit while read: refused", path.display(), limit >> 20)]
    Grew {
        /// The file.
        path: PathBuf,
        /// The limit in bytes.
        limit: u64,
    },
}

/// Reads a binary for the code index: regular files only (a FIFO or device is refused
/// before it is opened, so nothing blocks), at most the size `inspect` accepts, checked
/// before reading.
pub fn read_binary(path: &Path) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let io = |e: std::io::Error| ReadError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    let limit = ascribe_binary::DEFAULT_MAX_FILE_SIZE;
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit,
        });
    }
    let mut data = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .map_err(io)?
        .take(limit + 1)
        .read_to_end(&mut data)
        .map_err(io)?;
    if data.len() as u64 > limit {
        return Err(ReadError::Grew {
            path: path.to_path_buf(),
            limit,
        });
    }
    Ok(data)
}

/// Where the code index of a knowledge-base store lives: `<store>.code/`
/// beside the store file.
pub fn index_dir(store_path: &Path) -> PathBuf {
    let mut name = store_path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".code");
    store_path.with_file_name(name)
}

/// The code index could not be opened or read. The message says which
/// step and which directory; the cause is the index's own error.
#[derive(Debug, thiserror::Error)]
#[error("{context}")]
pub struct IndexError {
    /// "opening the code index DIR" or "reading the code index DIR".
    pub context: String,
    /// What went wrong.
    #[source]
    pub source: CodeError,
}

/// Opens the index for reading: never waits for a writer, never modifies a file.
pub fn open_index(dir: &Path) -> Result<CodeIndex<DiskStore>, IndexError> {
    let store = DiskStore::open_read_only(dir).map_err(|source| IndexError {
        context: format!("opening the code index {}", dir.display()),
        source,
    })?;
    CodeIndex::new(store).map_err(|source| IndexError {
        context: format!("reading the code index {}", dir.display()),
        source,
    })
}

/// An open code index of any store (the embedded one, PostgreSQL): what
/// [`observations`] searches when given one instead of a directory.
pub trait CodeSearch {
    /// Families sharing code with the file `data` ([`CodeIndex::similar_bytes`]).
    fn similar_bytes(
        &self,
        data: &[u8],
        opts: &QueryOptions,
    ) -> Result<Vec<FamilyMatch>, CodeError>;
}

impl<S: CodeIndexStore> CodeSearch for CodeIndex<S> {
    fn similar_bytes(
        &self,
        data: &[u8],
        opts: &QueryOptions,
    ) -> Result<Vec<FamilyMatch>, CodeError> {
        CodeIndex::similar_bytes(self, data, opts)
    }
}

/// Where [`observations`] finds its code index.
#[derive(Clone, Copy)]
pub enum IndexSource<'a> {
    /// No code index configured.
    None,
    /// The embedded index directory (searched when it exists).
    Dir(&'a Path),
    /// An index opened by the caller.
    Open(&'a (dyn CodeSearch + Send + Sync)),
}

/// An error with its causes, joined by `": "` (as `anyhow` prints `{:#}`).
pub(crate) fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// Code-reuse observations for the case's binaries, when a code index
/// exists at `index` (`None`: no index is configured). Notes say what was
/// not evidence and why; a file that cannot be searched is a note and a
/// [`FileError`]. With `rename`, messages name files by their name in the
/// case rather than their storage path. `progress` is called after each
/// file.
pub fn observations(
    index: IndexSource<'_>,
    bins: &[EvidenceFile],
    rename: bool,
    progress: &mut dyn FnMut(usize),
) -> (Vec<Observation>, Vec<String>, Vec<FileError>) {
    let mut notes = Vec::new();
    let mut errors = Vec::new();
    let opened;
    let idx: &dyn CodeSearch = match index {
        IndexSource::Open(i) => i,
        IndexSource::Dir(d) if d.exists() => match open_index(d) {
            Ok(i) => {
                opened = i;
                &opened
            }
            Err(e) => {
                notes.push(format!("code index not usable: {}", chain(&e)));
                return (Vec::new(), notes, errors);
            }
        },
        _ => {
            notes.push("no code index: binaries were not compared for code reuse (build one with `ascribe index add --family NAME --actor ACTOR FILES`)".into());
            return (Vec::new(), notes, errors);
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
    for (k, file) in bins.iter().enumerate() {
        let f = &file.name;
        let searched = read_binary(&file.path)
            .map_err(|e| {
                if rename {
                    file.rename(&e.to_string())
                } else {
                    e.to_string()
                }
            })
            .and_then(|data| {
                idx.similar_bytes(&data, &QueryOptions::default())
                    .map_err(|e| e.to_string())
            });
        progress(k + 1);
        let res: Vec<FamilyMatch> = match searched {
            Ok(r) => r,
            Err(e) => {
                notes.push(format!("{f}: no code-reuse search: {e}"));
                errors.push(FileError {
                    file: f.clone(),
                    stage: Stage::CodeReuse,
                    message: e,
                });
                continue;
            }
        };
        for m in res {
            if m.shared_functions == 0 && !m.identical {
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
                note: Some(if m.identical {
                    format!(
                        "identical file (same SHA-256) as an indexed sample of family {}; {} shared functions",
                        m.family, m.shared_functions
                    )
                } else {
                    format!(
                        "{} shared functions, IDF-weighted score {:.3}",
                        m.shared_functions, m.score
                    )
                }),
                status: Default::default(),
                forge_cost_override: None,
                fact_key: None,
                illustrative: false,
            });
        }
    }
    (out, notes, errors)
}
