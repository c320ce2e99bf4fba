//! Assessing as of a date: a persona's self-claim does not reach an actor
//! through an undated alias, and the assessment reports what its verdict
//! rests on.

use ascribe_core::{Case, EvidenceKind, KnowledgeBasis};
use ascribe_kb::{embedded, KnowledgeBase};
use ascribe_reason::{assess, EvidenceBuilder, Params};
use std::sync::OnceLock;

fn kb() -> &'static KnowledgeBase {
    static K: OnceLock<KnowledgeBase> = OnceLock::new();
    K.get_or_init(|| KnowledgeBase::build(&embedded::default_facts().unwrap()))
}

fn case(as_of: Option<&str>) -> Case {
    let src = serde_json::json!({"id": "news", "title": "A news article", "kind": "media"});
    let mut c: Case = serde_json::from_value(serde_json::json!({
        "name": "persona",
        "sources": [src],
        "observations": [
            {"id": "claim-1", "kind": {"type": "claim", "claimant": "Guardians of Peace",
             "claimant_kind": "actor", "target": "G0032",
             "stance": "claims-responsibility"}, "source": src},
            {"id": "artifact-1", "kind": {"type": "artifact", "artifact": "resource-language",
             "value": "Korean"}, "source": src},
            {"id": "software-1", "kind": {"type": "software", "name": "RawDisk"}, "source": src}
        ]
    }))
    .unwrap();
    c.as_of = as_of.map(String::from);
    c
}

#[test]
fn a_persona_alias_is_not_evidence_as_of_a_date() {
    let kb = kb();
    let claim = |as_of: Option<&str>| {
        let built = EvidenceBuilder::new(kb)
            .with_as_of(as_of)
            .build(&case(as_of).observations);
        built
            .evidence
            .into_iter()
            .find(|e| e.kind == EvidenceKind::SelfClaim)
            .unwrap()
    };
    // Without a date, "Guardians of Peace" (an alias of Lazarus Group) counts.
    let now = claim(None);
    assert!(now.support.iter().any(|s| s.actor == "G0032" && s.lr > 1.0));
    // As of the FBI statement, it is a claim by an unknown persona.
    let then = claim(Some("2014-12-19"));
    assert!(then.support.is_empty(), "{:?}", then.support);
    assert_eq!(then.lr_for("G0032"), 1.0);
    assert!(
        then.notes
            .iter()
            .any(|n| n.contains("undated alias") && n.contains("Lazarus")),
        "{:?}",
        then.notes
    );
    // A self-claim in the actor's primary name still counts.
    let mut c = case(Some("2014-12-19"));
    if let ascribe_core::ObservationKind::Claim {
        claimant, target, ..
    } = &mut c.observations[0].kind
    {
        *claimant = "Lazarus Group".into();
        *target = "Lazarus Group".into();
    }
    let built = EvidenceBuilder::new(kb)
        .with_as_of(Some("2014-12-19"))
        .build(&c.observations);
    assert!(built.evidence[0].support.iter().any(|s| s.actor == "G0032"));
}

#[test]
fn the_assessment_says_what_its_verdict_rests_on() {
    let a = assess(&case(Some("2014-12-19")), kb(), &Params::default());
    let k = a
        .knowledge_as_of
        .expect("knowledge_as_of is set with a date");
    assert_eq!(k.date, "2014-12-19");
    assert!(k.actor.is_some());
    // the Korean-language item rests on the actors' countries: undated
    let lang = a
        .evidence
        .iter()
        .find(|w| w.evidence.kind == EvidenceKind::Language)
        .unwrap();
    if lang.weight.abs() >= 0.005 {
        assert!(k
            .items
            .iter()
            .any(|i| i.evidence == lang.evidence.id && i.basis == KnowledgeBasis::Undated));
    }
    let sum: f64 = k.weight_by_basis.values().sum();
    assert!((sum - k.weight_total).abs() < 1e-9);
    assert!((0.0..=1.0).contains(&k.share_undated_or_later));
    assert!(assess(&case(None), kb(), &Params::default())
        .knowledge_as_of
        .is_none());
}

/// With an analysis date, "collect next" asks first for what the leading
/// actors were known to use by then; a technique or software resting only on
/// links no citation of which is dated by then says so and comes after.
#[test]
fn collect_next_prefers_knowledge_dated_by_the_analysis_date() {
    const LATER: &str = "may come from later reports";
    let look_for = |as_of: Option<&str>| -> Vec<String> {
        let mut c = case(as_of);
        c.observations
            .retain(|o| o.id != "claim-1" && o.id != "artifact-1");
        let a = assess(&c, kb(), &Params::default());
        a.collect_next
            .iter()
            .filter(|s| s.what.starts_with("Look for "))
            .map(|s| format!("{} — {}", s.what, s.why))
            .collect()
    };
    let undated_today = look_for(None);
    assert!(!undated_today.is_empty());
    assert!(undated_today.iter().all(|s| !s.contains(LATER)));
    // Lazarus Group's links are dated from Novetta's 2016 reports on; in 2014
    // none of them was
    let early = look_for(Some("2014-12-19"));
    assert!(early.iter().all(|s| s.contains(LATER)), "{early:#?}");
    let then = look_for(Some("2017-01-01"));
    assert!(!then.is_empty());
    assert!(!then[0].contains(LATER), "{then:#?}");
    let first_marked = then.iter().position(|s| s.contains(LATER));
    if let Some(i) = first_marked {
        assert!(then[i..].iter().all(|s| s.contains(LATER)), "{then:#?}");
        assert!(then[i].contains("2017-01-01"), "{}", then[i]);
    }
    // the full knowledge base's own first suggestions include links known
    // only later, which the dated analysis does not put first
    assert_ne!(undated_today, then);
}
