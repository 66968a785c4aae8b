//! The draft AP notification through the API and the pages, and the breach register page.

use art33::domain::ap_report::FORM;
use art33::domain::tenant::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::on_both_backends;
use crate::support::{Backend, TestApp, json};

const PASSWORD: &str = "violet kettle under the bridge";

/// Scenario S13: an open API exposed 12,000 customers; the client was informed Mon 2026-06-15
/// 07:00Z; at Thu 2026-06-18 15:00Z the deadline passed eight hours ago.
async fn s13(app: &TestApp, token: &str) -> String {
    app.set_now("2026-06-15T08:00:00Z");
    let id = app
        .report(
            token,
            "acme",
            json!({
                "title": "Public API exposed customer records",
                "summary": "A misconfigured public endpoint exposed customer records for three weeks.",
                "discovered_at": "2026-06-15T06:20:00Z",
                "discovery_method": "Gateway logs reviewed after a tip from a researcher",
                "occurred_from": "2026-05-25T00:00:00Z",
                "occurred_until": "2026-06-15T06:30:00Z",
                "incident_kind": "published_by_mistake",
                "nature": ["read", "copied"],
                "data_categories": ["name_address", "email"],
                "records_approx": 12000,
                "subject_groups": ["customers"],
                "subjects_min": 12000,
                "subjects_max": 12000,
                "encryption": "none",
                "consequences": "Phishing risk",
                "measures_taken": "Endpoint closed, keys rotated"
            }),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.event_ok(token, &id, json!({"type": "confirm", "processor_aware_at": "2026-06-15T06:20:00Z", "controller_aware_at": "2026-06-15T07:00:00Z"})).await;
    app.event_ok(token, &id, json!({
        "type": "assess", "dpc": 2, "ease_of_identification": "maximum", "confidentiality": 2, "integrity": 0,
        "availability": 0, "malicious": false, "unintelligible": false, "vulnerable_subjects": false,
        "rationale": "Contact data of customers, downloaded by unknown parties"
    })).await;
    app.set_now("2026-06-18T15:00:00Z");
    id
}

on_both_backends!(
    the_s13_text_draft_carries_every_question_in_order_and_demands_4_5,
    the_draft_page_and_the_register_page,
    the_letters_to_data_subjects_come_in_json_text_and_pdf,
    the_draft_page_links_each_missing_answer_to_where_it_is_filled_in,
    the_dashboards_remembered_completeness_follows_a_changed_client_profile
);

/// The dashboard remembers each row's AP-draft completeness, keyed by the incident's version and a
/// digest of its client: a profile filled in afterwards (the incident itself unchanged) shows at
/// once, in the same process.
async fn the_dashboards_remembered_completeness_follows_a_changed_client_profile(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    let token = app.add_user_with_token("root@gx.example", Role::Admin, None).await;
    app.add_user_with_password("dpo@acme.example", Role::Dpo, Some("acme"), PASSWORD).await;
    s13(&app, &token).await;
    app.set_now("2026-06-17T15:00:00Z");
    let dpo = app.login("dpo@acme.example", PASSWORD).await;
    let answered = || async {
        let html = dpo.get(app.url("/")).send().await.unwrap().text().await.unwrap();
        let at = html.find("AP-concept: ").unwrap_or_else(|| panic!("the row's completeness: {html}"));
        let words: Vec<&str> = html[at + "AP-concept: ".len()..].split_whitespace().take(3).collect();
        assert_eq!(words[1], "van", "{words:?}");
        (words[0].parse::<u32>().unwrap(), words[2].parse::<u32>().unwrap())
    };
    let (before, total) = answered().await;
    assert_eq!(answered().await, (before, total), "remembered: the same answer");
    let profile = json!({"legal_name": "Acme B.V.", "kvk_number": "12345678", "sector": "trade"});
    let put = app.http.put(app.url("/api/v1/clients/acme/profile")).bearer_auth(&token).json(&profile);
    assert_eq!(put.send().await.unwrap().status(), StatusCode::OK);
    let (after, same_total) = answered().await;
    assert_eq!(same_total, total);
    assert!(after > before, "the profile's answers count at once: {before} then {after} of {total}");
}

/// Issue 18 item 4: the draft page lists what is missing, each with a link to where it is filled
/// in; with a full profile and a fully assessed incident only what the AP form alone takes is left.
async fn the_draft_page_links_each_missing_answer_to_where_it_is_filled_in(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    let token = app.add_user_with_token("root@gx.example", Role::Admin, None).await;
    app.add_user_with_password("dpo@acme.example", Role::Dpo, Some("acme"), PASSWORD).await;
    let id = s13(&app, &token).await;
    // Before the deadline, so that 4.5 does not apply; the start of the breach not known yet.
    app.set_now("2026-06-17T15:00:00Z");
    let patched =
        app.patch_json(&format!("/api/v1/incidents/{id}"), &token, &json!({"occurred_from": null})).await;
    assert_eq!(patched.status(), StatusCode::OK);
    let dpo = app.login("dpo@acme.example", PASSWORD).await;
    let url = app.url(&format!("/incidents/{id}/ap-report"));
    let html = dpo.get(&url).send().await.unwrap().text().await.unwrap();
    let missing = &html[html.find("id=\"unanswered\"").expect("the list of missing answers")..];
    let missing = &missing[..missing.find("</ul>").unwrap()];
    for (number, href) in [
        ("3.1.1c", "/admin/clients/acme/profile".to_string()),
        ("3.2.1", "/admin/clients/acme/profile".to_string()),
        ("4.1.1", format!("/incidents/{id}#edit-occurred_from")),
        ("1.3", format!("/incidents/{id}#edit-other_supervisors")),
    ] {
        let item = missing
            .split("<li>")
            .find(|i| i.starts_with(number))
            .unwrap_or_else(|| panic!("{number}: {missing}"));
        assert!(item.contains(&format!("href=\"{href}\"")), "{number} links {href}: {item}");
    }
    assert!(!missing.contains("<li>4.5"), "on time: no reasons for delay asked");
    assert!(html.contains("Het AP-formulier vraagt voor dit datalek"), "the count of every question");
    let draft = json(app.get(&format!("/api/v1/incidents/{id}/ap-report"), &token).await).await;
    assert!(draft["completeness"]["percent"].as_u64().unwrap() < 100, "{}", draft["completeness"]);

    // A full profile and the subjects decision: 100 %, and the page says what only the form takes.
    let profile = json!({
        "legal_name": "Acme B.V.", "address": "Keizersgracht 1, 1015 AA Amsterdam", "kvk_number": "12345678",
        "sector": "trade", "dpo_registration": "FG001234", "notifier_name": "Jan Jansen",
        "notifier_position": "FG", "notifier_phone": "+31 20 123 4567"
    });
    let patch = json!({"occurred_from": "2026-05-25T00:00:00Z", "other_supervisors": "Geen"});
    let patched = app.patch_json(&format!("/api/v1/incidents/{id}"), &token, &patch).await;
    assert_eq!(patched.status(), StatusCode::OK);
    let put = app.http.put(app.url("/api/v1/clients/acme/profile")).bearer_auth(&token).json(&profile);
    assert_eq!(put.send().await.unwrap().status(), StatusCode::OK);
    app.event_ok(&token, &id, json!({"type": "subjects_not_required", "ground": "no_high_risk", "explanation": "Medium band: no high risk"})).await;
    let draft = json(app.get(&format!("/api/v1/incidents/{id}/ap-report"), &token).await).await;
    let c = &draft["completeness"];
    assert_eq!(c["percent"], 100, "{draft}");
    assert_eq!(c["answered"], c["total"]);
    assert_eq!(c["on_form_only"], 1);
    assert_eq!(c["asked"].as_u64(), Some(c["total"].as_u64().unwrap() + 1));
    assert!(draft["missing"].as_array().unwrap().is_empty(), "{}", draft["missing"]);
    let html = dpo.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains("id=\"unanswered\""));
    let left =
        &html[html.find("Alles wat art33 kan beantwoorden is beantwoord").expect("says it is complete")..];
    let left = &left[..left.find("</ul>").unwrap()];
    assert!(left.contains("<li>5.4 "), "the attachments are left for the form: {left}");
    assert_eq!(left.matches("<li>").count(), 1, "nothing else is left: {left}");
}

