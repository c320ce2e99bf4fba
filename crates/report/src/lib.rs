//! Rendering of an [`Assessment`]: plain text for the terminal, Markdown,
//! and JSON (the versioned schema of `docs/json-schema.md`).

// Output code never slices strings by byte index (a cut inside a character panics).
#![deny(clippy::string_slice)]

use ascribe_core::{
    Assessment, HypothesisKind, KnowledgeAsOf, Likelihood, Scenario, WeighedEvidence,
};
use std::fmt::Write;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

/// What the text and Markdown reports list (JSON always carries the full
/// ranking).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Options {
    /// List the N most probable hypotheses of the full ranking.
    pub top: Option<usize>,
    /// List every hypothesis at or above this posterior.
    pub floor: Option<f64>,
}

/// Render in a format. `color` adds ANSI bold to headings (text only).
pub fn render(a: &Assessment, format: Format, color: bool) -> String {
    render_with(a, format, color, &Options::default())
}

/// Render with listing options.
pub fn render_with(a: &Assessment, format: Format, color: bool, opts: &Options) -> String {
    match format {
        Format::Text => text_with(a, color, opts),
        Format::Markdown => markdown_with(a, opts),
        Format::Json => json(a),
    }
}

/// One row of the hypotheses table: posterior, prior, wording, label.
struct HypRow {
    posterior: f64,
    prior: f64,
    words: &'static str,
    label: String,
}

/// The rows of the hypotheses table and a note on what is left out.
fn hypothesis_rows(a: &Assessment, opts: &Options) -> (Vec<HypRow>, String) {
    let total = a.ranking.len();
    if opts.top.is_none() && opts.floor.is_none() {
        let rows = a
            .hypotheses
            .iter()
            .map(|x| HypRow {
                posterior: x.posterior,
                prior: x.prior,
                words: x.likelihood.words(),
                label: x.label.clone(),
            })
            .collect();
        let note = if total > 0 {
            format!("{total} hypotheses were weighed; --top N or --min-probability P lists more, --json carries them all")
        } else {
            String::new()
        };
        return (rows, note);
    }
    let rows: Vec<HypRow> = a
        .ranking
        .iter()
        .filter(|r| {
            opts.top.is_some_and(|n| r.rank <= n) || opts.floor.is_some_and(|f| r.posterior >= f)
        })
        .map(|r| HypRow {
            posterior: r.posterior,
            prior: r.prior,
            words: Likelihood::from_probability(r.posterior).words(),
            label: r.label.clone(),
        })
        .collect();
    let shown = rows.len();
    let rest: f64 = a
        .ranking
        .iter()
        .filter(|r| {
            !(opts.top.is_some_and(|n| r.rank <= n) || opts.floor.is_some_and(|f| r.posterior >= f))
        })
        .map(|r| r.posterior)
        .sum();
    (
        rows,
        format!(
            "{shown} of {total} hypotheses listed; the other {} hold {} together; --json carries them all",
            total - shown,
            pct(rest)
        ),
    )
}

/// What the cheapest flip leaves: a new leader, or nothing leading clearly.
fn flip_outcome(label: &str, p: f64) -> String {
    if p < 0.45 {
        format!(
            "nothing leads clearly (the most probable would be {label} at only {})",
            pct(p)
        )
    } else {
        format!("{label} would lead at {}", pct(p))
    }
}

/// The stress-test column "verdict's leader": the probability of the
/// verdict's leader in a scenario, or "(leads)" when it is the leader there
/// (the `p` column then already gives it).
fn verdict_leader_cell(a: &Assessment, s: &Scenario) -> String {
    if s.leader == a.verdict.leader {
        "(leads)".into()
    } else {
        pct(s.baseline_leader_probability)
    }
}

/// Pretty JSON.
pub fn json(a: &Assessment) -> String {
    serde_json::to_string_pretty(a).expect("assessment serializes") + "\n"
}

fn pct(p: f64) -> String {
    if p >= 0.9995 {
        ">99.9%".into()
    } else if p > 0.0 && p < 0.0005 {
        "<0.1%".into()
    } else if p < 0.01 {
        format!("{:.1}%", p * 100.0)
    } else {
        format!("{:.0}%", p * 100.0)
    }
}

