//! Sign-up: each validation rule, duplicates, and what the form keeps.

use reqwest::StatusCode;

use crate::helpers::{PASSWORD, browser, location, spawn_app};

fn field_error(html: &str, field: &str) -> Option<String> {
    let marker = format!(r#"id="field-{field}-error">"#);
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('<')? + start;
    Some(html[start..end].to_owned())
}

#[tokio::test]
async fn a_valid_sign_up_logs_the_new_user_in_and_says_welcome() {
    let app = spawn_app().await;
    let client = browser();
    let response = app.sign_up(&client, "alice").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");
    let home = app.get_html(&client, "/").await;
    assert!(home.contains("Welcome! Your account is ready"));
    assert_eq!(app.logged_in_as(&client).await.as_deref(), Some("alice"));
    // The flash is shown once.
    assert!(!app.get_html(&client, "/").await.contains("Welcome!"));
    app.stop().await;
}

#[tokio::test]
async fn hangul_usernames_sign_up() {
    let app = spawn_app().await;
    let client = browser();
    let response = app
        .post_form(
            &client,
            "/signup",
            &[
                ("username", "홍길동"),
                ("email", "hong@example.kr"),
                ("password1", "비밀번호는여덟자"),
                ("password2", "비밀번호는여덟자"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.logged_in_as(&client).await.as_deref(), Some("홍길동"));
    app.stop().await;
}

#[tokio::test]
async fn each_signup_rule_is_reported_beside_its_field_with_422() {
    let app = spawn_app().await;
    let long = "x".repeat(5000);
    let long_email = format!("{long}@example.com");
    let good_email = "someone@example.com";
    // (username, email, password1, password2, field, message)
    let cases: &[(&str, &str, &str, &str, &str, &str)] = &[
        (
            "",
            good_email,
            PASSWORD,
            PASSWORD,
            "username",
            "This field is required.",
        ),
        (
            "ab",
            good_email,
            PASSWORD,
            PASSWORD,
            "username",
            "Use 3 to 25 characters.",
        ),
        (
            &long,
            good_email,
            PASSWORD,
            PASSWORD,
            "username",
            "Use 3 to 25 characters.",
        ),
        (
            "bad name!",
            good_email,
            PASSWORD,
            PASSWORD,
            "username",
            "Use only letters, digits, _ and -.",
        ),
        (
            "<script>",
            good_email,
            PASSWORD,
            PASSWORD,
            "username",
            "Use only letters, digits, _ and -.",
        ),
        (
            "valid_name",
            "",
            PASSWORD,
            PASSWORD,
            "email",
            "This field is required.",
        ),
        (
            "valid_name",
            "not-an-email",
            PASSWORD,
            PASSWORD,
            "email",
            "Enter a valid email address",
        ),
        (
            "valid_name",
            &long_email,
            PASSWORD,
            PASSWORD,
            "email",
            "Enter a valid email address",
        ),
        (
            "valid_name",
            good_email,
            "",
            "",
            "password1",
            "This field is required.",
        ),
        (
            "valid_name",
            good_email,
            "short",
            "short",
            "password1",
            "Use at least 8 characters.",
        ),
        (
            "valid_name",
            good_email,
            &long,
            &long,
            "password1",
            "Use at most 1,024 bytes.",
        ),
        (
            "valid_name",
            good_email,
            PASSWORD,
            "",
            "password2",
            "This field is required.",
        ),
        (
            "valid_name",
            good_email,
            PASSWORD,
            "different123",
            "password2",
            "The two passwords do not match.",
        ),
    ];
    let client = browser();
    for (username, email, password1, password2, field, message) in cases {
        let response = app
            .post_form(
                &client,
                "/signup",
                &[
                    ("username", username),
                    ("email", email),
                    ("password1", password1),
                    ("password2", password2),
                ],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field} case {username:.20}/{email:.20}"
        );
        let html = response.text().await.expect("body");
        let shown = field_error(&html, field).unwrap_or_default();
        assert!(
            shown.starts_with(message),
            "{field}: expected {message:?}, got {shown:?}"
        );
        assert!(html.contains(r#"aria-invalid="true""#));
    }
    assert_eq!(
        app.logged_in_as(&client).await,
        None,
        "no account was created"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_invalid_form_keeps_username_and_email_but_never_passwords() {
    let app = spawn_app().await;
    let client = browser();
    let response = app
        .post_form(
            &client,
            "/signup",
            &[
                ("username", "kept_name"),
                ("email", "kept@example.com"),
                ("password1", "secret-password-1"),
                ("password2", "secret-password-2"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("body");
    assert!(html.contains(r#"value="kept_name""#));
    assert!(html.contains(r#"value="kept@example.com""#));
    assert!(!html.contains("secret-password"));
    app.stop().await;
}

#[tokio::test]
async fn usernames_and_emails_are_unique_ignoring_letter_case() {
    let app = spawn_app().await;
    app.signed_up_user("alice").await;
    let client = browser();
    let response = app
        .post_form(
            &client,
            "/signup",
            &[
                ("username", "ALICE"),
                ("email", "Alice@Example.com"),
                ("password1", PASSWORD),
                ("password2", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("body");
    assert_eq!(
        field_error(&html, "username").as_deref(),
        Some("This username is taken.")
    );
    assert_eq!(
        field_error(&html, "email").as_deref(),
        Some("An account with this email already exists.")
    );
    app.stop().await;
}

#[tokio::test]
async fn simultaneous_sign_ups_for_one_name_create_one_account_and_no_500() {
    let app = spawn_app().await;
    let mut attempts = Vec::new();
    for i in 0..6 {
        let client = browser();
        let token = app.csrf_token(&client).await;
        let url = app.url("/signup");
        attempts.push(tokio::spawn(async move {
            let email = format!("racer{i}@example.com");
            let form = [
                ("username", "racer"),
                ("email", email.as_str()),
                ("password1", PASSWORD),
                ("password2", PASSWORD),
                ("csrf_token", token.as_str()),
            ];
            client
                .post(url)
                .form(&form)
                .send()
                .await
                .expect("POST")
                .status()
        }));
    }
    let mut statuses = Vec::new();
    for attempt in attempts {
        statuses.push(attempt.await.expect("task"));
    }
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::SEE_OTHER)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    assert_eq!((created, refused), (1, 5), "{statuses:?}");
    app.stop().await;
}

#[tokio::test]
async fn a_malformed_form_body_is_a_4xx_not_a_500() {
    let app = spawn_app().await;
    let client = browser();
    let token = app.csrf_token(&client).await;
    let response = client
        .post(app.url("/signup"))
        .header("X-CSRF-Token", token)
        .header("Content-Type", "application/json")
        .body("{\"username\": 1}")
        .send()
        .await
        .expect("POST");
    assert!(response.status().is_client_error(), "{}", response.status());
    app.stop().await;
}

#[tokio::test]
async fn look_alike_and_mixed_script_names_are_refused_with_a_message_for_each() {
    let app = spawn_app().await;
    app.signed_up_user("carol").await;
    app.signed_up_user("cacao").await;
    let cases = [
        // Cyrillic а among Latin letters.
        (
            "\u{0441}\u{0430}rol",
            "Write the username in one script (Latin may go with Hangul or Han).",
        ),
        // Full-width letters are the same name once normalised.
        ("ｃａｒｏｌ", "This username is taken."),
        // All Cyrillic, one script, but it looks like cacao.
        (
            "\u{0441}\u{0430}\u{0441}\u{0430}\u{043E}",
            "This username looks too much like one that is taken.",
        ),
    ];
    for (n, (name, message)) in cases.iter().enumerate() {
        let email = format!("look{n}@example.com");
        let response = app
            .post_form(
                &browser(),
                "/signup",
                &[
                    ("username", name),
                    ("email", &email),
                    ("password1", PASSWORD),
                    ("password2", PASSWORD),
                ],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}"
        );
        let html = response.text().await.expect("body");
        assert_eq!(
            field_error(&html, "username").as_deref(),
            Some(*message),
            "{name}"
        );
    }
    // The usual mixes sign up, and the full-width name logs carol in.
    assert_eq!(
        app.sign_up(&browser(), "김철수kim").await.status(),
        StatusCode::SEE_OTHER
    );
    let carol = browser();
    let response = app.log_in(&carol, "ＣＡＲＯＬ", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.logged_in_as(&carol).await.as_deref(), Some("carol"));
    app.stop().await;
}

#[tokio::test]
async fn one_address_may_create_only_so_many_accounts_an_hour() {
    let app = crate::helpers::spawn_app_with(|config| {
        config.rate_limits = true;
        config.signups_per_hour = 3;
    })
    .await;
    // Refused sign-ups (a name in use) make no account and do not count.
    app.sign_up(&browser(), "taken").await;
    for _ in 0..5 {
        let response = app.sign_up(&browser(), "taken").await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    for n in 0..2 {
        let response = app.sign_up(&browser(), &format!("user{n}")).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "sign-up {n}");
    }
    let refused = app.sign_up(&browser(), "user3").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after = crate::helpers::retry_after(&refused);
    assert!((3000..=3600).contains(&retry_after), "{retry_after}");
    let html = refused.text().await.expect("body");
    assert!(html.contains(
        "Too many accounts were made from your network this hour. Try again in 60 minutes."
    ));
    assert_eq!(app.logged_in_as(&browser()).await, None);
    app.stop().await;
}
