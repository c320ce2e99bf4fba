//! State organisations named in attributions: intelligence services and
//! their units ("the GRU", "Unit 74455", "MSS", "RGB", "MOIS", "PLA Unit
//! 61398").
//!
//! The table holds facts from public record only — the organisation, its
//! state (ISO-2), its parent and the names it is called by in government
//! statements and vendor reports. Which *groups* are tied to an organisation
//! is not in this table: it comes from the sources (an ATT&CK or MISP
//! description that names the organisation, see [`mentions`]), so the table
//! is a vocabulary, not an attribution. Services that publish advisories
//! themselves (NSA, NCSC, FBI, …) are left out on purpose: descriptions name
//! them as the *source* of an attribution, not as its subject. The MISP `intelligence-agency`
//! cluster adds every other agency by country (see `import.rs`).

use ascribe_core::normalize_name;

/// One organisation of the built-in vocabulary.
#[derive(Debug, Clone, Copy)]
pub struct OrgDef {
    /// Stable key, used as the relation target `state-org:<key>`.
    pub key: &'static str,
    /// Display name.
    pub name: &'static str,
    /// ISO-2 of the state.
    pub country: &'static str,
    /// The organisation this one is part of (a unit of a service).
    pub parent: Option<&'static str>,
    /// Names used for it. All-capital names of up to five letters are
    /// matched case-sensitively in text (acronyms), others ignoring case.
    pub names: &'static [&'static str],
}

