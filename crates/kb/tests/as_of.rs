//! Citation dates and `as_of` on the real shared data (`../shared/data`).
//! Run with `--nocapture` to see the measured counts.

use ascribe_core::{DatePrecision, KbFacts, PartialDate, RelationKind};
use ascribe_kb::import;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

fn facts() -> &'static KbFacts {
    static F: OnceLock<KbFacts> = OnceLock::new();
    F.get_or_init(|| {
        let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
        import::import_default_set(&d, &ascribe_kb::default_data_files()).unwrap()
    })
}

const LAZARUS: &str = "intrusion-set--c93fccb1-e8e8-42cf-ae33-2ad1d183913a";

#[test]
fn most_attack_citations_get_a_date() {
    let mut unique: BTreeMap<(&str, Option<&str>), Option<&str>> = BTreeMap::new();
    for r in &facts().relations {
        for c in &r.citations {
            unique.insert((&c.source_name, c.url.as_deref()), c.date.as_deref());
        }
    }
    let mut by: BTreeMap<String, usize> = BTreeMap::new();
    for d in unique.values() {
        let k = match d.and_then(PartialDate::parse).map(|d| d.precision()) {
            Some(DatePrecision::Day) => "day",
            Some(DatePrecision::Month) => "month",
            Some(DatePrecision::Year) => "year",
            None if d.is_some() => "malformed",
            None => "undated",
        };
        *by.entry(k.into()).or_default() += 1;
    }
    let n = unique.len();
    eprintln!("distinct citations: {n}; by precision: {by:?}");
    assert_eq!(by.get("malformed"), None);
    let dated = n - by.get("undated").copied().unwrap_or(0);
    assert!(dated * 100 >= n * 80, "only {dated} of {n} citations dated");
    // every ATT&CK relation has its creation date
    let attack: Vec<_> = facts()
        .relations
        .iter()
        .filter(|r| r.source.starts_with("mitre-attack:enterprise") && r.id.is_some())
        .collect();
    assert!(attack.iter().all(|r| r.created.is_some()));
}

#[test]
fn as_of_sony_drops_lazarus_links_from_later_reports() {
    let f = facts();
    let (cut, rep) = ascribe_kb::as_of(f, "2014-12-19");
    eprintln!(
        "as of 2014-12-19: kept dated {}, dropped {}, kept undated {}, citations struck {}, campaigns dropped {}, undated entities {}",
        rep.links_kept_dated,
        rep.links_dropped,
        rep.links_undated,
        rep.citations_struck,
        rep.entities_dropped,
        rep.entities_undated
    );
    eprintln!("per source: {:?}", rep.per_source);
    let lazarus = |x: &KbFacts| {
        x.relations
            .iter()
            .filter(|r| r.kind == RelationKind::Uses && r.src == LAZARUS)
            .count()
    };
    let (before, after) = (lazarus(f), lazarus(&cut));
    eprintln!("G0032 direct uses links: {before} before, {after} after");
    assert!(after * 4 < before, "{after} of {before} Lazarus links kept");
    // No link cited only by Operation Blockbuster (February 2016) survives.
    let only_novetta = |r: &ascribe_core::Relation| {
        !r.citations.is_empty()
            && r.citations
                .iter()
                .all(|c| c.source_name.starts_with("Novetta Blockbuster"))
    };
    assert!(f
        .relations
        .iter()
        .any(|r| r.src == LAZARUS && only_novetta(r)));
    assert!(!cut
        .relations
        .iter()
        .any(|r| r.src == LAZARUS && only_novetta(r)));
    // Every link with a citation from 2013 or earlier is kept; no kept link
    // keeps a citation dated after the date.
    let asof = ascribe_core::parse_as_of("2014-12-19").unwrap();
    let kept: std::collections::HashSet<&str> = cut
        .relations
        .iter()
        .filter_map(|r| r.id.as_deref())
        .collect();
    let early: Vec<_> = f
        .relations
        .iter()
        .filter(|r| {
            r.citations.iter().any(|c| {
                c.date
                    .as_deref()
                    .and_then(PartialDate::parse)
                    .is_some_and(|d| d.year <= 2013)
            })
        })
        .collect();
    assert!(early.len() > 100, "{}", early.len());
    assert!(early
        .iter()
        .all(|r| r.id.as_deref().is_none_or(|id| kept.contains(id))));
    assert!(cut.relations.iter().all(|r| r.citations.iter().all(|c| c
        .date
        .as_deref()
        .and_then(PartialDate::parse)
        .is_none_or(|d| d.known_by(&asof)))));
    assert!(rep.links_dropped > rep.links_kept_dated);
    assert_eq!(
        rep.links_kept_dated + rep.links_dropped + rep.links_undated,
        f.relations
            .iter()
            .filter(|r| !matches!(
                r.kind,
                RelationKind::SubtechniqueOf | RelationKind::RevokedBy
            ))
            .count()
    );
    // MISP galaxy relations have no dates: kept and counted undated, except
    // `uses` links that restate a link known only from later reports.
    let misp = &rep.per_source["misp-galaxy:threat-actor@7cdff317-a673-4474-84ec-4f1754947823"];
    assert_eq!(misp.kept_dated, 0);
    assert!(misp.dropped <= rep.links_dropped_copies);
    assert!(misp.undated > 0);
    assert!(rep.links_dropped_copies > 0);
    assert!(rep.campaigns_dropped.iter().any(|c| c.contains("C0022")));
}

#[test]
#[ignore]
fn dump_citation_dates() {
    let mut unique: BTreeMap<(&str, Option<&str>), Option<&str>> = BTreeMap::new();
    for r in &facts().relations {
        for c in &r.citations {
            unique.insert((&c.source_name, c.url.as_deref()), c.date.as_deref());
        }
    }
    for ((n, u), d) in unique {
        println!("{}\t{}\t{}", d.unwrap_or("-"), n, u.unwrap_or(""));
    }
}
