//! Import the real shared data and check counts against `shared/data/README.md`,
//! alias resolution and the embedded default knowledge base.

use ascribe_core::{EntityKind, RelationKind};
use ascribe_kb::{embedded, import, KnowledgeBase, MatchTier, Resolution, TechniqueLookup};
use std::path::PathBuf;
use std::sync::OnceLock;

fn data_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    assert!(
        d.join("attack/enterprise-attack.json").exists(),
        "shared data not found at {}: the tests need ../shared/data beside the checkout",
        d.display()
    );
    d
}

fn facts() -> &'static ascribe_core::KbFacts {
    static F: OnceLock<ascribe_core::KbFacts> = OnceLock::new();
    F.get_or_init(|| {
        import::import_default_set(&data_dir(), &ascribe_kb::default_data_files()).unwrap()
    })
}

fn kb() -> &'static KnowledgeBase {
    static K: OnceLock<KnowledgeBase> = OnceLock::new();
    K.get_or_init(|| KnowledgeBase::build(facts()))
}

#[test]
fn attack_bundle_counts_match_the_readme() {
    let bytes = std::fs::read(data_dir().join("attack/enterprise-attack.json")).unwrap();
    let imp = import::import_bytes(&bytes, "enterprise-attack.json").unwrap();
    let f = &imp.facts;
    assert_eq!(f.count(EntityKind::Group), 172);
    assert_eq!(f.count(EntityKind::Campaign), 52);
    assert_eq!(f.count(EntityKind::Malware), 693);
    assert_eq!(f.count(EntityKind::Tool), 91);
    assert_eq!(f.count(EntityKind::Technique), 691);
    let subs = f.entities.iter().filter(|e| e.is_subtechnique()).count();
    assert_eq!(subs, 475);
    let rel = |k: RelationKind| f.relations.iter().filter(|r| r.kind == k).count();
    assert_eq!(rel(RelationKind::Uses), 17_270);
    assert_eq!(rel(RelationKind::SubtechniqueOf), 475);
    assert_eq!(rel(RelationKind::RevokedBy), 137);
    // 25 campaign → group, plus the state organisations that group
    // descriptions name (`state-org:…`)
    let to_org = f
        .relations
        .iter()
        .filter(|r| r.kind == RelationKind::AttributedTo && r.dst.starts_with("state-org:"))
        .count();
    assert_eq!(rel(RelationKind::AttributedTo) - to_org, 25);
    assert!(to_org >= 20, "{to_org} group → state organisation links");
    // uses broken down by endpoint kinds, as in the README
    let kind_of: std::collections::HashMap<&str, EntityKind> =
        f.entities.iter().map(|e| (e.id.as_str(), e.kind)).collect();
    let uses = |s: EntityKind, t: &[EntityKind]| {
        f.relations
            .iter()
            .filter(|r| r.kind == RelationKind::Uses)
            .filter(|r| kind_of.get(r.src.as_str()) == Some(&s))
            .filter(|r| kind_of.get(r.dst.as_str()).is_some_and(|k| t.contains(k)))
            .count()
    };
    use EntityKind::*;
    assert_eq!(uses(Malware, &[Technique]), 9_836);
    assert_eq!(uses(Group, &[Technique]), 4_362);
    assert_eq!(uses(Campaign, &[Technique]), 1_019);
    assert_eq!(uses(Tool, &[Technique]), 800);
    assert_eq!(uses(Group, &[Malware]), 647);
    assert_eq!(uses(Group, &[Tool]), 457);
    assert_eq!(uses(Campaign, &[Malware]), 84);
    assert_eq!(uses(Campaign, &[Tool]), 65);
    // descriptions are never kept
    let json = serde_json::to_string(&f.entities[0]).unwrap();
    assert!(!json.contains("description"));
}

