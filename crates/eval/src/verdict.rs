//! What the printed verdict says: the whole posterior (unknown actor and
//! false flags included), the prior P(unknown) swept, and the monotone
//! recalibration of the leader's probability fitted on the fitting half.
//!
//! * [`summarize`] scores verdicts: how often the leader is the right
//!   answer, how often "an actor not in the knowledge base" leads, Brier
//!   and ECE of the whole posterior (ECE over the leader's probability);
//! * [`sweep`] gives the trade-off between known groups (the true group
//!   leads) and the open set (the unknown actor leads) over [`PU_GRID`];
//! * [`choose_pu`] applies the documented rule to the fitting half;
//! * [`fit_calibration`] fits isotonic and Platt maps on the fitting half
//!   and keeps the one with the lower cross-validated Brier score.

use crate::run::{FullPost, VerdictOutcome};
use ascribe_reason::calibrate::Recalibration;
use serde::Serialize;
use std::borrow::Cow;

/// Values of the prior P(unknown) tried.
pub const PU_GRID: [f64; 12] = [
    0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95,
];

/// The verdict must name the true group in at least this share of the
/// cases where it ranks first among the actors.
pub const NAMES_FLOOR: f64 = 0.5;
/// The open set's target: the unknown actor leads this often.
pub const OPEN_TARGET: f64 = 0.8;
/// Folds of the cross-validation (by report).
pub const FOLDS: u64 = 5;

/// Verdict metrics over a set of cases.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VerdictSummary {
    pub n: usize,
    /// The leader is the right answer.
    pub correct: f64,
    /// "An actor not in the knowledge base" leads.
    pub unknown_leads: f64,
    /// A knowledge-base actor leads.
    pub actor_leads: f64,
    pub mean_p_leader: f64,
    pub mean_p_true: f64,
    pub brier: f64,
    /// Over the leader's probability, 10 equal-width bins.
    pub ece: f64,
    /// Cases where the true group ranks first among actors …
    pub truth_first: usize,
    /// … and of those, the verdict names it.
    pub names_truth_when_first: usize,
    /// Where a knowledge-base actor leads: its mean probability and how
    /// often it is right.
    pub actor_lead_mean_p: f64,
    pub actor_lead_accuracy: f64,
    pub reliability: Vec<crate::metrics::Bin>,
}

pub fn summarize(outs: &[VerdictOutcome]) -> VerdictSummary {
    let n = outs.len();
    if n == 0 {
        return VerdictSummary::default();
    }
    let nf = n as f64;
    let mean = |f: &dyn Fn(&VerdictOutcome) -> f64| outs.iter().map(f).sum::<f64>() / nf;
    let bins = crate::metrics::reliability_bins(
        outs.iter()
            .map(|o| (o.p_leader, f64::from(u8::from(o.correct)))),
    );
    let ece = crate::metrics::ece(&bins, n);
    let actor: Vec<&VerdictOutcome> = outs.iter().filter(|o| o.actor_leads).collect();
    let na = actor.len().max(1) as f64;
    VerdictSummary {
        n,
        correct: mean(&|o| f64::from(u8::from(o.correct))),
        unknown_leads: mean(&|o| f64::from(u8::from(o.unknown_leads))),
        actor_leads: mean(&|o| f64::from(u8::from(o.actor_leads))),
        mean_p_leader: mean(&|o| o.p_leader),
        mean_p_true: mean(&|o| o.p_true),
        brier: mean(&|o| o.brier()),
        ece,
        truth_first: outs.iter().filter(|o| o.truth_first_among_actors).count(),
        names_truth_when_first: outs
            .iter()
            .filter(|o| o.truth_first_among_actors && o.correct)
            .count(),
        actor_lead_mean_p: actor.iter().map(|o| o.p_leader).sum::<f64>() / na,
        actor_lead_accuracy: actor
            .iter()
            .map(|o| f64::from(u8::from(o.correct)))
            .sum::<f64>()
            / na,
        reliability: bins,
    }
}

/// Verdicts of cases at `p_u` with a recalibration.
pub fn verdicts(
    cases: &[&FullPost],
    pu: f64,
    cal: &Recalibration,
    open: bool,
) -> Vec<VerdictOutcome> {
    cases.iter().map(|f| f.verdict(pu, cal, open)).collect()
}

