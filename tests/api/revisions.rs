//! Edit history: every edit keeps a revision, the history pages show each one's changes word by word (in
//! English and Korean), moderators edit anyone's post saying why, and the author or a moderator rolls a
//! post back; the same through the JSON API.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{api_call as api, browser, location, spawn_app};

#[tokio::test]
async fn every_edit_keeps_a_revision_and_its_history_shows_the_words_changed() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let question = app
        .ask(&alice, "A Flask board", "The quick brown fox")
        .await;
    let history = format!("/questions/{question}/revisions");

    // Never edited: the post itself is revision 1, current, and nothing links to a history yet.
    let page = app.get_html(&browser(), &history).await;
    assert!(page.contains(r#"data-revision="1""#) && page.contains("data-current"));
    assert!(!page.contains(r#"data-revision="2""#));
    assert!(
        !app.get_html(&browser(), &format!("/questions/{question}"))
            .await
            .contains("data-history")
    );

    let edited = app
        .post_form(
            &alice,
            &format!("/questions/{question}/edit"),
            &[
                ("subject", "A Rust board"),
                ("content", "The slow brown fox"),
                ("tags", "rust"),
                ("summary", "It is Rust now"),
            ],
        )
        .await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    let shown = app
        .get_html(&browser(), &format!("/questions/{question}"))
        .await;
    assert!(
        shown.contains(&format!(r#"href="{history}""#)),
        "the post links its history"
    );
    assert!(
        !shown.contains("data-edited-by"),
        "the author's own edit names nobody"
    );

    let page = app.get_html(&browser(), &history).await;
    assert!(page.contains(r#"data-revision="2""#) && page.contains(r#"data-revision="1""#));
    // Newest first; each change marked by its element and named in words.
    assert!(page.find(r#"data-revision="2""#) < page.find(r#"data-revision="1""#));
    for marked in [
        r#"<del class="diff-removed" title="removed"><span class="visually-hidden">[removed: </span>Flask"#,
        r#"<ins class="diff-added" title="added"><span class="visually-hidden">[added: </span>Rust"#,
        r#"<del class="diff-removed" title="removed"><span class="visually-hidden">[removed: </span>quick"#,
        r#"<ins class="diff-added" title="added"><span class="visually-hidden">[added: </span>slow"#,
    ] {
        assert!(page.contains(marked), "{marked}");
    }
    assert!(page.contains("It is Rust now"), "the summary");
    // A visitor reads the history but rolls nothing back; the author may roll back to revision 1.
    assert!(!page.contains("/rollback"));
    let own = app.get_html(&alice, &history).await;
    assert!(own.contains(&format!(r#"action="{history}/1/rollback""#)));
    assert!(
        !own.contains(&format!(r#"action="{history}/2/rollback""#)),
        "not to the current one"
    );

    // Korean text is compared word by word too, and the page speaks Korean.
    let answer = app
        .answer(&alice, question, "플라스크로 게시판을 만듭니다")
        .await;
    let edited = app
        .post_form(
            &alice,
            &format!("/answers/{answer}/edit"),
            &[("content", "러스트로 게시판을 만듭니다")],
        )
        .await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    let korean = browser();
    let answer_history = format!("/answers/{answer}/revisions");
    app.switch_language(&korean, "ko", &answer_history).await;
    let page = app.get_html(&korean, &answer_history).await;
    assert!(page.contains("답변의 수정 기록"));
    assert!(page.contains("[삭제: </span>플라스크로"), "{page}");
    assert!(page.contains("[추가: </span>러스트로"));
    assert!(
        !page.contains("[삭제: </span>게시판을"),
        "kept words are not marked"
    );

    // A comment's edits are kept the same way; deleting a post takes its history with it.
    let comment = app
        .comment(&alice, &format!("/questions/{question}"), "first words")
        .await;
    let edited = app
        .post_form(
            &alice,
            &format!("/comments/{comment}/edit"),
            &[("content", "second words")],
        )
        .await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    let page = app
        .get_html(&browser(), &format!("/comments/{comment}/revisions"))
        .await;
    assert!(page.contains("[added: </span>second"));
    let stored = || app.storage().number_of("SELECT count(*) FROM revisions");
    assert_eq!(stored(), 6);
    let deleted = app
        .post_form(&alice, &format!("/questions/{question}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    // A deleted post's history waits for its undelete; a purge takes it for good.
    assert_eq!(stored(), 6);
    let gone = app.get(&browser(), &history).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let admin = app.staff_user("admin", "admin").await;
    let purged = app
        .post_form(&admin, &format!("/questions/{question}/purge"), &[])
        .await;
    assert_eq!(purged.status(), StatusCode::SEE_OTHER);
    assert_eq!(stored(), 0);
    app.stop().await;
}

#[tokio::test]
async fn a_moderator_edits_anyones_post_saying_why_and_the_author_rolls_it_back() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let carol = app.signed_up_user("carol").await;
    let moderator = app.staff_user("bob", "moderator").await;
    let question = app.ask(&alice, "A question", "Its text").await;
    let answer = app.answer(&alice, question, "Buy cheap pills here").await;
    let edit = format!("/answers/{answer}/edit");

    // The form asks the moderator why; without a reason nothing changes.
    let form = app.get_html(&moderator, &edit).await;
    assert!(form.contains(r#"name="summary""#) && form.contains("Required:"));
    let own_form = app.get_html(&alice, &edit).await;
    assert!(own_form.contains(r#"name="summary""#) && !own_form.contains("Required:"));
    let refused = app
        .post_form(&moderator, &edit, &[("content", "An answer without spam")])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("This field is required.")
    );
    let text = || {
        app.storage()
            .text_of(&format!("SELECT content FROM answers WHERE id = {answer}"))
    };
    assert_eq!(text(), "Buy cheap pills here");
    let edited = app
        .post_form(
            &moderator,
            &edit,
            &[
                ("content", "An answer without spam"),
                ("summary", "removed spam"),
            ],
        )
        .await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    assert_eq!(text(), "An answer without spam");
    let page = app
        .get_html(&browser(), &format!("/questions/{question}"))
        .await;
    assert!(
        page.contains("edited by bob"),
        "the post names the moderator"
    );

    // Someone else may not roll it back; the author may, and the history says so.
    let rollback = format!("/answers/{answer}/revisions/1/rollback");
    let by_carol = app.post_form(&carol, &rollback, &[]).await;
    assert_eq!(by_carol.status(), StatusCode::FORBIDDEN);
    assert_eq!(text(), "An answer without spam");
    let rolled = app.post_form(&alice, &rollback, &[]).await;
    assert_eq!(rolled.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&rolled), format!("/answers/{answer}"));
    assert_eq!(text(), "Buy cheap pills here");
    let history = app
        .get_html(&browser(), &format!("/answers/{answer}/revisions"))
        .await;
    assert!(
        history.contains(r#"data-revision="3""#) && history.contains(r#"data-rolled-back="1""#)
    );
    assert!(history.contains("rolled back to revision 1") && history.contains("removed spam"));
    let page = app
        .get_html(&browser(), &format!("/questions/{question}"))
        .await;
    assert!(!page.contains("edited by bob"), "the author edited it last");

    // The moderator rolls back to the moderated text, saying why (as for any edit of someone else's
    // post); to the current revision, or to one that reads the same, is refused with a reason; a
    // revision the answer does not have (another post's number) is not found.
    let back_to_2 = format!("/answers/{answer}/revisions/2/rollback");
    let history = app
        .get_html(&moderator, &format!("/answers/{answer}/revisions"))
        .await;
    assert!(history.contains(r#"id="field-summary-r2""#) && history.contains("Required:"));
    let unexplained = app.post_form(&moderator, &back_to_2, &[]).await;
    assert_eq!(unexplained.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(text(), "Buy cheap pills here");
    let by_moderator = app
        .post_form(&moderator, &back_to_2, &[("summary", "spam again")])
        .await;
    assert_eq!(by_moderator.status(), StatusCode::SEE_OTHER);
    assert_eq!(text(), "An answer without spam");
    let same_text = app
        .post_form(&moderator, &back_to_2, &[("summary", "again")])
        .await;
    assert_eq!(same_text.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Each moderator's change of someone else's post is in the log, with why.
    let log = app.get_html(&moderator, "/admin/log").await;
    assert!(
        log.contains("edited someone&#39;s post") || log.contains("edited someone's post"),
        "{log}"
    );
    assert!(log.contains("removed spam") && log.contains("Revision 2: spam again"));
    let current = app
        .post_form(
            &alice,
            &format!("/answers/{answer}/revisions/4/rollback"),
            &[],
        )
        .await;
    assert_eq!(current.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        current
            .text()
            .await
            .unwrap()
            .contains("reads as that revision already")
    );
    let missing = app
        .post_form(
            &alice,
            &format!("/answers/{answer}/revisions/9/rollback"),
            &[],
        )
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.storage().number_of(&format!(
            "SELECT count(*) FROM revisions WHERE answer_id = {answer}"
        )),
        4
    );
    app.stop().await;
}

#[tokio::test]
async fn the_api_lists_revisions_edits_with_a_summary_and_rolls_back() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let moderator = app.staff_user("bob", "moderator").await;
    let alices = crate::json_api::make_token(&app, &alice, "script", "write").await;
    let bobs = crate::json_api::make_token(&app, &moderator, "script", "write").await;
    use reqwest::Method;

    let (status, asked) = api(
        &app,
        Method::POST,
        "/questions",
        &alices,
        Some(json!({"subject": "Tabs or spaces", "content": "Which one?", "tags": ["style"]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = asked["id"].as_i64().unwrap();
    let (status, list) = api(
        &app,
        Method::GET,
        &format!("/questions/{id}/revisions"),
        &alices,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["current"], true);
    assert_eq!(list["items"][0]["tags"], json!(["style"]));

    // A moderator's edit without a summary is refused on the field; with one it lands, named.
    let edit = json!({"subject": "Tabs or spaces?", "content": "Which one, and why?"});
    let (status, refused) = api(
        &app,
        Method::PUT,
        &format!("/questions/{id}"),
        &bobs,
        Some(edit.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused["error"]["fields"]["summary"], "This field is required.",
        "{refused}"
    );
    let mut with_summary = edit.clone();
    with_summary["summary"] = json!("a clearer title");
    let (status, edited) = api(
        &app,
        Method::PUT,
        &format!("/questions/{id}"),
        &bobs,
        Some(with_summary),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["edited_by"], "bob");
    assert_eq!(edited["tags"], json!(["style"]), "tags left out stay");

    let (_, list) = api(
        &app,
        Method::GET,
        &format!("/questions/{id}/revisions"),
        &alices,
        None,
    )
    .await;
    // Newest first.
    assert_eq!(list["total"], 2);
    assert_eq!(list["items"][0]["editor"], "bob");
    assert_eq!(list["items"][0]["summary"], "a clearer title");
    assert_eq!(list["items"][1]["subject"], "Tabs or spaces");
    assert_eq!(list["next"], Value::Null);

    // The author rolls back: the history comes back with the new revision current.
    let (status, rolled) = api(
        &app,
        Method::POST,
        &format!("/questions/{id}/revisions/1/rollback"),
        &alices,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{rolled}");
    assert_eq!(rolled["total"], 3);
    assert_eq!(rolled["items"][0]["rolled_back_to"], 1);
    assert_eq!(rolled["items"][0]["current"], true);
    let (_, question) = api(
        &app,
        Method::GET,
        &format!("/questions/{id}"),
        &alices,
        None,
    )
    .await;
    assert_eq!(question["subject"], "Tabs or spaces");
    assert_eq!(question["edited_by"], Value::Null);

    // Rolling back to the current revision, or to one there is not: refused, nothing written.
    let (status, current) = api(
        &app,
        Method::POST,
        &format!("/questions/{id}/revisions/3/rollback"),
        &alices,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        current["error"]["fields"]["revision"].is_string(),
        "{current}"
    );
    let (status, _) = api(
        &app,
        Method::POST,
        &format!("/questions/{id}/revisions/7/rollback"),
        &alices,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = api(
        &app,
        Method::GET,
        "/questions/999999/revisions",
        &alices,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = api(
        &app,
        Method::GET,
        &format!("/questions/{id}/revisions"),
        &alices,
        None,
    )
    .await;
    assert_eq!(list["total"], 3);

    // A moderator's rollback of someone else's post says why; a long history comes a page at a time.
    let back = format!("/questions/{id}/revisions/2/rollback");
    let (status, _) = api(&app, Method::POST, &back, &bobs, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = api(
        &app,
        Method::POST,
        &format!("{back}?summary=clearer"),
        &bobs,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    for n in 0..10 {
        let body = json!({"subject": format!("Tabs or spaces {n}"), "content": "Which one?"});
        let (status, _) = api(
            &app,
            Method::PUT,
            &format!("/questions/{id}"),
            &alices,
            Some(body),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
    let (_, first) = api(
        &app,
        Method::GET,
        &format!("/questions/{id}/revisions"),
        &alices,
        None,
    )
    .await;
    assert_eq!(first["total"], 14);
    assert_eq!(first["items"].as_array().map(Vec::len), Some(10));
    assert_eq!(first["items"][0]["number"], 14);
    let next = first["next"].as_str().expect("a next page").to_owned();
    assert_eq!(next, format!("/api/v1/questions/{id}/revisions?page=2"));
    let (_, second) = api(
        &app,
        Method::GET,
        &format!("/questions/{id}/revisions?page=2"),
        &alices,
        None,
    )
    .await;
    assert_eq!(second["items"].as_array().map(Vec::len), Some(4));
    assert_eq!(second["items"][3]["number"], 1);
    assert_eq!(second["next"], Value::Null);
    let page = app
        .get_html(&alice, &format!("/questions/{id}/revisions?page=2"))
        .await;
    assert!(page.contains(r#"data-revision="4""#) && !page.contains(r#"data-revision="5""#));
    assert!(page.contains(&format!(r#"href="/questions/{id}/revisions?page=1""#)));
    app.stop().await;
}
