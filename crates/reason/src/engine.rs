//! The evidence-combination engine: pure arithmetic over [`Evidence`] items.
//!
//! # Model
//!
//! Hypotheses are: *unknown actor* (the reference, every likelihood ratio is
//! measured against it), each knowledge-base actor, *false flag imitating
//! X* for every actor X (actors no evidence names, and their false flags,
//! are aggregated in one column each), and the hypotheses the analyst
//! declared ([`DeclaredHypothesis`]: an insider, hacktivists…).
//!
//! * **Reliability.** An item with likelihood ratio `lr` and reliability `r`
//!   is, with probability `1 - r`, noise: its effective ratio is
//!   `r·lr + (1 − r)`.
//! * **Dependence.** Items that share a dependence key, a forge-cost class
//!   and a saturation factor ρ are correlated (same sample, same echo chamber of reports). Per
//!   hypothesis, their positive log-ratios are sorted in decreasing order and
//!   the k-th counts `ρ^k`; the same for negative ones. One exact duplicate
//!   (same fingerprint) counts for nothing. Items of different groups add.
//! * **False flag.** Under "false flag imitating X" the true actor is
//!   someone else who set out to look like X. For each forge-cost class c
//!   the forger either carries off the imitation of what X would leave of
//!   that class (probability `q_c`: cheap 1, moderate 0.5, costly 0.05 by
//!   default) — then the class's evidence is distributed as under X — or it
//!   does not, and the class looks like the work of an unknown actor. With
//!   `S_c` the class's summed (saturated, signed) log-ratio for X, the
//!   class enters as `ln(q_c·e^{S_c} + 1 − q_c)`. Ordinary evidence
//!   therefore speaks to X and to its imitator alike — a technique missing
//!   from X's profile counts against both, not only against X — and only
//!   three things separate the twins: what the forger could not reproduce
//!   (`q_c < 1`), tampering, and the prior ratio `κ`. Cheap evidence
//!   (`q = 1`) cannot separate them at all, which bounds what cheap evidence
//!   alone can achieve: `P(X) ≤ 1 / (1 + κ)`.
//! * **Tampering.** An item with `false_flag_lr ≠ 1` (a Rich header that
//!   contradicts the linker, a transplanted signature, infrastructure known
//!   to be hijacked) is evidence that someone imitated *the actor the
//!   forged artifact points to*: its ratio multiplies only the false-flag
//!   hypotheses of `false_flag_targets`. With no target given, it applies
//!   to the actor(s) that the case's forgeable (cheap and moderate) items
//!   support most (the largest summed positive log-ratio; ties all get it):
//!   a forger plants what points at its target. An item with no target and
//!   no forgeable support weighs nothing.
//! * **Priors.** `P(unknown) = p_u − Σ declared priors`; every
//!   knowledge-base actor X and the false flag imitating X share `1 − p_u`
//!   in the ratio `1 : κ` (weighted by the activity prior). A declared
//!   hypothesis gets the prior the analyst states, taken out of `p_u` (it is
//!   a refinement of "an actor not in the knowledge base"); the declared
//!   priors are capped so that together they take at most
//!   [`DECLARED_SHARE_MAX`] of `p_u` (scaled down proportionally beyond),
//!   leaving *unknown* a floor. Evidence speaks to a declared hypothesis
//!   through support for `declared:<id>`; where it says nothing, its ratio
//!   against *unknown* is 1, so with no evidence it keeps its prior, and
//!   adding one never changes the ratios between knowledge-base actors.
//! * **Unknown groups of states** ([`crate::unknown_states`]): with a
//!   list of states and their shares ([`Engine::with_hypotheses`]), the
//!   unknown actor's prior (what the declared hypotheses leave of it) is
//!   split: each state S gets its share, divided `1 : κ` between *an
//!   unknown group of S* and *a false flag posing as S*; the stateless
//!   unknown (the reference) keeps the rest. Support for `state:S` speaks
//!   to S's column; where an item says nothing its ratio is 1, like a
//!   declared hypothesis's. The false flag posing as S mixes S's classes
//!   as an actor's false flag does, so cheap state markers never separate
//!   S's unknown group from someone posing as S.
//! * **Temperature.** All log-ratios are divided by `T` (calibration).

