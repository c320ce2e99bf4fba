//! Caller-supplied vocabulary (techniques, actors, software, countries) and
//! the Aho-Corasick matcher over it.
//!
//! Matching is case- and punctuation-insensitive on word boundaries: text and
//! names are both normalised by lower-casing, deleting apostrophes and turning
//! every other run of non-alphanumeric characters into one space; names also
//! get a variant with letter/digit runs joined or split (`APT 28` ~ `APT28`,
//! `Unit-121` ~ `Unit 121`). Names that are common English words or of up to
//! four characters (`Net`, `Play`, `Tor`, `APT1`, `US`) must match with the
//! caller's exact letter case; other one-word names written with capitals
//! (`Mimikatz`, `POWERLESS`) need at least one capital in the text; lower-case
//! common words (`at`, `cmd`, `ftp`) and one-character names are ignored.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Serialize;

/// Kind of vocabulary entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntityKind {
    /// ATT&CK technique (id like `T1566.001`).
    Technique,
    /// Threat actor / intrusion set.
    Actor,
    /// Malware or tool.
    Software,
    /// Country (ISO 3166-1 alpha-2 code as id).
    Country,
}

#[derive(Debug, Clone)]
struct Entry {
    kind: EntityKind,
    id: String,
}

#[derive(Debug)]
pub(crate) struct Pattern {
    /// Entries (kind, id), deduplicated.
    entries: Vec<usize>,
    /// Alphanumerics of the name, when the match must have this exact case.
    exact: Option<String>,
    /// Entries for which this form is a primary name (see [`Vocabulary::add_actor_primary`]).
    primary: Vec<usize>,
    /// Single-word name not written in lower case: the match needs an upper-case letter.
    needs_upper: bool,
}

#[derive(Debug)]
pub(crate) struct Matcher {
    /// The patterns' automaton as an NFA, built at once (cheap to build).
    ac: Option<AhoCorasick>,
    /// The same automaton as a DFA: ~2x faster to search, but building it costs
    /// ~0.1 s of CPU for the default knowledge base, so it is built only once
    /// [`DFA_AFTER_BYTES`] of text have been searched. Both report the same matches.
    dfa: OnceLock<Option<AhoCorasick>>,
    pats: Vec<String>,
    scanned: AtomicUsize,
    patterns: Vec<Pattern>,
}

/// The vocabulary's automaton (overlapping matches) of the given kind (`None`: the
/// crate's choice); `None` when it cannot be built (a DFA too large).
fn automaton(pats: &[String], kind: Option<aho_corasick::AhoCorasickKind>) -> Option<AhoCorasick> {
    AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .kind(kind)
        .build(pats)
        .ok()
}

/// Text searched with the NFA before the DFA is built.
const DFA_AFTER_BYTES: usize = 8 << 20;

/// The vocabulary the caller builds from its knowledge base.
#[derive(Debug, Default)]
pub struct Vocabulary {
    entries: Vec<Entry>,
    names: Vec<(String, usize)>, // (name as given, entry index)
    /// Indices into `names` of primary names.
    primary_names: std::collections::HashSet<usize>,
    technique_names: HashMap<String, String>,
    entry_index: HashMap<(EntityKind, String), usize>,
    /// Revoked technique (or other) ids mapped to their replacement:
    /// `T1002 → T1560`. Chains are followed.
    pub revoked: HashMap<String, String>,
    matcher: OnceLock<Matcher>,
}

/// One-word technique names too generic to match in text.
const GENERIC_TECHNIQUE_WORDS: &[&str] = &[
    "at",
    "compression",
    "proxy",
    "add-ins",
    "databases",
    "domains",
    "server",
    "botnet",
    "serverless",
    "malware",
    "tool",
    "exploits",
    "vulnerabilities",
    "credentials",
    "dns",
    "hardware",
    "software",
    "firmware",
    "cdns",
    "impersonation",
    "trap",
    "ssh",
    "vnc",
    "dll",
    "python",
    "javascript",
    "lua",
    "sharepoint",
    "confluence",
    "whois",
    "screensaver",
    "defacement",
];

