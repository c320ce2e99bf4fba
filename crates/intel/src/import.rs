//! Reading intelligence files: format recognised from content, bounded in
//! size and depth, each file's failure reported on its own.

use crate::keys::{keys, normalize};
use ascribe_core::{IntelKind, IntelRecord};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Largest file read (like the knowledge-base importers).
pub const MAX_IMPORT_BYTES: u64 = 512 * 1024 * 1024;
/// Largest plain or CSV IOC list read (like a report).
pub const MAX_LIST_BYTES: u64 = 64 * 1024 * 1024;
/// Most files read from one directory tree.
pub const MAX_DIR_FILES: usize = 100_000;
/// Deepest directory level walked.
pub const MAX_DIR_DEPTH: usize = 32;
/// Most records kept from one file (beyond it the file is refused).
pub const MAX_RECORDS_PER_FILE: usize = 20_000_000;
/// Invalid values quoted per source (the rest are counted).
const MAX_QUOTED_INVALID: usize = 20;

/// The recognised format of an intelligence file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// A single MISP event `{"Event": …}`.
    MispEvent,
    /// A MISP search export `{"response": [{"Event": …}, …]}`.
    MispResponse,
    /// A STIX 2.0 or 2.1 bundle.
    Stix,
    /// A plain-text or CSV list of indicators.
    IocList,
}

impl Format {
    /// Text form.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::MispEvent => "misp-event",
            Format::MispResponse => "misp-response",
            Format::Stix => "stix",
            Format::IocList => "ioc-list",
        }
    }
}

/// What the importer is told besides the file.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Attribute every record to this actor, replacing what the file says
    /// (for events whose attribution is only the publisher's folder or title,
    /// and for IOC lists).
    pub actor: Option<String>,
    /// Publication date (`YYYY-MM-DD`) for sources that give none (IOC
    /// lists); a MISP event's or STIX report's own date wins.
    pub date: Option<String>,
    /// When an event names no actor, take the name of the folder the file is
    /// in as the publisher's attribution (ESET's `events/<actor>/…` layout).
    pub actor_from_folder: bool,
}

/// Errors reading one file.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0} is not a regular file or directory")]
    NotRegular(PathBuf),
    #[error("file is {size} bytes, more than the {max}-byte limit for this format; split it")]
    TooLarge { size: u64, max: u64 },
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("not a MISP event, MISP export or STIX bundle: {0}")]
    Unrecognised(String),
    #[error("{0}")]
    Invalid(String),
    #[error("more than {MAX_RECORDS_PER_FILE} records in one file; split it")]
    TooManyRecords,
}

/// One source read from a file: its records replace the source's earlier
/// records when stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportedSource {
    /// Source key (`misp-event:<uuid>`, `stix:<bundle id>`, `ioc-list:<sha256>`).
    pub source: String,
    pub format: Format,
    /// Event or bundle title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Event date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The actors named at the source level.
    pub actors: Vec<String>,
    pub records: Vec<IntelRecord>,
    /// Values of types that are not indicators ascribe matches (MISP
    /// `text`, `regkey`, `imphash`, STIX paths such as `process:name`),
    /// counted by type.
    pub dropped: BTreeMap<String, usize>,
    /// Values of a mapped type that did not validate (the first few quoted).
    pub invalid: Vec<String>,
    pub invalid_count: usize,
    /// Things the reader skipped or could not follow.
    pub warnings: Vec<String>,
}

impl ImportedSource {
    pub(crate) fn new(source: String, format: Format) -> Self {
        ImportedSource {
            source,
            format,
            title: None,
            published: None,
            actors: Vec::new(),
            records: Vec::new(),
            dropped: BTreeMap::new(),
            invalid: Vec::new(),
            invalid_count: 0,
            warnings: Vec::new(),
        }
    }
}

/// The context a value is added in.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ctx {
    pub actors: Vec<String>,
    pub event: Option<String>,
    pub event_title: Option<String>,
    pub published: Option<String>,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub to_ids: bool,
    pub confidence: Option<u8>,
    pub role: Option<String>,
}

/// Collects records of one source, one per (kind, normalised value).
pub(crate) struct Builder {
    pub out: ImportedSource,
    index: HashMap<(IntelKind, String), usize>,
}

impl Builder {
    pub fn new(source: String, format: Format) -> Self {
        Builder {
            out: ImportedSource::new(source, format),
            index: HashMap::new(),
        }
    }

    pub fn drop_type(&mut self, t: &str) {
        let t: String = t.chars().take(64).collect();
        *self.out.dropped.entry(t).or_insert(0) += 1;
    }

    pub fn warn(&mut self, w: String) {
        if self.out.warnings.len() < 100 {
            self.out.warnings.push(w);
        } else if self.out.warnings.len() == 100 {
            self.out
                .warnings
                .push("(further warnings not shown)".into());
        }
    }

