//! Visitors' pages are the same for every visitor and kept in memory until the next write: each change must
//! show on the very next request, and nobody with a session may be handed a visitor's page.

use reqwest::StatusCode;

use crate::helpers::{browser, csrf_token_in, like_count_in, spawn_app};

#[tokio::test]
async fn a_visitors_page_carries_no_token_and_is_the_same_for_every_visitor() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let question = app.ask(&alice, "Shared page", "Body").await;

    for path in ["/".to_owned(), format!("/questions/{question}")] {
        let first = app.get_html(&browser(), &path).await;
        let second = app.get_html(&browser(), &path).await;
        assert_eq!(csrf_token_in(&first), None, "{path}");
        assert!(!first.contains("X-CSRF-Token"), "{path}");
        assert_eq!(first, second, "{path}");
    }
    // The like button asks a visitor to log in and come back.
    let page = app
        .get_html(&browser(), &format!("/questions/{question}"))
        .await;
    let hook = format!(r#"data-like="log-in" href="/login?next=/questions/{question}""#);
    let at = page.find(&hook).expect("the log-in-to-like control");
    let tag_start = page[..at].rfind('<').unwrap_or(0);
    assert!(
        page[tag_start..].starts_with("<a "),
        "a link, which works without JavaScript"
    );
    assert_eq!(
        like_count_in(&page, &format!("question-{question}")),
        Some(0)
    );
    app.stop().await;
}

