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
    crate::least_mean_brier(outs, TEMPERATURES.len(), |o| o)
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

/// The printed verdict's recalibration fitted on the cross-publisher folds
/// (the fitting-half vendor cases, 5 folds of whole publishers) beside the one in
/// use, at the same P(unknown). A recalibration moves only the leading
/// actor's probability (never which hypothesis leads), so it changes the
/// verdict's Brier score and ECE, not its ranking or the open set.
#[derive(Debug, Clone, Serialize)]
pub struct VendorCalibration {
    pub pu: f64,
    /// Cross-validation by publisher on the fitting-half vendor cases: the
    /// forms, then the recalibration in use (fitted elsewhere) on the same
    /// cases.
    pub cv: Vec<crate::verdict::CvRow>,
    pub in_use_on_folds: crate::verdict::VerdictSummary,
    pub fitted: ascribe_reason::calibrate::Recalibration,
    /// (slice, in use, fitted on the folds)
    pub slices: Vec<(
        String,
        crate::verdict::VerdictSummary,
        crate::verdict::VerdictSummary,
    )>,
}

/// Folds by publisher: the publishers in name order, dealt round-robin
/// into [`crate::verdict::FOLDS`] folds (so that no fold is empty while
/// there are at least as many publishers as folds).
pub fn publisher_folds<'a>(
    publishers: impl IntoIterator<Item = &'a str>,
) -> std::collections::BTreeMap<&'a str, u64> {
    let names: std::collections::BTreeSet<&str> = publishers.into_iter().collect();
    names
        .into_iter()
        .enumerate()
        .map(|(i, p)| (p, i as u64 % crate::verdict::FOLDS))
        .collect()
}

fn posts<'a>(
    v: &[(&'a crate::cases::CaseSpec, &'a crate::run::FullPost)],
) -> Vec<&'a crate::run::FullPost> {
    v.iter().map(|x| x.1).collect()
}

pub fn vendor_calibration(
    cases: &[crate::cases::CaseSpec],
    results: &[CaseResult],
    pu: f64,
    in_use: &ascribe_reason::calibrate::Recalibration,
) -> Option<VendorCalibration> {
    use crate::verdict::{fit_calibration, summarize as vsum, verdicts};
    let pick =
        |set: Set, split: Option<Split>| -> Vec<(&crate::cases::CaseSpec, &crate::run::FullPost)> {
            results
                .iter()
                .filter(|r| r.set == set && split.is_none_or(|x| r.split == x))
                .filter_map(|r| r.full.as_ref().map(|f| (&cases[r.index], f)))
                .collect()
        };
    let vf = pick(Set::Vendor, Some(Split::Fit));
    if vf.is_empty() {
        return None;
    }
    let fold_of = publisher_folds(vf.iter().map(|(c, _)| c.holdout.as_deref().unwrap_or("")));
    let folds: Vec<(u64, &crate::run::FullPost)> = vf
        .iter()
        .map(|(c, f)| (fold_of[c.holdout.as_deref().unwrap_or("")], *f))
        .collect();
    let (fitted, cv) = fit_calibration(&folds, pu);
    let in_use_on_folds = vsum(&verdicts(&posts(&vf), pu, in_use, false));
    let mut slices = Vec::new();
    for (label, set, split) in [
        (
            "vendor holdout, test-half reports",
            Set::Vendor,
            Some(Split::Test),
        ),
        ("vendor holdout, all", Set::Vendor, None),
        ("new reports, test half", Set::Reports, Some(Split::Test)),
    ] {
        let v = posts(&pick(set, split));
        if v.is_empty() {
            continue;
        }
        slices.push((
            label.to_string(),
            vsum(&verdicts(&v, pu, in_use, false)),
            vsum(&verdicts(&v, pu, &fitted, false)),
        ));
    }
    Some(VendorCalibration {
        pu,
        cv,
        in_use_on_folds,
        fitted,
        slices,
    })
}

impl VendorCalibration {
    pub fn markdown(&self) -> String {
        let mut s = format!(
            "### The verdict's recalibration fitted on the cross-publisher folds (P(unknown) = {})\n\n\
             5-fold cross-validation by publisher (name order, round-robin) on the fitting-half vendor cases (whole-posterior Brier):\n\n\
             | form | Brier | SE vs best | ECE |\n| --- | ---: | ---: | ---: |\n",
            self.pu
        );
        for r in &self.cv {
            s.push_str(&format!(
                "| {} | {:.4} | {:.4} | {:.4} |\n",
                r.form, r.brier, r.se_vs_best, r.ece
            ));
        }
        s.push_str(&format!(
            "| the recalibration in use (fitted on the new-report fitting half) | {:.4} | | {:.4} |\n\n\
             Fitted on the folds: {}.\n\n\
             | slice | n | Brier in use | Brier folds-fitted | ECE in use | ECE folds-fitted | mean P(true) in use | folds-fitted |\n\
             | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
            self.in_use_on_folds.brier,
            self.in_use_on_folds.ece,
            crate::verdict_report::cal_str(&self.fitted)
        ));
        for (label, a, b) in &self.slices {
            s.push_str(&format!(
                "| {label} | {} | {:.4} | {:.4} | {:.3} | {:.3} | {:.3} | {:.3} |\n",
                a.n, a.brier, b.brier, a.ece, b.ece, a.mean_p_true, b.mean_p_true
            ));
        }
        s.push('\n');
        s
    }
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
    fn publishers_are_dealt_into_every_fold() {
        let names = [
            "ESET",
            "Mandiant",
            "CISA",
            "ESET",
            "Symantec",
            "Kaspersky",
            "Microsoft",
        ];
        let f = publisher_folds(names);
        assert_eq!(f.len(), 6);
        // name order: CISA, ESET, Kaspersky, Mandiant, Microsoft, Symantec
        assert_eq!(f["CISA"], 0);
        assert_eq!(f["Microsoft"], 4);
        assert_eq!(f["Symantec"], 0);
        let used: std::collections::BTreeSet<u64> = f.values().copied().collect();
        assert_eq!(used.len() as u64, crate::verdict::FOLDS);
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
