//! `ascribe serve --database postgres://…`: accounts added from the command
//! line and the first admin live in PostgreSQL, the server says which
//! database it uses (never the password), and writes no `server.db`.
//! Needs `ASCRIBE_TEST_PG_URL`; without it the test prints why it skips,
//! unless `ASCRIBE_TEST_PG=1` (CI), which makes it fail. The test works in a
//! schema of its own, dropped at the end.
#![cfg(all(feature = "server", feature = "postgres"))]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "common/pg.rs"]
mod pg;
use pg::test_db;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ascribe"));
    c.env("NO_COLOR", "1").env_remove("ASCRIBE_DATABASE");
    c
}

#[test]
fn serve_keeps_accounts_in_postgres_and_names_the_database() {
    let Some(db) = test_db("serve_pg") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut child = bin()
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--db-pool",
            "4",
            "--data",
        ])
        .arg(&data)
        .env("ASCRIBE_DATABASE", db.url())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // lines read on a thread of their own: a server that never prints its
    // password fails the test after the deadline instead of hanging it
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for l in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(l).is_err() {
                break;
            }
        }
    });
    let (mut url, mut database, mut password) = (String::new(), String::new(), String::new());
    let mut all = String::new();
    let deadline = Instant::now() + Duration::from_secs(180);
    while password.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok(l) = rx.recv_timeout(left) else { break };
        all.push_str(&l);
        all.push('\n');
        if let Some(u) = l.strip_prefix("ascribe serve: listening on ") {
            url = u.split_whitespace().next().unwrap().to_string();
        }
        if let Some(d) = l.strip_prefix("ascribe serve: database ") {
            database = d.to_string();
        }
        if let Some(p) = l.trim().strip_prefix("password: ") {
            password = p.to_string();
        }
    }
    if password.is_empty() {
        let _ = child.kill();
        panic!("no first-admin password printed: {all}");
    }
    // an account added from the command line while the server runs goes
    // into the database
    let mut c = bin()
        .args([
            "--database",
            &db.url(),
            "serve",
            "user",
            "add",
            "bob",
            "--role",
            "analyst",
            "--data",
        ])
        .arg(&data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    c.stdin
        .take()
        .unwrap()
        .write_all(b"bob-long-password\n")
        .unwrap();
    let o = c.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let login = |user: &str, pw: &str| {
        agent
            .post(&format!("{url}api/v1/login"))
            .header("content-type", "application/json")
            .send(format!(r#"{{"username":"{user}","password":"{pw}"}}"#))
            .map(|r| r.status().as_u16())
            .unwrap_or(0)
    };
    let admin = login("admin", &password);
    let bob = login("bob", "bob-long-password");
    let _ = child.kill();
    let _ = child.wait();
    assert!(url.starts_with("http://127.0.0.1:"), "{all}");
    // the URL as printed: user and host, never the password
    let base = db.url();
    let creds = base
        .strip_prefix("postgres://")
        .or_else(|| base.strip_prefix("postgresql://"))
        .and_then(|r| r.split_once('@'))
        .map(|(c, _)| c.to_string())
        .unwrap_or_default();
    let (user, pw) = creds.split_once(':').unwrap_or((creds.as_str(), ""));
    assert!(
        database.starts_with(&format!("postgres://{user}@")) && database.contains("(PostgreSQL"),
        "{all}"
    );
    assert!(
        pw.is_empty() || !all.contains(&format!(":{pw}@")),
        "no password printed: {all}"
    );
    assert_eq!(admin, 200);
    assert_eq!(bob, 200, "the account added from the command line");
    // users are in PostgreSQL, not in a server.db
    assert!(!data.join("server.db").exists());
    let mut c = postgres::Client::connect(&db.url(), postgres::NoTls).unwrap();
    let names: Vec<String> = c
        .query("SELECT name FROM srv_user ORDER BY name", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(names, ["admin", "bob"]);
    // the knowledge base was loaded into the same database
    let n: i64 = c
        .query_one("SELECT count(*) FROM kb_entity", &[])
        .unwrap()
        .get(0);
    assert!(n > 1000, "{n} entities");
    // a --database that is not PostgreSQL is a usage error
    let o = bin()
        .args(["--database", "sqlite:/tmp/x.db", "serve", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
