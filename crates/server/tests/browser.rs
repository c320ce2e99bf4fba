//! In a real browser: headless Chromium (Debian's package) driven through
//! chromedriver with the W3C WebDriver protocol. Logs in, creates the Sony
//! case by uploading examples/sony-2014, analyses it, reads the verdict,
//! adds an observation, analyses again and sees the verdict history
//! change; saves screenshots under docs/screenshots/.
//!
//! Skipped with a printed reason when chromium or chromedriver is absent,
//! unless ASCRIBE_TEST_BROWSER=1 (CI), which turns the skip into a failure.

mod common;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn which(names: &[&str]) -> Option<PathBuf> {
    names.iter().map(PathBuf::from).find(|p| p.is_file())
}

/// The few WebDriver commands the test needs, over loopback HTTP.
struct Driver {
    agent: ureq::Agent,
    base: String,
}

impl Driver {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{}", self.base, path);
        let resp = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, b) => self.agent.post(&url).send_json(b.unwrap_or(json!({}))),
        };
        let mut resp = resp.map_err(|e| format!("{method} {path}: {e}"))?;
        let status = resp.status();
        let v: Value = resp
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_json()
            .map_err(|e| format!("{method} {path}: {e}"))?;
        if !status.is_success() {
            return Err(format!(
                "{method} {path}: {status} {}",
                v["value"]["message"]
            ));
        }
        Ok(v["value"].clone())
    }
}

struct Session<'a> {
    d: &'a Driver,
    id: String,
}

