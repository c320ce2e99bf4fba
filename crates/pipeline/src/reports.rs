//! Reports and news in a case: text extraction (`ascribe-text`) turned into
//! observations — techniques and software for the TTP evidence, indicators
//! for infrastructure matching, claims as third-party assessments.
//!
//! [`vocabulary`] builds the extractor's vocabulary from a knowledge base
//! (an [`crate::Engine`] caches it: [`crate::Engine::vocabulary`]);
//! [`extract_file`] reads and extracts one report; [`observations`] turns an
//! extraction into observations.

use ascribe_core::{
    normalize_name, IndicatorType, Location, Observation, ObservationKind, Source, SourceKind,
    Stance,
};
use ascribe_kb::{KnowledgeBase, Resolution};
use ascribe_text::{ExtractOptions, Extraction, IndicatorKind, TextError, Vocabulary};
use std::collections::BTreeSet;
use std::path::Path;

/// File extensions read as reports.
pub const REPORT_EXTENSIONS: [&str; 8] = [
    "txt", "md", "markdown", "html", "htm", "xhtml", "pdf", "log",
];

/// Whether a case file is a README (documentation of the case, not evidence).
pub fn is_readme(path: &str) -> bool {
    let base = path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(path)
        .to_ascii_lowercase();
    base == "readme.md" || base == "readme.txt" || base == "readme"
}

/// Whether a case file is a report.
pub fn is_report(path: &str) -> bool {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    path.contains('.') && REPORT_EXTENSIONS.contains(&ext.as_str()) && !is_readme(path)
}

/// The extraction vocabulary from the knowledge base: technique ids and
/// names, every actor and software alias (with the KB's ids), countries and
/// revoked technique ids.
pub fn vocabulary(kb: &KnowledgeBase) -> Vocabulary {
    let mut v = Vocabulary::new();
    for t in &kb.techniques {
        v.add_technique(&t.attack_id, &t.name);
    }
    for (old, new) in kb.revoked_techniques() {
        v.add_revoked(old, new);
    }
    for a in &kb.actors {
        for name in &a.aliases {
            // one- and two-letter aliases match ordinary words
            if normalize_name(name).chars().count() >= 3 {
                v.add_actor(&a.id, name);
            }
        }
    }
    // State organisations ("GRU", "Unit 74455", "MSS"), recognised like
    // actors under the id `state-org:<key>`; agencies known only from the
    // MISP cluster by their longer names (their short acronyms are words).
    for o in &kb.state_orgs {
        let builtin = !o.key.starts_with("agency:");
        for name in &o.aliases {
            let n = normalize_name(name).chars().count();
            if n >= 3 && (builtin || n >= 8) {
                v.add_actor(&format!("state-org:{}", o.key), name);
            }
        }
    }
    for s in &kb.software {
        for name in &s.aliases {
            // a family named like a country or a language ("Korean", a
            // ransomware in the MISP cluster) would turn every mention of
            // the language into the family
            let generic = ascribe_kb::countries::find_country(name).is_some()
                || !ascribe_kb::countries::countries_for_language(name).is_empty();
            if normalize_name(name).chars().count() >= 4 && !generic {
                v.add_software(&s.id, name);
            }
        }
    }
    v.add_default_countries();
    v
}

/// Read one report (`.txt`, `.md`, `.html`, `.pdf`; default size limits)
/// and extract what it says. The error names the file.
pub fn extract_file(
    path: &Path,
    vocab: &Vocabulary,
    opts: &ExtractOptions,
) -> Result<Extraction, TextError> {
    let doc = ascribe_text::load_document(path)?;
    Ok(ascribe_text::extract(&doc, vocab, opts))
}

fn claimant_kind(k: ascribe_text::SourceKind) -> SourceKind {
    match k {
        ascribe_text::SourceKind::Government => SourceKind::Government,
        ascribe_text::SourceKind::Company => SourceKind::Vendor,
        ascribe_text::SourceKind::Person => SourceKind::Researcher,
        ascribe_text::SourceKind::Group | ascribe_text::SourceKind::Country => SourceKind::Actor,
        ascribe_text::SourceKind::Other => SourceKind::Media,
    }
}

fn stance(s: ascribe_text::Stance) -> Stance {
    match s {
        ascribe_text::Stance::Asserts => Stance::Asserts,
        ascribe_text::Stance::Suspects => Stance::Suspects,
        ascribe_text::Stance::Doubts => Stance::Doubts,
        ascribe_text::Stance::Denies => Stance::Denies,
        ascribe_text::Stance::ClaimsResponsibility => Stance::ClaimsResponsibility,
    }
}

/// What one report contributed, for the analyst.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ReportSummary {
    /// Known techniques (each counted once).
    pub techniques: usize,
    /// Software resolved to exactly one knowledge-base entry.
    pub software: usize,
    /// Claims whose target resolves to an actor, a country or a state organisation.
    pub claims: usize,
    /// Indicators the knowledge base knows (weighed).
    pub indicators_matched: usize,
    /// Indicators the knowledge base does not know (counted, never weighed).
    pub indicators_unmatched: usize,
}

