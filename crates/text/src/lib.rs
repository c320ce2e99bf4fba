//! # ascribe-text — evidence from reports and news
//!
//! Reads `.txt`, `.csv`, `.md`, `.adoc`, `.html` and (with the `pdf` feature) `.pdf` documents
//! and extracts, each with its location (file, byte offset, line, column) and
//! the sentence it came from:
//!
//! - **indicators**: IPv4/IPv6 (with CIDR), domains checked against the public
//!   suffix list, URLs, e-mail addresses, MD5/SHA-1/SHA-256, CVE ids, Windows
//!   paths, registry keys, file names and marked mutexes, refanged from the
//!   usual defang styles (see [`refang`]) and flagged when they were defanged;
//! - **techniques**: ATT&CK ids (`T1059`, `T1059.001`, revoked ids mapped to
//!   their replacement) and technique names from the caller's [`Vocabulary`];
//! - **entities**: actors, software and countries from the [`Vocabulary`],
//!   returned as the caller's ids, with ambiguity reported;
//! - **claims**: sentences where a source asserts, suspects, doubts or denies
//!   that an actor or country is responsible, or where a group claims
//!   responsibility (see [`claims`]).
//!
//! ```
//! use ascribe_text::{extract, Document, ExtractOptions, Vocabulary};
//! let mut vocab = Vocabulary::new();
//! vocab.add_actor("lazarus", "Lazarus Group");
//! vocab.add_default_countries();
//! let doc = Document::from_text(Some("note.txt"), "The FBI attributed the attack to North Korea. C2: evil[.]com");
//! let x = extract(&doc, &vocab, &ExtractOptions::default());
//! assert_eq!(x.indicators[0].value, "evil.com");
//! assert!(x.indicators[0].defanged);
//! assert_eq!(x.claims[0].target.ids, vec!["KP".to_string()]);
//! ```

#![warn(missing_docs)]

pub mod claims;
mod detection;
mod document;
mod error;
pub mod indicators;
pub mod markup;
pub mod refang;
pub mod textutil;
mod vocab;

use serde::Serialize;

pub use claims::{Claim, Source, SourceKind, Stance, Target};
pub use document::{
    decode_text, document_from_bytes, html_depth, list_documents, load_document,
    load_document_with, strip_tags, walk_documents, BatchItem, Document, Encoding, Format,
    LoadOptions, DEFAULT_MAX_BYTES, MAX_HTML_DEPTH,
};
pub use error::TextError;
pub use indicators::{Context, IndicatorKind};
pub use vocab::{EntityKind, Vocabulary, DEFAULT_COUNTRIES};

/// Where a finding is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// Document name (path), if any.
    pub file: Option<String>,
    /// Byte offset in [`Document::text`].
    pub byte_offset: usize,
    /// Length in bytes of the matched text.
    pub byte_len: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based byte column.
    pub column: usize,
}

/// An indicator of compromise.
#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    /// Type.
    pub kind: IndicatorKind,
    /// Normalised value: refanged; lower-cased for domains, e-mails, hashes, IPv6; CVE upper-cased.
    pub value: String,
    /// Text as written (possibly defanged).
    pub raw: String,
    /// True when the text was defanged (`evil[.]com`, `hxxp://`).
    pub defanged: bool,
    /// CIDR prefix length for network ranges.
    pub cidr: Option<u8>,
    /// Port written after an IP or domain (`1.2.3.4:443`).
    pub port: Option<u16>,
    /// Whether it stands alone or is the host of a URL / domain of an e-mail.
    pub context: Context,
    /// Location.
    pub location: Location,
    /// Sentence (clipped to [`ExtractOptions::max_context_bytes`]).
    pub sentence: String,
}

/// How a technique was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchVia {
    /// An ATT&CK id in the text.
    Id,
    /// A technique name or phrasing from the vocabulary.
    Name,
}

/// A technique mention.
#[derive(Debug, Clone, Serialize)]
pub struct TechniqueMention {
    /// Technique id after following revocations; for names matching several
    /// techniques, the first of [`TechniqueMention::candidates`].
    pub attack_id: String,
    /// Id as written when it was revoked and replaced.
    pub revoked_id: Option<String>,
    /// Display name from the vocabulary.
    pub name: Option<String>,
    /// All technique ids a name matches (more than one = ambiguous).
    pub candidates: Vec<String>,
    /// True when the id (after revocation) is in the vocabulary.
    pub known: bool,
    /// Id or name.
    pub via: MatchVia,
    /// Text as written.
    pub surface: String,
    /// Location.
    pub location: Location,
    /// Sentence.
    pub sentence: String,
}

