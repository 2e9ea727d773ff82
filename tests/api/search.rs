//! Search: what it looks in, Korean, hostile input, ranking, highlighting, and an index kept current.

use reqwest::StatusCode;

use crate::helpers::{browser, spawn_app};

/// The ids of the listed questions, top to bottom.
fn hits(html: &str) -> Vec<i64> {
    html.match_indices(r#"d-flex flex-wrap gap-2 align-items-baseline" id="question-"#)
        .filter_map(|(at, marker)| {
            let rest = &html[at + marker.len()..];
            rest[..rest.find('"')?].parse().ok()
        })
        .collect()
}

async fn search(app: &crate::helpers::TestApp, query: &str) -> String {
    let response = browser()
        .get(app.url("/questions"))
        .query(&[("q", query)])
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), StatusCode::OK, "q={query:?}");
    response.text().await.expect("body")
}

#[tokio::test]
async fn search_looks_in_subject_content_author_and_answers() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bobby_tables").await;
    let by_subject = app.ask(&alice, "Flask routing question", "how?").await;
    let by_content = app.ask(&alice, "Another", "I use sqlalchemy daily").await;
    let by_author = app.ask(&bob, "Untitled", "text").await;
    let by_answer = app.ask(&alice, "Needs help", "text").await;
    app.answer(&bob, by_answer, "try gunicorn with a unix socket")
        .await;

    assert_eq!(hits(&search(&app, "flask").await), [by_subject]);
    assert_eq!(hits(&search(&app, "SQLAlchemy").await), [by_content]);
    assert_eq!(hits(&search(&app, "gunicorn").await), [by_answer]);
    let by_name = hits(&search(&app, "bobby_tables").await);
    assert!(
        by_name.contains(&by_author) && by_name.contains(&by_answer),
        "{by_name:?}"
    );
    assert!(
        search(&app, "flask")
            .await
            .contains("Results for “flask”: 1 questions.")
    );
    app.stop().await;
}

#[tokio::test]
async fn korean_words_are_found_with_their_particles() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let python = app
        .ask(&alice, "파이썬을 배우고 싶어요", "어디서 시작하나요?")
        .await;
    let question = app
        .ask(&alice, "질문이 있습니다", "플라스크가 좋아요")
        .await;
    app.ask(&alice, "unrelated", "nothing here").await;
    assert_eq!(hits(&search(&app, "파이썬").await), [python]);
    assert_eq!(hits(&search(&app, "질문").await), [question]);
    assert_eq!(hits(&search(&app, "플라스크").await), [question]);
    let html = search(&app, "파이썬").await;
    assert!(html.contains("<mark>파이썬</mark>을 배우고 싶어요"));
    // Typed with a particle, the word is still found.
    assert_eq!(hits(&search(&app, "파이썬은").await), [python]);
    assert_eq!(hits(&search(&app, "질문을").await), [question]);
    app.stop().await;
}

#[tokio::test]
async fn hostile_input_is_searched_as_text_and_never_a_500() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let id = app
        .ask(&alice, "near and or not", "quoted \"text\" here")
        .await;
    for query in [
        "\"",
        "\"unbalanced",
        "near and",
        "NEAR(",
        "NEAR(a b, 2)",
        "a AND",
        "OR",
        "*",
        "a*",
        "(((",
        ")",
        "\\",
        "\\\"",
        "'; DROP TABLE questions; --",
        "subject:near",
        "^near",
        "-near",
        "\u{0}",
        "x".repeat(5000).as_str(),
        "<script>alert(1)</script>",
    ] {
        let html = search(&app, query).await;
        assert!(!html.contains("<script>alert"), "{query:.20}");
    }
    assert_eq!(hits(&search(&app, "NEAR(").await), [id]);
    assert_eq!(hits(&search(&app, "\"quoted").await), [id]);
    assert!(
        app.get(&alice, "/").await.status().is_success(),
        "the table is still there"
    );
    app.stop().await;
}

#[tokio::test]
async fn subject_hits_rank_above_author_then_body_hits_then_newer_first() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let in_body_old = app.ask(&alice, "first", "mentions tokio once").await;
    let in_subject = app.ask(&alice, "tokio runtime", "text").await;
    let by_author = app
        .ask(&app.signed_up_user("tokio").await, "fourth", "text")
        .await;
    let in_body_new = app.ask(&alice, "third", "mentions tokio once").await;
    assert_eq!(
        hits(&search(&app, "tokio").await),
        [in_subject, by_author, in_body_new, in_body_old]
    );
    // Any of the words in the subject counts as a subject hit.
    assert_eq!(
        hits(&search(&app, "runtime mentions").await),
        Vec::<i64>::new()
    );
    assert_eq!(
        hits(&search(&app, "tokio text").await),
        [in_subject, by_author]
    );
    app.stop().await;
}

#[tokio::test]
async fn the_index_follows_deletes() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let question = app.ask(&alice, "plain", "text").await;
    let answer = app.answer(&bob, question, "uniqueword appears here").await;
    assert_eq!(hits(&search(&app, "uniqueword").await), [question]);
    app.post_form(&bob, &format!("/answers/{answer}/delete"), &[])
        .await;
    assert!(hits(&search(&app, "uniqueword").await).is_empty());

    // A deleted question takes its answers' rows with it, in the index and in the post-to-question map.
    let other = app.ask(&alice, "another uniqueword", "text").await;
    app.answer(&bob, other, "reply uniqueword").await;
    app.answer(&bob, question, "stays").await;
    assert_eq!(hits(&search(&app, "uniqueword").await), [other]);
    app.post_form(&alice, &format!("/questions/{other}/delete"), &[])
        .await;
    assert!(hits(&search(&app, "uniqueword").await).is_empty());
    let [posts, index, map] = app.storage().search_entries();
    assert_eq!(posts.len(), 2);
    assert_eq!(index, posts);
    assert_eq!(map, posts);
    app.stop().await;
}

#[tokio::test]
async fn search_results_page_and_keep_the_query() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    for n in 0..12 {
        app.ask(&alice, &format!("paging topic {n}"), "text").await;
    }
    let page1 = search(&app, "topic").await;
    assert_eq!(hits(&page1).len(), 10);
    assert!(page1.contains(r#"href="/questions?q=topic&amp;page=2""#));
    let page2 = app.get_html(&alice, "/questions?q=topic&page=2").await;
    assert_eq!(hits(&page2).len(), 2);
    assert!(
        page2.contains(r#"value="topic""#),
        "the box keeps the query"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_very_common_word_ranks_the_newest_matches_and_says_so() {
    let app = spawn_app().await;
    // About 2,400 posts hold "the": more matches than ranking looks at.
    app.seed(miniboard::seed::SeedPlan {
        users: 5,
        questions: 4_000,
        answers: 4_000,
        likes: 0,
        seed: 3,
        thread: 0,
    })
    .await;
    let html = search(&app, "the").await;
    assert!(
        html.contains("+ questions, best matches among the newest posts."),
        "capped"
    );
    assert_eq!(hits(&html).len(), 10);
    let rare = search(&app, "nothing-matches-this").await;
    assert!(rare.contains("No question matches your search."));
    app.stop().await;
}
