//! The evidence-combination engine: pure arithmetic over [`Evidence`] items.
//!
//! # Model
//!
//! Hypotheses are: *unknown actor* (the reference, every likelihood ratio is
//! measured against it), each knowledge-base actor, and *false flag imitating
//! X* for every actor X that some evidence supports.
//!
//! * **Reliability.** An item with likelihood ratio `lr` and reliability `r`
//!   is, with probability `1 - r`, noise: its effective ratio is
//!   `r·lr + (1 − r)`.
//! * **Dependence.** Items that share a dependence key, a forge-cost class
//!   and a saturation factor ρ are correlated (same sample, same echo chamber of reports). Per
//!   hypothesis, their positive log-ratios are sorted in decreasing order and
//!   the k-th counts `ρ^k`; the same for negative ones. One exact duplicate
//!   (same fingerprint) counts for nothing. Items of different groups add.
//! * **False flag.** Under "false flag imitating X" the true actor is someone
//!   else who planted evidence pointing at X. An item of forge-cost class c
//!   that supports X is reproduced by the forger with probability `q_c`
//!   (cheap 1, moderate 0.5, costly 0.05 by default), so the class's summed
//!   positive log-ratio `P_c` for X enters as `ln(q_c·e^{P_c} + 1 − q_c)`;
//!   everything else looks like the work of an unknown actor. Cheap evidence
//!   therefore cannot separate X from someone imitating X; only the prior
//!   ratio `κ` between the two does, which bounds what cheap evidence alone
//!   can achieve: `P(X) ≤ 1 / (1 + κ)`.
//! * **Priors.** `P(unknown) = p_u`; every knowledge-base actor X and the
//!   false flag imitating X share `1 − p_u` equally, in the ratio `1 : κ`.
//! * **Temperature.** All log-ratios are divided by `T` (calibration).

use ascribe_core::{Evidence, ForgeCost, HypothesisKind};
use std::collections::HashMap;

/// Engine parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Prior probability that the actor is not in the knowledge base.
    pub prior_unknown: f64,
    /// Prior of "false flag imitating X" relative to "X".
    pub false_flag_ratio: f64,
    /// Probability that a forger reproduces evidence of each class
    /// (cheap, moderate, costly).
    pub forge_success: [f64; 3],
    /// Divides every log-likelihood ratio.
    pub temperature: f64,
    /// γ of the activity prior: an actor's prior weight is
    /// `(1 + reports about it)^γ` (0 = every actor alike). See
    /// [`crate::actor_prior_weights`].
    pub activity_exponent: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            prior_unknown: crate::fitted::PRIOR_UNKNOWN,
            false_flag_ratio: 0.35,
            forge_success: [1.0, 0.5, 0.05],
            temperature: 1.0,
            activity_exponent: crate::fitted::ACTIVITY_EXPONENT,
        }
    }
}

fn class_idx(c: ForgeCost) -> usize {
    match c {
        ForgeCost::Cheap => 0,
        ForgeCost::Moderate => 1,
        ForgeCost::Costly => 2,
    }
}

/// A hypothesis of the engine.
#[derive(Debug, Clone, PartialEq)]
pub struct Hyp {
    pub kind: HypothesisKind,
    /// Actor id for actor and false-flag hypotheses.
    pub actor: Option<String>,
    /// Column of the actor in the log-ratio matrix.
    pub col: Option<usize>,
}

/// Result of one evaluation.
#[derive(Debug, Clone)]
pub struct Eval {
    /// Normalised posterior per hypothesis (same order as [`Engine::hyps`]).
    pub post: Vec<f64>,
    /// Log-likelihood ratio against the unknown actor, per hypothesis.
    pub score: Vec<f64>,
    /// Effective (reliability-, saturation- and temperature-adjusted)
    /// log-ratio per item and column.
    pub contrib: Vec<Vec<f64>>,
}

