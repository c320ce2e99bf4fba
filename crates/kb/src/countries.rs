//! Countries that appear in threat-intelligence attribution: ISO code, the
//! names and demonyms used in reports, standard UTC offsets and main
//! languages. These are public geographic facts.

use ascribe_core::normalize_name;

/// One country.
#[derive(Debug, Clone, Copy)]
pub struct Country {
    /// ISO 3166-1 alpha-2.
    pub iso2: &'static str,
    /// English name.
    pub name: &'static str,
    /// Other names, demonyms and capital-city metonyms used in reporting.
    pub names: &'static [&'static str],
    /// Standard UTC offsets in hours (no daylight saving).
    pub utc_offsets: &'static [f64],
    /// Main languages (English names).
    pub languages: &'static [&'static str],
}

macro_rules! c {
    ($iso:expr, $name:expr, [$($n:expr),*], [$($o:expr),*], [$($l:expr),*]) => {
        Country { iso2: $iso, name: $name, names: &[$($n),*], utc_offsets: &[$($o),*], languages: &[$($l),*] }
    };
}

/// The table.
pub static COUNTRIES: &[Country] = &[
    c!(
        "KP",
        "North Korea",
        [
            "DPRK",
            "Democratic People's Republic of Korea",
            "Korea (Democratic People's Republic of)",
            "North Korean",
            "Pyongyang"
        ],
        [9.0],
        ["Korean"]
    ),
    c!(
        "KR",
        "South Korea",
        [
            "Republic of Korea",
            "Korea (Republic of)",
            "South Korean",
            "Seoul"
        ],
        [9.0],
        ["Korean"]
    ),
    c!(
        "CN",
        "China",
        ["People's Republic of China", "PRC", "Chinese", "Beijing"],
        [8.0],
        ["Chinese"]
    ),
    c!("TW", "Taiwan", ["Taiwanese", "Taipei"], [8.0], ["Chinese"]),
    c!("HK", "Hong Kong", [], [8.0], ["Chinese", "English"]),
    c!(
        "RU",
        "Russia",
        ["Russian Federation", "Russian", "Moscow", "Kremlin"],
        [3.0, 2.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0],
        ["Russian"]
    ),
    c!(
        "BY",
        "Belarus",
        ["Belarusian", "Minsk"],
        [3.0],
        ["Belarusian", "Russian"]
    ),
    c!(
        "UA",
        "Ukraine",
        ["Ukrainian", "Kyiv", "Kiev"],
        [2.0],
        ["Ukrainian", "Russian"]
    ),
    c!(
        "IR",
        "Iran",
        [
            "Iran (Islamic Republic of)",
            "Islamic Republic of Iran",
            "Iranian",
            "Tehran"
        ],
        [3.5],
        ["Persian"]
    ),
    c!("IQ", "Iraq", ["Iraqi", "Baghdad"], [3.0], ["Arabic"]),
    c!("SY", "Syria", ["Syrian", "Damascus"], [3.0], ["Arabic"]),
    c!("LB", "Lebanon", ["Lebanese", "Beirut"], [2.0], ["Arabic"]),
    c!(
        "PS",
        "Palestine",
        ["Palestinian", "Gaza"],
        [2.0],
        ["Arabic"]
    ),
    c!("IL", "Israel", ["Israeli"], [2.0], ["Hebrew"]),
    c!(
        "AE",
        "United Arab Emirates",
        ["UAE", "Emirati"],
        [4.0],
        ["Arabic"]
    ),
    c!("SA", "Saudi Arabia", ["Saudi"], [3.0], ["Arabic"]),
    c!("EG", "Egypt", ["Egyptian", "Cairo"], [2.0], ["Arabic"]),
    c!(
        "TR",
        "Turkey",
        ["Türkiye", "Turkish", "Ankara"],
        [3.0],
        ["Turkish"]
    ),
    c!(
        "PK",
        "Pakistan",
        ["Pakistani", "Islamabad"],
        [5.0],
        ["Urdu", "English"]
    ),
    c!(
        "IN",
        "India",
        ["Indian", "New Delhi"],
        [5.5],
        ["Hindi", "English"]
    ),
    c!(
        "VN",
        "Vietnam",
        ["Viet Nam", "Vietnamese", "Hanoi"],
        [7.0],
        ["Vietnamese"]
    ),
    c!(
        "ID",
        "Indonesia",
        ["Indonesian"],
        [7.0, 8.0, 9.0],
        ["Indonesian"]
    ),
    c!("MY", "Malaysia", ["Malaysian"], [8.0], ["Malay"]),
    c!("TH", "Thailand", ["Thai"], [7.0], ["Thai"]),
    c!(
        "SG",
        "Singapore",
        [],
        [8.0],
        ["English", "Chinese", "Malay"]
    ),
    c!("JP", "Japan", ["Japanese", "Tokyo"], [9.0], ["Japanese"]),
    c!(
        "KZ",
        "Kazakhstan",
        ["Kazakh"],
        [5.0, 6.0],
        ["Kazakh", "Russian"]
    ),
    c!(
        "US",
        "United States",
        [
            "USA",
            "United States of America",
            "U.S.",
            "American",
            "Washington"
        ],
        [-5.0, -6.0, -7.0, -8.0],
        ["English"]
    ),
    c!(
        "GB",
        "United Kingdom",
        ["UK", "Britain", "British", "London"],
        [0.0],
        ["English"]
    ),
    c!("FR", "France", ["French", "Paris"], [1.0], ["French"]),
    c!("DE", "Germany", ["German", "Berlin"], [1.0], ["German"]),
    c!("IT", "Italy", ["Italian", "Rome"], [1.0], ["Italian"]),
    c!("ES", "Spain", ["Spanish", "Madrid"], [1.0], ["Spanish"]),
    c!("AT", "Austria", ["Austrian", "Vienna"], [1.0], ["German"]),
    c!("PL", "Poland", ["Polish", "Warsaw"], [1.0], ["Polish"]),
    c!(
        "RO",
        "Romania",
        ["Romanian", "Bucharest"],
        [2.0],
        ["Romanian"]
    ),
    c!("CY", "Cyprus", ["Cypriot"], [2.0], ["Greek", "Turkish"]),
    c!("BR", "Brazil", ["Brazilian"], [-3.0], ["Portuguese"]),
    c!("BO", "Bolivia", ["Bolivian"], [-4.0], ["Spanish"]),
    c!("NG", "Nigeria", ["Nigerian"], [1.0], ["English"]),
    c!("KE", "Kenya", ["Kenyan"], [3.0], ["English", "Swahili"]),
    c!("MA", "Morocco", ["Moroccan"], [1.0], ["Arabic", "French"]),
    c!("DZ", "Algeria", ["Algerian"], [1.0], ["Arabic", "French"]),
    c!("TN", "Tunisia", ["Tunisian"], [1.0], ["Arabic", "French"]),
    c!("LY", "Libya", ["Libyan"], [2.0], ["Arabic"]),
];