    /// Add a value; returns the record's index, or `None` when it does not
    /// validate (counted in `invalid`).
    pub fn add(&mut self, kind: IntelKind, value: &str, ctx: &Ctx) -> Option<usize> {
        let norm = match normalize(kind, value) {
            Ok(n) => n,
            Err(e) => {
                self.out.invalid_count += 1;
                if self.out.invalid.len() < MAX_QUOTED_INVALID {
                    self.out.invalid.push(e.to_string());
                }
                return None;
            }
        };
        if let Some(&i) = self.index.get(&(kind, norm.clone())) {
            let r = &mut self.out.records[i];
            r.to_ids |= ctx.to_ids;
            for a in &ctx.actors {
                if !r.actors.contains(a) {
                    r.actors.push(a.clone());
                }
            }
            r.first_seen = min_date(r.first_seen.take(), ctx.first_seen.clone());
            r.last_seen = max_date(r.last_seen.take(), ctx.last_seen.clone());
            if r.role.is_none() {
                r.role.clone_from(&ctx.role);
            }
            return Some(i);
        }
        if self.out.records.len() >= MAX_RECORDS_PER_FILE {
            self.out.invalid_count += 1;
            return None;
        }
        let rec = IntelRecord {
            kind,
            value: crate::keys::refang(value),
            keys: keys(kind, &norm),
            norm: norm.clone(),
            actors: ctx.actors.clone(),
            source: self.out.source.clone(),
            event: ctx.event.clone(),
            event_title: ctx.event_title.clone(),
            published: ctx.published.clone(),
            first_seen: ctx.first_seen.clone(),
            last_seen: ctx.last_seen.clone(),
            to_ids: ctx.to_ids,
            confidence: ctx.confidence,
            role: ctx.role.clone(),
        };
        self.out.records.push(rec);
        let i = self.out.records.len() - 1;
        self.index.insert((kind, norm), i);
        Some(i)
    }

    /// The records at `idx` are hashes of one file: each gets the others'
    /// exact keys, so any of them finds all.
    pub fn link_file(&mut self, idx: &[usize]) {
        if idx.len() < 2 {
            return;
        }
        let exact: Vec<String> = idx
            .iter()
            .map(|&i| self.out.records[i].keys[0].clone())
            .collect();
        for &i in idx {
            let r = &mut self.out.records[i];
            for k in &exact {
                if !r.keys.contains(k) && r.keys.len() < 64 {
                    r.keys.push(k.clone());
                }
            }
        }
    }

    pub fn finish(self) -> ImportedSource {
        self.out
    }
}

fn min_date(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b < a { b } else { a }),
        (a, b) => a.or(b),
    }
}

fn max_date(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b > a { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// `YYYY-MM-DD` from an ISO date or timestamp (or Unix seconds), else `None`.
pub(crate) fn date_of(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
    {
        return Some(s[..10].to_string());
    }
    if (9..=11).contains(&b.len()) && b.iter().all(u8::is_ascii_digit) {
        let secs: i64 = s.parse().ok()?;
        return Some(civil_date(secs));
    }
    None
}

/// Unix seconds to `YYYY-MM-DD` (proleptic Gregorian, UTC).
fn civil_date(secs: i64) -> String {
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}

/// Read one file's bytes: format from content. `origin` names it in
/// messages; `folder` is the name of the directory it is in (for
/// [`ImportOptions::actor_from_folder`]).
pub fn import_bytes(
    bytes: &[u8],
    folder: Option<&str>,
    opts: &ImportOptions,
) -> Result<Vec<ImportedSource>, ImportError> {
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge {
            size: bytes.len() as u64,
            max: MAX_IMPORT_BYTES,
        });
    }
    let body = strip_bom(bytes);
    let first = body.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if matches!(first, Some(b'{') | Some(b'[')) {
        let v: serde_json::Value =
            serde_json::from_slice(body).map_err(|e| ImportError::Json(e.to_string()))?;
        return import_json(&v, folder, opts);
    }
    if bytes.len() as u64 > MAX_LIST_BYTES {
        return Err(ImportError::TooLarge {
            size: bytes.len() as u64,
            max: MAX_LIST_BYTES,
        });
    }
    crate::ioclist::import_list(bytes, opts).map(|s| vec![s])
}

fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(b)
}

