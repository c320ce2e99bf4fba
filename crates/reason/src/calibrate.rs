//! Monotone recalibration of the final posterior.
//!
//! The engine's posterior, with the temperature fitted by least Brier
//! score, is under-confident where a knowledge-base actor leads with
//! 0.1–0.5 (measured on the fitting half of `bench/attack-campaigns`; see
//! BENCHMARKS.md). A single temperature cannot fix that without making the
//! confident verdicts over-confident, so the leader's probability goes
//! through a fitted increasing map `g`:
//!
//! * the leader `L` (the hypothesis [`Engine::leader`] names) gets `g(p_L)`;
//! * every other hypothesis is scaled by `(1 − g(p_L)) / (1 − p_L)`, so the
//!   posterior still sums to one and keeps its ratios between non-leaders;
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
    /// regression's block means); flat beyond the first and last knot.
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
                let k: &[(f64, f64)] = knots;
                match k {
                    [] => p,
                    [(_, y)] => y.clamp(0.0, 1.0),
                    _ => {
                        if p <= k[0].0 {
                            return k[0].1.clamp(0.0, 1.0);
                        }
                        for w in k.windows(2) {
                            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
                            if p <= x1 {
                                let t = if x1 > x0 { (p - x0) / (x1 - x0) } else { 1.0 };
                                return (y0 + t * (y1 - y0)).clamp(0.0, 1.0);
                            }
                        }
                        k[k.len() - 1].1.clamp(0.0, 1.0)
                    }
                }
            }
        }
    }

    /// Recalibrate a normalised posterior whose leader is `leader`: the
    /// leader gets `g(p)`, the others share the rest in their old ratios,
    /// and nobody overtakes the leader.
    pub fn apply(&self, post: &mut [f64], leader: usize) {
        let Some(&p) = post.get(leader) else { return };
        if !(p > 0.0 && p < 1.0) {
            return;
        }
        let runner_up = post
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != leader)
            .map(|(_, &x)| x)
            .fold(0.0, f64::max);
        // g ≥ q/(1 − p + q) keeps the runner-up q below the leader
        let floor = runner_up / (1.0 - p + runner_up) * (1.0 + 1e-9);
        let g = self.map(p).max(floor).min(1.0 - 1e-12);
        if !g.is_finite() {
            return;
        }
        let scale = (1.0 - g) / (1.0 - p);
        for (i, x) in post.iter_mut().enumerate() {
            if i == leader {
                *x = g;
            } else {
                *x *= scale;
            }
        }
    }

    /// Recalibrate an engine posterior (only when a knowledge-base actor
    /// leads).
    pub fn apply_to(&self, engine: &Engine, post: &mut [f64]) {
        if post.len() != engine.hyps.len() {
            return;
        }
        let lead = engine.leader(post);
        if engine.hyps[lead].kind == HypothesisKind::Actor {
            self.apply(post, lead);
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
        assert!((iso.map(0.0) - 0.05).abs() < 1e-12);
        assert!((iso.map(1.0) - 0.95).abs() < 1e-12);
    }

    #[test]
    fn apply_keeps_sum_and_order() {
        let m = Recalibration::Platt { a: 1.5, b: 0.5 };
        let mut post = vec![0.2, 0.35, 0.3, 0.15];
        m.apply(&mut post, 1);
        assert!((post.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(post[1] > 0.35);
        assert!(post[1] > post[2] && post[2] > post[0] && post[0] > post[3]);
        // ratios between non-leaders unchanged
        assert!((post[0] / post[2] - 0.2 / 0.3).abs() < 1e-12);
        // a shrinking map never lets the runner-up overtake
        let down = Recalibration::Platt { a: 0.2, b: -3.0 };
        let mut post = vec![0.2, 0.35, 0.3, 0.15];
        down.apply(&mut post, 1);
        assert!(post[1] > post[2]);
        assert!((post.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // degenerate posteriors are left alone
        let mut one = vec![0.0, 1.0];
        m.apply(&mut one, 1);
        assert_eq!(one, vec![0.0, 1.0]);
    }
}
