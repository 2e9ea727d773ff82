//! Sessions: cookie attributes, new ids at log-in and log-out, expiry, and surviving a restart.

use reqwest::StatusCode;

use crate::{
    helpers::{PASSWORD, ServerProcess, browser, set_cookie_value, spawn_app, spawn_app_on},
    storage::Rows,
};

const SESSION_COOKIE: &str = "miniboard_session";

/// How the database stores a session id: its SHA-256, never the id.
fn stored(id: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(id.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A client that presents `session_id` as its session cookie.
fn client_with_session(session_id: &str) -> reqwest::Client {
    crate::helpers::client_with_cookies(&format!("{SESSION_COOKIE}={session_id}"))
}

#[tokio::test]
async fn the_session_cookie_is_httponly_and_samesite_lax() {
    let app = spawn_app().await;
    let client = browser();
    let response = app.sign_up(&client, "alice").await;
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(SESSION_COOKIE))
        .expect("session cookie")
        .to_owned();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Max-Age=1209600"), "14 days: {cookie}");
    // Development serves plain http, where browsers drop Secure cookies.
    assert!(!cookie.contains("Secure"), "{cookie}");
    app.stop().await;
}

#[tokio::test]
async fn logging_in_issues_a_new_session_id_and_retires_the_old_one() {
    let app = spawn_app().await;
    let setup = app.signed_up_user("bob").await;
    app.log_out(&setup).await;

    let client = browser();
    let response = app.sign_up(&client, "carol").await;
    let first = set_cookie_value(&response, SESSION_COOKIE).expect("session after sign-up");
    let response = app.log_out(&client).await;
    assert_eq!(
        set_cookie_value(&response, SESSION_COOKIE).as_deref(),
        Some(""),
        "log-out removes the cookie"
    );
    assert!(
        !app.storage().session_keys().contains(&stored(&first)),
        "the old row is gone"
    );

    let response = app.log_in(&client, "bob", PASSWORD).await;
    let logged_in = set_cookie_value(&response, SESSION_COOKIE).expect("new id at log-in");
    assert_ne!(first, logged_in, "log-in makes a new id");
    let rows = app.storage().session_keys();
    assert!(rows.contains(&stored(&logged_in)));
    assert_eq!(rows.len(), 1, "bob's first session went at his log-out");

    // The retired id logs nobody in.
    assert_eq!(app.logged_in_as(&client_with_session(&first)).await, None);
    assert_eq!(
        app.logged_in_as(&client_with_session(&logged_in))
            .await
            .as_deref(),
        Some("bob")
    );
    app.stop().await;
}

#[tokio::test]
async fn logging_out_leaves_no_session_and_shows_the_message_from_a_short_cookie() {
    let app = spawn_app().await;
    let client = app.signed_up_user("dora").await;
    let response = app.log_out(&client).await;
    assert!(
        app.storage().session_keys().is_empty(),
        "no row for a visitor"
    );
    let removal = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with(&format!("{SESSION_COOKIE}=")))
        .expect("the cookie is removed")
        .to_owned();
    assert!(
        removal.contains("Max-Age=0") && removal.contains("Path=/"),
        "removed where it was set: {removal}"
    );
    let message = set_cookie_value(&response, "miniboard_flash").expect("message cookie");
    assert_eq!(message, "logged_out");

    let page = app.get(&client, "/").await;
    assert_eq!(
        set_cookie_value(&page, "miniboard_flash").as_deref(),
        Some(""),
        "shown once"
    );
    assert!(
        page.text()
            .await
            .expect("body")
            .contains("You are logged out.")
    );
    assert!(
        !app.get_html(&client, "/")
            .await
            .contains("You are logged out.")
    );
    assert!(app.storage().session_keys().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn a_visitor_cannot_make_the_board_store_sessions() {
    let app = spawn_app().await;
    let visitor = browser();
    for _ in 0..20 {
        let response = app.log_out(&visitor).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    assert!(
        app.storage().session_keys().is_empty(),
        "{:?}",
        app.storage().session_keys()
    );
    app.stop().await;
}

#[tokio::test]
async fn the_database_holds_no_usable_session_id() {
    let app = spawn_app().await;
    let client = browser();
    let response = app.sign_up(&client, "ivan").await;
    let id = set_cookie_value(&response, SESSION_COOKIE).expect("session");
    let rows = app.storage().session_keys();
    assert_eq!(rows, vec![stored(&id)]);
    assert!(!rows.contains(&id));
    // What the file holds, presented as a cookie, logs nobody in.
    assert_eq!(app.logged_in_as(&client_with_session(&rows[0])).await, None);
    assert_eq!(
        app.logged_in_as(&client_with_session(&id)).await.as_deref(),
        Some("ivan")
    );
    app.stop().await;
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_lifetime_however_much_it_is_used() {
    let app = spawn_app().await;
    let client = app.signed_up_user("jade").await;
    assert_eq!(app.logged_in_as(&client).await.as_deref(), Some("jade"));
    // Used every day, but the log-in was 31 days ago (the default lifetime is 30).
    app.storage().sessions_began_ago(31 * 86400);
    assert_eq!(app.logged_in_as(&client).await, None);
    app.stop().await;
}

#[tokio::test]
async fn a_logged_in_users_pages_are_not_stored_by_the_browser() {
    let app = spawn_app().await;
    let visitor = browser();
    let page = app.get(&visitor, "/").await;
    assert_eq!(header(&page, "cache-control"), "private, no-cache");
    let user = app.signed_up_user("kim").await;
    for path in ["/", "/account"] {
        let page = app.get(&user, path).await;
        assert_eq!(header(&page, "cache-control"), "no-store", "{path}");
    }
    app.stop().await;
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_planted_session_id_is_ignored_and_never_adopted() {
    let app = spawn_app().await;
    app.signed_up_user("dora").await;
    let planted = "attacker-chosen-session-id";
    let client = client_with_session(planted);
    let html = crate::helpers::page_text(&client, &app.url("/")).await;
    assert!(html.contains(r#"href="/login""#));
    assert!(!app.storage().session_keys().contains(&planted.to_owned()));
    app.stop().await;
}

#[tokio::test]
async fn an_expired_session_logs_nobody_in_and_is_purged() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("miniboard.db");
    let app = spawn_app_on(&db).await;
    let client = app.signed_up_user("erin").await;
    let storage = app.storage();
    app.stop().await;

    // Fourteen days pass without a visit.
    storage.sessions_lapse_in(-1);
    let app = spawn_app_on(&db).await;
    assert_eq!(app.logged_in_as(&client).await, None);
    // The purger runs at start and then hourly.
    let mut purged = false;
    for _ in 0..100 {
        if storage.count(Rows::Sessions) == 0 {
            purged = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(purged, "expired rows are deleted");
    app.stop().await;
}

/// App servers sharing a database purge in turn: an hourly purge finds another server's recent purge and
/// skips; a purge at start always runs.
#[tokio::test]
async fn a_periodic_purge_runs_once_for_all_servers() {
    let app = spawn_app().await;
    let client = app.signed_up_user("gus").await;
    app.storage().sessions_lapse_in(-1);
    // A log-in attempt that left every window long ago, and one that has not.
    app.log_in(&crate::helpers::browser(), "gus", "guess").await;
    app.storage().login_attempts_made_ago(2 * 3_600);
    app.log_in(&crate::helpers::browser(), "gus", "guess").await;
    let store = miniboard::store::Store::open(&app.database)
        .await
        .expect("the store, as another server opens it");
    let now = miniboard::domain::now();
    // A purge at start always runs: the lapsed session goes.
    let purged = store.purge_sessions(now, 0, now).await.expect("purge");
    assert_eq!(purged, Some(1));
    assert_eq!(app.storage().count(Rows::Sessions), 0);
    if let Some(kept) = app.storage().login_attempt_rows() {
        assert_eq!(kept, 1, "the purge also drops attempts out of every window");
    }
    assert_eq!(app.logged_in_as(&client).await, None);
    // An hourly purge on another server, moments later, finds it done and skips.
    let _again = app.signed_up_user("hal").await;
    app.storage().sessions_lapse_in(-1);
    let skipped = store
        .purge_sessions(now, 0, now - 3_000)
        .await
        .expect("purge");
    assert_eq!(skipped, None);
    assert_eq!(app.storage().count(Rows::Sessions), 1, "nothing purged");
    // An hour on, whoever comes first purges, and the next skips.
    let later = now + 3_600;
    let first = store.purge_sessions(later, 0, later - 3_000).await;
    assert_eq!(
        first.expect("purge"),
        Some(1),
        "the session left lapsed goes"
    );
    let next = store.purge_sessions(later, 0, later - 3_000).await;
    assert_eq!(next.expect("purge"), None);
    app.stop().await;
}

#[tokio::test]
async fn a_session_in_use_has_its_expiry_pushed_forward() {
    let app = spawn_app().await;
    let client = app.signed_up_user("faye").await;
    // Pretend the last visit was ten days ago: four days left.
    app.storage().sessions_lapse_in(4 * 86400);
    let response = app.get(&client, "/").await;
    assert!(
        set_cookie_value(&response, SESSION_COOKIE).is_some(),
        "the cookie is re-sent"
    );
    let left = app.storage().session_seconds_left();
    assert!(left > 13 * 86400, "{left} seconds left");
    app.stop().await;
}

#[tokio::test]
async fn a_session_and_its_forms_survive_a_restart() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("miniboard.db");
    let app = spawn_app_on(&db).await;
    let client = app.signed_up_user("gina").await;
    let token = app.csrf_token(&client).await;
    app.stop().await;

    let app = spawn_app_on(&db).await;
    assert_eq!(app.logged_in_as(&client).await.as_deref(), Some("gina"));
    // A form rendered before the restart still posts: the development key was kept in the database.
    let response = client
        .post(app.url("/logout"))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    app.stop().await;
}

#[tokio::test]
async fn production_cookies_are_secure() {
    let dir = tempfile::tempdir().expect("dir");
    let server = ServerProcess::start(
        &dir.path().join("miniboard.db"),
        &[
            ("MINIBOARD_PROFILE", "production"),
            ("MINIBOARD_SECRET_KEY", "0123456789abcdef0123456789abcdef"),
            ("MINIBOARD_PUBLIC_URL", "https://board.example.com"),
        ],
    );
    let full_cookie = |response: &reqwest::Response, name: &str| {
        response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_owned)
    };
    let page = reqwest::get(format!("{}/signup", server.base))
        .await
        .expect("GET");
    let csrf_cookie = full_cookie(&page, "__Host-miniboard_csrf").expect("csrf cookie");
    assert!(csrf_cookie.contains("Secure"), "{csrf_cookie}");
    assert!(csrf_cookie.contains("HttpOnly"), "{csrf_cookie}");

    // A client that keeps cookies would not send Secure ones over http: pass the CSRF cookie by hand.
    let csrf_pair = csrf_cookie.split(';').next().expect("pair").to_owned();
    let token = crate::helpers::csrf_token_in(&page.text().await.expect("body")).expect("token");
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .post(format!("{}/signup", server.base))
        .header("cookie", csrf_pair)
        .form(&crate::helpers::sign_up_form(
            "henry",
            "henry@example.com",
            &token,
        ))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let session_cookie = full_cookie(&response, "__Host-miniboard_session")
        .expect("session cookie, __Host- in production");
    assert!(session_cookie.contains("Secure"), "{session_cookie}");
    assert!(session_cookie.contains("Path=/"), "{session_cookie}");
    assert!(!session_cookie.contains("Domain"), "{session_cookie}");
    assert!(server.terminate().success());
}
