//! Forms that explain themselves and the small pages (#19): the error summary names fields by their
//! label in the page's language, the page title says "Fout:"/"Error:", the field is marked and
//! described; a reporter is not told there is nothing to change above a form to add details; the
//! acknowledgement pages speak one language; the admin edits clients and users. Both backends.

use art33::domain::locale::Locale;
use art33::domain::tenant::Role;
use art33::storage::directory::{self, NewClient};
use art33::storage::{StorageError, ack};
use reqwest::StatusCode;
use serde_json::json;

use crate::on_both_backends;
use crate::support::{Backend, TestApp, csrf_of};

const PASSWORD: &str = "correct horse battery staple";

async fn world(backend: &Backend) -> TestApp {
    let app = TestApp::spawn(backend).await;
    app.add_client("acme").await;
    app.add_user_with_password("admin@gx.example", Role::Admin, None, PASSWORD).await;
    app.add_user_with_password("staff@gx.example", Role::Reporter, None, PASSWORD).await;
    app.add_user_with_password("officer@gx.example", Role::Officer, None, PASSWORD).await;
    app
}

async fn text(response: reqwest::Response) -> String {
    response.text().await.unwrap()
}

/// The text of the `<title>` element.
fn title(html: &str) -> &str {
    let start = html.find("<title>").unwrap() + "<title>".len();
    &html[start..start + html[start..].find("</title>").unwrap()]
}

/// The opening tag of the element with `id`.
fn tag<'h>(html: &'h str, id: &str) -> &'h str {
    let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id}"));
    let start = html[..at].rfind('<').unwrap();
    &html[start..at + html[at..].find('>').unwrap() + 1]
}

on_both_backends!(
    an_empty_report_names_its_fields_by_label_in_a_summary_that_takes_focus,
    a_reporter_is_offered_to_add_details_not_told_nothing_can_change,
    acknowledgement_pages_speak_one_language_and_a_used_link_says_when,
    the_admin_edits_clients_and_users_and_every_change_is_audited,
    an_admin_mails_a_one_time_link_and_the_user_chooses_a_new_password,
);

