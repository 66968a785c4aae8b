//! Dutch and English for every page: the user's choice, else the client's locale, else the
//! browser's Accept-Language. The texts are those of `locales/*/art33.ftl`
//! ([`texts`]); a test checks that every key the templates and the code use
//! exists.

use actix_web::HttpRequest;
use chrono::{DateTime, Utc};

use crate::domain::incident::State;
use crate::domain::lifecycle::EventKind;
use crate::domain::local_time;
use crate::domain::locale::Locale;
use crate::domain::severity::Band;
use crate::domain::texts;
use crate::domain::vocabulary::CodeList;

/// The texts and formats of one page in one language.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    /// The language.
    pub locale: Locale,
    /// Dutch (else English).
    pub nl: bool,
}

impl Ui {
    /// The UI in `locale`.
    pub fn new(locale: Locale) -> Self {
        Self { locale, nl: locale == Locale::Nl }
    }

    /// `nl` or `en`, for the `lang` attribute.
    pub fn lang(&self) -> &'static str {
        self.locale.as_str()
    }

    /// The text of `key`; the key itself when there is none (a test checks that every key the
    /// templates and the code use exists).
    pub fn t<'k>(&self, key: &'k str) -> &'k str {
        texts::text(self.locale, key)
    }

    /// The text of `key` with its variables filled from `args`.
    pub fn t_with(&self, key: &str, args: &[(&str, &str)]) -> String {
        texts::text_with(self.locale, key, args)
    }

    /// A role's name.
    pub fn role(&self, role: &str) -> &'static str {
        let key = match role {
            "reporter" => "role-reporter",
            "dpo" => "role-dpo",
            "officer" => "role-officer",
            _ => "role-admin",
        };
        texts::text(self.locale, key)
    }

    /// A state's name.
    pub fn state(&self, state: State) -> &'static str {
        let key = match state {
            State::Reported => "state-reported",
            State::Dismissed => "state-dismissed",
            State::Confirmed => "state-confirmed",
            State::NotNotifiable => "state-not-notifiable",
            State::ApNotified => "state-ap-notified",
            State::ApWithdrawn => "state-ap-withdrawn",
            State::Closed => "state-closed",
        };
        texts::text(self.locale, key)
    }

    /// An event's name, as a button.
    pub fn event(&self, kind: EventKind) -> &'static str {
        let key = match kind {
            EventKind::Confirm => "event-confirm",
            EventKind::Dismiss => "event-dismiss",
            EventKind::Acknowledge => "event-acknowledge",
            EventKind::Assess => "event-assess",
            EventKind::DecideNotNotifiable => "event-decide-not-notifiable",
            EventKind::NotifyAp => "event-notify-ap",
            EventKind::Supplement => "event-supplement",
            EventKind::Withdraw => "event-withdraw",
            EventKind::InformSubjects => "event-inform-subjects",
            EventKind::SubjectsNotRequired => "event-subjects-not-required",
            EventKind::CorrectAwareness => "event-correct-awareness",
            EventKind::Close => "event-close",
            EventKind::Reopen => "event-reopen",
        };
        texts::text(self.locale, key)
    }

    /// The text `{prefix}{code}` (the code lowercase, underscores and dots as hyphens), if there
    /// is one: how a stored status or kind is shown.
    fn lookup_word(&self, prefix: &str, code: &str) -> Option<&'static str> {
        texts::lookup(self.locale, &format!("{prefix}{}", code.to_ascii_lowercase().replace(['_', '.'], "-")))
    }

    /// [`Ui::lookup_word`], else the code itself.
    fn word<'c>(&self, prefix: &str, code: &'c str) -> &'c str {
        self.lookup_word(prefix, code).unwrap_or(code)
    }

    /// An alert's status in words (`planned`, `sent`, `superseded`, `suppressed`).
    pub fn alert_status<'c>(&self, status: &'c str) -> &'c str {
        self.word("alert-status-", status)
    }

    /// A mail's delivery status in words (`pending`, `sent`, `failed`).
    pub fn delivery_status<'c>(&self, status: &'c str) -> &'c str {
        self.word("delivery-status-", status)
    }

    /// Where a delivery went: a mail's address as it is, a post to an alert channel as "webhook
    /// channel ch_…" (the outbox row names the channel by id, never by URL).
    pub fn delivery_to(&self, channel: &str, to: String) -> String {
        if channel == crate::storage::outbox::channel::WEBHOOK {
            self.t_with("delivery-to-channel", &[("id", &to)])
        } else {
            to
        }
    }

    /// A kind of mail in words (`A0`, `milestone`, `P0-receipt`, …).
    pub fn mail_kind<'c>(&self, kind: &'c str) -> &'c str {
        self.word("mail-kind-", kind)
    }

    /// An audit event's name on the timeline: a lifecycle event as its button, the others
    /// (`report`, `alert.sent`, `mail.failed`, …) in words.
    pub fn audit_event<'c>(&self, event_type: &'c str) -> &'c str {
        match EventKind::parse(event_type) {
            Some(kind) => self.event(kind),
            None => self.word("timeline-", event_type),
        }
    }

    /// Who did something on the timeline: a person's address as it is, art33 itself (`system`) and
    /// the command line (`cli`) in words.
    pub fn actor<'c>(&self, actor: &'c str) -> &'c str {
        match actor {
            "system" | "cli" => self.word("timeline-actor-", actor),
            _ => actor,
        }
    }

    /// A language's name in this language ("Engels", "Dutch").
    pub fn language(&self, of: &Locale) -> &'static str {
        texts::language_name(*of, self.locale)
    }

    /// A severity band in words ("hoog", "very high").
    pub fn band(&self, band: Band) -> &'static str {
        band.label(self.locale)
    }

    /// A code's label in this language.
    pub fn code<T: CodeList>(&self, value: T) -> &'static str {
        value.label(self.locale)
    }

    /// "zo 25 okt 2026 13:30 CET".
    pub fn time(&self, t: DateTime<Utc>) -> String {
        local_time::format_local(t, self.locale)
    }

    /// "zo 25 okt 2026 13:30 CET (UTC+01:00)".
    pub fn time_offset(&self, t: DateTime<Utc>) -> String {
        local_time::format_local_with_offset(t, self.locale)
    }

    /// A duration in words.
    pub fn duration(&self, seconds: i64) -> String {
        local_time::format_duration(seconds, self.locale)
    }

    /// A refused field explained in this language and named by its label (the text of
    /// `label_key`), never by its wire name: "Fill in “Short description”." rather than "title: is
    /// required". The messages the parsers give are recognised; any other is shown after the
    /// label. Every form's errors (the summary and the message at the field) are worded here.
    pub fn field_error(&self, label_key: &str, message: &str) -> String {
        let label = self.t(label_key);
        let label = label.trim_end_matches([':', '?', ' ']);
        let with = |key: &str| self.t_with(key, &[("label", label)]);
        let too_long = message
            .strip_prefix("must be at most ")
            .and_then(|rest| rest.strip_suffix(" characters"))
            .filter(|max| max.chars().all(|c| c.is_ascii_digit()));
        match message {
            "is required" | "must not be empty" => with("form-error-required"),
            "choose a role" => with("form-error-choose"),
            "must be a whole number" | "must be a number" => with("form-error-number"),
            "must not be in the future" => with("form-error-future"),
            "must not contain control characters" => with("form-error-control"),
            m if m.ends_with("is not a valid e-mail address") => with("form-error-email"),
            // The typed local times (`forms::parse_local`), whose messages speak both languages.
            m if m.contains("is not a date and time") => with("form-error-time-malformed"),
            m if m.contains("does not exist in Amsterdam") => with("form-error-time-gap"),
            m if m.contains("occurs twice in Amsterdam") => with("form-error-time-fold"),
            m if m.contains(", but Amsterdam is on ") => {
                let between = |from: &str, to: &str| {
                    m.split_once(from).and_then(|(_, rest)| rest.split_once(to)).map_or("", |(v, _)| v)
                };
                let (typed, actual) = (between("\" says ", ","), between("Amsterdam is on ", " at"));
                self.t_with("form-error-time-zone", &[("label", label), ("typed", typed), ("actual", actual)])
            }
            _ if too_long.is_some() => {
                self.t_with("form-error-too-long", &[("label", label), ("max", too_long.unwrap_or_default())])
            }
            other => self.t_with("form-error-other", &[("label", label), ("message", other)]),
        }
    }
}

