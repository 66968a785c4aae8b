//! The `art33` binary as operators use it: serve, migrate, client/user/token commands, exit codes
//! and error sentences.

use std::path::Path;

use crate::on_both_backends_blocking;
use crate::support::cli::{self, run, run_with_stdin, serve, stderr, stdout};
use crate::support::{Backend, TestDb};

fn db_env(db: &TestDb) -> Vec<(&'static str, String)> {
    vec![("ART33__DATABASE__URL", db.url.clone())]
}

fn env_refs<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    env.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[test]
fn serve_in_an_empty_directory_creates_its_sqlite_file_and_is_healthy() {
    let dir = tempfile::tempdir().unwrap();
    let served = serve(dir.path(), &[]);
    assert!(dir.path().join("art33.db").exists(), "the default sqlite://art33.db is created");
    let health = http::blocking_get(&format!("{}/healthz", served.address));
    assert_eq!(health, (200, "ok".to_string()));
    let status = served.terminate();
    assert!(status.success(), "SIGTERM stops the server gracefully: {status}");
}

#[test]
fn serve_on_postgres_is_healthy() {
    let Some(backend) = Backend::postgres() else { return };
    let db = TestDb::create(&backend);
    let dir = tempfile::tempdir().unwrap();
    let env = db_env(&db);
    let served = serve(dir.path(), &env_refs(&env));
    assert!(served.log().iter().any(|l| l.contains("postgres")), "{:?}", served.log());
    assert_eq!(http::blocking_get(&format!("{}/healthz", served.address)), (200, "ok".to_string()));
    assert!(served.terminate().success());
}

#[test]
fn an_unsupported_database_scheme_fails_with_one_line_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    for command in [&["serve"][..], &["migrate"][..]] {
        let out = run(dir.path(), command, &[("ART33__DATABASE__URL", "mysql://x")]);
        assert_eq!(out.status.code(), Some(2), "{command:?}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("\"mysql\""), "{err}");
    }
}

#[test]
fn an_unknown_configuration_key_fails_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["serve"], &[("ART33__SERVER__LISTN", "127.0.0.1:0")]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out).trim(), "error: unknown configuration key `server.listn`");

    let file = dir.path().join("extra.toml");
    std::fs::write(&file, "[mail]\nfrom = \"x@y.example\"\nsmtp_host = \"mail\"\n").unwrap();
    let out = run(dir.path(), &["migrate", "--config", file.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`mail.smtp_host`"), "{}", stderr(&out));
}

#[test]
fn production_refuses_to_start_without_a_secret_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["serve"], &[("ART33_ENV", "production")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("server.secret_key is required"), "{}", stderr(&out));
    assert!(!dir.path().join("art33.db").exists(), "nothing is created before the configuration is valid");
}

#[test]
fn bad_usage_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run(dir.path(), &["frobnicate"], &[]).status.code(), Some(2));
    assert_eq!(
        run(dir.path(), &["user", "add", "--email", "a@b.example", "--role", "root"], &[]).status.code(),
        Some(2)
    );
    let help = run(dir.path(), &["--help"], &[]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("serve"));
}

