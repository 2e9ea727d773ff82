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
    let routes: [Route; 20] = [
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
        // Accepting is the question's author's (here also the answer's).
        (
            "POST",
            "/answers/{a}/accept",
            &[],
            [Expect::LogIn, Expect::Allowed, Expect::Forbidden],
        ),
        // Following is anyone's who is logged in.
        (
            "POST",
            "/questions/{q}/follow",
            &[("follow", "true")],
            [Expect::LogIn, Expect::Allowed, Expect::Allowed],
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

/// The routes of one's own account, notifications and mail: a visitor is sent to log in; a user acts on
/// their own account only (what names another's is not found).
#[tokio::test]
async fn account_routes_act_on_the_logged_in_account_only() {
    use crate::helpers::PASSWORD;
    let app = spawn_app().await;
    // (method, path, form, what a logged-in user gets: true allowed, false not found)
    type Route<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)], bool);
    let routes: [Route; 12] = [
        ("GET", "/account", &[], true),
        ("GET", "/notifications", &[], true),
        ("POST", "/notifications/read-all", &[], true),
        (
            "POST",
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("password1", "another password"),
                ("password2", "another password"),
            ],
            true,
        ),
        (
            "POST",
            "/account/email",
            &[
                ("email", "moved@example.com"),
                ("current_password", PASSWORD),
            ],
            true,
        ),
        ("POST", "/account/email/resend", &[], true),
        ("POST", "/account/mail", &[("comment", "on")], true),
        ("POST", "/account/sessions/end-others", &[], true),
        (
            "POST",
            "/account/delete",
            &[("current_password", PASSWORD)],
            true,
        ),
        ("POST", "/tags/rust/follow", &[("follow", "true")], true),
        (
            "POST",
            "/account/tokens",
            &[
                ("name", "script"),
                ("scope", "read"),
                ("current_password", PASSWORD),
            ],
            true,
        ),
        // Another account's session (its stored key) is not found.
        ("POST", "/account/sessions/{other_session}/end", &[], false),
    ];
    for (n, (method, template, form, allowed)) in routes.into_iter().enumerate() {
        let user = app.signed_up_user(&format!("owner{n}")).await;
        let asked = app
            .post_form(
                &user,
                "/questions",
                &[
                    ("subject", "Tagged for following"),
                    ("content", "text"),
                    ("tags", "rust"),
                ],
            )
            .await;
        assert_eq!(asked.status(), StatusCode::SEE_OTHER);
        let neighbour = format!("neighbour{n}");
        let other = app.signed_up_user(&neighbour).await;
        let other_key = app
            .storage()
            .texts_of(&format!(
                "SELECT id FROM sessions WHERE user_id = {} AND ended_at IS NULL",
                app.storage().user_id(&neighbour)
            ))
            .into_iter()
            .next()
            .expect("the neighbour's session");
        let path = template.replace("{other_session}", &other_key);
        let send = |client: &Client| {
            let client = client.clone();
            let path = path.clone();
            let app = &app;
            async move {
                if method == "GET" {
                    app.get(&client, &path).await
                } else {
                    app.post_form(&client, &path, form).await
                }
            }
        };
        let visitor = send(&browser()).await;
        assert_eq!(
            visitor.status(),
            StatusCode::SEE_OTHER,
            "{method} {template}"
        );
        assert!(
            location(&visitor).starts_with("/login"),
            "{method} {template} as a visitor"
        );
        let response = send(&user).await;
        let status = response.status();
        if allowed {
            assert!(
                status.is_success() || status == StatusCode::SEE_OTHER,
                "{method} {template}: {status}"
            );
            assert!(!location_or_empty(&response).starts_with("/login"));
        } else {
            assert_eq!(status, StatusCode::NOT_FOUND, "{method} {template}");
            assert_eq!(
                app.logged_in_as(&other).await.as_deref(),
                Some(neighbour.as_str()),
                "the other account's session outlived the try"
            );
        }
    }
    app.stop().await;
}

fn location_or_empty(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}
