//! Logging: readable lines in development, JSON in production. Helpers keep secrets and personal
//! data out of the logs. The process's metrics are in [`metrics`].

pub mod metrics;

use std::io::IsTerminal as _;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

use crate::config::{LogFormat, LogSettings};

/// Installs the global subscriber writing to stderr. A second call does nothing.
pub fn init(settings: &LogSettings) {
    init_with_writer(settings, std::io::stderr);
}

/// Installs the global subscriber with a chosen writer (tests capture logs this way).
pub fn init_with_writer<W>(settings: &LogSettings, writer: W)
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_new(&settings.filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let ansi = std::io::stderr().is_terminal() && settings.format == LogFormat::Pretty;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(ansi)
        // Its default reports write failures with eprintln!, which panics when stderr is a closed
        // pipe: a lost log line must never take a request (or the process) down.
        .log_internal_errors(false);
    let _ = match settings.format {
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(false).try_init(),
        LogFormat::Pretty => builder.compact().with_target(false).try_init(),
    };
}

/// An e-mail address fit for logs: `j***@example.org`, [escaped] (the address may be
/// whatever someone typed into the login form).
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            escaped(format!("{first}***@{domain}"))
        }
        None => "***".to_string(),
    }
}

/// A value fit for one log line. Every value that may hold text from outside (what a user typed,
/// a relay's reply, a database's error) is logged through this: control characters (newline,
/// carriage return, escape…) and the Unicode line and paragraph separators are written as Rust
/// escapes (`\n`, `\u{1b}`), so that no value can end its line and forge another, in the readable
/// format as in JSON.
pub fn escaped(value: impl std::fmt::Display) -> String {
    let text = value.to_string();
    let unsafe_char = |c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
    if !text.chars().any(unsafe_char) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_masked() {
        assert_eq!(mask_email("jan.jansen@acme.nl"), "j***@acme.nl");
        assert_eq!(mask_email("nonsense"), "***");
        assert_eq!(mask_email("x@evil.example\nINFO login"), "x***@evil.example\\nINFO login");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escaped("plain text, ümlaut"), "plain text, ümlaut");
        assert_eq!(escaped("a\nb\rc\td\u{1b}[31m\u{0}\u{2028}"), "a\\nb\\rc\\td\\u{1b}[31m\\u{0}\\u{2028}");
        assert!(!escaped("line\nforged").contains('\n'));
    }
}