/// An actor, software or country mention.
#[derive(Debug, Clone, Serialize)]
pub struct EntityMention {
    /// Kind.
    pub kind: EntityKind,
    /// Caller's ids this surface form maps to.
    pub ids: Vec<String>,
    /// True when `ids` has more than one id (one surface form, several
    /// entities), or when the words have another reading of another kind
    /// that the context did not rule out (see [`EntityMention::also`]).
    pub ambiguous: bool,
    /// Other readings of the same words, of another kind, when the context
    /// did not decide: an actor named like a malware family (`OilRig`,
    /// `Sednit`) near neither group nor malware words. One mention always
    /// has one `kind`; this lists what else it may be.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<(EntityKind, Vec<String>)>,
    /// The anti-virus detection name the family was read from
    /// (`Trojan:Win32/Industroyer.A!dha`, `PowerShell/Pterodo.GE`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detection: Option<String>,
    /// Text as written.
    pub surface: String,
    /// Location.
    pub location: Location,
    /// Sentence.
    pub sentence: String,
}

/// Counters.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// Bytes of text scanned.
    pub bytes: usize,
    /// Sentences found.
    pub sentences: usize,
    /// Defang replacements undone.
    pub refang_edits: usize,
}

/// Everything extracted from a document.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Extraction {
    /// Document name.
    pub file: Option<String>,
    /// Indicators, in text order.
    pub indicators: Vec<Indicator>,
    /// Technique mentions, in text order.
    pub techniques: Vec<TechniqueMention>,
    /// Actor / software / country mentions, in text order.
    pub entities: Vec<EntityMention>,
    /// Attribution claims, in text order.
    pub claims: Vec<Claim>,
    /// Problems met (from loading and from extraction limits).
    pub warnings: Vec<String>,
    /// Counters.
    pub stats: Stats,
}

impl Extraction {
    /// Distinct (kind, value) pairs of the indicators, sorted.
    pub fn unique_indicators(&self) -> Vec<(IndicatorKind, String)> {
        let mut v: Vec<(IndicatorKind, String)> = self
            .indicators
            .iter()
            .map(|i| (i.kind, i.value.clone()))
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

/// Switches and limits for [`extract`].
#[derive(Debug, Clone)]
pub struct ExtractOptions {
    /// Extract indicators.
    pub indicators: bool,
    /// Extract technique ids and names.
    pub techniques: bool,
    /// Extract actor / software / country mentions.
    pub entities: bool,
    /// Extract attribution claims (needs entity matching; done even if `entities` is false).
    pub claims: bool,
    /// Sentences longer than this are cut (bounds work on huge lines).
    pub max_sentence_bytes: usize,
    /// Sentence context attached to findings is clipped to this many bytes around the finding.
    pub max_context_bytes: usize,
    /// At most this many findings of each family are kept (a warning says when more were dropped).
    pub max_findings: usize,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            indicators: true,
            techniques: true,
            entities: true,
            claims: true,
            max_sentence_bytes: 4000,
            max_context_bytes: 400,
            max_findings: 200_000,
        }
    }
}

struct Ctx<'a> {
    text: &'a str,
    file: Option<String>,
    lines: textutil::LineIndex,
    sents: Vec<(usize, usize)>,
    max_ctx: usize,
}

impl Ctx<'_> {
    fn loc(&self, s: usize, e: usize) -> Location {
        let (line, column) = self.lines.line_col(s);
        Location {
            file: self.file.clone(),
            byte_offset: s,
            byte_len: e - s,
            line,
            column,
        }
    }

    fn sentence(&self, s: usize, e: usize) -> String {
        let idx = self.sents.partition_point(|&(_, se)| se <= s);
        let (ss, se) = match self.sents.get(idx) {
            Some(&(ss, se)) if ss <= s => (ss, se.max(e)),
            _ => (s, e),
        };
        let se = se.min(self.text.len());
        if se - ss <= self.max_ctx {
            return self.text[ss..se].to_owned();
        }
        let half = self.max_ctx.saturating_sub(e - s) / 2;
        let a = textutil::ceil_boundary(self.text, s.saturating_sub(half).max(ss));
        let b = textutil::floor_boundary(self.text, (e + half).min(se));
        self.text[a..b.max(a)].to_owned()
    }
}

