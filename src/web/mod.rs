//! HTTP: one module per resource, each with its `routes()`, and the layers every request passes through.

pub mod accounts;
pub mod answers;
pub mod board;
pub mod likes;
pub mod middleware;
pub mod page_cache;
pub mod questions;
pub mod session;
pub mod throttle;

use std::sync::Arc;

use poem::{
    Endpoint, EndpointExt, IntoEndpoint, Route, get, handler,
    http::StatusCode,
    middleware::{CookieJarManager, Csrf},
    session::ServerSession,
    web::{Data, cookie::SameSite},
};

use crate::{assets, config::Config, db::Db};

/// What handlers share.
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub throttle: throttle::LoginThrottle,
    /// Visitors' pages, until the next write.
    pub pages: page_cache::PageCache,
}

/// The whole application: static files and the health check bare, pages inside sessions, CSRF and error pages.
pub fn endpoint(state: Arc<AppState>, csrf_key: [u8; 32]) -> impl Endpoint + 'static {
    let secure = state.config.secure_cookies();
    let routes = [
        accounts::routes,
        questions::routes,
        answers::routes,
        likes::routes,
    ];
    let pages = routes
        .into_iter()
        .fold(Route::new(), |route, add| add(route))
        .around(middleware::verify_csrf)
        .around(middleware::error_pages)
        .with(session::RefreshSessionCookie::new(session::cookie_config(
            secure,
        )))
        .with(
            Csrf::new()
                .key(csrf_key)
                .cookie_name("miniboard_csrf")
                .secure(secure)
                .same_site(SameSite::Lax)
                .ttl(session::SESSION_TTL),
        )
        .with(ServerSession::new(
            session::cookie_config(secure),
            session::SqliteSessions::new(state.db.clone()),
        ))
        .around(page_cache::serve_visitor_pages);
    Route::new()
        .at("/static/*path", get(assets::serve))
        .at("/healthz", get(healthz))
        .nest("/", pages.into_endpoint())
        .around(middleware::log_and_secure)
        .data(state)
        // Outermost, so every layer (the log's language choice included) shares one cookie jar.
        .with(CookieJarManager::new())
}

/// `GET /healthz`: 200 when the database answers a query, 503 otherwise.
#[handler]
async fn healthz(state: Data<&Arc<AppState>>) -> (StatusCode, &'static str) {
    let answer = state
        .db
        .read(|conn| conn.query_row("SELECT 1", [], |row| row.get::<_, i64>(0)))
        .await;
    match answer {
        Ok(1) => (StatusCode::OK, "ok\n"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n"),
    }
}
