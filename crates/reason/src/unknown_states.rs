//! Unknown groups of a state: "an actor not in the knowledge base" split by
//! state.
//!
//! One unknown actor with no state cannot take evidence that points at a
//! state (a language, an operator's origin, a claim naming the state or one
//! of its organisations) when no known group of that state explains the
//! rest of the case: that evidence lifted only the state's *known* groups.
//! So `P(unknown)` is split into one hypothesis per state, *an unknown
//! group of S*, plus a stateless remainder (the hypothesis `unknown`).
//!
//! * **Prior (a rule).** The unknown mass is split in the proportions of
//!   the knowledge base's actors, each weighing its activity weight: state
//!   `S` gets `Σ_{a∈S} w_a / Σ_a w_a` of it, and the stateless remainder
//!   keeps the share of actors with no state (criminal groups, actors of
//!   no known origin). Counting each actor once (`n_S / N`) is the
//!   alternative; [`crate::fitted::STATE_SHARES_BY_ACTIVITY`] says which
//!   is shipped (the weighted rule: it fits the open set's fitting half
//!   better). Each state's share is
//!   itself split `1 : κ` between *an unknown group of S* and *a false flag
//!   posing as S* (see [`crate::engine`]): cheap state markers can never
//!   separate the two, so they cannot carry a state verdict alone.
//! * **Evidence with a state direction** speaks to `state:S` explicitly:
//!   the builders give *an unknown group of S* the ratio they give S's
//!   actors for the state marker (language, working hours, hosting
//!   country, an operator's connection from S's address space, overlap
//!   with "infrastructure of S", a claim naming S or one of its
//!   organisations). Ratios against the stateless unknown, like every
//!   ratio.
//! * **Evidence about actors** (techniques, software, code, infrastructure
//!   of an actor, toolchain artifacts) speaks to a state's unknown group
//!   through [`augment`]: such a group resembles the state's known groups
//!   only weakly. Under *an unknown group of S*, an item is distributed as
//!   under a known group of S drawn by the prior (the activity weights)
//!   with probability `β`, and as under an unknown actor otherwise, so its
//!   ratio is `β · mean_S(lr) + 1 − β`. `β` depends on the item's forge
//!   cost: [`crate::fitted::STATE_RESEMBLANCE`] for cheap and moderate
//!   items (habits, tools, infrastructure: what a state's groups share),
//!   [`crate::fitted::STATE_RESEMBLANCE_COSTLY`] for costly ones (private
//!   code, signing keys: what only the group holds).
//!
//! Nothing here names a state: the states are those of the knowledge
//! base's actors.

use ascribe_core::{ActorSupport, Evidence};
use ascribe_kb::KnowledgeBase;
use std::collections::{BTreeMap, HashMap};

/// Support id of *an unknown group of state S*: `state:<ISO 3166 alpha-2>`.
pub const STATE_PREFIX: &str = "state:";

/// The support id of a state's unknown group.
pub fn support_id(iso2: &str) -> String {
    format!("{STATE_PREFIX}{}", iso2.to_ascii_uppercase())
}

/// The states of the knowledge base's actors with their share of the
/// unknown actor's prior, sorted by code, by the shipped rule
/// ([`crate::fitted::STATE_SHARES_BY_ACTIVITY`]). The stateless remainder
/// is `1 − Σ shares`.
pub fn state_shares(kb: &KnowledgeBase) -> Vec<(String, f64)> {
    if crate::fitted::STATE_SHARES_BY_ACTIVITY {
        let w = crate::actor_prior_weights(kb, crate::fitted::ACTIVITY_EXPONENT);
        state_shares_with(kb, Some(&w))
    } else {
        state_shares_with(kb, None)
    }
}

/// The states' shares of the knowledge base's actors: each actor counts 1
/// (`weights` `None`: `n_S / N`), or its activity weight
/// (`Σ_{a∈S} w_a / Σ_a w_a`, actors missing from `weights` at 1).
pub fn state_shares_with(
    kb: &KnowledgeBase,
    weights: Option<&HashMap<String, f64>>,
) -> Vec<(String, f64)> {
    let w = |id: &str| weights.map_or(1.0, |m| crate::engine::prior_weight(m, id));
    let total: f64 = kb.actors.iter().map(|a| w(&a.id)).sum();
    if kb.actors.is_empty() || total <= 0.0 {
        return Vec::new();
    }
    let mut sum: BTreeMap<String, f64> = BTreeMap::new();
    for a in &kb.actors {
        if let Some(s) = crate::actor_state(a) {
            let s = s.trim().to_ascii_uppercase();
            if !s.is_empty() {
                *sum.entry(s).or_default() += w(&a.id);
            }
        }
    }
    sum.into_iter().map(|(s, c)| (s, c / total)).collect()
}

