//! The knowledge base built from `../shared/data` must give every ATT&CK
//! group of `tests/data/attributed-states.csv` (written from public
//! government and vendor statements) the state publicly held responsible,
//! from its own sources and rules.

use ascribe_kb::{import, KnowledgeBase};
use std::path::PathBuf;

struct Row {
    attack_id: String,
    name: String,
    state: String,
    source: String,
}

fn fixture() -> Vec<Row> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/attributed-states.csv");
    let text = std::fs::read_to_string(&p).unwrap();
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("attack_id,") {
            continue;
        }
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(
            f.len(),
            6,
            "{}:{}: expected 6 fields: {line}",
            p.display(),
            n + 1
        );
        assert!(
            f[0].starts_with('G') && (f[2].len() == 2 || f[2] == "none"),
            "line {}: {line}",
            n + 1
        );
        assert!(
            !f[3].trim().is_empty(),
            "line {}: every row names its source",
            n + 1
        );
        assert!(f[4].parse::<u16>().is_ok(), "line {}: year", n + 1);
        rows.push(Row {
            attack_id: f[0].into(),
            name: f[1].into(),
            state: f[2].into(),
            source: f[3].into(),
        });
    }
    rows
}

fn kb() -> KnowledgeBase {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let facts = import::import_default_set(&d, &ascribe_kb::default_data_files()).unwrap();
    KnowledgeBase::build(&facts)
}

#[test]
fn every_publicly_attributed_group_has_its_state() {
    let rows = fixture();
    let states = rows.iter().filter(|r| r.state != "none").count();
    assert!(
        states >= 60,
        "the fixture needs at least 60 state-attributed groups"
    );
    let mut ids: Vec<&str> = rows.iter().map(|r| r.attack_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), rows.len(), "a group is listed twice");
    let kb = kb();
    let mut wrong = Vec::new();
    for r in &rows {
        let Some(i) = kb.actor_by_id(&r.attack_id) else {
            wrong.push(format!("{} {}: not in the KB", r.attack_id, r.name));
            continue;
        };
        let a = &kb.actors[i];
        let want = (r.state != "none").then_some(r.state.as_str());
        if a.state.as_deref() != want {
            wrong.push(format!(
                "{} {}: KB state {:?} (country {:?}, basis {:?}), public attribution {} ({})",
                r.attack_id, a.name, a.state, a.country, a.state_basis, r.state, r.source
            ));
        }
        if a.state.is_some() {
            assert_eq!(
                a.country, a.state,
                "{}: country and state disagree",
                r.attack_id
            );
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} groups disagree with the public record:\n{}",
        wrong.len(),
        rows.len(),
        wrong.join("\n")
    );
}

