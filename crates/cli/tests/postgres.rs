//! The CLI on PostgreSQL (`--database`): the embedded knowledge base
//! imported into PostgreSQL analyses examples/sony-2014 to the same verdict
//! as the embedded store, intelligence included, and `store copy` moves a
//! store both ways, verified. Needs `ASCRIBE_TEST_PG_URL`
//! (e.g. `postgres://ascribe:ascribe@localhost:5432/ascribe_test`); without
//! it the tests print why they skip, unless `ASCRIBE_TEST_PG=1` (CI), which
//! makes them fail. Each test uses a schema of its own, dropped at the end.
#![cfg(feature = "postgres")]

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "common/pg.rs"]
mod pg;
use pg::test_db;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sony-2014")
}

fn ascribe(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_ascribe"))
        .args(args)
        .env_remove("ASCRIBE_DATABASE")
        .env_remove("ASCRIBE_STORE")
        .output()
        .unwrap();
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
fn sony_on_postgres_gets_the_embedded_stores_verdict() {
    let Some(db) = test_db("sony") else { return };
    let url = db.url();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.db");
    let file = file.to_str().unwrap();
    let case = example();
    let case = case.to_str().unwrap();
    let intel = example().join("intel/fbi-2014-12-19.misp-event.json");
    let intel = intel.to_str().unwrap();
    // the first use fills PostgreSQL with the embedded knowledge base
    let stats = json(&ascribe(&["--database", &url, "kb", "stats", "--json"]));
    let file_stats = json(&ascribe(&["--store", file, "kb", "stats", "--json"]));
    assert_eq!(stats["entities"], file_stats["entities"]);
    assert_eq!(stats["sources"], file_stats["sources"]);
    assert_eq!(stats["conflicts"], file_stats["conflicts"]);
    assert!(
        stats["actors"].as_u64().unwrap() > 500,
        "{}",
        stats["actors"]
    );
    for store in [["--database", url.as_str()], ["--store", file]] {
        ascribe(&[store[0], store[1], "intel", "import", intel]);
    }
    let pg = json(&ascribe(&["--database", &url, "analyze", case, "--json"]));
    let sq = json(&ascribe(&["--store", file, "analyze", case, "--json"]));
    assert_eq!(pg["verdict"], sq["verdict"]);
    assert_eq!(pg["hypotheses"], sq["hypotheses"]);
    assert_eq!(pg["infrastructure_matches"], sq["infrastructure_matches"]);
    // the FBI indicators imported into PostgreSQL are matched
    assert!(
        pg["infrastructure_matches"].as_array().unwrap().len() >= 5,
        "{}",
        pg["infrastructure_matches"]
    );
    assert!(
        pg["verdict"]["leader_label"]
            .as_str()
            .unwrap()
            .contains("Lazarus"),
        "{}",
        pg["verdict"]
    );
    let q = [
        "intel",
        "lookup",
        "--json",
        "203.131.222.102",
        "203.131.222.7",
    ];
    let pg_hits = ascribe(&[&["--database", url.as_str()][..], &q[..]].concat());
    let sq_hits = ascribe(&[&["--store", file][..], &q[..]].concat());
    assert_eq!(json(&pg_hits), json(&sq_hits));
    assert!(pg_hits.contains("203.131.222.102"), "{pg_hits}");
}

#[test]
fn store_copy_both_ways_is_verified() {
    let Some(db) = test_db("copy") else { return };
    let url = db.url();
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.db");
    let a = a.to_str().unwrap();
    let back = dir.path().join("back.db");
    let intel = example().join("intel/fbi-2014-12-19.misp-event.json");
    ascribe(&["--store", a, "kb", "stats"]); // fills it with the embedded KB
    ascribe(&["--store", a, "intel", "import", intel.to_str().unwrap()]);
    let to_pg = json(&ascribe(&[
        "store",
        "copy",
        "--from",
        &format!("sqlite:{a}"),
        "--to",
        &url,
        "--json",
    ]));
    assert_eq!(to_pg["verified"], true, "{to_pg}");
    assert_eq!(to_pg["from"]["intel_records"], 7);
    assert!(to_pg["from"]["entities"].as_u64().unwrap() > 1000);
    let to_file = json(&ascribe(&[
        "store",
        "copy",
        "--from",
        &url,
        "--to",
        &format!("sqlite:{}", back.display()),
        "--json",
    ]));
    assert_eq!(to_file["verified"], true, "{to_file}");
    // the same records end to end
    assert_eq!(to_file["to"]["sha256"], to_pg["from"]["sha256"]);
    // the copy is a real store: the same verdict from it
    let case = example();
    let x = json(&ascribe(&[
        "--store",
        a,
        "analyze",
        case.to_str().unwrap(),
        "--json",
    ]));
    let y = json(&ascribe(&[
        "--store",
        back.to_str().unwrap(),
        "analyze",
        case.to_str().unwrap(),
        "--json",
    ]));
    assert_eq!(x["verdict"], y["verdict"]);
    assert_eq!(x["infrastructure_matches"], y["infrastructure_matches"]);
}

#[test]
fn kb_import_into_postgres_adds_a_source_and_refuses_a_wipe() {
    let Some(db) = test_db("kb_import") else {
        return;
    };
    let url = db.url();
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("b.json");
    std::fs::write(
        &bundle,
        r#"{"type":"bundle","id":"bundle--4b1d2d2e-0000-4000-8000-000000000001","objects":[
  {"type":"intrusion-set","id":"intrusion-set--4b1d2d2e-0000-4000-8000-000000000002","name":"Pgtest Panda","aliases":["Pgtest Panda","Quartz Otter"]}
]}"#,
    )
    .unwrap();
    let before = json(&ascribe(&["--database", &url, "kb", "stats", "--json"]));
    let n_before = before["sources"].as_array().unwrap().len();
    ascribe(&["--database", &url, "kb", "import", bundle.to_str().unwrap()]);
    // importing again replaces the source: nothing doubles
    ascribe(&["--database", &url, "kb", "import", bundle.to_str().unwrap()]);
    let after = json(&ascribe(&["--database", &url, "kb", "stats", "--json"]));
    assert_eq!(after["sources"].as_array().unwrap().len(), n_before + 1);
    assert_eq!(
        after["actors"].as_u64().unwrap(),
        before["actors"].as_u64().unwrap() + 1
    );
    let actor = ascribe(&["--database", &url, "kb", "actor", "Quartz Otter"]);
    assert!(actor.contains("Pgtest Panda"), "{actor}");
    // a revocation list with nothing in it would wipe a source: refused (6)
    let empty = dir.path().join("empty.json");
    std::fs::write(&empty, "[]").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_ascribe"))
        .args(["--database", &url, "kb", "import", empty.to_str().unwrap()])
        .env_remove("ASCRIBE_STORE")
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(6),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let last = json(&ascribe(&["--database", &url, "kb", "stats", "--json"]));
    assert_eq!(last["sources"], after["sources"]);
}

