//! Test harness: a real server on a free port with a fresh database, and a browser-like client.

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use crate::storage::test_database;
use miniboard::{
    app::App,
    config::{Bind, Config, Database, Profile},
    store::Store,
};
use reqwest::{Client, Response, StatusCode, redirect::Policy};
use tokio::{sync::oneshot, task::JoinHandle};

pub const PASSWORD: &str = "correct horse battery";

/// A server running inside the test process.
pub struct TestApp {
    pub base: String,
    pub database: Database,
    /// Where the server keeps its search index: beside the database file, or named after it.
    pub search_dir: PathBuf,
    stop: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<std::io::Result<()>>>,
    // Kept so the temporary directory outlives the server.
    _dir: Option<tempfile::TempDir>,
}

/// A server on a fresh database in a temporary directory, with the per-client rate limits off (tests sign
/// up many users from one address); the tests of each limit turn them on with [`spawn_app_with`].
pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let db_path = dir.path().join("miniboard.db");
    let mut app = spawn_app_on(&db_path).await;
    app._dir = Some(dir);
    app
}

/// A server on a fresh database, with settings changed by `configure`.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = start(&dir.path().join("miniboard.db"), configure).await;
    app._dir = Some(dir);
    app
}

/// A server on a board seeded the way `miniboard seed` fills one (its search index built at start).
pub async fn spawn_app_seeded(plan: miniboard::seed::SeedPlan) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let db_path = dir.path().join("miniboard.db");
    let store = Store::open(&test_database(&db_path))
        .await
        .expect("open the store");
    miniboard::seed::run(&store, plan).await.expect("seed");
    drop(store);
    let mut app = spawn_app_on(&db_path).await;
    app._dir = Some(dir);
    app
}

/// A server on the given database file (it may exist already: restarts use this).
pub async fn spawn_app_on(db_path: &Path) -> TestApp {
    start(db_path, |_| {}).await
}

/// A server on the SQLite file at `db_path`, whichever engine the suite runs on (a copy's source).
pub async fn spawn_sqlite_app_on(db_path: &Path) -> TestApp {
    let path = db_path.to_owned();
    start(db_path, |config| {
        config.database = miniboard::config::Database::Sqlite(path);
    })
    .await
}

/// A second app server on the database of `db_path`, with a search index of its own in `search_dir`.
pub async fn spawn_another_app_on(db_path: &Path, search_dir: &Path) -> TestApp {
    spawn_another_app_with(db_path, search_dir, |_| {}).await
}

/// A second app server on the database of `db_path`, its settings changed by `configure`.
pub async fn spawn_another_app_with(
    db_path: &Path,
    search_dir: &Path,
    configure: impl FnOnce(&mut Config),
) -> TestApp {
    start(db_path, |config| {
        config.search_dir = Some(search_dir.to_owned());
        configure(config);
    })
    .await
}

/// Where a test server on `db_path` keeps its search index, whatever the engine.
pub fn search_dir_for(db_path: &Path) -> PathBuf {
    let mut dir = db_path.as_os_str().to_owned();
    dir.push(".search");
    PathBuf::from(dir)
}

async fn start(db_path: &Path, configure: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = Config::for_profile(Profile::Development);
    config.bind = Bind::Tcp("127.0.0.1:0".into());
    config.database = test_database(db_path);
    config.search_dir = Some(search_dir_for(db_path));
    config.rate_limits = false;
    configure(&mut config);
    let database = config.database.clone();
    let search_dir = config.search_dir();
    let app = App::build(config).await.expect("app builds");
    let base = format!("http://127.0.0.1:{}", app.port());
    let (stop, stopped) = oneshot::channel::<()>();
    let handle = tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));
    TestApp {
        base,
        database,
        search_dir,
        stop: Some(stop),
        handle: Some(handle),
        _dir: None,
    }
}

