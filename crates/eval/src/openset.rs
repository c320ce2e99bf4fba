//! The open set: report cases whose true group is not in the knowledge base.
//!
//! For every "new report about a known group" case, the group leaves the
//! knowledge base entirely, with everything linked only to it:
//!
//! * every entity the knowledge base merges into the group's actor (the
//!   ATT&CK intrusion set and the MISP threat-actor clusters joined to it);
//! * every campaign attributed to no one else;
//! * every piece of software (ATT&CK malware or tool, MISP family) whose
//!   links to actors (groups, campaigns, MISP actors) all lead to what
//!   leaves;
//! * every relation touching any of these.
//!
//! The report case's own leakage rule (its report struck from the
//! citations) still applies. The right answer is "an actor not in the
//! knowledge base"; the case keeps the group's id in `truth` only to name
//! it. Cases keep the report's fit/test half.

use crate::cases::{CaseSpec, Set};
use ascribe_core::{EntityKind, KbFacts, RelationKind};
use ascribe_kb::KnowledgeBase;
use std::collections::{HashMap, HashSet};

/// What leaves the knowledge base with a group (entity ids).
pub fn group_closure(facts: &KbFacts, kb: &KnowledgeBase, group: &str) -> HashSet<String> {
    let mut gone: HashSet<String> = HashSet::new();
    let Some(a) = kb.actor_by_id(group) else {
        return gone;
    };
    gone.extend(kb.actors[a].members.iter().cloned());
    let kind: HashMap<&str, EntityKind> = facts
        .entities
        .iter()
        .map(|e| (e.id.as_str(), e.kind))
        .collect();
    let is_actorish = |id: &str| {
        matches!(
            kind.get(id),
            Some(EntityKind::Group | EntityKind::Campaign | EntityKind::MispActor)
        )
    };
    // campaigns attributed only to what leaves
    let mut attributed: HashMap<&str, Vec<&str>> = HashMap::new();
    for r in &facts.relations {
        if r.kind == RelationKind::AttributedTo
            && kind.get(r.src.as_str()) == Some(&EntityKind::Campaign)
        {
            attributed.entry(r.src.as_str()).or_default().push(&r.dst);
        }
    }
    for (c, to) in &attributed {
        if to.iter().all(|g| gone.contains(*g)) {
            gone.insert((*c).to_string());
        }
    }
    // software whose every actor link leads to what leaves
    let mut users: HashMap<&str, Vec<&str>> = HashMap::new();
    for r in &facts.relations {
        let (s, d) = (r.src.as_str(), r.dst.as_str());
        let sw = |x: &str| {
            matches!(
                kind.get(x),
                Some(EntityKind::Malware | EntityKind::Tool | EntityKind::MispFamily)
            )
        };
        if sw(d) && is_actorish(s) {
            users.entry(d).or_default().push(s);
        } else if sw(s) && is_actorish(d) {
            users.entry(s).or_default().push(d);
        }
    }
    for (s, by) in &users {
        if by.iter().all(|u| gone.contains(*u)) {
            gone.insert((*s).to_string());
        }
    }
    gone
}

/// Open-set cases from report cases (one per report case).
pub fn open_cases(facts: &KbFacts, reports: &[CaseSpec]) -> Vec<CaseSpec> {
    let kb = KnowledgeBase::build(facts);
    let mut closure: HashMap<String, HashSet<String>> = HashMap::new();
    reports
        .iter()
        .filter(|c| c.set == Set::Reports)
        .map(|c| {
            let g = c.truth.first().cloned().unwrap_or_default();
            let gone = closure
                .entry(g.clone())
                .or_insert_with(|| group_closure(facts, &kb, &g))
                .clone();
            let mut k = c.clone();
            k.id = format!("open | {}", c.id);
            k.set = Set::OpenSet;
            k.remove_entities.extend(gone);
            k
        })
        .collect()
}
