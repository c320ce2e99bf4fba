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
