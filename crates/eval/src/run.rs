//! Running ascribe and the baselines on benchmark cases.

use crate::cases::{CaseSpec, Set, Split};
use crate::metrics::{outcome, softmax, Outcome};
use ascribe_core::{HypothesisKind, KbFacts, Observation, ObservationKind, Source, SourceKind};
use ascribe_kb::KnowledgeBase;
use ascribe_reason::{Engine, EvidenceBuilder, Params, TtpModel};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// A named ascribe configuration to measure.
#[derive(Debug, Clone)]
pub struct Variant {
    pub name: String,
    pub ttp: TtpModel,
    /// γ of the activity prior.
    pub activity: f64,
}

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

/// The facts a case is assessed against: the leakage rule applied.
pub fn case_facts(facts: &KbFacts, case: &CaseSpec) -> KbFacts {
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
            .filter(|r| {
                !r.id
                    .as_ref()
                    .is_some_and(|id| case.remove_relations.contains(id))
                    && !case.remove_entities.contains(&r.src)
                    && !case.remove_entities.contains(&r.dst)
            })
            .cloned()
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
) -> (Outcome, Explanation) {
    let engine = Engine::with_prior_weights(evidence, kb.actors.len(), Params::default(), weights);
    let ev = engine.evaluate_all();
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
    (o, ex)
}

/// Run every variant (at every temperature) and both baselines on a case.
pub fn run_case(
    facts: &KbFacts,
    index: usize,
    case: &CaseSpec,
    variants: &[Variant],
) -> CaseResult {
    let f = case_facts(facts, case);
    let kb = KnowledgeBase::build(&f);
    drop(f);
    let truth_ids: Vec<String> = case.truth.clone();
    let obs = observations(case);
    let mut ascribe = Vec::new();
    let mut explain = Vec::new();
    let mut warnings = Vec::new();
    for v in variants {
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
            let mut evidence = built.evidence.clone();
            ascribe_reason::ttp::retemper(&mut evidence, t * t0);
            let (o, ex) = ascribe_outcome(&kb, &evidence, &truth_ids, &weights);
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
    }
}

/// Run all cases in parallel.
pub fn run_all(facts: &KbFacts, cases: &[CaseSpec], variants: &[Variant]) -> Vec<CaseResult> {
    cases
        .par_iter()
        .enumerate()
        .map(|(i, c)| run_case(facts, i, c, variants))
        .collect()
}
