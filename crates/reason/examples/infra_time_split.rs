//! bench/infrastructure time split (run by `bench/infrastructure/run.sh`).
//!
//! The ESET events (`../shared/data/eset-malware-ioc/events`) are split at
//! a cut date: events published before it are the intelligence (an
//! in-memory IntelStore), each later event becomes a case made of its
//! indicators only. For every case the indicators are matched
//! (`ascribe_intel::matching`) and weighed (`ascribe_reason`), with the
//! shared-service discount on and off. The truth of an event is the actor
//! its MISP `threat-actor` tag names, else ESET's folder (the publisher's
//! attribution).
//!
//! Cut date: the median publication date of the readable events, fixed
//! before any result was looked at (no parameter is chosen on the split).
//!
//! Usage: infra_time_split EVENTS_DIR OUT_DIR

use ascribe_core::{IntelKind, IntelRecord};
use ascribe_intel::matching::{match_with, CaseIndicator, MatchOptions, Strength};
use ascribe_intel::memory::MemoryIntelStore;
use ascribe_intel::shared::SharedServices;
use ascribe_kb::{KnowledgeBase, Resolution};
use ascribe_reason::{assess_evidence, EvidenceBuilder, Params};
use ascribe_store::IntelStore;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

struct Event {
    file: String,
    source: String,
    date: String,
    truth: String,
    records: Vec<IntelRecord>,
}

