//! `ascribe-eval`: the attribution-quality benchmark on ATT&CK.
//!
//! ```text
//! ascribe-eval --data ../shared/data --out bench/attack-campaigns/results
//! ```

use anyhow::{bail, Context, Result};
use ascribe_eval::cases::{Bundle, CaseSpec, Set, Split};
use ascribe_eval::run::{run_all, CaseResult, Variant, TEMPERATURES};
use ascribe_eval::{counts, evaluate, verdict_report, MethodResult, SetCounts, Slice};
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
    /// With --ablation: only the variants whose name contains this text,
    /// or one of several texts separated by `;` (the shipped model is
    /// always measured).
    #[arg(long, value_name = "TEXT")]
    only: Option<String>,
    /// With --ablation: assess the variants other than the shipped one
    /// only at these temperature multipliers (comma-separated, from the
    /// grid; default: the whole grid). The shipped model keeps the grid.
    #[arg(long, value_delimiter = ',')]
    ablation_temperatures: Vec<f64>,
    /// Also assess the model shipped before wave 7 (main at 4c7b0cd), at
    /// its own temperature only, and print every variant's ranking at its
    /// own temperature on every slice: the same run's before/after.
    #[arg(long)]
    with_before: bool,
    /// Fail (exit 1) unless the shipped model reaches these on the test half
    /// and the campaigns: top-1 report,top-5 report,top-1 campaigns,top-5 campaigns.
    #[arg(long, value_delimiter = ',')]
    require: Vec<f64>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Case sets, comma-separated: `attack` (held-out campaigns and new
    /// reports: the ranking table), `open` (the new-report cases with the
    /// true group removed from the KB, beside the new-report cases: the
    /// P(unknown) trade-off and the fitted recalibration), `lovo`
    /// (leave-one-vendor-out).
    #[arg(long, value_delimiter = ',', default_value = "attack")]
    set: Vec<String>,
    /// Publishers with at least this many cited reports get a holdout.
    #[arg(long, default_value_t = ascribe_eval::vendor::MIN_PUBLISHER_REPORTS)]
    min_publisher_reports: usize,
    /// Fail unless leave-one-vendor-out reaches these: top-1, top-5
    /// (among actors), the share of verdicts naming the true group.
    #[arg(long, value_delimiter = ',')]
    require_lovo: Vec<f64>,
    /// Fail unless, on the open set's test half, the unknown actor leads
    /// this often and known groups' verdicts (test half) name the true
    /// group this often: open rate, known rate.
    #[arg(long, value_delimiter = ',')]
    require_open: Vec<f64>,
    /// Score the known groups' verdicts and the vendor holdout at the
    /// P(unknown) and recalibration fitted on the fitting halves in this
    /// run (needs `open`), instead of the shipped ones: one run then
    /// measures what pasting the fitted block would ship.
    #[arg(long)]
    refit: bool,
    /// Skip the joint fit of β (nine extra assessments of every new-report
    /// and open-set case).
    #[arg(long)]
    skip_beta_fit: bool,
    /// Also write every case's whole posterior (re-evaluable for any
    /// P(unknown) and recalibration) to this JSON-lines file.
    #[arg(long, value_name = "FILE")]
    posteriors: Option<PathBuf>,
    /// Vendor-holdout cases to keep by their report's half: `all`, `fit`
    /// (the cross-publisher folds inside the fitting half, on which
    /// `--ablation` then selects: test-half reports are not assessed) or
    /// `test`.
    #[arg(long, default_value = "all")]
    lovo_split: String,
}

/// The technique and software model shipped before wave 7, for
/// `--with-before`. Wave 7 kept it unchanged, so it is the shipped model
/// (`fitted::TTP`, `TtpModel::default()`); when `fitted.rs` changes, pin the
/// previous values here.
fn before_wave7() -> TtpModel {
    TtpModel::default()
}

