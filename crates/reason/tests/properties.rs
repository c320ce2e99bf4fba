//! Invariants of the evidence-combination engine.

use ascribe_core::{ActorSupport, Evidence, EvidenceKind, ForgeCost, HypothesisKind};
use ascribe_reason::{Engine, Params};
use proptest::prelude::*;

const N_ACTORS: usize = 50;

fn item(
    id: usize,
    support: Vec<(usize, f64)>,
    default_lr: f64,
    cost: ForgeCost,
    dep: &str,
    rho: f64,
    rel: f64,
) -> Evidence {
    Evidence {
        id: format!("E{id}"),
        observation: format!("o{id}"),
        kind: EvidenceKind::Technique,
        summary: String::new(),
        source: "s".into(),
        forge_cost: cost,
        forge_rationale: String::new(),
        reliability: rel,
        dependence: dep.into(),
        rho,
        fingerprint: format!("fp{id}"),
        support: support
            .into_iter()
            .map(|(a, lr)| ActorSupport {
                actor: format!("A{a}"),
                lr,
                why: String::new(),
            })
            .collect(),
        default_lr,
        false_flag_lr: 1.0,
        notes: vec![],
        false_flag_targets: vec![],
    }
}

fn cost() -> impl Strategy<Value = ForgeCost> {
    prop_oneof![
        Just(ForgeCost::Cheap),
        Just(ForgeCost::Moderate),
        Just(ForgeCost::Costly)
    ]
}

prop_compose! {
    fn any_item(id: usize)(
        support in prop::collection::vec((0usize..8, 0.05f64..50.0), 0..5),
        default_lr in 0.3f64..1.5,
        c in cost(),
        dep in 0usize..4,
        rho in 0.0f64..0.9,
        rel in 0.1f64..1.0,
    ) -> Evidence {
        let mut support = support;
        support.sort_by_key(|s| s.0);
        support.dedup_by_key(|s| s.0);
        item(id, support, default_lr, c, &format!("d{dep}"), rho, rel)
    }
}

fn items(n: usize) -> impl Strategy<Value = Vec<Evidence>> {
    (0..n).map(any_item).collect::<Vec<_>>()
}

/// Posterior of the actor hypothesis for actor index `a`, or of the
/// aggregate block if that actor is not individually modelled (then per actor).
fn p_actor(items: &[Evidence], a: usize, params: &Params) -> f64 {
    let e = Engine::new(items, N_ACTORS, params.clone());
    let ev = e.evaluate_all();
    let id = format!("A{a}");
    if let Some(h) = e
        .hyps
        .iter()
        .position(|h| h.kind == HypothesisKind::Actor && h.actor.as_deref() == Some(id.as_str()))
    {
        return ev.post[h];
    }
    let others = N_ACTORS - e.active.len();
    let h = e
        .hyps
        .iter()
        .position(|h| h.kind == HypothesisKind::OtherActors)
        .unwrap();
    ev.post[h] / others as f64
}

