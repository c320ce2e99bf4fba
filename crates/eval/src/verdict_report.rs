//! Tables of the printed verdict: known groups, the open set with its
//! P(unknown) trade-off and fitted recalibration, and leave-one-vendor-out.

use crate::cases::{CaseSpec, Set, Split};
use crate::metrics::{ece_consistency_of, summarize as rank_summary, EceNull, Outcome, Summary};
use crate::run::{CaseResult, FullPost, TEMPERATURES};
use crate::vendor::Holdout;
use crate::verdict::{
    choose_pu, fit_calibration, fold_of, names_when_first, summarize, sweep,
    verdicts as run_verdicts, CvRow, PuPoint, VerdictSummary, NAMES_FLOOR, OPEN_TARGET,
};
use ascribe_reason::calibrate::{shipped, Recalibration};
use ascribe_reason::Params;
use serde::Serialize;
use std::collections::BTreeMap;

fn shipped_pu() -> f64 {
    Params::default().prior_unknown
}

fn shipped_k() -> usize {
    TEMPERATURES.iter().position(|&t| t == 1.0).unwrap_or(0)
}

fn full_of<'a>(
    cases: &'a [CaseSpec],
    results: &'a [CaseResult],
    set: Set,
    split: Option<Split>,
) -> Vec<(&'a CaseSpec, &'a FullPost)> {
    results
        .iter()
        .filter(|r| r.set == set && split.is_none_or(|s| r.split == s))
        .filter_map(|r| r.full.as_ref().map(|f| (&cases[r.index], f)))
        .collect()
}

fn posts<'a>(v: &[(&'a CaseSpec, &'a FullPost)]) -> Vec<&'a FullPost> {
    v.iter().map(|x| x.1).collect()
}

/// Known groups (new-report cases) at the shipped P(unknown).
#[derive(Debug, Clone, Serialize)]
pub struct Verdicts {
    pub pu: f64,
    pub calibration: Recalibration,
    pub fit: VerdictSummary,
    pub test: VerdictSummary,
    /// The same without the recalibration.
    pub fit_raw: VerdictSummary,
    pub test_raw: VerdictSummary,
}

pub fn verdicts(cases: &[CaseSpec], results: &[CaseResult]) -> Verdicts {
    verdicts_at(cases, results, shipped_pu(), shipped())
}

/// [`verdicts`] at a given P(unknown) and recalibration (`--refit`: the
/// values fitted on the fitting halves in the same run).
pub fn verdicts_at(
    cases: &[CaseSpec],
    results: &[CaseResult],
    pu: f64,
    cal: Recalibration,
) -> Verdicts {
    let fit = posts(&full_of(cases, results, Set::Reports, Some(Split::Fit)));
    let test = posts(&full_of(cases, results, Set::Reports, Some(Split::Test)));
    let id = Recalibration::Identity;
    Verdicts {
        pu,
        fit: summarize(&run_verdicts(&fit, pu, &cal, false)),
        test: summarize(&run_verdicts(&test, pu, &cal, false)),
        fit_raw: summarize(&run_verdicts(&fit, pu, &id, false)),
        test_raw: summarize(&run_verdicts(&test, pu, &id, false)),
        calibration: cal,
    }
}

fn vrow(label: &str, s: &VerdictSummary) -> String {
    format!(
        "| {label} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} / {:.3} | {} / {} |\n",
        s.n,
        s.correct,
        s.unknown_leads,
        s.mean_p_leader,
        s.mean_p_true,
        s.brier,
        s.ece,
        s.actor_leads,
        s.actor_lead_mean_p,
        s.actor_lead_accuracy,
        s.names_truth_when_first,
        s.truth_first
    )
}

const VHEAD: &str = "| cases | n | verdict right | unknown leads | mean P(leader) | mean P(true) | Brier | ECE | actor leads | actor-led: mean P / accuracy | names truth when first |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";

impl Verdicts {
    pub fn markdown(&self) -> String {
        let mut s = format!(
            "### The printed verdict on known groups (whole posterior, P(unknown) = {}, recalibration {})\n\n",
            self.pu,
            cal_str(&self.calibration)
        );
        s.push_str(VHEAD);
        s.push_str(&vrow("new reports, fitting half, raw", &self.fit_raw));
        s.push_str(&vrow("new reports, fitting half, recalibrated", &self.fit));
        s.push_str(&vrow("new reports, test half, raw", &self.test_raw));
        s.push_str(&vrow("new reports, test half, recalibrated", &self.test));
        s.push('\n');
        s.push_str(&reliability_md("test half, recalibrated", &self.test));
        s
    }
}

