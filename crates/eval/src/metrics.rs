//! Ranking and calibration metrics, with ties counted at their expected rank.

use serde::Serialize;

/// How one method did on one case.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Outcome {
    /// Candidates scored strictly above the (best) true group.
    pub higher: usize,
    /// Other candidates tied with it.
    pub ties: usize,
    /// Probability given to the true group(s).
    pub p_true: f64,
    /// Probability of the top candidate.
    pub top_p: f64,
    /// Sum of squared probabilities over all candidates (for Brier).
    pub sum_sq: f64,
}

impl Outcome {
    /// Probability that the true group is within the top `k` when ties are
    /// broken at random.
    pub fn top_k(&self, k: usize) -> f64 {
        let k = k as f64;
        let h = self.higher as f64;
        ((k - h) / (self.ties as f64 + 1.0)).clamp(0.0, 1.0)
    }

    /// Expected reciprocal rank.
    pub fn rr(&self) -> f64 {
        let n = self.ties + 1;
        (0..n)
            .map(|j| 1.0 / (self.higher + 1 + j) as f64)
            .sum::<f64>()
            / n as f64
    }

    /// Multi-class Brier score: Σ (p − y)².
    pub fn brier(&self) -> f64 {
        (self.sum_sq - 2.0 * self.p_true + 1.0).max(0.0)
    }

    pub fn nll(&self) -> f64 {
        -self.p_true.max(1e-12).ln()
    }
}

/// Rank the true candidates among scored candidates. `scores[i]` is the score
/// of candidate `i`; `truth` are the true candidates' indices. `rest` more
/// candidates score `rest_score` each (actors not scored individually).
pub fn rank(scores: &[f64], truth: &[usize], rest: usize, rest_score: f64) -> (usize, usize) {
    const EPS: f64 = 1e-9;
    // a true candidate among the unscored rest is not its own competitor
    let rest = if truth.iter().any(|&i| i >= scores.len()) {
        rest.saturating_sub(1)
    } else {
        rest
    };
    let best = truth
        .iter()
        .filter_map(|&i| scores.get(i).copied())
        .fold(f64::NEG_INFINITY, f64::max);
    let best = if best.is_finite() { best } else { rest_score };
    let mut higher = 0;
    let mut ties = 0;
    for (i, &s) in scores.iter().enumerate() {
        if truth.contains(&i) {
            continue;
        }
        if s > best + EPS {
            higher += 1;
        } else if (s - best).abs() <= EPS {
            ties += 1;
        }
    }
    if rest_score > best + EPS {
        higher += rest;
    } else if (rest_score - best).abs() <= EPS {
        ties += rest;
    }
    (higher, ties)
}

/// Metrics over a set of outcomes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub n: usize,
    pub top1: f64,
    pub top3: f64,
    pub top5: f64,
    pub mrr: f64,
    pub brier: f64,
    pub ece: f64,
    pub nll: f64,
    /// Mean probability of the true group.
    pub mean_p_true: f64,
}

pub const BINS: usize = 10;

/// One bin of a reliability diagram.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Bin {
    pub lo: f64,
    pub hi: f64,
    pub n: usize,
    pub confidence: f64,
    pub accuracy: f64,
}

/// Reliability bins over the top candidate's probability.
pub fn reliability(outcomes: &[Outcome]) -> Vec<Bin> {
    reliability_bins(outcomes.iter().map(|o| (o.top_p, o.top_k(1))))
}

/// Reliability bins (`BINS` equal-width bins) over `(probability, 1 if
/// right else 0)` pairs: each bin's mean probability and accuracy.
pub fn reliability_bins(points: impl IntoIterator<Item = (f64, f64)>) -> Vec<Bin> {
    let mut bins: Vec<Bin> = (0..BINS)
        .map(|i| Bin {
            lo: i as f64 / BINS as f64,
            hi: (i + 1) as f64 / BINS as f64,
            ..Bin::default()
        })
        .collect();
    for (p, right) in points {
        let b = ((p * BINS as f64) as usize).min(BINS - 1);
        bins[b].n += 1;
        bins[b].confidence += p;
        bins[b].accuracy += right;
    }
    for b in &mut bins {
        if b.n > 0 {
            b.confidence /= b.n as f64;
            b.accuracy /= b.n as f64;
        }
    }
    bins
}

/// Expected calibration error of bins over `n` points.
pub fn ece(bins: &[Bin], n: usize) -> f64 {
    bins.iter()
        .map(|b| b.n as f64 / n.max(1) as f64 * (b.accuracy - b.confidence).abs())
        .sum()
}

