//! Names resolved against the embedded knowledge base the way `ascribe kb
//! actor` resolves them: a form that is one actor's primary name and another
//! actor's alias (APT38) names the former. The vocabulary is built as the CLI
//! builds it (`crates/cli/src/reports.rs`: primary names, then aliases).

use ascribe_kb::{embedded, KnowledgeBase, Resolution};
use ascribe_text::{extract, Document, EntityKind, ExtractOptions, Vocabulary};

fn kb() -> KnowledgeBase {
    KnowledgeBase::build(&embedded::default_facts().expect("embedded facts"))
}

fn vocab(kb: &KnowledgeBase, primary: bool) -> Vocabulary {
    let mut v = Vocabulary::new();
    for a in &kb.actors {
        if primary {
            v.add_actor_primary(&a.id, &a.name);
        }
        for name in &a.aliases {
            if ascribe_core::normalize_name(name).chars().count() >= 3 {
                v.add_actor(&a.id, name);
            }
        }
    }
    v
}

fn actor_ids(v: &Vocabulary, text: &str) -> Vec<String> {
    let x = extract(
        &Document::from_text(None, text),
        v,
        &ExtractOptions::default(),
    );
    x.entities
        .iter()
        .find(|e| e.kind == EntityKind::Actor)
        .map(|e| e.ids.clone())
        .unwrap_or_default()
}

#[test]
fn apt38_resolves_as_kb_actor_does() {
    let kb = kb();
    let Resolution::Found { index, .. } = kb.resolve_actor("APT38") else {
        panic!("kb actor APT38: {:?}", kb.resolve_actor("APT38"));
    };
    let id = kb.actors[index].id.clone();
    // the difference came from the vocabulary: every alias was equal, so the
    // alias "APT38" listed under another actor made the mention ambiguous
    let flat = actor_ids(&vocab(&kb, false), "APT38 stole the funds.");
    assert!(flat.len() > 1, "{flat:?}");
    assert_eq!(
        actor_ids(&vocab(&kb, true), "APT38 stole the funds."),
        vec![id]
    );
}
