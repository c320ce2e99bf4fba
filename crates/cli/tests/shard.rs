//! The CLI on a sharded PostgreSQL store: `store shard init`, then the same
//! verdict and look-ups as the embedded store for examples/sony-2014 (its
//! FBI indicators imported), `store stats` per shard, `store shard check`,
//! and a shard that fails: an error naming it, or with `--allow-partial`
//! the live shards' answer and the missing shard named. Needs
//! `ASCRIBE_TEST_PG_URL` (coordinator) and `ASCRIBE_TEST_PG_SHARDS`
//! (url1,url2,url3); without them the test prints why it skips, unless
//! `ASCRIBE_TEST_PG=1` (CI), which makes it fail. Every node works in a
//! schema of this test, dropped at the end.
#![cfg(feature = "postgres")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Nodes {
    coord: String,
    shards: Vec<String>,
    schema: String,
}

impl Nodes {
    /// A node's URL that puts its tables in this test's schema.
    fn url(&self, base: &str) -> String {
        let sep = if base.contains('?') { '&' } else { '?' };
        format!("{base}{sep}options=-csearch_path%3D{}", self.schema)
    }
    fn all(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.coord).chain(&self.shards)
    }
}

impl Drop for Nodes {
    fn drop(&mut self) {
        for u in self.all() {
            if let Ok(mut c) = postgres::Client::connect(u, postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
            }
        }
    }
}

fn nodes(test: &str) -> Option<Nodes> {
    let coord = std::env::var("ASCRIBE_TEST_PG_URL").unwrap_or_default();
    let shards = std::env::var("ASCRIBE_TEST_PG_SHARDS").unwrap_or_default();
    if coord.is_empty() || shards.is_empty() {
        if std::env::var("ASCRIBE_TEST_PG").as_deref() == Ok("1") {
            panic!(
                "ASCRIBE_TEST_PG=1 but ASCRIBE_TEST_PG_URL or ASCRIBE_TEST_PG_SHARDS is not set"
            );
        }
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipping {test}: set ASCRIBE_TEST_PG_URL=postgres://… and ASCRIBE_TEST_PG_SHARDS=url1,url2,url3 to run it on a sharded store"
        );
        return None;
    }
    let n = Nodes {
        coord,
        shards: shards.split(',').map(|s| s.trim().to_string()).collect(),
        schema: format!("clish_{}_{}", test, std::process::id()),
    };
    for u in n.all() {
        let mut c = postgres::Client::connect(u, postgres::NoTls).expect("connect");
        c.batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {0} CASCADE; CREATE SCHEMA {0}",
            n.schema
        ))
        .expect("create the test schema");
    }
    Some(n)
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sony-2014")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ascribe"))
        .args(args)
        .env_remove("ASCRIBE_DATABASE")
        .env_remove("ASCRIBE_STORE")
        .output()
        .unwrap()
}

