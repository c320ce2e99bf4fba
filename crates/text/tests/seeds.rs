//! Claims, entities and techniques on the seed articles and the real ATT&CK / MISP vocabulary.

mod support;

use std::sync::OnceLock;

use ascribe_text::{
    extract, load_document, Claim, EntityKind, ExtractOptions, Extraction, SourceKind, Stance,
    Vocabulary,
};
use support::kb;

fn vocab() -> &'static Vocabulary {
    static V: OnceLock<Vocabulary> = OnceLock::new();
    V.get_or_init(kb::load_vocab)
}

fn seed(prefix: &str) -> Extraction {
    let dir = kb::seeds_dir();
    let path = std::fs::read_dir(&dir)
        .expect("seeds dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("seed {prefix}* missing in {}", dir.display()));
    let doc = load_document(&path).expect("load seed");
    extract(&doc, vocab(), &ExtractOptions::default())
}

fn find<'a>(
    x: &'a Extraction,
    source: Option<&str>,
    stance: Stance,
    target_id: &str,
) -> Option<&'a Claim> {
    x.claims.iter().find(|c| {
        c.stance == stance
            && c.source.as_ref().map(|s| s.name.as_str()) == source
            && c.target.ids.iter().any(|i| i == target_id)
    })
}

#[test]
fn fbi_attributes_to_north_korea() {
    let x = seed("002");
    let c = find(&x, Some("FBI"), Stance::Asserts, "KP").expect("FBI → North Korea");
    assert_eq!(c.source.as_ref().unwrap().kind, SourceKind::Government);
    assert!(c.sentence.contains("pointing the finger"));
    assert!(c.location.line > 1 && c.location.file.as_deref().unwrap().ends_with(".txt"));
    // "the hack that the FBI are pinning on North Korea"
    assert!(x.claims.iter().filter(|c| c.source.as_ref().is_some_and(|s| s.name == "FBI") && c.target.ids == ["KP"]).count() >= 2);
}

#[test]
fn us_government_state_sponsored_and_centrally_involved() {
    let x = seed("003");
    let c = find(&x, Some("US government"), Stance::Asserts, "KP")
        .expect("US government → North Korea");
    assert!(
        c.qualifiers.iter().any(|q| q == "state-sponsored"),
        "{:?}",
        c.qualifiers
    );
    assert!(c.hedges.iter().any(|h| h == "reported"));
    let x = seed("004");
    let c = find(&x, Some("US intelligence"), Stance::Asserts, "KP")
        .expect("US intelligence: centrally involved");
    assert!(c.qualifiers.iter().any(|q| q == "centrally involved"));
    assert_eq!(c.target.surface, "the country");
    assert_eq!(c.target.resolved.as_deref(), Some("North Korea"));
    let sp = x
        .claims
        .iter()
        .find(|c| c.qualifiers.iter().any(|q| q == "state-sponsored"))
        .expect("state-sponsored claim");
    assert_eq!(sp.source.as_ref().unwrap().name, "US government");
}

#[test]
fn north_korea_denies() {
    let x = seed("002");
    let c = find(&x, Some("North Korea"), Stance::Denies, "KP").expect("North Korea denies");
    assert_eq!(c.source.as_ref().unwrap().kind, SourceKind::Country);
    // "refusing to either confirm or deny" is not a denial
    let x0 = seed("000");
    assert!(
        x0.claims.iter().all(|c| c.stance != Stance::Denies),
        "{:#?}",
        x0.claims
    );
}

#[test]
fn unit_121_is_suspected_by_sony_and_fbi() {
    let x = seed("003");
    let lazarus_misp = "misp:68391641-859f-4a9a-9a1e-3e5cf71ec376";
    for src in ["FBI", "Sony"] {
        let c = find(&x, Some(src), Stance::Suspects, lazarus_misp)
            .unwrap_or_else(|| panic!("{src} suspects Unit 121: {:#?}", x.claims));
        assert_eq!(c.target.surface, "Unit 121");
        assert_eq!(c.target.kind, Some(EntityKind::Actor));
    }
    // and they concluded that Pyongyang is behind it
    assert!(find(&x, Some("Sony"), Stance::Asserts, "KP").is_some());
}

