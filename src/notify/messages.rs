//! The mails (what each says: `docs/ARCHITECTURE.md` §7): askama templates under
//! `templates/email/<kind>/`, text and HTML, Dutch and English by the client's locale (the texts are
//! the `mail-…` keys of `locales/*/art33.ftl`). A mail opens
//! with what is asked of the reader, carries no personal data of data subjects (categories and
//! counts only) and gives times twice: Amsterdam with the zone abbreviation, then UTC.
//!
//! A mail carries no free text at all: not the title, the summary, the consequences or any
//! justification, since whatever someone typed there (a citizen service number in a title) would
//! reach inboxes. It names the incident by its reference, client and codes; the text stays behind
//! the login, one link away. [`MailContext`] has no field that could hold free text.

use askama::Template;
use chrono::{DateTime, Utc};

use crate::domain::ap_report;
use crate::domain::deadline::{Clock, ClockState};
use crate::domain::directory::Client;
use crate::domain::escalation::{AlertCode, EscalationPolicy};
use crate::domain::incident::{Incident, State};
use crate::domain::local_time;
use crate::domain::locale::Locale;
use crate::domain::texts;
use crate::domain::vocabulary::CodeList;

/// The kinds of mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MailKind {
    /// Suspected breach reported (officers, DPO).
    P0,
    /// The reporter's receipt.
    P0Receipt,
    /// Not triaged after 24 hours.
    P1,
    /// Breach confirmed: notify the AP by the deadline.
    A0,
    /// A0 not acknowledged.
    U0,
    /// The conservative deadline (processor awareness + the window) passed before the AP was
    /// notified.
    C0,
    /// A1–A4: hours left.
    Milestone,
    /// A5 and the reminders after it: deadline passed.
    A5,
    /// A preliminary notification not supplemented.
    S1,
    /// `art33 mail test`.
    Test,
    /// Sign-ins to an account were paused after wrong passwords (issue 17).
    LoginLocked,
    /// A one-time link to choose a new password, sent by an admin.
    PasswordReset,
}

impl MailKind {
    /// The mail of an alert.
    pub fn of_alert(code: AlertCode) -> MailKind {
        match code {
            AlertCode::P0 => MailKind::P0,
            AlertCode::P1 => MailKind::P1,
            AlertCode::A0 => MailKind::A0,
            AlertCode::U0 => MailKind::U0,
            AlertCode::C0 => MailKind::C0,
            AlertCode::A1 | AlertCode::A2 | AlertCode::A3 | AlertCode::A4 => MailKind::Milestone,
            AlertCode::A5 => MailKind::A5,
            AlertCode::S1 => MailKind::S1,
        }
    }

    /// The name stored with outbox rows.
    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::P0 => "P0",
            MailKind::P0Receipt => "P0-receipt",
            MailKind::P1 => "P1",
            MailKind::A0 => "A0",
            MailKind::U0 => "U0",
            MailKind::C0 => "C0",
            MailKind::Milestone => "milestone",
            MailKind::A5 => "A5",
            MailKind::S1 => "S1",
            MailKind::Test => "test",
            MailKind::LoginLocked => "login-locked",
            MailKind::PasswordReset => "password-reset",
        }
    }
}

