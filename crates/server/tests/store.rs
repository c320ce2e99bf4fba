//! The `ServerStore` backends under concurrent writers, and their schema
//! versions: the same tests on SQLite and (when `ASCRIBE_TEST_PG_URL` is
//! set) PostgreSQL.

mod common;
use ascribe_server::db::{CaseContent, DbError, NewVersion, Role, ServerStore};
use common::*;
use std::collections::BTreeMap;

fn content(text: &str) -> CaseContent {
    CaseContent {
        case_toml: text.to_string(),
        files: BTreeMap::new(),
    }
}

/// Writers edit one case at once, each from the version it last read and
/// again after every 412: every acknowledged edit is a version of its own,
/// none is lost, and no two writers ever get the same version.
async fn concurrent_edits_are_never_lost(b: Backend) {
    let s = server_on(b, |_| {});
    let st = s.st.clone();
    let (writers, edits) = (6, 15);
    let owner = st.db().user_by_name("admin").unwrap().unwrap().id;
    let case = st
        .db()
        .create_case(owner, "race", &content("v1"), 1)
        .unwrap();
    let mut handles = Vec::new();
    for w in 0..writers {
        let st = st.clone();
        handles.push(tokio::task::spawn_blocking(move || {
            let db = st.db();
            let (mut won, mut lost) = (Vec::new(), 0);
            for e in 0..edits {
                let msg = format!("w{w}-e{e}");
                let mut expected = db.case(case.id).unwrap().unwrap().0.version;
                loop {
                    let v = NewVersion {
                        author: owner,
                        title: "race",
                        content: &content(&msg),
                        message: &msg,
                        now: 2,
                    };
                    match db.update_case(case.id, expected, &v) {
                        Ok(version) => {
                            assert_eq!(version, expected + 1);
                            won.push((version, msg.clone()));
                            break;
                        }
                        Err(DbError::Conflict { current }) => {
                            assert!(current > expected, "{current} after {expected}");
                            lost += 1;
                            expected = current;
                        }
                        Err(e) => panic!("{e}"),
                    }
                }
            }
            (won, lost)
        }));
    }
    let mut acknowledged = Vec::new();
    let mut conflicts = 0;
    for h in handles {
        let (won, lost) = h.await.unwrap();
        acknowledged.extend(won);
        conflicts += lost;
    }
    let total = (writers * edits) as i64;
    assert_eq!(acknowledged.len() as i64, total);
    let versions = st.db().versions(case.id).unwrap();
    assert_eq!(versions.len() as i64, total + 1, "one version per edit");
    for (i, v) in versions.iter().enumerate() {
        assert_eq!(v.version, i as i64 + 1, "versions are contiguous");
    }
    // each acknowledged edit is the content of the version it was given
    for (version, msg) in &acknowledged {
        let c = st.db().content(case.id, *version).unwrap().unwrap();
        assert_eq!(&c.case_toml, msg, "version {version}");
    }
    assert_eq!(st.db().case(case.id).unwrap().unwrap().0.version, total + 1);
    eprintln!("{total} edits by {writers} writers, {conflicts} refused as stale and retried");
}