/// One point of the trade-off curve.
#[derive(Debug, Clone, Serialize)]
pub struct PuPoint {
    pub pu: f64,
    /// Known groups: the verdict names the true group.
    pub known: VerdictSummary,
    /// Open set: the unknown actor leads.
    pub open: VerdictSummary,
}

/// The trade-off over [`PU_GRID`] (no recalibration: it never changes who
/// leads).
pub fn sweep(known: &[&FullPost], open: &[&FullPost]) -> Vec<PuPoint> {
    PU_GRID
        .iter()
        .map(|&pu| PuPoint {
            pu,
            known: summarize(&verdicts(known, pu, &Recalibration::Identity, false)),
            open: summarize(&verdicts(open, pu, &Recalibration::Identity, true)),
        })
        .collect()
}

/// Share of the cases where the true group ranks first among the actors in
/// which the verdict names it.
pub fn names_when_first(s: &VerdictSummary) -> f64 {
    if s.truth_first == 0 {
        0.0
    } else {
        s.names_truth_when_first as f64 / s.truth_first as f64
    }
}

/// The rule for P(unknown), applied to the fitting half's curve and
/// taken from the issue's requirements: a larger P(unknown) makes "an
/// actor not in the knowledge base" lead more often on the open set, and
/// also on known groups. So: keep only the values at which the verdict
/// still names the true group in at least [`NAMES_FLOOR`] of the cases
/// where it ranks first among the actors (the leave-one-vendor-out
/// requirement, applied to the fitting half); among them, the smallest that
/// reaches [`OPEN_TARGET`] on the open set, or else the largest (the best
/// open-set rate the known groups allow). If none keeps the floor, the
/// smallest value of the grid.
pub fn choose_pu(curve: &[PuPoint]) -> Option<f64> {
    let ok: Vec<&PuPoint> = curve
        .iter()
        .filter(|p| names_when_first(&p.known) + 1e-12 >= NAMES_FLOOR)
        .collect();
    if ok.is_empty() {
        return curve.first().map(|p| p.pu);
    }
    ok.iter()
        .filter(|p| p.open.correct + 1e-12 >= OPEN_TARGET)
        .map(|p| p.pu)
        .reduce(f64::min)
        .or_else(|| ok.iter().map(|p| p.pu).reduce(f64::max))
}

/// (probability of the leader or a false flag imitating it, leader right)
/// of the cases where an actor leads: what the recalibration maps.
fn actor_pairs(cases: &[&FullPost], pu: f64) -> Vec<(f64, f64)> {
    cases
        .iter()
        .map(|f| f.verdict(pu, &Recalibration::Identity, false))
        .filter(|v| v.actor_leads)
        .map(|v| (v.p_block, f64::from(u8::from(v.correct))))
        .collect()
}

/// Isotonic regression (pool adjacent violators) of `y` on `p`; the knots
/// are the blocks' mean `(p, y)`.
pub fn fit_isotonic(pairs: &[(f64, f64)]) -> Recalibration {
    let mut v: Vec<(f64, f64)> = pairs
        .iter()
        .copied()
        .filter(|(p, y)| p.is_finite() && y.is_finite())
        .collect();
    if v.is_empty() {
        return Recalibration::Identity;
    }
    v.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
    // blocks: (sum p, sum y, n)
    let mut blocks: Vec<(f64, f64, f64)> = Vec::new();
    for (p, y) in v {
        blocks.push((p, y, 1.0));
        while blocks.len() >= 2 {
            let (a, b) = (blocks[blocks.len() - 2], blocks[blocks.len() - 1]);
            if a.1 / a.2 >= b.1 / b.2 {
                blocks.pop();
                let last = blocks.len() - 1;
                blocks[last] = (a.0 + b.0, a.1 + b.1, a.2 + b.2);
            } else {
                break;
            }
        }
    }
    let knots: Vec<(f64, f64)> = blocks.iter().map(|(sp, sy, n)| (sp / n, sy / n)).collect();
    Recalibration::Isotonic {
        knots: Cow::Owned(knots),
    }
}