/// Everything a mail template may show. Built by [`MailContext::for_incident`]; all values are already
/// in the mail's language, and the templates take their texts from `locales/*/art33.ftl` through
/// [`MailContext::t`], [`MailContext::t1`] and [`MailContext::t2`].
#[derive(Debug, Clone, Default)]
pub struct MailContext {
    /// The mail's language.
    pub locale: Locale,
    /// `ACME-2026-0007`.
    pub reference: String,
    /// The client's name.
    pub client_name: String,
    /// The alert code (`A4`), empty for mails that are not alerts.
    pub code: String,
    /// Link to the incident page.
    pub incident_url: String,
    /// Link to the AP draft.
    pub ap_url: String,
    /// One-click acknowledgement link (DPO mails only): the first action of the mail.
    pub ack_url: Option<String>,
    /// Whether this copy goes to the client's DPO; the other copies (officers, management, the
    /// client's contacts) speak of "the client" and its DPO instead of "you".
    pub for_dpo: bool,
    /// P0 only, when the report was triaged before its P0 went out (a catch-up tick): the text
    /// saying how (`mail-p0-since-confirmed` or `mail-p0-since-dismissed`), in place of the
    /// triage under way and the clock not yet started.
    pub p0_since: Option<&'static str>,
    /// How a reporter reaches the privacy officer on duty (`organisation.duty_phone`,
    /// `duty_email`), for the receipt; without it the receipt leaves the sentence out.
    pub duty_contact: Option<String>,
    /// Who reported: a role for the DPO, the address for officers.
    pub reporter: String,
    /// When reported, Amsterdam and UTC.
    pub reported_local: String,
    /// When reported, UTC.
    pub reported_utc: String,
    /// Age of the report in words.
    pub report_age: String,
    /// Kind of incident (label).
    pub incident_kind: Option<String>,
    /// What happened to the data (labels).
    pub nature: Vec<String>,
    /// Categories of personal data (labels).
    pub data_categories: Vec<String>,
    /// Special categories (labels).
    pub special_categories: Vec<String>,
    /// People affected: "48000" or "10 – 20", if known.
    pub subjects_count: Option<String>,
    /// Still ongoing.
    pub ongoing: bool,
    /// The deadline, Amsterdam with zone and offset.
    pub deadline_local: Option<String>,
    /// The deadline, short (for subjects).
    pub deadline_short: Option<String>,
    /// The deadline in UTC.
    pub deadline_utc: Option<String>,
    /// Time left in words (while the clock runs and the deadline lies ahead).
    pub time_left: Option<String>,
    /// Hours left at a milestone (48, 24, 12, 4): the real time left, to the nearest hour.
    pub hours_left: Option<i64>,
    /// Whether the notification is late ([`Clock::late`]): only then do mails speak of a passed
    /// deadline or ask for reasons for delay (4.5).
    pub late: bool,
    /// How late, in words (past the deadline, while late).
    pub late_by: Option<String>,
    /// The incident's own window in hours (never a fixed "72").
    pub window_hours: u32,
    /// The conservative deadline when it is earlier (processor delay), Amsterdam.
    pub conservative_local: Option<String>,
    /// That conservative deadline has passed (texts in the past tense).
    pub conservative_passed: bool,
    /// When GX (the processor) became aware, Amsterdam and UTC.
    pub processor_aware_local: Option<String>,
    /// When the client (the controller) was informed, Amsterdam and UTC.
    pub controller_aware_local: Option<String>,
    /// ENISA severity in words.
    pub severity: Option<String>,
    /// The AP questions still unanswered.
    pub missing: Vec<String>,
    /// When the A0 notice was sent (U0).
    pub a0_sent_local: Option<String>,
    /// When the AP was notified (S1).
    pub notified_local: Option<String>,
    /// The configured transport (test mail).
    pub transport: String,
    /// The sender (test mail).
    pub sender: String,
    /// When sent (test mail), or when the last wrong password came (lock notice), Amsterdam and
    /// UTC.
    pub sent_local: String,
    /// The login page (lock notice).
    pub login_url: String,
    /// Whether all sign-ins to the account wait, not just those from one address (lock notice).
    pub lock_account_wide: bool,
    /// How long the lock lasts, in minutes (lock notice).
    pub lock_minutes: i64,
    /// The one-time link to choose a new password (reset mail).
    pub reset_url: String,
    /// Until when the link works, Amsterdam and UTC (reset mail).
    pub reset_until_local: String,
    /// The admin who sent the link (reset mail).
    pub reset_by: String,
}

