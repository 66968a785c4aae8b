//! `GET /calendar/{secret}.ics`: a user's deadline calendar as iCalendar (RFC 5545), for a calendar
//! application to subscribe to. No session: the secret in the URL is the credential (made and
//! revoked on `/profile`). An unknown or revoked secret is 404, like any unknown path.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Duration, Utc};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, Trigger};

use super::AppState;
use super::pages::PageError;
use crate::app::calendar as app_calendar;
use crate::domain::calendar::{DeadlineEntry, DeadlineKind};
use crate::domain::locale::Locale;
use crate::domain::texts;

/// How long an entry lasts in the calendar: a marker, not a meeting.
const MARKER: Duration = Duration::minutes(15);

/// How often a calendar application should fetch the feed again.
const REFRESH: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// `GET /calendar/{secret}.ics`.
pub async fn feed(state: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse, PageError> {
    let file = path.into_inner();
    let Some(secret) = file.strip_suffix(".ics").map(str::to_string) else { return Err(PageError::NotFound) };
    let now = state.clock.now();
    let policy = state.settings.escalation.clone();
    let found = state.db.run(move |conn| app_calendar::feed(conn, &secret, now, &policy)).await?;
    let Some((entries, locale)) = found else { return Err(PageError::NotFound) };
    let body = ics(&entries, locale, &state.settings.server.base_url, now);
    Ok(HttpResponse::build(StatusCode::OK)
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .insert_header((header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .content_type("text/calendar; charset=utf-8")
        .body(body))
}

/// The feed's text: one event per entry, its reminders as display alarms.
pub fn ics(entries: &[DeadlineEntry], locale: Locale, base_url: &str, now: DateTime<Utc>) -> String {
    let mut calendar = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//art33//AP deadlines//EN"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
    ] {
        calendar.append_property(icalendar::Property::new(key, value));
    }
    calendar.name(texts::text(locale, "calendar-name"));
    calendar.ttl(&chrono::Duration::from_std(REFRESH).unwrap_or(Duration::minutes(15)));
    let host = base_url.split("://").nth(1).unwrap_or(base_url).split(['/', ':']).next().unwrap_or("art33");
    for entry in entries {
        let args = [("reference", entry.reference.as_str()), ("client", entry.client_name.as_str())];
        let summary_key = match entry.kind {
            DeadlineKind::Legal => "calendar-deadline",
            DeadlineKind::Conservative => "calendar-conservative",
        };
        let url = format!("{base_url}/incidents/{}", entry.incident_id);
        let uid = format!("{}-{}@{host}", entry.incident_id, entry.kind.as_str());
        let mut event = Event::new();
        event
            .uid(&uid)
            .sequence(entry.sequence)
            .timestamp(now)
            .summary(&texts::text_with(locale, summary_key, &args))
            .description(&texts::text_with(locale, &format!("{summary_key}-description"), &args))
            .url(&url)
            .starts(entry.at)
            .ends(entry.at + MARKER);
        for &hours in &entry.reminders_hours_before {
            let reminder = if hours == 0 {
                texts::text_with(locale, "calendar-reminder-now", &args)
            } else {
                let hours = hours.to_string();
                let args = [("reference", entry.reference.as_str()), ("hours", hours.as_str())];
                texts::text_with(locale, "calendar-reminder", &args)
            };
            let trigger = Trigger::before_start(Duration::hours(i64::from(hours)));
            // Stable ids and stamps (the crate's defaults are random and the wall clock), so that a
            // calendar fetching the feed again sees unchanged reminders as unchanged.
            let mut alarm = Alarm::display(&reminder, trigger);
            alarm.uid(&format!("{hours}h-{uid}")).timestamp(now);
            event.alarm(alarm.done());
        }
        calendar.push(event.done());
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines RFC 5545 requires (VERSION, PRODID; UID and DTSTAMP per event; ACTION, TRIGGER and
    /// DESCRIPTION per display alarm), times in UTC, CRLF line ends.
    #[test]
    fn the_feed_has_what_rfc_5545_requires() {
        let at: DateTime<Utc> = "2026-10-24T09:00:00Z".parse().unwrap();
        let entry = DeadlineEntry {
            incident_id: "i-1".into(),
            reference: "ACME-2026-0001".into(),
            client_name: "Acme B.V.".into(),
            kind: DeadlineKind::Legal,
            at,
            reminders_hours_before: vec![48, 0],
            sequence: 3,
        };
        let text = ics(&[entry], Locale::En, "https://art33.gx.example", at - Duration::days(1));
        for line in [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:",
            "BEGIN:VEVENT",
            "UID:i-1-deadline@art33.gx.example",
            "DTSTAMP:20261023T090000Z",
            "DTSTART:20261024T090000Z",
            "DTEND:20261024T091500Z",
            "SEQUENCE:3",
            "SUMMARY:AP deadline ACME-2026-0001 (Acme B.V.)",
            "URL:https://art33.gx.example/incidents/i-1",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "PRODID:-//art33//AP deadlines//EN",
            "TRIGGER;RELATED=START:-PT172800S",
            "UID:48h-i-1-deadline@art33.gx.example",
            "DESCRIPTION:ACME-2026-0001: 48 hours to the AP deadline",
            "END:VCALENDAR",
        ] {
            assert!(text.lines().any(|l| l.starts_with(line)), "{line} missing in\n{text}");
        }
        assert!(!text.contains("ICALENDAR-RS") && !text.contains("DTSTAMP:2026120"), "{text}");
        assert!(text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'), "CRLF line ends");
    }
}
