//! End-to-end tests of the `ascribe` binary: the Sony example on the embedded
//! store, knowledge-base import and update, errors and exit codes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

mod common;
use common::{ascribe, json, root};

fn shared() -> PathBuf {
    let d = root().join("../shared/data");
    assert!(d.exists(), "../shared/data is missing beside the checkout");
    d
}

#[test]
fn sony_example_ranks_lazarus_first_on_the_embedded_store() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("fresh/ascribe.db");
    let o = ascribe(&store, &["analyze", "examples/sony-2014", "--json"]);
    let a = json(&o);
    assert!(String::from_utf8_lossy(&o.stderr).contains("embedded default knowledge base"));
    assert_eq!(a["schema"], "ascribe.assessment/1");
    assert_eq!(a["hypotheses"][0]["id"], "actor:G0032");
    assert_eq!(a["verdict"]["leader"], "actor:G0032");
    // The example is assessed as of the FBI statement (19 December 2014):
    // the group is likely, North Korea at the level of states very likely
    // or more.
    assert_eq!(a["knowledge_as_of"]["date"], "2014-12-19");
    let p = a["verdict"]["probability"].as_f64().unwrap();
    assert!(p > 0.55, "{p}");
    let words = a["verdict"]["likelihood"].as_str().unwrap();
    assert!(
        ["likely", "very-likely", "almost-certain"].contains(&words),
        "{words}"
    );
    assert_eq!(a["states"][0]["state"], "KP");
    let ps = a["states"][0]["posterior"].as_f64().unwrap();
    assert!(ps > 0.8, "{ps}");
    let sc = a["stress_test"]["scenarios"].as_array().unwrap();
    assert!(sc.iter().any(|s| s["name"] == "without cheap"));
    assert!(a["stress_test"]["summary"]
        .as_str()
        .unwrap()
        .contains("cheap"));
    // every item carries a forge cost and a source
    for e in a["evidence"].as_array().unwrap() {
        assert!(e["forge_cost"].is_string() && e["source"].is_string());
    }
    // the hypotheses include an unknown actor; the full ranking a false flag
    let ids: Vec<&str> = a["hypotheses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"unknown"), "{ids:?}");
    assert!(a["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["id"] == "false-flag:G0032"));
    assert!(!a["collect_next"].as_array().unwrap().is_empty());

    // the text and markdown reports render the same verdict
    let t = ascribe(&store, &["analyze", "examples/sony-2014"]);
    let text = String::from_utf8_lossy(&t.stdout);
    assert!(text.contains("Lazarus Group (G0032)") && text.contains("FALSE-FLAG STRESS TEST"));
    assert!(!text.contains("\x1b["), "NO_COLOR respected");
    let m = ascribe(&store, &["analyze", "examples/sony-2014", "--format", "md"]);
    assert!(String::from_utf8_lossy(&m.stdout).contains("## False-flag stress test"));
    assert!(String::from_utf8_lossy(&m.stdout).contains("## States"));

    // the full ranking adds up and carries every hypothesis; the states too
    let ranking = a["ranking"].as_array().unwrap();
    assert!(ranking.len() > a["hypotheses"].as_array().unwrap().len());
    let total: f64 = ranking
        .iter()
        .map(|r| r["posterior"].as_f64().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-6, "{total}");
    assert_eq!(ranking[0]["rank"], 1);
    let states = a["states"].as_array().unwrap();
    assert_eq!(states[0]["id"], "state:KP", "{}", states[0]);
    let st: f64 = states
        .iter()
        .map(|r| r["posterior"].as_f64().unwrap())
        .sum();
    assert!((st - 1.0).abs() < 1e-6, "{st}");
    assert!(a["state_verdict"].as_str().unwrap().contains("North Korea"));
    assert!(text.contains("STATES"));
    // the case holds binaries and code-reuse findings: not asked for again
    for s in a["collect_next"].as_array().unwrap() {
        assert!(!s["what"].as_str().unwrap().starts_with("Binaries"), "{s}");
    }
    // --top N lists N hypotheses of the ranking
    let t = ascribe(&store, &["analyze", "examples/sony-2014", "--top", "3"]);
    assert!(String::from_utf8_lossy(&t.stdout).contains("3 of "));
}

#[test]
fn removing_costly_items_lowers_the_confidence_honestly() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let full = json(&ascribe(
        &store,
        &["analyze", "examples/sony-2014", "--json"],
    ));
    // the same case without its costly (code-reuse) findings
    let text = std::fs::read_to_string(root().join("examples/sony-2014/case.toml")).unwrap();
    let mut out = String::new();
    let mut skip = false;
    for line in text.lines() {
        if line.starts_with("[[") || line.starts_with('[') {
            skip = line.trim() == "[[code_overlap]]";
        }
        if !skip {
            out.push_str(line);
            out.push('\n');
        }
    }
    let case = d.path().join("case-no-costly");
    std::fs::create_dir(&case).unwrap();
    std::fs::write(case.join("case.toml"), out).unwrap();
    let reduced = json(&ascribe(
        &store,
        &["analyze", case.to_str().unwrap(), "--json"],
    ));
    let p_full = full["verdict"]["probability"].as_f64().unwrap();
    let p_red = reduced["hypotheses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "actor:G0032")
        .unwrap()["posterior"]
        .as_f64()
        .unwrap();
    assert!(p_red < p_full, "{p_red} !< {p_full}");
    let rank = |c: &str| {
        ["low", "moderate", "high"]
            .iter()
            .position(|x| *x == c)
            .unwrap()
    };
    assert!(
        rank(reduced["verdict"]["confidence"].as_str().unwrap())
            <= rank(full["verdict"]["confidence"].as_str().unwrap())
    );
    // the stress test of the full case reports the same drop
    let no_costly = full["stress_test"]["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "without costly")
        .unwrap();
    assert!(no_costly["baseline_leader_probability"].as_f64().unwrap() < p_full);
}

#[test]
fn kb_import_counts_match_the_shared_readme() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let f = shared().join("attack/enterprise-attack.json");
    let r = json(&ascribe(
        &store,
        &["kb", "import", f.to_str().unwrap(), "--json"],
    ));
    let r = &r[0];
    assert_eq!(r["entities"]["group"], 172);
    assert_eq!(r["entities"]["campaign"], 52);
    assert_eq!(r["entities"]["malware"], 693);
    assert_eq!(r["entities"]["tool"], 91);
    assert_eq!(r["entities"]["technique"], 691);
    assert_eq!(r["relations"]["uses"], 17270);
    assert_eq!(r["relations"]["subtechnique-of"], 475);
    assert_eq!(r["relations"]["revoked-by"], 137);
    assert_eq!(r["relations"]["attributed-to"], 25);
    // importing again replaces, not duplicates
    let again = ascribe(&store, &["kb", "import", f.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("replaced"));
    let st = json(&ascribe(&store, &["kb", "stats", "--json"]));
    assert_eq!(
        st["entities"]["technique"].as_u64().unwrap(),
        691 + 132 + 12,
        "ATT&CK plus the embedded revoked/deprecated list"
    );
}

#[test]
fn kb_actor_resolves_aliases_and_reports_ambiguity() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    for name in ["Guardians of Peace", "HIDDEN COBRA", "Lazarus"] {
        let a = json(&ascribe(&store, &["kb", "actor", name, "--json"]));
        assert_eq!(a["actor"]["id"], "G0032", "{name}");
        assert!(!a["techniques"].as_array().unwrap().is_empty());
    }
    let amb = ascribe(&store, &["kb", "actor", "Bluenoroff"]);
    assert_eq!(amb.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&amb.stderr).contains("ambiguous"));
    let none = ascribe(&store, &["kb", "actor", "No Such Group 4711"]);
    assert_eq!(none.status.code(), Some(4));
}

/// Serve one file over HTTP/1.1 on loopback for `requests` requests.
fn serve(file: PathBuf, requests: usize) -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in l.incoming().take(requests) {
            let mut s = stream.unwrap();
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut line = String::new();
            r.read_line(&mut line).unwrap();
            loop {
                let mut h = String::new();
                if r.read_line(&mut h).unwrap() == 0 || h == "\r\n" {
                    break;
                }
            }
            let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
            if path.ends_with("missing.json") {
                let _ = s.write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
                continue;
            }
            let mut body = Vec::new();
            std::fs::File::open(&file)
                .unwrap()
                .read_to_end(&mut body)
                .unwrap();
            let _ = write!(s, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
            let _ = s.write_all(&body);
        }
    });
    format!("http://{addr}")
}