#[test]
fn no_evidence_means_posterior_equals_prior() {
    let e = Engine::new(&[], N_ACTORS, Params::default());
    let ev = e.evaluate_all();
    for (p, q) in ev.post.iter().zip(e.priors()) {
        assert!((p - q).abs() < 1e-12);
    }
    let unknown = ev.post[0];
    assert!(
        (unknown - Params::default().prior_unknown).abs() < 1e-9,
        "{unknown}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn prior_weights_keep_the_unknown_prior_and_order_actors(
        w in proptest::collection::vec(0.1f64..50.0, 1..20),
        n_items in 0usize..4,
    ) {
        // actors a0.. get weights w; items support a0 mildly
        let weights: std::collections::HashMap<String, f64> =
            w.iter().enumerate().map(|(i, &x)| (format!("A{i}"), x)).collect();
        let items: Vec<Evidence> = (0..n_items)
            .map(|i| item(i, (0..w.len()).map(|a| (a, 1.0)).collect(), 1.0, ForgeCost::Moderate, &format!("d{i}"), 0.5, 0.9))
            .collect();
        let e = Engine::with_prior_weights(&items, N_ACTORS, Params::default(), &weights);
        let pr = e.priors();
        prop_assert!((pr[0] - Params::default().prior_unknown).abs() < 1e-9, "P(unknown) {}", pr[0]);
        let total: f64 = pr.iter().sum();
        prop_assert!((total - 1.0).abs() < 1e-9);
        if n_items > 0 {
            // with every listed actor at ratio 1, posteriors follow the weights
            let ev = e.evaluate_all();
            let p_of = |a: usize| {
                let h = e.hyps.iter().position(|h| h.kind == HypothesisKind::Actor && h.actor.as_deref() == Some(&format!("A{a}"))).unwrap();
                ev.post[h]
            };
            for i in 0..w.len() {
                for j in 0..w.len() {
                    if w[i] > w[j] * 1.0001 {
                        prop_assert!(p_of(i) > p_of(j));
                    }
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn adding_an_item_that_favours_h_never_lowers_p_h(
        base in items(8),
        h in 0usize..10,
        lr in 1.0f64..200.0,
        default_lr in 0.2f64..1.0,
        c in cost(),
        dep in 0usize..5,
        rho in 0.0f64..0.9,
        rel in 0.1f64..1.0,
    ) {
        let params = Params::default();
        let before = p_actor(&base, h, &params);
        let mut with = base.clone();
        with.push(item(99, vec![(h, lr)], default_lr, c, &format!("d{dep}"), rho, rel));
        let after = p_actor(&with, h, &params);
        prop_assert!(after >= before * (1.0 - 1e-9) - 1e-15, "P(H) fell from {before} to {after}");
    }

    #[test]
    fn a_duplicate_changes_nothing(base in items(6), k in 0usize..6) {
        let params = Params::default();
        let e1 = Engine::new(&base, N_ACTORS, params.clone()).evaluate_all();
        let mut dup = base.clone();
        let mut copy = base[k].clone();
        copy.id = "E-copy".into();
        dup.push(copy);
        let e2 = Engine::new(&dup, N_ACTORS, params).evaluate_all();
        for (p, q) in e1.post.iter().zip(&e2.post) {
            prop_assert!((p - q).abs() < 1e-12);
        }
    }

    #[test]
    fn correlated_items_do_not_double(lr in 2.0f64..1000.0, rho in 0.0f64..0.9, c in cost()) {
        // log-odds gain of H from one item vs two correlated copies (same
        // dependence key and class, different fingerprints)
        let params = Params::default();
        let odds = |v: &[Evidence]| { let p = p_actor(v, 0, &params); (p / (1.0 - p)).ln() };
        let one = vec![item(1, vec![(0, lr)], 1.0, c, "d", rho, 1.0)];
        let mut two = one.clone();
        two.push(item(2, vec![(0, lr)], 1.0, c, "d", rho, 1.0));
        let none: Vec<Evidence> = vec![];
        let g1 = odds(&one) - odds(&none);
        let g2 = odds(&two) - odds(&none);
        prop_assert!(g2 < 2.0 * g1 - 1e-9, "two correlated items gave {g2}, one gave {g1}");
        prop_assert!(g2 >= g1 - 1e-9);
    }

    #[test]
    fn cheap_items_alone_never_reach_very_likely(
        raw in prop::collection::vec((prop::collection::vec((0usize..4, 1.0f64..1e6), 1..4), 0.1f64..1.0, 0usize..30), 1..40)
    ) {
        let v: Vec<Evidence> = raw
            .into_iter()
            .enumerate()
            .map(|(i, (s, d, dep))| item(i, s, d, ForgeCost::Cheap, &format!("d{dep}"), 0.0, 1.0))
            .collect();
        let e = Engine::new(&v, N_ACTORS, Params::default());
        let ev = e.evaluate_all();
        for (h, hyp) in e.hyps.iter().enumerate() {
            if hyp.kind == HypothesisKind::Actor {
                prop_assert!(ev.post[h] < 0.80, "{:?} reached {}", hyp.actor, ev.post[h]);
            }
        }
    }
}

#[test]
fn costly_evidence_separates_an_actor_from_its_imitator() {
    let params = Params::default();
    let cheap: Vec<Evidence> = (0..10)
        .map(|i| {
            item(
                i,
                vec![(0, 100.0)],
                1.0,
                ForgeCost::Cheap,
                &format!("d{i}"),
                0.0,
                1.0,
            )
        })
        .collect();
    let p_cheap = p_actor(&cheap, 0, &params);
    let mut with_costly = cheap.clone();
    with_costly.push(item(
        50,
        vec![(0, 100.0)],
        1.0,
        ForgeCost::Costly,
        "code",
        0.0,
        1.0,
    ));
    let p_costly = p_actor(&with_costly, 0, &params);
    assert!(p_cheap < 0.75, "{p_cheap}");
    assert!(p_costly > 0.9, "{p_costly}");
}

#[test]
fn unreliable_evidence_counts_less() {
    let params = Params::default();
    let strong = vec![item(
        1,
        vec![(0, 100.0)],
        1.0,
        ForgeCost::Costly,
        "d",
        0.0,
        1.0,
    )];
    let weak = vec![item(
        1,
        vec![(0, 100.0)],
        1.0,
        ForgeCost::Costly,
        "d",
        0.0,
        0.2,
    )];
    assert!(p_actor(&strong, 0, &params) > p_actor(&weak, 0, &params));
}

// ---- false flags, tampering and declared hypotheses

/// Posterior of "false flag imitating A{a}" (per actor when aggregated).
fn p_ff(e: &Engine, post: &[f64], a: usize) -> f64 {
    let id = format!("A{a}");
    if let Some(h) = e
        .hyps
        .iter()
        .position(|h| h.kind == HypothesisKind::FalseFlag && h.actor.as_deref() == Some(&id))
    {
        return post[h];
    }
    let others = N_ACTORS - e.active.len();
    let h = e
        .hyps
        .iter()
        .position(|h| h.kind == HypothesisKind::FalseFlag && h.actor.is_none())
        .unwrap();
    post[h] / others as f64
}

/// Posterior of actor A{a} (per actor when aggregated) from an evaluated engine.
fn p_act(e: &Engine, post: &[f64], a: usize) -> f64 {
    let id = format!("A{a}");
    if let Some(h) = e
        .hyps
        .iter()
        .position(|h| h.kind == HypothesisKind::Actor && h.actor.as_deref() == Some(&id))
    {
        return post[h];
    }
    let others = N_ACTORS - e.active.len();
    let h = e
        .hyps
        .iter()
        .position(|h| h.kind == HypothesisKind::OtherActors)
        .unwrap();
    post[h] / others as f64
}

fn tamper(id: usize, lr: f64, targets: Vec<usize>, rel: f64) -> Evidence {
    let mut t = item(
        id,
        vec![],
        1.0,
        ForgeCost::Moderate,
        &format!("tamper{id}"),
        0.5,
        rel,
    );
    t.false_flag_lr = lr;
    t.false_flag_targets = targets.into_iter().map(|a| format!("A{a}")).collect();
    t
}

fn declared(id: &str, prior: f64) -> ascribe_core::DeclaredHypothesis {
    ascribe_core::DeclaredHypothesis {
        id: id.into(),
        label: format!("declared {id}"),
        prior,
        state: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn tampering_aimed_at_x_never_raises_ff_of_anyone_else(
        base in items(8),
        x in 0usize..10,
        lr in 1.0f64..100.0,
        rel in 0.1f64..1.0,
    ) {
        let params = Params::default();
        let e0 = Engine::new(&base, N_ACTORS, params.clone());
        let p0 = e0.evaluate_all().post;
        let mut with = base.clone();
        with.push(tamper(99, lr, vec![x], rel));
        let e1 = Engine::new(&with, N_ACTORS, params);
        let p1 = e1.evaluate_all().post;
        for y in 0..12 {
            if y == x {
                prop_assert!(p_ff(&e1, &p1, y) >= p_ff(&e0, &p0, y) * (1.0 - 1e-9) - 1e-15);
                continue;
            }
            let (b, a) = (p_ff(&e0, &p0, y), p_ff(&e1, &p1, y));
            prop_assert!(a <= b * (1.0 + 1e-9) + 1e-15, "FF(A{y}) rose from {b} to {a} on tampering aimed at A{x}");
        }
    }

    #[test]
    fn cheap_evidence_never_separates_an_actor_from_its_imitator(
        raw in prop::collection::vec((prop::collection::vec((0usize..6, 0.01f64..1e4), 1..4), 0.1f64..2.0, 0usize..10), 1..30)
    ) {
        // for or against X, cheap items move X and "someone imitating X" alike
        let v: Vec<Evidence> = raw
            .into_iter()
            .enumerate()
            .map(|(i, (s, d, dep))| item(i, s, d, ForgeCost::Cheap, &format!("d{dep}"), 0.3, 0.9))
            .collect();
        let e = Engine::new(&v, N_ACTORS, Params::default());
        let post = e.evaluate_all().post;
        let kappa = Params::default().false_flag_ratio;
        for a in 0..8 {
            let r = p_ff(&e, &post, a) / p_act(&e, &post, a);
            prop_assert!((r - kappa).abs() < 1e-6 * kappa, "A{a}: FF/X = {r}");
        }
    }

    #[test]
    fn evidence_against_x_never_favours_its_imitator_over_x_more_than_the_forger_could(
        base in items(6),
        lr in 0.01f64..1.0,
        c in cost(),
    ) {
        // an item against A0 lowers P(FF(A0)) along with P(A0): the imitator
        // does not escape ordinary evidence against the imitated actor
        let params = Params::default();
        let e0 = Engine::new(&base, N_ACTORS, params.clone());
        let p0 = e0.evaluate_all().post;
        let mut with = base.clone();
        with.push(item(98, vec![(0, lr)], 1.0, c, "against", 0.0, 1.0));
        let e1 = Engine::new(&with, N_ACTORS, params);
        let p1 = e1.evaluate_all().post;
        let odds0 = p_ff(&e0, &p0, 0) / p0[0];
        let odds1 = p_ff(&e1, &p1, 0) / p1[0];
        prop_assert!(odds1 <= odds0 * (1.0 + 1e-9), "FF(A0) against unknown rose from {odds0} to {odds1}");
    }

    #[test]
    fn declared_hypotheses_keep_their_prior_without_evidence_and_leave_actors_alone(
        base in items(8),
        pr in prop::collection::vec(0.001f64..0.3, 1..4),
    ) {
        let params = Params::default();
        let decl: Vec<_> = pr.iter().enumerate().map(|(i, &p)| declared(&format!("d{i}"), p)).collect();
        let w = std::collections::HashMap::new();
        // no evidence: posterior = prior; unknown + declared = p_u
        let e = Engine::with_declared(&[], N_ACTORS, params.clone(), &w, &decl);
        let ev = e.evaluate_all();
        let (used, _) = ascribe_reason::engine::declared_priors(&decl, params.prior_unknown);
        let mut sum_decl = 0.0;
        for (h, hyp) in e.hyps.iter().enumerate() {
            if hyp.kind == HypothesisKind::Declared {
                let k: usize = hyp.actor.as_deref().unwrap()[1..].parse().unwrap();
                prop_assert!((ev.post[h] - used[k]).abs() < 1e-12);
                sum_decl += ev.post[h];
                if pr.iter().sum::<f64>() <= 0.9 * params.prior_unknown {
                    prop_assert!((ev.post[h] - pr[k]).abs() < 1e-12, "declared prior {} became {}", pr[k], ev.post[h]);
                }
            }
        }
        prop_assert!((ev.post[0] + sum_decl - params.prior_unknown).abs() < 1e-9);
        prop_assert!(ev.post[0] >= 0.1 * params.prior_unknown - 1e-12, "unknown lost its floor: {}", ev.post[0]);
        // with evidence: the ratios between knowledge-base hypotheses do not change
        let a = Engine::new(&base, N_ACTORS, params.clone());
        let pa = a.evaluate_all().post;
        let b = Engine::with_declared(&base, N_ACTORS, params, &w, &decl);
        let pb = b.evaluate_all().post;
        let kb_hyps: Vec<usize> = (1..a.hyps.len()).collect();
        prop_assert_eq!(&a.hyps[..], &b.hyps[..a.hyps.len()]);
        let r = pb[kb_hyps[0]] / pa[kb_hyps[0]];
        for &h in &kb_hyps {
            prop_assert!((pb[h] / pa[h] - r).abs() < 1e-9 * r, "ratio changed for {:?}", a.hyps[h]);
        }
        // declared hypotheses no evidence speaks to keep their ratio to unknown
        for (h, hyp) in b.hyps.iter().enumerate() {
            if hyp.kind == HypothesisKind::Declared {
                let k: usize = hyp.actor.as_deref().unwrap()[1..].parse().unwrap();
                let p_unknown = params_unknown(&used);
                prop_assert!((pb[h] / pb[0] - used[k] / p_unknown).abs() < 1e-9 * (used[k] / p_unknown));
            }
        }
    }
}

fn params_unknown(used: &[f64]) -> f64 {
    let pu = Params::default().prior_unknown;
    (pu - used.iter().sum::<f64>()).max(0.1 * pu)
}

#[test]
fn a_forged_artifact_pointing_at_z_raises_ff_z_not_ff_of_the_genuine_actor() {
    // A0 has genuine costly evidence (code reuse) and techniques; a sample
    // carries a Rich header known for A5 whose linker contradicts it.
    let params = Params::default();
    let mut v = vec![
        item(
            1,
            vec![(0, 150.0)],
            1.0,
            ForgeCost::Costly,
            "code",
            0.0,
            0.95,
        ),
        item(
            2,
            vec![(0, 4.0), (5, 0.5)],
            1.0,
            ForgeCost::Moderate,
            "t1",
            0.0,
            0.9,
        ),
        item(
            3,
            vec![(0, 3.0), (5, 1.2)],
            1.0,
            ForgeCost::Moderate,
            "t2",
            0.0,
            0.9,
        ),
        item(
            4,
            vec![(5, 10.0)],
            1.0,
            ForgeCost::Moderate,
            "rich",
            0.0,
            0.95,
        ),
    ];
    let e0 = Engine::new(&v, N_ACTORS, params.clone());
    let p0 = e0.evaluate_all().post;
    v.push(tamper(5, 5.0, vec![5], 0.95));
    let e1 = Engine::new(&v, N_ACTORS, params);
    let p1 = e1.evaluate_all().post;
    let lead = e1.leader(&p1);
    assert_eq!(
        e1.hyps[lead].actor.as_deref(),
        Some("A0"),
        "{:?}",
        e1.hyps[lead]
    );
    assert!(
        p_ff(&e1, &p1, 5) > p_ff(&e0, &p0, 5) * 2.0,
        "FF(Z) did not rise"
    );
    assert!(
        p_ff(&e1, &p1, 0) <= p_ff(&e0, &p0, 0) * (1.0 + 1e-9),
        "FF(X) rose"
    );
    assert!(
        p_act(&e1, &p1, 5) < p_act(&e0, &p0, 5),
        "Z itself should lose to its imitator"
    );
}

#[test]
fn untargeted_tampering_aims_at_what_forgeable_evidence_supports_most() {
    // no target given: the engine aims the tampering at the actor the
    // cheap and moderate items support most (A2), not at A0 whose support
    // is costly, and not at everyone
    let params = Params::default();
    let mut v = vec![
        item(
            1,
            vec![(0, 150.0)],
            1.0,
            ForgeCost::Costly,
            "code",
            0.0,
            0.95,
        ),
        item(
            2,
            vec![(2, 10.0)],
            1.0,
            ForgeCost::Moderate,
            "rich",
            0.0,
            0.95,
        ),
        item(
            3,
            vec![(2, 3.0), (0, 1.5)],
            1.0,
            ForgeCost::Cheap,
            "lang",
            0.0,
            0.9,
        ),
    ];
    let e0 = Engine::new(&v, N_ACTORS, params.clone());
    let p0 = e0.evaluate_all().post;
    v.push(tamper(4, 5.0, vec![], 0.95));
    let e1 = Engine::new(&v, N_ACTORS, params);
    let p1 = e1.evaluate_all().post;
    let col2 = e1.active.iter().position(|a| a == "A2").unwrap();
    assert_eq!(e1.false_flag_columns(3), &[col2]);
    assert!(p_ff(&e1, &p1, 2) > p_ff(&e0, &p0, 2));
    assert!(p_ff(&e1, &p1, 0) <= p_ff(&e0, &p0, 0));
}

#[test]
fn declared_support_reaches_the_declared_hypothesis_only() {
    let params = Params::default();
    let w = std::collections::HashMap::new();
    let decl = vec![declared("insider", 0.05)];
    let mut it = item(1, vec![(0, 1.0)], 1.0, ForgeCost::Moderate, "d", 0.0, 0.9);
    it.support.push(ascribe_core::ActorSupport {
        actor: "declared:insider".into(),
        lr: 20.0,
        why: String::new(),
    });
    let e = Engine::with_declared(&[it.clone()], N_ACTORS, params.clone(), &w, &decl);
    let post = e.evaluate_all().post;
    let h = e
        .hyps
        .iter()
        .position(|h| h.kind == HypothesisKind::Declared)
        .unwrap();
    assert!(post[h] > 0.05 * 5.0, "{}", post[h]);
    assert!(!e.active.iter().any(|a| a.starts_with("declared:")));
    // undeclared: ignored
    let e2 = Engine::with_declared(&[it], N_ACTORS, params, &w, &[]);
    assert!(!e2.active.iter().any(|a| a.starts_with("declared:")));
    assert!(!e2.hyps.iter().any(|h| h.kind == HypothesisKind::Declared));
}
