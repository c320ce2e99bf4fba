//! Infrastructure matches against imported intelligence as evidence, on the
//! embedded knowledge base: actor resolution, one fact one count with the
//! analyst's own finding, shared services, and the hijack reading.

use ascribe_core::{
    Case, EvidenceKind, ForgeCost, HypothesisKind, IndicatorType, IntelKind, IntelRecord,
    Observation, ObservationKind, Source, SourceKind,
};
use ascribe_intel::matching::normalize;
use ascribe_intel::memory::MemoryIntelStore;
use ascribe_kb::KnowledgeBase;
use ascribe_reason::intel::match_case;
use ascribe_reason::{assess_with_intel, Params};
use ascribe_store::IntelStore;
use std::sync::OnceLock;

fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        KnowledgeBase::build(&ascribe_kb::embedded::default_facts().expect("embedded KB"))
    })
}

fn id_of(name: &str) -> String {
    match kb().resolve_actor(name) {
        ascribe_kb::Resolution::Found { index, .. } => kb().actors[index].id.clone(),
        _ => panic!("{name} in the embedded KB"),
    }
}

fn rec(kind: IntelKind, value: &str, actor: &str, event: &str, published: &str) -> IntelRecord {
    let norm = normalize(kind, value).unwrap();
    IntelRecord {
        kind,
        value: value.into(),
        keys: ascribe_intel::keys(kind, &norm),
        norm,
        actors: vec![actor.into()],
        source: format!("misp-event:{event}"),
        event: Some(event.into()),
        event_title: Some(format!("ESET {event}")),
        published: Some(published.into()),
        first_seen: None,
        last_seen: None,
        to_ids: true,
        confidence: None,
        role: None,
    }
}

/// Values as published in ESET's public IOC repository (eset/malware-ioc):
/// Turla's Gazer C2 domain, a Turla watering-hole URL, a Gamaredon-style
/// dynamic-DNS name.
fn store() -> MemoryIntelStore {
    let mut s = MemoryIntelStore::new();
    s.put_intel(
        "test",
        &[
            rec(
                IntelKind::Domain,
                "infinity-bahamas.com",
                "Turla",
                "gazer",
                "2017-08-30",
            ),
            rec(
                IntelKind::Domain,
                "someone.duckdns.org",
                "Turla",
                "ddns",
                "2017-08-30",
            ),
        ],
    )
    .unwrap();
    s
}

fn src() -> Source {
    Source {
        id: "ir".into(),
        title: "incident response notes".into(),
        url: None,
        date: None,
        kind: SourceKind::Analysis,
        file: None,
    }
}

fn indicator(id: &str, t: IndicatorType, v: &str, overlaps: Option<&str>) -> Observation {
    Observation::new(
        id,
        ObservationKind::Indicator {
            indicator: t,
            value: v.into(),
            role: Some("c2".into()),
            first_seen: None,
            last_seen: None,
            country: None,
            overlaps: overlaps.map(str::to_string),
        },
        src(),
    )
}

fn case(observations: Vec<Observation>) -> Case {
    Case {
        name: "intel".into(),
        date: Some("2017-06-01".into()),
        observations,
        ..Default::default()
    }
}

fn post(a: &ascribe_core::Assessment, kind: HypothesisKind, id: &str) -> f64 {
    a.ranking
        .iter()
        .filter(|h| h.kind == kind && h.actor.as_ref().is_some_and(|a| a.id == id))
        .map(|h| h.posterior)
        .sum()
}

