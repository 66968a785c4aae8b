//! The two clocks (`docs/ARCHITECTURE.md` §4): the legal deadline runs from the controller's awareness, a
//! conservative one from the processor's; both in UTC, never moved by weekends, holidays or DST.

use chrono::{DateTime, Duration, DurationRound, Utc};
use serde::{Deserialize, Serialize};

use super::incident::{Incident, State};

/// The legal window to notify the AP (art. 33(1): 72 hours), by the instant of the controller's
/// awareness: the law may change it, and an awareness before the change keeps the old window. The
/// escalation policy carries it, as configured.
pub trait LegalWindow {
    /// The window in hours for awareness at `aware`.
    fn window_hours_at(&self, aware: DateTime<Utc>) -> u32;
}

/// A change of the notification window by law, effective for awareness from `aware_from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowChange {
    /// First instant of awareness the new window applies to.
    pub aware_from: DateTime<Utc>,
    /// The window length in hours.
    pub hours: u32,
}

/// The window for awareness at `aware`: the latest of `changes` in force then, or `hours`.
pub fn window_hours_at(hours: u32, changes: &[WindowChange], aware: DateTime<Utc>) -> u32 {
    changes
        .iter()
        .filter(|change| change.aware_from <= aware)
        .max_by_key(|change| change.aware_from)
        .map_or(hours, |change| change.hours)
}

/// Whether the 72-hour clock runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// Not confirmed yet: no controller awareness.
    NotStarted,
    /// Confirmed and not yet decided: the deadline counts down.
    Running,
    /// Decided (notified, not notifiable, dismissed, withdrawn or closed).
    Stopped,
}

/// `aware + window`, exactly, in UTC.
pub fn deadline(aware: DateTime<Utc>, policy: &impl LegalWindow) -> DateTime<Utc> {
    aware + Duration::hours(i64::from(policy.window_hours_at(aware)))
}

/// The latest arguable instant under Regulation 1182/71 art. 3 (the hour of the event is not
/// counted): `floor_to_hour(aware) + 1 h + window`. Information only; art33 never uses it.
pub fn strict_r1182(aware: DateTime<Utc>, policy: &impl LegalWindow) -> DateTime<Utc> {
    let floor = aware.duration_trunc(Duration::hours(1)).unwrap_or(aware);
    floor + Duration::hours(1 + i64::from(policy.window_hours_at(aware)))
}

/// The clock figures of an incident at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// `controller_aware_at + 72 h`.
    pub deadline_at: Option<DateTime<Utc>>,
    /// `processor_aware_at + 72 h`.
    pub conservative_deadline_at: Option<DateTime<Utc>>,
    /// Seconds until the deadline while the clock runs (negative when overdue).
    pub remaining_seconds: Option<i64>,
    /// The clock runs and the deadline has passed.
    pub overdue: bool,
    /// Whether the clock runs.
    pub state: ClockState,
    /// Whether the initial AP notification met the deadline.
    pub on_time: Option<bool>,
    /// The processor's awareness makes the conservative deadline earlier than the legal one.
    pub processor_delay_warning: bool,
    /// That earlier conservative deadline has been reached (`now >= conservative_deadline_at`):
    /// texts speak of it in the past tense.
    pub conservative_passed: bool,
    /// Whether the notification is late, the one rule every mail, page and draft asks: once the AP
    /// is notified, `notified_at > deadline_at` (a fact of the notification, never of the clock when
    /// a text is written); before that (or when reopened for a new notification), the breach awaits
    /// notification (`confirmed`) and `now > deadline_at`. Reasons for delay (4.5) are asked for
    /// only when this holds.
    pub late: bool,
    /// The incident's own window in hours: the legal window at the controller's awareness, or, not
    /// yet confirmed, the one that would apply to awareness now. Texts name it instead of "72".
    pub window_hours: u32,
}

/// What an incident's clock is computed from: its state, the two awareness instants and when the AP
/// was notified. A list that reads these columns only gets the same clock as the whole incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockFacts {
    /// The incident's state.
    pub state: State,
    /// The processor's awareness.
    pub processor_aware_at: Option<DateTime<Utc>>,
    /// The controller's awareness: the clock's start.
    pub controller_aware_at: Option<DateTime<Utc>>,
    /// When the AP was notified, if it was.
    pub ap_notified_at: Option<DateTime<Utc>>,
}

impl ClockFacts {
    /// The facts of `incident`.
    pub fn of(incident: &Incident) -> ClockFacts {
        ClockFacts {
            state: incident.state,
            processor_aware_at: incident.processor_aware_at,
            controller_aware_at: incident.controller_aware_at,
            ap_notified_at: incident.ap.as_ref().map(|ap| ap.notified_at),
        }
    }
}

impl Clock {
    /// The clock of `incident` at `now`.
    pub fn of(incident: &Incident, now: DateTime<Utc>, policy: &impl LegalWindow) -> Clock {
        Clock::at(ClockFacts::of(incident), now, policy)
    }

