//! Warnings with stable, machine-readable codes.
//!
//! Everything `ascribe analyze` reports beside the verdict is a line of
//! text in `Assessment::warnings`. A line that starts with a code
//! (`W001 unknown-actor: …`) is a **warning**: input the analyst should fix
//! or knowingly accept (`analyze --strict` fails on it). Any other line is a
//! **note** (what a file contributed, what was skipped, what is shown but not
//! weighed). [`Diagnostic::from_message`] splits a line into its parts for
//! the JSON output; [`WARNING_CODES`] is the table documented in
//! `docs/case-format.md`.

use serde::{Deserialize, Serialize};

/// One warning code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WarningCode {
    /// `W001`, `W002`, …
    pub code: &'static str,
    /// Kebab-case name, e.g. `unknown-actor`.
    pub name: &'static str,
    /// What it means and what to do.
    pub meaning: &'static str,
}

/// Every warning code ascribe emits.
pub const WARNING_CODES: [WarningCode; 8] = [
    WarningCode {
        code: "W001",
        name: "unknown-actor",
        meaning: "an actor, country or campaign name the knowledge base does not know; the item is not weighed",
    },
    WarningCode {
        code: "W002",
        name: "ambiguous-name",
        meaning: "a name that matches several actors or software; write one of the listed ids",
    },
    WarningCode {
        code: "W003",
        name: "unknown-technique",
        meaning: "a technique id that is not in ATT&CK, or deprecated with no replacement",
    },
    WarningCode {
        code: "W004",
        name: "unknown-software",
        meaning: "a software name the knowledge base does not know",
    },
    WarningCode {
        code: "W005",
        name: "invalid-value",
        meaning: "a value ascribe cannot read (language, UTC offset, compile time, country)",
    },
    WarningCode {
        code: "W006",
        name: "unlinked",
        meaning: "a family or campaign tied to no actor; add actor = \"NAME\" with a source",
    },
    WarningCode {
        code: "W007",
        name: "no-actor-for-country",
        meaning: "a country none of whose actors is in the knowledge base",
    },
    WarningCode {
        code: "W008",
        name: "unreadable-file",
        meaning: "an evidence file in the case directory could not be read or inspected",
    },
];

/// Look a code up by its code (`W001`) or name (`unknown-actor`).
pub fn warning_code(key: &str) -> Option<&'static WarningCode> {
    WARNING_CODES
        .iter()
        .find(|c| c.code == key || c.name == key)
}

/// A warning line: `W001 unknown-actor: message`. Panics in debug builds on
/// a code that is not in [`WARNING_CODES`] (a programming error).
pub fn warn(code: &str, message: impl std::fmt::Display) -> String {
    let c = warning_code(code);
    debug_assert!(c.is_some(), "unknown warning code {code}");
    match c {
        Some(c) => format!("{} {}: {message}", c.code, c.name),
        None => message.to_string(),
    }
}

/// Split `W001 unknown-actor: rest` into the code and the rest.
pub fn split_code(line: &str) -> Option<(&'static WarningCode, &str)> {
    let (head, rest) = line.split_once(": ")?;
    let (code, name) = head.split_once(' ')?;
    let c = warning_code(code)?;
    (c.name == name).then_some((c, rest))
}

/// Warning or note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Warning,
    Note,
}

/// One line of `Assessment::warnings`, split for machines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// `W001` for warnings; absent for notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// `unknown-actor` for warnings; absent for notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The text without the code.
    pub message: String,
}

impl Diagnostic {
    /// Classify one line.
    pub fn from_message(line: &str) -> Diagnostic {
        match split_code(line) {
            Some((c, rest)) => Diagnostic {
                severity: Severity::Warning,
                code: Some(c.code.to_string()),
                name: Some(c.name.to_string()),
                message: rest.to_string(),
            },
            None => Diagnostic {
                severity: Severity::Note,
                code: None,
                name: None,
                message: line.to_string(),
            },
        }
    }
}

/// Classify every line.
pub fn diagnostics(lines: &[String]) -> Vec<Diagnostic> {
    lines.iter().map(|l| Diagnostic::from_message(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        let l = warn("W001", "claim-1: actor 'Foo' is not in the knowledge base");
        assert!(l.starts_with("W001 unknown-actor: claim-1"));
        let d = Diagnostic::from_message(&l);
        assert_eq!(d.severity, Severity::Warning);
        assert_eq!(d.code.as_deref(), Some("W001"));
        assert_eq!(
            d.message,
            "claim-1: actor 'Foo' is not in the knowledge base"
        );
        let n = Diagnostic::from_message("reports/a.txt: extracted 3 technique(s)");
        assert_eq!(n.severity, Severity::Note);
        assert!(n.code.is_none());
        // a code with the wrong name is not a warning
        assert_eq!(
            Diagnostic::from_message("W001 ambiguous-name: x").severity,
            Severity::Note
        );
    }

    #[test]
    fn codes_are_unique_and_well_formed() {
        for (i, c) in WARNING_CODES.iter().enumerate() {
            assert_eq!(c.code, format!("W{:03}", i + 1));
            assert!(c.name.chars().all(|x| x.is_ascii_lowercase() || x == '-'));
            assert_eq!(warning_code(c.name), Some(c));
        }
    }
}
