//! The question list and the question page: paging, sorting, running numbers, edits and deletes.

use reqwest::StatusCode;

use crate::{
    helpers::{browser, like_count_in, location, spawn_app},
    storage::Rows,
};

/// The ids of the questions on a list page, top to bottom.
fn listed_ids(html: &str) -> Vec<i64> {
    let marker = r#" data-question=""#;
    html.match_indices(marker)
        .filter_map(|(at, _)| {
            let rest = &html[at + marker.len()..];
            rest[..rest.find('"')?].parse().ok()
        })
        .collect()
}

/// The running numbers as a reader sees them: the text of each row's number.
fn running_numbers(html: &str) -> Vec<i64> {
    html.match_indices(" data-number=")
        .filter_map(|(at, _)| {
            let rest = &html[at..];
            let text = &rest[rest.find('>')? + 1..];
            text[..text.find('<')?].parse().ok()
        })
        .collect()
}

#[tokio::test]
async fn a_visitor_must_log_in_to_ask() {
    let app = spawn_app().await;
    let response = app.get(&browser(), "/questions/new").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/login?next=/questions/new");
    app.stop().await;
}

#[tokio::test]
async fn a_question_is_asked_shown_and_listed() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let id = app
        .ask(
            &alice,
            "  How do I read a file?  ",
            "Use `open()`.\nThen **read**.",
        )
        .await;
    let html = app.get_html(&browser(), &format!("/questions/{id}")).await;
    assert!(
        html.contains(r#"id="question-subject">How do I read a file?</h1>"#),
        "trimmed subject"
    );
    assert!(
        html.contains("<code>open()</code>.<br>"),
        "Markdown with pybo's line breaks"
    );
    assert!(html.contains("<strong>read</strong>"));
    assert!(html.contains("0 answers"));
    assert!(
        html.contains("answer-login"),
        "visitors get a link to log in instead of the form"
    );
    let list = app.get_html(&browser(), "/").await;
    assert_eq!(listed_ids(&list), [id]);
    assert!(list.contains("alice"));
    app.stop().await;
}

