//! Attribution claims on real sentences (`tests/data/claims-real/`): precision
//! and recall per field on the development and held-out halves, with the real
//! ATT&CK / MISP vocabulary and the KB's state organisations (as the CLI builds it).
//!
//! `cargo test -p ascribe-text --test claims_real -- --nocapture` prints the table.
//! `CLAIMS_REAL_DEBUG=1` also prints the development half's mistakes on the stance
//! field (`CLAIMS_REAL_DEBUG=claimant`, `=target`, `=hedge`: on that field), never the
//! held-out half's: it is not for development (with `CLAIMS_REAL_DEBUG` set, the
//! held-out half is not even scored).

mod support;

use ascribe_text::claims::source_names;
use ascribe_text::{extract, Claim, Document, ExtractOptions, Vocabulary};
use serde_json::Value;

fn vocab() -> Vocabulary {
    let mut v = support::kb::load_vocab();
    for o in ascribe_kb::state_orgs::ORGS {
        for name in o.names {
            v.add_actor(&format!("state-org:{}", o.key), name);
        }
    }
    v
}

struct Gold {
    /// Vocabulary ids of the gold target's words (filled in by `evaluate`).
    ids: Vec<String>,
    stance: String,
    claimant: Option<String>,
    target: String,
    hedge: bool,
}

/// What the scorer compares of a predicted claim: the extractor's, or a second
/// labeller's claim read the same way (its target's words resolved through the same
/// vocabulary as the gold target's, its claimant words as the name).
struct Pred {
    surface: String,
    ids: Vec<String>,
    stance: String,
    claimant: Option<String>,
    hedged: bool,
}

impl Pred {
    fn of_claim(c: &Claim) -> Pred {
        Pred {
            surface: c.target.surface.clone(),
            ids: c.target.ids.clone(),
            stance: stance_name(c),
            claimant: c.source.as_ref().map(|s| s.name.clone()),
            hedged: !c.hedges.is_empty(),
        }
    }

    fn of_label(g: &Gold) -> Pred {
        Pred {
            surface: g.target.clone(),
            ids: g.ids.clone(),
            stance: g.stance.clone(),
            claimant: g.claimant.clone(),
            hedged: g.hedge,
        }
    }
}

/// Gold claims of one labelled line.
fn gold_claims(v: &Value) -> Vec<Gold> {
    v["claims"]
        .as_array()
        .expect("claims array")
        .iter()
        .map(|c| Gold {
            ids: Vec::new(),
            stance: c["stance"].as_str().expect("stance").to_owned(),
            claimant: c["claimant"].as_str().map(str::to_owned),
            target: c["target"].as_str().expect("target").to_owned(),
            hedge: !c["hedge"].is_null(),
        })
        .collect()
}

/// The vocabulary ids of a gold target's words, as the scorer resolves them.
fn resolve_targets(v: &Vocabulary, gold: &mut [Gold]) {
    for g in gold {
        g.ids = extract(
            &Document::from_text(None, &g.target),
            v,
            &ExtractOptions::default(),
        )
        .entities
        .into_iter()
        .flat_map(|e| e.ids)
        .collect();
    }
}

fn rows() -> Vec<(String, String, Vec<Gold>)> {
    let mut path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/claims-real/claims-real.jsonl"
    )
    .to_owned();
    // wave 7c: `CLAIMS_REAL_SET=<file>` scores a subset of the set (its development
    // rows: a batch scored as fresh text); honoured only with `CLAIMS_REAL_DEBUG`, when
    // the held-out half is not scored
    if std::env::var_os("CLAIMS_REAL_DEBUG").is_some() {
        if let Ok(p) = std::env::var("CLAIMS_REAL_SET") {
            path = p;
        }
    }
    std::fs::read_to_string(&path)
        .expect("claims-real.jsonl")
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("json line");
            let claims = gold_claims(&v);
            (
                v["split"].as_str().unwrap().to_owned(),
                v["text"].as_str().unwrap().to_owned(),
                claims,
            )
        })
        .collect()
}

