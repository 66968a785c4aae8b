//! The breach register as files: CSV and JSON with the audit chain head, shared by
//! `art33 export register` and the register page.

use chrono::{DateTime, Utc};

use crate::domain::register::RegisterEntry;
use crate::storage::audit_log::Head;

/// The register as CSV: one row per incident, the chain head in the last two columns of every row
/// (so that any row, or the file, can be checked against the chain offline).
pub fn register_csv(entries: &[RegisterEntry], head: &Head) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = RegisterEntry::CSV_HEADER.to_vec();
    header.extend(["chain_head_seq", "chain_head_hash"]);
    writer.write_record(&header)?;
    for entry in entries {
        let mut record = entry.csv_record();
        record.push(head.seq.to_string());
        record.push(head.hash.clone());
        writer.write_record(&record)?;
    }
    writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// The register as JSON: `{generated_at, client, chain_head: {seq, hash}, entries: […]}`.
pub fn register_json(
    entries: &[RegisterEntry],
    head: &Head,
    client: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, serde_json::Error> {
    let document = serde_json::json!({
        "generated_at": now,
        "client": client,
        "chain_head": { "seq": head.seq, "hash": head.hash },
        "entries": entries,
    });
    let mut out = serde_json::to_vec_pretty(&document)?;
    out.push(b'\n');
    Ok(out)
}
