//! The case sets built from the real ATT&CK v18.1 bundle (../shared/data).

use ascribe_eval::cases::{Bundle, Set, Split};
use ascribe_eval::run::case_facts;

fn bundle() -> Bundle {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/attack/enterprise-attack.json"
    );
    Bundle::parse(&std::fs::read(path).expect("../shared/data beside the checkout")).unwrap()
}

#[test]
fn campaign_cases_and_their_leakage_rule() {
    let b = bundle();
    let cases = b.campaign_cases();
    assert_eq!(cases.len(), 24, "campaigns with an attributed-to link");
    let c0052 = cases.iter().find(|c| c.id == "C0052").unwrap();
    assert_eq!(c0052.truth.len(), 2, "SPACEHOP is attributed to two groups");
    let removed: usize = cases.iter().map(|c| c.leak.profile_links).sum();
    let by_text: usize = cases.iter().map(|c| c.leak.by_text).sum();
    assert_eq!((removed, by_text), (113, 1));
    for c in &cases {
        assert!(c.set == Set::Campaigns && c.split == Split::Test);
        assert!(c.remove_entities.len() == 1, "the campaign itself leaves");
        assert!(c.date.is_some(), "{} has a first-seen date", c.id);
    }
    // Operation Dream Job: the campaign and its links are gone from the facts
    let facts = ascribe_kb::import::import_default_set(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data")),
        &ascribe_kb::default_data_files(),
    )
    .unwrap();
    let dj = cases.iter().find(|c| c.id == "C0022").unwrap();
    let f = case_facts(&facts, dj);
    assert!(f
        .entities
        .iter()
        .all(|e| !dj.remove_entities.contains(&e.id)));
    assert!(f
        .relations
        .iter()
        .all(|r| !dj.remove_entities.contains(&r.src) && !dj.remove_entities.contains(&r.dst)));
    assert!(f
        .relations
        .iter()
        .flat_map(|r| &r.citations)
        .all(|c| !dj.strip_citations.contains(&c.source_name)));
    assert!(f.relations.len() < facts.relations.len());
}

#[test]
fn report_cases_split_by_report() {
    let b = bundle();
    let cases = b.report_cases();
    assert_eq!(cases.len(), 551);
    let groups: std::collections::BTreeSet<&str> =
        cases.iter().map(|c| c.truth[0].as_str()).collect();
    assert_eq!(groups.len(), 160);
    let fit = cases.iter().filter(|c| c.split == Split::Fit).count();
    assert_eq!((fit, cases.len() - fit), (275, 276));
    // every case of one report is in one half
    for c in &cases {
        for d in cases.iter().filter(|d| d.source == c.source) {
            assert_eq!(c.split, d.split);
        }
        assert!(c.techniques.len() + c.software.len() >= 5, "{}", c.id);
        assert_eq!(c.strip_citations.len(), 1);
    }
    let removed: usize = cases.iter().map(|c| c.leak.profile_links).sum();
    assert_eq!(removed, 3542);
}
