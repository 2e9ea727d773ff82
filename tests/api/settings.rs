//! Account settings: changing the password (every other session ends), the list of sessions with their
//! devices, and signing out one or all of the others.

use reqwest::{Client, StatusCode, redirect::Policy};

use crate::helpers::{PASSWORD, TestApp, browser, location, spawn_app};

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const NEW_PASSWORD: &str = "a brand new passphrase";

/// A browser that names itself with `agent`.
fn browser_as(agent: &str) -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .user_agent(agent)
        .build()
        .expect("client")
}

/// A new client logged in as `username` with `password`.
async fn logged_in(app: &TestApp, agent: &str, username: &str, password: &str) -> Client {
    let client = browser_as(agent);
    let response = app.log_in(&client, username, password).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "log-in as {username}"
    );
    client
}

/// The stored keys of the sessions the account page lists, top to bottom.
fn session_keys(page: &str) -> Vec<String> {
    page.match_indices(r#" data-session=""#)
        .map(|(at, marker)| {
            let rest = &page[at + marker.len()..];
            rest[..rest.find('"').expect("key end")].to_owned()
        })
        .collect()
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_signs_out_every_other_device() {
    let app = spawn_app().await;
    let here = app.signed_up_user("alice").await;
    let phone = logged_in(&app, IPHONE, "alice", PASSWORD).await;
    // A wrong current password changes nothing: a 422 that says so, the form empty again.
    let wrong = app
        .post_form(
            &here,
            "/account/password",
            &[
                ("current_password", "not my password"),
                ("password1", NEW_PASSWORD),
                ("password2", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = wrong.text().await.expect("body");
    assert!(
        page.contains("That is not your current password."),
        "{page}"
    );
    assert!(
        !page.contains(NEW_PASSWORD),
        "passwords are never sent back"
    );
    // Two new passwords that differ, or a short one: the same, with why.
    let differ = app
        .post_form(
            &here,
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("password1", NEW_PASSWORD),
                ("password2", "something else entirely"),
            ],
        )
        .await;
    assert_eq!(differ.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        differ
            .text()
            .await
            .expect("body")
            .contains("The two passwords do not match.")
    );
    assert_eq!(app.logged_in_as(&phone).await.as_deref(), Some("alice"));
    let other = browser();
    assert_eq!(
        app.log_in(&other, "alice", PASSWORD).await.status(),
        StatusCode::SEE_OTHER,
        "the old password still works"
    );
    app.log_out(&other).await;

    let changed = app
        .post_form(
            &here,
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("password1", NEW_PASSWORD),
                ("password2", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&changed), "/account");
    let page = app.get_html(&here, "/account").await;
    assert!(page.contains("Your password was changed"), "{page}");
    assert_eq!(
        app.logged_in_as(&here).await.as_deref(),
        Some("alice"),
        "this device stays"
    );
    assert_eq!(
        app.logged_in_as(&phone).await,
        None,
        "the phone was signed out"
    );
    let old = app.log_in(&browser(), "alice", PASSWORD).await;
    assert_eq!(
        old.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the old password is gone"
    );
    let new = app.log_in(&browser(), "alice", NEW_PASSWORD).await;
    assert_eq!(new.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_account_page_lists_each_device_and_signs_out_one_or_all_the_others() {
    let app = spawn_app().await;
    app.signed_up_user("bob").await;
    let laptop = logged_in(&app, FIREFOX, "bob", PASSWORD).await;
    let phone = logged_in(&app, IPHONE, "bob", PASSWORD).await;
    let third = logged_in(&app, IPHONE, "bob", PASSWORD).await;
    let page = app.get_html(&laptop, "/account").await;
    assert!(
        page.contains("Firefox · Linux") && page.contains("Safari · iPhone"),
        "{page}"
    );
    assert!(
        page.contains("127.0.0.1"),
        "the address each signed in from"
    );
    let keys = session_keys(&page);
    assert_eq!(keys.len(), 4, "the sign-up's session and three log-ins");
    assert_eq!(page.matches(r#"data-current="true""#).count(), 1);
    // The phone's session is the one listed on its own page as this device.
    let phones = app.get_html(&phone, "/account").await;
    let current = phones
        .split(r#" data-current="true""#)
        .next()
        .and_then(|before| before.rsplit(r#"data-session=""#).next())
        .and_then(|rest| rest.split('"').next())
        .expect("this device's key")
        .to_owned();
    let end = app
        .post_form(&laptop, &format!("/account/sessions/{current}/end"), &[])
        .await;
    assert_eq!(end.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.logged_in_as(&phone).await, None);
    assert_eq!(app.logged_in_as(&third).await.as_deref(), Some("bob"));
    // Ended already, or never one: a 404, nothing else ends.
    let again = app
        .post_form(&laptop, &format!("/account/sessions/{current}/end"), &[])
        .await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    let junk = app
        .post_form(&laptop, "/account/sessions/not-a-key/end", &[])
        .await;
    assert_eq!(junk.status(), StatusCode::NOT_FOUND);
    // Everywhere else: only the laptop stays.
    let others = app
        .post_form(&laptop, "/account/sessions/end-others", &[])
        .await;
    assert_eq!(others.status(), StatusCode::SEE_OTHER);
    let page = app.get_html(&laptop, "/account").await;
    assert!(
        page.contains("Every other device was signed out."),
        "{page}"
    );
    assert_eq!(session_keys(&page).len(), 1);
    assert!(!page.contains(r#"id="end-other-sessions""#));
    assert_eq!(app.logged_in_as(&third).await, None);
    assert_eq!(app.logged_in_as(&laptop).await.as_deref(), Some("bob"));
}

#[tokio::test]
async fn one_account_cannot_end_another_accounts_sessions() {
    let app = spawn_app().await;
    let carol = app.signed_up_user("carol").await;
    let dave = app.signed_up_user("dave").await;
    let daves = app.get_html(&dave, "/account").await;
    let key = session_keys(&daves).pop().expect("dave's session");
    let end = app
        .post_form(&carol, &format!("/account/sessions/{key}/end"), &[])
        .await;
    assert_eq!(end.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.logged_in_as(&dave).await.as_deref(), Some("dave"));
    // A visitor is sent to log in; a form without its token does nothing.
    let visitor = app
        .post_form(&browser(), &format!("/account/sessions/{key}/end"), &[])
        .await;
    assert!(location(&visitor).starts_with("/login"));
    let forged = app
        .post_form_without_token(&carol, "/account/sessions/end-others", &[])
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let forged = app
        .post_form_without_token(
            &carol,
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("password1", NEW_PASSWORD),
                ("password2", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.log_in(&browser(), "carol", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn the_account_page_speaks_korean() {
    let app = spawn_app().await;
    let erin = app.signed_up_user("erin").await;
    app.switch_language(&erin, "ko", "/account").await;
    let page = app.get_html(&erin, "/account").await;
    for words in ["비밀번호 변경", "로그인한 기기", "이 기기", "현재 비밀번호"]
    {
        assert!(page.contains(words), "{words} in {page}");
    }
    let wrong = app
        .post_form(
            &erin,
            "/account/password",
            &[
                ("current_password", "wrong password!"),
                ("password1", NEW_PASSWORD),
                ("password2", NEW_PASSWORD),
            ],
        )
        .await;
    assert!(
        wrong
            .text()
            .await
            .expect("body")
            .contains("현재 비밀번호가 아닙니다.")
    );
}