/// The extractor's claims on one sentence, as the scorer reads them.
fn predictions(v: &Vocabulary, text: &str) -> Vec<Pred> {
    extract(
        &Document::from_text(None, text),
        v,
        &ExtractOptions::default(),
    )
    .claims
    .iter()
    .map(Pred::of_claim)
    .collect()
}

fn stance_name(c: &Claim) -> String {
    serde_json::to_value(c.stance)
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

/// Spans of every occurrence of `needle` in `text` (ASCII case-insensitive).
fn spans(text: &str, needle: &str) -> Vec<(usize, usize)> {
    if needle.is_empty() {
        return Vec::new();
    }
    let (t, n) = (text.to_lowercase(), needle.to_lowercase());
    if t.len() != text.len() {
        return text
            .match_indices(needle)
            .map(|(i, m)| (i, i + m.len()))
            .collect();
    }
    t.match_indices(&n).map(|(i, m)| (i, i + m.len())).collect()
}

/// A predicted target matches a gold one when one of its occurrences that
/// starts a word overlaps the gold target's words: "US" inside "Russia" is no
/// match, "Russia" inside "Russian" is.
fn target_match(text: &str, p: &Pred, g: &Gold) -> bool {
    let Some(&(gs, ge)) = spans(text, &g.target).first() else {
        return false;
    };
    spans(text, &p.surface)
        .iter()
        .filter(|&&(s, _)| !text[..s].ends_with(|c: char| c.is_alphanumeric()))
        .any(|&(s, e)| s < ge && gs < e)
}

/// The wave-5b claimant rule, kept to report beside the resolved one: the
/// predicted (resolved) name and the gold claimant contain one another, or overlap
/// in the sentence.
/// Targets compared through the vocabulary as well (wave 6b): a predicted target
/// matches by the wave-5b rule, or when its vocabulary ids share one with the gold
/// target's words resolved through the same vocabulary (one party named twice in a
/// sentence, "Islamic Revolutionary Guard Corps" … "IRGC-affiliated", is one claim by
/// the labelling rules, whichever mention carries it).
fn target_match_resolved(text: &str, p: &Pred, g: &Gold) -> bool {
    target_match(text, p, g) || p.ids.iter().any(|i| g.ids.contains(i))
}

fn claimant_match_old(text: &str, p: &Pred, g: &Gold) -> bool {
    match (&p.claimant, &g.claimant) {
        (None, None) => true,
        (Some(name), Some(gc)) => {
            let (pn, gl) = (name.to_lowercase(), gc.to_lowercase());
            if gl.contains(&pn) || pn.contains(&gl) {
                return true;
            }
            let Some(&(gs, ge)) = spans(text, gc).first() else {
                return false;
            };
            spans(text, name).iter().any(|&(a, b)| a < ge && gs < b)
        }
        _ => false,
    }
}

/// Claimants compared through the same resolution on both sides (wave 6b): the
/// extractor names a claimant by its canonical name ("NCSC", "US government"), a
/// gold claimant is written as the sentence words ("The UK's National Cyber Security
/// Centre", "U.S. Government"); both are resolved through the claimant lexicon
/// (`ascribe_text::claims::source_names`, dots ignored) and match when they share a
/// name, or when they match by the wave-5b rule with dots ignored.
fn claimant_match_resolved(text: &str, p: &Pred, g: &Gold) -> bool {
    if claimant_match_old(text, p, g) {
        return true;
    }
    let (Some(name), Some(gc)) = (&p.claimant, &g.claimant) else {
        return false;
    };
    let undot = |x: &str| x.to_lowercase().replace('.', "");
    let (pn, gl) = (undot(name), undot(gc));
    if gl.contains(&pn) || pn.contains(&gl) {
        return true;
    }
    let mut pred_names = source_names(name);
    pred_names.push(name);
    let gold_names = source_names(gc);
    pred_names
        .iter()
        .any(|a| gold_names.iter().any(|b| a.eq_ignore_ascii_case(b)))
}

#[derive(Default, Clone, Copy)]
struct Count {
    tp_pred: usize,
    pred: usize,
    tp_gold: usize,
    gold: usize,
}

impl Count {
    fn p(&self) -> f64 {
        if self.pred == 0 {
            1.0
        } else {
            self.tp_pred as f64 / self.pred as f64
        }
    }
    fn r(&self) -> f64 {
        if self.gold == 0 {
            1.0
        } else {
            self.tp_gold as f64 / self.gold as f64
        }
    }
}

/// The four fields under the resolved scorer (wave 6b), then the same four under the
/// wave-5b scorer (reported beside them; no floor).
const FIELDS: [&str; 8] = [
    "target",
    "stance",
    "claimant",
    "hedge",
    "target-5b",
    "stance-5b",
    "claimant-5b",
    "hedge-5b",
];

fn field_ok(f: usize, text: &str, p: &Pred, g: &Gold) -> bool {
    let old = f >= 4;
    let target = if old {
        target_match(text, p, g)
    } else {
        target_match_resolved(text, p, g)
    };
    target
        && match f % 4 {
            0 => true,
            1 => p.stance == g.stance,
            2 if old => claimant_match_old(text, p, g),
            2 => claimant_match_resolved(text, p, g),
            _ => p.hedged == g.hedge,
        }
}

/// Adds one sentence's predicted and gold claims to the counts of every field.
fn count(out: &mut [Count; 8], text: &str, pred: &[Pred], gold: &[Gold]) {
    for (f, c) in out.iter_mut().enumerate() {
        c.pred += pred.len();
        c.gold += gold.len();
        c.tp_pred += pred
            .iter()
            .filter(|p| gold.iter().any(|g| field_ok(f, text, p, g)))
            .count();
        c.tp_gold += gold
            .iter()
            .filter(|g| pred.iter().any(|p| field_ok(f, text, p, g)))
            .count();
    }
}

/// Prints the first `fields` fields' precision and recall under a title.
fn print_counts(title: &str, c: &[Count; 8], fields: usize) {
    println!(
        "{title}: {} gold claims, {} predicted",
        c[0].gold, c[0].pred
    );
    for (f, name) in FIELDS.iter().enumerate().take(fields) {
        println!(
            "  {name:11} precision {:.3} ({}/{})  recall {:.3} ({}/{})",
            c[f].p(),
            c[f].tp_pred,
            c[f].pred,
            c[f].r(),
            c[f].tp_gold,
            c[f].gold
        );
    }
}

fn evaluate(split: &str, debug: bool) -> [Count; 8] {
    let v = vocab();
    // the field whose mistakes are listed (`CLAIMS_REAL_DEBUG=claimant`; default stance)
    let dbg_field = std::env::var("CLAIMS_REAL_DEBUG")
        .ok()
        .and_then(|f| FIELDS.iter().position(|n| *n == f))
        .unwrap_or(1);
    let mut out = [Count::default(); 8];
    for (sp, text, mut gold) in rows() {
        if sp != split {
            continue;
        }
        resolve_targets(&v, &mut gold);
        let doc = Document::from_text(None, &text);
        let claims = extract(&doc, &v, &ExtractOptions::default()).claims;
        let pred: Vec<Pred> = claims.iter().map(Pred::of_claim).collect();
        count(&mut out, &text, &pred, &gold);
        if debug {
            let wrong = pred
                .iter()
                .any(|p| !gold.iter().any(|g| field_ok(dbg_field, &text, p, g)))
                || gold
                    .iter()
                    .any(|g| !pred.iter().any(|p| field_ok(dbg_field, &text, p, g)));
            if wrong {
                eprintln!("--- {text}");
                for g in &gold {
                    eprintln!(
                        "  gold {} {:?} -> {} hedge={}",
                        g.stance, g.claimant, g.target, g.hedge
                    );
                }
                for (p, q) in claims.iter().zip(&pred) {
                    // wave 8: a mark for what is wrong with the prediction on the field
                    // listed: `[field]` the target is right but the field is not,
                    // `[false]` no gold claim has its target
                    let mark = if !gold.iter().any(|g| field_ok(0, &text, q, g)) {
                        " [false]"
                    } else if !gold.iter().any(|g| field_ok(dbg_field, &text, q, g)) {
                        " [field]"
                    } else {
                        ""
                    };
                    eprintln!(
                        "  pred{mark} {} {:?} -> {} {:?} hedges={:?} cues={:?}",
                        stance_name(p),
                        p.source.as_ref().map(|s| &s.name),
                        p.target.surface,
                        p.target.ids,
                        p.hedges,
                        p.cues
                    );
                }
            }
        }
    }
    out
}

/// Floors set from the measured held-out figures (BENCHMARKS.md, "claims on real prose"),
/// a little below them so that a regression fails and noise does not.
/// Held-out half of the enlarged set (577 sentences, 140 held-out claims) on 2026-11-29
/// (target, stance, claimant, hedge): before the wave-4 rules P 0.872 0.835 0.761 0.844,
/// R 0.686 0.657 0.600 0.664; wave-4 v5 P 0.858 0.823 0.796 0.814, R 0.700 0.671 0.650 0.664.
/// Wave 5 (the same 140 held-out claims; development half grown to 311 claims): v10
/// P 0.866 0.832 0.815 0.824, R 0.736 0.707 0.700 0.700; v12 (final) P 0.864 0.831 0.805
/// 0.831, R 0.736 0.707 0.686 0.707 (the claimant recall floor follows v12 down).
const FLOOR_P: [f64; 4] = [0.86, 0.825, 0.835, 0.825];
/// The scorer's target match starts at a word since wave 5 ("US" inside
/// "Russia" was counted as a hit): v12 held-out recall 0.729 0.700 0.679 0.700
/// (one gold claim fewer on each field), precision unchanged; floors follow.
/// Wave 6 (development half grown to 383 claims with government texts; the same held-out
/// half): v7 P 0.866 0.832 0.815 0.832, R 0.736 0.707 0.693 0.707; floors follow.
/// Wave 6b: the scorer resolves claimants and targets on both sides (the wave-5b
/// figures are printed beside it, without floors): v7 under the resolved scorer P 0.866
/// 0.832 0.840 0.832, R 0.743 0.714 0.721 0.714; 6b v2 the same; floors follow.
const FLOOR_R: [f64; 4] = [0.74, 0.71, 0.715, 0.71];

/// `CLAIMS_REAL_PROBE=<file>`: prints the claims found in each line of a file
/// (development aid on unlabelled text).
#[test]
fn probe() {
    let Some(path) = std::env::var_os("CLAIMS_REAL_PROBE") else {
        return;
    };
    let v = vocab();
    for line in std::fs::read_to_string(path).unwrap().lines() {
        let x = extract(
            &Document::from_text(None, line),
            &v,
            &ExtractOptions::default(),
        );
        println!("--- {line}");
        if std::env::var_os("CLAIMS_REAL_PROBE_ENTITIES").is_some() {
            for e in &x.entities {
                println!("  entity {:?} {:?} {:?}", e.kind, e.surface, e.ids);
            }
        }
        for p in &x.claims {
            println!(
                "  {} {:?} -> {} {:?} hedges={:?} cues={:?}",
                stance_name(p),
                p.source.as_ref().map(|s| &s.name),
                p.target.surface,
                p.target.ids,
                p.hedges,
                p.cues
            );
        }
    }
}

#[test]
fn claims_on_real_sentences() {
    let debug = std::env::var_os("CLAIMS_REAL_DEBUG").is_some();
    // debugging is development: the held-out half is then neither scored nor checked
    let splits: &[&str] = if debug { &["dev"] } else { &["dev", "test"] };
    for &split in splits {
        let c = evaluate(split, debug && split == "dev");
        print_counts(&format!("claims-real {split}"), &c, FIELDS.len());
        if split == "test" {
            for f in 0..4 {
                assert!(
                    c[f].p() >= FLOOR_P[f],
                    "{} precision {:.3} < {}",
                    FIELDS[f],
                    c[f].p(),
                    FLOOR_P[f]
                );
                assert!(
                    c[f].r() >= FLOOR_R[f],
                    "{} recall {:.3} < {}",
                    FIELDS[f],
                    c[f].r(),
                    FLOOR_R[f]
                );
            }
        }
    }
}

/// Agreement with a second labeller on the held-out half (wave 7): the held-out
/// sentences were labelled a second time, by the written rules, by a labeller who saw
/// neither the first labels nor the extractor's output
/// (`tests/data/claims-real/second-labeller.jsonl`; `CLAIMS_REAL_SECOND=<file>` scores
/// another). Printed: the second labeller's claims scored against the first's with the
/// extractor's scorer (how far two labellers agree, field by field), the extractor
/// against each labeller, and Cohen's kappa of the two labellers on whether a sentence
/// holds a claim. Only aggregate figures are printed, never a sentence.
#[test]
fn agreement_with_a_second_labeller() {
    let path = std::env::var("CLAIMS_REAL_SECOND").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/claims-real/second-labeller.jsonl"
        )
        .to_owned()
    });
    let mut second: std::collections::HashMap<String, Vec<Gold>> = std::fs::read_to_string(&path)
        .expect("second-labeller.jsonl")
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("json line");
            (v["id"].as_str().expect("id").to_owned(), gold_claims(&v))
        })
        .collect();
    let first = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/claims-real/claims-real.jsonl"
    );
    let v = vocab();
    let (mut l2_l1, mut ex_l1, mut ex_l2) = (
        [Count::default(); 8],
        [Count::default(); 8],
        [Count::default(); 8],
    );
    // sentence-level: [both, first only, second only, neither]
    let mut cells = [0usize; 4];
    let mut sentences = 0;
    for l in std::fs::read_to_string(first)
        .expect("claims-real.jsonl")
        .lines()
    {
        let row: Value = serde_json::from_str(l).expect("json line");
        if row["split"] != "test" {
            continue;
        }
        sentences += 1;
        let id = row["id"].as_str().expect("id");
        let text = row["text"].as_str().expect("text");
        let mut g1 = gold_claims(&row);
        let Some(mut g2) = second.remove(id) else {
            panic!("the second labeller has no line for a held-out sentence ({id})");
        };
        resolve_targets(&v, &mut g1);
        resolve_targets(&v, &mut g2);
        let pred = predictions(&v, text);
        let as_pred: Vec<Pred> = g2.iter().map(Pred::of_label).collect();
        count(&mut l2_l1, text, &as_pred, &g1);
        count(&mut ex_l1, text, &pred, &g1);
        count(&mut ex_l2, text, &pred, &g2);
        cells[match (g1.is_empty(), g2.is_empty()) {
            (false, false) => 0,
            (false, true) => 1,
            (true, false) => 2,
            (true, true) => 3,
        }] += 1;
    }
    assert!(
        second.is_empty(),
        "the second labeller's file must hold exactly the held-out sentences ({} others)",
        second.len()
    );
    let n = sentences as f64;
    let observed = (cells[0] + cells[3]) as f64 / n;
    let (p1, p2) = (
        (cells[0] + cells[1]) as f64 / n,
        (cells[0] + cells[2]) as f64 / n,
    );
    let chance = p1 * p2 + (1.0 - p1) * (1.0 - p2);
    let kappa = (observed - chance) / (1.0 - chance);
    println!(
        "second labeller on the held-out half: {sentences} sentences; holds a claim: both {}, first only {}, second only {}, neither {}; agreement {observed:.3}, Cohen's kappa {kappa:.3}",
        cells[0], cells[1], cells[2], cells[3]
    );
    for (title, c) in [
        ("second labeller scored against the first", &l2_l1),
        ("extractor against the first labeller", &ex_l1),
        ("extractor against the second labeller", &ex_l2),
    ] {
        print_counts(title, c, 4);
    }
    // The extractor against the first labeller is the figure of record (floors in
    // `claims_on_real_sentences`); against the second, floors a little below the
    // figures of 2026-11-30 (P 0.891 0.857 0.840 0.840, R 0.684 0.658 0.645 0.645).
    const SECOND_P: [f64; 4] = [0.88, 0.845, 0.83, 0.83];
    const SECOND_R: [f64; 4] = [0.675, 0.65, 0.635, 0.635];
    for f in 0..4 {
        assert!(
            ex_l2[f].p() >= SECOND_P[f] && ex_l2[f].r() >= SECOND_R[f],
            "{} against the second labeller: P {:.3} R {:.3}",
            FIELDS[f],
            ex_l2[f].p(),
            ex_l2[f].r()
        );
    }
}

