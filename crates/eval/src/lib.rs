//! The attribution-quality benchmark of ascribe (`bench/attack-campaigns`).
//!
//! * [`cases`] builds the two case sets from the official ATT&CK bundle and
//!   applies their leakage rules;
//! * [`run`] assesses every case with ascribe (several model variants, a
//!   grid of temperatures) and with the Jaccard and TF-IDF baselines, over
//!   the same candidates: every actor of the knowledge base;
//! * [`metrics`] scores ranks and probabilities;
//! * [`fit`] picks each method's temperature (or softmax sharpness) on the
//!   fitting half of the report set, by minimum log loss, and reports every
//!   metric on the test half and on the held-out campaigns.

pub mod cases;
pub mod lopo;
pub mod metrics;
pub mod openset;
pub mod run;
pub mod vendor;
pub mod verdict;
pub mod verdict_report;

use cases::{CaseSpec, Set, Split};
use metrics::{
    ece_consistency_of, macro_summary, reliability, summarize, Bin, EceNull, Outcome, Summary,
};
use run::{CaseResult, Variant, BETAS, TEMPERATURES};
use serde::Serialize;

/// Which cases a summary covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Slice {
    Campaigns,
    ReportsFit,
    ReportsTest,
}

impl Slice {
    pub const ALL: [Slice; 3] = [Slice::Campaigns, Slice::ReportsFit, Slice::ReportsTest];

    pub fn contains(self, r: &CaseResult) -> bool {
        match self {
            Slice::Campaigns => r.set == Set::Campaigns,
            Slice::ReportsFit => r.set == Set::Reports && r.split == Split::Fit,
            Slice::ReportsTest => r.set == Set::Reports && r.split == Split::Test,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Slice::Campaigns => "held-out campaigns",
            Slice::ReportsFit => "new reports, fitting half",
            Slice::ReportsTest => "new reports, test half",
        }
    }
}

/// One method's results on one slice.
#[derive(Debug, Clone, Serialize)]
pub struct MethodSlice {
    pub slice: Slice,
    pub micro: Summary,
    /// Mean over groups of each group's mean.
    pub macro_by_group: Summary,
    pub reliability: Vec<Bin>,
    /// The micro ECE against the ECE a perfectly calibrated model would
    /// show on these cases by chance ([`metrics::ece_consistency`]).
    pub ece_null: EceNull,
}

/// Draws of [`metrics::ece_consistency`] in the benchmark's reports, and
/// their seed (fixed: the figures are the same on every machine).
pub const ECE_NULL_DRAWS: usize = 2000;
pub const ECE_NULL_SEED: u64 = 0x5eed_ece0;

/// One method (an ascribe variant or a baseline) with its fitted setting.
#[derive(Debug, Clone, Serialize)]
pub struct MethodResult {
    pub method: String,
    /// Temperature (ascribe) or softmax sharpness β (baselines), fitted on
    /// the fitting half.
    pub fitted: f64,
    pub slices: Vec<MethodSlice>,
}

impl MethodResult {
    pub fn slice(&self, s: Slice) -> Option<&MethodSlice> {
        self.slices.iter().find(|x| x.slice == s)
    }
}

/// The index, among `settings` grid settings, with the least mean Brier score over `pool`
/// (`pick(case)[k]` is a case's outcome at setting `k`); the first of equal ones.
pub fn least_mean_brier<T>(pool: &[T], settings: usize, pick: impl Fn(&T) -> &[Outcome]) -> usize {
    let mut best = (f64::INFINITY, 0usize);
    for k in 0..settings {
        let b: f64 =
            pool.iter().map(|r| pick(r)[k].brier()).sum::<f64>() / pool.len().max(1) as f64;
        if b < best.0 {
            best = (b, k);
        }
    }
    best.1
}

