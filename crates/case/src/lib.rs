//! The ascribe case format.
//!
//! A case is a directory holding `case.toml` (the analyst's observations,
//! each with its source) and any evidence files (binaries, reports) that
//! extractors analyse. The format is documented in `docs/case-format.md`.
//!
//! Parsing is strict: an unknown table or field, a malformed value or a
//! reference to an undeclared source is an error that names the file, the
//! line and what to write instead. Nothing is silently ignored.

pub mod wallet;

use ascribe_core::{
    ArtifactType, Case, DeclaredHypothesis, DeclaredStance, ForgeCost, IndicatorType, LinkKind,
    Location, Observation, ObservationKind, Source, SourceKind, Stance, Status, Strength, Victim,
};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Largest `case.toml` accepted.
pub const MAX_CASE_BYTES: u64 = 16 * 1024 * 1024;
/// Most observation items (`[[technique]]`, `[[artifact]]`, … together)
/// one `case.toml` may hold. Each item is weighed against every profiled
/// actor, so time and memory grow with it (20,000 items: 2 s and 0.6 GB);
/// real cases hold dozens.
pub const MAX_CASE_ITEMS: usize = 10_000;
/// Most evidence files listed from a case directory.
pub const MAX_FILES: usize = 100_000;
/// A file with this name marks its directory (and everything under it) as
/// illustrative stand-ins: analysed and shown, never weighed.
pub const ILLUSTRATIVE_MARKER: &str = "ILLUSTRATIVE";
/// Shortest forge-cost justification accepted (a sentence, not a word).
pub const MIN_JUSTIFICATION: usize = 10;

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

/// The byte offsets of every newline in `text`, in order.
fn memchr_newlines(text: &str) -> Vec<usize> {
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i)
        .collect()
}

fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
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

