//! Likes: a toggle, never on one's own post, counted exactly under concurrency.

use reqwest::StatusCode;

use crate::helpers::{browser, like_count_in, location, spawn_app};

#[tokio::test]
async fn liking_again_takes_the_like_back() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let question = app.ask(&alice, "Like me", "text").await;
    let path = format!("/questions/{question}/like");

    let first = app.like_with_htmx(&bob, &path).await;
    assert_eq!(first.status(), StatusCode::OK);
    let fragment = first.text().await.expect("body");
    assert!(
        fragment.starts_with("<form") && fragment.contains(r#"data-like="toggle""#),
        "just the button: {fragment:.60}"
    );
    assert!(fragment.contains(r#"aria-pressed="true""#));
    assert!(fragment.contains(r#"data-like-count="1""#));

    let second = app
        .like_with_htmx(&bob, &path)
        .await
        .text()
        .await
        .expect("body");
    assert!(second.contains(r#"aria-pressed="false""#));
    assert!(second.contains(r#"data-like-count="0""#));
    let page = app.get_html(&bob, &format!("/questions/{question}")).await;
    assert_eq!(
        like_count_in(&page, &format!("question-{question}")),
        Some(0)
    );
    app.stop().await;
}

#[tokio::test]
async fn without_javascript_a_like_goes_back_to_the_post() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let question = app.ask(&alice, "Like me", "text").await;
    let answer = app.answer(&alice, question, "my answer").await;
    let token = app.csrf_token(&bob).await;
    let response = bob
        .post(app.url(&format!("/answers/{answer}/like")))
        .header(
            "Referer",
            app.url(&format!("/questions/{question}?apage=1")),
        )
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&response),
        format!("/questions/{question}?apage=1#answer-{answer}")
    );
    // An off-site Referer is not followed.
    let response = bob
        .post(app.url(&format!("/questions/{question}/like")))
        .header("Referer", "https://evil.example/x")
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(location(&response), format!("/questions/{question}"));
    let page = app.get_html(&bob, &format!("/questions/{question}")).await;
    assert_eq!(
        like_count_in(&page, &format!("question-{question}")),
        Some(1)
    );
    assert_eq!(like_count_in(&page, &format!("answer-{answer}")), Some(1));
    app.stop().await;
}

#[tokio::test]
async fn nobody_likes_their_own_post() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let question = app.ask(&alice, "Mine", "text").await;
    let answer = app.answer(&alice, question, "also mine").await;
    let page = app
        .get_html(&alice, &format!("/questions/{question}"))
        .await;
    assert_eq!(
        page.matches(" disabled title=\"You cannot like or flag your own post.\"")
            .count(),
        2
    );
    for path in [
        format!("/questions/{question}/like"),
        format!("/answers/{answer}/like"),
    ] {
        let response = app.like_with_htmx(&alice, &path).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        let message = response.text().await.expect("body");
        assert!(message.contains("You cannot like or flag your own post."));
        let plain = app.post_form(&alice, &path, &[]).await;
        assert_eq!(plain.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let page = app
        .get_html(&alice, &format!("/questions/{question}"))
        .await;
    assert_eq!(
        like_count_in(&page, &format!("question-{question}")),
        Some(0)
    );
    assert_eq!(like_count_in(&page, &format!("answer-{answer}")), Some(0));
    app.stop().await;
}

#[tokio::test]
async fn a_visitor_liking_is_sent_to_log_in() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let question = app.ask(&alice, "Like me", "text").await;
    let visitor = browser();
    let token = app.csrf_token(&visitor).await;
    let response = visitor
        .post(app.url(&format!("/questions/{question}/like")))
        .header("Referer", app.url(&format!("/questions/{question}")))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&response),
        format!("/login?next=/questions/{question}")
    );
    let htmx = app
        .like_with_htmx(&visitor, &format!("/questions/{question}/like"))
        .await;
    assert!(
        htmx.headers().get("hx-redirect").is_some(),
        "htmx navigates to log in"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_hundred_users_liking_at_once_count_exactly_a_hundred() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let question = app.ask(&alice, "Popular", "text").await;
    let answer = app.answer(&alice, question, "popular answer").await;
    let mut likers = Vec::new();
    for i in 0..100 {
        likers.push(app.signed_up_user(&format!("fan{i}")).await);
    }
    let mut tasks = Vec::new();
    for client in likers {
        let url_q = app.url(&format!("/questions/{question}/like"));
        let url_a = app.url(&format!("/answers/{answer}/like"));
        let token = app.csrf_token(&client).await;
        tasks.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for url in [url_q, url_a] {
                let response = client
                    .post(url)
                    .header("X-CSRF-Token", &token)
                    .header("HX-Request", "true")
                    .send()
                    .await
                    .expect("POST");
                statuses.push(response.status());
            }
            statuses
        }));
    }
    for task in tasks {
        for status in task.await.expect("task") {
            assert_eq!(status, StatusCode::OK);
        }
    }
    let page = app
        .get_html(&alice, &format!("/questions/{question}"))
        .await;
    assert_eq!(
        like_count_in(&page, &format!("question-{question}")),
        Some(100)
    );
    assert_eq!(like_count_in(&page, &format!("answer-{answer}")), Some(100));
    let list = app.get_html(&alice, "/").await;
    assert_eq!(
        like_count_in(&list, &format!("question-{question}")),
        Some(100)
    );
    assert_eq!(
        app.storage().count(crate::storage::Rows::QuestionLikes),
        100
    );
    app.stop().await;
}

#[tokio::test]
async fn the_questions_count_comes_before_any_answers_count() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let question = app.ask(&alice, "Order", "text").await;
    let answer = app.answer(&alice, question, "answer").await;
    let page = app
        .get_html(&browser(), &format!("/questions/{question}"))
        .await;
    let question_at = page
        .find(&format!(r#"id="question-{question}""#))
        .expect("question");
    let answer_at = page
        .find(&format!(r#"id="answer-{answer}""#))
        .expect("answer");
    let first_count = page.find("data-like-count=").expect("count");
    assert!(question_at < first_count && first_count < answer_at);
    app.stop().await;
}

#[tokio::test]
async fn a_liked_button_says_so_in_words_and_icon_not_colour_alone() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let question = app.ask(&alice, "Like me in words", "text").await;
    let path = format!("/questions/{question}/like");
    let liked = app
        .like_with_htmx(&bob, &path)
        .await
        .text()
        .await
        .expect("body");
    assert!(liked.contains("♥") && liked.contains("Liked"), "{liked}");
    assert!(liked.contains(r#"aria-pressed="true""#));
    let unliked = app
        .like_with_htmx(&bob, &path)
        .await
        .text()
        .await
        .expect("body");
    assert!(
        unliked.contains("♡") && !unliked.contains("Liked"),
        "{unliked}"
    );
    assert!(unliked.contains(r#"aria-pressed="false""#));
    app.stop().await;
}
