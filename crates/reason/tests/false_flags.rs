//! The false-flag model, declared hypotheses and the state-level verdict
//! on the embedded knowledge base.

use ascribe_core::{
    ArtifactType, Case, DeclaredHypothesis, ForgeCost, HypothesisKind, Observation,
    ObservationKind, Source, SourceKind, StateKind,
};
use ascribe_kb::KnowledgeBase;
use ascribe_reason::{assess, EvidenceBuilder, Params};
use std::sync::OnceLock;

fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        KnowledgeBase::build(&ascribe_kb::embedded::default_facts().expect("embedded KB"))
    })
}

fn src() -> Source {
    Source {
        id: "lab".into(),
        title: "lab analysis".into(),
        url: None,
        date: None,
        kind: SourceKind::Analysis,
        file: None,
    }
}

fn obs(id: &str, kind: ObservationKind) -> Observation {
    Observation::new(id, kind, src())
}

fn artifact(
    id: &str,
    a: ArtifactType,
    value: &str,
    sample: &str,
    known_for: Option<&str>,
) -> Observation {
    obs(
        id,
        ObservationKind::Artifact {
            artifact: a,
            value: value.into(),
            sample: Some(sample.into()),
            known_for: known_for.map(str::to_string),
        },
    )
}

fn id_of(name: &str) -> String {
    let a = kb().actor_by_id(name).expect(name);
    kb().actors[a].id.clone()
}

fn case(observations: Vec<Observation>, hypotheses: Vec<DeclaredHypothesis>) -> Case {
    Case {
        name: "test".into(),
        observations,
        hypotheses,
        ..Default::default()
    }
}

#[test]
fn a_rich_mismatch_points_at_the_actor_its_sample_imitates() {
    let o = vec![
        artifact(
            "rich",
            ArtifactType::RichHeader,
            "lazarus-rich",
            "od.exe",
            Some("G0032"),
        ),
        artifact(
            "mm",
            ArtifactType::RichMismatch,
            "linker 14 vs Rich 6",
            "od.exe",
            None,
        ),
        artifact(
            "mm2",
            ArtifactType::SignatureMismatch,
            "digest",
            "other.exe",
            Some("G0034"),
        ),
    ];
    let built = EvidenceBuilder::new(kb()).build(&o);
    let mm = built
        .evidence
        .iter()
        .find(|e| e.observation == "mm")
        .unwrap();
    assert_eq!(mm.false_flag_targets, vec![id_of("G0032")]);
    assert!(mm.false_flag_lr > 1.0);
    let mm2 = built
        .evidence
        .iter()
        .find(|e| e.observation == "mm2")
        .unwrap();
    assert_eq!(mm2.false_flag_targets, vec![id_of("G0034")]);
}

#[test]
fn genuine_code_keeps_the_lead_and_the_forgery_raises_only_the_imitated_actors_false_flag() {
    // Sandworm's own code in one sample; a Lazarus Rich header that
    // contradicts its linker in another (Olympic Destroyer's pattern)
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
    let rich = artifact(
        "rich",
        ArtifactType::RichHeader,
        "lazarus-rich",
        "od.exe",
        Some("G0032"),
    );
    let mm = artifact(
        "mm",
        ArtifactType::RichMismatch,
        "linker 14 vs Rich 6",
        "od.exe",
        None,
    );
    let p = Params::default();
    let without = assess(&case(vec![code.clone(), rich.clone()], vec![]), kb(), &p);
    let with = assess(&case(vec![code, rich, mm], vec![]), kb(), &p);
    let post = |a: &ascribe_core::Assessment, id: &str| {
        a.ranking
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.posterior)
            .unwrap_or(0.0)
    };
    let (sw, lz) = (id_of("G0034"), id_of("G0032"));
    assert_eq!(with.verdict.leader, format!("actor:{sw}"));
    assert!(post(&with, &format!("false-flag:{lz}")) > post(&without, &format!("false-flag:{lz}")));
    assert!(
        post(&with, &format!("false-flag:{sw}")) <= post(&without, &format!("false-flag:{sw}"))
    );
}

#[test]
fn one_proof_of_forgery_outweighs_evidence_a_forger_can_imitate() {
    // a Rich header and a PDB path known for one actor (moderate: an
    // imitator can copy them) in a sample whose Rich header contradicts its
    // linker: the imitator, not the actor, is the better reading
    let rich = artifact(
        "rich",
        ArtifactType::RichHeader,
        "x-rich",
        "s.exe",
        Some("G0032"),
    );
    let pdb = artifact(
        "pdb",
        ArtifactType::PdbPath,
        "x-pdb",
        "s.exe",
        Some("G0032"),
    );
    let mm = artifact(
        "mm",
        ArtifactType::RichMismatch,
        "linker 14 vs Rich 6",
        "s.exe",
        None,
    );
    let p = Params::default();
    let post = |a: &ascribe_core::Assessment, id: &str| {
        a.ranking
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.posterior)
            .unwrap_or(0.0)
    };
    let lz = id_of("G0032");
    let without = assess(&case(vec![rich.clone(), pdb.clone()], vec![]), kb(), &p);
    assert!(post(&without, &format!("actor:{lz}")) > post(&without, &format!("false-flag:{lz}")));
    let with = assess(&case(vec![rich, pdb, mm], vec![]), kb(), &p);
    assert!(
        post(&with, &format!("false-flag:{lz}")) > post(&with, &format!("actor:{lz}")),
        "{}",
        with.verdict.statement
    );
    // the bound it must clear: 1 / (κ · q_moderate)
    assert!(ascribe_reason::builders::TAMPER_LR > 1.0 / (p.false_flag_ratio * p.forge_success[1]));
}

