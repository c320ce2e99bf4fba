//! Leave-one-publisher-out selection inside the fitting half (wave 7,
//! issue 10).
//!
//! The vendor holdout's cases whose report is in the **fitting half** are
//! cross-publisher folds built from fitting material only: each removes
//! one publisher's every citation from the knowledge base and tests on
//! that publisher's fitting-half reports. On them each model variant gets
//! its temperature by least Brier score over the actors (what the ECE
//! over actors measures under a publisher shift), and the variants are
//! compared by top-1 and MRR at their own temperature. Test-half reports
//! are not read: run with `--lovo-split fit`.

use crate::cases::{Set, Split};
use crate::metrics::{summarize, Outcome, Summary};
use crate::run::{CaseResult, Variant, TEMPERATURES};
use serde::Serialize;

/// One variant on the cross-publisher folds.
#[derive(Debug, Clone, Serialize)]
pub struct LopoRow {
    pub variant: String,
    /// Temperature multiplier with the least Brier score on the folds.
    pub t: f64,
    /// At that multiplier.
    pub at_t: Summary,
    /// At the variant's own temperature (multiplier 1).
    pub at_1: Summary,
}

/// Every variant on the cross-publisher folds, and the rule's choice.
#[derive(Debug, Clone, Serialize)]
pub struct LopoSelection {
    pub cases: usize,
    pub publishers: usize,
    pub rows: Vec<LopoRow>,
    /// Index of the chosen row (see [`choose`]).
    pub chosen: usize,
    /// Brier and ECE over actors of the shipped variant at every multiplier.
    pub shipped_curve: Vec<(f64, Summary)>,
}

/// The least-Brier index of the temperature grid over `outs[case][t]`.
pub fn least_brier(outs: &[&[Outcome]]) -> usize {
    let mut best = (f64::INFINITY, 0usize);
    for k in 0..TEMPERATURES.len() {
        let b: f64 = outs.iter().map(|o| o[k].brier()).sum::<f64>() / outs.len().max(1) as f64;
        if b < best.0 - 1e-12 {
            best = (b, k);
        }
    }
    best.1
}

/// The selection rule: the largest top-1 + MRR at the variant's
/// least-Brier temperature; the shipped variant (row 0) unless another
/// is better by more than `margin` (one case's worth of top-1 by default).
pub fn choose(rows: &[LopoRow], margin: f64) -> usize {
    let score = |r: &LopoRow| r.at_t.top1 + r.at_t.mrr;
    let mut chosen = 0;
    for (i, r) in rows.iter().enumerate().skip(1) {
        if score(r) > score(&rows[chosen]) + margin && score(r) > score(&rows[0]) + margin {
            chosen = i;
        }
    }
    chosen
}

/// Score every variant on the fitting-half vendor cases.
pub fn select(results: &[CaseResult], variants: &[Variant], publishers: usize) -> LopoSelection {
    let rs: Vec<&CaseResult> = results
        .iter()
        .filter(|r| r.set == Set::Vendor && r.split == Split::Fit)
        .collect();
    let k1 = TEMPERATURES.iter().position(|&t| t == 1.0).unwrap_or(0);
    let mut rows = Vec::new();
    for (v, var) in variants.iter().enumerate() {
        let outs: Vec<&[Outcome]> = rs.iter().map(|r| r.ascribe[v].as_slice()).collect();
        let k = least_brier(&outs);
        let at = |k: usize| summarize(&outs.iter().map(|o| o[k]).collect::<Vec<_>>());
        rows.push(LopoRow {
            variant: var.name.clone(),
            t: TEMPERATURES[k],
            at_t: at(k),
            at_1: at(k1),
        });
    }
    let margin = 1.0 / rs.len().max(1) as f64;
    let chosen = choose(&rows, margin);
    let shipped_curve = TEMPERATURES
        .iter()
        .enumerate()
        .map(|(k, &t)| {
            let o: Vec<Outcome> = rs.iter().map(|r| r.ascribe[0][k]).collect();
            (t, summarize(&o))
        })
        .collect();
    LopoSelection {
        cases: rs.len(),
        publishers,
        rows,
        chosen,
        shipped_curve,
    }
}