/// The top-level tables, as written in case.toml.
const TABLES: [&str; 14] = [
    "[case]",
    "[victim]",
    "[[source]]",
    "[[hypothesis]]",
    "[[technique]]",
    "[[software]]",
    "[[indicator]]",
    "[[infrastructure_overlap]]",
    "[[operator_origin]]",
    "[[link]]",
    "[[artifact]]",
    "[[code_overlap]]",
    "[[claim]]",
    "[[hypothesis_evidence]]",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    case: Spanned<CaseHeader>,
    #[serde(default)]
    victim: Option<Spanned<VictimEntry>>,
    #[serde(default)]
    source: Vec<Spanned<SourceEntry>>,
    #[serde(default)]
    hypothesis: Vec<Spanned<HypothesisEntry>>,
    #[serde(default)]
    technique: Vec<Spanned<TechniqueEntry>>,
    #[serde(default)]
    software: Vec<Spanned<SoftwareEntry>>,
    #[serde(default)]
    indicator: Vec<Spanned<IndicatorEntry>>,
    #[serde(default)]
    infrastructure_overlap: Vec<Spanned<InfraOverlapEntry>>,
    #[serde(default)]
    operator_origin: Vec<Spanned<OperatorOriginEntry>>,
    #[serde(default)]
    link: Vec<Spanned<LinkEntry>>,
    #[serde(default)]
    artifact: Vec<Spanned<ArtifactEntry>>,
    #[serde(default)]
    code_overlap: Vec<Spanned<CodeOverlapEntry>>,
    #[serde(default)]
    claim: Vec<Spanned<ClaimEntry>>,
    #[serde(default)]
    hypothesis_evidence: Vec<Spanned<HypothesisEvidenceEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseHeader {
    name: String,
    summary: Option<String>,
    date: Option<Spanned<String>>,
    #[serde(default)]
    exclude_citations: Vec<String>,
    as_of: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VictimEntry {
    name: Option<String>,
    sector: Option<String>,
    country: Option<String>,
    category: Option<String>,
    incident_type: Option<String>,
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
struct HypothesisEntry {
    id: String,
    label: String,
    prior: f64,
    state: Option<String>,
}

/// Fields every observation table accepts.
struct Common {
    status: Status,
    forge_cost: Option<ForgeCost>,
    forge_cost_why: Option<String>,
    fact: Option<String>,
}

/// Declares an observation table's struct with the fields every
/// observation table shares (`status`, `forge_cost`, `forge_cost_why`,
/// `fact`, `note`, `source`).
macro_rules! observation_table {
    ($name:ident { $($(#[$m:meta])* $f:ident : $t:ty),* $(,)? }) => {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct $name {
            $($(#[$m])* $f: $t,)*
            source: String,
            note: Option<String>,
            #[serde(default)]
            status: Status,
            forge_cost: Option<ForgeCost>,
            forge_cost_why: Option<String>,
            fact: Option<String>,
        }

        impl $name {
            fn common(&self) -> Common {
                Common {
                    status: self.status,
                    forge_cost: self.forge_cost,
                    forge_cost_why: self.forge_cost_why.clone(),
                    fact: self.fact.clone(),
                }
            }
        }
    };
}

observation_table!(TechniqueEntry { id: String });
observation_table!(SoftwareEntry {
    name: String,
    #[serde(default)]
    leaked: bool,
});
observation_table!(IndicatorEntry {
    #[serde(rename = "type")]
    kind: IndicatorType,
    value: String,
    role: Option<String>,
    first_seen: Option<String>,
    last_seen: Option<String>,
    country: Option<String>,
    overlaps: Option<String>,
});
observation_table!(InfraOverlapEntry {
    indicators: Vec<String>,
    overlaps: String,
    relation: Option<String>,
});
observation_table!(OperatorOriginEntry {
    actor: String,
    address: Option<String>,
    activity: Option<String>,
});
observation_table!(LinkEntry {
    kind: LinkKind,
    to: String,
    actor: Option<String>,
});
observation_table!(ArtifactEntry {
    #[serde(rename = "type")]
    kind: ArtifactType,
    value: String,
    sample: Option<String>,
    known_for: Option<String>,
});
observation_table!(CodeOverlapEntry {
    family: String,
    similarity: f64,
    actor: Option<String>,
    #[serde(default)]
    shared: Vec<String>,
    sample: Option<String>,
});
observation_table!(ClaimEntry {
    claimant: String,
    claimant_kind: SourceKind,
    target: String,
    stance: Stance,
    quote: Option<String>,
});
observation_table!(HypothesisEvidenceEntry {
    hypothesis: String,
    stance: DeclaredStance,
    strength: Strength,
});

fn is_technique_id(s: &str) -> bool {
    let b = s.as_bytes();
    let main =
        b.len() >= 5 && (b[0] == b'T' || b[0] == b't') && b[1..5].iter().all(u8::is_ascii_digit);
    main && (b.len() == 5
        || (b.len() == 9 && b[5] == b'.' && b[6..9].iter().all(u8::is_ascii_digit)))
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// `YYYY-MM-DD` (optionally followed by a time) with a real month and day.
fn is_date(s: &str) -> bool {
    let d = s.get(..10).unwrap_or("");
    let b = d.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return false;
    }
    let rest = &s[10..];
    if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
        return false;
    }
    let (y, m, day) = (
        d[..4].parse::<u32>().unwrap_or(0),
        d[5..7].parse::<u32>().unwrap_or(0),
        d[8..10].parse::<u32>().unwrap_or(0),
    );
    (1..=12).contains(&m) && day >= 1 && day <= days_in_month(y, m)
}

/// `YYYY`, `YYYY-MM` or a full date (the `[case] date` may be coarse).
fn is_coarse_date(s: &str) -> bool {
    let b = s.as_bytes();
    let year = |x: &[u8]| x.len() == 4 && x.iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => year(b),
        7 => {
            year(&b[..4])
                && b[4] == b'-'
                && b[5..].iter().all(u8::is_ascii_digit)
                && (1..=12).contains(&s[5..].parse::<u32>().unwrap_or(0))
        }
        _ => is_date(s),
    }
}

/// `175.45.178.xx` → `175.45.178.0/24`: a partly masked IPv4 address
/// written as the range it stands for.
fn masked_ipv4_as_cidr(v: &str) -> Option<String> {
    let parts: Vec<&str> = v.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let wild = |p: &str| !p.is_empty() && p.chars().all(|c| matches!(c, 'x' | 'X' | '*' | '?'));
    let known = parts.iter().take_while(|p| !wild(p)).count();
    if known == 4 || known == 0 || !parts[known..].iter().all(|p| wild(p)) {
        return None;
    }
    if !parts[..known].iter().all(|p| p.parse::<u8>().is_ok()) {
        return None;
    }
    let mut octets: Vec<String> = parts[..known].iter().map(|p| p.to_string()).collect();
    octets.resize(4, "0".into());
    Some(format!("{}/{}", octets.join("."), known * 8))
}

/// An IP address or a CIDR range with a valid prefix length.
fn valid_ip_or_cidr(v: &str) -> Result<(), String> {
    let (addr, prefix) = match v.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (v, None),
    };
    let ip: std::net::IpAddr = match addr.parse() {
        Ok(ip) => ip,
        Err(_) => {
            return Err(match masked_ipv4_as_cidr(v) {
                Some(c) => format!("'{v}' is a partly masked address; write the range it stands for: value = \"{c}\""),
                None => format!("'{v}' is not an IP address; write e.g. value = \"203.0.113.5\" or a range \"203.0.113.0/24\" (refang defanged values: 203[.]0 → 203.0)"),
            })
        }
    };
    if let Some(p) = prefix {
        let max = if ip.is_ipv4() { 32 } else { 128 };
        match p.parse::<u8>() {
            Ok(n) if n <= max && !p.starts_with('+') => {}
            _ => {
                return Err(format!(
                    "'{v}': the prefix length '/{p}' is not a number from 0 to {max}; write e.g. \"{addr}/{}\"",
                    if ip.is_ipv4() { 24 } else { 48 }
                ))
            }
        }
    }
    Ok(())
}

/// Whether `v` is a valid value for an `[[indicator]]` of this type (the
/// check `parse_case` applies; importers use it to drop what a case would
/// refuse).
pub fn valid_indicator(kind: IndicatorType, v: &str) -> Result<(), String> {
    let v = v.trim();
    let ok = match kind {
        IndicatorType::Ip => return valid_ip_or_cidr(v),
        IndicatorType::Wallet => return wallet::classify(v).map(|_| ()),
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
            IndicatorType::Domain => {
                format!("'{v}' is not a domain name; write e.g. value = \"example.com\"")
            }
            IndicatorType::Url => {
                format!("'{v}' is not a URL; write e.g. value = \"http://example.com/path\"")
            }
            IndicatorType::Email => {
                format!("'{v}' is not an e-mail address; write e.g. value = \"user@example.com\"")
            }
            _ => format!("'{v}' is not an MD5, SHA-1 or SHA-256 hex digest"),
        })
    }
}

/// A fact key as the analyst writes it: `kind:value`, lower-case kind.
fn normalise_fact_key(k: &str) -> Option<String> {
    let (kind, value) = k.trim().split_once(':')?;
    let kind = kind.trim();
    let value = value.trim();
    if kind.is_empty()
        || value.is_empty()
        || !kind
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    Some(format!("{}:{value}", kind.to_ascii_lowercase()))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest of `candidates` to `word`, if close enough to be a typo.
fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let w = word.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| (edit_distance(&w, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4) && *d < c.len())
        .min_by_key(|x| x.0)
        .map(|x| x.1)
}

/// Rewrite serde's "unknown field" messages: name tables as tables, and
/// suggest the closest valid name.
fn explain_toml_error(msg: &str, top_level: bool) -> String {
    if msg.contains("missing field `case`") {
        return format!("{msg}; start the file with a [case] table holding name = \"…\"");
    }
    let Some(rest) = msg.strip_prefix("unknown field `") else {
        return msg.to_string();
    };
    let Some((word, rest)) = rest.split_once('`') else {
        return msg.to_string();
    };
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let hint = closest(word, &expected)
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default();
    if top_level {
        let table_hint = closest(word, &expected)
            .and_then(|c| TABLES.iter().find(|t| t.trim_matches(['[', ']']) == c))
            .map(|t| format!(" (did you mean {t}?)"))
            .unwrap_or_default();
        return format!(
            "unknown table `{word}`{table_hint}; the tables of case.toml are {} (docs/case-format.md)",
            TABLES.join(", ")
        );
    }
    format!(
        "unknown field `{word}`{hint}; valid fields here: {}",
        expected.join(", ")
    )
}

/// Whether a toml error lies outside every table body (a top-level key).
fn is_top_level(text: &str, offset: usize) -> bool {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line = text[line_start..].trim_start();
    line.starts_with('[')
        || !text[..line_start]
            .lines()
            .any(|l| l.trim_start().starts_with('['))
}

/// Parse `case.toml` text. `file` names it in errors.
pub fn parse_case(text: &str, file: &str) -> Result<Case, CaseError> {
    let parsed: CaseFile = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let msg = explain_toml_error(e.message(), is_top_level(text, span.start));
        CaseError::at(file, text, span, msg)
    })?;
    let header = parsed.case.get_ref();
    if header.name.trim().is_empty() {
        return Err(CaseError::at(
            file,
            text,
            parsed.case.span(),
            "[case] name is empty; write name = \"…\"".into(),
        ));
    }
    if let Some(d) = &header.date {
        let span = d.span();
        let d = d.get_ref();
        if !is_coarse_date(d.trim()) {
            return Err(CaseError::at(
                file,
                text,
                span,
                format!("[case] date '{d}' is not a date; write date = \"2014-11-24\" (or \"2014-11\", \"2014\")"),
            ));
        }
    }
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
        if let Some(f) = &s.file {
            let path = Path::new(f);
            if f.trim().is_empty()
                || path.is_absolute()
                || f.starts_with('/')
                || f.starts_with('\\')
                || path.components().any(|c| {
                    matches!(
                        c,
                        std::path::Component::ParentDir | std::path::Component::Prefix(_)
                    )
                })
            {
                return Err(CaseError::at(
                    file,
                    text,
                    span,
                    format!(
                        "[[source]] '{}': file '{f}' is not a path inside the case directory; write it relative to case.toml, without '..' (copy the file into the case directory)",
                        s.id
                    ),
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
    let hypotheses = parse_hypotheses(&parsed.hypothesis, text, file)?;
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
    // line numbers by binary search over the newline offsets: counting
    // newlines from the start for every item was quadratic (100,000
    // techniques took minutes)
    let newlines: Vec<usize> = memchr_newlines(text);
    let mut push = |kind: ObservationKind,
                    source: &str,
                    note: Option<String>,
                    common: Common,
                    span: std::ops::Range<usize>|
     -> Result<(), CaseError> {
        let table = kind.kind_name();
        let table_name = table.replace('-', "_");
        let err = |m: String| CaseError::at(file, text, span.clone(), m);
        let src = sources.get(source).cloned().ok_or_else(|| {
            err(format!("[[{table_name}]] refers to source '{source}', which is not declared; add a [[source]] with id = \"{source}\" ({})", declared()))
        })?;
        let forge_cost_override = match (common.forge_cost, common.forge_cost_why) {
            (None, None) => None,
            (Some(c), Some(why)) if why.trim().chars().count() >= MIN_JUSTIFICATION => {
                Some((c, why.trim().to_string()))
            }
            (Some(c), _) => {
                return Err(err(format!(
                    "[[{table_name}]] sets forge_cost = \"{}\" without a justification; add forge_cost_why = \"…\" saying why this item is {} to plant (at least {MIN_JUSTIFICATION} characters)",
                    c.as_str(),
                    c.as_str()
                )))
            }
            (None, Some(_)) => {
                return Err(err(format!(
                    "[[{table_name}]] has forge_cost_why but no forge_cost; add forge_cost = \"cheap\", \"moderate\" or \"costly\""
                )))
            }
        };
        let fact_key = match common.fact.as_deref() {
            None => None,
            Some(_) if matches!(kind, ObservationKind::Technique { .. } | ObservationKind::Software { .. }) => {
                return Err(err(format!(
                    "[[{table_name}]] cannot take fact = \"…\": a {table} is its own fact (every item naming the same one already counts once)"
                )))
            }
            Some(k) => Some(normalise_fact_key(k).ok_or_else(|| {
                err(format!("fact '{k}' is not a fact key; write kind:value, e.g. fact = \"language:korean\", \"utc-offset:+9\" or \"indicator:ip:203.0.113.5\""))
            })?),
        };
        let n = counters.entry(table).or_default();
        *n += 1;
        let line = newlines.partition_point(|&nl| nl < span.start) + 1;
        obs.push(Observation {
            id: format!("{table}-{n}"),
            kind,
            source: src,
            location: Some(Location {
                file: file.to_string(),
                line: Some(line as u32),
            }),
            note,
            status: common.status,
            forge_cost_override,
            fact_key,
            illustrative: false,
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
            t.common(),
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
                leaked: s.leaked,
            },
            &s.source,
            s.note.clone(),
            s.common(),
            span,
        )?;
    }
    for i in &parsed.indicator {
        let span = i.span();
        let i = i.get_ref();
        valid_indicator(i.kind, &i.value)
            .map_err(|m| CaseError::at(file, text, span.clone(), m))?;
        if i.kind == IndicatorType::Wallet && i.country.is_some() {
            return Err(CaseError::at(file, text, span, "a wallet has no location: remove country from this [[indicator]] (write overlaps = \"ACTOR\" when a source ties the wallet to an actor)".into()));
        }
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
            i.common(),
            span,
        )?;
    }
    for x in &parsed.infrastructure_overlap {
        let span = x.span();
        let x = x.get_ref();
        if x.indicators.is_empty() || x.overlaps.trim().is_empty() {
            return Err(CaseError::at(file, text, span, "[[infrastructure_overlap]] needs indicators = [\"…\"] and overlaps = \"ACTOR or COUNTRY\"".into()));
        }
        let relation = match x.relation.as_deref().map(str::trim) {
            None => None,
            Some(r @ ("owned" | "shared" | "hijacked")) => Some(r.to_string()),
            Some(r) => {
                return Err(CaseError::at(file, text, span, format!("relation '{r}' is not one of owned, shared, hijacked; write relation = \"hijacked\" when another actor took the infrastructure over")))
            }
        };
        push(
            ObservationKind::InfrastructureOverlap {
                indicators: x.indicators.clone(),
                overlaps: x.overlaps.trim().to_string(),
                relation,
            },
            &x.source,
            x.note.clone(),
            x.common(),
            span,
        )?;
    }
    for x in &parsed.operator_origin {
        let span = x.span();
        let x = x.get_ref();
        if x.actor.trim().is_empty() {
            return Err(CaseError::at(file, text, span, "[[operator_origin]] needs actor = \"ACTOR, STATE ORGANISATION or COUNTRY\" whose address space the connection came from".into()));
        }
        if let Some(a) = &x.address {
            valid_ip_or_cidr(a.trim())
                .map_err(|m| CaseError::at(file, text, span.clone(), format!("address {m}")))?;
        }
        push(
            ObservationKind::OperatorOrigin {
                actor: x.actor.trim().to_string(),
                address: x.address.as_ref().map(|a| a.trim().to_string()),
                activity: x.activity.clone(),
            },
            &x.source,
            x.note.clone(),
            x.common(),
            span,
        )?;
    }
    for x in &parsed.link {
        let span = x.span();
        let x = x.get_ref();
        if x.to.trim().is_empty() {
            return Err(CaseError::at(file, text, span, "[[link]] needs to = \"CAMPAIGN or FAMILY\" (a name or an ATT&CK id such as C0018 or S0364)".into()));
        }
        push(
            ObservationKind::SameOperator {
                as_of_campaign_or_family: x.to.trim().to_string(),
                actor: x.actor.as_ref().map(|a| a.trim().to_string()),
                link: x.kind,
            },
            &x.source,
            x.note.clone(),
            x.common(),
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
            a.common(),
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
            c.common(),
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
            c.common(),
            span,
        )?;
    }
    for h in &parsed.hypothesis_evidence {
        let span = h.span();
        let h = h.get_ref();
        let id = h.hypothesis.trim();
        if !hypotheses.iter().any(|d| d.id == id) {
            let ids: Vec<&str> = hypotheses.iter().map(|d| d.id.as_str()).collect();
            return Err(CaseError::at(
                file,
                text,
                span,
                format!(
                    "[[hypothesis_evidence]] refers to hypothesis '{id}', which is not declared; add a [[hypothesis]] with id = \"{id}\", label and prior ({})",
                    if ids.is_empty() {
                        "no [[hypothesis]] is declared yet".to_string()
                    } else {
                        format!("declared: {}", ids.join(", "))
                    }
                ),
            ));
        }
        push(
            ObservationKind::DeclaredEvidence {
                hypothesis: id.to_string(),
                stance: h.stance,
                strength: h.strength,
            },
            &h.source,
            h.note.clone(),
            h.common(),
            span,
        )?;
    }
    let as_of = match &header.as_of {
        Some(d) => Some(
            ascribe_core::parse_as_of(d.get_ref())
                .map(|x| x.to_string())
                .map_err(|m| {
                    CaseError::at(
                        file,
                        text,
                        d.span(),
                        format!("[case] as_of: {m} (the knowledge base is cut to what was published by that day)"),
                    )
                })?,
        ),
        None => None,
    };
    let victim = match parsed.victim {
        None => Victim::default(),
        Some(v) => {
            let span = v.span();
            let v = v.into_inner();
            let incident_type = match v.incident_type.as_deref().map(|t| t.trim().to_lowercase()) {
                None => None,
                Some(t) => {
                    let t = t.replace('-', " ");
                    if !ascribe_core::INCIDENT_TYPES.contains(&t.as_str()) {
                        return Err(CaseError::at(
                            file,
                            text,
                            span,
                            format!(
                                "[victim] incident_type '{t}' is not one of {} (the MISP galaxy's cfr-type-of-incident)",
                                ascribe_core::INCIDENT_TYPES.join(", ")
                            ),
                        ));
                    }
                    Some(t)
                }
            };
            let country = v.country.map(|c| c.trim().to_string());
            if let Some(c) = &country {
                if c.is_empty() || c.chars().any(|x| x.is_ascii_digit()) {
                    return Err(CaseError::at(
                        file,
                        text,
                        span,
                        format!("[victim] country '{c}' is not a country; write an ISO 3166 code such as \"US\" or a name"),
                    ));
                }
            }
            Victim {
                name: v.name,
                sector: v.sector,
                country,
                category: v.category.map(|c| c.trim().to_lowercase()),
                incident_type,
            }
        }
    };
    if obs.len() > MAX_CASE_ITEMS {
        return Err(CaseError::Invalid {
            file: file.to_string(),
            line: 1,
            column: 1,
            message: format!(
                "{} observation items, over the limit of {MAX_CASE_ITEMS} per case; split the case or keep one item per fact",
                obs.len()
            ),
        });
    }
    Ok(Case {
        name: header.name.clone(),
        summary: header.summary.clone(),
        date: header.date.as_ref().map(|d| d.get_ref().trim().to_string()),
        victim,
        sources: source_list,
        observations: obs,
        exclude_citations: header.exclude_citations.clone(),
        files: Vec::new(),
        hypotheses,
        as_of,
        illustrative_files: Vec::new(),
        skipped_files: Vec::new(),
        file_notes: Vec::new(),
    })
}

fn parse_hypotheses(
    entries: &[Spanned<HypothesisEntry>],
    text: &str,
    file: &str,
) -> Result<Vec<DeclaredHypothesis>, CaseError> {
    let mut out: Vec<DeclaredHypothesis> = Vec::new();
    let mut total = 0.0;
    for h in entries {
        let span = h.span();
        let h = h.get_ref();
        let err = |m: String| CaseError::at(file, text, span.clone(), m);
        let id = h.id.trim();
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        {
            return Err(err(format!("[[hypothesis]] id '{}' must be lower-case letters, digits, '-' or '_'; write e.g. id = \"insider\"", h.id)));
        }
        if out.iter().any(|d| d.id == id) {
            return Err(err(format!(
                "hypothesis id '{id}' is declared twice; give each [[hypothesis]] its own id"
            )));
        }
        if h.label.trim().is_empty() {
            return Err(err(format!(
                "[[hypothesis]] '{id}' has an empty label; write label = \"a disgruntled insider\""
            )));
        }
        if !(h.prior > 0.0 && h.prior < 1.0) {
            return Err(err(format!(
                "[[hypothesis]] '{id}': prior {} is not strictly between 0 and 1; write e.g. prior = 0.05",
                h.prior
            )));
        }
        total += h.prior;
        if total >= 1.0 {
            return Err(err(format!(
                "the declared hypotheses' priors add up to {total:.2}; together they must stay below 1 (they are taken out of P(unknown))"
            )));
        }
        let state = match h.state.as_deref().map(str::trim) {
            None => None,
            Some(s) if s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic()) => {
                Some(s.to_ascii_uppercase())
            }
            Some(s) => {
                return Err(err(format!(
                    "[[hypothesis]] '{id}': state '{s}' is not an ISO 3166 alpha-2 code; write e.g. state = \"KP\""
                )))
            }
        };
        out.push(DeclaredHypothesis {
            id: id.to_string(),
            label: h.label.trim().to_string(),
            prior: h.prior,
            state,
        });
    }
    Ok(out)
}

/// Load a case directory (or a `case.toml` path): parse `case.toml` and list
/// the other files in the directory, recursively (relative paths, sorted).
/// Files under a directory holding an `ILLUSTRATIVE` marker are also listed
/// in `illustrative_files`; ascribe's own reports (see
/// [`is_ascribe_output`]) are listed in `skipped_files` only.
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
    if !meta.is_file() {
        // a FIFO or a device would block or never end
        return Err(io(
            &file,
            "not a regular file (a FIFO, socket or device?); case.toml must be a plain file".into(),
        ));
    }
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
    let mut illustrative = Vec::new();
    let mut skipped = Vec::new();
    let mut file_notes = Vec::new();
    let mut stack = vec![(dir.clone(), false)];
    while let Some((d, parent_illustrative)) = stack.pop() {
        let marked = parent_illustrative || d.join(ILLUSTRATIVE_MARKER).is_file();
        let rd = std::fs::read_dir(&d).map_err(|e| io(&d, e.to_string()))?;
        for entry in rd {
            let entry = entry.map_err(|e| io(&d, e.to_string()))?;
            let p = entry.path();
            let ft = entry.file_type().map_err(|e| io(&p, e.to_string()))?;
            if ft.is_dir() {
                stack.push((p, marked));
            } else if ft.is_file() && p != file {
                if files.len() + skipped.len() >= MAX_FILES {
                    return Err(io(
                        &dir,
                        format!("more than {MAX_FILES} files in the case directory"),
                    ));
                }
                if entry.file_name() == ILLUSTRATIVE_MARKER {
                    continue;
                }
                let rel = p.strip_prefix(&dir).unwrap_or(&p).display().to_string();
                if is_ascribe_output(&p) {
                    skipped.push(rel);
                    continue;
                }
                if marked {
                    illustrative.push(rel.clone());
                }
                files.push(rel);
            } else if !ft.is_file() {
                let rel = p.strip_prefix(&dir).unwrap_or(&p).display().to_string();
                file_notes.push(if ft.is_symlink() {
                    format!("{rel}: a symbolic link, not followed (copy the file into the case directory to have it read)")
                } else {
                    format!("{rel}: not a regular file (a FIFO, socket or device), not read")
                });
            }
        }
    }
    files.sort();
    file_notes.extend(missing_source_files(&case, &files, &skipped));
    file_notes.sort();
    illustrative.sort();
    skipped.sort();
    case.files = files;
    case.illustrative_files = illustrative;
    case.skipped_files = skipped;
    case.file_notes = file_notes;
    Ok(case)
}

/// Notes for `[[source]] file` entries that name no file among `files`
/// (the case's evidence) or `skipped` (its own reports).
pub fn missing_source_files(case: &Case, files: &[String], skipped: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for s in &case.sources {
        if let Some(f) = &s.file {
            let norm = f.trim_start_matches("./");
            if !files.iter().any(|x| x == norm) && !skipped.iter().any(|x| x == norm) {
                out.push(format!(
                    "{norm}: named by [[source]] '{}' but not a readable file in the case directory",
                    s.id
                ));
            }
        }
    }
    out
}

/// Whether a file is a report `ascribe analyze` wrote (text, Markdown or
/// JSON, e.g. `assessment.md` written with `-o`): such files are never read
/// back as evidence.
pub fn is_ascribe_output(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !matches!(
        ext.as_str(),
        "md" | "markdown" | "txt" | "json" | "jsonl" | "log" | "html" | "htm" | ""
    ) {
        return false;
    }
    match read_head(path, 4096) {
        Some(head) => looks_like_ascribe_output(&String::from_utf8_lossy(&head)),
        None => false,
    }
}

/// Up to `limit` first bytes of a regular file; `None` for anything else
/// (a FIFO would block, a device never end) or a file that cannot be opened.
pub fn read_head(path: &Path, limit: usize) -> Option<Vec<u8>> {
    use std::io::Read;
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let f = std::fs::File::open(path).ok()?;
    let mut head = Vec::with_capacity(limit.min(1 << 20));
    f.take(limit as u64).read_to_end(&mut head).ok()?;
    Some(head)
}

/// The signatures of ascribe's own reports: the JSON schema tag, the
/// Markdown title, the text report's first line, the import report.
pub fn looks_like_ascribe_output(head: &str) -> bool {
    let h = head.trim_start_matches('\u{feff}').trim_start();
    let h = h.strip_prefix("\x1b[1m").unwrap_or(h);
    (h.starts_with('{') && h.contains("\"schema\"") && h.contains("\"ascribe.assessment/"))
        || h.starts_with("# Attribution assessment: ")
        // what `case from-misp` / `from-stix` wrote beside the case
        || h.starts_with("# ascribe import report")
        // the HTML report (`analyze --format html`)
        || (h.starts_with("<!DOCTYPE html>") && h.contains("<meta name=\"generator\" content=\"ascribe\">"))
        // the text report, possibly after ascribe's own stderr lines (2>&1)
        || h.lines().take(5).any(|l| {
            l.strip_prefix("\x1b[1m")
                .unwrap_or(l)
                .starts_with("ascribe — ")
        })
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
    fn analysis_date_is_checked() {
        let c = parse_case(
            &OK.replace("name = \"Test\"", "name = \"Test\"\nas_of = \"2014-12-19\""),
            "case.toml",
        )
        .unwrap();
        assert_eq!(c.as_of.as_deref(), Some("2014-12-19"));
        assert_eq!(parse_case(OK, "case.toml").unwrap().as_of, None);
        let e = err(&OK.replace("name = \"Test\"", "name = \"Test\"\nas_of = \"2014-02-30\""));
        assert!(
            e.starts_with("case.toml:4:9:") && e.contains("as_of") && e.contains("YYYY-MM-DD"),
            "{e}"
        );
        let e = err(&OK.replace("name = \"Test\"", "name = \"Test\"\nas_of = \"2014\""));
        assert!(e.contains("full day"), "{e}");
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
mod issue10 {
    use super::*;

    const HEAD: &str = "[case]\nname = \"T\"\n\n[[source]]\nid = \"s1\"\ntitle = \"A report\"\nkind = \"vendor\"\n";

    fn case(body: &str) -> Result<Case, String> {
        parse_case(&format!("{HEAD}{body}"), "case.toml").map_err(|e| e.to_string())
    }

    fn err(body: &str) -> String {
        case(body).unwrap_err()
    }

    #[test]
    fn wallets_are_indicators_with_checked_addresses() {
        let c = case("[[indicator]]\ntype = \"wallet\"\nvalue = \"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa\"\noverlaps = \"Lazarus Group\"\nsource = \"s1\"\n").unwrap();
        assert!(matches!(
            &c.observations[0].kind,
            ObservationKind::Indicator {
                indicator: IndicatorType::Wallet,
                ..
            }
        ));
        let e = err("[[indicator]]\ntype = \"wallet\"\nvalue = \"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb\"\nsource = \"s1\"\n");
        assert!(
            e.starts_with("case.toml:8:1:") && e.contains("checksum"),
            "{e}"
        );
        let e = err("[[indicator]]\ntype = \"wallet\"\nvalue = \"0x52908400098527886E0F7030069857D2E4169EE7\"\ncountry = \"KP\"\nsource = \"s1\"\n");
        assert!(e.contains("a wallet has no location"), "{e}");
    }

    #[test]
    fn operator_origin_link_and_relation() {
        let c = case(concat!(
            "[[operator_origin]]\nactor = \"North Korea\"\naddress = \"175.45.178.0/24\"\nactivity = \"Guardians of Peace Facebook login\"\nsource = \"s1\"\n",
            "[[link]]\nkind = \"same-c2\"\nto = \"Operation Troy\"\nactor = \"Lazarus Group\"\nsource = \"s1\"\n",
            "[[infrastructure_overlap]]\nindicators = [\"203.0.113.5\"]\noverlaps = \"OilRig\"\nrelation = \"hijacked\"\nsource = \"s1\"\n",
            "[[software]]\nname = \"Babuk\"\nleaked = true\nsource = \"s1\"\n",
        ))
        .unwrap();
        let kinds: Vec<&str> = c.observations.iter().map(|o| o.kind.kind_name()).collect();
        assert_eq!(
            kinds,
            [
                "software",
                "infrastructure-overlap",
                "operator-origin",
                "link"
            ]
        );
        assert!(matches!(
            &c.observations[0].kind,
            ObservationKind::Software { leaked: true, .. }
        ));
        assert!(
            matches!(&c.observations[1].kind, ObservationKind::InfrastructureOverlap { relation: Some(r), .. } if r == "hijacked")
        );
        assert!(
            matches!(&c.observations[3].kind, ObservationKind::SameOperator { link: LinkKind::SameC2, as_of_campaign_or_family, .. } if as_of_campaign_or_family == "Operation Troy")
        );
        assert_eq!(c.observations[3].id, "link-1");
        let e = err("[[operator_origin]]\nactor = \"North Korea\"\naddress = \"175.45.178.xx\"\nsource = \"s1\"\n");
        assert!(e.contains("175.45.178.0/24"), "{e}");
        let e = err("[[infrastructure_overlap]]\nindicators = [\"x\"]\noverlaps = \"OilRig\"\nrelation = \"borrowed\"\nsource = \"s1\"\n");
        assert!(e.contains("owned, shared, hijacked"), "{e}");
        let e = err("[[link]]\nkind = \"same-person\"\nto = \"X\"\nsource = \"s1\"\n");
        assert!(e.contains("same-operator") && e.contains("same-c2"), "{e}");
    }

    #[test]
    fn forge_cost_override_needs_a_justification() {
        let c = case("[[artifact]]\ntype = \"resource-language\"\nvalue = \"Korean\"\nforge_cost = \"moderate\"\nforge_cost_why = \"the resources were compiled in, not patched: the build machine was Korean\"\nsource = \"s1\"\n").unwrap();
        let (cost, why) = c.observations[0].forge_cost_override.clone().unwrap();
        assert_eq!(cost, ForgeCost::Moderate);
        assert!(why.starts_with("the resources"));
        let e = err("[[claim]]\nclaimant = \"FBI\"\nclaimant_kind = \"government\"\ntarget = \"North Korea\"\nstance = \"asserts\"\nforge_cost = \"costly\"\nsource = \"s1\"\n");
        assert!(
            e.starts_with("case.toml:8:1:") && e.contains("forge_cost_why"),
            "{e}"
        );
        let e = err("[[technique]]\nid = \"T1485\"\nforge_cost = \"costly\"\nforge_cost_why = \"because\"\nsource = \"s1\"\n");
        assert!(e.contains("at least 10 characters"), "{e}");
        let e = err("[[technique]]\nid = \"T1485\"\nforge_cost_why = \"a long enough reason here\"\nsource = \"s1\"\n");
        assert!(e.contains("no forge_cost"), "{e}");
        let e = err("[[technique]]\nid = \"T1485\"\nforge_cost = \"free\"\nsource = \"s1\"\n");
        assert!(e.contains("free") && e.contains("costly"), "{e}");
    }

    #[test]
    fn status_and_fact_keys() {
        let c = case(concat!(
            "[[technique]]\nid = \"T1485\"\nstatus = \"retracted\"\nsource = \"s1\"\n",
            "[[artifact]]\ntype = \"utc-offset\"\nvalue = \"+9\"\nstatus = \"uncertain\"\nfact = \"UTC-Offset:+9\"\nsource = \"s1\"\n",
        ))
        .unwrap();
        assert_eq!(c.observations[0].status, Status::Retracted);
        assert_eq!(c.observations[1].status, Status::Uncertain);
        assert_eq!(c.observations[1].fact_key.as_deref(), Some("utc-offset:+9"));
        let e = err("[[technique]]\nid = \"T1485\"\nstatus = \"maybe\"\nsource = \"s1\"\n");
        assert!(e.contains("uncertain") && e.contains("retracted"), "{e}");
        let e = err("[[technique]]\nid = \"T1485\"\nfact = \"technique:T1485\"\nsource = \"s1\"\n");
        assert!(e.contains("its own fact"), "{e}");
        let e = err("[[claim]]\nclaimant = \"FBI\"\nclaimant_kind = \"government\"\ntarget = \"KP\"\nstance = \"asserts\"\nfact = \"no colon\"\nsource = \"s1\"\n");
        assert!(e.contains("kind:value"), "{e}");
    }

    #[test]
    fn declared_hypotheses_and_their_evidence() {
        let c = case(concat!(
            "[[hypothesis]]\nid = \"insider\"\nlabel = \"a disgruntled insider\"\nprior = 0.05\n",
            "[[hypothesis]]\nid = \"sympathisers\"\nlabel = \"hacktivist sympathisers\"\nprior = 0.03\nstate = \"kp\"\n",
            "[[hypothesis_evidence]]\nhypothesis = \"insider\"\nstance = \"against\"\nstrength = \"moderate\"\nsource = \"s1\"\nnote = \"the wiper carried hard-coded credentials of many hosts\"\n",
        ))
        .unwrap();
        assert_eq!(c.hypotheses.len(), 2);
        assert_eq!(c.hypotheses[1].state.as_deref(), Some("KP"));
        assert!(matches!(
            &c.observations[0].kind,
            ObservationKind::DeclaredEvidence { hypothesis, stance: DeclaredStance::Against, strength: Strength::Moderate } if hypothesis == "insider"
        ));
        let e = err("[[hypothesis_evidence]]\nhypothesis = \"criminals\"\nstance = \"for\"\nstrength = \"weak\"\nsource = \"s1\"\n");
        assert!(
            e.contains("add a [[hypothesis]] with id = \"criminals\"")
                && e.contains("no [[hypothesis]]"),
            "{e}"
        );
        let e = err("[[hypothesis]]\nid = \"a\"\nlabel = \"A\"\nprior = 0.6\n[[hypothesis]]\nid = \"b\"\nlabel = \"B\"\nprior = 0.5\n");
        assert!(e.contains("add up to 1.10"), "{e}");
        let e = err("[[hypothesis]]\nid = \"Insider X\"\nlabel = \"A\"\nprior = 0.1\n");
        assert!(e.contains("lower-case"), "{e}");
        let e = err("[[hypothesis]]\nid = \"a\"\nlabel = \"A\"\nprior = 0\n");
        assert!(e.contains("strictly between 0 and 1"), "{e}");
        let e = err("[[hypothesis_evidence]]\nhypothesis = \"x\"\nstance = \"for\"\nstrength = \"huge\"\nsource = \"s1\"\n");
        assert!(e.contains("huge"), "{e}");
    }

    #[test]
    fn format_friction() {
        // an unknown table is named as a table, with the real list
        let e = err("[[techniques]]\nid = \"T1485\"\nsource = \"s1\"\n");
        assert!(e.starts_with("case.toml:8:"), "{e}");
        assert!(
            e.contains("unknown table `techniques`") && e.contains("did you mean [[technique]]"),
            "{e}"
        );
        assert!(!e.contains("start the file with a [case]"), "{e}");
        // an unknown field suggests the closest
        let e = err("[[technique]]\nidd = \"T1485\"\nsource = \"s1\"\n");
        assert!(e.contains("did you mean `id`"), "{e}");
        // [case] date
        for bad in ["2014-13-01", "2014-02-30", "yesterday", "24/11/2014"] {
            let e = parse_case(
                &format!("[case]\nname = \"x\"\ndate = \"{bad}\"\n"),
                "case.toml",
            )
            .unwrap_err()
            .to_string();
            assert!(
                e.starts_with("case.toml:3:8:") && e.contains("is not a date"),
                "{bad}: {e}"
            );
        }
        for good in [
            "2014",
            "2014-11",
            "2014-11-24",
            "2016-02-29",
            "2014-11-24T08:00:00Z",
        ] {
            assert!(
                parse_case(
                    &format!("[case]\nname = \"x\"\ndate = \"{good}\"\n"),
                    "case.toml"
                )
                .is_ok(),
                "{good}"
            );
        }
        // masked addresses and CIDR prefixes
        let ip = |v: &str| {
            err(&format!(
                "[[indicator]]\ntype = \"ip\"\nvalue = \"{v}\"\nsource = \"s1\"\n"
            ))
        };
        assert!(ip("175.45.178.xx").contains("value = \"175.45.178.0/24\""));
        assert!(ip("175.45.x.x").contains("\"175.45.0.0/16\""));
        assert!(ip("10.0.0.0/999").contains("from 0 to 32"));
        assert!(ip("2001:db8::/200").contains("from 0 to 128"));
        assert!(ip("10.0.0.0/").contains("prefix length"));
        assert!(
            case("[[indicator]]\ntype = \"ip\"\nvalue = \"2001:db8::/32\"\nsource = \"s1\"\n")
                .is_ok()
        );
        // exclude_citations is read
        let c = parse_case(
            "[case]\nname = \"x\"\nexclude_citations = [\"Novetta\"]\n",
            "case.toml",
        )
        .unwrap();
        assert_eq!(c.exclude_citations, ["Novetta"]);
    }

    #[test]
    fn victimology_fields() {
        let v = |body: &str| {
            parse_case(
                &format!("[case]\nname = \"x\"\n[victim]\n{body}"),
                "case.toml",
            )
            .map(|c| c.victim)
            .map_err(|e| e.to_string())
        };
        let x = v("country = \"US\"\ncategory = \"Private Sector\"\nincident_type = \"Denial-of-Service\"\n").unwrap();
        assert_eq!(x.category.as_deref(), Some("private sector"));
        assert_eq!(x.incident_type.as_deref(), Some("denial of service"));
        let e = v("incident_type = \"hacking\"\n").unwrap_err();
        assert!(
            e.starts_with("case.toml:3:1:") && e.contains("espionage, sabotage"),
            "{e}"
        );
        assert!(v("country = \"840\"\n")
            .unwrap_err()
            .contains("not a country"));
    }

    #[test]
    fn directory_marks_and_own_outputs() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("case.toml"), HEAD).unwrap();
        std::fs::create_dir_all(d.path().join("binaries/sub")).unwrap();
        std::fs::write(d.path().join("binaries/ILLUSTRATIVE"), "stand-ins").unwrap();
        std::fs::write(d.path().join("binaries/a.exe"), "MZ").unwrap();
        std::fs::write(d.path().join("binaries/sub/b.exe"), "MZ").unwrap();
        std::fs::write(d.path().join("real.txt"), "a report").unwrap();
        std::fs::write(
            d.path().join("assessment.md"),
            "# Attribution assessment: T\n",
        )
        .unwrap();
        std::fs::write(
            d.path().join("out.json"),
            "{\n  \"schema\": \"ascribe.assessment/1\",\n",
        )
        .unwrap();
        std::fs::write(d.path().join("out.txt"), "ascribe — T\nsummary\n").unwrap();
        std::fs::write(
            d.path().join("both.log"),
            "ascribe: loaded the embedded default knowledge base\nascribe — T\n",
        )
        .unwrap();
        std::fs::write(
            d.path().join("notes.md"),
            "# My notes on the Attribution assessment\n",
        )
        .unwrap();
        let c = load_case(d.path()).unwrap();
        assert_eq!(
            c.files,
            [
                "binaries/a.exe",
                "binaries/sub/b.exe",
                "notes.md",
                "real.txt"
            ]
        );
        assert_eq!(
            c.illustrative_files,
            ["binaries/a.exe", "binaries/sub/b.exe"]
        );
        assert_eq!(
            c.skipped_files,
            ["assessment.md", "both.log", "out.json", "out.txt"]
        );
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
