//! Flags and the review queue: anyone signed in flags a post once, three spam flags hide it, moderators
//! resolve the flags by dismissing, editing, closing or deleting, each in the log; in both languages,
//! without JavaScript (plain forms), and through the API.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{api_call as api, browser, location, spawn_app};

#[tokio::test]
async fn three_spam_flags_hide_a_post_until_a_moderator_dismisses_them() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let spammer = app.signed_up_user("spammer").await;
    let flaggers = [
        app.signed_up_user("carol").await,
        app.signed_up_user("dave").await,
        app.signed_up_user("erin").await,
    ];
    let moderator = app.staff_user("mod", "moderator").await;
    let question = app.ask(&alice, "A real question", "Real text").await;
    let answer = app
        .answer(&spammer, question, "Buy cheap pills today")
        .await;
    let flag = format!("/answers/{answer}/flag");
    let open_flags = || {
        app.storage()
            .number_of("SELECT count(*) FROM flags WHERE resolved_at IS NULL")
    };

    // The form (a page: it works without JavaScript) names the post; the author may not flag their own.
    let page = app.get_html(&flaggers[0], &flag).await;
    assert!(page.contains("Buy cheap pills today") && page.contains(r#"value="spam""#));
    let question_page = app
        .get_html(&flaggers[0], &format!("/questions/{question}"))
        .await;
    assert!(question_page.contains(&format!(r#"href="{flag}""#)));
    assert!(
        question_page.contains(&format!(r#"href="/questions/{question}/flag""#)),
        "{question_page}"
    );
    assert!(
        !app.get_html(&spammer, &format!("/questions/{question}"))
            .await
            .contains(&format!(r#"href="{flag}""#)),
        "no flag link on one's own post"
    );
    let own = app.post_form(&spammer, &flag, &[("reason", "spam")]).await;
    assert_eq!(own.status(), StatusCode::FORBIDDEN);
    // "Other" says what; an unknown reason is refused; nothing is kept.
    let unexplained = app
        .post_form(&flaggers[0], &flag, &[("reason", "other")])
        .await;
    assert_eq!(unexplained.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = app
        .post_form(&flaggers[0], &flag, &[("reason", "boring")])
        .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unknown
            .text()
            .await
            .unwrap()
            .contains("Pick one of the reasons.")
    );
    assert_eq!(open_flags(), 0);

    // Three people flag it as spam (one twice: counted once); then it is hidden from everyone but its
    // author and the moderators.
    for (n, flagger) in flaggers.iter().enumerate() {
        let flagged = app.post_form(flagger, &flag, &[("reason", "spam")]).await;
        assert_eq!(flagged.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&flagged), format!("/answers/{answer}"));
        if n == 0 {
            let again = app.post_form(flagger, &flag, &[("reason", "spam")]).await;
            assert_eq!(again.status(), StatusCode::SEE_OTHER);
            let shown = app
                .get_html(flagger, &format!("/questions/{question}"))
                .await;
            assert!(
                shown.contains("You flagged this post before"),
                "the second time says so"
            );
            assert!(
                shown.contains("Buy cheap pills today"),
                "one flag hides nothing"
            );
        }
    }
    assert_eq!(open_flags(), 3);
    let for_visitor = app
        .get_html(&browser(), &format!("/questions/{question}"))
        .await;
    assert!(!for_visitor.contains("Buy cheap pills today"));
    assert!(for_visitor.contains("several people flagged this post as spam"));
    // Nor does it leak through its history, its feed, the page's description or the flag page.
    for leak in [
        format!("/answers/{answer}/revisions"),
        format!("/questions/{question}/feed.atom"),
        format!("/answers/{answer}/flag"),
        format!("/answers/{answer}/comments"),
    ] {
        let shown = app.get_html(&alice, &leak).await;
        assert!(!shown.contains("Buy cheap pills today"), "{leak}: {shown}");
    }
    for reader in [&spammer, &moderator] {
        let shown = app
            .get_html(reader, &format!("/questions/{question}"))
            .await;
        assert!(
            shown.contains("Buy cheap pills today")
                && shown.contains("hidden until a moderator decides")
        );
    }

    // The moderator's navbar counts the open flags; the queue groups them under the post; a user may not
    // see it; the queue speaks Korean too.
    let home = app.get_html(&moderator, "/").await;
    assert!(home.contains(r#"data-review-link="3""#));
    let refused = app.get(&alice, "/review").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let queue = app.get_html(&moderator, "/review").await;
    assert!(queue.contains(&format!(r#"data-review-item="/answers/{answer}""#)));
    assert!(queue.contains(r#"data-flag-count="3""#) && queue.contains("Buy cheap pills today"));
    app.switch_language(&moderator, "ko", "/review").await;
    assert!(
        app.get_html(&moderator, "/review")
            .await
            .contains("검토 대기열")
    );
    app.switch_language(&moderator, "en", "/review").await;

    // Dismissing shows the post again, empties the queue and is logged; nobody flags it twice.
    let dismissed = app
        .post_form(&moderator, &format!("/answers/{answer}/flags/dismiss"), &[])
        .await;
    assert_eq!(dismissed.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&dismissed), "/review");
    assert_eq!(open_flags(), 0);
    assert!(
        app.get_html(&browser(), &format!("/questions/{question}"))
            .await
            .contains("Buy cheap pills today")
    );
    assert!(
        app.get_html(&moderator, "/review")
            .await
            .contains("data-review-empty")
    );
    assert!(
        app.get_html(&moderator, "/admin/log")
            .await
            .contains("dismissed flags")
    );
    let again = app
        .post_form(&flaggers[1], &flag, &[("reason", "spam")])
        .await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        open_flags(),
        0,
        "a dismissed flag is not raised again by the same person"
    );
    app.stop().await;
}

#[tokio::test]
async fn closing_editing_or_deleting_resolves_a_posts_flags_and_each_is_logged() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let carol = app.signed_up_user("carol").await;
    let moderator = app.staff_user("mod", "moderator").await;
    let question = app.ask(&alice, "Off topic chatter", "Anyone here?").await;
    let answer = app.answer(&alice, question, "A rude answer").await;
    let comment = app
        .comment(&alice, &format!("/questions/{question}"), "A spam comment")
        .await;
    for (path, reason) in [
        (format!("/questions/{question}/flag"), "other"),
        (format!("/answers/{answer}/flag"), "rude"),
        (format!("/comments/{comment}/flag"), "spam"),
    ] {
        let flagged = app
            .post_form(
                &carol,
                &path,
                &[("reason", reason), ("note", "please look")],
            )
            .await;
        assert_eq!(flagged.status(), StatusCode::SEE_OTHER, "{path}");
    }
    let queue = app.get_html(&moderator, "/review").await;
    assert_eq!(queue.matches("data-review-item=").count(), 3);
    assert!(queue.contains("please look") && queue.contains("rude or abusive"));
    let open = |post: &str| {
        app.storage().number_of(&format!(
            "SELECT count(*) FROM flags WHERE {post} AND resolved_at IS NULL"
        ))
    };

    // Closing the question decides its flags.
    let closed = app
        .post_form(
            &moderator,
            &format!("/questions/{question}/close"),
            &[("reason", "off-topic")],
        )
        .await;
    assert_eq!(closed.status(), StatusCode::SEE_OTHER);
    assert_eq!(open(&format!("question_id = {question}")), 0);
    // A moderator's edit (saying why) decides the answer's.
    let edited = app
        .post_form(
            &moderator,
            &format!("/answers/{answer}/edit"),
            &[
                ("content", "A civil answer"),
                ("summary", "removed insults"),
            ],
        )
        .await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    assert_eq!(open(&format!("answer_id = {answer}")), 0);
    // A moderator deletes someone else's comment: it is gone with its flags, and the log says who.
    let deleted = app
        .post_form(&moderator, &format!("/comments/{comment}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.storage().number_of(&format!(
            "SELECT count(*) FROM comments WHERE id = {comment}"
        )),
        0
    );
    assert!(
        app.get_html(&moderator, "/review")
            .await
            .contains("data-review-empty")
    );
    let log = app.get_html(&moderator, "/admin/log").await;
    assert!(log.contains("deleted someone") && log.contains("removed insults"));
    // A moderator deletes nothing of an admin's (nor of another moderator's).
    let admin = app.staff_user("root", "admin").await;
    let admins = app.ask(&admin, "An admin's question", "Rules").await;
    let refused = app
        .post_form(&moderator, &format!("/questions/{admins}/delete"), &[])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.storage().number_of(&format!(
            "SELECT count(*) FROM questions WHERE id = {admins}"
        )),
        1
    );
    // A user still deletes only their own posts.
    let by_carol = app
        .post_form(&carol, &format!("/answers/{answer}/delete"), &[])
        .await;
    assert_eq!(by_carol.status(), StatusCode::FORBIDDEN);
    app.stop().await;
}

#[tokio::test]
async fn the_api_flags_reviews_and_dismisses() {
    use reqwest::Method;
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let moderator = app.staff_user("mod", "moderator").await;
    let question = app.ask(&alice, "Cheap pills here", "Buy pills").await;
    let alices = crate::json_api::make_token(&app, &alice, "script", "write").await;
    let mods = crate::json_api::make_token(&app, &moderator, "script", "write").await;
    let mut tokens = Vec::new();
    for name in ["carol", "dave", "erin"] {
        let user = app.signed_up_user(name).await;
        tokens.push(crate::json_api::make_token(&app, &user, "script", "write").await);
    }
    let flags = format!("/questions/{question}/flags");

    let (status, own) = api(
        &app,
        Method::POST,
        &flags,
        &alices,
        Some(json!({"reason": "spam"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(own["error"]["code"], "own_post");
    let (status, unexplained) = api(
        &app,
        Method::POST,
        &flags,
        &tokens[0],
        Some(json!({"reason": "other"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unexplained["error"]["fields"]["note"].is_string(),
        "{unexplained}"
    );
    for (n, token) in tokens.iter().enumerate() {
        let (status, state) = api(
            &app,
            Method::POST,
            &flags,
            token,
            Some(json!({"reason": "spam"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{state}");
        assert_eq!(state["raised"], true);
        assert_eq!(state["hidden"], n == 2, "the third spam flag hides it");
    }
    let (_, again) = api(
        &app,
        Method::POST,
        &flags,
        &tokens[0],
        Some(json!({"reason": "rude"})),
    )
    .await;
    assert_eq!(again["raised"], false);
    // Hidden: its subject gives way to a notice in every list and on its page (but for its author and the
    // moderators), and programs get neither its subject nor its text.
    let front = app.get_html(&browser(), "/").await;
    assert!(!front.contains("Cheap pills here") && front.contains("Hidden question"));
    let page = app
        .get_html(&browser(), &format!("/questions/{question}"))
        .await;
    assert!(!page.contains("Cheap pills here"), "{page}");
    assert!(
        app.get_html(&moderator, "/")
            .await
            .contains("Cheap pills here")
    );
    let (_, list) = api(&app, Method::GET, "/questions", &tokens[0], None).await;
    assert_eq!(list["items"][0]["hidden"], true);
    assert_eq!(list["items"][0]["subject"], "");
    // Hidden: its text is left out for programs.
    let (_, shown) = api(
        &app,
        Method::GET,
        &format!("/questions/{question}"),
        &tokens[0],
        None,
    )
    .await;
    assert_eq!(shown["hidden"], true);
    assert_eq!(shown["content"], "");

    let (status, refused) = api(&app, Method::GET, "/review", &tokens[0], None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(refused["error"]["code"], "not_moderator");
    let (status, queue) = api(&app, Method::GET, "/review", &mods, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(queue["items"][0]["post_kind"], "question");
    assert_eq!(
        queue["items"][0]["content"], "Buy pills",
        "moderators read it"
    );
    assert_eq!(queue["items"][0]["flags"].as_array().map(Vec::len), Some(3));

    let (status, _) = api(&app, Method::DELETE, &flags, &tokens[0], None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, dismissed) = api(&app, Method::DELETE, &flags, &mods, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(dismissed["dismissed"], true);
    let (_, twice) = api(&app, Method::DELETE, &flags, &mods, None).await;
    assert_eq!(twice["dismissed"], false);
    let (_, shown) = api(
        &app,
        Method::GET,
        &format!("/questions/{question}"),
        &tokens[0],
        None,
    )
    .await;
    assert_eq!(shown["hidden"], false);
    assert_eq!(shown["content"], "Buy pills");
    let (status, _) = api(
        &app,
        Method::POST,
        "/questions/999999/flags",
        &tokens[0],
        Some(json!({"reason": "spam"})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.stop().await;
}
