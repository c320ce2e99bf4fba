//! How much of a verdict rests on what could be known on the analysis date.
//!
//! For each weighed evidence item, the knowledge behind its ratio for the
//! leading named actor (the actor the evidence weights are computed for) is
//! classified as a [`KnowledgeBasis`]:
//!
//! * technique, software and code-reuse items whose actor link is in the
//!   actor's profile: the link's dating ([`ascribe_kb::link_basis`]: a
//!   citation on or before the date, or the source's record date, makes it
//!   *dated*; only later citations, *later*; otherwise *undated*). An item
//!   the actor's profile does not list weighs by the profile as it stood on
//!   the date: *dated*;
//! * language, time-zone and geolocation items: the actor's country, a MISP
//!   galaxy fact with no date: *undated*;
//! * claims, artifacts "known for" an actor and infrastructure overlaps
//!   stated by the case's sources: *case* when the source names the actor by
//!   its id or primary name, *undated* when the name reaches it only through
//!   an alias or a country;
//! * known infrastructure from the knowledge base: *undated*;
//! * the timing item (activity read from dated report citations): *dated*.
//!
//! New kinds of evidence fall back to the name they carry (as claims do), or
//! else *undated*.

use ascribe_core::{
    Assessment, Case, EvidenceKind, HypothesisKind, ItemReliance, KnowledgeAsOf, KnowledgeBasis,
    Observation, ObservationKind, PartialDate, WeighedEvidence,
};
use ascribe_kb::{ActorIdx, KnowledgeBase, MatchTier, ProfileLink, Resolution, TechniqueLookup};
use std::collections::BTreeMap;

/// The reliance figures of an assessment made as of `date` (`YYYY-MM-DD`;
/// `None` for an invalid date). The knowledge-base counts
/// (`knowledge_base`) are the caller's, who cut the facts.
pub fn knowledge_as_of(
    date: &str,
    case: &Case,
    kb: &KnowledgeBase,
    a: &Assessment,
) -> Option<KnowledgeAsOf> {
    let d = ascribe_core::parse_as_of(date).ok()?;
    let leader = a
        .hypotheses
        .iter()
        .find(|h| h.kind == HypothesisKind::Actor)
        .and_then(|h| {
            let r = h.actor.as_ref()?;
            Some((kb.actor_by_id(&r.id)?, r.id.clone(), h.label.clone()))
        });
    let mut out = KnowledgeAsOf {
        date: d.to_string(),
        knowledge_base: None,
        actor: leader.as_ref().map(|x| x.1.clone()),
        actor_label: leader.as_ref().map(|x| x.2.clone()),
        weight_total: 0.0,
        weight_by_basis: BTreeMap::new(),
        share_undated_or_later: 0.0,
        items: Vec::new(),
    };
    let Some((actor, _, _)) = leader else {
        return Some(out);
    };
    let mut abs_total = 0.0;
    let mut abs_hind = 0.0;
    for w in &a.evidence {
        if w.duplicate_of.is_some() {
            continue;
        }
        let obs = case
            .observations
            .iter()
            .find(|o| o.id == w.evidence.observation);
        let (basis, why) = if w
            .evidence
            .dependence
            .starts_with(crate::intel::INTEL_DEPENDENCE)
        {
            intel_basis(w, &a.infrastructure_matches, kb, actor)
        } else {
            classify(w, obs, kb, actor, &d)
        };
        out.weight_total += w.weight;
        *out.weight_by_basis
            .entry(basis.as_str().to_string())
            .or_default() += w.weight;
        abs_total += w.weight.abs();
        if matches!(basis, KnowledgeBasis::Undated | KnowledgeBasis::Later) {
            abs_hind += w.weight.abs();
            if w.weight.abs() >= 0.005 {
                out.items.push(ItemReliance {
                    evidence: w.evidence.id.clone(),
                    basis,
                    weight: w.weight,
                    why,
                });
            }
        }
    }
    out.share_undated_or_later = if abs_total > 0.0 {
        abs_hind / abs_total
    } else {
        0.0
    };
    out.items.sort_by(|x, y| {
        y.weight
            .abs()
            .partial_cmp(&x.weight.abs())
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(x.evidence.cmp(&y.evidence))
    });
    Some(out)
}

/// The best-dated of an actor's links to one technique or software.
fn links_basis(links: &[&ProfileLink], d: &PartialDate) -> Option<(KnowledgeBasis, String)> {
    let bases: Vec<KnowledgeBasis> = links
        .iter()
        .map(|l| ascribe_kb::link_basis(&l.citations, l.created.as_deref(), d))
        .collect();
    let best = [
        KnowledgeBasis::Dated,
        KnowledgeBasis::Undated,
        KnowledgeBasis::Later,
    ]
    .into_iter()
    .find(|b| bases.contains(b))?;
    let why = match best {
        KnowledgeBasis::Dated => "profile link cited by a report dated by then",
        KnowledgeBasis::Later => "profile link cited only by reports dated later",
        _ => "profile link with no dated citation",
    };
    Some((best, why.to_string()))
}

fn profile_basis(
    kb: &KnowledgeBase,
    actor: ActorIdx,
    technique: Option<usize>,
    software: Option<usize>,
    d: &PartialDate,
) -> Option<(KnowledgeBasis, String)> {
    let p = kb.profile(actor);
    let links: Vec<&ProfileLink> = match (technique, software) {
        (Some(t), _) => p.techniques.iter().filter(|l| l.index == t).collect(),
        (_, Some(s)) => p.software.iter().filter(|l| l.index == s).collect(),
        _ => return None,
    };
    links_basis(&links, d)
}

