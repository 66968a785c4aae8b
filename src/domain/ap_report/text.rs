//! The draft as plain text ([`render_text`]), ready to copy into the AP's web form question by
//! question; the API's `ap-report.txt`, the page's text view and the PDF are this text.

use super::draft::{Answer, ApDraft, DraftKind, Provenance};
use super::tr;
use crate::domain::locale::Locale;

/// The draft as plain text, ready to copy into the AP's web form: the header, the kind, the state of
/// the draft (deadline, completeness, missing, to confirm, AP form only, changes or withdrawal),
/// then one block per question in form order:
///
/// ```text
/// 4.5 Indien later dan 72 uur gemeld: waarom?
/// [ONTBREEKT]
/// [verplicht] [Verplicht: de termijn verstreek op …]
/// ```
///
/// The first line is the number and the question (in `en` the English question, then the Dutch), the
/// second the value (or `[ONTBREEKT]`/`[MISSING]` when required or only the AP form can take it,
/// `[niet ingevuld]`/`[not filled in]` when optional); a third line in brackets, when present, is
/// for the DPO only.
pub fn render_text(draft: &ApDraft) -> String {
    let l = draft.locale;
    let t = |nl: &'static str, en: &'static str| tr(l, nl, en);
    let mut out = String::new();
    let mut line = |s: &str| {
        out.push_str(s);
        out.push('\n');
    };
    line(&draft.header);
    line("");
    line(&format!("{}: {}", t("Soort", "Kind"), draft.kind_label));
    line(&format!("{}: {} ({})", t("Incident", "Incident"), draft.reference, draft.controller));
    line(&format!("{}: {}", t("Opgesteld", "Generated"), draft.generated_local));
    match &draft.deadline_local {
        Some(d) => {
            let state = match &draft.late_by {
                Some(by) => format!(" — {} {by}", t("te laat:", "late by")),
                None => String::new(),
            };
            line(&format!("{}: {d}{state}", t("Termijn AP-melding", "AP deadline")));
        }
        None => line(&format!(
            "{}: {}",
            t("Termijn AP-melding", "AP deadline"),
            t("loopt nog niet", "not started")
        )),
    }
    let required = if draft.required { t("ja", "yes") } else { t("NIET VEREIST", "NOT REQUIRED") };
    match &draft.required_note {
        Some(note) => {
            line(&format!("{}: {required} — {note}", t("Melding vereist", "Notification required")))
        }
        None => line(&format!("{}: {required}", t("Melding vereist", "Notification required"))),
    }
    if let Some(p) = &draft.previous {
        let preliminary = if p.preliminary { t(" (voorlopig)", " (preliminary)") } else { "" };
        line(&format!(
            "{}: {}, {} {}{preliminary}; {}: {}",
            t("Eerdere melding", "Earlier notification"),
            p.ap_reference,
            t("gemeld op", "notified on"),
            p.notified_local,
            t("aanvullingen", "supplements"),
            p.supplements
        ));
        if let Some(w) = &p.withdrawn_local {
            line(&format!("{}: {w}", t("Ingetrokken op", "Withdrawn on")));
        }
    }
    if let Some(reason) = &draft.withdrawal_reason {
        line(&format!("{}: {reason}", t("Reden van intrekking", "Reason for withdrawal")));
    }
    let c = draft.completeness;
    line(&format!(
        "{}: {} {} {} {} ({}%)",
        t("Volledigheid", "Completeness"),
        c.answered,
        t("van", "of"),
        c.total,
        t("verplichte vragen beantwoord", "required questions answered"),
        c.percent
    ));
    line("");
    let list = |out: &mut String, title: &str, items: &[String], empty: &str| {
        out.push_str(title);
        out.push_str(":\n");
        if items.is_empty() {
            out.push_str(&format!("- {empty}\n"));
        }
        for item in items {
            out.push_str(&format!("- {item}\n"));
        }
        out.push('\n');
    };
    list(&mut out, t("Ontbreekt (verplicht)", "Missing (required)"), &draft.missing, t("niets", "nothing"));
    list(
        &mut out,
        t("Afgeleid — bevestig deze antwoorden", "Derived — confirm these answers"),
        &draft.to_confirm,
        t("niets", "nothing"),
    );
    list(
        &mut out,
        t("Alleen in het AP-formulier in te vullen", "To fill in on the AP form only"),
        &draft.fill_in_on_form,
        t("niets", "nothing"),
    );
    if draft.kind == DraftKind::Supplement {
        let since = draft.previous.as_ref().map(|p| p.last_version_local.clone()).unwrap_or_default();
        out.push_str(&format!(
            "{} ({since}):\n",
            t("Gewijzigd sinds de laatst gemelde versie", "Changed since the last notified version")
        ));
        if draft.changes.is_empty() {
            out.push_str(&format!("- {}\n", t("niets", "nothing")));
        }
        // Continuation lines of multi-line values line up under the first.
        let value = |v: &Option<String>| match v {
            Some(v) => v.replace('\n', "\n       "),
            None => t("(leeg)", "(empty)").to_string(),
        };
        for change in &draft.changes {
            out.push_str(&format!("- {} {}\n", change.number, change.question));
            out.push_str(&format!("  {} {}\n", t("was:", "was:"), value(&change.before)));
            out.push_str(&format!("  {} {}\n", t("nu: ", "now:"), value(&change.after)));
        }
        out.push('\n');
    }
    for chapter in &draft.chapters {
        let title = match l {
            Locale::Nl => chapter.title.clone(),
            Locale::En => format!("{} — {}", chapter.title, chapter.title_nl),
        };
        if chapter.number.is_empty() {
            out.push_str(&format!("== {title} ==\n\n"));
        } else {
            out.push_str(&format!("== {} {title} ==\n\n", chapter.number));
        }
        for answer in &chapter.answers {
            render_answer(&mut out, answer, l);
        }
    }
    out
}

fn render_answer(out: &mut String, answer: &Answer, locale: Locale) {
    let t = |nl: &'static str, en: &'static str| tr(locale, nl, en);
    let question = match locale {
        Locale::Nl => answer.question.clone(),
        Locale::En => format!("{} — {}", answer.question, answer.question_nl),
    };
    if answer.number.is_empty() {
        out.push_str(&format!("{question}\n"));
    } else {
        out.push_str(&format!("{} {question}\n", answer.number));
    }
    match &answer.value {
        Some(value) => out.push_str(&format!("{value}\n")),
        None if answer.required || answer.on_form_only => {
            out.push_str(&format!("{}\n", t("[ONTBREEKT]", "[MISSING]")));
        }
        None => out.push_str(&format!("{}\n", t("[niet ingevuld]", "[not filled in]"))),
    }
    let mut tags: Vec<String> = Vec::new();
    match answer.provenance {
        Provenance::Recorded => {}
        Provenance::Derived => tags.push(format!("[{}]", t("afgeleid — bevestigen", "derived — confirm"))),
        Provenance::Missing => {
            if answer.value.is_some() {
                tags.push(format!("[{}]", t("onvolledig", "incomplete")));
            }
            if answer.required {
                tags.push(format!("[{}]", t("verplicht", "required")));
            }
        }
    }
    if let Some(note) = &answer.note {
        tags.push(format!("[{note}]"));
    }
    if !tags.is_empty() {
        out.push_str(&tags.join(" "));
        out.push('\n');
    }
    out.push('\n');
}
