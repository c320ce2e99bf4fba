//! Monotone recalibration of the final posterior.
//!
//! The engine's posterior, with the temperature fitted by least Brier
//! score, is under-confident where a knowledge-base actor leads with
//! 0.1–0.5 (measured on the fitting half of `bench/attack-campaigns`; see
//! BENCHMARKS.md). A single temperature cannot fix that without making the
//! confident verdicts over-confident, so the leader's probability goes
//! through a fitted increasing map `g`:
//!
//! * the leading actor `L` (the hypothesis [`Engine::leader`] names) and
//!   "a false flag imitating `L`" form one block, of probability `p` (the
//!   evidence points at `L`, planted or not); the block gets `g(p)`, split
//!   between the two in the engine's ratio, so that the false-flag model
//!   (and its bound on what cheap evidence alone can reach) is untouched:
//!   the benchmark has no deception and cannot calibrate it;
//! * every other hypothesis is scaled by `(1 − g(p)) / (1 − p)`, so the
//!   posterior still sums to one and keeps its ratios between the others;
//! * `g` is bounded below so that no hypothesis overtakes the leader: the
//!   ranking, and therefore every verdict's identity, is unchanged.
//!
//! The map applies only when a knowledge-base actor leads: the fitting
//! cases (a known group's new report) say how often a leading *actor* is
//! right, and nothing about how often "an actor not in the knowledge base"
//! or a false flag is, whose probabilities stay as the engine gives them.
//! The map's form and parameters are in [`crate::fitted::CALIBRATION`],
//! fitted by `ascribe-eval --set attack,open` on the fitting half only.

use crate::engine::{Engine, Eval};
use ascribe_core::HypothesisKind;
use std::borrow::Cow;

/// An increasing map of the leader's probability.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "lowercase", tag = "form")]
pub enum Recalibration {
    /// No change.
    Identity,
    /// `logit g(p) = a · logit p + b` (Platt scaling on log-odds).
    Platt { a: f64, b: f64 },
    /// Piecewise linear through increasing `(p, g)` knots (isotonic
    /// regression's block means), pinned at `(0, 0)` and `(1, 1)`.
    Isotonic { knots: Cow<'static, [(f64, f64)]> },
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-9, 1.0 - 1e-9);
    (p / (1.0 - p)).ln()
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

impl Recalibration {
    /// `g(p)`, in `[0, 1]`, non-decreasing in `p`.
    pub fn map(&self, p: f64) -> f64 {
        if !p.is_finite() {
            return p;
        }
        let p = p.clamp(0.0, 1.0);
        match self {
            Recalibration::Identity => p,
            Recalibration::Platt { a, b } => {
                if p <= 0.0 || p >= 1.0 || !a.is_finite() || !b.is_finite() || *a <= 0.0 {
                    return p;
                }
                sigmoid(a * logit(p) + b)
            }
            Recalibration::Isotonic { knots } => {
                // pinned at (0, 0) and (1, 1): no flat extrapolation
                // beyond the fitted range
                let k = knots
                    .iter()
                    .copied()
                    .filter(|(x, y)| x.is_finite() && y.is_finite());
                let pts: Vec<(f64, f64)> = std::iter::once((0.0, 0.0))
                    .chain(k.map(|(x, y)| (x.clamp(0.0, 1.0), y.clamp(0.0, 1.0))))
                    .chain(std::iter::once((1.0, 1.0)))
                    .collect();
                for w in pts.windows(2) {
                    let ((x0, y0), (x1, y1)) = (w[0], w[1]);
                    if p <= x1 {
                        let t = if x1 > x0 { (p - x0) / (x1 - x0) } else { 1.0 };
                        return (y0 + t * (y1 - y0)).clamp(0.0, 1.0);
                    }
                }
                1.0
            }
        }
    }

    /// Recalibrate a normalised posterior whose leader is `leader`, with
    /// `partner` the false flag imitating it. The pair is one block of
    /// probability `p` (the leader or someone imitating it): the block gets
    /// `g(p)`, split between the two in the engine's ratio; every other
    /// hypothesis shares the rest in its old ratios; nobody overtakes the
    /// leader.
    pub fn apply(&self, post: &mut [f64], leader: usize, partner: Option<usize>) {
        let n = post.len();
        let partner = partner.filter(|&f| f < n && f != leader);
        let Some(&lead_p) = post.get(leader) else {
            return;
        };
        let p = lead_p + partner.map_or(0.0, |f| post[f]);
        if !(p > 0.0 && p < 1.0 && lead_p > 0.0) {
            return;
        }
        let r = lead_p / p;
        let runner_up = post
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != leader && Some(i) != partner)
            .map(|(_, &x)| x)
            .fold(0.0, f64::max);
        // g·r ≥ q·(1 − g)/(1 − p) keeps the runner-up q below the leader
        let floor = runner_up / (r * (1.0 - p) + runner_up) * (1.0 + 1e-9);
        let g = self.map(p).max(floor).min(1.0 - 1e-12);
        if !g.is_finite() {
            return;
        }
        let block = g / p;
        let rest = (1.0 - g) / (1.0 - p);
        for (i, x) in post.iter_mut().enumerate() {
            if i == leader || Some(i) == partner {
                *x *= block;
            } else {
                *x *= rest;
            }
        }
    }