fn reliability_md(label: &str, s: &VerdictSummary) -> String {
    let mut out = format!("Reliability ({label}): ");
    let cells: Vec<String> = s
        .reliability
        .iter()
        .filter(|b| b.n > 0)
        .map(|b| {
            format!(
                "{:.1}–{:.1}: n {}, P {:.2}, acc {:.2}",
                b.lo, b.hi, b.n, b.confidence, b.accuracy
            )
        })
        .collect();
    out.push_str(&cells.join("; "));
    out.push_str(".\n\n");
    out
}

pub fn cal_str(c: &Recalibration) -> String {
    match c {
        Recalibration::Identity => "none".into(),
        Recalibration::Platt { a, b } => format!("Platt a = {a:.4}, b = {b:.4}"),
        Recalibration::Isotonic { knots } => format!("isotonic, {} knots", knots.len()),
    }
}

/// The open set: the P(unknown) trade-off and the fitted recalibration.
#[derive(Debug, Clone, Serialize)]
pub struct OpenFit {
    pub curve_fit: Vec<PuPoint>,
    pub curve_test: Vec<PuPoint>,
    /// P(unknown) chosen by [`choose_pu`] on the fitting half.
    pub chosen_pu: Option<f64>,
    /// Cross-validation of the recalibration forms at the chosen P(unknown).
    pub cv: Vec<CvRow>,
    /// The recalibration fitted on the whole fitting half at the chosen
    /// P(unknown).
    pub fitted: Recalibration,
    /// Known groups and the open set, test halves, at the chosen P(unknown)
    /// with the fitted recalibration.
    pub refit_known_test: VerdictSummary,
    pub refit_open_test: VerdictSummary,
    /// The open set's test half with the shipped parameters.
    pub shipped_test: VerdictSummary,
}

pub fn open_fit(cases: &[CaseSpec], results: &[CaseResult]) -> OpenFit {
    let kf = full_of(cases, results, Set::Reports, Some(Split::Fit));
    let kt = posts(&full_of(cases, results, Set::Reports, Some(Split::Test)));
    let of = posts(&full_of(cases, results, Set::OpenSet, Some(Split::Fit)));
    let ot = posts(&full_of(cases, results, Set::OpenSet, Some(Split::Test)));
    let curve_fit = sweep(&posts(&kf), &of);
    let curve_test = sweep(&kt, &ot);
    let chosen_pu = choose_pu(&curve_fit);
    let pu = chosen_pu.unwrap_or_else(shipped_pu);
    let folds: Vec<(u64, &FullPost)> = kf.iter().map(|(c, f)| (fold_of(&c.source), *f)).collect();
    let (fitted, cv) = fit_calibration(&folds, pu);
    OpenFit {
        refit_known_test: summarize(&run_verdicts(&kt, pu, &fitted, false)),
        refit_open_test: summarize(&run_verdicts(&ot, pu, &fitted, true)),
        shipped_test: summarize(&run_verdicts(&ot, shipped_pu(), &shipped(), true)),
        curve_fit,
        curve_test,
        chosen_pu,
        cv,
        fitted,
    }
}

impl OpenFit {
    pub fn markdown(&self) -> String {
        let mut s = String::from(
            "### Open set: the true group removed from the KB\n\n\
             Trade-off over the prior P(unknown) (no recalibration: it never changes who leads). \
             Known = new-report cases, the verdict names the true group; open = the same cases with the group removed, \"an actor not in the knowledge base\" leads.\n\n\
             | P(unknown) | known fit: verdict right | names truth when first | open fit: unknown leads | known test: verdict right | names truth when first | unknown leads | open test: unknown leads | mean P(unknown) |\n\
             | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
        );
        for (f, t) in self.curve_fit.iter().zip(&self.curve_test) {
            s.push_str(&format!(
                "| {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |\n",
                f.pu,
                f.known.correct,
                names_when_first(&f.known),
                f.open.correct,
                t.known.correct,
                names_when_first(&t.known),
                t.known.unknown_leads,
                t.open.correct,
                t.open.mean_p_true
            ));
        }
        s.push_str(&format!(
            "\nRule (fitting half only): the verdict names the true group in ≥ {NAMES_FLOOR} of the cases where it ranks first among actors; within that, the smallest P(unknown) with the open set's unknown-lead rate ≥ {OPEN_TARGET}, else the largest. Chosen P(unknown) = {}.\n\n",
            self.chosen_pu.map(|p| p.to_string()).unwrap_or_else(|| "none".into())
        ));
        s.push_str("Recalibration forms, 5-fold cross-validation by report on the fitting half (whole-posterior Brier, its standard error against the best form, ECE over the leader); the simplest form within one standard error of the best is kept:\n\n| form | Brier | SE vs best | ECE |\n| --- | ---: | ---: | ---: |\n");
        for r in &self.cv {
            s.push_str(&format!(
                "| {} | {:.4} | {:.4} | {:.4} |\n",
                r.form, r.brier, r.se_vs_best, r.ece
            ));
        }
        s.push_str(&format!("\nFitted: {}.\n\n", cal_str(&self.fitted)));
        s.push_str(VHEAD);
        s.push_str(&vrow("known, test half, refit", &self.refit_known_test));
        s.push_str(&vrow("open set, test half, refit", &self.refit_open_test));
        s.push_str(&vrow("open set, test half, shipped", &self.shipped_test));
        s.push('\n');
        s
    }