pub fn summarize(outcomes: &[Outcome]) -> Summary {
    let n = outcomes.len();
    if n == 0 {
        return Summary::default();
    }
    let mean = |f: &dyn Fn(&Outcome) -> f64| outcomes.iter().map(f).sum::<f64>() / n as f64;
    let ece = ece(&reliability(outcomes), n);
    Summary {
        n,
        top1: mean(&|o| o.top_k(1)),
        top3: mean(&|o| o.top_k(3)),
        top5: mean(&|o| o.top_k(5)),
        mrr: mean(&|o| o.rr()),
        brier: mean(&|o| o.brier()),
        ece,
        nll: mean(&|o| o.nll()),
        mean_p_true: mean(&|o| o.p_true),
    }
}

/// Per-group macro average: each group's mean, then the mean over groups.
pub fn macro_summary(outcomes: &[(String, Outcome)]) -> Summary {
    let mut by: std::collections::BTreeMap<&str, Vec<Outcome>> = Default::default();
    for (g, o) in outcomes {
        by.entry(g.as_str()).or_default().push(*o);
    }
    let per: Vec<Summary> = by.values().map(|v| summarize(v)).collect();
    let k = per.len().max(1) as f64;
    let m = |f: &dyn Fn(&Summary) -> f64| per.iter().map(f).sum::<f64>() / k;
    Summary {
        n: per.len(),
        top1: m(&|s| s.top1),
        top3: m(&|s| s.top3),
        top5: m(&|s| s.top5),
        mrr: m(&|s| s.mrr),
        brier: m(&|s| s.brier),
        ece: m(&|s| s.ece),
        nll: m(&|s| s.nll),
        mean_p_true: m(&|s| s.mean_p_true),
    }
}

/// Softmax of `beta · score` over scored candidates plus `rest` candidates
/// at `rest_score`; returns (probabilities of scored, probability of each
/// rest candidate).
pub fn softmax(scores: &[f64], rest: usize, rest_score: f64, beta: f64) -> (Vec<f64>, f64) {
    let m = scores
        .iter()
        .copied()
        .chain((rest > 0).then_some(rest_score))
        .fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = scores.iter().map(|s| ((s - m) * beta).exp()).collect();
    let er = ((rest_score - m) * beta).exp();
    let z = e.iter().sum::<f64>() + rest as f64 * er;
    (e.iter().map(|x| x / z).collect(), er / z)
}

/// Outcome of a method that gives every candidate a score and a probability.
pub fn outcome(
    scores: &[f64],
    probs: &[f64],
    truth: &[usize],
    rest: usize,
    rest_score: f64,
    rest_p: f64,
) -> Outcome {
    let (higher, ties) = rank(scores, truth, rest, rest_score);
    let p_true: f64 = truth.iter().filter_map(|&i| probs.get(i)).sum::<f64>()
        + if truth.iter().any(|&i| i >= probs.len()) {
            rest_p
        } else {
            0.0
        };
    let top_p = probs
        .iter()
        .copied()
        .chain((rest > 0).then_some(rest_p))
        .fold(0.0, f64::max);
    let sum_sq = probs.iter().map(|p| p * p).sum::<f64>() + rest as f64 * rest_p * rest_p;
    Outcome {
        higher,
        ties,
        p_true,
        top_p,
        sum_sq,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_count_at_expected_rank() {
        let (h, t) = rank(&[1.0, 2.0, 2.0, 0.5], &[1], 0, 0.0);
        assert_eq!((h, t), (0, 1));
        let o = Outcome {
            higher: h,
            ties: t,
            ..Outcome::default()
        };
        assert!((o.top_k(1) - 0.5).abs() < 1e-12);
        assert!((o.top_k(2) - 1.0).abs() < 1e-12);
        assert!((o.rr() - 0.75).abs() < 1e-12);
    }

    #[test]
    fn rest_candidates_rank() {
        // truth scores 0 like 10 unscored candidates, one scored above
        let (h, t) = rank(&[3.0, 0.0], &[1], 10, 0.0);
        assert_eq!((h, t), (1, 10));
        // the true candidate is one of the 10 unscored ones
        let (h, t) = rank(&[3.0, 0.0], &[usize::MAX], 10, 0.0);
        assert_eq!((h, t), (1, 10));
    }

    #[test]
    fn brier_and_ece() {
        let probs = [0.7, 0.2, 0.1];
        let o = outcome(&[3.0, 2.0, 1.0], &probs, &[0], 0, 0.0, 0.0);
        assert!((o.brier() - (0.09 + 0.04 + 0.01)).abs() < 1e-12);
        let s = summarize(&[o]);
        assert!((s.ece - 0.3).abs() < 1e-12);
        assert_eq!(s.top1, 1.0);
    }

    #[test]
    fn softmax_sums_to_one() {
        let (p, r) = softmax(&[1.0, 2.0], 5, 0.0, 3.0);
        assert!((p.iter().sum::<f64>() + 5.0 * r - 1.0).abs() < 1e-12);
    }
}