#[test]
fn misp_and_revocation_counts_match_the_readme() {
    let f = facts();
    // the key carries the cluster's uuid; the family is the cluster type
    let from = |k: &'static str| {
        f.entities
            .iter()
            .filter(move |e| import::source_family(&e.source) == k)
    };
    assert_eq!(from("misp-galaxy:threat-actor").count(), 1_041);
    assert_eq!(from("misp-galaxy:malpedia").count(), 3_683);
    // Tidal's groups only bridge to ATT&CK groups
    assert_eq!(from("misp-galaxy:groups").count(), 281);
    let ta: Vec<_> = from("misp-galaxy:threat-actor").collect();
    assert_eq!(ta.iter().filter(|e| e.country.is_some()).count(), 476);
    let bytes = std::fs::read(data_dir().join("attack/revoked-deprecated.json")).unwrap();
    let imp = import::import_bytes(&bytes, "revoked-deprecated.json").unwrap();
    assert_eq!(imp.facts.entities.len(), 162);
    let revoked_tech = imp
        .facts
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Technique && e.revoked)
        .count();
    assert_eq!(revoked_tech, 132);
}

#[test]
fn lazarus_aliases_resolve_to_g0032() {
    let kb = kb();
    for name in [
        "Guardians of Peace",
        "HIDDEN COBRA",
        "Lazarus",
        "lazarus group",
        "G0032",
        "Hidden-Cobra",
        "Unit 121",
        "Dark Seoul",
    ] {
        match kb.resolve_actor(name) {
            Resolution::Found { index, .. } => assert_eq!(kb.actors[index].id, "G0032", "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
    let laz = kb.actor_by_id("G0032").unwrap();
    assert_eq!(kb.actors[laz].country.as_deref(), Some("KP"));
    assert!(kb.actors[laz].members.len() >= 2, "ATT&CK and MISP merged");
    // a primary name beats another actor's synonym
    match kb.resolve_actor("Andariel") {
        Resolution::Found { index, tier } => {
            assert_eq!(kb.actors[index].attack_id.as_deref(), Some("G0138"));
            assert_eq!(tier, MatchTier::Name);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn ambiguous_aliases_are_reported_not_guessed() {
    let kb = kb();
    assert!(kb.stats().ambiguous_aliases > 0);
    // find an alias that two actors share at the same tier, and check it is ambiguous
    let mut found = false;
    for a in &kb.actors {
        for al in &a.aliases {
            if let Resolution::Ambiguous { candidates, .. } = kb.resolve_actor(al) {
                assert!(candidates.len() >= 2);
                found = true;
            }
        }
    }
    assert!(found);
    assert_eq!(
        kb.resolve_actor("No Such Actor 12345"),
        Resolution::NotFound
    );
}

#[test]
fn merging_links_attack_groups_and_misp_actors() {
    let s = kb().stats();
    assert_eq!(
        s.actors_with_attack_id, 172,
        "every live ATT&CK group is an actor"
    );
    // README: 158 of 172 groups match a MISP actor by name or related link
    assert!(
        s.actors_merged_with_misp >= 140,
        "{}",
        s.actors_merged_with_misp
    );
}

#[test]
fn techniques_profiles_and_revocations() {
    let kb = kb();
    let TechniqueLookup::Found(t) = kb.technique("t1485") else {
        panic!()
    };
    assert_eq!(kb.techniques[t].name, "Data Destruction");
    match kb.technique("T1002") {
        TechniqueLookup::Revoked { new, .. } => assert_eq!(kb.techniques[new].attack_id, "T1560"),
        other => panic!("{other:?}"),
    }
    let laz = kb.actor_by_id("G0032").unwrap();
    assert!(kb.actor_techniques(laz).len() >= 93);
    let rawdisk = match kb.resolve_software("RawDisk") {
        Resolution::Found { index, .. } => index,
        other => panic!("{other:?}"),
    };
    assert!(kb.software_users(rawdisk).contains(&laz));
    assert!(!kb.profile(laz).campaigns.is_empty());
    // the Malpedia family carrying the Destover name is known
    assert!(matches!(
        kb.resolve_software("Destover"),
        Resolution::Found { .. }
    ));
}

#[test]
fn embedded_default_is_the_importer_output() {
    let embedded = embedded::default_facts().unwrap();
    assert_eq!(&embedded, facts(), "embedded KB is stale: run `cargo run -p ascribe-kb --example build-default-kb -- ../shared/data`");
    assert_eq!(
        embedded::encode(facts()),
        embedded::DEFAULT_KB,
        "encoding is deterministic"
    );
    assert!(embedded::ATTACK_LICENSE_TEXT.contains("MITRE"));
}
