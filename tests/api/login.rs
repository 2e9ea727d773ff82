//! Log-in: success, failures that read the same, the throttle, and where the user goes afterwards.

use std::time::Instant;

use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp, browser, location, spawn_app};

/// The error message shown above the log-in form.
fn login_error(html: &str) -> Option<String> {
    let marker = r#"id="login-error" role="alert">"#;
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('<')? + start;
    Some(html[start..end].to_owned())
}

async fn signed_up_then_logged_out(app: &TestApp, name: &str) {
    let client = app.signed_up_user(name).await;
    app.log_out(&client).await;
}

#[tokio::test]
async fn the_right_password_logs_in_with_any_letter_case_of_the_name() {
    let app = spawn_app().await;
    signed_up_then_logged_out(&app, "Carol").await;
    let client = browser();
    let response = app.log_in(&client, "carol", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");
    assert!(
        app.get_html(&client, "/")
            .await
            .contains("You are logged in.")
    );
    assert_eq!(app.logged_in_as(&client).await.as_deref(), Some("Carol"));
    app.stop().await;
}

#[tokio::test]
async fn unknown_user_and_wrong_password_read_exactly_the_same() {
    let app = spawn_app().await;
    signed_up_then_logged_out(&app, "dave").await;
    let client = browser();
    let wrong_password = app.log_in(&client, "dave", "not the password").await;
    let unknown_user = app.log_in(&client, "nobody", "not the password").await;
    assert_eq!(wrong_password.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown_user.status(), wrong_password.status());
    let a = login_error(&wrong_password.text().await.expect("body"));
    let b = login_error(&unknown_user.text().await.expect("body"));
    assert_eq!(a.as_deref(), Some("The username or password is incorrect."));
    assert_eq!(a, b);
    app.stop().await;
}

#[tokio::test]
async fn unknown_user_and_wrong_password_take_about_the_same_time() {
    let app = spawn_app().await;
    signed_up_then_logged_out(&app, "erin").await;
    async fn millis(app: &TestApp, username: &str) -> f64 {
        // A fresh client per try; the username throttle allows 5 failures a minute and is per name.
        let client = browser();
        let started = Instant::now();
        app.log_in(&client, username, "wrong password").await;
        started.elapsed().as_secs_f64() * 1000.0
    }
    // Warm both paths (the stand-in hash is made on first use), then interleave the tries. Other tests
    // load the machine and only ever add time, so the fastest try of each is the fair comparison.
    millis(&app, "erin").await;
    millis(&app, "nobody-0").await;
    let (mut wrong_password, mut unknown_user) = (f64::MAX, f64::MAX);
    for n in 1..=4 {
        wrong_password = wrong_password.min(millis(&app, "erin").await);
        unknown_user = unknown_user.min(millis(&app, &format!("nobody-{n}")).await);
    }
    // Both run one argon2 verification; without the stand-in an unknown user answers twenty times faster
    // or more. (The bound leaves room for the other tests, which hash passwords on the same two cores.)
    let ratio = unknown_user / wrong_password;
    assert!(
        (0.33..3.0).contains(&ratio),
        "unknown user {unknown_user:.1} ms vs wrong password {wrong_password:.1} ms"
    );
    app.stop().await;
}

#[tokio::test]
async fn five_failures_for_a_username_get_429_with_when_to_try_again() {
    let app = spawn_app().await;
    signed_up_then_logged_out(&app, "frank").await;
    let client = browser();
    for _ in 0..5 {
        let response = app.log_in(&client, "frank", "guess").await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Now even the right password waits.
    let response = app.log_in(&client, "frank", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after = crate::helpers::retry_after(&response);
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let message = login_error(&response.text().await.expect("body")).expect("message");
    assert_eq!(
        message,
        format!("Too many log-in attempts. Try again in {retry_after} seconds.")
    );
    assert_eq!(app.logged_in_as(&client).await, None);
    // Another username is not affected.
    signed_up_then_logged_out(&app, "grace").await;
    let other = app.log_in(&browser(), "grace", PASSWORD).await;
    assert_eq!(other.status(), StatusCode::SEE_OTHER);
    app.stop().await;
}

#[tokio::test]
async fn fifty_failures_from_one_address_throttle_every_username() {
    let app = spawn_app().await;
    signed_up_then_logged_out(&app, "heidi").await;
    let client = browser();
    for i in 0..50 {
        let response = app.log_in(&client, &format!("guess{i}"), "guess").await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "try {i}"
        );
    }
    let response = app.log_in(&client, "heidi", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    app.stop().await;
}

#[tokio::test]
async fn after_log_in_the_user_goes_to_next_only_when_it_is_a_local_path() {
    let app = spawn_app().await;
    signed_up_then_logged_out(&app, "ivan").await;
    let cases = [
        ("/account", "/account"),
        ("/questions?page=2&q=x", "/questions?page=2&q=x"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("/\t/evil.example", "/"),
        ("", "/"),
    ];
    for (next, expected) in cases {
        let client = browser();
        let response = app
            .post_form(
                &client,
                "/login",
                &[("username", "ivan"), ("password", PASSWORD), ("next", next)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(location(&response), expected, "next={next:?}");
    }
    app.stop().await;
}

#[tokio::test]
async fn a_login_only_page_sends_a_visitor_to_log_in_and_back() {
    let app = spawn_app().await;
    signed_up_then_logged_out(&app, "judy").await;
    let client = browser();
    let response = app.get(&client, "/account").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/login?next=/account");
    // The log-in form carries `next` through.
    let form = app.get_html(&client, "/login?next=/account").await;
    assert!(form.contains(r#"name="next" value="/account""#));
    // An off-site next is dropped from the form.
    let hostile = app.get_html(&client, "/login?next=//evil.example").await;
    assert!(!hostile.contains(r#"name="next" value="//evil.example""#));
    let response = app
        .post_form(
            &client,
            "/login",
            &[
                ("username", "judy"),
                ("password", PASSWORD),
                ("next", "/account"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/account");
    let account = app.get(&client, "/account").await;
    assert_eq!(account.status(), StatusCode::OK);
    let html = account.text().await.expect("body");
    assert!(html.contains("judy@example.com"));
    app.stop().await;
}

#[tokio::test]
async fn logging_out_ends_the_session_and_the_navbar_offers_log_in_again() {
    let app = spawn_app().await;
    let client = app.signed_up_user("kim").await;
    let page = app.get_html(&client, "/").await;
    assert!(page.contains(r#"action="/logout""#));
    let response = app.log_out(&client).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");
    let page = app.get_html(&client, "/").await;
    assert!(page.contains("You are logged out."));
    assert!(page.contains(r#"href="/signup""#));
    assert!(!page.contains(r#"action="/logout""#));
    assert_eq!(app.logged_in_as(&client).await, None);
    app.stop().await;
}

#[tokio::test]
async fn a_name_that_grows_in_lower_case_still_logs_in() {
    let app = spawn_app().await;
    // 25 characters; in lower case `İ` is two.
    let name = "İbrahim_Yilmaz_Ozturk_123";
    signed_up_then_logged_out(&app, name).await;
    let client = browser();
    let response = app.log_in(&client, name, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.logged_in_as(&client).await.as_deref(), Some(name));
    app.stop().await;
}

/// Guesses spread over several app servers meet the limits together where servers share a database
/// (PostgreSQL). An SQLite board is one process's: two servers on one file, which only a test starts,
/// count their own.
#[tokio::test]
async fn app_servers_on_one_database_count_log_ins_and_sign_ups_together() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("miniboard.db");
    let limits = |config: &mut miniboard::config::Config| {
        config.rate_limits = true;
        config.signups_per_hour = 2;
    };
    let first =
        crate::helpers::spawn_another_app_with(&db, &dir.path().join("1.search"), limits).await;
    let second =
        crate::helpers::spawn_another_app_with(&db, &dir.path().join("2.search"), limits).await;
    let shared = matches!(first.database, miniboard::config::Database::Postgres(_));

    let made = first.sign_up(&browser(), "frank").await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let made = second.sign_up(&browser(), "grace").await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let third = first.sign_up(&browser(), "heidi").await;
    let expected = if shared {
        StatusCode::TOO_MANY_REQUESTS
    } else {
        StatusCode::SEE_OTHER
    };
    assert_eq!(third.status(), expected, "the third sign-up this hour");

    let client = browser();
    for (n, server) in [&first, &second, &first, &second, &first]
        .into_iter()
        .enumerate()
    {
        let response = server.log_in(&client, "frank", "guess").await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "guess {n}"
        );
    }
    let right = second.log_in(&client, "frank", PASSWORD).await;
    let expected = if shared {
        StatusCode::TOO_MANY_REQUESTS
    } else {
        StatusCode::SEE_OTHER
    };
    assert_eq!(
        right.status(),
        expected,
        "after five guesses over two servers"
    );
    first.stop().await;
    second.stop().await;
}

/// A burst of guesses at once, half through each server: where the servers share their counts, exactly the
/// limit's worth are checked, however the requests interleave.
#[tokio::test]
async fn a_burst_over_two_servers_gets_exactly_the_limits_worth_of_guesses() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("miniboard.db");
    let first =
        crate::helpers::spawn_another_app_with(&db, &dir.path().join("1.search"), |_| {}).await;
    let second =
        crate::helpers::spawn_another_app_with(&db, &dir.path().join("2.search"), |_| {}).await;
    signed_up_then_logged_out(&first, "ivan").await;
    let guesses = (0..20).map(|n| {
        let server = if n % 2 == 0 { &first } else { &second };
        async move { server.log_in(&browser(), "ivan", "guess").await.status() }
    });
    let statuses = futures_util::future::join_all(guesses).await;
    let checked = statuses
        .iter()
        .filter(|status| **status == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    let throttled = statuses
        .iter()
        .filter(|status| **status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    let shared = matches!(first.database, miniboard::config::Database::Postgres(_));
    let servers_counting_apart = if shared { 1 } else { 2 };
    assert_eq!(checked, 5 * servers_counting_apart, "{statuses:?}");
    assert_eq!(checked + throttled, 20, "{statuses:?}");
    first.stop().await;
    second.stop().await;
}
