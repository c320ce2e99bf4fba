//! Victimology: the case's victim (country, sector, type of incident)
//! against the victims and targets the knowledge base knows for each actor
//! (MISP `cfr-suspected-victims`, `cfr-target-category`,
//! `cfr-type-of-incident`).
//!
//! For one dimension (say the victim's country `X`), an actor with a list
//! `L_a` of known values is modelled as choosing its victims from its list
//! with weight `w_a = |L_a| / (|L_a| + α)` (a longer list is a better
//! description of the actor) and like an average actor otherwise; within
//! its list it prefers values as often as all actors do (`p(c)`, the share
//! of value `c` among all actors' listed values):
//!
//! ```text
//! P(X | a)       = w_a · Σ_{c ∈ L_a, c ~ X} p(c) / Σ_{c ∈ L_a} p(c) + (1 − w_a) · π_X
//! P(X | unknown) = π_X      (the share of values matching X, smoothed)
//! LR_a           = P(X | a) / π_X
//! ```
//!
//! so a listed country always favours the actor (`LR = w_a / Σ p + 1 − w_a`)
//! and an unlisted one disfavours it (`LR = 1 − w_a`), more for actors
//! whose lists are long.
//!
//! `α` ([`ALPHA`]) is a pseudo-count fixed a priori (not fitted): known
//! victim lists are incomplete, so an actor whose list lacks the victim's
//! country is disfavoured, not excluded. Actors without data in a dimension
//! get no ratio (1). The victim is the attacker's own choice: a forger who
//! imitates an actor must also pick that actor's kind of victim, so the
//! forge cost is moderate; the lists are vendor-compiled and coarse, so the
//! reliability is modest; the dimensions share one dependence key (the same
//! targeting decision seen three ways).

use ascribe_core::{ActorSupport, Evidence, EvidenceKind, ForgeCost, Victim};
use ascribe_kb::countries::find_country;
use ascribe_kb::{Actor, KnowledgeBase};

/// Pseudo-count of the list weight `w_a = |L_a| / (|L_a| + α)`.
pub const ALPHA: f64 = 10.0;
/// Reliability of a victimology item.
pub const RELIABILITY: f64 = 0.6;
/// Correlation between the victimology items of one case.
pub const RHO: f64 = 0.6;

/// Whether two sector or incident words denote the same thing: a shared
/// word of at least four letters, compared on its first five letters
/// ("finance" ~ "financial", "telecoms" ~ "telecommunications").
pub fn same_category(a: &str, b: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 4)
            .map(|w| w.chars().take(5).collect())
            .collect()
    };
    let wa = words(a);
    words(b).iter().any(|w| wa.contains(w))
}

/// One dimension: the case's value and how to read the actors' lists.
struct Dimension<'a> {
    label: &'static str,
    shown: String,
    list: fn(&Actor) -> &[String],
    matches: Box<dyn Fn(&str) -> bool + 'a>,
}

/// Per actor with data: (actor, likelihood ratio, the value is in its list).
type Row = (usize, f64, bool);

/// The ratio of every actor with data in the dimension, and π.
fn ratios(kb: &KnowledgeBase, d: &Dimension) -> Option<(Vec<Row>, f64)> {
    // how often each listed value occurs over all actors
    let mut count: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut total = 0usize;
    let mut hits = 0usize;
    for a in &kb.actors {
        for v in (d.list)(a) {
            *count.entry(v.to_lowercase()).or_default() += 1;
            total += 1;
            if (d.matches)(v) {
                hits += 1;
            }
        }
    }
    if total == 0 {
        return None;
    }
    // smoothed base rate: one pseudo-observation of the value
    let pi = (hits as f64 + 1.0) / (total as f64 + 1.0);
    let share =
        |v: &String| count.get(&v.to_lowercase()).copied().unwrap_or(1) as f64 / total as f64;
    let mut out = Vec::new();
    for (i, a) in kb.actors.iter().enumerate() {
        let l = (d.list)(a);
        if l.is_empty() {
            continue;
        }
        let n = l.len() as f64;
        let w = n / (n + ALPHA);
        let all: f64 = l.iter().map(share).sum();
        let matching: f64 = l.iter().filter(|v| (d.matches)(v)).map(share).sum();
        let p = w * (matching / all) + (1.0 - w) * pi;
        out.push((i, p / pi, matching > 0.0));
    }
    Some((out, pi))
}