    /// The clock of an incident with these facts at `now`.
    pub fn at(facts: ClockFacts, now: DateTime<Utc>, policy: &impl LegalWindow) -> Clock {
        let deadline_at = facts.controller_aware_at.map(|t| deadline(t, policy));
        let conservative_deadline_at = facts.processor_aware_at.map(|t| deadline(t, policy));
        let state = match (deadline_at, facts.state) {
            (None, _) => ClockState::NotStarted,
            (Some(_), State::Confirmed) => ClockState::Running,
            (Some(_), _) => ClockState::Stopped,
        };
        // Whole seconds rounded down, so that the first instant past the deadline is negative.
        let remaining_seconds = match (state, deadline_at) {
            (ClockState::Running, Some(d)) => Some((d - now).num_milliseconds().div_euclid(1000)),
            _ => None,
        };
        let on_time = match (facts.ap_notified_at, deadline_at) {
            (Some(notified_at), Some(d)) => Some(!notified_late(notified_at, d)),
            _ => None,
        };
        let overdue = state == ClockState::Running && deadline_at.is_some_and(|d| now > d);
        let late = match (facts.ap_notified_at, deadline_at) {
            (_, None) => false,
            // Reopened after a withdrawal or closure: a new notification is awaited.
            (Some(_), Some(_)) if facts.state == State::Confirmed => overdue,
            (Some(notified_at), Some(d)) => notified_late(notified_at, d),
            (None, Some(_)) => overdue,
        };
        let processor_delay_warning = matches!(
            (conservative_deadline_at, deadline_at),
            (Some(c), Some(d)) if c < d
        );
        Clock {
            deadline_at,
            conservative_deadline_at,
            remaining_seconds,
            overdue,
            state,
            on_time,
            processor_delay_warning,
            conservative_passed: processor_delay_warning
                && conservative_deadline_at.is_some_and(|c| now >= c),
            late,
            window_hours: policy.window_hours_at(facts.controller_aware_at.unwrap_or(now)),
        }
    }
}

/// Whether notifying at `notified_at` is late for an incident aware at `controller_aware_at` (the
/// `notify_ap` rule that asks for reasons for delay; [`Clock::late`] applies the same comparison).
pub fn is_late(
    controller_aware_at: DateTime<Utc>,
    notified_at: DateTime<Utc>,
    policy: &impl LegalWindow,
) -> bool {
    notified_late(notified_at, deadline(controller_aware_at, policy))
}

/// A notification at `notified_at` is late for `deadline_at` when it comes after it: at the deadline
/// itself it is on time.
fn notified_late(notified_at: DateTime<Utc>, deadline_at: DateTime<Utc>) -> bool {
    notified_at > deadline_at
}

/// How close the deadline is, in the bands the dashboard shows in words (not by colour alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// The deadline has passed.
    Overdue,
    /// At most 4 hours left.
    Within4h,
    /// At most 12 hours left.
    Within12h,
    /// At most 24 hours left.
    Within24h,
    /// More than 24 hours left, but the earlier conservative deadline (processor awareness + the
    /// window) has passed: "more than 24 hours" alone would reassure wrongly.
    ConservativePassed,
    /// More than 24 hours left.
    MoreThan24h,
}

impl Urgency {
    /// Every band, most urgent first (the order of [`Ord`]).
    pub const ALL: [Urgency; 6] = [
        Urgency::Overdue,
        Urgency::Within4h,
        Urgency::Within12h,
        Urgency::Within24h,
        Urgency::ConservativePassed,
        Urgency::MoreThan24h,
    ];

    /// The band of `remaining_seconds` (negative when overdue).
    pub fn of(remaining_seconds: i64) -> Urgency {
        match remaining_seconds {
            s if s < 0 => Urgency::Overdue,
            s if s <= 4 * 3600 => Urgency::Within4h,
            s if s <= 12 * 3600 => Urgency::Within12h,
            s if s <= 24 * 3600 => Urgency::Within24h,
            _ => Urgency::MoreThan24h,
        }
    }

    /// The band of a running `clock`: as [`Urgency::of`], except that more than 24 hours left after
    /// the conservative deadline passed is [`Urgency::ConservativePassed`].
    pub fn of_clock(clock: &Clock) -> Urgency {
        match Urgency::of(clock.remaining_seconds.unwrap_or(0)) {
            Urgency::MoreThan24h if clock.conservative_passed => Urgency::ConservativePassed,
            band => band,
        }
    }

    /// The wire name, also the CSS class suffix.
    pub fn code(self) -> &'static str {
        match self {
            Urgency::Overdue => "overdue",
            Urgency::Within4h => "within_4h",
            Urgency::Within12h => "within_12h",
            Urgency::Within24h => "within_24h",
            Urgency::ConservativePassed => "conservative_passed",
            Urgency::MoreThan24h => "more_than_24h",
        }
    }
}

#[cfg(test)]
mod urgency_tests {
    use super::Urgency;

    #[test]
    fn bands_are_inclusive_at_their_bound() {
        assert_eq!(Urgency::of(-1), Urgency::Overdue);
        assert_eq!(Urgency::of(0), Urgency::Within4h);
        assert_eq!(Urgency::of(4 * 3600), Urgency::Within4h);
        assert_eq!(Urgency::of(4 * 3600 + 1), Urgency::Within12h);
        assert_eq!(Urgency::of(12 * 3600), Urgency::Within12h);
        assert_eq!(Urgency::of(24 * 3600), Urgency::Within24h);
        assert_eq!(Urgency::of(24 * 3600 + 1), Urgency::MoreThan24h);
    }
}