/// What a mail about an incident is built from.
#[derive(Debug, Clone, Copy)]
pub struct IncidentMail<'a> {
    /// The incident.
    pub incident: &'a Incident,
    /// Its client.
    pub client: &'a Client,
    /// Why the mail is sent.
    pub code: AlertCode,
    /// When it is sent.
    pub now: DateTime<Utc>,
    /// The policy (deadline window, milestones).
    pub policy: &'a EscalationPolicy,
    /// `server.base_url`.
    pub base_url: &'a str,
    /// The acknowledgement link, for the DPO's copy.
    pub ack_url: Option<&'a str>,
    /// Whether this copy goes to the client's DPO (reporter shown by role, not name).
    pub for_dpo: bool,
    /// When A0 was sent (for U0).
    pub a0_sent_at: Option<DateTime<Utc>>,
    /// How the reporter reaches the privacy officer on duty, in the mail's language
    /// (`OrganisationSettings::duty_contact`), for the receipt.
    pub duty_contact: Option<&'a str>,
}

fn labels<T: CodeList>(values: &[T], locale: Locale) -> Vec<String> {
    values.iter().map(|v| v.label(locale).to_string()).collect()
}

/// 48000 → "48.000" (nl) or "48,000" (en).
fn grouped(value: u64, locale: Locale) -> String {
    let digits = value.to_string();
    let separator = if locale == Locale::Nl { '.' } else { ',' };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

fn both(t: DateTime<Utc>, locale: Locale) -> String {
    format!("{} ({})", local_time::format_local(t, locale), local_time::format_utc(t))
}

impl MailContext {
    /// The context of a mail about an incident.
    pub fn for_incident(mail: &IncidentMail<'_>) -> MailContext {
        let IncidentMail {
            incident,
            client,
            code,
            now,
            policy,
            base_url,
            ack_url,
            for_dpo,
            a0_sent_at,
            duty_contact,
        } = *mail;
        let locale = client.locale;
        let f = &incident.facts;
        let clock = Clock::of(incident, now, policy);
        // Time left only while the clock runs and the notification is not late; how late only when
        // it is, measured at the notification once made (`Clock::late`, the one rule).
        let remaining = clock.remaining_seconds.filter(|r| *r >= 0 && !clock.late);
        let late_by = match (clock.late, clock.deadline_at) {
            (true, Some(d)) => {
                let at = match &incident.ap {
                    Some(ap) if clock.state != ClockState::Running => ap.notified_at,
                    _ => now,
                };
                Some(local_time::format_duration((at - d).num_seconds().max(0), locale))
            }
            _ => None,
        };
        let severity = incident.severity().map(|s| {
            let yes_no = |b: bool| texts::text(locale, if b { "mail-yes" } else { "mail-no" });
            texts::text_with(
                locale,
                "mail-severity",
                &[
                    ("band", s.band.label(locale)),
                    ("score", &s.score_text_in(locale)),
                    ("ap", yes_no(s.proposed_ap)),
                    ("subjects", yes_no(s.proposed_subjects)),
                ],
            )
        });
        let n = |v: u64| grouped(v, locale);
        let subjects_count = match (f.subjects_min, f.subjects_max) {
            (Some(a), Some(b)) if a == b => Some(n(a)),
            (Some(a), Some(b)) => Some(format!("{} – {}", n(a), n(b))),
            (Some(a), None) => Some(format!("{} – ?", n(a))),
            (None, Some(b)) => Some(format!("? – {}", n(b))),
            (None, None) => None,
        };
        let reporter = if for_dpo {
            texts::text(locale, "mail-reporter-for-dpo").to_string()
        } else {
            incident.reported_by_email.clone()
        };
        let incident_url = format!("{base_url}/incidents/{}", incident.id);
        MailContext {
            locale,
            reference: incident.reference.clone(),
            client_name: client.name.clone(),
            code: code.as_str().to_string(),
            ap_url: format!("{incident_url}/ap-report"),
            incident_url,
            ack_url: ack_url.map(str::to_string),
            for_dpo,
            // Every mail of a tick is rendered from the incident as it is at that tick: a P0 that
            // goes out after the report was triaged says so, not that triage is under way.
            p0_since: match incident.state {
                State::Reported => None,
                State::Dismissed => Some("mail-p0-since-dismissed"),
                State::Closed if incident.controller_aware_at.is_none() => Some("mail-p0-since-dismissed"),
                _ => Some("mail-p0-since-confirmed"),
            },
            duty_contact: duty_contact.map(str::to_string),
            reporter,
            reported_local: local_time::format_local(incident.reported_at, locale),
            reported_utc: local_time::format_utc(incident.reported_at),
            report_age: local_time::format_duration((now - incident.reported_at).num_seconds(), locale),
            incident_kind: f.incident_kind.map(|k| k.label(locale).to_string()),
            nature: labels(&f.nature, locale),
            data_categories: labels(&f.data_categories, locale),
            special_categories: labels(&f.special_categories, locale),
            subjects_count,
            ongoing: f.ongoing,
            deadline_local: clock.deadline_at.map(|d| local_time::format_local_with_offset(d, locale)),
            deadline_short: clock.deadline_at.map(|d| local_time::format_local_short(d, locale)),
            deadline_utc: clock.deadline_at.map(local_time::format_utc),
            time_left: remaining.map(|r| local_time::format_duration(r, locale)),
            hours_left: code
                .hours_before_deadline(policy)
                .and(remaining)
                .map(|r| (r + 1800).div_euclid(3600)),
            late: clock.late,
            late_by,
            window_hours: clock.window_hours,
            conservative_local: if clock.processor_delay_warning {
                clock.conservative_deadline_at.map(|d| both(d, locale))
            } else {
                None
            },
            conservative_passed: clock.conservative_passed,
            processor_aware_local: incident.processor_aware_at.map(|t| both(t, locale)),
            controller_aware_local: incident.controller_aware_at.map(|t| both(t, locale)),
            severity,
            missing: ap_report::missing_answers(incident, clock.late)
                .iter()
                .map(|m| m.label(locale))
                .collect(),
            a0_sent_local: a0_sent_at.map(|t| both(t, locale)),
            notified_local: incident.ap.as_ref().map(|ap| both(ap.notified_at, locale)),
            transport: String::new(),
            sender: String::new(),
            sent_local: String::new(),
            login_url: String::new(),
            lock_account_wide: false,
            lock_minutes: 0,
            reset_url: String::new(),
            reset_until_local: String::new(),
            reset_by: String::new(),
        }
    }

    /// The context of `art33 mail test`.
    pub fn for_test(transport: &str, sender: &str, now: DateTime<Utc>) -> MailContext {
        MailContext {
            locale: Locale::En,
            transport: transport.to_string(),
            sender: sender.to_string(),
            sent_local: both(now, Locale::En),
            ..MailContext::default()
        }
    }
}

impl MailContext {
    /// The context of the lock notice: sign-ins to the account wait `minutes` after wrong passwords,
    /// the last at `at`; from one address, or from everywhere when `account_wide`.
    pub fn for_login_lock(
        locale: Locale,
        base_url: &str,
        at: DateTime<Utc>,
        minutes: i64,
        account_wide: bool,
    ) -> MailContext {
        MailContext {
            locale,
            sent_local: both(at, locale),
            login_url: format!("{base_url}/login"),
            lock_account_wide: account_wide,
            lock_minutes: minutes,
            ..MailContext::default()
        }
    }

    /// The context of the reset mail: `url` sets a new password until `until`; `by` sent it.
    pub fn for_password_reset(locale: Locale, url: &str, until: DateTime<Utc>, by: &str) -> MailContext {
        MailContext {
            locale,
            reset_url: url.to_string(),
            reset_until_local: both(until, locale),
            reset_by: by.to_string(),
            ..MailContext::default()
        }
    }

    /// The text `key` in the mail's language.
    pub fn t<'k>(&self, key: &'k str) -> &'k str {
        texts::text(self.locale, key)
    }

    /// The text `key` with its variable `name` set to `value`.
    pub fn t1(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        texts::text_with(self.locale, key, &[(name, &value.to_string())])
    }

    /// The text `key` with two variables set.
    pub fn t2(
        &self,
        key: &str,
        name1: &str,
        value1: impl std::fmt::Display,
        name2: &str,
        value2: impl std::fmt::Display,
    ) -> String {
        texts::text_with(self.locale, key, &[(name1, &value1.to_string()), (name2, &value2.to_string())])
    }
}

