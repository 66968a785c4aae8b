//! Firing the alerts that are due (one scheduler tick): each exactly once, by compare-and-set, with
//! its mails, its posts to alert channels (webhooks, `docs/ARCHITECTURE.md` §7a), acknowledgement
//! links, follow-up alerts and audit event in the same transaction. The
//! decisions are here: which alerts of an incident are mailed or superseded
//! ([`crate::domain::escalation::decide_firing`]), who receives each, who gets an acknowledgement
//! link, and the reporter's receipt.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::config::Settings;
use crate::domain::audit::AuditEvent;
use crate::domain::deadline::Clock;
use crate::domain::directory::Client;
use crate::domain::escalation::{self, AlertCode, Audience, EscalationPolicy, Firing, PlannedAlert};
use crate::domain::incident::Incident;
use crate::notify::messages::{self, IncidentMail, MailContext, MailKind, Rendered};
use crate::notify::webhook::{self, ChannelKind, payload};
use crate::storage::alert_channels::{self, Route};
use crate::storage::alerts::{self, AlertRecord, AlertStatus, StatusChange};
use crate::storage::audit_log::{self, Appender};
use crate::storage::outbox::{self, NewMail};
use crate::storage::{AnyConnection, StorageError, ack, directory, incidents};

/// Incidents handled per transaction on PostgreSQL. Each transaction pays a fixed dozen statements
/// (lock, reads, audit head, commit); at 50 that was a fifth of a 1,000-alert tick. 200 incidents
/// hold their locks for well under a tenth of a second.
pub const INCIDENTS_PER_TRANSACTION_POSTGRES: usize = 200;
/// Incidents handled per transaction on PostgreSQL when two transactions run at once
/// (`docs/ARCHITECTURE.md` §11): the two hold in memory what one of
/// [`INCIDENTS_PER_TRANSACTION_POSTGRES`] would (a chunk's rendered mails and the statement that
/// inserts them), and a tick takes as long.
pub const INCIDENTS_PER_TRANSACTION_POSTGRES_TWO_AT_ONCE: usize = 100;
/// Incidents handled per transaction on SQLite, where a statement costs no round trip and the one
/// writer's lock is held for the whole transaction.
pub const INCIDENTS_PER_TRANSACTION_SQLITE: usize = 50;
/// Incidents read at a time: a tick fires them, then reads the next ones while a full page came.
pub const INCIDENTS_PER_PAGE: i64 = 5_000;
/// Pages one tick fires at most; what is left waits for the next tick. Reports arriving faster than
/// a tick's pages can fire would otherwise keep one tick going for good.
const PAGES_PER_TICK: usize = 20;

/// What a tick did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TickReport {
    /// Alerts mailed.
    pub sent: usize,
    /// Alerts superseded by a newer one.
    pub superseded: usize,
    /// Alerts that no longer applied.
    pub suppressed: usize,
    /// Mails queued.
    pub mails: usize,
    /// Posts to alert channels queued.
    pub webhooks: usize,
    /// Each alert the tick moved out of `planned`, in committed transactions only (for metrics).
    pub moved: Vec<Moved>,
}

/// One alert a tick moved out of `planned`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moved {
    /// Which alert.
    pub code: AlertCode,
    /// `sent`, `superseded` or `suppressed`.
    pub status: AlertStatus,
    /// How late it was moved: the tick's instant minus its due instant, in milliseconds.
    pub lag_ms: i64,
}