use ascribe_core::{DeclaredHypothesis, Evidence, ForgeCost, HypothesisKind, DECLARED_PREFIX};
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
    /// β of the unknown groups of states: the chance that a state's
    /// unknown group behaves like one of the state's known groups on
    /// actor-specific evidence (see [`crate::unknown_states`]).
    pub state_resemblance: f64,
    /// The same for costly items (private code, signing keys): another
    /// group of the state has them only if it shares the assets.
    pub state_resemblance_costly: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            prior_unknown: crate::fitted::PRIOR_UNKNOWN,
            false_flag_ratio: 0.35,
            forge_success: [1.0, 0.5, 0.05],
            temperature: 1.0,
            activity_exponent: crate::fitted::ACTIVITY_EXPONENT,
            state_resemblance: crate::fitted::STATE_RESEMBLANCE,
            state_resemblance_costly: crate::fitted::STATE_RESEMBLANCE_COSTLY,
        }
    }
}

/// The largest share of `P(unknown)` that declared hypotheses may take
/// together: *an actor not in the knowledge base and not declared* keeps at
/// least 10 % of `p_u`.
pub const DECLARED_SHARE_MAX: f64 = 0.9;

/// Priors of declared hypotheses as the engine uses them: each clamped to
/// `[0, p_u]` (non-finite → 0), and all scaled down together when they sum
/// above `DECLARED_SHARE_MAX · p_u`. Returns the priors and whether any was
/// changed.
pub fn declared_priors(declared: &[DeclaredHypothesis], p_u: f64) -> (Vec<f64>, bool) {
    let mut changed = false;
    let mut v: Vec<f64> = declared
        .iter()
        .map(|d| {
            let p = if d.prior.is_finite() {
                d.prior.clamp(0.0, p_u)
            } else {
                0.0
            };
            changed |= p != d.prior;
            p
        })
        .collect();
    let sum: f64 = v.iter().sum();
    let cap = DECLARED_SHARE_MAX * p_u;
    if sum > cap {
        changed = true;
        for p in &mut v {
            *p *= cap / sum;
        }
    }
    (v, changed)
}

