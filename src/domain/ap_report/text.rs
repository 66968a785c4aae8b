//! The draft as plain text ([`render_text`]), ready to copy into the AP's web form question by
//! question; the API's `ap-report.txt`, the page's text view and the PDF are this text.

use super::draft::{Answer, ApDraft, DraftKind, Provenance};
use super::letter::SubjectLetter;
use super::{tr, tr_with};
use crate::domain::locale::Locale;
use crate::domain::texts;

/// The draft as text ([`render_text`]) followed by the letters to data subjects
/// ([`render_letters_text`]): the API's and the pages' `ap-report.txt` and `ap-report.pdf`.
pub fn render_document(draft: &ApDraft, letters: &[SubjectLetter]) -> String {
    let mut out = render_text(draft);
    out.push_str(&render_letters_text(letters, draft.locale));
    out
}

/// The letters to data subjects as text, one block per language, headed in `locale`:
///
/// ```text
/// == Concept van de brief aan betrokkenen (art. 34) — Engels ==
///
/// DRAFT — check and adapt before sending; art33 does not send this letter.
///
/// Subject: Data breach at …
///
/// Dear Sir or Madam, …
/// ```
///
/// Empty when there is no letter.
pub fn render_letters_text(letters: &[SubjectLetter], locale: Locale) -> String {
    let mut out = String::new();
    for letter in letters {
        out.push_str(&format!(
            "== {} — {} ==\n\n{}\n\n{}: {}\n\n{}\n",
            tr(locale, "ap-letter"),
            texts::language_name(letter.locale, locale),
            letter.draft_note,
            tr(letter.locale, "ap-letter-subject-label"),
            letter.subject,
            letter.body.trim_end()
        ));
    }
    out
}

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
    let t = |key: &'static str| tr(l, key);
    let mut out = String::new();
    let mut line = |s: &str| {
        out.push_str(s);
        out.push('\n');
    };
    line(&draft.header);
    line("");
    line(&format!("{}: {}", t("ap-text-kind"), draft.kind_label));
    line(&format!("{}: {} ({})", t("ap-text-incident"), draft.reference, draft.controller));
    line(&format!("{}: {}", t("ap-text-generated"), draft.generated_local));
    match &draft.deadline_local {
        Some(d) => {
            let state = match &draft.late_by {
                Some(by) => format!(" — {} {by}", t("ap-text-late-by")),
                None => String::new(),
            };
            line(&format!("{}: {d}{state}", t("ap-text-ap-deadline")));
        }
        None => line(&format!("{}: {}", t("ap-text-ap-deadline"), t("ap-text-not-started"))),
    }
    let required = if draft.required { t("ap-text-yes") } else { t("ap-text-not-required") };
    match &draft.required_note {
        Some(note) => line(&format!("{}: {required} — {note}", t("ap-text-notification-required"))),
        None => line(&format!("{}: {required}", t("ap-text-notification-required"))),
    }
    if let Some(p) = &draft.previous {
        let preliminary = if p.preliminary { t("ap-text-preliminary") } else { "" };
        line(&format!(
            "{}: {}, {} {}{preliminary}; {}: {}",
            t("ap-text-earlier-notification"),
            p.ap_reference,
            t("ap-text-notified-on"),
            p.notified_local,
            t("ap-text-supplements"),
            p.supplements
        ));
        if let Some(w) = &p.withdrawn_local {
            line(&format!("{}: {w}", t("ap-text-withdrawn-on")));
        }
    }
    if let Some(reason) = &draft.withdrawal_reason {
        line(&format!("{}: {reason}", t("ap-text-reason-for-withdrawal")));
    }
    let c = draft.completeness;
    line(&format!(
        "{}: {} {} {} {} ({}%); {}",
        t("ap-text-completeness"),
        c.answered,
        t("ap-fill-of"),
        c.total,
        t("ap-text-required-questions-answered"),
        c.percent,
        tr_with(
            l,
            "ap-text-on-form-only-count",
            &[("count", &c.on_form_only.to_string()), ("asked", &c.asked.to_string())]
        )
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
    list(&mut out, t("ap-text-missing-required"), &draft.missing, t("ap-text-nothing"));
    list(&mut out, t("ap-text-derived-confirm-these-answers"), &draft.to_confirm, t("ap-text-nothing"));
    list(&mut out, t("ap-text-to-fill-in-on-the"), &draft.fill_in_on_form, t("ap-text-nothing"));
    if draft.kind == DraftKind::Supplement {
        let since = draft.previous.as_ref().map(|p| p.last_version_local.clone()).unwrap_or_default();
        out.push_str(&format!("{} ({since}):\n", t("ap-text-changed-since-the-last-notified")));
        if draft.changes.is_empty() {
            out.push_str(&format!("- {}\n", t("ap-text-nothing")));
        }
        // Continuation lines of multi-line values line up under the first.
        let value = |v: &Option<String>| match v {
            Some(v) => v.replace('\n', "\n       "),
            None => t("ap-text-empty").to_string(),
        };
        for change in &draft.changes {
            out.push_str(&format!("- {} {}\n", change.number, change.question));
            out.push_str(&format!("  {} {}\n", t("ap-text-was"), value(&change.before)));
            out.push_str(&format!("  {} {}\n", t("ap-text-now"), value(&change.after)));
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
    let t = |key: &'static str| tr(locale, key);
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
            out.push_str(&format!("{}\n", t("ap-text-missing")));
        }
        None => out.push_str(&format!("{}\n", t("ap-text-not-filled-in"))),
    }
    let mut tags: Vec<String> = Vec::new();
    match answer.provenance {
        Provenance::Recorded => {}
        Provenance::Derived => tags.push(format!("[{}]", t("ap-text-derived-confirm"))),
        Provenance::Missing => {
            if answer.value.is_some() {
                tags.push(format!("[{}]", t("ap-text-incomplete")));
            }
            if answer.required {
                tags.push(format!("[{}]", t("ap-text-required")));
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
