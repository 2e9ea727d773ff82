//! Soft delete: a deleted question or answer is gone for everyone but its author and the moderators — from
//! every list, count, tag, search, feed and reputation — and comes back whole when undeleted; an author
//! brings back only what they deleted themselves; an admin purges for good. Pages and the API alike.

use reqwest::{Method, StatusCode};

use crate::helpers::{TestApp, api_call as api, browser, data_ids, location, spawn_app};
use crate::json_api::make_token;
use crate::people::count_in;

fn assert_counters_exact(app: &TestApp) {
    let drift = app.storage().counter_drift();
    assert!(drift.iter().all(|(_, n)| *n == 0), "{drift:?}");
}

/// The question ids a search lists for a visitor.
async fn found(app: &TestApp, query: &str) -> Vec<i64> {
    data_ids(
        &app.get_html(&browser(), &format!("/questions?q={query}"))
            .await,
        "question",
    )
}

/// The count `/tags` shows beside `tag` (0 when it is not listed).
async fn tag_count(app: &TestApp, tag: &str) -> i64 {
    let html = app.get_html(&browser(), "/tags").await;
    let Some(at) = html.find(&format!(r#"data-tag="{tag}""#)) else {
        return 0;
    };
    data_ids(&html[at..], "question-count")[0]
}

#[tokio::test]
async fn a_deleted_question_leaves_every_list_count_and_search_and_comes_back_whole() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let carol = app.signed_up_user("carol").await;
    let visitor = browser();
    let asked = app
        .post_form(
            &alice,
            "/questions",
            &[
                ("subject", "Graphite lubricant for old locks"),
                ("content", "Does graphite powder help?"),
                ("tags", "locks"),
            ],
        )
        .await;
    let question: i64 = location(&asked)
        .trim_start_matches("/questions/")
        .parse()
        .expect("id");
    let kept = app
        .post_form(
            &alice,
            "/questions",
            &[
                ("subject", "Oiling hinges"),
                ("content", "Which oil for hinges?"),
                ("tags", "locks"),
            ],
        )
        .await;
    assert_eq!(kept.status(), StatusCode::SEE_OTHER);
    let answer = app.answer(&bob, question, "Graphite, never oil.").await;
    // Carol likes the question (+5 to Alice), Alice likes the answer (+10 to Bob) and accepts it (+15).
    app.like_with_htmx(&carol, &format!("/questions/{question}/like"))
        .await;
    app.like_with_htmx(&alice, &format!("/answers/{answer}/like"))
        .await;
    app.post_form(&alice, &format!("/answers/{answer}/accept"), &[])
        .await;
    let before = (
        count_in(&app.get_html(&visitor, "/users/bob").await, "reputation"),
        count_in(&app.get_html(&visitor, "/users/alice").await, "reputation"),
    );
    assert_eq!(before, (25, 5));
    assert_eq!(found(&app, "graphite").await, [question]);
    assert_eq!(tag_count(&app, "locks").await, 2);
    // The visitors' page cache holds the list with it: the delete, a write, empties it.
    assert!(data_ids(&app.get_html(&visitor, "/").await, "question").contains(&question));

    let deleted = app
        .post_form(&alice, &format!("/questions/{question}/delete"), &[])
        .await;
    assert_eq!(location(&deleted), format!("/questions/{question}"));
    // Gone for visitors and other users: its page, the lists, search, the tag, the feeds, the counts.
    for other in [&visitor, &bob, &carol] {
        let page = app.get(other, &format!("/questions/{question}")).await;
        assert_eq!(page.status(), StatusCode::NOT_FOUND);
    }
    assert!(!data_ids(&app.get_html(&visitor, "/").await, "question").contains(&question));
    assert!(
        !data_ids(
            &app.get_html(&visitor, "/questions?sort=unanswered").await,
            "question"
        )
        .contains(&question)
    );
    assert_eq!(found(&app, "graphite").await, Vec::<i64>::new());
    assert_eq!(tag_count(&app, "locks").await, 1);
    let feed = app.get_html(&visitor, "/feeds/questions.atom").await;
    assert!(!feed.contains("Graphite lubricant"));
    assert_eq!(
        app.get(&visitor, &format!("/questions/{question}/feed.atom"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let bobs = app.get_html(&visitor, "/users/bob").await;
    assert_eq!(
        (count_in(&bobs, "reputation"), count_in(&bobs, "answers")),
        (0, 0)
    );
    let alices = app.get_html(&visitor, "/users/alice").await;
    assert_eq!(
        (
            count_in(&alices, "reputation"),
            count_in(&alices, "questions")
        ),
        (0, 1)
    );
    assert_eq!(data_ids(&alices, "question").len(), 1);
    assert_counters_exact(&app);
    // Its author reads it, marked, with its answer among the deleted ones and the way back.
    let own = app
        .get_html(&alice, &format!("/questions/{question}"))
        .await;
    assert!(own.contains("Deleted by alice") && own.contains("Graphite, never oil."));
    assert!(own.contains(&format!(r#"data-deleted-answer="{answer}""#)));
    assert!(own.contains("Deleted with its question"));
    assert!(
        !own.contains(r#"id="answer-form""#),
        "no answering a deleted question"
    );
    // Nothing is done to it meanwhile: no answer, comment, like or edit.
    for (path, form) in [
        (
            format!("/questions/{question}/answers"),
            vec![("content", "late")],
        ),
        (
            format!("/questions/{question}/comments"),
            vec![("content", "late")],
        ),
        (format!("/questions/{question}/like"), vec![]),
        (
            format!("/questions/{question}/edit"),
            vec![("subject", "New subject"), ("content", "new")],
        ),
    ] {
        let refused = app.post_form(&alice, &path, &form).await;
        assert_eq!(refused.status(), StatusCode::NOT_FOUND, "{path}");
    }

    let undeleted = app
        .post_form(&alice, &format!("/questions/{question}/undelete"), &[])
        .await;
    assert_eq!(location(&undeleted), format!("/questions/{question}"));
    let page = app
        .get_html(&visitor, &format!("/questions/{question}"))
        .await;
    assert!(page.contains("Graphite, never oil.") && page.contains("data-accepted-badge"));
    assert_eq!(found(&app, "graphite").await, [question]);
    assert_eq!(tag_count(&app, "locks").await, 2);
    let after = (
        count_in(&app.get_html(&visitor, "/users/bob").await, "reputation"),
        count_in(&app.get_html(&visitor, "/users/alice").await, "reputation"),
    );
    assert_eq!(after, before);
    assert_counters_exact(&app);
    app.stop().await;
}

#[tokio::test]
async fn an_author_undoes_only_their_own_delete_and_moderators_see_and_undo_every_one() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let moderator = app.staff_user("mod", "moderator").await;
    let question = app
        .ask(&alice, "Which glue for wood?", "Pine, indoors.")
        .await;
    let answer = app.answer(&bob, question, "PVA glue, clamped.").await;
    let page = format!("/questions/{question}");
    let logged = |action: &str| {
        app.storage().number_of(&format!(
            "SELECT count(*) FROM moderation_log WHERE action = '{action}'"
        ))
    };

    // A moderator deletes Bob's answer: Bob reads it, marked, without a way back; the log says so.
    let deleted = app
        .post_form(&moderator, &format!("/answers/{answer}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(logged("delete"), 1);
    let bobs_view = app.get_html(&bob, &page).await;
    assert!(bobs_view.contains("Deleted by mod") && bobs_view.contains("PVA glue"));
    assert!(!bobs_view.contains(&format!(r#"action="/answers/{answer}/undelete""#)));
    assert!(!app.get_html(&alice, &page).await.contains("PVA glue"));
    let refused = app
        .post_form(&bob, &format!("/answers/{answer}/undelete"), &[])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(
        refused
            .text()
            .await
            .expect("body")
            .contains("Someone with a higher role than yours deleted this post")
    );
    // The moderator sees it with the way back (and no purge: that is an admin's) and brings it back.
    let mods_view = app.get_html(&moderator, &page).await;
    assert!(mods_view.contains(&format!(r#"action="/answers/{answer}/undelete""#)));
    assert!(!mods_view.contains(&format!(r#"href="/answers/{answer}/purge""#)));
    let back = app
        .post_form(&moderator, &format!("/answers/{answer}/undelete"), &[])
        .await;
    assert_eq!(back.status(), StatusCode::SEE_OTHER);
    assert_eq!(logged("undelete"), 1);
    assert!(app.get_html(&browser(), &page).await.contains("PVA glue"));

    // Bob deletes it himself and brings it back; the log is for others' posts only.
    for action in ["delete", "undelete"] {
        let done = app
            .post_form(&bob, &format!("/answers/{answer}/{action}"), &[])
            .await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER, "{action}");
    }
    assert_eq!((logged("delete"), logged("undelete")), (1, 1));
    // An answer deleted with its question comes back only with it, in Korean as in English.
    app.post_form(&alice, &format!("{page}/delete"), &[]).await;
    let alone = app
        .post_form(&moderator, &format!("/answers/{answer}/undelete"), &[])
        .await;
    assert_eq!(alone.status(), StatusCode::FORBIDDEN);
    app.switch_language(&moderator, "ko", &page).await;
    let korean = app.get_html(&moderator, &page).await;
    assert!(korean.contains("삭제한 사람: alice") && korean.contains("삭제된 답변"));
    let alone = app
        .post_form(&moderator, &format!("/answers/{answer}/undelete"), &[])
        .await;
    assert!(
        alone
            .text()
            .await
            .expect("body")
            .contains("질문이 복구되면")
    );
    assert_counters_exact(&app);
    app.stop().await;
}

#[tokio::test]
async fn an_admin_purges_for_good_and_the_api_keeps_the_same_rules() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let admin = app.staff_user("root", "admin").await;
    let alices = make_token(&app, &alice, "mine", "write").await;
    let bobs = make_token(&app, &bob, "mine", "write").await;
    let admins = make_token(&app, &admin, "mine", "write").await;
    let question = app.ask(&alice, "Sanding between coats?", "Varnish.").await;
    let answer = app.answer(&bob, question, "Lightly, 320 grit.").await;
    let at = format!("/questions/{question}");

    let (status, _) = api(&app, Method::DELETE, &at, &alices, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, own) = api(&app, Method::GET, &at, &alices, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(own["deleted"]["by"], "alice");
    assert_eq!(own["answer_count"], 0);
    let (status, body) = api(&app, Method::GET, &at, &bobs, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let visitor = browser();
    let anonymous = app.get(&visitor, &format!("/api/v1{at}")).await;
    assert_eq!(anonymous.status(), StatusCode::NOT_FOUND);
    let list: serde_json::Value =
        serde_json::from_str(&app.get_html(&visitor, "/api/v1/questions").await).expect("json");
    assert_eq!(list["total"], 0, "{list}");
    // Undeleted through the API: as it was, answer and all.
    let (status, back) = api(&app, Method::POST, &format!("{at}/undelete"), &alices, None).await;
    assert_eq!(status, StatusCode::OK, "{back}");
    assert!(back["deleted"].is_null());
    assert_eq!(back["answer_count"], 1);
    // Bob deletes his answer; only an admin purges, and a purge is for good.
    let answer_at = format!("/answers/{answer}");
    let (status, _) = api(&app, Method::DELETE, &answer_at, &bobs, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, his) = api(&app, Method::GET, &answer_at, &bobs, None).await;
    assert_eq!(
        (status, his["deleted"]["by"].as_str()),
        (StatusCode::OK, Some("bob"))
    );
    let (status, refused) = api(
        &app,
        Method::POST,
        &format!("{answer_at}/purge"),
        &bobs,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(refused["error"]["code"], "not_admin");
    let (status, _) = api(
        &app,
        Method::POST,
        &format!("{answer_at}/purge"),
        &admins,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(app.storage().rows_in("answers"), 0);
    // The web's purge asks first (a page that works without JavaScript), then takes the question.
    let confirm = app.get_html(&admin, &format!("{at}/purge")).await;
    assert!(confirm.contains("Purge this question for good?"));
    let purged = app.post_form(&admin, &format!("{at}/purge"), &[]).await;
    assert_eq!(location(&purged), "/");
    assert_eq!(app.storage().rows_in("questions"), 0);
    let (status, _) = api(&app, Method::GET, &at, &alices, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.storage()
            .number_of("SELECT count(*) FROM moderation_log WHERE action = 'purge'"),
        2
    );
    assert_counters_exact(&app);
    app.stop().await;
}

#[tokio::test]
async fn nothing_of_a_deleted_post_reaches_anyone_else_by_any_address() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let carol = app.signed_up_user("carol").await;
    let moderator = app.staff_user("mod", "moderator").await;
    let visitor = browser();
    let question = app
        .ask(&alice, "Planing end grain", "Tear-out again.")
        .await;
    let answer = app.answer(&bob, question, "Skew the plane.").await;
    let comment = app
        .comment(&alice, &format!("/answers/{answer}"), "Thanks, trying it")
        .await;
    // A duplicate pointing at it, and Bob following it (answering follows).
    let duplicate = app.ask(&bob, "End grain tear-out", "Same thing.").await;
    let closed = app
        .post_form(
            &moderator,
            &format!("/questions/{duplicate}/close"),
            &[
                ("reason", "duplicate"),
                ("duplicate_of", &question.to_string()),
            ],
        )
        .await;
    assert_eq!(closed.status(), StatusCode::SEE_OTHER);
    assert!(
        app.get_html(&bob, "/account")
            .await
            .contains("Planing end grain")
    );
    app.post_form(&alice, &format!("/questions/{question}/delete"), &[])
        .await;

    // The answer and the comment under it, as a page, a redirect, an htmx fragment or through the API.
    for path in [
        format!("/answers/{answer}"),
        format!("/comments/{comment}"),
        format!("/api/v1/answers/{answer}"),
        format!("/api/v1/comments/{comment}"),
        format!("/questions/{question}/revisions"),
    ] {
        for (who, client) in [("visitor", &visitor), ("carol", &carol)] {
            let response = app.get(client, &path).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path} as {who}");
        }
        let fragment = app.htmx_get(&visitor, &path).await;
        assert_eq!(fragment.status(), StatusCode::NOT_FOUND, "{path} for htmx");
    }
    let flag = app.get(&bob, &format!("/questions/{question}/flag")).await;
    assert_eq!(flag.status(), StatusCode::NOT_FOUND);
    // The duplicate's notice no longer names it; following it shows nothing and takes no new follow.
    let notice = app
        .get_html(&visitor, &format!("/questions/{duplicate}"))
        .await;
    assert!(!notice.contains("Planing end grain"), "{notice}");
    assert!(
        !app.get_html(&bob, "/account")
            .await
            .contains("Planing end grain")
    );
    let follow = app
        .post_form(
            &bob,
            &format!("/questions/{question}/follow"),
            &[("follow", "true")],
        )
        .await;
    assert_eq!(follow.status(), StatusCode::NOT_FOUND);
    // The moderator reads it; Alice finds it again on her profile's tab of deleted posts, which nobody
    // else but the moderators has.
    assert_eq!(
        app.get(&moderator, &format!("/questions/{question}"))
            .await
            .status(),
        StatusCode::OK
    );
    let tab = app.get_html(&alice, "/users/alice?tab=deleted").await;
    assert!(tab.contains("Planing end grain") && tab.contains("Deleted by alice"));
    assert!(tab.contains(&format!(r#"href="/questions/{question}""#)));
    assert!(
        app.get_html(&alice, "/users/alice")
            .await
            .contains("?tab=deleted")
    );
    let bobs_tab = app.get_html(&moderator, "/users/bob?tab=deleted").await;
    assert!(bobs_tab.contains(&format!(r#"href="/questions/{question}#answer-{answer}""#)));
    for (who, client) in [("visitor", &visitor), ("bob", &bob)] {
        let response = app.get(client, "/users/alice?tab=deleted").await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{who}");
    }
    assert!(
        !app.get_html(&visitor, "/users/alice")
            .await
            .contains("?tab=deleted")
    );
    app.stop().await;
}

#[tokio::test]
async fn a_delete_is_undone_only_from_the_deleters_role_up_and_admins_purge_only_below_them() {
    let app = spawn_app().await;
    let moderator = app.staff_user("mod", "moderator").await;
    let admin = app.staff_user("root", "admin").await;
    let other_admin = app.staff_user("boss", "admin").await;
    let alice = app.signed_up_user("alice").await;
    let question = app.ask(&alice, "Finishing oak", "Oil or wax?").await;
    let mods_own = app.ask(&moderator, "Moderating well", "Tips?").await;
    let admins_own = app.ask(&other_admin, "Running the board", "Notes.").await;

    // An admin deletes a user's question: neither its author nor a moderator brings it back.
    app.post_form(&admin, &format!("/questions/{question}/delete"), &[])
        .await;
    for client in [&alice, &moderator] {
        let refused = app
            .post_form(client, &format!("/questions/{question}/undelete"), &[])
            .await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    }
    let own_view = app
        .get_html(&alice, &format!("/questions/{question}"))
        .await;
    assert!(own_view.contains("A moderator deleted it"));
    assert!(!own_view.contains(&format!(r#"action="/questions/{question}/undelete""#)));
    // An admin deletes a moderator's own question: the moderator cannot undo it either.
    app.post_form(&admin, &format!("/questions/{mods_own}/delete"), &[])
        .await;
    let refused = app
        .post_form(&moderator, &format!("/questions/{mods_own}/undelete"), &[])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    // Another admin's post is not one an admin purges.
    let refused = app
        .post_form(&admin, &format!("/questions/{admins_own}/purge"), &[])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    // An undelete of what is not deleted changes nothing and is not logged.
    let logged = || {
        app.storage()
            .number_of("SELECT count(*) FROM moderation_log WHERE action = 'undelete'")
    };
    let noop = app
        .post_form(&admin, &format!("/questions/{admins_own}/undelete"), &[])
        .await;
    assert_eq!(noop.status(), StatusCode::FORBIDDEN, "another admin's post");
    let back = app
        .post_form(&admin, &format!("/questions/{question}/undelete"), &[])
        .await;
    assert_eq!(back.status(), StatusCode::SEE_OTHER);
    assert_eq!(logged(), 1);
    let again = app
        .post_form(&admin, &format!("/questions/{question}/undelete"), &[])
        .await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(logged(), 1);
    assert_counters_exact(&app);
    app.stop().await;
}

#[tokio::test]
async fn deleting_a_post_quiets_what_it_caused_and_bringing_it_back_repeats_nothing() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let question = app.ask(&alice, "Gluing end grain", "Does it hold?").await;
    let answer = app.answer(&bob, question, "Size it first, @alice.").await;
    let inbox = || async { app.get_html(&alice, "/notifications").await };
    let count = |sql: &str| app.storage().number_of(sql);
    let alices_unread = "SELECT unread_notifications FROM users WHERE username = 'alice'";
    assert_eq!(count(alices_unread), 1);
    app.post_form(&bob, &format!("/answers/{answer}/delete"), &[])
        .await;
    assert_eq!(
        count(alices_unread),
        0,
        "read, so neither counted nor mailed"
    );
    assert!(!inbox().await.contains("answered your question"));
    let kept = count("SELECT count(*) FROM notifications");
    // Back, then edited with the same mention: nobody hears of it twice.
    app.post_form(&bob, &format!("/answers/{answer}/undelete"), &[])
        .await;
    let edited = app
        .post_form(
            &bob,
            &format!("/answers/{answer}/edit"),
            &[("content", "Size it first, @alice, then clamp.")],
        )
        .await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    assert_eq!(count("SELECT count(*) FROM notifications"), kept);
    assert_eq!(count(alices_unread), 0);
    assert_counters_exact(&app);
    app.stop().await;
}