#[test]
fn merges_sources_and_state_organisations() {
    let kb = kb();
    let actor = |n: &str| match kb.resolve_actor(n) {
        ascribe_kb::Resolution::Found { index, .. } => &kb.actors[index],
        other => panic!("{n}: {other:?}"),
    };
    // IRIDIUM (an Iranian MISP cluster sharing Microsoft's old name for
    // Sandworm) is not merged into Sandworm, and the rejection is listed.
    let sw = actor("Sandworm Team");
    assert_eq!(sw.state.as_deref(), Some("RU"));
    assert!(!sw.aliases.iter().any(|a| a == "IRIDIUM") || sw.attack_id.is_some());
    let st = kb.stats();
    assert!(st
        .conflicts
        .iter()
        .any(|c| c.actor == "G0034" && c.merges_rejected.iter().any(|m| m.contains("IRIDIUM"))));
    assert_eq!(actor("Turla").state.as_deref(), Some("RU"));
    // a financially motivated group has a country but no state
    assert_eq!(actor("FIN7").state, None);
    // state organisations
    let gru = kb.resolve_state_org("the GRU").expect("GRU");
    assert_eq!(gru.country, "RU");
    let ids: Vec<&str> = gru
        .actors
        .iter()
        .map(|&i| kb.actors[i].id.as_str())
        .collect();
    for g in ["G0007", "G0034"] {
        assert!(ids.contains(&g), "GRU groups {ids:?}");
    }
    for (n, c, g) in [
        ("Unit 74455", "RU", "G0034"),
        ("Unit 26165", "RU", "G0007"),
        ("SVR", "RU", "G0016"),
        ("FSB", "RU", "G0010"),
        ("MSS", "CN", "G0045"),
        ("RGB", "KP", "G0032"),
        ("Reconnaissance General Bureau", "KP", "G0082"),
        ("MOIS", "IR", "G0069"),
        ("IRGC", "IR", "G0122"),
        ("PLA Unit 61398", "CN", "G0006"),
    ] {
        let o = kb.resolve_state_org(n).unwrap_or_else(|| panic!("{n}"));
        assert_eq!(o.country, c, "{n}");
        assert!(
            o.actors.iter().any(|&i| kb.actors[i].id == g),
            "{n}: {g} not among {:?}",
            o.actors
                .iter()
                .map(|&i| &kb.actors[i].id)
                .collect::<Vec<_>>()
        );
    }
    // an agency only the MISP cluster knows resolves too, without groups
    let m = kb.resolve_state_org("Mossad").expect("Mossad");
    assert_eq!(m.country, "IL");
    assert!(kb.resolve_state_org("Ministry of State Security").is_none());
    // families linked through MISP clusters and ESET events
    assert!(
        st.software_links_by_source
            .get("misp-event")
            .copied()
            .unwrap_or(0)
            >= 10
    );
    assert!(
        st.software_links_by_source
            .get("misp-galaxy:tool")
            .copied()
            .unwrap_or(0)
            >= 10
    );
    let laz = kb.actor_by_id("G0032").unwrap();
    let names: Vec<&str> = kb
        .actor_software(laz)
        .into_iter()
        .map(|s| kb.software[s].name.as_str())
        .collect();
    assert!(
        names.iter().any(|n| n.eq_ignore_ascii_case("NukeSped")),
        "{names:?}"
    );
    // victimology
    let a = actor("APT28");
    assert!(a.victim_countries.iter().any(|c| c == "US"));
    assert!(a.incident_types.iter().any(|c| c == "espionage"));
    assert!(a.target_categories.iter().all(|c| c == &c.to_lowercase()));
}

#[test]
fn the_two_broken_eset_files_are_reported() {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let (_, skipped) =
        import::import_default_set_reporting(&d, &["eset-malware-ioc/events"]).unwrap();
    assert_eq!(skipped.len(), 2, "{skipped:#?}");
    assert!(skipped
        .iter()
        .any(|s| s.contains("malicious_pypi_packages") && s.contains("invalid JSON")));
    assert!(skipped
        .iter()
        .any(|s| s.contains("rqz-dnsduvel_blocklist") && s.contains("unsupported")));
}

#[test]
fn uncited_cluster_links_never_touch_attack_software_and_tidal_adds_no_actor() {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let all = ascribe_kb::default_data_files();
    let without: Vec<&str> = all
        .iter()
        .copied()
        .filter(|f| !f.contains("tidal"))
        .collect();
    let base = KnowledgeBase::build(&import::import_default_set(&d, &without).unwrap());
    let kb = KnowledgeBase::build(&import::import_default_set(&d, &all).unwrap());
    assert_eq!(kb.actors.len(), base.actors.len(), "Tidal groups only join");
    assert!(kb.stats().cluster_links_to_attack_software > 0);
    // every cluster-sourced link is to a family ATT&CK does not have
    for (a, _) in kb.actors.iter().enumerate() {
        for l in &kb.profile(a).software {
            if !l.citations.is_empty()
                && l.citations
                    .iter()
                    .all(|c| c.source_name.starts_with("MISP galaxy:"))
            {
                assert!(
                    !kb.software[l.index].id.starts_with('S'),
                    "{} → {}",
                    kb.actors[a].name,
                    kb.software[l.index].id
                );
            }
        }
    }
}