fn ascribe(args: &[&str]) -> String {
    let o = run(args);
    assert!(
        o.status.success(),
        "ascribe {args:?}: {}\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap()
}

#[test]
fn sony_on_three_shards_gets_the_embedded_stores_verdict_and_a_failed_shard_is_named() {
    let Some(n) = nodes("sony") else { return };
    let coord = n.url(&n.coord);
    let mut init = vec!["store", "shard", "init", "--coordinator", &coord, "--json"];
    let shard_urls: Vec<String> = n.shards.iter().map(|s| n.url(s)).collect();
    for s in &shard_urls {
        init.extend(["--shard", s.as_str()]);
    }
    let made = json(&ascribe(&init));
    assert_eq!(
        made["layout"]["shards"].as_array().unwrap().len(),
        n.shards.len()
    );
    let pw = url_password(&coord);
    assert!(
        !pw.is_empty() && !made.to_string().contains(&format!(":{pw}@")),
        "no password kept: {made}"
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.db");
    let file = file.to_str().unwrap();
    let case = example();
    let case = case.to_str().unwrap();
    let intel = example().join("intel/fbi-2014-12-19.misp-event.json");
    let intel = intel.to_str().unwrap();
    for store in [["--database", coord.as_str()], ["--store", file]] {
        ascribe(&[store[0], store[1], "intel", "import", intel]);
    }
    let sh = json(&ascribe(&["--database", &coord, "analyze", case, "--json"]));
    let sq = json(&ascribe(&["--store", file, "analyze", case, "--json"]));
    assert_eq!(sh["verdict"], sq["verdict"]);
    assert_eq!(sh["hypotheses"], sq["hypotheses"]);
    assert_eq!(sh["infrastructure_matches"], sq["infrastructure_matches"]);
    assert!(sh.get("missing_shards").is_none());
    let q = [
        "intel",
        "lookup",
        "--json",
        "203.131.222.102",
        "203.131.222.7",
    ];
    let sh_hits = ascribe(&[&["--database", coord.as_str()][..], &q[..]].concat());
    let sq_hits = ascribe(&[&["--store", file][..], &q[..]].concat());
    assert_eq!(json(&sh_hits), json(&sq_hits));

    // every distributed row is on a shard, the shards agree
    let stats = json(&ascribe(&[
        "--database",
        &coord,
        "store",
        "stats",
        "--json",
    ]));
    let tables = stats["tables"].as_array().unwrap();
    let key = tables.iter().find(|t| t["table"] == "intel_key").unwrap();
    assert_eq!(key["coordinator"], 0);
    let per: Vec<u64> = key["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_u64().unwrap())
        .collect();
    assert!(
        per.iter().sum::<u64>() > 0 && per.iter().filter(|c| **c > 0).count() > 1,
        "{per:?}"
    );
    ascribe(&["--database", &coord, "store", "shard", "check"]);

    // the shard holding 203.131.222.102's exact key loses its table
    let k = ascribe_store_pg::shard::shard_index(b"ipv4:203.131.222.102", n.shards.len());
    let mut c = postgres::Client::connect(&n.shards[k], postgres::NoTls).unwrap();
    c.batch_execute(&format!(
        "ALTER TABLE {}.intel_key RENAME TO away",
        n.schema
    ))
    .unwrap();
    let o = run(&[&["--database", coord.as_str()][..], &q[..]].concat());
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!("shard {} of {}", k + 1, n.shards.len())),
        "{err}"
    );
    assert!(err.contains("--allow-partial"), "{err}");
    let partial = json(&ascribe(
        &[
            &["--database", coord.as_str()][..],
            &q[..],
            &["--allow-partial"][..],
        ]
        .concat(),
    ));
    let missing = partial["missing_shards"].as_array().unwrap();
    assert_eq!(missing.len(), 1);
    assert!(missing[0]
        .as_str()
        .unwrap()
        .starts_with(&format!("shard {} of", k + 1)));
    let text = ascribe(&[
        "--database",
        &coord,
        "intel",
        "lookup",
        "--allow-partial",
        "203.131.222.102",
    ]);
    assert!(
        text.starts_with(&format!("PARTIAL: shard {} of", k + 1)),
        "{text}"
    );
    // analyze matches the case's indicators through the same look-up; a
    // failing look-up is the pipeline's warning naming the shard, and no
    // intelligence is used (never a silent part of it)
    let whole = ascribe(&["--database", &coord, "analyze", case, "--json"]);
    assert!(
        whole.contains(&format!("shard {} of", k + 1)) && whole.contains("analysed without it"),
        "{whole}"
    );
    let none = &json(&whole)["infrastructure_matches"];
    assert!(none.is_null() || none == &serde_json::json!([]), "{none}");
    let part = ascribe(&[
        "--database",
        &coord,
        "analyze",
        case,
        "--json",
        "--allow-partial",
    ]);
    // the live shards' intelligence is used, the missing shard is named
    assert!(!part.contains("analysed without it"), "{part}");
    let part = json(&part);
    let missing = part["missing_shards"].as_array().unwrap();
    assert_eq!(missing.len(), 1);
    assert!(missing[0]
        .as_str()
        .unwrap()
        .starts_with(&format!("shard {} of", k + 1)));
    c.batch_execute(&format!(
        "ALTER TABLE {}.away RENAME TO intel_key",
        n.schema
    ))
    .unwrap();
    ascribe(&["--database", &coord, "store", "shard", "check"]);
}

#[test]
fn shard_commands_have_help_and_refuse_missing_options() {
    for args in [
        &["store", "shard", "--help"][..],
        &["store", "shard", "init", "--help"],
        &["store", "shard", "check", "--help"],
        &["store", "stats", "--help"],
    ] {
        let o = run(args);
        assert!(o.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("Usage"),
            "{args:?}"
        );
    }
    let help = String::from_utf8(run(&["intel", "lookup", "--help"]).stdout).unwrap();
    assert!(help.contains("--allow-partial"), "{help}");
    // no coordinator, no database: a usage error naming the option
    let o = run(&[
        "store",
        "shard",
        "init",
        "--shard",
        "postgres://x@127.0.0.1:1/y",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--coordinator"));
    let o = run(&[
        "store",
        "shard",
        "init",
        "--coordinator",
        "/tmp/x.db",
        "--shard",
        "postgres://x@127.0.0.1:1/y",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["store", "stats"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--database"));
    // an unreachable coordinator is named without its password
    let o = run(&[
        "store",
        "shard",
        "init",
        "--coordinator",
        "postgres://u:secret@127.0.0.1:1/c",
        "--shard",
        "postgres://u@127.0.0.1:1/s",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("postgres://u@127.0.0.1:1/c") && !err.contains("secret"),
        "{err}"
    );
}

/// The password of a `postgres://user:password@host/…` URL (empty when none),
/// so that "no password in the message" checks the real one.
fn url_password(url: &str) -> String {
    url.split_once("://")
        .and_then(|(_, r)| r.split_once('@'))
        .and_then(|(c, _)| c.split_once(':'))
        .map(|(_, p)| p.to_string())
        .unwrap_or_default()
}

/// Executables of the test machine for the code index (coreutils and friends).
fn code_bins() -> Vec<String> {
    let v: Vec<String> = [
        "ls", "cp", "mv", "cat", "rm", "ln", "chmod", "chown", "date", "dd", "df", "du", "echo",
        "mkdir", "sort", "head", "tail", "wc", "uniq", "cut", "tr", "env", "sleep", "touch",
    ]
    .iter()
    .map(|b| format!("/usr/bin/{b}"))
    .filter(|b| Path::new(b).exists())
    .collect();
    assert!(
        v.len() >= 10,
        "coreutils binaries expected on the test machine"
    );
    v
}

/// The code index sharded across the three shards: `index add` killed with SIGKILL mid-ingest
/// loses nothing it acknowledged and a re-run completes; then `index stats|verify`,
/// `similar` and `store shard check` answer as the embedded index does, and a failing shard
/// is named — or with `--allow-partial` left out and said so.
#[test]
fn the_code_index_on_three_shards_survives_kill_9_and_answers_as_the_embedded_one() {
    let Some(n) = nodes("code") else { return };
    let coord = n.url(&n.coord);
    let mut init = vec!["store", "shard", "init", "--coordinator", &coord];
    let shard_urls: Vec<String> = n.shards.iter().map(|s| n.url(s)).collect();
    for s in &shard_urls {
        init.extend(["--shard", s.as_str()]);
    }
    ascribe(&init);
    let bins = code_bins();
    let (fit, query) = bins.split_at(bins.len() - 1);
    let fit: Vec<&str> = fit.iter().map(|s| s.as_str()).collect();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.db");
    let file = file.to_str().unwrap();
    let add = |store: [&str; 2]| -> Vec<String> {
        [store[0], store[1], "index", "add", "--family", "coreutils"]
            .iter()
            .map(|x| x.to_string())
            .chain(fit.iter().map(|x| x.to_string()))
            .collect()
    };
    ascribe(
        &add(["--store", file])
            .iter()
            .map(|x| x.as_str())
            .collect::<Vec<_>>(),
    );
    let samples = |o: &Output| -> u64 {
        serde_json::from_slice::<serde_json::Value>(&o.stdout)
            .map(|v| v["counts"]["samples"].as_u64().unwrap_or(0))
            .unwrap_or(0)
    };
    // the batch size is checked before anything is written
    let o = Command::new(env!("CARGO_BIN_EXE_ascribe"))
        .args(add(["--database", &coord]))
        .env("ASCRIBE_INDEX_BATCH", "many")
        .env_remove("ASCRIBE_DATABASE")
        .env_remove("ASCRIBE_STORE")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("ASCRIBE_INDEX_BATCH"));
    // a writer killed (SIGKILL) once it has committed a sample or two; it writes in batches
    // (one transaction a shard, acknowledged by the coordinator) of about two files
    let mut w = Command::new(env!("CARGO_BIN_EXE_ascribe"))
        .args(add(["--database", &coord]))
        .env("ASCRIBE_INDEX_BATCH", "600")
        .env_remove("ASCRIBE_DATABASE")
        .env_remove("ASCRIBE_STORE")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut seen = 0;
    for _ in 0..2000 {
        let o = run(&["--database", &coord, "index", "stats", "--json"]);
        seen = samples(&o);
        if seen >= 2 || w.try_wait().unwrap().is_some() {
            break;
        }
    }
    w.kill().unwrap(); // SIGKILL
    w.wait().unwrap();
    let o = run(&["--database", &coord, "index", "stats", "--json"]);
    let acknowledged = samples(&o);
    assert!(acknowledged >= seen, "{acknowledged} < {seen}");
    // what is there is sound (orphans of the killed sample, if any, are no problem)
    ascribe(&["--database", &coord, "index", "verify"]);
    // the re-run completes
    let again = ascribe(
        &add(["--database", &coord])
            .iter()
            .map(|x| x.as_str())
            .collect::<Vec<_>>(),
    );
    assert!(
        again.contains(&format!(
            "{} sample(s) added",
            fit.len() as u64 - acknowledged
        )),
        "{again}"
    );
    let st = json(&ascribe(&[
        "--database",
        &coord,
        "index",
        "stats",
        "--json",
    ]));
    assert_eq!(
        st,
        json(&ascribe(&["--store", file, "index", "stats", "--json"]))
    );
    assert!(ascribe(&["--database", &coord, "index", "verify"]).contains("ok"));
    ascribe(&["--database", &coord, "store", "shard", "check"]);
    let sh = json(&ascribe(&[
        "--database",
        &coord,
        "similar",
        &query[0],
        "--json",
    ]));
    let sq = json(&ascribe(&["--store", file, "similar", &query[0], "--json"]));
    assert_eq!(
        sh, sq,
        "the same answers from the shards and the embedded index"
    );
    assert!(!sh.as_array().unwrap().is_empty());
    // one shard's postings go away: an error naming it, or a partial answer saying so
    let k = n.shards.len() - 1;
    let mut c = postgres::Client::connect(&n.shards[k], postgres::NoTls).unwrap();
    c.batch_execute(&format!(
        "ALTER TABLE {}.code_posting RENAME TO away",
        n.schema
    ))
    .unwrap();
    let o = run(&["--database", &coord, "similar", &query[0]]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!("shard {} of", k + 1)) && err.contains("--allow-partial"),
        "{err}"
    );
    let part = ascribe(&[
        "--database",
        &coord,
        "similar",
        &query[0],
        "--allow-partial",
    ]);
    assert!(
        part.contains(&format!("PARTIAL: shard {} of", k + 1)),
        "{part}"
    );
    c.batch_execute(&format!(
        "ALTER TABLE {}.away RENAME TO code_posting",
        n.schema
    ))
    .unwrap();
}