impl TestApp {
    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(handle) = self.handle.take() {
            handle
                .await
                .expect("server task")
                .expect("server stops cleanly");
        }
    }

    /// A look at what the app stored, for what no page shows.
    pub fn storage(&self) -> crate::storage::Probe {
        crate::storage::Probe::of(&self.database)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, client: &Client, path: &str) -> Response {
        client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_html(&self, client: &Client, path: &str) -> String {
        self.get(client, path).await.text().await.expect("body")
    }

    /// The body of a GET sent with extra headers (`Accept-Language`, htmx's `HX-*`).
    pub async fn get_html_with(
        &self,
        client: &Client,
        path: &str,
        headers: &[(&str, &str)],
    ) -> String {
        let mut request = client.get(self.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        body_of(request).await
    }

    /// A CSRF token as a page would hand it to this client: a logged-in user's pages carry one, a visitor's
    /// only on the account forms.
    pub async fn csrf_token(&self, client: &Client) -> String {
        for path in ["/", "/login"] {
            if let Some(token) = csrf_token_in(&self.get_html(client, path).await) {
                return token;
            }
        }
        panic!("neither the front page nor the log-in page carries a CSRF token")
    }

    /// Posts a form the way a browser does: with the page's CSRF token.
    pub async fn post_form(
        &self,
        client: &Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Response {
        let token = self.csrf_token(client).await;
        let mut body: Vec<(&str, &str)> = fields.to_vec();
        body.push(("csrf_token", &token));
        client
            .post(self.url(path))
            .form(&body)
            .send()
            .await
            .expect("POST")
    }

    /// Posts a form without any CSRF token.
    pub async fn post_form_without_token(
        &self,
        client: &Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Response {
        client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .expect("POST")
    }

    pub async fn sign_up(&self, client: &Client, username: &str) -> Response {
        let email = format!("{username}@example.com");
        self.post_form(
            client,
            "/signup",
            &[
                ("username", username),
                ("email", &email),
                ("password1", PASSWORD),
                ("password2", PASSWORD),
            ],
        )
        .await
    }

    /// A new client that has signed up (and so is logged in) as `username`.
    pub async fn signed_up_user(&self, username: &str) -> Client {
        let client = browser();
        let response = self.sign_up(&client, username).await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "sign-up of {username}"
        );
        client
    }

    /// Gives the account a role the way the operator does (`miniboard user role`).
    pub async fn grant(&self, username: &str, role: &str) {
        miniboard::board::moderation::set_role_from_shell(&self.database, username, role)
            .await
            .unwrap_or_else(|err| panic!("granting {username} {role}: {err}"));
    }

    /// A new client signed up as `username` and given `role` by the operator.
    pub async fn staff_user(&self, username: &str, role: &str) -> Client {
        let client = self.signed_up_user(username).await;
        self.grant(username, role).await;
        client
    }

    /// A new client signed up as `username`, then suspended until the end of tomorrow by `moderator`
    /// for `reason`.
    pub async fn suspended_user(&self, moderator: &Client, username: &str, reason: &str) -> Client {
        let client = self.signed_up_user(username).await;
        let response = self
            .post_form(
                moderator,
                &format!("/users/{username}/suspend"),
                &[("until", &tomorrow()), ("reason", reason)],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "suspending {username}"
        );
        client
    }

    pub async fn log_in(&self, client: &Client, username: &str, password: &str) -> Response {
        self.post_form(
            client,
            "/login",
            &[("username", username), ("password", password)],
        )
        .await
    }

    /// Switches the language with the navbar's form, as a browser sends it (from a page of this site).
    pub async fn switch_language(&self, client: &Client, lang: &str, next: &str) -> Response {
        client
            .post(self.url("/lang"))
            .header("origin", &self.base)
            .form(&[("lang", lang), ("next", next)])
            .send()
            .await
            .expect("POST /lang")
    }

    pub async fn log_out(&self, client: &Client) -> Response {
        self.post_form(client, "/logout", &[]).await
    }

    /// The name the navbar shows for this client, if logged in.
    pub async fn logged_in_as(&self, client: &Client) -> Option<String> {
        let html = self.get_html(client, "/").await;
        let start = html.find(r#"href="/account""#)?;
        let after = &html[start..];
        let name_start = after.find('>')? + 1;
        let name_end = after[name_start..].find('<')? + name_start;
        Some(after[name_start..name_end].to_owned())
    }
}

/// A client that keeps cookies and does not follow redirects, so tests see each 303.
pub fn browser() -> Client {
    browser_builder().build().expect("client")
}

/// A browser behind the trusted proxy at `address` (sent as `X-Forwarded-For`).
pub fn browser_at(address: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-forwarded-for", address.parse().expect("a header value"));
    browser_builder()
        .default_headers(headers)
        .build()
        .expect("client")
}

fn browser_builder() -> reqwest::ClientBuilder {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
}

/// The sign-up form's fields as a browser posts them, for requests built by hand.
pub fn sign_up_form<'a>(
    username: &'a str,
    email: &'a str,
    csrf_token: &'a str,
) -> [(&'static str, &'a str); 5] {
    [
        ("username", username),
        ("email", email),
        ("password1", PASSWORD),
        ("password2", PASSWORD),
        ("csrf_token", csrf_token),
    ]
}

pub fn csrf_token_in(html: &str) -> Option<String> {
    attribute_after(html, r#"name="csrf_token" value=""#)
}

/// The text up to the next `"` after `marker`.
pub fn attribute_after(html: &str, marker: &str) -> Option<String> {
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

pub fn location(response: &Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A client that sends exactly this `Cookie` header, keeps no cookies and follows no redirect.
pub fn client_with_cookies(cookies: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("cookie", cookies.parse().expect("cookie header"));
    Client::builder()
        .default_headers(headers)
        .redirect(Policy::none())
        .build()
        .expect("client")
}

/// The body of a GET of a full URL.
pub async fn page_text(client: &Client, url: &str) -> String {
    body_of(client.get(url)).await
}

/// Sends the request and reads its body as text.
async fn body_of(request: reqwest::RequestBuilder) -> String {
    request
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body")
}

/// The whole seconds of a `Retry-After` header.
pub fn retry_after(response: &Response) -> u64 {
    response
        .headers()
        .get("retry-after")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse().ok())
        .expect("Retry-After header")
}

/// The value of one cookie in the response's `Set-Cookie` headers.
pub fn set_cookie_value(response: &Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .find_map(|value| {
            let text = value.to_str().ok()?;
            let (pair, _) = text.split_once(';').unwrap_or((text, ""));
            let (key, value) = pair.split_once('=')?;
            (key.trim() == name).then(|| value.to_owned())
        })
}

/// The miniboard binary, run as an operator would, with a clean `MINIBOARD_*` environment.
pub fn miniboard_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_miniboard"));
    for (name, _) in std::env::vars() {
        if name.starts_with("MINIBOARD_") {
            command.env_remove(name);
        }
    }
    command.env("RUST_BACKTRACE", "0").stdin(Stdio::null());
    command
}

/// The binary serving on a free port, its log collected.
pub struct ServerProcess {
    pub child: Child,
    pub base: String,
    pub database: Database,
    pub search_dir: PathBuf,
    log: Arc<Mutex<String>>,
    // An empty working directory: the binary must need nothing beside it.
    _cwd: tempfile::TempDir,
}

impl ServerProcess {
    pub fn start(db_path: &Path, extra_env: &[(&str, &str)]) -> Self {
        let cwd = tempfile::tempdir().expect("working dir");
        let database = test_database(db_path);
        let mut command = miniboard_command();
        command
            .current_dir(cwd.path())
            .env("MINIBOARD_BIND", "127.0.0.1:0")
            .env("MINIBOARD_DATABASE", database.config_value())
            .env("MINIBOARD_SEARCH_DIR", search_dir_for(db_path))
            .env("MINIBOARD_LOG", "info")
            .envs(extra_env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("start miniboard");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut all = sink.lock().expect("log lock");
                all.push_str(&line);
                all.push('\n');
            }
        });
        let mut server = Self {
            child,
            base: String::new(),
            database,
            search_dir: search_dir_for(db_path),
            log,
            _cwd: cwd,
        };
        let address = server
            .wait_for_log(|log| {
                log.lines()
                    .find(|line| line.contains("miniboard is serving"))
                    .and_then(|line| line.split("address=").nth(1))
                    .and_then(|rest| rest.split_whitespace().next())
                    .map(str::to_owned)
            })
            .expect("the server reports its address");
        server.base = format!("http://{address}");
        server
    }

    /// A look at what the server stored.
    pub fn storage(&self) -> crate::storage::Probe {
        crate::storage::Probe::of(&self.database)
    }

    pub fn log(&self) -> String {
        self.log.lock().expect("log lock").clone()
    }

    /// Polls the log for up to 10 s until `find` returns something.
    pub fn wait_for_log<T>(&self, find: impl Fn(&str) -> Option<T>) -> Option<T> {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(found) = find(&self.log()) {
                return Some(found);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// SIGKILL: the server gets no chance to finish anything.
    pub fn kill_9(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("wait");
    }

    /// Sends SIGTERM and waits for the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = libc::pid_t::try_from(self.child.id()).expect("pid fits");
        // SAFETY: kill(2) on the pid of our own child, which has not been reaped yet.
        let sent = unsafe { libc::kill(pid, libc::SIGTERM) };
        assert_eq!(sent, 0, "SIGTERM delivered");
        self.child.wait().expect("wait")
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        // Only our own child, and only if still running.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl TestApp {
    /// Asks a question; returns its id.
    pub async fn ask(&self, client: &Client, subject: &str, content: &str) -> i64 {
        let response = self
            .post_form(
                client,
                "/questions",
                &[("subject", subject), ("content", content)],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "asking {subject:?}"
        );
        let location = location(&response);
        location
            .trim_start_matches("/questions/")
            .parse()
            .unwrap_or_else(|_| panic!("question id in {location}"))
    }

    /// Answers a question; returns the answer's id (from the `#answer-{id}` the redirect points at).
    pub async fn answer(&self, client: &Client, question: i64, content: &str) -> i64 {
        let response = self
            .post_form(
                client,
                &format!("/questions/{question}/answers"),
                &[("content", content)],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "answering {question}"
        );
        let location = location(&response);
        location
            .rsplit("#answer-")
            .next()
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("answer id in {location}"))
    }

    /// Comments on a post (`/questions/{id}` or `/answers/{id}`) without JavaScript; returns the comment's
    /// id (from the `#comment-{id}` the redirect points at).
    pub async fn comment(&self, client: &Client, post: &str, content: &str) -> i64 {
        let response = self
            .post_form(client, &format!("{post}/comments"), &[("content", content)])
            .await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "commenting on {post}"
        );
        let location = location(&response);
        location
            .rsplit("#comment-")
            .next()
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("comment id in {location}"))
    }

    /// Posts the way an htmx element (not a boosted form) does: the token in the header, `HX-Request` set.
    pub async fn htmx_post(
        &self,
        client: &Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Response {
        let token = self.csrf_token(client).await;
        client
            .post(self.url(path))
            .header("X-CSRF-Token", token)
            .header("HX-Request", "true")
            .form(fields)
            .send()
            .await
            .expect("POST")
    }

    /// Toggles a like the way the htmx button does.
    pub async fn like_with_htmx(&self, client: &Client, path: &str) -> Response {
        self.htmx_post(client, path, &[]).await
    }

    /// A GET as htmx sends it for a fragment.
    pub async fn htmx_get(&self, client: &Client, path: &str) -> Response {
        client
            .get(self.url(path))
            .header("HX-Request", "true")
            .send()
            .await
            .expect("GET")
    }
}

/// The ids a page lists in `data-{attribute}="…"` attributes, top to bottom (`question`, `answer`).
pub fn data_ids(html: &str, attribute: &str) -> Vec<i64> {
    let marker = format!(r#" data-{attribute}=""#);
    html.match_indices(&marker)
        .filter_map(|(at, marker)| {
            let rest = &html[at + marker.len()..];
            rest[..rest.find('"')?].parse().ok()
        })
        .collect()
}

/// The like count shown inside the element with id `element_id`, e.g. `question-3` or `answer-7`.
pub fn like_count_in(html: &str, element_id: &str) -> Option<i64> {
    let start = html.find(&format!(r#"id="{element_id}""#))?;
    attribute_after(&html[start..], r#"data-like-count=""#)?
        .parse()
        .ok()
}

/// Tomorrow's date (UTC) as YYYY-MM-DD.
pub fn tomorrow() -> String {
    (time::OffsetDateTime::now_utc() + time::Duration::days(1))
        .date()
        .to_string()
}

/// Sends an API request (`path` under `/api/v1`) with a token and an optional JSON body; its status and
/// JSON body (`Null` when it has none).
pub async fn api_call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> (StatusCode, serde_json::Value) {
    let mut request = Client::new()
        .request(method, app.url(&format!("/api/v1{path}")))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().await.expect("API request");
    let status = response.status();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or_default())
}