#[test]
fn analyst_doubts_with_alternatives() {
    let x = seed("004");
    let c = find(&x, Some("Ken Westin"), Stance::Doubts, "KP").expect("Westin doubts");
    let src = c.source.as_ref().unwrap();
    assert_eq!(src.kind, SourceKind::Person);
    assert!(
        src.role.as_deref().unwrap().contains("analyst at Tripwire"),
        "{src:?}"
    );
    assert!(
        c.alternatives.iter().any(|a| a.contains("sympathiser")),
        "{:?}",
        c.alternatives
    );
    assert!(c.alternatives.iter().any(|a| a == "false flag"));
    assert!(c.hedges.iter().any(|h| h == "unlikely"));
    // the White House spokesman would not say
    let e = find(&x, Some("Josh Earnest"), Stance::Doubts, "KP").expect("Earnest");
    assert_eq!(
        e.source.as_ref().unwrap().role.as_deref(),
        Some("White House spokesman")
    );
}

#[test]
fn guardians_of_peace_claims_responsibility() {
    let x = seed("002");
    let c = x
        .claims
        .iter()
        .find(|c| c.stance == Stance::ClaimsResponsibility)
        .expect("a responsibility claim");
    assert_eq!(c.target.surface, "Guardians of Peace");
    assert_eq!(c.source.as_ref().unwrap().kind, SourceKind::Group);
    // ATT&CK lists Guardians of Peace as an alias of Lazarus Group (G0032)
    assert!(
        c.target.ids.iter().any(|i| i == "G0032"),
        "{:?}",
        c.target.ids
    );
    // "no other credible group has claimed responsibility" is not a claim
    let x0 = seed("000");
    assert!(x0
        .claims
        .iter()
        .all(|c| c.stance != Stance::ClaimsResponsibility));
}

#[test]
fn seeds_have_no_indicators_and_name_countries() {
    for p in ["000", "002", "003", "004"] {
        let x = seed(p);
        assert!(x.indicators.is_empty(), "{p}: {:?}", x.indicators);
        assert!(x
            .entities
            .iter()
            .any(|e| e.kind == EntityKind::Country && e.ids == ["KP"]));
        assert!(
            x.techniques.is_empty(),
            "{p}: {:?}",
            x.techniques.iter().map(|t| &t.surface).collect::<Vec<_>>()
        );
    }
}

#[test]
fn real_vocabulary_maps_aliases_and_revoked_ids() {
    use ascribe_text::Document;
    let doc = Document::from_text(
        Some("t.txt"),
        "APT28 (aka Fancy Bear, Sofacy) used Mimikatz and T1086 via spearphishing links. fancy bear is also Sednit.",
    );
    let x = extract(&doc, vocab(), &ExtractOptions::default());
    let ids = |surface: &str| {
        x.entities
            .iter()
            .find(|e| e.surface == surface)
            .map(|e| e.ids.clone())
            .unwrap_or_default()
    };
    assert!(ids("APT28").iter().any(|i| i == "G0007"));
    assert!(ids("Fancy Bear").iter().any(|i| i == "G0007"));
    assert!(
        ids("fancy bear").iter().any(|i| i == "G0007"),
        "multi-word aliases are case-insensitive"
    );
    assert!(ids("Mimikatz").iter().any(|i| i == "S0002"));
    // APT28 is in ATT&CK and MISP: several ids for one surface form
    let apt28 = x.entities.iter().find(|e| e.surface == "APT28").unwrap();
    assert!(apt28.ambiguous && apt28.ids.len() >= 2);
    let t = x
        .techniques
        .iter()
        .find(|t| t.surface == "T1086")
        .expect("T1086");
    assert_eq!(t.revoked_id.as_deref(), Some("T1086"));
    assert_eq!(t.attack_id, "T1059.001");
}
