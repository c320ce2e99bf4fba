//! The behavioural test suite every [`Store`] + [`IntelStore`]
//! implementation must pass: the SQLite store runs it in this crate's
//! tests, the PostgreSQL store (`ascribe-store-pg`) runs the same functions
//! against a real server. Each function takes a fresh, empty store and
//! panics (with a message) on the first behaviour that differs.

use crate::{IntelStore, Store};
use ascribe_core::{
    Citation, Entity, EntityKind, IntelKind, IntelRecord, KbFacts, Relation, RelationKind,
    SourceInfo,
};

/// Facts of one source: `n` groups, each with one alias and one `uses`
/// relation carrying a citation.
pub fn sample_facts(source: &str, n: usize) -> KbFacts {
    let mut f = KbFacts {
        sources: vec![SourceInfo {
            key: source.into(),
            name: source.into(),
            version: Some("1".into()),
            sha256: None,
            origin: None,
            licence: None,
        }],
        ..Default::default()
    };
    for i in 0..n {
        let mut e = Entity::new(
            format!("{source}-e{i}"),
            EntityKind::Group,
            source,
            format!("G{i}"),
        );
        e.aliases = vec![format!("alias {i}")];
        f.entities.push(e);
        f.relations.push(Relation {
            kind: RelationKind::Uses,
            src: format!("{source}-e{i}"),
            dst: "t".into(),
            source: source.into(),
            id: None,
            citations: vec![Citation {
                source_name: "x".into(),
                url: None,
                date: Some("2016-02".into()),
            }],
            created: Some("2017-05-31".into()),
        });
    }
    f
}

/// Re-importing a source replaces it; other sources stay; clearing empties.
pub fn kb_round_trip_and_idempotent_reimport<S: Store + ?Sized>(s: &mut S) {
    assert!(s.kb_is_empty().unwrap(), "a new store holds no facts");
    s.put_kb_facts(&sample_facts("a", 3)).unwrap();
    s.put_kb_facts(&sample_facts("b", 2)).unwrap();
    let sum = s.put_kb_facts(&sample_facts("a", 4)).unwrap();
    assert_eq!(sum.replaced_entities, 3);
    assert_eq!((sum.sources, sum.entities, sum.relations), (1, 4, 4));
    assert!(!s.kb_is_empty().unwrap());
    let f = s.load_kb_facts().unwrap();
    assert_eq!(f.sources.len(), 2);
    assert_eq!(f.entities.len(), 6);
    assert_eq!(f.relations.len(), 6);
    let mut expect = sample_facts("a", 4);
    expect.merge(sample_facts("b", 2));
    // loaded in (source, id) and (source, sequence) order, every field kept
    let mut want_e = expect.entities.clone();
    want_e.sort_by(|x, y| (&x.source, &x.id).cmp(&(&y.source, &y.id)));
    assert_eq!(f.entities, want_e);
    assert_eq!(f.relations, expect.relations);
    assert_eq!(f.sources[0].version.as_deref(), Some("1"));
    s.clear_kb().unwrap();
    assert!(s.kb_is_empty().unwrap());
    assert!(s.load_kb_facts().unwrap().entities.is_empty());
}

/// Sources are listed, their entity ids read, and removed one by one.
pub fn kb_sources_listed_and_removed<S: Store + ?Sized>(s: &mut S) {
    s.put_kb_facts(&sample_facts("a", 3)).unwrap();
    s.put_kb_facts(&sample_facts("b", 2)).unwrap();
    assert_eq!(
        s.kb_source_entity_ids("a").unwrap(),
        ["a-e0", "a-e1", "a-e2"]
    );
    assert!(s.kb_source_entity_ids("zz").unwrap().is_empty());
    assert_eq!(s.remove_kb_sources(&["a".to_string()]).unwrap(), 3);
    let f = s.load_kb_facts().unwrap();
    assert!(f.entities.iter().all(|e| e.source == "b"));
    assert!(f.relations.iter().all(|r| r.source == "b"));
    assert_eq!(s.kb_sources().unwrap().len(), 1);
    assert_eq!(s.remove_kb_sources(&["nope".to_string()]).unwrap(), 0);
}

/// One indicator record with an event, as the importers make them.
pub fn intel_rec(
    kind: IntelKind,
    norm: &str,
    source: &str,
    actors: &[&str],
    extra: &[&str],
) -> IntelRecord {
    let mut keys = vec![format!("{}:{norm}", kind.as_str())];
    keys.extend(extra.iter().map(|s| s.to_string()));
    IntelRecord {
        kind,
        value: norm.to_uppercase(),
        norm: norm.into(),
        keys,
        actors: actors.iter().map(|s| s.to_string()).collect(),
        source: source.into(),
        event: Some("ev".into()),
        event_title: Some("Title".into()),
        published: Some("2020-01-02".into()),
        first_seen: None,
        last_seen: Some("2021-01-01".into()),
        to_ids: true,
        confidence: Some(70),
        role: Some("c2".into()),
    }
}

/// Four records of two sources sharing a /24.
pub fn intel_sample() -> Vec<IntelRecord> {
    vec![
        intel_rec(
            IntelKind::Ipv4,
            "203.0.113.5",
            "misp-event:a",
            &["APT28"],
            &["ip24:203.0.113"],
        ),
        intel_rec(
            IntelKind::Ipv4,
            "203.0.113.9",
            "misp-event:a",
            &["APT28"],
            &["ip24:203.0.113"],
        ),
        intel_rec(
            IntelKind::Ipv4,
            "203.0.113.77",
            "stix:b",
            &["Lazarus", "APT28"],
            &["ip24:203.0.113"],
        ),
        intel_rec(
            IntelKind::Domain,
            "evil.com",
            "stix:b",
            &[],
            &["host:evil.com", "regdomain:evil.com"],
        ),
    ]
}

