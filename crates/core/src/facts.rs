//! Knowledge-base facts: entities and relations as imported from STIX 2.1
//! (MITRE ATT&CK) and MISP galaxy clusters, with their provenance.
//!
//! Facts are deliberately flat and close to their source. Merging (an ATT&CK
//! group and the MISP actors that describe it become one actor) happens when a
//! knowledge base is *built* from facts, never when they are stored, so a
//! re-import of one source never corrupts what another source said.

use serde::{Deserialize, Serialize};

/// What kind of thing an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntityKind {
    /// STIX `intrusion-set` (an ATT&CK group, G####).
    Group,
    /// STIX `campaign` (ATT&CK C####).
    Campaign,
    /// STIX `malware` (ATT&CK S####).
    Malware,
    /// STIX `tool` (ATT&CK S####).
    Tool,
    /// STIX `attack-pattern` (ATT&CK T#### or T####.###).
    Technique,
    /// A MISP galaxy `threat-actor` cluster value.
    MispActor,
    /// A MISP galaxy `malpedia` cluster value (a malware family).
    MispFamily,
    /// A piece of known infrastructure (IP, domain, URL…) tied to an actor.
    Infrastructure,
    /// A state organisation (intelligence agency, military unit) from the
    /// MISP `intelligence-agency` cluster.
    Agency,
}

impl EntityKind {
    /// Stable text form, as used in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Group => "group",
            EntityKind::Campaign => "campaign",
            EntityKind::Malware => "malware",
            EntityKind::Tool => "tool",
            EntityKind::Technique => "technique",
            EntityKind::MispActor => "misp-actor",
            EntityKind::MispFamily => "misp-family",
            EntityKind::Infrastructure => "infrastructure",
            EntityKind::Agency => "agency",
        }
    }

    /// Parse the text form produced by [`EntityKind::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "group" => EntityKind::Group,
            "campaign" => EntityKind::Campaign,
            "malware" => EntityKind::Malware,
            "tool" => EntityKind::Tool,
            "technique" => EntityKind::Technique,
            "misp-actor" => EntityKind::MispActor,
            "misp-family" => EntityKind::MispFamily,
            "infrastructure" => EntityKind::Infrastructure,
            "agency" => EntityKind::Agency,
            _ => return None,
        })
    }

    /// Whether this kind is software (malware, tool or a MISP family).
    pub fn is_software(self) -> bool {
        matches!(
            self,
            EntityKind::Malware | EntityKind::Tool | EntityKind::MispFamily
        )
    }

    /// Whether this kind is an actor (ATT&CK group or MISP actor).
    pub fn is_actor(self) -> bool {
        matches!(self, EntityKind::Group | EntityKind::MispActor)
    }
}

/// One imported entity. Only facts: identifiers, names, aliases, countries,
/// dates. Descriptions are never stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Globally unique id: the STIX id (`intrusion-set--…`) or the MISP uuid.
    pub id: String,
    pub kind: EntityKind,
    /// Key of the source document this entity came from (see [`SourceInfo`]).
    pub source: String,
    /// Public identifier such as `G0032`, `S0364`, `T1485`, `C0022`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    pub name: String,
    /// Other names, as given by the source (the name itself is not repeated).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// ISO 3166-1 alpha-2 country the actor is attributed to (MISP `country`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Suspected state sponsor, as named by the source (MISP `cfr-suspected-state-sponsor`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sponsor: Option<String>,
    /// First seen (campaigns), ISO 8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<String>,
    /// Last seen (campaigns), ISO 8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<String>,
    /// Last modification date given by the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// Creation date of the object at the source (STIX `created`, date part
    /// `YYYY-MM-DD`): the source knew the object by then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Kill-chain phases (ATT&CK tactics) of a technique.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tactics: Vec<String>,
    /// For infrastructure: the indicator type (`ip`, `domain`, `url`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_type: Option<String>,
    /// The object was revoked by the source (see the `revoked-by` relation).
    #[serde(default, skip_serializing_if = "is_false")]
    pub revoked: bool,
    /// The object was deprecated by the source.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// Countries of the actor's suspected victims, as named by the source
    /// (MISP `cfr-suspected-victims`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub victims: Vec<String>,
    /// Victim sectors (MISP `cfr-target-category`), as given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_categories: Vec<String>,
    /// Types of incident (MISP `cfr-type-of-incident`), as given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub incident_types: Vec<String>,
    /// Motive as given by the source (MISP `motive`, e.g. "Cybercrime").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub motive: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Entity {
    /// A new entity with only the mandatory fields set.
    pub fn new(
        id: impl Into<String>,
        kind: EntityKind,
        source: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        Entity {
            id: id.into(),
            kind,
            source: source.into(),
            external_id: None,
            name: name.into(),
            aliases: Vec::new(),
            country: None,
            sponsor: None,
            first_seen: None,
            last_seen: None,
            modified: None,
            created: None,
            tactics: Vec::new(),
            value_type: None,
            revoked: false,
            deprecated: false,
            victims: Vec::new(),
            target_categories: Vec::new(),
            incident_types: Vec::new(),
            motive: None,
        }
    }

    /// Whether this is a sub-technique (`T1234.001`).
    pub fn is_subtechnique(&self) -> bool {
        self.kind == EntityKind::Technique
            && self
                .external_id
                .as_deref()
                .is_some_and(|id| id.contains('.'))
    }
}

