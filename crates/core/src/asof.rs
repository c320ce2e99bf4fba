//! Analysis dates: what could be known on a given day.
//!
//! A case may be assessed *as of* a date (`[case] as_of`, `analyze
//! --as-of`): the knowledge base is then cut to what was published by that
//! day (`ascribe_kb::as_of`), and the assessment says how much of its
//! verdict still rests on knowledge that is undated or dated later
//! ([`KnowledgeAsOf`]). This module holds the date arithmetic every crate
//! shares and the report types.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A date as precise as its source gives it: a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: i32,
    /// 1–12.
    pub month: Option<u8>,
    /// 1–31 (only with a month).
    pub day: Option<u8>,
}

/// How precise a [`PartialDate`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DatePrecision {
    Year,
    Month,
    Day,
}

/// Days in a month of a year (Gregorian).
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl PartialDate {
    /// A checked date: `None` when the month or day does not exist.
    pub fn new(year: i32, month: Option<u8>, day: Option<u8>) -> Option<PartialDate> {
        if !(1000..=9999).contains(&year) {
            return None;
        }
        match (month, day) {
            (None, None) => {}
            (Some(m), None) if (1..=12).contains(&m) => {}
            (Some(m), Some(d))
                if (1..=12).contains(&m) && d >= 1 && d <= days_in_month(year, m) => {}
            _ => return None,
        }
        Some(PartialDate { year, month, day })
    }

    /// Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (nothing else).
    pub fn parse(s: &str) -> Option<PartialDate> {
        let s = s.trim();
        let num = |t: &str, n: usize| -> Option<u32> {
            (t.len() == n && t.bytes().all(|b| b.is_ascii_digit()))
                .then(|| t.parse().ok())
                .flatten()
        };
        let mut parts = s.split('-');
        let y = num(parts.next()?, 4)? as i32;
        let m = match parts.next() {
            Some(t) => Some(num(t, 2)? as u8),
            None => None,
        };
        let d = match parts.next() {
            Some(t) => Some(num(t, 2)? as u8),
            None => None,
        };
        if parts.next().is_some() {
            return None;
        }
        PartialDate::new(y, m, d)
    }

    /// The date part of an ISO 8601 timestamp (`2017-05-31T21:31:45.629Z` →
    /// `2017-05-31`), or `None` when it does not start with a valid date.
    pub fn from_timestamp(s: &str) -> Option<PartialDate> {
        PartialDate::parse(s.trim().get(..10)?)
    }

    pub fn precision(&self) -> DatePrecision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => DatePrecision::Day,
            (Some(_), None) => DatePrecision::Month,
            _ => DatePrecision::Year,
        }
    }

    /// Whether something dated `self` was known on `as_of` (a full date).
    ///
    /// A year-only date counts as known only if its year is before the
    /// as-of year, a month-only date only if its month is before the as-of
    /// month: a report "of 2014" may have appeared after 19 December 2014,
    /// and counting it as known would let hindsight in.
    pub fn known_by(&self, as_of: &PartialDate) -> bool {
        let a = (
            as_of.year,
            as_of.month.unwrap_or(12),
            as_of.day.unwrap_or(31),
        );
        match (self.month, self.day) {
            (Some(m), Some(d)) => (self.year, m, d) <= a,
            (Some(m), None) => (self.year, m) < (a.0, a.1),
            _ => self.year < a.0,
        }
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.month, self.day) {
            (Some(m), Some(d)) => write!(f, "{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => write!(f, "{:04}-{m:02}", self.year),
            _ => write!(f, "{:04}", self.year),
        }
    }
}

/// Check an analysis date: a full `YYYY-MM-DD` day that exists.
pub fn parse_as_of(s: &str) -> Result<PartialDate, String> {
    match PartialDate::parse(s) {
        Some(d) if d.precision() == DatePrecision::Day => Ok(d),
        Some(_) => Err(format!(
            "analysis date '{s}' is not a full day; write YYYY-MM-DD, e.g. 2014-12-19"
        )),
        None => Err(format!(
            "analysis date '{s}' is not a valid date; write YYYY-MM-DD, e.g. 2014-12-19"
        )),
    }
}

/// Links of one source, by what the analysis date made of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkCounts {
    /// Kept: a citation dated on or before the date (or, without a dated
    /// citation, the source recorded the link by then).
    pub kept_dated: usize,
    /// Dropped: every citation is dated after the date.
    pub dropped: usize,
    /// Kept without a date showing it was known by then.
    pub undated: usize,
}

