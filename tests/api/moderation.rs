//! Moderation: roles given from the shell and by admins, closing and reopening questions, suspensions,
//! and the log of it all, in both languages and without JavaScript (every control is a plain form).

use reqwest::StatusCode;

use crate::helpers::{browser, location, spawn_app, tomorrow};

#[tokio::test]
async fn roles_come_from_the_operator_then_from_admins_and_everything_is_logged() {
    let app = spawn_app().await;
    let admin = app.staff_user("root", "admin").await;
    let alice = app.signed_up_user("alice").await;
    let _bob = app.signed_up_user("bob").await;

    // Nobody is staff by signing up first: alice, the second account, has no role either.
    let alices_profile = app.get_html(&browser(), "/users/alice").await;
    assert!(!alices_profile.contains("data-role="));
    // Nobody but an admin reaches the accounts page, and a user is told why, not "not found".
    let refused = app.get(&alice, "/admin/users").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Only admins may do this.")
    );

    // The admin finds alice by name and makes her a moderator.
    let accounts = app.get_html(&admin, "/admin/users?q=ali").await;
    assert!(accounts.contains(r#"data-account="alice""#));
    assert!(!accounts.contains(r#"data-account="bob""#));
    let made = app
        .post_form(&admin, "/admin/users/alice/role", &[("role", "moderator")])
        .await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let profile = app.get_html(&browser(), "/users/alice").await;
    assert!(
        profile.contains(r#"data-role="moderator""#),
        "a moderator's badge"
    );
    // A moderator gives no roles, and nobody changes their own.
    let by_moderator = app
        .post_form(&alice, "/admin/users/bob/role", &[("role", "admin")])
        .await;
    assert_eq!(by_moderator.status(), StatusCode::FORBIDDEN);
    let own = app
        .post_form(&admin, "/admin/users/root/role", &[("role", "user")])
        .await;
    assert_eq!(own.status(), StatusCode::FORBIDDEN);
    assert!(own.text().await.unwrap().contains("your own role"));
    // One admin does not demote another (the operator does).
    let _other_admin = app.staff_user("root2", "admin").await;
    let demote = app
        .post_form(&admin, "/admin/users/root2/role", &[("role", "user")])
        .await;
    assert_eq!(demote.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.storage()
            .text_of("SELECT role FROM users WHERE username = 'root2'"),
        "admin"
    );
    // A name no account could have is nobody's, not a failure.
    let nul = app
        .post_form(&admin, "/admin/users/a%00b/role", &[("role", "moderator")])
        .await;
    assert_eq!(nul.status(), StatusCode::NOT_FOUND);
    // A role that is none is a bad request; a name that is nobody's is not found.
    let bad = app
        .post_form(&admin, "/admin/users/bob/role", &[("role", "owner")])
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let nobody = app
        .post_form(&admin, "/admin/users/nobody/role", &[("role", "moderator")])
        .await;
    assert_eq!(nobody.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.storage()
            .text_of("SELECT role FROM users WHERE username = 'bob'"),
        "user"
    );

    // The log says who did what: the operator first, then the admin; moderators read it too.
    let log = app.get_html(&alice, "/admin/log").await;
    let rows: Vec<&str> = log.split("<tr data-log=").skip(1).collect();
    // Newest first: the operator made root2 an admin after root made alice a moderator; the refused
    // demotion is not there.
    assert_eq!(rows.len(), 3, "{log}");
    assert!(rows[0].contains("the operator (shell)") && rows[0].contains("root2"));
    assert!(rows[1].contains("root") && rows[1].contains("alice") && rows[1].contains("moderator"));
    assert!(rows[2].contains("the operator (shell)") && rows[2].contains("admin"));
    assert!(
        log.contains("data-staff-link"),
        "staff find the log in the navbar"
    );
    let user_page = app.get_html(&_bob, "/").await;
    assert!(!user_page.contains("data-staff-link"));
    app.stop().await;
}

#[tokio::test]
async fn moderators_close_questions_which_then_take_no_answers_until_reopened() {
    let app = spawn_app().await;
    let moderator = app.staff_user("mod", "moderator").await;
    let asker = app.signed_up_user("asker").await;
    let original = app.ask(&asker, "How do I sort a Vec?", "In Rust").await;
    let copy = app.ask(&asker, "Sorting a vector?", "Also Rust").await;
    let page = format!("/questions/{copy}");

    // A user cannot close, and is told so.
    let refused = app
        .post_form(&asker, &format!("{page}/close"), &[("reason", "off-topic")])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Only moderators may do this.")
    );

    // Bad closings: each says what is wrong, and the question stays open.
    let itself = copy.to_string();
    for (form, message) in [
        (
            vec![("reason", "duplicate"), ("duplicate_of", "")],
            "This field is required.",
        ),
        (
            vec![("reason", "duplicate"), ("duplicate_of", itself.as_str())],
            "A question cannot duplicate itself.",
        ),
        (
            vec![
                ("reason", "duplicate"),
                ("duplicate_of", "/questions/999999"),
            ],
            "There is no question with that number.",
        ),
        (
            vec![("reason", "other"), ("note", " ")],
            "This field is required.",
        ),
        (vec![("reason", "closed")], "Choose a reason"),
    ] {
        let response = app
            .post_form(&moderator, &format!("{page}/close"), &form)
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{form:?}"
        );
        assert!(response.text().await.unwrap().contains(message), "{form:?}");
    }
    assert!(
        !app.get_html(&asker, &page)
            .await
            .contains("question-closed")
    );

    // Closed as a duplicate named by its address.
    let form_page = app.get_html(&moderator, &format!("{page}/close")).await;
    assert!(form_page.contains(r#"name="reason""#) && form_page.contains("duplicate_of"));
    let address = app.url(&format!("/questions/{original}/how-do-i-sort"));
    let closed = app
        .post_form(
            &moderator,
            &format!("{page}/close"),
            &[
                ("reason", "duplicate"),
                ("duplicate_of", &address),
                ("note", "See the older one"),
            ],
        )
        .await;
    assert_eq!(closed.status(), StatusCode::SEE_OTHER);
    for client in [&asker, &browser()] {
        let shown = app.get_html(client, &page).await;
        assert!(shown.contains(r#"data-closed="duplicate""#), "the notice");
        assert!(shown.contains("Closed as duplicate by mod"));
        assert!(shown.contains(&format!(r#"data-duplicate-of="{original}""#)));
        assert!(shown.contains("How do I sort a Vec?") && shown.contains("See the older one"));
        assert!(shown.contains(r#"id="answer-closed""#) && !shown.contains(r#"name="content""#));
    }
    // The list says so in words, on its row only.
    let list = app.get_html(&browser(), "/").await;
    let row = list
        .split(&format!(r#"data-question="{copy}""#))
        .nth(1)
        .and_then(|rest| rest.split("</li>").next())
        .unwrap_or_default();
    assert!(
        row.contains(r#"data-state="closed""#) && row.contains("Closed"),
        "{row}"
    );
    assert_eq!(list.matches(r#"data-state="closed""#).count(), 1);
    // In Korean too.
    let korean = browser();
    app.switch_language(&korean, "ko", &page).await;
    let shown = app.get_html(&korean, &page).await;
    assert!(shown.contains("중복 사유로 mod 님이 닫음"), "{shown}");
    // An answer sent anyway is refused with the reason; nothing is added.
    let answered = app
        .post_form(
            &asker,
            &format!("{page}/answers"),
            &[("content", "late answer")],
        )
        .await;
    assert_eq!(answered.status(), StatusCode::FORBIDDEN);
    assert!(
        answered
            .text()
            .await
            .unwrap()
            .contains("This question is closed (duplicate)")
    );
    assert_eq!(
        app.storage().number_of(&format!(
            "SELECT answer_count FROM questions WHERE id = {copy}"
        )),
        0
    );
    // Closing twice says it is closed already.
    let again = app
        .post_form(
            &moderator,
            &format!("{page}/close"),
            &[("reason", "off-topic")],
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Reopened: answers are taken again, and the log holds both.
    let reopened = app
        .post_form(&moderator, &format!("{page}/reopen"), &[])
        .await;
    assert_eq!(reopened.status(), StatusCode::SEE_OTHER);
    assert!(
        !app.get_html(&browser(), &page)
            .await
            .contains("question-closed")
    );
    app.answer(&asker, copy, "now it takes answers").await;
    // No loops: with the copy closed as a duplicate of the first, the first cannot be closed as one of
    // the copy.
    let again = app
        .post_form(
            &moderator,
            &format!("{page}/close"),
            &[
                ("reason", "duplicate"),
                ("duplicate_of", &original.to_string()),
            ],
        )
        .await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    let looped = app
        .post_form(
            &moderator,
            &format!("/questions/{original}/close"),
            &[("reason", "duplicate"), ("duplicate_of", &copy.to_string())],
        )
        .await;
    assert_eq!(looped.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        looped
            .text()
            .await
            .unwrap()
            .contains("closed as a duplicate of this one")
    );
    let log = app.get_html(&moderator, "/admin/log").await;
    assert_eq!(log.matches(r#"data-log="close""#).count(), 2);
    assert_eq!(log.matches(r#"data-log="reopen""#).count(), 1);
    app.stop().await;
}

#[tokio::test]
async fn suspended_users_read_and_log_in_but_are_told_why_they_cannot_write() {
    let app = spawn_app().await;
    let moderator = app.staff_user("mod", "moderator").await;
    let admin = app.staff_user("root", "admin").await;
    let writer = app.signed_up_user("writer").await;
    let question = app.ask(&writer, "A question", "body").await;
    let other = app.signed_up_user("other").await;
    let others = app.ask(&other, "Another question", "body").await;

    // Bad suspensions change nothing.
    let until = tomorrow();
    for (form, message) in [
        (vec![("until", "tomorrow"), ("reason", "spam")], "date"),
        (
            vec![("until", "2001-01-01"), ("reason", "spam")],
            "from today",
        ),
        (vec![("until", until.as_str()), ("reason", "")], "required"),
    ] {
        let response = app
            .post_form(&moderator, "/users/writer/suspend", &form)
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{form:?}"
        );
        assert!(response.text().await.unwrap().contains(message), "{form:?}");
    }
    // Nobody suspends an admin, and a moderator no other moderator.
    let admin_refused = app
        .post_form(
            &moderator,
            "/users/root/suspend",
            &[("until", &tomorrow()), ("reason", "x")],
        )
        .await;
    assert_eq!(admin_refused.status(), StatusCode::FORBIDDEN);
    assert!(
        admin_refused
            .text()
            .await
            .unwrap()
            .contains("an admin is never suspended")
    );
    let _second = app.staff_user("mod2", "moderator").await;
    let peer = app
        .post_form(
            &moderator,
            "/users/mod2/suspend",
            &[("until", &tomorrow()), ("reason", "x")],
        )
        .await;
    assert_eq!(peer.status(), StatusCode::FORBIDDEN);

    // Suspended through tomorrow for a reason the user is shown on every attempt.
    let suspended = app
        .post_form(
            &moderator,
            "/users/writer/suspend",
            &[("until", &tomorrow()), ("reason", "Posting ads")],
        )
        .await;
    assert_eq!(suspended.status(), StatusCode::SEE_OTHER);
    let attempts: [(String, Vec<(&str, &str)>); 5] = [
        (
            "/questions".into(),
            vec![("subject", "More ads"), ("content", "buy")],
        ),
        (
            format!("/questions/{others}/answers"),
            vec![("content", "buy")],
        ),
        (
            format!("/questions/{others}/comments"),
            vec![("content", "buy")],
        ),
        (format!("/questions/{others}/like"), vec![]),
        (
            format!("/questions/{question}/edit"),
            vec![("subject", "Edited"), ("content", "buy")],
        ),
    ];
    for (path, form) in &attempts {
        let response = app.post_form(&writer, path, form).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        let page = response.text().await.unwrap();
        assert!(page.contains("Your account is suspended"), "{path}");
        assert!(
            page.contains("Posting ads") && page.contains(&tomorrow()),
            "{path}"
        );
    }
    // Nor does the suspended author delete their own question or accept an answer to it.
    let answer = app.answer(&other, question, "an answer").await;
    for path in [
        format!("/questions/{question}/delete"),
        format!("/answers/{answer}/accept"),
    ] {
        let response = app.post_form(&writer, &path, &[]).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        assert!(
            response.text().await.unwrap().contains("Posting ads"),
            "{path}"
        );
    }
    // The htmx like gets a fragment saying the same, for the flash area.
    let like = app
        .like_with_htmx(&writer, &format!("/questions/{others}/like"))
        .await;
    assert_eq!(like.status(), StatusCode::FORBIDDEN);
    assert_eq!(like.headers()["hx-retarget"], "#flash");
    let fragment = like.text().await.unwrap();
    assert!(fragment.contains("Posting ads") && !fragment.contains("<html"));
    // Nothing was written.
    assert_eq!(app.storage().number_of("SELECT count(*) FROM questions"), 2);
    assert_eq!(
        app.storage()
            .number_of("SELECT count(*) FROM questions WHERE accepted_answer_id IS NOT NULL"),
        0
    );
    assert_eq!(
        app.storage().number_of(&format!(
            "SELECT like_count FROM questions WHERE id = {others}"
        )),
        0
    );
    // Reading and logging in still work.
    assert_eq!(app.get(&writer, "/").await.status(), StatusCode::OK);
    app.log_out(&writer).await;
    let back = app
        .log_in(&writer, "writer", crate::helpers::PASSWORD)
        .await;
    assert_eq!(back.status(), StatusCode::SEE_OTHER);
    // Staff see the suspension on the profile, in both languages.
    let profile = app.get_html(&admin, "/users/writer").await;
    assert!(profile.contains("data-suspended") && profile.contains("Posting ads"));
    let korean = app.staff_user("kmod", "moderator").await;
    app.switch_language(&korean, "ko", "/users/writer").await;
    assert!(
        app.get_html(&korean, "/users/writer")
            .await
            .contains("까지 정지: Posting ads")
    );
    // Visitors see none of it.
    assert!(
        !app.get_html(&browser(), "/users/writer")
            .await
            .contains("Posting ads")
    );

    // Lifted with one click: writing works again, and both are in the log.
    let lifted = app
        .post_form(&moderator, "/users/writer/unsuspend", &[])
        .await;
    assert_eq!(lifted.status(), StatusCode::SEE_OTHER);
    assert!(location(&lifted).starts_with("/users/writer"));
    app.answer(&writer, others, "a real answer").await;
    let log = app.get_html(&admin, "/admin/log").await;
    assert!(log.contains(r#"data-log="suspend""#) && log.contains(r#"data-log="unsuspend""#));
    app.stop().await;
}

#[tokio::test]
async fn the_log_pages_back_from_the_newest() {
    let app = spawn_app().await;
    let admin = app.staff_user("root", "admin").await;
    app.signed_up_user("flip").await;
    // 1 grant by the operator + 60 role changes by the admin: two pages of 50.
    for n in 0..60 {
        let role = if n % 2 == 0 { "moderator" } else { "user" };
        let response = app
            .post_form(&admin, "/admin/users/flip/role", &[("role", role)])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    let first = app.get_html(&admin, "/admin/log").await;
    assert_eq!(first.matches("<tr data-log=").count(), 50);
    let before: i64 = first
        .split("/admin/log?before=")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|id| id.parse().ok())
        .expect("a link to older entries");
    let second = app
        .get_html(&admin, &format!("/admin/log?before={before}"))
        .await;
    assert_eq!(second.matches("<tr data-log=").count(), 11);
    assert!(second.contains("the operator (shell)"));
    assert!(
        !second.contains(r#"rel="next""#),
        "the oldest page links no older one"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_operator_lists_accounts_and_gives_roles_from_the_command_line() {
    let app = spawn_app().await;
    let carol = app.signed_up_user("carol").await;
    app.signed_up_user("dave").await;
    let database = app.database.config_value();
    let run = |args: &[&str]| {
        crate::helpers::miniboard_command()
            .args(args)
            .env("MINIBOARD_DATABASE", &database)
            .output()
            .expect("run miniboard")
    };
    let granted = run(&["user", "role", "carol", "admin"]);
    assert!(
        granted.status.success(),
        "{}",
        String::from_utf8_lossy(&granted.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&granted.stdout).trim(),
        "carol: user -> admin"
    );
    // The board agrees at once: carol reaches the admin's page.
    assert_eq!(
        app.get(&carol, "/admin/users").await.status(),
        StatusCode::OK
    );

    let listed = run(&["user", "list"]);
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let everyone = String::from_utf8_lossy(&listed.stdout).to_string();
    let rows: Vec<Vec<&str>> = everyone
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(rows.len(), 2, "{everyone}");
    assert_eq!((rows[0][1], rows[0][2]), ("carol", "admin"));
    assert_eq!((rows[1][1], rows[1][2]), ("dave", "user"));
    let staff = run(&["user", "list", "--staff"]);
    assert!(
        staff.status.success(),
        "{}",
        String::from_utf8_lossy(&staff.stderr)
    );
    let staff = String::from_utf8_lossy(&staff.stdout).to_string();
    assert_eq!(staff.lines().count(), 2, "the heading and carol: {staff}");

    for (args, said) in [
        (
            vec!["user", "role", "nobody", "admin"],
            "no account is named",
        ),
        (vec!["user", "role", "dave", "root"], "is not a role"),
    ] {
        let output = run(&args);
        assert!(!output.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(said), "{stderr}");
    }
    assert_eq!(
        app.storage()
            .text_of("SELECT role FROM users WHERE username = 'dave'"),
        "user"
    );
    app.stop().await;
}