async fn an_empty_report_names_its_fields_by_label_in_a_summary_that_takes_focus(backend: Backend) {
    let app = world(&backend).await;
    let browser = app.login("staff@gx.example", PASSWORD).await;
    let form = text(browser.get(app.url("/report")).send().await.unwrap()).await;
    assert!(!form.contains("Fout:"), "no error before sending");
    let csrf = csrf_of(&form);
    let bad = browser
        .post(app.url("/report"))
        .form(&[("csrf", csrf.as_str()), ("client", "acme"), ("title", ""), ("summary", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(bad).await;
    assert!(title(&page).starts_with("Fout: "), "{}", title(&page));
    let summary = tag(&page, "error-summary");
    assert!(summary.contains("tabindex=\"-1\"") && summary.contains("autofocus"), "{summary}");
    assert!(page.contains("<a href=\"#title\">Vul „Korte omschrijving” in.</a>"), "named by its label");
    assert!(!page.contains("is required") && !page.contains("title:"), "never the key or the parser's words");
    let input = tag(&page, "title");
    assert!(input.contains("aria-invalid=\"true\"") && input.contains("aria-describedby=\"title-error\""));
    assert!(tag(&page, "title-error").starts_with("<span class=\"field-error\""));

    // The same in English.
    browser.get(app.url("/report?lang=en")).send().await.unwrap();
    let english = text(
        browser
            .post(app.url("/report"))
            .form(&[("csrf", csrf.as_str()), ("client", "acme"), ("title", ""), ("summary", "")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(title(&english).starts_with("Error: "), "{}", title(&english));
    assert!(english.contains("Fill in “Short description”."));

    // Personal data marks its field and says which kind, and where; never the data in the summary.
    let pii = text(
        browser
            .post(app.url("/report"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("client", "acme"),
                ("title", "Mail to the wrong person"),
                ("summary", "The payslip of jan.jansen@example.nl went out"),
            ])
            .send()
            .await
            .unwrap(),
    )
    .await;
    let summary_input = tag(&pii, "summary");
    assert!(summary_input.contains("aria-invalid=\"true\"") && summary_input.contains("summary-error"));
    let start = pii.find("id=\"error-summary\"").unwrap();
    let list = &pii[start..start + pii[start..].find("</div>").unwrap()];
    assert!(list.contains("e-mail address") && list.contains("What happened"), "{list}");
    assert!(!list.contains("jan.jansen"), "the summary never repeats the data");

    // Login: a refused login comes back with the summary and the title.
    let (_, refused) = app.try_login("staff@gx.example", "wrong password, really").await;
    let refused = text(refused).await;
    assert!(title(&refused).starts_with("Fout: "), "{}", title(&refused));
    assert!(refused.contains("<a href=\"#email\">Onbekend e-mailadres of onjuist wachtwoord.</a>"));
    assert!(tag(&refused, "email").contains("aria-describedby=\"email-error\""));
}

async fn a_reporter_is_offered_to_add_details_not_told_nothing_can_change(backend: Backend) {
    let app = world(&backend).await;
    let browser = app.login("staff@gx.example", PASSWORD).await;
    let form = text(browser.get(app.url("/report")).send().await.unwrap()).await;
    let sent = browser
        .post(app.url("/report"))
        .form(&[
            ("csrf", csrf_of(&form).as_str()),
            ("client", "acme"),
            ("title", "Laptop stolen"),
            ("summary", "From a car."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let id = sent.headers()["location"].to_str().unwrap().trim_start_matches("/report/received/").to_string();
    let page = text(browser.get(app.url(&format!("/incidents/{id}"))).send().await.unwrap()).await;
    assert!(page.contains("Gegevens aanvullen"), "the reporter may add details");
    assert!(!page.contains("U kunt hier nu niets aan veranderen."), "not told that nothing can change");

    // Once triaged the reporter can change nothing, and is told so.
    let officer = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    app.event_ok(&officer, &id, json!({"type": "dismiss", "reason": "not personal data"})).await;
    let page = text(browser.get(app.url(&format!("/incidents/{id}"))).send().await.unwrap()).await;
    assert!(page.contains("U kunt hier nu niets aan veranderen."));
}

/// A signed link for the DPO of `slug` on `incident`, stored as an alert mail would.
async fn ack_link(app: &TestApp, incident: &str, client_id: &str, slug: &str) -> String {
    let key = app.settings.server.secret_key.expose().clone();
    let (incident, client_id, dpo) =
        (incident.to_string(), client_id.to_string(), format!("dpo@{slug}.example"));
    let now = app.now();
    let (pending, token) = ack::prepare(&key, &incident, &client_id, &dpo, now);
    app.db.run(move |conn| ack::store(conn, &[pending])).await.unwrap();
    format!("/ack/{token}")
}

async fn acknowledgement_pages_speak_one_language_and_a_used_link_says_when(backend: Backend) {
    let app = world(&backend).await;
    let beta = app.add_client("beta").await;
    // beta writes English: its pages are English, whatever the browser says.
    let english = NewClient::validated("beta", "beta BV", "dpo@beta.example", None, &[], Locale::En).unwrap();
    let now = app.now();
    app.db.run(move |c| directory::update_client(c, "test", &english, now)).await.unwrap();
    let acme = app.db.run(|c| directory::client_by_slug(c, "acme")).await.unwrap().unwrap();
    let token = app.add_user_with_token("robot@gx.example", Role::Officer, None).await;
    let mut links = Vec::new();
    for (client, slug) in [(&acme, "acme"), (&beta, "beta")] {
        let id = app.report(&token, slug, json!({})).await["id"].as_str().unwrap().to_string();
        app.event_ok(&token, &id, json!({"type": "confirm"})).await;
        links.push(ack_link(&app, &id, &client.id.0, slug).await);
    }
    let dutch_browser = |path: &str| app.http.get(app.url(path)).header("Accept-Language", "nl-NL,nl;q=0.9");

    let confirm = text(dutch_browser(&links[1]).send().await.unwrap()).await;
    assert!(confirm.contains("<html lang=\"en\">") && confirm.contains("Acknowledge receipt"), "{confirm}");
    assert!(!confirm.contains("Ontvangst"), "no Dutch on an English client's page");

    app.set_now("2026-10-22T12:30:00Z");
    for link in &links {
        let done = app.http.post(app.url(link)).send().await.unwrap();
        assert_eq!(done.status(), StatusCode::OK);
    }
    // Reused: says plainly when, in Amsterdam time, and asks nothing again.
    let again = dutch_browser(&links[1]).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::GONE);
    let again = text(again).await;
    assert!(again.contains("Receipt was already acknowledged on Thu 22 Oct 2026 14:30 CEST"), "{again}");
    assert!(!again.contains("<form"), "nothing is asked again");
    assert!(!again.contains("Ontvangst") && again.contains("<html lang=\"en\">"));
    let nl =
        text(app.http.post(app.url(&links[0])).header("Accept-Language", "en").send().await.unwrap()).await;
    assert!(nl.contains("De ontvangst is al bevestigd op do 22 okt 2026 14:30 CEST"), "{nl}");
    assert!(nl.contains("<html lang=\"nl\">") && !nl.contains("Receipt"));

    // A malformed link speaks the browser's language.
    let malformed = app.http.get(app.url("/ack/not-a-token")).header("Accept-Language", "en-GB,en;q=0.8");
    let malformed = malformed.send().await.unwrap();
    assert_eq!(malformed.status(), StatusCode::NOT_FOUND);
    let malformed = text(malformed).await;
    assert!(
        malformed.contains("This link is unknown or not valid.") && malformed.contains("<html lang=\"en\">")
    );
    let dutch = text(dutch_browser("/ack/x.y").send().await.unwrap()).await;
    assert!(dutch.contains("Deze link is onbekend of ongeldig.") && dutch.contains("<html lang=\"nl\">"));
}

async fn audit_types(app: &TestApp) -> Vec<String> {
    app.db
        .run(|conn| {
            use art33::storage::schema::audit_events::dsl::*;
            use diesel::prelude::*;
            Ok::<_, StorageError>(audit_events.select(event_type).order(seq.asc()).load::<String>(conn)?)
        })
        .await
        .unwrap()
}

async fn the_admin_edits_clients_and_users_and_every_change_is_audited(backend: Backend) {
    let app = world(&backend).await;
    let admin = app.login("admin@gx.example", PASSWORD).await;
    let page = text(admin.get(app.url("/admin")).send().await.unwrap()).await;
    assert!(page.contains("security@acme.example"), "escalation addresses are shown");
    assert!(page.contains("Ingetrokken op"), "the tokens' column says when they were revoked");
    let csrf = csrf_of(&page);

    // A client: its name, DPO and escalation addresses.
    let edited = admin
        .post(app.url("/admin/clients/acme"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "Acme Holding BV"),
            ("dpo_email", "privacy@acme.example"),
            ("dpo_name", "P. Rivacy"),
            ("escalation_emails", "ciso@acme.example\nlegal@acme.example"),
            ("locale", "en"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    let acme = app.db.run(|c| directory::client_by_slug(c, "acme")).await.unwrap().unwrap();
    assert_eq!((acme.name.as_str(), acme.dpo_email.as_str()), ("Acme Holding BV", "privacy@acme.example"));
    assert_eq!(acme.escalation_emails, ["ciso@acme.example", "legal@acme.example"]);
    assert_eq!((acme.dpo_name.as_deref(), acme.locale), (Some("P. Rivacy"), Locale::En));
    let page = text(admin.get(app.url("/admin")).send().await.unwrap()).await;
    assert!(page.contains("legal@acme.example") && page.contains("P. Rivacy"));

    // A bad address comes back in that client's form, named by its label.
    let bad = admin
        .post(app.url("/admin/clients/acme"))
        .form(&[("csrf", csrf.as_str()), ("name", "Acme"), ("dpo_email", "not an address"), ("locale", "nl")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad = text(bad).await;
    assert!(title(&bad).starts_with("Fout: "));
    assert!(
        bad.contains("<a href=\"#client-acme-dpo_email\">„E-mailadres FG” is geen geldig e-mailadres.</a>"),
        "{bad}"
    );
    assert!(tag(&bad, "client-acme-dpo_email").contains("aria-describedby=\"client-acme-dpo_email-error\""));

    // A user: deactivated, then the login is refused.
    let staff = app.db.run(|c| directory::user_by_email(c, "staff@gx.example")).await.unwrap().unwrap();
    let path = format!("/admin/users/{}", staff.id.0);
    let no_csrf = admin.post(app.url(&path)).form(&[("role", "reporter")]).send().await.unwrap();
    assert_eq!(no_csrf.status(), StatusCode::FORBIDDEN, "CSRF is kept");
    let deactivated = admin
        .post(app.url(&path))
        .form(&[("csrf", csrf.as_str()), ("name", "Sam Staff"), ("role", "reporter"), ("client", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(deactivated.status(), StatusCode::SEE_OTHER);
    let (_, refused) = app.try_login("staff@gx.example", PASSWORD).await;
    assert_ne!(refused.status(), StatusCode::SEE_OTHER, "a deactivated user cannot log in");
    let page = text(admin.get(app.url("/admin")).send().await.unwrap()).await;
    assert!(page.contains("Sam Staff") && page.contains("gedeactiveerd"));
    let again = admin
        .post(app.url(&path))
        .form(&[("csrf", csrf.as_str()), ("role", "dpo"), ("client", "acme"), ("active", "on")])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    let user = app.db.run(|c| directory::user_by_email(c, "staff@gx.example")).await.unwrap().unwrap();
    assert!(user.active && user.role == Role::Dpo && user.client_id == Some(acme.id.clone()));

    // An admin does not lock themself out.
    let me = app.db.run(|c| directory::user_by_email(c, "admin@gx.example")).await.unwrap().unwrap();
    let locked_out = admin
        .post(app.url(&format!("/admin/users/{}", me.id.0)))
        .form(&[("csrf", csrf.as_str()), ("role", "admin"), ("client", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(locked_out.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let types = audit_types(&app).await;
    for kind in ["client.change", "user.change", "user.deactivate", "user.activate"] {
        assert!(types.iter().any(|t| t == kind), "{kind} audited: {types:?}");
    }
    assert_eq!(types.iter().filter(|t| *t == "client.change").count(), 1, "a refused edit is not recorded");
}

/// The path of the reset link in a mail's text (`…/reset/SECRET`).
fn reset_path(body: &str) -> String {
    let at = body.find("/reset/").unwrap_or_else(|| panic!("no reset link in {body}"));
    body[at..].split_whitespace().next().unwrap().to_string()
}

async fn an_admin_mails_a_one_time_link_and_the_user_chooses_a_new_password(backend: Backend) {
    let smtp = crate::support::smtp::SmtpServer::start().await;
    let app = TestApp::spawn_with_smtp(&backend, &smtp).await;
    app.add_user_with_password("admin@gx.example", Role::Admin, None, PASSWORD).await;
    app.add_user_with_password("staff@gx.example", Role::Reporter, None, PASSWORD).await;
    app.add_user_with_password("officer@gx.example", Role::Officer, None, PASSWORD).await;
    let staff = app.db.run(|c| directory::user_by_email(c, "staff@gx.example")).await.unwrap().unwrap();
    let send_path = format!("/admin/users/{}/reset", staff.id.0);
    let staff_session = app.login("staff@gx.example", PASSWORD).await;

    // Only an admin sends a link, with the session's CSRF token.
    let officer = app.login("officer@gx.example", PASSWORD).await;
    let officer_csrf = csrf_of(&text(officer.get(app.url("/")).send().await.unwrap()).await);
    let refused =
        officer.post(app.url(&send_path)).form(&[("csrf", officer_csrf.as_str())]).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let admin = app.login("admin@gx.example", PASSWORD).await;
    let csrf = csrf_of(&text(admin.get(app.url("/admin")).send().await.unwrap()).await);
    let no_csrf = admin.post(app.url(&send_path)).form(&[("csrf", "forged")]).send().await.unwrap();
    assert_eq!(no_csrf.status(), StatusCode::FORBIDDEN);

    // Two links: only the newer one works.
    for _ in 0..2 {
        let sent = admin.post(app.url(&send_path)).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        let to = sent.headers()["location"].to_str().unwrap().to_string();
        let page = text(admin.get(app.url(&to)).send().await.unwrap()).await;
        assert!(page.contains("gemaild naar staff@gx.example"), "the admin is told where it went: {page}");
    }
    app.drain().await;
    let mails = smtp.wait_for(2, std::time::Duration::from_secs(10)).await;
    assert_eq!(mails.len(), 2, "one mail per link");
    for mail in &mails {
        assert!(mail.header("To").unwrap_or_default().contains("staff@gx.example"));
        assert_eq!(mail.subject(), "Kies een nieuw wachtwoord voor art33");
        assert!(mail.text_body().contains("admin@gx.example"), "the mail says who sent it");
        assert!(!mail.text_body().contains(PASSWORD));
    }
    // The two mails are sent at once and may arrive in either order: the older link is the one
    // refused (and if neither is, the assertion below fails on the second).
    let paths = [reset_path(&mails[0].text_body()), reset_path(&mails[1].text_body())];
    assert_ne!(paths[0], paths[1]);
    let first = app.browser().get(app.url(&paths[0])).send().await.unwrap().status();
    let [a, b] = paths;
    let (old_link, link) = if first == StatusCode::NOT_FOUND { (a, b) } else { (b, a) };
    let replaced = app.browser().get(app.url(&old_link)).send().await.unwrap();
    assert_eq!(replaced.status(), StatusCode::NOT_FOUND, "a newer link replaces the older");
    assert!(text(replaced).await.contains("nieuwere link"));

    // The form: in the user's language, never cached, no referrer (the link is a secret).
    let user = app.browser();
    let form = user.get(app.url(&link)).send().await.unwrap();
    assert_eq!(form.status(), StatusCode::OK);
    assert_eq!(form.headers()["referrer-policy"], "no-referrer");
    assert_eq!(form.headers()["cache-control"], "no-store");
    let form = text(form).await;
    assert!(form.contains("Kies een nieuw wachtwoord voor staff@gx.example"), "{form}");
    let form_csrf = csrf_of(&form);
    let forged = app
        .browser()
        .post(app.url(&link))
        .form(&[("csrf", form_csrf.as_str()), ("password", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "the form's CSRF cookie is required");

    // A weak password is refused in words, at the field; the link still works after it.
    let weak = user
        .post(app.url(&link))
        .form(&[("csrf", form_csrf.as_str()), ("password", "wachtwoord1234")])
        .send()
        .await
        .unwrap();
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let weak = text(weak).await;
    assert!(title(&weak).starts_with("Fout: "), "{}", title(&weak));
    assert!(weak.contains("<a href=\"#password\">"), "the summary points at the field: {weak}");
    assert!(tag(&weak, "password").contains("aria-invalid=\"true\""));

    // The same link open in a second tab, before the first one saves.
    let second_tab = app.browser();
    let second_csrf = csrf_of(&text(second_tab.get(app.url(&link)).send().await.unwrap()).await);
    const NEW: &str = "a brand new tulip in the dune";
    let saved = user
        .post(app.url(&link))
        .form(&[("csrf", form_csrf.as_str()), ("password", NEW)])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
    assert!(text(saved).await.contains("Uw wachtwoord is gewijzigd"));

    // The old password and every old session end; the new password works.
    let ended = staff_session.get(app.url("/")).send().await.unwrap();
    assert_eq!(ended.status(), StatusCode::SEE_OTHER, "the sessions of the old password ended");
    let (_, old) = app.try_login("staff@gx.example", PASSWORD).await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    app.login("staff@gx.example", NEW).await;

    // The link worked once.
    let reused = app.browser().get(app.url(&link)).send().await.unwrap();
    assert_eq!(reused.status(), StatusCode::GONE);
    assert!(text(reused).await.contains("al gebruikt"));
    let form = user.get(app.url(&link)).send().await.unwrap();
    assert_eq!(form.status(), StatusCode::GONE);
    let again = second_tab
        .post(app.url(&link))
        .form(&[("csrf", second_csrf.as_str()), ("password", "another fine tulip 77")])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::GONE, "a used link sets no password");
    app.login("staff@gx.example", NEW).await;

    // A link expires after a day.
    let sent = admin.post(app.url(&send_path)).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    app.drain().await;
    let mails = smtp.wait_for(3, std::time::Duration::from_secs(10)).await;
    let late = reset_path(&mails[2].text_body());
    app.clock.set(app.now() + chrono::Duration::hours(25));
    let expired = app.browser().get(app.url(&late)).send().await.unwrap();
    assert_eq!(expired.status(), StatusCode::GONE);
    assert!(text(expired).await.contains("verlopen"));

    let types = audit_types(&app).await;
    assert_eq!(types.iter().filter(|t| *t == "user.reset_sent").count(), 3, "{types:?}");
    assert_eq!(types.iter().filter(|t| *t == "user.reset").count(), 1, "{types:?}");
}