/// Platt scaling: `logit g = a·logit p + b` by least binary log loss
/// (Newton's method), with `a > 0`. As in Platt (1999), the targets are
/// `(N₊ + 1)/(N₊ + 2)` and `1/(N₋ + 2)` instead of 1 and 0, so that a
/// fitting set with few or no errors cannot drive the curve to certainty.
pub fn fit_platt(pairs: &[(f64, f64)]) -> Recalibration {
    let logit = |p: f64| {
        let p = p.clamp(1e-6, 1.0 - 1e-6);
        (p / (1.0 - p)).ln()
    };
    let pos = pairs.iter().filter(|x| x.1 == 1.0).count() as f64;
    let neg = pairs.iter().filter(|x| x.1 == 0.0).count() as f64;
    let (hi, lo) = ((pos + 1.0) / (pos + 2.0), 1.0 / (neg + 2.0));
    let target = |y: f64| {
        if y == 1.0 {
            hi
        } else if y == 0.0 {
            lo
        } else {
            y
        }
    };
    let xs: Vec<(f64, f64)> = pairs.iter().map(|&(p, y)| (logit(p), target(y))).collect();
    if xs.is_empty() {
        return Recalibration::Identity;
    }
    let (mut a, mut b) = (1.0f64, 0.0f64);
    for _ in 0..100 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 1e-9, 0.0, 1e-9);
        for &(x, y) in &xs {
            let q = 1.0 / (1.0 + (-(a * x + b)).exp());
            let r = q - y;
            ga += r * x;
            gb += r;
            let w = q * (1.0 - q);
            haa += w * x * x;
            hab += w * x;
            hbb += w;
        }
        let det = haa * hbb - hab * hab;
        if det.abs() < 1e-12 {
            break;
        }
        let da = (hbb * ga - hab * gb) / det;
        let db = (haa * gb - hab * ga) / det;
        a -= da;
        b -= db;
        if da.abs() + db.abs() < 1e-10 {
            break;
        }
    }
    if !(a.is_finite() && b.is_finite()) || a <= 0.0 {
        return Recalibration::Identity;
    }
    Recalibration::Platt { a, b }
}

/// The cross-validation of one candidate form.
#[derive(Debug, Clone, Serialize)]
pub struct CvRow {
    pub form: String,
    /// Mean Brier score of the whole posterior over held-out folds.
    pub brier: f64,
    pub ece: f64,
    /// Standard error of the per-case Brier difference to the best form.
    pub se_vs_best: f64,
}