/// Victimology evidence for a case's victim and type of incident: one item
/// per dimension the case gives and the knowledge base has data for. Ids
/// are left empty (the caller numbers them).
pub fn evidence(kb: &KnowledgeBase, victim: &Victim, incident: Option<&str>) -> Vec<Evidence> {
    let mut dims: Vec<Dimension> = Vec::new();
    if let Some(c) = victim.country.as_deref().and_then(find_country) {
        let iso = c.iso2;
        dims.push(Dimension {
            label: "country",
            shown: format!("{} ({iso})", c.name),
            list: |a| &a.victim_countries,
            matches: Box::new(move |v: &str| v.eq_ignore_ascii_case(iso)),
        });
    }
    if let Some(s) = victim.sector.as_deref().filter(|s| !s.trim().is_empty()) {
        let s = s.trim().to_string();
        let m = s.clone();
        dims.push(Dimension {
            label: "sector",
            shown: s,
            list: |a| &a.target_categories,
            matches: Box::new(move |v: &str| same_category(&m, v)),
        });
    }
    if let Some(t) = incident.filter(|s| !s.trim().is_empty()) {
        let t = t.trim().to_lowercase();
        let m = t.clone();
        dims.push(Dimension {
            label: "type of incident",
            shown: t,
            list: |a| &a.incident_types,
            matches: Box::new(move |v: &str| same_category(&m, v)),
        });
    }
    let mut out = Vec::new();
    for d in &dims {
        let Some((rows, pi)) = ratios(kb, d) else {
            continue;
        };
        if rows.is_empty() {
            continue;
        }
        let known = rows.iter().filter(|r| r.2).count();
        let support = rows
            .iter()
            .map(|&(i, lr, hit)| ActorSupport {
                actor: kb.actors[i].id.clone(),
                lr,
                why: format!(
                    "{} {} among the {} {} known for {}",
                    d.shown,
                    if hit { "is" } else { "is not" },
                    (d.list)(&kb.actors[i]).len(),
                    match d.label {
                        "country" => "victim countries",
                        "sector" => "target sectors",
                        _ => "incident types",
                    },
                    kb.actors[i].name
                ),
            })
            .collect();
        out.push(Evidence {
            id: String::new(),
            observation: "victim".into(),
            kind: EvidenceKind::Victimology,
            summary: format!("Victim {}: {}", d.label, d.shown),
            source: "the case's [victim]".into(),
            forge_cost: ForgeCost::Moderate,
            forge_rationale: "the victim is the attacker's own choice: imitating an actor means also choosing its kind of victim, which constrains the operation".into(),
            reliability: RELIABILITY,
            dependence: "victimology".into(),
            rho: RHO,
            fingerprint: format!("victimology|{}|{}", d.label, d.shown.to_lowercase()),
            support,
            default_lr: 1.0,
            false_flag_lr: 1.0,
            false_flag_targets: Vec::new(),
            notes: vec![format!(
                "{known} of {} actors with {} data list it; base rate {:.3} (MISP galaxy cfr-* meta, smoothed with α = {ALPHA})",
                rows.len(),
                d.label,
                pi
            )],
        });
    }
    out
}

