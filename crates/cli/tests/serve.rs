//! `ascribe serve` end to end: the first start prints where to log in and
//! a one-time admin password that works; `serve user add` reads the
//! password from standard input or generates one; errors have exit codes.
#![cfg(feature = "server")]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ascribe"));
    c.env("NO_COLOR", "1");
    c
}

#[test]
fn first_start_prints_login_and_a_working_admin_password() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = bin()
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(dir.path().join("data"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let (mut url, mut login, mut password) = (String::new(), String::new(), String::new());
    let t = Instant::now();
    while password.is_empty() && t.elapsed() < Duration::from_secs(120) {
        let Some(Ok(l)) = lines.next() else { break };
        if let Some(u) = l.strip_prefix("ascribe serve: listening on ") {
            url = u.split_whitespace().next().unwrap().to_string();
        }
        if let Some(u) = l.trim().strip_prefix("log in at ") {
            login = u.to_string();
        }
        if let Some(p) = l.trim().strip_prefix("password: ") {
            password = p.to_string();
        }
    }
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(login, format!("{url}login"));
    assert!(password.len() >= 20, "{password}");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let ok = agent
        .post(&format!("{url}api/v1/login"))
        .header("content-type", "application/json")
        .send(format!(r#"{{"username":"admin","password":"{password}"}}"#))
        .unwrap();
    let wrong = agent
        .post(&format!("{url}api/v1/login"))
        .header("content-type", "application/json")
        .send(r#"{"username":"admin","password":"not the password"}"#)
        .unwrap();
    let page = agent.get(&login).call().unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(ok.status().as_u16(), 200);
    assert_eq!(wrong.status().as_u16(), 401);
    assert_eq!(page.status().as_u16(), 200);
    // the password is not stored in clear anywhere in the data directory
    let db = std::fs::read(dir.path().join("data/server.db")).unwrap_or_default();
    let wal = std::fs::read(dir.path().join("data/server.db-wal")).unwrap_or_default();
    let needle = password.as_bytes();
    for bytes in [db, wal] {
        assert!(!bytes.windows(needle.len()).any(|w| w == needle));
    }
}

#[test]
fn user_add_reads_stdin_or_generates_and_refuses_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let run = |args: &[&str], stdin: Option<&str>| {
        let mut c = bin()
            .arg("serve")
            .args(args)
            .arg("--data")
            .arg(&data)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut i = c.stdin.take().unwrap();
        if let Some(s) = stdin {
            // a usage error exits before reading: the pipe may be closed
            let _ = i.write_all(s.as_bytes());
        }
        drop(i);
        c.wait_with_output().unwrap()
    };
    let o = run(
        &["user", "add", "alice", "--role", "analyst"],
        Some("alice-long-password\n"),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("created user 'alice' (analyst)"), "{out}");
    assert!(
        !out.contains("password:"),
        "a given password is not printed"
    );
    // empty standard input: a generated password, printed once
    let o = run(&["user", "add", "bob", "--role", "viewer"], None);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("password: "), "{out}");
    // the same name again, a bad name, a short password, a bad role
    let o = run(
        &["user", "add", "alice", "--role", "admin"],
        Some("another-long-password"),
    );
    assert_eq!(
        o.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("already exists"));
    let o = run(
        &["user", "add", "../x", "--role", "admin"],
        Some("another-long-password"),
    );
    assert_eq!(o.status.code(), Some(3));
    let o = run(&["user", "add", "carol", "--role", "admin"], Some("short"));
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("12 characters"));
    let o = run(
        &["user", "add", "dave", "--role", "root"],
        Some("another-long-password"),
    );
    assert_eq!(o.status.code(), Some(2));
}