#[test]
fn an_exact_match_on_the_actors_domain_is_costly_evidence_for_it_and_listed() {
    let c = case(vec![indicator(
        "i1",
        IndicatorType::Domain,
        "infinity-bahamas.com",
        None,
    )]);
    let m = match_case(&c, &store()).unwrap();
    assert_eq!(m.matches.len(), 1);
    let a = assess_with_intel(&c, kb(), &Params::default(), m.matches);
    let turla = id_of("Turla");
    let e = a
        .evidence
        .iter()
        .find(|e| e.evidence.kind == EvidenceKind::Infrastructure)
        .expect("infrastructure item");
    assert_eq!(e.evidence.forge_cost, ForgeCost::Costly);
    assert_eq!(e.evidence.lr_for(&turla), 25.0);
    assert!(e
        .evidence
        .notes
        .iter()
        .any(|n| n.contains("misp-event:gazer")));
    assert_eq!(a.infrastructure_matches.len(), 1);
    let l = &a.infrastructure_matches[0];
    assert_eq!(
        (l.match_kind.as_str(), l.strength.as_str()),
        ("exact", "strong")
    );
    assert_eq!(l.published.as_deref(), Some("2017-08-30"));
    assert!(post(&a, HypothesisKind::Actor, &turla) > 0.01);
}

#[test]
fn the_computed_match_and_the_analysts_finding_are_one_fact() {
    let c = case(vec![indicator(
        "i1",
        IndicatorType::Domain,
        "infinity-bahamas.com",
        Some("Turla"),
    )]);
    let m = match_case(&c, &store()).unwrap();
    let a = assess_with_intel(&c, kb(), &Params::default(), m.matches);
    let infra: Vec<_> = a
        .evidence
        .iter()
        .filter(|e| e.evidence.kind == EvidenceKind::Infrastructure)
        .collect();
    assert_eq!(infra.len(), 2);
    assert_eq!(infra[0].evidence.fingerprint, infra[1].evidence.fingerprint);
    // only one of them counts
    assert_eq!(infra.iter().filter(|e| e.duplicate_of.is_some()).count(), 1);
}

#[test]
fn a_dynamic_dns_name_is_weak_and_cheap() {
    let c = case(vec![indicator(
        "i1",
        IndicatorType::Domain,
        "someone.duckdns.org",
        None,
    )]);
    let m = match_case(&c, &store()).unwrap();
    let a = assess_with_intel(&c, kb(), &Params::default(), m.matches);
    let e = a
        .evidence
        .iter()
        .find(|e| e.evidence.kind == EvidenceKind::Infrastructure)
        .unwrap();
    assert_eq!(e.evidence.forge_cost, ForgeCost::Cheap);
    assert_eq!(e.evidence.lr_for(&id_of("Turla")), 5.0);
}

#[test]
fn infrastructure_of_x_with_costly_evidence_for_y_reads_as_y_through_xs_infrastructure() {
    let code = Observation::new(
        "code",
        ObservationKind::CodeOverlap {
            family: "OilRig tooling".into(),
            actor: Some("OilRig".into()),
            similarity: 0.6,
            shared: vec![],
            sample: Some("a.exe".into()),
        },
        src(),
    );
    let ind = indicator("i1", IndicatorType::Domain, "infinity-bahamas.com", None);
    let p = Params::default();
    let turla = id_of("Turla");
    let oilrig = id_of("OilRig");
    // infrastructure alone: Turla's
    let c1 = case(vec![ind.clone()]);
    let alone = assess_with_intel(&c1, kb(), &p, match_case(&c1, &store()).unwrap().matches);
    // with OilRig's code
    let c2 = case(vec![ind, code]);
    let both = assess_with_intel(&c2, kb(), &p, match_case(&c2, &store()).unwrap().matches);
    let e = both
        .evidence
        .iter()
        .find(|e| e.evidence.kind == EvidenceKind::Infrastructure)
        .unwrap();
    assert_eq!(e.evidence.false_flag_targets, vec![turla.clone()]);
    assert_eq!(e.evidence.lr_for(&turla), 5.0);
    assert_eq!(e.evidence.false_flag_lr, 5.0);
    assert!(e
        .evidence
        .notes
        .iter()
        .any(|n| n.starts_with("hijack reading")));
    // OilRig leads; "another actor through Turla's infrastructure" is
    // raised against Turla itself
    assert_eq!(
        both.ranking[0].actor.as_ref().map(|a| a.id.as_str()),
        Some(oilrig.as_str())
    );
    let ratio = |a: &ascribe_core::Assessment| {
        post(a, HypothesisKind::FalseFlag, &turla) / post(a, HypothesisKind::Actor, &turla)
    };
    assert!(
        ratio(&both) > ratio(&alone),
        "{} vs {}",
        ratio(&both),
        ratio(&alone)
    );
}