impl LopoSelection {
    pub fn markdown(&self) -> String {
        let mut s = format!(
            "### Leave-one-publisher-out inside the fitting half ({} cases of fitting-half reports, {} publishers)\n\n\
             Each variant at its least-Brier temperature on these folds (T ×), and at its own temperature (× 1).\n\n\
             | variant | T × | top-1 | top-3 | top-5 | MRR | Brier | ECE | top-1 (× 1) | top-5 (× 1) | ECE (× 1) |\n\
             | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
            self.cases, self.publishers
        );
        for (i, r) in self.rows.iter().enumerate() {
            let (a, b) = (&r.at_t, &r.at_1);
            s.push_str(&format!(
                "| {}{} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |\n",
                r.variant,
                if i == self.chosen { " (chosen)" } else { "" },
                r.t,
                a.top1,
                a.top3,
                a.top5,
                a.mrr,
                a.brier,
                a.ece,
                b.top1,
                b.top5,
                b.ece
            ));
        }
        s.push_str("\nRule: the largest top-1 + MRR at the variant's least-Brier temperature; the shipped model unless another beats it by more than one case's worth.\n\nShipped variant over the temperature grid:\n\n| T × | top-1 | top-5 | MRR | Brier | ECE |\n| ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (t, x) in &self.shipped_curve {
            s.push_str(&format!(
                "| {t} | {:.3} | {:.3} | {:.3} | {:.4} | {:.3} |\n",
                x.top1, x.top5, x.mrr, x.brier, x.ece
            ));
        }
        s.push('\n');
        s
    }
}

/// Every variant at its own temperature (multiplier 1) on every slice a
/// run has: new reports (fitting and test halves) and the vendor holdout
/// (fitting-half reports, test-half reports, all). For the final run's
/// before/after rows only (the shipped model and the one it replaces):
/// never for choosing among variants.
pub fn own_temperature_markdown(results: &[CaseResult], variants: &[Variant]) -> String {
    let k1 = TEMPERATURES.iter().position(|&t| t == 1.0).unwrap_or(0);
    let slices: [(&str, Set, Option<Split>); 5] = [
        ("new reports, fitting half", Set::Reports, Some(Split::Fit)),
        ("new reports, test half", Set::Reports, Some(Split::Test)),
        (
            "vendor holdout, fitting-half reports",
            Set::Vendor,
            Some(Split::Fit),
        ),
        (
            "vendor holdout, test-half reports",
            Set::Vendor,
            Some(Split::Test),
        ),
        ("vendor holdout, all", Set::Vendor, None),
    ];
    let mut s = String::from(
        "### Each variant at its own temperature (× 1), ranking among actors\n\n\
         | variant | slice | n | top-1 | top-3 | top-5 | MRR | Brier | ECE |\n\
         | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for (v, var) in variants.iter().enumerate() {
        for (label, set, split) in slices {
            let o: Vec<Outcome> = results
                .iter()
                .filter(|r| r.set == set && split.is_none_or(|x| r.split == x))
                .map(|r| r.ascribe[v][k1])
                .collect();
            if o.is_empty() {
                continue;
            }
            let x = summarize(&o);
            s.push_str(&format!(
                "| {} | {label} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |\n",
                var.name, x.n, x.top1, x.top3, x.top5, x.mrr, x.brier, x.ece
            ));
        }
    }
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(top1: f64, mrr: f64) -> LopoRow {
        let x = Summary {
            top1,
            mrr,
            ..Summary::default()
        };
        LopoRow {
            variant: String::new(),
            t: 1.0,
            at_t: x.clone(),
            at_1: x,
        }
    }

    #[test]
    fn the_shipped_model_stays_unless_beaten_by_the_margin() {
        let rows = [row(0.5, 0.6), row(0.505, 0.6), row(0.52, 0.61)];
        assert_eq!(choose(&rows, 0.01), 2);
        assert_eq!(choose(&rows[..2], 0.01), 0);
        assert_eq!(choose(&rows[..1], 0.01), 0);
    }

    #[test]
    fn least_brier_picks_the_grid_minimum() {
        let o = |p: f64| Outcome {
            higher: 0,
            ties: 0,
            p_true: p,
            top_p: p,
            sum_sq: p * p + (1.0 - p) * (1.0 - p),
        };
        // p_true rises with k until index 5, then falls: the best is 5
        let per: Vec<Outcome> = (0..TEMPERATURES.len())
            .map(|k| o(0.9 - 0.1 * (k as f64 - 5.0).abs() / 10.0))
            .collect();
        assert_eq!(least_brier(&[per.as_slice(), per.as_slice()]), 5);
    }
}