/// `items` followed by the victimology evidence of the case, numbered on.
pub fn with_victimology(
    mut items: Vec<Evidence>,
    kb: &KnowledgeBase,
    victim: &Victim,
    incident: Option<&str>,
) -> Vec<Evidence> {
    let n = items.len();
    for (i, mut e) in evidence(kb, victim, incident).into_iter().enumerate() {
        e.id = format!("E{}", n + i + 1);
        items.push(e);
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use ascribe_core::{Entity, EntityKind, KbFacts};

    fn kb() -> KnowledgeBase {
        let mut f = KbFacts::default();
        let mut a = Entity::new(
            "u-a",
            EntityKind::MispActor,
            "misp-galaxy:threat-actor",
            "Alpha",
        );
        a.victims = vec!["South Korea".into(), "United States".into()];
        a.target_categories = vec!["Financial".into(), "Media and Entertainment".into()];
        a.incident_types = vec!["Sabotage".into()];
        let mut b = Entity::new(
            "u-b",
            EntityKind::MispActor,
            "misp-galaxy:threat-actor",
            "Bravo",
        );
        b.victims = vec!["Germany".into(), "France".into(), "United States".into()];
        b.target_categories = vec!["Government".into()];
        b.incident_types = vec!["Espionage".into()];
        let c = Entity::new(
            "u-c",
            EntityKind::MispActor,
            "misp-galaxy:threat-actor",
            "Charlie",
        );
        let mut d = Entity::new(
            "u-d",
            EntityKind::MispActor,
            "misp-galaxy:threat-actor",
            "Delta",
        );
        d.victims = vec!["Japan".into(), "India".into(), "Israel".into()];
        d.target_categories = vec!["Energy".into(), "Defense".into(), "Education".into()];
        d.incident_types = vec!["Espionage".into(), "Denial of service".into()];
        f.entities = vec![a, b, c, d];
        KnowledgeBase::build(&f)
    }

    fn lr(e: &Evidence, name: &str, kb: &KnowledgeBase) -> Option<f64> {
        let i = kb
            .actors
            .iter()
            .position(|a| a.name == name)
            .expect("actor");
        e.support
            .iter()
            .find(|s| s.actor == kb.actors[i].id)
            .map(|s| s.lr)
    }

    #[test]
    fn victims_in_an_actors_list_favour_it_and_others_lose_a_little() {
        let kb = kb();
        let v = Victim {
            sector: Some("entertainment".into()),
            country: Some("KR".into()),
            ..Default::default()
        };
        let ev = evidence(&kb, &v, Some("sabotage"));
        assert_eq!(ev.len(), 3);
        for e in &ev {
            assert_eq!(e.kind, EvidenceKind::Victimology);
            assert_eq!(e.dependence, "victimology");
            assert_eq!(e.forge_cost, ForgeCost::Moderate);
            let a = lr(e, "Alpha", &kb).unwrap();
            let b = lr(e, "Bravo", &kb).unwrap();
            assert!(a > 1.0 && b < 1.0 && b > 0.3, "{}: {a} {b}", e.summary);
            // no data: no ratio
            assert!(lr(e, "Charlie", &kb).is_none());
        }
    }

    #[test]
    fn a_common_victim_country_says_little() {
        let kb = kb();
        let v = Victim {
            country: Some("United States".into()),
            ..Default::default()
        };
        let ev = evidence(&kb, &v, None);
        assert_eq!(ev.len(), 1);
        let a = lr(&ev[0], "Alpha", &kb).unwrap();
        let b = lr(&ev[0], "Bravo", &kb).unwrap();
        // both list it: both near 1 (the base rate is high)
        assert!(
            (0.7..1.5).contains(&a) && (0.7..1.5).contains(&b),
            "{a} {b}"
        );
    }

    #[test]
    fn nothing_known_gives_nothing() {
        let kb = kb();
        assert!(evidence(&kb, &Victim::default(), None).is_empty());
        let v = Victim {
            country: Some("Atlantis".into()),
            ..Default::default()
        };
        assert!(evidence(&kb, &v, None).is_empty());
        let numbered = with_victimology(
            vec![],
            &kb,
            &Victim {
                country: Some("KR".into()),
                ..Default::default()
            },
            None,
        );
        assert_eq!(numbered[0].id, "E1");
    }

    #[test]
    fn categories_match_on_word_stems() {
        assert!(same_category("finance", "Financial services"));
        assert!(same_category("telecoms", "Telecommunications"));
        assert!(!same_category("government", "energy"));
        assert!(!same_category("it", "retail"));
    }
}
