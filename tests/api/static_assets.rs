//! Bootstrap and htmx come from the binary, with ETags and long caching on hashed URLs.

use reqwest::StatusCode;

use crate::helpers::{attribute_after, browser, spawn_app};

#[tokio::test]
async fn pages_link_hashed_asset_urls_that_are_cached_for_a_year() {
    let app = spawn_app().await;
    let client = browser();
    let html = app.get_html(&client, "/").await;
    let htmx = attribute_after(&html, r#"<script src=""#).expect("htmx script");
    let css = attribute_after(&html, r#"<link rel="stylesheet" href=""#).expect("stylesheet");
    assert!(htmx.starts_with("/static/vendor/htmx.min.js?v="), "{htmx}");
    assert!(
        css.starts_with("/static/vendor/bootstrap.min.css?v="),
        "{css}"
    );
    for (url, content_type, needle) in [
        (&htmx, "text/javascript; charset=utf-8", "htmx"),
        (&css, "text/css; charset=utf-8", "Bootstrap"),
    ] {
        let response = app.get(&client, url).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], content_type);
        assert_eq!(
            response.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert!(
            response.headers().get("set-cookie").is_none(),
            "no cookies on assets"
        );
        let etag = response.headers()["etag"]
            .to_str()
            .expect("etag")
            .to_owned();
        let version = url.rsplit("v=").next().expect("version");
        assert_eq!(etag, format!("\"{version}\""));
        assert!(response.text().await.expect("body").contains(needle));
    }
    app.stop().await;
}

#[tokio::test]
async fn an_unversioned_url_is_revalidated_and_a_matching_etag_gets_304() {
    let app = spawn_app().await;
    let client = browser();
    let response = app.get(&client, "/static/vendor/htmx.min.js").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "public, no-cache");
    let etag = response.headers()["etag"]
        .to_str()
        .expect("etag")
        .to_owned();

    let again = client
        .get(app.url("/static/vendor/htmx.min.js"))
        .header("If-None-Match", &etag)
        .send()
        .await
        .expect("GET");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.expect("body").is_empty());

    let stale = client
        .get(app.url("/static/vendor/htmx.min.js?v=0000000000000000"))
        .header("If-None-Match", "\"0000000000000000\"")
        .send()
        .await
        .expect("GET");
    assert_eq!(
        stale.status(),
        StatusCode::OK,
        "an old ETag gets the new file"
    );
    assert_eq!(stale.headers()["cache-control"], "public, no-cache");
    app.stop().await;
}

#[tokio::test]
async fn a_missing_asset_is_a_404_and_paths_cannot_escape_the_asset_folder() {
    let app = spawn_app().await;
    let client = browser();
    for path in [
        "/static/nope.js",
        "/static/../Cargo.toml",
        "/static/%2e%2e/Cargo.toml",
        "/static/vendor/../../schema.sql",
    ] {
        let response = app.get(&client, path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    app.stop().await;
}
