//! Running ascribe and the baselines on benchmark cases.

use crate::cases::{CaseSpec, Set, Split};
use crate::metrics::{outcome, softmax, Outcome};
use ascribe_core::{HypothesisKind, KbFacts, Observation, ObservationKind, Source, SourceKind};
use ascribe_kb::KnowledgeBase;
use ascribe_reason::{Engine, EvidenceBuilder, Params, TtpModel};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};

/// A named ascribe configuration to measure.
#[derive(Debug, Clone)]
pub struct Variant {
    pub name: String,
    pub ttp: TtpModel,
    /// γ of the activity prior.
    pub activity: f64,
    /// Only these multipliers of [`TEMPERATURES`] are assessed (empty:
    /// all); the others get an outcome with an infinite Brier score, so
    /// that no fit picks them (`--ablation-temperatures`).
    pub temperatures: Vec<f64>,
}

/// The outcome recorded for a temperature a variant skips.
pub const SKIPPED: Outcome = Outcome {
    higher: usize::MAX / 2,
    ties: 0,
    p_true: 0.0,
    top_p: 0.0,
    sum_sq: f64::INFINITY,
};

/// Temperatures tried when fitting.
pub const TEMPERATURES: [f64; 16] = [
    0.6, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.7, 2.0, 2.5, 3.0, 4.0, 6.0, 10.0,
];
/// Softmax sharpness tried for the similarity baselines.
pub const BETAS: [f64; 16] = [
    1.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0, 70.0, 100.0, 150.0,
];

/// The evidence that carried a verdict: label and log10 contribution.
pub type Carried = Vec<(String, f64)>;

/// Results of one case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    pub index: usize,
    /// Group used for macro averages (first true group).
    pub group: String,
    pub set: Set,
    pub split: Split,
    /// `[variant][temperature]`.
    #[serde(skip)]
    pub ascribe: Vec<Vec<Outcome>>,
    /// Leading actor and what carried it, per variant and temperature.
    #[serde(skip)]
    pub explain: Vec<Vec<Explanation>>,
    /// Per sharpness β.
    #[serde(skip)]
    pub jaccard: Vec<Outcome>,
    #[serde(skip)]
    pub tfidf: Vec<Outcome>,
    /// Observations the knowledge base could not weigh.
    pub warnings: Vec<String>,
    /// Whether a true group still has a technique or software profile.
    pub truth_has_profile: bool,
    /// The shipped model's whole posterior (unknown actor and false flags
    /// included), at the shipped temperature.
    #[serde(skip)]
    pub full: Option<FullPost>,
    /// Open set with a true state: the log-likelihood ratio (against the
    /// stateless unknown actor) of *an unknown group of the true state*
    /// for each β of [`STATE_BETAS`] (the shipped model otherwise).
    #[serde(skip)]
    pub state_llr: Vec<f64>,
    /// New-report and open-set cases: the whole posterior for each β of
    /// [`STATE_BETAS`] (the shipped model otherwise), so that β can be
    /// fitted on the known and open fitting halves together.
    #[serde(skip)]
    pub full_by_beta: Vec<FullPost>,
}

/// Values of β (the unknown groups' resemblance to their state's known
/// groups) whose likelihood the open set measures.
pub const STATE_BETAS: [f64; 9] = [0.0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0];

/// The log-likelihood ratio of *an unknown group of `state`* against the
/// stateless unknown actor, with resemblance β, for each β of
/// [`STATE_BETAS`].
fn state_llr(
    kb: &KnowledgeBase,
    evidence: &[ascribe_core::Evidence],
    weights: &HashMap<String, f64>,
    state: &str,
) -> Vec<f64> {
    let shares = ascribe_reason::unknown_states::state_shares(kb);
    STATE_BETAS
        .iter()
        .map(|&b| {
            let mut items = evidence.to_vec();
            ascribe_reason::unknown_states::augment(
                &mut items,
                kb,
                weights,
                b,
                Params::default().state_resemblance_costly,
            );
            let engine = Engine::with_hypotheses(
                &items,
                kb.actors.len(),
                Params::default(),
                weights,
                &[],
                &shares,
            );
            let ev = engine.evaluate_all();
            engine
                .hyps
                .iter()
                .position(|h| {
                    h.kind == HypothesisKind::UnknownActor
                        && h.state
                            .as_deref()
                            .is_some_and(|s| s.eq_ignore_ascii_case(state))
                })
                .map_or(f64::NAN, |h| ev.score[h])
        })
        .collect()
}

