//! The evidence kinds and fields of issue 10 (wallets, operator origin,
//! links to campaigns and families, declared hypotheses, status, forge-cost
//! overrides, hijacked and shared infrastructure, leaked tools) and the
//! one-fact-one-count rule, against the embedded knowledge base.

use ascribe_core::{
    ArtifactType, DeclaredStance, EvidenceKind, ForgeCost, IndicatorType, LinkKind, Observation,
    ObservationKind, Source, SourceKind, Stance, Status, Strength,
};
use ascribe_kb::KnowledgeBase;
use ascribe_reason::builders::{Built, EvidenceBuilder};
use std::sync::OnceLock;

fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        KnowledgeBase::build(&ascribe_kb::embedded::default_facts().expect("embedded KB"))
    })
}

fn src(id: &str, kind: SourceKind) -> Source {
    Source {
        id: id.into(),
        title: format!("source {id}"),
        url: None,
        date: None,
        kind,
        file: None,
    }
}

fn obs(id: &str, kind: ObservationKind) -> Observation {
    Observation::new(id, kind, src("s1", SourceKind::Vendor))
}

fn build(o: &[Observation]) -> Built {
    EvidenceBuilder::new(kb()).build(o)
}

fn lazarus() -> String {
    match kb().resolve_actor("Lazarus Group") {
        ascribe_kb::Resolution::Found { index, .. } => kb().actors[index].id.clone(),
        _ => panic!("Lazarus Group in the embedded KB"),
    }
}

#[test]
fn a_wallet_tied_to_an_actor_is_infrastructure_evidence() {
    let b = build(&[obs(
        "indicator-1",
        ObservationKind::Indicator {
            indicator: IndicatorType::Wallet,
            value: "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa".into(),
            role: Some("ransom".into()),
            first_seen: None,
            last_seen: None,
            country: None,
            overlaps: Some("Lazarus Group".into()),
        },
    )]);
    assert_eq!(b.evidence.len(), 1, "{:?}", b.warnings);
    let e = &b.evidence[0];
    assert_eq!(e.kind, EvidenceKind::Infrastructure);
    assert_eq!(e.lr_for(&lazarus()), 25.0);
    assert!(e.forge_rationale.contains("payments"));
    assert!(e
        .fingerprint
        .contains("indicator:wallet:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"));
}

#[test]
fn operator_origin_is_moderate_and_stronger_than_geolocation() {
    let b = build(&[
        obs(
            "operator-origin-1",
            ObservationKind::OperatorOrigin {
                actor: "North Korea".into(),
                address: Some("175.45.178.0/24".into()),
                activity: Some("persona's login".into()),
            },
        ),
        obs(
            "operator-origin-2",
            ObservationKind::OperatorOrigin {
                actor: "Lazarus Group".into(),
                address: None,
                activity: None,
            },
        ),
    ]);
    assert_eq!(b.evidence.len(), 2, "{:?}", b.warnings);
    let country = &b.evidence[0];
    assert_eq!(country.kind, EvidenceKind::OperatorOrigin);
    assert_eq!(country.forge_cost, ForgeCost::Moderate);
    assert!(country.support.len() > 1, "every actor of KP");
    assert!(country.support.iter().all(|s| s.lr == 8.0));
    assert_eq!(b.evidence[1].lr_for(&lazarus()), 20.0);
    // geolocation of the same country is cheap and far weaker
    let g = build(&[obs(
        "indicator-1",
        ObservationKind::Indicator {
            indicator: IndicatorType::Ip,
            value: "175.45.178.1".into(),
            role: None,
            first_seen: None,
            last_seen: None,
            country: Some("KP".into()),
            overlaps: None,
        },
    )]);
    assert_eq!(g.evidence[0].forge_cost, ForgeCost::Cheap);
    assert!(g.evidence[0].lr_for(&lazarus()) < country.lr_for(&lazarus()));
}

