//! Assessment → one self-contained HTML page for decision-makers.
//!
//! No external asset (no script, font, stylesheet or image is fetched):
//! styles are inline, charts are inline SVG, and a print stylesheet keeps
//! sections whole on paper. The page says, in this order: the verdict in
//! plain language with its likelihood and analytic confidence, the
//! state-level line, which evidence carries it and what it would cost to
//! forge, what would change it (the false-flag stress test), and what to
//! collect next.

use crate::{pct, ExportOptions};
use ascribe_core::{Assessment, ForgeCost, HypothesisKind};
use std::fmt::Write;

/// HTML-escape text.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

const CSS: &str = r#"
:root{--ink:#1d2430;--muted:#5b6573;--line:#d9dee5;--accent:#1f4e79;--cheap:#d9534f;--moderate:#f0ad4e;--costly:#2e7d32}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);margin:0;background:#f4f6f9;line-height:1.45}
main{max-width:1040px;margin:0 auto;padding:28px 32px 48px;background:#fff}
header{border-bottom:3px solid var(--accent);padding-bottom:10px;margin-bottom:18px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:18px;color:var(--accent);border-bottom:1px solid var(--line);padding-bottom:4px;margin:26px 0 10px}
.meta{color:var(--muted);font-size:13px}
.tlp{display:inline-block;font-weight:700;padding:2px 8px;border-radius:3px;background:#000;font-size:13px;margin-right:8px}
.verdict{background:#eef3f9;border-left:6px solid var(--accent);padding:14px 18px;font-size:19px}
.verdict .conf{font-size:15px;color:var(--muted);margin-top:6px}
.state{margin-top:10px;font-size:16px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#f7f8fa;font-weight:600}
td.num{text-align:right;white-space:nowrap}
.badge{display:inline-block;padding:1px 7px;border-radius:10px;color:#fff;font-size:12px;font-weight:600}
.cheap{background:var(--cheap)}.moderate{background:var(--moderate);color:#222}.costly{background:var(--costly)}
.note{color:var(--muted);font-size:13px}
ol li{margin-bottom:6px}
footer{margin-top:30px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:8px}
svg text{font-family:inherit}
@media print{body{background:#fff}main{max-width:none;padding:0}section{page-break-inside:avoid}h2{page-break-after:avoid}.verdict{-webkit-print-color-adjust:exact;print-color-adjust:exact}.badge,.tlp,svg{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"#;

fn cost_class(c: ForgeCost) -> &'static str {
    c.as_str()
}

fn plain_cost(c: ForgeCost) -> &'static str {
    match c {
        ForgeCost::Cheap => "hours, public knowledge",
        ForgeCost::Moderate => "days to weeks, knowledge of the actor",
        ForgeCost::Costly => "needs the actor's private assets",
    }
}

/// Characters of a hypothesis label on one line of the chart (the label column is 352 px).
const LABEL_LINE_CHARS: usize = 50;

/// A chart label on one line, or on two split at the last space that fits; a second line
/// still too long ends with an ellipsis (the full label is the tooltip).
fn wrap_label(label: &str, per_line: usize) -> Vec<String> {
    let chars: Vec<char> = label.chars().collect();
    if chars.len() <= per_line {
        return vec![label.to_string()];
    }
    let cut = chars[..=per_line]
        .iter()
        .rposition(|c| *c == ' ')
        .filter(|&i| i > 0)
        .unwrap_or(per_line);
    let first: String = chars[..cut].iter().collect();
    let rest: Vec<char> = chars[cut..]
        .iter()
        .copied()
        .skip_while(|c| *c == ' ')
        .collect();
    let second: String = if rest.len() <= per_line + 6 {
        rest.iter().collect()
    } else {
        let mut t: String = rest[..per_line + 5].iter().collect();
        t.push('…');
        t
    };
    vec![first.trim_end().to_string(), second]
}

/// Horizontal bars of the hypotheses' posteriors, with the ICD 203 bands.
fn hypotheses_chart(a: &Assessment) -> String {
    let rows: Vec<_> = a.hypotheses.iter().take(8).collect();
    let (w, label_w, bar_w, row_h) = (960.0, 360.0, 520.0, 30.0);
    let h = 40.0 + row_h * rows.len() as f64;
    let mut s = format!(
        r#"<svg role="img" aria-label="Probability of each hypothesis" viewBox="0 0 {w} {h}" width="100%" xmlns="http://www.w3.org/2000/svg">"#
    );
    // ICD 203 bands
    let bands = [
        (0.0, 0.05, "almost no chance"),
        (0.05, 0.20, "very unlikely"),
        (0.20, 0.45, "unlikely"),
        (0.45, 0.55, "even"),
        (0.55, 0.80, "likely"),
        (0.80, 0.95, "very likely"),
        (0.95, 1.0, "almost certain"),
    ];
    for (i, (lo, hi, name)) in bands.iter().enumerate() {
        let x = label_w + lo * bar_w;
        let bw = (hi - lo) * bar_w;
        let fill = if i % 2 == 0 { "#f3f5f8" } else { "#e8ecf1" };
        let _ = write!(
            s,
            r#"<rect x="{x:.1}" y="0" width="{bw:.1}" height="{h}" fill="{fill}"/>"#
        );
        // only bands wide enough for their name are labelled
        if bw >= 60.0 {
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="12" font-size="10" text-anchor="middle" fill="#5b6573">{}</text>"##,
                x + bw / 2.0,
                esc(name)
            );
        }
    }
    for (i, hy) in rows.iter().enumerate() {
        let y = 24.0 + i as f64 * row_h;
        let bw = (hy.posterior.clamp(0.0, 1.0) * bar_w).max(1.0);
        let color = match hy.kind {
            HypothesisKind::Actor => "#1f4e79",
            HypothesisKind::FalseFlag => "#d9534f",
            HypothesisKind::Declared => "#8e6bbf",
            _ => "#7a8594",
        };
        // a long label wraps onto a second line at a word boundary (never cut mid-name);
        // the full label is the element's tooltip either way
        let lines = wrap_label(&hy.label, LABEL_LINE_CHARS);
        let text = match lines.as_slice() {
            [one] => format!(
                r##"<text x="{:.1}" y="{:.1}" font-size="13" text-anchor="end" fill="#1d2430"><title>{}</title>{}</text>"##,
                label_w - 8.0,
                y + 14.0,
                esc(&hy.label),
                esc(one)
            ),
            _ => format!(
                r##"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="#1d2430"><title>{}</title><tspan x="{:.1}">{}</tspan><tspan x="{:.1}" dy="12">{}</tspan></text>"##,
                label_w - 8.0,
                y + 7.0,
                esc(&hy.label),
                label_w - 8.0,
                esc(&lines[0]),
                label_w - 8.0,
                esc(&lines[1])
            ),
        };
        let _ = write!(
            s,
            r##"{text}<rect x="{label_w}" y="{:.1}" width="{bw:.1}" height="18" fill="{color}" rx="2"/><text x="{:.1}" y="{:.1}" font-size="13" fill="#1d2430">{}</text>"##,
            y + 2.0,
            label_w + bw + 6.0,
            y + 15.0,
            esc(&pct(hy.posterior))
        );
    }
    s.push_str("</svg>");
    s
}

/// One stacked bar: the share of the supporting weight by forge-cost class.
fn cost_chart(a: &Assessment) -> (String, [f64; 3]) {
    let mut by = [0.0f64; 3];
    for w in a
        .evidence
        .iter()
        .filter(|w| w.duplicate_of.is_none() && w.weight > 0.0)
    {
        let i = match w.evidence.forge_cost {
            ForgeCost::Cheap => 0,
            ForgeCost::Moderate => 1,
            ForgeCost::Costly => 2,
        };
        by[i] += w.weight;
    }
    let total: f64 = by.iter().sum();
    let mut s = String::from(
        r#"<svg role="img" aria-label="Supporting weight by cost to forge" viewBox="0 0 960 54" width="100%" xmlns="http://www.w3.org/2000/svg">"#,
    );
    let colors = ["#d9534f", "#f0ad4e", "#2e7d32"];
    let names = ["cheap", "moderate", "costly"];
    let mut x = 0.0;
    for i in 0..3 {
        let share = if total > 0.0 { by[i] / total } else { 0.0 };
        let bw = share * 960.0;
        if bw > 0.0 {
            let _ = write!(
                s,
                r#"<rect x="{x:.1}" y="0" width="{bw:.1}" height="30" fill="{}"/>"#,
                colors[i]
            );
            if bw > 90.0 {
                let _ = write!(
                    s,
                    r##"<text x="{:.1}" y="20" font-size="13" fill="#fff" text-anchor="middle">{} {:.0}%</text>"##,
                    x + bw / 2.0,
                    names[i],
                    share * 100.0
                );
            }
        }
        x += bw;
    }
    let _ = write!(
        s,
        r##"<text x="0" y="48" font-size="12" fill="#5b6573">share of the supporting evidence weight, by what it would cost an impostor to forge</text></svg>"##
    );
    (s, by)
}

/// The page.
pub fn report(a: &Assessment, opts: &ExportOptions) -> String {
    let mut o = String::new();
    let title = format!("Attribution assessment: {}", a.case);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"generator\" content=\"ascribe\"><title>{}</title><style>{CSS}</style></head><body><main>",
        esc(&title)
    );
    // header
    let tlp = opts.tlp.map(|t| {
        let (bg, fg) = match t {
            crate::Tlp::Clear => ("#ffffff", "#000000"),
            crate::Tlp::Green => ("#000000", "#33ff00"),
            crate::Tlp::Amber | crate::Tlp::AmberStrict => ("#000000", "#ffc000"),
            crate::Tlp::Red => ("#000000", "#ff2b2b"),
        };
        format!(
            "<span class=\"tlp\" style=\"background:{bg};color:{fg};border:1px solid #000\">TLP:{}</span>",
            t.as_str().to_ascii_uppercase()
        )
    });
    let _ = write!(
        o,
        "<header>{}<h1>{}</h1><div class=\"meta\">{}Prepared {} by ascribe {} from {} weighed evidence item(s).</div></header>",
        tlp.unwrap_or_default(),
        esc(&a.case),
        a.case_summary
            .as_ref()
            .map(|s| format!("{} ", esc(s)))
            .unwrap_or_default(),
        esc(opts.now.get(..10).unwrap_or(&opts.now)),
        esc(&a.ascribe_version),
        a.evidence.iter().filter(|w| w.duplicate_of.is_none()).count()
    );
    // verdict
    let v = &a.verdict;
    let _ = write!(
        o,
        "<section><h2>Verdict</h2><div class=\"verdict\"><strong>{}</strong><div class=\"conf\">Likelihood: <strong>{}</strong> ({}). Analytic confidence: <strong>{}</strong> — {}.</div>",
        esc(&v.statement),
        esc(v.likelihood.words()),
        esc(&pct(v.probability)),
        esc(v.confidence.as_str()),
        esc(&v.confidence_reason)
    );
    if !a.state_verdict.is_empty() {
        let _ = write!(
            o,
            "<div class=\"state\">At the level of states: <strong>{}</strong></div>",
            esc(&a.state_verdict)
        );
    }
    let _ = write!(
        o,
        "</div><p class=\"note\">Likelihood words follow ICD 203: almost no chance &lt;5%, very unlikely 5–20%, unlikely 20–45%, roughly even chance 45–55%, likely 55–80%, very likely 80–95%, almost certain ≥95%.</p>{}</section>",
        hypotheses_chart(a)
    );
    // what carries it
    let (chart, by) = cost_chart(a);
    let mut top: Vec<_> = a
        .evidence
        .iter()
        .filter(|w| w.duplicate_of.is_none() && w.weight > 0.0)
        .collect();
    top.sort_by(|x, y| y.weight.total_cmp(&x.weight));
    let total: f64 = by.iter().sum();
    // item weights are for the strongest named actor against an unknown one
    let top_actor = a
        .hypotheses
        .iter()
        .find(|h| h.kind == HypothesisKind::Actor)
        .map(|h| h.label.clone());
    let lead = match &top_actor {
        Some(t) if *t == v.leader_label => format!(
            "The evidence below moves the verdict most towards <strong>{}</strong>.",
            esc(t)
        ),
        Some(t) => format!(
            "No named actor leads. The evidence below speaks most for the strongest named actor, <strong>{}</strong>, against an actor not in the knowledge base.",
            esc(t)
        ),
        None => "No named actor is weighed.".to_string(),
    };
    let _ = write!(
        o,
        "<section><h2>What carries it</h2><p>{lead} Each item is marked with what it would cost someone else to plant it: cheap items alone can never make a verdict “very likely”.</p>{chart}<table><tr><th>evidence</th><th>cost to forge</th><th>source</th><th class=\"num\">weight</th></tr>"
    );
    for w in top.iter().take(10) {
        let e = &w.evidence;
        let _ = write!(
            o,
            "<tr><td>{}</td><td><span class=\"badge {}\">{}</span> <span class=\"note\">{}</span></td><td class=\"note\">{}</td><td class=\"num\">{:.0}%</td></tr>",
            esc(&e.summary),
            cost_class(e.forge_cost),
            esc(e.forge_cost.as_str()),
            esc(plain_cost(e.forge_cost)),
            esc(&e.source),
            if total > 0.0 { w.weight / total * 100.0 } else { 0.0 }
        );
    }
    let _ = write!(
        o,
        "</table><p class=\"note\">Weight: each item's share of the total supporting weight (log-likelihood ratio for the strongest named actor against an unknown one, after reliability and correlation). {} further item(s) weigh less or against it.</p></section>",
        a.evidence.len().saturating_sub(top.len().min(10))
    );
    // what would change it
    let _ = write!(
        o,
        "<section><h2>What would change it</h2><p>{}</p><table><tr><th>if we set aside…</th><th>who would lead</th><th class=\"num\">probability</th><th class=\"num\">{} then</th></tr>",
        esc(&a.stress_test.summary),
        esc(&v.leader_label)
    );
    for s in &a.stress_test.scenarios {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&s.description),
            esc(&s.leader_label),
            esc(&pct(s.probability)),
            esc(&pct(s.baseline_leader_probability))
        );
    }
    o.push_str("</table>");
    if let Some(p) = &a.stress_test.cheapest_flip {
        let _ = write!(
            o,
            "<p><strong>Cheapest way to be wrong:</strong> if the {} item(s) {} were planted (hardest to forge: {}), the verdict would change — {} would lead at {}.</p>",
            p.items.len(),
            esc(&p.items.join(", ")),
            esc(p.hardest.as_str()),
            esc(&p.new_leader_label),
            esc(&pct(p.new_probability))
        );
    } else {
        o.push_str("<p><strong>No set of plantable items flips the verdict.</strong></p>");
    }
    o.push_str("</section>");
    // collect next
    o.push_str("<section><h2>What to collect next</h2><ol>");
    for s in a.collect_next.iter().take(6) {
        let _ = write!(
            o,
            "<li><strong>{}</strong> — {} <span class=\"note\">(if found, {} would be at {}; if looked for and absent, {})</span></li>",
            esc(&s.what),
            esc(&s.why),
            esc(&v.leader_label),
            esc(&pct(s.leader_if_found)),
            esc(&pct(s.leader_if_absent))
        );
    }
    if a.collect_next.is_empty() {
        o.push_str("<li>Nothing the model expects to change the verdict.</li>");
    }
    o.push_str("</ol></section>");
    // competing hypotheses table
    o.push_str("<section><h2>Competing hypotheses</h2><table><tr><th>hypothesis</th><th>ICD 203</th><th class=\"num\">probability</th><th class=\"num\">before the evidence</th></tr>");
    for h in &a.hypotheses {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&h.label),
            esc(h.likelihood.words()),
            esc(&pct(h.posterior)),
            esc(&pct(h.prior))
        );
    }
    o.push_str("</table></section>");
    let warnings = a
        .diagnostics
        .iter()
        .filter(|d| d.severity == ascribe_core::Severity::Warning)
        .count();
    let _ = writeln!(
        o,
        "<footer>ascribe {} · {} · knowledge base: {} · {} warning(s) and {} note(s) in the full report (<code>ascribe analyze --format md</code>).</footer></main></body></html>",
        esc(&a.ascribe_version),
        esc(&a.schema),
        esc(&a.kb.sources.join("; ")),
        warnings,
        a.warnings.len().saturating_sub(warnings)
    );
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(
            esc("<a href='x'>&</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"
        );
    }

    #[test]
    fn chart_labels_wrap_at_words_and_keep_every_word_of_a_two_line_label() {
        assert_eq!(wrap_label("Lazarus Group", 50), vec!["Lazarus Group"]);
        let long = "an unknown group of North Korea (KP), not in the knowledge base";
        let lines = wrap_label(long, 50);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| l.chars().count() <= 56), "{lines:?}");
        assert_eq!(lines.join(" "), long, "no word lost or cut");
        // a label longer than two lines ends with an ellipsis, never mid-character
        let huge = "é".repeat(200);
        let lines = wrap_label(&huge, 50);
        assert!(lines[1].ends_with('…'));
        assert_eq!(lines[0].chars().count(), 50);
    }
}

#[cfg(test)]
mod own_report {
    /// The page's head marks it as ascribe's own: a report saved into a
    /// case directory is never read back as evidence.
    #[test]
    fn the_case_reader_recognises_the_page() {
        let head = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"generator\" content=\"ascribe\"><title>x</title>";
        assert!(ascribe_case::looks_like_ascribe_output(head));
        assert!(!ascribe_case::looks_like_ascribe_output(
            "<!DOCTYPE html><html><head><title>a vendor report</title>"
        ));
    }
}
