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
    /// ISO-2 of the state publicly held responsible, decided by the
    /// precedence in [`StateBasis`] (never by merge order); `None` for
    /// criminal actors and where the sources conflict without a decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// What decided [`Actor::state`] / [`Actor::country`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_basis: Option<StateBasis>,
    /// State organisations the sources tie the actor to (display names).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub state_orgs: Vec<String>,
    /// ISO-2 countries of the actor's known victims (MISP `cfr-suspected-victims`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub victim_countries: Vec<String>,
    /// Victim sectors, lower-case (MISP `cfr-target-category`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub target_categories: Vec<String>,
    /// Types of incident, lower-case (MISP `cfr-type-of-incident`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub incident_types: Vec<String>,
}

/// Where a country claim about an actor comes from, strongest first. The
/// state of an actor is decided at the strongest level that has any claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StateBasis {
    /// A MISP actor linked by an explicit `related` link to the ATT&CK group
    /// *and* bearing its primary name.
    LinkedAndNamed,
    /// The ATT&CK group's own description names a state organisation
    /// (for example "attributed to ... GRU ... Unit 74455").
    AttackNamesStateOrg,
    /// A MISP actor linked by an explicit `related` link.
    Linked,
    /// A MISP actor with the same primary name.
    Named,
    /// A MISP actor joined through a shared alias.
    Alias,
    /// The opening sentence of the ATT&CK group's description ("is an
    /// Iranian threat group").
    AttackDescription,
    /// A MISP actor merged elsewhere (or not at all) that lists this actor's
    /// name or ATT&CK id among its synonyms or `related` links.
    Mentioned,
}

impl StateBasis {
    /// Text form.
    pub fn as_str(self) -> &'static str {
        match self {
            StateBasis::LinkedAndNamed => "linked-and-named",
            StateBasis::AttackNamesStateOrg => "attack-names-state-org",
            StateBasis::Linked => "linked",
            StateBasis::Named => "named",
            StateBasis::Alias => "alias",
            StateBasis::AttackDescription => "attack-description",
            StateBasis::Mentioned => "mentioned",
        }
    }
}

/// One source's claim about an actor's country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountryClaim {
    /// The claiming entity's name (a MISP actor, or the ATT&CK group).
    pub from: String,
    pub source: String,
    /// ISO-2.
    pub country: String,
    pub basis: StateBasis,
    /// The claim's `country` and `cfr-suspected-state-sponsor` agree.
    pub sponsor_agrees: bool,
}

/// Sources disagreeing about an actor's country, and how it was decided.
#[derive(Debug, Clone, Serialize)]
pub struct FactConflict {
    pub actor: String,
    pub name: String,
    /// The decided value (`None`: left undecided).
    pub chosen: Option<String>,
    /// The rule that decided.
    pub rule: String,
    pub claims: Vec<CountryClaim>,
    /// MISP actors not merged into this actor because their country
    /// contradicts a stronger source (a shared alias between clusters of
    /// different countries is a wrong merge, not a fact).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub merges_rejected: Vec<String>,
}

