//! Entity hygiene: one mention, one kind; generic words and link addresses
//! are not mentions; detection names give their family; primary names win.

mod support;

use std::sync::OnceLock;

use ascribe_text::{extract, Document, EntityKind, ExtractOptions, Extraction, Vocabulary};

fn real() -> &'static Vocabulary {
    static V: OnceLock<Vocabulary> = OnceLock::new();
    V.get_or_init(support::kb::load_vocab)
}

fn small() -> Vocabulary {
    let mut v = Vocabulary::new();
    v.add_actor("G0049", "OilRig");
    v.add_software("fam:oilrig", "OilRig");
    v.add_software("fam:global", "Global");
    v.add_software("fam:payload", "Payload");
    v.add_software("S0367", "Emotet");
    v.add_actor_primary("G0082", "APT38");
    v.add_actor("G0032", "APT38");
    v.add_actor_primary("G0032", "Lazarus Group");
    v.add_actor("G0007", "APT28");
    v.add_technique("T1059.001", "PowerShell");
    v.add_default_countries();
    v
}

fn run(v: &Vocabulary, text: &str) -> Extraction {
    extract(
        &Document::from_text(None, text),
        v,
        &ExtractOptions::default(),
    )
}

#[test]
fn one_mention_one_kind_by_context() {
    let v = small();
    let x = run(&v, "The OilRig group targeted banks.");
    assert_eq!(x.entities.len(), 1, "{:#?}", x.entities);
    assert_eq!(x.entities[0].kind, EntityKind::Actor);
    assert!(!x.entities[0].ambiguous);
    let x = run(&v, "The OilRig malware sample beacons hourly.");
    assert_eq!(x.entities.len(), 1, "{:#?}", x.entities);
    assert_eq!(x.entities[0].kind, EntityKind::Software);
    // no context: one mention, and it says what else it may be
    let x = run(&v, "OilRig again.");
    assert_eq!(x.entities.len(), 1, "{:#?}", x.entities);
    assert!(x.entities[0].ambiguous);
    assert_eq!(
        x.entities[0].also,
        vec![(EntityKind::Software, vec!["fam:oilrig".to_string()])]
    );
}

#[test]
fn generic_words_are_not_families() {
    let v = small();
    let x = run(
        &v,
        "The mutex Global\\AppCompatCacheObject is created.\n\n| Payload | Family |\n|---|---|\n| a.dll | Emotet |\n",
    );
    let fams: Vec<&str> = x.entities.iter().map(|e| e.surface.as_str()).collect();
    assert_eq!(fams, vec!["Emotet"], "{:#?}", x.entities);
}

#[test]
fn link_addresses_name_nothing() {
    let v = small();
    let x = run(
        &v,
        "Read https://example.com/blog/apt28-russia-china-oilrig-powershell now.",
    );
    assert!(x.entities.is_empty(), "{:#?}", x.entities);
    assert!(x.techniques.is_empty(), "{:#?}", x.techniques);
}

#[test]
fn primary_name_wins_over_alias() {
    let v = small();
    let x = run(&v, "APT38 stole the funds.");
    assert_eq!(x.entities[0].ids, vec!["G0082".to_string()]);
    assert!(!x.entities[0].ambiguous);
}

#[test]
fn detection_names_give_their_family_not_a_technique() {
    let x = run(
        real(),
        "ESET detects the script as PowerShell/Pterodo.GE and the payload as Win32/Industroyer.A.",
    );
    assert!(
        x.techniques.iter().all(|t| t.attack_id != "T1059.001"),
        "{:#?}",
        x.techniques
    );
    let fams: Vec<(&str, &str, Vec<String>)> = x
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Software)
        .map(|e| {
            (
                e.surface.as_str(),
                e.detection.as_deref().unwrap_or(""),
                e.ids.clone(),
            )
        })
        .collect();
    assert_eq!(fams.len(), 2, "{fams:#?}");
    assert_eq!(fams[0].0, "Pterodo");
    assert_eq!(fams[0].1, "PowerShell/Pterodo.GE");
    assert!(fams[0].2.iter().any(|i| i == "S0147"), "{fams:#?}");
    assert_eq!(fams[1].1, "Win32/Industroyer.A");
}

#[test]
fn a_rootkit_word_makes_an_ambiguous_name_software() {
    // wave 9 (claims22): "the Uroburos rootkit" (an actor alias and a family)
    let mut v = Vocabulary::new();
    v.add_actor("G0010", "Uroburos");
    v.add_software("S0022", "Uroburos");
    let x = extract(
        &Document::from_text(None, "This case is linked to the Uroburos rootkit."),
        &v,
        &ExtractOptions::default(),
    );
    assert!(
        x.entities
            .iter()
            .any(|e| e.surface == "Uroburos" && e.kind == EntityKind::Software),
        "{:#?}",
        x.entities
    );
}
