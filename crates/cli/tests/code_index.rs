//! Issue 13, end to end with the real binary: concurrent `index add` processes and readers,
//! `index verify`/`rebuild`, identical files as evidence, and bounded binary reads.

mod common;

use common::{ascribe, json};
use std::path::Path;
use std::process::{Command, Stdio};

const BINS: [&str; 6] = [
    "/bin/ls", "/bin/cp", "/bin/mv", "/bin/cat", "/bin/rm", "/bin/ln",
];

#[test]
fn concurrent_index_add_processes_and_readers_lose_nothing() {
    let bins: Vec<&str> = BINS
        .iter()
        .copied()
        .filter(|b| Path::new(b).exists())
        .collect();
    assert!(
        bins.len() >= 4,
        "coreutils binaries expected on the test machine"
    );
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    // Two writers with overlapping inputs, started together, plus readers while they run.
    let spawn = |fam: &str, files: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_ascribe"));
        c.args(["index", "add", "--family", fam])
            .args(files)
            .env("ASCRIBE_STORE", &store)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c.spawn().unwrap()
    };
    let half = bins.len() / 2;
    let w1 = spawn("coreutils", &bins[..=half]);
    let w2 = spawn("coreutils", &bins[half..]);
    let mut reads = 0;
    loop {
        let o = ascribe(&store, &["index", "stats", "--json"]);
        // Before the first commit the index may not exist yet (exit 4); never anything else.
        assert!(
            o.status.success() || o.status.code() == Some(4),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        reads += 1;
        if reads >= 6 {
            break;
        }
    }
    for w in [w1, w2] {
        let o = w.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let st = json(&ascribe(&store, &["index", "stats", "--json"]));
    assert_eq!(st["counts"]["samples"], bins.len() as u64);
    // The same files added sequentially into another store give the same counts.
    let seq = d.path().join("seq.db");
    let mut args = vec!["index", "add", "--family", "coreutils"];
    args.extend(&bins);
    assert!(ascribe(&seq, &args).status.success());
    let st2 = json(&ascribe(&seq, &["index", "stats", "--json"]));
    assert_eq!(st["counts"], st2["counts"]);
    let o = ascribe(&store, &["index", "verify"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));

    // An identical file is the strongest match, in `similar` and in `analyze`.
    let sim = json(&ascribe(&store, &["similar", bins[0], "--json"]));
    assert_eq!(sim[0]["identical"], true);
    let o = ascribe(&store, &["similar", bins[0]]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("identical file (same SHA-256)"));
    let case = d.path().join("case");
    std::fs::create_dir_all(case.join("bin")).unwrap();
    std::fs::copy(bins[0], case.join("bin/x")).unwrap();
    std::fs::write(case.join("case.toml"), "[case]\nname = \"same file\"\n").unwrap();
    let a = json(&ascribe(
        &store,
        &["analyze", case.to_str().unwrap(), "--json"],
    ));
    // The family has no actor here, so the observation is reported as unlinked; before the
    // fix an identical file produced no code-reuse observation at all.
    let all = a.to_string();
    assert!(all.contains("code:bin/x:coreutils"), "{all}");

    // Garbage in postings.bin: verify fails naming it, rebuild repairs it.
    let pp = d.path().join("s.db.code/postings.bin");
    let mut p = std::fs::read(&pp).unwrap();
    let n = p.len();
    p[n - 64..].fill(0xee);
    std::fs::write(&pp, p).unwrap();
    let o = ascribe(&store, &["index", "verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("postings.bin"));
    assert!(ascribe(&store, &["index", "rebuild"]).status.success());
    assert!(ascribe(&store, &["index", "verify"]).status.success());
}

#[test]
fn fifos_and_huge_files_are_refused_before_reading() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    assert!(
        ascribe(&store, &["index", "add", "--family", "f", "/bin/ls"])
            .status
            .success()
    );
    // A 2 GiB sparse file: refused from its size, not read.
    let big = d.path().join("big.bin");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(2 << 30)
        .unwrap();
    let o = ascribe(&store, &["similar", big.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("limit"));
    let o = ascribe(
        &store,
        &["index", "add", "--family", "f", big.to_str().unwrap()],
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("limit"));
    // A FIFO: refused, nothing blocks.
    let fifo = d.path().join("fifo");
    let ok = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success());
    if matches!(ok, Ok(true)) {
        let o = ascribe(&store, &["similar", fifo.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&o.stderr).contains("not a regular file"));
    }
}

#[test]
fn index_add_says_when_files_were_skipped() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("s.db");
    let text = d.path().join("notes.txt");
    std::fs::write(&text, "not a binary\n").unwrap();
    let t = text.to_str().unwrap();
    // one binary indexed, one file skipped: 7, the summary still printed
    let o = ascribe(&store, &["index", "add", "--family", "f", "/bin/ls", t]);
    assert_eq!(o.status.code(), Some(7), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stdout).contains("1 sample(s) added"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("notes.txt") && err.contains("1 of 2 file(s) skipped"),
        "{err}"
    );
    // every file skipped: 1
    let o = ascribe(&store, &["index", "add", "--family", "f", t]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    // nothing skipped: 0 (the binary is already there)
    let o = ascribe(&store, &["index", "add", "--family", "f", "/bin/ls"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
}