/// A rendered mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// One line.
    pub subject: String,
    /// text/plain.
    pub text: String,
    /// text/html.
    pub html: String,
}

macro_rules! mail_templates {
    ($($module:ident => $subject:literal, $text:literal, $html:literal;)*) => {
        $(
            mod $module {
                use super::MailContext;

                // The test mail's subject is fixed text and reads nothing.
                #[allow(dead_code, reason = "the test mail's subject is fixed text and reads nothing")]
                #[derive(askama::Template)]
                #[template(path = $subject, escape = "none")]
                pub struct Subject<'a> {
                    pub m: &'a MailContext,
                }

                #[derive(askama::Template)]
                #[template(path = $text, escape = "none")]
                pub struct Text<'a> {
                    pub m: &'a MailContext,
                }

                #[derive(askama::Template)]
                #[template(path = $html)]
                pub struct Html<'a> {
                    pub m: &'a MailContext,
                }
            }
        )*
    };
}

mail_templates! {
    p0 => "email/p0/subject.txt", "email/p0/body.txt", "email/p0/body.html";
    p0_receipt => "email/p0_receipt/subject.txt", "email/p0_receipt/body.txt", "email/p0_receipt/body.html";
    p1 => "email/p1/subject.txt", "email/p1/body.txt", "email/p1/body.html";
    a0 => "email/a0/subject.txt", "email/a0/body.txt", "email/a0/body.html";
    u0 => "email/u0/subject.txt", "email/u0/body.txt", "email/u0/body.html";
    c0 => "email/c0/subject.txt", "email/c0/body.txt", "email/c0/body.html";
    milestone => "email/milestone/subject.txt", "email/milestone/body.txt", "email/milestone/body.html";
    a5 => "email/a5/subject.txt", "email/a5/body.txt", "email/a5/body.html";
    s1 => "email/s1/subject.txt", "email/s1/body.txt", "email/s1/body.html";
    test => "email/test/subject.txt", "email/test/body.txt", "email/test/body.html";
    login_locked => "email/login_locked/subject.txt", "email/login_locked/body.txt", "email/login_locked/body.html";
    password_reset => "email/password_reset/subject.txt", "email/password_reset/body.txt", "email/password_reset/body.html";
}