/// The knowledge base's actors by state (indices), with their prior
/// weights (as [`crate::actor_prior_weights`] gives them; 1 when absent).
fn actors_by_state<'k>(
    kb: &'k KnowledgeBase,
    weights: &HashMap<String, f64>,
) -> BTreeMap<String, Vec<(&'k str, f64)>> {
    let mut out: BTreeMap<String, Vec<(&str, f64)>> = BTreeMap::new();
    for a in &kb.actors {
        if let Some(s) = crate::actor_state(a) {
            let s = s.trim().to_ascii_uppercase();
            if s.is_empty() {
                continue;
            }
            out.entry(s)
                .or_default()
                .push((a.id.as_str(), crate::engine::prior_weight(weights, &a.id)));
        }
    }
    out
}

/// Give every item that does not already speak to a state's unknown group
/// its resemblance ratio for each state: `β · mean_S(lr) + 1 − β`, the
/// mean over S's actors weighted by the prior weights (unlisted actors at
/// the item's default ratio). `β` is `beta` for cheap and moderate items
/// (habits, tools, infrastructure conventions: what groups of one state
/// share) and `beta_costly` for costly ones (a group's private code or
/// signing key: what another group has only if it shares the assets).
/// Tampering items (a false-flag ratio) and items of the analyst's
/// declared hypotheses are left alone; ratios within 1e-6 of 1 are not
/// listed. A `β ≤ 0` leaves its items alone.
pub fn augment(
    items: &mut [Evidence],
    kb: &KnowledgeBase,
    weights: &HashMap<String, f64>,
    beta: f64,
    beta_costly: f64,
) {
    let clean = |b: f64| {
        if b.is_finite() {
            b.clamp(0.0, 1.0)
        } else {
            0.0
        }
    };
    let (beta_open, beta_costly) = (clean(beta), clean(beta_costly));
    if beta_open <= 0.0 && beta_costly <= 0.0 {
        return;
    }
    let by_state = actors_by_state(kb, weights);
    for e in items.iter_mut() {
        let beta = if e.forge_cost == ascribe_core::ForgeCost::Costly {
            beta_costly
        } else {
            beta_open
        };
        if beta <= 0.0 {
            continue;
        }
        if e.false_flag_lr != 1.0
            || e.support.is_empty()
            || e.support.iter().any(|s| {
                s.actor.starts_with(STATE_PREFIX)
                    || s.actor.starts_with(ascribe_core::DECLARED_PREFIX)
            })
        {
            continue;
        }
        let listed: HashMap<&str, f64> =
            e.support.iter().map(|s| (s.actor.as_str(), s.lr)).collect();
        let default = if e.default_lr.is_finite() && e.default_lr > 0.0 {
            e.default_lr
        } else {
            1.0
        };
        let mut add: Vec<ActorSupport> = Vec::new();
        for (state, actors) in &by_state {
            let (mut num, mut den) = (0.0, 0.0);
            let mut any = false;
            for &(id, w) in actors {
                let lr = match listed.get(id) {
                    Some(&x) if x.is_finite() && x > 0.0 => {
                        any = true;
                        x
                    }
                    _ => default,
                };
                num += w * lr;
                den += w;
            }
            if !any || den <= 0.0 {
                continue;
            }
            let lr = beta * (num / den) + 1.0 - beta;
            if (lr - 1.0).abs() < 1e-6 {
                continue;
            }
            add.push(ActorSupport {
                actor: support_id(state),
                lr,
                why: format!(
                    "an unknown group of {state} resembles {state}'s {} known group(s) weakly (β = {beta}: mean ratio {:.3})",
                    actors.len(),
                    num / den
                ),
            });
        }
        e.support.extend(add);
    }
}