/// Very common English words that are also names of software or groups.
const COMMON_WORDS: &[&str] = &[
    "at",
    "net",
    "reg",
    "ping",
    "arp",
    "cmd",
    "ftp",
    "tor",
    "play",
    "epic",
    "cuba",
    "maze",
    "pony",
    "page",
    "power",
    "ghost",
    "hydra",
    "prince",
    "sun",
    "page",
    "route",
    "mimic",
    "shark",
    "dust",
    "comment",
    "royal",
    "black",
    "white",
    "red",
    "blue",
    "green",
    "gold",
    "silver",
    "iron",
    "storm",
    "rocket",
    "hammer",
    "winter",
    "summer",
    "spring",
    "sandworm",
    "equation",
    "mustang",
    "dragon",
    "tiger",
    "panda",
    "bear",
    "kitten",
    "spider",
    "chollima",
    "jackal",
    "unicorn",
    "leopard",
    "taurus",
    "gallium",
    "cobalt",
    "carbon",
    "lead",
    "platinum",
    "sodium",
    "zinc",
    "copper",
    "mercury",
    "helium",
    "neon",
    "radium",
    "strontium",
    "barium",
    "bismuth",
    "charming",
    "magic",
    "monsoon",
    "patchwork",
    "sidewinder",
    "turbine",
    "machete",
    "tick",
    "wolf",
    "scarab",
    "goblin",
    "naikon",
    "darkhotel",
    "clop",
    "rover",
    "remote",
    "agent",
    "bad",
    "rabbit",
    "zebra",
    "emissary",
    "orz",
    "dok",
    "get",
    "mori",
    "doki",
    "naid",
    "exaramel",
    "small",
    "big",
    "cheap",
    "hidden",
    "cobra",
    "moses",
    "elephant",
    "poison",
    "ivy",
    "inception",
    "stealth",
    "falcon",
    "archer",
    "berserk",
    "fox",
    "dark",
    "light",
    "shadow",
    "lazy",
    "silent",
    "night",
    "day",
    "sea",
    "turtle",
    "sykipot",
    "frozen",
    "cell",
    "pawn",
    "storm",
    "scanbox",
    "lotus",
    "blade",
    "axiom",
    "chameleon",
    "darkside",
    "infy",
    "mofang",
    "nomad",
    "oilrig",
    "rancor",
    "sowbug",
    "suckfly",
    "thrip",
    "windshift",
    "ke3chang",
    "operation",
    "group",
    "team",
    "unit",
    "the",
    "and",
    "or",
    "of",
    "in",
    "on",
    "it",
    "is",
    "be",
    "to",
    "as",
    "an",
    "by",
    "for",
    "from",
    "with",
    "one",
    "two",
    "no",
    "us",
    "we",
    "they",
    "he",
    "she",
    "him",
    "her",
    "his",
    "our",
    "you",
    "my",
    "me",
    "so",
    "go",
    "do",
    "up",
    "out",
    "off",
    "new",
    "old",
    "all",
    "any",
    "few",
    "key",
    "log",
    "data",
    "file",
    "files",
    "mail",
    "email",
    "web",
    "www",
    "system",
    "service",
    "update",
    "windows",
    "office",
    "word",
    "excel",
    "explorer",
    "chrome",
    "cloud",
    "server",
    "client",
    "proxy",
    "shell",
    "backdoor",
    "loader",
    "dropper",
    "trojan",
    "worm",
    "virus",
    "malware",
    "tool",
    "tools",
    "attack",
    "attacks",
    "hacker",
    "hackers",
    "security",
    "network",
    "access",
    "control",
];

impl Vocabulary {
    /// An empty vocabulary.
    pub fn new() -> Self {
        Self::default()
    }

    fn entry(&mut self, kind: EntityKind, id: &str) -> usize {
        if let Some(&i) = self.entry_index.get(&(kind, id.to_owned())) {
            return i;
        }
        self.entries.push(Entry {
            kind,
            id: id.to_owned(),
        });
        self.entry_index
            .insert((kind, id.to_owned()), self.entries.len() - 1);
        self.entries.len() - 1
    }

    fn add(&mut self, kind: EntityKind, id: &str, name: &str) {
        let e = self.entry(kind, id);
        self.names.push((name.to_owned(), e));
        self.matcher = OnceLock::new();
    }