#[tokio::test]
async fn every_write_shows_to_visitors_on_the_next_request() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let visitor = browser();
    let question = app.ask(&alice, "First subject", "First body").await;
    let page = format!("/questions/{question}");
    // Rendered and kept.
    assert!(app.get_html(&visitor, "/").await.contains("First subject"));
    assert!(app.get_html(&visitor, &page).await.contains("First body"));

    let second = app.ask(&alice, "Second subject", "Second body").await;
    assert!(app.get_html(&visitor, "/").await.contains("Second subject"));

    let answer = app.answer(&bob, question, "An answer from bob").await;
    let html = app.get_html(&visitor, &page).await;
    assert!(html.contains("An answer from bob"));

    let liked = app
        .like_with_htmx(&bob, &format!("/questions/{question}/like"))
        .await;
    assert_eq!(liked.status(), StatusCode::OK);
    let html = app.get_html(&visitor, &page).await;
    assert_eq!(
        like_count_in(&html, &format!("question-{question}")),
        Some(1)
    );

    let edited = app
        .post_form(
            &bob,
            &format!("/answers/{answer}/edit"),
            &[("content", "An edited answer")],
        )
        .await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    let html = app.get_html(&visitor, &page).await;
    assert!(html.contains("An edited answer") && !html.contains("An answer from bob"));
    assert!(
        app.get_html(&visitor, "/?q=edited")
            .await
            .contains("First subject")
    );

    let deleted = app
        .post_form(&alice, &format!("/questions/{second}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert!(!app.get_html(&visitor, "/").await.contains("Second subject"));
    let gone = app.get(&visitor, &format!("/questions/{second}")).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn a_logged_in_user_never_gets_a_visitors_page() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let question = app.ask(&alice, "Whose page", "Body").await;
    let page = format!("/questions/{question}");
    let visitor_view = app.get_html(&browser(), &page).await;
    assert!(!visitor_view.contains("Log out"));

    let html = app.get_html(&alice, &page).await;
    assert!(html.contains("Log out") && html.contains("alice"));
    assert!(csrf_token_in(&html).is_some());
    // Her own question: the like button is disabled, edit and delete are offered.
    assert!(html.contains(&format!("/questions/{question}/edit")));
    assert!(!app.get_html(&browser(), &page).await.contains("Log out"));
    app.stop().await;
}

#[tokio::test]
async fn language_and_fragments_are_kept_apart() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let question = app.ask(&alice, "Two ways", "Body").await;
    let page = format!("/questions/{question}");

    let english = app.get_html(&browser(), &page).await;
    assert!(english.contains(r#"<html lang="en">"#));
    let korean = app
        .get_html_with(&browser(), &page, &[("Accept-Language", "ko-KR,ko;q=0.9")])
        .await;
    assert!(korean.contains(r#"<html lang="ko">"#));

    let fragment = app
        .get_html_with(&browser(), &page, &[("HX-Request", "true")])
        .await;
    assert!(!fragment.contains("<html") && fragment.contains(r#"id="answers""#));
    let boosted = app
        .get_html_with(
            &browser(),
            &page,
            &[("HX-Request", "true"), ("HX-Boosted", "true")],
        )
        .await;
    assert!(boosted.contains("<html"));
    app.stop().await;
}

/// Changes a subject behind the server's back: its write counter does not move, so a page it keeps still
/// shows the old subject, and a page it renders afresh shows the new one.
fn rename_behind_the_servers_back(app: &crate::helpers::TestApp, question: i64, subject: &str) {
    app.storage().rename_question_elsewhere(question, subject);
}

#[tokio::test]
async fn junk_parameters_and_their_order_share_one_cached_page() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    // Searched for a word of the body, so the subject is shown without highlighting.
    let question = app.ask(&alice, "Canonical subject", "Body").await;
    let visitor = browser();
    assert!(
        app.get_html(&visitor, "/?q=body&sort=likes")
            .await
            .contains("Canonical subject")
    );
    rename_behind_the_servers_back(&app, question, "Renamed subject");
    for same in [
        "/?sort=likes&q=body",
        "/?q=body&sort=likes&z=random",
        "/?utm_source=x&q=body&page=1&sort=likes",
        "/?q=body&sort=likes&q=ignored",
    ] {
        let html = app.get_html(&visitor, same).await;
        assert!(html.contains("Canonical subject"), "{same} rendered again");
    }
    // A page that differs is rendered.
    assert!(
        app.get_html(&visitor, "/?q=body")
            .await
            .contains("Renamed subject")
    );
    app.stop().await;
}

#[tokio::test]
async fn logging_in_and_out_does_not_empty_the_visitors_cache() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let question = app.ask(&alice, "Cached subject", "Body").await;
    let visitor = browser();
    assert!(app.get_html(&visitor, "/").await.contains("Cached subject"));
    rename_behind_the_servers_back(&app, question, "Renamed subject");
    app.log_out(&alice).await;
    app.log_in(&alice, "alice", crate::helpers::PASSWORD).await;
    for _ in 0..5 {
        app.log_out(&browser()).await;
    }
    assert!(
        app.get_html(&visitor, "/").await.contains("Cached subject"),
        "session writes left the page in place"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_long_query_is_shown_back_cut_to_what_was_searched() {
    let app = spawn_app().await;
    let query = "word ".repeat(12_000);
    let html = app
        .get_html(&browser(), &format!("/?q={}", query.replace(' ', "+")))
        .await;
    assert!(html.len() < 30_000, "{} bytes", html.len());
    assert!(
        !html.contains(&"word ".repeat(41)),
        "more than 200 characters echoed"
    );
    app.stop().await;
}

#[tokio::test]
async fn uncached_searches_are_limited_per_client() {
    let app = crate::helpers::spawn_app_with(|config| config.rate_limits = true).await;
    let visitor = browser();
    for n in 0..miniboard::web::SEARCHES_PER_MINUTE {
        let response = app.get(&visitor, &format!("/?q=word{n}")).await;
        assert_eq!(response.status(), StatusCode::OK, "search {n}");
    }
    let limited = app.get(&visitor, "/?q=one-more").await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after = crate::helpers::retry_after(&limited);
    assert!((1..=60).contains(&retry_after));
    assert!(
        limited
            .text()
            .await
            .expect("body")
            .contains("Too many searches from your network")
    );
    app.stop().await;
}

/// The same limit counts an account's searches wherever they come from: its API tokens (and its pages)
/// from a new address each time still stop at the limit, while a visitor at a new address searches on.
#[tokio::test]
async fn uncached_searches_are_limited_per_account_too() {
    let app = crate::helpers::spawn_app_with(|config| {
        config.rate_limits = true;
        config.trusted_proxies = vec![miniboard::config::TrustedProxy::Network {
            address: "127.0.0.1".parse().expect("ip"),
            prefix: 32,
        }];
    })
    .await;
    let alice = app.signed_up_user("alice").await;
    let token = crate::json_api::make_token(&app, &alice, "script", "read").await;
    let search = |n: usize, token: Option<&str>| {
        let mut request = reqwest::Client::new()
            .get(app.url(&format!("/api/v1/questions?q=word{n}")))
            .header(
                "X-Forwarded-For",
                format!("10.0.{}.{}", n / 250, n % 250 + 1),
            );
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        async move { request.send().await.expect("search").status() }
    };
    for n in 0..miniboard::web::SEARCHES_PER_MINUTE {
        assert_eq!(search(n, Some(&token)).await, StatusCode::OK, "search {n}");
    }
    let limit = miniboard::web::SEARCHES_PER_MINUTE;
    assert_eq!(
        search(limit, Some(&token)).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Her pages count with her tokens; a visitor at an address of its own is not held back.
    let page = alice
        .get(app.url("/?q=one-more"))
        .header("X-Forwarded-For", "10.9.9.9")
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(search(limit + 1, None).await, StatusCode::OK);
    app.stop().await;
}

/// Two app servers on one database. On PostgreSQL a write through one is on the next page the other serves,
/// even a page it kept for visitors (every write notifies every server). Two servers on one SQLite file hear
/// nothing of each other: the second keeps showing what it kept, which is why a SQLite board runs one.
#[tokio::test]
async fn a_write_through_one_server_is_on_the_next_page_of_another_on_postgres() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("miniboard.db");
    let first = crate::helpers::spawn_app_on(&db).await;
    let second = crate::helpers::spawn_another_app_on(&db, &dir.path().join("second.search")).await;
    let alice = first.signed_up_user("alice").await;
    first.ask(&alice, "Asked before", "text").await;
    let visitor = browser();
    assert!(
        second
            .get_html(&visitor, "/")
            .await
            .contains("Asked before")
    );
    let question = first.ask(&alice, "Asked through the first", "text").await;
    let front = second.get_html(&visitor, "/").await;
    match &first.database {
        miniboard::config::Database::Postgres(_) => {
            assert!(front.contains("Asked through the first"), "{front}");
            // Every time, not most times: a write answers once every server has been told of it.
            for round in 0..30 {
                let subject = format!("Round {round} through the first");
                second.get_html(&visitor, "/").await;
                first.ask(&alice, &subject, "text").await;
                let front = second.get_html(&visitor, "/").await;
                assert!(front.contains(&subject), "round {round}");
            }
            // And the other way round: an answer through the second is on the first's page.
            let page = format!("/questions/{question}");
            assert!(!first.get_html(&visitor, &page).await.contains("Answered"));
            let bob = second.signed_up_user("bob").await;
            second
                .answer(&bob, question, "Answered through the second")
                .await;
            assert!(
                first
                    .get_html(&visitor, &page)
                    .await
                    .contains("Answered through the second")
            );
        }
        miniboard::config::Database::Sqlite(_) => {
            assert!(!front.contains("Asked through the first"), "{front}");
        }
    }
    second.stop().await;
    first.stop().await;
}
