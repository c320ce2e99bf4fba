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

/// How an observed ECE compares with the ECE of a perfectly calibrated
/// model that gave the same cases the same confidences
/// ([`ece_consistency`]).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct EceNull {
    /// ECE of the points as observed.
    pub observed: f64,
    /// Mean ECE over the draws of a perfectly calibrated model.
    pub null_mean: f64,
    /// 95th percentile of those draws.
    pub null_p95: f64,
    /// Share of the draws at or above the observed ECE, counting the
    /// observation itself: `(1 + #{draw ≥ observed}) / (draws + 1)`.
    pub p_value: f64,
    pub draws: usize,
}

/// Consistency resampling (Bröcker and Smith 2007, "Increasing the
/// reliability of reliability diagrams"): draw every point's outcome as
/// right with exactly its stated probability, `draws` times, and compute the
/// ECE of each draw with the same bins. ECE is never zero on a finite
/// sample even for a perfectly calibrated model; this says how large it is
/// by chance alone for these confidences, and how often chance alone
/// reaches the observed value. `points` are `(probability, 1 if right else
/// 0)` (a tied top candidate counts its expected share, as in
/// [`Outcome::top_k`]). Deterministic for a given `seed`.
pub fn ece_consistency(points: &[(f64, f64)], draws: usize, seed: u64) -> EceNull {
    let n = points.len();
    let observed = ece(&reliability_bins(points.iter().copied()), n);
    if n == 0 || draws == 0 {
        return EceNull {
            observed,
            p_value: 1.0,
            draws,
            ..EceNull::default()
        };
    }
    let mut rng = SplitMix64(seed);
    let mut null: Vec<f64> = (0..draws)
        .map(|_| {
            let drawn = points.iter().map(|&(p, _)| {
                let right = if rng.unit() < p { 1.0 } else { 0.0 };
                (p, right)
            });
            ece(&reliability_bins(drawn), n)
        })
        .collect();
    null.sort_by(f64::total_cmp);
    // a draw equal to the observation, up to rounding, counts as reaching it
    let at_or_above = null.iter().filter(|&&e| e >= observed - 1e-12).count();
    let p95 = null[((draws as f64 * 0.95).ceil() as usize).clamp(1, draws) - 1];
    EceNull {
        observed,
        null_mean: null.iter().sum::<f64>() / draws as f64,
        null_p95: p95,
        p_value: (1 + at_or_above) as f64 / (draws + 1) as f64,
        draws,
    }
}

/// [`ece_consistency`] of the top candidate's probability over outcomes.
pub fn ece_consistency_of(outcomes: &[Outcome], draws: usize, seed: u64) -> EceNull {
    let points: Vec<(f64, f64)> = outcomes.iter().map(|o| (o.top_p, o.top_k(1))).collect();
    ece_consistency(&points, draws, seed)
}

/// SplitMix64 (Steele, Lea and Flood 2014): a small, fixed generator so that
/// the benchmark's resampling gives the same figures on every machine.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1), 53 bits.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
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

    #[test]
    fn ece_consistency_of_a_perfect_and_a_wrong_model() {
        // certain and right every time: no draw can differ from the data
        let sure: Vec<(f64, f64)> = (0..50).map(|_| (1.0, 1.0)).collect();
        let e = ece_consistency(&sure, 200, 7);
        assert_eq!(e.observed, 0.0);
        assert_eq!(e.null_mean, 0.0);
        assert_eq!(e.p_value, 1.0);
        // 90 % sure and always wrong: far outside what chance gives
        let wrong: Vec<(f64, f64)> = (0..100).map(|_| (0.9, 0.0)).collect();
        let e = ece_consistency(&wrong, 500, 7);
        assert!((e.observed - 0.9).abs() < 1e-12);
        assert!(e.null_p95 < 0.1, "{e:?}");
        assert_eq!(e.p_value, 1.0 / 501.0);
    }

    #[test]
    fn ece_of_chance_matches_the_binomial() {
        // one bin at p = 0.5 over n points: the null ECE is |k/n - 0.5| with
        // k ~ Binomial(n, 0.5), whose mean is about sqrt(0.25 / n) sqrt(2 / π)
        let n = 1000;
        let pts: Vec<(f64, f64)> = (0..n).map(|i| (0.5, (i % 2) as f64)).collect();
        let e = ece_consistency(&pts, 2000, 11);
        assert_eq!(e.observed, 0.0);
        let expected = (0.25 / n as f64).sqrt() * (2.0 / std::f64::consts::PI).sqrt();
        assert!(
            (e.null_mean - expected).abs() < 0.1 * expected,
            "{e:?} vs {expected}"
        );
        assert!(e.p_value > 0.9);
        // the same seed gives the same figures
        let again = ece_consistency(&pts, 2000, 11);
        assert_eq!(e.null_mean, again.null_mean);
        assert_eq!(e.null_p95, again.null_p95);
    }
}