/// The language a browser prefers among ours (Dutch when it says nothing we speak).
pub fn from_accept_language(req: &HttpRequest) -> Locale {
    let header = req
        .headers()
        .get(actix_web::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut best: Option<(f32, Locale)> = None;
    for part in header.split(',') {
        let mut pieces = part.trim().split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
            .unwrap_or(1.0);
        let locale = if tag == "nl" || tag.starts_with("nl-") {
            Some(Locale::Nl)
        } else if tag == "en" || tag.starts_with("en-") {
            Some(Locale::En)
        } else {
            None
        };
        if let Some(locale) = locale
            && best.is_none_or(|(b, _)| q > b)
        {
            best = Some((q, locale));
        }
    }
    best.map_or(Locale::Nl, |(_, l)| l)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// String literals in `src/` that look like text keys and are not: the fault switches.
    const NOT_TEXTS: &[&str] = &[
        "mail-panic",
        "mail-hang",
        "mail-out",
        "mail-slow",
        "login-locked",
        "password-reset",
        "webhook-panic",
        "webhook-hang",
        "webhook-slow",
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
    ];

    /// Every key the templates (`templates/`) and the code (`src/`) use exists in both languages:
    /// the first argument of every `.t("…")`, `.t1("…"`, `.t2("…"` and `t_with("…"`, and in the
    /// code every string literal that looks like a key (lowercase words joined by hyphens) and
    /// starts with the area of a key (`nav-`, `mail-`, `ap-`, …), but for the few that are not
    /// texts ([`NOT_TEXTS`]). Keys made up at run time (`code-list-…`, `field-…`, `ap-form-…`,
    /// `ap-missing-…`) are checked where they are made.
    #[test]
    fn every_key_used_in_a_template_exists_in_both_languages() {
        let nl = texts::keys(texts::NL_SOURCE);
        let en = texts::keys(texts::EN_SOURCE);
        let areas: std::collections::BTreeSet<&str> = nl.iter().filter_map(|k| k.split('-').next()).collect();
        let looks_like_key = |s: &str| {
            s.split('-').count() > 1
                && s.split('-')
                    .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
        };
        let mut missing = Vec::new();
        let mut used = 0;
        for dir in ["templates", "src"] {
            let mut stack = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)];
            while let Some(path) = stack.pop() {
                for entry in std::fs::read_dir(&path).unwrap() {
                    let entry = entry.unwrap().path();
                    if entry.is_dir() {
                        stack.push(entry);
                        continue;
                    }
                    let whole = std::fs::read_to_string(&entry).unwrap();
                    // Test modules are left out: this one names the lookup patterns themselves.
                    let text = match entry.extension().is_some_and(|e| e == "rs") {
                        true => whole.split("#[cfg(test)]").next().unwrap_or_default().to_string(),
                        false => whole,
                    };
                    for (at, _) in text.match_indices('"') {
                        let rest = &text[at + 1..];
                        let end = rest
                            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
                            .unwrap_or(rest.len());
                        let before = &text[..at];
                        let called = [".t(", ".t1(", ".t2(", "t_with("].iter().any(|c| before.ends_with(c));
                        // The first argument of a lookup is checked whatever it looks like (a
                        // key in an old style, with dots, must fail too).
                        let end = if called { rest.find('"').unwrap_or(rest.len()) } else { end };
                        let literal = &rest[..end];
                        if !rest[end..].starts_with('"') || literal.is_empty() {
                            continue;
                        }
                        let by_area = entry.extension().is_some_and(|e| e == "rs")
                            && looks_like_key(literal)
                            && !NOT_TEXTS.contains(&literal)
                            && literal.split('-').next().is_some_and(|a| areas.contains(a));
                        if !(called || by_area) || literal.starts_with("no-such") {
                            continue;
                        }
                        used += 1;
                        if !nl.contains(&literal) || !en.contains(&literal) {
                            missing.push(format!("{}: {literal}", entry.display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "unknown text keys: {missing:?}");
        assert!(used > 300, "{used}");
    }

    /// Every fact of the field table has its label in both languages (the facts form would
    /// otherwise fall back to a wrong one).
    #[test]
    fn every_fact_has_its_label_in_both_languages() {
        let nl = texts::keys(texts::NL_SOURCE);
        let en = texts::keys(texts::EN_SOURCE);
        for name in crate::domain::fields::names().chain(["allow_personal_data"]) {
            let key = format!("field-{}", name.replace('_', "-"));
            assert!(nl.contains(&key.as_str()) && en.contains(&key.as_str()), "{key}");
        }
    }

    /// Every status and kind a page shows has its words in both languages (the keys are made at
    /// run time from the stored codes).
    #[test]
    fn every_status_kind_and_event_is_shown_in_words() {
        use crate::notify::messages::MailKind;
        use crate::storage::alerts::AlertStatus;
        use crate::storage::outbox::status;
        for locale in [Locale::Nl, Locale::En] {
            let ui = Ui::new(locale);
            for s in
                [AlertStatus::Planned, AlertStatus::Sent, AlertStatus::Superseded, AlertStatus::Suppressed]
            {
                assert!(ui.lookup_word("alert-status-", s.as_str()).is_some(), "{locale:?} {}", s.as_str());
            }
            for s in [status::PENDING, status::SENT, status::FAILED] {
                assert!(ui.lookup_word("delivery-status-", s).is_some(), "{locale:?} {s}");
            }
            for kind in [
                MailKind::P0,
                MailKind::P0Receipt,
                MailKind::P1,
                MailKind::A0,
                MailKind::U0,
                MailKind::Milestone,
                MailKind::A5,
                MailKind::S1,
                MailKind::Test,
                MailKind::LoginLocked,
                MailKind::PasswordReset,
            ] {
                assert!(
                    ui.lookup_word("mail-kind-", kind.as_str()).is_some(),
                    "{locale:?} {}",
                    kind.as_str()
                );
            }
            for event in [
                "report",
                "patch",
                "alert.sent",
                "alert.superseded",
                "alert.suppressed",
                "mail.sent",
                "mail.failed",
                "mail.requeued",
                "register.export",
                "retention.purge",
            ] {
                assert!(ui.lookup_word("timeline-", event).is_some(), "{locale:?} {event}");
            }
            assert_eq!(ui.audit_event("notify_ap"), ui.event(EventKind::NotifyAp));
            for actor in ["system", "cli"] {
                assert!(ui.lookup_word("timeline-actor-", actor).is_some(), "{locale:?} {actor}");
            }
            assert_eq!(ui.actor("dpo@acme.example"), "dpo@acme.example");
        }
        assert_eq!(Ui::new(Locale::Nl).alert_status("sent"), "verstuurd");
        assert_eq!(Ui::new(Locale::Nl).band(Band::High), "hoog");
        assert_eq!(
            Ui::new(Locale::Nl).alert_status("unheard_of"),
            "unheard_of",
            "an unknown code shows itself"
        );
    }

    /// Form errors name the field by its label, in the page's language, never by its key.
    #[test]
    fn field_errors_are_worded_by_label() {
        let nl = Ui::new(Locale::Nl);
        let en = Ui::new(Locale::En);
        assert_eq!(nl.field_error("report-title-field", "is required"), "Vul „Korte omschrijving” in.");
        assert_eq!(en.field_error("report-title-field", "must not be empty"), "Fill in “Short description”.");
        assert_eq!(
            en.field_error("report-title-field", "must be at most 200 characters"),
            "“Short description” may be at most 200 characters long."
        );
        assert_eq!(
            en.field_error("admin-dpo-email", "\"x\" is not a valid e-mail address"),
            "“DPO e-mail address” is not a valid e-mail address."
        );
        assert_eq!(en.field_error("admin-role", "something else"), "Role: something else");
        let zone = crate::web::pages::forms::parse_local("t", "2026-01-15 10:00 CEST", None).unwrap_err();
        assert_eq!(
            nl.field_error("report-when", &zone.message),
            "„Wanneer merkte u het? (Nederlandse tijd)”: u typte CEST, maar Amsterdam heeft dan CET; verbeter de zone of laat hem weg."
        );
        let fold = crate::web::pages::forms::parse_local("t", "2026-10-25 02:30", None).unwrap_err();
        assert!(!en.field_error("report-when", &fold.message).contains("kies"), "one language");
    }

    /// `field_error` recognises the parsers' messages by their text: this fails when a message of
    /// `domain::input` or `domain::directory` is reworded and would fall back to "Label: message".
    #[test]
    fn the_parsers_messages_are_each_recognised() {
        use crate::domain::{directory, input};
        let en = Ui::new(Locale::En);
        let object = |v: serde_json::Value| v.as_object().cloned().unwrap_or_default();
        let now: chrono::DateTime<chrono::Utc> = "2026-10-22T10:00:00Z".parse().unwrap();
        let messages = [
            input::required_text(&object(serde_json::json!({})), "f", 10).unwrap_err().message,
            input::text(&object(serde_json::json!({"f": "x".repeat(11)})), "f", 10).unwrap_err().message,
            input::text(&object(serde_json::json!({"f": "a\u{0}b"})), "f", 10).unwrap_err().message,
            input::past_time(&object(serde_json::json!({"f": "2027-01-01T00:00:00Z"})), "f", now)
                .unwrap_err()
                .message,
            input::count(&object(serde_json::json!({"f": "many"})), "f").unwrap_err().message,
            directory::normalize_email("f", "not an address").unwrap_err().message,
            directory::validate_name("f", "  ", 10).unwrap_err().message,
        ];
        for message in messages {
            let worded = en.field_error("report-title-field", &message);
            assert!(!worded.starts_with("Short description:"), "{message:?} is not recognised: {worded}");
        }
    }

    #[test]
    fn texts_follow_the_language() {
        assert_eq!(Ui::new(Locale::Nl).t("nav-report"), "Datalek melden");
        assert_eq!(Ui::new(Locale::En).t("nav-report"), "Report a leak");
        assert_eq!(Ui::new(Locale::En).t("no-such-key"), "no-such-key");
    }
}