    /// Adds a technique name or phrasing for an ATT&CK id (`T1566`, `T1566.001`).
    /// The first name added for an id is its display name.
    ///
    /// Generic one-word names (`Software`, `Domains`, `Botnet`, `DNS`, `Python`)
    /// are kept as display names but not matched in text: out of their
    /// parent technique's context they are ordinary words.
    pub fn add_technique(&mut self, attack_id: &str, name: &str) {
        self.technique_names
            .entry(attack_id.to_owned())
            .or_insert_with(|| name.to_owned());
        if GENERIC_TECHNIQUE_WORDS.contains(&name.trim().to_ascii_lowercase().as_str()) {
            self.entry(EntityKind::Technique, attack_id);
            return;
        }
        self.add(EntityKind::Technique, attack_id, name);
    }

    /// Adds a name or alias of a threat actor, under the caller's entity id.
    pub fn add_actor(&mut self, entity_id: &str, name: &str) {
        self.add(EntityKind::Actor, entity_id, name);
    }

    /// Adds the primary name of a threat actor. A form that is the primary
    /// name of some actors and only an alias of others resolves to the
    /// former, as the knowledge base's own name resolution does (`APT38` is
    /// G0082's name and an alias listed under Lazarus Group).
    pub fn add_actor_primary(&mut self, entity_id: &str, name: &str) {
        self.add(EntityKind::Actor, entity_id, name);
        self.primary_names.insert(self.names.len() - 1);
    }

    /// Adds a name or alias of a piece of software (malware or tool).
    pub fn add_software(&mut self, entity_id: &str, name: &str) {
        self.add(EntityKind::Software, entity_id, name);
    }

    /// Adds names of a country (its ISO-2 code is the id): names, demonyms, capitals.
    pub fn add_country(&mut self, iso2: &str, names: &[&str]) {
        for n in names {
            self.add(EntityKind::Country, iso2, n);
        }
    }

    /// Records that `old_id` was revoked in favour of `new_id`.
    pub fn add_revoked(&mut self, old_id: &str, new_id: &str) {
        self.revoked.insert(old_id.to_owned(), new_id.to_owned());
    }

    /// Adds a small built-in list of countries often named in attribution
    /// (names, adjectives of nationality that rarely mean a language, capitals
    /// used as metonyms).
    pub fn add_default_countries(&mut self) {
        for (iso, names) in DEFAULT_COUNTRIES {
            self.add_country(iso, names);
        }
    }

    /// Display name of a technique id, if known.
    pub fn technique_name(&self, id: &str) -> Option<&str> {
        self.technique_names.get(id).map(String::as_str)
    }

    /// True if the id was added with [`Vocabulary::add_technique`].
    pub fn knows_technique(&self, id: &str) -> bool {
        self.technique_names.contains_key(id)
    }

    /// Follows `revoked` from `id` to the final replacement (at most 16 hops).
    pub fn resolve(&self, id: &str) -> Option<String> {
        let mut cur = self.revoked.get(id)?;
        for _ in 0..16 {
            match self.revoked.get(cur) {
                Some(n) if n != cur => cur = n,
                _ => break,
            }
        }
        Some(cur.clone())
    }

