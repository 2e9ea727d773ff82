//! Every state change needs a CSRF token, as a form field or as the header htmx sends.

use reqwest::StatusCode;

use crate::helpers::{PASSWORD, browser, spawn_app};

/// Every POST route with a body that would otherwise succeed.
fn post_routes() -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    vec![
        (
            "/signup",
            vec![
                ("username", "mallory"),
                ("email", "mallory@example.com"),
                ("password1", PASSWORD),
                ("password2", PASSWORD),
            ],
        ),
        (
            "/login",
            vec![("username", "victim"), ("password", PASSWORD)],
        ),
        ("/logout", vec![]),
    ]
}

#[tokio::test]
async fn every_post_route_refuses_a_missing_or_wrong_token_with_a_403_page() {
    let app = spawn_app().await;
    let client = app.signed_up_user("victim").await;
    for (path, fields) in post_routes() {
        let missing = app.post_form_without_token(&client, path, &fields).await;
        assert_eq!(
            missing.status(),
            StatusCode::FORBIDDEN,
            "{path} without token"
        );
        let html = missing.text().await.expect("body");
        assert!(html.contains("The form has expired"), "{path}: {html}");
        assert!(html.contains("<nav"), "the 403 page is in the layout");

        let mut forged = fields.clone();
        forged.push(("csrf_token", "Zm9yZ2VkIHRva2Vu"));
        let wrong = app.post_form_without_token(&client, path, &forged).await;
        assert_eq!(
            wrong.status(),
            StatusCode::FORBIDDEN,
            "{path} with a forged token"
        );
    }
    // Nothing happened: still logged in as the victim, no account for mallory.
    assert_eq!(app.logged_in_as(&client).await.as_deref(), Some("victim"));
    let other = browser();
    let login = app.log_in(&other, "mallory", PASSWORD).await;
    assert_eq!(login.status(), StatusCode::UNPROCESSABLE_ENTITY);
    app.stop().await;
}

#[tokio::test]
async fn a_token_from_another_browser_is_refused() {
    let app = spawn_app().await;
    let victim = app.signed_up_user("victim").await;
    let attacker = browser();
    let attackers_token = app.csrf_token(&attacker).await;
    let response = victim
        .post(app.url("/logout"))
        .form(&[("csrf_token", attackers_token.as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.logged_in_as(&victim).await.as_deref(), Some("victim"));
    app.stop().await;
}

#[tokio::test]
async fn htmx_requests_carry_the_token_in_a_header_set_once_on_body() {
    let app = spawn_app().await;
    let client = app.signed_up_user("nina").await;
    let html = app.get_html(&client, "/").await;
    let header_json = crate::helpers::attribute_after(&html, "hx-headers=\"")
        .expect("hx-headers on body")
        .replace("&quot;", "\"");
    let headers: serde_json::Value = serde_json::from_str(&header_json).expect("JSON");
    let token = headers["X-CSRF-Token"].as_str().expect("token").to_owned();
    let response = client
        .post(app.url("/logout"))
        .header("X-CSRF-Token", token)
        .header("HX-Request", "true")
        .header("HX-Boosted", "true")
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.logged_in_as(&client).await, None);
    app.stop().await;
}

#[tokio::test]
async fn an_htmx_fragment_request_without_token_gets_a_fragment_for_the_flash_area() {
    let app = spawn_app().await;
    let client = browser();
    app.csrf_token(&client).await;
    let response = client
        .post(app.url("/logout"))
        .header("HX-Request", "true")
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        response.headers().get("hx-retarget").map(|v| v.as_bytes()),
        Some(&b"#flash"[..])
    );
    let html = response.text().await.expect("body");
    assert!(!html.contains("<html"), "a fragment, not a page");
    assert!(html.contains("The form has expired"));
    app.stop().await;
}

#[tokio::test]
async fn a_visitors_token_and_cookie_pair_is_worthless_with_someone_elses_session() {
    let app = spawn_app().await;
    // The attacker's own anonymous pair: their CSRF nonce cookie and a token made for it.
    let attacker = browser();
    let login_page = app.get(&attacker, "/login").await;
    let nonce = crate::helpers::set_cookie_value(&login_page, "miniboard_csrf").expect("nonce");
    let token =
        crate::helpers::csrf_token_in(&login_page.text().await.expect("body")).expect("token");
    // The victim's session, with the attacker's pair planted beside it.
    let response = app.sign_up(&browser(), "victim").await;
    let session =
        crate::helpers::set_cookie_value(&response, "miniboard_session").expect("session");
    let victim = crate::helpers::client_with_cookies(&format!(
        "miniboard_session={session}; miniboard_csrf={nonce}"
    ));
    let forged = victim
        .post(app.url("/logout"))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.logged_in_as(&victim).await.as_deref(), Some("victim"));
    app.stop().await;
}

#[tokio::test]
async fn tokens_from_before_a_log_in_or_log_out_stop_working() {
    let app = spawn_app().await;
    app.signed_up_user("olga").await;
    let client = browser();
    let before_login = app.csrf_token(&client).await;
    let response = app.log_in(&client, "olga", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let stale = client
        .post(app.url("/logout"))
        .form(&[("csrf_token", before_login.as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(stale.status(), StatusCode::FORBIDDEN, "the visitor's token");
    assert_eq!(app.logged_in_as(&client).await.as_deref(), Some("olga"));

    let logged_in_token = app.csrf_token(&client).await;
    assert_eq!(app.log_out(&client).await.status(), StatusCode::SEE_OTHER);
    let stale = client
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", logged_in_token.as_str()),
            ("username", "olga"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(stale.status(), StatusCode::FORBIDDEN, "the session's token");
    app.stop().await;
}

#[tokio::test]
async fn no_two_pages_carry_the_same_token_text() {
    let app = spawn_app().await;
    let client = app.signed_up_user("pia").await;
    let first = app.csrf_token(&client).await;
    let second = app.csrf_token(&client).await;
    assert_ne!(first, second, "masked afresh for each page");
    for token in [first, second] {
        let response = client
            .post(app.url("/questions"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("subject", "Masked tokens"),
                ("content", "Both unmask to the session's secret."),
            ])
            .send()
            .await
            .expect("POST");
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    app.stop().await;
}