#[test]
fn intelligence_published_after_the_analysis_date_is_not_used() {
    let mut c = case(vec![indicator(
        "i1",
        IndicatorType::Domain,
        "infinity-bahamas.com",
        None,
    )]);
    c.as_of = Some("2017-08-01".into());
    let m = match_case(&c, &store()).unwrap();
    assert!(m.matches.is_empty());
    assert_eq!(m.after_as_of, 1);
}

#[test]
fn intelligence_published_by_the_analysis_date_is_dated_knowledge() {
    let mut c = case(vec![indicator(
        "i1",
        IndicatorType::Domain,
        "infinity-bahamas.com",
        None,
    )]);
    c.as_of = Some("2017-09-01".into());
    let m = match_case(&c, &store()).unwrap();
    let a = assess_with_intel(&c, kb(), &Params::default(), m.matches);
    let k = a.knowledge_as_of.expect("as of");
    let infra = a
        .evidence
        .iter()
        .find(|e| e.evidence.kind == EvidenceKind::Infrastructure)
        .unwrap();
    // dated knowledge: not among the items resting on undated knowledge,
    // and its weight is counted as dated
    assert!(k.items.iter().all(|i| i.evidence != infra.evidence.id));
    assert!(k.weight_by_basis.get("dated").copied().unwrap_or(0.0) >= infra.weight - 1e-9);
    assert!(infra.weight > 0.5);
}

#[test]
fn the_hijack_reading_holds_for_several_pairs_of_actors() {
    // X's exact domain from intelligence; Y's code (costly). For each
    // pair: Y leads, X's item keeps half its log-ratio, and the false flag
    // of X gains on X compared with the infrastructure alone.
    let p = Params::default();
    for (x, y) in [
        ("Turla", "OilRig"),
        ("APT28", "Lazarus Group"),
        ("APT29", "Sandworm Team"),
    ] {
        let mut s = MemoryIntelStore::new();
        s.put_intel(
            "t",
            &[rec(
                IntelKind::Domain,
                "infra.example-actor.org",
                x,
                "e",
                "2017-01-01",
            )],
        )
        .unwrap();
        let ind = indicator("i1", IndicatorType::Domain, "infra.example-actor.org", None);
        let code = Observation::new(
            "code",
            ObservationKind::CodeOverlap {
                family: format!("{y} tooling"),
                actor: Some(y.into()),
                similarity: 0.6,
                shared: vec![],
                sample: Some("a.exe".into()),
            },
            src(),
        );
        let (xi, yi) = (id_of(x), id_of(y));
        let c1 = case(vec![ind.clone()]);
        let alone = assess_with_intel(&c1, kb(), &p, match_case(&c1, &s).unwrap().matches);
        let c2 = case(vec![ind, code]);
        let both = assess_with_intel(&c2, kb(), &p, match_case(&c2, &s).unwrap().matches);
        assert_eq!(
            both.ranking[0].actor.as_ref().map(|a| a.id.as_str()),
            Some(yi.as_str()),
            "{x} / {y}"
        );
        let e = both
            .evidence
            .iter()
            .find(|e| e.evidence.kind == EvidenceKind::Infrastructure)
            .unwrap();
        assert_eq!(e.evidence.lr_for(&xi), 5.0, "{x} / {y}");
        assert_eq!(e.evidence.false_flag_targets, vec![xi.clone()]);
        let ratio = |a: &ascribe_core::Assessment| {
            post(a, HypothesisKind::FalseFlag, &xi) / post(a, HypothesisKind::Actor, &xi)
        };
        assert!(ratio(&both) > ratio(&alone), "{x} / {y}");
    }
}