/// The claim rules slice sentences at byte offsets found in an ASCII-lowercased
/// copy, around cue words, names and punctuation. Every development sentence (the
/// text the rules fire on, with the full vocabulary) is run again with
/// deterministic edits that move those offsets onto multi-byte characters: a
/// multi-byte character next to a space, comma or apostrophe, non-ASCII spaces and
/// commas, a cut at a random character boundary, and two sentences joined. None
/// may panic, and every claim's target must be words of its sentence (compared
/// without case and with spaces collapsed).
#[test]
fn edited_real_sentences_never_panic() {
    let v = vocab();
    let dev: Vec<String> = rows()
        .into_iter()
        .filter(|r| r.0 == "dev")
        .map(|r| r.1)
        .collect();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    const WIDE: [&str; 8] = ["é", "’", "—", "\u{a0}", "\u{85}", "，", "İ", "𝔄"];
    let (mut runs, mut found) = (0usize, 0usize);
    for (i, s) in dev.iter().enumerate() {
        let mut variants: Vec<String> = Vec::new();
        for k in 0..3 {
            let w = WIDE[(next() as usize + k) % WIDE.len()];
            // a wide character before or after each space / comma / apostrophe / dot
            let after = next() % 2 == 0;
            let mut t = String::with_capacity(s.len() * 2);
            for c in s.chars() {
                let mark = matches!(c, ' ' | ',' | '\'' | '.' | '(' | ')') && next() % 3 == 0;
                if mark && !after {
                    t.push_str(w);
                }
                t.push(c);
                if mark && after {
                    t.push_str(w);
                }
            }
            variants.push(t);
        }
        variants.push(s.replace(' ', "\u{a0}").replace(',', "，"));
        let bounds: Vec<usize> = s.char_indices().map(|(b, _)| b).collect();
        if !bounds.is_empty() {
            let cut = bounds[next() as usize % bounds.len()];
            variants.push(s[..cut].to_owned());
            variants.push(s[cut..].to_owned());
        }
        variants.push(format!("{s} {}", dev[(i + 1) % dev.len()]));
        for t in variants {
            let doc = Document::from_text(None, &t);
            let out = extract(&doc, &v, &ExtractOptions::default());
            let words = |x: &str| -> String {
                x.split(|c: char| c.is_whitespace() || c == '\u{85}')
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase()
            };
            let text = words(&t);
            for c in &out.claims {
                assert!(
                    text.contains(&words(&c.target.surface)),
                    "target {:?} is not words of {t:?}",
                    c.target.surface
                );
            }
            runs += 1;
            found += out.claims.len();
        }
    }
    // the edits must leave the rules something to fire on
    assert!(
        runs > 5 * dev.len() && found > dev.len(),
        "{runs} runs, {found} claims"
    );
}