#[test]
fn kb_update_downloads_and_imports_over_http() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let base = serve(shared().join("attack/enterprise-attack.json"), 2);
    let url = format!("{base}/enterprise-attack.json");
    let r = json(&ascribe(&store, &["kb", "update", "--url", &url, "--json"]));
    assert_eq!(r["source_key"], "mitre-attack:enterprise-attack");
    assert_eq!(r["entities"]["group"], 172);
    let missing = ascribe(
        &store,
        &["kb", "update", "--url", &format!("{base}/missing.json")],
    );
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("404"),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
}

#[test]
fn malformed_inputs_fail_with_exit_code_3_and_a_location() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let case = d.path().join("bad");
    std::fs::create_dir(&case).unwrap();
    std::fs::write(
        case.join("case.toml"),
        "[case]\nname = \"x\"\n\n[[technique]]\nid = \"T1485\"\nsource = \"nowhere\"\n",
    )
    .unwrap();
    let o = ascribe(&store, &["analyze", case.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("case.toml:4:") && err.contains("[[source]]"),
        "{err}"
    );
    let junk = d.path().join("junk.json");
    std::fs::write(&junk, "{\"type\": \"bundle\", \"objects\": [1, 2").unwrap();
    let o = ascribe(&store, &["kb", "import", junk.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("junk.json"));
    let o = ascribe(&store, &["analyze"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn help_is_available_everywhere() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    for args in [
        &["--help"][..],
        &["analyze", "--help"],
        &["kb", "--help"],
        &["kb", "import", "--help"],
        &["kb", "update", "--help"],
        &["kb", "actor", "--help"],
    ] {
        let o = ascribe(&store, args);
        assert!(o.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("Usage"),
            "{args:?}"
        );
    }
}

#[test]
fn extract_lists_the_seed_claims_with_resolved_names_and_no_false_indicators() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let seeds = root().join("../shared/seeds");
    let o = ascribe(&store, &["extract", seeds.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let docs: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 4);
    let claims: Vec<&serde_json::Value> = docs
        .iter()
        .flat_map(|d| d["claims"].as_array().unwrap())
        .collect();
    let has = |src: &str, stance: &str, id: &str| {
        claims.iter().any(|c| {
            c["source"]["name"]
                .as_str()
                .is_some_and(|s| s.contains(src))
                && c["stance"] == stance
                && c["target"]["ids"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|x| x == id)
        })
    };
    assert!(has("FBI", "asserts", "KP"), "FBI attributes to North Korea");
    assert!(has("North Korea", "denies", "KP"), "North Korea denies");
    assert!(
        has("FBI", "suspects", "G0032"),
        "Unit 121 resolves to Lazarus Group"
    );
    assert!(has("Guardians of Peace", "claims-responsibility", "G0032"));
    let westin = claims
        .iter()
        .find(|c| {
            c["source"]["name"]
                .as_str()
                .is_some_and(|s| s.contains("Westin"))
        })
        .expect("Westin's doubt");
    assert_eq!(westin["stance"], "doubts");
    let alts = westin["alternatives"].to_string();
    assert!(
        alts.contains("sympathiser") && alts.contains("false flag"),
        "{alts}"
    );
    let state = claims.iter().any(|c| {
        c["qualifiers"].to_string().contains("state-sponsored")
            || c["sentence"]
                .as_str()
                .unwrap_or("")
                .contains("state-sponsored")
    });
    assert!(state);
    for d in &docs {
        assert!(
            d["indicators"].as_array().unwrap().is_empty(),
            "no indicators in the seeds: {}",
            d["indicators"]
        );
    }
}

#[test]
fn analyze_ingests_the_reports_in_the_case() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let a = json(&ascribe(
        &store,
        &["analyze", "examples/sony-2014", "--json"],
    ));
    let from_reports: Vec<&serde_json::Value> = a["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["observation"].as_str().unwrap().starts_with("reports/"))
        .collect();
    assert!(from_reports
        .iter()
        .any(|e| e["kind"] == "third-party-claim"
            && e["summary"].as_str().unwrap().contains("denies")));
    assert!(from_reports.iter().any(|e| e["kind"] == "self-claim"));
    assert!(from_reports
        .iter()
        .any(|e| e["summary"].as_str().unwrap().contains("Westin")));
    let tech_only = a["stress_test"]["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "technical only")
        .unwrap();
    assert_eq!(
        tech_only["leader"], "actor:G0032",
        "claims beside the technical verdict"
    );
}

#[test]
fn binaries_in_the_case_become_cheap_artifact_evidence() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    // In the example the stand-ins sit under an ILLUSTRATIVE marker: they
    // are inspected and listed, never weighed.
    let a = json(&ascribe(
        &store,
        &["analyze", "examples/sony-2014", "--json"],
    ));
    let ev = a["evidence"].as_array().unwrap();
    assert!(
        !ev.iter()
            .any(|e| e["observation"].as_str().unwrap().contains("binaries#")),
        "stand-ins must not weigh"
    );
    assert!(!ev.iter().any(|e| e["kind"] == "timezone"));
    let notes = a["warnings"].to_string();
    assert!(
        notes.contains("illustrative stand-in: Korean language resources")
            && notes.contains("UTC+9")
            && notes.contains("never weighed"),
        "{notes}"
    );
    let korean: Vec<_> = ev.iter().filter(|e| e["kind"] == "language").collect();
    assert_eq!(korean.len(), 1, "the reported Korean resources count once");
    // the sceptics' declared hypothesis is weighed through its own column
    let declared: Vec<_> = ev.iter().filter(|e| e["kind"] == "declared").collect();
    assert_eq!(declared.len(), 2);
    assert!(declared
        .iter()
        .all(|e| e["support"][0]["actor"] == "declared:sympathisers"));

    // The same files in an unmarked directory are inspected and weighed as
    // cheap evidence, and the Korean resources the case.toml also records
    // (from a news report) are one fact: counted once, both routes named.
    let case = d.path().join("case");
    std::fs::create_dir_all(case.join("binaries")).unwrap();
    std::fs::copy(
        root().join("examples/sony-2014/case.toml"),
        case.join("case.toml"),
    )
    .unwrap();
    for k in 1..=10 {
        let f = format!("standin-{k}.exe");
        std::fs::copy(
            root().join("examples/sony-2014/binaries").join(&f),
            case.join("binaries").join(&f),
        )
        .unwrap();
    }
    let a = json(&ascribe(
        &store,
        &["analyze", case.to_str().unwrap(), "--json"],
    ));
    let ev = a["evidence"].as_array().unwrap();
    let lang = ev
        .iter()
        .find(|e| {
            e["observation"].as_str().unwrap().starts_with("binaries#") && e["kind"] == "language"
        })
        .expect("Korean resources from the stand-in binaries");
    assert!(
        lang["duplicate_of"].is_null(),
        "the most reliable route counts"
    );
    assert!(
        lang["notes"]
            .to_string()
            .contains("one fact (language:korean)"),
        "{}",
        lang["notes"]
    );
    let other = ev
        .iter()
        .find(|e| e["kind"] == "language" && e["observation"] == "artifact-1")
        .expect("the reported Korean resources");
    assert_eq!(other["duplicate_of"], lang["id"]);
    assert_eq!(lang["forge_cost"], "cheap");
    assert!(lang["summary"].as_str().unwrap().contains("Korean"));
    let tz = ev
        .iter()
        .find(|e| e["kind"] == "timezone")
        .expect("time zone from compile timestamps");
    assert!(
        tz["summary"].as_str().unwrap().contains("UTC+9"),
        "{}",
        tz["summary"]
    );
    assert_eq!(tz["forge_cost"], "cheap");
    let notes = a["warnings"].to_string();
    assert!(
        notes.contains("binaries inspected") && notes.contains("PDB path"),
        "{notes}"
    );

    // `ascribe inspect` on the same files, as JSON Lines
    let o = ascribe(
        &store,
        &["inspect", "examples/sony-2014/binaries", "--json"],
    );
    assert!(o.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // ten stand-ins and the ILLUSTRATIVE marker (a text file)
    assert_eq!(lines.len(), 11);
    let (lines, marker): (Vec<_>, Vec<_>) = lines.into_iter().partition(|l| l["format"] == "pe");
    assert_eq!(lines.len(), 10);
    assert!(marker[0]["path"]
        .as_str()
        .unwrap()
        .ends_with("ILLUSTRATIVE"));
    for l in &lines {
        assert!(l["pe"]["resource_langids"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x == 0x412));
        assert_eq!(l["hashes"]["sha256"].as_str().unwrap().len(), 64);
    }
    // a non-binary in the batch is reported and the batch goes on
    let mixed = d.path().join("mixed");
    std::fs::create_dir(&mixed).unwrap();
    std::fs::copy(
        root().join("examples/sony-2014/binaries/standin-1.exe"),
        mixed.join("a.exe"),
    )
    .unwrap();
    std::fs::write(mixed.join("junk.bin"), b"MZ\x90\x00 not really a PE").unwrap();
    let o = ascribe(&store, &["inspect", mixed.to_str().unwrap()]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("a.exe") && out.contains("junk.bin"), "{out}");
}

#[test]
fn code_index_add_similar_and_code_reuse_evidence() {
    // coreutils binaries are on every Debian machine and share code with each other
    let (a, b, q) = (
        Path::new("/bin/ls"),
        Path::new("/bin/cp"),
        Path::new("/bin/mv"),
    );
    assert!(
        a.exists() && b.exists() && q.exists(),
        "coreutils binaries expected on the test machine"
    );
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let o = ascribe(
        &store,
        &[
            "index",
            "add",
            "--family",
            "coreutils",
            "--actor",
            "Lazarus Group",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("2 sample(s) added"));
    // idempotent re-add
    let o = ascribe(
        &store,
        &["index", "add", "--family", "coreutils", a.to_str().unwrap()],
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("1 already indexed"));
    let st = json(&ascribe(&store, &["index", "stats", "--json"]));
    assert_eq!(st["counts"]["samples"], 2);
    let sim = json(&ascribe(
        &store,
        &["similar", q.to_str().unwrap(), "--json"],
    ));
    let fam = &sim[0];
    assert_eq!(fam["family"], "coreutils");
    assert!(fam["shared_functions"].as_u64().unwrap() > 0);
    assert!(fam["top_pairs"].as_array().unwrap()[0]["query_address"]
        .as_u64()
        .is_some());
    // a case holding the query binary gets costly code-reuse evidence for the family's actor
    let case = d.path().join("case");
    std::fs::create_dir_all(case.join("bin")).unwrap();
    std::fs::copy(q, case.join("bin/mv")).unwrap();
    std::fs::write(case.join("case.toml"), "[case]\nname = \"code reuse\"\n").unwrap();
    let a = json(&ascribe(
        &store,
        &["analyze", case.to_str().unwrap(), "--json"],
    ));
    let e = a["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "code-reuse")
        .expect("code-reuse evidence");
    assert_eq!(e["forge_cost"], "costly");
    assert!(e["support"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["actor"] == "G0032"));
    assert!(
        e["summary"].as_str().unwrap().contains("0x"),
        "matched functions listed: {}",
        e["summary"]
    );
}

#[test]
fn own_reports_are_skipped_and_strict_fails_on_coded_warnings() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let case = d.path().join("case");
    std::fs::create_dir_all(&case).unwrap();
    std::fs::write(
        case.join("case.toml"),
        "[case]\nname = \"t\"\ndate = \"2014-11-24\"\n\n[[source]]\nid = \"s\"\ntitle = \"a vendor\"\nkind = \"vendor\"\n\n[[technique]]\nid = \"T1485\"\nsource = \"s\"\n\n[[claim]]\nclaimant = \"someone\"\nclaimant_kind = \"media\"\ntarget = \"Nobody Group Zzz\"\nstance = \"asserts\"\nsource = \"s\"\n",
    )
    .unwrap();
    let c = case.to_str().unwrap();
    // a report written into the case directory is not read back
    for (name, fmt) in [("assessment.md", "md"), ("assessment.json", "json")] {
        let out = case.join(name);
        let o = ascribe(
            &store,
            &["analyze", c, "--format", fmt, "-o", out.to_str().unwrap()],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let a = json(&ascribe(&store, &["analyze", c, "--json"]));
    let notes = a["warnings"].to_string();
    assert!(
        notes.contains("assessment.md: a report ascribe wrote")
            && notes.contains("assessment.json: a report ascribe wrote"),
        "{notes}"
    );
    assert!(!notes.contains("assessment.md: extracted"), "{notes}");
    // the unknown actor is a coded warning in the JSON
    let d0 = a["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["severity"] == "warning")
        .expect("a coded warning");
    assert_eq!(d0["code"], "W001");
    assert_eq!(d0["name"], "unknown-actor");
    // without --strict it exits 0; with it, 5, and the report is still written
    let o = ascribe(&store, &["analyze", c, "--strict"]);
    assert_eq!(o.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&o.stdout).contains("VERDICT"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--strict") && err.contains("W001 unknown-actor ×1"),
        "{err}"
    );
    // a clean case passes --strict
    let clean = std::fs::read_to_string(case.join("case.toml"))
        .unwrap()
        .replace("Nobody Group Zzz", "North Korea");
    std::fs::write(case.join("case.toml"), clean).unwrap();
    let o = ascribe(&store, &["analyze", c, "--strict"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn store_copy_from_a_store_that_does_not_exist_fails_and_creates_nothing() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let missing = d.path().join("typo.db");
    let target = d.path().join("target.db");
    let from = format!("sqlite:{}", missing.display());
    let to = format!("sqlite:{}", target.display());
    let o = ascribe(&store, &["store", "copy", "--from", &from, "--to", &to]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no store at") && err.contains("typo.db"),
        "{err}"
    );
    assert!(!missing.exists(), "the source was created");
    assert!(!target.exists(), "the target was created");
}

#[test]
fn json_and_another_format_together_are_a_usage_error() {
    // `--json` is `--format json`: with `--format md` one of them would be
    // silently ignored
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let case = d.path().join("c");
    std::fs::create_dir(&case).unwrap();
    std::fs::write(case.join("case.toml"), "[case]\nname = \"x\"\n").unwrap();
    let c = case.to_str().unwrap();
    for f in ["md", "text", "stix"] {
        let o = ascribe(&store, &["analyze", c, "--json", "--format", f]);
        assert_eq!(o.status.code(), Some(2), "--json --format {f}: {o:?}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("cannot be used with"),
            "{o:?}"
        );
    }
    assert!(ascribe(&store, &["analyze", c, "--json"]).status.success());
    assert!(ascribe(&store, &["analyze", c, "--format", "md"])
        .status
        .success());
}

#[test]
fn index_stats_prints_text_unless_json_is_asked() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let o = ascribe(
        &store,
        &["index", "add", "--family", "coreutils", "/bin/ls"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = ascribe(&store, &["index", "stats"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains(": 1 samples, "), "{out}");
    assert!(out.contains("coreutils") && !out.contains('{'), "{out}");
}
