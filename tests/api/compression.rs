//! Compressed responses: embedded assets in the coding the client accepts (made at build time, an ETag per
//! coding, 304s), pages compressed as they go out, cached pages served from their kept compressed bytes.

use std::io::Read;

use reqwest::{Client, Response, StatusCode};

use crate::helpers::{TestApp, browser, spawn_app};

fn decode(coding: Option<&str>, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match coding {
        Some("br") => brotli::BrotliDecompress(&mut &body[..], &mut out).expect("brotli"),
        Some("gzip") => {
            flate2::read::GzDecoder::new(body)
                .read_to_end(&mut out)
                .expect("gzip");
        }
        None => out.extend_from_slice(body),
        Some(other) => panic!("unexpected coding {other}"),
    }
    out
}

fn header(response: &Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

fn varies_by_encoding(response: &Response) -> bool {
    response
        .headers()
        .get_all("vary")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .any(|value| value.to_ascii_lowercase().contains("accept-encoding"))
}

/// GETs `path` with `Accept-Encoding: accept` (none if empty): the coding sent, the decoded body, the ETag.
async fn fetch(
    app: &TestApp,
    client: &Client,
    path: &str,
    accept: &str,
) -> (Option<String>, Vec<u8>, Option<String>) {
    let mut request = client.get(app.url(path));
    if !accept.is_empty() {
        request = request.header("Accept-Encoding", accept);
    }
    let response = request.send().await.expect("GET");
    assert_eq!(response.status(), StatusCode::OK, "{path} ({accept})");
    assert!(varies_by_encoding(&response), "{path} ({accept}): Vary");
    let coding = header(&response, "content-encoding");
    let etag = header(&response, "etag");
    let body = response.bytes().await.expect("body");
    (coding.clone(), decode(coding.as_deref(), &body), etag)
}

#[tokio::test]
async fn assets_come_in_the_coding_the_client_accepts_with_an_etag_each() {
    let app = spawn_app().await;
    let client = browser();
    for path in [
        "/static/vendor/bootstrap.min.css",
        "/static/vendor/htmx.min.js",
        "/static/app.css",
    ] {
        let (_, original, plain_etag) = fetch(&app, &client, path, "").await;
        let plain_etag = plain_etag.expect("etag");
        let mut etags = vec![plain_etag.clone()];
        for (accept, expected) in [
            ("gzip, deflate, br, zstd", Some("br")),
            ("br", Some("br")),
            ("gzip", Some("gzip")),
            ("br;q=0, gzip", Some("gzip")),
            ("gzip;q=0.5, br;q=0.9", Some("br")),
            ("br;q=0, gzip;q=0", None),
            ("deflate", None),
            ("identity", None),
        ] {
            let (coding, body, etag) = fetch(&app, &client, path, accept).await;
            assert_eq!(coding.as_deref(), expected, "{path} with {accept}");
            assert_eq!(body, original, "{path} with {accept}: the same file");
            let etag = etag.expect("etag");
            if expected.is_none() {
                assert_eq!(etag, plain_etag);
            } else if !etags.contains(&etag) {
                etags.push(etag);
            }
        }
        assert_eq!(etags.len(), 3, "{path}: one ETag per coding: {etags:?}");
    }
    app.stop().await;
}

#[tokio::test]
async fn a_304_is_per_coding() {
    let app = spawn_app().await;
    let client = browser();
    let path = "/static/vendor/htmx.min.js";
    let (_, _, brotli_etag) = fetch(&app, &client, path, "br").await;
    let brotli_etag = brotli_etag.expect("etag");
    let revalidate = |accept: &'static str, etag: String| {
        client
            .get(app.url(path))
            .header("Accept-Encoding", accept)
            .header("If-None-Match", etag)
            .send()
    };
    let same = revalidate("br", brotli_etag.clone()).await.expect("GET");
    assert_eq!(same.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(&same, "etag"), Some(brotli_etag.clone()));
    assert!(varies_by_encoding(&same));
    // The client kept the brotli copy but now takes only gzip: that copy is not what it would get.
    let other = revalidate("gzip", brotli_etag).await.expect("GET");
    assert_eq!(other.status(), StatusCode::OK);
    assert_eq!(header(&other, "content-encoding").as_deref(), Some("gzip"));
    let gzip_etag = header(&other, "etag").expect("etag");
    let again = revalidate("gzip", gzip_etag).await.expect("GET");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    app.stop().await;
}

#[tokio::test]
async fn pages_are_compressed_and_cached_pages_keep_their_compressed_bytes() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    for n in 0..12 {
        app.ask(
            &asker,
            &format!("Question number {n} about compression"),
            "Some **Markdown** text that is long enough to make a page worth compressing.",
        )
        .await;
    }
    let visitor = browser();
    let (coding, plain, _) = fetch(&app, &visitor, "/", "").await;
    assert_eq!(coding, None);
    let plain = String::from_utf8(plain).expect("utf-8");
    assert!(plain.contains("Question number 11 about compression"));
    // The first request in a coding compresses; the second is served from the cache's kept bytes. A page
    // made per request goes out gzipped (the faster to make) to a browser that takes both.
    for (accept, expected) in [
        ("br", "br"),
        ("br", "br"),
        ("gzip", "gzip"),
        ("gzip", "gzip"),
        ("gzip, deflate, br, zstd", "gzip"),
        ("gzip;q=0.5, br", "br"),
    ] {
        let (coding, body, _) = fetch(&app, &visitor, "/", accept).await;
        assert_eq!(coding.as_deref(), Some(expected), "{accept}");
        assert_eq!(String::from_utf8(body).expect("utf-8"), plain, "{accept}");
    }
    // A signed-in user's page is theirs alone, never cached: compressed as it goes out.
    let (coding, body, _) = fetch(&app, &asker, "/", "gzip, br").await;
    assert_eq!(coding.as_deref(), Some("gzip"));
    let body = String::from_utf8(body).expect("utf-8");
    assert!(body.contains("asker"), "the user's own page");
    // A write: the next visitor's page is new, and so are its compressed bytes.
    app.ask(&asker, "A brand new question", "text").await;
    let (_, body, _) = fetch(&app, &visitor, "/", "br").await;
    assert!(
        String::from_utf8(body)
            .expect("utf-8")
            .contains("A brand new question")
    );

    // Too small to be worth it: sent as is.
    let robots = visitor
        .get(app.url("/robots.txt"))
        .header("Accept-Encoding", "br")
        .send()
        .await
        .expect("GET");
    assert_eq!(header(&robots, "content-encoding"), None);
    assert!(robots.bytes().await.expect("body").len() < 1024);
    app.stop().await;
}