/// Find a country by ISO code, name, alternative name or demonym
/// (case- and punctuation-insensitive).
pub fn find_country(name: &str) -> Option<&'static Country> {
    let n = normalize_name(name);
    if n.is_empty() {
        return None;
    }
    // the first country (in table order) whose ISO code or a name matches
    let t = name.trim();
    let by_iso = if t.len() == 2 {
        COUNTRIES
            .iter()
            .position(|c| c.iso2.eq_ignore_ascii_case(t))
    } else {
        None
    };
    let by_name = indexes().names.get(&n).copied();
    let i = match (by_iso, by_name) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    COUNTRIES.get(i)
}

/// Normalised names and languages of [`COUNTRIES`], built once (the knowledge
/// base asks about every software alias when it builds the vocabulary).
struct Indexes {
    /// normalised name → first country (table order) with that name
    names: std::collections::HashMap<String, usize>,
    /// normalised language → countries (table order)
    languages: std::collections::HashMap<String, Vec<usize>>,
}

fn indexes() -> &'static Indexes {
    static I: std::sync::OnceLock<Indexes> = std::sync::OnceLock::new();
    I.get_or_init(|| {
        let mut names = std::collections::HashMap::new();
        let mut languages: std::collections::HashMap<String, Vec<usize>> =
            std::collections::HashMap::new();
        for (i, c) in COUNTRIES.iter().enumerate() {
            for x in std::iter::once(&c.name).chain(c.names) {
                names.entry(normalize_name(x)).or_insert(i);
            }
            for l in c.languages {
                let v = languages.entry(normalize_name(l)).or_default();
                if v.last() != Some(&i) {
                    v.push(i);
                }
            }
        }
        Indexes { names, languages }
    })
}

/// Countries whose main languages include `language` (English name, or a
/// Windows LANGID such as `0x0412` / `1042`).
pub fn countries_for_language(language: &str) -> Vec<&'static Country> {
    let lang = language_name(language).unwrap_or(language);
    let n = normalize_name(lang);
    indexes()
        .languages
        .get(&n)
        .map(|v| v.iter().map(|&i| &COUNTRIES[i]).collect())
        .unwrap_or_default()
}

/// Countries with a standard UTC offset within `tolerance` hours of `offset`.
pub fn countries_for_offset(offset: f64, tolerance: f64) -> Vec<&'static Country> {
    COUNTRIES
        .iter()
        .filter(|c| {
            c.utc_offsets
                .iter()
                .any(|o| (o - offset).abs() <= tolerance + 1e-9)
        })
        .collect()
}

