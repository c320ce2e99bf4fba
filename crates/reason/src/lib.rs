//! The ascribe reasoning engine.
//!
//! [`assess`] takes a case and a knowledge base and returns an
//! [`Assessment`]: hypotheses with posteriors and ICD 203 wording, each
//! evidence item with its weight and forge cost, the ACH matrix, the
//! false-flag stress test and what to collect next.
//!
//! * [`builders`] turns observations into evidence (likelihood ratios from
//!   the knowledge base) — the only place that knows about evidence kinds.
//! * [`engine`] combines evidence: reliability, dependence, false flags,
//!   priors. It knows nothing about kinds of evidence.

pub mod builders;
pub mod calibrate;
pub mod engine;
mod fitted;
pub mod time;
pub mod timing;
pub mod ttp;

use ascribe_core::{
    AchCell, AchMatrix, AchRow, Assessment, Case, Confidence, EngineParams, Evidence, ForgeCost,
    HypothesisKind, HypothesisResult, KbSummary, Likelihood, PlantSet, Scenario, StressTest,
    Suggestion, Verdict, WeighedEvidence, SCHEMA,
};
use ascribe_kb::KnowledgeBase;
pub use builders::EvidenceBuilder;
pub use engine::{Engine, Params};
use std::collections::HashMap;
pub use ttp::TtpModel;

/// How many hypotheses to list individually before folding the rest into
/// "other knowledge-base actors".
const LISTED: usize = 8;
/// How many per-actor likelihood ratios of an item the report lists.
const SUPPORT_LISTED: usize = 10;

/// Labels of hypotheses.
fn label(kb: &KnowledgeBase, h: &engine::Hyp, others: usize) -> String {
    let actor = |id: &str| -> String {
        kb.actor_by_id(id)
            .map(|a| {
                let x = &kb.actors[a];
                match &x.attack_id {
                    Some(g) => format!("{} ({g})", x.name),
                    None => x.name.clone(),
                }
            })
            .unwrap_or_else(|| id.to_string())
    };
    match h.kind {
        HypothesisKind::Actor => actor(h.actor.as_deref().unwrap_or("")),
        HypothesisKind::UnknownActor => "an actor not in the knowledge base".into(),
        HypothesisKind::FalseFlag => match h.actor.as_deref() {
            Some(a) => format!("false flag: another actor imitating {}", actor(a)),
            None => format!("false flag imitating one of the {others} other knowledge-base actors"),
        },
        HypothesisKind::OtherActors => format!("one of the {others} other knowledge-base actors"),
    }
}

fn hyp_id(h: &engine::Hyp) -> String {
    match h.kind {
        HypothesisKind::Actor => format!("actor:{}", h.actor.as_deref().unwrap_or("")),
        HypothesisKind::UnknownActor => "unknown".into(),
        HypothesisKind::FalseFlag => match h.actor.as_deref() {
            Some(a) => format!("false-flag:{a}"),
            None => "false-flag:other-actors".into(),
        },
        HypothesisKind::OtherActors => "other-actors".into(),
    }
}

/// Relative prior weights of the actors: `(1 + r)^γ`, where `r` is the
/// number of distinct reports cited on the actor's technique and software
/// links. Actors that keep turning up in reports are, by base rate, the
/// likelier authors of a new intrusion; actors the knowledge base knows
/// only by name weigh `1`. With `γ = 0` every actor weighs the same.
pub fn actor_prior_weights(kb: &KnowledgeBase, gamma: f64) -> HashMap<String, f64> {
    let mut out = HashMap::new();
    if gamma == 0.0 || !gamma.is_finite() {
        return out;
    }
    for (a, actor) in kb.actors.iter().enumerate() {
        let reports = kb.profile(a).reports();
        if !reports.is_empty() {
            out.insert(actor.id.clone(), (1.0 + reports.len() as f64).powf(gamma));
        }
    }
    out
}

