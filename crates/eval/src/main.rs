//! `ascribe-eval`: the attribution-quality benchmark on ATT&CK.
//!
//! ```text
//! ascribe-eval --data ../shared/data --out bench/attack-campaigns/results
//! ```

use anyhow::{bail, Context, Result};
use ascribe_eval::cases::{Bundle, CaseSpec, Set};
use ascribe_eval::run::{run_all, CaseResult, Variant, TEMPERATURES};
use ascribe_eval::{counts, evaluate, MethodResult, SetCounts, Slice};
use ascribe_reason::TtpModel;
use clap::Parser;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

/// Measure ascribe's attribution quality on held-out ATT&CK campaigns and on
/// "a new report about a known group" cases, beside Jaccard and TF-IDF
/// baselines, and fit its temperature on the fitting half.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Args {
    /// Directory with attack/enterprise-attack.json, attack/revoked-deprecated.json
    /// and misp-galaxy/{threat-actor,malpedia}.json (the shared data).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Where to write summary.json, cases.jsonl, reliability.csv and report.md.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Keep every N-th report case (1 = all; CI uses a larger N).
    #[arg(long, default_value_t = 1)]
    every: usize,
    /// Also measure the model variants of the ablation table.
    #[arg(long)]
    ablation: bool,
    /// With --ablation: only the variants whose name contains this text
    /// (the shipped model is always measured).
    #[arg(long, value_name = "TEXT")]
    only: Option<String>,
    /// Fail (exit 1) unless the shipped model reaches these on the test half
    /// and the campaigns: top-1 report,top-5 report,top-1 campaigns,top-5 campaigns.
    #[arg(long, value_delimiter = ',')]
    require: Vec<f64>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
}

fn variants(ablation: bool) -> Vec<Variant> {
    let shipped = TtpModel::default();
    let gamma = ascribe_reason::Params::default().activity_exponent;
    let mut v = vec![Variant {
        name: "shipped".into(),
        ttp: shipped.clone(),
        activity: gamma,
    }];
    if ablation {
        // each line changes one thing of the shipped model
        for g in [0.0, 0.5, 1.5] {
            v.push(Variant {
                name: format!("activity prior γ = {g}"),
                ttp: shipped.clone(),
                activity: g,
            });
        }
        let mut add = |name: &str, f: &dyn Fn(&mut TtpModel)| {
            let mut m = shipped.clone();
            f(&mut m);
            v.push(Variant {
                name: name.into(),
                ttp: m,
                activity: gamma,
            });
        };
        add("whole profile only (λ_r = 0, λ_p = 0.6)", &|m| {
            m.report_share = 0.0;
            m.profile_share = 0.6;
        });
        add("λ_r = 0.2", &|m| m.report_share = 0.2);
        add("λ_r = 0.45", &|m| m.report_share = 0.45);
        add("λ_p = 0.2", &|m| m.profile_share = 0.2);
        add("λ_p = 0.45", &|m| m.profile_share = 0.45);
        add("no sub-technique family in profiles", &|m| {
            m.family_weight = 0.0
        });
        add("no software-implied techniques", &|m| {
            m.software_weight = 0.0;
            m.report_software_weight = 0.0;
        });
        add("software-implied weight 0.4 in reports", &|m| {
            m.report_software_weight = 0.4
        });
        add("sub-technique family 0.3 in reports", &|m| {
            m.report_family_weight = 0.3
        });
        add("no tactic saturation (ρ = 1)", &|m| m.tactic_rho = 1.0);
        add("tactic saturation ρ = 0.4", &|m| m.tactic_rho = 0.4);
        add("tactic saturation ρ = 0.8", &|m| m.tactic_rho = 0.8);
        add("no timing evidence", &|m| m.timing_share = 0.0);
        add("timing π = 0.8", &|m| m.timing_share = 0.8);
    }
    v
}

