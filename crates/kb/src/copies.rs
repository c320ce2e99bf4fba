//! Undated links that restate removed ones.
//!
//! Community sets — Tidal's software links and the `uses` lists of the MISP
//! galaxy — largely copy ATT&CK's links without their citations. When a
//! rule removes a link because of what it cites (reports published after
//! the analysis date, a held-out publisher, the report about the very case
//! being judged), an undated copy of the same pair would bring the removed
//! knowledge straight back. Such a copy goes with the link it restates.
//!
//! "The same pair" is decided by name: any name or alias of each end,
//! normalised, because the copies join other entities (a MISP cluster, a
//! Tidal object) that stand for the same actor and the same software.
//! A link with a dated citation is never a copy: its date is its own
//! evidence of when, and from whom, it was known.

use ascribe_core::{normalize_name, KbFacts, Relation, RelationKind};
use std::collections::{HashMap, HashSet};

fn uuid_part(id: &str) -> &str {
    id.rsplit("--").next().unwrap_or(id)
}

/// Every name and alias of every entity, by id and by bare UUID (MISP
/// relations name their ends by UUID).
pub struct LinkNames<'a> {
    by_id: HashMap<&'a str, Vec<String>>,
}

impl<'a> LinkNames<'a> {
    pub fn new(facts: &'a KbFacts) -> Self {
        let mut by_id: HashMap<&'a str, Vec<String>> = HashMap::new();
        for e in &facts.entities {
            let mut v: Vec<String> = std::iter::once(&e.name)
                .chain(e.aliases.iter())
                .map(|n| normalize_name(n))
                .filter(|n| !n.is_empty())
                .collect();
            v.sort();
            v.dedup();
            by_id.insert(uuid_part(&e.id), v.clone());
            by_id.insert(e.id.as_str(), v);
        }
        LinkNames { by_id }
    }

    /// The normalised names of an entity (empty for an unknown id).
    pub fn names(&self, id: &str) -> &[String] {
        self.by_id
            .get(id)
            .or_else(|| self.by_id.get(uuid_part(id)))
            .map(|v| v.as_slice())
            .unwrap_or(&[])
    }

    /// Add the (source name, target name) pairs of `r` to `pairs`.
    pub fn add_pairs<'s>(&'s self, r: &Relation, pairs: &mut HashSet<(&'s str, &'s str)>) {
        for a in self.names(&r.src) {
            for b in self.names(&r.dst) {
                pairs.insert((a.as_str(), b.as_str()));
            }
        }
    }

    /// Whether `r` joins a pair of names in `pairs`.
    pub fn restates(&self, r: &Relation, pairs: &HashSet<(&str, &str)>) -> bool {
        let dst = self.names(&r.dst);
        self.names(&r.src).iter().any(|a| {
            dst.iter()
                .any(|b| pairs.contains(&(a.as_str(), b.as_str())))
        })
    }
}

/// Whether `r` could be a community copy: a `uses` link none of whose
/// citations carries a date.
pub fn undated_uses(r: &Relation) -> bool {
    r.kind == RelationKind::Uses && r.citations.iter().all(|c| c.date.is_none())
}

/// The indexes in `facts.relations` of the undated `uses` links (see
/// [`undated_uses`]) that restate a `uses` link for which `removed` is true,
/// and are not themselves removed. Callers drop both.
pub fn restating_copies(facts: &KbFacts, removed: impl Fn(&Relation) -> bool) -> Vec<usize> {
    let gone: Vec<bool> = facts.relations.iter().map(&removed).collect();
    let mut removed_uses = facts
        .relations
        .iter()
        .zip(&gone)
        .filter(|(r, g)| **g && r.kind == RelationKind::Uses)
        .map(|(r, _)| r)
        .peekable();
    if removed_uses.peek().is_none() {
        return Vec::new();
    }
    // the name index is built only when a `uses` link goes
    let names = LinkNames::new(facts);
    let mut pairs: HashSet<(&str, &str)> = HashSet::new();
    for r in removed_uses {
        names.add_pairs(r, &mut pairs);
    }
    facts
        .relations
        .iter()
        .enumerate()
        .filter(|(i, r)| !gone[*i] && undated_uses(r) && names.restates(r, &pairs))
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ascribe_core::{Citation, Entity, EntityKind};

    fn rel(src: &str, dst: &str, cit: Option<(&str, Option<&str>)>) -> Relation {
        Relation {
            kind: RelationKind::Uses,
            src: src.into(),
            dst: dst.into(),
            source: "s".into(),
            id: None,
            citations: cit
                .map(|(n, d)| Citation {
                    source_name: n.into(),
                    url: None,
                    date: d.map(String::from),
                })
                .into_iter()
                .collect(),
            created: None,
        }
    }

    #[test]
    fn an_undated_copy_goes_with_the_link_it_restates() {
        let mut g = Entity::new("intrusion-set--g", EntityKind::Group, "attack", "APT38");
        g.aliases.push("BlueNoroff".into());
        let m = Entity::new("misp--1234", EntityKind::MispActor, "misp", "Bluenoroff");
        let s = Entity::new("malware--s", EntityKind::Malware, "attack", "DYEPACK");
        let t = Entity::new("misp--5678", EntityKind::MispFamily, "misp", "Dyepack");
        let other = Entity::new("malware--o", EntityKind::Malware, "attack", "Other");
        let facts = KbFacts {
            sources: vec![],
            entities: vec![g, m, s, t, other],
            relations: vec![
                // 0: the removed link
                rel(
                    "intrusion-set--g",
                    "malware--s",
                    Some(("Vendor X", Some("2018"))),
                ),
                // 1: a galaxy copy between other entities of the same names (by UUID)
                rel("1234", "5678", Some(("MISP galaxy: Tool: Dyepack", None))),
                // 2: an independent, dated report of the same pair: kept
                rel("misp--1234", "malware--s", Some(("Vendor Y", Some("2017")))),
                // 3: another pair: kept
                rel("misp--1234", "malware--o", None),
            ],
        };
        let copies = restating_copies(&facts, |r| {
            r.citations.iter().any(|c| c.source_name == "Vendor X")
        });
        assert_eq!(copies, vec![1]);
        assert!(restating_copies(&facts, |_| false).is_empty());
    }
}
