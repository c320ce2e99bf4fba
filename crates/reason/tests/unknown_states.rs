//! Unknown groups of states on the embedded knowledge base: the prior
//! split, evidence with a state direction, the false-flag bound on cheap
//! state markers, and the resemblance of actor-specific evidence.

use ascribe_core::{
    ArtifactType, Assessment, Case, Evidence, HypothesisKind, Observation, ObservationKind, Source,
    SourceKind, StateKind,
};
use ascribe_kb::KnowledgeBase;
use ascribe_reason::unknown_states::{augment, state_shares, support_id};
use ascribe_reason::{assess, EvidenceBuilder, Params};
use std::sync::OnceLock;

fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        KnowledgeBase::build(&ascribe_kb::embedded::default_facts().expect("embedded KB"))
    })
}

fn obs(id: &str, kind: ObservationKind) -> Observation {
    Observation::new(
        id,
        kind,
        Source {
            id: format!("src-{id}"),
            title: format!("report {id}"),
            url: None,
            date: None,
            kind: SourceKind::Vendor,
            file: None,
        },
    )
}

fn case(observations: Vec<Observation>) -> Case {
    Case {
        name: "test".into(),
        observations,
        ..Default::default()
    }
}

fn language(id: &str, lang: &str, sample: &str) -> Observation {
    obs(
        id,
        ObservationKind::Artifact {
            artifact: ArtifactType::ResourceLanguage,
            value: lang.into(),
            sample: Some(sample.into()),
            known_for: None,
        },
    )
}

fn post(a: &Assessment, id: &str) -> f64 {
    a.ranking
        .iter()
        .find(|r| r.id == id)
        .map_or(0.0, |r| r.posterior)
}

fn state(a: &Assessment, code: &str) -> f64 {
    a.states
        .iter()
        .find(|s| s.state.as_deref() == Some(code))
        .map_or(0.0, |s| s.posterior)
}

#[test]
fn the_unknown_prior_is_split_by_the_states_shares_of_actors() {
    let shares = state_shares(kb());
    assert!(shares.len() >= 5, "{shares:?}");
    let total: f64 = shares.iter().map(|x| x.1).sum();
    assert!(total > 0.0 && total < 1.0, "{total}");
    let p = Params::default();
    let a = assess(&case(vec![]), kb(), &p);
    let kappa = p.false_flag_ratio;
    for (code, share) in &shares {
        let r = a
            .ranking
            .iter()
            .find(|r| r.id == format!("unknown:{code}"))
            .unwrap_or_else(|| panic!("no unknown group of {code}"));
        assert_eq!(r.kind, HypothesisKind::UnknownActor);
        let want = p.prior_unknown * share / (1.0 + kappa);
        assert!(
            (r.prior - want).abs() < 1e-9,
            "{code}: {} vs {want}",
            r.prior
        );
        // with no evidence, the posterior is the prior
        assert!((r.posterior - r.prior).abs() < 1e-9);
        let ff = a
            .ranking
            .iter()
            .find(|r| r.id == format!("false-flag:unknown:{code}"))
            .unwrap();
        assert!((ff.prior - want * kappa).abs() < 1e-9);
    }
    let unknown: f64 = a
        .ranking
        .iter()
        .filter(|r| r.id == "unknown" || r.id.contains("unknown:"))
        .map(|r| r.prior)
        .sum();
    assert!((unknown - p.prior_unknown).abs() < 1e-9, "{unknown}");
    let stateless = a.ranking.iter().find(|r| r.id == "unknown").unwrap().prior;
    assert!((stateless - p.prior_unknown * (1.0 - total)).abs() < 1e-9);
}

#[test]
fn state_evidence_no_known_group_explains_makes_the_states_unknown_group_lead() {
    // an operator's own connection from a state's address space and that
    // state's language, with nothing that points at one of its groups
    let o = vec![
        obs(
            "op",
            ObservationKind::OperatorOrigin {
                actor: "North Korea".into(),
                address: Some("175.45.178.0/24".into()),
                activity: Some("a persona's login".into()),
            },
        ),
        language("lang", "Korean", "a.exe"),
    ];
    let a = assess(&case(o), kb(), &Params::default());
    assert_eq!(a.verdict.leader, "unknown:KP", "{}", a.verdict.statement);
    assert_eq!(
        a.states[0].state.as_deref(),
        Some("KP"),
        "{:?}",
        a.states[0]
    );
    assert_eq!(a.states[0].kind, StateKind::State);
    assert!(
        a.states[0]
            .leading
            .first()
            .is_some_and(|l| l.contains("an unknown group of North Korea")),
        "{:?}",
        a.states[0].leading
    );
    assert!(
        a.state_verdict.contains("North Korea"),
        "{}",
        a.state_verdict
    );
    // it is listed, and the ranking and the states add up
    assert!(a.hypotheses.iter().any(|h| h.id == "unknown:KP"));
    let total: f64 = a.hypotheses.iter().map(|h| h.posterior).sum();
    assert!((total - 1.0).abs() < 1e-9, "{total}");
    let st: f64 = a.states.iter().map(|s| s.posterior).sum();
    assert!((st - 1.0).abs() < 1e-9, "{st}");
    // the stress test can flip a state's unknown group too
    assert!(a.stress_test.cheapest_flip.is_some());
}

