//! People: profiles with their counts, reputation and posts; `/users` by reputation; names as links.

use reqwest::StatusCode;

use crate::helpers::{TestApp, browser, data_ids, location, spawn_app, spawn_app_seeded};

/// The figure a profile shows under `data-count="{key}"`.
pub fn count_in(html: &str, key: &str) -> i64 {
    let at = html
        .find(&format!(r#"data-count="{key}""#))
        .unwrap_or_else(|| panic!("no {key} count in {html}"));
    let rest = &html[at..];
    let dd = rest.find("<dd").expect("a figure");
    let start = dd + rest[dd..].find('>').expect("tag end") + 1;
    let end = start + rest[start..].find('<').expect("figure end");
    rest[start..end].replace(',', "").parse().expect("a number")
}

fn assert_counters_exact(app: &TestApp) {
    let drift = app.storage().counter_drift();
    assert!(drift.iter().all(|(_, n)| *n == 0), "{drift:?}");
}

#[tokio::test]
async fn a_profile_counts_posts_and_reputation_as_likes_and_accepts_come_and_go() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("Alice").await;
    let bob = app.signed_up_user("bob").await;
    let visitor = browser();
    let question = app.ask(&alice, "How do profiles work?", "Some text.").await;
    let answer = app.answer(&bob, question, "Like this.").await;
    // A like on Alice's question (+5 to her), one on Bob's answer (+10 to him), his answer accepted (+15).
    app.like_with_htmx(&bob, &format!("/questions/{question}/like"))
        .await;
    app.like_with_htmx(&alice, &format!("/answers/{answer}/like"))
        .await;
    let accepted = app
        .post_form(&alice, &format!("/answers/{answer}/accept"), &[])
        .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    let bobs = app.get_html(&visitor, "/users/bob").await;
    assert_eq!(count_in(&bobs, "reputation"), 25, "{bobs}");
    assert_eq!(count_in(&bobs, "answers"), 1);
    assert_eq!(count_in(&bobs, "questions"), 0);
    assert_eq!(count_in(&bobs, "accepted"), 1);
    assert_eq!(count_in(&bobs, "likes"), 1);
    let alices = app.get_html(&visitor, "/users/Alice").await;
    assert_eq!(count_in(&alices, "reputation"), 5);
    assert_eq!(
        data_ids(&alices, "question"),
        [question],
        "her questions tab"
    );
    // The answers tab, a link to the answer in place, its state in words; in place for htmx.
    let tab = app.get_html(&visitor, "/users/bob?tab=answers").await;
    assert_eq!(data_ids(&tab, "answer"), [answer]);
    assert!(tab.contains(&format!(r#"href="/answers/{answer}""#)));
    assert!(tab.contains(r#"data-state="accepted""#));
    let fragment = app.htmx_get(&visitor, "/users/bob?tab=answers").await;
    let fragment = fragment.text().await.expect("body");
    assert!(
        fragment.starts_with(r#"<section id="profile-posts""#),
        "{fragment}"
    );
    assert!(!fragment.contains("<html"));
    // The language switch comes along, to come back to the tab's address.
    assert!(
        fragment.contains(r#"hx-swap-oob="true""#)
            && fragment.contains(r#"name="next" value="/users/bob?tab=answers""#),
        "{fragment}"
    );
    // Names on the board link to profiles, with the reputation beside them.
    let page = app
        .get_html(&visitor, &format!("/questions/{question}"))
        .await;
    assert!(page.contains(r#"href="/users/Alice">Alice</a>"#), "{page}");
    assert!(page.contains(r#"data-reputation="25""#), "{page}");
    // Taken back with their causes: the like, the mark, then the answer itself.
    app.like_with_htmx(&alice, &format!("/answers/{answer}/like"))
        .await;
    assert_eq!(
        count_in(&app.get_html(&visitor, "/users/bob").await, "reputation"),
        15
    );
    app.post_form(&alice, &format!("/answers/{answer}/accept"), &[])
        .await;
    assert_eq!(
        count_in(&app.get_html(&visitor, "/users/bob").await, "reputation"),
        0
    );
    app.like_with_htmx(&alice, &format!("/answers/{answer}/like"))
        .await;
    app.post_form(&alice, &format!("/answers/{answer}/accept"), &[])
        .await;
    let deleted = app
        .post_form(&bob, &format!("/answers/{answer}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    let bobs = app.get_html(&visitor, "/users/bob").await;
    assert_eq!(count_in(&bobs, "reputation"), 0);
    assert_eq!(count_in(&bobs, "answers"), 0);
    assert!(bobs.contains("No answers yet.") || bobs.contains("No questions yet."));
    assert_counters_exact(&app);
    app.stop().await;
}

#[tokio::test]
async fn a_name_in_another_case_is_sent_to_the_profile_and_an_unknown_one_is_404() {
    let app = spawn_app().await;
    app.signed_up_user("Alice").await;
    let visitor = browser();
    let moved = app.get(&visitor, "/users/ALICE?tab=answers").await;
    assert_eq!(moved.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(location(&moved), "/users/Alice?tab=answers");
    let full_width = app.get(&visitor, "/users/%EF%BC%A1lice").await;
    assert_eq!(location(&full_width), "/users/Alice");
    let missing = app.get(&visitor, "/users/nobody").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing.text().await.expect("body").contains("<html"));
    let long = app
        .get(&visitor, &format!("/users/{}", "x".repeat(10_000)))
        .await;
    assert_eq!(long.status(), StatusCode::NOT_FOUND);
    // A NUL or another control character, which no name holds (and PostgreSQL refuses in text).
    for odd in ["/users/a%00", "/users/%07bob"] {
        assert_eq!(
            app.get(&visitor, odd).await.status(),
            StatusCode::NOT_FOUND,
            "{odd}"
        );
    }
    for filter in ["/users?q=%00", "/tags?q=%00a"] {
        assert_eq!(
            app.get(&visitor, filter).await.status(),
            StatusCode::OK,
            "{filter}"
        );
    }
    // In Korean too.
    let korean = app
        .get_html_with(&visitor, "/users/Alice", &[("Accept-Language", "ko")])
        .await;
    assert!(
        korean.contains("평판") && korean.contains("가입"),
        "{korean}"
    );
    app.stop().await;
}

#[tokio::test]
async fn users_are_listed_by_reputation_and_filtered_by_the_start_of_a_name() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    app.signed_up_user("albert").await;
    let question = app.ask(&alice, "Anyone?", "Text.").await;
    app.like_with_htmx(&bob, &format!("/questions/{question}/like"))
        .await;
    let visitor = browser();
    let names = |html: &str| -> Vec<String> {
        html.match_indices(r#"data-user=""#)
            .map(|(at, marker)| {
                let rest = &html[at + marker.len()..];
                rest[..rest.find('"').expect("end")].to_owned()
            })
            .collect()
    };
    let all = app.get_html(&visitor, "/users").await;
    assert_eq!(names(&all)[0], "alice", "the highest reputation first");
    assert_eq!(names(&all).len(), 3);
    let filtered = app.get_html(&visitor, "/users?q=AL").await;
    let mut found = names(&filtered);
    found.sort();
    assert_eq!(found, ["albert", "alice"]);
    assert!(filtered.contains(r#"<meta name="robots" content="noindex"#));
    let none = app.get_html(&visitor, "/users?q=zz%25_").await;
    assert!(none.contains("No user's name starts with"), "{none}");
    let far = app.get(&visitor, "/users?page=99999").await;
    assert_eq!(far.status(), StatusCode::OK);
    app.stop().await;
}

/// A profile is a visitor's page like the list: kept until the board changes, one entry for the parameters
/// it reads whatever else comes with them.
#[tokio::test]
async fn a_profile_is_kept_for_visitors_until_the_board_changes() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let question = app.ask(&alice, "Kept subject", "Body").await;
    let visitor = browser();
    assert!(
        app.get_html(&visitor, "/users/alice")
            .await
            .contains("Kept subject")
    );
    app.storage()
        .rename_question_elsewhere(question, "Renamed subject");
    let again = app
        .get_html(&visitor, "/users/alice?utm_source=x&page=1")
        .await;
    assert!(again.contains("Kept subject"), "served as kept");
    // A write moves the board on: the profile is rendered afresh.
    app.ask(&alice, "Another", "Body").await;
    assert!(
        app.get_html(&visitor, "/users/alice")
            .await
            .contains("Renamed subject")
    );
    app.stop().await;
}

/// Reputation and the other counts stay what their causes add up to through a seeded board's likes and
/// accepts, and deletes of posts that carried likes and accepted marks.
#[tokio::test]
async fn reputation_equals_the_sum_of_its_causes_after_likes_accepts_and_deletes() {
    let app = spawn_app_seeded(miniboard::seed::SeedPlan {
        users: 12,
        questions: 120,
        answers: 300,
        likes: 900,
        accepted: 60,
        seed: 5,
        ..Default::default()
    })
    .await;
    assert_counters_exact(&app);
    let probe = app.storage();
    let question = probe.number_of(
        "SELECT coalesce(min(q.id), 0) FROM questions q JOIN answers a ON a.id = q.accepted_answer_id
         WHERE q.like_count > 0 AND a.like_count > 0 AND a.author_id <> q.author_id",
    );
    assert!(
        question > 0,
        "a liked question with a liked accepted answer"
    );
    let asker = probe.text_of(&format!(
        "SELECT u.username FROM users u JOIN questions q ON q.author_id = u.id WHERE q.id = {question}"
    ));
    let client = browser();
    app.log_in(&client, &asker, "seed-password").await;
    let deleted = app
        .post_form(&client, &format!("/questions/{question}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_counters_exact(&app);
    let answer = probe.number_of(
        "SELECT coalesce(min(a.id), 0) FROM answers a JOIN questions q ON q.accepted_answer_id = a.id
         WHERE a.like_count > 0 AND a.author_id <> q.author_id",
    );
    assert!(answer > 0, "a liked accepted answer");
    let answerer = probe.text_of(&format!(
        "SELECT u.username FROM users u JOIN answers a ON a.author_id = u.id WHERE a.id = {answer}"
    ));
    let client = browser();
    app.log_in(&client, &answerer, "seed-password").await;
    let deleted = app
        .post_form(&client, &format!("/answers/{answer}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_counters_exact(&app);
    app.stop().await;
}

#[tokio::test]
async fn a_deleted_account_leaves_its_posts_as_a_deleted_users_and_takes_its_likes_back() {
    let app = spawn_app().await;
    let alice = app.signed_up_user("alice").await;
    let bob = app.signed_up_user("bob").await;
    let question = app
        .ask(&alice, "Who keeps my posts?", "Asking before I go.")
        .await;
    let bobs_question = app.ask(&bob, "Bob asks too", "Some words of his.").await;
    let bobs_answer = app.answer(&bob, question, "The board keeps them.").await;
    app.answer(&alice, bobs_question, "An answer of alice's.")
        .await;
    app.like_with_htmx(&alice, &format!("/answers/{bobs_answer}/like"))
        .await;
    app.like_with_htmx(&alice, &format!("/questions/{bobs_question}/like"))
        .await;
    let bobs = app.get_html(&bob, "/users/bob").await;
    assert_eq!(count_in(&bobs, "reputation"), 15);
    let phone = browser();
    app.log_in(&phone, "alice", crate::helpers::PASSWORD).await;

    // A wrong password deletes nothing.
    let wrong = app
        .post_form(&alice, "/account/delete", &[("current_password", "not it")])
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .text()
            .await
            .expect("page")
            .contains(r#"id="field-current_password-delete""#)
    );
    assert_eq!(app.logged_in_as(&alice).await.as_deref(), Some("alice"));

    // A role and a suspension (with its reason) go with the account too.
    app.grant("alice", "moderator").await;
    app.storage().change_sql(
        "UPDATE users SET suspended_until = 4000000000, suspension_reason = 'her private reason'
         WHERE username = 'alice'",
    );
    let deleted = app
        .post_form(
            &alice,
            "/account/delete",
            &[("current_password", crate::helpers::PASSWORD)],
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.storage().text_of(
            "SELECT role || '/' || coalesce(CAST(suspended_until AS TEXT), 'none') || '/' || suspension_reason
             FROM users WHERE deleted_at IS NOT NULL"
        ),
        "user/none/"
    );
    assert_eq!(location(&deleted), "/");
    assert_eq!(app.logged_in_as(&alice).await, None);
    assert_eq!(app.logged_in_as(&phone).await, None, "every session ended");
    // Her question and answer stay, by a deleted user, unlinked; her likes are taken back.
    let page = app
        .get_html(&browser(), &format!("/questions/{question}"))
        .await;
    assert!(page.contains("Who keeps my posts?"));
    assert!(page.contains(r#"data-deleted-user="true""#), "{page}");
    assert!(!page.contains(r#"href="/users/alice""#));
    let bobs = app.get_html(&bob, "/users/bob").await;
    assert_eq!(count_in(&bobs, "reputation"), 0, "her likes went");
    assert_counters_exact(&app);
    assert_eq!(
        app.get(&browser(), "/users/alice").await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(!app.get_html(&browser(), "/users").await.contains("alice"));
    // She cannot log in; her name is held, her address free at once.
    let login = app
        .log_in(&browser(), "alice", crate::helpers::PASSWORD)
        .await;
    assert_eq!(login.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let same_name = app
        .post_form(
            &browser(),
            "/signup",
            &crate::helpers::sign_up_form("alice", "someone@example.com", "")[..4],
        )
        .await;
    assert_eq!(same_name.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let same_address = app
        .post_form(
            &browser(),
            "/signup",
            &crate::helpers::sign_up_form("alice2", "alice@example.com", "")[..4],
        )
        .await;
    assert_eq!(same_address.status(), StatusCode::SEE_OTHER);

    // Thirty days on, the name is free.
    let store = miniboard::store::Store::open(&app.database)
        .await
        .expect("store");
    assert_eq!(
        miniboard::board::accounts::free_held_names(&store)
            .await
            .expect("freed"),
        0,
        "not before thirty days"
    );
    app.storage().change_sql(
        "UPDATE users SET deleted_at = deleted_at - 30 * 24 * 60 * 60 WHERE deleted_at IS NOT NULL",
    );
    assert_eq!(
        miniboard::board::accounts::free_held_names(&store)
            .await
            .expect("freed"),
        1
    );
    let taken_again = app
        .post_form(
            &browser(),
            "/signup",
            &crate::helpers::sign_up_form("alice", "new.alice@example.com", "")[..4],
        )
        .await;
    assert_eq!(taken_again.status(), StatusCode::SEE_OTHER);
    // The old posts stay the deleted user's, not the new alice's.
    let page = app
        .get_html(&browser(), &format!("/questions/{question}"))
        .await;
    assert!(page.contains(r#"data-deleted-user="true""#));
}
