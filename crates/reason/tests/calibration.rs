//! The recalibration of the final posterior (`reason::calibrate`) on engine
//! posteriors: it never changes who leads, keeps the posterior normalised,
//! keeps the ratio between the leading actor and its false flag, and so
//! keeps the bound on what cheap evidence alone can reach.

use ascribe_core::{Evidence, HypothesisKind};
use ascribe_reason::calibrate::{calibrated_posterior, shipped, Recalibration};
use ascribe_reason::{Engine, Params};
use proptest::prelude::*;

const N_ACTORS: usize = 40;

/// An evidence item through its serialised form (new optional fields of
/// `Evidence` keep their defaults).
fn item(id: usize, support: &[(usize, f64)], cheap: bool, dep: usize) -> Evidence {
    let support: Vec<serde_json::Value> = support
        .iter()
        .map(|(a, lr)| serde_json::json!({"actor": format!("A{a}"), "lr": lr, "why": ""}))
        .collect();
    serde_json::from_value(serde_json::json!({
        "id": format!("E{id}"),
        "observation": format!("o{id}"),
        "kind": "technique",
        "summary": "",
        "source": "s",
        "forge_cost": if cheap { "cheap" } else { "costly" },
        "forge_rationale": "",
        "reliability": 0.9,
        "dependence": format!("d{dep}"),
        "rho": 0.5,
        "fingerprint": format!("fp{id}"),
        "support": support,
        "default_lr": 0.8,
    }))
    .expect("an Evidence item")
}

prop_compose! {
    fn items(cheap_only: bool)(
        raw in prop::collection::vec(
            (prop::collection::vec((0usize..6, 0.05f64..80.0), 1..4), any::<bool>(), 0usize..3),
            1..12,
        )
    ) -> Vec<Evidence> {
        raw.iter()
            .enumerate()
            .map(|(i, (s, c, d))| item(i, s, cheap_only || *c, *d))
            .collect()
    }
}

fn check(items: &[Evidence], cal: &Recalibration, cheap_only: bool) -> Result<(), TestCaseError> {
    let params = Params::default();
    let kappa = params.false_flag_ratio;
    let engine = Engine::new(items, N_ACTORS, params);
    let raw = engine.evaluate_all().post;
    let mut post = raw.clone();
    cal.apply_to(&engine, &mut post);
    prop_assert!((post.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    prop_assert!(post.iter().all(|p| p.is_finite() && *p >= 0.0));
    let lead = engine.leader(&raw);
    prop_assert_eq!(engine.leader(&post), lead, "the leader never changes");
    let h = &engine.hyps[lead];
    if h.kind == HypothesisKind::Actor {
        let ff = engine
            .hyps
            .iter()
            .position(|x| x.kind == HypothesisKind::FalseFlag && x.actor == h.actor)
            .unwrap();
        prop_assert!(
            (post[ff] * raw[lead] - raw[ff] * post[lead]).abs() < 1e-9,
            "false-flag ratio kept"
        );
    } else {
        prop_assert_eq!(&post, &raw, "only an actor's lead is recalibrated");
    }
    if cheap_only {
        for (i, x) in engine.hyps.iter().enumerate() {
            if x.kind == HypothesisKind::Actor {
                prop_assert!(
                    post[i] <= 1.0 / (1.0 + kappa) + 1e-9,
                    "cheap evidence bound: {}",
                    post[i]
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn shipped_recalibration_keeps_the_invariants(items in items(false)) {
        check(&items, &shipped(), false)?;
    }

    #[test]
    fn cheap_evidence_stays_below_its_bound(items in items(true), a in 0.2f64..3.0, b in -2.0f64..4.0) {
        check(&items, &shipped(), true)?;
        check(&items, &Recalibration::Platt { a, b }, true)?;
    }
}

#[test]
fn the_hook_is_the_shipped_map() {
    let items = vec![
        item(0, &[(0, 30.0)], false, 0),
        item(1, &[(0, 20.0)], false, 1),
    ];
    let engine = Engine::new(&items, N_ACTORS, Params::default());
    let raw = engine.evaluate_all().post;
    let mut by_hand = raw.clone();
    shipped().apply_to(&engine, &mut by_hand);
    assert_eq!(calibrated_posterior(&engine, raw.clone()), by_hand);
    assert_ne!(by_hand, raw, "an actor leads: the shipped map moves it");
}