/// Extracts indicators, techniques, entities and claims from a document.
///
/// Never panics on any input text; work is linear in the text size (sentences
/// and claim analysis are bounded by [`ExtractOptions::max_sentence_bytes`]).
pub fn extract(doc: &Document, vocab: &Vocabulary, opts: &ExtractOptions) -> Extraction {
    let text = doc.text.as_str();
    let mut x = Extraction {
        file: doc.name.clone(),
        warnings: doc.warnings.clone(),
        ..Default::default()
    };
    let ctx = Ctx {
        text,
        file: doc.name.clone(),
        lines: textutil::LineIndex::new(text),
        sents: textutil::sentences(text, opts.max_sentence_bytes.max(64)),
        max_ctx: opts.max_context_bytes.max(16),
    };
    x.stats.bytes = text.len();
    x.stats.sentences = ctx.sents.len();
    let vocab_runs = opts.claims || ((opts.entities || opts.techniques) && !vocab.is_empty());
    // On a large text the vocabulary search of every sentence (the half of the
    // vocabulary pass that does not depend on the indicators) runs on a second
    // thread while this one finds the indicators; the results are the same.
    let parallel = vocab_runs
        && (opts.indicators || opts.techniques)
        && text.len() >= PARALLEL_MIN_BYTES
        && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    let mut pre: Option<Vec<SentenceScan>> = None;
    std::thread::scope(|scope| {
        let worker = parallel.then(|| scope.spawn(|| scan_sentences(&ctx, vocab)));
        indicator_pass(&ctx, doc.format, vocab, opts, &mut x);
        pre = worker.and_then(|w| w.join().ok());
    });
    if vocab_runs {
        // names inside indicators (`HKLM\Software\...`, `C:\Evil Corp\x.exe`) are not mentions
        let mut spans: Vec<(usize, usize)> = x
            .indicators
            .iter()
            .map(|i| {
                (
                    i.location.byte_offset,
                    i.location.byte_offset + i.location.byte_len,
                )
            })
            .collect();
        spans.sort_unstable();
        vocab_pass(&ctx, vocab, opts, &spans, pre, &mut x);
    }
    x.techniques.sort_by_key(|t| t.location.byte_offset);
    x.entities.sort_by_key(|e| e.location.byte_offset);
    x
}

/// Texts at least this large search the vocabulary on a second thread.
const PARALLEL_MIN_BYTES: usize = 1 << 20;

/// One sentence's vocabulary hits and detection names (sentence offsets).
type SentenceScan = (Vec<vocab::VocabHit>, Vec<detection::Detection>);

fn scan_sentence(
    matcher: &vocab::Matcher,
    sent: &str,
    norm: &mut String,
    map: &mut Vec<u32>,
) -> SentenceScan {
    (matcher.find(sent, norm, map), detection::detections(sent))
}

fn scan_sentences(ctx: &Ctx, vocab: &Vocabulary) -> Vec<SentenceScan> {
    let matcher = vocab.matcher();
    let (mut norm, mut map) = (String::new(), Vec::new());
    ctx.sents
        .iter()
        .map(|&(ss, se)| scan_sentence(matcher, &ctx.text[ss..se], &mut norm, &mut map))
        .collect()
}

