//! HTTP: one module per resource, each with its `routes()`, and the layers every request passes through.

pub mod accounts;
pub mod answers;
pub mod api_docs;
pub mod comments;
pub mod compression;
pub mod crawling;
pub mod csrf;
pub mod deletion;
pub mod feeds;
pub mod flags;
pub mod handler_kit;
pub mod likes;
pub mod limits;
pub mod mail;
pub mod middleware;
pub mod moderation;
pub mod notifications;
pub mod page_cache;
pub mod questions;
pub mod revisions;
pub mod session;
pub mod settings;
pub mod tags;
pub mod users;
pub mod views;

use std::sync::Arc;

use poem::{
    Endpoint, EndpointExt, IntoEndpoint, Route, get, handler, http::StatusCode,
    middleware::CookieJarManager, session::ServerSession, web::Data,
};

use crate::{assets, config::Config, search::SearchIndex, store::Store};

/// What handlers share.
pub struct AppState {
    pub store: Store,
    pub search: Arc<SearchIndex>,
    pub config: Arc<Config>,
    /// Password hashes, a few at a time.
    pub hashing: limits::HashingGate,
    /// Searches that missed the page cache, per client.
    pub searches: limits::SearchLimits,
    /// Visitors' pages, until the next write.
    pub pages: page_cache::PageCache,
    pub csrf_key: csrf::CsrfKey,
    /// Question views not yet written.
    pub views: crate::board::views::ViewBuffer,
    /// Sends the board's mail; also what signs and checks unsubscribe links.
    pub mailer: Arc<crate::mail::Mailer>,
    /// Makes one-use links' tokens (the mailer signs the same way).
    pub links: crate::signing::LinkKey,
}

/// The keys the server derives from its secret, one per purpose.
pub struct Keys {
    /// Signs CSRF tokens.
    pub csrf: [u8; 32],
    /// Hashes view counts' viewers.
    pub views: [u8; 32],
    /// Signs unsubscribe links.
    pub unsubscribe: [u8; 32],
    /// Signs one-use links' seeds into their tokens.
    pub links: [u8; 32],
}

/// Uncached searches one client may run in a minute (a person searches a few times a minute at most).
pub const SEARCHES_PER_MINUTE: usize = 60;

impl AppState {
    pub fn new(
        store: Store,
        search: Arc<SearchIndex>,
        config: Config,
        keys: Keys,
    ) -> anyhow::Result<Self> {
        let limit = |n: usize| config.rate_limits.then_some(n);
        let links = crate::signing::LinkKey(keys.links);
        let mailer = Arc::new(crate::mail::Mailer::new(
            &config,
            keys.unsubscribe,
            links.clone(),
        )?);
        Ok(Self {
            searches: limits::SearchLimits::new(limit(SEARCHES_PER_MINUTE)),
            store,
            search,
            config: Arc::new(config),
            hashing: Default::default(),
            pages: Default::default(),
            csrf_key: csrf::CsrfKey(keys.csrf),
            views: crate::board::views::ViewBuffer::new(keys.views),
            mailer,
            links,
        })
    }

    /// The limits on writing, unless `rate_limits` is off.
    pub fn write_limits(&self) -> Option<&crate::domain::writing::WriteLimits> {
        self.config.rate_limits.then_some(&self.config.write_limits)
    }

    /// Moves whenever what a visitor's page shows may have changed: a write to the board, or the search
    /// index taking one in (it follows the board a moment later).
    pub fn generation(&self) -> u64 {
        self.store
            .generation()
            .wrapping_add(self.search.generation())
    }

    /// Brings search up to date with a change this request made, so its author finds it at once. A failure
    /// is logged, not shown: the post is saved, and the indexer tries again within a second.
    pub async fn index_now(&self) {
        if let Err(err) = self.search.catch_up(&self.store).await {
            tracing::warn!(%err, "search index: could not take the change in yet");
        }
    }
}

/// The whole application: static files and the health check bare, pages inside sessions, CSRF and error pages.
pub fn endpoint(state: Arc<AppState>) -> impl Endpoint + 'static {
    let secure = state.config.secure_cookies();
    let routes = [
        accounts::routes,
        questions::routes,
        answers::routes,
        comments::routes,
        likes::routes,
        tags::routes,
        feeds::routes,
        users::routes,
        notifications::routes,
        settings::routes,
        mail::routes,
        moderation::routes,
        revisions::routes,
        flags::routes,
        deletion::routes,
        api_docs::routes,
    ];
    let pages = routes
        .into_iter()
        .fold(Route::new(), |route, add| add(route))
        .around(middleware::verify_csrf)
        .around(middleware::error_pages)
        .around(notifications::read_standing)
        // One type for the layers inside, so the compiler's queries over the whole stack stay shallow.
        .boxed()
        .with(session::RefreshSessionCookie::new(session::cookie_config(
            secure,
        )))
        .around(csrf::bind_tokens)
        .with(ServerSession::new(
            session::cookie_config(secure),
            session::StoredSessions::new(state.store.clone(), state.config.session_lifetime),
        ))
        .around(session::remove_cookies_properly)
        .around(page_cache::serve_visitor_pages)
        .around(views::count_question_views);
    // Shared: the API's reference page is a page, at an address inside `/api`.
    let pages = Arc::new(pages.into_endpoint());
    // Static files, the health check and what crawlers read: no session, no cookies.
    let bare = Route::new()
        .at("/static/*path", get(assets::serve))
        .at("/healthz", get(healthz));
    crawling::routes(bare)
        .at("/api/docs", pages.clone())
        .nest("/api", crate::api::endpoint(&state))
        .nest("/", pages)
        .around(compression::compress_responses)
        .around(compression::answer_revalidation)
        .around(middleware::log_and_secure)
        .data(state)
        // Outermost, so every layer (the log's language choice included) shares one cookie jar.
        .with(CookieJarManager::new())
}

/// `GET /healthz`: 200 when the database answers a query, 503 otherwise.
#[handler]
async fn healthz(state: Data<&Arc<AppState>>) -> (StatusCode, &'static str) {
    match state.store.ping().await {
        Ok(_) => (StatusCode::OK, "ok\n"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n"),
    }
}