/// `ln(q·e^s + 1 − q)`, computed stably: the log-ratio of a class of
/// evidence under "false flag imitating X" when `s` is its log-ratio under X.
pub fn forge_mix(q: f64, s: f64) -> f64 {
    let q = if q.is_finite() {
        q.clamp(0.0, 1.0)
    } else {
        0.0
    };
    if q >= 1.0 {
        s
    } else if q <= 0.0 {
        0.0
    } else {
        let a = q.ln() + s;
        let b = (1.0 - q).ln();
        let m = a.max(b);
        m + ((a - m).exp() + (b - m).exp()).ln()
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
    /// Actor id for actor and false-flag hypotheses; the declared
    /// hypothesis's id (without `declared:`) for declared ones.
    pub actor: Option<String>,
    /// Column of the actor in the log-ratio matrix.
    pub col: Option<usize>,
    /// The state (ISO 3166 alpha-2) of *an unknown group of S* and of *a
    /// false flag posing as S*; `None` for every other hypothesis.
    pub state: Option<String>,
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
    /// Actor ids with explicit support, one column each; column
    /// `active.len()` stands for every other knowledge-base actor, and the
    /// declared hypotheses follow it.
    pub active: Vec<String>,
    /// The declared hypotheses, in the order of their columns.
    pub declared: Vec<DeclaredHypothesis>,
    /// The states with an unknown-group hypothesis, in the order of their
    /// columns (after the declared ones), with their share of the unknown
    /// actor's prior.
    pub states: Vec<(String, f64)>,
    pub hyps: Vec<Hyp>,
    llr: Vec<Vec<f64>>,
    class: Vec<usize>,
    ff_llr: Vec<f64>,
    /// Per item, the columns whose false-flag hypothesis its tampering
    /// ratio multiplies.
    ff_cols: Vec<Vec<usize>>,
    groups: Vec<(f64, Vec<usize>)>,
    /// For each item, the index of the earlier item it duplicates.
    pub duplicate_of: Vec<Option<usize>>,
    log_prior: Vec<f64>,
}

/// The relative prior weight of an actor: as given when positive and
/// finite, else 1 (actors the activity prior does not list).
pub fn prior_weight(weights: &HashMap<String, f64>, id: &str) -> f64 {
    weights
        .get(id)
        .copied()
        .filter(|w| w.is_finite() && *w > 0.0)
        .unwrap_or(1.0)
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
        Self::with_declared(items, n_actors, params, weights, &[])
    }

    /// Prepare the engine with prior weights and the analyst's declared
    /// hypotheses (see the module documentation for their priors). Support
    /// for `declared:<id>` speaks to the declared hypothesis `<id>`; support
    /// for a `declared:` id that is not declared is ignored.
    pub fn with_declared(
        items: &[Evidence],
        n_actors: usize,
        params: Params,
        weights: &HashMap<String, f64>,
        declared: &[DeclaredHypothesis],
    ) -> Engine {
        Self::with_hypotheses(items, n_actors, params, weights, declared, &[])
    }

    /// Prepare the engine with prior weights, declared hypotheses and the
    /// states whose unknown group is a hypothesis (`(ISO code, share)`:
    /// the share of the unknown actor's prior that *an unknown group of S*
    /// and *a false flag posing as S* take together, in the ratio `1 : κ`;
    /// shares are clamped to `[0, 1]` and scaled down to sum at most 1,
    /// the stateless unknown keeps the rest). Support for `state:<code>`
    /// speaks to the state's unknown group; support for a state not listed
    /// is ignored. With no states this is [`Self::with_declared`].
    pub fn with_hypotheses(
        items: &[Evidence],
        n_actors: usize,
        params: Params,
        weights: &HashMap<String, f64>,
        declared: &[DeclaredHypothesis],
        states: &[(String, f64)],
    ) -> Engine {
        use crate::unknown_states::STATE_PREFIX;
        // states: first listing of a code wins, shares sanitised
        let mut st: Vec<(String, f64)> = Vec::new();
        for (c, sh) in states {
            let c = c.trim().to_ascii_uppercase();
            if c.is_empty() || st.iter().any(|x| x.0 == c) {
                continue;
            }
            let sh = if sh.is_finite() {
                sh.clamp(0.0, 1.0)
            } else {
                0.0
            };
            st.push((c, sh));
        }
        let st_sum: f64 = st.iter().map(|x| x.1).sum();
        if st_sum > 1.0 {
            for x in &mut st {
                x.1 /= st_sum;
            }
        }
        // declared hypotheses: one column each, first declaration of an id wins
        let mut decl: Vec<DeclaredHypothesis> = Vec::new();
        for d in declared {
            if !decl.iter().any(|x| x.id == d.id) {
                decl.push(d.clone());
            }
        }
        let mut active: Vec<String> = Vec::new();
        let mut col: HashMap<&str, usize> = HashMap::new();
        for e in items {
            let ids = e
                .support
                .iter()
                .map(|s| s.actor.as_str())
                .chain(e.false_flag_targets.iter().map(|s| s.as_str()));
            for a in ids {
                if a.starts_with(DECLARED_PREFIX) || a.starts_with(STATE_PREFIX) {
                    continue;
                }
                if !col.contains_key(a) {
                    col.insert(a, active.len());
                    active.push(a.to_string());
                }
            }
        }
        let others_col = active.len();
        // keyed by the full support id (`declared:<id>`), which no actor id has
        let decl_col: HashMap<String, usize> = decl
            .iter()
            .enumerate()
            .map(|(k, d)| (d.support_id(), others_col + 1 + k))
            .collect();
        let state_col: HashMap<String, usize> = st
            .iter()
            .enumerate()
            .map(|(k, (c, _))| {
                (
                    format!("{STATE_PREFIX}{c}"),
                    others_col + 1 + decl.len() + k,
                )
            })
            .collect();
        let n_actors = n_actors.max(active.len());
        let others = n_actors - active.len();
        let ncol = active.len() + 1 + decl.len() + st.len();
        let mut llr = Vec::with_capacity(items.len());
        for e in items {
            let d = eff(e.default_lr, e.reliability);
            let mut row = vec![d; ncol];
            // declared hypotheses and the states' unknown groups are
            // refinements of "unknown": ratio 1 unless the item speaks to them
            for v in row.iter_mut().skip(others_col + 1) {
                *v = 0.0;
            }
            for s in &e.support {
                let c = if s.actor.starts_with(DECLARED_PREFIX) {
                    decl_col.get(s.actor.as_str()).copied()
                } else if s.actor.starts_with(STATE_PREFIX) {
                    s.actor
                        .strip_prefix(STATE_PREFIX)
                        .and_then(|c| {
                            state_col.get(&format!("{STATE_PREFIX}{}", c.to_ascii_uppercase()))
                        })
                        .copied()
                } else {
                    col.get(s.actor.as_str()).copied()
                };
                if let Some(c) = c {
                    row[c] = eff(s.lr, e.reliability);
                }
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
        let class: Vec<usize> = items.iter().map(|e| class_idx(e.forge_cost)).collect();
        let ff_llr: Vec<f64> = items
            .iter()
            .map(|e| eff(e.false_flag_lr, e.reliability))
            .collect();
        // where tampering points: the targets given, else the actor column(s)
        // the forgeable items support most
        let fallback: Vec<usize> = {
            let mut sum = vec![0.0f64; active.len()];
            for i in 0..items.len() {
                if class[i] == 2 || ff_llr[i] != 0.0 || duplicate_of[i].is_some() {
                    continue;
                }
                for (c, s) in sum.iter_mut().enumerate() {
                    if llr[i][c] > 0.0 {
                        *s += llr[i][c];
                    }
                }
            }
            let best = sum.iter().cloned().fold(0.0f64, f64::max);
            if best > 1e-12 {
                (0..active.len())
                    .filter(|&c| sum[c] >= best * (1.0 - 1e-9))
                    .collect()
            } else {
                Vec::new()
            }
        };
        let ff_cols: Vec<Vec<usize>> = items
            .iter()
            .enumerate()
            .map(|(i, e)| {
                if ff_llr[i] == 0.0 {
                    Vec::new()
                } else if e.false_flag_targets.is_empty() {
                    fallback.clone()
                } else {
                    let mut v: Vec<usize> = e
                        .false_flag_targets
                        .iter()
                        .filter_map(|a| col.get(a.as_str()).copied())
                        .collect();
                    v.sort_unstable();
                    v.dedup();
                    v
                }
            })
            .collect();
        // hypotheses
        let mut hyps = vec![Hyp {
            kind: HypothesisKind::UnknownActor,
            actor: None,
            col: None,
            state: None,
        }];
        for (j, a) in active.iter().enumerate() {
            hyps.push(Hyp {
                kind: HypothesisKind::Actor,
                actor: Some(a.clone()),
                col: Some(j),
                state: None,
            });
        }
        if others > 0 {
            hyps.push(Hyp {
                kind: HypothesisKind::OtherActors,
                actor: None,
                col: Some(active.len()),
                state: None,
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
                state: None,
            });
        }
        if others > 0 {
            hyps.push(Hyp {
                kind: HypothesisKind::FalseFlag,
                actor: None,
                col: Some(active.len()),
                state: None,
            });
        }
        for (k, d) in decl.iter().enumerate() {
            hyps.push(Hyp {
                kind: HypothesisKind::Declared,
                actor: Some(d.id.clone()),
                col: Some(others_col + 1 + k),
                state: None,
            });
        }
        // the states' unknown groups, then the false flags posing as them
        let first_state_col = others_col + 1 + decl.len();
        for (k, (c, _)) in st.iter().enumerate() {
            hyps.push(Hyp {
                kind: HypothesisKind::UnknownActor,
                actor: None,
                col: Some(first_state_col + k),
                state: Some(c.clone()),
            });
        }
        for (k, (c, _)) in st.iter().enumerate() {
            hyps.push(Hyp {
                kind: HypothesisKind::FalseFlag,
                actor: None,
                col: Some(first_state_col + k),
                state: Some(c.clone()),
            });
        }
        let pu = params.prior_unknown.clamp(1e-6, 1.0 - 1e-6);
        let (decl_prior, _) = declared_priors(&decl, pu);
        let p_unknown = (pu - decl_prior.iter().sum::<f64>()).max(pu * (1.0 - DECLARED_SHARE_MAX));
        // Unknown gets what the declared hypotheses leave of p_u; each actor
        // and its false flag share the rest in the ratio 1 : κ.
        let kappa = params.false_flag_ratio.max(1e-9);
        let per_actor = (1.0 - pu) / (n_actors.max(1) as f64 * (1.0 + kappa));
        // relative weights: listed actors as given, the rest at 1
        let weight = |id: &str| prior_weight(weights, id);
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
        let state_share: HashMap<&str, f64> = st.iter().map(|(c, s)| (c.as_str(), *s)).collect();
        let stateless = (1.0 - st.iter().map(|x| x.1).sum::<f64>()).max(0.0);
        let state_prior = |c: &str| -> f64 {
            p_unknown * state_share.get(c).copied().unwrap_or(0.0) / (1.0 + kappa)
        };
        let mut k_decl = 0usize;
        let log_prior = hyps
            .iter()
            .map(|h| {
                if let Some(c) = h.state.as_deref() {
                    let p = state_prior(c);
                    return if h.kind == HypothesisKind::FalseFlag {
                        (p * kappa).max(1e-300).ln()
                    } else {
                        p.max(1e-300).ln()
                    };
                }
                let w = match (&h.actor, h.kind) {
                    (_, HypothesisKind::UnknownActor | HypothesisKind::Declared) => 0.0,
                    (Some(a), _) => weight(a) * scale,
                    (None, _) => others_weight,
                };
                match h.kind {
                    HypothesisKind::UnknownActor => (p_unknown * stateless).max(1e-300).ln(),
                    HypothesisKind::Actor | HypothesisKind::OtherActors => (per_actor * w).ln(),
                    HypothesisKind::FalseFlag => (w * per_actor * kappa).ln(),
                    HypothesisKind::Declared => {
                        let p = decl_prior[k_decl];
                        k_decl += 1;
                        p.max(1e-300).ln()
                    }
                }
            })
            .collect();
        Engine {
            params,
            n_actors,
            active,
            declared: decl,
            states: st,
            hyps,
            llr,
            class,
            ff_llr,
            ff_cols,
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

    /// Effective log-ratio of item `i` under the false flag imitating the
    /// actor of column `c`, given its effective contribution `x` to that
    /// actor (for the ACH matrix; the engine mixes whole classes, this is
    /// the item taken alone).
    pub fn ff_marginal(&self, i: usize, c: usize, x: f64) -> f64 {
        let q = self.params.forge_success[self.class[i]];
        let t = if self.params.temperature > 0.0 {
            self.params.temperature
        } else {
            1.0
        };
        let extra = if self.duplicate_of[i].is_none() && self.ff_cols[i].contains(&c) {
            self.ff_llr[i] / t
        } else {
            0.0
        };
        forge_mix(q, x) + extra
    }

    /// The columns whose false-flag hypothesis item `i`'s tampering ratio
    /// multiplies (empty for ordinary items).
    pub fn false_flag_columns(&self, i: usize) -> &[usize] {
        &self.ff_cols[i]
    }

    fn run(&self, mask: &[bool], want_contrib: bool) -> Eval {
        let ncol = self.active.len() + 1 + self.declared.len() + self.states.len();
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
        // signed log-ratio per column and forge-cost class (false flags)
        let mut net = vec![[0.0f64; 3]; ncol];
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
                        net[c][self.class[i]] += x;
                        w *= rho;
                    }
                }
            }
        }
        let mut ff_extra = vec![0.0f64; ncol];
        for (i, cols) in self.ff_cols.iter().enumerate() {
            if mask[i] && self.duplicate_of[i].is_none() {
                for &c in cols {
                    ff_extra[c] += self.ff_llr[i] / t;
                }
            }
        }
        let q = self.params.forge_success;
        let ff_score = |c: usize| -> f64 {
            (0..3).map(|k| forge_mix(q[k], net[c][k])).sum::<f64>() + ff_extra[c]
        };
        let score: Vec<f64> = self
            .hyps
            .iter()
            .map(|h| match (h.kind, h.col) {
                (HypothesisKind::UnknownActor, None) => 0.0,
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
    /// Declared hypotheses are single hypotheses, never aggregates.
    pub fn is_aggregate(&self, h: usize) -> bool {
        let x = &self.hyps[h];
        x.kind == HypothesisKind::OtherActors
            || (x.kind == HypothesisKind::FalseFlag && x.actor.is_none() && x.state.is_none())
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