fn indicator_pass(
    ctx: &Ctx,
    format: Format,
    vocab: &Vocabulary,
    opts: &ExtractOptions,
    x: &mut Extraction,
) {
    let text = ctx.text;
    if opts.indicators || opts.techniques {
        // markup blanked in place (offsets unchanged), then defanging undone
        let masked = markup::mask(text, format);
        let rf = refang::refang(&masked);
        x.stats.refang_edits = rf.edit_count();
        let defanged = |a: usize, b: usize| rf.is_defanged(a, b);
        let (hits, techs) = indicators::scan(&rf.text, &defanged);
        if opts.indicators {
            let mut dropped = 0usize;
            for h in hits {
                if x.indicators.len() >= opts.max_findings {
                    dropped += 1;
                    continue;
                }
                let s = textutil::floor_boundary(text, rf.to_original(h.start));
                let e = textutil::ceil_boundary(text, rf.end_to_original(h.end).max(s));
                x.indicators.push(Indicator {
                    kind: h.kind,
                    value: h.value,
                    raw: text[s..e].to_owned(),
                    defanged: rf.is_defanged(h.start, h.end),
                    cidr: h.cidr,
                    port: h.port,
                    context: h.context,
                    location: ctx.loc(s, e),
                    sentence: ctx.sentence(s, e),
                });
            }
            if dropped > 0 {
                x.warnings.push(format!(
                    "{dropped} indicator(s) over the limit of {} were dropped",
                    opts.max_findings
                ));
            }
        }
        if opts.techniques {
            for (id, a, b) in techs.into_iter().take(opts.max_findings) {
                let s = textutil::floor_boundary(text, rf.to_original(a));
                let e = textutil::ceil_boundary(text, rf.end_to_original(b).max(s));
                let (attack_id, revoked_id) = match vocab.resolve(&id) {
                    Some(new) => (new, Some(id.clone())),
                    None => (id.clone(), None),
                };
                x.techniques.push(TechniqueMention {
                    name: vocab.technique_name(&attack_id).map(str::to_owned),
                    known: vocab.knows_technique(&attack_id),
                    candidates: vec![attack_id.clone()],
                    attack_id,
                    revoked_id,
                    via: MatchVia::Id,
                    surface: text[s..e].to_owned(),
                    location: ctx.loc(s, e),
                    sentence: ctx.sentence(s, e),
                });
            }
        }
    }
}

fn inside_indicator(spans: &[(usize, usize)], s: usize, e: usize) -> bool {
    let i = spans.partition_point(|&(_, se)| se <= s);
    spans[i..]
        .iter()
        .take_while(|&&(ss, _)| ss < e)
        .any(|&(ss, se)| ss < e && s < se)
}

