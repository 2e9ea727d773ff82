//! The layout, error pages, languages, security headers and the health check.

use reqwest::StatusCode;

use crate::helpers::{ServerProcess, attribute_after, browser, location, spawn_app};

fn request_id_in_page(html: &str) -> Option<String> {
    let marker = r#"<code id="request-id">"#;
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('<')? + start;
    Some(html[start..end].to_owned())
}

#[tokio::test]
async fn the_front_page_shows_the_layout_and_the_question_list_area() {
    let app = spawn_app().await;
    let response = app.get(&browser(), "/").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/html; charset=utf-8"
    );
    let html = response.text().await.expect("body");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(html.contains(r#"id="question-list""#));
    assert!(html.contains(r#"href="/login""#) && html.contains(r#"href="/signup""#));
    assert!(html.contains(r#"hx-boost="true""#));
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_address_gets_a_404_page_with_its_request_id() {
    let app = spawn_app().await;
    let client = app.signed_up_user("olga").await;
    let response = app.get(&client, "/no/such/page").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let header_id = response.headers()["x-request-id"]
        .to_str()
        .expect("id")
        .to_owned();
    let html = response.text().await.expect("body");
    assert!(html.contains("Page not found"));
    assert_eq!(request_id_in_page(&html), Some(header_id));
    // In the layout, knowing the user.
    assert!(html.contains(">olga<"));

    let fragment = client
        .get(app.url("/no/such/page"))
        .header("HX-Request", "true")
        .send()
        .await
        .expect("GET");
    assert_eq!(fragment.status(), StatusCode::NOT_FOUND);
    assert!(
        fragment.headers()["vary"]
            .to_str()
            .expect("vary")
            .contains("HX-Request")
    );
    let html = fragment.text().await.expect("body");
    assert!(!html.contains("<nav") && html.contains("Page not found"));
    app.stop().await;
}

#[tokio::test]
async fn a_wrong_method_gets_a_405_page() {
    let app = spawn_app().await;
    let response = app.get(&browser(), "/logout").await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("Method not allowed")
    );
    app.stop().await;
}

#[tokio::test]
async fn a_body_over_one_megabyte_gets_413_and_a_page_that_says_so() {
    let app = spawn_app().await;
    let client = browser();
    let token = app.csrf_token(&client).await;
    let big = "x".repeat(2 * 1024 * 1024);
    let response = client
        .post(app.url("/signup"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("username", "big"),
            ("email", big.as_str()),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let html = response.text().await.expect("body");
    assert!(html.contains("larger than the 1 MB"));
    app.stop().await;
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    let client = browser();
    let mut responses = Vec::new();
    for path in [
        "/",
        "/signup",
        "/no/such/page",
        "/healthz",
        "/static/app.css",
    ] {
        responses.push((path, app.get(&client, path).await));
    }
    responses.push((
        "POST /logout",
        app.post_form_without_token(&client, "/logout", &[]).await,
    ));
    for (what, response) in responses {
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let csp = header("content-security-policy");
        assert!(csp.contains("default-src 'self'"), "{what}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
        assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
        assert_eq!(header("referrer-policy"), "same-origin", "{what}");
    }
    app.stop().await;
}

#[tokio::test]
async fn pages_have_no_inline_script_or_style() {
    let app = spawn_app().await;
    let client = app.signed_up_user("pat").await;
    for path in ["/", "/account", "/no/such/page"] {
        let html = app.get_html(&client, path).await;
        assert!(!html.contains("<script>"), "{path} has an inline script");
        assert!(!html.contains("style="), "{path} has an inline style");
        assert!(!html.contains("<style"), "{path} has a style element");
    }
    app.stop().await;
}

#[tokio::test]
async fn accept_language_korean_gets_the_korean_ui() {
    let app = spawn_app().await;
    let html = app
        .get_html_with(
            &browser(),
            "/",
            &[("Accept-Language", "ko-KR,ko;q=0.9,en;q=0.8")],
        )
        .await;
    assert!(html.contains(r#"<html lang="ko">"#));
    assert!(html.contains("로그인") && html.contains("회원가입"));
    app.stop().await;
}

#[tokio::test]
async fn the_language_switch_sets_a_cookie_that_wins_over_accept_language() {
    let app = spawn_app().await;
    let client = browser();
    let response = app.switch_language(&client, "ko", "/signup").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/signup");
    let html = app
        .get_html_with(&client, "/signup", &[("Accept-Language", "en")])
        .await;
    assert!(html.contains(r#"<html lang="ko">"#));
    assert!(html.contains("계정 만들기"));

    // Korean form errors.
    let response = app
        .post_form(
            &client,
            "/signup",
            &[
                ("username", "x"),
                ("email", "bad"),
                ("password1", ""),
                ("password2", ""),
            ],
        )
        .await;
    let html = response.text().await.expect("body");
    assert!(html.contains("3~25자로 입력하세요."));
    assert!(html.contains("필수 항목입니다."));

    // And back to English; an off-site `next` goes home.
    let response = app.switch_language(&client, "en", "//evil.example").await;
    assert_eq!(location(&response), "/");
    assert!(
        app.get_html(&client, "/")
            .await
            .contains(r#"<html lang="en">"#)
    );

    let unknown = app.switch_language(&client, "fr", "/").await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    app.stop().await;
}

#[tokio::test]
async fn the_switch_comes_back_to_the_page_it_was_on() {
    let app = spawn_app().await;
    let client = browser();
    let html = app.get_html(&client, "/login?next=/account").await;
    let switch =
        attribute_after(&html, r#"<input type="hidden" name="next" value=""#).expect("switch");
    assert_eq!(switch, "/login?next=/account");
    let response = app
        .switch_language(&client, "ko", "/login?next=/account")
        .await;
    assert_eq!(location(&response), "/login?next=/account");
    app.stop().await;
}

#[tokio::test]
async fn dates_show_in_the_configured_timezone_and_language() {
    let app = crate::helpers::spawn_app_with(|config| {
        config.timezone = time::UtcOffset::from_hms(9, 0, 0).expect("offset");
    })
    .await;
    let client = app.signed_up_user("mina").await;
    // 2026-11-25 17:02 UTC.
    app.storage().accounts_created_at(1795626120);
    let english = app.get_html(&client, "/account").await;
    assert!(
        english.contains(r#"<time datetime="2026-11-25T17:02:00Z">Nov 26, 2026 2:02 AM</time>"#)
    );
    app.switch_language(&client, "ko", "/").await;
    let korean = app.get_html(&client, "/account").await;
    assert!(
        korean.contains(">2026년 11월 26일 오전 02:02</time>"),
        "pybo's format, in Seoul time"
    );
    app.stop().await;
}

#[tokio::test]
async fn healthz_answers_ok_when_the_database_answers() {
    let app = spawn_app().await;
    let response = app.get(&browser(), "/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.expect("body"), "ok\n");
    app.stop().await;
}

#[tokio::test]
async fn a_500_shows_no_internals_and_its_request_id_is_in_the_log() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("miniboard.db");
    let server = ServerProcess::start(&db, &[]);
    let client = browser();
    let page = crate::helpers::page_text(&client, &format!("{}/signup", server.base)).await;
    let token = crate::helpers::csrf_token_in(&page).expect("token");
    // Break storage under the running server.
    server.storage().break_accounts();
    let response = client
        .post(format!("{}/signup", server.base))
        .form(&crate::helpers::sign_up_form(
            "quinn",
            "quinn@example.com",
            &token,
        ))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let html = response.text().await.expect("body");
    assert!(html.contains("Something went wrong"));
    // (The navbar links `/users`: the engine's words for the missing table are what must not show.)
    assert!(
        !html.contains("no such table") && !html.contains("table: users"),
        "no table names"
    );
    assert!(!html.to_lowercase().contains("sqlite"), "no internals");
    let id = request_id_in_page(&html).expect("request id on the page");
    let logged = server.wait_for_log(|log| {
        log.lines()
            // The engine's own words for a missing table, which name it.
            .find(|line| line.contains(&id) && line.contains("users"))
            .map(str::to_owned)
    });
    assert!(
        logged.is_some(),
        "the error and its id are logged:\n{}",
        server.log()
    );
    // The access log has one line for the request, with its status and id.
    let access = server.wait_for_log(|log| {
        log.lines()
            .find(|line| {
                line.contains("miniboard::access")
                    && line.contains(&id)
                    && line.contains("status=500")
            })
            .map(str::to_owned)
    });
    let access = access.expect("an access log line");
    assert!(access.contains("method=POST") && access.contains("path=/signup"));
    assert!(access.contains("latency_ms="));
    assert!(server.terminate().success());
}

#[tokio::test]
async fn an_image_or_another_site_cannot_switch_the_language() {
    let app = spawn_app().await;
    let client = browser();
    // `<img src="/lang?lang=ko">` in a post: a GET changes nothing.
    let response = app.get(&client, "/lang?lang=ko&next=/").await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(crate::helpers::set_cookie_value(&response, "lang").is_none());
    // A form on another site posting here.
    let response = client
        .post(app.url("/lang"))
        .header("origin", "https://evil.example")
        .form(&[("lang", "ko"), ("next", "/")])
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(crate::helpers::set_cookie_value(&response, "lang").is_none());
    assert!(
        app.get_html(&client, "/")
            .await
            .contains(r#"<html lang="en">"#)
    );
    app.stop().await;
}

#[tokio::test]
async fn storage_events_carry_the_request_id() {
    let dir = tempfile::tempdir().expect("dir");
    let server = ServerProcess::start(
        &dir.path().join("miniboard.db"),
        &[("MINIBOARD_LOG", "info,miniboard::store=debug")],
    );
    let client = browser();
    let page = crate::helpers::page_text(&client, &format!("{}/signup", server.base)).await;
    let token = crate::helpers::csrf_token_in(&page).expect("token");
    let response = client
        .post(format!("{}/signup", server.base))
        .form(&crate::helpers::sign_up_form(
            "rita",
            "rita@example.com",
            &token,
        ))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let id = response.headers()["x-request-id"]
        .to_str()
        .expect("id")
        .to_owned();
    // The account's insert ran on a blocking thread, inside the request's span.
    let logged = server.wait_for_log(|log| {
        log.lines()
            .find(|line| line.contains(&id) && line.contains("write committed"))
            .map(str::to_owned)
    });
    assert!(logged.is_some(), "{}", server.log());
    assert!(server.terminate().success());
}
