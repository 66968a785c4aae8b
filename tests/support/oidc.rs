//! A real OpenID provider for the single sign-on tests: the npm package `oidc-provider` run by
//! `tests/oidc/provider.mjs` under Node, one per test, on its own port, with one client for art33
//! and the test users (`olivia`, `rob`, `nina`, `ursula`, `mallory`, `ada`, `erin`; see the script).
//!
//! The package is found in `ART33_OIDC_PROVIDER_DIR` (a folder whose `node_modules` holds it),
//! else in `$HOME/.cache/art33-oidc`, where `.ci/run` installs it. Without it the tests are skipped
//! with a note, except under CI (`CI` set), where it is a failure.

use std::io::{BufRead as _, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use reqwest::cookie::{CookieStore as _, Jar};

use super::{Backend, TestApp};

/// The variable naming the folder where `oidc-provider` is installed.
pub const PROVIDER_DIR_ENV: &str = "ART33_OIDC_PROVIDER_DIR";
/// The client art33 is at the test provider.
pub const CLIENT_ID: &str = "art33-test";
/// Its secret.
pub const CLIENT_SECRET: &str = "test-client-secret-0123456789";
/// The role map of the test configuration.
pub const ROLE_MAP: &str = "privacy-officers=officer,art33-admins=admin";

/// The `node_modules` folder holding `oidc-provider`, or `None` (with a note) outside CI.
pub fn provider_modules() -> Option<PathBuf> {
    let dir = std::env::var_os(PROVIDER_DIR_ENV)
        .map(PathBuf::from)
        .or_else(|| Some(PathBuf::from(std::env::var_os("HOME")?).join(".cache/art33-oidc")));
    let modules = dir.map(|d| d.join("node_modules"));
    match modules {
        Some(m) if m.join("oidc-provider/package.json").is_file() => Some(m),
        _ if std::env::var_os("CI").is_some() => panic!(
            "the npm package oidc-provider is required under CI: set {PROVIDER_DIR_ENV} to the folder \
             it was installed in with npm install --prefix (.ci/run installs it in $HOME/.cache/art33-oidc)"
        ),
        _ => {
            eprintln!(
                "note: single sign-on test skipped: set {PROVIDER_DIR_ENV} (npm install --prefix DIR oidc-provider)"
            );
            None
        }
    }
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A running test provider; stopped when dropped.
pub struct Provider {
    /// `http://127.0.0.1:PORT`.
    pub issuer: String,
    child: Child,
}

impl Provider {
    /// Starts the provider for a client whose callback is `redirect_uri`; `tamper` is the
    /// script's `OIDC_TAMPER` (e.g. `audience`).
    pub fn start(modules: &std::path::Path, redirect_uri: &str, tamper: Option<&str>) -> Provider {
        let port = free_port();
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oidc/provider.mjs");
        let mut child = Command::new("node")
            .arg(script)
            .env("OIDC_MODULES", modules)
            .env("OIDC_PORT", port.to_string())
            .env("OIDC_CLIENT_ID", CLIENT_ID)
            .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
            .env("OIDC_REDIRECT_URI", redirect_uri)
            .env("OIDC_TAMPER", tamper.unwrap_or(""))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs tests/oidc/provider.mjs");
        let stdout = child.stdout.take().expect("provider stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let first = lines.next().and_then(Result::ok);
            let _ = tx.send(first);
            // Keep reading so that the provider never blocks on a full pipe.
            for _ in lines {}
        });
        let line = rx.recv_timeout(Duration::from_secs(30)).ok().flatten().unwrap_or_default();
        let issuer =
            line.strip_prefix("listening ").unwrap_or_else(|| panic!("the provider did not start: {line:?}"));
        Provider { issuer: issuer.to_string(), child }
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// art33 with single sign-on at a test provider.
pub struct SsoApp {
    /// The server (its clock set to the wall clock: the provider's tokens carry real times).
    pub app: TestApp,
    /// The provider.
    pub provider: Provider,
}

impl SsoApp {
    /// art33 and a provider for it, with the test role map and `example.test` as the one allowed
    /// domain; `extra` settings override those. `None` when the provider is not installed (outside CI).
    pub async fn spawn(backend: &Backend, extra: &[(&str, &str)], tamper: Option<&str>) -> Option<SsoApp> {
        let modules = provider_modules()?;
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let redirect = format!("{base}/login/oidc/callback");
        let provider = Provider::start(&modules, &redirect, tamper);
        let listen = format!("127.0.0.1:{port}");
        let mut env: Vec<(&str, &str)> = vec![
            ("ART33__SERVER__LISTEN", listen.as_str()),
            ("ART33__SERVER__BASE_URL", base.as_str()),
            ("ART33__AUTH__OIDC__ISSUER_URL", provider.issuer.as_str()),
            ("ART33__AUTH__OIDC__CLIENT_ID", CLIENT_ID),
            ("ART33__AUTH__OIDC__CLIENT_SECRET", CLIENT_SECRET),
            ("ART33__AUTH__OIDC__REDIRECT_URL", redirect.as_str()),
            ("ART33__AUTH__OIDC__SCOPES", "openid,email,profile,groups"),
            ("ART33__AUTH__OIDC__ROLE_MAP", ROLE_MAP),
            ("ART33__AUTH__OIDC__ALLOWED_DOMAINS", "example.test"),
        ];
        env.extend_from_slice(extra);
        let app = TestApp::spawn_with(backend, &env).await;
        app.clock.set(chrono::Utc::now());
        Some(SsoApp { app, provider })
    }

    /// A browser-like client with its cookie jar: keeps cookies, follows no redirects.
    pub fn browser(&self) -> (reqwest::Client, Arc<Jar>) {
        let jar = Arc::new(Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        (client, jar)
    }

    /// Goes from art33's "log in with single sign-on" through the provider's login form as
    /// `login` (the account id) and stops at the callback: its URL, not yet followed.
    pub async fn authorize(&self, browser: &reqwest::Client, login: &str) -> String {
        let mut url = self.app.url("/login/oidc?next=/");
        let callback = self.app.url("/login/oidc/callback");
        for _ in 0..12 {
            if url.starts_with(&callback) {
                return url;
            }
            let response = browser.get(&url).send().await.unwrap();
            let status = response.status();
            if status.is_redirection() {
                let location = response.headers()["location"].to_str().unwrap().to_string();
                url = absolute(&url, &location);
                continue;
            }
            let page = response.text().await.unwrap();
            assert_eq!(status, reqwest::StatusCode::OK, "{url}: {page}");
            // The provider's login form.
            let action =
                between(&page, "action=\"", "\"").unwrap_or_else(|| panic!("no form at {url}: {page}"));
            let submit = absolute(&url, &action.replace("&amp;", "&"));
            let answer = browser
                .post(&submit)
                .form(&[("prompt", "login"), ("login", login), ("password", "any password")])
                .send()
                .await
                .unwrap();
            assert!(answer.status().is_redirection(), "login form answered {}", answer.status());
            url = absolute(&submit, answer.headers()["location"].to_str().unwrap());
        }
        panic!("the flow did not come back to art33 (last at {url})");
    }

    /// Logs in as `login` through the provider: the browser and art33's answer to the callback.
    pub async fn login(&self, login: &str) -> (reqwest::Client, reqwest::Response) {
        let (browser, _) = self.browser();
        let callback = self.authorize(&browser, login).await;
        let answer = browser.get(&callback).send().await.unwrap();
        (browser, answer)
    }

    /// The flow cookie art33 set in `jar` (one flow started): its name and value.
    pub fn flow_cookie(&self, jar: &Jar) -> (String, String) {
        let url = self.app.url("/login/oidc/callback").parse().unwrap();
        let header = jar.cookies(&url).expect("cookies for the callback");
        header
            .to_str()
            .unwrap()
            .split("; ")
            .filter(|c| c.starts_with("art33_oidc_flow_"))
            .find_map(|c| c.split_once('='))
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .expect("the flow cookie")
    }
}

/// `location` resolved against `base`.
pub fn absolute(base: &str, location: &str) -> String {
    reqwest::Url::parse(base).unwrap().join(location).unwrap().to_string()
}

fn between(text: &str, start: &str, end: &str) -> Option<String> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(text[from..to].to_string())
}