/// The engine, prepared for one set of items.
#[derive(Debug, Clone)]
pub struct Engine {
    pub params: Params,
    /// Number of actors in the knowledge base.
    pub n_actors: usize,
    /// Actor ids with explicit support, one column each; the last column
    /// (`active.len()`) stands for every other knowledge-base actor.
    pub active: Vec<String>,
    pub hyps: Vec<Hyp>,
    llr: Vec<Vec<f64>>,
    class: Vec<usize>,
    ff_llr: Vec<f64>,
    groups: Vec<(f64, Vec<usize>)>,
    /// For each item, the index of the earlier item it duplicates.
    pub duplicate_of: Vec<Option<usize>>,
    log_prior: Vec<f64>,
}

fn eff(lr: f64, r: f64) -> f64 {
    let lr = if lr.is_finite() {
        lr.clamp(1e-6, 1e6)
    } else {
        1.0
    };
    let r = if r.is_finite() {
        r.clamp(0.0, 1.0)
    } else {
        0.0
    };
    (r * lr + (1.0 - r)).ln()
}

fn log_sum_exp(v: &[f64]) -> f64 {
    let m = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    if !m.is_finite() {
        return m;
    }
    m + v.iter().map(|x| (x - m).exp()).sum::<f64>().ln()
}

impl Engine {
    /// Prepare the engine. `n_actors` is the size of the knowledge base's
    /// actor population (at least the number of supported actors).
    pub fn new(items: &[Evidence], n_actors: usize, params: Params) -> Engine {
        Self::with_prior_weights(items, n_actors, params, &HashMap::new())
    }

    /// Prepare the engine with relative prior weights of actors (by id;
    /// missing actors weigh 1, and the weights are rescaled so that the
    /// `n_actors` actors weigh `n_actors` in all: `P(unknown)` and the
    /// false-flag ratio stay as given).
    pub fn with_prior_weights(
        items: &[Evidence],
        n_actors: usize,
        params: Params,
        weights: &HashMap<String, f64>,
    ) -> Engine {
        let mut active: Vec<String> = Vec::new();
        let mut col: HashMap<&str, usize> = HashMap::new();
        for e in items {
            for s in &e.support {
                if !col.contains_key(s.actor.as_str()) {
                    col.insert(s.actor.as_str(), active.len());
                    active.push(s.actor.clone());
                }
            }
        }
        let n_actors = n_actors.max(active.len());
        let others = n_actors - active.len();
        let ncol = active.len() + 1;
        let mut llr = Vec::with_capacity(items.len());
        for e in items {
            let mut row = vec![eff(e.default_lr, e.reliability); ncol];
            for s in &e.support {
                row[col[s.actor.as_str()]] = eff(s.lr, e.reliability);
            }
            llr.push(row);
        }
        // duplicates and dependence groups
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut duplicate_of = vec![None; items.len()];
        let mut gidx: HashMap<(&str, usize, u64), usize> = HashMap::new();
        let mut groups: Vec<(f64, Vec<usize>)> = Vec::new();
        for (i, e) in items.iter().enumerate() {
            if let Some(&first) = seen.get(e.fingerprint.as_str()) {
                duplicate_of[i] = Some(first);
                continue;
            }
            seen.insert(e.fingerprint.as_str(), i);
            let rho = if e.rho.is_finite() {
                e.rho.clamp(0.0, 0.99)
            } else {
                0.0
            };
            // ρ is part of the key: an item can never change how strongly
            // the items already in a group saturate.
            let key = (
                e.dependence.as_str(),
                class_idx(e.forge_cost),
                rho.to_bits(),
            );
            match gidx.get(&key) {
                Some(&g) => groups[g].1.push(i),
                None => {
                    gidx.insert(key, groups.len());
                    groups.push((rho, vec![i]));
                }
            }
        }
        let class = items.iter().map(|e| class_idx(e.forge_cost)).collect();
        let ff_llr = items
            .iter()
            .map(|e| eff(e.false_flag_lr, e.reliability))
            .collect();
        // hypotheses
        let mut hyps = vec![Hyp {
            kind: HypothesisKind::UnknownActor,
            actor: None,
            col: None,
        }];
        for (j, a) in active.iter().enumerate() {
            hyps.push(Hyp {
                kind: HypothesisKind::Actor,
                actor: Some(a.clone()),
                col: Some(j),
            });
        }
        if others > 0 {
            hyps.push(Hyp {
                kind: HypothesisKind::OtherActors,
                actor: None,
                col: Some(active.len()),
            });
        }
        // A false flag for every actor, the unsupported ones aggregated like
        // their actor hypotheses: the hypothesis set (and so the prior) does
        // not depend on which actors the evidence happens to name.
        for (j, a) in active.iter().enumerate() {
            hyps.push(Hyp {
                kind: HypothesisKind::FalseFlag,
                actor: Some(a.clone()),
                col: Some(j),
            });
        }
        if others > 0 {
            hyps.push(Hyp {
                kind: HypothesisKind::FalseFlag,
                actor: None,
                col: Some(active.len()),
            });
        }
        let pu = params.prior_unknown.clamp(1e-6, 1.0 - 1e-6);
        // Unknown gets exactly p_u; each actor and its false flag share the
        // rest in the ratio 1 : κ.
        let kappa = params.false_flag_ratio.max(1e-9);
        let per_actor = (1.0 - pu) / (n_actors.max(1) as f64 * (1.0 + kappa));
        // relative weights: listed actors as given, the rest at 1
        let weight = |id: &str| -> f64 {
            weights
                .get(id)
                .copied()
                .filter(|w| w.is_finite() && *w > 0.0)
                .unwrap_or(1.0)
        };
        let listed: f64 = weights
            .values()
            .filter(|w| w.is_finite() && **w > 0.0)
            .sum();
        let unlisted = n_actors.saturating_sub(weights.len()) as f64;
        let total = (listed + unlisted).max(1e-300);
        let scale = n_actors.max(1) as f64 / total;
        let active_weight: f64 = active.iter().map(|a| weight(a)).sum();
        let others_weight = if others > 0 {
            ((total - active_weight) * scale).max(1e-12)
        } else {
            0.0
        };
        let log_prior = hyps
            .iter()
            .map(|h| {
                let w = match (&h.actor, h.kind) {
                    (_, HypothesisKind::UnknownActor) => 0.0,
                    (Some(a), _) => weight(a) * scale,
                    (None, _) => others_weight,
                };
                match h.kind {
                    HypothesisKind::UnknownActor => pu.ln(),
                    HypothesisKind::Actor | HypothesisKind::OtherActors => (per_actor * w).ln(),
                    HypothesisKind::FalseFlag => (w * per_actor * kappa).ln(),
                }
            })
            .collect();
        Engine {
            params,
            n_actors,
            active,
            hyps,
            llr,
            class,
            ff_llr,
            groups,
            duplicate_of,
            log_prior,
        }
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.llr.len()
    }