/// The directory commands, then the token against a running server, on one backend.
fn directory_commands_work(backend: &Backend) {
    let db = TestDb::create(backend);
    let dir = tempfile::tempdir().unwrap();
    let env = db_env(&db);
    let env = env_refs(&env);
    let path = dir.path();

    let out = run(path, &["migrate"], &env);
    assert!(out.status.success(), "{}", stderr(&out));
    let migrations =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite")).unwrap().count();
    assert!(stdout(&out).starts_with(&format!("applied {migrations} migration(s)")), "{}", stdout(&out));
    assert_eq!(stdout(&run(path, &["migrate"], &env)).trim(), "database is up to date");

    let out = run(
        path,
        &[
            "client",
            "add",
            "--slug",
            "acme",
            "--name",
            "Acme BV",
            "--dpo-email",
            "DPO@acme.example",
            "--escalation-email",
            "ciso@acme.example",
            "--locale",
            "en",
        ],
        &env,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "acme");

    let out = run_with_stdin(
        path,
        &[
            "user",
            "add",
            "--email",
            "dpo@acme.example",
            "--role",
            "dpo",
            "--client",
            "acme",
            "--password-stdin",
        ],
        &env,
        "violet kettle under the bridge\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "dpo@acme.example");

    let out = run(path, &["token", "create", "--email", "dpo@acme.example", "--label", "scripts"], &env);
    assert!(out.status.success(), "{}", stderr(&out));
    let token = stdout(&out);
    assert_eq!(token.lines().count(), 1, "the token is alone on stdout");
    let token = token.trim().to_string();
    assert!(token.starts_with("art33_"));

    let served = serve(path, &env);
    let (status, body) =
        http::blocking_get_with_token(&format!("{}/api/v1/incidents", served.address), &token);
    assert_eq!((status, body.as_str()), (200, "{\"items\":[],\"next_cursor\":null}"));
    let (status, body) =
        http::blocking_get_with_token(&format!("{}/api/v1/incidents", served.address), "art33_wrong");
    assert_eq!(status, 401);
    assert!(body.contains("\"error\":\"unauthenticated\""), "{body}");
    assert!(!served.log().iter().any(|l| l.contains(&token)), "the token never appears in the log");
    drop(served);

    bad_directory_input_exits_2(path, &env);
}

fn bad_directory_input_exits_2(path: &Path, env: &[(&str, &str)]) {
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["client", "add", "--slug", "acme", "--name", "Again", "--dpo-email", "x@acme.example"],
            "\"acme\"",
        ),
        (
            vec!["client", "add", "--slug", "Bad Slug", "--name", "B", "--dpo-email", "x@b.example"],
            "\"Bad Slug\"",
        ),
        (
            vec!["client", "add", "--slug", "beta", "--name", "B", "--dpo-email", "not-an-address"],
            "\"not-an-address\"",
        ),
        (vec!["user", "add", "--email", "d2@acme.example", "--role", "dpo"], "--client"),
        (vec!["user", "add", "--email", "d2@acme.example", "--role", "dpo", "--client", "nope"], "\"nope\""),
        (vec!["user", "add", "--email", "dpo@acme.example", "--role", "reporter"], "\"dpo@acme.example\""),
        (vec!["user", "add", "--email", "o@gx.example", "--role", "officer", "--client", "acme"], "--client"),
        (vec!["token", "create", "--email", "ghost@gx.example"], "\"ghost@gx.example\""),
    ];
    for (args, named) in cases {
        let out = run(path, &args, env);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(named), "{args:?} should name {named}: {err}");
    }
    let out = run_with_stdin(
        path,
        &["user", "add", "--email", "short@gx.example", "--role", "officer", "--password-stdin"],
        env,
        "short\n",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("12 characters"), "{}", stderr(&out));
    // Issue 17 item 9: zxcvbn, with the user's own address as a known word.
    for weak in ["wachtwoord1234\n", "weak.address@gx.example\n"] {
        let out = run_with_stdin(
            path,
            &["user", "add", "--email", "weak.address@gx.example", "--role", "officer", "--password-stdin"],
            env,
            weak,
        );
        assert_eq!(out.status.code(), Some(2), "{weak}");
        let err = stderr(&out);
        assert!(err.contains("--password-stdin") && err.contains("too easy to guess"), "{weak}: {err}");
    }
}

on_both_backends_blocking!(directory_commands_work);

#[test]
fn commands_refuse_an_unmigrated_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &["client", "add", "--slug", "acme", "--name", "A", "--dpo-email", "d@acme.example"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("run `art33 migrate`"), "{}", stderr(&out));
}

#[test]
fn the_binary_is_the_one_under_test() {
    assert!(Path::new(cli::binary()).exists());
}

