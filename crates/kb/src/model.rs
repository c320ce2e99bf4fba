//! The built knowledge base: merged actors, aliases, profiles.

use crate::countries::find_country;
use ascribe_core::{normalize_name, Citation, Entity, EntityKind, KbFacts, RelationKind};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Index of an actor in [`KnowledgeBase::actors`].
pub type ActorIdx = usize;
/// Index of a technique in [`KnowledgeBase::techniques`].
pub type TechIdx = usize;
/// Index of a software in [`KnowledgeBase::software`].
pub type SoftIdx = usize;

/// An actor: one ATT&CK group and/or the MISP actors that describe it.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    /// Stable id: the ATT&CK id (`G0032`) when there is one, else `misp:<uuid>`.
    pub id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attack_id: Option<String>,
    /// Entity ids merged into this actor (STIX ids, MISP uuids).
    pub members: Vec<String>,
    /// All names, primary first.
    pub aliases: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sponsor: Option<String>,
    /// Source keys that contributed.
    pub sources: Vec<String>,
}

impl Actor {
    /// The report form.
    pub fn to_ref(&self) -> ascribe_core::ActorRef {
        ascribe_core::ActorRef {
            id: self.id.clone(),
            name: self.name.clone(),
            attack_id: self.attack_id.clone(),
            country: self.country.clone(),
        }
    }
}

/// An ATT&CK technique.
#[derive(Debug, Clone, Serialize)]
pub struct Technique {
    pub attack_id: String,
    pub name: String,
    pub stix_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<TechIdx>,
    pub tactics: Vec<String>,
}

/// A piece of software: ATT&CK malware/tool and/or a Malpedia family.
#[derive(Debug, Clone, Serialize)]
pub struct Software {
    /// ATT&CK id (`S0364`), else `malpedia:<slug or uuid>`.
    pub id: String,
    pub name: String,
    pub kind: EntityKind,
    pub members: Vec<String>,
    pub aliases: Vec<String>,
}

/// How a name matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchTier {
    /// An identifier: ATT&CK id, STIX id, MISP uuid.
    Id,
    /// A primary name.
    Name,
    /// An alias or synonym.
    Alias,
    /// A name with a generic suffix removed ("Lazarus" for "Lazarus Group").
    Derived,
}

/// The outcome of resolving a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum Resolution {
    Found {
        index: usize,
        tier: MatchTier,
    },
    Ambiguous {
        candidates: Vec<usize>,
        tier: MatchTier,
    },
    NotFound,
}

/// A technique lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TechniqueLookup {
    Found(TechIdx),
    /// The id was revoked; this is its replacement.
    Revoked {
        old: String,
        new: TechIdx,
    },
    /// The id was deprecated with no replacement.
    Deprecated(String),
    NotFound,
}

/// One profile link with its provenance.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileLink {
    pub index: usize,
    /// Campaign through which the link is known, if not direct.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via_campaign: Option<String>,
    pub citations: Vec<Citation>,
    /// When the source recorded the relation (`YYYY-MM-DD`); with the
    /// citations' dates, [`crate::link_basis`] tells whether the link was
    /// known on an analysis date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
}

/// What the knowledge base knows about an actor's behaviour.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Profile {
    pub techniques: Vec<ProfileLink>,
    pub software: Vec<ProfileLink>,
    /// Campaign names with ATT&CK ids.
    pub campaigns: Vec<(String, Option<String>, Option<String>)>,
}

/// Known infrastructure entry.
#[derive(Debug, Clone, Serialize)]
pub struct InfraEntry {
    pub value_type: String,
    pub value: String,
    pub actor: ActorIdx,
    pub source: String,
}

/// Summary counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct KbStats {
    pub sources: Vec<ascribe_core::SourceInfo>,
    pub entities: BTreeMap<String, usize>,
    pub relations: BTreeMap<String, usize>,
    pub actors: usize,
    pub actors_with_attack_id: usize,
    pub actors_merged_with_misp: usize,
    pub techniques: usize,
    pub software: usize,
    pub infrastructure: usize,
    pub ambiguous_aliases: usize,
    pub misp_actors_not_merged_ambiguous: usize,
}