#[test]
fn leaked_software_is_cheap_and_weaker() {
    let sw = |leaked| {
        obs(
            "s",
            ObservationKind::Software {
                name: "S0368".into(),
                leaked,
            },
        )
    };
    let a = EvidenceBuilder::new(kb())
        .build(&[sw(false)])
        .evidence
        .remove(0);
    let b = EvidenceBuilder::new(kb())
        .build(&[sw(true)])
        .evidence
        .remove(0);
    assert_eq!(b.forge_cost, ForgeCost::Cheap);
    let best = |e: &ascribe_core::Evidence| {
        e.support
            .iter()
            .map(|s| s.lr.ln().abs())
            .fold(0.0, f64::max)
    };
    assert!(best(&b) < best(&a), "{} vs {}", best(&b), best(&a));
    assert!((best(&b) - best(&a) / 2.0).abs() < 1e-9);
}

#[test]
fn hijacked_infrastructure_is_not_counted_as_the_owners() {
    let infra = |relation: Option<&str>| {
        obs(
            "i",
            ObservationKind::InfrastructureOverlap {
                indicators: vec!["198.51.100.7".into()],
                overlaps: "G0049".into(),
                relation: relation.map(str::to_string),
            },
        )
    };
    let owned = EvidenceBuilder::new(kb())
        .build(&[infra(None)])
        .evidence
        .remove(0);
    let oilrig = id_of("G0049");
    assert!(owned.lr_for(&oilrig) > 10.0);
    let hij = EvidenceBuilder::new(kb())
        .build(&[infra(Some("hijacked"))])
        .evidence
        .remove(0);
    assert_eq!(hij.lr_for(&oilrig), 1.0);
    assert_eq!(hij.false_flag_targets, vec![oilrig.clone()]);
    assert!(hij.false_flag_lr > 1.0);
    let shared = EvidenceBuilder::new(kb())
        .build(&[infra(Some("shared"))])
        .evidence
        .remove(0);
    assert!(shared.lr_for(&oilrig) > 1.0 && shared.lr_for(&oilrig) < owned.lr_for(&oilrig));
    let bad = EvidenceBuilder::new(kb()).build(&[infra(Some("borrowed"))]);
    assert!(bad.evidence.is_empty() && bad.warnings[0].contains("owned, shared or hijacked"));
    // through assess: OilRig does not gain, its false flag does
    let p = Params::default();
    let a = assess(&case(vec![infra(Some("hijacked"))], vec![]), kb(), &p);
    let post = |id: &str| a.ranking.iter().find(|r| r.id == id).unwrap().posterior;
    assert!(post(&format!("false-flag:{oilrig}")) > post(&format!("actor:{oilrig}")));
}

#[test]
fn ranking_and_states_add_up_and_declared_hypotheses_take_from_unknown() {
    let claim = obs(
        "c",
        ObservationKind::Claim {
            claimant: "FBI".into(),
            claimant_kind: SourceKind::Government,
            target: "North Korea".into(),
            stance: ascribe_core::Stance::Asserts,
            quote: None,
        },
    );
    let decl = vec![
        DeclaredHypothesis {
            id: "insider".into(),
            label: "a disgruntled insider".into(),
            prior: 0.05,
            state: None,
        },
        DeclaredHypothesis {
            id: "kp-direct".into(),
            label: "North Korea directly".into(),
            prior: 0.02,
            state: Some("KP".into()),
        },
    ];
    let p = Params {
        prior_unknown: 0.2,
        ..Params::default()
    };
    let code = obs(
        "k",
        ObservationKind::CodeOverlap {
            family: "a wiper".into(),
            actor: Some("North Korea".into()),
            similarity: 0.6,
            shared: vec![],
            sample: None,
        },
    );
    let a = assess(
        &case(vec![claim.clone(), code.clone()], decl.clone()),
        kb(),
        &p,
    );
    let total: f64 = a.ranking.iter().map(|r| r.posterior).sum();
    assert!((total - 1.0).abs() < 1e-9, "{total}");
    // the unknown actor's prior, split by state (the unknown groups of
    // states and the false flags posing as them) and the stateless rest
    let prior_u = unknown_block_prior(&a);
    assert!((prior_u - (0.2 - 0.07)).abs() < 1e-9, "{prior_u}");
    assert!(a
        .ranking
        .iter()
        .any(|r| r.kind == HypothesisKind::Declared && r.id == "declared:insider"));
    assert!(a.hypotheses.iter().any(|h| h.id == "declared:insider"));
    let st: f64 = a.states.iter().map(|s| s.posterior).sum();
    assert!((st - 1.0).abs() < 1e-9, "{st}");
    let sp: f64 = a.states.iter().map(|s| s.prior).sum();
    assert!((sp - 1.0).abs() < 1e-9, "{sp}");
    assert_eq!(a.states[0].id, "state:KP", "{:?}", a.states[0]);
    assert!(
        a.state_verdict.contains("North Korea"),
        "{}",
        a.state_verdict
    );
    assert!(a
        .states
        .iter()
        .any(|s| s.kind == StateKind::Declared && s.id == "declared:insider"));
    // the KP row includes the declared hypothesis naming KP
    let without = assess(&case(vec![claim, code], vec![]), kb(), &p);
    let kp =
        |x: &ascribe_core::Assessment| x.states.iter().find(|s| s.id == "state:KP").unwrap().prior;
    // (the declared priors come out of P(unknown) before it is split by
    // state: KP's unknown group gives up its share of the 0.07 declared,
    // the false flag posing as KP the rest of that share)
    let share = ascribe_reason::unknown_states::state_shares(kb())
        .into_iter()
        .find(|x| x.0 == "KP")
        .unwrap()
        .1;
    let kappa = p.false_flag_ratio;
    assert!((kp(&a) - kp(&without) - (0.02 - share * 0.07 / (1.0 + kappa))).abs() < 1e-9);
}