/// Kind of a hypothesis of [`FullPost`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum HypKind {
    Actor,
    FalseFlag,
    /// The aggregate of unsupported actors or of their false flags.
    Aggregate,
    /// An unknown group of a state (its prior comes out of `p_u`).
    UnknownState,
    /// A false flag posing as a state (its prior comes out of `p_u`).
    UnknownStateFalseFlag,
}

impl HypKind {
    /// Whether the entry's prior is a share of `p_u` (rather than of `1 − p_u`).
    pub fn of_unknown(self) -> bool {
        matches!(self, HypKind::UnknownState | HypKind::UnknownStateFalseFlag)
    }
}

/// An engine posterior in a form that can be re-evaluated for any prior
/// P(unknown) `p_u` and any recalibration: every hypothesis but the
/// unknown actor has log weight `a + ln(1 − p_u)`, the unknown actor
/// `ln p_u` (its likelihood ratio is 1 by construction).
#[derive(Debug, Clone, Serialize)]
pub struct FullPost {
    /// Log of prior share × likelihood ratio, the factor `1 − p_u` taken out.
    pub a: Vec<f64>,
    pub kind: Vec<HypKind>,
    /// How many hypotheses an entry stands for (the aggregates share their
    /// mass equally).
    pub mult: Vec<u32>,
    /// The entry holding the true group (an actor, or the aggregate of
    /// unsupported actors when it has no support).
    pub truth: Option<usize>,
    /// For an actor's entry, the entry of "a false flag imitating it".
    pub partner: Vec<Option<usize>>,
    /// Log of the stateless unknown actor's share of `p_u` (0 without
    /// unknown groups of states). Entries of [`HypKind::of_unknown`] kinds
    /// have log weight `a + ln p_u`.
    pub u0: f64,
}

/// What the printed verdict says for one case at one `p_u`.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct VerdictOutcome {
    /// The leader is the unknown actor.
    pub unknown_leads: bool,
    /// The leader is a knowledge-base actor.
    pub actor_leads: bool,
    /// The leader is the right answer (the true group, or the unknown
    /// actor in the open set).
    pub correct: bool,
    /// The leader's probability.
    pub p_leader: f64,
    /// Before any recalibration: the leader's probability plus that of
    /// the false flag imitating it (what a recalibration maps).
    pub p_block: f64,
    /// Probability of the right answer.
    pub p_true: f64,
    /// Σ p² over every hypothesis.
    pub sum_sq: f64,
    /// The true group ranks first among the knowledge-base actors
    /// (closed-set cases only).
    pub truth_first_among_actors: bool,
}

impl VerdictOutcome {
    pub fn brier(&self) -> f64 {
        (self.sum_sq - 2.0 * self.p_true + 1.0).max(0.0)
    }
}