    /// The block to paste into `crates/reason/src/fitted.rs`.
    pub fn fitted_block(&self) -> String {
        let cal = match &self.fitted {
            Recalibration::Identity => "Recalibration::Identity".to_string(),
            Recalibration::Platt { a, b } => {
                format!("Recalibration::Platt {{ a: {a:?}, b: {b:?} }}")
            }
            Recalibration::Isotonic { knots } => format!(
                "Recalibration::Isotonic {{ knots: Cow::Borrowed(&[{}]) }}",
                knots
                    .iter()
                    .map(|(x, y)| format!("({x:.4}, {y:.4})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        format!(
            "fitted open set (paste into crates/reason/src/fitted.rs):\n    CALIBRATION = {cal};\n    PRIOR_UNKNOWN = {:?};",
            self.chosen_pu.unwrap_or_else(shipped_pu)
        )
    }
}

/// One slice of the vendor holdout.
#[derive(Debug, Clone, Serialize)]
pub struct LovoSlice {
    /// Ranking among the KB's actors (the attack set's metrics, at the
    /// shipped temperature).
    pub ranking: Summary,
    /// The ranking's ECE against what chance alone gives a perfectly
    /// calibrated model with the same confidences.
    pub ranking_ece_null: EceNull,
    /// The printed verdict, shipped P(unknown) and recalibration.
    pub verdict: VerdictSummary,
    /// The same without the recalibration.
    pub verdict_raw: VerdictSummary,
}

#[derive(Debug, Clone, Serialize)]
pub struct LovoRow {
    pub holdout: Holdout,
    pub slice: LovoSlice,
}

#[derive(Debug, Clone, Serialize)]
pub struct Lovo {
    pub rows: Vec<LovoRow>,
    /// Every vendor case.
    pub all: LovoSlice,
    /// Only cases whose report is in the test half.
    pub test_reports: LovoSlice,
    /// Publishers whose holdout has no case.
    pub without_cases: Vec<String>,
}

fn lovo_slice(rs: &[&CaseResult], pu: f64, cal: &Recalibration) -> LovoSlice {
    let k = shipped_k();
    let outs: Vec<Outcome> = rs.iter().map(|r| r.ascribe[0][k]).collect();
    let fp: Vec<&FullPost> = rs.iter().filter_map(|r| r.full.as_ref()).collect();
    LovoSlice {
        ranking: rank_summary(&outs),
        ranking_ece_null: ece_consistency_of(&outs, crate::ECE_NULL_DRAWS, crate::ECE_NULL_SEED),
        verdict: summarize(&run_verdicts(&fp, pu, cal, false)),
        verdict_raw: summarize(&run_verdicts(&fp, pu, &Recalibration::Identity, false)),
    }
}

pub fn lovo(cases: &[CaseSpec], results: &[CaseResult], holdouts: &[Holdout]) -> Lovo {
    lovo_at(cases, results, holdouts, shipped_pu(), &shipped())
}

/// [`lovo`] at a given P(unknown) and recalibration.
pub fn lovo_at(
    cases: &[CaseSpec],
    results: &[CaseResult],
    holdouts: &[Holdout],
    pu: f64,
    cal: &Recalibration,
) -> Lovo {
    let mut by: BTreeMap<&str, Vec<&CaseResult>> = BTreeMap::new();
    for r in results.iter().filter(|r| r.set == Set::Vendor) {
        if let Some(h) = &cases[r.index].holdout {
            by.entry(h.as_str()).or_default().push(r);
        }
    }
    let mut rows = Vec::new();
    let mut without = Vec::new();
    for h in holdouts {
        match by.get(h.publisher.as_str()) {
            Some(rs) => rows.push(LovoRow {
                holdout: h.clone(),
                slice: lovo_slice(rs, pu, cal),
            }),
            None => without.push(h.publisher.clone()),
        }
    }
    let all: Vec<&CaseResult> = results.iter().filter(|r| r.set == Set::Vendor).collect();
    let test: Vec<&CaseResult> = all
        .iter()
        .copied()
        .filter(|r| r.split == Split::Test)
        .collect();
    Lovo {
        rows,
        all: lovo_slice(&all, pu, cal),
        test_reports: lovo_slice(&test, pu, cal),
        without_cases: without,
    }
}

impl Lovo {
    pub fn markdown(&self) -> String {
        let mut s = String::from(
            "### Leave-one-vendor-out\n\n\
             | publisher | reports | links removed (uses) | citations struck | cases | top-1 | top-3 | top-5 | MRR | ECE (actors) | Brier | ECE | verdict right | unknown leads | names truth when first |\n\
             | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
        );
        let row = |name: &str, h: Option<&Holdout>, x: &LovoSlice| {
            let (r, v) = (&x.ranking, &x.verdict);
            format!(
                "| {name} | {} | {} | {} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {} / {} |\n",
                h.map(|h| h.reports.to_string()).unwrap_or_default(),
                h.map(|h| format!("{} ({})", h.links_removed, h.uses_links_removed)).unwrap_or_default(),
                h.map(|h| h.citations_struck.to_string()).unwrap_or_default(),
                r.n,
                r.top1,
                r.top3,
                r.top5,
                r.mrr,
                r.ece,
                v.brier,
                v.ece,
                v.correct,
                v.unknown_leads,
                v.names_truth_when_first,
                v.truth_first
            )
        };
        for x in &self.rows {
            s.push_str(&row(&x.holdout.publisher, Some(&x.holdout), &x.slice));
        }
        s.push_str(&row("**all vendor cases**", None, &self.all));
        s.push_str(&row("cases of test-half reports", None, &self.test_reports));
        if !self.without_cases.is_empty() {
            s.push_str(&format!(
                "\nPublishers with ≥ 20 reports but no report case: {}.\n",
                self.without_cases.join(", ")
            ));
        }
        s.push_str("\nRanking columns and ECE (actors): among the KB's actors (as the attack set), shipped temperature; Brier, ECE and the verdict columns: the whole posterior as printed (unknown actor and false flags included).\n\n");
        s.push_str(&ece_null_md(
            "cases",
            &[
                ("all vendor cases", &self.all.ranking_ece_null),
                (
                    "cases of test-half reports",
                    &self.test_reports.ranking_ece_null,
                ),
            ],
        ));
        s.push_str(VHEAD);
        s.push_str(&vrow("all vendor cases, raw", &self.all.verdict_raw));
        s.push_str(&vrow("all vendor cases, recalibrated", &self.all.verdict));
        s.push('\n');
        s.push_str(&reliability_md(
            "all vendor cases, recalibrated",
            &self.all.verdict,
        ));
        s
    }
}

/// A paragraph comparing each slice's ECE over actors with the ECE chance
/// alone gives a perfectly calibrated model with the same confidences.
pub fn ece_null_md(first_column: &str, rows: &[(&str, &EceNull)]) -> String {
    let mut s = format!(
        "ECE (actors) against chance (consistency resampling: each case's top candidate drawn right with exactly its stated probability; a perfectly calibrated model's ECE on these cases):\n\n\
         | {first_column} | ECE observed | by chance: mean | 95th percentile | share of draws ≥ observed |\n\
         | --- | ---: | ---: | ---: | ---: |\n",
    );
    for (name, e) in rows {
        let p = if e.p_value < 0.001 {
            "< 0.001".to_string()
        } else {
            format!("{:.3}", e.p_value)
        };
        s.push_str(&format!(
            "| {name} | {:.3} | {:.3} | {:.3} | {p} ({} draws) |\n",
            e.observed, e.null_mean, e.null_p95, e.draws
        ));
    }
    s.push('\n');
    s
}

/// β of the unknown groups of states fitted on the known and open fitting
/// halves together, at the P(unknown) the harness's rule picks for it.
#[derive(Debug, Clone, Serialize)]
pub struct BetaRow {
    pub beta: f64,
    /// [`choose_pu`] on the fitting halves' curve at this β.
    pub pu: f64,
    /// Summed log-probability of the right answer (the true group on
    /// known cases, "an actor not in the knowledge base" on the open set),
    /// fitting halves, at `pu`, no recalibration.
    pub loglik_known: f64,
    pub loglik_open: f64,
    pub known: VerdictSummary,
    pub open: VerdictSummary,
}

#[derive(Debug, Clone, Serialize)]
pub struct BetaFit {
    pub rows: Vec<BetaRow>,
    /// The β with the largest summed log-likelihood (ties: the smaller).
    pub chosen: Option<f64>,
}

/// Fit β (fitting halves only): for each β of [`crate::run::STATE_BETAS`],
/// P(unknown) by [`choose_pu`], then the summed log-probability of the
/// right answer over the known and open fitting halves at it; the β with
/// the largest is chosen. Test halves are not read.
pub fn beta_fit(cases: &[CaseSpec], results: &[CaseResult]) -> BetaFit {
    let _ = cases;
    let nb = crate::run::STATE_BETAS.len();
    let pick = |set: Set, k: usize| -> Vec<&FullPost> {
        results
            .iter()
            .filter(|r| r.set == set && r.split == Split::Fit && r.full_by_beta.len() == nb)
            .map(|r| &r.full_by_beta[k])
            .collect()
    };
    let mut rows = Vec::new();
    for (k, &beta) in crate::run::STATE_BETAS.iter().enumerate() {
        let (kf, of) = (pick(Set::Reports, k), pick(Set::OpenSet, k));
        if kf.is_empty() || of.is_empty() {
            continue;
        }
        let curve = sweep(&kf, &of);
        let pu = choose_pu(&curve).unwrap_or_else(shipped_pu);
        let id = Recalibration::Identity;
        let kv = run_verdicts(&kf, pu, &id, false);
        let ov = run_verdicts(&of, pu, &id, true);
        let ll = |v: &[crate::run::VerdictOutcome]| -> f64 {
            v.iter().map(|o| o.p_true.max(1e-12).ln()).sum()
        };
        rows.push(BetaRow {
            beta,
            pu,
            loglik_known: ll(&kv),
            loglik_open: ll(&ov),
            known: summarize(&kv),
            open: summarize(&ov),
        });
    }
    let chosen = choose_beta(&rows);
    BetaFit { rows, chosen }
}

/// The β with the largest summed log-likelihood (known + open); ties (within
/// 1e-9) go to the smaller β, rows being in increasing β.
pub fn choose_beta(rows: &[BetaRow]) -> Option<f64> {
    let mut chosen: Option<(f64, f64)> = None;
    for r in rows {
        let l = r.loglik_known + r.loglik_open;
        if l.is_finite() && chosen.is_none_or(|(_, b)| l > b + 1e-9) {
            chosen = Some((r.beta, l));
        }
    }
    chosen.map(|x| x.0)
}

impl BetaFit {
    pub fn markdown(&self) -> String {
        let mut s = String::from(
            "\n## Unknown groups of states: β fitted on the known and open fitting halves together\n\n\
             For each β: P(unknown) by the harness's rule on the fitting halves, then the summed log-probability of the right answer \
             (the true group on the new-report cases, \"an actor not in the knowledge base\" on the open set; no recalibration). Test halves not read.\n\n\
             | β | P(unknown) | log-lik known | log-lik open | sum | known: verdict right | names truth when first | open: unknown leads |\n\
             | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
        );
        for r in &self.rows {
            s.push_str(&format!(
                "| {}{} | {} | {:.1} | {:.1} | {:.1} | {:.3} | {:.3} | {:.3} |\n",
                r.beta,
                if Some(r.beta) == self.chosen {
                    " (chosen)"
                } else {
                    ""
                },
                r.pu,
                r.loglik_known,
                r.loglik_open,
                r.loglik_known + r.loglik_open,
                r.known.correct,
                names_when_first(&r.known),
                r.open.correct
            ));
        }
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(beta: f64, known: f64, open: f64) -> BetaRow {
        BetaRow {
            beta,
            pu: 0.5,
            loglik_known: known,
            loglik_open: open,
            known: VerdictSummary::default(),
            open: VerdictSummary::default(),
        }
    }

    #[test]
    fn beta_is_chosen_by_the_summed_likelihood_of_both_halves() {
        // the open set alone would take the largest β; the known cases pull it back
        let rows = [
            row(0.0, -100.0, -200.0),
            row(0.3, -105.0, -180.0),
            row(1.0, -160.0, -150.0),
        ];
        assert_eq!(choose_beta(&rows), Some(0.3));
        // a tie goes to the smaller β; non-finite sums are never chosen
        let rows = [
            row(0.1, -10.0, -10.0),
            row(0.2, -10.0, -10.0),
            row(0.5, f64::NAN, 0.0),
        ];
        assert_eq!(choose_beta(&rows), Some(0.1));
        assert_eq!(choose_beta(&[]), None);
    }
}
