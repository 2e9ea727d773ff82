//! Limits on writing, with `rate_limits` on (the other tests turn it off): a new account posts slowly at
//! first, a burst lands exactly as many posts as allowed, the same text twice is refused, links are capped
//! below a reputation; each refusal says when or why, keeps the text, and writes nothing.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app_with};

async fn app_with_limits() -> TestApp {
    spawn_app_with(|config| config.rate_limits = true).await
}

fn count(app: &TestApp, sql: &str) -> i64 {
    app.storage().number_of(sql)
}

#[tokio::test]
async fn a_new_account_asks_once_in_five_minutes_and_is_told_when_it_may_again() {
    let app = app_with_limits().await;
    let newcomer = app.signed_up_user("newcomer").await;
    let first = app.ask(&newcomer, "My first question", "Hello").await;
    // Visitors' cached pages stay: a refused post changed nothing (so refusals cannot flush the cache).
    let visitor = crate::helpers::browser();
    assert!(
        app.get_html(&visitor, "/")
            .await
            .contains("My first question")
    );
    app.storage()
        .rename_question_elsewhere(first, "Renamed behind the server's back");
    let second = app
        .post_form(
            &newcomer,
            "/questions",
            &[
                ("subject", "My second question"),
                ("content", "Typed with care"),
            ],
        )
        .await;
    assert_eq!(second.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = second.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((290..=300).contains(&wait), "{wait}");
    let page = second.text().await.unwrap();
    assert!(
        page.contains("You are posting faster than this board allows"),
        "{page}"
    );
    assert!(page.contains(&format!("send it again in {wait} seconds")) || page.contains("seconds"));
    assert!(page.contains("Typed with care"), "the text is kept");
    assert_eq!(count(&app, "SELECT count(*) FROM questions"), 1);
    assert!(
        app.get_html(&visitor, "/")
            .await
            .contains("My first question"),
        "the refusal left the visitors' page cache as it was"
    );

    // A day later the account is not new: it asks again at once.
    app.storage()
        .accounts_created_at(time::OffsetDateTime::now_utc().unix_timestamp() - 2 * 86_400);
    app.ask(&newcomer, "My second question", "Typed with care")
        .await;
    app.stop().await;
}

#[tokio::test]
async fn a_burst_of_a_hundred_answers_lands_exactly_five_and_replies_share_the_count() {
    let app = app_with_limits().await;
    let asker = app.signed_up_user("asker").await;
    let question = app.ask(&asker, "Flooded", "Answer me").await;
    let flooder = app.signed_up_user("flooder").await;
    let token = app.csrf_token(&flooder).await;
    let path = app.url(&format!("/questions/{question}/answers"));
    let sends = (0..100).map(|n| {
        let client = flooder.clone();
        let path = path.clone();
        let token = token.clone();
        async move {
            client
                .post(path)
                .header("X-CSRF-Token", token)
                .form(&[("content", format!("answer number {n}"))])
                .send()
                .await
                .expect("POST")
                .status()
        }
    });
    let statuses = futures_util::future::join_all(sends).await;
    let landed = statuses
        .iter()
        .filter(|s| **s == StatusCode::SEE_OTHER)
        .count();
    let limited = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((landed, limited), (5, 95), "{statuses:?}");
    assert_eq!(count(&app, "SELECT count(*) FROM answers"), 5);
    assert_eq!(
        count(
            &app,
            &format!("SELECT answer_count FROM questions WHERE id = {question}")
        ),
        5
    );
    // Comments count with answers: the sixth reply of any kind waits.
    let comment = app
        .post_form(
            &flooder,
            &format!("/questions/{question}/comments"),
            &[("content", "one more thing")],
        )
        .await;
    assert_eq!(comment.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(comment.headers().contains_key("retry-after"));
    assert_eq!(count(&app, "SELECT count(*) FROM comments"), 0);
    app.stop().await;
}

#[tokio::test]
async fn the_same_text_twice_and_too_many_links_are_refused_with_the_text_kept() {
    let app = app_with_limits().await;
    let asker = app.signed_up_user("asker").await;
    let question = app.ask(&asker, "Links", "Where do I read more?").await;
    let writer = app.signed_up_user("writer").await;
    let answers = format!("/questions/{question}/answers");
    app.answer(&writer, question, "Read the book.").await;
    let again = app
        .post_form(&writer, &answers, &[("content", "Read the book.")])
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("You posted this same text a moment ago.")
    );
    // Three links are fine for anyone; a fourth is not, below ten reputation.
    let three = "<https://a.example> <https://b.example> <https://c.example>";
    app.answer(&writer, question, three).await;
    let four = "<https://a.example> <https://b.example> <https://c.example> <https://d.example>";
    let refused = app.post_form(&writer, &answers, &[("content", four)]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(page.contains("may put at most 3 links"), "{page}");
    assert!(page.contains("https://d.example"), "the text is kept");
    assert_eq!(count(&app, "SELECT count(*) FROM answers"), 2);
    // Links spelled otherwise count the same; an edit cannot add what a post could not hold.
    let spelled =
        "[a](HTTP://a.example) [b](//b.example) <https://c.example> [d](HtTpS://d.example)";
    let refused = app
        .post_form(&writer, &answers, &[("content", spelled)])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let first = count(&app, "SELECT min(id) FROM answers");
    let edited = app
        .post_form(
            &writer,
            &format!("/answers/{first}/edit"),
            &[("content", four)],
        )
        .await;
    assert_eq!(edited.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.storage()
            .text_of(&format!("SELECT content FROM answers WHERE id = {first}")),
        "Read the book."
    );
    // In Korean too.
    let korean = app.switch_language(&writer, "ko", "/").await;
    assert!(korean.status().is_redirection());
    let page = app
        .post_form(&writer, &answers, &[("content", four)])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("링크를 3개까지만"), "{page}");
    app.stop().await;
}

#[tokio::test]
async fn the_api_says_too_fast_with_retry_after_and_the_switch_turns_every_limit_off() {
    let app = app_with_limits().await;
    let newcomer = app.signed_up_user("newcomer").await;
    let token = crate::json_api::make_token(&app, &newcomer, "script", "write").await;
    let ask = |subject: &'static str| {
        let client = reqwest::Client::new();
        let url = app.url("/api/v1/questions");
        let token = token.clone();
        async move {
            client
                .post(url)
                .bearer_auth(token)
                .header("content-type", "application/json")
                .body(serde_json::json!({"subject": subject, "content": subject}).to_string())
                .send()
                .await
                .expect("POST")
        }
    };
    assert_eq!(ask("first").await.status(), StatusCode::CREATED);
    let second = ask("second").await;
    assert_eq!(second.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(second.headers().contains_key("retry-after"));
    let body: Value = serde_json::from_str(&second.text().await.unwrap()).unwrap();
    assert_eq!(body["error"]["code"], "too_fast");
    app.stop().await;

    // With `rate_limits = "off"` (imports, load tests) nothing is limited.
    let app = spawn_app_with(|config| config.rate_limits = false).await;
    let newcomer = app.signed_up_user("newcomer").await;
    for n in 0..3 {
        app.ask(&newcomer, &format!("Question {n}"), "same text")
            .await;
    }
    app.stop().await;
}
