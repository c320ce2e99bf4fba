//! A case in memory → a case directory (`case.toml` + evidence files).
//!
//! Importers build an [`ascribe_core::Case`] and hand it here with the files
//! to write; the `case.toml` text is checked with `ascribe_case::parse_case`
//! before anything is written, so an importer can never leave a case that
//! `ascribe analyze` refuses.

use crate::InteropError;
use ascribe_core::{Case, Observation, ObservationKind, Status};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use toml::{Table, Value};

/// How many input items one mapping kept and dropped (`"ip-dst → indicator
/// ip"`: kept 120, dropped 3).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct MappingCounts {
    pub kept: usize,
    pub dropped: usize,
}

/// What an importer made of a document.
#[derive(Debug, Clone, Default)]
pub struct ImportedCase {
    pub case: Case,
    /// Evidence files to write: path relative to the case directory, bytes.
    pub files: Vec<(String, Vec<u8>)>,
    /// What was not mapped, one line each (aggregated by reason).
    pub unmapped: Vec<String>,
    /// Per mapping (input kind → case table), how many items were kept and dropped.
    pub counts: BTreeMap<String, MappingCounts>,
}

impl ImportedCase {
    /// Count one item of a mapping.
    pub fn count(&mut self, mapping: impl Into<String>, kept: bool) {
        let c = self.counts.entry(mapping.into()).or_default();
        if kept {
            c.kept += 1;
        } else {
            c.dropped += 1;
        }
    }

    /// Total kept and dropped over every mapping.
    pub fn totals(&self) -> (usize, usize) {
        self.counts
            .values()
            .fold((0, 0), |(k, d), c| (k + c.kept, d + c.dropped))
    }

    /// Drop what `parse_case` would refuse, so that a hostile or odd input
    /// never leaves a case `ascribe analyze` cannot read: declared
    /// hypotheses and observations are checked one by one, then the header
    /// (victim, dates) as a whole. What goes is listed in `unmapped`.
    pub fn sanitize(&mut self) {
        let case = &mut self.case;
        let before = case.hypotheses.len();
        case.hypotheses.retain(|h| {
            let c = Case {
                name: "check".into(),
                hypotheses: vec![h.clone()],
                ..Default::default()
            };
            parses(&c)
        });
        let hyps = case.hypotheses.clone();
        let n = case.observations.len();
        case.observations.retain(|o| {
            let c = Case {
                name: "check".into(),
                hypotheses: hyps.clone(),
                observations: vec![o.clone()],
                ..Default::default()
            };
            parses(&c)
        });
        let dropped_obs = n - case.observations.len();
        let dropped_hyp = before - case.hypotheses.len();
        let mut header = Case {
            name: case.name.clone(),
            summary: case.summary.clone(),
            date: case.date.clone(),
            as_of: case.as_of.clone(),
            victim: case.victim.clone(),
            exclude_citations: case.exclude_citations.clone(),
            ..Default::default()
        };
        if header.name.trim().is_empty() {
            case.name = "imported case".into();
            header.name = case.name.clone();
        }
        let mut header_fixed = Vec::new();
        if !parses(&header) {
            header.victim = Default::default();
            case.victim = Default::default();
            header_fixed.push("victim");
        }
        for (field, slot) in [("date", 0), ("as_of", 1)] {
            if !parses(&header) {
                if slot == 0 {
                    header.date = None;
                    case.date = None;
                } else {
                    header.as_of = None;
                    case.as_of = None;
                }
                header_fixed.push(field);
            }
        }
        if dropped_obs > 0 {
            self.unmapped.push(format!(
                "{dropped_obs} observation(s) the case format refuses (checked one by one): dropped"
            ));
        }
        if dropped_hyp > 0 {
            self.unmapped.push(format!(
                "{dropped_hyp} declared hypothesis(es) the case format refuses: dropped"
            ));
        }
        if !header_fixed.is_empty() {
            self.unmapped.push(format!(
                "case header field(s) the case format refuses: {} (dropped)",
                header_fixed.join(", ")
            ));
        }
    }

    /// The `case.toml` text.
    pub fn case_toml(&self) -> Result<String, InteropError> {
        let written: Vec<&str> = self.files.iter().map(|(p, _)| p.as_str()).collect();
        let text = case_toml(&self.case, &written);
        // the importer's output must be a case ascribe reads
        ascribe_case::parse_case(&text, "case.toml").map_err(|e| InteropError::Invalid {
            what: "generated case.toml".into(),
            message: format!("{e} (a bug in the importer: please report it)"),
        })?;
        Ok(text)
    }