/// Coreutils binaries on the test machine (code-index tests).
fn bins() -> Vec<&'static str> {
    let v: Vec<&str> = [
        "/bin/ls", "/bin/cp", "/bin/mv", "/bin/cat", "/bin/rm", "/bin/ln",
    ]
    .into_iter()
    .filter(|b| Path::new(b).exists())
    .collect();
    assert!(
        v.len() >= 4,
        "coreutils binaries expected on the test machine"
    );
    v
}

#[test]
fn the_code_index_on_postgres_answers_as_the_embedded_one_and_copies_both_ways() {
    let Some(db) = test_db("code") else { return };
    let url = db.url();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.db");
    let file = file.to_str().unwrap();
    let bins = bins();
    let (fit, query) = bins.split_at(bins.len() - 1);
    for store in [["--database", url.as_str()], ["--store", file]] {
        let add = [
            &[store[0], store[1], "index", "add", "--family", "coreutils"][..],
            fit,
        ]
        .concat();
        let o = ascribe(&add);
        assert!(o.contains(&format!("{} sample(s) added", fit.len())), "{o}");
        // again: nothing added
        assert!(ascribe(&add).contains("0 sample(s) added"));
    }
    let pg = json(&ascribe(&[
        "--database",
        &url,
        "similar",
        query[0],
        "--json",
    ]));
    let sq = json(&ascribe(&["--store", file, "similar", query[0], "--json"]));
    assert_eq!(
        pg, sq,
        "the same answers from PostgreSQL and the embedded index"
    );
    assert!(!pg.as_array().unwrap().is_empty());
    // the default reads through two connections in one snapshot; one or three give the same
    for n in ["1", "3"] {
        let o = Command::new(env!("CARGO_BIN_EXE_ascribe"))
            .args(["--database", &url, "similar", query[0], "--json"])
            .env("ASCRIBE_DB_READERS", n)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(
            json(&String::from_utf8(o.stdout).unwrap()),
            pg,
            "{n} reader(s)"
        );
    }
    let o = Command::new(env!("CARGO_BIN_EXE_ascribe"))
        .args(["--database", &url, "similar", query[0]])
        .env("ASCRIBE_DB_READERS", "0")
        .output()
        .unwrap();
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success() && e.contains("ASCRIBE_DB_READERS"),
        "{e}"
    );
    let st = json(&ascribe(&["--database", &url, "index", "stats", "--json"]));
    assert_eq!(
        st,
        json(&ascribe(&["--store", file, "index", "stats", "--json"]))
    );
    let v = ascribe(&["--database", &url, "index", "verify"]);
    assert!(v.trim_end().ends_with("ok"), "{v}");
    // embedded → a new database schema → a new embedded store, verified
    let Some(db2) = test_db("code_copy") else {
        return;
    };
    let url2 = db2.url();
    let there = json(&ascribe(&[
        "store", "copy", "--from", file, "--to", &url2, "--json",
    ]));
    assert_eq!(there["verified"], true, "{there}");
    assert_eq!(there["code"]["added"], fit.len() as u64);
    assert_eq!(there["code"]["from"], there["code"]["to"]);
    let back = dir.path().join("back.db");
    let back = back.to_str().unwrap();
    let home = json(&ascribe(&[
        "store", "copy", "--from", &url2, "--to", back, "--json",
    ]));
    assert_eq!(home["verified"], true, "{home}");
    assert_eq!(
        home["code"]["to"]["sha256"],
        there["code"]["from"]["sha256"]
    );
    assert_eq!(
        json(&ascribe(&["--store", back, "similar", query[0], "--json"])),
        sq
    );
}