/// Recognise and read a parsed JSON document.
pub fn import_json(
    v: &serde_json::Value,
    folder: Option<&str>,
    opts: &ImportOptions,
) -> Result<Vec<ImportedSource>, ImportError> {
    let obj = match v {
        serde_json::Value::Object(o) => o,
        serde_json::Value::Array(a) => {
            // A bare list of events, or of STIX objects.
            if a.iter().any(|x| x.get("Event").is_some()) {
                return crate::misp::import_events(a, Format::MispResponse, folder, opts);
            }
            if a.iter()
                .any(|x| x.get("type").is_some() && x.get("id").is_some())
            {
                return crate::stix::import_objects(None, a, opts).map(|s| vec![s]);
            }
            return Err(ImportError::Unrecognised(
                "a JSON array of neither MISP events nor STIX objects".into(),
            ));
        }
        _ => return Err(ImportError::Unrecognised("not a JSON object".into())),
    };
    if obj.contains_key("Event") {
        return crate::misp::import_events(
            std::slice::from_ref(v),
            Format::MispEvent,
            folder,
            opts,
        );
    }
    if let Some(r) = obj.get("response") {
        let list = match r {
            serde_json::Value::Array(a) => a.as_slice(),
            serde_json::Value::Object(_) => std::slice::from_ref(r),
            _ => {
                return Err(ImportError::Unrecognised(
                    "\"response\" is neither a list nor an object".into(),
                ))
            }
        };
        return crate::misp::import_events(list, Format::MispResponse, folder, opts);
    }
    if obj.get("type").and_then(|t| t.as_str()) == Some("bundle") {
        let id = obj.get("id").and_then(|t| t.as_str());
        let objects = obj
            .get("objects")
            .and_then(|o| o.as_array())
            .map(|a| a.as_slice())
            .unwrap_or(&[]);
        return crate::stix::import_objects(id, objects, opts).map(|s| vec![s]);
    }
    let mut keys: Vec<&str> = obj.keys().map(String::as_str).take(5).collect();
    keys.sort_unstable();
    Err(ImportError::Unrecognised(format!(
        "top-level keys {}",
        keys.iter()
            .map(|k| format!("{:?}", k.chars().take(40).collect::<String>()))
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

/// The outcome of one file.
#[derive(Debug)]
pub struct FileOutcome {
    pub path: PathBuf,
    pub result: Result<Vec<ImportedSource>, ImportError>,
}

/// Read files and directories. A directory holding `manifest.json` is a
/// MISP feed (the events it lists are read); other directories are walked
/// for `.json`, `.csv`, `.txt`, `.tsv` and `.ioc` files (hidden entries
/// skipped, regular files only). Each file's result is reported on its own.
pub fn import_paths(paths: &[PathBuf], opts: &ImportOptions) -> Vec<FileOutcome> {
    let mut out = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Err(source) => out.push(FileOutcome {
                path: p.clone(),
                result: Err(ImportError::Io {
                    path: p.clone(),
                    source,
                }),
            }),
            Ok(m) if m.is_dir() => {
                if p.join("manifest.json").is_file() {
                    crate::misp::import_feed_dir(p, opts, &mut out);
                } else {
                    let mut files = Vec::new();
                    walk(p, 0, &mut files, &mut out);
                    files.sort();
                    for f in files {
                        let result = import_file(&f, opts);
                        out.push(FileOutcome { path: f, result });
                    }
                }
            }
            Ok(_) => out.push(FileOutcome {
                path: p.clone(),
                result: import_file(p, opts),
            }),
        }
    }
    out
}

fn walk(dir: &Path, depth: usize, files: &mut Vec<PathBuf>, out: &mut Vec<FileOutcome>) {
    if depth > MAX_DIR_DEPTH || files.len() >= MAX_DIR_FILES {
        return;
    }
    let rd = match std::fs::read_dir(dir) {
        Ok(r) => r,
        Err(source) => {
            out.push(FileOutcome {
                path: dir.to_path_buf(),
                result: Err(ImportError::Io {
                    path: dir.to_path_buf(),
                    source,
                }),
            });
            return;
        }
    };
    let mut entries: Vec<_> = rd.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let Ok(ft) = e.file_type() else { continue };
        let p = e.path();
        if ft.is_dir() {
            walk(&p, depth + 1, files, out);
        } else if ft.is_file() {
            let ext = p
                .extension()
                .map(|x| x.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            if matches!(ext.as_str(), "json" | "csv" | "txt" | "tsv" | "ioc") {
                if files.len() >= MAX_DIR_FILES {
                    return;
                }
                files.push(p);
            }
        }
    }
}

/// Read one regular file (type checked before opening, size bounded).
pub fn import_file(path: &Path, opts: &ImportOptions) -> Result<Vec<ImportedSource>, ImportError> {
    let io = |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let m = std::fs::metadata(path).map_err(io)?;
    if !m.is_file() {
        return Err(ImportError::NotRegular(path.to_path_buf()));
    }
    if m.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge {
            size: m.len(),
            max: MAX_IMPORT_BYTES,
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let folder = path
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned());
    import_bytes(&bytes, folder.as_deref(), opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(date_of("2019-05-23").as_deref(), Some("2019-05-23"));
        assert_eq!(
            date_of("2019-05-23T10:00:00.000000+00:00").as_deref(),
            Some("2019-05-23")
        );
        assert_eq!(date_of("1541533312").as_deref(), Some("2018-11-06"));
        assert_eq!(date_of("0").as_deref(), None);
        assert_eq!(date_of("yesterday"), None);
    }
}
