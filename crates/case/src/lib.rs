//! The ascribe case format.
//!
//! A case is a directory holding `case.toml` (the analyst's observations,
//! each with its source) and any evidence files (binaries, reports) that
//! extractors analyse. The format is documented in `docs/case-format.md`.
//!
//! Parsing is strict: an unknown table or field, a malformed value or a
//! reference to an undeclared source is an error that names the file, the
//! line and what to write instead. Nothing is silently ignored.

use ascribe_core::{
    ArtifactType, Case, IndicatorType, Location, Observation, ObservationKind, Source, SourceKind,
    Stance, Victim,
};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Largest `case.toml` accepted.
pub const MAX_CASE_BYTES: u64 = 16 * 1024 * 1024;
/// Most evidence files listed from a case directory.
pub const MAX_FILES: usize = 100_000;

/// A case-format error with its location.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
    #[error("{file}:{line}:{column}: {message}")]
    Invalid {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
}

impl CaseError {
    fn at(file: &str, src: &str, span: std::ops::Range<usize>, message: String) -> CaseError {
        let (line, column) = line_col(src, span.start);
        CaseError::Invalid {
            file: file.to_string(),
            line,
            column,
            message,
        }
    }
}

fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, column)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    case: Spanned<CaseHeader>,
    #[serde(default)]
    victim: Option<VictimEntry>,
    #[serde(default)]
    source: Vec<Spanned<SourceEntry>>,
    #[serde(default)]
    technique: Vec<Spanned<TechniqueEntry>>,
    #[serde(default)]
    software: Vec<Spanned<SoftwareEntry>>,
    #[serde(default)]
    indicator: Vec<Spanned<IndicatorEntry>>,
    #[serde(default)]
    infrastructure_overlap: Vec<Spanned<InfraOverlapEntry>>,
    #[serde(default)]
    artifact: Vec<Spanned<ArtifactEntry>>,
    #[serde(default)]
    code_overlap: Vec<Spanned<CodeOverlapEntry>>,
    #[serde(default)]
    claim: Vec<Spanned<ClaimEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseHeader {
    name: String,
    summary: Option<String>,
    date: Option<String>,
    #[serde(default)]
    exclude_citations: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VictimEntry {
    name: Option<String>,
    sector: Option<String>,
    country: Option<String>,
    incident: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceEntry {
    id: String,
    title: String,
    kind: SourceKind,
    url: Option<String>,
    date: Option<String>,
    file: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TechniqueEntry {
    id: String,
    source: String,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SoftwareEntry {
    name: String,
    source: String,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorEntry {
    #[serde(rename = "type")]
    kind: IndicatorType,
    value: String,
    source: String,
    role: Option<String>,
    first_seen: Option<String>,
    last_seen: Option<String>,
    country: Option<String>,
    overlaps: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InfraOverlapEntry {
    indicators: Vec<String>,
    overlaps: String,
    source: String,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArtifactEntry {
    #[serde(rename = "type")]
    kind: ArtifactType,
    value: String,
    source: String,
    sample: Option<String>,
    known_for: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeOverlapEntry {
    family: String,
    similarity: f64,
    source: String,
    actor: Option<String>,
    #[serde(default)]
    shared: Vec<String>,
    sample: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimEntry {
    claimant: String,
    claimant_kind: SourceKind,
    target: String,
    stance: Stance,
    source: String,
    quote: Option<String>,
    note: Option<String>,
}

fn is_technique_id(s: &str) -> bool {
    let b = s.as_bytes();
    let main =
        b.len() >= 5 && (b[0] == b'T' || b[0] == b't') && b[1..5].iter().all(u8::is_ascii_digit);
    main && (b.len() == 5
        || (b.len() == 9 && b[5] == b'.' && b[6..9].iter().all(u8::is_ascii_digit)))
}

fn is_date(s: &str) -> bool {
    let d = s.get(..10).unwrap_or("");
    let b = d.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn valid_indicator(kind: IndicatorType, v: &str) -> Result<(), String> {
    let v = v.trim();
    let ok = match kind {
        IndicatorType::Ip => {
            let addr = v.split('/').next().unwrap_or("");
            addr.parse::<std::net::IpAddr>().is_ok()
        }
        IndicatorType::Domain => {
            v.contains('.')
                && !v.contains("://")
                && v.split('.').all(|l| {
                    !l.is_empty()
                        && l.len() <= 63
                        && l.chars()
                            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
                })
        }
        IndicatorType::Url => v.contains("://") && v.len() > 8,
        IndicatorType::Email => v
            .split_once('@')
            .is_some_and(|(a, d)| !a.is_empty() && d.contains('.')),
        IndicatorType::Hash => {
            matches!(v.len(), 32 | 40 | 64) && v.chars().all(|c| c.is_ascii_hexdigit())
        }
    };
    if ok {
        Ok(())
    } else {
        Err(match kind {
            IndicatorType::Ip => format!("'{v}' is not an IP address; write e.g. value = \"203.0.113.5\" (refang defanged values: 203[.]0 → 203.0)"),
            IndicatorType::Domain => format!("'{v}' is not a domain name; write e.g. value = \"example.com\""),
            IndicatorType::Url => format!("'{v}' is not a URL; write e.g. value = \"http://example.com/path\""),
            IndicatorType::Email => format!("'{v}' is not an e-mail address; write e.g. value = \"user@example.com\""),
            IndicatorType::Hash => format!("'{v}' is not an MD5, SHA-1 or SHA-256 hex digest"),
        })
    }
}

/// Parse `case.toml` text. `file` names it in errors.
pub fn parse_case(text: &str, file: &str) -> Result<Case, CaseError> {
    let parsed: CaseFile = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let mut msg = e.message().to_string();
        if msg.contains("missing field `case`") || msg.contains("expected one of `case`") {
            msg.push_str("; start the file with a [case] table holding name = \"…\"");
        }
        CaseError::at(file, text, span, msg)
    })?;
    let mut sources: HashMap<String, Source> = HashMap::new();
    let mut source_list = Vec::new();
    for s in &parsed.source {
        let span = s.span();
        let s = s.get_ref();
        if s.id.trim().is_empty() {
            return Err(CaseError::at(
                file,
                text,
                span,
                "[[source]] id is empty; write id = \"short-name\"".into(),
            ));
        }
        if let Some(d) = &s.date {
            if !is_date(d) {
                return Err(CaseError::at(
                    file,
                    text,
                    span,
                    format!("[[source]] '{}': date '{d}' is not YYYY-MM-DD", s.id),
                ));
            }
        }
        let src = Source {
            id: s.id.clone(),
            title: s.title.clone(),
            url: s.url.clone(),
            date: s.date.clone(),
            kind: s.kind,
            file: s.file.clone(),
        };
        if sources.insert(s.id.clone(), src.clone()).is_some() {
            return Err(CaseError::at(
                file,
                text,
                span,
                format!(
                    "source id '{}' is declared twice; give each [[source]] its own id",
                    s.id
                ),
            ));
        }
        source_list.push(src);
    }
    let declared = || {
        let mut ids: Vec<&str> = sources.keys().map(|s| s.as_str()).collect();
        ids.sort();
        if ids.is_empty() {
            "no [[source]] is declared yet".to_string()
        } else {
            format!("declared: {}", ids.join(", "))
        }
    };
    let mut obs = Vec::new();
    let mut counters: HashMap<&str, usize> = HashMap::new();
    let mut push = |kind: ObservationKind,
                    source: &str,
                    note: Option<String>,
                    span: std::ops::Range<usize>|
     -> Result<(), CaseError> {
        let table = kind.kind_name();
        let src = sources.get(source).cloned().ok_or_else(|| {
            CaseError::at(
                file,
                text,
                span.clone(),
                format!("[[{}]] refers to source '{source}', which is not declared; add a [[source]] with id = \"{source}\" ({})", table.replace('-', "_"), declared()),
            )
        })?;
        let n = counters.entry(table).or_default();
        *n += 1;
        let (line, _) = line_col(text, span.start);
        obs.push(Observation {
            id: format!("{table}-{n}"),
            kind,
            source: src,
            location: Some(Location {
                file: file.to_string(),
                line: Some(line as u32),
            }),
            note,
        });
        Ok(())
    };
    for t in &parsed.technique {
        let span = t.span();
        let t = t.get_ref();
        if !is_technique_id(t.id.trim()) {
            return Err(CaseError::at(file, text, span, format!("technique id '{}' is not an ATT&CK id; write e.g. id = \"T1485\" or id = \"T1561.002\"", t.id)));
        }
        push(
            ObservationKind::Technique {
                id: t.id.trim().to_ascii_uppercase(),
            },
            &t.source,
            t.note.clone(),
            span,
        )?;
    }
    for s in &parsed.software {
        let span = s.span();
        let s = s.get_ref();
        if s.name.trim().is_empty() {
            return Err(CaseError::at(file, text, span, "software name is empty; write name = \"RawDisk\" or an ATT&CK id such as \"S0364\"".into()));
        }
        push(
            ObservationKind::Software {
                name: s.name.trim().to_string(),
            },
            &s.source,
            s.note.clone(),
            span,
        )?;
    }
    for i in &parsed.indicator {
        let span = i.span();
        let i = i.get_ref();
        valid_indicator(i.kind, &i.value)
            .map_err(|m| CaseError::at(file, text, span.clone(), m))?;
        for d in [&i.first_seen, &i.last_seen].into_iter().flatten() {
            if !is_date(d) {
                return Err(CaseError::at(
                    file,
                    text,
                    span,
                    format!("date '{d}' is not ISO 8601; write e.g. first_seen = \"2014-11-24\""),
                ));
            }
        }
        push(
            ObservationKind::Indicator {
                indicator: i.kind,
                value: i.value.trim().to_string(),
                role: i.role.clone(),
                first_seen: i.first_seen.clone(),
                last_seen: i.last_seen.clone(),
                country: i.country.clone(),
                overlaps: i.overlaps.clone(),
            },
            &i.source,
            i.note.clone(),
            span,
        )?;
    }
    for x in &parsed.infrastructure_overlap {
        let span = x.span();
        let x = x.get_ref();
        if x.indicators.is_empty() || x.overlaps.trim().is_empty() {
            return Err(CaseError::at(file, text, span, "[[infrastructure_overlap]] needs indicators = [\"…\"] and overlaps = \"ACTOR or COUNTRY\"".into()));
        }
        push(
            ObservationKind::InfrastructureOverlap {
                indicators: x.indicators.clone(),
                overlaps: x.overlaps.trim().to_string(),
            },
            &x.source,
            x.note.clone(),
            span,
        )?;
    }
    for a in &parsed.artifact {
        let span = a.span();
        let a = a.get_ref();
        if a.value.trim().is_empty() {
            return Err(CaseError::at(
                file,
                text,
                span,
                "artifact value is empty".into(),
            ));
        }
        push(
            ObservationKind::Artifact {
                artifact: a.kind,
                value: a.value.trim().to_string(),
                sample: a.sample.clone(),
                known_for: a.known_for.clone(),
            },
            &a.source,
            a.note.clone(),
            span,
        )?;
    }
    for c in &parsed.code_overlap {
        let span = c.span();
        let c = c.get_ref();
        if !(0.0..=1.0).contains(&c.similarity) {
            return Err(CaseError::at(
                file,
                text,
                span,
                format!(
                    "similarity {} is outside [0, 1]; write e.g. similarity = 0.35 for 35 %",
                    c.similarity
                ),
            ));
        }
        push(
            ObservationKind::CodeOverlap {
                family: c.family.clone(),
                actor: c.actor.clone(),
                similarity: c.similarity,
                shared: c.shared.clone(),
                sample: c.sample.clone(),
            },
            &c.source,
            c.note.clone(),
            span,
        )?;
    }
    for c in &parsed.claim {
        let span = c.span();
        let c = c.get_ref();
        push(
            ObservationKind::Claim {
                claimant: c.claimant.clone(),
                claimant_kind: c.claimant_kind,
                target: c.target.clone(),
                stance: c.stance,
                quote: c.quote.clone(),
            },
            &c.source,
            c.note.clone(),
            span,
        )?;
    }
    let header = parsed.case.get_ref();
    if header.name.trim().is_empty() {
        return Err(CaseError::at(
            file,
            text,
            parsed.case.span(),
            "[case] name is empty; write name = \"…\"".into(),
        ));
    }
    let victim = parsed
        .victim
        .map(|v| Victim {
            name: v.name,
            sector: v.sector,
            country: v.country,
            incident: v.incident,
        })
        .unwrap_or_default();
    Ok(Case {
        name: header.name.clone(),
        summary: header.summary.clone(),
        date: header.date.clone(),
        victim,
        sources: source_list,
        observations: obs,
        exclude_citations: header.exclude_citations.clone(),
        files: Vec::new(),
    })
}

/// Load a case directory (or a `case.toml` path): parse `case.toml` and list
/// the other files in the directory, recursively (relative paths, sorted).
pub fn load_case(path: &Path) -> Result<Case, CaseError> {
    let (dir, file) = if path.is_dir() {
        (path.to_path_buf(), path.join("case.toml"))
    } else {
        (
            path.parent().map(Path::to_path_buf).unwrap_or_default(),
            path.to_path_buf(),
        )
    };
    let io = |p: &Path, m: String| CaseError::Io {
        path: p.to_path_buf(),
        message: m,
    };
    let meta = std::fs::metadata(&file).map_err(|e| {
        io(
            &file,
            if e.kind() == std::io::ErrorKind::NotFound {
                "no case.toml here; a case is a directory with a case.toml (see docs/case-format.md)".into()
            } else {
                e.to_string()
            },
        )
    })?;
    if meta.len() > MAX_CASE_BYTES {
        return Err(io(
            &file,
            format!(
                "{} bytes is larger than the {MAX_CASE_BYTES}-byte limit for case.toml",
                meta.len()
            ),
        ));
    }
    let bytes = std::fs::read(&file).map_err(|e| io(&file, e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        io(
            &file,
            format!(
                "not UTF-8 text (byte {}); save case.toml as UTF-8",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    let mut case = parse_case(&text, &file.display().to_string())?;
    let mut files = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        let rd = std::fs::read_dir(&d).map_err(|e| io(&d, e.to_string()))?;
        for entry in rd {
            let entry = entry.map_err(|e| io(&d, e.to_string()))?;
            let p = entry.path();
            let ft = entry.file_type().map_err(|e| io(&p, e.to_string()))?;
            if ft.is_dir() {
                stack.push(p);
            } else if ft.is_file() && p != file {
                if files.len() >= MAX_FILES {
                    return Err(io(
                        &dir,
                        format!("more than {MAX_FILES} files in the case directory"),
                    ));
                }
                files.push(p.strip_prefix(&dir).unwrap_or(&p).display().to_string());
            }
        }
    }
    files.sort();
    case.files = files;
    Ok(case)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = r#"
[case]
name = "Test"

[[source]]
id = "s1"
title = "A report"
kind = "vendor"

[[technique]]
id = "t1485"
source = "s1"

[[indicator]]
type = "ip"
value = "203.0.113.5"
country = "KP"
source = "s1"

[[claim]]
claimant = "FBI"
claimant_kind = "government"
target = "North Korea"
stance = "asserts"
source = "s1"
"#;

    #[test]
    fn parses_a_valid_case() {
        let c = parse_case(OK, "case.toml").unwrap();
        assert_eq!(c.name, "Test");
        assert_eq!(c.observations.len(), 3);
        assert_eq!(c.observations[0].id, "technique-1");
        assert!(
            matches!(&c.observations[0].kind, ObservationKind::Technique { id } if id == "T1485")
        );
        assert_eq!(c.observations[1].location.as_ref().unwrap().line, Some(14));
    }

    fn err(text: &str) -> String {
        parse_case(text, "case.toml").unwrap_err().to_string()
    }

    #[test]
    fn unknown_field_names_line_and_fields() {
        let e = err(&OK.replace("id = \"t1485\"", "idd = \"t1485\""));
        assert!(e.starts_with("case.toml:11:"), "{e}");
        assert!(e.contains("idd"), "{e}");
    }

    #[test]
    fn unknown_table_is_an_error() {
        let e = err(&format!("{OK}\n[[techniques]]\nid = \"T1\"\n"));
        assert!(e.contains("techniques"), "{e}");
    }

    #[test]
    fn undeclared_source_says_what_to_write() {
        let e = err(&OK.replace(
            "source = \"s1\"\n\n[[indicator]]",
            "source = \"s2\"\n\n[[indicator]]",
        ));
        assert!(e.contains("case.toml:10:"), "{e}");
        assert!(e.contains("add a [[source]] with id = \"s2\""), "{e}");
        assert!(e.contains("declared: s1"), "{e}");
    }

    #[test]
    fn bad_values_are_explained() {
        let e = err(&OK.replace("t1485", "1485"));
        assert!(e.contains("write e.g. id = \"T1485\""), "{e}");
        let e = err(&OK.replace("203.0.113.5", "203[.]0.113.5"));
        assert!(
            e.contains("not an IP address") && e.contains("case.toml:14:"),
            "{e}"
        );
        let e = err(&OK.replace("kind = \"vendor\"", "kind = \"blog\""));
        assert!(e.contains("blog") && e.contains("vendor"), "{e}");
        let e = err(&OK.replace("stance = \"asserts\"", "stance = \"maybe\""));
        assert!(e.contains("maybe"), "{e}");
        let e = err("name = \"x\"\n");
        assert!(e.contains("[case]"), "{e}");
        let e = err("[case\nname = 1");
        assert!(e.starts_with("case.toml:1:"), "{e}");
    }

    #[test]
    fn duplicate_source_and_bad_similarity() {
        let dup = OK.replace(
            "[[technique]]",
            "[[source]]\nid = \"s1\"\ntitle = \"again\"\nkind = \"media\"\n\n[[technique]]",
        );
        assert!(err(&dup).contains("declared twice"));
        let bad =
            format!("{OK}\n[[code_overlap]]\nfamily = \"X\"\nsimilarity = 35\nsource = \"s1\"\n");
        assert!(err(&bad).contains("outside [0, 1]"));
    }

    #[test]
    fn loads_a_directory_and_lists_files() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("case.toml"), OK).unwrap();
        std::fs::create_dir(d.path().join("reports")).unwrap();
        std::fs::write(d.path().join("reports/a.txt"), "x").unwrap();
        let c = load_case(d.path()).unwrap();
        assert_eq!(c.files, vec!["reports/a.txt".to_string()]);
        let e = load_case(&d.path().join("reports"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("no case.toml"), "{e}");
    }

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("ab", 99), (1, 3));
    }
}

#[cfg(test)]
mod hostile {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn arbitrary_text_never_panics(s in ".{0,400}") {
            let _ = parse_case(&s, "case.toml");
        }

        #[test]
        fn mutated_valid_cases_never_panic(cut in 0usize..600, junk in "[\\[\\]=\"a-z0-9 \n.#-]{0,40}") {
            let base = "[case]\nname = \"x\"\n[[source]]\nid = \"s\"\ntitle = \"t\"\nkind = \"vendor\"\n[[technique]]\nid = \"T1485\"\nsource = \"s\"\n[[indicator]]\ntype = \"ip\"\nvalue = \"203.0.113.5\"\nsource = \"s\"\n[[code_overlap]]\nfamily = \"f\"\nsimilarity = 0.5\nsource = \"s\"\n";
            let cut = cut.min(base.len());
            let mut s = base[..cut].to_string();
            s.push_str(&junk);
            s.push_str(&base[cut..]);
            let _ = parse_case(&s, "case.toml");
        }
    }
}