/// Assess a case: build evidence from its observations and weigh it.
pub fn assess(case: &Case, kb: &KnowledgeBase, params: &Params) -> Assessment {
    let built = EvidenceBuilder::new(kb)
        .with_case_date(case.date.as_deref())
        .build(&case.observations);
    let mut a = assess_evidence(&built.evidence, kb, params);
    a.case = case.name.clone();
    a.case_summary = case.summary.clone();
    a.victim = case.victim.clone();
    a.warnings.extend(built.warnings);
    a
}

/// Weigh already-built evidence.
pub fn assess_evidence(items: &[Evidence], kb: &KnowledgeBase, params: &Params) -> Assessment {
    let weights = actor_prior_weights(kb, params.activity_exponent);
    let engine = Engine::with_prior_weights(items, kb.actors.len(), params.clone(), &weights);
    let all = vec![true; engine.len()];
    let ev = calibrate::calibrated(&engine, engine.evaluate(&all));
    let priors = engine.priors();
    let others = engine.n_actors - engine.active.len();
    let lead = engine.leader(&ev.post);

    // ---- hypotheses, most probable first; fold minor actors
    let mut order: Vec<usize> = (0..engine.hyps.len()).collect();
    order.sort_by(|&a, &b| {
        ev.post[b]
            .partial_cmp(&ev.post[a])
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(&b))
    });
    let mut hypotheses = Vec::new();
    let mut folded_post = 0.0;
    let mut folded_prior = 0.0;
    let mut folded_n = 0usize;
    for (rank, &h) in order.iter().enumerate() {
        let hyp = &engine.hyps[h];
        let keep = !engine.is_aggregate(h)
            && (rank < LISTED
                || hyp.kind == HypothesisKind::UnknownActor
                || (hyp.kind == HypothesisKind::FalseFlag && ev.post[h] >= 0.01));
        if !keep
            && matches!(
                hyp.kind,
                HypothesisKind::Actor | HypothesisKind::OtherActors | HypothesisKind::FalseFlag
            )
        {
            folded_post += ev.post[h];
            folded_prior += priors[h];
            folded_n += match (hyp.kind, hyp.actor.is_some()) {
                (HypothesisKind::OtherActors, _) => others,
                (HypothesisKind::Actor, _) => 1,
                _ => 0,
            };
            continue;
        }
        hypotheses.push(HypothesisResult {
            id: hyp_id(hyp),
            kind: hyp.kind,
            label: label(kb, hyp, others),
            actor: hyp
                .actor
                .as_deref()
                .and_then(|id| kb.actor_by_id(id))
                .map(|a| kb.actors[a].to_ref()),
            prior: priors[h],
            posterior: ev.post[h],
            likelihood: Likelihood::from_probability(ev.post[h]),
            log_lr: ev.score[h],
        });
    }
    if folded_post > 0.0 || folded_n > 0 {
        hypotheses.push(HypothesisResult {
            id: "other-actors".into(),
            kind: HypothesisKind::OtherActors,
            label: format!("any other knowledge-base actor or false flag ({folded_n} actors)"),
            actor: None,
            prior: folded_prior,
            posterior: folded_post,
            likelihood: Likelihood::from_probability(folded_post),
            log_lr: 0.0,
        });
    }

    // ---- the reference actor column for weights: the leading named actor
    let top_actor = order
        .iter()
        .copied()
        .find(|&h| engine.hyps[h].kind == HypothesisKind::Actor);
    let top_col = top_actor.and_then(|h| engine.hyps[h].col);

    // ---- evidence with weights
    let listed_actors: std::collections::HashSet<&str> = hypotheses
        .iter()
        .filter_map(|h| h.actor.as_ref().map(|a| a.id.as_str()))
        .collect();
    let evidence: Vec<WeighedEvidence> = items
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let (w, sat) = match top_col {
                Some(c) => {
                    let raw = engine.raw(i, c);
                    let eff = ev.contrib[i][c];
                    (
                        eff / std::f64::consts::LN_10,
                        if raw.abs() > 1e-12 {
                            eff / (raw / engine.params.temperature)
                        } else {
                            1.0
                        },
                    )
                }
                None => (0.0, 1.0),
            };
            // Report the strongest ratios and those of the listed hypotheses;
            // the engine used them all.
            let mut ev_out = e.clone();
            let total = ev_out.support.len();
            if total > SUPPORT_LISTED {
                let mut s = std::mem::take(&mut ev_out.support);
                s.sort_by(|a, b| {
                    b.lr.ln()
                        .abs()
                        .partial_cmp(&a.lr.ln().abs())
                        .unwrap_or(std::cmp::Ordering::Equal)
                        .then(a.actor.cmp(&b.actor))
                });
                ev_out.support = s
                    .into_iter()
                    .enumerate()
                    .filter(|(k, x)| {
                        *k < SUPPORT_LISTED || listed_actors.contains(x.actor.as_str())
                    })
                    .map(|(_, x)| x)
                    .collect();
            }
            WeighedEvidence {
                support_total: total,
                evidence: ev_out,
                weight: w,
                saturation: if engine.duplicate_of[i].is_some() {
                    0.0
                } else {
                    sat
                },
                duplicate_of: engine.duplicate_of[i].map(|d| items[d].id.clone()),
            }
        })
        .collect();

    // ---- ACH over the listed hypotheses (up to 6, no folded row)
    let ach_h: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&h| !engine.is_aggregate(h))
        .take(6)
        .collect();
    let cell_value = |i: usize, h: usize| -> f64 {
        let hyp = &engine.hyps[h];
        match (hyp.kind, hyp.col) {
            (HypothesisKind::UnknownActor, _) => 0.0,
            (HypothesisKind::FalseFlag, Some(c)) => engine.ff_marginal(i, ev.contrib[i][c]),
            (_, Some(c)) => ev.contrib[i][c],
            _ => 0.0,
        }
    };
    let mut inconsistency = vec![0.0; ach_h.len()];
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let vals: Vec<f64> = ach_h
                .iter()
                .map(|&h| cell_value(i, h) / std::f64::consts::LN_10)
                .collect();
            let cells = vals
                .iter()
                .enumerate()
                .map(|(k, &v)| {
                    if v > 0.05 {
                        AchCell::Consistent
                    } else if v < -0.05 {
                        inconsistency[k] += -v;
                        AchCell::Inconsistent
                    } else {
                        AchCell::Neutral
                    }
                })
                .collect();
            let max = vals.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let min = vals.iter().cloned().fold(f64::INFINITY, f64::min);
            AchRow {
                evidence: e.id.clone(),
                cells,
                diagnosticity: if vals.is_empty() { 0.0 } else { max - min },
            }
        })
        .collect();
    let ach = AchMatrix {
        hypotheses: ach_h.iter().map(|&h| hyp_id(&engine.hyps[h])).collect(),
        rows,
        inconsistency,
    };

    // ---- stress test
    let hlabel = |h: usize| label(kb, &engine.hyps[h], others);
    let scenario = |name: &str, desc: &str, keep: &dyn Fn(usize) -> bool| -> Scenario {
        let mask: Vec<bool> = (0..engine.len()).map(keep).collect();
        let post = calibrate::calibrated_posterior(&engine, engine.posterior(&mask));
        let l = engine.leader(&post);
        Scenario {
            name: name.into(),
            description: desc.into(),
            items_kept: mask.iter().filter(|&&m| m).count(),
            leader: hyp_id(&engine.hyps[l]),
            leader_label: hlabel(l),
            probability: post[l],
            likelihood: Likelihood::from_probability(post[l]),
            baseline_leader_probability: post[lead],
        }
    };
    let cls = |i: usize| items[i].forge_cost;
    let scenarios = vec![
        scenario("all evidence", "every item as weighed above", &|_| true),
        scenario(
            "without cheap",
            "if every cheap-to-forge item was planted (discounted)",
            &|i| cls(i) != ForgeCost::Cheap,
        ),
        scenario(
            "costly only",
            "only evidence that is costly to forge",
            &|i| cls(i) == ForgeCost::Costly,
        ),
        scenario(
            "without costly",
            "if the costly evidence (code reuse, signatures) were wrong or absent",
            &|i| cls(i) != ForgeCost::Costly,
        ),
        scenario(
            "technical only",
            "without third-party claims and self-claims",
            &|i| {
                !matches!(
                    items[i].kind,
                    ascribe_core::EvidenceKind::ThirdPartyClaim
                        | ascribe_core::EvidenceKind::SelfClaim
                )
            },
        ),
    ];
    let cheapest_flip = cheapest_flip(&engine, &ev, items, lead, &hlabel);

    // ---- confidence and verdict
    let lead_kind = engine.hyps[lead].kind;
    let no_cheap = &scenarios[1];
    let survives = no_cheap.leader == hyp_id(&engine.hyps[lead]);
    let has_costly_support = top_col.is_some_and(|c| {
        (0..items.len()).any(|i| items[i].forge_cost == ForgeCost::Costly && ev.contrib[i][c] > 0.0)
    });
    let (confidence, confidence_reason) = if lead_kind != HypothesisKind::Actor {
        (
            Confidence::Low,
            "no named actor leads: the evidence does not single anyone out".to_string(),
        )
    } else if survives
        && no_cheap.probability >= 0.55
        && has_costly_support
        && cheapest_flip
            .as_ref()
            .is_none_or(|p| p.hardest == ForgeCost::Costly)
    {
        (Confidence::High, format!(
            "the verdict rests on costly-to-forge evidence: it holds ({:.0}%) with every cheap item discounted, and flipping it would require forging costly evidence",
            no_cheap.probability * 100.0
        ))
    } else if survives {
        (
            Confidence::Moderate,
            format!(
                "the verdict holds with every cheap item discounted ({:.0}%), but {}",
                no_cheap.probability * 100.0,
                if has_costly_support {
                    "it could be flipped without forging costly evidence"
                } else {
                    "no costly-to-forge evidence supports it"
                }
            ),
        )
    } else {
        (
            Confidence::Low,
            format!(
                "the verdict depends on cheap-to-forge evidence: without it, {} leads",
                no_cheap.leader_label
            ),
        )
    };
    let p = ev.post[lead];
    let lk = Likelihood::from_probability(p);
    let statement = match lead_kind {
        HypothesisKind::Actor => format!(
            "It is {} ({:.0}%) that {} conducted this intrusion; analytic confidence is {}.",
            lk.words(), p * 100.0, hlabel(lead), confidence.as_str()
        ),
        HypothesisKind::FalseFlag => format!(
            "It is {} ({:.0}%) that this is a {}; analytic confidence is {}.",
            lk.words(), p * 100.0, hlabel(lead), confidence.as_str()
        ),
        _ => format!(
            "The evidence does not single out a known actor: the most probable hypothesis is {} ({:.0}%, {}).",
            hlabel(lead), p * 100.0, lk.words()
        ),
    };
    let verdict = Verdict {
        leader: hyp_id(&engine.hyps[lead]),
        leader_label: hlabel(lead),
        probability: p,
        likelihood: lk,
        confidence,
        statement,
        confidence_reason,
    };
    let summary = stress_summary(&scenarios, &cheapest_flip, &verdict);
    let collect_next = suggestions(kb, &engine, &ev.post, items, &order);

    Assessment {
        schema: SCHEMA.into(),
        ascribe_version: env!("CARGO_PKG_VERSION").into(),
        case: String::new(),
        case_summary: None,
        victim: Default::default(),
        verdict,
        hypotheses,
        evidence,
        ach,
        stress_test: StressTest {
            scenarios,
            cheapest_flip,
            summary,
        },
        collect_next,
        params: EngineParams {
            prior_unknown: params.prior_unknown,
            false_flag_ratio: params.false_flag_ratio,
            forge_success: params.forge_success,
            temperature: params.temperature,
            activity_exponent: params.activity_exponent,
            actors_considered: engine.n_actors,
        },
        kb: KbSummary {
            actors: kb.actors.len(),
            techniques: kb.techniques.len(),
            software: kb.software.len(),
            sources: kb
                .stats()
                .sources
                .iter()
                .map(|s| match &s.version {
                    Some(v) => format!("{} {v}", s.name),
                    None => s.name.clone(),
                })
                .collect(),
        },
        warnings: Vec::new(),
    }
}

