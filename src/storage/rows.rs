//! Row structs: the database's shape of the domain's types. Conversions live here so that
//! storage types never leak out of `storage`. Fields mirror the columns of `schema.rs`.
#![allow(missing_docs, reason = "row structs mirror the schema column by column")]

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::error::StorageError;
use super::schema::{api_tokens, clients, users};
use super::{from_db, to_db};
use crate::domain::audit::{AuditEvent, ChainedEvent};
use crate::domain::directory::{Client, ClientProfile, User};
use crate::domain::ids::{ClientId, IncidentId, UserId};
use crate::domain::incident::{ApNotification, Facts, Incident, State, SubjectsDecision};
use crate::domain::locale::Locale;
use crate::domain::tenant::Role;
use crate::domain::vocabulary::CodeList;

/// A row of `clients`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = clients)]
pub struct ClientRow {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub dpo_email: String,
    pub dpo_name: Option<String>,
    pub escalation_emails: String,
    pub locale: String,
    pub policy: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub profile: Option<String>,
}

impl TryFrom<ClientRow> for Client {
    type Error = StorageError;

    fn try_from(row: ClientRow) -> Result<Self, StorageError> {
        let locale = Locale::parse(&row.locale)
            .ok_or_else(|| StorageError::Corrupt(format!("client locale {:?}", row.locale)))?;
        let profile = match row.profile.as_deref() {
            None => ClientProfile::empty(locale),
            Some(text) => match serde_json::from_str::<serde_json::Value>(text)? {
                serde_json::Value::Object(object) => ClientProfile::parse(&object, locale)
                    .map_err(|e| StorageError::Corrupt(format!("client profile: {}", e.field)))?,
                _ => return Err(StorageError::Corrupt("client profile is not an object".to_string())),
            },
        };
        Ok(Client {
            id: ClientId(row.id),
            slug: row.slug,
            name: row.name,
            dpo_email: row.dpo_email,
            dpo_name: row.dpo_name,
            escalation_emails: serde_json::from_str(&row.escalation_emails)?,
            locale,
            policy: row.policy.as_deref().map(serde_json::from_str).transpose()?,
            active: row.active,
            profile,
        })
    }
}

/// A row of `users`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: Option<String>,
    pub role: String,
    pub client_id: Option<String>,
    pub password_hash: Option<String>,
    pub locale: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

impl TryFrom<UserRow> for User {
    type Error = StorageError;

    fn try_from(row: UserRow) -> Result<Self, StorageError> {
        Ok(User {
            id: UserId(row.id),
            email: row.email,
            name: row.name,
            role: Role::parse(&row.role)
                .ok_or_else(|| StorageError::Corrupt(format!("user role {:?}", row.role)))?,
            client_id: row.client_id.map(ClientId),
            locale: row.locale.as_deref().and_then(Locale::parse),
            active: row.active,
        })
    }
}

/// A row of `api_tokens`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct ApiTokenRow {
    pub id: String,
    pub user_id: String,
    pub label: Option<String>,
    pub prefix: String,
    pub digest: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

