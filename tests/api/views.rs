//! View counts: each viewer once an hour, counted whether the page came from memory or not, written in
//! batches that are not writes for visitors' pages, shown shortened with the exact count beside.

use std::time::Duration;

use reqwest::{Client, StatusCode};

use crate::helpers::{browser, spawn_app_on, spawn_app_with};

/// The view count a page shows for the question.
fn views_shown(html: &str) -> Option<i64> {
    let start = html.find(r#"id="question-views""#)?;
    crate::helpers::attribute_after(&html[start..], r#"data-view-count=""#)?
        .parse()
        .ok()
}

/// A server behind a proxy on 127.0.0.1, so each test visitor can come from an address of its own; views
/// written every 100 ms.
async fn app() -> crate::helpers::TestApp {
    spawn_app_with(|config| {
        config.trusted_proxies = vec![miniboard::config::TrustedProxy::Network {
            address: "127.0.0.1".parse().expect("ip"),
            prefix: 32,
        }];
        config.views_written_every = Duration::from_millis(100);
    })
    .await
}

async fn visit(app: &crate::helpers::TestApp, client: &Client, path: &str, from: &str) -> String {
    let response = client
        .get(app.url(path))
        .header("X-Forwarded-For", from)
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.expect("page")
}

/// Waits for the next batch of views to be written.
async fn views_written() {
    tokio::time::sleep(Duration::from_millis(300)).await;
}

/// Waits (five seconds at most) until `client` sees the question's page show `expected` views.
async fn views_become(app: &crate::helpers::TestApp, client: &Client, page: &str, expected: i64) {
    let mut shown = None;
    for _ in 0..50 {
        shown = views_shown(&app.get_html(client, page).await);
        if shown == Some(expected) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{page} shows {shown:?} views, not {expected}");
}

#[tokio::test]
async fn each_viewer_counts_once_an_hour_cached_page_or_not_and_counting_is_no_write_for_the_cache()
{
    let app = app().await;
    let asker = app.signed_up_user("asker").await;
    let question = app.ask(&asker, "Counted views", "text").await;
    let page = format!("/questions/{question}");
    let visitor = browser();

    // One visitor three times (the second and third from the page cache): once.
    for _ in 0..3 {
        visit(&app, &visitor, &page, "198.51.100.1").await;
    }
    // Another visitor, once that view is written, gets the page the first was served from memory: views
    // are not a change that page waits for.
    views_written().await;
    let cached = visit(&app, &browser(), &page, "198.51.100.2").await;
    assert_eq!(views_shown(&cached), Some(0));
    // Both visitors, and the asker looking (their session, not their address).
    views_become(&app, &asker, &page, 3).await;
    let user_page = app.get_html(&asker, &page).await;
    assert!(user_page.contains(r#"title="3 views""#));

    // An hour later the first visitor counts again (and so does the asker, looking at the count).
    views_written().await;
    app.storage().viewers_counted_ago(3_601);
    visit(&app, &visitor, &page, "198.51.100.1").await;
    views_become(&app, &asker, &page, 5).await;

    // Made-up session cookies are no accounts: one address, however many cookies, is one viewer (and it
    // was counted within the hour already).
    for n in 0..5 {
        let forged = crate::helpers::client_with_cookies(&format!("miniboard_session=forged{n}"));
        visit(&app, &forged, &page, "198.51.100.1").await;
    }

    // Paging answers in place, a missing question and the list are not views of it.
    let fragment = app.htmx_get(&visitor, &format!("{page}?apage=2")).await;
    assert_eq!(fragment.status(), StatusCode::OK);
    assert_eq!(
        app.get(&visitor, "/questions/999999").await.status(),
        StatusCode::NOT_FOUND
    );
    visit(&app, &visitor, "/questions", "198.51.100.3").await;
    views_written().await;
    assert_eq!(views_shown(&app.get_html(&asker, &page).await), Some(5));
    app.stop().await;
}

#[tokio::test]
async fn views_show_shortened_on_the_list_and_the_page_in_both_languages() {
    let app = app().await;
    let asker = app.signed_up_user("asker").await;
    let question = app.ask(&asker, "Popular", "text").await;
    app.storage().set_views(question, 12_345);
    let visitor = browser();
    let list = visit(&app, &visitor, "/questions", "198.51.100.9").await;
    assert!(
        list.contains(r#"title="12,345 views" data-view-count="12345">12k views</span>"#),
        "{list}"
    );
    let page = visit(
        &app,
        &visitor,
        &format!("/questions/{question}"),
        "198.51.100.9",
    )
    .await;
    assert!(page.contains(">12k views</span>"));
    // That visit and the asker's own count once each; wait until both are written, so the list below
    // does not depend on when the writer runs.
    views_become(&app, &asker, &format!("/questions/{question}"), 12_347).await;
    app.switch_language(&visitor, "ko", "/questions").await;
    let list = visit(&app, &visitor, "/questions", "198.51.100.9").await;
    assert!(
        list.contains(r#"title="조회 12,347" data-view-count="12347">조회 1.2만</span>"#),
        "{list}"
    );
    app.stop().await;
}

#[tokio::test]
async fn views_of_the_last_seconds_are_written_when_the_server_stops() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db_path = dir.path().join("miniboard.db");
    let app = spawn_app_on(&db_path).await;
    let asker = app.signed_up_user("asker").await;
    let question = app.ask(&asker, "Survives a restart", "text").await;
    let page = format!("/questions/{question}");
    // Written every 5 s by default: these wait in memory when the server is told to stop.
    app.get_html(&browser(), &page).await;
    app.get_html(&asker, &page).await;
    app.stop().await;
    let app = spawn_app_on(&db_path).await;
    let html = app.get_html(&browser(), &page).await;
    assert_eq!(views_shown(&html), Some(2));
    app.stop().await;
}