/// The built-in organisations.
pub const ORGS: &[OrgDef] = &[
    OrgDef {
        key: "ru-gru",
        name: "GRU (Main Intelligence Directorate of the General Staff)",
        country: "RU",
        parent: None,
        names: &[
            "GRU",
            "Main Intelligence Directorate",
            "General Staff Main Intelligence Directorate",
            "Main Directorate of the General Staff",
            "Russian military intelligence",
        ],
    },
    OrgDef {
        key: "ru-gru-26165",
        name: "GRU Unit 26165 (85th Main Special Service Centre)",
        country: "RU",
        parent: Some("ru-gru"),
        names: &[
            "Unit 26165",
            "military unit 26165",
            "85th Main Special Service Center",
            "85th GTsSS",
        ],
    },
    OrgDef {
        key: "ru-gru-74455",
        name: "GRU Unit 74455 (Main Centre for Special Technologies)",
        country: "RU",
        parent: Some("ru-gru"),
        names: &[
            "Unit 74455",
            "military unit 74455",
            "Main Center for Special Technologies",
            "GTsST",
        ],
    },
    OrgDef {
        key: "ru-gru-29155",
        name: "GRU Unit 29155",
        country: "RU",
        parent: Some("ru-gru"),
        names: &["Unit 29155", "military unit 29155"],
    },
    OrgDef {
        key: "ru-svr",
        name: "SVR (Foreign Intelligence Service of the Russian Federation)",
        country: "RU",
        parent: None,
        names: &[
            "SVR",
            "SVR RF",
            "Russian Foreign Intelligence Service",
            "Foreign Intelligence Service of the Russian Federation",
        ],
    },
    OrgDef {
        key: "ru-fsb",
        name: "FSB (Federal Security Service of the Russian Federation)",
        country: "RU",
        parent: None,
        names: &[
            "FSB",
            "Federal Security Service",
            "Russian Federal Security Service",
        ],
    },
    OrgDef {
        key: "ru-fsb-16",
        name: "FSB Centre 16",
        country: "RU",
        parent: Some("ru-fsb"),
        names: &[
            "Center 16",
            "Centre 16",
            "FSB Center 16",
            "military unit 71330",
        ],
    },
    OrgDef {
        key: "ru-fsb-18",
        name: "FSB Centre 18",
        country: "RU",
        parent: Some("ru-fsb"),
        names: &["Center 18", "Centre 18", "FSB Center 18"],
    },
    OrgDef {
        key: "ru-tsniikhm",
        name: "TsNIIKhM (Central Scientific Research Institute of Chemistry and Mechanics)",
        country: "RU",
        parent: None,
        names: &[
            "TsNIIKhM",
            "Central Scientific Research Institute of Chemistry and Mechanics",
        ],
    },
    OrgDef {
        key: "cn-mss",
        name: "MSS (Ministry of State Security of the People's Republic of China)",
        country: "CN",
        parent: None,
        names: &[
            "MSS",
            "Ministry of State Security",
            "Chinese Ministry of State Security",
        ],
    },
    OrgDef {
        key: "cn-mss-tianjin",
        name: "Tianjin State Security Bureau (MSS)",
        country: "CN",
        parent: Some("cn-mss"),
        names: &["Tianjin State Security Bureau"],
    },
    OrgDef {
        key: "cn-mss-hainan",
        name: "Hainan State Security Department (MSS)",
        country: "CN",
        parent: Some("cn-mss"),
        names: &["Hainan State Security Department"],
    },
    OrgDef {
        key: "cn-mss-guangdong",
        name: "Guangdong State Security Department (MSS)",
        country: "CN",
        parent: Some("cn-mss"),
        names: &["Guangdong State Security Department"],
    },
    OrgDef {
        key: "cn-mss-hubei",
        name: "Hubei State Security Department (MSS)",
        country: "CN",
        parent: Some("cn-mss"),
        names: &["Hubei State Security Department"],
    },
    OrgDef {
        key: "cn-pla",
        name: "People's Liberation Army",
        country: "CN",
        parent: None,
        names: &[
            "PLA",
            "People's Liberation Army",
            "Chinese People's Liberation Army",
        ],
    },
    OrgDef {
        key: "cn-pla-ssf",
        name: "PLA Strategic Support Force",
        country: "CN",
        parent: Some("cn-pla"),
        names: &[
            "Strategic Support Force",
            "PLA Strategic Support Force",
            "PLASSF",
        ],
    },
    OrgDef {
        key: "cn-pla-61398",
        name: "PLA Unit 61398",
        country: "CN",
        parent: Some("cn-pla"),
        names: &["Unit 61398", "PLA Unit 61398"],
    },
    OrgDef {
        key: "cn-pla-61486",
        name: "PLA Unit 61486",
        country: "CN",
        parent: Some("cn-pla"),
        names: &["Unit 61486", "PLA Unit 61486"],
    },
    OrgDef {
        key: "cn-pla-78020",
        name: "PLA Unit 78020",
        country: "CN",
        parent: Some("cn-pla"),
        names: &["Unit 78020", "PLA Unit 78020"],
    },
    OrgDef {
        key: "cn-pla-65017",
        name: "PLA Unit 65017",
        country: "CN",
        parent: Some("cn-pla"),
        names: &["Unit 65017", "PLA Unit 65017"],
    },
    OrgDef {
        key: "kp-rgb",
        name: "RGB (Reconnaissance General Bureau)",
        country: "KP",
        parent: None,
        names: &[
            "RGB",
            "Reconnaissance General Bureau",
            "General Reconnaissance Bureau",
        ],
    },
    OrgDef {
        key: "kp-rgb-121",
        name: "Bureau 121 (RGB)",
        country: "KP",
        parent: Some("kp-rgb"),
        names: &["Bureau 121", "Unit 121"],
    },
    OrgDef {
        key: "kp-mss",
        name: "Ministry of State Security (North Korea)",
        country: "KP",
        parent: None,
        names: &[
            "Ministry of State Security",
            "North Korean Ministry of State Security",
        ],
    },
    OrgDef {
        key: "ir-mois",
        name: "MOIS (Ministry of Intelligence and Security)",
        country: "IR",
        parent: None,
        names: &[
            "MOIS",
            "VAJA",
            "Ministry of Intelligence and Security",
            "Ministry of Intelligence",
            "Iranian Ministry of Intelligence",
        ],
    },
    OrgDef {
        key: "ir-irgc",
        name: "IRGC (Islamic Revolutionary Guard Corps)",
        country: "IR",
        parent: None,
        names: &[
            "IRGC",
            "Islamic Revolutionary Guard Corps",
            "Iranian Revolutionary Guard Corps",
            "Revolutionary Guard Corps",
            "Revolutionary Guard",
            "Revolutionary Guards",
            "Army of the Guardians of the Islamic Revolution",
        ],
    },
    OrgDef {
        key: "ir-irgc-io",
        name: "IRGC Intelligence Organization",
        country: "IR",
        parent: Some("ir-irgc"),
        names: &[
            "IRGC-IO",
            "IRGC Intelligence Organization",
            "Intelligence Organization of IRGC",
        ],
    },
    OrgDef {
        key: "ir-irgc-cec",
        name: "IRGC Cyber-Electronic Command",
        country: "IR",
        parent: Some("ir-irgc"),
        names: &[
            "IRGC-CEC",
            "IRGC Cyber-Electronic Command",
            "Cyber-Electronic Command",
        ],
    },
    OrgDef {
        key: "lb-gdgs",
        name: "General Directorate of General Security (Lebanon)",
        country: "LB",
        parent: None,
        names: &["General Directorate of General Security", "GDGS"],
    },
    OrgDef {
        key: "pk-isi",
        name: "ISI (Inter-Services Intelligence)",
        country: "PK",
        parent: None,
        names: &["ISI", "Inter-Services Intelligence"],
    },
    OrgDef {
        key: "in-raw",
        name: "R&AW (Research and Analysis Wing)",
        country: "IN",
        parent: None,
        names: &["R&AW", "Research and Analysis Wing"],
    },
];