#[test]
fn cheap_state_markers_alone_never_separate_a_state_from_someone_posing_as_it() {
    // many cheap markers of one state (languages in many samples, working
    // hours): the state's unknown group and the false flag posing as it
    // keep their prior ratio, and the state stays below "very likely"
    let mut o: Vec<Observation> = (0..12)
        .map(|i| language(&format!("l{i}"), "Korean", &format!("s{i}.exe")))
        .collect();
    o.push(obs(
        "tz",
        ObservationKind::Artifact {
            artifact: ArtifactType::UtcOffset,
            value: "+9".into(),
            sample: None,
            known_for: None,
        },
    ));
    let p = Params::default();
    let a = assess(&case(o), kb(), &p);
    let u = post(&a, "unknown:KP");
    let ff = post(&a, "false-flag:unknown:KP");
    assert!(u > 0.0 && ff > 0.0);
    assert!(
        (ff / u - p.false_flag_ratio).abs() < 1e-6,
        "{u} {ff}: cheap evidence separated the twins"
    );
    assert!(state(&a, "KP") < 1.0 / (1.0 + p.false_flag_ratio) + 1e-9);
    // without the cheap items the state's lead is gone
    let no_cheap = &a.stress_test.scenarios[1];
    assert_ne!(no_cheap.leader, "unknown:KP");
}

#[test]
fn a_claim_naming_a_state_speaks_to_its_unknown_group_like_to_its_groups() {
    let o = obs(
        "c",
        ObservationKind::Claim {
            claimant: "a government".into(),
            claimant_kind: SourceKind::Government,
            target: "North Korea".into(),
            stance: ascribe_core::Stance::Asserts,
            quote: None,
        },
    );
    let built = EvidenceBuilder::new(kb()).build(&[o]);
    let e = &built.evidence[0];
    let kp_actor = e
        .support
        .iter()
        .find(|s| !s.actor.starts_with("state:"))
        .expect("a KP actor");
    assert_eq!(e.lr_for(&support_id("KP")), kp_actor.lr);
    // other states' unknown groups are not named
    assert_eq!(e.lr_for(&support_id("RU")), e.default_lr);
}

#[test]
fn actor_evidence_resembles_a_states_groups_only_by_beta() {
    let o = obs("t", ObservationKind::Technique { id: "T1485".into() });
    let built = EvidenceBuilder::new(kb()).build(&[o]);
    let base: Vec<Evidence> = built.evidence.clone();
    assert!(base[0]
        .support
        .iter()
        .all(|s| !s.actor.starts_with("state:")));
    let weights = ascribe_reason::actor_prior_weights(kb(), 1.0);
    let mut none = base.clone();
    augment(&mut none, kb(), &weights, 0.0, 0.0);
    assert_eq!(
        none[0].support.len(),
        base[0].support.len(),
        "β = 0 adds nothing"
    );
    let mut small = base.clone();
    augment(&mut small, kb(), &weights, 0.1, 0.1);
    let mut full = base.clone();
    augment(&mut full, kb(), &weights, 1.0, 1.0);
    let max = base[0].support.iter().map(|s| s.lr).fold(0.0, f64::max);
    let min = base[0]
        .support
        .iter()
        .map(|s| s.lr)
        .fold(f64::INFINITY, f64::min);
    let mut seen = 0;
    for s in small[0]
        .support
        .iter()
        .filter(|s| s.actor.starts_with("state:"))
    {
        seen += 1;
        let f = full[0].lr_for(&s.actor);
        // β mixes the state's mean ratio with 1: closer to 1 than β = 1
        assert!(
            (s.lr - 1.0).abs() <= (f - 1.0).abs() + 1e-12,
            "{s:?} vs {f}"
        );
        assert!((s.lr - (0.1 * f + 0.9)).abs() < 1e-9);
        assert!(f <= max.max(1.0) + 1e-9 && f >= min.min(1.0) - 1e-9);
    }
    assert!(seen > 0, "no state's unknown group resembles anyone");
}

#[test]
fn costly_evidence_resembles_a_states_groups_only_by_the_costly_beta() {
    // a technique (moderate) and a known group's own code (costly): full
    // resemblance for habits, the costly β for private code
    let t = obs("t", ObservationKind::Technique { id: "T1485".into() });
    let code = obs(
        "code",
        ObservationKind::CodeOverlap {
            family: "BlackEnergy".into(),
            actor: Some("G0034".into()),
            similarity: 0.6,
            shared: vec![],
            sample: Some("a.exe".into()),
        },
    );
    let base = EvidenceBuilder::new(kb()).build(&[t, code]).evidence;
    let costly = base
        .iter()
        .position(|e| e.forge_cost == ascribe_core::ForgeCost::Costly)
        .expect("code reuse is costly");
    let cheaper = base
        .iter()
        .position(|e| e.forge_cost != ascribe_core::ForgeCost::Costly)
        .expect("a technique is not costly");
    let weights = ascribe_reason::actor_prior_weights(kb(), 1.0);
    let mut all = base.clone();
    augment(&mut all, kb(), &weights, 1.0, 1.0);
    let mut split = base.clone();
    augment(&mut split, kb(), &weights, 1.0, 0.1);
    let ru = support_id("RU");
    let full_code = all[costly].lr_for(&ru);
    assert!(full_code > 1.5, "{full_code}");
    assert!((split[costly].lr_for(&ru) - (0.1 * full_code + 0.9)).abs() < 1e-9);
    for s in all[cheaper]
        .support
        .iter()
        .filter(|s| s.actor.starts_with("state:"))
    {
        assert!((split[cheaper].lr_for(&s.actor) - s.lr).abs() < 1e-12);
    }
}