/// A row of `incidents`. An absent value is inserted as a bound NULL, not as `DEFAULT` (no nullable
/// column has another default): the insert then has one SQL text, which diesel prepares once per
/// connection, where a `DEFAULT` anywhere makes it prepare the statement anew at every insert.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = super::schema::incidents, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct IncidentRow {
    pub id: String,
    pub client_id: String,
    pub reference: String,
    pub ref_year: i32,
    pub ref_number: i32,
    pub state: String,
    pub version: i64,
    pub title: String,
    pub summary: String,
    #[diesel(deserialize_as = super::instant::DbInstant)]
    pub discovered_at: NaiveDateTime,
    pub discovery_method: Option<String>,
    #[diesel(deserialize_as = super::instant::MaybeDbInstant)]
    pub occurred_from: Option<NaiveDateTime>,
    #[diesel(deserialize_as = super::instant::MaybeDbInstant)]
    pub occurred_until: Option<NaiveDateTime>,
    pub ongoing: bool,
    pub incident_kind: Option<String>,
    pub nature: String,
    pub data_categories: String,
    pub special_categories: String,
    pub records_approx: Option<i64>,
    pub subject_groups: String,
    pub subjects_min: Option<i64>,
    pub subjects_max: Option<i64>,
    pub encryption: Option<String>,
    pub consequences: Option<String>,
    pub measures_taken: Option<String>,
    pub measures_planned: Option<String>,
    pub cross_border_states: String,
    pub other_organisations: Option<String>,
    #[diesel(deserialize_as = super::instant::DbInstant)]
    pub reported_at: NaiveDateTime,
    pub reported_by: String,
    #[diesel(deserialize_as = super::instant::MaybeDbInstant)]
    pub processor_aware_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = super::instant::MaybeDbInstant)]
    pub controller_aware_at: Option<NaiveDateTime>,
    pub awareness_justification: Option<String>,
    #[diesel(deserialize_as = super::instant::MaybeDbInstant)]
    pub acknowledged_at: Option<NaiveDateTime>,
    pub acknowledged_by: Option<String>,
    pub assessment: Option<String>,
    pub dismiss_reason: Option<String>,
    pub not_notifiable_justification: Option<String>,
    #[diesel(deserialize_as = super::instant::MaybeDbInstant)]
    pub ap_notified_at: Option<NaiveDateTime>,
    pub ap_reference: Option<String>,
    pub preliminary: Option<bool>,
    pub delay_reason: Option<String>,
    pub supplements: String,
    pub notified_snapshot: Option<String>,
    #[diesel(deserialize_as = super::instant::MaybeDbInstant)]
    pub withdrawn_at: Option<NaiveDateTime>,
    pub withdraw_reason: Option<String>,
    pub subjects_decision: String,
    #[diesel(deserialize_as = super::instant::MaybeDbInstant)]
    pub subjects_informed_at: Option<NaiveDateTime>,
    pub subjects_channel: Option<String>,
    pub subjects_count: Option<i64>,
    pub subjects_ground: Option<String>,
    pub subjects_explanation: Option<String>,
    #[diesel(deserialize_as = super::instant::MaybeDbInstant)]
    pub closed_at: Option<NaiveDateTime>,
    pub close_summary: Option<String>,
    #[diesel(deserialize_as = super::instant::MaybeDbInstant)]
    pub purged_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = super::instant::DbInstant)]
    pub updated_at: NaiveDateTime,
    pub other_supervisors: Option<String>,
}

fn code_of<T: CodeList>(value: T) -> String {
    value.code().to_string()
}

fn codes_json<T: CodeList>(values: &[T]) -> Result<String, StorageError> {
    Ok(serde_json::to_string(&values.iter().map(|v| v.code()).collect::<Vec<_>>())?)
}

fn parse_code<T: CodeList>(column: &str, value: &str) -> Result<T, StorageError> {
    T::parse(value).ok_or_else(|| StorageError::Corrupt(format!("{column}: unknown code {value:?}")))
}

fn parse_codes<T: CodeList>(column: &str, json: &str) -> Result<Vec<T>, StorageError> {
    let codes: Vec<String> = serde_json::from_str(json)?;
    codes.iter().map(|c| parse_code(column, c)).collect()
}

fn count(value: Option<u64>) -> Option<i64> {
    value.map(|v| i64::try_from(v).unwrap_or(i64::MAX))
}

fn uncount(value: Option<i64>) -> Option<u64> {
    value.map(|v| u64::try_from(v).unwrap_or(0))
}

