//! Who may do what: visitor, author and another user against every state-changing route.

use reqwest::{Client, StatusCode};

use crate::helpers::{TestApp, browser, location, spawn_app};

#[derive(Clone, Copy, Debug)]
enum Who {
    Visitor,
    Author,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// Sent to log in.
    LogIn,
    Allowed,
    Forbidden,
}

struct Fixture {
    author: Client,
    other: Client,
    question: i64,
    answer: i64,
    comment: i64,
}

async fn fixture(app: &TestApp, n: usize) -> Fixture {
    let author = app.signed_up_user(&format!("author{n}")).await;
    let other = app.signed_up_user(&format!("other{n}")).await;
    let question = app.ask(&author, "The question", "text").await;
    let answer = app.answer(&author, question, "The answer").await;
    let comment = app
        .comment(&author, &format!("/answers/{answer}"), "The comment")
        .await;
    Fixture {
        author,
        other,
        question,
        answer,
        comment,
    }
}

#[tokio::test]
async fn every_state_changing_route_checks_who_is_asking() {
    let app = spawn_app().await;
    // (method, path template, form, [visitor, author, other])
    type Route<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)], [Expect; 3]);
    let routes: [Route; 18] = [
        (
            "POST",
            "/questions",
            &[("subject", "s"), ("content", "c")],
            [Expect::LogIn, Expect::Allowed, Expect::Allowed],
        ),
        (
            "GET",
            "/questions/{q}/edit",
            &[],
            [Expect::LogIn, Expect::Allowed, Expect::Forbidden],
        ),
        (
            "POST",
            "/questions/{q}/edit",
            &[("subject", "EDITED-SUBJECT"), ("content", "EDITED-BODY")],
            [Expect::LogIn, Expect::Allowed, Expect::Forbidden],
        ),
        (
            "GET",
            "/questions/{q}/delete",
            &[],
            [Expect::LogIn, Expect::Allowed, Expect::Forbidden],
        ),
        (
            "POST",
            "/questions/{q}/delete",
            &[],
            [Expect::LogIn, Expect::Allowed, Expect::Forbidden],
        ),
        (
            "POST",
            "/questions/{q}/like",
            &[],
            [Expect::LogIn, Expect::Forbidden, Expect::Allowed],
        ),
        (
            "POST",
            "/questions/{q}/answers",
            &[("content", "c")],
            [Expect::LogIn, Expect::Allowed, Expect::Allowed],
        ),
        (
            "GET",
            "/answers/{a}/edit",
            &[],
            [Expect::LogIn, Expect::Allowed, Expect::Forbidden],
        ),
        (
            "POST",
            "/answers/{a}/edit",
            &[("content", "EDITED-BODY")],
            [Expect::LogIn, Expect::Allowed, Expect::Forbidden],
        ),
        (
            "GET",
            "/answers/{a}/delete",
            &[],
            [Expect::LogIn, Expect::Allowed, Expect::Forbidden],
        ),
        (
            "POST",
            "/answers/{a}/delete",
            &[],
            [Expect::LogIn, Expect::Allowed, Expect::Forbidden],
        ),
        (
            "POST",
            "/answers/{a}/like",
            &[],
            [Expect::LogIn, Expect::Forbidden, Expect::Allowed],
        ),
        (
            "POST",
            "/questions/{q}/comments",
            &[("content", "c")],
            [Expect::LogIn, Expect::Allowed, Expect::Allowed],
        ),
        (
            "POST",
            "/answers/{a}/comments",
            &[("content", "c")],
            [Expect::LogIn, Expect::Allowed, Expect::Allowed],
        ),
        (
            "GET",
            "/comments/{c}/edit",
            &[],
            [Expect::LogIn, Expect::Allowed, Expect::Forbidden],
        ),
        (
            "POST",
            "/comments/{c}/edit",
            &[("content", "EDITED-COMMENT")],
            [Expect::LogIn, Expect::Allowed, Expect::Forbidden],
        ),
        (
            "GET",
            "/comments/{c}/delete",
            &[],
            [Expect::LogIn, Expect::Allowed, Expect::Forbidden],
        ),
        (
            "POST",
            "/comments/{c}/delete",
            &[],
            [Expect::LogIn, Expect::Allowed, Expect::Forbidden],
        ),
    ];
    let mut fixtures = 0;
    for (method, template, form, expectations) in routes {
        for (who, expect) in [Who::Visitor, Who::Author, Who::Other]
            .into_iter()
            .zip(expectations)
        {
            fixtures += 1;
            let f = fixture(&app, fixtures).await;
            let path = template
                .replace("{q}", &f.question.to_string())
                .replace("{a}", &f.answer.to_string())
                .replace("{c}", &f.comment.to_string());
            let visitor = browser();
            let client = match who {
                Who::Visitor => &visitor,
                Who::Author => &f.author,
                Who::Other => &f.other,
            };
            let response = if method == "GET" {
                app.get(client, &path).await
            } else {
                app.post_form(client, &path, form).await
            };
            let status = response.status();
            let got =
                if status == StatusCode::SEE_OTHER && location(&response).starts_with("/login") {
                    Expect::LogIn
                } else if status == StatusCode::FORBIDDEN {
                    Expect::Forbidden
                } else if status.is_success() || status == StatusCode::SEE_OTHER {
                    Expect::Allowed
                } else {
                    panic!("{method} {path} as {who:?}: unexpected {status}");
                };
            assert_eq!(got, expect, "{method} {template} as {who:?} ({status})");

            // A refused request changed nothing.
            if got != Expect::Allowed {
                let page = app
                    .get_html(&f.author, &format!("/questions/{}", f.question))
                    .await;
                assert!(
                    page.contains("The question")
                        && page.contains("The answer")
                        && page.contains("The comment"),
                    "{method} {template} as {who:?}"
                );
                assert!(
                    !page.contains("EDITED-"),
                    "{method} {template} as {who:?} edited"
                );
                assert!(page.contains(r#"data-like-count="0""#));
            }
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn only_the_author_sees_edit_and_delete() {
    let app = spawn_app().await;
    let f = fixture(&app, 0).await;
    let path = format!("/questions/{}", f.question);
    let for_author = app.get_html(&f.author, &path).await;
    let for_other = app.get_html(&f.other, &path).await;
    let for_visitor = app.get_html(&browser(), &path).await;
    // The question, the answer and the comment.
    assert_eq!(for_author.matches(">Edit</a>").count(), 3);
    assert_eq!(for_author.matches(">Delete</a>").count(), 3);
    for page in [for_other, for_visitor] {
        assert!(!page.contains(">Edit</a>") && !page.contains(">Delete</a>"));
    }
    app.stop().await;
}
