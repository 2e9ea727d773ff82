//! Sessions in SQLite behind poem's `ServerSession`, the current user, flash messages and the page context:
//! the per-request facts every handler needs, gathered once here instead of in each handler.

use std::{collections::BTreeMap, sync::Arc, time::Duration};

use poem::{
    Endpoint, FromRequest, IntoResponse, Middleware, Request, RequestBody, Response,
    http::{Method, header},
    session::{CookieConfig, Session, SessionStatus, SessionStorage},
    web::{
        CsrfToken,
        cookie::{Cookie, CookieJar, SameSite},
    },
};
use serde_json::Value;

use crate::{
    config::Config,
    domain,
    domain::{accounts::CurrentUser, policy::Role, redirect::LocalPath},
    error::AppError,
    i18n::Lang,
    store::{SessionOwner, Store},
    views::{Flash, PageContext},
};

/// A session lapses after this long without use.
pub const SESSION_TTL: Duration = Duration::from_secs(14 * 24 * 60 * 60);
/// A session in use has its expiry pushed forward at most this often, so reads rarely write.
const TOUCH_EVERY: i64 = 60 * 60;

const USER_KEY: &str = "user";
/// Where a session was opened: `{"agent": User-Agent, "address": client}`, set at log-in.
const DEVICE_KEY: &str = "device";
/// The longest User-Agent kept: enough to name a browser and system.
const AGENT_CHARS: usize = 300;
const FLASH_KEY: &str = "flash";
pub const LANG_COOKIE: &str = "lang";
/// A visitor's one-time message lives this long in its cookie at most.
const VISITOR_FLASH_SECONDS: u64 = 60;

/// The names of the board's own cookies. With Secure cookies (production) they carry the `__Host-` prefix,
/// which browsers only accept from this host, over https, for the whole site: a neighbouring subdomain
/// cannot plant a session or a CSRF nonce.
#[derive(Clone, Copy)]
pub struct CookieNames {
    pub session: &'static str,
    pub csrf: &'static str,
    pub flash: &'static str,
}

impl CookieNames {
    pub const fn new(secure: bool) -> Self {
        if secure {
            Self {
                session: "__Host-miniboard_session",
                csrf: "__Host-miniboard_csrf",
                flash: "__Host-miniboard_flash",
            }
        } else {
            Self {
                session: "miniboard_session",
                csrf: "miniboard_csrf",
                flash: "miniboard_flash",
            }
        }
    }

    pub fn for_config(config: &Config) -> Self {
        Self::new(config.secure_cookies())
    }

    /// Whether the request carries any cookie that makes its pages its own (a session or a message).
    pub fn personal(req: &Request) -> bool {
        [Self::new(true), Self::new(false)].iter().any(|names| {
            [names.session, names.flash]
                .iter()
                .any(|name| req.cookie().get(name).is_some())
        })
    }
}

/// The cookie that carries the session id: HttpOnly, SameSite=Lax, Secure when `secure`.
pub fn cookie_config(secure: bool) -> CookieConfig {
    CookieConfig::default()
        .name(CookieNames::new(secure).session)
        .path("/")
        .secure(secure)
        .http_only(true)
        .same_site(SameSite::Lax)
        .max_age(SESSION_TTL)
}

/// A cookie of the board's own: the whole site, HttpOnly, SameSite=Lax, Secure in production; it lasts for
/// the browser session unless given a max age.
pub fn private_cookie(name: &str, value: &str, config: &Config) -> Cookie {
    let mut cookie = Cookie::new_with_str(name, value);
    cookie.set_path("/");
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_secure(config.secure_cookies());
    cookie
}

/// Removes one of the board's cookies the way it was set (path `/`, Secure in production): a browser ignores a
/// removal with other attributes, always for a `__Host-` cookie.
pub fn remove_private_cookie(jar: &CookieJar, name: &str, config: &Config) {
    let mut gone = private_cookie(name, "", config);
    gone.make_removal();
    jar.add(gone);
}

/// poem's `SessionStorage` on the board's storage. Its writes do not count as board writes: a session
/// changes no page a visitor sees, so it must not empty the visitors' page cache.
pub struct StoredSessions {
    store: Store,
    /// A session ends this long after the log-in, however much it is used.
    lifetime: Duration,
}

impl StoredSessions {
    pub fn new(store: Store, lifetime: Duration) -> Self {
        Self { store, lifetime }
    }

    /// Sessions that began at or before this are over.
    fn born_after(&self, now: i64) -> i64 {
        now - self.lifetime.as_secs() as i64
    }
}

fn ttl_seconds() -> i64 {
    SESSION_TTL.as_secs() as i64
}