    /// Whether there are no items.
    pub fn is_empty(&self) -> bool {
        self.llr.is_empty()
    }

    /// Normalised prior per hypothesis.
    pub fn priors(&self) -> Vec<f64> {
        let z = log_sum_exp(&self.log_prior);
        self.log_prior.iter().map(|l| (l - z).exp()).collect()
    }

    /// Evaluate with every item.
    pub fn evaluate_all(&self) -> Eval {
        self.evaluate(&vec![true; self.len()])
    }

    /// Posterior only (no per-item contributions): the fast path used by
    /// the stress test.
    pub fn posterior(&self, mask: &[bool]) -> Vec<f64> {
        self.run(mask, false).post
    }

    /// Evaluate with the items where `mask` is true.
    pub fn evaluate(&self, mask: &[bool]) -> Eval {
        self.run(mask, true)
    }

    /// Effective log-ratio of item `i` under false-flag hypothesis `h`,
    /// given its effective contribution `x` to the imitated actor (for the
    /// ACH matrix).
    pub fn ff_marginal(&self, i: usize, x: f64) -> f64 {
        let q = self.params.forge_success[self.class[i]].clamp(0.0, 1.0);
        let t = if self.params.temperature > 0.0 {
            self.params.temperature
        } else {
            1.0
        };
        let v = if x <= 0.0 {
            0.0
        } else if q >= 1.0 {
            x
        } else {
            (q * x.exp() + (1.0 - q)).ln()
        };
        let extra = if self.duplicate_of[i].is_none() {
            self.ff_llr[i] / t
        } else {
            0.0
        };
        v + extra
    }