impl Session<'_> {
    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.d
            .call(method, &format!("/session/{}{}", self.id, path), body)
            .unwrap_or_else(|e| panic!("{e}"))
    }
    fn go(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({"url": url})));
    }
    fn url(&self) -> String {
        self.cmd("GET", "/url", None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }
    fn find(&self, css: &str) -> Option<String> {
        let r = self.d.call(
            "POST",
            &format!("/session/{}/element", self.id),
            Some(json!({"using": "css selector", "value": css})),
        );
        r.ok().and_then(|v| v[ELEMENT].as_str().map(str::to_string))
    }
    fn count(&self, css: &str) -> usize {
        self.cmd(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        )
        .as_array()
        .map_or(0, |a| a.len())
    }
    /// Wait up to `secs` for an element.
    fn wait(&self, css: &str, secs: u64) -> String {
        let t = Instant::now();
        loop {
            if let Some(e) = self.find(css) {
                return e;
            }
            if t.elapsed() > Duration::from_secs(secs) {
                self.shot("failure");
                panic!("'{css}' did not appear in {secs} s (page {})", self.url());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    fn wait_until(&self, what: &str, secs: u64, mut f: impl FnMut() -> bool) {
        let t = Instant::now();
        while !f() {
            if t.elapsed() > Duration::from_secs(secs) {
                self.shot("failure");
                panic!("{what}: not reached in {secs} s (page {})", self.url());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    fn click(&self, css: &str) {
        let e = self.wait(css, 10);
        self.cmd("POST", &format!("/element/{e}/click"), Some(json!({})));
    }
    fn type_in(&self, css: &str, text: &str) {
        let e = self.wait(css, 10);
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({"text": text})),
        );
    }
    fn text(&self, css: &str) -> String {
        match self.find(css) {
            Some(e) => self
                .cmd("GET", &format!("/element/{e}/text"), None)
                .as_str()
                .unwrap_or("")
                .to_string(),
            None => String::new(),
        }
    }
    fn script(&self, js: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": js, "args": []})),
        )
    }
    fn shot(&self, name: &str) {
        use base64::Engine;
        let Ok(v) = self
            .d
            .call("GET", &format!("/session/{}/screenshot", self.id), None)
        else {
            return;
        };
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or(""))
            .unwrap_or_default();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join(format!("server-{name}.png")), png);
    }
}

struct Kill(std::process::Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn browser_login_upload_analyse_edit_history() {
    let required = std::env::var("ASCRIBE_TEST_BROWSER").is_ok_and(|v| v == "1");
    let chromium = which(&[
        "/usr/lib/chromium/chromium",
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
    ]);
    let driver = which(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]);
    let (chromium, driver) = match (chromium, driver) {
        (Some(c), Some(d)) => (c, d),
        _ => {
            let msg = "browser test skipped: chromium and chromedriver not found (apt-get install chromium chromium-driver)";
            if required {
                panic!("{msg}, and ASCRIBE_TEST_BROWSER=1 requires it");
            }
            eprintln!("{msg}");
            return;
        }
    };

    // the server, on a loopback port, in its own runtime
    let s = common::server();
    let password = s.admin_password.clone();
    let app = s.app.clone();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let l = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(l, app).await.unwrap();
        });
    });
    let base = format!("http://{addr}");

    // the case directory as an archive, as a user would upload it
    let work = tempfile::tempdir().unwrap();
    let archive = work.path().join("sony-2014.tar.gz");
    std::fs::write(&archive, common::sony_tar_gz()).unwrap();

    let port = free_port();
    let _cd = Kill(
        std::process::Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    let d = Driver {
        agent: ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into(),
        base: format!("http://127.0.0.1:{port}"),
    };
    let t = Instant::now();
    while d.call("GET", "/status", None).map(|v| v["ready"] == true) != Ok(true) {
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let profile = tempfile::tempdir().unwrap();
    let caps = json!({"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium.to_string_lossy(),
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage",
                     format!("--user-data-dir={}", profile.path().display()), "--window-size=1280,2200"]
        }
    }}});
    let v = d
        .call("POST", "/session", Some(caps))
        .expect("a browser session");
    let w = Session {
        d: &d,
        id: v["sessionId"].as_str().unwrap().to_string(),
    };

    // log in
    w.go(&format!("{base}/login"));
    w.type_in("#username", "admin");
    w.type_in("#password", &password);
    w.shot("login");
    w.click("#login-form button[type=submit]");
    w.wait("#case-table", 20);
    // create the Sony case by uploading its directory as an archive
    w.type_in("#import-file", &archive.to_string_lossy());
    w.click("#import-form button[type=submit]");
    w.wait_until("the case page opens", 60, || w.url().contains("/cases/"));
    w.wait_until("the case loads", 30, || {
        w.text("#case-title").contains("Sony")
    });
    // analyse and read the verdict
    w.click("#analyse");
    w.wait(".statement", 180);
    let verdict = w.text(".statement");
    assert!(verdict.contains("Lazarus Group"), "{verdict}");
    assert!(verdict.contains("likely"), "{verdict}");
    let state = w.text(".state");
    assert!(state.contains("North Korea"), "{state}");
    // export links: four plain download links of this version
    assert_eq!(w.count(".exports a[download]"), 4);
    let links = w.script(
        "return Array.from(document.querySelectorAll('.exports a')).map((a) => a.getAttribute('href') + ' ' + a.textContent).join('\\n')",
    );
    let links = links.as_str().unwrap_or("").to_string();
    for f in ["stix", "misp", "navigator", "html"] {
        assert!(
            links.contains(&format!("/assessments/1/export?format={f}")),
            "{links}"
        );
    }
    assert!(
        links.contains("STIX 2.1") && !links.contains(','),
        "{links}"
    );
    w.script("window.scrollTo(0, 0)");
    w.shot("case");
    // the evidence table filters
    let rows = w.count("#evidence tbody tr");
    w.type_in("#ev-filter", "costly");
    w.wait_until("the filter applies", 10, || {
        w.count("#evidence tbody tr") < rows
    });

    // add an observation (with the knowledge base's completion) and analyse again
    w.click("#obs-table option[value=technique]");
    w.type_in("#f-id", "T1070.00");
    w.wait("#f-id-list option", 10);
    w.type_in("#f-id", "4");
    w.click("#obs-source option[value=us-cert-ta14-353a]");
    w.click("#obs-form button[type=submit]");
    w.wait_until("version 2", 30, || w.text("#case-meta").contains("v2"));
    w.click("#analyse");
    w.wait_until("two analysed versions", 180, || {
        w.count("#history tbody tr") == 2
    });
    let rows: Vec<String> = (1..=2)
        .map(|i| w.text(&format!("#history tbody tr:nth-child({i}) td:nth-child(2)")))
        .collect();
    assert_ne!(rows[0], rows[1], "the verdict history shows the change");
    assert!(w.text(".meta").contains("v2") || w.text("#verdict .meta").contains("v2"));
    w.script("document.getElementById('time-h').scrollIntoView()");
    w.shot("history");

    // code similarity of an evidence binary: this server has no code index, and says so
    w.click("#files button.similar");
    w.wait_until("the similarity answer", 30, || {
        w.text("#similar").contains("no code index")
    });

    // an actor page
    w.go(&format!("{base}/actors/G0032"));
    w.wait_until("the actor page", 30, || {
        w.text("#actor-name").contains("Lazarus")
    });
    w.shot("actor");
    // the intel look-up box (this server's store holds no intelligence)
    w.go(&format!("{base}/actors"));
    w.type_in("#intel-values", "203.131.222[.]102");
    w.click("#intel-lookup button[type=submit]");
    w.wait_until("the look-up answer", 30, || {
        w.text("#intel-results")
            .contains("not in the server's indicator store")
    });
    assert!(w.text("#intel-results").contains("203.131.222[.]102"));
    let _ = d.call("DELETE", &format!("/session/{}", w.id), None);
}