impl SessionStorage for StoredSessions {
    async fn load_session<'a>(
        &'a self,
        session_id: &'a str,
    ) -> poem::Result<Option<BTreeMap<String, Value>>> {
        let now = domain::now();
        let stored = self
            .store
            .load_session(session_id.to_owned(), now, self.born_after(now))
            .await
            .map_err(AppError::from)?;
        let Some(stored) = stored else {
            return Ok(None);
        };
        if stored.expires_at - now < ttl_seconds() - TOUCH_EVERY {
            self.store
                .extend_session(session_id.to_owned(), now + ttl_seconds(), now)
                .await
                .map_err(AppError::from)?;
        }
        // Entries this server did not write cannot be trusted: start over rather than fail the request.
        Ok(Some(
            serde_json::from_str(&stored.entries).unwrap_or_default(),
        ))
    }

    async fn update_session<'a>(
        &'a self,
        session_id: &'a str,
        entries: &'a BTreeMap<String, Value>,
        _expires: Option<Duration>,
    ) -> poem::Result<()> {
        let owner = owner_of(entries);
        let entries = serde_json::to_string(entries).map_err(AppError::internal)?;
        let now = domain::now();
        let expires_at = now + ttl_seconds();
        self.store
            .save_session(session_id.to_owned(), entries, owner, expires_at, now)
            .await
            .map_err(AppError::from)?;
        Ok(())
    }

    async fn remove_session<'a>(&'a self, session_id: &'a str) -> poem::Result<()> {
        self.store
            .remove_session(session_id.to_owned())
            .await
            .map_err(AppError::from)?;
        Ok(())
    }
}

/// Who a session's entries say it is for, and the device it was opened on.
fn owner_of(entries: &BTreeMap<String, Value>) -> SessionOwner {
    let user = entries
        .get(USER_KEY)
        .and_then(|user| serde_json::from_value::<CurrentUser>(user.clone()).ok())
        .map(|user| user.id);
    let device = entries.get(DEVICE_KEY);
    let text = |name: &str| {
        device
            .and_then(|device| device.get(name))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    SessionOwner {
        user,
        user_agent: text("agent"),
        address: text("address"),
    }
}

/// How often lapsed sessions are deleted; app servers sharing a database take turns.
const PURGE_EVERY: Duration = Duration::from_secs(60 * 60);

/// Deletes lapsed sessions at start and then hourly, for as long as the server runs. The hourly purge is
/// skipped when another app server on the same database did it in the last 50 minutes.
pub fn spawn_session_purger(store: Store, lifetime: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(PURGE_EVERY);
        let mut at_start = true;
        loop {
            every_hour.tick().await;
            let now = domain::now();
            let born_after = now - lifetime.as_secs() as i64;
            let unless_purged_after = if at_start {
                now
            } else {
                now - (PURGE_EVERY.as_secs() * 5 / 6) as i64
            };
            at_start = false;
            match store
                .purge_sessions(now, born_after, unless_purged_after)
                .await
            {
                Ok(None | Some(0)) => {}
                Ok(Some(purged)) => tracing::info!(purged, "purged expired sessions"),
                Err(err) => tracing::warn!(%err, "could not purge expired sessions"),
            }
            // Deleted accounts' names held long enough are free to take again.
            match crate::board::accounts::free_held_names(&store).await {
                Ok(0) => {}
                Ok(freed) => tracing::info!(freed, "freed the names of deleted accounts"),
                Err(err) => tracing::warn!(%err, "could not free deleted accounts' names"),
            }
        }
    })
}

/// Re-sends the session cookie of a session in use, so its 14 days count from the last visit, not the log-in.
/// (`ServerSession` sends the cookie only when the id changes.)
pub struct RefreshSessionCookie {
    config: Arc<CookieConfig>,
}

impl RefreshSessionCookie {
    pub fn new(config: CookieConfig) -> Self {
        Self {
            config: Arc::new(config),
        }
    }
}

impl<E: Endpoint> Middleware<E> for RefreshSessionCookie {
    type Output = RefreshSessionCookieEndpoint<E>;

    fn transform(&self, inner: E) -> Self::Output {
        RefreshSessionCookieEndpoint {
            inner,
            config: self.config.clone(),
        }
    }
}

pub struct RefreshSessionCookieEndpoint<E> {
    inner: E,
    config: Arc<CookieConfig>,
}