    fn run(&self, mask: &[bool], want_contrib: bool) -> Eval {
        let ncol = self.active.len() + 1;
        let t = if self.params.temperature > 0.0 {
            self.params.temperature
        } else {
            1.0
        };
        let mut contrib = if want_contrib {
            vec![vec![0.0; ncol]; self.len()]
        } else {
            Vec::new()
        };
        let mut total = vec![0.0; ncol];
        let mut pos = vec![[0.0f64; 3]; ncol];
        let mut buf: Vec<(f64, usize)> = Vec::new();
        for (rho, members) in &self.groups {
            for c in 0..ncol {
                for sign in [1.0, -1.0] {
                    buf.clear();
                    for &i in members {
                        if mask[i] {
                            let v = self.llr[i][c];
                            if v * sign > 0.0 {
                                buf.push((v, i));
                            }
                        }
                    }
                    // strongest first; ties broken by item order for determinism
                    buf.sort_by(|a, b| {
                        b.0.abs()
                            .partial_cmp(&a.0.abs())
                            .unwrap_or(std::cmp::Ordering::Equal)
                            .then(a.1.cmp(&b.1))
                    });
                    let mut w = 1.0;
                    for &(v, i) in &buf {
                        let x = w * v / t;
                        if want_contrib {
                            contrib[i][c] = x;
                        }
                        total[c] += x;
                        if x > 0.0 {
                            pos[c][self.class[i]] += x;
                        }
                        w *= rho;
                    }
                }
            }
        }
        let ff_extra: f64 = (0..self.len())
            .filter(|&i| mask[i] && self.duplicate_of[i].is_none())
            .map(|i| self.ff_llr[i] / t)
            .sum();
        let q = self.params.forge_success;
        let ff_score = |c: usize| -> f64 {
            (0..3)
                .map(|k| {
                    let qk = q[k].clamp(0.0, 1.0);
                    if qk >= 1.0 {
                        pos[c][k]
                    } else {
                        (qk * pos[c][k].exp() + (1.0 - qk)).ln()
                    }
                })
                .sum::<f64>()
                + ff_extra
        };
        let score: Vec<f64> = self
            .hyps
            .iter()
            .map(|h| match (h.kind, h.col) {
                (HypothesisKind::UnknownActor, _) => 0.0,
                (HypothesisKind::FalseFlag, Some(c)) => ff_score(c),
                (_, Some(c)) => total[c],
                _ => 0.0,
            })
            .collect();
        let lp: Vec<f64> = score
            .iter()
            .zip(&self.log_prior)
            .map(|(s, p)| s + p)
            .collect();
        let z = log_sum_exp(&lp);
        let post = lp.iter().map(|l| (l - z).exp()).collect();
        Eval {
            post,
            score,
            contrib,
        }
    }

    /// Index of the most probable single hypothesis (the aggregate of all
    /// unsupported actors is not a hypothesis anyone could act on, so it
    /// never leads).
    pub fn leader(&self, post: &[f64]) -> usize {
        let mut best = 0;
        for (i, p) in post.iter().enumerate() {
            if !self.is_aggregate(i) && *p > post[best] {
                best = i;
            }
        }
        best
    }

    /// Whether hypothesis `h` stands for many actors at once.
    pub fn is_aggregate(&self, h: usize) -> bool {
        let x = &self.hyps[h];
        x.kind == HypothesisKind::OtherActors
            || (x.kind == HypothesisKind::FalseFlag && x.actor.is_none())
    }

    /// Forge-cost class index of an item (0 cheap, 1 moderate, 2 costly).
    pub fn class_of(&self, i: usize) -> usize {
        self.class[i]
    }

    /// Raw (reliability-adjusted, unsaturated) log-ratio of item `i` for column `c`.
    pub fn raw(&self, i: usize, c: usize) -> f64 {
        self.llr[i][c]
    }
}