/// The language of a Windows LANGID (primary language id in the low 10
/// bits), given as hex (`0x0412`) or decimal (`1042`); a name is returned as is.
pub fn language_name(s: &str) -> Option<&'static str> {
    let t = s.trim();
    let id = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        u32::from_str_radix(h, 16).ok()?
    } else if t.chars().all(|c| c.is_ascii_digit()) && !t.is_empty() {
        t.parse().ok()?
    } else {
        return None;
    };
    Some(match id & 0x3ff {
        0x01 => "Arabic",
        0x04 => "Chinese",
        0x07 => "German",
        0x09 => "English",
        0x0a => "Spanish",
        0x0c => "French",
        0x0d => "Hebrew",
        0x10 => "Italian",
        0x11 => "Japanese",
        0x12 => "Korean",
        0x15 => "Polish",
        0x16 => "Portuguese",
        0x18 => "Romanian",
        0x19 => "Russian",
        0x1e => "Thai",
        0x1f => "Turkish",
        0x20 => "Urdu",
        0x21 => "Indonesian",
        0x22 => "Ukrainian",
        0x23 => "Belarusian",
        0x29 => "Persian",
        0x2a => "Vietnamese",
        0x39 => "Hindi",
        0x3e => "Malay",
        0x3f => "Kazakh",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The indexed look-ups answer as the linear scans of the table they replaced.
    #[test]
    fn indexed_lookups_match_a_scan_of_the_table() {
        let scan_country = |name: &str| {
            let n = normalize_name(name);
            if n.is_empty() {
                return None;
            }
            COUNTRIES.iter().position(|c| {
                (name.trim().len() == 2 && c.iso2.eq_ignore_ascii_case(name.trim()))
                    || normalize_name(c.name) == n
                    || c.names.iter().any(|x| normalize_name(x) == n)
            })
        };
        let scan_lang = |l: &str| -> Vec<usize> {
            let n = normalize_name(language_name(l).unwrap_or(l));
            (0..COUNTRIES.len())
                .filter(|&i| {
                    COUNTRIES[i]
                        .languages
                        .iter()
                        .any(|x| normalize_name(x) == n)
                })
                .collect()
        };
        let pos = |c: &Country| COUNTRIES.iter().position(|x| std::ptr::eq(x, c));
        let mut probes: Vec<String> = vec!["".into(), " ".into(), "xx".into(), "Narnia".into()];
        for c in COUNTRIES {
            probes.push(c.iso2.to_lowercase());
            probes.push(format!(" {} ", c.iso2));
            probes.push(c.name.to_uppercase());
            probes.extend(c.names.iter().map(|x| x.to_string()));
            probes.extend(c.languages.iter().map(|x| x.to_string()));
        }
        probes.extend(["0x0412", "1042", "0x0419"].map(String::from));
        let mut langs = 0;
        for p in &probes {
            assert_eq!(find_country(p).and_then(pos), scan_country(p), "{p:?}");
            let got: Vec<usize> = countries_for_language(p)
                .into_iter()
                .filter_map(pos)
                .collect();
            assert_eq!(got, scan_lang(p), "{p:?}");
            langs += usize::from(!got.is_empty());
        }
        assert!(langs > 20);
    }

    #[test]
    fn finds_countries_by_many_names() {
        assert_eq!(find_country("North Korea").unwrap().iso2, "KP");
        assert_eq!(find_country("DPRK").unwrap().iso2, "KP");
        assert_eq!(find_country("kp").unwrap().iso2, "KP");
        assert_eq!(
            find_country("Korea (Democratic People's Republic of)")
                .unwrap()
                .iso2,
            "KP"
        );
        assert_eq!(find_country("Iranian").unwrap().iso2, "IR");
        assert!(find_country("Atlantis").is_none());
        assert!(find_country("").is_none());
    }

    #[test]
    fn languages_and_offsets() {
        let ko: Vec<_> = countries_for_language("0x0412")
            .iter()
            .map(|c| c.iso2)
            .collect();
        assert_eq!(ko, vec!["KP", "KR"]);
        let ko: Vec<_> = countries_for_language("Korean")
            .iter()
            .map(|c| c.iso2)
            .collect();
        assert_eq!(ko, vec!["KP", "KR"]);
        assert_eq!(language_name("1042"), Some("Korean"));
        let nine: Vec<_> = countries_for_offset(9.0, 0.0)
            .iter()
            .map(|c| c.iso2)
            .collect();
        assert!(nine.contains(&"KP") && nine.contains(&"JP") && !nine.contains(&"CN"));
    }
}