    /// Number of names registered.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when no name is registered.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub(crate) fn entry_of(&self, idx: usize) -> (EntityKind, &str) {
        let e = &self.entries[idx];
        (e.kind, &e.id)
    }

    pub(crate) fn matcher(&self) -> &Matcher {
        self.matcher.get_or_init(|| self.build())
    }

    fn build(&self) -> Matcher {
        type Key = (String, Option<String>, bool);
        let mut by_norm: HashMap<Key, (Vec<usize>, Vec<usize>)> = HashMap::new();
        for (ni, (name, e)) in self.names.iter().enumerate() {
            let mut norm = String::new();
            normalize_into(name, &mut norm, &mut Vec::new());
            let norm = norm.trim().to_owned();
            let alnum: String = name.chars().filter(|c| c.is_alphanumeric()).collect();
            if alnum.chars().count() < 2 {
                continue;
            }
            let lower = norm.to_lowercase();
            let single_word = !lower.contains(' ');
            let common = single_word && COMMON_WORDS.contains(&lower.as_str());
            if common && !name.starts_with(|c: char| c.is_uppercase()) {
                continue; // "at", "cmd", "ftp": too common to match at all
            }
            let needs_upper = single_word && name.chars().any(char::is_uppercase);
            let exact = if common || alnum.chars().count() <= 4 {
                Some(alnum)
            } else {
                None
            };
            for v in variants(&norm) {
                let (ents, prim) = by_norm.entry((v, exact.clone(), needs_upper)).or_default();
                if !ents.contains(e) {
                    ents.push(*e);
                }
                if self.primary_names.contains(&ni) && !prim.contains(e) {
                    prim.push(*e);
                }
            }
        }
        let mut keys: Vec<_> = by_norm.into_iter().collect();
        keys.sort();
        let mut pats = Vec::with_capacity(keys.len());
        let mut patterns = Vec::with_capacity(keys.len());
        // one pattern per (form, case rule); duplicates of a form are fine for
        // overlapping search and are merged per span in `find`
        for ((norm, exact, needs_upper), (entries, primary)) in keys {
            // the spaces anchor patterns on word boundaries inside the automaton,
            // so "us" is not reported inside "because"
            pats.push(format!(" {norm} "));
            patterns.push(Pattern {
                entries,
                exact,
                needs_upper,
                primary,
            });
        }
        let ac = if pats.is_empty() {
            None
        } else {
            automaton(&pats, Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                .or_else(|| automaton(&pats, None))
        };
        Matcher {
            ac,
            dfa: OnceLock::new(),
            pats,
            scanned: AtomicUsize::new(0),
            patterns,
        }
    }
}

