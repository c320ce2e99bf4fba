//! Command-line front end used by `bench/text/run.sh`.
//!
//! ```text
//! ascribe-text-extract [--kb] [--full] PATH...      # one JSON object per file (JSON lines)
//! ascribe-text-extract --throughput [--kb] FILE     # extraction speed on one file
//! ascribe-text-extract --passes FILE                # each pass of the full extraction timed
//! ```
//! `--kb` loads the vocabulary from the shared ATT&CK / MISP data
//! (`$ASCRIBE_DATA_DIR` or `../../../shared/data` from the crate).

#[path = "../tests/support/kb.rs"]
mod kb;

use std::collections::BTreeMap;

use ascribe_text::{
    extract, load_document, walk_documents, ExtractOptions, LoadOptions, Vocabulary,
};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let has = |f: &str| args.iter().any(|a| a == f);
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let vocab = if has("--kb") {
        kb::load_vocab()
    } else {
        Vocabulary::new()
    };
    if has("--passes") {
        // each pass of the full extraction timed alone on one file (best of 3, in process)
        let doc = load_document(paths[0]).expect("load");
        let vocab = kb::load_vocab();
        let empty = Vocabulary::new();
        let mb = doc.text.len() as f64 / 1e6;
        // CPU time of this process, all its threads (Linux: /proc/self/stat, 10 ms ticks),
        // which a loaded shared machine disturbs far less than wall time; a large text's
        // vocabulary search runs on a second thread, whose time counts too
        let cpu = || -> f64 {
            std::fs::read_to_string("/proc/self/stat")
                .ok()
                .and_then(|st| {
                    let rest = st.rsplit_once(')')?.1;
                    let f: Vec<&str> = rest.split_whitespace().collect();
                    let ticks: f64 =
                        f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
                    Some(ticks / 100.0)
                })
                .unwrap_or(f64::NAN)
        };
        let time = |label: &str, v: &Vocabulary, o: ExtractOptions| {
            let _ = extract(&doc, v, &o);
            let (mut best, mut best_cpu) = (f64::MAX, f64::MAX);
            for _ in 0..3 {
                let (t, c) = (std::time::Instant::now(), cpu());
                let _ = extract(&doc, v, &o);
                best = best.min(t.elapsed().as_secs_f64());
                best_cpu = best_cpu.min(cpu() - c);
            }
            println!(
                "{{\"pass\":\"{label}\",\"bytes\":{},\"best_seconds\":{best:.3},\"mb_per_s\":{:.1},\"best_cpu_seconds\":{best_cpu:.2},\"mb_per_cpu_s\":{:.1}}}",
                doc.text.len(),
                mb / best,
                mb / best_cpu
            );
        };
        let none = ExtractOptions {
            indicators: false,
            techniques: false,
            entities: false,
            claims: false,
            max_findings: usize::MAX,
            ..Default::default()
        };
        time(
            "sentences only (baseline of every pass)",
            &empty,
            none.clone(),
        );
        time(
            "indicators",
            &empty,
            ExtractOptions {
                indicators: true,
                ..none.clone()
            },
        );
        time(
            "indicators + technique ids",
            &empty,
            ExtractOptions {
                indicators: true,
                techniques: true,
                ..none.clone()
            },
        );
        time(
            "vocabulary (entities + technique names)",
            &vocab,
            ExtractOptions {
                techniques: true,
                entities: true,
                ..none.clone()
            },
        );
        time(
            "vocabulary + claims",
            &vocab,
            ExtractOptions {
                techniques: true,
                entities: true,
                claims: true,
                ..none.clone()
            },
        );
        time(
            "full (indicators, vocabulary, claims)",
            &vocab,
            ExtractOptions {
                max_findings: usize::MAX,
                ..Default::default()
            },
        );
        return;
    }
    if has("--throughput") {
        let doc = load_document(paths[0]).expect("load");
        let mut opts = ExtractOptions {
            max_findings: usize::MAX,
            ..Default::default()
        };
        if !has("--kb") {
            // indicators and technique ids only
            opts.claims = false;
            opts.entities = false;
        }
        let _ = extract(&doc, &vocab, &opts); // warm-up
        let runs = 3;
        let mut best = f64::MAX;
        let mut n = 0;
        for _ in 0..runs {
            let t = std::time::Instant::now();
            let x = extract(&doc, &vocab, &opts);
            best = best.min(t.elapsed().as_secs_f64());
            n = x.indicators.len();
        }
        let mb = doc.text.len() as f64 / 1e6;
        println!(
            "{{\"bytes\":{},\"indicators\":{},\"best_seconds\":{:.4},\"mb_per_s\":{:.1}}}",
            doc.text.len(),
            n,
            best,
            mb / best
        );
        return;
    }
    let opts = ExtractOptions::default();
    for p in paths {
        for item in walk_documents(p, &LoadOptions::default()) {
            match item.result {
                Err(e) => {
                    eprintln!("error: {e}");
                    println!(
                        "{}",
                        serde_json::json!({"file": item.path.display().to_string(), "error": e.to_string()})
                    );
                }
                Ok(doc) => {
                    let x = extract(&doc, &vocab, &opts);
                    if has("--full") {
                        println!("{}", serde_json::to_string(&x).expect("json"));
                    } else {
                        let mut by: BTreeMap<&str, Vec<String>> = BTreeMap::new();
                        for (k, v) in x.unique_indicators() {
                            by.entry(k.as_str()).or_default().push(v);
                        }
                        let defanged: Vec<String> = x
                            .indicators
                            .iter()
                            .filter(|i| i.defanged)
                            .map(|i| i.value.clone())
                            .collect();
                        println!(
                            "{}",
                            serde_json::json!({"file": item.path.display().to_string(), "indicators": by, "defanged": defanged, "warnings": x.warnings})
                        );
                    }
                }
            }
        }
    }
}