    /// The human-readable import report (written as `IMPORT-REPORT.md`; its
    /// first line marks it as ascribe's own, so `analyze` never reads it as
    /// evidence).
    pub fn report(&self, origin: &str) -> String {
        let mut o = format!("# ascribe import report\n\nImported from `{origin}` by ascribe {}.\n\n| mapping | kept | dropped |\n|---|---:|---:|\n", env!("CARGO_PKG_VERSION"));
        for (m, c) in &self.counts {
            o.push_str(&format!("| {m} | {} | {} |\n", c.kept, c.dropped));
        }
        let (k, d) = self.totals();
        o.push_str(&format!("| **total** | {k} | {d} |\n\n## Not mapped\n\n"));
        if self.unmapped.is_empty() {
            o.push_str("Nothing.\n");
        }
        for u in &self.unmapped {
            o.push_str(&format!("- {u}\n"));
        }
        o
    }

    /// Write the case directory: `case.toml`, the evidence files and
    /// `IMPORT-REPORT.md`. Files are created with mode 0644 (never
    /// executable); paths are confined to `dir`.
    pub fn write(&self, dir: &Path, origin: &str) -> Result<(), InteropError> {
        let text = self.case_toml()?;
        let io = |p: &Path, e: std::io::Error| InteropError::Io {
            path: p.display().to_string(),
            source: e,
        };
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let write = |p: PathBuf, bytes: &[u8]| -> Result<(), InteropError> {
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
            }
            std::fs::write(&p, bytes).map_err(|e| io(&p, e))?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644))
                    .map_err(|e| io(&p, e))?;
            }
            Ok(())
        };
        write(dir.join("case.toml"), text.as_bytes())?;
        for (rel, bytes) in &self.files {
            let rel_path = Path::new(rel);
            if rel_path
                .components()
                .any(|c| !matches!(c, Component::Normal(_)))
            {
                return Err(InteropError::Invalid {
                    what: rel.clone(),
                    message: "file path leaves the case directory".into(),
                });
            }
            write(dir.join(rel_path), bytes)?;
        }
        write(dir.join("IMPORT-REPORT.md"), self.report(origin).as_bytes())?;
        Ok(())
    }
}

fn parses(c: &Case) -> bool {
    ascribe_case::parse_case(&case_toml(c, &[]), "check").is_ok()
}

/// `YYYY-MM-DD` naming a real day.
pub fn is_ymd(d: &str) -> bool {
    d.len() == 10
        && d.as_bytes()[4] == b'-'
        && d.as_bytes()[7] == b'-'
        && crate::unix_seconds(d).is_some_and(|s| crate::rfc3339(s, 0).starts_with(d))
}

/// A file name made safe: ASCII letters, digits, `.`, `-`, `_`; no leading
/// dot; at most 100 characters; never empty.
pub fn safe_name(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    while s.starts_with('.') {
        s.remove(0);
    }
    if s.is_empty() {
        s.push_str("file");
    }
    s
}

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

fn put(t: &mut Table, k: &str, v: &Option<String>) {
    if let Some(v) = v {
        t.insert(k.into(), s(v));
    }
}

/// The `case.toml` text of a case. Illustrative observations (stand-ins,
/// never weighed) are not written; a source's `file` is kept only when that
/// file is among `written`.
pub fn case_toml(case: &Case, written: &[&str]) -> String {
    let mut root = Table::new();
    let mut head = Table::new();
    head.insert("name".into(), s(&case.name));
    put(&mut head, "summary", &case.summary);
    put(&mut head, "date", &case.date);
    put(&mut head, "as_of", &case.as_of);
    if !case.exclude_citations.is_empty() {
        head.insert(
            "exclude_citations".into(),
            Value::Array(case.exclude_citations.iter().map(|x| s(x)).collect()),
        );
    }
    root.insert("case".into(), Value::Table(head));
    let v = &case.victim;
    if v.name.is_some()
        || v.sector.is_some()
        || v.country.is_some()
        || v.category.is_some()
        || v.incident_type.is_some()
    {
        let mut t = Table::new();
        put(&mut t, "name", &v.name);
        put(&mut t, "sector", &v.sector);
        put(&mut t, "country", &v.country);
        put(&mut t, "category", &v.category);
        put(&mut t, "incident_type", &v.incident_type);
        root.insert("victim".into(), Value::Table(t));
    }
    // sources: the case's, then any an observation names that is not listed
    let mut sources: Vec<ascribe_core::Source> = Vec::new();
    for src in case
        .sources
        .iter()
        .chain(case.observations.iter().map(|o| &o.source))
    {
        if !sources.iter().any(|x| x.id == src.id) {
            sources.push(src.clone());
        }
    }
    let mut arr = Vec::new();
    for src in &sources {
        let mut t = Table::new();
        t.insert("id".into(), s(&src.id));
        t.insert("title".into(), s(&src.title));
        t.insert("kind".into(), s(src.kind.as_str()));
        put(&mut t, "url", &src.url);
        put(
            &mut t,
            "date",
            &src.date
                .as_ref()
                .and_then(|d| d.get(..10))
                .filter(|d| is_ymd(d))
                .map(String::from),
        );
        if let Some(f) = &src.file {
            if written.contains(&f.as_str()) {
                t.insert("file".into(), s(f));
            }
        }
        arr.push(Value::Table(t));
    }
    root.insert("source".into(), Value::Array(arr));
    if !case.hypotheses.is_empty() {
        let arr = case
            .hypotheses
            .iter()
            .map(|h| {
                let mut t = Table::new();
                t.insert("id".into(), s(&h.id));
                t.insert("label".into(), s(&h.label));
                t.insert("prior".into(), Value::Float(h.prior));
                put(&mut t, "state", &h.state);
                Value::Table(t)
            })
            .collect();
        root.insert("hypothesis".into(), Value::Array(arr));
    }
    let mut tables: BTreeMap<&'static str, Vec<Value>> = BTreeMap::new();
    for o in case.observations.iter().filter(|o| !o.illustrative) {
        let (name, t) = observation_table(o);
        tables.entry(name).or_default().push(Value::Table(t));
    }
    for (name, items) in tables {
        root.insert(name.into(), Value::Array(items));
    }
    let body = toml::to_string(&root).unwrap_or_default();
    format!(
        "# Written by ascribe {} (ascribe case from-misp / from-stix).\n# Every item names its source; IMPORT-REPORT.md beside this file lists what was not mapped.\n\n{body}",
        env!("CARGO_PKG_VERSION")
    )
}

