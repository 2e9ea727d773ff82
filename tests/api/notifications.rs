//! Notifications and follows: who hears of an answer, a comment, an accepted answer and a mention; following
//! questions and tags; the inbox's pages and read marks; the navbar's count.

use std::time::Duration;

use reqwest::{Client, StatusCode};

use crate::helpers::{TestApp, browser, location, spawn_app};

/// The unread count the navbar shows `client`.
async fn unread(app: &TestApp, client: &Client) -> i64 {
    let page = app.get_html(client, "/tags").await;
    let at = page
        .find(r#"id="inbox-link""#)
        .unwrap_or_else(|| panic!("no inbox link in {page}"));
    let rest = &page[at..];
    let start = rest.find(r#"data-unread=""#).expect("a count") + r#"data-unread=""#.len();
    let end = start + rest[start..].find('"').expect("count end");
    rest[start..end].parse().expect("a number")
}

/// The kinds of the notifications on an inbox page, top to bottom.
fn kinds(inbox: &str) -> Vec<String> {
    inbox
        .match_indices(r#" data-notification=""#)
        .map(|(at, marker)| {
            let rest = &inbox[at + marker.len()..];
            rest[..rest.find('"').expect("kind end")].to_owned()
        })
        .collect()
}

fn assert_counters_exact(app: &TestApp) {
    let drift = app.storage().counter_drift();
    assert!(drift.iter().all(|(_, n)| *n == 0), "{drift:?}");
}

#[tokio::test]
async fn an_answer_a_comment_an_accept_and_a_mention_each_reach_the_one_they_concern() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let carol = app.signed_up_user("Carol").await;
    let question = app.ask(&alice, "Who hears of what?", "Tell me.").await;
    assert_eq!(
        unread(&app, &alice).await,
        0,
        "nobody is told of their own post"
    );
    let answer = app
        .answer(
            &bob,
            question,
            "Ask @carol, or @nobody_here; `@carol` in code is code. Mail bob@example.com.",
        )
        .await;
    assert_eq!(
        unread(&app, &alice).await,
        1,
        "the asker hears of the answer"
    );
    assert_eq!(unread(&app, &carol).await, 1, "the mentioned hears of it");
    assert_eq!(unread(&app, &bob).await, 0, "the answerer does not");
    // The mention is a link to the profile (in any letter case); a name of nobody, code and an e-mail
    // address stay text.
    let page = app
        .get_html(&browser(), &format!("/questions/{question}"))
        .await;
    assert!(
        page.contains(r#"<a href="/users/Carol" rel="nofollow noopener ugc">@carol</a>"#),
        "{page}"
    );
    assert!(page.contains("@nobody_here") && !page.contains("/users/nobody_here"));
    assert!(page.contains("<code>@carol</code>"), "{page}");
    assert!(page.contains("bob@example.com"));

    // Each inbox links to exactly what it is about; showing it marks it read.
    let inbox = app.get_html(&alice, "/notifications").await;
    assert_eq!(kinds(&inbox), ["answer"]);
    assert!(
        inbox.contains(&format!(r#"href="/answers/{answer}""#)),
        "{inbox}"
    );
    assert!(inbox.contains(r#"data-unread="true""#));
    assert!(inbox.contains(r#"href="/users/bob""#));
    assert_eq!(unread(&app, &alice).await, 0);
    let inbox = app.get_html(&alice, "/notifications").await;
    assert!(!inbox.contains(r#"data-unread="true""#), "read once shown");
    assert_eq!(
        kinds(&app.get_html(&carol, "/notifications").await),
        ["mention"]
    );

    // A comment on the answer tells its author; accepting it tells him too; taking it back takes that back.
    let comment = app
        .comment(&alice, &format!("/answers/{answer}"), "Thanks, @Carol!")
        .await;
    let accept = app
        .post_form(&alice, &format!("/answers/{answer}/accept"), &[])
        .await;
    assert_eq!(accept.status(), StatusCode::SEE_OTHER);
    let inbox = app.get_html(&bob, "/notifications").await;
    assert_eq!(kinds(&inbox), ["accepted", "comment"]);
    assert!(
        inbox.contains(&format!(r#"href="/comments/{comment}""#)),
        "{inbox}"
    );
    assert_eq!(
        kinds(&app.get_html(&carol, "/notifications").await),
        ["mention", "mention"],
        "mentioned in the comment too"
    );
    // Taking the mark back leaves what happened; giving it again tells him nothing new.
    for _ in 0..2 {
        app.post_form(&alice, &format!("/answers/{answer}/accept"), &[])
            .await;
    }
    assert_eq!(unread(&app, &bob).await, 0);
    assert_eq!(
        kinds(&app.get_html(&bob, "/notifications").await),
        ["accepted", "comment"]
    );

    // Editing the answer to mention Alice, the asker, tells her nothing more: she heard of it once.
    let edit = app
        .post_form(
            &bob,
            &format!("/answers/{answer}/edit"),
            &[("content", "Ask @alice and @carol.")],
        )
        .await;
    assert_eq!(edit.status(), StatusCode::SEE_OTHER);
    assert_eq!(unread(&app, &alice).await, 0);
    // Deleting the answer takes what it caused with it.
    let delete = app
        .post_form(&bob, &format!("/answers/{answer}/delete"), &[])
        .await;
    assert_eq!(delete.status(), StatusCode::SEE_OTHER);
    assert!(kinds(&app.get_html(&bob, "/notifications").await).is_empty());
    assert!(kinds(&app.get_html(&carol, "/notifications").await).is_empty());
    assert_counters_exact(&app);
}

#[tokio::test]
async fn following_a_question_brings_its_new_answers_and_unfollowing_stops_them() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let carol = app.signed_up_user("carol").await;
    let dave = app.signed_up_user("dave").await;
    let question = app.ask(&alice, "Worth following?", "Maybe.").await;
    app.answer(&bob, question, "First answer.").await;
    // Carol follows with htmx: the button comes back, pressed, in words.
    let follow = format!("/questions/{question}/follow");
    let button = app.htmx_post(&carol, &follow, &[]).await;
    assert_eq!(button.status(), StatusCode::OK);
    let button = button.text().await.expect("body");
    assert!(button.contains(r#"data-follow="following""#), "{button}");
    assert!(button.contains(r#"aria-pressed="true""#) && button.contains("Following"));
    // A stale "Follow" button (another tab) sent again follows still: it asks for a state, not a change.
    let again = app
        .htmx_post(&carol, &follow, &[("follow", "true")])
        .await
        .text()
        .await
        .expect("body");
    assert!(again.contains(r#"data-follow="following""#), "{again}");
    let page = app
        .get_html(&carol, &format!("/questions/{question}"))
        .await;
    assert!(
        page.contains(r#"data-follow="following""#),
        "the page knows"
    );
    let account = app.get_html(&carol, "/account").await;
    assert!(
        account.contains(&format!(r#"data-followed-question="{question}""#)),
        "the account page lists it: {account}"
    );
    let dave_answer = app.answer(&dave, question, "Second answer.").await;
    // The asker hears once, as the asker; the first answerer and Carol as followers.
    assert_eq!(
        kinds(&app.get_html(&alice, "/notifications").await),
        ["answer", "answer"]
    );
    assert_eq!(
        kinds(&app.get_html(&bob, "/notifications").await),
        ["followed_answer"]
    );
    let carols = app.get_html(&carol, "/notifications").await;
    assert_eq!(kinds(&carols), ["followed_answer"]);
    assert!(carols.contains(&format!(r#"href="/answers/{dave_answer}""#)));
    // Without JavaScript the form goes back to the page it was on; unfollowed, nothing more comes.
    let unfollow = app.post_form(&carol, &follow, &[]).await;
    assert_eq!(unfollow.status(), StatusCode::SEE_OTHER);
    assert!(location(&unfollow).starts_with(&format!("/questions/{question}")));
    let page = app
        .get_html(&carol, &format!("/questions/{question}"))
        .await;
    assert!(page.contains(r#"data-follow="not-following""#));
    app.answer(&dave, question, "Third answer.").await;
    assert_eq!(
        kinds(&app.get_html(&carol, "/notifications").await).len(),
        1
    );
    let account = app.get_html(&carol, "/account").await;
    assert!(!account.contains("data-followed-question="));
    assert!(account.contains("Questions you follow"));
    // A visitor's page offers following through the log-in.
    let visitors = app
        .get_html(&browser(), &format!("/questions/{question}"))
        .await;
    assert!(visitors.contains(r#"data-follow="log-in""#));
    assert_counters_exact(&app);
}

#[tokio::test]
async fn a_tag_followed_by_many_tells_them_all_and_the_write_only_the_first_few() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let first = app
        .post_form(
            &alice,
            "/questions",
            &[
                ("subject", "Lifetimes?"),
                ("content", "How?"),
                ("tags", "rust"),
            ],
        )
        .await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    // Bob follows the tag from its page, without JavaScript; 120 more follow it.
    let followed = app.post_form(&bob, "/tags/rust/follow", &[]).await;
    assert_eq!(followed.status(), StatusCode::SEE_OTHER);
    assert!(
        app.get_html(&bob, "/tags/rust")
            .await
            .contains(r#"data-follow="following""#)
    );
    assert!(
        app.get_html(&bob, "/account")
            .await
            .contains(r#"data-followed-tag="rust""#)
    );
    app.storage().fans_of_tag("rust", 120);
    let asked = app
        .post_form(
            &alice,
            "/questions",
            &[
                ("subject", "Borrowing?"),
                ("content", "Why?"),
                ("tags", "rust, async"),
            ],
        )
        .await;
    assert_eq!(asked.status(), StatusCode::SEE_OTHER);
    let question: i64 = location(&asked)
        .trim_start_matches("/questions/")
        .parse()
        .expect("an id");
    let told = format!(
        "SELECT count(*) FROM notifications WHERE question_id = {question} AND kind = 'tagged_question'"
    );
    // The write tells the first 10 and wakes the background, which tells the rest, each once.
    let mut waited = Duration::ZERO;
    while app.storage().number_of(&told) < 121 && waited < Duration::from_secs(20) {
        tokio::time::sleep(Duration::from_millis(100)).await;
        waited += Duration::from_millis(100);
    }
    assert_eq!(
        app.storage().number_of(&told),
        121,
        "every follower but the asker"
    );
    assert_eq!(
        app.storage().rows_in("notification_jobs"),
        0,
        "no work left"
    );
    assert_eq!(
        kinds(&app.get_html(&bob, "/notifications").await),
        ["tagged_question"]
    );
    assert_eq!(unread(&app, &alice).await, 0);
    // An unknown tag or question cannot be followed.
    let unknown = app.post_form(&bob, "/tags/no-such-tag/follow", &[]).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let unknown = app.post_form(&bob, "/questions/999999/follow", &[]).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_counters_exact(&app);
}

#[tokio::test]
async fn the_inbox_pages_by_id_marks_read_what_it_shows_and_marks_all_read_on_request() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let question = app.ask(&alice, "Many answers?", "Please.").await;
    let mut answers = Vec::new();
    for n in 0..33 {
        answers.push(
            app.answer(&bob, question, &format!("Answer number {n}."))
                .await,
        );
    }
    assert_eq!(unread(&app, &alice).await, 33);
    // Marking all read needs no visit.
    let read = app.post_form(&alice, "/notifications/read-all", &[]).await;
    assert_eq!(read.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&read), "/notifications");
    assert_eq!(unread(&app, &alice).await, 0);
    // Newest first, 30 a page, then the older ones after the last shown.
    app.answer(&bob, question, "One more.").await;
    let first = app.get_html(&alice, "/notifications").await;
    assert_eq!(kinds(&first).len(), 30);
    assert_eq!(
        first.matches(r#"data-unread="true""#).count(),
        1,
        "only the newest was unread"
    );
    let older = first
        .split(r#"rel="next" href=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a link to older ones")
        .replace("&amp;", "&");
    let second = app.get_html(&alice, &older).await;
    assert_eq!(kinds(&second).len(), 4);
    assert!(
        second.contains(&format!(r#"href="/answers/{}""#, answers[0])),
        "the oldest last"
    );
    assert!(
        second.contains(r#"href="/notifications""#),
        "back to the newest"
    );
    assert!(!second.contains(r#"rel="next""#));
    // A bad `before` is the newest page; another user's inbox is their own.
    assert_eq!(
        kinds(&app.get_html(&alice, "/notifications?before=x").await).len(),
        30
    );
    assert!(kinds(&app.get_html(&bob, "/notifications").await).is_empty());
    assert_counters_exact(&app);
}

#[tokio::test]
async fn a_visitor_has_no_inbox_and_cannot_follow() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let question = app.ask(&alice, "Open to all?", "Yes.").await;
    let visitor = browser();
    let inbox = app.get(&visitor, "/notifications").await;
    assert_eq!(inbox.status(), StatusCode::SEE_OTHER);
    assert!(location(&inbox).starts_with("/login"));
    let follow = app
        .post_form(&visitor, &format!("/questions/{question}/follow"), &[])
        .await;
    assert_eq!(follow.status(), StatusCode::SEE_OTHER);
    assert!(location(&follow).starts_with("/login"));
    let read_all = app
        .post_form(&visitor, "/notifications/read-all", &[])
        .await;
    assert!(location(&read_all).starts_with("/login"));
    // Without the form's token, nothing is followed.
    let forged = app
        .post_form_without_token(&alice, &format!("/questions/{question}/follow"), &[])
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let page = app
        .get_html(&alice, &format!("/questions/{question}"))
        .await;
    assert!(
        page.contains(r#"data-follow="following""#),
        "the asker follows, still"
    );
}

#[tokio::test]
async fn the_inbox_speaks_korean() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let question = app.ask(&alice, "한국어로?", "네.").await;
    app.answer(&bob, question, "답변입니다.").await;
    app.switch_language(&alice, "ko", "/notifications").await;
    let inbox = app.get_html(&alice, "/notifications").await;
    assert!(inbox.contains("<h1 class=\"h3 mb-0\">알림</h1>"), "{inbox}");
    assert!(inbox.contains("님이 회원님의 질문에 답변했습니다"));
    assert!(inbox.contains("새 알림"));
    let empty = app.get_html(&bob, "/notifications").await;
    assert!(empty.contains("id=\"notifications-empty\""));
}

#[tokio::test]
async fn a_post_tells_ten_people_at_most_however_often_it_is_edited() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    app.storage().fans_of_tag("no-such-tag", 15);
    let question = app
        .ask(&alice, "Who should see this?", "Many people.")
        .await;
    let first: Vec<String> = (1..=8).map(|n| format!("@fan{n}")).collect();
    let answer = app.answer(&bob, question, &first.join(" ")).await;
    let told = format!(
        "SELECT count(*) FROM notifications WHERE answer_id = {answer} AND kind = 'mention'"
    );
    assert_eq!(app.storage().number_of(&told), 8);
    let second: Vec<String> = (9..=15).map(|n| format!("@fan{n}")).collect();
    let edit = app
        .post_form(
            &bob,
            &format!("/answers/{answer}/edit"),
            &[("content", second.join(" ").as_str())],
        )
        .await;
    assert_eq!(edit.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.storage().number_of(&told),
        10,
        "ten in all, whatever the edits"
    );
    // The post's own HTML cannot dress a link elsewhere as a mention.
    let forged = app
        .answer(
            &bob,
            question,
            r#"<a class="mention" href="https://evil.example/">@alice</a>"#,
        )
        .await;
    let page = app
        .get_html(&browser(), &format!("/questions/{question}"))
        .await;
    let at = page
        .find(&format!(r#"id="answer-{forged}""#))
        .expect("the answer");
    assert!(!page[at..].contains(r#"class="mention""#));
    assert_counters_exact(&app);
}
