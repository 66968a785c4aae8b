//! The kinds of lifecycle event and the fields each takes: the vocabulary the lifecycle
//! (`lifecycle`), authorisation (`authz`) and the alert plan (`escalation`) share.

use serde::{Deserialize, Serialize};

/// The kinds of event (`type` on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// reported → confirmed: a personal-data breach; sets the awareness instants.
    Confirm,
    /// reported, confirmed → dismissed.
    Dismiss,
    /// any → same: the DPO confirms receipt.
    Acknowledge,
    /// reported, confirmed, not_notifiable, ap_notified → same: ENISA severity.
    Assess,
    /// confirmed → not_notifiable.
    DecideNotNotifiable,
    /// confirmed, not_notifiable → ap_notified.
    NotifyAp,
    /// ap_notified → ap_notified (art. 33(4)); `complete` ends a preliminary notification.
    Supplement,
    /// ap_notified → ap_withdrawn.
    Withdraw,
    /// confirmed … closed → same (art. 34).
    InformSubjects,
    /// confirmed … closed → same.
    SubjectsNotRequired,
    /// confirmed and later → same: move the awareness instants, with a justification.
    CorrectAwareness,
    /// not_notifiable, ap_notified, ap_withdrawn, dismissed → closed.
    Close,
    /// dismissed, not_notifiable, ap_withdrawn, closed → confirmed (reported if never confirmed).
    Reopen,
}

impl EventKind {
    /// Every kind, in the order of the table in `docs/ARCHITECTURE.md` §5.
    pub const ALL: [EventKind; 13] = [
        EventKind::Confirm,
        EventKind::Dismiss,
        EventKind::Acknowledge,
        EventKind::Assess,
        EventKind::DecideNotNotifiable,
        EventKind::NotifyAp,
        EventKind::Supplement,
        EventKind::Withdraw,
        EventKind::InformSubjects,
        EventKind::SubjectsNotRequired,
        EventKind::CorrectAwareness,
        EventKind::Close,
        EventKind::Reopen,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Confirm => "confirm",
            EventKind::Dismiss => "dismiss",
            EventKind::Acknowledge => "acknowledge",
            EventKind::Assess => "assess",
            EventKind::DecideNotNotifiable => "decide_not_notifiable",
            EventKind::NotifyAp => "notify_ap",
            EventKind::Supplement => "supplement",
            EventKind::Withdraw => "withdraw",
            EventKind::InformSubjects => "inform_subjects",
            EventKind::SubjectsNotRequired => "subjects_not_required",
            EventKind::CorrectAwareness => "correct_awareness",
            EventKind::Close => "close",
            EventKind::Reopen => "reopen",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// The fields the event takes besides `type`.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            EventKind::Confirm => &["processor_aware_at", "controller_aware_at", "justification"],
            EventKind::Dismiss | EventKind::Reopen => &["reason"],
            EventKind::Withdraw => &["at", "reason"],
            EventKind::Acknowledge => &[],
            EventKind::Assess => &[
                "dpc",
                "ease_of_identification",
                "confidentiality",
                "integrity",
                "availability",
                "malicious",
                "unintelligible",
                "vulnerable_subjects",
                "rationale",
            ],
            EventKind::DecideNotNotifiable => &["justification"],
            EventKind::NotifyAp => &["notified_at", "ap_reference", "preliminary", "delay_reason"],
            EventKind::Supplement => &["at", "note", "ap_reference", "complete"],
            EventKind::InformSubjects => &["informed_at", "channel", "count"],
            EventKind::SubjectsNotRequired => &["ground", "explanation"],
            EventKind::CorrectAwareness => {
                &["processor_aware_at", "controller_aware_at", "justification", "delay_reason"]
            }
            EventKind::Close => &["summary"],
        }
    }
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
