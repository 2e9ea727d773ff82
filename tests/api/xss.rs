//! Stored XSS: hostile posts render harmless wherever they are shown.

use crate::helpers::{browser, spawn_app};

const CORPUS: &[&str] = &[
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert('xss')>",
    "<a href=\"javascript:alert('xss')\">click</a>",
    "[click](javascript:alert('xss'))",
    "[click](JAVASCRIPT:alert('xss'))",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<svg onload=alert('xss')><circle/></svg>",
    "<svg><script>alert('xss')</script></svg>",
    "<body onload=alert('xss')>",
    "<div onmouseover=\"alert('xss')\">hover</div>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss')>",
    "\"><script>alert('xss')</script>",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
    "<form action=\"https://evil.example\"><button>go</button></form>",
];

/// Checks every real tag of the page (escaped text is not a tag): no script but our own, no event handler,
/// no `javascript:` or `data:` URL, no frame, SVG, MathML, object, refresh or off-site form.
fn assert_harmless(html: &str, context: &str) {
    for (at, _) in html.match_indices('<') {
        let tag = html[at..]
            .split_once('>')
            .map_or(&html[at..], |(tag, _)| tag)
            .to_lowercase();
        // A description or link-preview tag quotes the post as text (escaped, so no `"` ends it early):
        // what it says is checked as text, not as the tag's attributes.
        let tag = match tag.split_once(" content=\"") {
            Some((head, rest))
                if head.starts_with("<meta name=\"description\"")
                    || head.starts_with("<meta property=\"og:") =>
            {
                let value = rest.split_once('"').map_or(rest, |(value, _)| value);
                assert!(!value.contains('<'), "{context}: unescaped text in {tag}");
                head.to_owned()
            }
            _ => tag,
        };
        let name: String = tag[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let ours = (name == "script" && tag.contains("src=\"/static/"))
            || (name == "body" && tag.starts_with("<body hx-boost=\"true\""));
        assert!(
            ours || ![
                "script", "iframe", "svg", "math", "object", "embed", "body", "style"
            ]
            .contains(&name.as_str()),
            "{context}: <{name}> in {tag}"
        );
        let has_handler = tag
            .split_whitespace()
            .skip(1)
            .any(|attribute| attribute.starts_with("on") && attribute.contains('='));
        assert!(!has_handler, "{context}: event handler in {tag}");
        for bad in [
            "javascript:",
            "data:text",
            "http-equiv",
            "action=\"https://evil",
        ] {
            assert!(!tag.contains(bad), "{context}: {bad} in {tag}");
        }
    }
}

#[tokio::test]
async fn hostile_posts_render_harmless_in_every_view() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    for (n, payload) in CORPUS.iter().enumerate() {
        let question = app.ask(&alice, payload, payload).await;
        let answer = app.answer(&bob, question, payload).await;
        let page = app
            .get_html(&browser(), &format!("/questions/{question}"))
            .await;
        assert_harmless(&page, &format!("question page, payload {n}"));
        let edit = app.htmx_get(&bob, &format!("/answers/{answer}/edit")).await;
        assert_harmless(
            &edit.text().await.expect("body"),
            &format!("edit form, payload {n}"),
        );
        let fragment = app.htmx_get(&bob, &format!("/answers/{answer}")).await;
        assert_harmless(
            &fragment.text().await.expect("body"),
            &format!("answer fragment, payload {n}"),
        );
    }
    assert_harmless(&app.get_html(&browser(), "/").await, "list");
    assert_harmless(
        &app.get_html(&browser(), "/questions?q=xss").await,
        "search",
    );
    assert_harmless(
        &app.get_html(&browser(), "/questions?q=%3Cscript%3Ealert")
            .await,
        "search box",
    );
    app.stop().await;
}

#[tokio::test]
async fn links_in_posts_are_nofollow_noopener_ugc() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let id = app
        .ask(&alice, "links", "see [the docs](https://example.com/docs)")
        .await;
    let page = app.get_html(&browser(), &format!("/questions/{id}")).await;
    assert!(page.contains(
        r#"<a href="https://example.com/docs" rel="nofollow noopener ugc">the docs</a>"#
    ));
    app.stop().await;
}
