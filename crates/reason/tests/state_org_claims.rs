//! A claim naming a state organisation supports the state's groups, the
//! groups tied to that organisation most.

use ascribe_core::{Entity, EntityKind, KbFacts, Observation, Relation, RelationKind};
use ascribe_kb::KnowledgeBase;
use ascribe_reason::builders::EvidenceBuilder;

fn kb() -> KnowledgeBase {
    let mut f = KbFacts::default();
    let group = |id: &str, g: &str, name: &str| {
        let mut e = Entity::new(
            id,
            EntityKind::Group,
            "mitre-attack:enterprise-attack",
            name,
        );
        e.external_id = Some(g.into());
        e.country = Some("RU".into());
        e
    };
    f.entities = vec![
        group("intrusion-set--a", "G0001", "Alpha"),
        group("intrusion-set--b", "G0002", "Bravo"),
        group("intrusion-set--c", "G0003", "Charlie"),
    ];
    f.entities[2].country = Some("CN".into());
    f.relations.push(Relation {
        kind: RelationKind::AttributedTo,
        src: "intrusion-set--a".into(),
        dst: "state-org:ru-gru-74455".into(),
        source: "mitre-attack:enterprise-attack".into(),
        id: None,
        citations: vec![],
        created: None,
    });
    KnowledgeBase::build(&f)
}

fn claim(target: &str) -> Observation {
    serde_json::from_value(serde_json::json!({
        "id": "claim-1",
        "kind": {
            "type": "claim",
            "claimant": "US DoJ",
            "claimant_kind": "government",
            "target": target,
            "stance": "asserts"
        },
        "source": {"id": "doj", "title": "indictment", "kind": "government"}
    }))
    .unwrap()
}

#[test]
fn the_gru_supports_its_units_groups_most_and_the_states_other_groups() {
    let kb = kb();
    assert_eq!(kb.actors[0].state.as_deref(), Some("RU"));
    for target in ["the GRU", "Unit 74455", "Main Intelligence Directorate"] {
        let built = EvidenceBuilder::new(&kb).build(&[claim(target)]);
        assert_eq!(built.evidence.len(), 1, "{target}: {:?}", built.warnings);
        let s = &built.evidence[0].support;
        let lr = |id: &str| s.iter().find(|x| x.actor == id).map(|x| x.lr);
        let (a, b) = (lr("G0001").unwrap(), lr("G0002").unwrap());
        assert!(a > b && b > 1.0, "{target}: tied {a}, other {b}");
        assert!(lr("G0003").is_none(), "{target}: a group of another state");
        assert!(
            built.evidence[0].summary.contains("GRU"),
            "{}",
            built.evidence[0].summary
        );
    }
    // an organisation with no group of its state in the KB: kept, not weighed
    let built = EvidenceBuilder::new(&kb).build(&[claim("MOIS")]);
    assert!(built.evidence.is_empty());
    assert!(!built.warnings.is_empty());
}
