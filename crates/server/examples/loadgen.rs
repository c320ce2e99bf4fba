//! Loopback load test of `ascribe serve` (bench/server/run.sh runs it).
//!
//! N concurrent clients (threads, each with an API token of its own
//! analyst account) for a bounded time mix reads (case, history, job,
//! actor search), edits with If-Match (a 412 is re-read and retried: the
//! correct client), and analyses (202, then polling the job to its end).
//! At the end every acknowledged edit is checked in the version history:
//! an acknowledged edit whose text is not at the version the server
//! returned is a lost edit. Reports errors, lost edits, p50/p99 per
//! endpoint, and the server's memory and CPU from /proc when --pid is given.
//!
//! Usage: loadgen --url http://127.0.0.1:PORT --password ADMINPW
//!        [--clients 100] [--seconds 120] [--cases 10] [--pid PID] [--archive sony.tar.gz]

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Args {
    url: String,
    password: String,
    clients: usize,
    seconds: u64,
    cases: usize,
    pid: Option<u32>,
    archive: String,
}

fn args() -> Args {
    let mut a = Args {
        url: String::new(),
        password: String::new(),
        clients: 100,
        seconds: 120,
        cases: 10,
        pid: None,
        archive: String::new(),
    };
    let v: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < v.len() {
        let val = v.get(i + 1).cloned().unwrap_or_default();
        match v[i].as_str() {
            "--url" => a.url = val,
            "--password" => a.password = val,
            "--clients" => a.clients = val.parse().expect("--clients N"),
            "--seconds" => a.seconds = val.parse().expect("--seconds N"),
            "--cases" => a.cases = val.parse().expect("--cases N"),
            "--pid" => a.pid = Some(val.parse().expect("--pid PID")),
            "--archive" => a.archive = val,
            other => panic!("unknown argument {other}"),
        }
        i += 2;
    }
    assert!(
        !a.url.is_empty() && !a.password.is_empty(),
        "--url and --password are required"
    );
    assert!(
        a.seconds <= 3600 && a.clients <= 1000,
        "bounded: at most 1 hour and 1,000 clients"
    );
    a
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(600)))
        .max_idle_connections_per_host(4)
        .build()
        .into()
}

struct Stats {
    lat: Mutex<BTreeMap<&'static str, Vec<f64>>>,
    errors: Mutex<Vec<String>>,
    conflicts: AtomicU64,
}

impl Stats {
    fn record(&self, ep: &'static str, ms: f64) {
        self.lat.lock().unwrap().entry(ep).or_default().push(ms);
    }
    fn error(&self, e: String) {
        let mut v = self.errors.lock().unwrap();
        if v.len() < 10_000 {
            v.push(e);
        }
    }
}

struct Client {
    agent: ureq::Agent,
    url: String,
    token: String,
}

