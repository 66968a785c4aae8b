//! What a channel receives, rendered once when the row is queued (pure: no IO, no clock). A payload
//! carries no free text of the incident: only its reference, the client (an organisation: its slug,
//! and its name in the chat messages), the alert code, the deadline, the time left and the link.
//! The chat messages (Teams, Slack, Mattermost) speak the client's language.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::domain::escalation::AlertCode;
use crate::domain::local_time;
use crate::domain::locale::Locale;
use crate::domain::texts;

/// The kinds of channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChannelKind {
    /// Generic JSON, signed per the Standard Webhooks scheme.
    Webhook,
    /// A Microsoft Teams workflow ("Post to a channel when a webhook request is received"): an
    /// Adaptive Card message.
    Teams,
    /// A Slack incoming webhook: `{"text": …}`.
    Slack,
    /// A Mattermost incoming webhook: `{"text": …}` in Markdown.
    Mattermost,
}

impl ChannelKind {
    /// Every kind.
    pub const ALL: [ChannelKind; 4] =
        [ChannelKind::Webhook, ChannelKind::Teams, ChannelKind::Slack, ChannelKind::Mattermost];

    /// `webhook`, `teams`, `slack`, `mattermost`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Webhook => "webhook",
            ChannelKind::Teams => "teams",
            ChannelKind::Slack => "slack",
            ChannelKind::Mattermost => "mattermost",
        }
    }

    /// The kind named `s`.
    pub fn parse(s: &str) -> Option<ChannelKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// Whether deliveries to it are signed with the channel's shared secret.
    pub fn is_signed(self) -> bool {
        self == ChannelKind::Webhook
    }
}

/// What a payload says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The alert, or `None` for a test message.
    pub code: Option<AlertCode>,
    /// The incident's reference (`ACME-2026-0007`); `None` for a test message.
    pub reference: Option<String>,
    /// The client's slug; `None` for a test message to the officers' team.
    pub client: Option<String>,
    /// The client's name (the chat messages show it).
    pub client_name: Option<String>,
    /// The AP deadline, once the clock has started.
    pub deadline_at: Option<DateTime<Utc>>,
    /// Seconds left while the clock runs (negative when overdue).
    pub remaining_seconds: Option<i64>,
    /// Whether the clock runs and the deadline has passed.
    pub overdue: bool,
    /// The incident page (or, for a test message, art33's address).
    pub url: String,
    /// When the alert fired (or the test was asked for).
    pub at: DateTime<Utc>,
    /// The language of the chat messages.
    pub locale: Locale,
}

impl Notice {
    /// The `type` of the generic payload: `alert.a0`, …, or `test`.
    pub fn event_type(&self) -> String {
        match self.code {
            Some(code) => format!("alert.{}", code.as_str().to_ascii_lowercase()),
            None => "test".to_string(),
        }
    }
}

/// The body posted to a channel of `kind`.
pub fn render(kind: ChannelKind, notice: &Notice) -> String {
    let value = match kind {
        ChannelKind::Webhook => generic(notice),
        ChannelKind::Teams => teams(notice),
        ChannelKind::Slack => json!({ "text": slack_text(notice) }),
        ChannelKind::Mattermost => json!({ "text": mattermost_text(notice) }),
    };
    value.to_string()
}

fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The generic JSON: `{"type", "timestamp", "data": {…}}` (the envelope the Standard Webhooks
/// scheme recommends).
fn generic(n: &Notice) -> Value {
    let data = match n.code {
        Some(code) => json!({
            "reference": n.reference,
            "client": n.client,
            "alert": code.as_str(),
            "deadline_at": n.deadline_at.map(instant),
            "remaining_seconds": n.remaining_seconds,
            "overdue": n.overdue,
            "url": n.url,
        }),
        None => json!({ "client": n.client, "url": n.url }),
    };
    json!({ "type": n.event_type(), "timestamp": instant(n.at), "data": data })
}

fn t(locale: Locale, key: &str) -> String {
    texts::text(locale, key).to_string()
}

/// `A0 (breach confirmed)`.
fn alert_words(code: AlertCode, locale: Locale) -> String {
    let about = match code {
        AlertCode::A1 | AlertCode::A2 | AlertCode::A3 | AlertCode::A4 => "milestone".to_string(),
        other => other.as_str().to_ascii_lowercase(),
    };
    format!("{} ({})", code.as_str(), t(locale, &format!("timeline-about-{about}")))
}

/// The headline: `[ACME-2026-0007] A0 (breach confirmed) · Acme BV`, or the test message. The
/// client's name, the one part not written by art33, passes through `escape`.
fn headline(n: &Notice, escape: fn(&str) -> String) -> String {
    let client = escape(&n.client_name.clone().unwrap_or_else(|| t(n.locale, "webhook-team")));
    match (n.code, &n.reference) {
        (Some(code), Some(reference)) => format!("[{reference}] {} · {client}", alert_words(code, n.locale)),
        _ => texts::text_with(n.locale, "webhook-test", &[("client", &client)]),
    }
}

/// The deadline in words: when, and the time left or how late; `None` before the clock starts.
fn deadline_words(n: &Notice) -> Option<String> {
    let deadline = n.deadline_at?;
    let when = local_time::format_local(deadline, n.locale);
    Some(match n.remaining_seconds {
        Some(left) if left < 0 => texts::text_with(
            n.locale,
            "webhook-overdue",
            &[("deadline", &when), ("late", &local_time::format_duration(-left, n.locale))],
        ),
        Some(left) => texts::text_with(
            n.locale,
            "webhook-deadline",
            &[("deadline", &when), ("left", &local_time::format_duration(left, n.locale))],
        ),
        None => texts::text_with(n.locale, "webhook-deadline-stopped", &[("deadline", &when)]),
    })
}

/// Slack's control characters in text (`&`, `<`, `>`) escaped, as its formatting rules ask.
fn slack_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// What the link says: the incident, or art33 itself for a test message.
fn link_words(n: &Notice) -> String {
    t(n.locale, if n.code.is_some() { "webhook-open" } else { "webhook-open-app" })
}

fn slack_text(n: &Notice) -> String {
    let mut line = headline(n, slack_escape);
    if let Some(words) = deadline_words(n) {
        line.push_str(" · ");
        line.push_str(&slack_escape(&words));
    }
    format!("{line} · <{}|{}>", n.url, slack_escape(&link_words(n)))
}

/// Markdown's emphasis, code, link and HTML characters escaped.
fn markdown_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '[' | ']' | '(' | ')' | '*' | '_' | '`' | '\\' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn mattermost_text(n: &Notice) -> String {
    let mut line = headline(n, markdown_escape);
    if let Some(words) = deadline_words(n) {
        line.push_str(" · ");
        line.push_str(&words);
    }
    format!("{line} · [{}]({})", link_words(n), n.url)
}

/// A Teams workflow message holding one Adaptive Card 1.4: the headline, the deadline, a button.
fn teams(n: &Notice) -> Value {
    let mut body = vec![json!({
        "type": "TextBlock",
        "text": headline(n, str::to_string),
        "weight": "Bolder",
        "size": "Medium",
        "wrap": true,
    })];
    if let Some(words) = deadline_words(n) {
        body.push(json!({ "type": "TextBlock", "text": words, "wrap": true }));
    }
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": body,
                "actions": [{ "type": "Action.OpenUrl", "title": link_words(n), "url": n.url }],
            },
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(locale: Locale) -> Notice {
        Notice {
            code: Some(AlertCode::A0),
            reference: Some("ACME-2026-0007".into()),
            client: Some("acme".into()),
            client_name: Some("Acme & Co <BV>".into()),
            deadline_at: Some("2026-10-25T09:00:00Z".parse().unwrap()),
            remaining_seconds: Some(71 * 3600 + 30 * 60),
            overdue: false,
            url: "https://art33.example/incidents/0190".into(),
            at: "2026-10-22T09:30:00Z".parse().unwrap(),
            locale,
        }
    }

    fn test_notice() -> Notice {
        Notice {
            code: None,
            reference: None,
            client: None,
            client_name: None,
            deadline_at: None,
            remaining_seconds: None,
            overdue: false,
            url: "https://art33.example".into(),
            at: "2026-10-22T09:30:00Z".parse().unwrap(),
            locale: Locale::En,
        }
    }

    #[test]
    fn the_generic_payload_carries_the_facts_and_no_free_text() {
        let body: Value = serde_json::from_str(&render(ChannelKind::Webhook, &notice(Locale::En))).unwrap();
        assert_eq!(
            body,
            json!({
                "type": "alert.a0",
                "timestamp": "2026-10-22T09:30:00Z",
                "data": {
                    "reference": "ACME-2026-0007",
                    "client": "acme",
                    "alert": "A0",
                    "deadline_at": "2026-10-25T09:00:00Z",
                    "remaining_seconds": 257400,
                    "overdue": false,
                    "url": "https://art33.example/incidents/0190",
                }
            })
        );
        let test: Value = serde_json::from_str(&render(ChannelKind::Webhook, &test_notice())).unwrap();
        assert_eq!(test["type"], "test");
        assert_eq!(test["data"], json!({ "client": null, "url": "https://art33.example" }));
    }

    #[test]
    fn the_chat_payloads_have_their_shapes() {
        insta::assert_snapshot!("slack_en", render(ChannelKind::Slack, &notice(Locale::En)));
        insta::assert_snapshot!("mattermost_nl", render(ChannelKind::Mattermost, &notice(Locale::Nl)));
        insta::assert_snapshot!("teams_en", render(ChannelKind::Teams, &notice(Locale::En)));
        insta::assert_snapshot!("slack_test_en", render(ChannelKind::Slack, &test_notice()));
        let teams: Value = serde_json::from_str(&render(ChannelKind::Teams, &notice(Locale::En))).unwrap();
        assert_eq!(teams["type"], "message");
        let card = &teams["attachments"][0];
        assert_eq!(card["contentType"], "application/vnd.microsoft.card.adaptive");
        assert_eq!(card["content"]["type"], "AdaptiveCard");
        assert_eq!(card["content"]["version"], "1.4");
        assert_eq!(card["content"]["actions"][0]["url"], "https://art33.example/incidents/0190");
        let slack: Value = serde_json::from_str(&render(ChannelKind::Slack, &notice(Locale::En))).unwrap();
        let text = slack["text"].as_str().unwrap();
        assert!(text.contains("Acme &amp; Co &lt;BV&gt;"), "{text}");
        assert!(text.ends_with("|Open the incident>"), "{text}");
    }

    #[test]
    fn an_overdue_deadline_says_how_late() {
        let late = Notice { remaining_seconds: Some(-2 * 3600), overdue: true, ..notice(Locale::En) };
        let text = render(ChannelKind::Mattermost, &late);
        assert!(text.contains("passed"), "{text}");
    }

    #[test]
    fn kinds_parse_by_name() {
        for kind in ChannelKind::ALL {
            assert_eq!(ChannelKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ChannelKind::parse("email"), None);
    }
}