#[test]
fn links_resolve_campaigns_and_families_through_the_kb() {
    let link = |to: &str, actor: Option<&str>, link: LinkKind| {
        obs(
            "link-1",
            ObservationKind::SameOperator {
                as_of_campaign_or_family: to.into(),
                actor: actor.map(String::from),
                link,
            },
        )
    };
    let b = build(&[link("Operation Dream Job", None, LinkKind::SameOperator)]);
    assert_eq!(b.evidence[0].lr_for(&lazarus()), 20.0, "{:?}", b.warnings);
    assert_eq!(b.evidence[0].kind, EvidenceKind::SameOperator);
    let b = build(&[link("C0022", None, LinkKind::SameC2)]);
    assert_eq!(b.evidence[0].lr_for(&lazarus()), 25.0, "{:?}", b.warnings);
    // a family: its users
    let b = build(&[link("WannaCry", None, LinkKind::SameC2)]);
    assert!(
        b.evidence[0].support.iter().any(|s| s.actor == lazarus()),
        "{:?}",
        b.warnings
    );
    // unknown, with and without an actor named by the source
    let b = build(&[link("Operation Nowhere 1999", None, LinkKind::SameOperator)]);
    assert!(b.evidence.is_empty());
    assert!(
        b.warnings[0].starts_with("W001 unknown-actor: link-1: "),
        "{:?}",
        b.warnings
    );
    let b = build(&[link(
        "Operation Nowhere 1999",
        Some("Lazarus Group"),
        LinkKind::SameOperator,
    )]);
    assert_eq!(b.evidence[0].lr_for(&lazarus()), 20.0);
}

#[test]
fn declared_hypotheses_get_their_own_column() {
    let d = |stance, strength| {
        obs(
            "hypothesis-evidence-1",
            ObservationKind::DeclaredEvidence {
                hypothesis: "insider".into(),
                stance,
                strength,
            },
        )
    };
    let b = build(&[
        d(DeclaredStance::For, Strength::Strong),
        d(DeclaredStance::Against, Strength::Weak),
    ]);
    assert_eq!(b.evidence[0].lr_for("declared:insider"), 10.0);
    assert_eq!(b.evidence[1].lr_for("declared:insider"), 0.5);
    assert_eq!(b.evidence[0].lr_for(&lazarus()), 1.0);
    assert_eq!(b.evidence[0].kind, EvidenceKind::Declared);
}

fn korean(id: &str, source: Source) -> Observation {
    Observation::new(
        id,
        ObservationKind::Artifact {
            artifact: ArtifactType::ResourceLanguage,
            value: "Korean".into(),
            sample: Some(id.into()),
            known_for: None,
        },
        source,
    )
}

#[test]
fn status_override_and_illustrative() {
    let mut retracted = korean("artifact-1", src("s1", SourceKind::Vendor));
    retracted.status = Status::Retracted;
    let mut uncertain = korean("artifact-2", src("s2", SourceKind::Vendor));
    uncertain.status = Status::Uncertain;
    let b = build(&[retracted.clone()]);
    assert!(b.evidence.is_empty());
    assert!(
        b.warnings[0].contains("retracted") && b.warnings[0].contains("not weighed"),
        "{:?}",
        b.warnings
    );
    assert!(!b.warnings[0].starts_with('W'), "a note, not a warning");
    let b = build(&[uncertain]);
    assert!((b.evidence[0].reliability - 0.4).abs() < 1e-9);
    assert!(b.evidence[0].summary.starts_with("(uncertain)"));

    let mut over = korean("artifact-3", src("s3", SourceKind::Vendor));
    over.forge_cost_override = Some((
        ForgeCost::Moderate,
        "compiled in, and the build paths are Korean too".into(),
    ));
    let b = build(&[over]);
    assert_eq!(b.evidence[0].forge_cost, ForgeCost::Moderate);
    assert!(b.evidence[0]
        .forge_rationale
        .starts_with("analyst: compiled in"));
    assert!(b.evidence[0].notes.iter().any(|n| n.contains("cheap")));

    let mut stand_in = korean("binaries#1", src("binary-inspection", SourceKind::Analysis));
    stand_in.illustrative = true;
    let b = build(&[stand_in]);
    assert!(b.evidence.is_empty());
    assert!(b.warnings[0].contains("illustrative stand-in"));
}