/// (key, source, norm) of look-up results, sorted.
pub fn sorted_hits(v: &[(String, IntelRecord)]) -> Vec<(String, String, String)> {
    let mut o: Vec<_> = v
        .iter()
        .map(|(k, r)| (k.clone(), r.source.clone(), r.norm.clone()))
        .collect();
    o.sort();
    o
}

/// Put, batch look-up (records come back whole), shared-key actor counts,
/// replacement per source, listing and removal of sources.
pub fn intel_round_trip<S: IntelStore + ?Sized>(s: &mut S) {
    assert!(s.intel_sources().unwrap().is_empty());
    let sum = s.put_intel("test", &intel_sample()).unwrap();
    assert_eq!((sum.sources, sum.entities, sum.relations), (2, 4, 9));
    let q = vec![
        "ip24:203.0.113".to_string(),
        "regdomain:evil.com".into(),
        "md5:00".into(),
        "ip24:203.0.113".into(), // duplicates are answered once
    ];
    let hits = s.intel_lookup(&q).unwrap();
    assert_eq!(hits.len(), 4, "{:?}", sorted_hits(&hits));
    let full = hits.iter().find(|(_, r)| r.norm == "203.0.113.77").unwrap();
    assert_eq!(full.1, intel_sample()[2], "a record comes back whole");
    let counts = s.intel_key_actor_counts(&q).unwrap();
    assert_eq!(counts["ip24:203.0.113"], 2);
    assert_eq!(counts["regdomain:evil.com"], 0);
    assert!(!counts.contains_key("md5:00"));
    assert!(s.intel_lookup(&[]).unwrap().is_empty());
    // re-import replaces the source
    let again = vec![intel_rec(
        IntelKind::Ipv4,
        "198.51.100.1",
        "misp-event:a",
        &["X"],
        &[],
    )];
    let sum = s.put_intel("test2", &again).unwrap();
    assert_eq!(sum.replaced_entities, 2);
    let after = s.intel_lookup(&q).unwrap();
    assert_eq!(after.len(), 2, "{:?}", sorted_hits(&after));
    assert_eq!(
        s.intel_lookup(&["ipv4:198.51.100.1".into()]).unwrap().len(),
        1
    );
    let srcs = s.intel_sources().unwrap();
    assert_eq!(srcs.len(), 2);
    assert_eq!(
        (
            srcs[0].source.as_str(),
            srcs[0].records,
            srcs[0].origin.as_str()
        ),
        ("misp-event:a", 1, "test2")
    );
    assert_eq!(srcs[1].records, 2);
    assert_eq!(s.remove_intel_sources(&["stix:b".into()]).unwrap(), 2);
    assert!(s.intel_lookup(&q).unwrap().is_empty());
    assert_eq!(s.remove_intel_sources(&["stix:b".into()]).unwrap(), 0);
    assert_eq!(s.intel_sources().unwrap().len(), 1);
}

/// A batch far larger than any statement chunk: every key is found once.
pub fn intel_large_batch<S: IntelStore + ?Sized>(s: &mut S) {
    let recs: Vec<IntelRecord> = (0..5000u32)
        .map(|i| {
            let ip = format!("10.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256);
            let net = format!("ip24:10.{}.{}", i / 65536, (i / 256) % 256);
            intel_rec(IntelKind::Ipv4, &ip, "feed:big", &["A"], &[&net])
        })
        .collect();
    let sum = s.put_intel("bulk", &recs).unwrap();
    assert_eq!((sum.entities, sum.relations), (5000, 10000));
    let q: Vec<String> = recs.iter().map(|r| r.keys[0].clone()).collect();
    let hits = s.intel_lookup(&q).unwrap();
    assert_eq!(hits.len(), 5000);
    let counts = s
        .intel_key_actor_counts(&["ip24:10.0.3".to_string()])
        .unwrap();
    assert_eq!(counts["ip24:10.0.3"], 1);
    assert_eq!(s.intel_lookup(&["ip24:10.0.3".into()]).unwrap().len(), 256);
}

/// Text that needs escaping in any wire format survives the round trip.
pub fn awkward_text_survives<S: Store + IntelStore + ?Sized>(s: &mut S) {
    let mut f = sample_facts("odd\tsource\\with\nbreaks", 1);
    f.entities[0].name = "quote ' \" tab\t back\\slash \u{e9}\u{4e2d}".into();
    f.entities[0].motive = Some("line1\nline2\r\n\\N".into());
    s.put_kb_facts(&f).unwrap();
    let back = s.load_kb_facts().unwrap();
    assert_eq!(back.entities, f.entities);
    assert_eq!(back.sources[0].key, f.sources[0].key);
    let mut r = intel_rec(IntelKind::Domain, "a\\b.example", "src\t1", &["A\tB"], &[]);
    r.event_title = Some("\\N".into());
    s.put_intel("o\\N", std::slice::from_ref(&r)).unwrap();
    let hits = s.intel_lookup(&r.keys).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].1.event_title.as_deref(), Some("\\N"));
    assert_eq!(hits[0].1.source, "src\t1");
}
