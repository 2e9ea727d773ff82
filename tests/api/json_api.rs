//! The JSON API (`/api/v1`) as a program uses it: personal access tokens made on the account page, the
//! questions and answers operations, and one JSON error shape for every failure, with nothing changed.

use reqwest::{Client, Method, StatusCode, header::HeaderMap};
use serde_json::{Value, json};

use crate::helpers::{TestApp, attribute_after, browser, spawn_app};

/// A program's client: no cookies, so nothing but its token speaks for it.
fn program() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// An API response: its status, headers and JSON body (`Null` when it has none).
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

impl Answer {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
    }

    /// An error's `code`, after checking the body is the one error shape.
    fn error_code(&self) -> &str {
        assert!(
            self.header("content-type").starts_with("application/json"),
            "{}: {:?}",
            self.status,
            self.headers
        );
        let error = &self.body["error"];
        assert!(
            error["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{}",
            self.body
        );
        error["code"].as_str().unwrap_or_default()
    }
}

/// Sends a request with an optional token and a raw body (sent as JSON).
async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> Answer {
    send(app, method, path, token, body, &[]).await
}

async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> Answer {
    let mut request = program().request(method, app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("API request");
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text)
            .unwrap_or_else(|err| panic!("{status}: not JSON ({err}): {text}"))
    };
    Answer {
        status,
        headers,
        body,
    }
}