/// The relation target id of an organisation: `state-org:<key>`.
pub fn org_id(key: &str) -> String {
    format!("state-org:{key}")
}

/// The organisation with this key.
pub fn by_key(key: &str) -> Option<&'static OrgDef> {
    ORGS.iter().find(|o| o.key == key)
}

fn is_acronym(n: &str) -> bool {
    n.chars().count() <= 5
        && n.chars().any(|c| c.is_ascii_uppercase())
        && !n.chars().any(|c| c.is_ascii_lowercase())
}

fn boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(|c| c.is_alphanumeric()) && !after.is_some_and(|c| c.is_alphanumeric())
}

fn occurs(text: &str, lower: &str, name: &str) -> bool {
    let (hay, needle) = if is_acronym(name) {
        (text, name.to_string())
    } else {
        (lower, name.to_lowercase())
    };
    if needle.is_empty() || hay.len() != text.len() {
        // lower-casing changed byte offsets (rare scripts): fall back to
        // the case-sensitive search, which keeps offsets valid
        return text
            .match_indices(name)
            .any(|(i, m)| boundary(text, i, i + m.len()));
    }
    hay.match_indices(&needle)
        .any(|(i, m)| boundary(text, i, i + m.len()))
}

/// The organisations a text names, by key. A name several organisations
/// share ("Ministry of State Security": China's and North Korea's) counts
/// only for the one of `country` (the describing source's own country for
/// the actor), and not at all when that does not decide. A unit's mention
/// stands for the unit only (its parent follows from the table).
pub fn mentions(text: &str, country: Option<&str>) -> Vec<&'static str> {
    let lower = text.to_lowercase();
    let mut out: Vec<&'static str> = Vec::new();
    for o in ORGS {
        for n in o.names {
            if !occurs(text, &lower, n) {
                continue;
            }
            let key = normalize_name(n);
            let owners: Vec<&OrgDef> = ORGS
                .iter()
                .filter(|x| x.names.iter().any(|m| normalize_name(m) == key))
                .collect();
            let chosen = if owners.len() == 1 {
                Some(o.key)
            } else {
                let same: Vec<&&OrgDef> = owners
                    .iter()
                    .filter(|x| country.is_some_and(|c| c.eq_ignore_ascii_case(x.country)))
                    .collect();
                (same.len() == 1 && same[0].key == o.key).then_some(o.key)
            };
            if let Some(k) = chosen {
                if !out.contains(&k) {
                    out.push(k);
                }
            }
        }
    }
    // A unit named together with its parent: keep both (both are facts).
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_services_and_units_with_word_boundaries() {
        let t = "attributed to Russia's General Staff Main Intelligence Directorate (GRU) Main Center for Special Technologies (GTsST) military unit 74455";
        let m = mentions(t, None);
        assert!(m.contains(&"ru-gru"), "{m:?}");
        assert!(m.contains(&"ru-gru-74455"), "{m:?}");
        // acronyms are case-sensitive and need word boundaries
        assert!(mentions("a grumpy pla in the msS", None).is_empty());
        assert!(mentions("PLAN of attack", None).is_empty());
        assert_eq!(mentions("Unit 42 researchers", None), Vec::<&str>::new());
    }

    #[test]
    fn shared_names_need_the_country() {
        let t = "working for the Ministry of State Security";
        assert!(mentions(t, None).is_empty());
        assert_eq!(mentions(t, Some("KP")), vec!["kp-mss"]);
        assert_eq!(mentions(t, Some("CN")), vec!["cn-mss"]);
        assert_eq!(mentions("the MSS", None), vec!["cn-mss"]);
    }

    #[test]
    fn every_parent_exists_and_keys_are_unique() {
        for o in ORGS {
            if let Some(p) = o.parent {
                assert!(by_key(p).is_some(), "{} has unknown parent {p}", o.key);
            }
            assert_eq!(ORGS.iter().filter(|x| x.key == o.key).count(), 1);
            assert!(crate::countries::find_country(o.country).is_some());
        }
    }
}