impl FullPost {
    /// The posterior at `p_u`, then recalibrated, scored against the
    /// true group (`open == false`) or the unknown actor (`open == true`).
    pub fn verdict(
        &self,
        pu: f64,
        cal: &ascribe_reason::calibrate::Recalibration,
        open: bool,
    ) -> VerdictOutcome {
        let pu = pu.clamp(1e-9, 1.0 - 1e-9);
        let ln_rest = (1.0 - pu).ln();
        let lw: Vec<f64> = self
            .a
            .iter()
            .zip(&self.kind)
            .map(|(a, k)| a + if k.of_unknown() { pu.ln() } else { ln_rest })
            .collect();
        let l0 = pu.ln() + self.u0;
        let m = lw.iter().copied().fold(l0, f64::max);
        let wu = (l0 - m).exp();
        let w: Vec<f64> = lw.iter().map(|l| (l - m).exp()).collect();
        let z = wu + w.iter().sum::<f64>();
        // index 0 = unknown, then the entries
        let mut post: Vec<f64> = std::iter::once(wu / z)
            .chain(w.iter().map(|x| x / z))
            .collect();
        // leader: never an aggregate; ties to the earlier (unknown first)
        let mut lead = 0;
        for i in 1..post.len() {
            if self.kind[i - 1] != HypKind::Aggregate && post[i] > post[lead] {
                lead = i;
            }
        }
        let actor_leads = lead > 0 && self.kind[lead - 1] == HypKind::Actor;
        // "an actor not in the knowledge base": the stateless one or a
        // state's unknown group
        let unknown_leads = lead == 0 || self.kind[lead - 1] == HypKind::UnknownState;
        let p_unknown = post[0]
            + (1..post.len())
                .filter(|&i| self.kind[i - 1] == HypKind::UnknownState)
                .map(|i| post[i])
                .sum::<f64>();
        let partner = if lead > 0 {
            self.partner[lead - 1].map(|f| f + 1)
        } else {
            None
        };
        let p_block = post[lead] + partner.map_or(0.0, |f| post[f]);
        if actor_leads {
            cal.apply(&mut post, lead, partner);
        }
        let share = |i: usize| -> f64 {
            if i == 0 {
                post[0]
            } else {
                post[i] / f64::from(self.mult[i - 1].max(1))
            }
        };
        let sum_sq = post[0] * post[0]
            + (1..post.len())
                .map(|i| f64::from(self.mult[i - 1].max(1)) * share(i).powi(2))
                .sum::<f64>();
        let truth_first_among_actors = !open
            && self.truth.is_some_and(|t| {
                self.kind[t] == HypKind::Actor
                    && (0..self.a.len()).all(|j| match self.kind[j] {
                        _ if j == t => true,
                        HypKind::Actor => self.a[j] < self.a[t],
                        HypKind::Aggregate if self.mult[j] > 0 => {
                            self.a[j] - f64::from(self.mult[j]).ln() < self.a[t]
                        }
                        _ => true,
                    })
            });
        let (correct, p_true) = if open {
            (unknown_leads, p_unknown)
        } else {
            match self.truth {
                Some(t) => (lead == t + 1, share(t + 1)),
                None => (false, 0.0),
            }
        };
        VerdictOutcome {
            unknown_leads,
            actor_leads,
            correct,
            p_leader: post[lead],
            p_block,
            p_true,
            sum_sq,
            truth_first_among_actors,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Explanation {
    pub leader: String,
    pub leader_p: f64,
    /// Items that most supported the leader.
    pub for_leader: Carried,
    /// Items that most supported the true group.
    pub for_truth: Carried,
}

fn observations(case: &CaseSpec) -> Vec<Observation> {
    let source = Source {
        id: "report".into(),
        title: case.source.clone(),
        url: None,
        date: None,
        kind: SourceKind::Analysis,
        file: None,
    };
    let mut out = Vec::new();
    for t in &case.techniques {
        out.push(Observation {
            id: format!("technique-{}", out.len() + 1),
            kind: ObservationKind::Technique { id: t.clone() },
            source: source.clone(),
            location: None,
            note: None,
            status: Default::default(),
            forge_cost_override: None,
            fact_key: None,
            illustrative: false,
        });
    }
    for s in &case.software {
        out.push(Observation {
            id: format!("software-{}", out.len() + 1),
            kind: ObservationKind::Software {
                name: s.clone(),
                leaked: false,
            },
            source: source.clone(),
            location: None,
            note: None,
            status: Default::default(),
            forge_cost_override: None,
            fact_key: None,
            illustrative: false,
        });
    }
    out
}

/// The facts a case is assessed against: the leakage rule applied. An
/// undated `uses` link that restates a removed one (a community copy of
/// it, [`ascribe_kb::copies`]) is removed with it, else the copy would
/// hand the removed report's knowledge back.
pub fn case_facts(facts: &KbFacts, case: &CaseSpec) -> KbFacts {
    let removed = |r: &ascribe_core::Relation| {
        r.id.as_ref()
            .is_some_and(|id| case.remove_relations.contains(id))
            || case.remove_entities.contains(&r.src)
            || case.remove_entities.contains(&r.dst)
    };
    let copies: HashSet<usize> = if case.remove_relations.is_empty() {
        HashSet::new()
    } else {
        ascribe_kb::copies::restating_copies(facts, |r| {
            r.id.as_ref()
                .is_some_and(|id| case.remove_relations.contains(id))
        })
        .into_iter()
        .collect()
    };
    let mut f = KbFacts {
        sources: facts.sources.clone(),
        entities: facts
            .entities
            .iter()
            .filter(|e| !case.remove_entities.contains(&e.id))
            .cloned()
            .collect(),
        relations: facts
            .relations
            .iter()
            .enumerate()
            .filter(|(i, r)| !removed(r) && !copies.contains(i))
            .map(|(_, r)| r.clone())
            .collect(),
    };
    if !case.strip_citations.is_empty() {
        for r in &mut f.relations {
            r.citations
                .retain(|c| !case.strip_citations.contains(&c.source_name));
        }
    }
    f
}

/// Feature sets of every actor with a profile: techniques as `t<idx>`,
/// software as `s<idx>`.
fn profiles(kb: &KnowledgeBase) -> Vec<(usize, BTreeSet<u64>)> {
    (0..kb.actors.len())
        .filter_map(|a| {
            let mut f: BTreeSet<u64> = kb
                .actor_techniques(a)
                .into_iter()
                .map(|t| t as u64)
                .collect();
            f.extend(
                kb.actor_software(a)
                    .into_iter()
                    .map(|s| (1u64 << 32) | s as u64),
            );
            (!f.is_empty()).then_some((a, f))
        })
        .collect()
}

fn query_features(kb: &KnowledgeBase, case: &CaseSpec) -> BTreeSet<u64> {
    let mut q = BTreeSet::new();
    for t in &case.techniques {
        match kb.technique(t) {
            ascribe_kb::TechniqueLookup::Found(i)
            | ascribe_kb::TechniqueLookup::Revoked { new: i, .. } => {
                q.insert(i as u64);
            }
            _ => {}
        }
    }
    for s in &case.software {
        if let ascribe_kb::Resolution::Found { index, .. } = kb.resolve_software(s) {
            q.insert((1u64 << 32) | index as u64);
        }
    }
    q
}

/// Jaccard and TF-IDF cosine scores of every profiled actor.
fn baseline_scores(profs: &[(usize, BTreeSet<u64>)], q: &BTreeSet<u64>) -> (Vec<f64>, Vec<f64>) {
    let n = profs.len().max(1) as f64;
    let mut df: HashMap<u64, usize> = HashMap::new();
    for (_, p) in profs {
        for &f in p {
            *df.entry(f).or_default() += 1;
        }
    }
    let idf = |f: &u64| -> f64 {
        match df.get(f) {
            Some(&d) => (n / d as f64).ln(),
            None => n.ln(),
        }
    };
    let qn = q.iter().map(|f| idf(f).powi(2)).sum::<f64>().sqrt();
    let mut jac = Vec::with_capacity(profs.len());
    let mut cos = Vec::with_capacity(profs.len());
    for (_, p) in profs {
        let inter = q.intersection(p).count() as f64;
        let uni = (q.len() + p.len()) as f64 - inter;
        jac.push(if uni > 0.0 { inter / uni } else { 0.0 });
        let pn = p.iter().map(|f| idf(f).powi(2)).sum::<f64>().sqrt();
        let dot: f64 = q.intersection(p).map(|f| idf(f).powi(2)).sum();
        cos.push(if qn > 0.0 && pn > 0.0 {
            dot / (qn * pn)
        } else {
            0.0
        });
    }
    (jac, cos)
}

fn baseline_outcomes(scores: &[f64], truth: &[usize], rest: usize) -> Vec<Outcome> {
    BETAS
        .iter()
        .map(|&b| {
            let (p, rp) = softmax(scores, rest, 0.0, b);
            outcome(scores, &p, truth, rest, 0.0, rp)
        })
        .collect()
}

/// Weigh built evidence and score the true group(s) among the named actors;
/// also say which items carried the leader and the truth.
fn ascribe_outcome(
    kb: &KnowledgeBase,
    evidence: &[ascribe_core::Evidence],
    truth_ids: &[String],
    weights: &HashMap<String, f64>,
    want_full: bool,
    beta: Option<f64>,
) -> (Outcome, Explanation, Option<FullPost>) {
    let mut params = Params::default();
    if let Some(b) = beta {
        params.state_resemblance = b;
    }
    let mut items = evidence.to_vec();
    ascribe_reason::unknown_states::augment(
        &mut items,
        kb,
        weights,
        params.state_resemblance,
        params.state_resemblance_costly,
    );
    let shares = ascribe_reason::unknown_states::state_shares(kb);
    let engine = Engine::with_hypotheses(
        &items,
        kb.actors.len(),
        params.clone(),
        weights,
        &[],
        &shares,
    );
    let ev = engine.evaluate_all();
    let full = want_full.then(|| {
        let priors = engine.priors();
        let pu = params.prior_unknown.clamp(1e-6, 1.0 - 1e-6);
        let rest = (engine.n_actors - engine.active.len()) as u32;
        let mut fp = FullPost {
            a: Vec::new(),
            kind: Vec::new(),
            mult: Vec::new(),
            truth: None,
            partner: Vec::new(),
            u0: (1.0 - shares.iter().map(|x| x.1).sum::<f64>())
                .max(1e-300)
                .ln(),
        };
        let mut actor_entry: HashMap<&str, usize> = HashMap::new();
        for (h, hyp) in engine.hyps.iter().enumerate() {
            if hyp.kind == HypothesisKind::UnknownActor && hyp.state.is_none() {
                continue;
            }
            let (k, m) = if hyp.state.is_some() {
                if hyp.kind == HypothesisKind::FalseFlag {
                    (HypKind::UnknownStateFalseFlag, 1)
                } else {
                    (HypKind::UnknownState, 1)
                }
            } else if engine.is_aggregate(h) {
                (HypKind::Aggregate, rest)
            } else if hyp.kind == HypothesisKind::FalseFlag {
                (HypKind::FalseFlag, 1)
            } else {
                (HypKind::Actor, 1)
            };
            let is_truth = match hyp.kind {
                HypothesisKind::Actor => hyp.actor.as_ref().is_some_and(|a| truth_ids.contains(a)),
                HypothesisKind::OtherActors => true,
                _ => false,
            };
            if is_truth && fp.truth.is_none_or(|t| fp.kind[t] == HypKind::Aggregate) {
                fp.truth = Some(fp.a.len());
            }
            let idx = fp.a.len();
            fp.partner.push(None);
            if let Some(a) = hyp.actor.as_deref() {
                match k {
                    HypKind::Actor => {
                        actor_entry.insert(a, idx);
                    }
                    HypKind::FalseFlag => {
                        if let Some(&x) = actor_entry.get(a) {
                            fp.partner[x] = Some(idx);
                        }
                    }
                    _ => {}
                }
            }
            let mass = if k.of_unknown() { pu } else { 1.0 - pu };
            fp.a.push(ev.score[h] + priors[h].max(1e-300).ln() - mass.ln());
            fp.kind.push(k);
            fp.mult.push(m);
        }
        fp
    });
    // Distribution over named actors: active columns and the aggregate of
    // the others (each of which shares its mass equally).
    let mut scores = Vec::new();
    let mut post = Vec::new();
    let mut cols = Vec::new();
    let mut rest_score = f64::NEG_INFINITY;
    let mut rest_post = 0.0;
    for (h, hyp) in engine.hyps.iter().enumerate() {
        match hyp.kind {
            HypothesisKind::Actor => {
                // rank by posterior: the prior weights differ by actor
                scores.push(ev.post[h].max(1e-300).ln());
                post.push(ev.post[h]);
                cols.push((hyp.actor.clone().unwrap_or_default(), hyp.col));
            }
            HypothesisKind::OtherActors => {
                rest_post = ev.post[h];
            }
            _ => {}
        }
    }
    let rest = engine.n_actors - scores.len();
    // the others share their mass equally (they all weigh alike: actors
    // without a profile have no reports)
    if rest > 0 {
        rest_score = (rest_post / rest as f64).max(1e-300).ln();
    }
    let z = post.iter().sum::<f64>() + rest_post;
    let probs: Vec<f64> = post.iter().map(|p| p / z.max(1e-300)).collect();
    let rest_p = if rest > 0 {
        rest_post / z.max(1e-300) / rest as f64
    } else {
        0.0
    };
    let mut truth: Vec<usize> = cols
        .iter()
        .enumerate()
        .filter(|(_, (id, _))| truth_ids.contains(id))
        .map(|(i, _)| i)
        .collect();
    // a true group without explicit support is among the rest
    let missing = truth_ids
        .iter()
        .filter(|t| !cols.iter().any(|(id, _)| id == *t))
        .count();
    if missing > 0 {
        truth.push(usize::MAX);
    }
    let mut o = outcome(&scores, &probs, &truth, rest, rest_score, rest_p);
    if missing > 1 {
        o.p_true += (missing - 1) as f64 * rest_p;
    }
    // explanation
    let lead = (0..scores.len()).max_by(|&a, &b| {
        scores[a]
            .partial_cmp(&scores[b])
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let carried = |col: Option<usize>| -> Carried {
        let Some(c) = col else { return Vec::new() };
        let mut v: Vec<(String, f64)> = evidence
            .iter()
            .enumerate()
            .map(|(i, e)| {
                (
                    e.summary.clone(),
                    ev.contrib[i][c] / std::f64::consts::LN_10,
                )
            })
            .filter(|(_, w)| *w > 0.0)
            .collect();
        v.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal));
        v.truncate(5);
        v
    };
    let truth_col = cols
        .iter()
        .find(|(id, _)| truth_ids.contains(id))
        .and_then(|(_, c)| *c);
    let ex = Explanation {
        leader: lead.map(|i| cols[i].0.clone()).unwrap_or_default(),
        leader_p: lead.map(|i| probs[i]).unwrap_or(0.0),
        for_leader: carried(lead.and_then(|i| cols[i].1)),
        for_truth: carried(truth_col),
    };
    (o, ex, full)
}

/// Run every variant (at every temperature) and both baselines on a case.
pub fn run_case(
    facts: &KbFacts,
    index: usize,
    case: &CaseSpec,
    variants: &[Variant],
    beta_fit: bool,
) -> CaseResult {
    let f = case_facts(facts, case);
    let kb = KnowledgeBase::build(&f);
    drop(f);
    let truth_ids: Vec<String> = case.truth.clone();
    let obs = observations(case);
    let mut ascribe = Vec::new();
    let mut explain = Vec::new();
    let mut warnings = Vec::new();
    let mut full = None;
    let mut sllr = Vec::new();
    let mut full_by_beta = Vec::new();
    for (vi, v) in variants.iter().enumerate() {
        let weights = ascribe_reason::actor_prior_weights(&kb, v.activity);
        let mut per_t = Vec::new();
        let mut ex_t = Vec::new();
        let mut m = v.ttp.clone();
        let t0 = m.temperature;
        m.temperature = 1.0;
        let built = EvidenceBuilder::with_ttp(&kb, m)
            .with_case_date(case.date.as_deref())
            .build(&obs);
        if warnings.is_empty() {
            warnings = built.warnings.clone();
        }
        for &t in &TEMPERATURES {
            if !v.temperatures.is_empty() && !v.temperatures.contains(&t) {
                per_t.push(SKIPPED);
                ex_t.push(Explanation::default());
                continue;
            }
            let mut evidence = built.evidence.clone();
            ascribe_reason::ttp::retemper(&mut evidence, t * t0);
            let want = vi == 0 && t == 1.0;
            let (o, ex, fp) = ascribe_outcome(&kb, &evidence, &truth_ids, &weights, want, None);
            if want {
                full = fp;
                if beta_fit && matches!(case.set, Set::Reports | Set::OpenSet) {
                    full_by_beta = STATE_BETAS
                        .iter()
                        .filter_map(|&b| {
                            ascribe_outcome(&kb, &evidence, &truth_ids, &weights, true, Some(b)).2
                        })
                        .collect();
                }
                if case.set == Set::OpenSet {
                    if let Some(st) = case.truth_state.as_deref() {
                        sllr = state_llr(&kb, &evidence, &weights, st);
                    }
                }
            }
            per_t.push(o);
            ex_t.push(ex);
        }
        ascribe.push(per_t);
        explain.push(ex_t);
    }
    // baselines over the same candidates (every knowledge-base actor)
    let profs = profiles(&kb);
    let q = query_features(&kb, case);
    let (jac, cos) = baseline_scores(&profs, &q);
    let truth: Vec<usize> = profs
        .iter()
        .enumerate()
        .filter(|(_, (a, _))| truth_ids.contains(&kb.actors[*a].id))
        .map(|(i, _)| i)
        .collect();
    let truth_has_profile = !truth.is_empty();
    let truth = if truth.is_empty() {
        vec![usize::MAX]
    } else {
        truth
    };
    let rest = kb.actors.len() - profs.len();
    CaseResult {
        index,
        group: case.truth.first().cloned().unwrap_or_default(),
        set: case.set,
        split: case.split,
        ascribe,
        explain,
        jaccard: baseline_outcomes(&jac, &truth, rest),
        tfidf: baseline_outcomes(&cos, &truth, rest),
        warnings,
        truth_has_profile,
        full,
        state_llr: sllr,
        full_by_beta,
    }
}

/// Run all cases in parallel.
pub fn run_all(
    facts: &KbFacts,
    cases: &[CaseSpec],
    variants: &[Variant],
    beta_fit: bool,
) -> Vec<CaseResult> {
    cases
        .par_iter()
        .enumerate()
        .map(|(i, c)| run_case(facts, i, c, variants, beta_fit))
        .collect()
}