/// Name variants: as normalised, letter/digit runs joined (`apt 28` → `apt28`)
/// and split (`apt28` → `apt 28`).
fn variants(norm: &str) -> Vec<String> {
    let mut out = vec![norm.to_owned()];
    let b = norm.as_bytes();
    let mut joined = String::with_capacity(norm.len());
    let mut split = String::with_capacity(norm.len() + 4);
    for (i, &c) in b.iter().enumerate() {
        if c == b' '
            && i > 0
            && i + 1 < b.len()
            && b[i - 1].is_ascii_alphabetic()
            && b[i + 1].is_ascii_digit()
        {
            // skip
        } else {
            joined.push(c as char);
        }
        if i > 0 && c.is_ascii_digit() && b[i - 1].is_ascii_alphabetic() {
            split.push(' ');
        }
        split.push(c as char);
    }
    if norm.is_ascii() {
        for v in [joined, split] {
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

/// Normalises `text` into `out` (lower-case alphanumerics, single spaces) and
/// records for each byte of `out` the byte offset in `text` it came from.
pub(crate) fn normalize_into(text: &str, out: &mut String, map: &mut Vec<u32>) {
    out.clear();
    map.clear();
    out.push(' ');
    map.push(0);
    let mut pending_space = false;
    let mut skip_s = false;
    for (i, ch) in text.char_indices() {
        if skip_s {
            skip_s = false;
            if ch == 's' || ch == 'S' {
                continue;
            }
        }
        if ch.is_alphanumeric() {
            if pending_space && !out.ends_with(' ') {
                out.push(' ');
                map.push(i as u32);
            }
            pending_space = false;
            if ch.is_ascii() {
                out.push(ch.to_ascii_lowercase());
                map.push(i as u32);
            } else {
                for lc in ch.to_lowercase() {
                    let before = out.len();
                    out.push(lc);
                    for _ in before..out.len() {
                        map.push(i as u32);
                    }
                }
            }
        } else if ch == '\'' || ch == '\u{2019}' || ch == '\u{2018}' {
            // apostrophes vanish: "People's" == "Peoples"
            // but a quote at a word edge is a separator
            let prev_alnum = text[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            let mut rest = text[i + ch.len_utf8()..].chars();
            let next = rest.next();
            let next_alnum = next.is_some_and(char::is_alphanumeric);
            if matches!(next, Some('s') | Some('S'))
                && !rest.next().is_some_and(char::is_alphanumeric)
            {
                // possessive "Korea's": the 's is dropped
                pending_space = true;
                skip_s = true;
            } else if !(prev_alnum && next_alnum) {
                pending_space = true;
            }
        } else {
            pending_space = true;
        }
    }
    out.push(' ');
    map.push(text.len() as u32);
}

/// A vocabulary hit, in offsets of the matched text.
#[derive(Debug, Clone)]
pub(crate) struct VocabHit {
    pub start: usize,
    pub end: usize,
    /// Patterns that matched this exact span.
    pub patterns: Vec<usize>,
}

impl Matcher {
    /// Finds the longest non-overlapping word-bounded matches in `text`.
    pub fn find(&self, text: &str, norm: &mut String, map: &mut Vec<u32>) -> Vec<VocabHit> {
        let Some(nfa) = &self.ac else {
            return Vec::new();
        };
        // a DFA (with byte classes) is ~2x faster than the NFA for overlapping search,
        // once enough text is searched to pay for building it (the NFA stays if the
        // DFA would be too large)
        let done = self.scanned.fetch_add(text.len(), Ordering::Relaxed) + text.len();
        let ac = if done >= DFA_AFTER_BYTES {
            self.dfa
                .get_or_init(|| automaton(&self.pats, Some(aho_corasick::AhoCorasickKind::DFA)))
                .as_ref()
                .unwrap_or(nfa)
        } else {
            nfa
        };
        normalize_into(text, norm, map);
        let nb = norm.as_bytes();
        let mut cands: Vec<(usize, usize, usize)> = Vec::new();
        for m in ac.find_overlapping_iter(norm.as_str()) {
            // the pattern includes one space on each side
            let (s, e) = (m.start() + 1, m.end() - 1);
            if s == 0 || nb[s - 1] != b' ' || e >= nb.len() || nb[e] != b' ' {
                continue;
            }
            let p = &self.patterns[m.pattern().as_usize()];
            let os = map[s] as usize;
            let oe = map[e - 1] as usize;
            let oe = oe + text[oe..].chars().next().map_or(0, char::len_utf8);
            if p.needs_upper && !text[os..oe].chars().any(char::is_uppercase) {
                continue;
            }
            if let Some(exact) = &p.exact {
                let got: String = text[os..oe]
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect();
                if &got != exact {
                    continue;
                }
            }
            cands.push((os, oe, m.pattern().as_usize()));
        }
        // longest first, then leftmost; keep non-overlapping
        cands.sort_by(|a, b| (b.1 - b.0).cmp(&(a.1 - a.0)).then(a.0.cmp(&b.0)));
        let mut out: Vec<VocabHit> = Vec::new();
        for (s, e, p) in cands {
            if let Some(h) = out.iter_mut().find(|h| h.start == s && h.end == e) {
                h.patterns.push(p);
                continue;
            }
            if out.iter().any(|h| s < h.end && h.start < e) {
                continue;
            }
            out.push(VocabHit {
                start: s,
                end: e,
                patterns: vec![p],
            });
        }
        out.sort_by_key(|h| h.start);
        out
    }

    pub fn entries<'a>(&'a self, hit: &'a VocabHit) -> impl Iterator<Item = usize> + 'a {
        hit.patterns
            .iter()
            .flat_map(move |&p| self.patterns[p].entries.iter().copied())
    }

    /// Entries for which the hit's words are a primary name.
    pub fn primary_entries<'a>(&'a self, hit: &'a VocabHit) -> impl Iterator<Item = usize> + 'a {
        hit.patterns
            .iter()
            .flat_map(move |&p| self.patterns[p].primary.iter().copied())
    }
}

/// Words near a mention that make it an actor.
const ACTOR_CONTEXT: &[&str] = &[
    "group",
    "groups",
    "actor",
    "actors",
    "apt",
    "campaign",
    "campaigns",
    "attributed",
    "operators",
    "operator",
    "gang",
    "team",
    "hackers",
    "espionage",
    "adversary",
    "intrusion",
    "intrusions",
    "targeted",
    "targeting",
    "targets",
    "sponsored",
    "state-sponsored",
    "aka",
    "tracked",
];

/// Words near a mention that make it a piece of software.
const SOFTWARE_CONTEXT: &[&str] = &[
    "malware",
    "backdoor",
    "backdoors",
    "trojan",
    "family",
    "families",
    "sample",
    "samples",
    "variant",
    "variants",
    "loader",
    "rat",
    "ransomware",
    "implant",
    "payload",
    "dropper",
    "stealer",
    "tool",
    "tools",
    "wiper",
    "worm",
    "spyware",
    "downloader",
    "binary",
    "executable",
    "module",
    "modules",
    "plugin",
    "detected",
    "version",
    "versions",
    "deployed",
    "installed",
    "hash",
    "dll",
    "exe",
    // wave 9 (claims22): "this case is linked to the Uroburos rootkit"
    "rootkit",
    "rootkits",
];

/// Decides between the actor and the software reading of a name from the
/// words around it (four each side, same sentence); `None` when they do not
/// decide (neither kind of word, or as many of each).
pub(crate) fn actor_or_software(sent: &str, a: usize, b: usize) -> Option<EntityKind> {
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphanumeric() && c != '-')
            .filter(|w| !w.is_empty())
            .map(|w| w.to_ascii_lowercase())
            .collect()
    };
    // a window of ~120 bytes each side is more than four words
    let lo = crate::textutil::floor_boundary(sent, a.saturating_sub(120));
    let hi = crate::textutil::ceil_boundary(sent, (b + 120).min(sent.len()));
    let before = words(&sent[lo..a]);
    let after = words(&sent[b..hi]);
    let near = before
        .iter()
        .rev()
        .take(4)
        .chain(after.iter().take(4))
        .collect::<Vec<_>>();
    let actor = near
        .iter()
        .filter(|w| ACTOR_CONTEXT.contains(&w.as_str()))
        .count();
    let soft = near
        .iter()
        .filter(|w| SOFTWARE_CONTEXT.contains(&w.as_str()))
        .count();
    match actor.cmp(&soft) {
        std::cmp::Ordering::Greater => Some(EntityKind::Actor),
        std::cmp::Ordering::Less => Some(EntityKind::Software),
        std::cmp::Ordering::Equal => None,
    }
}

/// True when a software or technique name at `s..e` of `text` stands where
/// names of families do not: a component of a path or object name
/// (`Global\AppCompatCacheObject`, `a/b`), a Markdown table-header cell
/// (the row above a `|---|` line), or a heading made of that one word.
pub(crate) fn generic_position(text: &str, s: usize, e: usize) -> bool {
    let b = text.as_bytes();
    if (s > 0 && matches!(b[s - 1], b'\\' | b'/')) || (e < b.len() && matches!(b[e], b'\\' | b'/'))
    {
        return true;
    }
    // the line around the name, looked for within 4 KiB (bounded work on
    // text without line breaks)
    let lo = crate::textutil::floor_boundary(text, s.saturating_sub(4096));
    let hi = crate::textutil::ceil_boundary(text, (e + 4096).min(text.len()));
    let ls = text[lo..s].rfind('\n').map(|p| lo + p + 1).unwrap_or(lo);
    let le = text[e..hi].find('\n').map(|p| e + p).unwrap_or(hi);
    let line = text[ls..le].trim();
    if line.starts_with('|') {
        let next = text
            .get(le + 1..crate::textutil::floor_boundary(text, le + 401))
            .unwrap_or("")
            .lines()
            .next()
            .unwrap_or("")
            .trim();
        let separator = next.contains("---")
            && next
                .chars()
                .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'));
        return separator;
    }
    if le - ls > 200 {
        return false; // a paragraph, not a heading
    }
    let heading = line.trim_start_matches('#').trim().trim_end_matches(':');
    heading == &text[s..e] && !heading.contains(' ')
}

/// Built-in country names (ISO-2, names).
pub const DEFAULT_COUNTRIES: &[(&str, &[&str])] = &[
    (
        "KP",
        &[
            "North Korea",
            "DPRK",
            "Democratic People's Republic of Korea",
            "North Korean",
            "North Koreans",
            "Pyongyang",
        ],
    ),
    (
        "KR",
        &["South Korea", "Republic of Korea", "South Korean", "Seoul"],
    ),
    (
        "CN",
        &[
            "China",
            "Chinese",
            "People's Republic of China",
            "PRC",
            "Beijing",
        ],
    ),
    (
        "RU",
        &[
            "Russia",
            "Russian Federation",
            "Russian",
            "Moscow",
            "Kremlin",
        ],
    ),
    (
        "IR",
        &["Iran", "Islamic Republic of Iran", "Iranian", "Tehran"],
    ),
    (
        "US",
        &[
            "United States",
            "United States of America",
            "USA",
            "US",
            "U.S.",
            "America",
            "American",
            "Washington",
        ],
    ),
    (
        "GB",
        &[
            "United Kingdom",
            "UK",
            "Britain",
            "Great Britain",
            "British",
            "London",
        ],
    ),
    ("IL", &["Israel", "Israeli"]),
    ("UA", &["Ukraine", "Ukrainian", "Kyiv", "Kiev"]),
    ("BY", &["Belarus", "Belarusian", "Minsk"]),
    ("IN", &["India", "Indian", "New Delhi"]),
    ("PK", &["Pakistan", "Pakistani", "Islamabad"]),
    ("VN", &["Vietnam", "Viet Nam", "Vietnamese", "Hanoi"]),
    ("SY", &["Syria", "Syrian", "Damascus"]),
    ("LB", &["Lebanon", "Lebanese"]),
    ("TR", &["Turkey", "Türkiye", "Turkish", "Ankara"]),
    ("AE", &["United Arab Emirates", "UAE"]),
    ("SA", &["Saudi Arabia", "Saudi"]),
    ("FR", &["France", "French"]),
    ("DE", &["Germany", "German"]),
    ("JP", &["Japan", "Japanese", "Tokyo"]),
    ("TW", &["Taiwan", "Taiwanese", "Taipei"]),
    ("NG", &["Nigeria", "Nigerian"]),
    ("BR", &["Brazil", "Brazilian"]),
    ("KZ", &["Kazakhstan"]),
    ("PS", &["Palestine", "Palestinian", "Gaza"]),
    ("CU", &["Cuba", "Cuban"]),
    ("VE", &["Venezuela", "Venezuelan"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_insensitively_on_word_boundaries() {
        let mut v = Vocabulary::new();
        v.add_actor("g1", "APT28");
        v.add_actor("g2", "Lazarus Group");
        v.add_software("s1", "Net");
        let m = v.matcher();
        let (mut n, mut map) = (String::new(), Vec::new());
        let t = "APT-28 and LAZARUS  group, not netflix; Net ran. Apt 28! xapt28 apt28";
        let hits = m.find(t, &mut n, &mut map);
        let got: Vec<&str> = hits.iter().map(|h| &t[h.start..h.end]).collect();
        // "apt28": a one-word name written with capitals needs a capital in the text
        assert_eq!(got, vec!["APT-28", "LAZARUS  group", "Net", "Apt 28"]);
    }

    #[test]
    fn the_dfa_finds_what_the_nfa_finds() {
        let mut v = Vocabulary::new();
        v.add_actor("g1", "APT28");
        v.add_actor("g2", "Lazarus Group");
        v.add_actor("g3", "Lazarus");
        v.add_software("s1", "Net");
        v.add_software("s2", "Lazarus");
        v.add_default_countries();
        let m = v.matcher();
        let (mut n, mut map) = (String::new(), Vec::new());
        let t = "APT-28 and LAZARUS  group, the Lazarus malware; Net ran in Russia. Apt 28! \
                 xapt28 apt28 North Korea's Lazarus";
        let key = |hs: Vec<VocabHit>| -> Vec<(usize, usize, Vec<usize>)> {
            hs.into_iter()
                .map(|h| (h.start, h.end, h.patterns))
                .collect()
        };
        let nfa = key(m.find(t, &mut n, &mut map));
        assert!(m.dfa.get().is_none());
        m.scanned.store(DFA_AFTER_BYTES, Ordering::Relaxed);
        let dfa = key(m.find(t, &mut n, &mut map));
        assert!(m.dfa.get().is_some_and(Option::is_some));
        assert!(nfa.len() >= 7, "{nfa:?}");
        assert_eq!(nfa, dfa);
    }

    #[test]
    fn lowercase_common_words_are_not_names() {
        let mut v = Vocabulary::new();
        v.add_software("s-at", "at");
        v.add_software("s-net", "Net");
        let (mut n, mut map) = (String::new(), Vec::new());
        assert!(v
            .matcher()
            .find("look at the net", &mut n, &mut map)
            .is_empty());
    }
}