/// Fires every alert due at `now`. Safe to run on any number of replicas at once: each alert moves
/// out of `planned` by compare-and-set, with its incident locked.
pub fn tick(
    conn: &mut AnyConnection,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<TickReport, StorageError> {
    tick_with_progress(conn, None, settings, now, |_| {})
}

/// [`tick`], calling `progress` with what each transaction did once it is committed (the
/// scheduler's sign of life during a long tick, and its metrics). With a second connection
/// (`spare`), on PostgreSQL, two transactions of the tick run at once (`docs/ARCHITECTURE.md` §11).
pub fn tick_with_progress(
    conn: &mut AnyConnection,
    spare: Option<&mut AnyConnection>,
    settings: &Settings,
    now: DateTime<Utc>,
    progress: impl FnMut(&TickReport),
) -> Result<TickReport, StorageError> {
    tick_in_pages(conn, spare, settings, now, INCIDENTS_PER_PAGE, progress)
}

/// [`tick_with_progress`], reading `page` due incidents at a time. When a full page came, more may
/// be due: the tick reads the next page at once instead of leaving it for the next tick, so that a
/// burst of reports (more P0s due in one tick interval than one page) does not fall further behind
/// with every tick; at most `PAGES_PER_TICK` pages.
pub fn tick_in_pages(
    conn: &mut AnyConnection,
    mut spare: Option<&mut AnyConnection>,
    settings: &Settings,
    now: DateTime<Utc>,
    page: i64,
    mut progress: impl FnMut(&TickReport),
) -> Result<TickReport, StorageError> {
    let mut report = TickReport::default();
    // The alert channels, read once per tick (a handful of rows), and only when something is due.
    let mut routes: Option<Vec<_>> = None;
    for _ in 0..PAGES_PER_TICK {
        let due = alerts::due_incidents(conn, now, page)?;
        if due.is_empty() {
            break;
        }
        let routes = match &mut routes {
            Some(routes) => routes,
            None => routes.insert(alert_channels::routes(conn)?),
        };
        let connections = match spare.as_deref_mut() {
            Some(spare) => vec![&mut *conn, spare],
            None => vec![&mut *conn],
        };
        fire_page(connections, settings, routes, &due, now, &mut report, &mut progress)?;
        if (due.len() as i64) < page {
            break;
        }
    }
    // The system chain records the client chains' heads now and then, so that a client chain's
    // deleted tail is detected (`docs/ARCHITECTURE.md` §8).
    audit_log::checkpoint_if_due(conn, now)?;
    Ok(report)
}

/// Fires one page of due incidents, a transaction per chunk, adding to `report`.
///
/// With two connections on PostgreSQL, two chunks' transactions run at once, each on its own
/// connection and thread: while the database writes one chunk's mails and events, the server
/// reads and renders the next, so that a tick costs about the larger of the two instead of their
/// sum. The chunks are then half as large, so that the two in flight take the memory of one.
/// Their chunks hold different incidents; the chains' heads they share are locked last, in
/// chain order, in one statement (`audit_log::write_tx`), so the second waits for the first's
/// commit there and nowhere else, as two replicas' ticks do. SQLite has one writer: its chunks
/// go one after the other on the first connection.
fn fire_page(
    mut connections: Vec<&mut AnyConnection>,
    settings: &Settings,
    routes: &[alert_channels::Route],
    due: &[String],
    now: DateTime<Utc>,
    report: &mut TickReport,
    progress: &mut impl FnMut(&TickReport),
) -> Result<(), StorageError> {
    let per_transaction = match connections[0] {
        AnyConnection::Postgresql(_) if connections.len() > 1 => {
            INCIDENTS_PER_TRANSACTION_POSTGRES_TWO_AT_ONCE
        }
        AnyConnection::Postgresql(_) => INCIDENTS_PER_TRANSACTION_POSTGRES,
        AnyConnection::Sqlite(_) => {
            connections.truncate(1);
            INCIDENTS_PER_TRANSACTION_SQLITE
        }
    };
    let chunks: Vec<Vec<String>> = due
        .chunks(per_transaction)
        .map(|chunk| {
            // Incident rows are locked in one global order, so that two replicas' ticks (or this
            // tick's two transactions) cannot deadlock.
            let mut chunk = chunk.to_vec();
            chunk.sort();
            chunk
        })
        .collect();
    let mut add = |fired: TickReport| {
        report.sent += fired.sent;
        report.superseded += fired.superseded;
        report.suppressed += fired.suppressed;
        report.mails += fired.mails;
        report.webhooks += fired.webhooks;
        progress(&fired);
        report.moved.extend(fired.moved);
    };
    let fire = |conn: &mut AnyConnection, chunk: &[String]| {
        audit_log::write_tx(conn, |tx, audit| fire_chunk(tx, audit, settings, routes, chunk, now))
    };
    if connections.len() == 1 || chunks.len() == 1 {
        for chunk in &chunks {
            add(fire(&mut *connections[0], chunk)?);
        }
        return Ok(());
    }
    // Each thread takes the next chunk until none is left or one failed; what they commit is
    // counted here, on the caller's thread, as it comes.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failed = std::sync::atomic::AtomicBool::new(false);
    let (sender, committed) = std::sync::mpsc::channel::<Result<TickReport, StorageError>>();
    let mut first_error = None;
    std::thread::scope(|scope| {
        for conn in connections {
            let (sender, next, failed, chunks, fire) = (sender.clone(), &next, &failed, &chunks, &fire);
            scope.spawn(move || {
                use std::sync::atomic::Ordering::SeqCst;
                while !failed.load(SeqCst) {
                    let Some(chunk) = chunks.get(next.fetch_add(1, SeqCst)) else { break };
                    let fired = fire(&mut *conn, chunk);
                    if fired.is_err() {
                        failed.store(true, SeqCst);
                    }
                    if sender.send(fired).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        for fired in committed {
            match fired {
                Ok(fired) => add(fired),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
    });
    first_error.map_or(Ok(()), Err)
}

/// What firing one alert writes, gathered first so that a chunk's writes take a few multi-row
/// statements instead of a score of round trips per incident.
struct Outcome {
    code: AlertCode,
    lag_ms: i64,
    change: StatusChange,
    event: AuditEvent,
    mails: Vec<NewMail>,
    webhooks: Vec<NewMail>,
    tokens: Vec<ack::PendingToken>,
    follow_up: Option<(String, i32, PlannedAlert)>,
}

/// Fires the due alerts of one chunk of incidents, in the caller's transaction: lock the incidents,
/// read their due alerts and the incidents again under the lock (another replica may have fired them
/// meanwhile, or a command changed the incident), decide, then write everything at once. Only the
/// alerts that the compare-and-set moved get their mails, follow-ups and audit events.
fn fire_chunk(
    tx: &mut AnyConnection,
    audit: &mut Appender,
    settings: &Settings,
    routes: &[Route],
    incident_ids: &[String],
    now: DateTime<Utc>,
) -> Result<TickReport, StorageError> {
    let mut report = TickReport::default();
    incidents::lock_incidents(tx, incident_ids)?;
    let due = alerts::due_for_incidents(tx, incident_ids, now)?;
    if due.is_empty() {
        return Ok(report);
    }
    let mut with_due: Vec<String> = due.iter().map(|a| a.incident_id.clone()).collect();
    with_due.dedup();
    let incidents = incidents::load_many(tx, &with_due)?;
    let mut client_ids: Vec<String> = incidents.values().map(|i| i.client_id.0.clone()).collect();
    client_ids.sort();
    client_ids.dedup();
    let clients = directory::clients_by_ids(tx, &client_ids)?;
    let mut officers: Option<Vec<String>> = None;

    let mut outcomes = Vec::new();
    for incident_due in due.chunk_by(|a, b| a.incident_id == b.incident_id) {
        let incident = incidents.get(&incident_due[0].incident_id).ok_or(StorageError::NotFound)?;
        let client = clients.get(&incident.client_id.0).ok_or(StorageError::NotFound)?;
        let policy = settings.escalation.for_client(client.policy.as_ref());
        let planned: Vec<_> = incident_due.iter().map(AlertRecord::planned).collect();
        let firings = escalation::decide_firing(&planned, incident);
        for (alert, firing) in incident_due.iter().zip(firings) {
            let (code, lag_ms) = (alert.code, (now - alert.due_at).num_milliseconds());
            let outcome = match firing {
                Firing::Send => {
                    let recipients = resolve(tx, &mut officers, alert.code, incident, client, &policy)?;
                    let (mails, tokens) =
                        compose_mails(tx, settings, &policy, incident, client, alert, &recipients, now)?;
                    let webhooks = compose_webhooks(settings, routes, &policy, incident, client, alert, now);
                    let detail = json!({
                        "alert_id": alert.id,
                        "code": alert.code.as_str(),
                        "repeat_no": alert.repeat_no,
                        "due_at": alert.due_at,
                        "recipients": recipients,
                        "lag_seconds": (now - alert.due_at).num_seconds(),
                    });
                    Outcome {
                        code,
                        lag_ms,
                        event: event(incident, "alert.sent", detail, now),
                        change: StatusChange {
                            id: alert.id.clone(),
                            status: AlertStatus::Sent,
                            fired_at: Some(now),
                            recipients,
                        },
                        mails,
                        webhooks,
                        tokens,
                        follow_up: escalation::follow_up(&alert.planned(), now, incident, &policy)
                            .map(|next| (incident.id.0.clone(), alert.generation, next)),
                    }
                }
                Firing::Supersede | Firing::Suppress => {
                    let (status, fired_at, event_type) = match firing {
                        Firing::Supersede => (AlertStatus::Superseded, Some(now), "alert.superseded"),
                        _ => (AlertStatus::Suppressed, None, "alert.suppressed"),
                    };
                    let detail = json!({ "code": alert.code.as_str(), "due_at": alert.due_at });
                    Outcome {
                        code,
                        lag_ms,
                        event: event(incident, event_type, detail, now),
                        change: StatusChange {
                            id: alert.id.clone(),
                            status,
                            fired_at,
                            recipients: Vec::new(),
                        },
                        mails: Vec::new(),
                        webhooks: Vec::new(),
                        tokens: Vec::new(),
                        follow_up: None,
                    }
                }
            };
            outcomes.push(outcome);
        }
    }

    let changes: Vec<StatusChange> = outcomes.iter().map(|o| o.change.clone()).collect();
    let moved = alerts::set_statuses(tx, &changes)?;

    let (mut mails, mut webhooks, mut tokens, mut follow_ups) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for outcome in outcomes.into_iter().filter(|o| moved.contains(&o.change.id)) {
        match outcome.change.status {
            AlertStatus::Sent => report.sent += 1,
            AlertStatus::Superseded => report.superseded += 1,
            AlertStatus::Suppressed => report.suppressed += 1,
            AlertStatus::Planned => {}
        }
        report.moved.push(Moved {
            code: outcome.code,
            status: outcome.change.status,
            lag_ms: outcome.lag_ms,
        });
        report.mails += outcome.mails.len();
        mails.extend(outcome.mails);
        report.webhooks += outcome.webhooks.len();
        webhooks.extend(outcome.webhooks);
        tokens.extend(outcome.tokens);
        follow_ups.extend(outcome.follow_up);
        audit.append(outcome.event);
    }
    ack::store(tx, &tokens)?;
    outbox::enqueue_many(tx, &mails, now)?;
    alert_channels::enqueue(tx, &webhooks, now)?;
    alerts::insert_many(tx, &follow_ups, now)?;
    Ok(report)
}

fn event(incident: &Incident, event_type: &str, detail: serde_json::Value, now: DateTime<Utc>) -> AuditEvent {
    AuditEvent {
        at: now,
        actor: "system".into(),
        client_id: Some(incident.client_id.0.clone()),
        incident_id: Some(incident.id.0.clone()),
        event_type: event_type.into(),
        detail,
    }
}

/// The addresses of an alert's audiences, each once, in a stable order. The officers are read at
/// most once per transaction.
fn resolve(
    tx: &mut AnyConnection,
    officers: &mut Option<Vec<String>>,
    code: AlertCode,
    incident: &Incident,
    client: &Client,
    policy: &EscalationPolicy,
) -> Result<Vec<String>, StorageError> {
    let mut addresses = BTreeSet::new();
    let mut ordered = Vec::new();
    let mut add = |address: &str| {
        let address = address.trim().to_ascii_lowercase();
        if !address.is_empty() && addresses.insert(address.clone()) {
            ordered.push(address);
        }
    };
    for audience in code.audience(policy) {
        match audience {
            Audience::Dpo => add(&client.dpo_email),
            Audience::ClientContacts => client.escalation_emails.iter().for_each(|a| add(a)),
            Audience::Officers => {
                if officers.is_none() {
                    *officers = Some(directory::officer_emails(tx)?);
                }
                officers.iter().flatten().for_each(|a| add(a));
            }
            Audience::Management => policy.management_emails.iter().for_each(|a| add(a)),
            Audience::Reporter => add(&incident.reported_by_email),
        }
    }
    Ok(ordered)
}

/// The mails of one alert, with the DPO's acknowledgement token when the link is offered. The mail
/// is rendered once for the DPO and once for everybody else: only the DPO's differs.
#[expect(clippy::too_many_arguments, reason = "one mail needs the whole firing context")]
fn compose_mails(
    tx: &mut AnyConnection,
    settings: &Settings,
    policy: &EscalationPolicy,
    incident: &Incident,
    client: &Client,
    alert: &AlertRecord,
    recipients: &[String],
    now: DateTime<Utc>,
) -> Result<(Vec<NewMail>, Vec<ack::PendingToken>), StorageError> {
    let kind = MailKind::of_alert(alert.code);
    let a0_sent_at = if alert.code == AlertCode::U0 { alerts::a0_sent_at(tx, &incident.id.0)? } else { None };
    let dpo = client.dpo_email.to_ascii_lowercase();
    let duty = settings.organisation.duty_contact(crate::domain::texts::text(client.locale, "mail-or"));
    let base = IncidentMail {
        incident,
        client,
        code: alert.code,
        now,
        policy,
        base_url: &settings.server.base_url,
        ack_url: None,
        for_dpo: false,
        a0_sent_at,
        duty_contact: duty.as_deref(),
    };
    let mut mails = Vec::with_capacity(recipients.len() + 1);
    let mut tokens = Vec::new();
    let mut for_others: Option<Rendered> = None;
    for to in recipients {
        let rendered = if *to == dpo {
            let ack_url = if alert.code != AlertCode::P0 && incident.acknowledged_at.is_none() {
                let key = settings.server.secret_key.expose();
                let (pending, token) = ack::prepare(key, &incident.id.0, &client.id.0, &dpo, now);
                tokens.push(pending);
                Some(format!("{}/ack/{token}", settings.server.base_url))
            } else {
                None
            };
            render(kind, &IncidentMail { ack_url: ack_url.as_deref(), for_dpo: true, ..base })?
        } else if let Some(rendered) = &for_others {
            rendered.clone()
        } else {
            for_others.insert(render(kind, &base)?).clone()
        };
        mails.push(new_mail(settings, kind, client, incident, alert, to, rendered));
    }
    if alert.code == AlertCode::P0 {
        let reporter = incident.reported_by_email.to_ascii_lowercase();
        if !recipients.contains(&reporter) {
            let rendered = render(MailKind::P0Receipt, &IncidentMail { a0_sent_at: None, ..base })?;
            mails.push(new_mail(settings, MailKind::P0Receipt, client, incident, alert, &reporter, rendered));
        }
    }
    Ok((mails, tokens))
}

fn render(kind: MailKind, mail: &IncidentMail<'_>) -> Result<Rendered, StorageError> {
    messages::render(kind, &MailContext::for_incident(mail))
        .map_err(|e| StorageError::Corrupt(format!("mail template: {e}")))
}

fn new_mail(
    settings: &Settings,
    kind: MailKind,
    client: &Client,
    incident: &Incident,
    alert: &AlertRecord,
    to: &str,
    rendered: Rendered,
) -> NewMail {
    NewMail {
        incident_id: Some(incident.id.0.clone()),
        client_id: Some(client.id.0.clone()),
        alert_id: Some(alert.id.clone()),
        kind: kind.as_str().to_string(),
        locale: client.locale.as_str().to_string(),
        to: to.to_string(),
        subject: rendered.subject,
        body_text: rendered.text,
        body_html: Some(rendered.html),
        message_id: crate::notify::message_id(&settings.mail.from),
    }
}

/// The posts of one alert to the alert channels that receive it: the officers' team's channels
/// (every client's alerts) and the client's own. Every alert that is mailed is posted too. The
/// payload is rendered once per kind of channel; each post gets its own `webhook-id`.
fn compose_webhooks(
    settings: &Settings,
    routes: &[Route],
    policy: &EscalationPolicy,
    incident: &Incident,
    client: &Client,
    alert: &AlertRecord,
    now: DateTime<Utc>,
) -> Vec<NewMail> {
    let receiving: Vec<(&Route, ChannelKind)> = routes
        .iter()
        .filter(|r| r.client_id.as_deref().is_none_or(|c| c == client.id.0))
        .filter_map(|r| ChannelKind::parse(&r.kind).map(|kind| (r, kind)))
        .collect();
    if receiving.is_empty() {
        return Vec::new();
    }
    let clock = Clock::of(incident, now, policy);
    let notice = payload::Notice {
        code: Some(alert.code),
        reference: Some(incident.reference.clone()),
        client: Some(client.slug.clone()),
        client_name: Some(client.name.clone()),
        deadline_at: clock.deadline_at,
        remaining_seconds: clock.remaining_seconds,
        overdue: clock.overdue,
        url: format!("{}/incidents/{}", settings.server.base_url, incident.id),
        at: now,
        locale: client.locale,
    };
    let mut bodies: BTreeMap<ChannelKind, String> = BTreeMap::new();
    receiving
        .into_iter()
        .map(|(route, kind)| NewMail {
            incident_id: Some(incident.id.0.clone()),
            client_id: Some(client.id.0.clone()),
            alert_id: Some(alert.id.clone()),
            kind: alert.code.as_str().to_string(),
            locale: client.locale.as_str().to_string(),
            to: route.id.clone(),
            subject: notice.event_type(),
            body_text: bodies.entry(kind).or_insert_with(|| payload::render(kind, &notice)).clone(),
            body_html: None,
            message_id: webhook::new_webhook_id(),
        })
        .collect()
}
