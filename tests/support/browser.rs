//! A real headless Chromium driven over WebDriver (Debian's `chromium` and `chromium-driver`).
//! Without a driver the browser tests are skipped with a note, except under CI (`CI` set), where a
//! missing driver fails them. The same goes for axe-core (`ART33_AXE`, the path of `axe.min.js`
//! from the npm package `axe-core`, which `.ci/run` installs), injected into pages to check them
//! against the WCAG 2.1 A and AA rules.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// Where `.ci/run` installs axe-core when `ART33_AXE` is not set.
const AXE_CACHE: &str = ".cache/art33-axe/node_modules/axe-core/axe.min.js";

/// The WCAG tags whose rules every page must pass.
const AXE_TAGS: &str = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']";

/// The source of `axe.min.js`: the file `ART33_AXE` names, else the one `.ci/run` installs under
/// `$HOME/.cache/art33-axe`; `None` (with a note) when there is none outside CI, a failure under CI.
pub fn axe_source() -> Option<String> {
    let path = std::env::var_os("ART33_AXE").map(PathBuf::from).or_else(|| {
        let cached = PathBuf::from(std::env::var_os("HOME")?).join(AXE_CACHE);
        cached.exists().then_some(cached)
    });
    match path {
        Some(path) => Some(
            std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("ART33_AXE={}: cannot read axe-core: {e}", path.display())),
        ),
        None if std::env::var_os("CI").is_some() => panic!(
            "axe-core is required under CI: set ART33_AXE to axe.min.js of the npm package axe-core \
             (.ci/run installs it)"
        ),
        None => {
            eprintln!(
                "note: accessibility test skipped: set ART33_AXE to axe.min.js of the npm package axe-core"
            );
            None
        }
    }
}

/// A browser session and the driver process behind it.
pub struct Browser {
    /// The WebDriver client.
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Browser {
    /// Starts chromedriver and a headless Chromium of `width`×`height`, or `None` (with a note)
    /// when the driver is not installed outside CI.
    pub async fn start(width: u32, height: u32) -> Option<Browser> {
        if !std::path::Path::new(CHROMEDRIVER).exists() || !std::path::Path::new(CHROMIUM).exists() {
            if std::env::var_os("CI").is_some() {
                panic!(
                    "{CHROMEDRIVER} and {CHROMIUM} are required under CI (apt-get install chromium chromium-driver)"
                );
            }
            eprintln!("note: browser test skipped: install chromium and chromium-driver to run it");
            return None;
        }
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-extensions",
                    format!("--user-data-dir={}", profile.path().display()),
                    format!("--window-size={width},{height}"),
                ],
            }),
        );
        let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        builder.capabilities(caps);
        let client = builder.connect(&url).await.expect("a WebDriver session");
        client.set_window_size(width, height).await.expect("window size");
        Some(Browser { client, driver, _profile: profile })
    }

    /// Saves a screenshot as `target/screenshots/NAME.png`.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        path
    }

    /// Runs axe-core (its source `axe`) on the current page with the WCAG 2.1 A and AA rules and
    /// returns one line per violation: rule id, impact, the number of nodes and the first node's
    /// target and markup.
    pub async fn axe_violations(&self, axe: &str) -> Vec<String> {
        if self.client.execute("return typeof window.axe", vec![]).await.expect("axe check") != "object" {
            self.client.execute(axe, vec![]).await.expect("inject axe-core");
        }
        let script = format!(
            "const done = arguments[arguments.length - 1];
             window.axe.run(document, {{runOnly: {{type: 'tag', values: {AXE_TAGS}}}}})
               .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + ', ' + v.nodes.length + ' nodes): '
                 + JSON.stringify(v.nodes[0] && v.nodes[0].target) + ' ' + (v.nodes[0] ? v.nodes[0].html.slice(0, 160) : ''))))
               .catch(e => done(['axe failed: ' + e]));"
        );
        let found = self.client.execute_async(&script, vec![]).await.expect("axe.run");
        found
            .as_array()
            .map(|a| a.iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect())
            .unwrap_or_default()
    }

    /// Closes the session and the driver.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
