//! Sessions in SQLite behind poem's `ServerSession`, the current user, flash messages and the page context:
//! the per-request facts every handler needs, gathered once here instead of in each handler.

use std::{collections::BTreeMap, sync::Arc, time::Duration};

use poem::{
    Endpoint, FromRequest, IntoResponse, Middleware, Request, RequestBody, Response,
    http::{Method, header},
    session::{CookieConfig, Session, SessionStatus, SessionStorage},
    web::{CsrfToken, cookie::SameSite},
};
use serde_json::Value;

use crate::{
    db::{self, Db, sessions},
    domain::{accounts::CurrentUser, redirect::LocalPath},
    error::AppError,
    i18n::Lang,
    views::{Flash, PageContext},
};

/// A session lapses after this long without use.
pub const SESSION_TTL: Duration = Duration::from_secs(14 * 24 * 60 * 60);
/// A session in use has its expiry pushed forward at most this often, so reads rarely write.
const TOUCH_EVERY: i64 = 60 * 60;

pub const SESSION_COOKIE: &str = "miniboard_session";
const USER_KEY: &str = "user";
const FLASH_KEY: &str = "flash";
pub const LANG_COOKIE: &str = "lang";

/// The cookie that carries the session id: HttpOnly, SameSite=Lax, Secure when `secure`.
pub fn cookie_config(secure: bool) -> CookieConfig {
    CookieConfig::default()
        .name(SESSION_COOKIE)
        .path("/")
        .secure(secure)
        .http_only(true)
        .same_site(SameSite::Lax)
        .max_age(SESSION_TTL)
}

/// poem's `SessionStorage` on the `sessions` table.
pub struct SqliteSessions {
    db: Db,
}

impl SqliteSessions {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

fn ttl_seconds() -> i64 {
    SESSION_TTL.as_secs() as i64
}

impl SessionStorage for SqliteSessions {
    async fn load_session<'a>(
        &'a self,
        session_id: &'a str,
    ) -> poem::Result<Option<BTreeMap<String, Value>>> {
        let now = db::now();
        let id = session_id.to_owned();
        let stored = self
            .db
            .read(move |conn| sessions::load(conn, &id, now))
            .await
            .map_err(AppError::from)?;
        let Some(stored) = stored else {
            return Ok(None);
        };
        if stored.expires_at - now < ttl_seconds() - TOUCH_EVERY {
            let id = session_id.to_owned();
            self.db
                .write(move |tx| sessions::extend(tx, &id, now + ttl_seconds()))
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
        let id = session_id.to_owned();
        let entries = serde_json::to_string(entries).map_err(AppError::internal)?;
        let expires_at = db::now() + ttl_seconds();
        self.db
            .write(move |tx| sessions::save(tx, &id, &entries, expires_at))
            .await
            .map_err(AppError::from)?;
        Ok(())
    }

    async fn remove_session<'a>(&'a self, session_id: &'a str) -> poem::Result<()> {
        let id = session_id.to_owned();
        self.db
            .write(move |tx| sessions::remove(tx, &id))
            .await
            .map_err(AppError::from)?;
        Ok(())
    }
}

/// Deletes lapsed sessions now and then every hour, for as long as the server runs.
pub fn spawn_session_purger(db: Db) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(Duration::from_secs(60 * 60));
        loop {
            every_hour.tick().await;
            match db.write(|tx| sessions::purge_expired(tx, db::now())).await {
                Ok(0) => {}
                Ok(purged) => tracing::info!(purged, "purged expired sessions"),
                Err(err) => tracing::warn!(%err, "could not purge expired sessions"),
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

/// Logs `user` in under a new session id (no fixation), keeping pending flashes.
pub fn log_in(session: &Session, user: &CurrentUser) {
    session.set(USER_KEY, user);
    session.renew();
}

/// Logs out: every entry goes and the session id changes.
pub fn log_out(session: &Session) {
    session.clear();
    session.renew();
}

/// Queues a message for the next page shown.
pub fn flash(session: &Session, message: Flash) {
    let mut pending: Vec<Flash> = session.get(FLASH_KEY).unwrap_or_default();
    pending.push(message);
    session.set(FLASH_KEY, pending);
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

/// Path and query of the request, as the user sees it.
pub fn here(req: &Request) -> String {
    req.uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |pq| pq.as_str().to_owned())
}

/// What a page context is made of, taken from the request as cheap handles: a layer that needs a page only
/// when something fails keeps this, and reads the user and flashes only then.
pub struct PageSource {
    session: Option<Session>,
    csrf_token: Option<String>,
    lang: Lang,
    here: String,
    utc_offset: time::UtcOffset,
}

impl PageSource {
    pub fn of(req: &Request) -> Self {
        Self {
            session: req.extensions().get::<Session>().cloned(),
            csrf_token: req.extensions().get::<CsrfToken>().map(|t| t.0.clone()),
            lang: request_lang(req),
            here: here(req),
            utc_offset: req
                .data::<std::sync::Arc<super::AppState>>()
                .map_or(time::UtcOffset::UTC, |state| state.config.timezone),
        }
    }

    /// The page context. Pending flashes are taken only when `take_flashes`: an error page leaves them for
    /// the next real page.
    pub fn context(self, take_flashes: bool) -> PageContext {
        let flashes = match &self.session {
            Some(session) if take_flashes && session.get::<Value>(FLASH_KEY).is_some() => {
                let pending = session.get(FLASH_KEY).unwrap_or_default();
                session.remove(FLASH_KEY);
                pending
            }
            _ => Vec::new(),
        };
        PageContext {
            lang: self.lang,
            user: self.session.as_ref().and_then(current_user),
            csrf_token: self.csrf_token,
            flashes,
            here: self.here,
            utc_offset: self.utc_offset,
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