/// Fit the recalibration on known fitting-half cases (each with its fold,
/// by report). Each form (none, Platt, isotonic: increasing complexity) is
/// scored by the Brier score of the whole posterior on held-out folds; the
/// simplest form within one standard error (of the per-case difference)
/// of the best is kept — a difference the fitting half cannot resolve is
/// not worth the extra freedom (isotonic's top block, all right in a few
/// dozen cases, would map every confident verdict to certainty). Returns
/// the chosen map, fitted on all the cases, and the CV table.
pub fn fit_calibration(cases: &[(u64, &FullPost)], pu: f64) -> (Recalibration, Vec<CvRow>) {
    type Fitter = fn(&[(f64, f64)]) -> Recalibration;
    let forms: [(&str, Option<Fitter>); 3] = [
        ("none", None),
        ("Platt (log-odds, 2 parameters)", Some(fit_platt)),
        ("isotonic", Some(fit_isotonic)),
    ];
    let mut rows = Vec::new();
    let mut per_case: Vec<Vec<f64>> = Vec::new();
    for (name, fit) in &forms {
        let mut outs = Vec::new();
        for k in 0..FOLDS {
            let train: Vec<&FullPost> = cases.iter().filter(|c| c.0 != k).map(|c| c.1).collect();
            let test: Vec<&FullPost> = cases.iter().filter(|c| c.0 == k).map(|c| c.1).collect();
            let cal = match fit {
                Some(f) => f(&actor_pairs(&train, pu)),
                None => Recalibration::Identity,
            };
            outs.extend(verdicts(&test, pu, &cal, false));
        }
        let s = summarize(&outs);
        per_case.push(outs.iter().map(VerdictOutcome::brier).collect());
        rows.push(CvRow {
            form: (*name).to_string(),
            brier: s.brier,
            ece: s.ece,
            se_vs_best: 0.0,
        });
    }
    let best = rows
        .iter()
        .enumerate()
        .min_by(|a, b| {
            a.1.brier
                .partial_cmp(&b.1.brier)
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .map(|(i, _)| i)
        .unwrap_or(0);
    for i in 0..rows.len() {
        let d: Vec<f64> = per_case[i]
            .iter()
            .zip(&per_case[best])
            .map(|(a, b)| a - b)
            .collect();
        let n = d.len().max(2) as f64;
        let m = d.iter().sum::<f64>() / n;
        let var = d.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
        rows[i].se_vs_best = (var / n).sqrt();
    }
    let chosen = (0..rows.len())
        .find(|&i| rows[i].brier - rows[best].brier <= rows[i].se_vs_best + 1e-15)
        .unwrap_or(best);
    let all: Vec<&FullPost> = cases.iter().map(|c| c.1).collect();
    let cal = match forms[chosen].1 {
        Some(f) => f(&actor_pairs(&all, pu)),
        None => Recalibration::Identity,
    };
    (cal, rows)
}

/// The fold of a report (FNV-1a of its name, a different stream from the
/// fit/test split's parity).
pub fn fold_of(report: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in report.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (h >> 1) % FOLDS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isotonic_pools_violators() {
        let r = fit_isotonic(&[(0.1, 0.0), (0.2, 1.0), (0.3, 0.0), (0.4, 1.0)]);
        let Recalibration::Isotonic { knots } = r else {
            panic!("isotonic")
        };
        // (0.2, 1) and (0.3, 0) pool to 0.5
        assert_eq!(knots.len(), 3);
        assert!((knots[1].0 - 0.25).abs() < 1e-12 && (knots[1].1 - 0.5).abs() < 1e-12);
        assert!(knots.windows(2).all(|w| w[0].1 <= w[1].1));
    }

    #[test]
    fn platt_stays_finite_without_errors() {
        // every case right: the smoothed targets keep the curve below 1
        let pairs: Vec<(f64, f64)> = (1..20).map(|i| (i as f64 / 20.0, 1.0)).collect();
        let r = fit_platt(&pairs);
        assert!(matches!(r, Recalibration::Platt { .. }), "{r:?}");
        let g = r.map(0.9);
        assert!(g > 0.5 && g < 0.99, "{g}");
    }

    #[test]
    fn platt_recovers_a_curve() {
        // outcomes drawn exactly at g(p) = sigmoid(2 logit p + 0.5)
        let mut pairs = Vec::new();
        for i in 1..100 {
            let p = i as f64 / 100.0;
            let l = (p / (1.0 - p)).ln();
            let g = 1.0 / (1.0 + (-(2.0 * l + 0.5)).exp());
            pairs.push((p, g));
        }
        let Recalibration::Platt { a, b } = fit_platt(&pairs) else {
            panic!("platt")
        };
        assert!((a - 2.0).abs() < 1e-4 && (b - 0.5).abs() < 1e-4, "{a} {b}");
    }

    #[test]
    fn pu_rule_keeps_known_verdicts_then_reaches_the_open_target() {
        // (p_u, names-when-first, open rate)
        let pt = |pu, names: usize, o| PuPoint {
            pu,
            known: VerdictSummary {
                truth_first: 100,
                names_truth_when_first: names,
                ..Default::default()
            },
            open: VerdictSummary {
                correct: o,
                ..Default::default()
            },
        };
        // smallest value reaching the open target within the floor
        let curve = vec![
            pt(0.1, 80, 0.5),
            pt(0.3, 70, 0.82),
            pt(0.5, 60, 0.9),
            pt(0.7, 40, 0.95),
        ];
        assert_eq!(choose_pu(&curve), Some(0.3));
        // target out of reach: the largest value keeping the floor
        let curve = vec![pt(0.1, 80, 0.5), pt(0.3, 55, 0.7), pt(0.5, 45, 0.85)];
        assert_eq!(choose_pu(&curve), Some(0.3));
        // floor out of reach: the smallest value
        let curve = vec![pt(0.1, 40, 0.5), pt(0.3, 30, 0.7)];
        assert_eq!(choose_pu(&curve), Some(0.1));
    }
}