impl IncidentRow {
    /// The row of an incident, numbered `ref_year`/`ref_number`.
    pub fn from_incident(
        i: &Incident,
        ref_year: i32,
        ref_number: i32,
        now: DateTime<Utc>,
    ) -> Result<Self, StorageError> {
        let f = &i.facts;
        let (subjects_informed_at, subjects_channel, subjects_count, subjects_ground, subjects_explanation) =
            match &i.subjects {
                SubjectsDecision::Undecided => (None, None, None, None, None),
                SubjectsDecision::Informed { informed_at, channel, count: n } => {
                    (Some(to_db(*informed_at)), Some(code_of(*channel)), count(Some(*n)), None, None)
                }
                SubjectsDecision::NotRequired { ground, explanation } => {
                    (None, None, None, Some(code_of(*ground)), Some(explanation.clone()))
                }
            };
        Ok(IncidentRow {
            id: i.id.0.clone(),
            client_id: i.client_id.0.clone(),
            reference: i.reference.clone(),
            ref_year,
            ref_number,
            state: i.state.as_str().to_string(),
            version: i.version,
            title: f.title.clone(),
            summary: f.summary.clone(),
            discovered_at: to_db(f.discovered_at),
            discovery_method: f.discovery_method.clone(),
            occurred_from: f.occurred_from.map(to_db),
            occurred_until: f.occurred_until.map(to_db),
            ongoing: f.ongoing,
            incident_kind: f.incident_kind.map(code_of),
            nature: codes_json(&f.nature)?,
            data_categories: codes_json(&f.data_categories)?,
            special_categories: codes_json(&f.special_categories)?,
            records_approx: count(f.records_approx),
            subject_groups: codes_json(&f.subject_groups)?,
            subjects_min: count(f.subjects_min),
            subjects_max: count(f.subjects_max),
            encryption: f.encryption.map(code_of),
            consequences: f.consequences.clone(),
            measures_taken: f.measures_taken.clone(),
            measures_planned: f.measures_planned.clone(),
            cross_border_states: serde_json::to_string(&f.cross_border_states)?,
            other_organisations: f.other_organisations.clone(),
            other_supervisors: f.other_supervisors.clone(),
            reported_at: to_db(i.reported_at),
            reported_by: i.reported_by.0.clone(),
            processor_aware_at: i.processor_aware_at.map(to_db),
            controller_aware_at: i.controller_aware_at.map(to_db),
            awareness_justification: i.awareness_justification.clone(),
            acknowledged_at: i.acknowledged_at.map(to_db),
            acknowledged_by: i.acknowledged_by.clone(),
            assessment: i.assessment.as_ref().map(serde_json::to_string).transpose()?,
            dismiss_reason: i.dismiss_reason.clone(),
            not_notifiable_justification: i.not_notifiable_justification.clone(),
            ap_notified_at: i.ap.as_ref().map(|ap| to_db(ap.notified_at)),
            ap_reference: i.ap.as_ref().map(|ap| ap.reference.clone()),
            preliminary: i.ap.as_ref().map(|ap| ap.preliminary),
            delay_reason: i.ap.as_ref().and_then(|ap| ap.delay_reason.clone()),
            supplements: serde_json::to_string(&i.supplements)?,
            notified_snapshot: i.notified_snapshot.as_ref().map(serde_json::to_string).transpose()?,
            withdrawn_at: i.withdrawn_at.map(to_db),
            withdraw_reason: i.withdraw_reason.clone(),
            subjects_decision: match &i.subjects {
                SubjectsDecision::Undecided => "undecided",
                SubjectsDecision::Informed { .. } => "informed",
                SubjectsDecision::NotRequired { .. } => "not_required",
            }
            .to_string(),
            subjects_informed_at,
            subjects_channel,
            subjects_count,
            subjects_ground,
            subjects_explanation,
            closed_at: i.closed_at.map(to_db),
            close_summary: i.close_summary.clone(),
            purged_at: i.purged_at.map(to_db),
            updated_at: to_db(now),
        })
    }