/// Wave 8b: the paraphrase families (`tests/data/claims-real/paraphrases-*.jsonl`,
/// the project's own sentences, each a rewording of a development sentence's claims in
/// another construction, labelled before the extractor ran on it; see SOURCES.md):
/// precision and recall per field, with floors a little below the measured figures so
/// that a construction lost again fails. (file, P floors, R floors: target, stance,
/// claimant, hedge)
const PARAPHRASE_FLOORS: &[(&str, [f64; 4], [f64; 4])] = &[
    (
        "paraphrases-catalogue.jsonl",
        [0.96, 0.96, 0.94, 0.94],
        [0.88, 0.88, 0.86, 0.86],
    ),
    // (wave 8b, claims20: 160 sentences, 156 claims: P 0.962 0.962 0.917 0.947, R 0.801
    // 0.801 0.763 0.788 at its v6)
    (
        "paraphrases-gov.jsonl",
        [0.955, 0.955, 0.91, 0.94],
        [0.79, 0.79, 0.755, 0.78],
    ),
];

#[test]
fn claims_on_paraphrase_families() {
    for (file, fp, fr) in PARAPHRASE_FLOORS {
        let out = score_file(&format!(
            "{}/tests/data/claims-real/{file}",
            env!("CARGO_MANIFEST_DIR")
        ));
        print_counts(file, &out, 4);
        assert!(out[0].gold >= 50, "{file}: {} gold claims", out[0].gold);
        assert_floors(file, &out, *fp, *fr);
    }
}

