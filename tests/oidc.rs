//! Single sign-on with OpenID Connect against a real provider (`oidc-provider`, started per test by
//! `support::oidc`): the role mapping, accounts made at first login, and every refusal (a wrong
//! `state`, a replayed code, a token for another audience, an expired token, an address outside
//! the allowed domains or not verified, an unknown user); a rotated signing key; with
//! `auth.password_login = false` the password form is gone except for the break-glass admin;
//! `art33 oidc status`.

use art33::domain::tenant::Role;
use art33::storage::directory;
use reqwest::StatusCode;

use crate::on_both_backends;
use crate::support::oidc::SsoApp;
use crate::support::{Backend, TestApp, csrf_of};

on_both_backends!(
    users_log_in_with_the_role_their_groups_give_and_land_on_the_dashboard,
    unknown_users_are_refused_unless_accounts_are_made_at_first_login,
    addresses_outside_the_allowed_domains_or_unverified_are_refused,
    a_wrong_state_and_a_replayed_code_are_refused,
    without_password_login_only_the_break_glass_admin_uses_a_password,
);

async fn user(app: &TestApp, email: &str) -> Option<art33::domain::directory::User> {
    let email = email.to_string();
    app.db.run(move |c| directory::user_by_email(c, &email)).await.unwrap()
}

/// `(actor, detail)` of every audit event of type `kind`, in order.
async fn audit_of(app: &TestApp, kind: &'static str) -> Vec<(String, serde_json::Value)> {
    app.db
        .run(move |conn| {
            use art33::storage::schema::audit_events::dsl::*;
            use diesel::prelude::*;
            let rows: Vec<(String, String)> = audit_events
                .filter(event_type.eq(kind))
                .order((at.asc(), seq.asc()))
                .select((actor, detail))
                .load(conn)?;
            Ok::<_, art33::storage::StorageError>(
                rows.into_iter().map(|(a, d)| (a, serde_json::from_str(&d).unwrap())).collect(),
            )
        })
        .await
        .unwrap()
}

/// The body of a refused login, asserting its status and that no session was started.
async fn refused(
    sso: &SsoApp,
    browser: &reqwest::Client,
    answer: reqwest::Response,
    status: StatusCode,
) -> String {
    assert_eq!(answer.status(), status);
    let page = answer.text().await.unwrap();
    let dashboard = browser.get(sso.app.url("/")).send().await.unwrap();
    assert_eq!(dashboard.status(), StatusCode::SEE_OTHER, "no session after a refused login");
    page
}

async fn users_log_in_with_the_role_their_groups_give_and_land_on_the_dashboard(backend: Backend) {
    let Some(sso) = SsoApp::spawn(&backend, &[], None).await else { return };
    let app = &sso.app;
    // Olivia was made a reporter by an admin; her groups make her an officer.
    app.add_user_with_password("olivia@example.test", Role::Reporter, None, "olivia's long passphrase").await;
    app.add_user_with_password("rob@example.test", Role::Reporter, None, "rob's long passphrase 12").await;

    let (browser, answer) = sso.login("olivia").await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(answer.headers()["location"], "/");
    let cookies: Vec<String> =
        answer.headers().get_all("set-cookie").iter().map(|c| c.to_str().unwrap().to_string()).collect();
    let session = cookies.iter().find(|c| c.starts_with("art33_session=")).expect("a session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Path=/"),
        "{session}"
    );
    assert!(
        cookies.iter().any(|c| c.starts_with("art33_oidc_flow_") && c.contains("=;")),
        "the flow cookie is removed: {cookies:?}"
    );
    let dashboard = browser.get(app.url("/")).send().await.unwrap();
    assert_eq!(dashboard.status(), StatusCode::OK);
    assert!(dashboard.text().await.unwrap().contains("olivia@example.test"));
    assert_eq!(user(app, "olivia@example.test").await.unwrap().role, Role::Officer);

    // Rob's address differs in case at the provider; his groups map to nothing: he stays a reporter.
    let (_, answer) = sso.login("rob").await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(user(app, "rob@example.test").await.unwrap().role, Role::Reporter);

    // Each login is in the audit trail with the issuer and the subject, never a token; the role
    // change is a user.change by single sign-on.
    let logins = audit_of(app, "login.oidc").await;
    assert_eq!(logins.len(), 2);
    let (actor, detail) = &logins[0];
    assert_eq!(actor, "olivia@example.test");
    assert_eq!(detail["issuer"], sso.provider.issuer.as_str());
    assert_eq!(detail["subject"], "olivia");
    assert_eq!(logins[1].1["subject"], "rob");
    for (_, detail) in &logins {
        let text = detail.to_string();
        assert!(!text.contains("eyJ") && !text.contains("token"), "no token in the audit trail: {text}");
    }
    let changes = audit_of(app, "user.change").await;
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].0, "sso");
    assert_eq!(changes[0].1["role"], "officer");
}