fn vocab_pass(
    ctx: &Ctx,
    vocab: &Vocabulary,
    opts: &ExtractOptions,
    spans: &[(usize, usize)],
    pre: Option<Vec<SentenceScan>>,
    x: &mut Extraction,
) {
    let matcher = vocab.matcher();
    let (mut norm, mut map) = (String::new(), Vec::new());
    let mut state = claims::DocState::default();
    let mut pre = pre.map(Vec::into_iter);
    for &(ss, se) in &ctx.sents {
        let sent = &ctx.text[ss..se];
        let (hits, dets) = match pre.as_mut().and_then(Iterator::next) {
            Some(scan) => scan,
            None => scan_sentence(matcher, sent, &mut norm, &mut map),
        };
        let mut mentions: Vec<claims::Mention> = Vec::new();
        // link addresses and detection names are read as wholes, never for the words in them
        // (links found only when there is a hit to test)
        let links = if hits.is_empty() {
            Vec::new()
        } else {
            textutil::link_spans(sent)
        };
        let covered = |a: usize, b: usize| {
            links.iter().any(|&(x, y)| a < y && x < b)
                || dets.iter().any(|d| a < d.end && d.start < b)
        };
        for h in &hits {
            let (s, e) = (ss + h.start, ss + h.end);
            if inside_indicator(spans, s, e) || covered(h.start, h.end) {
                continue;
            }
            // group the pattern's entries by kind
            let mut by_kind: Vec<(EntityKind, Vec<String>)> = Vec::new();
            for ei in matcher.entries(h) {
                let (k, id) = vocab.entry_of(ei);
                match by_kind.iter_mut().find(|(kk, _)| *kk == k) {
                    Some((_, ids)) => {
                        if !ids.iter().any(|i| i == id) {
                            ids.push(id.to_owned())
                        }
                    }
                    None => by_kind.push((k, vec![id.to_owned()])),
                }
            }
            // a form that is some actors' primary name and only an alias of
            // others names the former (as the knowledge base resolves it)
            let primary: Vec<&str> = matcher
                .primary_entries(h)
                .map(|ei| vocab.entry_of(ei))
                .filter(|(k, _)| *k == EntityKind::Actor)
                .map(|(_, id)| id)
                .collect();
            if !primary.is_empty() {
                for (k, ids) in by_kind.iter_mut() {
                    if *k == EntityKind::Actor {
                        ids.retain(|i| primary.contains(&i.as_str()));
                    }
                }
            }
            // generic words read as families: a path component
            // (`Global\AppCompatCacheObject`) or a table-header / heading word
            by_kind.retain(|(k, _)| {
                *k != EntityKind::Software && *k != EntityKind::Technique
                    || !vocab::generic_position(ctx.text, s, e)
            });
            // one mention, one kind: an actor named like a family is read by context
            let mut also: Vec<(EntityKind, Vec<String>)> = Vec::new();
            if by_kind.iter().any(|(k, _)| *k == EntityKind::Actor)
                && by_kind.iter().any(|(k, _)| *k == EntityKind::Software)
            {
                let keep = vocab::actor_or_software(sent, h.start, h.end);
                let other = match keep {
                    Some(k) => k,
                    None => EntityKind::Actor,
                };
                let drop = if other == EntityKind::Actor {
                    EntityKind::Software
                } else {
                    EntityKind::Actor
                };
                if let Some(i) = by_kind.iter().position(|(k, _)| *k == drop) {
                    let (k, mut ids) = by_kind.remove(i);
                    if keep.is_none() {
                        ids.sort();
                        also.push((k, ids));
                    }
                }
            }
            for (kind, mut ids) in by_kind {
                ids.sort();
                if kind == EntityKind::Technique {
                    if opts.techniques && x.techniques.len() < opts.max_findings {
                        x.techniques.push(TechniqueMention {
                            attack_id: ids[0].clone(),
                            revoked_id: None,
                            name: vocab.technique_name(&ids[0]).map(str::to_owned),
                            candidates: ids,
                            known: true,
                            via: MatchVia::Name,
                            surface: ctx.text[s..e].to_owned(),
                            location: ctx.loc(s, e),
                            sentence: ctx.sentence(s, e),
                        });
                    }
                    continue;
                }
                mentions.push(claims::Mention {
                    start: h.start,
                    end: h.end,
                    kind,
                    ids: ids.clone(),
                });
                if opts.entities && x.entities.len() < opts.max_findings {
                    x.entities.push(EntityMention {
                        kind,
                        ambiguous: ids.len() > 1 || !also.is_empty(),
                        ids,
                        also: also.clone(),
                        detection: None,
                        surface: ctx.text[s..e].to_owned(),
                        location: ctx.loc(s, e),
                        sentence: ctx.sentence(s, e),
                    });
                }
            }
        }
        // the family of a detection name, when the vocabulary knows it
        for d in &dets {
            let (fs, fe) = d.family;
            let fam = &sent[fs..fe];
            let Some(fh) = matcher
                .find(fam, &mut norm, &mut map)
                .into_iter()
                .find(|fh| fh.start == 0 && fh.end == fam.len())
            else {
                continue;
            };
            let mut ids: Vec<String> = matcher
                .entries(&fh)
                .map(|ei| vocab.entry_of(ei))
                .filter(|(k, _)| *k == EntityKind::Software)
                .map(|(_, id)| id.to_owned())
                .collect();
            ids.sort();
            ids.dedup();
            if ids.is_empty() || !opts.entities || x.entities.len() >= opts.max_findings {
                continue;
            }
            let (s, e) = (ss + fs, ss + fe);
            x.entities.push(EntityMention {
                kind: EntityKind::Software,
                ambiguous: ids.len() > 1,
                ids,
                also: Vec::new(),
                detection: Some(sent[d.start..d.end].to_owned()),
                surface: ctx.text[s..e].to_owned(),
                location: ctx.loc(s, e),
                sentence: ctx.sentence(s, e),
            });
        }
        if opts.claims {
            let name_of = |m: &claims::Mention| -> String {
                if m.kind == EntityKind::Country {
                    // canonical: first name registered in DEFAULT_COUNTRIES if known, else the surface
                    if let Some((_, names)) = DEFAULT_COUNTRIES
                        .iter()
                        .find(|(iso, _)| m.ids.len() == 1 && *iso == m.ids[0])
                    {
                        return names[0].to_owned();
                    }
                }
                sent[m.start..m.end].to_owned()
            };
            for mut c in claims::sentence_claims(sent, &mentions, &name_of, &mut state) {
                c.location = ctx.loc(ss, se);
                if c.sentence.len() > ctx.max_ctx * 4 {
                    c.sentence = ctx.sentence(ss, ss);
                }
                x.claims.push(c);
            }
        }
    }
}
