//! Comments: adding them with and without JavaScript, limited Markdown, the first five and "show N more",
//! permanent links, who may change them, bad input, and counters that follow.

use reqwest::StatusCode;

use crate::helpers::{browser, data_ids, location, spawn_app};

/// The comment ids a page (or thread) shows, top to bottom.
fn comment_ids(html: &str) -> Vec<i64> {
    data_ids(html, "comment")
}

/// The part of a page inside the element with id `id` (up to that element's first closing `</section>`).
fn thread<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("#{id} in the page"));
    let rest = &html[start..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

#[tokio::test]
async fn comments_on_questions_and_answers_show_under_their_post_without_javascript() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    let helper = app.signed_up_user("helper").await;
    let question = app.ask(&asker, "Where do comments go?", "text").await;
    let answer = app.answer(&helper, question, "Under the post.").await;
    let page = format!("/questions/{question}");

    let response = app
        .post_form(
            &helper,
            &format!("{page}/comments"),
            &[(
                "content",
                "  Try *this* with `a<b` and [docs](https://example.com)\r\n# not a heading  ",
            )],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let on_question: i64 = location(&response)
        .strip_prefix(&format!("{page}#comment-"))
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{}", location(&response)));
    let on_answer = app
        .comment(&asker, &format!("/answers/{answer}"), "Thanks!")
        .await;

    let html = app.get_html(&browser(), &page).await;
    let under_question = thread(&html, &format!("comments-q-{question}"));
    assert_eq!(comment_ids(under_question), [on_question]);
    assert!(under_question.contains(
        r#"Try <em>this</em> with <code>a&lt;b</code> and <a href="https://example.com" rel="nofollow noopener ugc">docs</a> # not a heading"#
    ), "{under_question}");
    assert!(under_question.contains("helper"));
    assert!(under_question.contains(&format!(r#"href="/comments/{on_question}""#)));
    let under_answer = thread(&html, &format!("comments-a-{answer}"));
    assert_eq!(comment_ids(under_answer), [on_answer]);
    assert!(under_answer.contains("Thanks!") && under_answer.contains("asker"));
    // Every answer has its own link too.
    assert!(html.contains(&format!(
        r#"class="answer-link small text-body-secondary" href="/answers/{answer}""#
    )));
    app.stop().await;
}

#[tokio::test]
async fn five_comments_show_and_the_rest_come_with_show_more_in_place_or_on_a_page() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    let question = app.ask(&asker, "Many remarks", "text").await;
    let post = format!("/questions/{question}");
    let mut comments = Vec::new();
    for n in 0..7 {
        comments.push(app.comment(&asker, &post, &format!("Remark {n}")).await);
    }
    let visitor = browser();
    let html = app.get_html(&visitor, &post).await;
    let shown = thread(&html, &format!("comments-q-{question}"));
    assert_eq!(comment_ids(shown), comments[..5]);
    assert!(shown.contains("Show 2 more comments"), "{shown}");
    assert!(shown.contains(&format!(r#"href="{post}/comments""#)));

    // With htmx: the whole thread, in place.
    let more = app.htmx_get(&visitor, &format!("{post}/comments")).await;
    assert_eq!(more.status(), StatusCode::OK);
    let more = more.text().await.expect("thread");
    assert!(
        more.starts_with(&format!(
            r#"<section class="comments mt-2" id="comments-q-{question}""#
        )),
        "{more}"
    );
    assert_eq!(comment_ids(&more), comments);
    assert!(!more.contains("more comment"));
    assert!(!more.contains("<html"));

    // Without: a page of them all, the question linked, the add form for someone logged in.
    let all = app.get_html(&visitor, &format!("{post}/comments")).await;
    assert_eq!(comment_ids(&all), comments);
    assert!(all.contains("Many remarks"));
    assert!(all.contains(&format!(r##"href="{post}#question-{question}""##)));
    assert!(!all.contains("comment-form-q-"), "a visitor gets no form");
    let mine = app.get_html(&asker, &format!("{post}/comments")).await;
    assert!(mine.contains(&format!(r#"id="comment-form-q-{question}""#)));

    // In Korean too.
    let korean = app.switch_language(&visitor, "ko", &post).await;
    assert_eq!(korean.status(), StatusCode::SEE_OTHER);
    let html = app.get_html(&visitor, &post).await;
    assert!(
        html.contains("댓글 2개 더 보기") && html.contains("댓글 달기"),
        "Korean"
    );
    app.stop().await;
}

#[tokio::test]
async fn with_htmx_the_form_opens_in_place_and_the_thread_comes_back_with_the_comment() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    let question = app.ask(&asker, "In place", "text").await;
    let answer = app.answer(&asker, question, "An answer").await;
    let post = format!("/answers/{answer}");

    let html = app
        .get_html(&asker, &format!("/questions/{question}"))
        .await;
    assert!(html.contains(&format!(
        r##"href="{post}/comments#comment-form-a-{answer}" hx-get="{post}/comments/new""##
    )));
    let form = app.htmx_get(&asker, &format!("{post}/comments/new")).await;
    assert_eq!(form.status(), StatusCode::OK);
    let form = form.text().await.expect("form");
    assert!(form.starts_with("<form"), "{form}");
    assert!(form.contains(&format!(
        r##"hx-post="{post}/comments" hx-target="#comments-a-{answer}""##
    )));
    // Without JavaScript that address leads to the comments page, where the form is.
    let plain = app.get(&asker, &format!("{post}/comments/new")).await;
    assert_eq!(plain.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&plain), format!("{post}/comments"));

    let added = app
        .htmx_post(
            &asker,
            &format!("{post}/comments"),
            &[("content", "In place!")],
        )
        .await;
    assert_eq!(added.status(), StatusCode::OK);
    let added = added.text().await.expect("thread");
    assert!(added.contains(&format!(r#"id="comments-a-{answer}""#)));
    assert!(added.contains("In place!"));
    let id = comment_ids(&added)[0];

    // Too long: the thread again with the form open, the text kept and the problem said; nothing written.
    let long = "x".repeat(601);
    let refused = app
        .htmx_post(&asker, &format!("{post}/comments"), &[("content", &long)])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = refused.text().await.expect("thread");
    assert!(refused.contains("Use at most 600 characters."));
    assert!(refused.contains(&long));
    assert_eq!(comment_ids(&refused), [id]);

    // Edited in place, then deleted in place.
    let edit = app.htmx_get(&asker, &format!("/comments/{id}/edit")).await;
    assert!(edit.text().await.expect("form").contains("In place!"));
    let saved = app
        .htmx_post(
            &asker,
            &format!("/comments/{id}/edit"),
            &[("content", "Edited **here**")],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let saved = saved.text().await.expect("comment");
    assert!(saved.starts_with(r#"<li class="comment"#), "{saved}");
    assert!(saved.contains("Edited <strong>here</strong>") && saved.contains("data-edited"));
    let cancel = app.htmx_get(&asker, &format!("/comments/{id}")).await;
    assert!(
        cancel
            .text()
            .await
            .expect("comment")
            .contains("Edited <strong>here</strong>")
    );
    let gone = app
        .htmx_post(&asker, &format!("/comments/{id}/delete"), &[])
        .await;
    assert_eq!(gone.status(), StatusCode::OK);
    let gone = gone.text().await.expect("thread");
    assert!(gone.contains(&format!(r#"id="comments-a-{answer}""#)));
    assert!(comment_ids(&gone).is_empty());
    assert_eq!(app.storage().rows_in("comments"), 0);
    app.stop().await;
}

#[tokio::test]
async fn bad_comments_are_refused_with_a_message_and_nothing_changes() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    let other = app.signed_up_user("other").await;
    let question = app.ask(&asker, "Bad input", "text").await;
    let answer = app.answer(&asker, question, "An answer").await;
    let kept = app
        .comment(&asker, &format!("/questions/{question}"), "Kept as it is")
        .await;

    for (content, message) in [
        ("   \r\n ", "This field is required."),
        (&*"가".repeat(601), "Use at most 600 characters."),
    ] {
        let refused = app
            .post_form(
                &asker,
                &format!("/answers/{answer}/comments"),
                &[("content", content)],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = refused.text().await.expect("page");
        assert!(page.contains(message), "{message}");
        assert!(page.contains(&format!(r#"id="comment-form-a-{answer}""#)));
    }
    assert_eq!(app.storage().rows_in("comments"), 1);

    // Another's comment: neither its edit nor its delete, and the edit form is not shown them.
    let edit = app
        .post_form(
            &other,
            &format!("/comments/{kept}/edit"),
            &[("content", "Hijacked")],
        )
        .await;
    assert_eq!(edit.status(), StatusCode::FORBIDDEN);
    let delete = app
        .post_form(&other, &format!("/comments/{kept}/delete"), &[])
        .await;
    assert_eq!(delete.status(), StatusCode::FORBIDDEN);
    // An edit that is too long keeps the comment as it was.
    let too_long = app
        .post_form(
            &asker,
            &format!("/comments/{kept}/edit"),
            &[("content", &"x".repeat(601))],
        )
        .await;
    assert_eq!(too_long.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = app
        .get_html(&other, &format!("/questions/{question}"))
        .await;
    assert!(html.contains("Kept as it is") && !html.contains("Hijacked"));
    assert!(!html.contains(&format!("/comments/{kept}/edit")));

    // Unknown, deleted or junk ids are 404 pages.
    for path in [
        "/comments/abc".to_owned(),
        "/comments/0".to_owned(),
        "/comments/999999".to_owned(),
        "/questions/999999/comments".to_owned(),
        "/answers/abc/comments".to_owned(),
    ] {
        let response = app.get(&asker, &path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let on_deleted = app
        .post_form(
            &asker,
            "/questions/999999/comments",
            &[("content", "Hello")],
        )
        .await;
    assert_eq!(on_deleted.status(), StatusCode::NOT_FOUND);
    let removed = app
        .post_form(&asker, &format!("/answers/{answer}/delete"), &[])
        .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let on_deleted = app
        .post_form(
            &asker,
            &format!("/answers/{answer}/comments"),
            &[("content", "Hello")],
        )
        .await;
    assert_eq!(on_deleted.status(), StatusCode::NOT_FOUND);

    // htmx without the CSRF token.
    let forged = asker
        .post(app.url(&format!("/questions/{question}/comments")))
        .header("HX-Request", "true")
        .form(&[("content", "Forged")])
        .send()
        .await
        .expect("POST");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.storage().rows_in("comments"), 1);
    assert!(
        app.storage()
            .counter_drift()
            .iter()
            .all(|(_, drift)| *drift == 0)
    );
    app.stop().await;
}

#[tokio::test]
async fn the_questions_author_cannot_change_a_comment_on_it() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    let helper = app.signed_up_user("helper").await;
    let question = app.ask(&asker, "Whose comment?", "text").await;
    let comment = app
        .comment(
            &helper,
            &format!("/questions/{question}"),
            "The helper's remark",
        )
        .await;
    for path in ["edit", "delete"] {
        let page = app
            .get(&asker, &format!("/comments/{comment}/{path}"))
            .await;
        assert_eq!(page.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let delete = app
        .post_form(&asker, &format!("/comments/{comment}/delete"), &[])
        .await;
    assert_eq!(delete.status(), StatusCode::FORBIDDEN);
    // Its author may, without JavaScript: back to the question, which says so.
    let confirm = app
        .get_html(&helper, &format!("/comments/{comment}/delete"))
        .await;
    assert!(confirm.contains("Delete this comment?") && confirm.contains("remark</blockquote>"));
    let delete = app
        .post_form(&helper, &format!("/comments/{comment}/delete"), &[])
        .await;
    assert_eq!(delete.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&delete), format!("/questions/{question}"));
    let html = app.get_html(&helper, &location(&delete)).await;
    assert!(html.contains("The comment was deleted.") && !html.contains("The helper"));
    app.stop().await;
}

#[tokio::test]
async fn a_comments_link_leads_to_where_it_is_shown() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    let question = app.ask(&asker, "Links", "text").await;
    // Twelve answers, none liked: the default sort keeps the oldest first, so the last two are on page 2.
    let mut answers = Vec::new();
    for n in 0..12 {
        answers.push(app.answer(&asker, question, &format!("Answer {n}")).await);
    }
    let deep = answers[11];
    let on_deep = app
        .comment(&asker, &format!("/answers/{deep}"), "On page two")
        .await;
    let visitor = browser();
    let link = app.get(&visitor, &format!("/comments/{on_deep}")).await;
    assert_eq!(link.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&link),
        format!("/questions/{question}?apage=2#comment-{on_deep}")
    );
    let html = app.get_html(&visitor, &location(&link)).await;
    assert!(html.contains(&format!(r#"id="comment-{on_deep}""#)));

    // The sixth comment of a post is not on the question's page: its link goes to the post's comments.
    let post = format!("/questions/{question}");
    let mut on_question = Vec::new();
    for n in 0..6 {
        on_question.push(app.comment(&asker, &post, &format!("Remark {n}")).await);
    }
    let first = app
        .get(&visitor, &format!("/comments/{}", on_question[0]))
        .await;
    assert_eq!(
        location(&first),
        format!("{post}#comment-{}", on_question[0])
    );
    let sixth = app
        .get(&visitor, &format!("/comments/{}", on_question[5]))
        .await;
    assert_eq!(
        location(&sixth),
        format!("{post}/comments#comment-{}", on_question[5])
    );
    let html = app.get_html(&visitor, &location(&sixth)).await;
    assert!(html.contains(&format!(r#"id="comment-{}""#, on_question[5])));

    // A deleted comment's link is a 404 page.
    let removed = app
        .post_form(&asker, &format!("/comments/{}/delete", on_question[5]), &[])
        .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let gone = app
        .get(&visitor, &format!("/comments/{}", on_question[5]))
        .await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn comments_go_with_their_post_and_visitors_see_new_ones_at_once() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    let question = app.ask(&asker, "Goes with it", "text").await;
    let answer = app.answer(&asker, question, "An answer").await;
    let post = format!("/questions/{question}");
    let visitor = browser();
    // The visitor's page is kept in memory: a comment is a write, so the next request shows it.
    assert!(!app.get_html(&visitor, &post).await.contains("Fresh remark"));
    app.comment(&asker, &post, "Fresh remark").await;
    app.comment(&asker, &format!("/answers/{answer}"), "On the answer")
        .await;
    let html = app.get_html(&visitor, &post).await;
    assert!(html.contains("Fresh remark") && html.contains("On the answer"));

    app.post_form(&asker, &format!("/answers/{answer}/delete"), &[])
        .await;
    // Deleted, the answer's comments are kept for its undelete, and nobody else sees them.
    let html = app.get_html(&visitor, &post).await;
    assert!(html.contains("Fresh remark") && !html.contains("On the answer"));
    let hidden = app
        .get(&visitor, &format!("/answers/{answer}/comments"))
        .await;
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.storage().rows_in("comments"), 2);
    app.post_form(&asker, &format!("{post}/delete"), &[]).await;
    assert_eq!(
        app.get(&visitor, &post).await.status(),
        StatusCode::NOT_FOUND
    );
    // Purged, the question takes its answers' comments and its own with it.
    let admin = app.staff_user("admin", "admin").await;
    let purged = app.post_form(&admin, &format!("{post}/purge"), &[]).await;
    assert_eq!(purged.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.storage().rows_in("comments"), 0, "the question's too");
    assert!(
        app.storage()
            .counter_drift()
            .iter()
            .all(|(_, drift)| *drift == 0)
    );
    app.stop().await;
}

#[tokio::test]
async fn counters_equal_rows_after_a_hundred_comments_at_once() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    let helper = app.signed_up_user("helper").await;
    let question = app.ask(&asker, "Busy thread", "text").await;
    let answer = app.answer(&helper, question, "An answer").await;
    let token_asker = app.csrf_token(&asker).await;
    let token_helper = app.csrf_token(&helper).await;
    let mut posts = Vec::new();
    for n in 0..100 {
        let (client, token) = if n % 2 == 0 {
            (&asker, &token_asker)
        } else {
            (&helper, &token_helper)
        };
        let path = if n % 3 == 0 {
            format!("/questions/{question}/comments")
        } else {
            format!("/answers/{answer}/comments")
        };
        let request = client.post(app.url(&path)).form(&[
            ("csrf_token", token.as_str()),
            ("content", &format!("Comment {n}")),
        ]);
        posts.push(async move { request.send().await.expect("POST").status() });
    }
    let statuses = futures_util::future::join_all(posts).await;
    assert!(
        statuses
            .iter()
            .all(|status| *status == StatusCode::SEE_OTHER),
        "{statuses:?}"
    );
    assert_eq!(app.storage().rows_in("comments"), 100);
    let drift = app.storage().counter_drift();
    assert!(drift.iter().all(|(_, drift)| *drift == 0), "{drift:?}");
    let all = app
        .get_html(&browser(), &format!("/answers/{answer}/comments"))
        .await;
    assert_eq!(comment_ids(&all).len(), 66);
    app.stop().await;
}