    /// The incident of this row, with its client's slug and its reporter's e-mail address.
    pub fn into_incident(
        self,
        client_slug: String,
        reported_by_email: String,
    ) -> Result<Incident, StorageError> {
        let corrupt = |what: &str| StorageError::Corrupt(format!("incident {}: {what}", self.id));
        let subjects = match self.subjects_decision.as_str() {
            "undecided" => SubjectsDecision::Undecided,
            "informed" => SubjectsDecision::Informed {
                informed_at: from_db(
                    self.subjects_informed_at.ok_or_else(|| corrupt("informed without a time"))?,
                ),
                channel: parse_code("subjects_channel", self.subjects_channel.as_deref().unwrap_or(""))?,
                count: uncount(self.subjects_count).unwrap_or(0),
            },
            "not_required" => SubjectsDecision::NotRequired {
                ground: parse_code("subjects_ground", self.subjects_ground.as_deref().unwrap_or(""))?,
                explanation: self.subjects_explanation.clone().unwrap_or_default(),
            },
            other => return Err(corrupt(&format!("subjects decision {other:?}"))),
        };
        let ap = match (self.ap_notified_at, &self.ap_reference) {
            (Some(at), Some(reference)) => Some(ApNotification {
                notified_at: from_db(at),
                reference: reference.clone(),
                preliminary: self.preliminary.unwrap_or(false),
                delay_reason: self.delay_reason.clone(),
            }),
            _ => None,
        };
        Ok(Incident {
            state: State::parse(&self.state).ok_or_else(|| corrupt(&format!("state {:?}", self.state)))?,
            facts: Facts {
                title: self.title,
                summary: self.summary,
                discovered_at: from_db(self.discovered_at),
                discovery_method: self.discovery_method,
                occurred_from: self.occurred_from.map(from_db),
                occurred_until: self.occurred_until.map(from_db),
                ongoing: self.ongoing,
                incident_kind: self
                    .incident_kind
                    .as_deref()
                    .map(|c| parse_code("incident_kind", c))
                    .transpose()?,
                nature: parse_codes("nature", &self.nature)?,
                data_categories: parse_codes("data_categories", &self.data_categories)?,
                special_categories: parse_codes("special_categories", &self.special_categories)?,
                records_approx: uncount(self.records_approx),
                subject_groups: parse_codes("subject_groups", &self.subject_groups)?,
                subjects_min: uncount(self.subjects_min),
                subjects_max: uncount(self.subjects_max),
                encryption: self.encryption.as_deref().map(|c| parse_code("encryption", c)).transpose()?,
                consequences: self.consequences,
                measures_taken: self.measures_taken,
                measures_planned: self.measures_planned,
                cross_border_states: serde_json::from_str(&self.cross_border_states)?,
                other_organisations: self.other_organisations,
                other_supervisors: self.other_supervisors,
            },
            id: IncidentId(self.id),
            client_id: ClientId(self.client_id),
            client_slug,
            reference: self.reference,
            version: self.version,
            reported_at: from_db(self.reported_at),
            reported_by: UserId(self.reported_by),
            reported_by_email,
            processor_aware_at: self.processor_aware_at.map(from_db),
            controller_aware_at: self.controller_aware_at.map(from_db),
            awareness_justification: self.awareness_justification,
            acknowledged_at: self.acknowledged_at.map(from_db),
            acknowledged_by: self.acknowledged_by,
            assessment: self.assessment.as_deref().map(serde_json::from_str).transpose()?,
            dismiss_reason: self.dismiss_reason,
            not_notifiable_justification: self.not_notifiable_justification,
            ap,
            supplements: serde_json::from_str(&self.supplements)?,
            notified_snapshot: self.notified_snapshot.as_deref().map(serde_json::from_str).transpose()?,
            withdrawn_at: self.withdrawn_at.map(from_db),
            withdraw_reason: self.withdraw_reason,
            subjects,
            closed_at: self.closed_at.map(from_db),
            close_summary: self.close_summary,
            purged_at: self.purged_at.map(from_db),
        })
    }
}

/// A row of `audit_events`; an absent client or incident is a bound NULL (see [`IncidentRow`]).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = super::schema::audit_events, treat_none_as_default_value = false)]
pub struct AuditRow {
    pub chain: String,
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor: String,
    pub client_id: Option<String>,
    pub incident_id: Option<String>,
    pub event_type: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRow {
    /// The row of a chained event.
    pub fn from_chained(e: &ChainedEvent) -> Result<Self, StorageError> {
        Ok(AuditRow {
            chain: e.chain.clone(),
            seq: e.seq,
            at: to_db(e.event.at),
            actor: e.event.actor.clone(),
            client_id: e.event.client_id.clone(),
            incident_id: e.event.incident_id.clone(),
            event_type: e.event.event_type.clone(),
            detail: serde_json::to_string(&e.event.detail)?,
            prev_hash: e.prev_hash.clone(),
            hash: e.hash.clone(),
        })
    }

    /// The chained event of this row. Undecodable detail becomes a string, so that verification
    /// reports the event instead of failing.
    pub fn into_chained(self) -> ChainedEvent {
        let detail = serde_json::from_str(&self.detail).unwrap_or(serde_json::Value::String(self.detail));
        ChainedEvent {
            chain: self.chain,
            seq: self.seq,
            event: AuditEvent {
                at: from_db(self.at),
                actor: self.actor,
                client_id: self.client_id,
                incident_id: self.incident_id,
                event_type: self.event_type,
                detail,
            },
            prev_hash: self.prev_hash,
            hash: self.hash,
        }
    }
}