/// A case deleted while others edit it: the edits in flight end as
/// "not found" and leave no version behind.
async fn a_deleted_case_leaves_nothing(b: Backend) {
    let s = server_on(b, |_| {});
    let st = s.st.clone();
    let owner = st.db().user_by_name("admin").unwrap().unwrap().id;
    let case = st
        .db()
        .create_case(owner, "gone", &content("v1"), 1)
        .unwrap();
    let writer = {
        let st = st.clone();
        tokio::task::spawn_blocking(move || {
            let mut expected = 1;
            for i in 0..200 {
                let msg = format!("e{i}");
                let v = NewVersion {
                    author: owner,
                    title: "gone",
                    content: &content(&msg),
                    message: &msg,
                    now: 2,
                };
                match st.db().update_case(case.id, expected, &v) {
                    Ok(n) => expected = n,
                    Err(DbError::NotFound) => return,
                    Err(e) => panic!("{e}"),
                }
            }
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let st2 = st.clone();
    tokio::task::spawn_blocking(move || st2.db().delete_case(case.id))
        .await
        .unwrap()
        .unwrap();
    writer.await.unwrap();
    assert!(st.db().case(case.id).unwrap().is_none());
    assert!(st.db().versions(case.id).unwrap().is_empty());
    assert!(st.db().content(case.id, 1).unwrap().is_none());
}

/// Users and tokens: a name is taken once, under concurrent creation too.
async fn a_user_name_is_taken_once(b: Backend) {
    let s = server_on(b, |_| {});
    let st = s.st.clone();
    let mut hs = Vec::new();
    for _ in 0..4 {
        let st = st.clone();
        hs.push(tokio::task::spawn_blocking(move || {
            st.db().create_user("dup", Role::Viewer, "h", 1)
        }));
    }
    let mut ok = 0;
    for h in hs {
        match h.await.unwrap() {
            Ok(_) => ok += 1,
            Err(DbError::Exists(w)) => assert!(w.contains("dup"), "{w}"),
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(ok, 1);
    assert_eq!(st.db().user_count().unwrap(), 2);
    let names: Vec<String> = st
        .db()
        .users()
        .unwrap()
        .into_iter()
        .map(|u| u.name)
        .collect();
    assert_eq!(names, ["admin", "dup"]);
}

crate::on_both_backends!(
    concurrent_edits_are_never_lost,
    a_deleted_case_leaves_nothing,
    a_user_name_is_taken_once,
);

#[test]
fn sqlite_refuses_a_newer_schema_and_migrates_an_older_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("server.db");
    // a server.db as the first server wrote it: schema 1, no `analysed`
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             INSERT INTO meta VALUES ('schema', '1');
             CREATE TABLE assessments (id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL, version INTEGER NOT NULL, job_id INTEGER NOT NULL, created INTEGER NOT NULL, json TEXT NOT NULL, summary TEXT NOT NULL);
             INSERT INTO assessments (case_id, version, job_id, created, json, summary) VALUES (1, 1, 1, 1, '{}', '{}');",
        )
        .unwrap();
    }
    let db = ascribe_server::db::SqliteServerStore::open(&path).unwrap();
    let old = db.assessment(1, 1).unwrap().unwrap();
    assert_eq!(
        old.analysed, None,
        "kept by the older server: no analysed case"
    );
    drop(db);
    let c = rusqlite::Connection::open(&path).unwrap();
    let v: String = c
        .query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(v, ascribe_server::db::SQLITE_SCHEMA_VERSION.to_string());
    c.execute("UPDATE meta SET value = '99' WHERE key = 'schema'", [])
        .unwrap();
    drop(c);
    let Err(e) = ascribe_server::db::SqliteServerStore::open(&path) else {
        panic!("a newer schema was opened");
    };
    let m = e.to_string();
    assert!(matches!(e, DbError::TooNew { found: 99, .. }), "{m}");
    assert!(
        m.contains("99") && m.contains("newer than this ascribe supports"),
        "{m}"
    );
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_refuses_a_newer_server_schema_and_keeps_its_own_version_row() {
    use ascribe_server::pgdb::{PgServerStore, SCHEMA_VERSION, VERSION_KEY};
    let Some(Backend::Postgres(pg)) = postgres("pg_newer_server_schema") else {
        return;
    };
    let db = PgServerStore::open_in_schema(&pg.url, &pg.schema).unwrap();
    assert_eq!(db.schema_version().unwrap(), SCHEMA_VERSION);
    // the knowledge base's store keeps its own row beside it
    let kb = ascribe_store_pg::PgStore::open_in_schema(&pg.url, &pg.schema).unwrap();
    assert_eq!(
        kb.schema_version().unwrap(),
        ascribe_store_pg::SCHEMA_VERSION
    );
    assert_eq!(db.schema_version().unwrap(), SCHEMA_VERSION);
    drop(kb);
    // opening again is a no-op
    drop(db);
    let db = PgServerStore::open_in_schema(&pg.url, &pg.schema).unwrap();
    db.set_schema_version(SCHEMA_VERSION + 5).unwrap();
    drop(db);
    let e = PgServerStore::open_in_schema(&pg.url, &pg.schema).unwrap_err();
    let m = e.to_string();
    assert!(
        matches!(e, DbError::TooNew { found, supported, .. } if found == SCHEMA_VERSION + 5 && supported == SCHEMA_VERSION),
        "{m}"
    );
    assert!(m.contains("newer than this ascribe supports"), "{m}");
    let pw = url_password(&pg.url);
    assert!(
        !pw.is_empty() && !m.contains(&format!(":{pw}@")),
        "no password in {m}"
    );
    assert!(!VERSION_KEY.is_empty());
    // an unreachable database: a clear error naming it, without the password
    let e = PgServerStore::open("postgres://ascribe:secret@127.0.0.1:1/none").unwrap_err();
    let m = e.to_string();
    assert!(
        m.contains("cannot connect to PostgreSQL at postgres://ascribe@127.0.0.1:1/none"),
        "{m}"
    );
    assert!(!m.contains("secret"), "{m}");
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
