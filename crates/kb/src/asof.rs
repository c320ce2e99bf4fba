//! The knowledge base as it could be known on a date (`analyze --as-of`).
//!
//! Rule, per relation (every kind except the structural `subtechnique-of`
//! and `revoked-by`):
//!
//! * **kept, dated** — at least one citation is dated on or before the date
//!   (a year-only date counts only if its year is before the as-of year, a
//!   month-only date only if its month is before; see
//!   [`ascribe_core::PartialDate::known_by`]); citations dated after the date
//!   are struck from it, since the technique model and the activity prior
//!   read the cited reports;
//! * **dropped** — it has citations and every one is dated after the date;
//! * otherwise (no citation, or only undated ones besides later ones): if the
//!   source recorded it on or before the date (STIX `created`) it is **kept,
//!   dated**; else it is **kept, undated**. Undated links are kept rather
//!   than dropped because their absence of a date says nothing about when
//!   they became known — MISP galaxy facts have no dates at all, and
//!   dropping them would remove most names and countries — but they are
//!   counted, and the assessment says how much of its verdict rests on them;
//! * **dropped as a copy** — an undated `uses` link between an actor and a
//!   piece of software (or technique) that a dated source links only
//!   through later reports (same names on both ends): community sets such as
//!   Tidal's are largely copied from ATT&CK, so their undated copy of a
//!   2016 link is the 2016 link, not earlier knowledge.
//!
//! Entities: ATT&CK campaigns first seen after the date are dropped with
//! every relation that touches them. Groups and software stay (a name is
//! not a link); those that are known only through dropped links simply
//! have empty profiles. MISP clusters have no date: kept, counted.
//!
//! How the reasoning tells dated from undated profile links: a
//! [`crate::ProfileLink`] carries its citations (with their dates) and the
//! relation's `created`; [`link_basis`] applies the same rule to them.

use ascribe_core::{
    AsOfReport, Citation, EntityKind, KbFacts, KnowledgeBasis, PartialDate, RelationKind,
};
use std::collections::HashSet;

fn is_link(k: RelationKind) -> bool {
    !matches!(k, RelationKind::SubtechniqueOf | RelationKind::RevokedBy)
}

fn date_of(c: &Citation) -> Option<PartialDate> {
    c.date.as_deref().and_then(PartialDate::parse)
}

/// What the analysis date makes of a link with these citations and this
/// `created` date: [`KnowledgeBasis::Dated`] (known by then),
/// [`KnowledgeBasis::Later`] (every citation dated after) or
/// [`KnowledgeBasis::Undated`].
pub fn link_basis(
    citations: &[Citation],
    created: Option<&str>,
    as_of: &PartialDate,
) -> KnowledgeBasis {
    let dates: Vec<Option<PartialDate>> = citations.iter().map(date_of).collect();
    if dates.iter().flatten().any(|d| d.known_by(as_of)) {
        return KnowledgeBasis::Dated;
    }
    if !dates.is_empty() && dates.iter().all(Option::is_some) {
        return KnowledgeBasis::Later;
    }
    if created
        .and_then(PartialDate::parse)
        .is_some_and(|c| c.known_by(as_of))
    {
        KnowledgeBasis::Dated
    } else {
        KnowledgeBasis::Undated
    }
}

/// The facts as they could be known on `date` (`YYYY-MM-DD`), with what
/// was kept and dropped. An invalid date (check it first with
/// [`ascribe_core::parse_as_of`]) cuts nothing: every link is then counted
/// as undated. See [`try_as_of`] for the checked form.
pub fn as_of(facts: &KbFacts, date: &str) -> (KbFacts, AsOfReport) {
    match try_as_of(facts, date) {
        Ok(x) => x,
        Err(_) => {
            let mut r = AsOfReport {
                date: date.to_string(),
                ..Default::default()
            };
            for rel in facts.relations.iter().filter(|r| is_link(r.kind)) {
                r.links_undated += 1;
                r.per_source.entry(rel.source.clone()).or_default().undated += 1;
            }
            (facts.clone(), r)
        }
    }
}