/// Minimal blocking HTTP for process tests (no async runtime needed).
mod http {
    use std::io::{Read, Write};
    use std::net::TcpStream;

    fn request(url: &str, token: Option<&str>) -> (u16, String) {
        let rest = url.strip_prefix("http://").expect("http URL");
        let (host, path) =
            rest.split_once('/').map(|(h, p)| (h, format!("/{p}"))).unwrap_or((rest, "/".into()));
        let mut stream = TcpStream::connect(host).expect("connect");
        let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\n{auth}Connection: close\r\n\r\n").unwrap();
        let mut raw = String::new();
        stream.read_to_string(&mut raw).unwrap();
        let status = raw.split_whitespace().nth(1).unwrap().parse().unwrap();
        let body = raw.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        (status, body)
    }

    pub fn blocking_get(url: &str) -> (u16, String) {
        request(url, None)
    }

    pub fn blocking_get_with_token(url: &str, token: &str) -> (u16, String) {
        request(url, Some(token))
    }
}

/// `dev seed` and `dev tick-bench`, the load test's data, on one backend: small numbers, every
/// state, a tick that mails what is due, and an audit chain that verifies afterwards.
fn seed_and_tick_bench_work(backend: &Backend) {
    let db = TestDb::create(backend);
    let dir = tempfile::tempdir().unwrap();
    let env = db_env(&db);
    let env = env_refs(&env);
    let path = dir.path();
    assert!(run(path, &["migrate"], &env).status.success());
    let out = run(
        path,
        &["dev", "seed", "--clients", "3", "--incidents", "30", "--password", "seed-password-for-tests"],
        &env,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let seeded: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("seed prints JSON");
    assert_eq!((seeded["clients"].as_u64(), seeded["incidents"].as_u64()), (Some(3), Some(30)));
    assert_eq!(seeded["running"].as_u64(), Some(6), "two kinds in ten have running clocks");
    assert!(seeded["audit_events"].as_u64().unwrap() > 30, "{seeded}");
    // As many due alerts as running incidents: one each, none superseding another; every round
    // plans and fires as many again (the command fails when two rounds fire different numbers).
    let out = run(path, &["dev", "tick-bench", "--planned", "200", "--due", "6", "--rounds", "3"], &env);
    assert!(out.status.success(), "{}", stderr(&out));
    let bench: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("tick-bench prints JSON");
    assert_eq!(bench["sent"].as_u64(), Some(6), "{bench}");
    assert_eq!(bench["tick_ms_rounds"].as_array().map(Vec::len), Some(3), "{bench}");
    assert!(bench["mails"].as_u64().unwrap() >= 12, "DPO and contacts for each: {bench}");
    // Every round's mails were sent through the file transport (the command fails otherwise) and timed.
    assert_eq!(bench["drain_ms_rounds"].as_array().map(Vec::len), Some(3), "{bench}");
    assert!(bench["drained_per_second"].as_f64().unwrap() > 0.0, "{bench}");
    let written = std::fs::read_dir(path.join("mail-out")).map(|dir| dir.count()).unwrap_or(0);
    assert!(written as u64 >= 3 * bench["mails"].as_u64().unwrap(), "{written} mail files: {bench}");
    let out = run(path, &["audit", "verify"], &env);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    // A relay that refuses every connection: the bench says so, and not that the data is corrupt.
    let mut refused = env.clone();
    refused.extend([("ART33__MAIL__TRANSPORT", "smtp"), ("ART33__MAIL__SMTP_URL", "smtp://127.0.0.1:1")]);
    let out = run(path, &["dev", "tick-bench", "--planned", "200", "--due", "6", "--rounds", "1"], &refused);
    assert!(!out.status.success());
    let said = stderr(&out);
    assert!(said.contains("the transport did not take every mail") && !said.contains("corrupt"), "{said}");
}

on_both_backends_blocking!(seed_and_tick_bench_work);
