//! Who may do what: a visitor, the author, another user, a suspended user, a moderator and an admin against
//! every state-changing route.

use reqwest::{Client, StatusCode};

use crate::helpers::{TestApp, browser, location, spawn_app, tomorrow};

#[derive(Clone, Copy, Debug)]
enum Who {
    Visitor,
    Author,
    Other,
    Suspended,
    Moderator,
    Admin,
}

const EVERYONE: [Who; 6] = [
    Who::Visitor,
    Who::Author,
    Who::Other,
    Who::Suspended,
    Who::Moderator,
    Who::Admin,
];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// Sent to log in.
    LogIn,
    Allowed,
    Forbidden,
}

use Expect::{Allowed as A, Forbidden as F, LogIn as L};

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
    // Each post edited once by its author: revision 1 is there to roll back to.
    for (path, form) in [
        (
            format!("/questions/{question}/edit"),
            vec![("subject", "The question"), ("content", "text, edited")],
        ),
        (
            format!("/answers/{answer}/edit"),
            vec![("content", "The answer, edited")],
        ),
        (
            format!("/comments/{comment}/edit"),
            vec![("content", "The comment, edited")],
        ),
    ] {
        let edited = app.post_form(&author, &path, &form).await;
        assert_eq!(edited.status(), StatusCode::SEE_OTHER, "{path}");
    }
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
    // The staff and the suspended user are nobody's authors: one of each serves every route.
    let moderator = app.staff_user("moderator", "moderator").await;
    let admin = app.staff_user("admin", "admin").await;
    let suspended = app
        .suspended_user(&moderator, "suspended", "flooding")
        .await;
    let until = tomorrow();
    // (method, path template, form, [visitor, author, other, suspended, moderator, admin])
    type Route<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)], [Expect; 6]);
    let routes: [Route; 46] = [
        (
            "POST",
            "/questions",
            &[("subject", "s"), ("content", "c")],
            [L, A, A, F, A, A],
        ),
        // Moderators edit anyone's post (saying why), roll it back and delete it (each logged).
        ("GET", "/questions/{q}/edit", &[], [L, A, F, F, A, A]),
        (
            "POST",
            "/questions/{q}/edit",
            &[
                ("subject", "EDITED-SUBJECT"),
                ("content", "EDITED-BODY"),
                ("summary", "why"),
            ],
            [L, A, F, F, A, A],
        ),
        (
            "POST",
            "/questions/{q}/revisions/1/rollback",
            &[("summary", "why")],
            [L, A, F, F, A, A],
        ),
        ("GET", "/questions/{q}/delete", &[], [L, A, F, F, A, A]),
        ("POST", "/questions/{q}/delete", &[], [L, A, F, F, A, A]),
        ("POST", "/questions/{q}/like", &[], [L, F, A, F, A, A]),
        (
            "POST",
            "/questions/{q}/answers",
            &[("content", "c")],
            [L, A, A, F, A, A],
        ),
        ("GET", "/answers/{a}/edit", &[], [L, A, F, F, A, A]),
        (
            "POST",
            "/answers/{a}/edit",
            &[("content", "EDITED-BODY"), ("summary", "why")],
            [L, A, F, F, A, A],
        ),
        (
            "POST",
            "/answers/{a}/revisions/1/rollback",
            &[("summary", "why")],
            [L, A, F, F, A, A],
        ),
        ("GET", "/answers/{a}/delete", &[], [L, A, F, F, A, A]),
        ("POST", "/answers/{a}/delete", &[], [L, A, F, F, A, A]),
        ("POST", "/answers/{a}/like", &[], [L, F, A, F, A, A]),
        // Undeleting (here of what is not deleted: nothing changes) is the author's and staff's; purging
        // for good, deleted or not, only an admin's.
        ("POST", "/questions/{q}/undelete", &[], [L, A, F, F, A, A]),
        ("POST", "/answers/{a}/undelete", &[], [L, A, F, F, A, A]),
        ("GET", "/questions/{q}/purge", &[], [L, F, F, F, F, A]),
        ("POST", "/questions/{q}/purge", &[], [L, F, F, F, F, A]),
        ("GET", "/answers/{a}/purge", &[], [L, F, F, F, F, A]),
        ("POST", "/answers/{a}/purge", &[], [L, F, F, F, F, A]),
        (
            "POST",
            "/questions/{q}/comments",
            &[("content", "c")],
            [L, A, A, F, A, A],
        ),
        (
            "POST",
            "/answers/{a}/comments",
            &[("content", "c")],
            [L, A, A, F, A, A],
        ),
        ("GET", "/comments/{c}/edit", &[], [L, A, F, F, A, A]),
        (
            "POST",
            "/comments/{c}/edit",
            &[("content", "EDITED-COMMENT"), ("summary", "why")],
            [L, A, F, F, A, A],
        ),
        (
            "POST",
            "/comments/{c}/revisions/1/rollback",
            &[("summary", "why")],
            [L, A, F, F, A, A],
        ),
        ("GET", "/comments/{c}/delete", &[], [L, A, F, F, A, A]),
        ("POST", "/comments/{c}/delete", &[], [L, A, F, F, A, A]),
        // Accepting is the question's author's (here also the answer's).
        ("POST", "/answers/{a}/accept", &[], [L, A, F, F, F, F]),
        // Following is anyone's who is logged in: it posts nothing.
        (
            "POST",
            "/questions/{q}/follow",
            &[("follow", "true")],
            [L, A, A, A, A, A],
        ),
        // Flags: anyone signed in but the author and a suspended user; the queue and dismissing: staff.
        ("GET", "/questions/{q}/flag", &[], [L, F, A, F, A, A]),
        (
            "POST",
            "/questions/{q}/flag",
            &[("reason", "rude")],
            [L, F, A, F, A, A],
        ),
        (
            "POST",
            "/answers/{a}/flag",
            &[("reason", "rude")],
            [L, F, A, F, A, A],
        ),
        (
            "POST",
            "/comments/{c}/flag",
            &[("reason", "rude")],
            [L, F, A, F, A, A],
        ),
        ("GET", "/review", &[], [L, F, F, F, A, A]),
        (
            "POST",
            "/questions/{q}/flags/dismiss",
            &[],
            [L, F, F, F, A, A],
        ),
        (
            "POST",
            "/answers/{a}/flags/dismiss",
            &[],
            [L, F, F, F, A, A],
        ),
        (
            "POST",
            "/comments/{c}/flags/dismiss",
            &[],
            [L, F, F, F, A, A],
        ),
        // Moderation: staff close, reopen and suspend; only admins give roles.
        ("GET", "/questions/{q}/close", &[], [L, F, F, F, A, A]),
        (
            "POST",
            "/questions/{q}/close",
            &[("reason", "off-topic")],
            [L, F, F, F, A, A],
        ),
        ("POST", "/questions/{q}/reopen", &[], [L, F, F, F, A, A]),
        ("GET", "/users/{author}/suspend", &[], [L, F, F, F, A, A]),
        (
            "POST",
            "/users/{author}/suspend",
            &[("until", until.as_str()), ("reason", "spam")],
            [L, F, F, F, A, A],
        ),
        ("POST", "/users/{author}/unsuspend", &[], [L, F, F, F, A, A]),
        ("GET", "/admin/log", &[], [L, F, F, F, A, A]),
        ("GET", "/admin/users", &[], [L, F, F, F, F, A]),
        (
            "POST",
            "/admin/users/{author}/role",
            &[("role", "moderator")],
            [L, F, F, F, F, A],
        ),
    ];
    let logged = || {
        app.storage()
            .number_of("SELECT count(*) FROM moderation_log")
    };
    let mut fixtures = 0;
    for (method, template, form, expectations) in routes {
        for (who, expect) in EVERYONE.into_iter().zip(expectations) {
            fixtures += 1;
            let f = fixture(&app, fixtures).await;
            let path = template
                .replace("{q}", &f.question.to_string())
                .replace("{a}", &f.answer.to_string())
                .replace("{c}", &f.comment.to_string())
                .replace("{author}", &format!("author{fixtures}"));
            let visitor = browser();
            let client = match who {
                Who::Visitor => &visitor,
                Who::Author => &f.author,
                Who::Other => &f.other,
                Who::Suspended => &suspended,
                Who::Moderator => &moderator,
                Who::Admin => &admin,
            };
            let log_before = logged();
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
                assert!(
                    !page.contains("question-closed"),
                    "{method} {template} as {who:?} closed it"
                );
                assert_eq!(
                    logged(),
                    log_before,
                    "{method} {template} as {who:?} was logged"
                );
                let answered = app
                    .post_form(
                        &f.author,
                        &format!("/questions/{}/answers", f.question),
                        &[("content", "The author can still answer")],
                    )
                    .await;
                assert_eq!(
                    answered.status(),
                    StatusCode::SEE_OTHER,
                    "{method} {template} as {who:?} left the author unable to post"
                );
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
    // A moderator edits and deletes anyone's post (each logged).
    let moderator = app.staff_user("moderator", "moderator").await;
    let for_moderator = app.get_html(&moderator, &path).await;
    assert_eq!(for_moderator.matches(">Edit</a>").count(), 3);
    assert_eq!(for_moderator.matches(">Delete</a>").count(), 3);
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