fn variants(ablation: bool) -> Vec<Variant> {
    let shipped = TtpModel::default();
    let gamma = ascribe_reason::Params::default().activity_exponent;
    let mut v = vec![Variant {
        name: "shipped".into(),
        ttp: shipped.clone(),
        activity: gamma,
        temperatures: Vec::new(),
    }];
    if ablation {
        // each line changes one thing of the shipped model
        for g in [0.0, 0.5, 1.5] {
            v.push(Variant {
                name: format!("activity prior γ = {g}"),
                ttp: shipped.clone(),
                activity: g,
                temperatures: Vec::new(),
            });
        }
        let mut add = |name: &str, f: &dyn Fn(&mut TtpModel)| {
            let mut m = shipped.clone();
            f(&mut m);
            v.push(Variant {
                name: name.into(),
                ttp: m,
                activity: gamma,
                temperatures: Vec::new(),
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
        // wave 6 (issue 10): a state's mean profile in the mixture, the
        // weight of software against techniques, the documents' prior
        for x in [0.05, 0.1, 0.2, 0.3] {
            add(&format!("w6: state share λ_s = {x}"), &|m| {
                m.state_share = x
            });
        }
        for x in [0.6, 0.8, 1.25, 1.5, 2.0, 2.5] {
            add(&format!("w6: software exponent {x}"), &|m| {
                m.software_exponent = x
            });
        }
        for x in [-0.5, 0.5, 1.0] {
            add(&format!("w6: document prior |r|^{x}"), &|m| {
                m.doc_size_exponent = x
            });
        }
    }
    v
}

#[derive(Serialize)]
struct Summary<'a> {
    schema: &'static str,
    data: String,
    every: usize,
    sets: &'a [String],
    counts: &'a SetCounts,
    seconds: f64,
    methods: &'a [MethodResult],
    temperatures: &'a [f64],
    #[serde(skip_serializing_if = "Option::is_none")]
    verdicts: Option<&'a verdict_report::Verdicts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    open: Option<&'a verdict_report::OpenFit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lovo: Option<&'a verdict_report::Lovo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lopo: Option<&'a ascribe_eval::lopo::LopoSelection>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .ok();
    }
    let sets: Vec<String> = args.set.iter().map(|x| x.trim().to_lowercase()).collect();
    for x in &sets {
        if !matches!(x.as_str(), "attack" | "open" | "lovo") {
            bail!("unknown case set {x:?}: use attack, open or lovo (comma-separated)");
        }
    }
    let has = |x: &str| sets.iter().any(|y| y == x);
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
    let every = args.every.max(1);
    let reports: Vec<CaseSpec> = bundle
        .report_cases()
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(_, c)| c)
        .collect();
    let mut cases: Vec<CaseSpec> = Vec::new();
    if has("attack") {
        cases.extend(bundle.campaign_cases());
    }
    if has("attack") || has("open") {
        cases.extend(reports.iter().cloned());
    }
    if has("open") {
        cases.extend(ascribe_eval::openset::open_cases(&facts, &reports));
    }
    let mut holdouts = Vec::new();
    let lovo_split = match args.lovo_split.trim().to_lowercase().as_str() {
        "all" => None,
        "fit" => Some(Split::Fit),
        "test" => Some(Split::Test),
        x => bail!("unknown --lovo-split {x:?}: use all, fit or test"),
    };
    if has("lovo") {
        let (lc, hs) =
            ascribe_eval::vendor::lovo_cases(&bundle, &facts, args.min_publisher_reports);
        cases.extend(
            lc.into_iter()
                .filter(|c| lovo_split.is_none_or(|s| c.split == s))
                .enumerate()
                .filter(|(i, _)| i % every == 0)
                .map(|(_, c)| c),
        );
        holdouts = hs;
    }
    if cases.is_empty() {
        bail!("no benchmark cases in {}", bundle_path.display());
    }
    // the true group's state in the whole knowledge base
    {
        let whole = ascribe_kb::KnowledgeBase::build(&facts);
        for c in &mut cases {
            c.truth_state = c.truth.iter().find_map(|g| {
                whole
                    .actor_by_id(g)
                    .and_then(|a| ascribe_reason::actor_state(&whole.actors[a]))
                    .map(|s| s.to_ascii_uppercase())
            });
        }
        share_rule_table(&whole, &cases);
    }
    let mut variants = variants(args.ablation && (has("attack") || has("lovo")));
    if let Some(only) = &args.only {
        let mut k = 0;
        variants.retain(|v| {
            k += 1;
            k == 1 || only.split(';').any(|o| v.name.contains(o))
        });
    }
    for t in &args.ablation_temperatures {
        if !TEMPERATURES.contains(t) {
            bail!("--ablation-temperatures: {t} is not in the grid {TEMPERATURES:?}");
        }
    }
    for v in variants.iter_mut().skip(1) {
        v.temperatures = args.ablation_temperatures.clone();
    }
    if args.with_before {
        variants.push(Variant {
            name: "before wave 7 (main at 4c7b0cd)".into(),
            ttp: before_wave7(),
            activity: ascribe_reason::Params::default().activity_exponent,
            temperatures: vec![1.0],
        });
    }
    eprintln!(
        "{} cases ({} campaigns, {} open-set, {} vendor holdout), {} variant(s) × {} temperatures …",
        cases.len(),
        cases.iter().filter(|c| c.set == Set::Campaigns).count(),
        cases.iter().filter(|c| c.set == Set::OpenSet).count(),
        cases.iter().filter(|c| c.set == Set::Vendor).count(),
        variants.len(),
        TEMPERATURES.len()
    );
    let results = run_all(&facts, &cases, &variants, !args.skip_beta_fit);
    let empty = results
        .iter()
        .filter(|r| r.set == Set::Reports && !r.truth_has_profile)
        .count();
    let counts = counts(&cases, empty);
    let methods = if has("attack") {
        evaluate(&results, &variants)
    } else {
        Vec::new()
    };
    let mut md = String::new();
    if has("attack") {
        md.push_str(&markdown(&methods, &counts, every));
    }
    if args.refit && !has("open") {
        bail!("--refit needs --set open (the fit)");
    }
    let open = has("open").then(|| verdict_report::open_fit(&cases, &results));
    let (pu_used, cal_used) = match (&open, args.refit) {
        (Some(o), true) => (
            o.chosen_pu
                .unwrap_or(ascribe_reason::Params::default().prior_unknown),
            o.fitted.clone(),
        ),
        _ => (
            ascribe_reason::Params::default().prior_unknown,
            ascribe_reason::calibrate::shipped(),
        ),
    };
    let verdicts = (has("attack") || has("open"))
        .then(|| verdict_report::verdicts_at(&cases, &results, pu_used, cal_used.clone()));
    if let Some(v) = &verdicts {
        md.push_str(&v.markdown());
    }
    if let Some(o) = &open {
        md.push_str(&o.markdown());
    }
    if has("open") {
        md.push_str(&state_beta_table(&results));
        if !args.skip_beta_fit {
            let bf = verdict_report::beta_fit(&cases, &results);
            md.push_str(&bf.markdown());
            eprintln!(
                "state resemblance β fitted on the known and open fitting halves: {:?}",
                bf.chosen
            );
        }
    }
    if has("open") {
        md.push_str(&SHARE_RULE_MD.with(|m| m.borrow().clone()));
    }
    let lovo = has("lovo")
        .then(|| verdict_report::lovo_at(&cases, &results, &holdouts, pu_used, &cal_used));
    if let Some(l) = &lovo {
        md.push_str(&l.markdown());
    }
    let lopo = (has("lovo") && lovo_split != Some(Split::Test)).then(|| {
        let publishers = results
            .iter()
            .filter(|r| r.set == Set::Vendor && r.split == Split::Fit)
            .filter_map(|r| cases[r.index].holdout.as_deref())
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        ascribe_eval::lopo::select(&results, &variants, publishers)
    });
    if has("lovo") {
        if let Some(vc) =
            ascribe_eval::lopo::vendor_calibration(&cases, &results, pu_used, &cal_used)
        {
            md.push_str(&vc.markdown());
        }
    }
    if args.with_before {
        md.push_str(&ascribe_eval::lopo::own_temperature_markdown(
            &results, &variants,
        ));
    }
    if let Some(l) = &lopo {
        md.push_str(&l.markdown());
        eprintln!(
            "leave-one-publisher-out (fitting half): chosen {:?} at temperature × {}",
            l.rows[l.chosen].variant, l.rows[l.chosen].t
        );
    }
    let seconds = t0.elapsed().as_secs_f64();
    md.push_str(&format!("Run time {seconds:.1} s.\n"));
    print!("{md}");
    if let Some(out) = &args.out {
        std::fs::create_dir_all(out)?;
        let summary = Summary {
            schema: "ascribe.eval/2",
            data: args.data.display().to_string(),
            every,
            sets: &sets,
            counts: &counts,
            seconds,
            methods: &methods,
            temperatures: &TEMPERATURES,
            verdicts: verdicts.as_ref(),
            open: open.as_ref(),
            lovo: lovo.as_ref(),
            lopo: lopo.as_ref(),
        };
        std::fs::write(
            out.join("summary.json"),
            serde_json::to_vec_pretty(&summary)?,
        )?;
        std::fs::write(out.join("report.md"), &md)?;
        let k = methods
            .first()
            .and_then(|m| TEMPERATURES.iter().position(|&t| t == m.fitted))
            .unwrap_or_else(shipped_t);
        write_cases(&out.join("cases.jsonl"), &cases, &results, k)?;
        if !methods.is_empty() {
            write_reliability(&out.join("reliability.csv"), &methods)?;
        }
        eprintln!("wrote {}", out.display());
    }
    if let Some(path) = &args.posteriors {
        let mut w = std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        );
        for r in &results {
            let c = &cases[r.index];
            let line = serde_json::json!({
                "id": c.id, "set": c.set, "split": c.split, "source": c.source,
                "holdout": c.holdout, "full": r.full,
            });
            serde_json::to_writer(&mut w, &line)?;
            w.write_all(b"\n")?;
        }
        w.flush()?;
    }
    if let Some(m) = methods.first() {
        print_fitted(&variants[0].ttp, m.fitted);
    }
    if let Some(o) = &open {
        eprintln!("{}", o.fitted_block());
    }
    if args.require.len() == 4 {
        let Some(m) = methods.first() else {
            bail!("--require needs the attack set");
        };
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
    if !args.require_lovo.is_empty() {
        let Some(l) = &lovo else {
            bail!("--require-lovo needs --set lovo");
        };
        if args.require_lovo.len() != 3 {
            bail!("--require-lovo takes three numbers: top-1, top-5, verdict names the true group");
        }
        let got = [
            l.all.ranking.top1,
            l.all.ranking.top5,
            l.all.verdict.correct,
        ];
        for (g, want) in got.iter().zip(&args.require_lovo) {
            if g + 1e-9 < *want {
                bail!("leave-one-vendor-out below the required floor: got {g:.3}, need {want:.3} (order: top-1, top-5, verdict names the true group)");
            }
        }
    }
    if !args.require_open.is_empty() {
        let (Some(o), Some(v)) = (&open, &verdicts) else {
            bail!("--require-open needs --set open");
        };
        if args.require_open.len() != 2 {
            bail!("--require-open takes two numbers: unknown leads on the open set, verdict names the true group on known groups (test halves)");
        }
        let got = [o.shipped_test.correct, v.test.correct];
        for (g, want) in got.iter().zip(&args.require_open) {
            if g + 1e-9 < *want {
                bail!("open-set check below the required floor: got {g:.3}, need {want:.3} (order: open set unknown leads, known verdict top-1; test halves)");
            }
        }
    }
    Ok(())
}

