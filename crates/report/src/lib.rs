//! Rendering of an [`Assessment`]: plain text for the terminal, Markdown,
//! and JSON (the versioned schema of `docs/json-schema.md`).

use ascribe_core::{Assessment, HypothesisKind, WeighedEvidence};
use std::fmt::Write;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

/// Render in a format. `color` adds ANSI bold to headings (text only).
pub fn render(a: &Assessment, format: Format, color: bool) -> String {
    match format {
        Format::Text => text(a, color),
        Format::Markdown => markdown(a),
        Format::Json => json(a),
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

/// Plain-text report.
pub fn text(a: &Assessment, color: bool) -> String {
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
    for x in &a.hypotheses {
        let _ = writeln!(
            o,
            "  {:>9}  {:>7}  {:<20} {}",
            pct(x.posterior),
            pct(x.prior),
            x.likelihood.words(),
            x.label
        );
    }
    let _ = writeln!(o);
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
    let _ = writeln!(o, "{}", h("FALSE-FLAG STRESS TEST"));
    let _ = writeln!(
        o,
        "  {:<16} {:>5}  {:<45} {:>6}  baseline leader",
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
            pct(s.baseline_leader_probability)
        );
    }
    if let Some(p) = &a.stress_test.cheapest_flip {
        let _ = writeln!(
            o,
            "  Cheapest plant that flips the verdict: {} ({} effort units, hardest: {}) → {} at {}",
            p.items.join(", "),
            p.effort,
            p.hardest.as_str(),
            p.new_leader_label,
            pct(p.new_probability)
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
    for x in &a.hypotheses {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            pct(x.posterior),
            pct(x.prior),
            x.likelihood.words(),
            md_escape(&x.label)
        );
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
    let _ = writeln!(o, "\n## False-flag stress test\n\n| scenario | what | items | leader | p | baseline leader |\n|---|---|---:|---|---:|---:|");
    for s in &a.stress_test.scenarios {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} |",
            s.name,
            s.description,
            s.items_kept,
            md_escape(&s.leader_label),
            pct(s.probability),
            pct(s.baseline_leader_probability)
        );
    }
    if let Some(p) = &a.stress_test.cheapest_flip {
        let _ = writeln!(o, "\nCheapest plant that flips the verdict: {} ({} effort units, hardest: {}) → {} at {}.", p.items.join(", "), p.effort, p.hardest.as_str(), md_escape(&p.new_leader_label), pct(p.new_probability));
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
}
