//! The ascribe reasoning engine.
//!
//! [`assess`] takes a case and a knowledge base and returns an
//! [`Assessment`]: hypotheses with posteriors and ICD 203 wording (a
//! readable selection and the full ranking), the state-level distribution
//! (each state's actors summed, beside unknown, false flag and declared
//! hypotheses), each evidence item with its weight and forge cost, the ACH
//! matrix, the false-flag stress test and what to collect next.
//!
//! * [`builders`] turns observations into evidence (likelihood ratios from
//!   the knowledge base) — the only place that knows about evidence kinds.
//! * [`engine`] combines evidence: reliability, dependence, false flags,
//!   priors. It knows nothing about kinds of evidence.

// Output code never slices strings by byte index (a cut inside a character panics).
#![deny(clippy::string_slice)]

pub mod asof;
pub mod builders;
pub mod calibrate;
pub mod engine;
mod fitted;
pub mod intel;
pub mod time;
pub mod timing;
pub mod ttp;
pub mod unknown_states;
pub mod victimology;

use ascribe_core::{
    AchCell, AchMatrix, AchRow, Assessment, Case, Confidence, DeclaredHypothesis, EngineParams,
    Evidence, EvidenceKind, ForgeCost, HypothesisKind, HypothesisResult, KbSummary, Likelihood,
    ObservationKind, PlantSet, RankedHypothesis, Scenario, StateKind, StateResult, StressTest,
    Suggestion, Verdict, WeighedEvidence, DECLARED_PREFIX, SCHEMA,
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

/// The state an actor is attributed to (ISO 3166 alpha-2): the knowledge
/// base's `state`, resolved by its explicit precedence (criminal groups
/// keep a country but have no state).
pub fn actor_state(actor: &ascribe_kb::Actor) -> Option<&str> {
    actor.state.as_deref()
}

/// Labels of hypotheses.
fn label(
    kb: &KnowledgeBase,
    h: &engine::Hyp,
    others: usize,
    declared: &[DeclaredHypothesis],
) -> String {
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
    if let Some(st) = h.state.as_deref() {
        return match h.kind {
            HypothesisKind::FalseFlag => format!(
                "false flag: another actor posing as a group of {}",
                state_name(st)
            ),
            _ => format!(
                "an unknown group of {}, not in the knowledge base",
                state_name(st)
            ),
        };
    }
    match h.kind {
        HypothesisKind::Actor => actor(h.actor.as_deref().unwrap_or("")),
        HypothesisKind::UnknownActor => "an actor not in the knowledge base".into(),
        HypothesisKind::FalseFlag => match h.actor.as_deref() {
            Some(a) => format!("false flag: another actor imitating {}", actor(a)),
            None => format!("false flag imitating one of the {others} other knowledge-base actors"),
        },
        HypothesisKind::OtherActors => format!("one of the {others} other knowledge-base actors"),
        HypothesisKind::Declared => {
            let id = h.actor.as_deref().unwrap_or("");
            declared
                .iter()
                .find(|d| d.id == id)
                .map(|d| d.label.clone())
                .unwrap_or_else(|| id.to_string())
        }
    }
}

fn hyp_id(h: &engine::Hyp) -> String {
    if let Some(st) = h.state.as_deref() {
        return match h.kind {
            HypothesisKind::FalseFlag => format!("false-flag:unknown:{st}"),
            _ => format!("unknown:{st}"),
        };
    }
    match h.kind {
        HypothesisKind::Actor => format!("actor:{}", h.actor.as_deref().unwrap_or("")),
        HypothesisKind::UnknownActor => "unknown".into(),
        HypothesisKind::FalseFlag => match h.actor.as_deref() {
            Some(a) => format!("false-flag:{a}"),
            None => "false-flag:other-actors".into(),
        },
        HypothesisKind::OtherActors => "other-actors".into(),
        HypothesisKind::Declared => {
            format!("{DECLARED_PREFIX}{}", h.actor.as_deref().unwrap_or(""))
        }
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
    assess_with_intel(case, kb, params, Vec::new())
}

/// Assess a case with the matches of its indicators against imported
/// intelligence ([`intel::match_case`] computes them): they become
/// infrastructure evidence and the assessment lists every one of them.
pub fn assess_with_intel(
    case: &Case,
    kb: &KnowledgeBase,
    params: &Params,
    matches: Vec<ascribe_intel::matching::IntelMatch>,
) -> Assessment {
    let listed: Vec<ascribe_core::InfrastructureMatch> = matches.iter().map(intel::view).collect();
    let built = EvidenceBuilder::new(kb)
        .with_case_date(case.date.as_deref())
        .with_as_of(case.as_of.as_deref())
        .with_intel_matches(matches)
        .build(&case.observations);
    // binaries are at hand when the case's own analysis read samples, or
    // the case directory holds files that are not documents
    let doc = |f: &str| {
        let f = f.to_ascii_lowercase();
        [
            ".txt", ".md", ".html", ".htm", ".pdf", ".toml", ".json", ".csv",
        ]
        .iter()
        .any(|x| f.ends_with(x))
    };
    let holds = Holdings {
        binaries: case.observations.iter().any(|o| {
            o.source.kind == ascribe_core::SourceKind::Analysis
                && matches!(
                    &o.kind,
                    ObservationKind::Artifact {
                        sample: Some(_),
                        ..
                    } | ObservationKind::CodeOverlap { .. }
                )
        }) || case.files.iter().any(|f| !doc(f)),
        as_of: case
            .as_of
            .as_deref()
            .and_then(|d| ascribe_core::parse_as_of(d).ok()),
    };
    let evidence = victimology::with_victimology(
        built.evidence,
        kb,
        &case.victim,
        case.victim.incident_type.as_deref(),
    );
    let mut a = assess_inner(&evidence, kb, params, &case.hypotheses, &holds);
    a.infrastructure_matches = listed;
    if let Some(d) = case.as_of.as_deref() {
        a.knowledge_as_of = asof::knowledge_as_of(d, case, kb, &a);
    }
    a.case = case.name.clone();
    a.case_summary = case.summary.clone();
    a.victim = case.victim.clone();
    a.warnings.extend(built.warnings);
    a.diagnostics = ascribe_core::diagnostics(&a.warnings);
    a
}

/// What the case already holds, beyond its evidence items (so that
/// "collect next" does not ask for it).
#[derive(Debug, Clone, Copy, Default)]
struct Holdings {
    /// Binaries were inspected (artifacts from samples, code comparisons).
    binaries: bool,
    /// The analysis date (`[case] as_of`): a technique or software to look
    /// for is then suggested first from profile links known by that date,
    /// and one that rests only on undated links says so.
    as_of: Option<ascribe_core::PartialDate>,
}

/// Weigh already-built evidence.
pub fn assess_evidence(items: &[Evidence], kb: &KnowledgeBase, params: &Params) -> Assessment {
    assess_inner(items, kb, params, &[], &Holdings::default())
}

/// Weigh already-built evidence with the analyst's declared hypotheses
/// (support for `declared:<id>` speaks to them; see [`engine`]).
pub fn assess_evidence_with(
    items: &[Evidence],
    kb: &KnowledgeBase,
    params: &Params,
    declared: &[DeclaredHypothesis],
) -> Assessment {
    assess_inner(items, kb, params, declared, &Holdings::default())
}

fn assess_inner(
    items: &[Evidence],
    kb: &KnowledgeBase,
    params: &Params,
    declared: &[DeclaredHypothesis],
    holds: &Holdings,
) -> Assessment {
    let weights = actor_prior_weights(kb, params.activity_exponent);
    let mut augmented = items.to_vec();
    unknown_states::augment(
        &mut augmented,
        kb,
        &weights,
        params.state_resemblance,
        params.state_resemblance_costly,
    );
    let items = &augmented[..];
    let engine = Engine::with_hypotheses(
        items,
        kb.actors.len(),
        params.clone(),
        &weights,
        declared,
        &unknown_states::state_shares(kb),
    );
    let mut warnings = declared_warnings(items, declared, &engine.declared, params);
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
    // states' unknown groups (and false flags posing as them) below the
    // listed ones, folded into one row
    let (mut folded_st_post, mut folded_st_prior, mut folded_st_n) = (0.0, 0.0, 0usize);
    for (rank, &h) in order.iter().enumerate() {
        let hyp = &engine.hyps[h];
        if hyp.state.is_some() && !(rank < LISTED || ev.post[h] >= 0.01) {
            folded_st_post += ev.post[h];
            folded_st_prior += priors[h];
            folded_st_n += usize::from(hyp.kind == HypothesisKind::UnknownActor);
            continue;
        }
        let keep = !engine.is_aggregate(h)
            && (rank < LISTED
                || (hyp.kind == HypothesisKind::UnknownActor && hyp.state.is_none())
                || hyp.kind == HypothesisKind::Declared
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
            label: label(kb, hyp, others, &engine.declared),
            actor: actor_ref(kb, hyp),
            prior: priors[h],
            posterior: ev.post[h],
            likelihood: Likelihood::from_probability(ev.post[h]),
            log_lr: ev.score[h],
        });
    }
    if folded_st_post > 0.0 || folded_st_n > 0 {
        hypotheses.push(HypothesisResult {
            id: "unknown:other-states".into(),
            kind: HypothesisKind::UnknownActor,
            label: format!(
                "an unknown group of one of {folded_st_n} other states, or someone posing as one"
            ),
            actor: None,
            prior: folded_st_prior,
            posterior: folded_st_post,
            likelihood: Likelihood::from_probability(folded_st_post),
            log_lr: 0.0,
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
            (HypothesisKind::FalseFlag, Some(c)) => engine.ff_marginal(i, c, ev.contrib[i][c]),
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
    let hlabel = |h: usize| label(kb, &engine.hyps[h], others, &engine.declared);
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
    let (confidence, confidence_reason) = if lead_kind == HypothesisKind::Declared {
        (
            Confidence::Low,
            "the leading hypothesis is one the analyst declared: its prior and the evidence for it are the analyst's statements, not knowledge-base facts".to_string(),
        )
    } else if lead_kind != HypothesisKind::Actor {
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
        HypothesisKind::Declared => format!(
            "It is {} ({:.0}%) that the intrusion is explained by the declared hypothesis: {}; analytic confidence is {}.",
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
    let collect_next = suggestions(kb, &engine, &ev.post, items, &order, holds);
    let ranking: Vec<RankedHypothesis> = order
        .iter()
        .enumerate()
        .map(|(r, &h)| {
            let hyp = &engine.hyps[h];
            RankedHypothesis {
                rank: r + 1,
                id: hyp_id(hyp),
                kind: hyp.kind,
                label: hlabel(h),
                actor: actor_ref(kb, hyp),
                prior: priors[h],
                posterior: ev.post[h],
                actors: match hyp.kind {
                    HypothesisKind::Actor => 1,
                    HypothesisKind::FalseFlag if hyp.actor.is_some() => 1,
                    HypothesisKind::FalseFlag | HypothesisKind::OtherActors => others,
                    _ => 0,
                },
            }
        })
        .collect();
    let states = state_distribution(kb, &engine, &ev.post, &priors, &weights, &hlabel);
    let state_verdict = state_statement(&states);

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
        ranking,
        states,
        state_verdict,
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
            sources: kb.source_names(),
        },
        warnings: std::mem::take(&mut warnings),
        knowledge_as_of: None,
        diagnostics: Vec::new(),
        infrastructure_matches: Vec::new(),
    }
}

fn actor_ref(kb: &KnowledgeBase, hyp: &engine::Hyp) -> Option<ascribe_core::ActorRef> {
    if hyp.kind == HypothesisKind::Declared {
        return None;
    }
    hyp.actor
        .as_deref()
        .and_then(|id| kb.actor_by_id(id))
        .map(|a| kb.actors[a].to_ref())
}

/// Warnings about declared hypotheses: priors the engine had to change,
/// and support for a `declared:` id that the case does not declare.
fn declared_warnings(
    items: &[Evidence],
    given: &[DeclaredHypothesis],
    declared: &[DeclaredHypothesis],
    params: &Params,
) -> Vec<String> {
    let mut out = Vec::new();
    if given.len() > declared.len() {
        out.push(format!(
            "declared hypotheses: {} declaration(s) repeat an id already declared; the first of each id is used",
            given.len() - declared.len()
        ));
    }
    let pu = params.prior_unknown.clamp(1e-6, 1.0 - 1e-6);
    let (used, changed) = engine::declared_priors(declared, pu);
    if changed {
        out.push(format!(
            "declared hypotheses: their priors come out of P(unknown) = {pu} and may take at most {:.0}% of it together; used {}",
            engine::DECLARED_SHARE_MAX * 100.0,
            declared
                .iter()
                .zip(&used)
                .map(|(d, p)| format!("{} {:.3} (stated {})", d.id, p, d.prior))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for e in items {
        for s in &e.support {
            if let Some(id) = s.actor.strip_prefix(DECLARED_PREFIX) {
                if !declared.iter().any(|d| d.id == id) && seen.insert(id.to_string()) {
                    out.push(format!(
                        "{}: speaks to the hypothesis '{id}', which the case does not declare (add [[hypothesis]] id = \"{id}\"); not weighed",
                        e.id
                    ));
                }
            }
        }
    }
    out
}

/// Display name of a state code.
fn state_name(iso2: &str) -> String {
    match ascribe_kb::countries::find_country(iso2) {
        Some(c) => format!("{} ({})", c.name, c.iso2),
        None => iso2.to_string(),
    }
}

/// The state-level distribution: every state's actors summed (the
/// aggregate of unsupported actors split exactly by prior weight: they
/// share one likelihood column, so their posterior divides like their
/// prior), declared hypotheses naming a state added to it, and rows for
/// actors with no state, an unknown actor, every false flag together and
/// declared hypotheses with no state.
fn state_distribution(
    kb: &KnowledgeBase,
    engine: &Engine,
    post: &[f64],
    priors: &[f64],
    weights: &HashMap<String, f64>,
    hlabel: &dyn Fn(usize) -> String,
) -> Vec<StateResult> {
    struct Row {
        kind: StateKind,
        state: Option<String>,
        label: String,
        prior: f64,
        post: f64,
        actors: usize,
        leading: Vec<(f64, String)>,
    }
    let mut rows: Vec<Row> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    fn row_of(
        rows: &mut Vec<Row>,
        index: &mut HashMap<String, usize>,
        (id, kind, state, label): (String, StateKind, Option<String>, String),
    ) -> usize {
        *index.entry(id).or_insert_with(|| {
            rows.push(Row {
                kind,
                state,
                label,
                prior: 0.0,
                post: 0.0,
                actors: 0,
                leading: Vec::new(),
            });
            rows.len() - 1
        })
    }
    let state_row = |st: Option<&str>| -> (String, StateKind, Option<String>, String) {
        match st {
            Some(c) => {
                let c = c.to_ascii_uppercase();
                (
                    format!("state:{c}"),
                    StateKind::State,
                    Some(c.clone()),
                    state_name(&c),
                )
            }
            None => (
                "no-state".into(),
                StateKind::NoState,
                None,
                "a known actor with no state on record".into(),
            ),
        }
    };
    let active: std::collections::HashSet<&str> =
        engine.active.iter().map(|s| s.as_str()).collect();
    let weight = |id: &str| engine::prior_weight(weights, id);
    // unsupported actors: weight per state
    let mut other_w: HashMap<Option<String>, (f64, usize)> = HashMap::new();
    let mut other_total = 0.0;
    for a in &kb.actors {
        if active.contains(a.id.as_str()) {
            continue;
        }
        let w = weight(&a.id);
        other_total += w;
        let e = other_w
            .entry(actor_state(a).map(|s| s.to_ascii_uppercase()))
            .or_insert((0.0, 0));
        e.0 += w;
        e.1 += 1;
    }
    let mut other_keys: Vec<&Option<String>> = other_w.keys().collect();
    other_keys.sort();
    for (h, hyp) in engine.hyps.iter().enumerate() {
        let (p, q) = (post[h], priors[h]);
        let r = match hyp.kind {
            // a state's unknown group is summed into its state
            HypothesisKind::UnknownActor if hyp.state.is_some() => {
                row_of(&mut rows, &mut index, state_row(hyp.state.as_deref()))
            }
            HypothesisKind::UnknownActor => row_of(
                &mut rows,
                &mut index,
                (
                    "unknown".into(),
                    StateKind::Unknown,
                    None,
                    "an actor not in the knowledge base".into(),
                ),
            ),
            HypothesisKind::FalseFlag => row_of(
                &mut rows,
                &mut index,
                (
                    "false-flag".into(),
                    StateKind::FalseFlag,
                    None,
                    "false flag (someone imitating a known actor)".into(),
                ),
            ),
            HypothesisKind::Declared => {
                let d = engine
                    .declared
                    .iter()
                    .find(|d| Some(d.id.as_str()) == hyp.actor.as_deref());
                match d.and_then(|d| d.state.as_deref()) {
                    Some(st) => row_of(&mut rows, &mut index, state_row(Some(st))),
                    None => row_of(
                        &mut rows,
                        &mut index,
                        (hyp_id(hyp), StateKind::Declared, None, hlabel(h)),
                    ),
                }
            }
            HypothesisKind::Actor => {
                let st = hyp
                    .actor
                    .as_deref()
                    .and_then(|id| kb.actor_by_id(id))
                    .and_then(|a| actor_state(&kb.actors[a]));
                let r = row_of(&mut rows, &mut index, state_row(st));
                rows[r].actors += 1;
                r
            }
            HypothesisKind::OtherActors => {
                // split exactly by prior weight
                for key in &other_keys {
                    let (w, n) = other_w[*key];
                    let share = if other_total > 0.0 {
                        w / other_total
                    } else {
                        0.0
                    };
                    let r = row_of(&mut rows, &mut index, state_row(key.as_deref()));
                    rows[r].post += p * share;
                    rows[r].prior += q * share;
                    rows[r].actors += n;
                }
                continue;
            }
        };
        rows[r].post += p;
        rows[r].prior += q;
        if hyp.kind != HypothesisKind::FalseFlag || hyp.actor.is_some() || hyp.state.is_some() {
            rows[r].leading.push((p, hlabel(h)));
        }
    }
    let mut out: Vec<StateResult> = index
        .into_iter()
        .map(|(id, r)| {
            let x = &mut rows[r];
            x.leading.sort_by(|a, b| {
                b.0.partial_cmp(&a.0)
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(a.1.cmp(&b.1))
            });
            StateResult {
                id,
                kind: x.kind,
                state: x.state.clone(),
                label: x.label.clone(),
                prior: x.prior,
                posterior: x.post,
                likelihood: Likelihood::from_probability(x.post),
                actors: x.actors,
                leading: x
                    .leading
                    .iter()
                    .filter(|(p, _)| *p >= 0.0005)
                    .take(5)
                    .map(|(p, l)| format!("{l} {:.1}%", p * 100.0))
                    .collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.posterior
            .partial_cmp(&a.posterior)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.id.cmp(&b.id))
    });
    out
}

/// The state-level verdict sentence.
fn state_statement(states: &[StateResult]) -> String {
    let Some(top) = states.first() else {
        return String::new();
    };
    let p = top.posterior;
    let words = top.likelihood.words();
    match top.kind {
        StateKind::State => {
            let led = top
                .leading
                .first()
                .map(|l| format!(", led by {l}"))
                .unwrap_or_default();
            format!(
                "At the level of states, it is {words} ({:.0}%) that the intrusion was conducted by actors attributed to {}, its known groups and a group of it not in the knowledge base summed{led}.",
                p * 100.0,
                top.label
            )
        }
        StateKind::NoState => format!(
            "At the level of states, no state leads: the most probable reading is a known actor with no state on record ({:.0}%, {words}).",
            p * 100.0
        ),
        StateKind::Unknown => format!(
            "At the level of states, no state leads: the most probable reading is an actor not in the knowledge base ({:.0}%, {words}).",
            p * 100.0
        ),
        StateKind::FalseFlag => format!(
            "At the level of states, no state leads: it is {words} ({:.0}%) that someone imitated a known actor.",
            p * 100.0
        ),
        StateKind::Declared => format!(
            "At the level of states, no state leads: it is {words} ({:.0}%) that {}.",
            p * 100.0,
            top.label
        ),
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
    let all = &sc[0];
    if no_costly.items_kept == all.items_kept {
        s.push_str(" There is no costly-to-forge evidence.");
    } else if no_costly.leader == v.leader {
        let (p0, p1) = (v.probability, no_costly.baseline_leader_probability);
        let moved = if (p1 - p0).abs() < 0.005 {
            format!("stays at {:.0}%", p1 * 100.0)
        } else if p1 < p0 {
            format!("falls to {:.0}%", p1 * 100.0)
        } else {
            format!("rises to {:.0}%", p1 * 100.0)
        };
        s.push_str(&format!(
            " Without the costly evidence, {} {moved} ({}).",
            v.leader_label,
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
        Some(p) => {
            s.push_str(&format!(
                " The cheapest plant that flips the verdict is {} item(s) ({} effort units, up to {} to forge); ",
                p.items.len(), p.effort, p.hardest.as_str()
            ));
            if p.new_probability < 0.45 {
                s.push_str(&format!(
                    "nothing would then lead clearly: the most probable hypothesis would be {} at only {:.0}% ({}).",
                    p.new_leader_label,
                    p.new_probability * 100.0,
                    Likelihood::from_probability(p.new_probability).words()
                ));
            } else {
                s.push_str(&format!(
                    "{} would then lead at {:.0}% ({}).",
                    p.new_leader_label,
                    p.new_probability * 100.0,
                    Likelihood::from_probability(p.new_probability).words()
                ));
            }
        }
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
    // a named actor, or a state's unknown group (its state markers can be
    // planted like anything else)
    let h = &engine.hyps[lead];
    if !(h.kind == HypothesisKind::Actor
        || (h.kind == HypothesisKind::UnknownActor && h.state.is_some()))
    {
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
    holds: &Holdings,
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
    // with an analysis date, suggestions resting only on undated links come after
    let mut undated: Vec<Suggestion> = Vec::new();
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
        let users_on_top: Vec<usize> = top_actors
            .iter()
            .filter_map(|&h| actor_of(h))
            .filter(|a| users.contains(a))
            .collect();
        let used_by: Vec<String> = users_on_top
            .iter()
            .map(|&a| kb.actors[a].name.clone())
            .collect();
        // with an analysis date, a link none of whose citations is dated by
        // then may be knowledge from later reports: said, and ranked after
        let undated_on = holds.as_of.filter(|d| {
            !users_on_top.iter().any(|&a| {
                let p = kb.profile(a);
                let links = if is_soft { &p.software } else { &p.techniques };
                links.iter().filter(|l| l.index == idx).any(|l| {
                    ascribe_kb::link_basis(&l.citations, l.created.as_deref(), d)
                        == ascribe_core::KnowledgeBasis::Dated
                })
            })
        });
        let when = match undated_on {
            Some(d) => format!(
                "; no citation of that link is dated by {d}, so it may come from later reports"
            ),
            None => String::new(),
        };
        let into = if undated_on.is_some() {
            &mut undated
        } else {
            &mut scored
        };
        into.push(Suggestion {
            what,
            why: format!(
                "{name} is in the profile of {} and of {} of {} profiled groups overall{when}",
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
    sort_by_gain(&mut undated);
    out.extend(scored.into_iter().chain(undated).take(5));

    // costly evidence that separates the leading actor from a false flag
    if let Some(&h) = top_actors.first() {
        let name = label(kb, &engine.hyps[h], 0, &engine.declared);
        let target = engine.hyps[h].actor.clone();
        let same = |x: usize| engine.hyps[x].actor == target;
        // what the case already holds is not asked for again
        let col = engine.hyps[h].col;
        let has = |kind: EvidenceKind| {
            items
                .iter()
                .enumerate()
                .any(|(i, e)| e.kind == kind && col.is_some_and(|c| engine.raw(i, c) > 0.0))
        };
        let mut generic: Vec<(String, String, (f64, f64, f64))> = Vec::new();
        if !has(EvidenceKind::CodeReuse) {
            let (what, why) = if holds.binaries {
                (
                    format!("Reference samples of {name}'s known families, indexed (`ascribe index add`) so that the case's binaries can be compared with them at function level"),
                    "the case's binaries are here but were not matched to any family: shared private code is costly to forge and separates the actor from an imitator",
                )
            } else {
                (
                    format!("Binaries for function-level code-reuse comparison with {name}'s known families"),
                    "shared private code is costly to forge: it separates the actor from an imitator",
                )
            };
            generic.push((
                what,
                why.to_string(),
                (0.5, q[2] * 0.5 + (1.0 - q[2]) * 0.01, 0.01),
            ));
        }
        if !has(EvidenceKind::Infrastructure) {
            generic.push((
                format!("Infrastructure history (passive DNS, hosting, registrations) against {name}'s known infrastructure"),
                "infrastructure reuse is moderately costly to forge and often links campaigns".to_string(),
                (0.3, q[1] * 0.3 + (1.0 - q[1]) * 0.02, 0.02),
            ));
        }
        if !holds.binaries && !items.iter().any(|e| e.kind == EvidenceKind::Certificate) {
            generic.push((
                "Code-signing certificates of the samples".to_string(),
                "a valid signature needs a private key: costly to forge".to_string(),
                (0.1, 0.01, 0.01),
            ));
        }
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
                why,
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