/// Index of the shipped temperature (multiplier 1) in [`TEMPERATURES`].
fn shipped_t() -> usize {
    TEMPERATURES.iter().position(|&t| t == 1.0).unwrap_or(0)
}

fn print_fitted(m: &TtpModel, t: f64) {
    eprintln!(
        "fitted (paste into crates/reason/src/fitted.rs):\n    report_share: {:?},\n    profile_share: {:?},\n    family_weight: {:?},\n    software_weight: {:?},\n    report_family_weight: {:?},\n    report_software_weight: {:?},\n    tactic_rho: {:?},\n    timing_share: {:?},\n    temperature: {:?},\n    state_share: {:?},\n    software_exponent: {:?},\n    doc_size_exponent: {:?},",
        m.report_share,
        m.profile_share,
        m.family_weight,
        m.software_weight,
        m.report_family_weight,
        m.report_software_weight,
        m.tactic_rho,
        m.timing_share,
        m.temperature * t,
        m.state_share,
        m.software_exponent,
        m.doc_size_exponent
    );
}

fn write_cases(
    path: &std::path::Path,
    cases: &[CaseSpec],
    results: &[CaseResult],
    k: usize,
) -> Result<()> {
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
            "holdout": c.holdout,
            "verdict": r.full.as_ref().map(|f| f.verdict(
                ascribe_reason::Params::default().prior_unknown,
                &ascribe_reason::calibrate::shipped(),
                c.set == Set::OpenSet,
            )),
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

fn markdown(methods: &[MethodResult], c: &SetCounts, every: usize) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "Cases: {} held-out campaigns ({} groups); {} new-report cases over {} groups{} ({} fit / {} test; {} with no profile left for the true group).\n\
         Leakage removed {} profile links for the campaigns ({} by citation, {} by text) and {} software links; {} profile links and {} software links over the report cases.\n\n",
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
        let nulls: Vec<(&str, &ascribe_eval::metrics::EceNull)> = methods
            .iter()
            .filter_map(|m| m.slice(slice).map(|x| (m.method.as_str(), &x.ece_null)))
            .collect();
        s.push_str(&ascribe_eval::verdict_report::ece_null_md("method", &nulls));
    }
    s
}