/// A state organisation (intelligence service or unit) with the actors
/// the sources tie to it.
#[derive(Debug, Clone, Serialize)]
pub struct StateOrg {
    pub name: String,
    /// ISO-2 of the state.
    pub country: String,
    /// Actors tied to the organisation or to one of its units.
    pub actors: Vec<ActorIdx>,
    /// Stable key (`ru-gru`, `agency:<uuid>`).
    pub key: String,
    /// The organisation this one is part of (its key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub aliases: Vec<String>,
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
    /// Actors with a decided state.
    pub actors_with_state: usize,
    /// Software (families and tools) used by at least one actor.
    pub software_with_actor: usize,
    /// Actor→software links added, by source key family (`mitre-attack`,
    /// `misp-galaxy:tool`, `misp-event`, …).
    pub software_links_by_source: BTreeMap<String, usize>,
    /// Name-based links (MISP events) whose actor or family did not resolve.
    pub name_links_unresolved: usize,
    /// Uncited cluster links to ATT&CK software, not added (ATT&CK's cited
    /// links are the record for its own software).
    pub cluster_links_to_attack_software: usize,
    /// State organisations known, and those tied to at least one actor.
    pub state_orgs: usize,
    pub state_orgs_with_actors: usize,
    /// Every disagreement between sources about an actor's country.
    pub conflicts: Vec<FactConflict>,
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
    /// State organisations (built-in vocabulary and the MISP agency cluster).
    pub state_orgs: Vec<StateOrg>,
    org_alias: HashMap<String, Vec<usize>>,
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

/// Decide a country from claims: at the strongest level that has any
/// claim, the value all its claims give; else the value of the claims whose
/// country and state sponsor agree, if they agree among themselves; else a
/// strict majority; else nothing. Returns the value, the rule and the level.
fn decide(claims: &[CountryClaim]) -> (Option<String>, String, Option<StateBasis>) {
    let Some(best) = claims.iter().map(|c| c.basis).min() else {
        return (None, "no source gives a country".into(), None);
    };
    let level: Vec<&CountryClaim> = claims.iter().filter(|c| c.basis == best).collect();
    let distinct =
        |v: &[&CountryClaim]| -> BTreeSet<String> { v.iter().map(|c| c.country.clone()).collect() };
    let all = distinct(&level);
    if all.len() == 1 {
        let c = all.into_iter().next();
        return (
            c,
            format!("the {} sources agree", best.as_str()),
            Some(best),
        );
    }
    let agreeing: Vec<&CountryClaim> = level.iter().copied().filter(|c| c.sponsor_agrees).collect();
    let ag = distinct(&agreeing);
    if ag.len() == 1 {
        let c = ag.into_iter().next();
        return (
            c,
            format!(
                "among {} sources, the one whose country and state sponsor agree",
                best.as_str()
            ),
            Some(best),
        );
    }
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &level {
        *count.entry(c.country.as_str()).or_default() += 1;
    }
    let mut v: Vec<(&str, usize)> = count.into_iter().collect();
    v.sort_by_key(|b| std::cmp::Reverse(b.1));
    if v.len() >= 2 && v[0].1 > v[1].1 {
        return (
            Some(v[0].0.to_string()),
            format!("majority of the {} sources", best.as_str()),
            Some(best),
        );
    }
    (
        None,
        format!("undecided: the {} sources disagree", best.as_str()),
        None,
    )
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
                state: None,
                state_basis: None,
                state_orgs: vec![],
                victim_countries: vec![],
                target_categories: vec![],
                incident_types: vec![],
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
        // --- MISP actors: which ATT&CK group each joins, and how.
        let mut misp: Vec<&Entity> = facts
            .entities
            .iter()
            .filter(|e| e.kind == EntityKind::MispActor)
            .collect();
        misp.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        let group_of: HashMap<&str, ActorIdx> = actor_of.clone();
        let group_by_attack_id: HashMap<String, ActorIdx> = kb
            .actors
            .iter()
            .enumerate()
            .filter_map(|(i, a)| a.attack_id.as_ref().map(|x| (x.to_ascii_uppercase(), i)))
            .collect();
        let mut related_of: HashMap<&str, Vec<&str>> = HashMap::new();
        for r in facts
            .relations
            .iter()
            .filter(|r| matches!(r.kind, RelationKind::Similar | RelationKind::Related))
        {
            related_of
                .entry(r.src.as_str())
                .or_default()
                .push(r.dst.as_str());
        }
        // State organisations named by each entity's description.
        let mut orgs_of: HashMap<&str, Vec<&str>> = HashMap::new();
        for r in facts
            .relations
            .iter()
            .filter(|r| r.kind == RelationKind::AttributedTo)
        {
            if let Some(k) = r.dst.strip_prefix("state-org:") {
                let v = orgs_of.entry(r.src.as_str()).or_default();
                if !v.contains(&k) {
                    v.push(k);
                }
            }
        }
        let org_country = |k: &str| crate::state_orgs::by_key(k).map(|o| o.country.to_string());
        let is_bridge =
            |e: &Entity| crate::import::source_family(&e.source) == crate::import::TIDAL_GROUPS_KEY;
        let mut joins: Vec<(&Entity, Option<(ActorIdx, StateBasis)>)> = Vec::new();
        for m in misp {
            // Merge priority: an explicit link to the ATT&CK STIX id (or the
            // ATT&CK id itself), then the primary name, then any alias.
            // Several candidates at the best level: ambiguous, not merged.
            let mut linked: BTreeSet<ActorIdx> = related_of
                .get(m.id.as_str())
                .map(|v| {
                    v.iter()
                        .filter_map(|d| group_of.get(uuid_part(d)).copied())
                        .collect()
                })
                .unwrap_or_default();
            if let Some(&g) = m
                .external_id
                .as_ref()
                .and_then(|x| group_by_attack_id.get(&x.to_ascii_uppercase()))
            {
                linked.insert(g);
            }
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
            let (chosen, level) = if !linked.is_empty() {
                (&linked, StateBasis::Linked)
            } else if !by_name.is_empty() {
                (&by_name, StateBasis::Named)
            } else {
                (&by_alias, StateBasis::Alias)
            };
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
            let basis = match (level, target) {
                (StateBasis::Linked, Some(t)) if by_name.contains(&t) => StateBasis::LinkedAndNamed,
                (StateBasis::Linked, Some(t))
                    if normalize_name(&m.name) == normalize_name(&kb.actors[t].name) =>
                {
                    StateBasis::LinkedAndNamed
                }
                (l, _) => l,
            };
            joins.push((m, target.map(|t| (t, basis))));
        }
        // A source's claims: its `country` (else its sponsor's country) and,
        // when its sponsor names another state, that state too, so that the
        // disagreement is decided and listed like any other.
        let claim_of = |m: &Entity, basis: StateBasis| -> Vec<CountryClaim> {
            let sponsor = m
                .sponsor
                .as_deref()
                .and_then(find_country)
                .map(|c| c.iso2.to_string());
            let Some(country) = m.country.clone().or_else(|| sponsor.clone()) else {
                return Vec::new();
            };
            let mut v = vec![CountryClaim {
                from: m.name.clone(),
                source: m.source.clone(),
                sponsor_agrees: sponsor.as_deref() == Some(country.as_str()),
                country: country.clone(),
                basis,
            }];
            if let Some(s) = sponsor.filter(|s| *s != country) {
                v.push(CountryClaim {
                    from: format!("{} (suspected state sponsor)", m.name),
                    source: m.source.clone(),
                    country: s,
                    basis,
                    sponsor_agrees: false,
                });
            }
            v
        };
        // Claims from the ATT&CK groups' own descriptions.
        let mut claims: Vec<Vec<CountryClaim>> = vec![Vec::new(); kb.actors.len()];
        for (g, a) in kb.actors.iter().enumerate() {
            for m in &a.members {
                for k in orgs_of.get(m.as_str()).into_iter().flatten() {
                    if let Some(c) = org_country(k) {
                        let cl = CountryClaim {
                            from: format!("{} ({})", a.name, k),
                            source: a.sources.first().cloned().unwrap_or_default(),
                            country: c,
                            basis: StateBasis::AttackNamesStateOrg,
                            sponsor_agrees: false,
                        };
                        if !claims[g]
                            .iter()
                            .any(|x| x.country == cl.country && x.basis == cl.basis)
                        {
                            claims[g].push(cl);
                        }
                    }
                }
            }
        }
        for (g, a) in kb.actors.iter().enumerate() {
            for m in &a.members {
                if let Some(c) = ent_by_id.get(m.as_str()).and_then(|e| e.country.clone()) {
                    claims[g].push(CountryClaim {
                        from: a.name.clone(),
                        source: a.sources.first().cloned().unwrap_or_default(),
                        country: c,
                        basis: StateBasis::AttackDescription,
                        sponsor_agrees: false,
                    });
                }
            }
        }
        let mut motives: Vec<Vec<String>> = kb
            .actors
            .iter()
            .map(|a| {
                a.members
                    .iter()
                    .filter_map(|m| ent_by_id.get(m.as_str()).and_then(|e| e.motive.clone()))
                    .collect()
            })
            .collect();
        // A weaker member whose country contradicts what the stronger
        // sources decide is a wrong merge: it is not merged (linked or
        // alias joins only; a member with the group's own name always is).
        let mut detached = vec![false; joins.len()];
        let mut rejected: HashMap<ActorIdx, Vec<String>> = HashMap::new();
        for basis in [
            StateBasis::LinkedAndNamed,
            StateBasis::AttackNamesStateOrg,
            StateBasis::Linked,
            StateBasis::Named,
            StateBasis::Alias,
        ] {
            let decided: Vec<Option<String>> = claims.iter().map(|c| decide(c).0).collect();
            for (j, (m, t)) in joins.iter().enumerate() {
                let Some((g, b)) = *t else { continue };
                if b != basis {
                    continue;
                }
                if matches!(b, StateBasis::Linked | StateBasis::Alias) {
                    if let (Some(d), Some(c)) = (&decided[g], m.country.as_ref()) {
                        if c != d {
                            detached[j] = true;
                            rejected.entry(g).or_default().push(format!(
                                "{} ({c}, {})",
                                m.name,
                                b.as_str()
                            ));
                            continue;
                        }
                    }
                }
                let own = claim_of(m, b);
                if !own.is_empty() {
                    claims[g].extend(own);
                } else {
                    for k in orgs_of.get(m.id.as_str()).into_iter().flatten() {
                        if let Some(c) = org_country(k) {
                            claims[g].push(CountryClaim {
                                from: format!("{} ({k})", m.name),
                                source: m.source.clone(),
                                country: c,
                                basis: b,
                                sponsor_agrees: false,
                            });
                        }
                    }
                }
            }
        }
        // Merge (or create) in name order; the country is decided below.
        for (j, (m, t)) in joins.iter().enumerate() {
            let idx = match t {
                Some((i, _)) if !detached[j] => *i,
                _ => {
                    if is_bridge(m) {
                        continue;
                    }
                    kb.actors.push(Actor {
                        id: format!("misp:{}", m.id),
                        name: m.name.clone(),
                        attack_id: None,
                        members: vec![],
                        aliases: vec![],
                        country: None,
                        sponsor: None,
                        sources: vec![],
                        state: None,
                        state_basis: None,
                        state_orgs: vec![],
                        victim_countries: vec![],
                        target_categories: vec![],
                        incident_types: vec![],
                    });
                    claims.push(claim_of(m, StateBasis::Named));
                    if claims.last().is_some_and(|c| c.is_empty()) {
                        for k in orgs_of.get(m.id.as_str()).into_iter().flatten() {
                            if let (Some(c), Some(v)) = (org_country(k), claims.last_mut()) {
                                v.push(CountryClaim {
                                    from: format!("{} ({k})", m.name),
                                    source: m.source.clone(),
                                    country: c,
                                    basis: StateBasis::Named,
                                    sponsor_agrees: false,
                                });
                            }
                        }
                    }
                    motives.push(Vec::new());
                    kb.actors.len() - 1
                }
            };
            let a = &mut kb.actors[idx];
            a.members.push(m.id.clone());
            actor_of.insert(m.id.as_str(), idx);
            if is_bridge(m) {
                continue;
            }
            push_unique(&mut a.aliases, &m.name);
            for al in &m.aliases {
                push_unique(&mut a.aliases, al);
            }
            if a.sponsor.is_none() {
                a.sponsor = m.sponsor.clone();
            }
            if !a.sources.contains(&m.source) {
                a.sources.push(m.source.clone());
            }
            for v in &m.victims {
                if let Some(c) = find_country(v) {
                    push_unique(&mut a.victim_countries, c.iso2);
                }
            }
            for v in &m.target_categories {
                push_unique(&mut a.target_categories, &v.trim().to_lowercase());
            }
            for v in &m.incident_types {
                push_unique(&mut a.incident_types, &v.trim().to_lowercase());
            }
            if let Some(mo) = &m.motive {
                motives[idx].push(mo.to_lowercase());
            }
        }
        // Claims of MISP actors that list an actor's name or ATT&CK id
        // among their synonyms or links without being merged into it.
        for (m, _) in &joins {
            let Some(&home) = actor_of.get(m.id.as_str()) else {
                continue;
            };
            let mut named: BTreeSet<ActorIdx> = BTreeSet::new();
            for n in &m.aliases {
                if let Some(s) = group_by_name.get(&normalize_name(n)) {
                    named.extend(s.iter().copied());
                }
                if let Some(&g) = group_by_attack_id.get(&n.trim().to_ascii_uppercase()) {
                    named.insert(g);
                }
            }
            for d in related_of.get(m.id.as_str()).into_iter().flatten() {
                if let Some(&g) = group_of.get(uuid_part(d)) {
                    named.insert(g);
                }
            }
            for g in named {
                if g != home {
                    claims[g].extend(claim_of(m, StateBasis::Mentioned));
                }
            }
        }
        // Decide every actor's country and state by precedence.
        let mut conflicts = Vec::new();
        for (i, a) in kb.actors.iter_mut().enumerate() {
            let cl = &claims[i];
            let (chosen, rule, basis) = decide(cl);
            a.country = chosen.clone();
            a.state_basis = basis;
            let countries: BTreeSet<&str> = cl.iter().map(|c| c.country.as_str()).collect();
            let rej = rejected.remove(&i).unwrap_or_default();
            if countries.len() > 1 || !rej.is_empty() {
                conflicts.push(FactConflict {
                    actor: a.id.clone(),
                    name: a.name.clone(),
                    chosen: chosen.clone(),
                    rule: rule.clone(),
                    claims: cl.clone(),
                    merges_rejected: rej,
                });
            }
            // Criminal actors have a country but no state held responsible:
            // ATT&CK calling the group financially motivated or criminal
            // (and nothing state-like) decides unless a source ties it to a
            // state organisation; MISP's motive or incident types decide
            // unless a MISP source also names a state sponsor.
            let tied = a.members.iter().any(|m| orgs_of.contains_key(m.as_str()));
            let attack_criminal = a.members.iter().any(|m| {
                ent_by_id
                    .get(m.as_str())
                    .is_some_and(|e| e.kind == EntityKind::Group && e.motive.is_some())
            });
            let misp_motive = motives[i]
                .iter()
                .any(|m| m.contains("crime") || m.contains("financ"));
            let criminal_incidents = !a.incident_types.is_empty()
                && a.incident_types.iter().all(|t| {
                    [
                        "financial theft",
                        "extortion",
                        "business email compromise",
                        "ransomware",
                    ]
                    .contains(&t.as_str())
                });
            let criminal = !tied
                && (attack_criminal
                    || (a.sponsor.is_none() && (misp_motive || criminal_incidents)));
            a.state = if criminal { None } else { chosen };
        }
        kb.stats.conflicts = conflicts;
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
        let soft_by_attack_id: HashMap<String, SoftIdx> = kb
            .software
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.to_ascii_uppercase(), i))
            .collect();
        // Families of several MISP clusters with the same name are one.
        let mut misp_soft_by_name: HashMap<String, BTreeSet<SoftIdx>> = HashMap::new();
        for f in fams {
            // An ATT&CK id (Tidal) decides first; then the family's own
            // name; its synonyms only when the name matches no ATT&CK
            // software; then a family of another MISP cluster of that name.
            if let Some(&i) = f
                .external_id
                .as_ref()
                .and_then(|x| soft_by_attack_id.get(&x.to_ascii_uppercase()))
            {
                let s = &mut kb.software[i];
                s.members.push(f.id.clone());
                push_unique(&mut s.aliases, &f.name);
                for al in &f.aliases {
                    push_unique(&mut s.aliases, al);
                }
                soft_of.insert(f.id.as_str(), i);
                continue;
            }
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
            if cands.is_empty() {
                if let Some(s) = misp_soft_by_name.get(&normalize_name(&f.name)) {
                    if s.len() == 1 {
                        cands = s.clone();
                    }
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
            if idx >= attack_sw {
                misp_soft_by_name
                    .entry(normalize_name(&f.name))
                    .or_default()
                    .insert(idx);
            }
        }

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
        let found = |r: Resolution, best: MatchTier| match r {
            Resolution::Found { index, tier } if tier <= best => Some(index),
            _ => None,
        };
        let mut pairs: BTreeSet<(ActorIdx, SoftIdx)> = BTreeSet::new();
        let mut event_pairs: BTreeSet<(ActorIdx, SoftIdx, String)> = BTreeSet::new();
        let mut deferred: Vec<(ActorIdx, SoftIdx, &ascribe_core::Relation)> = Vec::new();
        let mut links_by_source: BTreeMap<String, usize> = BTreeMap::new();
        let mut unresolved = 0usize;
        let family = |key: &str| -> String {
            if key.starts_with("mitre-attack") {
                "mitre-attack".into()
            } else if key.starts_with("misp-event:") {
                "misp-event".into()
            } else {
                crate::import::source_family(key).to_string()
            }
        };
        for r in facts
            .relations
            .iter()
            .filter(|r| r.kind == RelationKind::Uses)
        {
            // Links by name (MISP events): resolve both ends here.
            if let Some(cands) = r.src.strip_prefix(crate::misp_event::ACTOR_NAME) {
                let actor = cands
                    .split('|')
                    .find_map(|c| found(Self::resolve_in(&kb.actor_alias, c), MatchTier::Derived));
                let soft = if let Some(n) = r.dst.strip_prefix(crate::misp_event::SOFTWARE_NAME) {
                    found(Self::resolve_in(&kb.soft_alias, n), MatchTier::Alias)
                } else if let Some(n) = r.dst.strip_prefix(crate::misp_event::SOFTWARE_TITLE_WORD) {
                    // a title word that is also an actor's name is the actor
                    if Self::resolve_in(&kb.actor_alias, n) == Resolution::NotFound {
                        found(Self::resolve_in(&kb.soft_alias, n), MatchTier::Alias)
                    } else {
                        None
                    }
                } else {
                    None
                };
                match (actor, soft) {
                    (Some(a), Some(s)) => {
                        let ev = r.id.clone().unwrap_or_else(|| r.source.clone());
                        if event_pairs.insert((a, s, ev)) {
                            pairs.insert((a, s));
                            *links_by_source.entry(family(&r.source)).or_default() += 1;
                            kb.profiles[a].software.push(ProfileLink {
                                index: s,
                                via_campaign: None,
                                citations: r.citations.clone(),
                                created: r.created.clone(),
                            });
                        }
                    }
                    _ => unresolved += 1,
                }
                continue;
            }
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
                if let Some(t) = tech {
                    kb.profiles[a].techniques.push(ProfileLink {
                        index: t,
                        via_campaign: via.clone(),
                        citations: r.citations.clone(),
                        created: r.created.clone(),
                    });
                } else if let Some(s) = soft {
                    if r.source.starts_with("misp-galaxy:") {
                        // cluster links count only where they add a pair
                        deferred.push((a, s, r));
                        continue;
                    }
                    pairs.insert((a, s));
                    *links_by_source.entry(family(&r.source)).or_default() += 1;
                    kb.profiles[a].software.push(ProfileLink {
                        index: s,
                        via_campaign: via.clone(),
                        citations: r.citations.clone(),
                        created: r.created.clone(),
                    });
                }
            }
        }
        // Uncited cluster links (MISP software clusters, Tidal) add only
        // pairs nobody cited, and never for ATT&CK's own software: for that,
        // ATT&CK's cited links are the record (uncited copies of them could
        // neither be dated nor struck when a report is held out).
        let mut cluster_skipped = 0usize;
        for (a, s, r) in deferred {
            if s < attack_sw {
                cluster_skipped += 1;
                continue;
            }
            if pairs.insert((a, s)) {
                *links_by_source.entry(family(&r.source)).or_default() += 1;
                kb.profiles[a].software.push(ProfileLink {
                    index: s,
                    via_campaign: None,
                    citations: r.citations.clone(),
                    created: r.created.clone(),
                });
            }
        }
        kb.stats.software_links_by_source = links_by_source;
        kb.stats.name_links_unresolved = unresolved;
        kb.stats.cluster_links_to_attack_software = cluster_skipped;
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
        // --- state organisations: the built-in vocabulary, the agencies of
        // the MISP cluster (joined to it by a shared name and country), and
        // the actors whose sources name them.
        for o in crate::state_orgs::ORGS {
            kb.state_orgs.push(StateOrg {
                name: o.name.to_string(),
                country: o.country.to_string(),
                actors: vec![],
                key: o.key.to_string(),
                parent: o.parent.map(str::to_string),
                aliases: std::iter::once(o.name)
                    .chain(o.names.iter().copied())
                    .map(str::to_string)
                    .collect(),
            });
        }
        let mut agencies: Vec<&Entity> = facts
            .entities
            .iter()
            .filter(|e| e.kind == EntityKind::Agency)
            .collect();
        agencies.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        let builtin = kb.state_orgs.len();
        for e in agencies {
            let Some(country) = e.country.clone() else {
                continue;
            };
            let names: Vec<String> = std::iter::once(e.name.clone())
                .chain(e.aliases.iter().cloned())
                .collect();
            let keys: BTreeSet<String> = names.iter().map(|n| normalize_name(n)).collect();
            let hit: Vec<usize> = (0..builtin)
                .filter(|&i| {
                    kb.state_orgs[i].country == country
                        && kb.state_orgs[i]
                            .aliases
                            .iter()
                            .any(|a| keys.contains(&normalize_name(a)))
                })
                .collect();
            let i = if hit.len() == 1 {
                hit[0]
            } else {
                kb.state_orgs.push(StateOrg {
                    name: e.name.clone(),
                    country,
                    actors: vec![],
                    key: format!("agency:{}", e.id),
                    parent: None,
                    aliases: vec![],
                });
                kb.state_orgs.len() - 1
            };
            for n in names {
                push_unique(&mut kb.state_orgs[i].aliases, &n);
            }
        }
        let org_index: HashMap<String, usize> = kb
            .state_orgs
            .iter()
            .enumerate()
            .map(|(i, o)| (o.key.clone(), i))
            .collect();
        for r in facts
            .relations
            .iter()
            .filter(|r| r.kind == RelationKind::AttributedTo)
        {
            let (Some(k), Some(a)) = (r.dst.strip_prefix("state-org:"), lookup_actor(&r.src))
            else {
                continue;
            };
            // the organisation and every organisation it is part of
            let mut cur = org_index.get(k).copied();
            let mut hops = 0;
            while let Some(i) = cur {
                if !kb.state_orgs[i].actors.contains(&a) {
                    kb.state_orgs[i].actors.push(a);
                }
                if hops == 0 {
                    let n = kb.state_orgs[i].name.clone();
                    push_unique(&mut kb.actors[a].state_orgs, &n);
                }
                hops += 1;
                cur = if hops > 8 {
                    None
                } else {
                    kb.state_orgs[i]
                        .parent
                        .as_ref()
                        .and_then(|p| org_index.get(p).copied())
                };
            }
        }
        for o in &mut kb.state_orgs {
            o.actors.sort_unstable();
        }
        for (i, o) in kb.state_orgs.iter().enumerate() {
            for n in &o.aliases {
                let k = normalize_name(n);
                if !k.is_empty() {
                    let v = kb.org_alias.entry(k).or_default();
                    if !v.contains(&i) {
                        v.push(i);
                    }
                }
            }
        }

        // --- stats
        let mut st = KbStats {
            sources: facts.sources.clone(),
            conflicts: std::mem::take(&mut kb.stats.conflicts),
            software_links_by_source: std::mem::take(&mut kb.stats.software_links_by_source),
            name_links_unresolved: kb.stats.name_links_unresolved,
            cluster_links_to_attack_software: kb.stats.cluster_links_to_attack_software,
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
        st.actors_with_state = kb.actors.iter().filter(|a| a.state.is_some()).count();
        st.software_with_actor = kb.soft_users.iter().filter(|u| !u.is_empty()).count();
        st.state_orgs = kb.state_orgs.len();
        st.state_orgs_with_actors = kb
            .state_orgs
            .iter()
            .filter(|o| !o.actors.is_empty())
            .count();
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

    /// Actors whose state (the state publicly held responsible) is `iso2`:
    /// what a claim "North Korea did it" is about. Unlike
    /// [`KnowledgeBase::actors_of_country`] it leaves out criminal groups
    /// that merely operate from that country.
    pub fn actors_of_state(&self, iso2: &str) -> Vec<ActorIdx> {
        self.actors
            .iter()
            .enumerate()
            .filter(|(_, a)| {
                a.state
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

    /// Resolve a state organisation by name ("the GRU", "Unit 74455",
    /// "Ministry of State Security (China)"), case- and
    /// punctuation-insensitively. A name shared by organisations of
    /// different states ("Ministry of State Security") gives `None`; use
    /// [`KnowledgeBase::state_org_candidates`] to list them.
    pub fn resolve_state_org(&self, name: &str) -> Option<StateOrg> {
        let c = self.state_org_candidates(name);
        (c.len() == 1).then(|| c[0].clone())
    }

    /// Every state organisation a name may denote.
    pub fn state_org_candidates(&self, name: &str) -> Vec<&StateOrg> {
        let n = name.trim();
        let n = n
            .strip_prefix("the ")
            .or_else(|| n.strip_prefix("The "))
            .unwrap_or(n);
        let mut keys = vec![normalize_name(n)];
        // "Russia's GRU", "Chinese MSS": the organisation's own name
        if let Some((_, rest)) = n.split_once("'s ") {
            keys.push(normalize_name(rest));
        }
        for k in keys {
            if let Some(v) = self.org_alias.get(&k) {
                return v.iter().map(|&i| &self.state_orgs[i]).collect();
            }
        }
        Vec::new()
    }

    /// One line per source for reports: every source by name and version,
    /// except MISP events, which are summed up in one entry (number and
    /// date range).
    pub fn source_names(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut events: Vec<&str> = Vec::new();
        for s in &self.stats.sources {
            if s.key.starts_with("misp-event:") {
                events.push(s.version.as_deref().unwrap_or(""));
                continue;
            }
            out.push(match &s.version {
                Some(v) => format!("{} {v}", s.name),
                None => s.name.clone(),
            });
        }
        if !events.is_empty() {
            events.sort_unstable();
            let first = events.iter().find(|d| !d.is_empty()).copied().unwrap_or("");
            let last = events.last().copied().unwrap_or("");
            out.push(format!("MISP events: {} ({first} … {last})", events.len()));
        }
        out
    }

    /// An actor by stable id.
    pub fn actor_by_id(&self, id: &str) -> Option<ActorIdx> {
        self.actor_by_id.get(id).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ascribe_core::Relation;

    const ATTACK: &str = "mitre-attack:enterprise-attack";
    const MISP: &str = "misp-galaxy:threat-actor";

    fn group(uuid: &str, g: &str, name: &str, aliases: &[&str]) -> Entity {
        let mut e = Entity::new(
            format!("intrusion-set--{uuid}"),
            EntityKind::Group,
            ATTACK,
            name,
        );
        e.external_id = Some(g.into());
        e.aliases = aliases.iter().map(|s| s.to_string()).collect();
        e
    }

    fn misp(
        uuid: &str,
        name: &str,
        country: Option<&str>,
        sponsor: Option<&str>,
        syn: &[&str],
    ) -> Entity {
        let mut e = Entity::new(uuid, EntityKind::MispActor, MISP, name);
        e.country = country.map(str::to_string);
        e.sponsor = sponsor.map(str::to_string);
        e.aliases = syn.iter().map(|s| s.to_string()).collect();
        e
    }

    fn link(src: &str, dst: &str) -> Relation {
        Relation {
            kind: RelationKind::Similar,
            src: src.into(),
            dst: dst.into(),
            source: MISP.into(),
            id: None,
            citations: vec![],
            created: None,
        }
    }

    fn build(entities: Vec<Entity>, relations: Vec<Relation>) -> KnowledgeBase {
        KnowledgeBase::build(&KbFacts {
            sources: vec![],
            entities,
            relations,
        })
    }

    #[test]
    fn an_alias_shared_with_a_cluster_of_another_country_is_not_a_merge() {
        // "IRIDIUM" sorts before "Sandworm": merge order would have given IR.
        let kb = build(
            vec![
                group("s", "G0034", "Sandworm Team", &["IRIDIUM"]),
                misp(
                    "m-sw",
                    "Sandworm Team",
                    Some("RU"),
                    Some("Russian Federation"),
                    &[],
                ),
                misp("m-ir", "IRIDIUM", Some("IR"), None, &[]),
            ],
            vec![link("m-sw", "intrusion-set--s")],
        );
        let sw = &kb.actors[kb.actor_by_id("G0034").unwrap()];
        assert_eq!(sw.state.as_deref(), Some("RU"));
        assert_eq!(sw.country.as_deref(), Some("RU"));
        assert_eq!(sw.state_basis, Some(StateBasis::LinkedAndNamed));
        assert!(!sw.members.iter().any(|m| m == "m-ir"));
        let c = &kb.stats().conflicts;
        assert_eq!(c.len(), 1);
        assert!(c[0].merges_rejected[0].starts_with("IRIDIUM (IR"), "{c:?}");
        // the Iranian cluster is an actor of its own
        let ir = kb.actors.iter().find(|a| a.name == "IRIDIUM").unwrap();
        assert_eq!(ir.state.as_deref(), Some("IR"));
    }

    #[test]
    fn within_a_level_sponsor_agreement_then_majority_decides_else_nothing() {
        let two = |b_sponsor: Option<&str>| {
            build(
                vec![
                    group("x", "G0100", "Xgroup", &["Alias One", "Alias Two"]),
                    misp("a", "Alias One", Some("CN"), None, &[]),
                    misp("b", "Alias Two", Some("RU"), b_sponsor, &[]),
                ],
                vec![],
            )
        };
        let kb = two(Some("Russia"));
        let a = &kb.actors[0];
        assert_eq!(a.state.as_deref(), Some("RU"));
        assert!(kb.stats().conflicts[0].rule.contains("sponsor agree"));
        let kb = two(None);
        let a = &kb.actors[0];
        assert_eq!(a.state, None);
        assert_eq!(a.country, None);
        assert_eq!(kb.stats().conflicts[0].chosen, None);
    }

    #[test]
    fn a_sponsor_naming_another_state_is_a_listed_conflict() {
        let kb = build(
            vec![misp(
                "m",
                "Solo",
                Some("LB"),
                Some("Iran (Islamic Republic of)"),
                &[],
            )],
            vec![],
        );
        let c = &kb.stats().conflicts;
        assert_eq!(c.len(), 1, "{c:?}");
        // one source against itself: undecided, nothing guessed
        assert_eq!(kb.actors[0].state, None);
        assert_eq!(c[0].claims.len(), 2);
    }

    #[test]
    fn a_mention_in_another_clusters_synonyms_gives_a_weak_claim() {
        let kb = build(
            vec![
                group("l", "G0032", "Lazarus Group", &[]),
                group("b", "G0082", "APT38", &["BeagleBoyz"]),
                misp(
                    "m-l",
                    "Lazarus Group",
                    Some("KP"),
                    None,
                    &["APT38", "G0082"],
                ),
            ],
            vec![],
        );
        let a = &kb.actors[kb.actor_by_id("G0082").unwrap()];
        assert_eq!(a.state.as_deref(), Some("KP"));
        assert_eq!(a.state_basis, Some(StateBasis::Mentioned));
    }

    #[test]
    fn criminal_groups_have_a_country_but_no_state() {
        let mut g = group("f", "G0046", "FIN7", &[]);
        g.motive = Some("financially motivated".into());
        let kb = build(vec![g, misp("m", "FIN7", Some("RU"), None, &[])], vec![]);
        assert_eq!(kb.actors[0].country.as_deref(), Some("RU"));
        assert_eq!(kb.actors[0].state, None);
    }

    #[test]
    fn state_organisations_resolve_with_their_units_groups() {
        let mut g = group("s", "G0034", "Sandworm Team", &[]);
        g.country = Some("RU".into());
        let r = Relation {
            kind: RelationKind::AttributedTo,
            src: "intrusion-set--s".into(),
            dst: "state-org:ru-gru-74455".into(),
            source: ATTACK.into(),
            id: None,
            citations: vec![],
            created: None,
        };
        let kb = build(vec![g], vec![r]);
        let a = &kb.actors[0];
        assert_eq!(a.state_basis, Some(StateBasis::AttackNamesStateOrg));
        assert_eq!(a.state_orgs.len(), 1);
        for n in [
            "the GRU",
            "GRU",
            "Unit 74455",
            "Russia's GRU",
            "military unit 74455",
        ] {
            let o = kb.resolve_state_org(n).unwrap_or_else(|| panic!("{n}"));
            assert_eq!(o.country, "RU");
            assert_eq!(o.actors, vec![0], "{n}");
        }
        assert!(kb.resolve_state_org("SVR").unwrap().actors.is_empty());
        assert!(kb.resolve_state_org("Unit 42").is_none());
        assert_eq!(
            kb.state_org_candidates("Ministry of State Security").len(),
            2
        );
    }
}