#[test]
fn one_fact_reached_through_three_routes_counts_once() {
    let mut from_binaries = korean("binaries#1", src("binary-inspection", SourceKind::Analysis));
    from_binaries.location = Some(ascribe_core::Location {
        file: "binaries".into(),
        line: None,
    });
    let items = [
        korean("artifact-1", src("news", SourceKind::Media)),
        korean("reports/a.txt#3", src("vendor", SourceKind::Vendor)),
        from_binaries,
    ];
    let b = build(&items);
    assert_eq!(b.evidence.len(), 3);
    let fp = &b.evidence[0].fingerprint;
    assert!(
        b.evidence.iter().all(|e| &e.fingerprint == fp),
        "one fact key"
    );
    // the most reliable route (own inspection) comes first and counts
    assert_eq!(b.evidence[0].observation, "binaries#1");
    assert!(b.evidence[0].notes[0].contains("one fact (language:korean) reached through 3 routes"));
    assert!(b.evidence[0].notes[0].contains("inspection of the case's binaries"));
    assert!(b.evidence[1].notes[0].contains("as E1"));
    // and the engine counts it once
    let a = ascribe_reason::assess_evidence(&b.evidence, kb(), &Default::default());
    let dups = a
        .evidence
        .iter()
        .filter(|w| w.duplicate_of.is_some())
        .count();
    assert_eq!(dups, 2);
    let one = ascribe_reason::assess_evidence(&b.evidence[..1], kb(), &Default::default());
    assert!((a.verdict.probability - one.verdict.probability).abs() < 1e-12);

    // the same UTC offset from an analyst entry and from compile times
    let tz = |id: &str, v: &str| {
        obs(
            id,
            ObservationKind::Artifact {
                artifact: ArtifactType::UtcOffset,
                value: v.into(),
                sample: None,
                known_for: None,
            },
        )
    };
    let b = build(&[tz("artifact-1", "+9"), tz("artifact-2", "UTC+9 ± 2")]);
    assert_eq!(b.evidence[0].fingerprint, b.evidence[1].fingerprint);
    assert!(b.evidence[0].fingerprint.contains("utc-offset:+9"));

    // the same statement written in case.toml and extracted from a report
    let claim = |id: &str, target: &str| {
        obs(
            id,
            ObservationKind::Claim {
                claimant: "FBI".into(),
                claimant_kind: SourceKind::Government,
                target: target.into(),
                stance: Stance::Asserts,
                quote: None,
            },
        )
    };
    let b = build(&[claim("claim-1", "North Korea"), claim("r#1", "KP")]);
    assert_eq!(b.evidence[0].fingerprint, b.evidence[1].fingerprint);

    // an analyst's fact key joins items the builders cannot see are one
    let mut a1 = obs(
        "infrastructure-overlap-1",
        ObservationKind::InfrastructureOverlap {
            indicators: vec!["203.0.113.5".into()],
            overlaps: "Lazarus Group".into(),
            relation: None,
        },
    );
    let mut a2 = obs(
        "infrastructure-overlap-2",
        ObservationKind::InfrastructureOverlap {
            indicators: vec!["203.0.113.5".into(), "203.0.113.6".into()],
            overlaps: "Lazarus Group".into(),
            relation: None,
        },
    );
    let b = build(&[a1.clone(), a2.clone()]);
    assert_ne!(b.evidence[0].fingerprint, b.evidence[1].fingerprint);
    a1.fact_key = Some("overlap:sony-c2".into());
    a2.fact_key = Some("overlap:sony-c2".into());
    let b = build(&[a1, a2]);
    assert_eq!(b.evidence[0].fingerprint, b.evidence[1].fingerprint);
}