async fn unknown_users_are_refused_unless_accounts_are_made_at_first_login(backend: Backend) {
    let Some(sso) = SsoApp::spawn(&backend, &[], None).await else { return };
    let (browser, answer) = sso.login("nina").await;
    let page = refused(&sso, &browser, answer, StatusCode::FORBIDDEN).await;
    assert!(
        page.contains("There is no account for your e-mail address") || page.contains("Er is geen account"),
        "{page}"
    );
    assert!(user(&sso.app, "nina@example.test").await.is_none());
    drop(sso);

    let Some(sso) = SsoApp::spawn(&backend, &[("ART33__AUTH__OIDC__CREATE_USERS", "true")], None).await
    else {
        return;
    };
    let app = &sso.app;
    let (browser, answer) = sso.login("nina").await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(browser.get(app.url("/")).send().await.unwrap().status(), StatusCode::OK);
    let nina = user(app, "nina@example.test").await.expect("made at the first login");
    assert_eq!((nina.role, nina.name, nina.client_id), (Role::Reporter, None, None));
    // Several mapped groups: the highest role wins.
    let (_, answer) = sso.login("ada").await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(user(app, "ada@example.test").await.unwrap().role, Role::Admin);
    let added = audit_of(app, "user.add").await;
    assert_eq!(
        added.iter().map(|(a, d)| (a.as_str(), d["email"].as_str().unwrap())).collect::<Vec<_>>(),
        [("sso", "nina@example.test"), ("sso", "ada@example.test")]
    );
    assert_eq!(audit_of(app, "login.oidc").await.len(), 2);
    // The admin page shows the single sign-on status, the last discovery's success among it.
    let (admin, _) = sso.login("ada").await;
    let page = admin.get(app.url("/admin?lang=en")).send().await.unwrap().text().await.unwrap();
    let status = &page[page.find("id=\"sso-status\"").expect("the single sign-on section")..];
    assert!(
        status.contains(&sso.provider.issuer) && status.contains("privacy-officers → officer"),
        "{status}"
    );
    assert!(
        status.contains("succeeded at") && !status.contains(crate::support::oidc::CLIENT_SECRET),
        "{status}"
    );

    // A deactivated account is refused.
    let ada = user(app, "ada@example.test").await.unwrap();
    let change = directory::UserChange { name: None, role: Role::Admin, client_id: None, active: false };
    let now = app.now();
    app.db.run(move |c| directory::update_user(c, "test", &ada.id, &change, now)).await.unwrap();
    let (browser, answer) = sso.login("ada").await;
    let page = refused(&sso, &browser, answer, StatusCode::FORBIDDEN).await;
    assert!(page.contains("deactivated") || page.contains("gedeactiveerd"), "{page}");
}

async fn addresses_outside_the_allowed_domains_or_unverified_are_refused(backend: Backend) {
    let Some(sso) = SsoApp::spawn(&backend, &[("ART33__AUTH__OIDC__CREATE_USERS", "true")], None).await
    else {
        return;
    };
    let (browser, answer) = sso.login("mallory").await;
    let page = refused(&sso, &browser, answer, StatusCode::FORBIDDEN).await;
    assert!(page.contains("e-mail domain") || page.contains("e-maildomein"), "{page}");
    assert!(user(&sso.app, "mallory@elsewhere.test").await.is_none());

    let (browser, answer) = sso.login("ursula").await;
    let page = refused(&sso, &browser, answer, StatusCode::FORBIDDEN).await;
    assert!(page.contains("not confirmed your e-mail address") || page.contains("niet bevestigd"), "{page}");
    assert!(user(&sso.app, "ursula@example.test").await.is_none());
    assert!(audit_of(&sso.app, "login.oidc").await.is_empty());

    // Microsoft Entra ID's way of saying it: no email_verified, but xms_edov true.
    let (_, answer) = sso.login("erin").await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert!(user(&sso.app, "erin@example.test").await.is_some());
}

