//! The ascribe knowledge base.
//!
//! * [`import`] reads STIX 2.1 bundles (ATT&CK), MISP galaxy clusters and the
//!   ATT&CK revoked/deprecated list into flat [`ascribe_core::KbFacts`].
//! * [`KnowledgeBase::build`] turns facts from all sources into a queryable
//!   model: ATT&CK groups and MISP actors merged into one actor where the data
//!   links them, aliases resolved case- and punctuation-insensitively (and
//!   reported as ambiguous rather than guessed), TTP and software profiles,
//!   technique rarity, known infrastructure.
//! * [`embedded`] holds the default facts shipped in the binary, so that a
//!   fresh machine works offline.

mod asof;
pub mod copies;
pub mod countries;
pub mod dates;
pub mod embedded;
pub mod import;
pub mod misp_event;
mod model;
pub mod state_orgs;

pub use asof::{as_of, link_basis, try_as_of};
pub use model::*;

/// Errors of the knowledge-base crate.
#[derive(Debug, thiserror::Error)]
pub enum KbError {
    #[error("{origin}: invalid JSON at line {line}, column {column}: {message}")]
    Json {
        origin: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{origin}: unsupported document: {what}")]
    Unsupported { origin: String, what: String },
    #[error("{origin}: {size} bytes is larger than the {max}-byte import limit; split the document or raise the limit")]
    TooLarge {
        origin: String,
        size: usize,
        max: usize,
    },
    #[error("embedded default knowledge base is corrupt ({0}); rebuild ascribe or run `ascribe kb import` on the source data")]
    Embedded(String),
}

/// The files of the default knowledge base, relative to the shared data
/// directory (a directory stands for every `.json` file below it).
pub fn default_data_files() -> Vec<&'static str> {
    vec![
        "attack/enterprise-attack.json",
        "attack/revoked-deprecated.json",
        "misp-galaxy/threat-actor.json",
        "misp-galaxy/malpedia.json",
        "misp-galaxy-extra/tool.json",
        "misp-galaxy-extra/backdoor.json",
        "misp-galaxy-extra/rat.json",
        "misp-galaxy-extra/ransomware.json",
        "misp-galaxy-extra/wiper.json",
        // Tidal's groups only join its software links to ATT&CK groups
        "misp-galaxy-extra/tidal-groups.json",
        "misp-galaxy-extra/tidal-software.json",
        "misp-galaxy-extra/intelligence-agencies.json",
        // a directory: every MISP event below it; broken files are reported and skipped
        "eset-malware-ioc/events",
    ]
}

/// Remove knowledge-base links that rest only on given reports: every
/// `uses` or `attributed-to` relation whose citations are all matched by one
/// of `patterns` (case-insensitive substrings of the citation's source name).
///
/// This is the leakage rule for assessing a case as it could have been
/// assessed before those reports existed — for the Sony case, without the
/// links ATT&CK took from Novetta's 2016 Operation Blockbuster reports on
/// that very attack. An undated `uses` link elsewhere that restates a
/// removed one (a community copy of it, see [`copies`]) goes with it.
/// Returns the filtered facts and how many links went.
pub fn without_citations(
    facts: &ascribe_core::KbFacts,
    patterns: &[String],
) -> (ascribe_core::KbFacts, usize) {
    use ascribe_core::RelationKind;
    let pats: Vec<String> = patterns
        .iter()
        .map(|p| p.trim().to_lowercase())
        .filter(|p| !p.is_empty())
        .collect();
    let mut out = facts.clone();
    if pats.is_empty() {
        return (out, 0);
    }
    let matched = |r: &ascribe_core::Relation| {
        matches!(r.kind, RelationKind::Uses | RelationKind::AttributedTo)
            && !r.citations.is_empty()
            && r.citations.iter().all(|c| {
                let n = c.source_name.to_lowercase();
                pats.iter().any(|p| n.contains(p))
            })
    };
    let copies: std::collections::HashSet<usize> = copies::restating_copies(facts, matched)
        .into_iter()
        .collect();
    let before = out.relations.len();
    let mut i = 0;
    out.relations.retain(|r| {
        let keep = !matched(r) && !copies.contains(&i);
        i += 1;
        keep
    });
    let removed = before - out.relations.len();
    (out, removed)
}