fn observation_table(o: &Observation) -> (&'static str, Table) {
    let mut t = Table::new();
    let name = match &o.kind {
        ObservationKind::Technique { id } => {
            t.insert("id".into(), s(id));
            "technique"
        }
        ObservationKind::Software { name, leaked } => {
            t.insert("name".into(), s(name));
            if *leaked {
                t.insert("leaked".into(), Value::Boolean(true));
            }
            "software"
        }
        ObservationKind::Indicator {
            indicator,
            value,
            role,
            first_seen,
            last_seen,
            country,
            overlaps,
        } => {
            t.insert("type".into(), s(indicator.as_str()));
            t.insert("value".into(), s(value));
            put(&mut t, "role", role);
            put(&mut t, "first_seen", first_seen);
            put(&mut t, "last_seen", last_seen);
            put(&mut t, "country", country);
            put(&mut t, "overlaps", overlaps);
            "indicator"
        }
        ObservationKind::InfrastructureOverlap {
            indicators,
            overlaps,
            relation,
        } => {
            t.insert(
                "indicators".into(),
                Value::Array(indicators.iter().map(|x| s(x)).collect()),
            );
            t.insert("overlaps".into(), s(overlaps));
            put(&mut t, "relation", relation);
            "infrastructure_overlap"
        }
        ObservationKind::Artifact {
            artifact,
            value,
            sample,
            known_for,
        } => {
            t.insert("type".into(), s(artifact.as_str()));
            t.insert("value".into(), s(value));
            put(&mut t, "sample", sample);
            put(&mut t, "known_for", known_for);
            "artifact"
        }
        ObservationKind::CodeOverlap {
            family,
            actor,
            similarity,
            shared,
            sample,
        } => {
            t.insert("family".into(), s(family));
            put(&mut t, "actor", actor);
            t.insert("similarity".into(), Value::Float(*similarity));
            if !shared.is_empty() {
                t.insert(
                    "shared".into(),
                    Value::Array(shared.iter().map(|x| s(x)).collect()),
                );
            }
            put(&mut t, "sample", sample);
            "code_overlap"
        }
        ObservationKind::Claim {
            claimant,
            claimant_kind,
            target,
            stance,
            quote,
        } => {
            t.insert("claimant".into(), s(claimant));
            t.insert("claimant_kind".into(), s(claimant_kind.as_str()));
            t.insert("target".into(), s(target));
            t.insert("stance".into(), s(stance.as_str()));
            put(&mut t, "quote", quote);
            "claim"
        }
        ObservationKind::OperatorOrigin {
            actor,
            address,
            activity,
        } => {
            t.insert("actor".into(), s(actor));
            put(&mut t, "address", address);
            put(&mut t, "activity", activity);
            "operator_origin"
        }
        ObservationKind::SameOperator {
            as_of_campaign_or_family,
            actor,
            link,
        } => {
            t.insert("kind".into(), s(link.as_str()));
            t.insert("to".into(), s(as_of_campaign_or_family));
            put(&mut t, "actor", actor);
            "link"
        }
        ObservationKind::DeclaredEvidence {
            hypothesis,
            stance,
            strength,
        } => {
            t.insert("hypothesis".into(), s(hypothesis));
            t.insert("stance".into(), s(stance.as_str()));
            t.insert("strength".into(), s(strength.as_str()));
            "hypothesis_evidence"
        }
    };
    t.insert("source".into(), s(&o.source.id));
    put(&mut t, "note", &o.note);
    if o.status != Status::Asserted {
        t.insert("status".into(), s(o.status.as_str()));
    }
    if let Some((c, why)) = &o.forge_cost_override {
        t.insert("forge_cost".into(), s(c.as_str()));
        t.insert("forge_cost_why".into(), s(why));
    }
    if name != "technique" && name != "software" {
        put(&mut t, "fact", &o.fact_key);
    }
    (name, t)
}