/// Observations from one report's extraction. `source` is the report's
/// source (declared in case.toml with `file = "…"`, or a default).
pub fn observations(
    ext: &Extraction,
    kb: &KnowledgeBase,
    source: &Source,
    file: &str,
) -> (Vec<Observation>, ReportSummary) {
    let mut out = Vec::new();
    let mut sum = ReportSummary::default();
    let loc = |line: usize| {
        Some(Location {
            file: file.to_string(),
            line: Some(line as u32),
        })
    };
    let mut n = 0usize;
    let mut push =
        |kind: ObservationKind, line: usize, note: Option<String>, out: &mut Vec<Observation>| {
            n += 1;
            out.push(Observation {
                id: format!("{file}#{n}"),
                kind,
                source: source.clone(),
                location: loc(line),
                note,
                status: Default::default(),
                forge_cost_override: None,
                fact_key: None,
                illustrative: false,
            });
        };
    let mut seen_t = BTreeSet::new();
    for t in &ext.techniques {
        if !t.known
            || !t.candidates.is_empty() && t.candidates.len() > 1
            || !seen_t.insert(t.attack_id.clone())
        {
            continue;
        }
        sum.techniques += 1;
        push(
            ObservationKind::Technique {
                id: t.attack_id.clone(),
            },
            t.location.line,
            Some(format!("\"{}\"", t.surface)),
            &mut out,
        );
    }
    let mut seen_s = BTreeSet::new();
    for e in &ext.entities {
        if e.kind != ascribe_text::EntityKind::Software
            || e.ambiguous
            || e.ids.len() != 1
            || !seen_s.insert(e.ids[0].clone())
        {
            continue;
        }
        sum.software += 1;
        push(
            ObservationKind::Software {
                name: e.ids[0].clone(),
                leaked: false,
            },
            e.location.line,
            Some(format!("mentioned as \"{}\"", e.surface)),
            &mut out,
        );
    }
    let mut seen_i = BTreeSet::new();
    for i in &ext.indicators {
        let it = match i.kind {
            IndicatorKind::Ipv4 | IndicatorKind::Ipv6 => IndicatorType::Ip,
            IndicatorKind::Domain => IndicatorType::Domain,
            IndicatorKind::Url => IndicatorType::Url,
            IndicatorKind::Email => IndicatorType::Email,
            IndicatorKind::Md5 | IndicatorKind::Sha1 | IndicatorKind::Sha256 => IndicatorType::Hash,
            _ => continue,
        };
        if !seen_i.insert(i.value.to_ascii_lowercase()) {
            continue;
        }
        // Only indicators the knowledge base knows are evidence; the rest
        // are counted for the analyst.
        if kb.infrastructure_for(&i.value).is_empty() {
            sum.indicators_unmatched += 1;
            continue;
        }
        sum.indicators_matched += 1;
        push(
            ObservationKind::Indicator {
                indicator: it,
                value: i.value.clone(),
                role: None,
                first_seen: None,
                last_seen: None,
                country: None,
                overlaps: None,
            },
            i.location.line,
            i.defanged.then(|| "written defanged".to_string()),
            &mut out,
        );
    }
    for c in &ext.claims {
        let Some(src) = &c.source else { continue };
        // the KB id when the extractor resolved the target to exactly one entity
        let target = if c.target.ids.len() == 1 {
            let id = &c.target.ids[0];
            match id.strip_prefix("state-org:") {
                // the organisation's name, which the builders resolve
                Some(k) => kb
                    .state_orgs
                    .iter()
                    .find(|o| o.key == k)
                    .map(|o| o.name.clone())
                    .unwrap_or_else(|| c.target.surface.clone()),
                None => id.clone(),
            }
        } else {
            c.target
                .resolved
                .clone()
                .unwrap_or_else(|| c.target.surface.clone())
        };
        let resolvable = !matches!(kb.resolve_actor(&target), Resolution::NotFound)
            || ascribe_kb::countries::find_country(&target).is_some()
            || kb.resolve_state_org(&target).is_some();
        if !resolvable {
            continue;
        }
        sum.claims += 1;
        let mut note = Vec::new();
        if !c.hedges.is_empty() {
            note.push(format!("hedges: {}", c.hedges.join(", ")));
        }
        if !c.alternatives.is_empty() {
            note.push(format!("alternatives: {}", c.alternatives.join(", ")));
        }
        let claimant = match &src.role {
            Some(r) => format!("{} ({r})", src.name),
            None => src.name.clone(),
        };
        push(
            ObservationKind::Claim {
                claimant,
                claimant_kind: claimant_kind(src.kind),
                target,
                stance: stance(c.stance),
                quote: Some(c.sentence.chars().take(300).collect()),
            },
            c.location.line,
            (!note.is_empty()).then(|| note.join("; ")),
            &mut out,
        );
    }
    (out, sum)
}