impl Profile {
    /// Distinct reports (citation names) behind the technique and software links.
    pub fn reports(&self) -> BTreeSet<&str> {
        self.techniques
            .iter()
            .chain(&self.software)
            .flat_map(|l| l.citations.iter().map(|c| c.source_name.as_str()))
            .collect()
    }
}

/// The built, queryable knowledge base.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeBase {
    pub actors: Vec<Actor>,
    pub techniques: Vec<Technique>,
    pub software: Vec<Software>,
    pub infrastructure: Vec<InfraEntry>,
    profiles: Vec<Profile>,
    tech_users: Vec<Vec<ActorIdx>>,
    soft_users: Vec<Vec<ActorIdx>>,
    /// Techniques each software is known to implement (ATT&CK software `uses`).
    soft_techniques: Vec<Vec<TechIdx>>,
    actor_alias: HashMap<String, Vec<(MatchTier, ActorIdx)>>,
    soft_alias: HashMap<String, Vec<(MatchTier, SoftIdx)>>,
    tech_by_id: HashMap<String, TechIdx>,
    revoked_tech: HashMap<String, String>,
    deprecated_tech: BTreeSet<String>,
    infra_by_value: HashMap<String, Vec<usize>>,
    actor_by_id: HashMap<String, ActorIdx>,
    /// Number of ATT&CK groups (actors with an ATT&CK id): the population for technique rarity.
    pub attack_groups: usize,
    stats: KbStats,
    /// MISP actors that matched several ATT&CK groups and were left unmerged.
    pub merge_ambiguities: Vec<(String, Vec<String>)>,
}

fn uuid_part(id: &str) -> &str {
    id.rsplit("--").next().unwrap_or(id)
}

const GENERIC_SUFFIXES: [&str; 5] = ["group", "team", "gang", "crew", "actors"];