    /// Recalibrate an engine posterior (only when a knowledge-base actor
    /// leads; its false flag moves with it).
    pub fn apply_to(&self, engine: &Engine, post: &mut [f64]) {
        if post.len() != engine.hyps.len() {
            return;
        }
        let lead = engine.leader(post);
        let h = &engine.hyps[lead];
        if h.kind == HypothesisKind::Actor {
            let partner = engine
                .hyps
                .iter()
                .position(|x| x.kind == HypothesisKind::FalseFlag && x.actor == h.actor);
            self.apply(post, lead, partner);
        }
    }
}

/// The shipped recalibration ([`crate::fitted::CALIBRATION`]).
pub fn shipped() -> Recalibration {
    crate::fitted::CALIBRATION
}

/// An engine evaluation with the shipped recalibration applied to its
/// posterior (the hook `assess_evidence` calls).
pub fn calibrated(engine: &Engine, mut ev: Eval) -> Eval {
    crate::fitted::CALIBRATION.apply_to(engine, &mut ev.post);
    ev
}

/// A posterior with the shipped recalibration applied.
pub fn calibrated_posterior(engine: &Engine, mut post: Vec<f64>) -> Vec<f64> {
    crate::fitted::CALIBRATION.apply_to(engine, &mut post);
    post
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_are_monotone_and_bounded() {
        let maps = [
            Recalibration::Identity,
            Recalibration::Platt { a: 1.4, b: 0.3 },
            Recalibration::Isotonic {
                knots: Cow::Borrowed(&[(0.1, 0.05), (0.3, 0.45), (0.9, 0.95)]),
            },
        ];
        for m in &maps {
            let mut last = -1.0;
            for i in 0..=1000 {
                let g = m.map(i as f64 / 1000.0);
                assert!((0.0..=1.0).contains(&g));
                assert!(g >= last - 1e-12, "{m:?} decreases at {i}");
                last = g;
            }
        }
        let iso = &maps[2];
        assert!((iso.map(0.2) - 0.25).abs() < 1e-12);
        assert!((iso.map(0.05) - 0.025).abs() < 1e-12);
        assert_eq!(iso.map(0.0), 0.0);
        assert!((iso.map(0.95) - 0.975).abs() < 1e-12);
        assert_eq!(iso.map(1.0), 1.0);
    }

    #[test]
    fn apply_keeps_sum_order_and_the_false_flag_ratio() {
        let m = Recalibration::Platt { a: 1.5, b: 0.5 };
        // [unknown, X, Y, FF-X, FF-Y]
        let mut post = vec![0.2, 0.3, 0.25, 0.15, 0.1];
        m.apply(&mut post, 1, Some(3));
        assert!((post.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(post[1] + post[3] > 0.45, "the block grows");
        assert!(
            (post[3] / post[1] - 0.5).abs() < 1e-12,
            "false flag keeps its ratio"
        );
        assert!((post[0] / post[2] - 0.2 / 0.25).abs() < 1e-12);
        assert!(post[1] > post[2] && post[2] > post[0]);
        // a shrinking map never lets the runner-up overtake
        let down = Recalibration::Platt { a: 0.2, b: -3.0 };
        let mut post = vec![0.2, 0.35, 0.3, 0.1, 0.05];
        down.apply(&mut post, 1, Some(3));
        assert!(post[1] > post[2]);
        assert!((post.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // without a partner the leader alone is the block
        let mut post = vec![0.2, 0.35, 0.3, 0.15];
        m.apply(&mut post, 1, None);
        assert!((post.iter().sum::<f64>() - 1.0).abs() < 1e-12 && post[1] > 0.35);
        // degenerate posteriors are left alone
        let mut one = vec![0.0, 1.0];
        m.apply(&mut one, 1, None);
        assert_eq!(one, vec![0.0, 1.0]);
    }
}
