//! How mail leaves the process: lettre over SMTP (plain, STARTTLS or TLS, credentials from the URL)
//! or `.eml` files for development.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart, header::ContentType};
use lettre::transport::smtp::Error as SmtpError;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{MailSettings, MailTransportKind};

/// A mail ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// Recipient address.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// text/plain.
    pub text: String,
    /// text/html, if any.
    pub html: Option<String>,
    /// Message-ID, stable across retries.
    pub message_id: String,
}

/// Why a send failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SendFailure {
    /// Refused for good (a 5xx reply, or a mail that cannot be built): retrying alone will not help.
    pub permanent: bool,
    /// The relay's reply code, when it replied (`451`, `550`).
    pub code: Option<u16>,
    /// Whether the relay (or the way to it) failed, as opposed to the mail itself being unusable.
    pub from_relay: bool,
    /// What happened (no credentials).
    pub message: String,
}

impl SendFailure {
    /// The mail itself cannot be sent (no address, cannot be built): final, and not the relay's fault.
    fn unusable(message: impl Into<String>) -> Self {
        Self { permanent: true, code: None, from_relay: false, message: message.into() }
    }

    /// The relay did not answer in time or at all.
    pub fn no_answer(message: impl Into<String>) -> Self {
        Self { permanent: false, code: None, from_relay: true, message: message.into() }
    }
}

/// The configured transport.
#[derive(Clone)]
pub enum Transport {
    /// SMTP.
    Smtp {
        /// The lettre transport (a connection per mail: mails are few, and an unpooled transport holds
        /// no background task that would outlive the runtime).
        transport: AsyncSmtpTransport<Tokio1Executor>,
        /// Host and port, for messages (never credentials).
        endpoint: String,
    },
    /// One `.eml` per message.
    File {
        /// The lettre transport.
        transport: AsyncFileTransport<Tokio1Executor>,
        /// The folder.
        dir: std::path::PathBuf,
    },
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// The transport cannot be built from the settings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TransportError(pub String);

impl Transport {
    /// Builds the transport of `mail.transport`.
    pub fn from_settings(mail: &MailSettings) -> Result<Transport, TransportError> {
        match mail.transport {
            MailTransportKind::File => Ok(Transport::File {
                transport: AsyncFileTransport::<Tokio1Executor>::new(&mail.file_dir),
                dir: mail.file_dir.clone(),
            }),
            MailTransportKind::Smtp => {
                let url = mail
                    .smtp_url
                    .as_ref()
                    .ok_or_else(|| {
                        TransportError("mail.smtp_url is required when mail.transport is \"smtp\"".into())
                    })?
                    .expose();
                let endpoint = endpoint_of(url);
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| TransportError(format!("mail.smtp_url for {endpoint} is not usable: {e}")))?
                    .timeout(Some(Duration::from_secs(mail.timeout_seconds)))
                    .build();
                Ok(Transport::Smtp { transport, endpoint })
            }
        }
    }

    /// "smtp mail.example.com:587" or "file mail-out" (no credentials).
    pub fn describe(&self) -> String {
        match self {
            Transport::Smtp { endpoint, .. } => format!("smtp {endpoint}"),
            Transport::File { dir, .. } => format!("file {}", dir.display()),
        }
    }

    /// Sends one mail from `from`; returns the server's reply (or the file's id).
    pub async fn send(&self, from: &str, mail: &Outgoing) -> Result<String, SendFailure> {
        let message = build(from, mail)?;
        match self {
            Transport::Smtp { transport, .. } => match transport.send(message).await {
                Ok(response) => {
                    Ok(format!("{} {}", response.code(), response.message().collect::<Vec<_>>().join(" ")))
                }
                Err(e) => Err(classify(&e)),
            },
            Transport::File { transport, dir } => {
                // The files hold live acknowledgement links: the directory is created 0700 and
                // each file made 0600 (the umask of `main.rs` does the same for the binary).
                let mut builder = tokio::fs::DirBuilder::new();
                builder.recursive(true);
                #[cfg(unix)]
                builder.mode(0o700);
                builder
                    .create(dir)
                    .await
                    .map_err(|e| SendFailure::no_answer(format!("cannot create {}: {e}", dir.display())))?;
                let id = transport
                    .send(message)
                    .await
                    .map_err(|e| SendFailure::no_answer(format!("cannot write the mail file: {e}")))?;
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt as _;
                    let file = dir.join(format!("{id}.eml"));
                    // The mail is written: failing now would write it twice on the retry.
                    if let Err(e) =
                        tokio::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).await
                    {
                        tracing::warn!(error = %crate::telemetry::escaped(&e), "cannot make a mail file readable by its owner only");
                    }
                }
                Ok(format!("written {id}.eml"))
            }
        }
    }
}

fn classify(e: &SmtpError) -> SendFailure {
    let permanent = e.is_permanent();
    let message = if e.is_timeout() { format!("timed out: {e}") } else { e.to_string() };
    SendFailure { permanent, code: e.status().map(u16::from), from_relay: true, message }
}

/// `host:port` of an SMTP URL, without user or password.
fn endpoint_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    rest.split(['/', '?']).next().unwrap_or(rest).to_string()
}

fn build(from: &str, mail: &Outgoing) -> Result<Message, SendFailure> {
    let from: Mailbox =
        from.parse().map_err(|e| SendFailure::unusable(format!("mail.from is not an address: {e}")))?;
    let to: Mailbox = mail.to.parse().map_err(|e| SendFailure::unusable(format!("not an address: {e}")))?;
    let builder =
        Message::builder().from(from).to(to).subject(&mail.subject).message_id(Some(mail.message_id.clone()));
    let built = match &mail.html {
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(mail.text.clone(), html.clone())),
        None => builder.header(ContentType::TEXT_PLAIN).body(mail.text.clone()),
    };
    built.map_err(|e| SendFailure::unusable(format!("the mail cannot be built: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_never_show_credentials() {
        assert_eq!(endpoint_of("smtps://user:secret@mail.example.com:465"), "mail.example.com:465");
        assert_eq!(endpoint_of("smtp://127.0.0.1:2525"), "127.0.0.1:2525");
        assert_eq!(endpoint_of("smtp://u:p@mail.example.com:587?tls=required"), "mail.example.com:587");
    }
}