impl<E: Endpoint> Endpoint for RefreshSessionCookieEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Response> {
        let jar = req.cookie().clone();
        let session = req.extensions().get::<Session>().cloned();
        let response = self.inner.call(req).await?.into_response();
        let (Some(id), Some(session)) = (self.config.get_cookie_value(&jar), session) else {
            return Ok(response);
        };
        if session.is_empty() {
            // Nothing left to keep (a visitor whose last message was just shown, after logging out): the
            // row and the cookie go, and the visitor gets visitors' pages again. (A cookie naming no stored
            // session goes too: `ServerSession` removes only cookies of sessions it found.)
            session.purge();
            self.config.remove_cookie(&jar);
        } else if matches!(
            session.status(),
            SessionStatus::Unchanged | SessionStatus::Changed
        ) {
            // A renewed session has had its cookie set by `ServerSession` already.
            self.config.set_cookie_value(&jar, &id);
        }
        Ok(response)
    }
}

/// The logged-in user, if any.
pub fn current_user(session: &Session) -> Option<CurrentUser> {
    session.get(USER_KEY)
}

/// Logs `user` in under a new session id (no fixation), keeping pending flashes; the CSRF tokens of pages
/// shown before stop working.
pub fn log_in(req: &Request, session: &Session, user: &CurrentUser) {
    session.set(USER_KEY, user);
    let agent: String = req
        .header(header::USER_AGENT)
        .unwrap_or_default()
        .chars()
        .take(AGENT_CHARS)
        .collect();
    let address = req
        .extensions()
        .get::<super::middleware::ClientInfo>()
        .and_then(|client| client.ip)
        .map(|ip| ip.to_string())
        .unwrap_or_default();
    session.set(
        DEVICE_KEY,
        serde_json::json!({ "agent": agent, "address": address }),
    );
    session.renew();
    super::csrf::rotate_visitor_nonce(req);
}

/// Logs out: the stored session and its cookie go (a visitor has none), and so do the CSRF tokens of
/// pages shown before.
pub fn log_out(req: &Request, session: &Session) {
    session.purge();
    super::csrf::rotate_visitor_nonce(req);
}

/// Queues a message for a logged-in user's next page. A visitor never gets a stored session, so for them
/// this does nothing: see [`flash_visitor`].
pub fn flash(session: &Session, message: Flash) {
    if current_user(session).is_none() {
        return;
    }
    let mut pending: Vec<Flash> = session.get(FLASH_KEY).unwrap_or_default();
    pending.push(message);
    session.set(FLASH_KEY, pending);
}

/// Shows `message` on a visitor's next page, from a short-lived cookie instead of a stored session.
pub fn flash_visitor(req: &Request, message: Flash) {
    let Some(state) = req.data::<Arc<super::AppState>>() else {
        return;
    };
    let names = CookieNames::for_config(&state.config);
    let mut cookie = private_cookie(names.flash, message.code(), &state.config);
    cookie.set_max_age(Duration::from_secs(VISITOR_FLASH_SECONDS));
    req.cookie().add(cookie);
}

/// The visitor's message from its cookie, if any; the cookie goes once read.
fn take_visitor_flash(jar: &CookieJar, config: Option<&Config>) -> Option<Flash> {
    let config = config?;
    let names = CookieNames::for_config(config);
    let message = jar.get(names.flash)?.value_str().to_owned();
    remove_private_cookie(jar, names.flash, config);
    Flash::from_code(&message)
}

/// Outside `ServerSession`: a removed cookie of ours is removed the way it was set (path `/`, Secure in
/// production), or a browser ignores the removal (always, for a `__Host-` cookie).
pub async fn remove_cookies_properly<E: Endpoint>(
    next: Arc<E>,
    req: Request,
) -> poem::Result<Response> {
    let jar = req.cookie().clone();
    let state = req.data::<Arc<super::AppState>>().cloned();
    let names = state
        .as_ref()
        .map(|state| CookieNames::for_config(&state.config));
    let had_session = names.is_some_and(|names| jar.get(names.session).is_some());
    let response = next.call(req).await?.into_response();
    if let (Some(state), Some(names)) = (state, names)
        && had_session
        && jar.get(names.session).is_none()
    {
        remove_private_cookie(&jar, names.session, &state.config);
    }
    Ok(response)
}

/// Whether an htmx request wants a fragment: boosted links and history restores want the whole page.
pub fn wants_fragment(req: &Request) -> bool {
    req.header("HX-Request").is_some()
        && req.header("HX-Boosted").is_none()
        && req.header("HX-History-Restore-Request").is_none()
}

/// The language of this request.
pub fn request_lang(req: &Request) -> Lang {
    let cookie = req.cookie().get(LANG_COOKIE);
    Lang::choose(
        cookie.as_ref().map(|c| c.value_str()),
        req.header(header::ACCEPT_LANGUAGE),
    )
}