async fn a_wrong_state_and_a_replayed_code_are_refused(backend: Backend) {
    let Some(sso) = SsoApp::spawn(&backend, &[("ART33__AUTH__OIDC__CREATE_USERS", "true")], None).await
    else {
        return;
    };
    // A wrong state: the callback does not belong to the flow this browser started.
    let (browser, _) = sso.browser();
    let callback = sso.authorize(&browser, "olivia").await;
    let mut url = reqwest::Url::parse(&callback).unwrap();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.to_string(), if k == "state" { format!("{v}x") } else { v.to_string() }))
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    let answer = browser.get(url.as_str()).send().await.unwrap();
    let page = refused(&sso, &browser, answer, StatusCode::BAD_REQUEST).await;
    assert!(page.contains("could not be completed") || page.contains("niet worden afgerond"), "{page}");
    // Without the flow cookie (another browser) the right callback is refused too.
    let (stranger, _) = sso.browser();
    let answer = stranger.get(&callback).send().await.unwrap();
    refused(&sso, &stranger, answer, StatusCode::BAD_REQUEST).await;

    // The provider's own refusal (the user cancelled), with the right state.
    let (browser, _) = sso.browser();
    let start = browser.get(sso.app.url("/login/oidc?next=/")).send().await.unwrap();
    let location = reqwest::Url::parse(start.headers()["location"].to_str().unwrap()).unwrap();
    let state = location.query_pairs().find(|(k, _)| k == "state").unwrap().1.to_string();
    let mut cancelled = reqwest::Url::parse(&sso.app.url("/login/oidc/callback")).unwrap();
    cancelled.query_pairs_mut().append_pair("error", "access_denied").append_pair("state", &state);
    let answer = browser.get(cancelled.as_str()).send().await.unwrap();
    let page = refused(&sso, &browser, answer, StatusCode::UNAUTHORIZED).await;
    assert!(page.contains("did not log you in") || page.contains("heeft u niet ingelogd"), "{page}");

    // A replayed code: the same callback with the same flow cookie, a second time.
    let (browser, jar) = sso.browser();
    let callback = sso.authorize(&browser, "olivia").await;
    let (flow_name, flow) = sso.flow_cookie(&jar);
    let first = browser.get(&callback).send().await.unwrap();
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let (replayer, jar) = sso.browser();
    jar.add_cookie_str(&format!("{flow_name}={flow}; Path=/login/oidc"), &callback.parse().unwrap());
    let answer = replayer.get(&callback).send().await.unwrap();
    let page = refused(&sso, &replayer, answer, StatusCode::UNAUTHORIZED).await;
    assert!(page.contains("could not be verified") || page.contains("niet worden gecontroleerd"), "{page}");
    assert_eq!(audit_of(&sso.app, "login.oidc").await.len(), 1);

    // Two tabs of one browser start a flow each; the first one's callback still logs in (each
    // flow has its own cookie), and the second's too.
    let (browser, _) = sso.browser();
    let first = sso.authorize(&browser, "olivia").await;
    let second = sso.authorize(&browser, "olivia").await;
    assert_eq!(browser.get(&first).send().await.unwrap().status(), StatusCode::SEE_OTHER, "the first tab");
    assert_eq!(browser.get(&second).send().await.unwrap().status(), StatusCode::SEE_OTHER, "the second tab");
    assert_eq!(audit_of(&sso.app, "login.oidc").await.len(), 3);
}

