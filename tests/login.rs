//! The login form under attack (issue 17): redirects after login, the login CSRF token, rate
//! limits under concurrency, client addresses behind proxies, one password verification per
//! attempt, per-pair locks and the mail that tells of them; on both backends.

use art33::domain::tenant::Role;
use reqwest::StatusCode;

use crate::on_both_backends;
use crate::support::{Backend, TestApp, csrf_of};

const PASSWORD: &str = "violet kettle under the bridge";

async fn world(backend: &Backend) -> TestApp {
    let app = TestApp::spawn(backend).await;
    app.add_client("acme").await;
    app.add_user_with_password("officer@gx.example", Role::Officer, None, PASSWORD).await;
    app.add_user_with_password("dpo@acme.example", Role::Dpo, Some("acme"), PASSWORD).await;
    app
}

/// Submits the login form with `next` from a fresh browser.
async fn login_with_next(app: &TestApp, next: &str) -> reqwest::Response {
    let browser = app.browser();
    let page = browser.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    browser
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("email", "officer@gx.example"),
            ("password", PASSWORD),
            ("next", next),
        ])
        .send()
        .await
        .unwrap()
}

on_both_backends!(
    login_follows_only_local_next_paths,
    login_csrf_refuses_an_empty_cookie_and_field,
    concurrent_guesses_never_get_more_verifications_than_the_limit,
    x_forwarded_for_counts_only_from_a_trusted_proxy,
    a_guesser_elsewhere_cannot_lock_the_holder_out_and_the_holder_is_told,
    weak_passwords_are_refused_on_the_admin_page_naming_the_field,
    control_characters_in_a_login_address_are_a_refusal_not_a_server_error,
    the_daily_purge_forgets_login_attempts_no_limit_counts,
    the_daily_purge_forgets_reset_links_a_month_after_they_expired,
);

/// A login form ready to post: the browser (with its CSRF cookie) and the token.
async fn ready(app: &TestApp) -> (reqwest::Client, String) {
    let browser = app.browser();
    let page = browser.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    (browser, csrf_of(&page))
}

/// Posts the login form of `ready` as `email` with `password`, from `forwarded` if given.
async fn post_login(
    app: &TestApp,
    (browser, csrf): &(reqwest::Client, String),
    email: &str,
    password: &str,
    forwarded: Option<&str>,
) -> reqwest::Response {
    let mut request = browser.post(app.url("/login")).form(&[
        ("csrf", csrf.as_str()),
        ("email", email),
        ("password", password),
        ("next", "/"),
    ]);
    if let Some(address) = forwarded {
        request = request.header("x-forwarded-for", address);
    }
    request.send().await.unwrap()
}

fn count(statuses: &[StatusCode], wanted: StatusCode) -> usize {
    statuses.iter().filter(|s| **s == wanted).count()
}

