//! Running the real `art33` binary.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The binary under test.
pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_art33")
}

/// A command for `art33 ARGS` in `dir` with a clean `ART33_*` environment and `env` added.
pub fn command(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(binary());
    cmd.current_dir(dir).args(args);
    for (key, _) in std::env::vars() {
        if key.starts_with("ART33") {
            cmd.env_remove(key);
        }
    }
    cmd.env("ART33_ENV", "test");
    // The tests that run the binary report in bursts; the report rate limit has its own test.
    cmd.env("ART33__SERVER__REPORTS_PER_MINUTE", "0");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// Runs `art33 ARGS` to completion.
pub fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    command(dir, args, env).output().expect("run art33")
}

/// Runs `art33 ARGS` with `stdin` fed to it.
pub fn run_with_stdin(dir: &Path, args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let mut child = command(dir, args, env)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn art33");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().expect("wait art33")
}

/// Migrates the database of `env`, adds the client `acme` (DPO dpo@acme.example) and the officer
/// officer@gx.example, and returns a new API token of the officer.
pub fn acme_with_an_officer(dir: &Path, env: &[(&str, &str)]) -> String {
    assert!(run(dir, &["migrate"], env).status.success());
    let client = ["client", "add", "--slug", "acme", "--name", "Acme", "--dpo-email", "dpo@acme.example"];
    assert!(run(dir, &client, env).status.success());
    let officer = ["user", "add", "--email", "officer@gx.example", "--role", "officer"];
    assert!(run(dir, &officer, env).status.success());
    stdout(&run(dir, &["token", "create", "--email", "officer@gx.example"], env)).trim().to_string()
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).to_string()
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

/// A running `art33 serve`.
pub struct Served {
    /// The process.
    pub child: Child,
    /// `http://HOST:PORT` from the "listening on" line.
    pub address: String,
    lines: Arc<Mutex<Vec<String>>>,
}

/// Starts `art33 serve` on port 0 and waits for its "listening on http://…" line. Its stderr is
/// drained for the whole life of the process.
pub fn serve(dir: &Path, env: &[(&str, &str)]) -> Served {
    let mut env: Vec<(&str, &str)> = env.to_vec();
    env.push(("ART33__SERVER__LISTEN", "127.0.0.1:0"));
    let mut child = command(dir, &["serve"], &env)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn art33 serve");
    let stderr = child.stderr.take().unwrap();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let found = lines.lock().unwrap().iter().find_map(|line| {
            line.find("listening on http://")
                .map(|i| line[i + "listening on ".len()..].split_whitespace().next().unwrap().to_string())
        });
        if let Some(address) = found {
            return Served { child, address, lines };
        }
        if let Ok(Some(status)) = child.try_wait() {
            let _ = child.wait();
            std::thread::sleep(Duration::from_millis(100));
            panic!(
                "art33 serve exited with {status} before listening:\n{}",
                lines.lock().unwrap().join("\n")
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("art33 serve did not report its address within 60 s:\n{}", lines.lock().unwrap().join("\n"));
}

impl Served {
    /// Every stderr line so far.
    pub fn log(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// Sends SIGTERM and waits for the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id() as i32;
        // SAFETY-free: `kill` from the shell keeps this test free of libc bindings.
        let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).status();
        self.child.wait().expect("wait for art33 serve")
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