/// Path and query of the page the user is on: the request's own for a GET; for a form sent with POST (a page
/// shown again with its errors), the page the form was on, so "log in" and the language switch go back to a
/// page that exists rather than to the form's action (a GET there is a 405).
pub fn here(req: &Request) -> String {
    if req.method() != Method::GET {
        return referer_path(req).unwrap_or_else(|| "/".to_owned());
    }
    req.uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |pq| pq.as_str().to_owned())
}

/// What a page context is made of, taken from the request as cheap handles: a layer that needs a page only
/// when something fails keeps this, and reads the user and flashes only then.
pub struct PageSource {
    session: Option<Session>,
    jar: CookieJar,
    config: Option<Arc<Config>>,
    csrf_token: Option<String>,
    lang: Lang,
    here: String,
    utc_offset: time::UtcOffset,
    unread_notifications: Option<i64>,
    role: Role,
    open_flags: i64,
}

impl PageSource {
    pub fn of(req: &Request) -> Self {
        let standing = req
            .extensions()
            .get::<super::notifications::CurrentStanding>()
            .map(|standing| &standing.0);
        Self {
            session: req.extensions().get::<Session>().cloned(),
            jar: req.cookie().clone(),
            config: req
                .data::<Arc<super::AppState>>()
                .map(|state| state.config.clone()),
            csrf_token: req.extensions().get::<CsrfToken>().map(|t| t.0.clone()),
            lang: request_lang(req),
            here: here(req),
            utc_offset: req
                .data::<std::sync::Arc<super::AppState>>()
                .map_or(time::UtcOffset::UTC, |state| state.config.timezone),
            // Read for pages only: a fragment has no navbar to count in.
            unread_notifications: standing.map(|standing| standing.unread),
            role: standing.map(|standing| standing.role).unwrap_or_default(),
            open_flags: standing.map_or(0, |standing| standing.open_flags),
        }
    }

    /// Whether a user is logged in (the session is already loaded; this reads one entry).
    pub fn has_user(&self) -> bool {
        self.session.as_ref().and_then(current_user).is_some()
    }

    /// The page context. Pending flashes are taken only when `take_flashes`: an error page leaves them for
    /// the next real page.
    pub fn context(&self, take_flashes: bool) -> PageContext {
        let mut flashes = match &self.session {
            Some(session) if take_flashes && session.get::<Value>(FLASH_KEY).is_some() => {
                let pending = session.get(FLASH_KEY).unwrap_or_default();
                session.remove(FLASH_KEY);
                pending
            }
            _ => Vec::new(),
        };
        if take_flashes {
            flashes.extend(take_visitor_flash(&self.jar, self.config.as_deref()));
        }
        PageContext {
            lang: self.lang,
            user: self.session.as_ref().and_then(current_user),
            csrf_token: self.csrf_token.clone(),
            flashes,
            here: self.here.clone(),
            utc_offset: self.utc_offset,
            public_url: self
                .config
                .as_ref()
                .and_then(|config| config.public_url.clone()),
            unread_notifications: self.unread_notifications,
            role: self.role,
            open_flags: self.open_flags,
        }
    }
}

/// The page context of this request (see [`PageSource::context`]).
pub fn page_context(req: &Request, take_flashes: bool) -> PageContext {
    PageSource::of(req).context(take_flashes)
}

impl<'a> FromRequest<'a> for PageContext {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        // A fragment has no flash area: leave pending messages for the next full page.
        Ok(page_context(req, !wants_fragment(req)))
    }
}

/// A handler argument that only a logged-in user gets past; a visitor is sent to log in and brought back.
pub struct RequireUser(pub CurrentUser);

impl<'a> FromRequest<'a> for RequireUser {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        let user = req.extensions().get::<Session>().and_then(current_user);
        match user {
            Some(user) => Ok(Self(user)),
            None => Err(AppError::LoginRequired {
                next: come_back_to(req),
            }
            .into()),
        }
    }
}

/// Where a visitor should land after logging in: this page for a GET, else the page the form was on.
fn come_back_to(req: &Request) -> String {
    if req.method() == Method::GET && !wants_fragment(req) {
        return here(req);
    }
    referer_path(req).unwrap_or_else(|| "/".to_owned())
}

/// The page a form or button was on, when it is a page of this site (the Referer names this host).
pub fn referer_path(req: &Request) -> Option<String> {
    let uri = req
        .header(header::REFERER)?
        .parse::<poem::http::Uri>()
        .ok()?;
    let same_host = match (uri.authority(), req.header(header::HOST)) {
        (Some(authority), Some(host)) => authority.as_str().eq_ignore_ascii_case(host),
        (None, _) => true,
        (Some(_), None) => false,
    };
    if !same_host {
        return None;
    }
    LocalPath::parse(uri.path_and_query()?.as_str()).map(|p| p.as_str().to_owned())
}
