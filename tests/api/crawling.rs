//! What search engines see: each page's title, description, canonical link and robots rule, link previews
//! of questions, robots.txt and the sitemap.

use reqwest::StatusCode;

use crate::helpers::{attribute_after, browser, spawn_app, spawn_app_with};

/// The `content` of `<meta name="{name}">` (or `property`), if the page has one.
fn meta(html: &str, name: &str) -> Option<String> {
    let start = html
        .find(&format!(r#"name="{name}" content=""#))
        .or_else(|| html.find(&format!(r#"property="{name}" content=""#)))?;
    attribute_after(&html[start..], r#"content=""#)
}

fn canonical(html: &str) -> Option<String> {
    let start = html.find(r#"rel="canonical""#)?;
    attribute_after(&html[start..], r#"href=""#)
}

fn title(html: &str) -> String {
    let start = html.find("<title>").map(|at| at + 7).unwrap_or_default();
    let end = html.find("</title>").unwrap_or(start);
    html[start..end].to_owned()
}

#[tokio::test]
async fn each_page_says_what_it_is_and_search_results_stay_out_of_indexes() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    let body =
        "How do I **deploy** a Flask app behind nginx with gunicorn on a unix socket? ".repeat(4);
    let question = app.ask(&asker, "Deploying behind nginx", &body).await;
    app.ask(&asker, "Another question", "text").await;
    let visitor = browser();

    let list = app.get_html(&visitor, "/").await;
    assert_eq!(title(&list), "Questions · miniboard");
    assert_eq!(
        meta(&list, "description").as_deref(),
        Some("Newest, page 1 of 1: 2 questions in all.")
    );
    assert_eq!(canonical(&list), Some(app.url("/questions")));
    assert_eq!(meta(&list, "robots"), None);
    let liked = app
        .get_html(&visitor, "/questions?page=1&sort=likes&junk=1")
        .await;
    assert_eq!(title(&liked), "Questions · Most liked · page 1 · miniboard");
    assert_eq!(canonical(&liked), Some(app.url("/questions?sort=likes")));
    // Past the end: the last page, kept out of indexes.
    let past = app.get_html(&visitor, "/questions?page=9").await;
    assert_eq!(meta(&past, "robots").as_deref(), Some("noindex"));
    let search = app.get_html(&visitor, "/questions?q=nginx").await;
    assert_eq!(meta(&search, "robots").as_deref(), Some("noindex"));
    assert!(meta(&search, "description").is_some());

    let page = app
        .get_html(&visitor, &format!("/questions/{question}?asort=recent"))
        .await;
    assert_eq!(title(&page), "Deploying behind nginx · miniboard");
    let description = meta(&page, "description").expect("a description");
    assert!(
        description.starts_with("How do I deploy a Flask app behind nginx"),
        "{description}"
    );
    assert!(
        description.ends_with('…') && description.chars().count() <= 156,
        "{description}"
    );
    // Absolute, as search engines want it: in development, the address the server listens on.
    assert_eq!(
        canonical(&page),
        Some(app.url(&format!("/questions/{question}")))
    );
    assert_eq!(
        meta(&page, "og:title").as_deref(),
        Some("Deploying behind nginx")
    );
    assert_eq!(meta(&page, "og:type").as_deref(), Some("article"));
    assert_eq!(meta(&page, "twitter:card").as_deref(), Some("summary"));
    assert_eq!(
        meta(&page, "og:url"),
        Some(app.url(&format!("/questions/{question}")))
    );
    assert!(page.contains(r#"<html lang="en">"#));

    let missing = app.get(&visitor, "/questions/999999").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        meta(&missing.text().await.expect("page"), "robots").as_deref(),
        Some("noindex")
    );

    // In Korean.
    app.switch_language(&visitor, "ko", "/").await;
    let list = app.get_html(&visitor, "/").await;
    assert!(list.contains(r#"<html lang="ko">"#));
    assert_eq!(
        meta(&list, "description").as_deref(),
        Some("최신순, 1/1쪽: 질문 2개.")
    );
    let page = app
        .get_html(&visitor, &format!("/questions/{question}"))
        .await;
    assert_eq!(meta(&page, "og:locale").as_deref(), Some("ko_KR"));
    app.stop().await;
}

#[tokio::test]
async fn robots_txt_keeps_crawlers_off_forms_and_names_the_sitemap() {
    let app = spawn_app().await;
    let response = app.get(&browser(), "/robots.txt").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/plain")
    );
    assert!(response.headers().get("set-cookie").is_none());
    let text = response.text().await.expect("body");
    for rule in [
        "User-agent: *",
        "Disallow: /login",
        "Disallow: /signup",
        "Disallow: /account",
        "Disallow: /questions/new",
        "Disallow: /questions/*/edit",
        "Disallow: /questions?q=",
        "Disallow: /answers/",
        "Disallow: /comments/",
    ] {
        assert!(text.lines().any(|line| line == rule), "{rule}\n{text}");
    }
    assert!(
        text.contains(&format!("Sitemap: {}/sitemap.xml", app.url(""))),
        "{text}"
    );
    app.stop().await;
}

/// Fails unless `xml` is valid by the Sitemaps protocol's schema `schema` (tests/api/schemas/), as libxml2's
/// `xmllint` judges it.
fn assert_valid(xml: &str, schema: &str) {
    let schemas = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api/schemas");
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    std::io::Write::write_all(&mut file, xml.as_bytes()).expect("write");
    let output = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schemas.join(schema))
        .arg(file.path())
        .output()
        .expect("xmllint (Debian's libxml2-utils; scripts/test.sh installs it)");
    assert!(
        output.status.success(),
        "not a valid {schema}: {}\n{xml}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_schemas_tell_a_sitemap_from_what_is_not_one() {
    let page = |lastmod: &str| {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
             <url><loc>https://board.example.com/questions/1</loc><lastmod>{lastmod}</lastmod></url>\n</urlset>\n"
        )
    };
    assert_valid(&page("2026-12-05T12:58:15Z"), "sitemap.xsd");
    assert_valid(&page("2026-12-05"), "sitemap.xsd");
    for bad in [
        page("2026-12-05 12:58"),
        page("yesterday"),
        page("").replace("https://board.example.com", ""),
    ] {
        let outcome = std::panic::catch_unwind(|| assert_valid(&bad, "sitemap.xsd"));
        assert!(outcome.is_err(), "accepted: {bad}");
    }
}

#[tokio::test]
async fn the_sitemap_pages_questions_by_id_range_with_when_each_last_changed() {
    let app = spawn_app_with(|config| {
        config.public_url = Some("https://board.example.com".into());
    })
    .await;
    let asker = app.signed_up_user("asker").await;
    let first = app.ask(&asker, "The first question", "text").await;
    let later = app.ask(&asker, "A much later question", "text").await;
    // As if twelve thousand had been asked between them.
    app.storage().renumber_question(later, 12_345);
    let answer = app.answer(&asker, first, "An answer, later").await;
    assert!(answer > 0);
    let visitor = browser();

    let index = app.get(&visitor, "/sitemap.xml").await;
    assert_eq!(index.status(), StatusCode::OK);
    assert!(
        index.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("application/xml")
    );
    let index = index.text().await.expect("body");
    assert_valid(&index, "siteindex.xsd");
    assert!(index.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    assert_eq!(index.matches("<sitemap>").count(), 2, "{index}");
    assert!(index.contains("<loc>https://board.example.com/sitemaps/questions-2.xml</loc>"));

    let page_one = app.get_html(&visitor, "/sitemaps/questions-1.xml").await;
    assert_eq!(page_one.matches("<url>").count(), 1, "{page_one}");
    assert!(page_one.contains(&format!(
        "<loc>https://board.example.com/questions/{first}</loc><lastmod>"
    )));
    assert_valid(&page_one, "sitemap.xsd");
    let page_two = app.get_html(&visitor, "/sitemaps/questions-2.xml").await;
    assert_valid(&page_two, "sitemap.xsd");
    assert!(page_two.contains("<loc>https://board.example.com/questions/12345</loc>"));
    for junk in [
        "questions-0.xml",
        "questions-x.xml",
        "questions-1",
        "answers-1.xml",
        "questions-99999999999999999.xml",
    ] {
        let response = app.get(&visitor, &format!("/sitemaps/{junk}")).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{junk}");
    }
    // With the board's address known, pages link to themselves in full.
    let page = app.get_html(&visitor, &format!("/questions/{first}")).await;
    assert_eq!(
        canonical(&page),
        Some(format!("https://board.example.com/questions/{first}"))
    );
    assert_eq!(
        meta(&page, "og:url"),
        Some(format!("https://board.example.com/questions/{first}"))
    );
    app.stop().await;
}
