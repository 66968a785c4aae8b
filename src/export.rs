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
    write_row(&mut writer, header)?;
    for entry in entries {
        let mut record = entry.csv_record();
        record.push(head.seq.to_string());
        record.push(head.hash.clone());
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