fn stress_summary(sc: &[Scenario], flip: &Option<PlantSet>, v: &Verdict) -> String {
    let no_cheap = &sc[1];
    let mut s = if no_cheap.leader == v.leader {
        format!(
            "If every cheap-to-forge item was planted, {} still leads at {:.0}% ({}).",
            v.leader_label,
            no_cheap.probability * 100.0,
            no_cheap.likelihood.words()
        )
    } else {
        format!(
            "If every cheap-to-forge item was planted, the verdict changes: {} leads at {:.0}%.",
            no_cheap.leader_label,
            no_cheap.probability * 100.0
        )
    };
    let no_costly = &sc[3];
    if no_costly.leader == v.leader {
        s.push_str(&format!(
            " Without the costly evidence, {} falls to {:.0}% ({}).",
            v.leader_label,
            no_costly.baseline_leader_probability * 100.0,
            no_costly.likelihood.words()
        ));
    } else {
        s.push_str(&format!(
            " Without the costly evidence, {} leads at {:.0}%.",
            no_costly.leader_label,
            no_costly.probability * 100.0
        ));
    }
    match flip {
        Some(p) => s.push_str(&format!(
            " The cheapest plant that flips the verdict is {} item(s) ({} effort units, up to {} to forge); {} would then lead.",
            p.items.len(), p.effort, p.hardest.as_str(), p.new_leader_label
        )),
        None => s.push_str(" No set of planted items flips the verdict."),
    }
    s
}