/// How a name that the case's source wrote reaches the actor.
fn by_name(kb: &KnowledgeBase, name: &str, actor: ActorIdx) -> (KnowledgeBasis, String) {
    match kb.resolve_actor(name) {
        Resolution::Found { index, tier } if index == actor => match tier {
            MatchTier::Id | MatchTier::Name => (
                KnowledgeBasis::Case,
                format!("the case's source names the actor ('{name}')"),
            ),
            _ => (
                KnowledgeBasis::Undated,
                format!("'{name}' reaches the actor only through an undated alias"),
            ),
        },
        _ => (
            KnowledgeBasis::Undated,
            format!("'{name}' reaches the actor through its country or a wider name (undated)"),
        ),
    }
}

/// An infrastructure item computed from intelligence: the records were
/// published by the date (later ones are never used), so the tie is
/// *dated* when a record names the actor by its id or primary name; through
/// an alias or a country it is *undated*, like any other name.
fn intel_basis(
    w: &WeighedEvidence,
    matches: &[ascribe_core::InfrastructureMatch],
    kb: &KnowledgeBase,
    actor: ActorIdx,
) -> (KnowledgeBasis, String) {
    let mut fallback = None;
    for m in matches
        .iter()
        .filter(|m| m.observation == w.evidence.observation && m.strength != "none")
    {
        for name in &m.actors {
            let (b, why) = by_name(kb, name, actor);
            if b == KnowledgeBasis::Case {
                return (
                    KnowledgeBasis::Dated,
                    format!(
                        "intelligence published by then ({}{}) names the actor ('{name}')",
                        m.source,
                        m.published
                            .as_deref()
                            .map(|d| format!(", {d}"))
                            .unwrap_or_default()
                    ),
                );
            }
            fallback.get_or_insert((b, why));
        }
    }
    fallback.unwrap_or((
        KnowledgeBasis::Undated,
        "infrastructure tied to the actor without a date".into(),
    ))
}

fn named(o: &ObservationKind) -> Option<&str> {
    match o {
        ObservationKind::Claim { target, .. } => Some(target),
        ObservationKind::Artifact { known_for, .. } => known_for.as_deref(),
        ObservationKind::CodeOverlap { actor, .. } => actor.as_deref(),
        ObservationKind::Indicator { overlaps, .. } => overlaps.as_deref(),
        ObservationKind::InfrastructureOverlap { overlaps, .. } => Some(overlaps),
        _ => None,
    }
}

fn classify(
    w: &WeighedEvidence,
    obs: Option<&Observation>,
    kb: &KnowledgeBase,
    actor: ActorIdx,
    d: &PartialDate,
) -> (KnowledgeBasis, String) {
    let undated = |why: &str| (KnowledgeBasis::Undated, why.to_string());
    let absent = || {
        (
            KnowledgeBasis::Dated,
            "the actor's profile as it stood on the date".to_string(),
        )
    };
    let kind = obs.map(|o| &o.kind);
    match w.evidence.kind {
        EvidenceKind::Timing => (
            KnowledgeBasis::Dated,
            "activity read from report citations dated by then".into(),
        ),
        EvidenceKind::Language | EvidenceKind::Timezone | EvidenceKind::Geolocation => {
            undated("the actor's country (MISP galaxy, no date)")
        }
        EvidenceKind::Technique => {
            let t = match kind {
                Some(ObservationKind::Technique { id }) => match kb.technique(id) {
                    TechniqueLookup::Found(t) | TechniqueLookup::Revoked { new: t, .. } => Some(t),
                    _ => None,
                },
                _ => None,
            };
            profile_basis(kb, actor, t, None, d).unwrap_or_else(absent)
        }
        EvidenceKind::Software => {
            let s = match kind {
                Some(ObservationKind::Software { name, .. }) => match kb.resolve_software(name) {
                    Resolution::Found { index, .. } => Some(index),
                    _ => None,
                },
                _ => None,
            };
            profile_basis(kb, actor, None, s, d).unwrap_or_else(absent)
        }
        EvidenceKind::CodeReuse => {
            if let Some(ObservationKind::CodeOverlap {
                family, actor: who, ..
            }) = kind
            {
                if let Resolution::Found { index, .. } = kb.resolve_software(family) {
                    if let Some(b) = profile_basis(kb, actor, None, Some(index), d) {
                        return b;
                    }
                }
                if let Some(n) = who {
                    return by_name(kb, n, actor);
                }
            }
            undated("code family tied to the actor without a dated link")
        }
        EvidenceKind::Infrastructure => {
            if let Some(ObservationKind::Indicator { value, .. }) = kind {
                if kb
                    .infrastructure_for(value)
                    .iter()
                    .any(|i| i.actor == actor)
                {
                    return undated("known infrastructure in the knowledge base (no date)");
                }
            }
            match kind.and_then(named) {
                Some(n) => by_name(kb, n, actor),
                None => undated("infrastructure tied to the actor without a date"),
            }
        }
        _ => match kind.and_then(named) {
            Some(n) => by_name(kb, n, actor),
            None => undated("knowledge without a date"),
        },
    }
}
