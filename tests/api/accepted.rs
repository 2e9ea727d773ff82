//! Accepted answers: who may mark one, where it stands on the question's page, the list's states and the
//! unanswered and unaccepted tabs.

use reqwest::StatusCode;

use crate::helpers::{TestApp, browser, data_ids, location, spawn_app};

/// The answer ids on a question page (or answer section), in the order shown.
fn answer_ids(html: &str) -> Vec<i64> {
    data_ids(html, "answer")
}

/// The ids of the questions a list page shows.
fn question_ids(html: &str) -> Vec<i64> {
    data_ids(html, "question")
}

/// The state a list row shows for the question.
fn state_of(html: &str, question: i64) -> Option<String> {
    let row = &html[html.find(&format!(r#"id="question-{question}""#))?..];
    let row = &row[..row.find("</li>")?];
    let marker = r#"data-state=""#;
    let rest = &row[row.find(marker)? + marker.len()..];
    Some(rest[..rest.find('"')?].to_owned())
}

async fn accept(app: &TestApp, client: &reqwest::Client, answer: i64) -> reqwest::Response {
    app.post_form(client, &format!("/answers/{answer}/accept"), &[])
        .await
}

#[tokio::test]
async fn only_the_questions_author_may_accept_and_sees_the_control() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    let helper = app.signed_up_user("helper").await;
    let other = app.signed_up_user("other").await;
    let question = app.ask(&asker, "How do I accept?", "text").await;
    let answer = app.answer(&helper, question, "Like this.").await;
    let own = app
        .answer(&asker, question, "Or like this, says the asker.")
        .await;
    let page = format!("/questions/{question}");

    let asker_view = app.get_html(&asker, &page).await;
    assert!(asker_view.contains("data-accept-form"));
    assert!(
        asker_view.contains(r#"id="accept-hint""#),
        "the asker is told what accepting is for"
    );
    for (who, client) in [("helper", &helper), ("other", &other)] {
        assert!(
            !app.get_html(client, &page)
                .await
                .contains("data-accept-form"),
            "{who}"
        );
        let refused = accept(&app, client, answer).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{who}");
    }
    let visitor = browser();
    assert!(
        !app.get_html(&visitor, &page)
            .await
            .contains("data-accept-form")
    );
    let visitor_post = accept(&app, &visitor, answer).await;
    assert_eq!(visitor_post.status(), StatusCode::SEE_OTHER);
    assert!(location(&visitor_post).starts_with("/login"));
    assert!(
        !app.get_html(&visitor, &page)
            .await
            .contains("data-accepted-badge")
    );

    // The asker may accept someone's answer, or their own (as on Stack Overflow).
    let done = accept(&app, &asker, answer).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&done), format!("{page}#answer-{answer}"));
    let html = app.get_html(&visitor, &page).await;
    assert_eq!(html.matches("data-accepted-badge").count(), 1);
    assert!(html.contains("Accepted answer"));
    assert!(!html.contains("accept-hint"), "visitors get no hint");
    let asker_view = app.get_html(&asker, &page).await;
    assert!(
        !asker_view.contains("accept-hint"),
        "nor the asker once one is accepted"
    );
    let moved = accept(&app, &asker, own).await;
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    let html = app.get_html(&visitor, &page).await;
    assert_eq!(answer_ids(&html).first(), Some(&own), "the mark moved");
    assert_eq!(html.matches("data-accepted-badge").count(), 1);
    app.stop().await;
}

#[tokio::test]
async fn the_accepted_answer_heads_the_first_page_in_every_sort_and_the_others_keep_their_paging() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    let helper = app.signed_up_user("helper").await;
    let question = app.ask(&asker, "Twelve answers", "text").await;
    let mut answers = Vec::new();
    for n in 0..12 {
        answers.push(
            app.answer(&helper, question, &format!("Answer number {n}"))
                .await,
        );
    }
    // Likes put the first answer on top of the "most liked" sort.
    app.like_with_htmx(&asker, &format!("/answers/{}/like", answers[0]))
        .await;
    // The eleventh, deep in both sorts, is accepted.
    let chosen = answers[10];
    accept(&app, &asker, chosen).await;
    let visitor = browser();
    for sort in ["likes", "recent"] {
        let first = answer_ids(
            &app.get_html(&visitor, &format!("/questions/{question}?asort={sort}"))
                .await,
        );
        let second = answer_ids(
            &app.get_html(
                &visitor,
                &format!("/questions/{question}?asort={sort}&apage=2"),
            )
            .await,
        );
        assert_eq!(first.first(), Some(&chosen), "{sort}: first on page 1");
        assert_eq!(first.len(), 11, "{sort}: the accepted one and ten others");
        assert_eq!(second.len(), 1, "{sort}: the eleven others fill two pages");
        let mut shown: Vec<i64> = first.iter().chain(&second).copied().collect();
        assert_eq!(
            shown.iter().filter(|id| **id == chosen).count(),
            1,
            "{sort}: not again lower down"
        );
        shown.sort_unstable();
        let mut all = answers.clone();
        all.sort_unstable();
        assert_eq!(shown, all, "{sort}: every answer once");
    }
    let likes = answer_ids(
        &app.get_html(&visitor, &format!("/questions/{question}"))
            .await,
    );
    assert_eq!(
        likes[1], answers[0],
        "the others keep their sort: the liked one next"
    );
    let recent = answer_ids(
        &app.get_html(&visitor, &format!("/questions/{question}?asort=recent"))
            .await,
    );
    assert_eq!(recent[1], answers[11], "newest of the others next");
    // A link to an answer lands on the page that holds it, counted without the accepted one.
    for (answer, page) in [(chosen, 1), (answers[11], 2), (answers[9], 1)] {
        let response = app.get(&visitor, &format!("/answers/{answer}")).await;
        assert_eq!(
            location(&response),
            format!(
                "/questions/{question}{}#answer-{answer}",
                if page == 1 {
                    String::new()
                } else {
                    format!("?apage={page}")
                }
            ),
            "answer {answer}"
        );
    }
    // Again takes the mark back: the answer returns to its place.
    accept(&app, &asker, chosen).await;
    let html = app
        .get_html(&visitor, &format!("/questions/{question}"))
        .await;
    assert!(!html.contains("data-accepted-badge"));
    assert_ne!(answer_ids(&html).first(), Some(&chosen));
    app.stop().await;
}

