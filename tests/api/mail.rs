//! Mail, delivered to a real SMTP server on 127.0.0.1 (aiosmtpd, `tests/mail_sink.py`) and read back as
//! delivered: a forgotten password reset by its link, addresses confirmed and moved, sign-ups that do not
//! tell whether an address is registered, notifications by mail as chosen, one-click unsubscribe, and a
//! mail server that is down.

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use reqwest::{Client, StatusCode};

use crate::helpers::{
    PASSWORD, ServerProcess, TestApp, browser, browser_at, location, spawn_app_with,
};

/// Where links in mail point: not the test server's own address, so the tests see `public_url` used.
const PUBLIC_URL: &str = "https://board.example.com";
const NEW_PASSWORD: &str = "a brand new passphrase";

/// An SMTP server that keeps what it receives, one JSON file per message.
pub struct MailSink {
    child: Child,
    dir: tempfile::TempDir,
    pub port: u16,
}

/// One message as the SMTP server received it.
#[derive(Clone, Debug)]
pub struct Delivered {
    pub from: String,
    pub to: Vec<String>,
    pub headers: Vec<(String, String)>,
    pub subject: String,
    pub body: String,
}

impl Delivered {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The first link in the body that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> String {
        let start = self
            .body
            .find(prefix)
            .unwrap_or_else(|| panic!("no link {prefix} in:\n{}", self.body));
        let rest = &self.body[start..];
        let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
        rest[..end].to_owned()
    }

    /// A link's path on the board (what follows the public address).
    pub fn path(&self, prefix: &str) -> String {
        self.link(&format!("{PUBLIC_URL}{prefix}"))[PUBLIC_URL.len()..].to_owned()
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("its address")
        .port()
}

impl MailSink {
    pub fn start() -> Self {
        Self::start_on(free_port())
    }

    pub fn start_on(port: u16) -> Self {
        let dir = tempfile::tempdir().expect("mail dir");
        let tests = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests");
        let child = Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "mail_sink.JsonDrop"])
            .arg(dir.path())
            .env("PYTHONPATH", &tests)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd (python3-aiosmtpd)");
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { child, dir, port }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message delivered so far.
    pub fn delivered(&self) -> Vec<Delivered> {
        read_dir(self.dir.path())
    }

