//! The newcomer's path on the real binary (issue 19): the README's "First steps" run as written
//! and end logged in; without a configured `server.secret_key`, acknowledgement links mailed before
//! a restart still work after it.

use std::path::Path;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::on_both_backends;
use crate::support::Backend;
use crate::support::cli::{binary, serve};
use crate::support::csrf_of;
use crate::support::live::{LiveWorld, wait_mail};
use crate::support::smtp::SmtpServer;

on_both_backends!(acknowledgement_links_survive_a_restart_without_a_configured_key);
crate::on_both_backends_blocking!(the_first_stored_key_wins_and_is_kept);

/// Several processes starting together each offer their own generated key; every one of them gets
/// the first one stored, and a later start gets it too.
fn the_first_stored_key_wins_and_is_kept(backend: &Backend) {
    use art33::storage::instance_secrets::{SECRET_KEY, get_or_insert};
    let test_db = crate::support::TestDb::create(backend);
    let db = crate::support::open_db(&test_db);
    let now = chrono::Utc::now();
    let kept: Vec<String> = std::thread::scope(|scope| {
        let starts: Vec<_> = (0..4)
            .map(|n| {
                let db = db.clone();
                scope.spawn(move || {
                    db.run_blocking(|conn| get_or_insert(conn, SECRET_KEY, &format!("candidate-{n}"), now))
                        .unwrap()
                })
            })
            .collect();
        starts.into_iter().map(|s| s.join().unwrap()).collect()
    });
    assert!(kept.iter().all(|k| *k == kept[0] && k.starts_with("candidate-")), "{kept:?}");
    let later = db.run_blocking(|conn| get_or_insert(conn, SECRET_KEY, "a later start", now)).unwrap();
    assert_eq!(later, kept[0]);
}

/// The first `…/ack/TOKEN` link of a text body.
fn ack_link(text: &str) -> String {
    let start = text.find("/ack/").expect("an acknowledgement link");
    let begin = text[..start].rfind("http").expect("the link's scheme");
    let end = text[start..].find(char::is_whitespace).map_or(text.len(), |e| start + e);
    text[begin..end].to_string()
}

async fn acknowledgement_links_survive_a_restart_without_a_configured_key(backend: Backend) {
    let smtp = SmtpServer::start().await;
    let world = LiveWorld::setup(&backend, &smtp, &[]);
    let live = world.serve(&[]);
    assert!(
        live.log()
            .iter()
            .any(|l| l.contains("server.secret_key is not set: using the key kept in the database")),
        "the start-up warning says where the key comes from: {:?}",
        live.log()
    );
    let incident = live.report("Breach").await;
    let id = incident["id"].as_str().unwrap().to_string();
    live.event(&id, json!({"type": "confirm"})).await;
    let a0 = wait_mail(&smtp, Duration::from_secs(30), |m| {
        m.to == ["dpo@acme.example"] && m.subject().contains("Data breach confirmed")
    })
    .await;
    let link = ack_link(&a0.text_body());
    let path = &link[link.find("/ack/").unwrap()..];
    let http = reqwest::Client::new();
    let before = http.get(live.url(path)).send().await.unwrap();
    assert_eq!(before.status(), StatusCode::OK, "the link works before the restart");
    drop(live);

    let live = world.serve(&[]);
    let after = http.get(live.url(path)).send().await.unwrap();
    assert_eq!(after.status(), StatusCode::OK, "the link mailed before the restart still works");
    let page = after.text().await.unwrap();
    assert!(page.contains("method=\"post\""), "the confirmation form is shown: {page}");
}

/// The shell commands of the README's first-steps block (between its markers), continued lines
/// joined.
fn first_steps(readme: &str) -> Vec<String> {
    let start = readme.find("<!-- first-steps:begin -->").expect("the first-steps begin marker");
    let end = readme.find("<!-- first-steps:end -->").expect("the first-steps end marker");
    let block = &readme[start..end];
    let code = block.split("```sh").nth(1).expect("a sh code block").split("```").next().unwrap();
    let mut commands = Vec::new();
    let mut current = String::new();
    for line in code.lines() {
        let line = line.trim_end();
        if let Some(continued) = line.strip_suffix('\\') {
            current.push_str(continued);
            current.push(' ');
            continue;
        }
        current.push_str(line);
        let command = std::mem::take(&mut current);
        if !command.trim().is_empty() && !command.trim_start().starts_with('#') {
            commands.push(command.trim().to_string());
        }
    }
    commands
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_first_steps_run_as_written_and_end_logged_in() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let commands = first_steps(&readme);
    let release = "target/release/art33";
    assert!(commands.first().is_some_and(|c| c.starts_with("cargo build --release")), "{commands:?}");
    let serve_at =
        commands.iter().position(|c| c.starts_with(&format!("{release} serve"))).expect("a serve step");
    assert!(
        commands.iter().any(|c| c.contains("--role officer")),
        "the first steps create a privacy officer: nothing can be confirmed without one"
    );
    let dir = tempfile::tempdir().unwrap();
    // The build is the test's own: the debug binary stands in for the release one.
    let script: Vec<String> = commands[1..serve_at].iter().map(|c| c.replace(release, binary())).collect();
    let mut shell = std::process::Command::new("bash");
    shell.current_dir(dir.path()).arg("-euo").arg("pipefail").arg("-c").arg(script.join("\n"));
    for (key, _) in std::env::vars() {
        if key.starts_with("ART33") {
            shell.env_remove(key);
        }
    }
    let out = shell.output().unwrap();
    assert!(
        out.status.success(),
        "the first steps failed:\n{script:#?}\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    // `serve` as the README says, but on a free port (and in the test environment's log format).
    let served = serve(dir.path(), &[]);
    let address = &served.address;
    let login_line = commands.iter().find(|c| c.contains("--role admin")).expect("an admin is created");
    let email = login_line.split("--email ").nth(1).unwrap().split_whitespace().next().unwrap().to_string();
    let password_file = login_line.rsplit("< ").next().unwrap().trim();
    let password = std::fs::read_to_string(dir.path().join(password_file)).unwrap();
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = browser.get(format!("{address}/login")).send().await.unwrap().text().await.unwrap();
    let login = browser
        .post(format!("{address}/login"))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("email", email.as_str()),
            ("password", password.trim_end()),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::SEE_OTHER, "{email} logs in with the README's password");
    assert_eq!(login.headers()["location"], "/");
    let dashboard = browser.get(format!("{address}/")).send().await.unwrap();
    assert_eq!(dashboard.status(), StatusCode::OK, "the dashboard shows");
}