/// Wave 8b: scores every row of a labelled file (paraphrase sets: synthetic
/// text, all rows `split: "dev"`), with the scorer of the real set.
fn score_file(path: &str) -> [Count; 8] {
    let v = vocab();
    let mut out = [Count::default(); 8];
    for l in std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        let row: Value = serde_json::from_str(l).expect("json line");
        let text = row["text"].as_str().expect("text");
        let mut gold = gold_claims(&row);
        resolve_targets(&v, &mut gold);
        let pred = predictions(&v, text);
        count(&mut out, text, &pred, &gold);
    }
    out
}

/// Wave 9 (claims23): the near-miss batch (`paraphrases-nearmiss.jsonl`, 120 sentences in
/// the project's own words, 46 claims, 76 sentences that name an actor and a state but
/// make no claim), with floors on precision and recall per field. Halves A and B (80
/// sentences, 31 claims) fresh against main 5e29a90: P 0.818 0.788 0.697 0.758, R 0.871
/// 0.839 0.742 0.806 (6 false claims); half C (40 sentences, 15 claims, written after
/// v4) fresh: target P 0.769 R 0.667 with main and with v4 alike. The whole file at
/// claims23 v5: P 0.950 0.925 0.875 0.900, R 0.826 0.804 0.761 0.783.
#[test]
fn claims_on_near_misses() {
    let file = "paraphrases-nearmiss.jsonl";
    let out = score_file(&format!(
        "{}/tests/data/claims-real/{file}",
        env!("CARGO_MANIFEST_DIR")
    ));
    print_counts(file, &out, 4);
    assert!(out[0].gold >= 45, "{file}: {} gold claims", out[0].gold);
    let (fp, fr) = ([0.94, 0.91, 0.86, 0.89], [0.81, 0.79, 0.75, 0.77]);
    assert_floors(file, &out, fp, fr);
}

/// Fails when a field's precision or recall is under its floor.
fn assert_floors(file: &str, out: &[Count; 8], fp: [f64; 4], fr: [f64; 4]) {
    for f in 0..4 {
        assert!(
            out[f].p() >= fp[f] && out[f].r() >= fr[f],
            "{file} {}: P {:.3} R {:.3} under the floors {} {}",
            FIELDS[f],
            out[f].p(),
            out[f].r(),
            fp[f],
            fr[f]
        );
    }
}