#[test]
fn concurrent_index_add_processes_into_postgres_store_each_file_once() {
    let Some(db) = test_db("code_conc") else {
        return;
    };
    let url = db.url();
    let bins = bins();
    let half = bins.len() / 2;
    ascribe(&["--database", &url, "index", "stats"]); // migrate once, before the race
    let spawn = |files: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_ascribe"))
            .args(["--database", &url, "index", "add", "--family", "coreutils"])
            .args(files)
            .env_remove("ASCRIBE_STORE")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    // overlapping inputs, in opposite orders
    let mut rev = bins.clone();
    rev.reverse();
    let (w1, w2) = (spawn(&bins[..=half]), spawn(&rev[..=half + 1]));
    for w in [w1, w2] {
        let o = w.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let st = json(&ascribe(&["--database", &url, "index", "stats", "--json"]));
    assert_eq!(st["counts"]["samples"], bins.len() as u64, "{st}");
    let v = ascribe(&["--database", &url, "index", "verify", "--json"]);
    assert_eq!(json(&v)["problems"], serde_json::json!([]), "{v}");
    // the same files added one after the other give the same counts
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("s.db");
    let f = f.to_str().unwrap();
    ascribe(
        &[
            &["--store", f, "index", "add", "--family", "coreutils"][..],
            &bins[..],
        ]
        .concat(),
    );
    let seq = json(&ascribe(&["--store", f, "index", "stats", "--json"]));
    assert_eq!(st["counts"], seq["counts"]);
}