/// [`as_of`], failing on a date that is not a valid `YYYY-MM-DD`.
pub fn try_as_of(facts: &KbFacts, date: &str) -> Result<(KbFacts, AsOfReport), String> {
    let d = ascribe_core::parse_as_of(date)?;
    let mut report = AsOfReport {
        date: d.to_string(),
        ..Default::default()
    };
    let mut out = KbFacts {
        sources: facts.sources.clone(),
        ..Default::default()
    };
    let mut dropped_ids: HashSet<&str> = HashSet::new();
    for e in &facts.entities {
        if e.kind == EntityKind::Campaign {
            if let Some(first) = e
                .first_seen
                .as_deref()
                .and_then(PartialDate::from_timestamp)
            {
                if !first.known_by(&d) {
                    report.entities_dropped += 1;
                    report.campaigns_dropped.push(format!(
                        "{} ({}first seen {first})",
                        e.name,
                        e.external_id
                            .as_deref()
                            .map(|x| format!("{x}, "))
                            .unwrap_or_default()
                    ));
                    dropped_ids.insert(e.id.as_str());
                    continue;
                }
            }
        }
        if e.created.is_none() && e.first_seen.is_none() {
            report.entities_undated += 1;
        }
        out.entities.push(e.clone());
    }
    // The (actor name, software-or-technique name) pairs of `uses` links
    // known only from later reports: an undated copy of one is that link.
    let names = crate::copies::LinkNames::new(facts);
    let mut later_pairs: HashSet<(&str, &str)> = HashSet::new();
    for r in facts
        .relations
        .iter()
        .filter(|r| r.kind == RelationKind::Uses)
    {
        if link_basis(&r.citations, r.created.as_deref(), &d) == KnowledgeBasis::Later {
            names.add_pairs(r, &mut later_pairs);
        }
    }
    for r in &facts.relations {
        if !is_link(r.kind) {
            out.relations.push(r.clone());
            continue;
        }
        let counts = report.per_source.entry(r.source.clone()).or_default();
        if dropped_ids.contains(r.src.as_str()) || dropped_ids.contains(r.dst.as_str()) {
            counts.dropped += 1;
            report.links_dropped += 1;
            continue;
        }
        match link_basis(&r.citations, r.created.as_deref(), &d) {
            KnowledgeBasis::Later => {
                counts.dropped += 1;
                report.links_dropped += 1;
                continue;
            }
            KnowledgeBasis::Dated => {
                counts.kept_dated += 1;
                report.links_kept_dated += 1;
            }
            _ => {
                // An undated `uses` link that restates a link known only
                // from later reports (a community copy of ATT&CK, a galaxy
                // cluster citing the same research) is that later link: it
                // goes with it.
                let copy = r.kind == RelationKind::Uses && names.restates(r, &later_pairs);
                if copy {
                    counts.dropped += 1;
                    report.links_dropped += 1;
                    report.links_dropped_copies += 1;
                    continue;
                }
                counts.undated += 1;
                report.links_undated += 1;
            }
        }
        let mut kept = r.clone();
        let before = kept.citations.len();
        kept.citations
            .retain(|c| date_of(c).is_none_or(|x| x.known_by(&d)));
        report.citations_struck += before - kept.citations.len();
        out.relations.push(kept);
    }
    Ok((out, report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ascribe_core::{Entity, Relation};

    fn cit(name: &str, date: Option<&str>) -> Citation {
        Citation {
            source_name: name.into(),
            url: None,
            date: date.map(String::from),
        }
    }

    fn rel(id: &str, src: &str, cits: Vec<Citation>, created: Option<&str>) -> Relation {
        Relation {
            kind: RelationKind::Uses,
            src: src.into(),
            dst: "attack-pattern--t".into(),
            source: "s".into(),
            id: Some(id.into()),
            citations: cits,
            created: created.map(String::from),
        }
    }

    #[test]
    fn links_are_kept_dropped_or_counted_undated() {
        let mut camp = Entity::new("campaign--c", EntityKind::Campaign, "s", "Late campaign");
        camp.first_seen = Some("2016-03-01T00:00:00.000Z".into());
        let mut early = Entity::new("campaign--e", EntityKind::Campaign, "s", "Early campaign");
        early.first_seen = Some("2013-03-01T00:00:00.000Z".into());
        let facts = KbFacts {
            sources: vec![],
            entities: vec![camp, early],
            relations: vec![
                // one citation before: kept, the later one struck
                rel(
                    "a",
                    "g",
                    vec![
                        cit("Old 2013", Some("2013")),
                        cit("New", Some("2016-02-24")),
                    ],
                    Some("2017-05-31"),
                ),
                // every citation later: dropped
                rel(
                    "b",
                    "g",
                    vec![cit("Novetta", Some("2016-02"))],
                    Some("2017-05-31"),
                ),
                // a 2014 report is not known on 2014-12-19
                rel("c", "g", vec![cit("x 2014", Some("2014"))], None),
                // undated citation, recorded after: kept undated
                rel(
                    "d",
                    "g",
                    vec![cit("McAfee GhostSecret", None), cit("y", Some("2018"))],
                    Some("2018-10-17"),
                ),
                // no citation, recorded before: kept dated
                rel("e", "g", vec![], Some("2014-01-02")),
                // through a dropped campaign
                rel("f", "campaign--c", vec![cit("z", Some("2013-01-01"))], None),
                rel("g", "campaign--e", vec![cit("z", Some("2013-01-01"))], None),
            ],
        };
        let (out, r) = try_as_of(&facts, "2014-12-19").unwrap();
        let ids: Vec<&str> = out
            .relations
            .iter()
            .filter_map(|r| r.id.as_deref())
            .collect();
        assert_eq!(ids, vec!["a", "d", "e", "g"]);
        assert_eq!(r.links_kept_dated, 3);
        assert_eq!(r.links_undated, 1);
        assert_eq!(r.links_dropped, 3);
        assert_eq!(r.citations_struck, 2);
        assert_eq!(r.entities_dropped, 1);
        assert_eq!(
            r.campaigns_dropped,
            vec!["Late campaign (first seen 2016-03-01)".to_string()]
        );
        assert_eq!(out.relations[0].citations.len(), 1);
        assert_eq!(
            out.relations[1].citations[0].source_name,
            "McAfee GhostSecret"
        );
        assert_eq!(r.per_source["s"].dropped, 3);
        assert!(try_as_of(&facts, "2014-13-01").is_err());
        let (same, bad) = as_of(&facts, "yesterday");
        assert_eq!(same.relations.len(), facts.relations.len());
        assert_eq!(bad.links_undated, 7);
    }

    #[test]
    fn basis_of_a_profile_link() {
        let d = ascribe_core::parse_as_of("2014-12-19").unwrap();
        assert_eq!(
            link_basis(&[cit("a", Some("2014-11"))], None, &d),
            KnowledgeBasis::Dated
        );
        assert_eq!(
            link_basis(&[cit("a", Some("2016"))], None, &d),
            KnowledgeBasis::Later
        );
        assert_eq!(
            link_basis(&[cit("a", None)], Some("2019-01-01"), &d),
            KnowledgeBasis::Undated
        );
        assert_eq!(
            link_basis(&[], Some("2014-01-01"), &d),
            KnowledgeBasis::Dated
        );
        assert_eq!(link_basis(&[], None, &d), KnowledgeBasis::Undated);
    }
}