#[tokio::test]
async fn with_htmx_the_answer_section_comes_back_with_the_accepted_answer_first() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    let helper = app.signed_up_user("helper").await;
    let question = app.ask(&asker, "In place", "text").await;
    let first = app.answer(&helper, question, "First").await;
    let second = app.answer(&helper, question, "Second").await;
    let token = app.csrf_token(&asker).await;
    let response = asker
        .post(app.url(&format!("/answers/{second}/accept")))
        .header("X-CSRF-Token", token)
        .header("HX-Request", "true")
        .header(
            "HX-Current-URL",
            app.url(&format!("/questions/{question}?asort=recent&apage=1")),
        )
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["hx-replace-url"],
        format!("/questions/{question}?asort=recent").as_str()
    );
    let html = response.text().await.expect("body");
    assert!(html.starts_with(r#"<section id="answers""#), "{html}");
    assert!(
        html.contains(&format!(
            r#"name="next" value="/questions/{question}?asort=recent""#
        )),
        "the language switch comes back to the page shown: {html}"
    );
    assert_eq!(answer_ids(&html), [second, first]);
    assert!(html.contains(">Unaccept<"));
    // Without the token nothing changes.
    let refused = asker
        .post(app.url(&format!("/answers/{first}/accept")))
        .header("HX-Request", "true")
        .send()
        .await
        .expect("POST");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let page = app
        .get_html(&browser(), &format!("/questions/{question}"))
        .await;
    assert_eq!(answer_ids(&page).first(), Some(&second));
    app.stop().await;
}

#[tokio::test]
async fn deleting_the_accepted_answer_clears_the_mark_and_the_list_follows() {
    let app = spawn_app().await;
    let asker = app.signed_up_user("asker").await;
    let helper = app.signed_up_user("helper").await;
    let open = app.ask(&asker, "Nobody answered", "text").await;
    let answered = app.ask(&asker, "Answered, none accepted", "text").await;
    let solved = app.ask(&asker, "Solved", "text").await;
    app.answer(&helper, answered, "An answer").await;
    let kept = app.answer(&helper, solved, "Another answer").await;
    let accepted = app.answer(&helper, solved, "The answer").await;
    accept(&app, &asker, accepted).await;

    let visitor = browser();
    let list = app.get_html(&visitor, "/").await;
    assert_eq!(state_of(&list, open).as_deref(), Some("unanswered"));
    assert_eq!(state_of(&list, answered).as_deref(), Some("answered"));
    assert_eq!(state_of(&list, solved).as_deref(), Some("accepted"));
    assert!(list.contains("No answers") && list.contains("Accepted"));
    let ko = crate::helpers::client_with_cookies("lang=ko");
    let list_ko = app.get_html(&ko, "/").await;
    assert!(list_ko.contains("답변 없음") && list_ko.contains("채택됨"));

    assert_eq!(
        question_ids(&app.get_html(&visitor, "/questions?sort=unanswered").await),
        [open]
    );
    assert_eq!(
        question_ids(&app.get_html(&visitor, "/questions?sort=unaccepted").await),
        [answered, open]
    );
    let confirm = app
        .get_html(&helper, &format!("/answers/{accepted}/delete"))
        .await;
    assert!(
        confirm.contains("The question will have no accepted answer"),
        "the confirmation says the mark goes too"
    );
    let deleted = app
        .post_form(&helper, &format!("/answers/{accepted}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    let list = app.get_html(&visitor, "/").await;
    assert_eq!(state_of(&list, solved).as_deref(), Some("answered"));
    assert_eq!(
        question_ids(&app.get_html(&visitor, "/questions?sort=unaccepted").await),
        [solved, answered, open]
    );
    assert!(
        app.storage()
            .counter_drift()
            .iter()
            .all(|(_, drift)| *drift == 0),
        "{:?}",
        app.storage().counter_drift()
    );
    // The other answer can be accepted again; a deleted or unknown one cannot.
    assert_eq!(
        accept(&app, &asker, kept).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        accept(&app, &asker, accepted).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post_form(&asker, "/answers/abc/accept", &[])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}

#[tokio::test]
async fn links_land_on_the_page_that_holds_the_answer_the_last_of_304_included() {
    // One question with 304 answers, none liked (oldest first); the seed accepts its first and puts
    // comments on the first page's posts.
    let app = crate::helpers::spawn_app_seeded(miniboard::seed::SeedPlan {
        users: 3,
        questions: 1,
        thread: 304,
        seed: 5,
        ..Default::default()
    })
    .await;
    let visitor = browser();
    let page = app.get_html(&visitor, "/questions/1").await;
    let shown = answer_ids(&page);
    assert_eq!(shown.len(), 11, "the accepted answer above ten others");
    let accepted = shown[0];
    assert!(page.contains(&format!(
        r#"id="answer-{accepted}" data-answer="{accepted}" data-accepted="true""#
    )));
    // The 303 others page on their own: 31 pages, the last holding three.
    let mut others: Vec<i64> = (1..=304).filter(|id| *id != accepted).collect();
    others.sort_unstable();
    for (position, id) in [
        (0, others[0]),
        (9, others[9]),
        (10, others[10]),
        (302, others[302]),
    ] {
        let link = app.get(&visitor, &format!("/answers/{id}")).await;
        assert_eq!(link.status(), StatusCode::SEE_OTHER);
        let expected = match position / 10 + 1 {
            1 => format!("/questions/1#answer-{id}"),
            page => format!("/questions/1?apage={page}#answer-{id}"),
        };
        assert_eq!(
            location(&link),
            expected,
            "answer {id}, {position} others before it"
        );
        let html = app.get_html(&visitor, &location(&link)).await;
        assert!(html.contains(&format!(r#"id="answer-{id}""#)), "{expected}");
    }
    let link = app.get(&visitor, &format!("/answers/{accepted}")).await;
    assert_eq!(location(&link), format!("/questions/1#answer-{accepted}"));
    let last_page = app.get_html(&visitor, "/questions/1?apage=31").await;
    assert_eq!(answer_ids(&last_page), others[300..]);
    app.stop().await;
}