async fn without_password_login_only_the_break_glass_admin_uses_a_password(backend: Backend) {
    let Some(sso) = SsoApp::spawn(&backend, &[("ART33__AUTH__PASSWORD_LOGIN", "false")], None).await else {
        return;
    };
    let app = &sso.app;
    app.add_user_with_password("olivia@example.test", Role::Officer, None, "olivia's long passphrase").await;
    app.add_user_with_password("root@example.test", Role::Admin, None, "the break-glass passphrase").await;
    let (browser, _) = sso.browser();
    let page = browser.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("name=\"password\""), "no password form: {page}");
    assert!(page.contains("href=\"/login/oidc?next=/\""), "the single sign-on link: {page}");

    // The break-glass form: the password form, for admins only.
    let post = |email: &'static str, password: &'static str, break_glass: bool| {
        let browser = browser.clone();
        let app_url = app.url("/login?break_glass=1");
        let post_url = app.url("/login");
        async move {
            let page = browser.get(app_url).send().await.unwrap().text().await.unwrap();
            assert!(page.contains("name=\"password\""), "{page}");
            let mut form =
                vec![("csrf", csrf_of(&page)), ("email", email.into()), ("password", password.into())];
            if break_glass {
                form.push(("break_glass", "1".into()));
            }
            browser.post(post_url).form(&form).send().await.unwrap()
        }
    };
    for break_glass in [false, true] {
        let answer = post("olivia@example.test", "olivia's long passphrase", break_glass).await;
        assert_eq!(answer.status(), StatusCode::FORBIDDEN);
        assert!(answer.text().await.unwrap().contains("single sign-on"));
    }
    assert_eq!(browser.get(app.url("/")).send().await.unwrap().status(), StatusCode::SEE_OTHER);
    let answer = post("root@example.test", "a wrong passphrase here", true).await;
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
    let answer = post("root@example.test", "the break-glass passphrase", true).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(browser.get(app.url("/")).send().await.unwrap().status(), StatusCode::OK);
    // Single sign-on still works for everyone.
    let (_, answer) = sso.login("olivia").await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
}

/// A token for another audience: the provider signs it properly, but for another client. (The
/// control: the same token re-signed unchanged logs in.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_token_for_another_audience_is_refused() {
    let create = [("ART33__AUTH__OIDC__CREATE_USERS", "true")];
    let Some(control) = SsoApp::spawn(&Backend::Sqlite, &create, Some("resign")).await else { return };
    let (_, answer) = control.login("olivia").await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER, "a re-signed token is valid");
    drop(control);
    let Some(sso) =
        SsoApp::spawn(&Backend::Sqlite, &[("ART33__AUTH__OIDC__CREATE_USERS", "true")], Some("audience"))
            .await
    else {
        return;
    };
    let (browser, answer) = sso.login("olivia").await;
    let page = refused(&sso, &browser, answer, StatusCode::UNAUTHORIZED).await;
    assert!(page.contains("could not be verified") || page.contains("niet worden gecontroleerd"), "{page}");
    assert!(user(&sso.app, "olivia@example.test").await.is_none());
}

/// An expired ID token: art33's clock is past the token's expiry (an hour after it was issued)
/// while the flow itself is fresh.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_id_token_is_refused() {
    let Some(sso) =
        SsoApp::spawn(&Backend::Sqlite, &[("ART33__AUTH__OIDC__CREATE_USERS", "true")], None).await
    else {
        return;
    };
    sso.app.clock.advance(chrono::Duration::minutes(65));
    let (browser, answer) = sso.login("olivia").await;
    let page = refused(&sso, &browser, answer, StatusCode::UNAUTHORIZED).await;
    assert!(page.contains("could not be verified") || page.contains("niet worden gecontroleerd"), "{page}");
    // At the right time the same provider logs the user in.
    sso.app.clock.set(chrono::Utc::now());
    let (_, answer) = sso.login("olivia").await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
}

