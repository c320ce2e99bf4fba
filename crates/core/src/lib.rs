//! The domain model of ascribe.
//!
//! This crate holds the types every other crate speaks, and nothing else: no IO,
//! no parsing of files, no policy. It is the bottom of the dependency graph.
//!
//! * [`facts`]: what the knowledge base knows — entities (groups, software,
//!   techniques, campaigns, MISP actors) and relations between them, exactly as
//!   imported, with their provenance.
//! * [`observation`]: what an analyst (or an extractor) saw in a case — the
//!   input of the reasoning engine. New evidence extractors plug in by producing
//!   observations.
//! * [`evidence`]: an observation weighed against the knowledge base —
//!   likelihood ratios per actor, reliability, dependence and cost to forge.
//! * [`assessment`]: the output — hypotheses with posteriors, the ACH matrix,
//!   the false-flag stress test and what to collect next.
//! * [`intel`]: threat-intelligence indicator records and their match keys.
//! * [`asof`]: analysis dates — partial dates, the "known by" rule, and what
//!   an assessment as of a date reports about the knowledge it used.

pub mod asof;
pub mod assessment;
pub mod diagnostic;
pub mod evidence;
pub mod facts;
pub mod intel;
pub mod observation;

pub use asof::*;
pub use assessment::*;
pub use diagnostic::{diagnostics, Diagnostic, Severity};
pub use evidence::*;
pub use facts::*;
pub use intel::*;
pub use observation::*;

/// Normalise a name for alias matching: lower-case, letters and digits only.
///
/// `"HIDDEN COBRA"`, `"Hidden-Cobra"` and `"hidden cobra"` all become
/// `"hiddencobra"`. Non-ASCII letters are kept (lower-cased) so that names in
/// other scripts still match themselves.
pub fn normalize_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_ignores_case_and_punctuation() {
        assert_eq!(normalize_name("HIDDEN COBRA"), "hiddencobra");
        assert_eq!(normalize_name("Hidden-Cobra"), "hiddencobra");
        assert_eq!(normalize_name("APT 38"), normalize_name("apt38"));
        assert_eq!(normalize_name("Группа"), "группа");
        assert_eq!(normalize_name("  "), "");
    }
}