async fn the_s13_text_draft_carries_every_question_in_order_and_demands_4_5(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    let token = app.add_user_with_token("dpo@acme.example", Role::Dpo, Some("acme")).await;
    let id = s13(&app, &token).await;

    let response = app.get(&format!("/api/v1/incidents/{id}/ap-report.txt"), &token).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let text = response.text().await.unwrap();
    assert!(text.starts_with("CONCEPT — niet ingediend bij de AP"), "{text}");
    let mut position = 0;
    for chapter in FORM {
        for question in chapter.questions {
            if question.number.is_empty() {
                continue;
            }
            let block = format!("\n{} ", question.number);
            let found = text[position..]
                .find(&block)
                .unwrap_or_else(|| panic!("question {} missing or out of order", question.number));
            position += found + block.len();
        }
    }
    let missing = text.split("Ontbreekt (verplicht):").nth(1).expect("a list of what is missing");
    assert!(missing.trim_start().starts_with("- 4.5 "), "4.5 is demanded first: {missing}");
    let block = &text[text.find("\n4.5 ").unwrap()..];
    assert!(block.lines().nth(2).unwrap().contains("[ONTBREEKT]"), "{block}");

    let draft = json(app.get(&format!("/api/v1/incidents/{id}/ap-report"), &token).await).await;
    assert_eq!(draft["late"], true);
    assert_eq!(draft["kind"], "initial");
    assert!(draft["missing"][0].as_str().unwrap().starts_with("4.5"));
    let answers: Vec<&serde_json::Value> =
        draft["chapters"].as_array().unwrap().iter().flat_map(|c| c["answers"].as_array().unwrap()).collect();
    let a33 = answers.iter().find(|a| a["number"] == "3.3").unwrap();
    assert!(a33["value"].as_str().unwrap().contains("GX Software"), "GX is named as processor: {a33}");
    let a73 = answers.iter().find(|a| a["number"] == "7.3").unwrap();
    assert_eq!(a73["provenance"], "recorded");
    let a93 = answers.iter().find(|a| a["number"] == "9.3").unwrap();
    assert!(a93["value"].as_str().unwrap().contains("beperkt"), "9.3 from the Medium band: {a93}");

    let english =
        app.get(&format!("/api/v1/incidents/{id}/ap-report.txt?lang=en"), &token).await.text().await.unwrap();
    assert!(english.contains("DRAFT — not submitted to the AP"));
    assert_eq!(
        app.get(&format!("/api/v1/incidents/{id}/ap-report?lang=fr"), &token).await.status(),
        StatusCode::BAD_REQUEST
    );

    let pdf = app.get(&format!("/api/v1/incidents/{id}/ap-report.pdf"), &token).await;
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    let document = lopdf::Document::load_mem(&bytes).expect("the PDF opens with a PDF parser");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let text = document.extract_text(&pages).unwrap();
    assert!(text.contains("ACME-2026-0001"), "the reference is in the PDF");
    assert!(text.contains("CONCEPT — niet ingediend bij de AP"), "the header is in the PDF");

    // Notified late with reasons: 4.5 is answered and the draft is complete.
    app.event_ok(&token, &id, json!({"type": "notify_ap", "ap_reference": "AP-13", "preliminary": false, "delay_reason": "Scope established late by an external party"})).await;
    let after = json(app.get(&format!("/api/v1/incidents/{id}/ap-report"), &token).await).await;
    assert!(!after["missing"].as_array().unwrap().iter().any(|m| m.as_str().unwrap().starts_with("4.5")));
}