#[test]
fn hijacked_and_shared_infrastructure_and_leaked_tools() {
    let overlap = |relation: Option<&str>| {
        obs(
            "infrastructure-overlap-1",
            ObservationKind::InfrastructureOverlap {
                indicators: vec!["203.0.113.5".into()],
                overlaps: "Lazarus Group".into(),
                relation: relation.map(String::from),
            },
        )
    };
    let owned = build(&[overlap(Some("owned"))]);
    let shared = build(&[overlap(Some("shared"))]);
    let hijacked = build(&[overlap(Some("hijacked"))]);
    assert_eq!(owned.evidence[0].lr_for(&lazarus()), 25.0);
    assert_eq!(shared.evidence[0].lr_for(&lazarus()), 5.0);
    assert_eq!(shared.evidence[0].forge_cost, ForgeCost::Cheap);
    assert_eq!(hijacked.evidence[0].lr_for(&lazarus()), 1.0);
    assert!(hijacked.evidence[0].summary.contains("hijacked"));
    assert_ne!(
        owned.evidence[0].fingerprint,
        hijacked.evidence[0].fingerprint
    );

    let sw = |leaked| {
        obs(
            "software-1",
            ObservationKind::Software {
                name: "S0364".into(),
                leaked,
            },
        )
    };
    let plain = build(&[sw(false)]);
    let leaked = build(&[sw(true)]);
    let (p, l) = (
        plain.evidence[0].lr_for(&lazarus()),
        leaked.evidence[0].lr_for(&lazarus()),
    );
    assert!(p > 1.0 && (l - p.sqrt()).abs() < 1e-9, "{p} {l}");
    assert_eq!(leaked.evidence[0].forge_cost, ForgeCost::Cheap);
}

#[test]
fn warnings_carry_codes() {
    let b = build(&[
        obs(
            "claim-1",
            ObservationKind::Claim {
                claimant: "someone".into(),
                claimant_kind: SourceKind::Media,
                target: "Nobody Group Zzz".into(),
                stance: Stance::Asserts,
                quote: None,
            },
        ),
        obs(
            "technique-1",
            ObservationKind::Technique { id: "T9999".into() },
        ),
        obs(
            "artifact-1",
            ObservationKind::Artifact {
                artifact: ArtifactType::UtcOffset,
                value: "nine".into(),
                sample: None,
                known_for: None,
            },
        ),
    ]);
    let d = ascribe_core::diagnostics(&b.warnings);
    let codes: Vec<&str> = d.iter().filter_map(|x| x.code.as_deref()).collect();
    assert_eq!(codes, ["W001", "W003", "W005"], "{:?}", b.warnings);
    assert!(d[0].message.starts_with("claim-1: "));
}

mod routes {
    use super::*;
    use proptest::prelude::*;

    const KINDS: [SourceKind; 5] = [
        SourceKind::Analysis,
        SourceKind::Government,
        SourceKind::Vendor,
        SourceKind::Researcher,
        SourceKind::Media,
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// However many routes bring the same fact, in whatever order, the
        /// verdict is the one its most reliable route alone gives.
        #[test]
        fn more_routes_to_one_fact_change_nothing(kinds in proptest::collection::vec(0usize..5, 1..6)) {
            let items: Vec<Observation> = kinds
                .iter()
                .enumerate()
                .map(|(i, &k)| korean(&format!("artifact-{i}"), src(&format!("s{i}"), KINDS[k])))
                .collect();
            let b = build(&items);
            let best = kinds.iter().map(|&k| KINDS[k]).min_by_key(|k| KINDS.iter().position(|x| x == k)).unwrap();
            let alone = build(&[korean("artifact-x", src("sx", best))]);
            let all = ascribe_reason::assess_evidence(&b.evidence, kb(), &Default::default());
            let one = ascribe_reason::assess_evidence(&alone.evidence, kb(), &Default::default());
            prop_assert!((all.verdict.probability - one.verdict.probability).abs() < 1e-12);
            prop_assert_eq!(&all.verdict.leader, &one.verdict.leader);
        }
    }
}