/// The kind of a relation between two entities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RelationKind {
    /// Group/campaign/software uses software or a technique.
    Uses,
    /// Campaign (or infrastructure) is attributed to a group.
    AttributedTo,
    /// Sub-technique of a technique.
    SubtechniqueOf,
    /// `src` was revoked and replaced by `dst`.
    RevokedBy,
    /// MISP `similar` (actor ↔ actor or actor ↔ ATT&CK group).
    Similar,
    /// MISP `linked-to`, `overlaps`, `part-of`, `related-to`, `associated-with`.
    Related,
    /// Infrastructure indicates an actor (STIX `indicates`).
    Indicates,
}

impl RelationKind {
    /// Stable text form, as used in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::Uses => "uses",
            RelationKind::AttributedTo => "attributed-to",
            RelationKind::SubtechniqueOf => "subtechnique-of",
            RelationKind::RevokedBy => "revoked-by",
            RelationKind::Similar => "similar",
            RelationKind::Related => "related",
            RelationKind::Indicates => "indicates",
        }
    }

    /// Parse the text form produced by [`RelationKind::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "uses" => RelationKind::Uses,
            "attributed-to" => RelationKind::AttributedTo,
            "subtechnique-of" => RelationKind::SubtechniqueOf,
            "revoked-by" => RelationKind::RevokedBy,
            "similar" => RelationKind::Similar,
            "related" => RelationKind::Related,
            "indicates" => RelationKind::Indicates,
            _ => return None,
        })
    }
}

/// A bibliographic citation supporting a relation (ATT&CK `external_references`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Citation {
    pub source_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publication date of the cited report, as precise as the source tells
    /// it: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (read by the importer from the
    /// reference's description, URL or name; see `ascribe_kb::dates`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// A relation between two entities, by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    pub kind: RelationKind,
    /// Source entity id.
    pub src: String,
    /// Target entity id.
    pub dst: String,
    /// Key of the source document this relation came from.
    pub source: String,
    /// The STIX relationship id, when the source gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citations: Vec<Citation>,
    /// When the source recorded the relation (STIX `created`, date part
    /// `YYYY-MM-DD`): an upper bound of when it was known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
}

/// Provenance of one imported document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// Stable key: re-importing a document with the same key replaces it.
    pub key: String,
    /// Human-readable name, e.g. "MITRE ATT&CK Enterprise".
    pub name: String,
    /// Version as stated by the document, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// SHA-256 of the imported bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Where it was read from (path or URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Licence or terms the data is used under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
}

/// A batch of facts from one or more sources.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KbFacts {
    pub sources: Vec<SourceInfo>,
    pub entities: Vec<Entity>,
    pub relations: Vec<Relation>,
}

impl KbFacts {
    /// Append another batch. Entities and relations of a source already
    /// present are replaced by the newer batch's, so merging is idempotent.
    pub fn merge(&mut self, other: KbFacts) {
        let replaced: std::collections::HashSet<String> =
            other.sources.iter().map(|s| s.key.clone()).collect();
        self.sources.retain(|s| !replaced.contains(&s.key));
        self.entities.retain(|e| !replaced.contains(&e.source));
        self.relations.retain(|r| !replaced.contains(&r.source));
        self.sources.extend(other.sources);
        self.entities.extend(other.entities);
        self.relations.extend(other.relations);
    }

    /// Count entities of one kind.
    pub fn count(&self, kind: EntityKind) -> usize {
        self.entities.iter().filter(|e| e.kind == kind).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_text() {
        for k in [
            EntityKind::Group,
            EntityKind::Campaign,
            EntityKind::Malware,
            EntityKind::Tool,
            EntityKind::Technique,
            EntityKind::MispActor,
            EntityKind::MispFamily,
            EntityKind::Infrastructure,
            EntityKind::Agency,
        ] {
            assert_eq!(EntityKind::parse(k.as_str()), Some(k));
        }
        for k in [
            RelationKind::Uses,
            RelationKind::AttributedTo,
            RelationKind::SubtechniqueOf,
            RelationKind::RevokedBy,
            RelationKind::Similar,
            RelationKind::Related,
            RelationKind::Indicates,
        ] {
            assert_eq!(RelationKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(EntityKind::parse("nope"), None);
    }

    #[test]
    fn merging_a_source_again_replaces_it() {
        let src = |k: &str| SourceInfo {
            key: k.into(),
            name: k.into(),
            version: None,
            sha256: None,
            origin: None,
            licence: None,
        };
        let mut a = KbFacts {
            sources: vec![src("a")],
            entities: vec![Entity::new("x", EntityKind::Group, "a", "X")],
            relations: vec![],
        };
        let b = KbFacts {
            sources: vec![src("a")],
            entities: vec![Entity::new("y", EntityKind::Group, "a", "Y")],
            relations: vec![],
        };
        a.merge(b);
        assert_eq!(a.sources.len(), 1);
        assert_eq!(a.entities.len(), 1);
        assert_eq!(a.entities[0].id, "y");
    }
}