async fn the_draft_page_and_the_register_page(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    app.add_client("beta").await;
    let token = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    app.add_user_with_password("dpo@acme.example", Role::Dpo, Some("acme"), PASSWORD).await;
    app.add_user_with_password("staff@gx.example", Role::Reporter, None, PASSWORD).await;
    let id = s13(&app, &token).await;
    app.report(&token, "beta", json!({"title": "Beta's own incident"})).await;

    let dpo = app.login("dpo@acme.example", PASSWORD).await;
    let page = dpo.get(app.url(&format!("/incidents/{id}/ap-report"))).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("CONCEPT — niet ingediend bij de AP"));
    assert!(html.matches("data-copy=").count() > 20, "a copy button per answer");
    assert!(html.contains("id=\"answer-4.5\"") || html.contains("4.5 Indien later dan 72 uur gemeld"));
    let text = dpo.get(app.url(&format!("/incidents/{id}/ap-report.txt"))).send().await.unwrap();
    assert_eq!(text.status(), StatusCode::OK);
    assert!(text.headers()["content-disposition"].to_str().unwrap().contains("ACME-2026-0001-ap-draft.txt"));

    let incident_page =
        dpo.get(app.url(&format!("/incidents/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(incident_page.contains("Beantwoord"), "completeness on the incident page");
    let dashboard = dpo.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(dashboard.contains(&format!("/incidents/{id}/ap-report\">")), "completeness on the dashboard");

    let register = dpo.get(app.url("/register")).send().await.unwrap().text().await.unwrap();
    assert!(
        register.contains("ACME-2026-0001") && !register.contains("Beta&#39;s own incident"),
        "its own client only"
    );
    let csv = dpo.get(app.url("/register.csv")).send().await.unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    let body = csv.bytes().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_ref());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    let export =
        dpo.get(app.url("/register.json")).send().await.unwrap().json::<serde_json::Value>().await.unwrap();
    assert_eq!(export["entries"].as_array().unwrap().len(), 1);
    assert!(export["chain_head"]["seq"].as_i64().unwrap() > 0);
    let timeline_types: Vec<String> = app
        .db
        .run(|c| {
            use art33::storage::schema::audit_events::dsl::*;
            use diesel::prelude::*;
            Ok::<_, art33::storage::StorageError>(
                audit_events.filter(event_type.eq("register.export")).select(actor).load::<String>(c)?,
            )
        })
        .await
        .unwrap();
    assert_eq!(timeline_types, ["dpo@acme.example", "dpo@acme.example"], "every download is audited");

    let staff = app.login("staff@gx.example", PASSWORD).await;
    assert_eq!(staff.get(app.url("/register")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
}

/// A high-risk breach (S04's facts): GX knew on Tuesday 20 October, the client from Thursday 22
/// October. The letters to data subjects come with the draft in JSON, text and PDF, in Dutch (the
/// client's language) and English, dated from the client's awareness (issue 18, item 10).
async fn the_letters_to_data_subjects_come_in_json_text_and_pdf(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    app.add_client("acme").await;
    let token = app.add_user_with_token("dpo@acme.example", Role::Dpo, Some("acme")).await;
    app.set_now("2026-10-22T13:00:00Z");
    let id = app
        .report(
            &token,
            "acme",
            json!({
                "title": "Member administration on a leak site",
                "summary": "Ransomware encrypted the member administration; an export appeared on a leak site.",
                "discovered_at": "2026-10-20T08:00:00Z",
                "incident_kind": "hacking_malware",
                "nature": ["read", "copied"],
                "data_categories": ["name_address", "financial"],
                "subject_groups": ["members"],
            }),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.event_ok(&token, &id, json!({"type": "confirm", "processor_aware_at": "2026-10-20T08:00:00Z", "controller_aware_at": "2026-10-22T12:30:00Z"})).await;
    let report = format!("/api/v1/incidents/{id}/ap-report");
    let before = json(app.get(&report, &token).await).await;
    assert_eq!(before["subject_letters"], json!([]), "no letter before a high risk is established");

    app.event_ok(&token, &id, json!({
        "type": "assess", "dpc": 4, "ease_of_identification": "maximum", "confidentiality": 2, "integrity": 0,
        "availability": 1, "malicious": true, "unintelligible": false, "vulnerable_subjects": true,
        "rationale": "Financial data, published"
    })).await;
    let draft = json(app.get(&report, &token).await).await;
    assert_eq!(draft["kind"], "initial", "the draft's fields are kept");
    let letters = draft["subject_letters"].as_array().expect("subject_letters");
    let locales: Vec<&str> = letters.iter().map(|l| l["locale"].as_str().unwrap()).collect();
    assert_eq!(locales, ["nl", "en"], "the client's language first");
    let (nl, en) = (&letters[0], &letters[1]);
    assert_eq!(nl["subject"], "Datalek bij acme BV: uw persoonsgegevens zijn betrokken");
    assert_eq!(en["subject"], "Data breach at acme BV: your personal data are involved");
    let nl_body = nl["body"].as_str().unwrap();
    assert!(nl_body.contains("Op 22 oktober 2026 hebben wij ontdekt dat"), "{nl_body}");
    assert!(!nl_body.contains("20 oktober"), "not GX's discovery: {nl_body}");
    assert!(en["body"].as_str().unwrap().contains("On 22 October 2026 we discovered that"));
    let english = json(app.get(&format!("{report}?lang=en"), &token).await).await;
    assert_eq!(english["subject_letters"], draft["subject_letters"], "the letters do not follow ?lang");

    let text = app.get(&format!("{report}.txt"), &token).await.text().await.unwrap();
    assert!(text.starts_with("CONCEPT — niet ingediend bij de AP"), "{text}");
    assert!(text.contains("== Concept van de brief aan betrokkenen (art. 34) — Nederlands =="), "{text}");
    assert!(text.contains("== Concept van de brief aan betrokkenen (art. 34) — Engels =="), "{text}");
    assert!(
        text.contains("Onderwerp: Datalek bij acme BV") && text.contains("Subject: Data breach at acme BV")
    );
    assert!(text.contains(nl_body.trim_end()) && text.contains(en["body"].as_str().unwrap().trim_end()));

    let pdf = app.get(&format!("{report}.pdf"), &token).await;
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let document = lopdf::Document::load_mem(&bytes).expect("the PDF opens with a PDF parser");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let pdf_text = document.extract_text(&pages).unwrap();
    for needle in
        ["Datalek bij acme BV", "Data breach at acme BV", "Op 22 oktober 2026", "On 22 October 2026"]
    {
        assert!(pdf_text.contains(needle), "{needle} in the PDF");
    }

    // The page shows both letters, and its text download carries them too.
    app.add_user_with_password("dpo2@acme.example", Role::Dpo, Some("acme"), PASSWORD).await;
    let dpo = app.login("dpo2@acme.example", PASSWORD).await;
    let page =
        dpo.get(app.url(&format!("/incidents/{id}/ap-report"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"letter-body-nl\"") && page.contains("id=\"letter-body-en\""), "{page}");
    let download = dpo
        .get(app.url(&format!("/incidents/{id}/ap-report.txt")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(download.contains("Subject: Data breach at acme BV"), "{download}");
}
