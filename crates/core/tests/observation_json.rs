//! Observations and cases read back from their own JSON, for every kind of
//! observation and with the optional fields both set and unset. (The
//! flattened kind once wrote a technique's `id` beside the observation's own
//! `id`: a duplicate key, so the JSON did not read back.)

use ascribe_core::*;

/// The index of a kind in [`all_kinds`]'s coverage check: a new kind fails
/// to compile here until the table below has one.
fn kind_index(k: &ObservationKind) -> usize {
    match k {
        ObservationKind::Technique { .. } => 0,
        ObservationKind::Software { .. } => 1,
        ObservationKind::Indicator { .. } => 2,
        ObservationKind::InfrastructureOverlap { .. } => 3,
        ObservationKind::Artifact { .. } => 4,
        ObservationKind::CodeOverlap { .. } => 5,
        ObservationKind::Claim { .. } => 6,
        ObservationKind::OperatorOrigin { .. } => 7,
        ObservationKind::SameOperator { .. } => 8,
        ObservationKind::DeclaredEvidence { .. } => 9,
    }
}
const KINDS: usize = 10;

fn s(v: &str) -> String {
    v.to_string()
}

/// Every kind, each with its optional fields unset and set.
fn all_kinds() -> Vec<ObservationKind> {
    use ObservationKind as K;
    vec![
        K::Technique { id: s("T1485") },
        K::Technique { id: s("T1561.002") },
        K::Software {
            name: s("RawDisk"),
            leaked: false,
        },
        K::Software {
            name: s("Babuk"),
            leaked: true,
        },
        K::Indicator {
            indicator: IndicatorType::Ip,
            value: s("203.0.113.5"),
            role: None,
            first_seen: None,
            last_seen: None,
            country: None,
            overlaps: None,
        },
        K::Indicator {
            indicator: IndicatorType::Wallet,
            value: s("1BoatSLRHtKNngkdXEeobR76b53LETtpyT"),
            role: Some(s("ransom")),
            first_seen: Some(s("2014-11-01")),
            last_seen: Some(s("2014-12-01")),
            country: Some(s("KP")),
            overlaps: Some(s("Lazarus Group")),
        },
        K::InfrastructureOverlap {
            indicators: vec![],
            overlaps: s("North Korea"),
            relation: None,
        },
        K::InfrastructureOverlap {
            indicators: vec![s("203.0.113.5"), s("example.org")],
            overlaps: s("APT28"),
            relation: Some(s("hijacked")),
        },
        K::Artifact {
            artifact: ArtifactType::ResourceLanguage,
            value: s("Korean"),
            sample: None,
            known_for: None,
        },
        K::Artifact {
            artifact: ArtifactType::PdbPath,
            value: s("C:\\dev\\x.pdb"),
            sample: Some(s("a.exe")),
            known_for: Some(s("G0032")),
        },
        K::CodeOverlap {
            family: s("Destover"),
            actor: None,
            similarity: 0.5,
            shared: vec![],
            sample: None,
        },
        K::CodeOverlap {
            family: s("WannaCry"),
            actor: Some(s("Lazarus Group")),
            similarity: 0.8125,
            shared: vec![s("wiper routine"), s("RC4")],
            sample: Some(s("b.dll")),
        },
        K::Claim {
            claimant: s("FBI"),
            claimant_kind: SourceKind::Government,
            target: s("North Korea"),
            stance: Stance::Asserts,
            quote: None,
        },
        K::Claim {
            claimant: s("Guardians of Peace"),
            claimant_kind: SourceKind::Actor,
            target: s("Guardians of Peace"),
            stance: Stance::ClaimsResponsibility,
            quote: Some(s("We've obtained all your internal data")),
        },
        K::OperatorOrigin {
            actor: s("North Korea"),
            address: None,
            activity: None,
        },
        K::OperatorOrigin {
            actor: s("GRU"),
            address: Some(s("175.45.178.0/24")),
            activity: Some(s("persona login")),
        },
        K::SameOperator {
            as_of_campaign_or_family: s("C0024"),
            actor: None,
            link: LinkKind::SameOperator,
        },
        K::SameOperator {
            as_of_campaign_or_family: s("Shamoon"),
            actor: Some(s("APT33")),
            link: LinkKind::SameC2,
        },
        K::DeclaredEvidence {
            hypothesis: s("insider"),
            stance: DeclaredStance::For,
            strength: Strength::Weak,
        },
        K::DeclaredEvidence {
            hypothesis: s("hacktivists"),
            stance: DeclaredStance::Against,
            strength: Strength::Strong,
        },
    ]
}