/// The provider down: art33 runs, the login page still offers single sign-on, and starting it
/// says clearly that the provider does not answer (503), while the password form works.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_that_does_not_answer_stops_only_single_sign_on() {
    let port = crate::support::oidc::free_port();
    let issuer = format!("http://127.0.0.1:{port}");
    let app = TestApp::spawn_with(
        &Backend::Sqlite,
        &[
            ("ART33__AUTH__OIDC__ISSUER_URL", issuer.as_str()),
            ("ART33__AUTH__OIDC__CLIENT_ID", "art33"),
            ("ART33__AUTH__OIDC__CLIENT_SECRET", "a secret"),
            ("ART33__AUTH__OIDC__REDIRECT_URL", "http://127.0.0.1:1/login/oidc/callback"),
        ],
    )
    .await;
    let browser = app.browser();
    let answer = browser.get(app.url("/login/oidc?next=/")).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::SERVICE_UNAVAILABLE);
    let page = answer.text().await.unwrap();
    assert!(page.contains("does not answer") || page.contains("antwoordt niet"), "{page}");
    assert!(page.contains("name=\"password\""));
    app.add_user_with_password("a@example.test", Role::Admin, None, "a long enough passphrase").await;
    app.login("a@example.test", "a long enough passphrase").await;
}

/// `art33 oidc status`: the settings without the secret, and whether the discovery succeeds (exit
/// 1 when it does not); without single sign-on it says so.
#[test]
fn the_cli_prints_the_single_sign_on_status_without_the_secret() {
    use crate::support::cli::{run, stderr, stdout};
    use crate::support::oidc::{CLIENT_ID, CLIENT_SECRET, Provider, ROLE_MAP, free_port, provider_modules};
    let Some(modules) = provider_modules() else { return };
    let redirect = "http://127.0.0.1:8033/login/oidc/callback";
    let provider = Provider::start(&modules, redirect, None);
    let dir = tempfile::tempdir().unwrap();
    let env = |issuer: &str| {
        vec![
            ("ART33__AUTH__OIDC__ISSUER_URL".to_string(), issuer.to_string()),
            ("ART33__AUTH__OIDC__CLIENT_ID".to_string(), CLIENT_ID.to_string()),
            ("ART33__AUTH__OIDC__CLIENT_SECRET".to_string(), CLIENT_SECRET.to_string()),
            ("ART33__AUTH__OIDC__REDIRECT_URL".to_string(), redirect.to_string()),
            ("ART33__AUTH__OIDC__ROLE_MAP".to_string(), ROLE_MAP.to_string()),
            ("ART33__AUTH__PASSWORD_LOGIN".to_string(), "false".to_string()),
        ]
    };
    let status = |env: Vec<(String, String)>| {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        run(dir.path(), &["oidc", "status"], &env)
    };
    let ok = status(env(&provider.issuer));
    let out = stdout(&ok);
    assert_eq!(ok.status.code(), Some(0), "{out}{}", stderr(&ok));
    for expected in [
        format!("Issuer: {}", provider.issuer),
        format!("Client id: {CLIENT_ID}"),
        format!("Redirect URL: {redirect}"),
        "Role map: art33-admins → admin, privacy-officers → officer".to_string(),
        "Allowed e-mail domains: any".to_string(),
        "Password login: off, except the break-glass admin".to_string(),
        "Discovery: succeeded at".to_string(),
    ] {
        assert!(out.contains(&expected), "{expected:?} in {out}");
    }
    assert!(!out.contains(CLIENT_SECRET) && !stderr(&ok).contains(CLIENT_SECRET));

    let down = status(env(&format!("http://127.0.0.1:{}", free_port())));
    assert_eq!(down.status.code(), Some(1));
    assert!(stdout(&down).contains("Discovery: failed at"), "{}", stdout(&down));
    assert!(stderr(&down).contains("auth.oidc.issuer_url"), "{}", stderr(&down));

    let off = run(dir.path(), &["oidc", "status"], &[]);
    assert_eq!(off.status.code(), Some(0));
    assert!(stdout(&off).contains("Single sign-on is not configured"), "{}", stdout(&off));
    assert!(stdout(&off).contains("Password login: on"));
}

/// The provider rotates its signing key after art33 read its keys: the token signed with the new
/// key is verified after art33 reads the keys again (once), not refused until the cache expires.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_signed_with_a_rotated_key_is_verified_after_reading_the_keys_again() {
    let create = [("ART33__AUTH__OIDC__CREATE_USERS", "true")];
    let Some(sso) = SsoApp::spawn(&Backend::Sqlite, &create, Some("rotate")).await else { return };
    let (browser, answer) = sso.login("olivia").await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(browser.get(sso.app.url("/")).send().await.unwrap().status(), StatusCode::OK);
}