fn derived_forms(name: &str) -> Vec<String> {
    let n = normalize_name(name);
    let mut out = Vec::new();
    for s in GENERIC_SUFFIXES {
        if let Some(stem) = n.strip_suffix(s) {
            if stem.len() >= 3 {
                out.push(stem.to_string());
            }
        }
    }
    out
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !s.trim().is_empty() && !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

impl KnowledgeBase {
    /// Build from facts of any number of sources.
    pub fn build(facts: &KbFacts) -> KnowledgeBase {
        let mut kb = KnowledgeBase::default();
        let ent_by_id: HashMap<&str, &Entity> =
            facts.entities.iter().map(|e| (e.id.as_str(), e)).collect();
        let live = |e: &&Entity| !e.revoked && !e.deprecated;

        // --- techniques
        let mut techs: Vec<&Entity> = facts
            .entities
            .iter()
            .filter(|e| e.kind == EntityKind::Technique)
            .filter(live)
            .filter(|e| e.external_id.is_some())
            .collect();
        techs.sort_by(|a, b| a.external_id.cmp(&b.external_id));
        techs.dedup_by(|a, b| a.external_id == b.external_id);
        let mut tech_by_stix: HashMap<&str, TechIdx> = HashMap::new();
        for e in &techs {
            let idx = kb.techniques.len();
            let aid = e.external_id.clone().unwrap_or_default();
            kb.tech_by_id.insert(aid.to_ascii_uppercase(), idx);
            tech_by_stix.insert(e.id.as_str(), idx);
            kb.techniques.push(Technique {
                attack_id: aid,
                name: e.name.clone(),
                stix_id: e.id.clone(),
                parent: None,
                tactics: e.tactics.clone(),
            });
        }
        for i in 0..kb.techniques.len() {
            let id = kb.techniques[i].attack_id.clone();
            if let Some((p, _)) = id.split_once('.') {
                kb.techniques[i].parent = kb.tech_by_id.get(p).copied();
            }
        }
        // revocations: old STIX id -> new STIX id, followed to a live object
        let revoked_by: HashMap<&str, &str> = facts
            .relations
            .iter()
            .filter(|r| r.kind == RelationKind::RevokedBy)
            .map(|r| (r.src.as_str(), r.dst.as_str()))
            .collect();
        for e in facts
            .entities
            .iter()
            .filter(|e| e.kind == EntityKind::Technique)
        {
            let Some(old) = e.external_id.clone() else {
                continue;
            };
            if e.revoked {
                let mut cur = e.id.as_str();
                let mut hops = 0;
                while let Some(next) = revoked_by.get(cur) {
                    cur = next;
                    hops += 1;
                    if hops > 16 {
                        break;
                    }
                }
                if let Some(&t) = tech_by_stix.get(cur) {
                    kb.revoked_tech
                        .insert(old.to_ascii_uppercase(), kb.techniques[t].attack_id.clone());
                }
            } else if e.deprecated && !kb.tech_by_id.contains_key(&old.to_ascii_uppercase()) {
                kb.deprecated_tech.insert(old.to_ascii_uppercase());
            }
        }

        // --- actors: every live ATT&CK group is an actor
        let mut actor_of: HashMap<&str, ActorIdx> = HashMap::new();
        let mut groups: Vec<&Entity> = facts
            .entities
            .iter()
            .filter(|e| e.kind == EntityKind::Group)
            .filter(live)
            .collect();
        groups.sort_by(|a, b| a.external_id.cmp(&b.external_id).then(a.id.cmp(&b.id)));
        for g in groups {
            let idx = kb.actors.len();
            let mut aliases = vec![g.name.clone()];
            for a in &g.aliases {
                push_unique(&mut aliases, a);
            }
            kb.actors.push(Actor {
                id: g.external_id.clone().unwrap_or_else(|| g.id.clone()),
                name: g.name.clone(),
                attack_id: g.external_id.clone(),
                members: vec![g.id.clone()],
                aliases,
                country: None,
                sponsor: None,
                sources: vec![g.source.clone()],
            });
            actor_of.insert(g.id.as_str(), idx);
            actor_of.insert(uuid_part(&g.id), idx);
        }
        kb.attack_groups = kb.actors.len();
        // Name index over ATT&CK groups for merging MISP actors.
        let mut group_by_name: HashMap<String, BTreeSet<ActorIdx>> = HashMap::new();
        let mut group_by_alias: HashMap<String, BTreeSet<ActorIdx>> = HashMap::new();
        for (i, a) in kb.actors.iter().enumerate() {
            group_by_name
                .entry(normalize_name(&a.name))
                .or_default()
                .insert(i);
            for al in &a.aliases {
                group_by_alias
                    .entry(normalize_name(al))
                    .or_default()
                    .insert(i);
            }
        }
        let mut misp: Vec<&Entity> = facts
            .entities
            .iter()
            .filter(|e| e.kind == EntityKind::MispActor)
            .collect();
        misp.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        let group_of: HashMap<&str, ActorIdx> = actor_of.clone();
        let related_groups = |e: &Entity| -> BTreeSet<ActorIdx> {
            facts
                .relations
                .iter()
                .filter(|r| {
                    r.src == e.id && matches!(r.kind, RelationKind::Similar | RelationKind::Related)
                })
                .filter_map(|r| group_of.get(uuid_part(&r.dst)).copied())
                .collect()
        };
        for m in misp {
            // Merge priority: an explicit link to the ATT&CK STIX id, then the
            // primary name, then any alias. Several candidates at the best
            // level: ambiguous, not merged.
            let linked = related_groups(m);
            let by_name: BTreeSet<ActorIdx> = group_by_name
                .get(&normalize_name(&m.name))
                .cloned()
                .unwrap_or_default();
            let mut by_alias: BTreeSet<ActorIdx> = BTreeSet::new();
            for n in std::iter::once(&m.name).chain(m.aliases.iter()) {
                if let Some(s) = group_by_alias.get(&normalize_name(n)) {
                    by_alias.extend(s.iter().copied());
                }
            }
            let chosen = [&linked, &by_name, &by_alias]
                .into_iter()
                .find(|s| !s.is_empty())
                .cloned()
                .unwrap_or_default();
            let target = match chosen.len() {
                0 => None,
                1 => chosen.iter().next().copied(),
                _ => {
                    // A MISP actor whose primary name is exactly one group's
                    // primary name is that group even if it lists others.
                    let exact: Vec<ActorIdx> = chosen
                        .iter()
                        .copied()
                        .filter(|&i| by_name.contains(&i))
                        .collect();
                    if exact.len() == 1 {
                        Some(exact[0])
                    } else {
                        kb.merge_ambiguities.push((
                            m.name.clone(),
                            chosen.iter().map(|&i| kb.actors[i].id.clone()).collect(),
                        ));
                        None
                    }
                }
            };
            let idx = match target {
                Some(i) => i,
                None => {
                    kb.actors.push(Actor {
                        id: format!("misp:{}", m.id),
                        name: m.name.clone(),
                        attack_id: None,
                        members: vec![],
                        aliases: vec![],
                        country: None,
                        sponsor: None,
                        sources: vec![],
                    });
                    kb.actors.len() - 1
                }
            };
            let a = &mut kb.actors[idx];
            a.members.push(m.id.clone());
            push_unique(&mut a.aliases, &m.name);
            for al in &m.aliases {
                push_unique(&mut a.aliases, al);
            }
            if a.country.is_none() {
                a.country = m.country.clone();
            }
            if a.sponsor.is_none() {
                a.sponsor = m.sponsor.clone();
            }
            if !a.sources.contains(&m.source) {
                a.sources.push(m.source.clone());
            }
            actor_of.insert(m.id.as_str(), idx);
        }
        for a in kb.actors.iter_mut() {
            if a.country.is_none() {
                a.country = a
                    .sponsor
                    .as_deref()
                    .and_then(find_country)
                    .map(|c| c.iso2.to_string());
            }
        }

        // --- software
        let mut soft_of: HashMap<&str, SoftIdx> = HashMap::new();
        let mut sw: Vec<&Entity> = facts
            .entities
            .iter()
            .filter(|e| matches!(e.kind, EntityKind::Malware | EntityKind::Tool))
            .filter(live)
            .collect();
        sw.sort_by(|a, b| a.external_id.cmp(&b.external_id).then(a.id.cmp(&b.id)));
        for s in sw {
            let idx = kb.software.len();
            let mut aliases = vec![s.name.clone()];
            for a in &s.aliases {
                push_unique(&mut aliases, a);
            }
            kb.software.push(Software {
                id: s.external_id.clone().unwrap_or_else(|| s.id.clone()),
                name: s.name.clone(),
                kind: s.kind,
                members: vec![s.id.clone()],
                aliases,
            });
            soft_of.insert(s.id.as_str(), idx);
            soft_of.insert(uuid_part(&s.id), idx);
        }
        let attack_sw = kb.software.len();
        let mut soft_by_name: HashMap<String, BTreeSet<SoftIdx>> = HashMap::new();
        for (i, s) in kb.software.iter().enumerate() {
            for al in &s.aliases {
                soft_by_name
                    .entry(normalize_name(al))
                    .or_default()
                    .insert(i);
            }
        }
        let mut fams: Vec<&Entity> = facts
            .entities
            .iter()
            .filter(|e| e.kind == EntityKind::MispFamily)
            .collect();
        fams.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        for f in fams {
            // The family's own name decides first; its synonyms only when
            // the name matches no ATT&CK software.
            let attack_named = |n: &String| -> BTreeSet<SoftIdx> {
                soft_by_name
                    .get(&normalize_name(n))
                    .map(|s| s.iter().copied().filter(|&i| i < attack_sw).collect())
                    .unwrap_or_default()
            };
            let mut cands = attack_named(&f.name);
            if cands.is_empty() {
                for n in &f.aliases {
                    cands.extend(attack_named(n));
                }
            }
            let idx = if cands.len() == 1 {
                *cands.iter().next().unwrap_or(&0)
            } else {
                kb.software.push(Software {
                    id: format!(
                        "malpedia:{}",
                        f.external_id.clone().unwrap_or_else(|| f.id.clone())
                    ),
                    name: f.name.clone(),
                    kind: EntityKind::MispFamily,
                    members: vec![],
                    aliases: vec![],
                });
                kb.software.len() - 1
            };
            let s = &mut kb.software[idx];
            s.members.push(f.id.clone());
            push_unique(&mut s.aliases, &f.name);
            for al in &f.aliases {
                push_unique(&mut s.aliases, al);
            }
            soft_of.insert(f.id.as_str(), idx);
        }

        // --- profiles
        kb.profiles = vec![Profile::default(); kb.actors.len()];
        let campaigns: HashMap<&str, &Entity> = facts
            .entities
            .iter()
            .filter(|e| e.kind == EntityKind::Campaign)
            .filter(live)
            .map(|e| (e.id.as_str(), e))
            .collect();
        let mut campaign_actor: HashMap<&str, Vec<ActorIdx>> = HashMap::new();
        for r in facts
            .relations
            .iter()
            .filter(|r| r.kind == RelationKind::AttributedTo)
        {
            if let (Some(c), Some(&a)) =
                (campaigns.get(r.src.as_str()), actor_of.get(r.dst.as_str()))
            {
                campaign_actor.entry(c.id.as_str()).or_default().push(a);
                kb.profiles[a].campaigns.push((
                    c.name.clone(),
                    c.external_id.clone(),
                    c.first_seen.clone(),
                ));
            }
        }
        let lookup_actor = |id: &str| -> Option<ActorIdx> {
            actor_of
                .get(id)
                .or_else(|| actor_of.get(uuid_part(id)))
                .copied()
        };
        let lookup_soft = |id: &str| -> Option<SoftIdx> {
            soft_of
                .get(id)
                .or_else(|| soft_of.get(uuid_part(id)))
                .copied()
        };
        let mut soft_techniques: Vec<Vec<TechIdx>> = vec![Vec::new(); kb.software.len()];
        for r in facts
            .relations
            .iter()
            .filter(|r| r.kind == RelationKind::Uses)
        {
            let (actors, via): (Vec<ActorIdx>, Option<String>) = if let Some(a) =
                lookup_actor(&r.src)
            {
                (vec![a], None)
            } else if let Some(c) = campaigns.get(r.src.as_str()) {
                (
                    campaign_actor
                        .get(c.id.as_str())
                        .cloned()
                        .unwrap_or_default(),
                    Some(c.external_id.clone().unwrap_or_else(|| c.name.clone())),
                )
            } else {
                if let (Some(s), Some(&t)) = (lookup_soft(&r.src), tech_by_stix.get(r.dst.as_str()))
                {
                    soft_techniques[s].push(t);
                }
                continue;
            };
            let tech = tech_by_stix.get(r.dst.as_str()).copied();
            let soft = lookup_soft(&r.dst);

            for a in actors {
                let link = |index| ProfileLink {
                    index,
                    via_campaign: via.clone(),
                    citations: r.citations.clone(),
                    created: r.created.clone(),
                };
                if let Some(t) = tech {
                    kb.profiles[a].techniques.push(link(t));
                } else if let Some(s) = soft {
                    kb.profiles[a].software.push(link(s));
                }
            }
        }
        for v in &mut soft_techniques {
            v.sort_unstable();
            v.dedup();
        }
        kb.soft_techniques = soft_techniques;
        kb.tech_users = vec![Vec::new(); kb.techniques.len()];
        kb.soft_users = vec![Vec::new(); kb.software.len()];
        for (a, p) in kb.profiles.iter_mut().enumerate() {
            p.techniques
                .sort_by_key(|l| (l.index, l.via_campaign.is_some()));
            p.software
                .sort_by_key(|l| (l.index, l.via_campaign.is_some()));
            let mut seen = BTreeSet::new();
            for l in &p.techniques {
                if seen.insert(l.index) {
                    kb.tech_users[l.index].push(a);
                }
            }
            let mut seen = BTreeSet::new();
            for l in &p.software {
                if seen.insert(l.index) {
                    kb.soft_users[l.index].push(a);
                }
            }
        }

        // --- infrastructure
        for r in facts.relations.iter().filter(|r| {
            matches!(
                r.kind,
                RelationKind::Indicates | RelationKind::AttributedTo | RelationKind::Related
            )
        }) {
            let (Some(e), Some(a)) = (ent_by_id.get(r.src.as_str()), lookup_actor(&r.dst)) else {
                continue;
            };
            if e.kind != EntityKind::Infrastructure {
                continue;
            }
            let i = kb.infrastructure.len();
            kb.infrastructure.push(InfraEntry {
                value_type: e.value_type.clone().unwrap_or_default(),
                value: e.name.clone(),
                actor: a,
                source: r.source.clone(),
            });
            kb.infra_by_value
                .entry(e.name.trim().to_ascii_lowercase())
                .or_default()
                .push(i);
        }

        kb.actor_by_id = kb
            .actors
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        // --- alias indices
        for (i, a) in kb.actors.iter().enumerate() {
            let mut add = |k: String, t: MatchTier| {
                if !k.is_empty() {
                    kb.actor_alias.entry(k).or_default().push((t, i));
                }
            };
            add(normalize_name(&a.id), MatchTier::Id);
            for m in &a.members {
                add(normalize_name(m), MatchTier::Id);
                add(normalize_name(uuid_part(m)), MatchTier::Id);
            }
            add(normalize_name(&a.name), MatchTier::Name);
            for al in &a.aliases {
                add(normalize_name(al), MatchTier::Alias);
                for d in derived_forms(al) {
                    add(d, MatchTier::Derived);
                }
            }
        }
        for (i, s) in kb.software.iter().enumerate() {
            let mut add = |k: String, t: MatchTier| {
                if !k.is_empty() {
                    kb.soft_alias.entry(k).or_default().push((t, i));
                }
            };
            add(normalize_name(&s.id), MatchTier::Id);
            add(normalize_name(&s.name), MatchTier::Name);
            for al in &s.aliases {
                add(normalize_name(al), MatchTier::Alias);
            }
        }

        // --- stats
        let mut st = KbStats {
            sources: facts.sources.clone(),
            ..Default::default()
        };
        for e in &facts.entities {
            *st.entities.entry(e.kind.as_str().to_string()).or_default() += 1;
        }
        for r in &facts.relations {
            *st.relations.entry(r.kind.as_str().to_string()).or_default() += 1;
        }
        st.actors = kb.actors.len();
        st.actors_with_attack_id = kb.actors.iter().filter(|a| a.attack_id.is_some()).count();
        st.actors_merged_with_misp = kb
            .actors
            .iter()
            .filter(|a| a.attack_id.is_some() && a.members.len() > 1)
            .count();
        st.techniques = kb.techniques.len();
        st.software = kb.software.len();
        st.infrastructure = kb.infrastructure.len();
        st.ambiguous_aliases = kb
            .actor_alias
            .values()
            .filter(|v| {
                let best = v.iter().map(|x| x.0).min();
                let mut s: Vec<_> = v
                    .iter()
                    .filter(|x| Some(x.0) == best)
                    .map(|x| x.1)
                    .collect();
                s.sort();
                s.dedup();
                s.len() > 1
            })
            .count();
        st.misp_actors_not_merged_ambiguous = kb.merge_ambiguities.len();
        kb.stats = st;
        kb
    }

    fn resolve_in(index: &HashMap<String, Vec<(MatchTier, usize)>>, name: &str) -> Resolution {
        let key = normalize_name(name);
        let Some(hits) = index.get(&key) else {
            return Resolution::NotFound;
        };
        let Some(best) = hits.iter().map(|h| h.0).min() else {
            return Resolution::NotFound;
        };
        let mut c: Vec<usize> = hits.iter().filter(|h| h.0 == best).map(|h| h.1).collect();
        c.sort_unstable();
        c.dedup();
        if c.len() == 1 {
            Resolution::Found {
                index: c[0],
                tier: best,
            }
        } else {
            Resolution::Ambiguous {
                candidates: c,
                tier: best,
            }
        }
    }

    /// Resolve an actor name, alias or id (case- and punctuation-insensitive).
    ///
    /// Identifiers win over primary names, primary names over aliases,
    /// aliases over derived forms; several actors at the deciding level give
    /// [`Resolution::Ambiguous`].
    pub fn resolve_actor(&self, name: &str) -> Resolution {
        Self::resolve_in(&self.actor_alias, name)
    }

    /// Resolve a software name, alias or id.
    pub fn resolve_software(&self, name: &str) -> Resolution {
        Self::resolve_in(&self.soft_alias, name)
    }

    /// Look up an ATT&CK technique id (`T1485`, `t1561.002`), following revocations.
    pub fn technique(&self, id: &str) -> TechniqueLookup {
        let k = id.trim().to_ascii_uppercase();
        if let Some(&i) = self.tech_by_id.get(&k) {
            return TechniqueLookup::Found(i);
        }
        if let Some(new) = self.revoked_tech.get(&k) {
            if let Some(&i) = self.tech_by_id.get(new) {
                return TechniqueLookup::Revoked { old: k, new: i };
            }
        }
        if self.deprecated_tech.contains(&k) {
            return TechniqueLookup::Deprecated(k);
        }
        TechniqueLookup::NotFound
    }

    /// Revoked ATT&CK technique ids and their replacements.
    pub fn revoked_techniques(&self) -> impl Iterator<Item = (&str, &str)> {
        self.revoked_tech
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
    }

    /// The profile of an actor.
    pub fn profile(&self, a: ActorIdx) -> &Profile {
        &self.profiles[a]
    }

    /// Distinct techniques of an actor.
    pub fn actor_techniques(&self, a: ActorIdx) -> BTreeSet<TechIdx> {
        self.profiles[a]
            .techniques
            .iter()
            .map(|l| l.index)
            .collect()
    }

    /// Distinct software of an actor.
    pub fn actor_software(&self, a: ActorIdx) -> BTreeSet<SoftIdx> {
        self.profiles[a].software.iter().map(|l| l.index).collect()
    }

    /// Actors known to use a technique.
    pub fn technique_users(&self, t: TechIdx) -> &[ActorIdx] {
        &self.tech_users[t]
    }

    /// Actors known to use a software.
    pub fn software_users(&self, s: SoftIdx) -> &[ActorIdx] {
        &self.soft_users[s]
    }

    /// Techniques a software is known to implement.
    pub fn software_techniques(&self, s: SoftIdx) -> &[TechIdx] {
        self.soft_techniques
            .get(s)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Actors attributed to a country (ISO-2).
    pub fn actors_of_country(&self, iso2: &str) -> Vec<ActorIdx> {
        self.actors
            .iter()
            .enumerate()
            .filter(|(_, a)| {
                a.country
                    .as_deref()
                    .is_some_and(|c| c.eq_ignore_ascii_case(iso2))
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Known infrastructure entries for an indicator value.
    pub fn infrastructure_for(&self, value: &str) -> Vec<&InfraEntry> {
        self.infra_by_value
            .get(&value.trim().to_ascii_lowercase())
            .map(|v| v.iter().map(|&i| &self.infrastructure[i]).collect())
            .unwrap_or_default()
    }

    /// Number of actors with a non-empty technique profile.
    pub fn actors_with_techniques(&self) -> usize {
        self.profiles
            .iter()
            .filter(|p| !p.techniques.is_empty())
            .count()
    }

    /// Summary counts.
    pub fn stats(&self) -> &KbStats {
        &self.stats
    }

    /// An actor by stable id.
    pub fn actor_by_id(&self, id: &str) -> Option<ActorIdx> {
        self.actor_by_id.get(id).copied()
    }
}
