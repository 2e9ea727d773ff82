//! Atom feeds: the newest questions, a tag's, a question's answers; parsed by an Atom parser, revalidated
//! with their ETag and date, linked from the pages they follow.

use reqwest::StatusCode;

use crate::helpers::{attribute_after, browser, spawn_app};

/// GETs `path` and parses it as Atom; also returns the ETag and Last-Modified.
async fn feed(
    app: &crate::helpers::TestApp,
    path: &str,
) -> (atom_syndication::Feed, String, String) {
    let response = app.get(&browser(), path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert_eq!(
        response.headers()["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    let etag = response.headers()["etag"]
        .to_str()
        .expect("etag")
        .to_owned();
    let modified = response.headers()["last-modified"]
        .to_str()
        .expect("date")
        .to_owned();
    let body = response.text().await.expect("body");
    let parsed = body
        .parse::<atom_syndication::Feed>()
        .unwrap_or_else(|err| panic!("{path} is not Atom: {err}\n{body}"));
    (parsed, etag, modified)
}

fn alternate(links: &[atom_syndication::Link]) -> Option<&str> {
    links
        .iter()
        .find(|link| link.rel() == "alternate")
        .map(|link| link.href())
}

#[tokio::test]
async fn the_newest_questions_as_atom_with_full_addresses_and_safe_html() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    let first = app
        .ask(
            &asker,
            "First <question>",
            "Some **bold** text <script>alert(1)</script>",
        )
        .await;
    let second = app.ask(&asker, "Second question", "More").await;
    let (parsed, _, _) = feed(&app, "/feeds/questions.atom").await;
    assert_eq!(parsed.id(), app.url("/feeds/questions.atom"));
    // Links inside the entries' HTML (`/questions/3` in a post) resolve against the board.
    assert_eq!(parsed.base(), Some(app.url("/").as_str()));
    assert_eq!(
        alternate(parsed.links()),
        Some(app.url("/questions").as_str())
    );
    let entries = parsed.entries();
    assert_eq!(entries.len(), 2);
    // Newest first, each with its full address, author, dates and its sanitised HTML.
    assert_eq!(entries[0].title().as_str(), "Second question");
    assert_eq!(entries[1].title().as_str(), "First <question>");
    assert_eq!(entries[1].id(), app.url(&format!("/questions/{first}")));
    assert_eq!(
        alternate(entries[0].links()),
        Some(app.url(&format!("/questions/{second}")).as_str())
    );
    assert_eq!(entries[1].authors()[0].name(), "asker");
    let content = entries[1]
        .content()
        .and_then(|c| c.value())
        .expect("content");
    assert!(content.contains("<strong>bold</strong>"), "{content}");
    assert!(!content.contains("<script"), "{content}");
    assert!(entries[1].published().is_some());
    // A character XML cannot hold, in a post, does not break the feed.
    app.ask(&asker, "Bell \u{7} in a subject", "and a \u{1} in the body")
        .await;
    let (parsed, _, _) = feed(&app, "/feeds/questions.atom").await;
    assert_eq!(
        parsed.entries()[0].title().as_str(),
        "Bell \u{FFFD} in a subject"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_tag_s_feed_and_a_question_s_answers_feed() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    let tagged = app
        .post_form(
            &asker,
            "/questions",
            &[
                ("subject", "Tagged"),
                ("content", "Text"),
                ("tags", "c++ rust"),
            ],
        )
        .await;
    assert_eq!(tagged.status(), StatusCode::SEE_OTHER);
    app.ask(&asker, "Untagged", "Text").await;
    let (parsed, _, _) = feed(&app, "/tags/c%2B%2B/feed.atom").await;
    assert_eq!(parsed.entries().len(), 1);
    assert_eq!(parsed.entries()[0].title().as_str(), "Tagged");
    let terms: Vec<&str> = parsed.entries()[0]
        .categories()
        .iter()
        .map(|c| c.term())
        .collect();
    assert_eq!(terms, ["c++", "rust"]);
    assert_eq!(
        app.get(&browser(), "/tags/nothing/feed.atom")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let other = app.get(&browser(), "/tags/C%2B%2B/feed.atom").await;
    assert_eq!(other.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(crate::helpers::location(&other), "/tags/c%2B%2B/feed.atom");

    let question = app.ask(&asker, "Answered", "Text").await;
    let answerer = app.signed_up_user("answerer").await;
    let answer = app.answer(&answerer, question, "An **answer**").await;
    let path = format!("/questions/{question}/feed.atom");
    let (parsed, _, _) = feed(&app, &path).await;
    assert_eq!(parsed.entries().len(), 1);
    let entry = &parsed.entries()[0];
    assert_eq!(entry.id(), app.url(&format!("/answers/{answer}")));
    assert_eq!(entry.authors()[0].name(), "answerer");
    assert!(
        entry
            .content()
            .and_then(|c| c.value())
            .is_some_and(|html| html.contains("<strong>answer</strong>"))
    );
    // A deleted question's feed is gone with it.
    let deleted = app
        .post_form(&asker, &format!("/questions/{question}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&browser(), &path).await.status(),
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}

#[tokio::test]
async fn a_feed_unchanged_is_a_304_and_a_change_is_a_new_etag() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    // Long enough to be worth compressing.
    let body = "Some words that make the feed longer than a kilobyte. ".repeat(40);
    app.ask(&asker, "A question", &body).await;
    let (_, etag, modified) = feed(&app, "/feeds/questions.atom").await;
    let client = browser();
    let by_tag = client
        .get(app.url("/feeds/questions.atom"))
        .header("If-None-Match", &etag)
        .send()
        .await
        .expect("GET");
    assert_eq!(by_tag.status(), StatusCode::NOT_MODIFIED);
    // Compared weakly, as nginx hands ETags back once it has compressed a response itself.
    let weak = client
        .get(app.url("/feeds/questions.atom"))
        .header("If-None-Match", format!("W/{etag}"))
        .send()
        .await
        .expect("GET");
    assert_eq!(weak.status(), StatusCode::NOT_MODIFIED);
    let by_date = client
        .get(app.url("/feeds/questions.atom"))
        .header("If-Modified-Since", &modified)
        .send()
        .await
        .expect("GET");
    assert_eq!(by_date.status(), StatusCode::NOT_MODIFIED);
    // Compressed, the feed has an ETag of its own: the plain one does not revalidate it, its own does.
    let gzipped = client
        .get(app.url("/feeds/questions.atom"))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .expect("GET");
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    let gzip_etag = gzipped.headers()["etag"].to_str().expect("etag").to_owned();
    assert_eq!(gzip_etag, format!("{}-gzip\"", etag.trim_end_matches('"')));
    for (held, expected) in [
        (etag.as_str(), StatusCode::OK),
        (gzip_etag.as_str(), StatusCode::NOT_MODIFIED),
    ] {
        let again = client
            .get(app.url("/feeds/questions.atom"))
            .header("Accept-Encoding", "gzip")
            .header("If-None-Match", held)
            .send()
            .await
            .expect("GET");
        assert_eq!(again.status(), expected, "{held}");
        let vary: Vec<_> = again.headers().get_all("vary").iter().collect();
        assert!(
            vary.iter()
                .any(|v| v.to_str().is_ok_and(|v| v.contains("Accept-Encoding"))),
            "{vary:?}"
        );
    }
    // Edited: the entry's time moves, and so do the ETag and the date.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    app.ask(&asker, "Another question", "Text").await;
    let (_, newer, _) = feed(&app, "/feeds/questions.atom").await;
    assert_ne!(newer, etag);
    let stale = client
        .get(app.url("/feeds/questions.atom"))
        .header("If-None-Match", &etag)
        .send()
        .await
        .expect("GET");
    assert_eq!(stale.status(), StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn pages_link_the_feed_that_follows_them() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    let response = app
        .post_form(
            &asker,
            "/questions",
            &[("subject", "Linked"), ("content", "Text"), ("tags", "rust")],
        )
        .await;
    let question = crate::helpers::location(&response);
    let visitor = browser();
    for (path, feed) in [
        ("/".to_owned(), "/feeds/questions.atom".to_owned()),
        ("/tags/rust".to_owned(), "/tags/rust/feed.atom".to_owned()),
        (question.clone(), format!("{question}/feed.atom")),
    ] {
        let html = app.get_html(&visitor, &path).await;
        let at = html
            .find(r#"rel="alternate" type="application/atom+xml""#)
            .unwrap_or_else(|| panic!("{path} links no feed"));
        assert_eq!(
            attribute_after(&html[at..], r#"href=""#),
            Some(app.url(&feed)),
            "{path}"
        );
    }
    app.stop().await;
}