fn source(n: usize) -> Source {
    Source {
        id: format!("src-{n}"),
        title: s("A report"),
        url: (n % 2 == 1).then(|| s("https://example.org/r")),
        date: (n % 2 == 1).then(|| s("2014-12-19")),
        kind: SourceKind::ALL[n % SourceKind::ALL.len()],
        file: (n % 2 == 1).then(|| s("reports/r.txt")),
    }
}

/// Each kind twice: once bare, once with every optional field of the
/// observation set.
fn observations() -> Vec<Observation> {
    let mut out = Vec::new();
    for (i, kind) in all_kinds().into_iter().enumerate() {
        let id = format!("{}-{}", kind.kind_name(), i + 1);
        out.push(Observation::new(id.clone(), kind.clone(), source(i)));
        let mut o = Observation::new(format!("{id}b"), kind, source(i + 1));
        o.location = Some(Location {
            file: s("case.toml"),
            line: Some(12),
        });
        o.note = Some(s("seen twice"));
        o.status = [Status::Uncertain, Status::Retracted][i % 2];
        o.forge_cost_override = Some((ForgeCost::Costly, s("needs the actor's signing key")));
        o.fact_key = Some(s("language:korean"));
        o.illustrative = i % 2 == 0;
        out.push(o);
    }
    out
}

#[test]
fn the_table_has_every_kind() {
    let mut seen = [false; KINDS];
    for k in all_kinds() {
        seen[kind_index(&k)] = true;
    }
    assert!(seen.iter().all(|&b| b), "kinds missing: {seen:?}");
}

#[test]
fn every_observation_reads_back_from_its_json() {
    for o in observations() {
        let json = serde_json::to_string(&o).unwrap();
        let back: Observation = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("{} does not read back ({e}): {json}", o.id));
        assert_eq!(back, o, "{json}");
        // and through a JSON value (what a server stores and reloads)
        let v = serde_json::to_value(&o).unwrap();
        assert_eq!(v["id"], o.id.as_str(), "the observation's own id is kept");
        assert_eq!(serde_json::from_value::<Observation>(v).unwrap(), o);
    }
}

#[test]
fn a_technique_keeps_both_ids() {
    let o = Observation::new(
        "technique-3",
        ObservationKind::Technique { id: s("T1485") },
        source(0),
    );
    let v = serde_json::to_value(&o).unwrap();
    assert_eq!(v["id"], "technique-3");
    assert_eq!(v["kind"]["type"], "technique");
    assert_eq!(v["kind"]["id"], "T1485");
    // no key is written twice at one level
    let json = serde_json::to_string(&o).unwrap();
    assert_eq!(json.matches("\"id\":\"technique-3\"").count(), 1);
    assert_eq!(json.matches("\"id\":\"T1485\"").count(), 1);
}

#[test]
fn a_case_reads_back_from_its_json() {
    let case = Case {
        name: s("Sony 2014"),
        summary: Some(s("wiper")),
        date: Some(s("2014-11-24")),
        victim: Victim {
            name: Some(s("Sony Pictures")),
            sector: Some(s("media")),
            country: Some(s("US")),
            category: Some(s("private sector")),
            incident_type: Some(s("sabotage")),
        },
        sources: (0..3).map(source).collect(),
        observations: observations(),
        exclude_citations: vec![s("Novetta")],
        files: vec![s("reports/r.txt")],
        hypotheses: vec![DeclaredHypothesis {
            id: s("insider"),
            label: s("An insider"),
            prior: 0.05,
            state: None,
        }],
        as_of: Some(s("2014-12-19")),
        illustrative_files: vec![s("samples/ILLUSTRATIVE")],
        skipped_files: vec![],
        file_notes: vec![s("link: a symbolic link, not followed")],
    };
    let json = serde_json::to_string(&case).unwrap();
    let back: Case = serde_json::from_str(&json).unwrap();
    assert_eq!(back, case);
}