#[test]
fn declared_evidence_moves_its_hypothesis_and_nothing_else() {
    let decl = vec![DeclaredHypothesis {
        id: "insider".into(),
        label: "a disgruntled insider".into(),
        prior: 0.05,
        state: None,
    }];
    let o = obs("d", ObservationKind::Technique { id: "T1485".into() });
    let b = EvidenceBuilder::new(kb());
    let for_it = b.declared_evidence(&o, "insider", true, "strong").unwrap();
    let against = b
        .declared_evidence(&o, "insider", false, "moderate")
        .unwrap();
    assert!(b.declared_evidence(&o, "insider", true, "huge").is_err());
    assert_eq!(for_it.lr_for("declared:insider"), 10.0);
    assert_eq!(against.lr_for("declared:insider"), 0.25);
    let p = Params::default();
    let none = ascribe_reason::assess_evidence_with(&[], kb(), &p, &decl);
    let up = ascribe_reason::assess_evidence_with(std::slice::from_ref(&for_it), kb(), &p, &decl);
    let down = ascribe_reason::assess_evidence_with(&[against], kb(), &p, &decl);
    let post = |a: &ascribe_core::Assessment, id: &str| {
        a.ranking.iter().find(|r| r.id == id).unwrap().posterior
    };
    assert!((post(&none, "declared:insider") - 0.05).abs() < 1e-9);
    assert!(post(&up, "declared:insider") > 0.05 * 2.0);
    assert!(post(&down, "declared:insider") < 0.05);
    // knowledge-base hypotheses keep their ratios
    let r = |a: &ascribe_core::Assessment| post(a, "unknown") / post(a, "other-actors");
    assert!((r(&up) - r(&none)).abs() < 1e-9 * r(&none));
    // undeclared: warned about, not weighed
    let w = ascribe_reason::assess_evidence_with(&[for_it], kb(), &p, &[]);
    assert!(
        w.warnings.iter().any(|x| x.contains("does not declare")),
        "{:?}",
        w.warnings
    );
}

#[test]
fn declared_priors_beyond_p_unknown_are_scaled_and_said_so() {
    let d = |id: &str, prior: f64| DeclaredHypothesis {
        id: id.into(),
        label: id.into(),
        prior,
        state: None,
    };
    let decl = vec![d("a", 0.5), d("b", f64::NAN), d("c", 0.1), d("a", 0.01)];
    let p = Params {
        prior_unknown: 0.2,
        ..Params::default()
    };
    let x = ascribe_reason::assess_evidence_with(&[], kb(), &p, &decl);
    let prior = |id: &str| x.ranking.iter().find(|r| r.id == id).unwrap().prior;
    assert!(
        (unknown_block_prior(&x) - 0.02).abs() < 1e-9,
        "{}",
        unknown_block_prior(&x)
    );
    assert!((prior("declared:a") + prior("declared:c") - 0.18).abs() < 1e-9);
    assert!(prior("declared:b") < 1e-200);
    assert_eq!(x.ranking.iter().filter(|r| r.id == "declared:a").count(), 1);
    assert!(
        x.warnings.iter().any(|w| w.contains("at most 90%")),
        "{:?}",
        x.warnings
    );
    assert!(
        x.warnings.iter().any(|w| w.contains("repeat an id")),
        "{:?}",
        x.warnings
    );
}

/// The prior of "an actor not in the knowledge base": the stateless unknown
/// actor, every state's unknown group and every false flag posing as a state.
fn unknown_block_prior(a: &ascribe_core::Assessment) -> f64 {
    a.ranking
        .iter()
        .filter(|r| {
            r.id == "unknown"
                || r.id.starts_with("unknown:")
                || r.id.starts_with("false-flag:unknown:")
        })
        .map(|r| r.prior)
        .sum()
}