#[derive(Serialize)]
struct Summary<'a> {
    schema: &'static str,
    data: String,
    every: usize,
    counts: &'a SetCounts,
    seconds: f64,
    methods: &'a [MethodResult],
    temperatures: &'a [f64],
}

fn main() -> Result<()> {
    let args = Args::parse();
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .ok();
    }
    let t0 = Instant::now();
    let bundle_path = args.data.join("attack/enterprise-attack.json");
    let bytes = std::fs::read(&bundle_path).with_context(|| {
        format!(
            "cannot read {} (pass --data with the shared data directory)",
            bundle_path.display()
        )
    })?;
    let bundle = Bundle::parse(&bytes)?;
    let facts =
        ascribe_kb::import::import_default_set(&args.data, &ascribe_kb::default_data_files())
            .with_context(|| {
                format!("importing the knowledge base from {}", args.data.display())
            })?;
    let mut cases: Vec<CaseSpec> = bundle.campaign_cases();
    let reports = bundle.report_cases();
    let every = args.every.max(1);
    cases.extend(
        reports
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % every == 0)
            .map(|(_, c)| c),
    );
    if cases.is_empty() {
        bail!("no benchmark cases in {}", bundle_path.display());
    }
    let mut variants = variants(args.ablation);
    if let Some(only) = &args.only {
        let mut k = 0;
        variants.retain(|v| {
            k += 1;
            k == 1 || v.name.contains(only.as_str())
        });
    }
    eprintln!(
        "{} cases ({} campaigns), {} variant(s) × {} temperatures …",
        cases.len(),
        cases.iter().filter(|c| c.set == Set::Campaigns).count(),
        variants.len(),
        TEMPERATURES.len()
    );
    let results = run_all(&facts, &cases, &variants);
    let empty = results
        .iter()
        .filter(|r| r.set == Set::Reports && !r.truth_has_profile)
        .count();
    let counts = counts(&cases, empty);
    let methods = evaluate(&results, &variants);
    let seconds = t0.elapsed().as_secs_f64();
    let md = markdown(&methods, &counts, every, seconds);
    print!("{md}");
    if let Some(out) = &args.out {
        std::fs::create_dir_all(out)?;
        let summary = Summary {
            schema: "ascribe.eval/1",
            data: args.data.display().to_string(),
            every,
            counts: &counts,
            seconds,
            methods: &methods,
            temperatures: &TEMPERATURES,
        };
        std::fs::write(
            out.join("summary.json"),
            serde_json::to_vec_pretty(&summary)?,
        )?;
        std::fs::write(out.join("report.md"), &md)?;
        write_cases(&out.join("cases.jsonl"), &cases, &results, &methods[0])?;
        write_reliability(&out.join("reliability.csv"), &methods)?;
        eprintln!("wrote {}", out.display());
    }
    print_fitted(&variants[0].ttp, methods[0].fitted);
    if args.require.len() == 4 {
        let m = &methods[0];
        let got = [
            m.slice(Slice::ReportsTest).map(|s| s.micro.top1),
            m.slice(Slice::ReportsTest).map(|s| s.micro.top5),
            m.slice(Slice::Campaigns).map(|s| s.micro.top1),
            m.slice(Slice::Campaigns).map(|s| s.micro.top5),
        ];
        for (g, want) in got.iter().zip(&args.require) {
            if let Some(g) = g {
                if g + 1e-9 < *want {
                    bail!("quality below the required floor: got {g:.3}, need {want:.3} (order: report top-1, report top-5, campaign top-1, campaign top-5)");
                }
            }
        }
    } else if !args.require.is_empty() {
        bail!("--require takes four numbers: report top-1, report top-5, campaign top-1, campaign top-5");
    }
    Ok(())
}