#[tokio::test]
async fn invalid_questions_come_back_with_messages_and_the_text_kept() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let long_subject = "s".repeat(201);
    let long_content = "c".repeat(20_001);
    let cases = [
        ("", "body", "subject", "This field is required."),
        ("   ", "body", "subject", "This field is required."),
        (
            long_subject.as_str(),
            "body",
            "subject",
            "Use at most 200 characters.",
        ),
        ("subject", "", "content", "This field is required."),
        (
            "subject",
            long_content.as_str(),
            "content",
            "Use at most 20,000 characters.",
        ),
    ];
    for (subject, content, field, message) in cases {
        let response = app
            .post_form(
                &alice,
                "/questions",
                &[("subject", subject), ("content", content)],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}"
        );
        let html = response.text().await.expect("body");
        assert!(
            html.contains(&format!(r#"id="field-{field}-error">{message}<"#)),
            "{field}: {message}"
        );
        if subject == "subject" {
            assert!(html.contains(r#"value="subject""#), "subject kept");
        }
    }
    assert!(
        app.get_html(&alice, "/")
            .await
            .contains("No questions yet.")
    );
    app.stop().await;
}

#[tokio::test]
async fn the_list_pages_by_ten_newest_first_with_running_numbers() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let mut ids = Vec::new();
    for n in 1..=23 {
        ids.push(app.ask(&alice, &format!("Question {n}"), "text").await);
    }
    let page1 = app.get_html(&alice, "/questions").await;
    let newest: Vec<i64> = ids.iter().rev().take(10).copied().collect();
    assert_eq!(listed_ids(&page1), newest);
    assert_eq!(running_numbers(&page1), (14..=23).rev().collect::<Vec<_>>());
    let page3 = app.get_html(&alice, "/questions?page=3").await;
    assert_eq!(
        listed_ids(&page3),
        ids[..3].iter().rev().copied().collect::<Vec<_>>()
    );
    assert_eq!(running_numbers(&page3), [3, 2, 1]);
    // The current page is marked for assistive technology, not only by colour.
    assert!(
        page3
            .split(r#"aria-current="page""#)
            .skip(1)
            .map(|rest| &rest[..rest.find("</li>").unwrap_or(0)])
            .any(|current| current.starts_with("><span") && current.contains(">3</span>")),
        "page 3 is marked current and is not a link"
    );
    // Past the end shows the last page; garbage reads as page 1; nothing is a 500.
    for (query, expected_first) in [
        ("page=99", ids[2]),
        ("page=99999999999999999999", ids[2]),
        ("page=-1", ids[22]),
        ("page=abc", ids[22]),
        ("page=1e9", ids[22]),
        ("page=%00", ids[22]),
        ("sort=%FF%FE&page=2", ids[12]),
    ] {
        let response = app.get(&alice, &format!("/questions?{query}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{query}");
        let html = response.text().await.expect("body");
        assert_eq!(listed_ids(&html).first(), Some(&expected_first), "{query}");
    }
    app.stop().await;
}

#[tokio::test]
async fn sort_tabs_order_by_likes_and_by_answers_and_keep_the_query() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let carol = app.signed_up_user("carol").await;
    let quiet = app.ask(&alice, "quiet", "x").await;
    let liked = app.ask(&alice, "liked", "x").await;
    let discussed = app.ask(&alice, "discussed", "x").await;
    for client in [&bob, &carol] {
        app.like_with_htmx(client, &format!("/questions/{liked}/like"))
            .await;
        app.answer(client, discussed, "an answer").await;
    }
    app.answer(&bob, liked, "one answer").await;
    let by_likes = app.get_html(&alice, "/questions?sort=likes").await;
    assert_eq!(listed_ids(&by_likes), [liked, discussed, quiet]);
    let by_answers = app.get_html(&alice, "/questions?sort=answers").await;
    assert_eq!(listed_ids(&by_answers), [discussed, liked, quiet]);
    assert_eq!(
        like_count_in(&by_likes, &format!("question-{liked}")),
        Some(2)
    );
    // The answer count badge.
    assert!(by_answers.contains(r#"data-answer-count="2">2 answers<"#));
    // Tabs and pages keep q and sort.
    let searching = app.get_html(&alice, "/questions?q=liked&sort=likes").await;
    assert!(searching.contains(r#"href="/questions?q=liked&amp;sort=answers""#));
    assert!(searching.contains(r#"<input type="hidden" name="sort" value="likes">"#));
    // A search started from the list's "most liked" tab is by best match.
    let listing = app.get_html(&alice, "/questions?sort=likes").await;
    assert!(!listing.contains(r#"name="sort""#));
    app.stop().await;
}

#[tokio::test]
async fn malformed_and_missing_ids_are_404_pages() {
    let app = spawn_app().await;
    let client = app.signed_up_user("alice").await;
    for path in [
        "/questions/999",
        "/questions/abc",
        "/questions/-1",
        "/questions/0",
        "/questions/1.5",
        "/questions/999999999999999999999",
        "/answers/999",
        "/answers/xyz/edit",
        "/questions/999/edit",
    ] {
        let response = app.get(&client, path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let response = app
        .post_form(&client, "/questions/999/answers", &[("content", "hello")])
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn the_author_edits_a_question_and_it_shows_as_edited() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let id = app.ask(&alice, "Original subject", "original text").await;
    let form = app.get_html(&alice, &format!("/questions/{id}/edit")).await;
    assert!(form.contains(r#"value="Original subject""#));
    assert!(form.contains(">original text</textarea>"));
    let response = app
        .post_form(
            &alice,
            &format!("/questions/{id}/edit"),
            &[("subject", "New subject"), ("content", "new *text*")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = app.get_html(&alice, &format!("/questions/{id}")).await;
    assert!(page.contains("New subject") && page.contains("<em>text</em>"));
    assert!(page.contains("data-edited"));
    // Search follows the edit.
    assert!(
        app.get_html(&alice, "/questions?q=original")
            .await
            .contains("No question matches")
    );
    assert!(
        app.get_html(&alice, "/questions?q=new")
            .await
            .contains(&format!("question-{id}"))
    );
    app.stop().await;
}

#[tokio::test]
async fn deleting_a_question_asks_first_and_takes_it_and_its_answers_from_everyone_else() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let id = app.ask(&alice, "To be deleted", "text").await;
    let answer = app.answer(&bob, id, "bob's answer").await;
    app.like_with_htmx(&bob, &format!("/questions/{id}/like"))
        .await;
    app.like_with_htmx(&alice, &format!("/answers/{answer}/like"))
        .await;
    let kept = app.ask(&alice, "Kept", "text").await;

    // Without JavaScript the delete link leads to a confirmation page.
    let page = app.get_html(&alice, &format!("/questions/{id}")).await;
    assert!(page.contains(&format!(r#"hx-post="/questions/{id}/delete" hx-confirm="#)));
    let confirm = app
        .get_html(&alice, &format!("/questions/{id}/delete"))
        .await;
    assert!(confirm.contains("Delete this question?"));
    assert!(confirm.contains(&format!(r#"action="/questions/{id}/delete""#)));

    let response = app
        .post_form(&alice, &format!("/questions/{id}/delete"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("/questions/{id}"));
    // Its author still reads it, marked, with the way back; everyone else finds nothing.
    let own = app.get_html(&alice, &format!("/questions/{id}")).await;
    assert!(own.contains("The question was deleted."));
    assert!(own.contains("Deleted by alice"));
    assert!(own.contains(&format!(r#"action="/questions/{id}/undelete""#)));
    for other in [&bob, &browser()] {
        assert_eq!(
            app.get(other, &format!("/questions/{id}")).await.status(),
            StatusCode::NOT_FOUND
        );
    }
    // Kept for its undelete, its answer and likes count nowhere.
    let storage = app.storage();
    assert_eq!(storage.count(Rows::Answers), 1);
    assert_eq!(storage.count(Rows::QuestionLikes), 1);
    assert_eq!(storage.count(Rows::AnswerLikes), 1);
    assert_eq!(storage.count(Rows::QuestionTotal), 1);
    assert!(
        app.get_html(&alice, "/questions?q=bob")
            .await
            .contains("No question matches")
    );
    assert!(
        app.get_html(&alice, "/")
            .await
            .contains(&format!("question-{kept}"))
    );
    app.stop().await;
}

#[tokio::test]
async fn an_htmx_delete_navigates_the_whole_page() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let id = app.ask(&alice, "Bye", "text").await;
    let response = app
        .htmx_post(&alice, &format!("/questions/{id}/delete"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["hx-redirect"],
        format!("/questions/{id}")
    );
    app.stop().await;
}

/// Deep pages start from counted blocks of ids instead of an OFFSET over half the table: on every engine,
/// after deletes, likes and counts moved, each page is exactly what a plain OFFSET gives.
#[tokio::test]
async fn deep_pages_are_what_a_plain_offset_gives_in_every_sort() {
    let app = crate::helpers::spawn_app_seeded(miniboard::seed::SeedPlan {
        users: 10,
        questions: 3_200,
        answers: 1_000,
        likes: 2_000,
        seed: 11,
        thread: 0,
        ..Default::default()
    })
    .await;
    // Deletes and scores spread over many values, made behind the server's back: the engine's own
    // triggers keep the block counts, whoever writes.
    app.storage().delete_questions_between(100, 400);
    app.storage().set_counts(1_000, 3_200);
    let client = crate::helpers::browser();
    let id_list = |html: &str| crate::helpers::data_ids(html, "question");
    for (sort, order) in [
        ("recent", "id DESC"),
        ("likes", "like_count DESC, id DESC"),
        ("answers", "answer_count DESC, id DESC"),
    ] {
        let total = app.storage().count(crate::storage::Rows::QuestionTotal);
        let last = (total + 9) / 10;
        for page in [1, 200, 201, 202, 230, last - 1, last] {
            let html = app
                .get_html(
                    &client,
                    &format!("/questions?sort={sort}&page={page}&uncached={page}"),
                )
                .await;
            let expected = app.storage().plain_page(order, (page - 1) * 10);
            assert_eq!(id_list(&html), expected, "{sort}, page {page}");
        }
        // Past the end: the last page.
        let html = app
            .get_html(&client, &format!("/questions?sort={sort}&page=99999"))
            .await;
        assert_eq!(
            id_list(&html),
            app.storage().plain_page(order, (last - 1) * 10)
        );
    }
    // The tabs that hold some questions page through them the same way, deep pages included.
    for (sort, condition) in [
        ("unanswered", "answer_count = 0"),
        ("unaccepted", "accepted_answer_id IS NULL"),
    ] {
        let total = app.storage().questions_where(condition);
        assert!(
            total > 2_050,
            "{sort}: {total} questions reach the counted blocks"
        );
        let last = (total + 9) / 10;
        for page in [1, 200, 201, 202, last - 1, last, 99_999] {
            let html = app
                .get_html(
                    &client,
                    &format!("/questions?sort={sort}&page={page}&uncached={page}"),
                )
                .await;
            let shown = page.min(last);
            let expected = app.storage().plain_region_page(condition, (shown - 1) * 10);
            assert_eq!(id_list(&html), expected, "{sort}, page {page}");
        }
    }
    app.stop().await;
}