    /// Waits (up to 15 s) until `count` messages have come for `to`; returns them all.
    pub async fn wait_for(&self, to: &str, count: usize) -> Vec<Delivered> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let found: Vec<Delivered> = self
                .delivered()
                .into_iter()
                .filter(|mail| mail.to.iter().any(|rcpt| rcpt == to))
                .collect();
            if found.len() >= count {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "{count} mail(s) for {to} did not come; delivered: {:#?}",
                self.delivered()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The newest message for `to` whose subject is `subject`, waiting for it.
    pub async fn mail(&self, to: &str, subject: &str) -> Delivered {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(found) = self
                .delivered()
                .into_iter()
                .find(|mail| mail.to.iter().any(|rcpt| rcpt == to) && mail.subject == subject)
            {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "no mail \"{subject}\" for {to}; delivered: {:#?}",
                self.delivered()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// How many messages went to `to`.
    pub fn count_for(&self, to: &str) -> usize {
        self.delivered()
            .iter()
            .filter(|mail| mail.to.iter().any(|rcpt| rcpt == to))
            .count()
    }
}

impl Drop for MailSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_dir(dir: &Path) -> Vec<Delivered> {
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(dir)
        .expect("mail dir")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| {
            let modified = std::fs::metadata(&path)
                .and_then(|meta| meta.modified())
                .expect("mtime");
            (modified, path)
        })
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|(_, path)| {
            let text = std::fs::read_to_string(&path).expect("a delivered mail");
            let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            let text_of = |value: &serde_json::Value| value.as_str().unwrap_or_default().to_owned();
            Delivered {
                from: text_of(&json["mail_from"]),
                to: json["rcpt_tos"]
                    .as_array()
                    .expect("recipients")
                    .iter()
                    .map(text_of)
                    .collect(),
                headers: json["headers"]
                    .as_array()
                    .expect("headers")
                    .iter()
                    .map(|pair| (text_of(&pair[0]), text_of(&pair[1])))
                    .collect(),
                subject: text_of(&json["subject"]),
                body: text_of(&json["body"]),
            }
        })
        .collect()
}

/// A board whose mail goes to `sink`, its links absolute from [`PUBLIC_URL`].
async fn board_mailing_to(sink: &MailSink) -> TestApp {
    let url = sink.url();
    spawn_app_with(move |config| {
        config.smtp_url = miniboard::config::SmtpUrl::parse(&url).expect("an SMTP URL");
        config.public_url = Some(PUBLIC_URL.to_owned());
        config.mail_from = "miniboard <noreply@board.example.com>".to_owned();
    })
    .await
}

/// Signs `username` up (with mail on, the page says to check the inbox), confirms the address with the
/// link that came, and logs in.
async fn confirmed_user(app: &TestApp, sink: &MailSink, username: &str) -> Client {
    let client = browser();
    let response = app.sign_up(&client, username).await;
    assert_eq!(response.status(), StatusCode::OK, "sign-up of {username}");
    assert!(response.text().await.expect("page").contains("check-inbox"));
    // No account until the link is opened.
    let too_soon = app.log_in(&browser(), username, PASSWORD).await;
    assert_eq!(too_soon.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let address = format!("{username}@example.com");
    let mail = sink.mail(&address, "Confirm your email address").await;
    let confirmed = confirm(app, &client, &mail.path("/email/verify/")).await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    assert!(
        confirmed
            .text()
            .await
            .expect("page")
            .contains(r#"data-outcome="created""#)
    );
    let logged_in = app.log_in(&client, username, PASSWORD).await;
    assert_eq!(logged_in.status(), StatusCode::SEE_OTHER);
    client
}

/// Opens a confirmation link as a person does: its page (which changes nothing), then its button.
async fn confirm(app: &TestApp, client: &Client, path: &str) -> reqwest::Response {
    let page = app.get(client, path).await;
    assert_eq!(page.status(), StatusCode::OK, "{path}");
    assert!(
        page.text()
            .await
            .expect("page")
            .contains(r#"id="confirm-address""#)
    );
    app.post_form(client, path, &[]).await
}

async fn forgot(app: &TestApp, client: &Client, email: &str) -> reqwest::Response {
    app.post_form(client, "/password/forgot", &[("email", email)])
        .await
}

/// A page with `address` and its form tokens taken out: what is left must not tell two answers apart.
fn page_shape(page: &str, address: &str) -> String {
    page.replace(address, "ADDRESS")
        .lines()
        .filter(|line| !line.contains("csrf"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Changes the password on the account page, from [`PASSWORD`] to [`NEW_PASSWORD`].
async fn change_password(app: &TestApp, client: &Client) -> reqwest::Response {
    app.post_form(
        client,
        "/account/password",
        &[
            ("current_password", PASSWORD),
            ("password1", NEW_PASSWORD),
            ("password2", NEW_PASSWORD),
        ],
    )
    .await
}

/// Asks on the account page to move the account to `email`.
async fn ask_to_move(
    app: &TestApp,
    client: &Client,
    email: &str,
    current_password: &str,
) -> reqwest::Response {
    app.post_form(
        client,
        "/account/email",
        &[("email", email), ("current_password", current_password)],
    )
    .await
}

/// Sends `address` a reset mail and waits for it: mail goes out in the order it was queued, so whatever
/// was queued before has been sent (or passed over) by then.
async fn fence(app: &TestApp, sink: &MailSink, address: &str) {
    let resets = |sink: &MailSink| {
        sink.delivered()
            .iter()
            .filter(|mail| {
                mail.to.iter().any(|to| to == address) && mail.subject == "Reset your password"
            })
            .count()
    };
    let before = resets(sink);
    let asked = forgot(app, &browser(), address).await;
    assert_eq!(asked.status(), StatusCode::OK);
    let deadline = Instant::now() + Duration::from_secs(15);
    while resets(sink) == before {
        assert!(
            Instant::now() < deadline,
            "the fence mail to {address} came"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_a_link_that_works_once() {
    let sink = MailSink::start();
    let app = board_mailing_to(&sink).await;
    confirmed_user(&app, &sink, "alice").await;
    let phone = browser();
    app.log_in(&phone, "alice", PASSWORD).await;
    assert_eq!(app.logged_in_as(&phone).await.as_deref(), Some("alice"));

    // The log-in page leads there.
    let visitor = browser();
    let login = app.get_html(&visitor, "/login").await;
    assert!(login.contains(r#"href="/password/forgot""#));
    // Typed in another case: addresses compare without it.
    let asked = forgot(&app, &visitor, "ALICE@example.com").await;
    assert_eq!(asked.status(), StatusCode::OK);
    let asked_page = asked.text().await.expect("page");
    // An address nobody has gets the same page, word for word but the address.
    let unknown = forgot(&app, &visitor, "nobody@example.com").await;
    assert_eq!(unknown.status(), StatusCode::OK);
    let unknown_page = unknown.text().await.expect("page");
    assert_eq!(
        page_shape(&asked_page, "ALICE@example.com"),
        page_shape(&unknown_page, "nobody@example.com")
    );

    let mail = sink.mail("alice@example.com", "Reset your password").await;
    assert_eq!(mail.from, "noreply@board.example.com");
    assert_eq!(
        mail.header("From"),
        Some("miniboard <noreply@board.example.com>")
    );
    assert_eq!(mail.header("To"), Some("alice@example.com"));
    assert!(mail.body.contains("alice"), "{}", mail.body);
    let link = mail.link(&format!("{PUBLIC_URL}/password/reset/"));
    let token = &link[link.rfind('/').expect("a token") + 1..];
    assert_eq!(token.len(), 64, "32 random bytes in hex");
    let kept = app
        .storage()
        .texts_of("SELECT token_hash FROM account_links");
    assert!(!kept.is_empty());
    assert!(
        kept.iter().all(|hash| hash != token),
        "the database keeps only the token's hash"
    );
    // Nobody has the other address: nothing went there.
    assert_eq!(sink.count_for("nobody@example.com"), 0);

    let path = mail.path("/password/reset/");
    let form = app.get_html(&visitor, &path).await;
    assert!(form.contains(r#"name="password1""#));
    let differ = app
        .post_form(
            &visitor,
            &path,
            &[("password1", NEW_PASSWORD), ("password2", "something else")],
        )
        .await;
    assert_eq!(differ.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let reset = app
        .post_form(
            &visitor,
            &path,
            &[("password1", NEW_PASSWORD), ("password2", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(reset.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&reset), "/");
    assert_eq!(app.logged_in_as(&visitor).await.as_deref(), Some("alice"));
    // Every other session ended; the old password is no more, the new one works.
    assert_eq!(app.logged_in_as(&phone).await, None);
    let old = app.log_in(&browser(), "alice", PASSWORD).await;
    assert_eq!(old.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let new = app.log_in(&browser(), "alice", NEW_PASSWORD).await;
    assert_eq!(new.status(), StatusCode::SEE_OTHER);
    // Used once: the link is dead, its form too.
    let again = app.get(&browser(), &path).await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    assert!(again.text().await.expect("page").contains("link-invalid"));
    let replayed = app
        .post_form(
            &browser(),
            &path,
            &[
                ("password1", "third password!"),
                ("password2", "third password!"),
            ],
        )
        .await;
    assert_eq!(replayed.status(), StatusCode::NOT_FOUND);
    let still = app.log_in(&browser(), "alice", NEW_PASSWORD).await;
    assert_eq!(still.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_reset_link_lapses_after_an_hour_and_dies_when_the_password_changes() {
    let sink = MailSink::start();
    let app = board_mailing_to(&sink).await;
    let alice = confirmed_user(&app, &sink, "alice").await;
    forgot(&app, &browser(), "alice@example.com").await;
    let first = sink.mail("alice@example.com", "Reset your password").await;
    let lapsing = first.path("/password/reset/");
    assert_eq!(app.get(&browser(), &lapsing).await.status(), StatusCode::OK);
    let hour_left = app.storage().number_of(
        "SELECT max(expires_at - created_at) FROM account_links WHERE purpose = 'reset'",
    );
    assert_eq!(hour_left, 3600);
    app.storage().links_lapse_in(-1);
    assert_eq!(
        app.get(&browser(), &lapsing).await.status(),
        StatusCode::NOT_FOUND
    );

    // A new link, then the password changed on the account page: the link is void.
    forgot(&app, &browser(), "alice@example.com").await;
    let second = sink.wait_for("alice@example.com", 3).await;
    let fresh = second
        .iter()
        .rev()
        .find(|mail| mail.subject == "Reset your password")
        .expect("a second reset mail")
        .path("/password/reset/");
    assert_ne!(fresh, lapsing);
    assert_eq!(app.get(&browser(), &fresh).await.status(), StatusCode::OK);
    let changed = change_password(&app, &alice).await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&browser(), &fresh).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn forged_and_malformed_reset_links_are_not_found_and_change_nothing() {
    let sink = MailSink::start();
    let app = board_mailing_to(&sink).await;
    confirmed_user(&app, &sink, "alice").await;
    forgot(&app, &browser(), "alice@example.com").await;
    sink.mail("alice@example.com", "Reset your password").await;
    for path in [
        "/password/reset/abc".to_owned(),
        format!("/password/reset/{}", "0".repeat(64)),
        format!("/password/reset/{}", "A".repeat(64)),
        format!("/password/reset/{}", "é".repeat(32)),
    ] {
        assert_eq!(
            app.get(&browser(), &path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
        let posted = app
            .post_form(
                &browser(),
                &path,
                &[("password1", NEW_PASSWORD), ("password2", NEW_PASSWORD)],
            )
            .await;
        assert_eq!(posted.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let still = app.log_in(&browser(), "alice", PASSWORD).await;
    assert_eq!(still.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.storage()
            .number_of("SELECT count(*) FROM account_links WHERE purpose = 'reset'"),
        1,
        "the real link is still there, unused"
    );
    // A malformed address is said so; nothing is counted or sent.
    let malformed = forgot(&app, &browser(), "not an address").await;
    assert_eq!(malformed.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn reset_mail_to_one_address_is_limited_and_comes_in_the_language_asked_in() {
    let sink = MailSink::start();
    let app = board_mailing_to(&sink).await;
    confirmed_user(&app, &sink, "alice").await;
    let korean = browser();
    app.switch_language(&korean, "ko", "/").await;
    // Three mails to one address from one client an hour: the sign-up's confirmation was the first.
    for _ in 0..2 {
        let asked = forgot(&app, &korean, "alice@example.com").await;
        assert_eq!(asked.status(), StatusCode::OK);
    }
    let third = forgot(&app, &korean, "alice@example.com").await;
    assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(crate::helpers::retry_after(&third) > 0);
    let mails = sink.wait_for("alice@example.com", 3).await;
    let resets: Vec<&Delivered> = mails
        .iter()
        .filter(|mail| mail.subject == "비밀번호 재설정")
        .collect();
    assert_eq!(resets.len(), 2, "two resets in Korean, the third refused");
    assert!(resets[0].body.contains("비밀번호"), "{}", resets[0].body);
    assert!(
        resets[0]
            .body
            .contains(&format!("{PUBLIC_URL}/password/reset/"))
    );
}

/// Clients from many networks together fill an address's hourly cap (each under its own three), so that
/// nobody new gets a link to it; its owner, asking from where the account is signed in, still does.
/// Anyone else is answered as if a link went (a refusal would tell an address with an account from one
/// without), and nothing is sent.
#[tokio::test]
async fn an_address_flooded_from_many_networks_still_gets_its_owner_a_reset() {
    let sink = MailSink::start();
    let app = spawn_app_with({
        let url = sink.url();
        move |config| {
            config.smtp_url = miniboard::config::SmtpUrl::parse(&url).expect("an SMTP URL");
            config.public_url = Some(PUBLIC_URL.to_owned());
            config.trusted_proxies = vec![miniboard::config::TrustedProxy::Network {
                address: "127.0.0.1".parse().expect("ip"),
                prefix: 32,
            }];
        }
    })
    .await;
    confirmed_user(&app, &sink, "alice").await;
    for fence_owner in ["carol", "dave", "erin"] {
        confirmed_user(&app, &sink, fence_owner).await;
    }
    let logged_in = app.log_in(&browser_at("10.1.1.1"), "alice", PASSWORD).await;
    assert_eq!(logged_in.status(), StatusCode::SEE_OTHER);
    // A device she signed out of no longer speaks for her.
    let borrowed = browser_at("10.4.0.1");
    let signed_in = app.log_in(&borrowed, "alice", PASSWORD).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.log_out(&borrowed).await.status(), StatusCode::SEE_OTHER);
    // The sign-up's confirmation was the address's first mail this hour; then three from each of seven
    // networks, each under its own limits: the last two are over the address's cap.
    let asked = miniboard::domain::mail::MAIL_REQUESTS_PER_ADDRESS;
    for network in 1..=7 {
        let flooder = browser_at(&format!("10.2.0.{network}"));
        for _ in 0..3 {
            let answer = forgot(&app, &flooder, "alice@example.com").await;
            assert_eq!(answer.status(), StatusCode::OK, "network {network}");
        }
    }
    // Mail goes out in the order it was queued: once a fence's mail is in, what was asked before is too.
    let resets_to_alice = async |fence_address: &str| {
        fence(&app, &sink, fence_address).await;
        sink.delivered()
            .iter()
            .filter(|mail| {
                mail.to.iter().any(|to| to == "alice@example.com")
                    && mail.subject == "Reset your password"
            })
            .count()
    };
    // The sign-up's confirmation and the flood's resets up to the cap come (each request queues its mail
    // from a task of its own, so they are waited for); the fence then shows no more are on their way.
    sink.wait_for("alice@example.com", asked).await;
    let flooded = resets_to_alice("carol@example.com").await;
    assert_eq!(flooded, asked - 1, "the flood's, up to the cap");
    // Answered as if sent, and nothing sent: a stranger, and the device she signed out of.
    for network in ["10.3.0.1", "10.4.0.1"] {
        let quiet = forgot(&app, &browser_at(network), "alice@example.com").await;
        assert_eq!(quiet.status(), StatusCode::OK, "{network}");
    }
    assert_eq!(resets_to_alice("dave@example.com").await, flooded);
    // Alice, not logged in there now, asks from the network she is signed in from: hers comes.
    let owner = forgot(&app, &browser_at("10.1.1.1"), "alice@example.com").await;
    assert_eq!(owner.status(), StatusCode::OK);
    sink.wait_for("alice@example.com", asked + 1).await;
    assert_eq!(resets_to_alice("erin@example.com").await, flooded + 1);
    // Her own network is still held by the limits every client has.
    for _ in 0..2 {
        forgot(&app, &browser_at("10.1.1.1"), "alice@example.com").await;
    }
    let fourth = forgot(&app, &browser_at("10.1.1.1"), "alice@example.com").await;
    assert_eq!(fourth.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn signing_up_with_a_taken_address_looks_like_a_new_account_and_tells_its_owner() {
    let sink = MailSink::start();
    let app = board_mailing_to(&sink).await;
    confirmed_user(&app, &sink, "alice").await;
    let users_before = app.storage().rows_in("users");
    let mallory = browser();
    let fresh = app.sign_up(&mallory, "newcomer").await;
    let fresh_status = fresh.status();
    let fresh_page = fresh.text().await.expect("page");
    let taken = app
        .post_form(
            &mallory,
            "/signup",
            &[
                ("username", "mallory"),
                ("email", "Alice@Example.com"),
                ("password1", PASSWORD),
                ("password2", PASSWORD),
            ],
        )
        .await;
    assert_eq!(taken.status(), fresh_status);
    let taken_page = taken.text().await.expect("page");
    assert_eq!(
        page_shape(&taken_page, "Alice@Example.com"),
        page_shape(&fresh_page, "newcomer@example.com"),
        "the same page for a taken address as for a new one"
    );
    assert_eq!(
        app.storage().rows_in("users"),
        users_before,
        "no account either way until a link is opened"
    );
    assert_eq!(app.storage().rows_in("signup_links"), 1, "newcomer's");
    // Neither chosen password logs in yet: trying tells nothing.
    for name in ["newcomer", "mallory"] {
        let tried = app.log_in(&browser(), name, PASSWORD).await;
        assert_eq!(tried.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name}");
    }
    let told = sink
        .mail(
            "alice@example.com",
            "Someone tried to use your email address",
        )
        .await;
    assert!(told.body.contains(&format!("{PUBLIC_URL}/password/forgot")));
    // A taken name is still said: names are public.
    let name_taken = app
        .post_form(
            &browser(),
            "/signup",
            &[
                ("username", "alice"),
                ("email", "other@example.com"),
                ("password1", PASSWORD),
                ("password2", PASSWORD),
            ],
        )
        .await;
    assert_eq!(name_taken.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_new_address_is_confirmed_by_its_link_before_the_account_moves() {
    let sink = MailSink::start();
    let app = board_mailing_to(&sink).await;
    let alice = confirmed_user(&app, &sink, "alice").await;
    confirmed_user(&app, &sink, "bob").await;
    let account = app.get_html(&alice, "/account").await;
    assert!(account.contains(r#"data-verified="true""#));

    let wrong = ask_to_move(&app, &alice, "alice@new.example", "wrong one").await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let same = ask_to_move(&app, &alice, "ALICE@example.com", PASSWORD).await;
    assert_eq!(same.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let asked = ask_to_move(&app, &alice, "alice@new.example", PASSWORD).await;
    assert_eq!(asked.status(), StatusCode::SEE_OTHER);
    // Not moved yet: the account page says where it is going.
    let pending = app.get_html(&alice, "/account").await;
    assert!(
        pending.contains(r#"id="account-email">alice@example.com<"#),
        "{pending}"
    );
    assert!(pending.contains("pending-email"));
    assert!(pending.contains("alice@new.example"));

    let link = sink
        .mail("alice@new.example", "Confirm your new email address")
        .await;
    let opened = confirm(&app, &browser(), &link.path("/email/verify/")).await;
    assert_eq!(opened.status(), StatusCode::OK);
    let moved = app.get_html(&alice, "/account").await;
    assert!(moved.contains(r#"id="account-email">alice@new.example<"#));
    assert!(moved.contains(r#"data-verified="true""#));
    let told = sink
        .mail("alice@example.com", "Your email address was changed")
        .await;
    assert!(told.body.contains("alice@new.example"));
    // Used: the link does nothing twice.
    let twice = app.get(&browser(), &link.path("/email/verify/")).await;
    assert_eq!(twice.status(), StatusCode::NOT_FOUND);
    let twice = app
        .post_form(&browser(), &link.path("/email/verify/"), &[])
        .await;
    assert_eq!(twice.status(), StatusCode::NOT_FOUND);
    // Reset mail goes to the new address now.
    forgot(&app, &browser(), "alice@new.example").await;
    sink.mail("alice@new.example", "Reset your password").await;

    // Moving to bob's address: the same answer and the same account page (a pending move), but bob is
    // told instead, and nobody gets the link.
    let onto_bob = ask_to_move(&app, &alice, "bob@example.com", PASSWORD).await;
    assert_eq!(onto_bob.status(), StatusCode::SEE_OTHER);
    let pending = app.get_html(&alice, "/account").await;
    assert!(pending.contains("pending-email"));
    sink.mail("bob@example.com", "Someone tried to use your email address")
        .await;
    fence(&app, &sink, "bob@example.com").await;
    assert!(
        !sink
            .delivered()
            .iter()
            .any(|mail| mail.subject == "Confirm your new email address"
                && mail.to.iter().any(|to| to == "bob@example.com")),
        "no link to bob's address"
    );
    // A password change voids the pending move (whoever knew the old password could have asked for it).
    assert_eq!(
        app.storage().number_of(
            "SELECT count(*) FROM account_links WHERE purpose = 'verify' AND email = 'bob@example.com'"
        ),
        1
    );
    let changed = change_password(&app, &alice).await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    let alices_links = format!(
        "SELECT count(*) FROM account_links WHERE user_id = {}",
        app.storage().user_id("alice")
    );
    assert_eq!(app.storage().number_of(&alices_links), 0);
    assert!(
        !app.get_html(&alice, "/account")
            .await
            .contains("pending-email")
    );
}

#[tokio::test]
async fn notifications_are_mailed_as_chosen_and_stop_with_one_click() {
    let sink = MailSink::start();
    let app = board_mailing_to(&sink).await;
    let alice = confirmed_user(&app, &sink, "alice").await;
    let bob = confirmed_user(&app, &sink, "bob").await;
    let question = app
        .ask(
            &alice,
            "How do lifetimes work?",
            "I keep fighting the borrow checker.",
        )
        .await;
    let answer = app.answer(&bob, question, "Think of them as scopes.").await;
    let mail = sink
        .mail(
            "alice@example.com",
            "bob answered your question: How do lifetimes work?",
        )
        .await;
    assert!(
        mail.body
            .contains(&format!("{PUBLIC_URL}/answers/{answer}")),
        "{}",
        mail.body
    );
    let unsubscribe = mail.link(&format!("{PUBLIC_URL}/unsubscribe/"));
    assert_eq!(
        mail.header("List-Unsubscribe"),
        Some(format!("<{unsubscribe}>").as_str())
    );
    assert_eq!(
        mail.header("List-Unsubscribe-Post"),
        Some("List-Unsubscribe=One-Click")
    );

    // A comment is not mailed unless chosen: the reset mail after it is the fence that shows the sender
    // has been past it.
    app.comment(
        &bob,
        &format!("/questions/{question}"),
        "Also see the book.",
    )
    .await;
    fence(&app, &sink, "alice@example.com").await;
    assert!(
        !sink
            .delivered()
            .iter()
            .any(|mail| mail.subject.contains("commented")),
        "no comment mail"
    );

    // Choosing comments on the account page mails them.
    let chosen = app
        .post_form(
            &alice,
            "/account/mail",
            &[("answer", "on"), ("comment", "on")],
        )
        .await;
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER);
    let account = app.get_html(&alice, "/account").await;
    assert!(
        account.contains(r#"id="mail-comment" checked"#),
        "{account}"
    );
    app.comment(&bob, &format!("/questions/{question}"), "And the nomicon.")
        .await;
    sink.mail(
        "alice@example.com",
        "bob commented on your question: How do lifetimes work?",
    )
    .await;

    // The link's page asks first (opening it changes nothing); a forged one is not found.
    let path = &unsubscribe[PUBLIC_URL.len()..];
    let page = app.get(&browser(), path).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        app.get_html(&alice, "/account")
            .await
            .contains(r#"id="mail-answer" checked"#)
    );
    let bob_id = app.storage().user_id("bob");
    let forged = path.replacen(
        &format!("/unsubscribe/{}-", app.storage().user_id("alice")),
        &format!("/unsubscribe/{bob_id}-"),
        1,
    );
    let refused = browser()
        .post(app.url(&forged))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .expect("POST");
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    // One click, as a mail program sends it: no session, no form token.
    let clicked = browser()
        .post(app.url(path))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .expect("POST");
    assert_eq!(clicked.status(), StatusCode::OK);
    let account = app.get_html(&alice, "/account").await;
    assert!(!account.contains(r#"id="mail-answer" checked"#));
    assert!(
        account.contains(r#"id="mail-comment" checked"#),
        "the other choice stays"
    );
    let carol = confirmed_user(&app, &sink, "carol").await;
    app.answer(&carol, question, "Lifetimes are regions.").await;
    fence(&app, &sink, "alice@example.com").await;
    assert!(
        !sink
            .delivered()
            .iter()
            .any(|mail| mail.subject.starts_with("carol answered")),
        "unsubscribed: no answer mail"
    );
    // An account whose address is not confirmed gets nothing by mail but its confirmation link.
    let dave = confirmed_user(&app, &sink, "dave").await;
    app.storage()
        .change_sql("UPDATE users SET email_verified = 0 WHERE username = 'dave'");
    let daves = app
        .ask(&dave, "Unconfirmed asker here", "Hello there, board.")
        .await;
    app.answer(&bob, daves, "Welcome, dave.").await;
    fence(&app, &sink, "bob@example.com").await;
    assert_eq!(
        sink.count_for("dave@example.com"),
        1,
        "dave got his confirmation link only"
    );
}

#[tokio::test]
async fn mail_waits_in_the_queue_while_the_smtp_server_is_down() {
    let port = free_port();
    let app = spawn_app_with(move |config| {
        config.smtp_url = miniboard::config::SmtpUrl::parse(&format!("smtp://127.0.0.1:{port}"))
            .expect("an SMTP URL");
        config.public_url = Some(PUBLIC_URL.to_owned());
    })
    .await;
    // The sign-ups succeed though their mail cannot go.
    for name in ["alice", "bob"] {
        let signed_up = app.sign_up(&browser(), name).await;
        assert_eq!(signed_up.status(), StatusCode::OK);
    }
    let storage = app.storage();
    let deadline = Instant::now() + Duration::from_secs(15);
    while storage
        .number_of("SELECT count(*) FROM mail_queue WHERE attempts > 0 AND last_error <> ''")
        < 2
    {
        assert!(Instant::now() < deadline, "the sender tried and failed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(storage.rows_in("mail_queue"), 2, "both mails wait");
    // The server comes back; the retry comes due.
    let sink = MailSink::start_on(port);
    storage.mail_due_now();
    sink.mail("alice@example.com", "Confirm your email address")
        .await;
    sink.mail("bob@example.com", "Confirm your email address")
        .await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while storage.rows_in("mail_queue") > 0 {
        assert!(Instant::now() < deadline, "sent mail leaves the queue");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn mail_that_fails_for_a_day_is_given_up() {
    let port = free_port();
    let app = spawn_app_with(move |config| {
        config.smtp_url = miniboard::config::SmtpUrl::parse(&format!("smtp://127.0.0.1:{port}"))
            .expect("an SMTP URL");
    })
    .await;
    app.sign_up(&browser(), "alice").await;
    let storage = app.storage();
    assert_eq!(storage.rows_in("mail_queue"), 1);
    // After its first failure (a sending round in flight would write its own retry time over ours).
    let deadline = Instant::now() + Duration::from_secs(15);
    while storage.number_of("SELECT count(*) FROM mail_queue WHERE last_error <> ''") == 0 {
        assert!(Instant::now() < deadline, "the sender tried and failed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    storage.mail_queued_ago(24 * 60 * 60 + 1);
    storage.mail_due_now();
    let deadline = Instant::now() + Duration::from_secs(15);
    while storage.rows_in("mail_queue") > 0 {
        assert!(Instant::now() < deadline, "a day of failures: given up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn without_an_smtp_server_each_mail_is_written_to_the_log() {
    let dir = tempfile::tempdir().expect("dir");
    let server = ServerProcess::start(&dir.path().join("board.db"), &[]);
    let app_base = server.base.clone();
    let client = browser();
    let token = {
        let page = client
            .get(format!("{app_base}/signup"))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("page");
        crate::helpers::csrf_token_in(&page).expect("a token")
    };
    let signed_up = client
        .post(format!("{app_base}/signup"))
        .form(&crate::helpers::sign_up_form(
            "alice",
            "alice@example.com",
            &token,
        ))
        .send()
        .await
        .expect("POST");
    // Mail off: logged in at once, as before mail.
    assert_eq!(signed_up.status(), StatusCode::SEE_OTHER);
    let link = server.wait_for_log(|log| {
        log.find("/email/verify/").map(|at| {
            let rest = &log[at..];
            rest[..rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len())].to_owned()
        })
    });
    let link = link.expect("the confirmation mail, whole, in the log");
    assert!(server.log().contains("no smtp_url"));
    let page = client
        .get(format!("{app_base}{link}"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("page");
    let token = crate::helpers::csrf_token_in(&page).expect("the button's form");
    let confirmed = client
        .post(format!("{app_base}{link}"))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(confirmed.status(), StatusCode::OK);
    assert!(
        confirmed
            .text()
            .await
            .expect("page")
            .contains(r#"data-outcome="done""#)
    );
    // The access log keeps no link's token.
    let token_in_link = &link["/email/verify/".len()..];
    assert!(
        !server
            .log()
            .lines()
            .any(|line| line.contains("miniboard::access") && line.contains(token_in_link)),
        "a token in the access log"
    );
}

#[tokio::test]
async fn a_board_that_requires_a_confirmed_address_refuses_posts_until_it_is() {
    let app = spawn_app_with(|config| config.require_verified_email = true).await;
    let alice = app.signed_up_user("alice").await;
    let refused = app
        .post_form(
            &alice,
            "/questions",
            &[
                ("subject", "May I ask yet?"),
                ("content", "Before confirming."),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(
        refused
            .text()
            .await
            .expect("page")
            .contains("Confirm your email address first")
    );
    assert_eq!(app.storage().rows_in("questions"), 0);
    app.storage()
        .change_sql("UPDATE users SET email_verified = 1");
    app.ask(&alice, "May I ask now?", "After confirming.").await;
    assert_eq!(app.storage().rows_in("questions"), 1);
}

#[tokio::test]
async fn a_daily_digest_gathers_the_chosen_notifications_in_one_mail() {
    let sink = MailSink::start();
    let app = board_mailing_to(&sink).await;
    let alice = confirmed_user(&app, &sink, "alice").await;
    let bob = confirmed_user(&app, &sink, "bob").await;
    let chosen = app
        .post_form(
            &alice,
            "/account/mail",
            &[("answer", "on"), ("comment", "on"), ("digest", "on")],
        )
        .await;
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER);
    assert!(
        app.get_html(&alice, "/account")
            .await
            .contains(r#"id="mail-digest" checked"#)
    );
    // The last digest went just now: the next is a day away.
    app.storage().digests_sent_ago(0);
    let question = app
        .ask(&alice, "Digest me this", "What comes in a day?")
        .await;
    let answer = app.answer(&bob, question, "An answer, gathered.").await;
    app.comment(
        &bob,
        &format!("/questions/{question}"),
        "A comment, gathered too.",
    )
    .await;
    fence(&app, &sink, "alice@example.com").await;
    assert!(
        !sink
            .delivered()
            .iter()
            .any(|mail| mail.subject.starts_with("bob ")),
        "no mail each while the digest is chosen"
    );

    // A day on.
    app.storage().digests_sent_ago(24 * 60 * 60);
    let digest = sink
        .mail("alice@example.com", "Your day on miniboard: 2 unread")
        .await;
    assert!(
        digest
            .body
            .contains("bob answered your question: Digest me this")
    );
    assert!(
        digest
            .body
            .contains("bob commented on your question: Digest me this")
    );
    assert!(
        digest
            .body
            .contains(&format!("{PUBLIC_URL}/answers/{answer}"))
    );
    let unsubscribe = digest.link(&format!("{PUBLIC_URL}/unsubscribe/"));
    assert!(unsubscribe.contains("-digest-"), "{unsubscribe}");
    assert_eq!(
        digest.header("List-Unsubscribe"),
        Some(format!("<{unsubscribe}>").as_str())
    );

    // The next day's digest tells only what came since.
    app.answer(&bob, question, "A second answer, the next day.")
        .await;
    app.storage().digests_sent_ago(24 * 60 * 60);
    let next = sink
        .mail("alice@example.com", "Your day on miniboard: 3 unread")
        .await;
    assert_eq!(
        next.body.matches("bob answered your question").count(),
        1,
        "{}",
        next.body
    );
    assert!(!next.body.contains("commented"), "{}", next.body);

    // Nothing new, nothing sent.
    app.storage().digests_sent_ago(24 * 60 * 60);
    fence(&app, &sink, "alice@example.com").await;
    let digests = sink
        .delivered()
        .iter()
        .filter(|mail| mail.subject.starts_with("Your day on"))
        .count();
    assert_eq!(digests, 2);

    // Its one click stops every notification by mail.
    let clicked = browser()
        .post(app.url(&unsubscribe[PUBLIC_URL.len()..]))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .expect("POST");
    assert_eq!(clicked.status(), StatusCode::OK);
    let account = app.get_html(&alice, "/account").await;
    assert!(!account.contains(r#"id="mail-digest" checked"#));
    assert!(!account.contains(r#"id="mail-answer" checked"#));
}