/// Issue 17 item 1: check-and-count is one step, before verification. 200 simultaneous attempts
/// (the right password at position 150) get at most five verified (401 or 303; ten when the right one
/// was among them, since a success forgets the pair's failures), the rest 429; then
/// 120 more, and the right password after them, are all refused.
async fn concurrent_guesses_never_get_more_verifications_than_the_limit(backend: Backend) {
    use art33::domain::login_limits::PAIR_FREE_FAILURES;
    let app = world(&backend).await;
    let limit = usize::try_from(PAIR_FREE_FAILURES).unwrap();
    let mut forms = Vec::new();
    for _ in 0..200 {
        forms.push(ready(&app).await);
    }
    let attempts = forms.iter().enumerate().map(|(i, form)| {
        let password = if i == 150 { PASSWORD } else { "a wrong guess" };
        let app = &app;
        async move { post_login(app, form, "officer@gx.example", password, None).await.status() }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    let verified = count(&statuses, StatusCode::UNAUTHORIZED) + count(&statuses, StatusCode::SEE_OTHER);
    // A success forgets the pair's failures (`app::login::succeeded`): when the right password is
    // among the first verified, the guesses still in flight get one more allowance, never more.
    let allowed = if count(&statuses, StatusCode::SEE_OTHER) == 1 { 2 * limit } else { limit };
    assert!(verified <= allowed, "{verified} verified: {statuses:?}");
    assert!(count(&statuses, StatusCode::TOO_MANY_REQUESTS) >= 200 - limit, "{statuses:?}");
    assert_eq!(verified + count(&statuses, StatusCode::TOO_MANY_REQUESTS), 200, "{statuses:?}");

    // Another account, from scratch: wrong guesses only, then the right one after the limit.
    let mut forms = Vec::new();
    for _ in 0..120 {
        forms.push(ready(&app).await);
    }
    let attempts = forms.iter().map(|form| {
        let app = &app;
        async move { post_login(app, form, "dpo@acme.example", "a wrong guess", None).await.status() }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    assert_eq!(count(&statuses, StatusCode::UNAUTHORIZED), limit, "{statuses:?}");
    assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 120 - limit, "{statuses:?}");
    let right = post_login(&app, &ready(&app).await, "dpo@acme.example", PASSWORD, None).await;
    assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS, "never logged in after the limit");
    let retry: i64 = right.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
}

/// Issue 17 item 2: without trusted proxies, `X-Forwarded-For` is ignored (rotating it does not
/// escape the per-address limit); from a trusted proxy, it names the client.
async fn x_forwarded_for_counts_only_from_a_trusted_proxy(backend: Backend) {
    use art33::domain::login_limits::ADDRESS_CEILING;
    let ceiling = usize::try_from(ADDRESS_CEILING).unwrap();
    let app = world(&backend).await;
    for i in 0..ceiling {
        let form = ready(&app).await;
        let forged = format!("198.51.100.{i}");
        let email = format!("nobody{i}@gx.example");
        let response = post_login(&app, &form, &email, "a wrong guess", Some(&forged)).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let form = ready(&app).await;
    let response = post_login(&app, &form, "nobody@gx.example", "a wrong guess", Some("203.0.113.1")).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "one peer, whatever the header says");

    let proxied =
        TestApp::spawn_with(&backend, &[("ART33__SERVER__TRUSTED_PROXIES", "127.0.0.0/8, ::1")]).await;
    for i in 0..=ceiling {
        let form = ready(&proxied).await;
        let client = format!("6.6.6.6, 198.51.100.{i}");
        let email = format!("nobody{i}@gx.example");
        let response = post_login(&proxied, &form, &email, "a wrong guess", Some(&client)).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "client {i} is its own address");
    }
}

/// Issue 17 item 8: wrong guesses lock only the (account, address) pair, with growing waits; the
/// holder logs in from elsewhere, and is told of the lock by one mail.
async fn a_guesser_elsewhere_cannot_lock_the_holder_out_and_the_holder_is_told(backend: Backend) {
    use art33::domain::login_limits::PAIR_FREE_FAILURES;
    let app = TestApp::spawn_with(&backend, &[("ART33__SERVER__TRUSTED_PROXIES", "127.0.0.1")]).await;
    app.add_client("acme").await;
    app.add_user_with_password("dpo@acme.example", Role::Dpo, Some("acme"), PASSWORD).await;
    let guesser = Some("198.51.100.7");
    for _ in 0..PAIR_FREE_FAILURES {
        let response =
            post_login(&app, &ready(&app).await, "dpo@acme.example", "a wrong guess", guesser).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let locked = post_login(&app, &ready(&app).await, "dpo@acme.example", PASSWORD, guesser).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(locked.headers()["retry-after"], "60");
    let holder =
        post_login(&app, &ready(&app).await, "dpo@acme.example", PASSWORD, Some("203.0.113.5")).await;
    assert_eq!(holder.status(), StatusCode::SEE_OTHER, "the holder is not locked out");

    // The wait grows: after a minute one more guess, then two minutes.
    app.clock.advance(chrono::Duration::seconds(61));
    let response = post_login(&app, &ready(&app).await, "dpo@acme.example", "a wrong guess", guesser).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = post_login(&app, &ready(&app).await, "dpo@acme.example", "a wrong guess", guesser).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "120");

    // One mail, to the holder, in the holder's language, without the guesser's address.
    app.drain().await;
    let mut mails = Vec::new();
    for entry in std::fs::read_dir(&app.settings.mail.file_dir).unwrap() {
        mails.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    assert!(mail.contains("To: dpo@acme.example"), "{mail}");
    assert!(mail.contains("Inloggen op uw art33-account is gepauzeerd"), "{mail}");
    assert!(!mail.contains("198.51.100.7") && !mail.contains(PASSWORD), "{mail}");
}

/// Issue 17 item 9: zxcvbn with the user's own words; the error names the field, in Dutch.
async fn weak_passwords_are_refused_on_the_admin_page_naming_the_field(backend: Backend) {
    let app = world(&backend).await;
    app.add_user_with_password("admin@gx.example", Role::Admin, None, PASSWORD).await;
    let admin = app.login("admin@gx.example", PASSWORD).await;
    let page = admin.get(app.url("/admin")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    for weak in ["Password1234", "wachtwoord1234", "marjolein.vandenberg@acme.example"] {
        let response = admin
            .post(app.url("/admin/users"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", "marjolein.vandenberg@acme.example"),
                ("name", "Marjolein van den Berg"),
                ("role", "officer"),
                ("password", weak),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{weak}");
        let page = response.text().await.unwrap();
        assert!(page.contains("Het wachtwoord is te makkelijk te raden"), "{weak}: {page}");
    }
}

async fn login_follows_only_local_next_paths(backend: Backend) {
    let app = world(&backend).await;
    // The page's hidden field is cleaned already: `%09` decodes to a tab.
    let page = app.http.get(app.url("/login?next=/%09/evil.example")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(page.contains("name=\"next\" value=\"/\""), "{page}");
    for (next, expected) in [
        ("/\t/evil.example", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example", "/"),
        ("/x\r\nSet-Cookie: a=b", "/"),
        ("/\n/evil", "/"),
        ("/\u{b}/evil", "/"),
        ("", "/"),
        ("/ok?x=1", "/ok?x=1"),
        ("/incidents/abc", "/incidents/abc"),
    ] {
        let response = login_with_next(&app, next).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(response.headers()["location"], expected, "{next:?}");
    }
}

async fn login_csrf_refuses_an_empty_cookie_and_field(backend: Backend) {
    let app = world(&backend).await;
    let response = app
        .http
        .post(app.url("/login"))
        .header("cookie", "art33_login_csrf=")
        .form(&[("csrf", ""), ("email", "officer@gx.example"), ("password", PASSWORD), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

/// An address no account can have (a NUL, which PostgreSQL refuses in text; other control
/// characters) is a wrong login like any other: 401, never a 500, and still one verification.
async fn control_characters_in_a_login_address_are_a_refusal_not_a_server_error(backend: Backend) {
    let app = world(&backend).await;
    let form = ready(&app).await;
    for email in [
        "officer\u{0}@gx.example",
        "officer@gx.example\u{0}",
        "\u{0}",
        "a\u{7}b@gx.example",
        "x\ny@gx.example",
    ] {
        let response = post_login(&app, &form, email, PASSWORD, None).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{email:?}");
    }
    let response = post_login(&app, &form, "officer@gx.example", PASSWORD, None).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "the account itself is not locked out");
}

/// Login attempts do not pile up: the daily purge forgets those older than any limit counts, and
/// keeps the recent ones (which still make a pair wait).
async fn the_daily_purge_forgets_login_attempts_no_limit_counts(backend: Backend) {
    use art33::storage::login_attempts;
    let app = world(&backend).await;
    let now = app.now();
    app.db
        .run(move |c| {
            login_attempts::record(c, "pair:old", now - chrono::Duration::days(3))?;
            login_attempts::record(c, "pair:recent", now - chrono::Duration::hours(23))
        })
        .await
        .unwrap();
    app.runner().purge().await;
    let since = now - chrono::Duration::days(30);
    let (old, recent) = app
        .db
        .run(move |c| {
            Ok::<_, art33::storage::StorageError>((
                login_attempts::failures(c, "pair:old", since)?.count,
                login_attempts::failures(c, "pair:recent", since)?.count,
            ))
        })
        .await
        .unwrap();
    assert_eq!((old, recent), (0, 1));
}

/// Password-reset links do not pile up either: the daily purge forgets a link a month after it
/// expired (used or not), and keeps one that expired more recently, so that a late click is still
/// told it expired or was used.
async fn the_daily_purge_forgets_reset_links_a_month_after_they_expired(backend: Backend) {
    use art33::app::password_reset::KEPT_AFTER_EXPIRY;
    use art33::storage::{directory, password_resets};
    let app = world(&backend).await;
    let now = app.now();
    let day = chrono::Duration::days(1);
    app.db
        .run(move |c| {
            let officer = directory::user_by_email(c, "officer@gx.example")?.expect("officer");
            let dpo = directory::user_by_email(c, "dpo@acme.example")?.expect("dpo");
            // Used, and expired a day longer ago than the purge keeps links.
            let old_expiry = now - KEPT_AFTER_EXPIRY - day;
            password_resets::replace(c, &officer.id, "digest-old", old_expiry - day, old_expiry)?;
            password_resets::consume(c, "digest-old", old_expiry - chrono::Duration::hours(1))?;
            // Never used, and expired a day ago.
            password_resets::replace(c, &dpo.id, "digest-recent", now - day * 2, now - day)
        })
        .await
        .unwrap();
    app.runner().purge().await;
    let (old, recent) = app
        .db
        .run(move |c| {
            Ok::<_, art33::storage::StorageError>((
                password_resets::find(c, "digest-old")?,
                password_resets::find(c, "digest-recent")?,
            ))
        })
        .await
        .unwrap();
    assert_eq!(old, None, "a link expired longer ago than the purge keeps links is forgotten");
    let recent = recent.expect("a link expired a day ago is kept");
    assert_eq!(recent.expires_at, now - day);
}