impl Client {
    /// One request: (status, body, etag).
    fn req(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        if_match: Option<&str>,
    ) -> Result<(u16, Value, String), String> {
        let url = format!("{}{}", self.url, path);
        let auth = format!("Bearer {}", self.token);
        let r = match method {
            "GET" => self.agent.get(&url).header("authorization", &auth).call(),
            "PUT" => {
                let mut b = self.agent.put(&url).header("authorization", &auth);
                if let Some(m) = if_match {
                    b = b.header("if-match", m);
                }
                b.send_json(body.unwrap_or(json!({})))
            }
            _ => {
                let mut b = self.agent.post(&url).header("authorization", &auth);
                if let Some(m) = if_match {
                    b = b.header("if-match", m);
                }
                b.send_json(body.unwrap_or(json!({})))
            }
        };
        let mut r = r.map_err(|e| format!("{method} {path}: {e}"))?;
        let status = r.status().as_u16();
        let etag = r
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let text = r
            .body_mut()
            .with_config()
            .limit(256 << 20)
            .read_to_string()
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let v = serde_json::from_str(&text).unwrap_or(Value::Null);
        Ok((status, v, etag))
    }
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

fn proc_sample(pid: u32) -> Option<(u64, u64)> {
    // (RSS KiB, utime+stime ticks)
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some((rss, ticks))
}

fn main() {
    let a = args();
    let admin_agent = agent();
    // admin session → tokens for N analyst accounts
    let login = admin_agent
        .post(&format!("{}/api/v1/login", a.url))
        .send_json(json!({"username": "admin", "password": a.password}))
        .expect("login");
    assert_eq!(login.status().as_u16(), 200, "admin login");
    let cookie = login
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let mut login = login;
    let csrf = login.body_mut().read_json::<Value>().unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_string();
    let admin_post = |path: &str, body: Value| -> Value {
        let mut r = admin_agent
            .post(&format!("{}{}", a.url, path))
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
            .send_json(body)
            .expect("admin request");
        r.body_mut().read_json::<Value>().unwrap_or(Value::Null)
    };
    let run_id = std::process::id();
    let users = a.clients.min(10);
    let mut tokens = Vec::new();
    for u in 0..users {
        let name = format!("load{run_id}-{u}");
        admin_post(
            "/api/v1/users",
            json!({"name": name, "role": "analyst", "password": "load-password-123"}),
        );
        let mut r = admin_agent
            .post(&format!("{}/api/v1/login", a.url))
            .send_json(json!({"username": name, "password": "load-password-123"}))
            .unwrap();
        let ck = r
            .headers()
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let cs = r.body_mut().read_json::<Value>().unwrap()["csrf_token"]
            .as_str()
            .unwrap()
            .to_string();
        let mut t = admin_agent
            .post(&format!("{}/api/v1/tokens", a.url))
            .header("cookie", &ck)
            .header("x-csrf-token", &cs)
            .send_json(json!({"name": "load"}))
            .unwrap();
        tokens.push((
            name,
            t.body_mut().read_json::<Value>().unwrap()["secret"]
                .as_str()
                .unwrap()
                .to_string(),
        ));
    }
    // cases: imported from the archive by the first account, shared with the others
    let owner = Client {
        agent: agent(),
        url: a.url.clone(),
        token: tokens[0].1.clone(),
    };
    let archive = std::fs::read(&a.archive).expect("--archive FILE (a tar.gz of a case directory)");
    let boundary = "----loadgen-boundary";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"archive\"; filename=\"case.tar.gz\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes();
    body.extend_from_slice(&archive);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut cases = Vec::new();
    for _ in 0..a.cases {
        let mut r = owner
            .agent
            .post(&format!("{}/api/v1/cases/import", a.url))
            .header("authorization", &format!("Bearer {}", owner.token))
            .header(
                "content-type",
                &format!("multipart/form-data; boundary={boundary}"),
            )
            .send(&body[..])
            .unwrap();
        assert_eq!(r.status().as_u16(), 201, "import");
        let id = r.body_mut().read_json::<Value>().unwrap()["id"]
            .as_i64()
            .unwrap();
        for (name, _) in tokens.iter().skip(1) {
            owner
                .req(
                    "POST",
                    &format!("/api/v1/cases/{id}/shares"),
                    Some(json!({"user": name})),
                    None,
                )
                .unwrap();
        }
        cases.push(id);
    }
    // one analysis alone on an idle server: the figure to compare with the CLI
    let t0 = Instant::now();
    let (_, v, _) = owner
        .req(
            "POST",
            &format!("/api/v1/cases/{}/analyses", cases[0]),
            None,
            None,
        )
        .unwrap();
    let job = v["job"].as_i64().unwrap();
    loop {
        let (_, v, _) = owner
            .req("GET", &format!("/api/v1/jobs/{job}"), None, None)
            .unwrap();
        let s = v["job"]["state"].as_str().unwrap_or("").to_string();
        if s == "done" || s == "failed" {
            assert_eq!(s, "done", "{v}");
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let idle_analysis_ms = t0.elapsed().as_secs_f64() * 1000.0;

    let stats = Arc::new(Stats {
        lat: Mutex::new(BTreeMap::new()),
        errors: Mutex::new(Vec::new()),
        conflicts: AtomicU64::new(0),
    });
    let acked: Arc<Mutex<Vec<(i64, i64, String)>>> = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let requests = Arc::new(AtomicU64::new(0));
    let start_cpu = a.pid.and_then(proc_sample);
    let max_rss = Arc::new(AtomicU64::new(0));
    let sampler = a.pid.map(|pid| {
        let stop = stop.clone();
        let max_rss = max_rss.clone();
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if let Some((rss, _)) = proc_sample(pid) {
                    max_rss.fetch_max(rss, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(500));
            }
        })
    });
    let t_start = Instant::now();
    let deadline = t_start + Duration::from_secs(a.seconds);
    let mut handles = Vec::new();
    for c in 0..a.clients {
        let cl = Client {
            agent: agent(),
            url: a.url.clone(),
            token: tokens[c % tokens.len()].1.clone(),
        };
        let (stats, acked, stop, requests, cases) = (
            stats.clone(),
            acked.clone(),
            stop.clone(),
            requests.clone(),
            cases.clone(),
        );
        handles.push(std::thread::spawn(move || {
            let mut n: u64 = 0;
            let mut rng = (c as u64 + 1).wrapping_mul(0x9E3779B97F4A7C15);
            let mut next = || {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                rng
            };
            let timed = |ep: &'static str,
                         f: &mut dyn FnMut() -> Result<(u16, Value, String), String>|
             -> Option<(u16, Value, String)> {
                let t = Instant::now();
                let r = f();
                requests.fetch_add(1, Ordering::Relaxed);
                match r {
                    Ok(x) => {
                        stats.record(ep, t.elapsed().as_secs_f64() * 1000.0);
                        Some(x)
                    }
                    Err(e) => {
                        stats.error(e);
                        None
                    }
                }
            };
            while Instant::now() < deadline && !stop.load(Ordering::Relaxed) {
                let case = cases[(next() % cases.len() as u64) as usize];
                let dice = next() % 100;
                n += 1;
                if dice < 60 {
                    // reads
                    let (ep, path): (&'static str, String) = match dice % 4 {
                        0 => ("GET case", format!("/api/v1/cases/{case}")),
                        1 => (
                            "GET assessments",
                            format!("/api/v1/cases/{case}/assessments"),
                        ),
                        2 => ("GET versions", format!("/api/v1/cases/{case}/versions")),
                        _ => ("GET kb actors", "/api/v1/kb/actors?q=lazarus".to_string()),
                    };
                    if let Some((s, _, _)) = timed(ep, &mut || cl.req("GET", &path, None, None)) {
                        if s != 200 {
                            stats.error(format!("{ep}: {s}"));
                        }
                    }
                } else if dice < 97 {
                    // an edit: read, change, PUT with If-Match; on 412 read again and retry
                    let marker = format!("# load edit {c}-{n}");
                    for _attempt in 0..50 {
                        let Some((s, v, etag)) = timed("GET case", &mut || {
                            cl.req("GET", &format!("/api/v1/cases/{case}"), None, None)
                        }) else {
                            break;
                        };
                        if s != 200 {
                            stats.error(format!("GET case: {s}"));
                            break;
                        }
                        let text = v["case_toml"].as_str().unwrap_or("");
                        // keep the size constant: replace the previous marker line
                        let base: Vec<&str> = text
                            .lines()
                            .filter(|l| !l.starts_with("# load edit "))
                            .collect();
                        let new = format!("{}\n{marker}\n", base.join("\n"));
                        let Some((s, v, _)) = timed("PUT case (If-Match)", &mut || {
                            cl.req(
                                "PUT",
                                &format!("/api/v1/cases/{case}"),
                                Some(json!({"case_toml": new, "message": marker})),
                                Some(&etag),
                            )
                        }) else {
                            break;
                        };
                        match s {
                            200 => {
                                acked.lock().unwrap().push((
                                    case,
                                    v["version"].as_i64().unwrap_or(-1),
                                    marker.clone(),
                                ));
                                break;
                            }
                            412 => {
                                stats.conflicts.fetch_add(1, Ordering::Relaxed);
                                continue;
                            }
                            other => {
                                stats.error(format!("PUT case: {other} {v}"));
                                break;
                            }
                        }
                    }
                } else {
                    // an analysis, to its end
                    let t = Instant::now();
                    let Some((s, v, _)) = timed("POST analyses", &mut || {
                        cl.req(
                            "POST",
                            &format!("/api/v1/cases/{case}/analyses"),
                            None,
                            None,
                        )
                    }) else {
                        continue;
                    };
                    if s != 202 {
                        stats.error(format!("POST analyses: {s} {v}"));
                        continue;
                    }
                    let job = v["job"].as_i64().unwrap_or(0);
                    while let Some((s, v, _)) = timed("GET job", &mut || {
                        cl.req("GET", &format!("/api/v1/jobs/{job}"), None, None)
                    }) {
                        let state = v["job"]["state"].as_str().unwrap_or("");
                        if s != 200 || state == "failed" {
                            stats.error(format!("job {job}: {s} {v}"));
                            break;
                        }
                        if state == "done" {
                            stats.record(
                                "analysis (queued to done)",
                                t.elapsed().as_secs_f64() * 1000.0,
                            );
                            break;
                        }
                        if Instant::now() > deadline + Duration::from_secs(300) {
                            stats.error(format!("job {job} unfinished 5 min after the end"));
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(250));
                    }
                }
            }
        }));
    }
    for h in handles {
        h.join().unwrap();
    }
    let elapsed = t_start.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    if let Some(s) = sampler {
        let _ = s.join();
    }
    let end_cpu = a.pid.and_then(proc_sample);

    // lost edits: each acknowledged edit must be the text of the version it was given
    let acked = acked.lock().unwrap().clone();
    let mut lost = 0usize;
    let mut versions_seen = std::collections::HashSet::new();
    for (case, version, marker) in &acked {
        if !versions_seen.insert((*case, *version)) {
            lost += 1; // two acknowledged edits with one version: one overwrote the other
            continue;
        }
        match owner.req(
            "GET",
            &format!("/api/v1/cases/{case}/versions/{version}"),
            None,
            None,
        ) {
            Ok((200, v, _))
                if v["case_toml"]
                    .as_str()
                    .unwrap_or("")
                    .contains(marker.as_str()) => {}
            _ => lost += 1,
        }
    }
    // and no version appeared without an acknowledged edit
    let mut unacked = 0i64;
    for case in &cases {
        let (_, v, _) = owner
            .req("GET", &format!("/api/v1/cases/{case}/versions"), None, None)
            .unwrap();
        let n = v["versions"].as_array().map_or(0, |a| a.len()) as i64;
        let mine = acked.iter().filter(|(c, _, _)| c == case).count() as i64;
        unacked += n - 1 - mine;
    }

    let mut lat = stats.lat.lock().unwrap();
    let mut per: BTreeMap<String, Value> = BTreeMap::new();
    for (ep, v) in lat.iter_mut() {
        let n = v.len();
        per.insert(ep.to_string(), json!({"n": n, "p50_ms": (pct(v, 0.5) * 10.0).round() / 10.0, "p99_ms": (pct(v, 0.99) * 10.0).round() / 10.0}));
    }
    let errors = stats.errors.lock().unwrap();
    let cpu = match (start_cpu, end_cpu) {
        (Some((_, a0)), Some((_, a1))) => {
            let hz = 100.0; // USER_HZ on Linux
            json!({"cpu_seconds": (a1 - a0) as f64 / hz, "cpu_cores_avg": ((a1 - a0) as f64 / hz / elapsed * 100.0).round() / 100.0})
        }
        _ => Value::Null,
    };
    let out = json!({
        "clients": a.clients,
        "seconds": (elapsed * 10.0).round() / 10.0,
        "requests": requests.load(Ordering::Relaxed),
        "requests_per_s": (requests.load(Ordering::Relaxed) as f64 / elapsed).round(),
        "errors": errors.len(),
        "first_errors": errors.iter().take(5).collect::<Vec<_>>(),
        "edits_acknowledged": acked.len(),
        "edit_conflicts_412_retried": stats.conflicts.load(Ordering::Relaxed),
        "lost_edits": lost,
        "versions_without_acknowledged_edit": unacked,
        "idle_analysis_ms": idle_analysis_ms.round(),
        "endpoints": per,
        "server_max_rss_mib": max_rss.load(Ordering::Relaxed) / 1024,
        "server_cpu": cpu,
    });
    println!("{}", serde_json::to_string_pretty(&out).unwrap());
    if !errors.is_empty() || lost > 0 || unacked != 0 {
        std::process::exit(1);
    }
}