/// What `ascribe_kb::as_of` did to the knowledge base.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AsOfReport {
    /// The analysis date, `YYYY-MM-DD`.
    pub date: String,
    pub links_kept_dated: usize,
    pub links_dropped: usize,
    pub links_undated: usize,
    /// Undated `uses` links dropped because they restate a link that a
    /// dated source knows only from later reports (counted in
    /// `links_dropped` too).
    #[serde(default)]
    pub links_dropped_copies: usize,
    /// Citations dated after the date, struck from links kept for an
    /// earlier citation (the technique model and the activity prior read
    /// the cited reports).
    pub citations_struck: usize,
    /// Entities removed: ATT&CK campaigns first seen after the date.
    pub entities_dropped: usize,
    /// Entities with no date at all (MISP galaxy clusters), kept.
    pub entities_undated: usize,
    /// The dropped campaigns, `Name (C0xxx, first seen YYYY-MM-DD)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub campaigns_dropped: Vec<String>,
    /// Link counts per source key.
    #[serde(default)]
    pub per_source: BTreeMap<String, LinkCounts>,
}

/// What a piece of knowledge behind an evidence item's ratio is dated by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KnowledgeBasis {
    /// Knowledge-base links published on or before the analysis date.
    Dated,
    /// Knowledge-base links known only from reports dated after the date
    /// (only when the knowledge base was not cut to the date).
    Later,
    /// Knowledge with no date: MISP galaxy countries and synonyms, aliases,
    /// links without a dated citation.
    Undated,
    /// The case's own sources (an analyst's finding, a statement quoted in
    /// the case), not the knowledge base.
    Case,
}

impl KnowledgeBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            KnowledgeBasis::Dated => "dated",
            KnowledgeBasis::Later => "later",
            KnowledgeBasis::Undated => "undated",
            KnowledgeBasis::Case => "case",
        }
    }
}

/// One evidence item's basis for the reliance figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemReliance {
    /// Evidence id (`E7`).
    pub evidence: String,
    pub basis: KnowledgeBasis,
    /// The item's weight (log10 likelihood ratio for the actor, as in the
    /// evidence table).
    pub weight: f64,
    /// Which knowledge, in a few words.
    pub why: String,
}

/// How much of the verdict rests on what could be known on the date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KnowledgeAsOf {
    /// The analysis date, `YYYY-MM-DD`.
    pub date: String,
    /// What the knowledge base kept and dropped (absent when the facts were
    /// not cut to the date, e.g. in library use).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub knowledge_base: Option<AsOfReport>,
    /// The actor the evidence weights are for (the leading named actor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_label: Option<String>,
    /// Sum of the items' weights for that actor (log10).
    pub weight_total: f64,
    /// The same sum split by basis (log10; keys: dated, later, undated, case).
    pub weight_by_basis: BTreeMap<String, f64>,
    /// Share of the absolute weight resting on undated or later knowledge.
    pub share_undated_or_later: f64,
    /// The items whose weight rests on undated or later knowledge, strongest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ItemReliance>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_three_precisions_and_rejects_the_rest() {
        let d = PartialDate::parse("2016-02-24").unwrap();
        assert_eq!(d.precision(), DatePrecision::Day);
        assert_eq!(d.to_string(), "2016-02-24");
        assert_eq!(
            PartialDate::parse("2016-02").unwrap().precision(),
            DatePrecision::Month
        );
        assert_eq!(PartialDate::parse("2016").unwrap().to_string(), "2016");
        for bad in [
            "2016-13",
            "2016-02-30",
            "2015-02-29",
            "16-02-24",
            "2016/02/24",
            "",
            "2016-2-4",
            "2016-02-24x",
            "abcd",
        ] {
            assert_eq!(PartialDate::parse(bad), None, "{bad}");
        }
        assert!(PartialDate::parse("2016-02-29").is_some());
        assert_eq!(
            PartialDate::from_timestamp("2017-05-31T21:31:45.629Z")
                .unwrap()
                .to_string(),
            "2017-05-31"
        );
    }

    #[test]
    fn coarse_dates_count_as_known_only_when_wholly_before() {
        let asof = parse_as_of("2014-12-19").unwrap();
        let k = |s: &str| PartialDate::parse(s).unwrap().known_by(&asof);
        assert!(k("2013"));
        assert!(!k("2014"));
        assert!(k("2014-11"));
        assert!(!k("2014-12"));
        assert!(k("2014-12-19"));
        assert!(!k("2014-12-20"));
        assert!(!k("2016-02-24"));
    }

    #[test]
    fn as_of_must_be_a_full_day() {
        assert!(parse_as_of("2014-12-19").is_ok());
        assert!(parse_as_of("2014-12").unwrap_err().contains("full day"));
        assert!(parse_as_of("19/12/2014")
            .unwrap_err()
            .contains("YYYY-MM-DD"));
    }
}
