//! Leave-one-vendor-out and the open set, on the real ATT&CK v18.1 data.

use ascribe_eval::cases::{Bundle, Set};
use ascribe_eval::run::case_facts;
use ascribe_eval::vendor::{citation_publishers, lovo_cases, MIN_PUBLISHER_REPORTS};

fn data() -> std::path::PathBuf {
    std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data")).to_path_buf()
}

#[test]
fn each_holdout_removes_every_citation_of_its_publisher() {
    let d = data();
    let bundle =
        Bundle::parse(&std::fs::read(d.join("attack/enterprise-attack.json")).unwrap()).unwrap();
    let facts =
        ascribe_kb::import::import_default_set(&d, &ascribe_kb::default_data_files()).unwrap();
    let (cases, holdouts) = lovo_cases(&bundle, &facts, MIN_PUBLISHER_REPORTS);
    let mut copies_removed = 0;
    let names: Vec<&str> = holdouts.iter().map(|h| h.publisher.as_str()).collect();
    eprintln!("{names:?}");
    // the large publishers, under every spelling, are one holdout each
    for p in [
        "Mandiant",
        "Kaspersky",
        "Palo Alto Networks",
        "ESET",
        "Symantec",
        "Microsoft",
        "CrowdStrike",
        "Trend Micro",
        "Cisco Talos",
        "Secureworks",
        "Proofpoint",
    ] {
        assert!(names.contains(&p), "{p} has no holdout: {names:?}");
    }
    for h in &holdouts {
        assert!(h.reports >= MIN_PUBLISHER_REPORTS);
        eprintln!(
            "{}: {} reports, {} links removed ({} uses), {} citations struck, {} cases",
            h.publisher,
            h.reports,
            h.links_removed,
            h.uses_links_removed,
            h.citations_struck,
            h.cases
        );
        let Some(case) = cases
            .iter()
            .find(|c| c.holdout.as_deref() == Some(&h.publisher))
        else {
            continue;
        };
        assert_eq!(case.set, Set::Vendor);
        let f = case_facts(&facts, case);
        // no citation left in the KB maps to the publisher, by URL or by name
        for r in &f.relations {
            for c in &r.citations {
                assert!(
                    !citation_publishers(c).contains(&h.publisher),
                    "{}: {:?} survives the holdout",
                    h.publisher,
                    c
                );
            }
        }
        // and links that rested on it alone are gone
        let removed = facts.relations.len() - f.relations.len();
        assert!(
            removed >= h.links_removed,
            "{removed} < {}",
            h.links_removed
        );
        // with the undated community copies of them (Tidal's and the MISP
        // galaxy's `uses` links restating a removed ATT&CK link)
        let names = ascribe_kb::copies::LinkNames::new(&facts);
        let mut gone = std::collections::HashSet::new();
        for r in facts.relations.iter().filter(|r| {
            r.kind == ascribe_core::RelationKind::Uses
                && r.id
                    .as_ref()
                    .is_some_and(|i| case.remove_relations.contains(i))
        }) {
            names.add_pairs(r, &mut gone);
        }
        let kept: std::collections::HashSet<_> = f
            .relations
            .iter()
            .map(|r| (&r.src, &r.dst, &r.source, &r.id))
            .collect();
        let left = facts
            .relations
            .iter()
            .filter(|r| ascribe_kb::copies::undated_uses(r) && names.restates(r, &gone))
            .filter(|r| kept.contains(&(&r.src, &r.dst, &r.source, &r.id)))
            .count();
        assert_eq!(
            left, 0,
            "{}: {left} copies of removed links left",
            h.publisher
        );
        copies_removed += removed - h.links_removed;
    }
    // the galaxy does copy such links: the rule has something to remove
    assert!(copies_removed > 100, "{copies_removed}");
    let mandiant = holdouts.iter().find(|h| h.publisher == "Mandiant").unwrap();
    // FireEye, Mandiant and archived fireeye.com citations are one publisher
    assert!(mandiant.names.iter().any(|n| n.starts_with("FireEye")));
    assert!(mandiant.names.iter().any(|n| n.starts_with("Mandiant")));
    let k = holdouts
        .iter()
        .find(|h| h.publisher == "Kaspersky")
        .unwrap();
    assert!(k.names.iter().any(|n| n.starts_with("Securelist")));
    assert!(k.names.iter().any(|n| n.starts_with("Kaspersky")));
}

#[test]
fn open_set_cases_remove_the_group_and_what_only_it_links() {
    let d = data();
    let bundle =
        Bundle::parse(&std::fs::read(d.join("attack/enterprise-attack.json")).unwrap()).unwrap();
    let facts =
        ascribe_kb::import::import_default_set(&d, &ascribe_kb::default_data_files()).unwrap();
    let reports: Vec<_> = bundle
        .report_cases()
        .into_iter()
        .filter(|c| c.truth[0] == "G0032")
        .take(1)
        .collect();
    assert_eq!(reports.len(), 1, "Lazarus Group has report cases");
    let open = ascribe_eval::openset::open_cases(&facts, &reports);
    assert_eq!(open.len(), 1);
    let c = &open[0];
    assert_eq!(c.set, Set::OpenSet);
    assert_eq!(c.split, reports[0].split, "the report's half");
    let full = ascribe_kb::KnowledgeBase::build(&facts);
    let members = full.actors[full.actor_by_id("G0032").unwrap()]
        .members
        .clone();
    assert!(
        members.len() >= 2,
        "ATT&CK group and MISP cluster merged: {members:?}"
    );
    let f = case_facts(&facts, c);
    let kb = ascribe_kb::KnowledgeBase::build(&f);
    assert!(kb.actor_by_id("G0032").is_none(), "the group is gone");
    for m in &members {
        assert!(f.entities.iter().all(|e| &e.id != m), "{m} is gone");
        assert!(f.relations.iter().all(|r| &r.src != m && &r.dst != m));
    }
    // something only Lazarus used left with it, and the case's report is struck
    assert!(c.remove_entities.len() > members.len());
    assert!(f
        .relations
        .iter()
        .flat_map(|r| &r.citations)
        .all(|x| !c.strip_citations.contains(&x.source_name)));
    // shared software stays: Mimikatz is used by many groups
    let mimikatz = facts
        .entities
        .iter()
        .find(|e| e.external_id.as_deref() == Some("S0002"))
        .unwrap();
    assert!(!c.remove_entities.contains(&mimikatz.id));
}