/// The cheapest set of items supporting the leader whose discounting makes
/// another hypothesis lead: greedy by forge effort, then pruned.
fn cheapest_flip(
    engine: &Engine,
    ev: &engine::Eval,
    items: &[Evidence],
    lead: usize,
    hlabel: &dyn Fn(usize) -> String,
) -> Option<PlantSet> {
    let col = engine.hyps[lead].col?;
    if engine.hyps[lead].kind != HypothesisKind::Actor {
        return None;
    }
    let mut cand: Vec<usize> = (0..items.len())
        .filter(|&i| engine.duplicate_of[i].is_none() && ev.contrib[i][col] > 1e-9)
        .collect();
    if cand.is_empty() {
        return None;
    }
    cand.sort_by(|&a, &b| {
        items[a]
            .forge_cost
            .effort()
            .partial_cmp(&items[b].forge_cost.effort())
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(
                ev.contrib[b][col]
                    .partial_cmp(&ev.contrib[a][col])
                    .unwrap_or(std::cmp::Ordering::Equal),
            )
            .then(a.cmp(&b))
    });
    let flipped = |removed: &[usize]| -> Option<(usize, f64)> {
        let mut mask = vec![true; engine.len()];
        for &i in removed {
            mask[i] = false;
        }
        let post = calibrate::calibrated_posterior(engine, engine.posterior(&mask));
        let l = engine.leader(&post);
        (l != lead).then_some((l, post[l]))
    };
    // smallest prefix that flips (binary search; removal of supporting items is monotone)
    flipped(&cand)?;
    let (mut lo, mut hi) = (0usize, cand.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        if flipped(&cand[..mid]).is_some() {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    let mut set: Vec<usize> = cand[..lo].to_vec();
    // prune: try to put back the most expensive items first
    let mut order = set.clone();
    order.sort_by(|&a, &b| {
        items[b]
            .forge_cost
            .effort()
            .partial_cmp(&items[a].forge_cost.effort())
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(b.cmp(&a))
    });
    for (tries, i) in order.into_iter().enumerate() {
        if tries >= 64 {
            break;
        }
        let trial: Vec<usize> = set.iter().copied().filter(|&x| x != i).collect();
        if flipped(&trial).is_some() {
            set = trial;
        }
    }
    let (nl, np) = flipped(&set)?;
    set.sort_unstable();
    Some(PlantSet {
        items: set.iter().map(|&i| items[i].id.clone()).collect(),
        effort: set.iter().map(|&i| items[i].forge_cost.effort()).sum(),
        hardest: set
            .iter()
            .map(|&i| items[i].forge_cost)
            .max()
            .unwrap_or(ForgeCost::Cheap),
        new_leader: hyp_id(&engine.hyps[nl]),
        new_leader_label: hlabel(nl),
        new_probability: np,
    })
}

/// Most informative first; ties by text for a stable order.
fn sort_by_gain(v: &mut [Suggestion]) {
    v.sort_by(|a, b| {
        b.expected_information_gain
            .partial_cmp(&a.expected_information_gain)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.what.cmp(&b.what))
    });
}

fn entropy(p: &[f64]) -> f64 {
    p.iter().filter(|&&x| x > 0.0).map(|&x| -x * x.log2()).sum()
}

/// Expected information gain of observing a binary piece of evidence with
/// likelihood `lik(h)` per hypothesis; also the leader's posterior if found /
/// if absent.
fn eig(post: &[f64], lik: &dyn Fn(usize) -> f64, lead: usize) -> (f64, f64, f64) {
    let pe: f64 = post.iter().enumerate().map(|(h, p)| p * lik(h)).sum();
    if pe <= 0.0 || pe >= 1.0 {
        return (0.0, post[lead], post[lead]);
    }
    let found: Vec<f64> = post
        .iter()
        .enumerate()
        .map(|(h, p)| p * lik(h) / pe)
        .collect();
    let absent: Vec<f64> = post
        .iter()
        .enumerate()
        .map(|(h, p)| p * (1.0 - lik(h)) / (1.0 - pe))
        .collect();
    let gain = entropy(post) - pe * entropy(&found) - (1.0 - pe) * entropy(&absent);
    (gain.max(0.0), found[lead], absent[lead])
}

fn suggestions(
    kb: &KnowledgeBase,
    engine: &Engine,
    post: &[f64],
    items: &[Evidence],
    order: &[usize],
) -> Vec<Suggestion> {
    let lead = order[0];
    let q = engine.params.forge_success;
    let hyp_actor: Vec<Option<usize>> = engine
        .hyps
        .iter()
        .map(|h| h.actor.as_deref().and_then(|id| kb.actor_by_id(id)))
        .collect();
    let actor_of = |h: usize| hyp_actor[h];
    let top_actors: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&h| engine.hyps[h].kind == HypothesisKind::Actor)
        .take(3)
        .collect();
    let mut out: Vec<Suggestion> = Vec::new();
    let observed_tech: std::collections::HashSet<String> = items
        .iter()
        .filter(|e| e.kind == ascribe_core::EvidenceKind::Technique)
        .map(|e| e.fingerprint.trim_start_matches("technique|").to_string())
        .collect();
    let observed_soft: std::collections::HashSet<String> = items
        .iter()
        .filter(|e| e.kind == ascribe_core::EvidenceKind::Software)
        .map(|e| e.fingerprint.trim_start_matches("software|").to_string())
        .collect();
    let g = kb.actors_with_techniques().max(1) as f64;

    // techniques and software of the top actors that were not observed
    let mut cands: HashMap<(bool, usize), ()> = HashMap::new();
    for &h in &top_actors {
        if let Some(a) = actor_of(h) {
            for t in kb.actor_techniques(a) {
                if !observed_tech.contains(&kb.techniques[t].attack_id) {
                    cands.insert((false, t), ());
                }
            }
            for s in kb.actor_software(a) {
                if !observed_soft.contains(&kb.software[s].id) {
                    cands.insert((true, s), ());
                }
            }
        }
    }
    let mut scored: Vec<Suggestion> = Vec::new();
    for (&(is_soft, idx), _) in cands.iter() {
        let users: Vec<usize> = if is_soft {
            kb.software_users(idx).to_vec()
        } else {
            kb.technique_users(idx).to_vec()
        };
        let base = 0.5 * (users.len() as f64 + 0.5) / (g + 1.0);
        let lik = |h: usize| -> f64 {
            let hyp = &engine.hyps[h];
            let uses = actor_of(h).is_some_and(|a| users.contains(&a));
            match hyp.kind {
                HypothesisKind::Actor => {
                    if uses {
                        0.5
                    } else {
                        base * 0.5
                    }
                }
                HypothesisKind::FalseFlag => {
                    let p = if uses { 0.5 } else { base * 0.5 };
                    q[1] * p + (1.0 - q[1]) * base
                }
                _ => base,
            }
        };
        let (gain, f, a) = eig(post, &lik, lead);
        let (what, name) = if is_soft {
            (
                format!(
                    "Look for software {} ({})",
                    kb.software[idx].name, kb.software[idx].id
                ),
                kb.software[idx].name.clone(),
            )
        } else {
            (
                format!(
                    "Look for technique {} {}",
                    kb.techniques[idx].attack_id, kb.techniques[idx].name
                ),
                kb.techniques[idx].attack_id.clone(),
            )
        };
        let used_by: Vec<String> = top_actors
            .iter()
            .filter_map(|&h| actor_of(h))
            .filter(|a| users.contains(a))
            .map(|a| kb.actors[a].name.clone())
            .collect();
        scored.push(Suggestion {
            what,
            why: format!(
                "{name} is in the profile of {} and of {} of {} profiled groups overall",
                used_by.join(" and "),
                users.len(),
                g
            ),
            expected_information_gain: gain,
            leader_if_found: f,
            leader_if_absent: a,
        });
    }
    sort_by_gain(&mut scored);
    out.extend(scored.into_iter().take(5));

    // costly evidence that separates the leading actor from a false flag
    if let Some(&h) = top_actors.first() {
        let name = label(kb, &engine.hyps[h], 0);
        let target = engine.hyps[h].actor.clone();
        let same = |x: usize| engine.hyps[x].actor == target;
        let generic = [
            (
                format!("Binaries for function-level code-reuse comparison with {name}'s known families"),
                "shared private code is costly to forge: it separates the actor from an imitator",
                (0.5, q[2] * 0.5 + (1.0 - q[2]) * 0.01, 0.01),
            ),
            (
                format!("Infrastructure history (passive DNS, hosting, registrations) against {name}'s known infrastructure"),
                "infrastructure reuse is moderately costly to forge and often links campaigns",
                (0.3, q[1] * 0.3 + (1.0 - q[1]) * 0.02, 0.02),
            ),
            (
                "Code-signing certificates of the samples".to_string(),
                "a valid signature needs a private key: costly to forge",
                (0.1, 0.01, 0.01),
            ),
        ];
        for (what, why, (p_actor, p_ff, p_other)) in generic {
            let lik = |x: usize| -> f64 {
                match engine.hyps[x].kind {
                    HypothesisKind::Actor if same(x) => p_actor,
                    HypothesisKind::FalseFlag if same(x) => p_ff,
                    _ => p_other,
                }
            };
            let (gain, f, a) = eig(post, &lik, lead);
            out.push(Suggestion {
                what,
                why: why.to_string(),
                expected_information_gain: gain,
                leader_if_found: f,
                leader_if_absent: a,
            });
        }
    }
    sort_by_gain(&mut out);
    out.truncate(8);
    out
}
