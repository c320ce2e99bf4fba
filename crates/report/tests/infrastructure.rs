//! The report lists every infrastructure match with its record (source,
//! event, date), in text, Markdown and JSON.

use ascribe_core::{
    Case, IndicatorType, IntelKind, IntelRecord, Observation, ObservationKind, Source, SourceKind,
};
use ascribe_intel::matching::normalize;
use ascribe_intel::memory::MemoryIntelStore;
use ascribe_reason::intel::match_case;
use ascribe_reason::{assess_with_intel, Params};
use ascribe_store::IntelStore;

#[test]
fn every_match_is_listed_with_its_record() {
    let kb = ascribe_kb::KnowledgeBase::build(&ascribe_kb::embedded::default_facts().unwrap());
    let mut store = MemoryIntelStore::new();
    let rec = |kind: IntelKind, v: &str| {
        let norm = normalize(kind, v).unwrap();
        IntelRecord {
            kind,
            value: v.into(),
            keys: ascribe_intel::keys(kind, &norm),
            norm,
            actors: vec!["Turla".into()],
            source: "misp-event:5a0c3c31-gazer".into(),
            event: Some("5a0c3c31-gazer".into()),
            event_title: Some("Gazer".into()),
            published: Some("2017-08-30".into()),
            first_seen: None,
            last_seen: None,
            to_ids: true,
            confidence: None,
            role: None,
        }
    };
    store
        .put_intel(
            "t",
            &[
                rec(IntelKind::Domain, "infinity-bahamas.com"),
                // an address of a Cloudflare range: listed, weighed little
                rec(IntelKind::Ipv4, "104.16.5.5"),
            ],
        )
        .unwrap();
    let src = Source {
        id: "ir".into(),
        title: "notes".into(),
        url: None,
        date: None,
        kind: SourceKind::Analysis,
        file: None,
    };
    let ind = |id: &str, t: IndicatorType, v: &str| {
        Observation::new(
            id,
            ObservationKind::Indicator {
                indicator: t,
                value: v.into(),
                role: None,
                first_seen: None,
                last_seen: None,
                country: None,
                overlaps: None,
            },
            src.clone(),
        )
    };
    let case = Case {
        name: "t".into(),
        date: Some("2017-06-01".into()),
        observations: vec![
            ind("i1", IndicatorType::Domain, "infinity-bahamas.com"),
            ind("i2", IndicatorType::Ip, "104.16.5.9"),
        ],
        ..Default::default()
    };
    let m = match_case(&case, &store).unwrap();
    assert_eq!(m.matches.len(), 2);
    let a = assess_with_intel(&case, &kb, &Params::default(), m.matches);
    let text = ascribe_report::text(&a, false);
    assert!(text.contains("INFRASTRUCTURE MATCHES (2"), "{text}");
    assert!(text.contains("misp-event:5a0c3c31-gazer, \"Gazer\", published 2017-08-30"));
    assert!(text.contains("same-/24 of ipv4 104.16.5.5"), "{text}");
    let md = ascribe_report::markdown(&a);
    assert!(md.contains("## Infrastructure matches"));
    assert!(
        md.contains("| domain infinity-bahamas.com (i1) | exact |"),
        "{md}"
    );
    let json: serde_json::Value = serde_json::from_str(&ascribe_report::json(&a)).unwrap();
    let list = json["infrastructure_matches"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["published"], "2017-08-30");
    assert!(list
        .iter()
        .any(|m| m["strength"] == "none"
            && m["shared_service"].as_str().unwrap().contains("cloudflare")));
}