/// Pick the setting with the least mean log loss on the fitting half (or,
/// without fitting cases, on all cases), then summarise every slice.
pub fn fit_and_summarize(
    name: &str,
    results: &[CaseResult],
    grid: &[f64],
    pick: impl Fn(&CaseResult) -> &[Outcome],
) -> MethodResult {
    let fit_cases: Vec<&CaseResult> = results
        .iter()
        .filter(|r| Slice::ReportsFit.contains(r))
        .collect();
    let pool: Vec<&CaseResult> = if fit_cases.is_empty() {
        results.iter().collect()
    } else {
        fit_cases
    };
    let k = least_mean_brier(&pool, grid.len(), |r| pick(r));
    let slices = Slice::ALL
        .iter()
        .filter_map(|&s| {
            let rows: Vec<(String, Outcome)> = results
                .iter()
                .filter(|r| s.contains(r))
                .map(|r| (r.group.clone(), pick(r)[k]))
                .collect();
            if rows.is_empty() {
                return None;
            }
            let outs: Vec<Outcome> = rows.iter().map(|x| x.1).collect();
            Some(MethodSlice {
                slice: s,
                micro: summarize(&outs),
                macro_by_group: macro_summary(&rows),
                reliability: reliability(&outs),
                ece_null: ece_consistency_of(&outs, ECE_NULL_DRAWS, ECE_NULL_SEED),
            })
        })
        .collect();
    MethodResult {
        method: name.to_string(),
        fitted: grid[k],
        slices,
    }
}

/// Every method's results: the ascribe variants, then Jaccard and TF-IDF.
pub fn evaluate(results: &[CaseResult], variants: &[Variant]) -> Vec<MethodResult> {
    let mut out = Vec::new();
    for (v, variant) in variants.iter().enumerate() {
        out.push(fit_and_summarize(
            &format!("ascribe ({})", variant.name),
            results,
            &TEMPERATURES,
            |r| &r.ascribe[v],
        ));
    }
    out.push(fit_and_summarize(
        "Jaccard (techniques + software)",
        results,
        &BETAS,
        |r| &r.jaccard,
    ));
    out.push(fit_and_summarize(
        "TF-IDF cosine (techniques + software)",
        results,
        &BETAS,
        |r| &r.tfidf,
    ));
    out
}

/// Counts describing the case sets and what their leakage rules removed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SetCounts {
    pub campaign_cases: usize,
    pub campaign_groups: usize,
    pub campaign_profile_links_removed: usize,
    pub campaign_removed_by_citation: usize,
    pub campaign_removed_by_text: usize,
    pub campaign_software_links_removed: usize,
    pub report_cases: usize,
    pub report_groups: usize,
    pub report_fit: usize,
    pub report_test: usize,
    pub report_profile_links_removed: usize,
    pub report_software_links_removed: usize,
    /// Report cases whose group has no technique or software left.
    pub report_cases_empty_profile: usize,
}

pub fn counts(cases: &[CaseSpec], empty_profile: usize) -> SetCounts {
    let mut c = SetCounts {
        report_cases_empty_profile: empty_profile,
        ..SetCounts::default()
    };
    let mut cg = std::collections::BTreeSet::new();
    let mut rg = std::collections::BTreeSet::new();
    for k in cases {
        match k.set {
            Set::Campaigns => {
                c.campaign_cases += 1;
                cg.extend(k.truth.iter().cloned());
                c.campaign_profile_links_removed += k.leak.profile_links;
                c.campaign_removed_by_citation += k.leak.by_citation;
                c.campaign_removed_by_text += k.leak.by_text;
                c.campaign_software_links_removed += k.leak.software_links;
            }
            Set::Reports => {
                c.report_cases += 1;
                rg.extend(k.truth.iter().cloned());
                c.report_profile_links_removed += k.leak.profile_links;
                c.report_software_links_removed += k.leak.software_links;
                match k.split {
                    Split::Fit => c.report_fit += 1,
                    Split::Test => c.report_test += 1,
                }
            }
            Set::Vendor | Set::OpenSet => {}
        }
    }
    c.campaign_groups = cg.len();
    c.report_groups = rg.len();
    c
}