fn trunc(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn weight(w: &WeighedEvidence) -> String {
    if w.duplicate_of.is_some() {
        "dup".into()
    } else {
        format!("{:+.2}", w.weight)
    }
}

fn top_actor_label(a: &Assessment) -> String {
    a.hypotheses
        .iter()
        .find(|h| h.kind == HypothesisKind::Actor)
        .map(|h| h.label.clone())
        .unwrap_or_else(|| "no actor".into())
}

/// The lines of the "knowledge as of" section: what the knowledge base kept,
/// and how much of the verdict rests on undated or later knowledge.
fn as_of_lines(k: &KnowledgeAsOf) -> (Vec<String>, Vec<String>) {
    let mut lines = Vec::new();
    if let Some(r) = &k.knowledge_base {
        lines.push(format!(
            "Knowledge base cut to what was published by {}: {} link(s) kept with a date on or before it, {} dropped (every citation later), {} kept undated; {} later citation(s) struck from kept links; {} campaign(s) first seen later dropped.",
            r.date, r.links_kept_dated, r.links_dropped, r.links_undated, r.citations_struck, r.entities_dropped
        ));
        // one line per source family: the MISP events of a feed are one
        // line ("misp-event: 57 sources"), not one each
        let mut families: Vec<(String, usize, [usize; 3])> = Vec::new();
        for (src, c) in &r.per_source {
            let family = match src.split_once(':') {
                Some((f, _)) if f == "misp-event" => f.to_string(),
                // a MISP cluster's uuid is not shown
                _ => src
                    .split_once('@')
                    .map_or(src.as_str(), |(f, _)| f)
                    .to_string(),
            };
            match families.iter_mut().find(|x| x.0 == family) {
                Some(x) => {
                    x.1 += 1;
                    x.2[0] += c.kept_dated;
                    x.2[1] += c.dropped;
                    x.2[2] += c.undated;
                }
                None => families.push((family, 1, [c.kept_dated, c.dropped, c.undated])),
            }
        }
        for (family, n, [kept, dropped, undated]) in families {
            let label = if n > 1 {
                format!("{family} ({n} sources)")
            } else {
                family
            };
            lines.push(format!(
                "  {label}: {kept} kept dated, {dropped} dropped, {undated} undated"
            ));
        }
    }
    match &k.actor_label {
        Some(who) => {
            let by = |b: &str| k.weight_by_basis.get(b).copied().unwrap_or(0.0);
            lines.push(format!(
                "Evidence weight for {who}: {:+.2} (log10) in all — dated by then {:+.2}, the case's own sources {:+.2}, undated {:+.2}, dated later {:+.2}. {:.0}% of the absolute weight rests on undated or later knowledge.",
                k.weight_total,
                by("dated"),
                by("case"),
                by("undated"),
                by("later"),
                k.share_undated_or_later * 100.0
            ));
        }
        None => lines.push("No named actor leads: nothing to weigh.".into()),
    }
    const SHOWN: usize = 8;
    let mut items: Vec<String> = k
        .items
        .iter()
        .take(SHOWN)
        .map(|i| {
            format!(
                "{} {:+.2} ({}: {})",
                i.evidence,
                i.weight,
                i.basis.as_str(),
                i.why
            )
        })
        .collect();
    if k.items.len() > SHOWN {
        items.push(format!(
            "… and {} weaker item(s) (all in the JSON output)",
            k.items.len() - SHOWN
        ));
    }
    (lines, items)
}

/// Plain-text report.
fn infra_source(m: &ascribe_core::InfrastructureMatch) -> String {
    let mut v = vec![m.source.clone()];
    if let Some(t) = &m.event_title {
        v.push(format!("\"{t}\""));
    }
    if let Some(e) = &m.event {
        if !m.source.ends_with(e.as_str()) {
            v.push(format!("event {e}"));
        }
    }
    if let Some(d) = &m.published {
        v.push(format!("published {d}"));
    }
    match (&m.first_seen, &m.last_seen) {
        (Some(a), Some(b)) => v.push(format!("seen {a} – {b}")),
        (Some(a), None) => v.push(format!("first seen {a}")),
        (None, Some(b)) => v.push(format!("last seen {b}")),
        _ => {}
    }
    v.join(", ")
}

fn infra_sharing(m: &ascribe_core::InfrastructureMatch) -> String {
    let mut v = vec![format!(
        "{} actor{} on the key",
        m.actors_on_key,
        if m.actors_on_key == 1 { "" } else { "s" }
    )];
    if let Some(s) = &m.shared_service {
        v.push(s.clone());
    }
    v.join("; ")
}

fn infra_match_line(m: &ascribe_core::InfrastructureMatch) -> String {
    format!(
        "{} {} {} ({}): {} of {} {} — {}, {}, ratio {:.1} ({}), {} to forge",
        m.observation,
        m.indicator_kind,
        m.indicator,
        if m.actors.is_empty() {
            "no actor".to_string()
        } else {
            m.actors.join(", ")
        },
        m.match_kind,
        m.record_kind,
        m.record_value,
        m.time,
        infra_sharing(m),
        m.lr,
        m.strength,
        m.forge_cost.as_str()
    )
}

fn infra_record(m: &ascribe_core::InfrastructureMatch) -> String {
    infra_source(m)
}

pub fn text(a: &Assessment, color: bool) -> String {
    text_with(a, color, &Options::default())
}

/// Plain-text report with listing options.
pub fn text_with(a: &Assessment, color: bool, opts: &Options) -> String {
    let h = |s: &str| {
        if color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut o = String::new();
    let _ = writeln!(o, "{}", h(&format!("ascribe — {}", a.case)));
    if let Some(s) = &a.case_summary {
        let _ = writeln!(o, "{s}");
    }
    let _ = writeln!(
        o,
        "Knowledge base: {} actors, {} techniques, {} software ({})",
        a.kb.actors,
        a.kb.techniques,
        a.kb.software,
        a.kb.sources.join("; ")
    );
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", h("VERDICT"));
    let _ = writeln!(o, "  {}", a.verdict.statement);
    let _ = writeln!(
        o,
        "  Confidence: {} — {}.",
        a.verdict.confidence.as_str(),
        a.verdict.confidence_reason
    );
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", h("HYPOTHESES"));
    let _ = writeln!(
        o,
        "  {:>9}  {:>7}  {:<20} hypothesis",
        "posterior", "prior", "ICD 203"
    );
    let (rows, note) = hypothesis_rows(a, opts);
    for x in &rows {
        let _ = writeln!(
            o,
            "  {:>9}  {:>7}  {:<20} {}",
            pct(x.posterior),
            pct(x.prior),
            x.words,
            x.label
        );
    }
    if !note.is_empty() {
        let _ = writeln!(o, "  ({note})");
    }
    let _ = writeln!(o);
    if !a.states.is_empty() {
        let _ = writeln!(
            o,
            "{}",
            h("STATES (who is responsible at the level of states: each state's known groups and its unknown group summed)")
        );
        let _ = writeln!(o, "  {}", a.state_verdict);
        let _ = writeln!(
            o,
            "  {:>9}  {:>7}  {:<20} {:<44} {:>6}  leading hypotheses",
            "posterior", "prior", "ICD 203", "state", "actors"
        );
        for x in a
            .states
            .iter()
            .filter(|x| x.posterior >= 0.001 || x.prior >= 0.01)
        {
            let _ = writeln!(
                o,
                "  {:>9}  {:>7}  {:<20} {:<44} {:>6}  {}",
                pct(x.posterior),
                pct(x.prior),
                x.likelihood.words(),
                trunc(&x.label, 44),
                x.actors,
                x.leading
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
        let hidden = a
            .states
            .iter()
            .filter(|x| !(x.posterior >= 0.001 || x.prior >= 0.01))
            .count();
        if hidden > 0 {
            let _ = writeln!(
                o,
                "  ({hidden} more state rows below 0.1% posterior and 1% prior; --json carries them all)"
            );
        }
        let _ = writeln!(o);
    }
    if let Some(k) = &a.knowledge_as_of {
        let _ = writeln!(o, "{}", h(&format!("KNOWLEDGE AS OF {}", k.date)));
        let (lines, items) = as_of_lines(k);
        for l in lines {
            let _ = writeln!(o, "  {l}");
        }
        if !items.is_empty() {
            let _ = writeln!(o, "  Items resting on undated or later knowledge:");
            for i in items {
                let _ = writeln!(o, "    {i}");
            }
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(
        o,
        "{}",
        h(&format!(
            "EVIDENCE (weight: log10 likelihood ratio for {} against an unknown actor)",
            top_actor_label(a)
        ))
    );
    let _ = writeln!(
        o,
        "  {:<4} {:>6} {:<8} {:<17} {:<58} source",
        "id", "weight", "forge", "kind", "evidence"
    );
    for w in &a.evidence {
        let e = &w.evidence;
        let _ = writeln!(
            o,
            "  {:<4} {:>6} {:<8} {:<17} {:<58} {}",
            e.id,
            weight(w),
            e.forge_cost.as_str(),
            e.kind.as_str(),
            trunc(&e.summary, 58),
            trunc(&e.source, 40)
        );
        if w.saturation < 0.999 && w.duplicate_of.is_none() {
            let _ = writeln!(o, "  {:<4} {:>6} {:<8} {:<17} counted at {:.0}%: correlated with other items of the same kind and source", "", "", "", "", w.saturation * 100.0);
        }
        for n in &e.notes {
            let _ = writeln!(o, "  {:<4} {:>6} {:<8} {:<17} note: {}", "", "", "", "", n);
        }
    }
    let _ = writeln!(o);
    if !a.infrastructure_matches.is_empty() {
        let _ = writeln!(
            o,
            "{}",
            h(&format!(
                "INFRASTRUCTURE MATCHES ({} against imported intelligence)",
                a.infrastructure_matches.len()
            ))
        );
        for m in &a.infrastructure_matches {
            let _ = writeln!(o, "  {}", infra_match_line(m));
            let _ = writeln!(o, "      record: {}", infra_record(m));
            let _ = writeln!(o, "      why: {}", m.reason);
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "{}", h("FALSE-FLAG STRESS TEST"));
    let _ = writeln!(
        o,
        "  p: the scenario's leader; last column: {} in the scenario",
        a.verdict.leader_label
    );
    let _ = writeln!(
        o,
        "  {:<16} {:>5}  {:<45} {:>6}  verdict's leader",
        "scenario", "items", "leader", "p"
    );
    for s in &a.stress_test.scenarios {
        let _ = writeln!(
            o,
            "  {:<16} {:>5}  {:<45} {:>6}  {}",
            s.name,
            s.items_kept,
            trunc(&s.leader_label, 45),
            pct(s.probability),
            verdict_leader_cell(a, s)
        );
    }
    if let Some(p) = &a.stress_test.cheapest_flip {
        let _ = writeln!(
            o,
            "  Cheapest plant that flips the verdict: {} ({} effort units, hardest: {}) → {}",
            p.items.join(", "),
            p.effort,
            p.hardest.as_str(),
            flip_outcome(&p.new_leader_label, p.new_probability)
        );
    }
    let _ = writeln!(o, "  {}", a.stress_test.summary);
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{}",
        h("ACH MATRIX (C consistent, I inconsistent, N neutral; diagnosticity in log10 units)")
    );
    for (i, hid) in a.ach.hypotheses.iter().enumerate() {
        let lbl = a
            .hypotheses
            .iter()
            .find(|x| &x.id == hid)
            .map(|x| x.label.as_str())
            .unwrap_or(hid);
        let _ = writeln!(o, "  H{} = {}", i + 1, lbl);
    }
    let mut head = format!("  {:<4}", "");
    for i in 0..a.ach.hypotheses.len() {
        let _ = write!(head, " H{:<2}", i + 1);
    }
    let _ = writeln!(o, "{head}  diag");
    for r in &a.ach.rows {
        let mut line = format!("  {:<4}", r.evidence);
        for c in &r.cells {
            let _ = write!(line, " {:<3}", c.letter());
        }
        let _ = writeln!(o, "{line}  {:.2}", r.diagnosticity);
    }
    let mut inc = format!("  {:<4}", "inc.");
    for v in &a.ach.inconsistency {
        let _ = write!(inc, " {:<3.1}", v);
    }
    let _ = writeln!(o, "{inc}");
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{}",
        h("COLLECT NEXT (expected information gain over the hypotheses)")
    );
    for (i, s) in a.collect_next.iter().enumerate() {
        let _ = writeln!(
            o,
            "  {}. {} — {} ({:.3} bits; leader {} if found, {} if absent)",
            i + 1,
            s.what,
            s.why,
            s.expected_information_gain,
            pct(s.leader_if_found),
            pct(s.leader_if_absent)
        );
    }
    if !a.warnings.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "{}", h("NOTES AND WARNINGS"));
        for w in &a.warnings {
            let _ = writeln!(o, "  - {w}");
        }
    }
    o
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Markdown report.
pub fn markdown(a: &Assessment) -> String {
    markdown_with(a, &Options::default())
}

/// Markdown report with listing options.
pub fn markdown_with(a: &Assessment, opts: &Options) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Attribution assessment: {}\n", md_escape(&a.case));
    if let Some(s) = &a.case_summary {
        let _ = writeln!(o, "{s}\n");
    }
    let _ = writeln!(
        o,
        "## Verdict\n\n**{}**\n\nConfidence: **{}** — {}.\n",
        a.verdict.statement,
        a.verdict.confidence.as_str(),
        a.verdict.confidence_reason
    );
    let _ = writeln!(
        o,
        "## Hypotheses\n\n| posterior | prior | ICD 203 | hypothesis |\n|---:|---:|---|---|"
    );
    let (rows, note) = hypothesis_rows(a, opts);
    for x in &rows {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            pct(x.posterior),
            pct(x.prior),
            x.words,
            md_escape(&x.label)
        );
    }
    if !note.is_empty() {
        let _ = writeln!(o, "\n*{}.*", md_escape(&note));
    }
    if !a.states.is_empty() {
        let _ = writeln!(
            o,
            "\n## States\n\nWho is responsible at the level of states: each state's known groups and its unknown group (not in the knowledge base) summed.\n\n**{}**\n\n| posterior | prior | ICD 203 | state | actors | leading hypotheses |\n|---:|---:|---|---|---:|---|",
            md_escape(&a.state_verdict)
        );
        for x in a
            .states
            .iter()
            .filter(|x| x.posterior >= 0.001 || x.prior >= 0.01)
        {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} |",
                pct(x.posterior),
                pct(x.prior),
                x.likelihood.words(),
                md_escape(&x.label),
                x.actors,
                md_escape(
                    &x.leading
                        .iter()
                        .take(3)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            );
        }
    }
    if let Some(k) = &a.knowledge_as_of {
        let _ = writeln!(o, "\n## Knowledge as of {}", k.date);
        let (lines, items) = as_of_lines(k);
        for l in lines {
            match l.strip_prefix("  ") {
                Some(src) => {
                    let _ = writeln!(o, "- {}", md_escape(src));
                }
                None => {
                    let _ = writeln!(o, "\n{}\n", md_escape(&l));
                }
            }
        }
        if !items.is_empty() {
            let _ = writeln!(o, "Items resting on undated or later knowledge:\n");
            for i in items {
                let _ = writeln!(o, "- {}", md_escape(&i));
            }
        }
    }
    let _ = writeln!(
        o,
        "\n## Evidence\n\nWeight: log10 likelihood ratio for {} against an unknown actor, after reliability and dependence.\n\n| id | weight | forge cost | kind | evidence | source | why this forge cost |\n|---|---:|---|---|---|---|---|",
        md_escape(&top_actor_label(a))
    );
    for w in &a.evidence {
        let e = &w.evidence;
        let mut ev = md_escape(&e.summary);
        if w.saturation < 0.999 && w.duplicate_of.is_none() {
            let _ = write!(
                ev,
                " *(counted at {:.0}%: correlated)*",
                w.saturation * 100.0
            );
        }
        if let Some(d) = &w.duplicate_of {
            let _ = write!(ev, " *(duplicate of {d})*");
        }
        // one fact through several routes: which routes confirmed it
        for n in e.notes.iter().filter(|n| n.starts_with("one fact (")) {
            let _ = write!(ev, " *({})*", md_escape(n));
        }
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} |",
            e.id,
            weight(w),
            e.forge_cost.as_str(),
            e.kind.as_str(),
            ev,
            md_escape(&e.source),
            md_escape(&e.forge_rationale)
        );
    }
    if !a.infrastructure_matches.is_empty() {
        let _ = writeln!(
            o,
            "\n## Infrastructure matches\n\nThe case's indicators against imported intelligence: every match with its record, so that it can be checked.\n\n| case indicator | match | record | actors | source, event, date | time | sharing | ratio | strength | forge cost | why |\n|---|---|---|---|---|---|---|---:|---|---|---|"
        );
        for m in &a.infrastructure_matches {
            let _ = writeln!(
                o,
                "| {} {} ({}) | {} | {} {} | {} | {} | {} | {} | {:.1} | {} | {} | {} |",
                m.indicator_kind,
                md_escape(&m.indicator),
                m.observation,
                m.match_kind,
                m.record_kind,
                md_escape(&m.record_value),
                md_escape(&m.actors.join(", ")),
                md_escape(&infra_source(m)),
                m.time,
                md_escape(&infra_sharing(m)),
                m.lr,
                m.strength,
                m.forge_cost.as_str(),
                md_escape(&m.reason)
            );
        }
    }
    let _ = writeln!(o, "\n## False-flag stress test\n\n*p*: the scenario's leader; last column: {} (the verdict's leader) in the scenario.\n\n| scenario | what | items | leader | p | verdict's leader |\n|---|---|---:|---|---:|---:|", md_escape(&a.verdict.leader_label));
    for s in &a.stress_test.scenarios {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} |",
            s.name,
            s.description,
            s.items_kept,
            md_escape(&s.leader_label),
            pct(s.probability),
            verdict_leader_cell(a, s)
        );
    }
    if let Some(p) = &a.stress_test.cheapest_flip {
        let _ = writeln!(
            o,
            "\nCheapest plant that flips the verdict: {} ({} effort units, hardest: {}) → {}.",
            p.items.join(", "),
            p.effort,
            p.hardest.as_str(),
            md_escape(&flip_outcome(&p.new_leader_label, p.new_probability))
        );
    }
    let _ = writeln!(o, "\n{}\n", a.stress_test.summary);
    let _ = writeln!(o, "## ACH matrix\n");
    for (i, hid) in a.ach.hypotheses.iter().enumerate() {
        let lbl = a
            .hypotheses
            .iter()
            .find(|x| &x.id == hid)
            .map(|x| x.label.as_str())
            .unwrap_or(hid);
        let _ = writeln!(o, "- H{} = {}", i + 1, md_escape(lbl));
    }
    let _ = write!(o, "\n| evidence |");
    for i in 0..a.ach.hypotheses.len() {
        let _ = write!(o, " H{} |", i + 1);
    }
    let _ = write!(o, " diagnosticity |\n|---|");
    for _ in 0..a.ach.hypotheses.len() {
        let _ = write!(o, ":-:|");
    }
    let _ = writeln!(o, "---:|");
    for r in &a.ach.rows {
        let _ = write!(o, "| {} |", r.evidence);
        for c in &r.cells {
            let _ = write!(o, " {} |", c.letter());
        }
        let _ = writeln!(o, " {:.2} |", r.diagnosticity);
    }
    let _ = writeln!(o, "\n## Collect next\n");
    for (i, s) in a.collect_next.iter().enumerate() {
        let _ = writeln!(
            o,
            "{}. **{}** — {} ({:.3} bits; leader {} if found, {} if absent)",
            i + 1,
            md_escape(&s.what),
            md_escape(&s.why),
            s.expected_information_gain,
            pct(s.leader_if_found),
            pct(s.leader_if_absent)
        );
    }
    if !a.warnings.is_empty() {
        let _ = writeln!(o, "\n## Notes and warnings\n");
        for w in &a.warnings {
            let _ = writeln!(o, "- {}", md_escape(w));
        }
    }
    let _ = writeln!(
        o,
        "\n---\nascribe {} · schema {} · knowledge base: {}",
        a.ascribe_version,
        a.schema,
        a.kb.sources.join("; ")
    );
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages() {
        assert_eq!(pct(0.5), "50%");
        assert_eq!(pct(0.9999), ">99.9%");
        assert_eq!(pct(0.00001), "<0.1%");
        assert_eq!(pct(0.005), "0.5%");
        assert_eq!(trunc("abcdef", 4), "abc…");
    }

    #[test]
    fn a_flip_to_a_weak_leader_says_nothing_leads_clearly() {
        assert!(flip_outcome("an unknown actor", 0.14).starts_with("nothing leads clearly"));
        assert_eq!(flip_outcome("APT37", 0.6), "APT37 would lead at 60%");
    }
}
