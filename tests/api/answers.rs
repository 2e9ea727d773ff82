//! Answers: posting, paging and sorting (with htmx fragments), inline edits and deletes.

use reqwest::StatusCode;

use crate::helpers::{TestApp, browser, location, spawn_app};

/// The answer ids on a page, top to bottom.
fn answer_ids(html: &str) -> Vec<i64> {
    crate::helpers::data_ids(html, "answer")
}

/// A fragment's first tag: the element htmx swaps in.
fn root_tag(fragment: &str) -> &str {
    &fragment[..fragment.find('>').unwrap_or(0)]
}

/// A question by alice with `n` answers by bob, oldest first.
async fn question_with_answers(
    app: &TestApp,
    n: usize,
) -> (reqwest::Client, reqwest::Client, i64, Vec<i64>) {
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let question = app.ask(&alice, "Many answers", "text").await;
    let mut answers = Vec::new();
    for i in 1..=n {
        answers.push(
            app.answer(&bob, question, &format!("answer number {i}"))
                .await,
        );
    }
    (alice, bob, question, answers)
}

#[tokio::test]
async fn a_new_answer_redirects_to_the_page_that_holds_it() {
    let app = spawn_app().await;
    let (_alice, bob, question, answers) = question_with_answers(&app, 10).await;
    assert!(answers.iter().all(|a| *a > 0));
    let response = app
        .post_form(
            &bob,
            &format!("/questions/{question}/answers"),
            &[("content", "eleventh")],
        )
        .await;
    let target = location(&response);
    let (page, anchor) = target.split_once('#').expect("anchor");
    assert_eq!(page, format!("/questions/{question}?apage=2"));
    let id: i64 = anchor.trim_start_matches("answer-").parse().expect("id");
    let html = app.get_html(&bob, page).await;
    assert_eq!(answer_ids(&html), [id]);

    // From the boosted form, htmx is told to fetch the whole page itself, keeping the anchor.
    let token = app.csrf_token(&bob).await;
    let response = bob
        .post(app.url(&format!("/questions/{question}/answers")))
        .header("HX-Request", "true")
        .header("HX-Boosted", "true")
        .form(&[("content", "twelfth"), ("csrf_token", token.as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::OK);
    let hx_location: serde_json::Value = serde_json::from_str(
        response
            .headers()
            .get("hx-location")
            .and_then(|value| value.to_str().ok())
            .expect("HX-Location"),
    )
    .expect("JSON");
    let path = hx_location["path"].as_str().expect("path");
    let (page, anchor) = path.split_once('#').expect("anchor");
    assert_eq!(page, format!("/questions/{question}?apage=2"));
    assert_eq!(hx_location["target"], "body");
    assert_eq!(hx_location["headers"]["HX-Boosted"], "true");
    let html = app.get_html(&bob, page).await;
    assert!(html.contains(&format!(r#"id="{anchor}""#)) && html.contains("twelfth"));
    app.stop().await;
}

#[tokio::test]
async fn the_first_answer_lands_on_the_first_page() {
    let app = spawn_app().await;
    let (_alice, bob, question, _) = question_with_answers(&app, 0).await;
    let response = app
        .post_form(
            &bob,
            &format!("/questions/{question}/answers"),
            &[("content", "first")],
        )
        .await;
    assert!(location(&response).starts_with(&format!("/questions/{question}#answer-")));
    app.stop().await;
}

#[tokio::test]
async fn answers_page_by_ten_most_liked_first_and_ties_oldest_first() {
    let app = spawn_app().await;
    let (alice, _bob, question, answers) = question_with_answers(&app, 12).await;
    // alice likes the 5th answer.
    app.like_with_htmx(&alice, &format!("/answers/{}/like", answers[4]))
        .await;
    let page1 = app
        .get_html(&alice, &format!("/questions/{question}"))
        .await;
    let mut expected = vec![answers[4]];
    expected.extend(answers.iter().filter(|a| **a != answers[4]).take(9));
    assert_eq!(answer_ids(&page1), expected);
    assert!(page1.contains("12 answers"));
    let page2 = app
        .get_html(&alice, &format!("/questions/{question}?apage=2"))
        .await;
    assert_eq!(answer_ids(&page2), answers[10..]);
    let recent = app
        .get_html(&alice, &format!("/questions/{question}?asort=recent"))
        .await;
    assert_eq!(
        answer_ids(&recent),
        answers.iter().rev().take(10).copied().collect::<Vec<_>>()
    );
    // Past the end: the last page. Garbage: the first page and default sort.
    let past = app
        .get_html(&alice, &format!("/questions/{question}?apage=50"))
        .await;
    assert_eq!(answer_ids(&past), answers[10..]);
    let garbage = app
        .get_html(&alice, &format!("/questions/{question}?apage=-3&asort=%00"))
        .await;
    assert_eq!(answer_ids(&garbage), expected);
    app.stop().await;
}

#[tokio::test]
async fn answer_paging_and_sorting_swap_just_the_answer_list_with_htmx() {
    let app = spawn_app().await;
    let (alice, _bob, question, answers) = question_with_answers(&app, 12).await;
    let full = app
        .get_html(&alice, &format!("/questions/{question}"))
        .await;
    let pager = format!(
        r##"href="/questions/{question}?apage=2" hx-get="/questions/{question}?apage=2" hx-target="#answers" hx-swap="outerHTML" hx-push-url="true""##
    );
    assert!(
        full.contains(&pager),
        "pagination links swap #answers in place"
    );
    assert!(full.contains("hx-push-url=\"true\""));

    let fragment = app
        .htmx_get(&alice, &format!("/questions/{question}?apage=2"))
        .await;
    assert_eq!(fragment.status(), StatusCode::OK);
    assert!(
        fragment.headers()["vary"]
            .to_str()
            .expect("vary")
            .contains("HX-Request"),
        "full page and fragment share a URL"
    );
    let html = fragment.text().await.expect("body");
    assert!(html.starts_with(r#"<section id="answers""#), "{html:.80}");
    assert!(!html.contains(r#"id="site-nav""#));
    assert_eq!(answer_ids(&html), answers[10..]);

    // A boosted navigation to the same URL gets the whole page.
    let boosted = app
        .get_html_with(
            &alice,
            &format!("/questions/{question}?apage=2"),
            &[("HX-Request", "true"), ("HX-Boosted", "true")],
        )
        .await;
    assert!(boosted.starts_with("<!DOCTYPE html>"));
    app.stop().await;
}

#[tokio::test]
async fn invalid_answers_show_the_error_and_keep_the_text() {
    let app = spawn_app().await;
    let (_alice, bob, question, _) = question_with_answers(&app, 1).await;
    let response = app
        .post_form(
            &bob,
            &format!("/questions/{question}/answers"),
            &[("content", "   ")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("This field is required.")
    );
    let long = "a".repeat(20_001);
    let response = app
        .post_form(
            &bob,
            &format!("/questions/{question}/answers"),
            &[("content", &long)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("body");
    assert!(html.contains("Use at most 20,000 characters."));
    assert!(html.contains(&long), "the text is kept");
    app.stop().await;
}

#[tokio::test]
async fn an_answer_is_edited_in_place_with_htmx() {
    let app = spawn_app().await;
    let (_alice, bob, question, answers) = question_with_answers(&app, 2).await;
    let id = answers[0];
    let page = app.get_html(&bob, &format!("/questions/{question}")).await;
    assert!(page.contains(&format!(
        r##"href="/answers/{id}/edit" hx-get="/answers/{id}/edit" hx-target="#answer-{id}" hx-swap="outerHTML""##
    )));
    let form = app.htmx_get(&bob, &format!("/answers/{id}/edit")).await;
    let form = form.text().await.expect("body");
    assert!(
        root_tag(&form).contains(&format!(r#"id="answer-{id}""#)),
        "{form:.80}"
    );
    assert!(form.contains(">answer number 1</textarea>"));
    assert!(form.contains(&format!(r#"hx-post="/answers/{id}/edit""#)));

    let invalid = app
        .htmx_post(&bob, &format!("/answers/{id}/edit"), &[("content", "")])
        .await;
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let invalid = invalid.text().await.expect("body");
    assert!(invalid.contains("This field is required.") && !invalid.contains("<nav"));

    let saved = app
        .htmx_post(
            &bob,
            &format!("/answers/{id}/edit"),
            &[("content", "**edited** answer")],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let saved = saved.text().await.expect("body");
    assert!(
        root_tag(&saved).contains(&format!(r#"id="answer-{id}""#)),
        "{saved:.80}"
    );
    assert!(saved.contains("<strong>edited</strong> answer"));
    assert!(saved.contains("data-edited"));

    // Cancelling gets the answer back as it is.
    let cancel = app.htmx_get(&bob, &format!("/answers/{id}")).await;
    assert!(
        cancel
            .text()
            .await
            .expect("body")
            .contains("<strong>edited</strong>")
    );
    app.stop().await;
}

#[tokio::test]
async fn without_javascript_the_edit_page_saves_and_returns_to_the_answer() {
    let app = spawn_app().await;
    let (_alice, bob, question, answers) = question_with_answers(&app, 1).await;
    let id = answers[0];
    let page = app.get(&bob, &format!("/answers/{id}/edit")).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.text()
            .await
            .expect("body")
            .starts_with("<!DOCTYPE html>")
    );
    let response = app
        .post_form(
            &bob,
            &format!("/answers/{id}/edit"),
            &[("content", "plain edit")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&response),
        format!("/questions/{question}#answer-{id}")
    );
    assert!(
        app.get_html(&bob, &format!("/questions/{question}"))
            .await
            .contains("plain edit")
    );
    // /answers/{id} takes a browser to the answer.
    let response = app.get(&browser(), &format!("/answers/{id}")).await;
    assert_eq!(
        location(&response),
        format!("/questions/{question}#answer-{id}")
    );
    app.stop().await;
}

#[tokio::test]
async fn deleting_an_answer_asks_first_and_updates_the_count() {
    let app = spawn_app().await;
    let (alice, bob, question, answers) = question_with_answers(&app, 2).await;
    let id = answers[0];
    let confirm = app.get_html(&bob, &format!("/answers/{id}/delete")).await;
    assert!(confirm.contains("Delete this answer?"));
    let response = app
        .post_form(&bob, &format!("/answers/{id}/delete"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&response),
        format!("/questions/{question}#answer-{id}")
    );
    let page = app.get_html(&bob, &format!("/questions/{question}")).await;
    assert!(page.contains("The answer was deleted."));
    assert!(page.contains(">1 answer<"));
    assert_eq!(answer_ids(&page), [answers[1]]);
    let list = app.get_html(&alice, "/").await;
    assert!(list.contains(r#"data-answer-count="1">1 answer<"#));
    app.stop().await;
}

#[tokio::test]
async fn a_page_shown_again_after_a_failed_answer_links_back_to_the_question_not_the_form() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let question = app.ask(&alice, "Where am I?", "Body").await;
    let token = app.csrf_token(&alice).await;
    let page = format!("/questions/{question}");
    let response = alice
        .post(app.url(&format!("{page}/answers")))
        .header("Referer", app.url(&page))
        .form(&[("content", "   "), ("csrf_token", token.as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("body");
    // The language switch goes back to the question (a GET of the form's action would be a 405).
    let next =
        crate::helpers::attribute_after(&html, r#"<input type="hidden" name="next" value=""#);
    assert_eq!(next.as_deref(), Some(page.as_str()));
    app.stop().await;
}

#[tokio::test]
async fn an_answer_page_swapped_in_place_brings_a_language_switch_that_comes_back_to_it() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let question = app.ask(&alice, "Sorted in place", "Body").await;
    let path = format!("/questions/{question}?asort=recent");
    let fragment = app
        .htmx_get(&browser(), &path)
        .await
        .text()
        .await
        .expect("body");
    assert!(!fragment.contains("<html"), "a fragment");
    assert!(
        fragment.contains(r#"id="language-switch""#) && fragment.contains(r#"hx-swap-oob="true""#)
    );
    let next =
        crate::helpers::attribute_after(&fragment, r#"<input type="hidden" name="next" value=""#);
    assert_eq!(next.as_deref(), Some(path.as_str()));
    app.stop().await;
}