/// β of the states' unknown groups by maximum likelihood on the open
/// set's fitting half: the summed log-likelihood ratio of *an unknown
/// group of the true state* (the group removed from the knowledge base)
/// for each β; the test half is shown beside it, never used.
fn state_beta_table(results: &[ascribe_eval::run::CaseResult]) -> String {
    use ascribe_eval::run::STATE_BETAS;
    let sum = |split: Split| -> (usize, Vec<f64>) {
        let rs: Vec<&ascribe_eval::run::CaseResult> = results
            .iter()
            .filter(|r| {
                r.set == Set::OpenSet && r.split == split && r.state_llr.len() == STATE_BETAS.len()
            })
            .filter(|r| r.state_llr.iter().all(|x| x.is_finite()))
            .collect();
        let v = (0..STATE_BETAS.len())
            .map(|k| rs.iter().map(|r| r.state_llr[k]).sum::<f64>())
            .collect();
        (rs.len(), v)
    };
    let (nf, fit) = sum(Split::Fit);
    let (nt, test) = sum(Split::Test);
    let best = (0..STATE_BETAS.len())
        .max_by(|&a, &b| {
            fit[a]
                .partial_cmp(&fit[b])
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .unwrap_or(0);
    let mut md = format!(
        "\n## Unknown groups of states: β by maximum likelihood (open set)\n\nSummed log-likelihood ratio of *an unknown group of the true state* against the stateless unknown actor, over the open-set cases whose removed group has a state (fitting half {nf}, test half {nt}).\n\n| β | fitting half | test half |\n| ---: | ---: | ---: |\n"
    );
    for (k, b) in STATE_BETAS.iter().enumerate() {
        md.push_str(&format!(
            "| {b}{} | {:.2} | {:.2} |\n",
            if k == best {
                " (max, fitting half)"
            } else {
                ""
            },
            fit[k],
            test[k]
        ));
    }
    eprintln!(
        "state resemblance β by maximum likelihood on the open set's fitting half: {}",
        STATE_BETAS[best]
    );
    md
}

thread_local! {
    static SHARE_RULE_MD: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// The prior split of the unknown actor by state, two rules: the mean
/// log-probability each gives the removed group's state (or "no state") on
/// the open set, fitting and test halves (the states' shares of the whole
/// knowledge base; the case's own KB lacks one group).
fn share_rule_table(kb: &ascribe_kb::KnowledgeBase, cases: &[CaseSpec]) {
    let w = ascribe_reason::actor_prior_weights(
        kb,
        ascribe_reason::Params::default().activity_exponent,
    );
    let rules = [
        (
            "count (n_S / N)",
            ascribe_reason::unknown_states::state_shares_with(kb, None),
        ),
        (
            "activity-weighted",
            ascribe_reason::unknown_states::state_shares_with(kb, Some(&w)),
        ),
    ];
    let mut md = String::from("\n## Unknown groups of states: the prior split (open set)\n\nMean log-probability of the removed group's state (or of no state) under each rule.\n\n| rule | stateless share | fitting half | test half |\n| --- | ---: | ---: | ---: |\n");
    for (name, shares) in &rules {
        let stateless = (1.0 - shares.iter().map(|x| x.1).sum::<f64>()).max(1e-12);
        let ll = |split: Split| -> (usize, f64) {
            let v: Vec<f64> = cases
                .iter()
                .filter(|c| c.set == Set::OpenSet && c.split == split)
                .map(|c| match c.truth_state.as_deref() {
                    Some(s) => shares.iter().find(|x| x.0 == s).map_or(1e-12, |x| x.1).ln(),
                    None => stateless.ln(),
                })
                .collect();
            (v.len(), v.iter().sum::<f64>() / v.len().max(1) as f64)
        };
        let (nf, f) = ll(Split::Fit);
        let (nt, t) = ll(Split::Test);
        md.push_str(&format!(
            "| {name} | {stateless:.3} | {f:.3} (n {nf}) | {t:.3} (n {nt}) |\n"
        ));
        eprintln!("prior split {name}: stateless {stateless:.3}, mean log-probability of the true state: fit {f:.3} (n {nf}), test {t:.3} (n {nt})");
    }
    SHARE_RULE_MD.with(|m| *m.borrow_mut() = md);
}