/// Makes a token on the account page, as its owner would; the page shows it once.
pub async fn make_token(app: &TestApp, user: &Client, name: &str, scope: &str) -> String {
    let response = app
        .post_form(
            user,
            "/account/tokens",
            &[
                ("name", name),
                ("scope", scope),
                ("expires", ""),
                ("current_password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let page = response.text().await.expect("page");
    let token = attribute_after(
        &page,
        r#"id="new-token-value" type="text" readonly value=""#,
    )
    .unwrap_or_else(|| panic!("the new token on the page: {page}"));
    assert!(token.starts_with("mbt_"), "{token}");
    token
}

async fn question_total(app: &TestApp) -> i64 {
    let list = call(app, Method::GET, "/api/v1/questions", None, None).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    list.body["total"].as_i64().expect("total")
}

#[tokio::test]
async fn tokens_are_made_on_the_account_page_shown_once_listed_and_revoked() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let account = app.get_html(&alice, "/account").await;
    assert!(account.contains("id=\"no-tokens\""), "{account}");

    let token = make_token(&app, &alice, "deploy bot", "write").await;
    let account = app.get_html(&alice, "/account").await;
    assert!(!account.contains(&token), "a token is shown once");
    assert!(account.contains("deploy bot"));
    assert!(
        account.contains(r#"data-scope="write">Write</span>"#),
        "{account}"
    );
    assert!(account.contains("never used"));

    // Used: the account page says when.
    let asked = call(
        &app,
        Method::POST,
        "/api/v1/questions",
        Some(&token),
        Some(r#"{"subject": "Asked by a script", "content": "Through the API."}"#),
    )
    .await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
    let account = app.get_html(&alice, "/account").await;
    assert!(account.contains("last used"), "{account}");

    // In Korean too.
    app.switch_language(&alice, "ko", "/account").await;
    let account = app.get_html(&alice, "/account").await;
    assert!(account.contains("API 토큰") && account.contains(">쓰기</span>"));

    // A form with problems keeps what was typed and says what is wrong, in the page's language.
    let response = app
        .post_form(
            &alice,
            "/account/tokens",
            &[
                ("name", "cron"),
                ("scope", "admin"),
                ("expires", "2020-01-01"),
                ("current_password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.expect("page");
    assert!(page.contains("읽기 또는 쓰기를 고르세요.") && page.contains(r#"value="cron""#));

    // Someone else cannot revoke it; its owner can, and then it is refused.
    let bob = app.signed_up_user("bob").await;
    let id = attribute_after(&account, r#"data-token=""#).expect("token id");
    let response = app
        .post_form(&bob, &format!("/account/tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let me = call(&app, Method::GET, "/api/v1/questions", Some(&token), None).await;
    assert_eq!(me.status, StatusCode::OK);
    let response = app
        .post_form(&alice, &format!("/account/tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let refused = call(&app, Method::GET, "/api/v1/questions", Some(&token), None).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.error_code(), "unauthorized");

    // A token takes the current password, and a new password revokes every token: a borrowed session
    // cannot leave a token behind that outlives the password.
    let response = app
        .post_form(
            &alice,
            "/account/tokens",
            &[
                ("name", "sneaky"),
                ("scope", "write"),
                ("current_password", "not the password"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        !response
            .text()
            .await
            .expect("page")
            .contains("new-token-value")
    );
    let kept = make_token(&app, &alice, "kept until the password changes", "read").await;
    let works = call(&app, Method::GET, "/api/v1/me", Some(&kept), None).await;
    assert_eq!(works.status, StatusCode::OK);
    let changed = app
        .post_form(
            &alice,
            "/account/password",
            &[
                ("current_password", crate::helpers::PASSWORD),
                ("password1", "a brand new password"),
                ("password2", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    let revoked = call(&app, Method::GET, "/api/v1/me", Some(&kept), None).await;
    assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        refused.header("www-authenticate"),
        "Bearer realm=\"miniboard\""
    );
    app.stop().await;
}

#[tokio::test]
async fn a_program_asks_answers_edits_and_deletes_as_its_token_s_account() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let alice_token = make_token(&app, &alice, "alice's script", "write").await;
    let bob_token = make_token(&app, &bob, "bob's script", "write").await;

    let asked = call(
        &app,
        Method::POST,
        "/api/v1/questions",
        Some(&alice_token),
        Some(
            &json!({"subject": "Where is the API?", "content": "Is there **one**?", "tags": ["api", "http"]})
                .to_string(),
        ),
    )
    .await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
    let question = asked.body["id"].as_i64().expect("id");
    assert_eq!(
        asked.header("location"),
        format!("/api/v1/questions/{question}")
    );
    assert_eq!(asked.body["subject"], "Where is the API?");
    assert_eq!(
        asked.body["content_html"],
        "<p>Is there <strong>one</strong>?</p>\n"
    );
    assert_eq!(asked.body["tags"], json!(["api", "http"]));
    assert_eq!(asked.body["author"]["username"], "alice");
    assert_eq!(asked.body["state"], "unanswered");
    assert!(
        asked.body["created_at"]
            .as_str()
            .is_some_and(|t| t.len() == 20 && t.ends_with('Z')),
        "RFC 3339 in UTC: {}",
        asked.body["created_at"]
    );
    // The page shows it too: one board behind both doors.
    let page = app
        .get_html(&browser(), &format!("/questions/{question}"))
        .await;
    assert!(page.contains("Where is the API?"));

    let answered = call(
        &app,
        Method::POST,
        &format!("/api/v1/questions/{question}/answers"),
        Some(&bob_token),
        Some(r#"{"content": "Here, @alice."}"#),
    )
    .await;
    assert_eq!(answered.status, StatusCode::CREATED, "{}", answered.body);
    let answer = answered.body["id"].as_i64().expect("id");
    assert_eq!(
        answered.header("location"),
        format!("/api/v1/answers/{answer}")
    );
    assert!(
        answered.body["content_html"]
            .as_str()
            .is_some_and(|html| html.contains(r#"href="/users/alice""#)),
        "{}",
        answered.body
    );

    let read = call(
        &app,
        Method::GET,
        &format!("/api/v1/questions/{question}"),
        None,
        None,
    )
    .await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body["answer_count"], 1);
    assert_eq!(read.body["state"], "answered");
    assert_eq!(read.body["answers"]["items"][0]["id"], answer);
    assert_eq!(read.body["answers"]["total"], 1);

    // Only its author edits or deletes a post; the other is told why.
    let refused = call(
        &app,
        Method::PUT,
        &format!("/api/v1/answers/{answer}"),
        Some(&alice_token),
        Some(r#"{"content": "Not mine to change."}"#),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.error_code(), "not_author");
    let refused = call(
        &app,
        Method::DELETE,
        &format!("/api/v1/questions/{question}"),
        Some(&bob_token),
        None,
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let edited = call(
        &app,
        Method::PUT,
        &format!("/api/v1/answers/{answer}"),
        Some(&bob_token),
        Some(r#"{"content": "Here: /api/v1."}"#),
    )
    .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    assert_eq!(edited.body["content"], "Here: /api/v1.");
    assert!(edited.body["modified_at"].is_string());

    // An edit without `tags` keeps them; with them, replaces them.
    let edited = call(
        &app,
        Method::PUT,
        &format!("/api/v1/questions/{question}"),
        Some(&alice_token),
        Some(r#"{"subject": "Where is the JSON API?", "content": "Found it."}"#),
    )
    .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    assert_eq!(edited.body["tags"], json!(["api", "http"]));
    let edited = call(
        &app,
        Method::PUT,
        &format!("/api/v1/questions/{question}"),
        Some(&alice_token),
        Some(r#"{"subject": "Where is the JSON API?", "content": "Found it.", "tags": ["json"]}"#),
    )
    .await;
    assert_eq!(edited.body["tags"], json!(["json"]));
    // Searchable by its new subject at once.
    let found = call(
        &app,
        Method::GET,
        "/api/v1/questions?q=JSON%20API",
        None,
        None,
    )
    .await;
    assert_eq!(found.body["items"][0]["id"], question, "{}", found.body);

    let deleted = call(
        &app,
        Method::DELETE,
        &format!("/api/v1/answers/{answer}"),
        Some(&bob_token),
        None,
    )
    .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = call(
        &app,
        Method::GET,
        &format!("/api/v1/answers/{answer}"),
        None,
        None,
    )
    .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(gone.error_code(), "not_found");
    let deleted = call(
        &app,
        Method::DELETE,
        &format!("/api/v1/questions/{question}"),
        Some(&alice_token),
        None,
    )
    .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(question_total(&app).await, 0);
    app.stop().await;
}

#[tokio::test]
async fn lists_page_with_next_links_filter_by_tag_and_search() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let token = make_token(&app, &alice, "seed", "write").await;
    for n in 1..=12 {
        let tags = if n % 2 == 0 {
            r#"["even"]"#
        } else {
            r#"["odd"]"#
        };
        let body = format!(
            r#"{{"subject": "Question number {n}", "content": "Body {n}", "tags": {tags}}}"#
        );
        let asked = call(
            &app,
            Method::POST,
            "/api/v1/questions",
            Some(&token),
            Some(&body),
        )
        .await;
        assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
    }
    let first = call(&app, Method::GET, "/api/v1/questions", None, None).await;
    assert_eq!(first.body["total"], 12);
    assert_eq!(first.body["page"], 1);
    assert_eq!(first.body["items"].as_array().map(Vec::len), Some(10));
    assert_eq!(first.body["items"][0]["subject"], "Question number 12");
    assert_eq!(first.body["items"][0]["author"]["username"], "alice");
    assert!(first.body["items"][0]["author"]["id"].is_i64());
    assert!(first.body["items"][0]["author"]["reputation"].is_i64());
    assert_eq!(first.body["next"], "/api/v1/questions?page=2");
    assert_eq!(
        first.header("link"),
        r#"</api/v1/questions?page=2>; rel="next""#
    );
    let second = call(&app, Method::GET, "/api/v1/questions?page=2", None, None).await;
    assert_eq!(second.body["items"].as_array().map(Vec::len), Some(2));
    assert!(second.body["next"].is_null());
    assert_eq!(
        second.header("link"),
        r#"</api/v1/questions?page=1>; rel="prev""#
    );

    let even = call(
        &app,
        Method::GET,
        "/api/v1/questions?tag=even&sort=recent",
        None,
        None,
    )
    .await;
    assert_eq!(even.body["total"], 6, "{}", even.body);
    assert!(
        even.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|item| item["tags"] == json!(["even"]))
    );
    let unknown = call(
        &app,
        Method::GET,
        "/api/v1/questions?tag=nothing",
        None,
        None,
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    // An old question is found by its own subject, and a tag narrows a search.
    let found = call(
        &app,
        Method::GET,
        "/api/v1/questions?q=%22number%203%22",
        None,
        None,
    )
    .await;
    assert_eq!(found.body["total"], 1, "{}", found.body);
    assert_eq!(found.body["items"][0]["subject"], "Question number 3");
    let narrowed = call(
        &app,
        Method::GET,
        "/api/v1/questions?q=question&tag=odd",
        None,
        None,
    )
    .await;
    assert_eq!(narrowed.body["total"], 6, "{}", narrowed.body);

    // Orders that do not apply are refused rather than guessed.
    for path in [
        "/api/v1/questions?sort=best",
        "/api/v1/questions?q=question&sort=unanswered",
        "/api/v1/questions?sort=newest",
        "/api/v1/questions?page=0",
        "/api/v1/questions?page=x",
    ] {
        let refused = call(&app, Method::GET, path, None, None).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(refused.error_code(), "bad_request", "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn reads_need_no_token_revalidate_by_etag_and_nothing_read_with_a_token_is_stored() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let question = app.ask(&alice, "Cached?", "Maybe.").await;
    let path = format!("/api/v1/questions/{question}");
    let first = call(&app, Method::GET, &path, None, None).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.header("cache-control"), "no-cache");
    assert_eq!(
        first.header("content-type"),
        "application/json; charset=utf-8"
    );
    let etag = first.header("etag").to_owned();
    assert!(etag.starts_with('"'), "{etag}");
    let again = send(
        &app,
        Method::GET,
        &path,
        None,
        None,
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    // A change makes a new ETag.
    app.answer(&alice, question, "Now answered.").await;
    let changed = send(
        &app,
        Method::GET,
        &path,
        None,
        None,
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_ne!(changed.header("etag"), etag);

    let token = make_token(&app, &alice, "reader", "read").await;
    let mine = call(&app, Method::GET, &path, Some(&token), None).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(mine.header("cache-control"), "no-store");
    // With a token, what its account did shows: it follows its own question.
    assert_eq!(mine.body["followed"], true);
    assert_eq!(changed.body["followed"], false);
    app.stop().await;
}

#[tokio::test]
async fn every_failure_is_one_json_error_and_changes_nothing() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let writer = make_token(&app, &alice, "writer", "write").await;
    let reader = make_token(&app, &alice, "reader", "read").await;
    let expiring = make_token(&app, &alice, "expiring", "write").await;
    app.storage()
        .change_sql("UPDATE api_tokens SET expires_at = 1 WHERE name = 'expiring'");
    let bob = app.signed_up_user("bob").await;
    let bobs = app.ask(&bob, "Bob's question", "Not Alice's.").await;

    let ask = |body: &'static str| (Method::POST, "/api/v1/questions".to_owned(), body);
    // (token, request, the status and code it gets)
    type Case<'a> = (
        Option<&'a str>,
        (Method, String, &'a str),
        StatusCode,
        &'a str,
    );
    let cases: Vec<Case> = vec![
        (
            Some(&writer),
            ask(r#"{"subject": "x", "#),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            Some(&writer),
            ask(r#"{"subject": "x" "content": "y"}"#),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            Some(&writer),
            ask(r#"{"subject": 5, "content": "y"}"#),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            Some(&writer),
            ask(r#"{"subject": "x", "content": true}"#),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            Some(&writer),
            ask(r#"{"subject": "x", "content": "y", "tags": "a"}"#),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            Some(&writer),
            ask(r#"{"subject": "x", "content": "y", "pinned": true}"#),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            Some(&writer),
            ask(r#"["subject", "content"]"#),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            Some(&writer),
            ask(r#"{"subject": "\ud800", "content": "y"}"#),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            Some(&writer),
            ask(r#"{"subject": "x", "content": "a\u0000b"}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        (
            Some(&writer),
            ask(r#"{"subject": " ", "content": "y"}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        (
            None,
            ask(r#"{"subject": "x", "content": "y"}"#),
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        ),
        (
            Some("mbt_0123"),
            ask(r#"{"subject": "x", "content": "y"}"#),
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        ),
        (
            Some(&expiring),
            ask(r#"{"subject": "x", "content": "y"}"#),
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        ),
        (
            Some(&reader),
            ask(r#"{"subject": "x", "content": "y"}"#),
            StatusCode::FORBIDDEN,
            "read_only_token",
        ),
        (
            Some(&writer),
            (
                Method::PUT,
                format!("/api/v1/questions/{bobs}"),
                r#"{"subject": "Mine now", "content": "y"}"#,
            ),
            StatusCode::FORBIDDEN,
            "not_author",
        ),
        (
            Some(&writer),
            (Method::DELETE, format!("/api/v1/questions/{bobs}"), ""),
            StatusCode::FORBIDDEN,
            "not_author",
        ),
        (
            Some(&writer),
            (
                Method::GET,
                "/api/v1/questions/9223372036854775808".into(),
                "",
            ),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            Some(&writer),
            (Method::GET, "/api/v1/questions/abc".into(), ""),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            Some(&writer),
            (Method::GET, "/api/v1/questions/-1".into(), ""),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            Some(&writer),
            (
                Method::DELETE,
                "/api/v1/answers/9223372036854775807".into(),
                "",
            ),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            None,
            (Method::GET, "/api/v1/nothing-here".into(), ""),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            None,
            (Method::PATCH, "/api/v1/questions".into(), ""),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
    ];
    for (token, (method, path, body), status, code) in cases {
        let body = (!body.is_empty()).then_some(body);
        let answer = call(&app, method.clone(), &path, token, body).await;
        assert_eq!(
            answer.status, status,
            "{method} {path} {body:?}: {}",
            answer.body
        );
        assert_eq!(answer.error_code(), code, "{method} {path} {body:?}");
        if status == StatusCode::UNAUTHORIZED {
            assert_eq!(
                answer.header("www-authenticate"),
                "Bearer realm=\"miniboard\""
            );
        }
        if status == StatusCode::METHOD_NOT_ALLOWED {
            assert_eq!(answer.header("allow"), "GET, POST, HEAD", "{path}");
        }
    }

    // Field problems are said per field, in the language asked for.
    let invalid = send(
        &app,
        Method::POST,
        "/api/v1/questions",
        Some(&writer),
        Some(r#"{"subject": "", "content": "y", "tags": ["two words"]}"#),
        &[("accept-language", "ko-KR,ko;q=0.9")],
    )
    .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &invalid.body["error"]["fields"];
    assert_eq!(fields["subject"], "필수 항목입니다.", "{}", invalid.body);
    assert!(
        fields["tags"]
            .as_str()
            .is_some_and(|m| m.contains("“two words”"))
    );

    // Not JSON at all, and over the size limit.
    let form = program()
        .post(app.url("/api/v1/questions"))
        .bearer_auth(&writer)
        .form(&[("subject", "x"), ("content", "y")])
        .send()
        .await
        .expect("POST");
    assert_eq!(form.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let too_big = format!(
        r#"{{"subject": "x", "content": "{}"}}"#,
        "y".repeat(1024 * 1024 + 1 - 31)
    );
    assert_eq!(too_big.len(), 1024 * 1024 + 1);
    let answer = call(
        &app,
        Method::POST,
        "/api/v1/questions",
        Some(&writer),
        Some(&too_big),
    )
    .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.error_code(), "payload_too_large");

    // Nothing of it was written; Bob's question is as it was.
    assert_eq!(question_total(&app).await, 1);
    let bobs = call(
        &app,
        Method::GET,
        &format!("/api/v1/questions/{bobs}"),
        None,
        None,
    )
    .await;
    assert_eq!(bobs.body["subject"], "Bob's question");

    // Four-byte characters are text like any other.
    let asked = call(
        &app,
        Method::POST,
        "/api/v1/questions",
        Some(&writer),
        Some(r#"{"subject": "Emoji 😀 and 𠜎 \ud83d\ude00", "content": "y"}"#),
    )
    .await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
    assert_eq!(asked.body["subject"], "Emoji 😀 and 𠜎 😀");
    app.stop().await;
}

#[tokio::test]
async fn the_operator_makes_a_token_from_the_command_line() {
    let app = spawn_app().await;
    let _alice = app.signed_up_user("alice").await;
    let database = app.database.config_value();
    let output = crate::helpers::miniboard_command()
        .args([
            "token", "create", "alice", "--scope", "write", "--name", "ci",
        ])
        .env("MINIBOARD_DATABASE", &database)
        .output()
        .expect("run miniboard token create");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let token = String::from_utf8(output.stdout).expect("utf-8");
    let token = token.trim();
    assert!(
        token.starts_with("mbt_") && token.len() == 68,
        "only the token: {token}"
    );
    let asked = call(
        &app,
        Method::POST,
        "/api/v1/questions",
        Some(token),
        Some(r#"{"subject": "From CI", "content": "Made by the operator's token."}"#),
    )
    .await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
    assert_eq!(asked.body["author"]["username"], "alice");

    for (args, said) in [
        (vec!["token", "create", "nobody"], "no account is named"),
        (
            vec!["token", "create", "alice", "--scope", "admin"],
            "--scope: Choose read or write.",
        ),
    ] {
        let output = crate::helpers::miniboard_command()
            .args(&args)
            .env("MINIBOARD_DATABASE", &database)
            .output()
            .expect("run");
        assert!(!output.status.success());
        assert!(output.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(said), "{stderr}");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_document_describes_every_operation_with_its_errors() {
    let app = spawn_app().await;
    let document = call(&app, Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(document.status, StatusCode::OK);
    assert!(
        document.body["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3."))
    );
    let paths = document.body["paths"].as_object().expect("paths");
    let mut operations = Vec::new();
    for (path, methods) in paths {
        for (method, operation) in methods.as_object().expect("methods") {
            operations.push(format!("{method} {path}"));
            let responses = operation["responses"].as_object().expect("responses");
            for status in ["400", "401", "403", "404", "422", "429", "500"] {
                assert!(
                    responses.contains_key(status),
                    "{method} {path} lacks {status}"
                );
            }
            let error =
                &responses["404"]["content"]["application/json; charset=utf-8"]["schema"]["$ref"];
            assert_eq!(error, "#/components/schemas/ErrorBody", "{method} {path}");
        }
    }
    operations.sort();
    assert_eq!(
        operations,
        [
            "delete /answers/{id}",
            "delete /answers/{id}/accepted",
            "delete /answers/{id}/flags",
            "delete /answers/{id}/like",
            "delete /comments/{id}",
            "delete /comments/{id}/flags",
            "delete /questions/{id}",
            "delete /questions/{id}/closure",
            "delete /questions/{id}/flags",
            "delete /questions/{id}/follow",
            "delete /questions/{id}/like",
            "delete /tags/{name}/follow",
            "delete /users/{name}/suspension",
            "get /answers/{id}",
            "get /answers/{id}/comments",
            "get /answers/{id}/revisions",
            "get /comments/{id}",
            "get /comments/{id}/revisions",
            "get /me",
            "get /me/following",
            "get /me/mail",
            "get /me/notifications",
            "get /me/tokens",
            "get /moderation/log",
            "get /questions",
            "get /questions/{id}",
            "get /questions/{id}/answers",
            "get /questions/{id}/comments",
            "get /questions/{id}/revisions",
            "get /review",
            "get /tags",
            "get /users",
            "get /users/{name}",
            "get /users/{name}/answers",
            "get /users/{name}/questions",
            "post /answers/{id}/comments",
            "post /answers/{id}/flags",
            "post /answers/{id}/purge",
            "post /answers/{id}/revisions/{number}/rollback",
            "post /answers/{id}/undelete",
            "post /comments/{id}/flags",
            "post /comments/{id}/revisions/{number}/rollback",
            "post /me/notifications/read",
            "post /questions",
            "post /questions/{id}/answers",
            "post /questions/{id}/comments",
            "post /questions/{id}/flags",
            "post /questions/{id}/purge",
            "post /questions/{id}/revisions/{number}/rollback",
            "post /questions/{id}/undelete",
            "put /answers/{id}",
            "put /answers/{id}/accepted",
            "put /answers/{id}/like",
            "put /comments/{id}",
            "put /me/mail",
            "put /questions/{id}",
            "put /questions/{id}/closure",
            "put /questions/{id}/follow",
            "put /questions/{id}/like",
            "put /tags/{name}/follow",
            "put /users/{name}/role",
            "put /users/{name}/suspension",
        ]
    );
    assert_eq!(document.body["servers"][0]["url"], "/api/v1");
    // Every request body refuses fields it does not name, and says so.
    let schemas = document.body["components"]["schemas"]
        .as_object()
        .expect("schemas");
    let inputs: Vec<&String> = schemas
        .keys()
        .filter(|name| name.ends_with("Input"))
        .collect();
    assert_eq!(inputs.len(), 8, "{inputs:?}");
    for name in inputs {
        assert_eq!(schemas[name]["additionalProperties"], false, "{name}");
    }

    // The reference page says the same, in the page's language, with no script.
    let page = app.get_html(&browser(), "/api/docs").await;
    for id in [
        "listQuestions",
        "askQuestion",
        "getQuestion",
        "editQuestion",
        "deleteQuestion",
        "listAnswers",
        "answerQuestion",
        "getAnswer",
        "editAnswer",
        "deleteAnswer",
        "likeAnswer",
        "acceptAnswer",
        "listQuestionComments",
        "commentOnAnswer",
        "listTags",
        "getUser",
        "listNotifications",
        "setMailSettings",
        "closeQuestion",
        "suspendUser",
        "setRole",
        "moderationLog",
    ] {
        assert!(page.contains(&format!(r#"id="{id}""#)), "{id}");
    }
    assert!(page.contains(r#"id="schema-ErrorBody""#) && page.contains("Needs a token."));
    assert!(!page.contains("<script>"));
    let korean = app
        .get_html_with(&browser(), "/api/docs", &[("accept-language", "ko")])
        .await;
    assert!(korean.contains("API 문서") && korean.contains("토큰이 필요합니다."));
    // Anything else under /api is the API's: JSON, never a page.
    let missing = call(&app, Method::GET, "/api/docs/more", None, None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.error_code(), "not_found");
    app.stop().await;
}

/// The JSON of a POST or PUT that must succeed with `status`.
async fn ok(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: &str,
    status: StatusCode,
) -> Value {
    let body = (!body.is_empty()).then_some(body);
    let answer = call(app, method.clone(), path, Some(token), body).await;
    assert_eq!(answer.status, status, "{method} {path}: {}", answer.body);
    answer.body
}

#[tokio::test]
async fn likes_accepts_and_follows_are_puts_and_deletes_that_say_how_things_stand() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let alice_token = make_token(&app, &alice, "alice", "write").await;
    let bob_token = make_token(&app, &bob, "bob", "write").await;
    let bob_reader = make_token(&app, &bob, "bob reads", "read").await;
    let question = app
        .ask(&alice, "Likes through the API?", "Let us see.")
        .await;
    let answer = app.answer(&bob, question, "Like this.").await;
    let like_question = format!("/api/v1/questions/{question}/like");
    let like_answer = format!("/api/v1/answers/{answer}/like");

    // Twice is once: a PUT makes it so, and saying so again changes nothing.
    for _ in 0..2 {
        let liked = ok(
            &app,
            Method::PUT,
            &like_question,
            &bob_token,
            "",
            StatusCode::OK,
        )
        .await;
        assert_eq!(liked, json!({"liked": true, "like_count": 1}));
    }
    let shown = call(
        &app,
        Method::GET,
        &format!("/api/v1/questions/{question}"),
        Some(&bob_token),
        None,
    )
    .await;
    assert_eq!(shown.body["liked"], true);
    assert_eq!(shown.body["like_count"], 1);
    for _ in 0..2 {
        let unliked = ok(
            &app,
            Method::DELETE,
            &like_question,
            &bob_token,
            "",
            StatusCode::OK,
        )
        .await;
        assert_eq!(unliked, json!({"liked": false, "like_count": 0}));
    }
    let own = call(&app, Method::PUT, &like_answer, Some(&bob_token), None).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    assert_eq!(own.error_code(), "own_post");
    let read_only = call(&app, Method::PUT, &like_question, Some(&bob_reader), None).await;
    assert_eq!(read_only.error_code(), "read_only_token");
    let liked = ok(
        &app,
        Method::PUT,
        &like_answer,
        &alice_token,
        "",
        StatusCode::OK,
    )
    .await;
    assert_eq!(liked["like_count"], 1);
    let missing = call(
        &app,
        Method::PUT,
        "/api/v1/answers/999999/like",
        Some(&alice_token),
        None,
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    // Only the question's author accepts; accepting twice tells the answerer once.
    let accepted = format!("/api/v1/answers/{answer}/accepted");
    let refused = call(&app, Method::PUT, &accepted, Some(&bob_token), None).await;
    assert_eq!(refused.error_code(), "not_author");
    for _ in 0..2 {
        let state = ok(
            &app,
            Method::PUT,
            &accepted,
            &alice_token,
            "",
            StatusCode::OK,
        )
        .await;
        assert_eq!(
            state,
            json!({"answer_id": answer, "question_id": question, "accepted": true})
        );
    }
    let read = call(
        &app,
        Method::GET,
        &format!("/api/v1/questions/{question}"),
        None,
        None,
    )
    .await;
    assert_eq!(read.body["state"], "accepted");
    assert_eq!(read.body["accepted_answer_id"], answer);
    let inbox = ok(
        &app,
        Method::GET,
        "/api/v1/me/notifications",
        &bob_token,
        "",
        StatusCode::OK,
    )
    .await;
    let accepts = inbox["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|n| n["kind"] == "accepted")
        .count();
    assert_eq!(accepts, 1, "{inbox}");
    let state = ok(
        &app,
        Method::DELETE,
        &accepted,
        &alice_token,
        "",
        StatusCode::OK,
    )
    .await;
    assert_eq!(state["accepted"], false);

    // Follows: a question, and a tag (which must be on some question).
    let follow = format!("/api/v1/questions/{question}/follow");
    assert_eq!(
        ok(&app, Method::PUT, &follow, &bob_token, "", StatusCode::OK).await,
        json!({"following": true})
    );
    assert_eq!(
        ok(&app, Method::PUT, &follow, &bob_token, "", StatusCode::OK).await,
        json!({"following": true})
    );
    app.post_form(
        &alice,
        &format!("/questions/{question}/edit"),
        &[
            ("subject", "Likes through the API?"),
            ("content", "Let us see."),
            ("tags", "api c#"),
        ],
    )
    .await;
    assert_eq!(
        ok(
            &app,
            Method::PUT,
            "/api/v1/tags/c%23/follow",
            &bob_token,
            "",
            StatusCode::OK
        )
        .await,
        json!({"following": true})
    );
    let following = ok(
        &app,
        Method::GET,
        "/api/v1/me/following",
        &bob_reader,
        "",
        StatusCode::OK,
    )
    .await;
    assert_eq!(following["tags"], json!(["c#"]));
    assert_eq!(following["questions"][0]["id"], question);
    assert_eq!(
        ok(
            &app,
            Method::DELETE,
            &follow,
            &bob_token,
            "",
            StatusCode::OK
        )
        .await,
        json!({"following": false})
    );
    let unknown = call(
        &app,
        Method::PUT,
        "/api/v1/tags/never-used/follow",
        Some(&bob_token),
        None,
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn comments_are_written_read_edited_and_deleted_on_questions_and_answers() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let alice_token = make_token(&app, &alice, "alice", "write").await;
    let bob_token = make_token(&app, &bob, "bob", "write").await;
    let question = app.ask(&alice, "Comments through the API?", "Yes.").await;
    let answer = app.answer(&bob, question, "An answer.").await;

    let made = call(
        &app,
        Method::POST,
        &format!("/api/v1/answers/{answer}/comments"),
        Some(&alice_token),
        Some(r#"{"content": "Thanks, @bob: `it works`."}"#),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let comment = made.body["id"].as_i64().expect("id");
    assert_eq!(
        made.header("location"),
        format!("/api/v1/comments/{comment}")
    );
    assert_eq!(made.body["post_kind"], "answer");
    assert_eq!(made.body["post_id"], answer);
    assert_eq!(made.body["question_id"], question);
    assert!(
        made.body["content_html"]
            .as_str()
            .is_some_and(|h| h.contains("<code>it works</code>"))
    );
    ok(
        &app,
        Method::POST,
        &format!("/api/v1/questions/{question}/comments"),
        &bob_token,
        r#"{"content": "On the question."}"#,
        StatusCode::CREATED,
    )
    .await;

    let on_answer = call(
        &app,
        Method::GET,
        &format!("/api/v1/answers/{answer}/comments"),
        None,
        None,
    )
    .await;
    assert_eq!(on_answer.body["total"], 1);
    assert_eq!(on_answer.body["items"][0]["author"]["username"], "alice");
    let on_question = call(
        &app,
        Method::GET,
        &format!("/api/v1/questions/{question}/comments"),
        None,
        None,
    )
    .await;
    assert_eq!(on_question.body["items"][0]["content"], "On the question.");
    // Bob hears of the comment on his answer (once, though it names him too).
    let inbox = ok(
        &app,
        Method::GET,
        "/api/v1/me/notifications",
        &bob_token,
        "",
        StatusCode::OK,
    )
    .await;
    assert_eq!(inbox["items"].as_array().map(Vec::len), Some(1), "{inbox}");
    assert_eq!(inbox["items"][0]["kind"], "comment");
    assert_eq!(inbox["items"][0]["comment_id"], comment);

    let too_long = json!({"content": "x".repeat(601)}).to_string();
    let invalid = call(
        &app,
        Method::PUT,
        &format!("/api/v1/comments/{comment}"),
        Some(&alice_token),
        Some(&too_long),
    )
    .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(invalid.body["error"]["fields"]["content"].is_string());
    let refused = call(
        &app,
        Method::PUT,
        &format!("/api/v1/comments/{comment}"),
        Some(&bob_token),
        Some(r#"{"content": "Mine?"}"#),
    )
    .await;
    assert_eq!(refused.error_code(), "not_author");
    let edited = ok(
        &app,
        Method::PUT,
        &format!("/api/v1/comments/{comment}"),
        &alice_token,
        r#"{"content": "Edited."}"#,
        StatusCode::OK,
    )
    .await;
    assert_eq!(edited["content"], "Edited.");
    assert!(edited["modified_at"].is_string());
    let read = call(
        &app,
        Method::GET,
        &format!("/api/v1/comments/{comment}"),
        None,
        None,
    )
    .await;
    assert_eq!(read.body["content"], "Edited.");
    ok(
        &app,
        Method::DELETE,
        &format!("/api/v1/comments/{comment}"),
        &alice_token,
        "",
        StatusCode::NO_CONTENT,
    )
    .await;
    let gone = call(
        &app,
        Method::GET,
        &format!("/api/v1/comments/{comment}"),
        None,
        None,
    )
    .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let none = call(
        &app,
        Method::GET,
        "/api/v1/answers/999999/comments",
        None,
        None,
    )
    .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn tags_users_profiles_and_the_token_s_own_account() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let token = make_token(&app, &alice, "alice", "write").await;
    let reader = make_token(&app, &alice, "alice reads", "read").await;
    for n in 0..3 {
        ok(
            &app,
            Method::POST,
            "/api/v1/questions",
            &token,
            &format!(r#"{{"subject": "Rust question {n}", "content": "x", "tags": ["rust"]}}"#),
            StatusCode::CREATED,
        )
        .await;
    }
    ok(
        &app,
        Method::POST,
        "/api/v1/questions",
        &token,
        r#"{"subject": "Python", "content": "x", "tags": ["python", "rust"]}"#,
        StatusCode::CREATED,
    )
    .await;
    let question = app.ask(&bob, "Bob asks", "x").await;
    let answer = ok(
        &app,
        Method::POST,
        &format!("/api/v1/questions/{question}/answers"),
        &token,
        r#"{"content": "Alice answers"}"#,
        StatusCode::CREATED,
    )
    .await;

    let tags = call(&app, Method::GET, "/api/v1/tags", None, None).await;
    assert_eq!(tags.body["total"], 2);
    assert_eq!(
        tags.body["items"][0],
        json!({"name": "rust", "question_count": 4, "url": "/tags/rust"})
    );
    let filtered = call(&app, Method::GET, "/api/v1/tags?q=PY", None, None).await;
    assert_eq!(filtered.body["items"][0]["name"], "python");
    assert_eq!(filtered.body["total"], 1);

    let users = call(&app, Method::GET, "/api/v1/users", None, None).await;
    assert_eq!(users.body["total"], 2);
    let names: Vec<&str> = users.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|u| u["username"].as_str())
        .collect();
    assert!(names.contains(&"alice") && names.contains(&"bob"));
    let profile = call(&app, Method::GET, "/api/v1/users/ALICE", None, None).await;
    assert_eq!(profile.status, StatusCode::OK);
    assert_eq!(profile.body["username"], "alice");
    assert_eq!(profile.body["question_count"], 4);
    assert_eq!(profile.body["answer_count"], 1);
    assert_eq!(profile.body["top_tags"][0]["name"], "rust");
    let questions = call(
        &app,
        Method::GET,
        "/api/v1/users/alice/questions",
        None,
        None,
    )
    .await;
    assert_eq!(questions.body["total"], 4);
    assert_eq!(questions.body["items"][0]["subject"], "Python");
    let answers = call(&app, Method::GET, "/api/v1/users/alice/answers", None, None).await;
    assert_eq!(answers.body["items"][0]["id"], answer["id"]);
    assert_eq!(answers.body["items"][0]["question_subject"], "Bob asks");
    let nobody = call(
        &app,
        Method::GET,
        "/api/v1/users/nobody/questions",
        None,
        None,
    )
    .await;
    assert_eq!(nobody.status, StatusCode::NOT_FOUND);

    // The token's own account: a read-only token reads it, only a write token changes it.
    let me = ok(&app, Method::GET, "/api/v1/me", &reader, "", StatusCode::OK).await;
    assert_eq!(me["username"], "alice");
    assert_eq!(me["email"], "alice@example.com");
    assert_eq!(me["token_scope"], "read");
    let anonymous = call(&app, Method::GET, "/api/v1/me", None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let mail = ok(
        &app,
        Method::GET,
        "/api/v1/me/mail",
        &reader,
        "",
        StatusCode::OK,
    )
    .await;
    assert_eq!(mail["kinds"], json!(["answer"]));
    assert_eq!(mail["digest"], false);
    let refused = call(
        &app,
        Method::PUT,
        "/api/v1/me/mail",
        Some(&reader),
        Some(r#"{"kinds": [], "digest": true}"#),
    )
    .await;
    assert_eq!(refused.error_code(), "read_only_token");
    let chosen = ok(
        &app,
        Method::PUT,
        "/api/v1/me/mail",
        &token,
        r#"{"kinds": ["mention", "accepted"], "digest": true}"#,
        StatusCode::OK,
    )
    .await;
    assert_eq!(chosen["kinds"], json!(["accepted", "mention"]));
    assert_eq!(chosen["digest"], true);
    let page = app.get_html(&alice, "/account").await;
    assert!(
        page.contains(r#"id="mail-mention" checked"#),
        "the account page shows the same choices"
    );
    let bad = call(
        &app,
        Method::PUT,
        "/api/v1/me/mail",
        Some(&token),
        Some(r#"{"kinds": ["everything"], "digest": false}"#),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let tokens = ok(
        &app,
        Method::GET,
        "/api/v1/me/tokens",
        &reader,
        "",
        StatusCode::OK,
    )
    .await;
    assert_eq!(tokens.as_array().map(Vec::len), Some(2));
    assert!(
        tokens.to_string().find("mbt_").is_none(),
        "a token is never shown again"
    );

    // Bob answers Alice's question: she hears of it. Listing changes nothing (a read-only token cannot
    // read her inbox for her); read-all, with a write token, reads it.
    let alices = questions.body["items"][0]["id"].as_i64().expect("id");
    app.answer(&bob, alices, "Bob answers").await;
    let me = ok(&app, Method::GET, "/api/v1/me", &reader, "", StatusCode::OK).await;
    assert_eq!(me["unread_notifications"], 1);
    let inbox = ok(
        &app,
        Method::GET,
        "/api/v1/me/notifications",
        &reader,
        "",
        StatusCode::OK,
    )
    .await;
    assert_eq!(inbox["items"][0]["kind"], "answer");
    assert_eq!(inbox["items"][0]["actor"], "bob");
    assert_eq!(inbox["items"][0]["question_id"], alices);
    assert_eq!(inbox["items"][0]["read"], false);
    let me = ok(&app, Method::GET, "/api/v1/me", &reader, "", StatusCode::OK).await;
    assert_eq!(me["unread_notifications"], 1);
    let refused = call(
        &app,
        Method::POST,
        "/api/v1/me/notifications/read",
        Some(&reader),
        None,
    )
    .await;
    assert_eq!(refused.error_code(), "read_only_token");
    ok(
        &app,
        Method::POST,
        "/api/v1/me/notifications/read",
        &token,
        "",
        StatusCode::NO_CONTENT,
    )
    .await;
    let me = ok(&app, Method::GET, "/api/v1/me", &reader, "", StatusCode::OK).await;
    assert_eq!(me["unread_notifications"], 0);
    let inbox = ok(
        &app,
        Method::GET,
        "/api/v1/me/notifications",
        &reader,
        "",
        StatusCode::OK,
    )
    .await;
    assert_eq!(inbox["items"][0]["read"], true);
    app.stop().await;
}

#[tokio::test]
async fn cross_origin_scripts_are_served_only_from_the_configured_origins() {
    let app = crate::helpers::spawn_app_with(|config| {
        config.api_cors_origins = vec!["https://app.example.com".into()];
    })
    .await;
    let alice = app.signed_up_user("alice").await;
    let question = app.ask(&alice, "Read from another site", "Yes.").await;
    let path = format!("/api/v1/questions/{question}");

    let preflight = send(
        &app,
        Method::OPTIONS,
        &path,
        None,
        None,
        &[
            ("origin", "https://app.example.com"),
            ("access-control-request-method", "PUT"),
            (
                "access-control-request-headers",
                "authorization, content-type",
            ),
        ],
    )
    .await;
    assert_eq!(preflight.status, StatusCode::NO_CONTENT);
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        "https://app.example.com"
    );
    assert!(
        preflight
            .header("access-control-allow-methods")
            .contains("PUT")
    );
    assert!(
        preflight
            .header("access-control-allow-headers")
            .contains("Authorization")
    );
    assert!(
        preflight
            .headers
            .get("access-control-allow-credentials")
            .is_none()
    );

    let read = send(
        &app,
        Method::GET,
        &path,
        None,
        None,
        &[("origin", "https://app.example.com")],
    )
    .await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(
        read.header("access-control-allow-origin"),
        "https://app.example.com"
    );
    assert!(
        read.header("access-control-expose-headers")
            .contains("ETag")
    );
    assert!(read.header("vary").contains("Origin"));
    let etag = read.header("etag").to_owned();
    let again = send(
        &app,
        Method::GET,
        &path,
        None,
        None,
        &[
            ("origin", "https://app.example.com"),
            ("if-none-match", &etag),
        ],
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert_eq!(
        again.header("access-control-allow-origin"),
        "https://app.example.com"
    );

    // Another site gets nothing that lets its script read the answer.
    for origin in [
        "https://evil.example",
        "https://app.example.com.evil.example",
        "null",
    ] {
        let other = send(&app, Method::GET, &path, None, None, &[("origin", origin)]).await;
        assert!(
            other.headers.get("access-control-allow-origin").is_none(),
            "{origin}"
        );
        let preflight = send(
            &app,
            Method::OPTIONS,
            &path,
            None,
            None,
            &[
                ("origin", origin),
                ("access-control-request-method", "DELETE"),
            ],
        )
        .await;
        assert!(
            preflight
                .headers
                .get("access-control-allow-origin")
                .is_none(),
            "{origin}"
        );
    }
    app.stop().await;

    // Off by default.
    let app = spawn_app().await;
    let read = send(
        &app,
        Method::GET,
        "/api/v1/questions",
        None,
        None,
        &[("origin", "https://app.example.com")],
    )
    .await;
    assert!(read.headers.get("access-control-allow-origin").is_none());
    app.stop().await;
}

#[tokio::test]
async fn a_deleted_account_s_posts_stay_without_anything_that_links_them() {
    let app = spawn_app().await;
    let carol = app.signed_up_user("carol").await;
    let question = app.ask(&carol, "Asked before leaving", "x").await;
    let deleted = app
        .post_form(
            &carol,
            "/account/delete",
            &[("current_password", crate::helpers::PASSWORD)],
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    let read = call(
        &app,
        Method::GET,
        &format!("/api/v1/questions/{question}"),
        None,
        None,
    )
    .await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(
        read.body["author"],
        json!({"id": null, "username": "", "reputation": 0, "deleted": true})
    );
    let listed = call(&app, Method::GET, "/api/v1/questions", None, None).await;
    assert_eq!(listed.body["items"][0]["author"]["id"], Value::Null);
    app.stop().await;
}

#[tokio::test]
async fn moderators_close_suspend_and_read_the_log_and_admins_give_roles() {
    let app = spawn_app().await;
    let moderator = app.staff_user("mod", "moderator").await;
    let admin = app.staff_user("root", "admin").await;
    let asker = app.signed_up_user("asker").await;
    let moderator_token = make_token(&app, &moderator, "mod", "write").await;
    let admin_token = make_token(&app, &admin, "admin", "write").await;
    let user_token = make_token(&app, &asker, "asker", "write").await;
    let read_only = make_token(&app, &moderator, "reader", "read").await;
    let original = app.ask(&asker, "The first", "text").await;
    let copy = app.ask(&asker, "The copy", "text").await;
    let closure = format!("/api/v1/questions/{copy}/closure");
    let duplicate = format!(r#"{{"reason": "duplicate", "duplicate_of": {original}}}"#);

    // Only a moderator's token with write access closes; each refusal says why and changes nothing.
    for (token, code) in [
        (&user_token, "not_moderator"),
        (&read_only, "read_only_token"),
    ] {
        let refused = call(&app, Method::PUT, &closure, Some(token), Some(&duplicate)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(refused.error_code(), code);
    }
    let missing_note = call(
        &app,
        Method::PUT,
        &closure,
        Some(&moderator_token),
        Some(r#"{"reason": "other"}"#),
    )
    .await;
    assert_eq!(missing_note.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing_note.body["error"]["fields"]["note"].is_string());
    let itself = call(
        &app,
        Method::PUT,
        &closure,
        Some(&moderator_token),
        Some(&format!(
            r#"{{"reason": "duplicate", "duplicate_of": {copy}}}"#
        )),
    )
    .await;
    assert_eq!(itself.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = call(
        &app,
        Method::PUT,
        &closure,
        Some(&moderator_token),
        Some(r#"{"reason": "spam"}"#),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    let question = format!("/api/v1/questions/{copy}");
    let open = call(&app, Method::GET, &question, None, None).await;
    assert_eq!(open.body["closure"], Value::Null);

    // Closed: twice is once, the question says why, and answers are refused with the reason.
    for _ in 0..2 {
        let closed = ok(
            &app,
            Method::PUT,
            &closure,
            &moderator_token,
            &duplicate,
            StatusCode::OK,
        )
        .await;
        assert_eq!(closed["closure"]["reason"], "duplicate");
        assert_eq!(closed["closure"]["duplicate_of"], original);
        assert_eq!(closed["closure"]["closed_by"], "mod");
    }
    let shown = call(&app, Method::GET, &question, None, None).await;
    assert_eq!(shown.body["closure"]["reason"], "duplicate");
    let listed = call(&app, Method::GET, "/api/v1/questions", None, None).await;
    let closed: Vec<bool> = listed.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["closed"] == true)
        .collect();
    assert_eq!(
        closed,
        [true, false],
        "the copy (newest) is closed, the first is not"
    );
    let answer = call(
        &app,
        Method::POST,
        &format!("{question}/answers"),
        Some(&user_token),
        Some(r#"{"content": "too late"}"#),
    )
    .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.error_code(), "question_closed");
    let reopened = ok(
        &app,
        Method::DELETE,
        &closure,
        &moderator_token,
        "",
        StatusCode::OK,
    )
    .await;
    assert_eq!(reopened["closure"], Value::Null);

    // Suspension: the user's token is refused with the reason and the day; lifted, it writes again.
    let suspension = "/api/v1/users/asker/suspension";
    let body = json!({"until": crate::helpers::tomorrow(), "reason": "Ads"}).to_string();
    let suspended = ok(
        &app,
        Method::PUT,
        suspension,
        &moderator_token,
        &body,
        StatusCode::OK,
    )
    .await;
    assert_eq!(suspended["suspension"]["reason"], "Ads");
    assert_eq!(
        suspended["suspension"]["last_day"],
        crate::helpers::tomorrow()
    );
    let asked = call(
        &app,
        Method::POST,
        "/api/v1/questions",
        Some(&user_token),
        Some(r#"{"subject": "More ads", "content": "buy"}"#),
    )
    .await;
    assert_eq!(asked.status, StatusCode::FORBIDDEN);
    assert_eq!(asked.error_code(), "suspended");
    assert!(
        asked.body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("Ads")
    );
    let on_admin = call(
        &app,
        Method::PUT,
        "/api/v1/users/root/suspension",
        Some(&moderator_token),
        Some(&body),
    )
    .await;
    assert_eq!(on_admin.status, StatusCode::FORBIDDEN);
    assert_eq!(on_admin.error_code(), "protected");
    let lifted = ok(
        &app,
        Method::DELETE,
        suspension,
        &moderator_token,
        "",
        StatusCode::OK,
    )
    .await;
    assert_eq!(lifted["suspension"], Value::Null);
    ok(
        &app,
        Method::POST,
        "/api/v1/questions",
        &user_token,
        r#"{"subject": "A real question", "content": "text"}"#,
        StatusCode::CREATED,
    )
    .await;

    // Roles: an admin's token only, never for oneself; profiles and the list say who is staff.
    let role = r#"{"role": "moderator"}"#;
    let by_moderator = call(
        &app,
        Method::PUT,
        "/api/v1/users/asker/role",
        Some(&moderator_token),
        Some(role),
    )
    .await;
    assert_eq!(by_moderator.error_code(), "not_admin");
    let own = call(
        &app,
        Method::PUT,
        "/api/v1/users/root/role",
        Some(&admin_token),
        Some(role),
    )
    .await;
    assert_eq!(own.error_code(), "own_role");
    let given = ok(
        &app,
        Method::PUT,
        "/api/v1/users/asker/role",
        &admin_token,
        role,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (given["role"].as_str(), given["previous"].as_str()),
        (Some("moderator"), Some("user"))
    );
    let profile = call(&app, Method::GET, "/api/v1/users/asker", None, None).await;
    assert_eq!(profile.body["role"], "moderator");

    // The log, newest first: role, unsuspend, suspend, reopen, close, and the operator's two grants.
    let log = ok(
        &app,
        Method::GET,
        "/api/v1/moderation/log",
        &read_only,
        "",
        StatusCode::OK,
    )
    .await;
    let actions: Vec<&str> = log["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|entry| entry["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "role",
            "unsuspend",
            "suspend",
            "reopen",
            "close",
            "role",
            "role"
        ]
    );
    assert_eq!(log["items"][6]["actor"], Value::Null, "the operator");
    let for_user = call(
        &app,
        Method::GET,
        "/api/v1/moderation/log",
        Some(&user_token),
        None,
    )
    .await;
    assert_eq!(for_user.status, StatusCode::OK, "asker is a moderator now");
    app.stop().await;
}