macro_rules! render_with {
    ($module:ident, $m:expr) => {
        Rendered {
            subject: $module::Subject { m: $m }.render()?.trim().to_string(),
            text: $module::Text { m: $m }.render()?,
            html: $module::Html { m: $m }.render()?,
        }
    };
}

/// Renders a mail of `kind`.
pub fn render(kind: MailKind, m: &MailContext) -> Result<Rendered, askama::Error> {
    Ok(match kind {
        MailKind::P0 => render_with!(p0, m),
        MailKind::P0Receipt => render_with!(p0_receipt, m),
        MailKind::P1 => render_with!(p1, m),
        MailKind::A0 => render_with!(a0, m),
        MailKind::U0 => render_with!(u0, m),
        MailKind::C0 => render_with!(c0, m),
        MailKind::Milestone => render_with!(milestone, m),
        MailKind::A5 => render_with!(a5, m),
        MailKind::S1 => render_with!(s1, m),
        MailKind::Test => render_with!(test, m),
        MailKind::LoginLocked => render_with!(login_locked, m),
        MailKind::PasswordReset => render_with!(password_reset, m),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_grouped_per_language() {
        use crate::domain::locale::Locale;
        assert_eq!(super::grouped(48000, Locale::Nl), "48.000");
        assert_eq!(super::grouped(1234567, Locale::En), "1,234,567");
        assert_eq!(super::grouped(999, Locale::Nl), "999");
        assert_eq!(super::grouped(0, Locale::En), "0");
    }
}