fn top_folder(events: &Path, p: &Path) -> String {
    p.strip_prefix(events)
        .ok()
        .and_then(|r| r.components().next())
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut v: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    v.sort();
    for p in v {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

fn norm(s: &str) -> String {
    ascribe_core::normalize_name(s)
}

fn resolve(kb: &KnowledgeBase, name: &str) -> Option<String> {
    // ESET's folder names, written as the actor names ESET publishes under
    let alias = match name {
        "sednit" => "Sednit",
        "turla" => "Turla",
        "oceanlotus" => "OceanLotus",
        "nukesped_lazarus" => "Lazarus Group",
        "dukes" => "The Dukes",
        "winnti_group" => "Winnti Group",
        "telebots" => "TeleBots",
        "backdoordiplomacy" => "BackdoorDiplomacy",
        "moustachedbouncer" => "MoustachedBouncer",
        "winter_vivern" => "Winter Vivern",
        "xdspy" => "XDSpy",
        "invisimole" => "InvisiMole",
        "gelsemium" => "Gelsemium",
        "machete" => "Machete",
        "powerpool" => "PowerPool",
        "windigo" => "Windigo",
        other => other,
    };
    match kb.resolve_actor(alias) {
        Resolution::Found { index, .. } => Some(kb.actors[index].id.clone()),
        _ => None,
    }
}

#[derive(Default)]
struct Tally {
    cases: usize,
    overlapping: usize,
    top1: usize,
    p_true: f64,
    resolved_overlapping: usize,
    items: usize,
    items_right: usize,
    items_wrong: usize,
    weight_right: f64,
    weight_wrong: f64,
    matches_weighed: usize,
    matches_right: usize,
    matches_wrong: usize,
    matches_none: usize,
}

fn case_indicators(e: &Event) -> Vec<CaseIndicator> {
    let mut seen = BTreeSet::new();
    e.records
        .iter()
        .filter(|r| {
            !matches!(r.kind, IntelKind::Filename)
                && !r
                    .role
                    .as_deref()
                    .is_some_and(|x| x.eq_ignore_ascii_case("external analysis") || x == "link")
        })
        .filter(|r| seen.insert((r.kind, r.norm.clone())))
        .enumerate()
        .map(|(i, r)| CaseIndicator {
            id: format!("i{i}"),
            kind: r.kind,
            value: r.value.clone(),
            first_seen: r.first_seen.clone(),
            last_seen: r.last_seen.clone(),
        })
        .collect()
}

/// One case into a tally (the rolling-origin variant): matches, evidence
/// items and, when the truth is a knowledge-base actor and something
/// matched, the verdict.
fn score(e: &Event, store: &MemoryIntelStore, kb: &KnowledgeBase, off: bool, t: &mut Tally) {
    let indicators = case_indicators(e);
    let truth_id = resolve(kb, &e.truth);
    let truth_n = norm(&e.truth);
    let opts = MatchOptions {
        case_date: Some(e.date.clone()),
        as_of: Some(e.date.clone()),
        no_shared_discount: off,
    };
    let m = match_with(&[store], &indicators, &opts, SharedServices::embedded()).expect("match");
    t.cases += 1;
    for x in &m.matches {
        if x.strength == Strength::None {
            t.matches_none += 1;
            continue;
        }
        t.matches_weighed += 1;
        let same = |a: &String| {
            norm(a) == truth_n
                || (truth_id.is_some() && resolve(kb, a) == truth_id)
                || (truth_id.is_some()
                    && resolve(kb, a.trim_end_matches(" Group").trim_end_matches(" group"))
                        == truth_id)
        };
        if x.record.actors.iter().any(same) {
            t.matches_right += 1;
        } else {
            t.matches_wrong += 1;
        }
    }
    if m.matches.is_empty() {
        return;
    }
    t.overlapping += 1;
    let built = EvidenceBuilder::new(kb)
        .with_intel_matches(m.matches)
        .build(&[]);
    for it in &built.evidence {
        t.items += 1;
        let w: f64 = it.support.iter().map(|s| s.lr).fold(1.0, f64::max).log10();
        if truth_id
            .as_ref()
            .is_some_and(|id| it.support.iter().any(|s| &s.actor == id && s.lr > 1.0))
        {
            t.items_right += 1;
            t.weight_right += w;
        } else {
            t.items_wrong += 1;
            t.weight_wrong += w;
        }
    }
    if let Some(id) = &truth_id {
        t.resolved_overlapping += 1;
        let a = assess_evidence(&built.evidence, kb, &Params::default());
        let p: f64 = a
            .ranking
            .iter()
            .filter(|h| {
                h.kind == ascribe_core::HypothesisKind::Actor
                    && h.actor.as_ref().is_some_and(|x| &x.id == id)
            })
            .map(|h| h.posterior)
            .sum();
        if a.ranking.first().is_some_and(|h| {
            h.kind == ascribe_core::HypothesisKind::Actor
                && h.actor.as_ref().is_some_and(|x| &x.id == id)
        }) {
            t.top1 += 1;
        }
        t.p_true += p;
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: infra_time_split EVENTS_DIR OUT_DIR");
        std::process::exit(2);
    }
    let events_dir = PathBuf::from(&args[1]);
    let out_dir = PathBuf::from(&args[2]);
    std::fs::create_dir_all(&out_dir).expect("output directory");

    // ---- read the events
    let mut paths = Vec::new();
    files(&events_dir, &mut paths);
    let mut events: Vec<Event> = Vec::new();
    let mut unreadable: Vec<String> = Vec::new();
    for p in &paths {
        let folder = top_folder(&events_dir, p);
        match ascribe_intel::import_file(p, &ascribe_intel::ImportOptions::default()) {
            Ok(sources) => {
                for s in sources {
                    let Some(date) = s.published.clone() else {
                        unreadable.push(format!("{}: no date", p.display()));
                        continue;
                    };
                    let truth = s.actors.first().cloned().unwrap_or_else(|| folder.clone());
                    let mut records = s.records;
                    for r in &mut records {
                        if r.actors.is_empty() {
                            r.actors = vec![truth.clone()];
                        }
                    }
                    events.push(Event {
                        file: p
                            .strip_prefix(&events_dir)
                            .unwrap_or(p)
                            .display()
                            .to_string(),
                        source: s.source,
                        date,
                        truth,
                        records,
                    });
                }
            }
            Err(e) => unreadable.push(format!("{}: {e}", p.display())),
        }
    }
    events.sort_by(|a, b| a.date.cmp(&b.date).then(a.file.cmp(&b.file)));
    let cut = events[events.len() / 2].date.clone();

    // ---- the knowledge base as of the cut, without the MISP events
    // themselves (their indicators are the intelligence under test)
    let facts = ascribe_kb::embedded::default_facts().expect("embedded KB");
    let (mut facts, _) = ascribe_kb::as_of(&facts, &cut);
    facts
        .entities
        .retain(|e| !e.source.starts_with("misp-event"));
    facts
        .relations
        .retain(|r| !r.source.starts_with("misp-event"));
    let kb = KnowledgeBase::build(&facts);

    // ---- intelligence: events before the cut
    let mut store = MemoryIntelStore::new();
    let mut intel_events = 0;
    for e in events.iter().filter(|e| e.date < cut) {
        store.put_intel(&e.file, &e.records).expect("memory store");
        intel_events += 1;
    }
    let services = SharedServices::embedded();
    let params = Params::default();

    let mut report = String::new();
    let mut rows = String::new();
    let mut json_cases = Vec::new();
    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    for e in events.iter().filter(|e| e.date >= cut) {
        // the case: the event's indicators, without its references
        let mut seen = BTreeSet::new();
        let indicators: Vec<CaseIndicator> =
            e.records
                .iter()
                .filter(|r| {
                    !matches!(r.kind, IntelKind::Filename)
                        && !r.role.as_deref().is_some_and(|x| {
                            x.eq_ignore_ascii_case("external analysis") || x == "link"
                        })
                })
                .filter(|r| seen.insert((r.kind, r.norm.clone())))
                .enumerate()
                .map(|(i, r)| CaseIndicator {
                    id: format!("i{i}"),
                    kind: r.kind,
                    value: r.value.clone(),
                    first_seen: r.first_seen.clone(),
                    last_seen: r.last_seen.clone(),
                })
                .collect();
        let truth_id = resolve(&kb, &e.truth);
        let truth_n = norm(&e.truth);
        for (mode, off) in [("discount on", false), ("discount off", true)] {
            let opts = MatchOptions {
                case_date: Some(e.date.clone()),
                as_of: Some(e.date.clone()),
                no_shared_discount: off,
            };
            let m = match_with(&[&store], &indicators, &opts, services).expect("match");
            let t = tallies.entry(mode).or_default();
            t.cases += 1;
            // the evidence-level view: each weighed match, by the names
            // the intelligence gives
            for x in &m.matches {
                if x.strength == Strength::None {
                    t.matches_none += 1;
                    continue;
                }
                t.matches_weighed += 1;
                let same = |a: &String| {
                    norm(a) == truth_n
                        || (truth_id.is_some() && resolve(&kb, a) == truth_id)
                        || (truth_id.is_some()
                            && resolve(
                                &kb,
                                a.trim_end_matches(" Group").trim_end_matches(" group"),
                            ) == truth_id)
                };
                if x.record.actors.iter().any(same) {
                    t.matches_right += 1;
                } else {
                    t.matches_wrong += 1;
                }
            }
            if m.matches.is_empty() {
                continue;
            }
            t.overlapping += 1;
            let built = EvidenceBuilder::new(&kb)
                .with_intel_matches(m.matches.clone())
                .build(&[]);
            let mut right_w = 0.0;
            let mut wrong_w = 0.0;
            for it in &built.evidence {
                t.items += 1;
                let w: f64 = it.support.iter().map(|s| s.lr).fold(1.0, f64::max).log10();
                if truth_id
                    .as_ref()
                    .is_some_and(|id| it.support.iter().any(|s| &s.actor == id && s.lr > 1.0))
                {
                    t.items_right += 1;
                    t.weight_right += w;
                    right_w += w;
                } else {
                    t.items_wrong += 1;
                    t.weight_wrong += w;
                    wrong_w += w;
                }
            }
            let (top, p_true) = match &truth_id {
                Some(id) => {
                    t.resolved_overlapping += 1;
                    let a = assess_evidence(&built.evidence, &kb, &params);
                    let p: f64 = a
                        .ranking
                        .iter()
                        .filter(|h| {
                            h.kind == ascribe_core::HypothesisKind::Actor
                                && h.actor.as_ref().is_some_and(|x| &x.id == id)
                        })
                        .map(|h| h.posterior)
                        .sum();
                    let top_id = a
                        .ranking
                        .first()
                        .and_then(|h| h.actor.as_ref().map(|x| x.id.clone()));
                    let hit = a.ranking.first().is_some_and(|h| {
                        h.kind == ascribe_core::HypothesisKind::Actor
                            && top_id.as_deref() == Some(id.as_str())
                    });
                    if hit {
                        t.top1 += 1;
                    }
                    t.p_true += p;
                    (
                        a.ranking
                            .first()
                            .map(|h| h.label.clone())
                            .unwrap_or_default(),
                        Some(p),
                    )
                }
                None => (String::new(), None),
            };
            let weighed = m
                .matches
                .iter()
                .filter(|x| x.strength != Strength::None)
                .count();
            let _ = writeln!(
                rows,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {:.2} / {:.2} | {} | {} |",
                mode,
                e.file,
                e.date,
                e.truth,
                truth_id.as_deref().unwrap_or("(not in KB)"),
                indicators.len(),
                m.matches.len(),
                weighed,
                right_w,
                wrong_w,
                top,
                p_true
                    .map(|p| format!("{:.1}%", p * 100.0 + 0.0))
                    .unwrap_or_else(|| "–".into())
            );
            let kinds: BTreeMap<String, usize> =
                m.matches.iter().fold(BTreeMap::new(), |mut acc, x| {
                    *acc.entry(format!("{}/{}", x.kind.as_str(), x.strength.as_str()))
                        .or_default() += 1;
                    acc
                });
            let wrong_actors: BTreeSet<String> = m
                .matches
                .iter()
                .filter(|x| x.strength != Strength::None)
                .flat_map(|x| x.record.actors.clone())
                .filter(|a| norm(a) != truth_n)
                .collect();
            json_cases.push(serde_json::json!({
                "mode": mode, "event": e.file, "source": e.source, "date": e.date,
                "truth": e.truth, "truth_kb": truth_id, "indicators": indicators.len(),
                "matches": m.matches.len(), "weighed": weighed, "by_kind": kinds,
                "other_actors_matched": wrong_actors, "top": top, "p_true": p_true,
            }));
        }
    }

    // ---- report
    let _ = writeln!(report, "# Infrastructure time split on the ESET events\n");
    let _ = writeln!(
        report,
        "Events read: {} ({} files could not be read: {}). Cut date (median publication date, fixed before looking at results): **{cut}**. Intelligence: {intel_events} events published before it ({} records). Cases: {} events published on or after it, each made of its own indicators only (references and file names left out).\n",
        events.len(),
        unreadable.len(),
        unreadable
            .iter()
            .map(|u| u.rsplit('/').next().unwrap_or(u).chars().take(90).collect::<String>())
            .collect::<Vec<_>>()
            .join("; "),
        store.len(),
        events.len() - intel_events
    );
    let _ = writeln!(report, "| | discount on | discount off |\n|---|---:|---:|");
    let on = &tallies["discount on"];
    let off = &tallies["discount off"];
    let line = |r: &mut String, what: &str, f: &dyn Fn(&Tally) -> String| {
        let _ = writeln!(r, "| {what} | {} | {} |", f(on), f(off));
    };
    line(&mut report, "cases", &|t| t.cases.to_string());
    line(
        &mut report,
        "cases sharing ≥ 1 indicator, /24, registered domain or file with the intelligence",
        &|t| t.overlapping.to_string(),
    );
    line(
        &mut report,
        "… of which the truth is a knowledge-base actor",
        &|t| t.resolved_overlapping.to_string(),
    );
    line(&mut report, "top-1 correct (those cases)", &|t| {
        format!("{}/{}", t.top1, t.resolved_overlapping)
    });
    line(&mut report, "mean P(true actor) (those cases)", &|t| {
        if t.resolved_overlapping == 0 {
            "–".into()
        } else {
            format!(
                "{:.1}%",
                100.0 * t.p_true / t.resolved_overlapping as f64 + 0.0
            )
        }
    });
    line(&mut report, "weighed matches (all later events)", &|t| {
        t.matches_weighed.to_string()
    });
    line(
        &mut report,
        "… naming the true actor / another actor",
        &|t| format!("{} / {}", t.matches_right, t.matches_wrong),
    );
    line(&mut report, "precision of weighed matches", &|t| {
        if t.matches_weighed == 0 {
            "–".into()
        } else {
            format!(
                "{:.1}%",
                100.0 * t.matches_right as f64 / t.matches_weighed as f64
            )
        }
    });
    line(
        &mut report,
        "matches shown, not weighed (shared service, sinkhole, reference, no actor)",
        &|t| t.matches_none.to_string(),
    );
    line(
        &mut report,
        "infrastructure evidence items (resolved to KB actors)",
        &|t| t.items.to_string(),
    );
    line(
        &mut report,
        "… supporting the true actor / only others",
        &|t| format!("{} / {}", t.items_right, t.items_wrong),
    );
    line(&mut report, "precision of the evidence (items)", &|t| {
        if t.items == 0 {
            "–".into()
        } else {
            format!("{:.1}%", 100.0 * t.items_right as f64 / t.items as f64)
        }
    });
    line(
        &mut report,
        "log10-ratio on the true actor / on wrong actors",
        &|t| format!("{:.1} / {:.1}", t.weight_right, t.weight_wrong),
    );
    let _ = writeln!(report, "\n## Per case\n\nweights: summed log10 of the strongest ratio of each item, for the true actor / for others.\n\n| mode | event | date | truth | KB id | indicators | matches | weighed | weight true / wrong | leader | P(true) |\n|---|---|---|---|---|---:|---:|---:|---|---|---:|");
    report.push_str(&rows);
    // ---- supplementary: rolling origin (every event against all events
    // published before it), same knowledge base
    let mut rolling: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut grow = MemoryIntelStore::new();
    for e in &events {
        if !grow.is_empty() {
            for (mode, off) in [("discount on", false), ("discount off", true)] {
                score(e, &grow, &kb, off, rolling.entry(mode).or_default());
            }
        }
        grow.put_intel(&e.file, &e.records).expect("memory store");
    }
    let _ = writeln!(report, "\n## Supplementary: rolling origin\n\nEvery event as a case against all events published before it (not only those before the cut); same knowledge base. Not pre-registered like the split above: a second view of the same data.\n");
    let _ = writeln!(report, "| | discount on | discount off |\n|---|---:|---:|");
    let (ron, roff) = (&rolling["discount on"], &rolling["discount off"]);
    for (what, f) in [
        (
            "cases",
            Box::new(|t: &Tally| t.cases.to_string()) as Box<dyn Fn(&Tally) -> String>,
        ),
        (
            "cases sharing anything with the earlier events",
            Box::new(|t: &Tally| t.overlapping.to_string()),
        ),
        (
            "top-1 correct (truth in the KB)",
            Box::new(|t: &Tally| format!("{}/{}", t.top1, t.resolved_overlapping)),
        ),
        (
            "mean P(true actor)",
            Box::new(|t: &Tally| {
                if t.resolved_overlapping == 0 {
                    "–".into()
                } else {
                    format!(
                        "{:.1}%",
                        100.0 * t.p_true / t.resolved_overlapping as f64 + 0.0
                    )
                }
            }),
        ),
        (
            "weighed matches: true actor / another",
            Box::new(|t: &Tally| format!("{} / {}", t.matches_right, t.matches_wrong)),
        ),
        (
            "matches shown, not weighed",
            Box::new(|t: &Tally| t.matches_none.to_string()),
        ),
        (
            "evidence items: true actor / only others",
            Box::new(|t: &Tally| format!("{} / {}", t.items_right, t.items_wrong)),
        ),
        (
            "precision of the evidence (items)",
            Box::new(|t: &Tally| {
                if t.items == 0 {
                    "–".into()
                } else {
                    format!("{:.1}%", 100.0 * t.items_right as f64 / t.items as f64)
                }
            }),
        ),
        (
            "log10-ratio on the true actor / on wrong actors",
            Box::new(|t: &Tally| format!("{:.1} / {:.1}", t.weight_right, t.weight_wrong)),
        ),
    ] {
        let _ = writeln!(report, "| {what} | {} | {} |", f(ron), f(roff));
    }
    std::fs::write(out_dir.join("results.md"), &report).expect("write results.md");
    std::fs::write(
        out_dir.join("results.json"),
        serde_json::to_string_pretty(&serde_json::json!({
            "cut": cut, "events": events.len(), "intel_events": intel_events,
            "unreadable": unreadable, "cases": json_cases,
        }))
        .unwrap(),
    )
    .expect("write results.json");
    print!("{report}");
}
