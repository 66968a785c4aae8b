//! The breach register as files: CSV and JSON with the audit chain head, shared by
//! `art33 export register` and the register page; and the offline check of a JSON export's chain
//! (`art33 audit verify --export FILE`, `docs/OPERATIONS.md`).

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::app::export::Export;
use crate::domain::audit::{self, AuditEvent, BrokenChain, ChainBreak, ChainedEvent, SYSTEM_CHAIN, Verifier};
use crate::domain::register::RegisterEntry;

/// The register as CSV: one row per incident; in the last four columns the head of the incident's
/// client chain and the `seq` and hash of the incident's last event on it (so that any row, or the
/// file, can be checked against the chain offline).
pub fn register_csv(export: &Export, entries: &[RegisterEntry]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = RegisterEntry::CSV_HEADER.to_vec();
    header.extend(["chain_head_seq", "chain_head_hash", "last_event_seq", "last_event_hash"]);
    write_row(&mut writer, header)?;
    for (incident, entry) in export.incidents.iter().zip(entries) {
        let head = export.head_of(incident);
        let (last_seq, last_hash) = export.last_events.get(&incident.id.0).cloned().unwrap_or_default();
        let mut record = entry.csv_record();
        record.push(head.seq.to_string());
        record.push(head.hash);
        record.push(last_seq.to_string());
        record.push(last_hash);
        write_row(&mut writer, record)?;
    }
    writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// Writes one CSV row with every cell passed through [`csv_cell`]. Every CSV art33 writes goes
/// through here, so that no cell can become a formula in a spreadsheet.
pub fn write_row<W, I, S>(writer: &mut csv::Writer<W>, cells: I) -> Result<(), csv::Error>
where
    W: std::io::Write,
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    writer.write_record(cells.into_iter().map(|cell| csv_cell(cell.as_ref()).into_owned()))
}

/// A cell that a spreadsheet reads as text, never as a formula (OWASP, "CSV injection"): a value
/// that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a single quote in front.
/// Negative numbers are quoted too; the register holds none (counts are never negative).
pub fn csv_cell(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// The register as JSON: `{generated_at, client, chain_head: {chain, seq, hash}, entries: […]}`.
/// A client's export adds `audit_events`, its chain up to the head, each event
/// `{seq, at, actor, incident, type, detail, prev_hash, hash}` with its free text as digests (the
/// canonical form's), and each entry gains `last_event: {seq, hash}`; an export of every client adds
/// `client_chains`, the head of each client's chain.
pub fn register_json(
    export: &Export,
    entries: &[RegisterEntry],
    client: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, serde_json::Error> {
    let mut items = Vec::with_capacity(entries.len());
    for (incident, entry) in export.incidents.iter().zip(entries) {
        let mut item = serde_json::to_value(entry)?;
        if let (Value::Object(map), Some((seq, hash))) = (&mut item, export.last_events.get(&incident.id.0)) {
            map.insert("last_event".into(), json!({ "seq": seq, "hash": hash }));
        }
        items.push(item);
    }
    let mut document = json!({
        "generated_at": now,
        "client": client,
        "chain_head": { "chain": export.chain, "seq": export.head.seq, "hash": export.head.hash },
        "entries": items,
    });
    match &export.events {
        Some(events) => {
            document["audit_events"] = Value::Array(events.iter().map(exported_event).collect());
        }
        None => {
            let chains: Vec<Value> = export
                .client_heads
                .iter()
                .map(|(chain, head)| {
                    json!({
                        "client": export.client_slugs.get(chain),
                        "chain": chain,
                        "seq": head.seq,
                        "hash": head.hash,
                    })
                })
                .collect();
            document["client_chains"] = Value::Array(chains);
        }
    }
    let mut out = serde_json::to_vec_pretty(&document)?;
    out.push(b'\n');
    Ok(out)
}

/// An event as a client's export carries it: what the canonical form covers, free text digested.
fn exported_event(event: &ChainedEvent) -> Value {
    json!({
        "seq": event.seq,
        "at": event.event.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
        "actor": event.event.actor,
        "incident": event.event.incident_id,
        "type": event.event.event_type,
        "detail": audit::digest_free_text(&event.event.detail),
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    })
}

/// Why an export cannot be checked at all.
#[derive(Debug, thiserror::Error)]
pub enum ExportCheckError {
    /// Not JSON, or not a register export with a client's chain.
    #[error("not a client's register export with its audit chain: {0}")]
    Shape(String),
    /// The chain does not verify.
    #[error("{0}")]
    Broken(#[from] BrokenChain),
}

/// Verifies a client's JSON register export offline: its `audit_events` from the first event must
/// chain up to `chain_head`, each event on the client's chain (its key is the client id). Returns
/// the chain key and the number of events. Needs no database and no other client's events.
pub fn verify_export(json_text: &str) -> Result<(String, i64), ExportCheckError> {
    let shape = |what: &str| ExportCheckError::Shape(what.to_string());
    let document: Value =
        serde_json::from_str(json_text).map_err(|e| ExportCheckError::Shape(e.to_string()))?;
    let head = &document["chain_head"];
    let chain = head["chain"].as_str().ok_or_else(|| shape("chain_head.chain is missing"))?.to_string();
    if chain == SYSTEM_CHAIN {
        return Err(shape("an export of every client carries no chain: export one client (--client SLUG)"));
    }
    let head_seq = head["seq"].as_i64().ok_or_else(|| shape("chain_head.seq is missing"))?;
    let head_hash = head["hash"].as_str().ok_or_else(|| shape("chain_head.hash is missing"))?;
    let events = document["audit_events"].as_array().ok_or_else(|| shape("audit_events is missing"))?;
    let mut verifier = Verifier::new(&chain);
    let broken = |broken| ExportCheckError::Broken(BrokenChain { chain: chain.clone(), broken });
    for (i, item) in events.iter().enumerate() {
        let seq =
            item["seq"].as_i64().ok_or_else(|| ExportCheckError::Shape(format!("audit_events[{i}].seq")))?;
        let text = |key: &str| item[key].as_str().map(str::to_string);
        let malformed = || broken(ChainBreak::Content { seq });
        let at = text("at").and_then(|t| t.parse::<DateTime<Utc>>().ok()).ok_or_else(malformed)?;
        let event = ChainedEvent {
            chain: chain.clone(),
            seq,
            event: AuditEvent {
                at,
                actor: text("actor").ok_or_else(malformed)?,
                client_id: Some(chain.clone()),
                incident_id: text("incident"),
                event_type: text("type").ok_or_else(malformed)?,
                detail: item["detail"].clone(),
            },
            prev_hash: text("prev_hash").ok_or_else(malformed)?,
            hash: text("hash").ok_or_else(malformed)?,
        };
        verifier.feed(&event).map_err(broken)?;
    }
    let count = verifier.finish(head_seq, head_hash).map_err(broken)?;
    Ok((chain, count))
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn formula_cells_are_quoted_and_others_left_alone() {
        for bad in ["=HYPERLINK(\"http://x\")", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_cell(bad), format!("'{bad}"), "{bad:?}");
        }
        for good in ["", "Laptop stolen", "ACME-2026-0001", "2026-10-22T10:00:00Z", "a=b", " =x"] {
            assert_eq!(csv_cell(good), good);
        }
    }
}