fn print_fitted(m: &TtpModel, t: f64) {
    eprintln!(
        "fitted (paste into crates/reason/src/fitted.rs):\n    report_share: {:?},\n    profile_share: {:?},\n    family_weight: {:?},\n    software_weight: {:?},\n    report_family_weight: {:?},\n    report_software_weight: {:?},\n    tactic_rho: {:?},\n    timing_share: {:?},\n    temperature: {:?},",
        m.report_share,
        m.profile_share,
        m.family_weight,
        m.software_weight,
        m.report_family_weight,
        m.report_software_weight,
        m.tactic_rho,
        m.timing_share,
        m.temperature * t
    );
}

fn write_cases(
    path: &std::path::Path,
    cases: &[CaseSpec],
    results: &[CaseResult],
    shipped: &MethodResult,
) -> Result<()> {
    let k = TEMPERATURES
        .iter()
        .position(|&t| t == shipped.fitted)
        .unwrap_or(0);
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    for r in results {
        let c = &cases[r.index];
        let o = &r.ascribe[0][k];
        let ex = &r.explain[0][k];
        let line = serde_json::json!({
            "id": c.id,
            "set": c.set,
            "split": c.split,
            "truth": c.truth,
            "techniques": c.techniques.len(),
            "software": c.software.len(),
            "leak": c.leak,
            "truth_has_profile": r.truth_has_profile,
            "rank": o.higher + 1,
            "tied": o.ties,
            "p_true": o.p_true,
            "leader": ex.leader,
            "leader_p": ex.leader_p,
            "carried_leader": ex.for_leader,
            "carried_truth": ex.for_truth,
            "warnings": r.warnings,
        });
        serde_json::to_writer(&mut w, &line)?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    Ok(())
}

fn write_reliability(path: &std::path::Path, methods: &[MethodResult]) -> Result<()> {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(w, "method,slice,lo,hi,n,confidence,accuracy")?;
    for m in methods {
        for s in &m.slices {
            for b in &s.reliability {
                writeln!(
                    w,
                    "\"{}\",{},{},{},{},{:.4},{:.4}",
                    m.method,
                    serde_json::to_value(s.slice)?.as_str().unwrap_or(""),
                    b.lo,
                    b.hi,
                    b.n,
                    b.confidence,
                    b.accuracy
                )?;
            }
        }
    }
    w.flush()?;
    Ok(())
}

fn markdown(methods: &[MethodResult], c: &SetCounts, every: usize, seconds: f64) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "Cases: {} held-out campaigns ({} groups); {} new-report cases over {} groups{} ({} fit / {} test; {} with no profile left for the true group).\n\
         Leakage removed {} profile links for the campaigns ({} by citation, {} by text) and {} software links; {} profile links and {} software links over the report cases.\n\
         Run time {:.1} s.\n\n",
        c.campaign_cases,
        c.campaign_groups,
        c.report_cases,
        c.report_groups,
        if every > 1 { format!(", every {every}th") } else { String::new() },
        c.report_fit,
        c.report_test,
        c.report_cases_empty_profile,
        c.campaign_profile_links_removed,
        c.campaign_removed_by_citation,
        c.campaign_removed_by_text,
        c.campaign_software_links_removed,
        c.report_profile_links_removed,
        c.report_software_links_removed,
        seconds
    ));
    for slice in Slice::ALL {
        s.push_str(&format!("### {}\n\n", slice.label()));
        s.push_str("| method | fitted T / β | n | top-1 | top-3 | top-5 | MRR | Brier | ECE | mean P(true) | macro top-1 | macro top-5 | macro MRR |\n");
        s.push_str("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for m in methods {
            let Some(x) = m.slice(slice) else { continue };
            let (a, g) = (&x.micro, &x.macro_by_group);
            s.push_str(&format!(
                "| {} | {} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |\n",
                m.method, m.fitted, a.n, a.top1, a.top3, a.top5, a.mrr, a.brier, a.ece, a.mean_p_true, g.top1, g.top5, g.mrr
            ));
        }
        s.push('\n');
    }
    s
}
