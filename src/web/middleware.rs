//! Cross-cutting layers: request ids and the access log, security headers, error pages and the CSRF check.

use std::{net::IpAddr, panic::AssertUnwindSafe, sync::Arc, time::Instant};

use futures_util::FutureExt;
use poem::{
    Endpoint, IntoResponse, Request, Response,
    error::ReadBodyError,
    http::{HeaderValue, Method, StatusCode, header},
};
use rand::Rng;

use super::{
    AppState,
    csrf::ExpectedSecret,
    session::{PageSource, request_lang, wants_fragment},
};
use crate::{
    config::TrustedProxy,
    domain::moderation::last_day,
    error::{AppError, whole_seconds},
    i18n::fill,
    views::{
        PageContext,
        errors::{ErrorView, error_fragment, error_page},
        layout::login_href,
    },
};

/// The largest request body accepted (nginx's `client_max_body_size` matches it).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Identifies one request in the log and on its error page.
#[derive(Clone)]
pub struct RequestId(pub String);

impl RequestId {
    fn new() -> Self {
        Self(format!("{:016x}", rand::rng().random::<u64>()))
    }
}

const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Who is on the other end: the peer, or the client a trusted proxy forwarded for.
#[derive(Clone, Copy, Debug)]
pub struct ClientInfo {
    /// `None` for a peer on the unix socket with no trusted forwarded address.
    pub ip: Option<IpAddr>,
    /// The client reached the proxy over https (a trusted `X-Forwarded-Proto`).
    pub https: bool,
}

impl ClientInfo {
    /// Believes `X-Forwarded-For` / `X-Forwarded-Proto` only from a trusted peer. The client is the
    /// rightmost forwarded address that is not itself a trusted proxy.
    fn of(req: &Request, trusted: &[TrustedProxy]) -> Self {
        let peer = req.remote_addr().as_socket_addr().map(|addr| addr.ip());
        let is_trusted = |ip: Option<IpAddr>| trusted.iter().any(|proxy| proxy.matches(ip));
        if !is_trusted(peer) {
            return Self {
                ip: peer,
                https: false,
            };
        }
        let forwarded: Vec<IpAddr> = req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|item| item.trim().parse().ok())
            .collect();
        // The entries left of the first untrusted one are whatever the client wrote. When every entry is a
        // trusted proxy, the nearest one is the best that can be said.
        let client = forwarded
            .iter()
            .rev()
            .find(|ip| !is_trusted(Some(**ip)))
            .or(forwarded.last())
            .copied()
            .or(peer);
        let https = req
            .header("x-forwarded-proto")
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"));
        Self { ip: client, https }
    }
}

/// Who is asking, as the per-client limits count clients.
pub fn client_key(req: &Request) -> super::limits::ClientKey {
    super::limits::ClientKey::of(
        req.extensions()
            .get::<ClientInfo>()
            .and_then(|client| client.ip),
    )
}

/// Outermost layer, on every response: a request id, the client, the security headers, and one log line.
pub async fn log_and_secure<E: Endpoint>(next: Arc<E>, mut req: Request) -> poem::Result<Response> {
    let started = Instant::now();
    let request_id = RequestId::new();
    req.extensions_mut().insert(request_id.clone());
    let client = {
        let trusted = req
            .data::<Arc<AppState>>()
            .map(|state| state.config.trusted_proxies.as_slice())
            .unwrap_or_default();
        ClientInfo::of(&req, trusted)
    };
    req.extensions_mut().insert(client);
    let method = req.method().clone();
    let path = without_link_token(req.uri().path());
    // Errors that escaped the inner error pages (static files, session storage) still get a page.
    let fallback_ctx = PageContext {
        lang: request_lang(&req),
        user: None,
        csrf_token: None,
        flashes: Vec::new(),
        here: "/".into(),
        utc_offset: time::UtcOffset::UTC,
        public_url: None,
        unread_notifications: None,
        role: Default::default(),
        open_flags: 0,
    };
    let fragment = wants_fragment(&req);
    // Every event of this request, down to the storage calls on blocking threads, carries its id.
    let span = tracing::info_span!("request", id = %request_id.0);
    let mut response = match tracing::Instrument::instrument(next.call(req), span).await {
        Ok(response) => response.into_response(),
        Err(err) => error_response(&fallback_ctx, fragment, &request_id.0, &err),
    };
    let headers = response.headers_mut();
    for (name, value) in [
        ("content-security-policy", CONTENT_SECURITY_POLICY),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
        ("x-frame-options", "DENY"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if let Ok(value) = HeaderValue::from_str(&request_id.0) {
        headers.insert("x-request-id", value);
    }
    if client.https {
        mark_cookies_secure(headers);
    }
    tracing::info!(
        target: "miniboard::access",
        %method,
        %path,
        status = response.status().as_u16(),
        latency_ms = format!("{:.1}", started.elapsed().as_secs_f64() * 1000.0),
        request_id = %request_id.0,
        client = %client.ip.map_or_else(|| "unix".to_owned(), |ip| ip.to_string()),
    );
    Ok(response)
}

/// The path as the log keeps it: a link's token (a reset, a confirmation, an unsubscribe) left out, since
/// whoever reads the log could use it.
fn without_link_token(path: &str) -> String {
    for prefix in super::mail::TOKEN_PATHS {
        if let Some(token) = path.strip_prefix(prefix)
            && !token.is_empty()
        {
            return format!("{prefix}…");
        }
    }
    path.to_owned()
}

/// Behind an https proxy every cookie is Secure, whatever the profile.
fn mark_cookies_secure(headers: &mut poem::http::HeaderMap) {
    let cookies: Vec<HeaderValue> = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|value| match value.to_str() {
            Ok(text) if !text.to_ascii_lowercase().contains("; secure") => {
                HeaderValue::from_str(&format!("{text}; Secure")).unwrap_or_else(|_| value.clone())
            }
            _ => value.clone(),
        })
        .collect();
    headers.remove(header::SET_COOKIE);
    for cookie in cookies {
        headers.append(header::SET_COOKIE, cookie);
    }
}

/// Inside the session and CSRF layers: turns errors and panics into pages that know the user and language,
/// and marks HTML that differs for htmx with `Vary: HX-Request`.
pub async fn error_pages<E: Endpoint>(next: Arc<E>, req: Request) -> poem::Result<Response> {
    // The user (a JSON read from the session) is read only if an error page is needed.
    let source = PageSource::of(&req);
    let fragment = wants_fragment(&req);
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .map(|id| id.0.clone())
        .unwrap_or_default();
    let outcome = AssertUnwindSafe(next.call(req)).catch_unwind().await;
    let mut response = match outcome {
        Ok(Ok(response)) => response.into_response(),
        Ok(Err(err)) => error_response(&source.context(false), fragment, &request_id, &err),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let err: poem::Error = AppError::internal(format!("handler panicked: {what}")).into();
            error_response(&source.context(false), fragment, &request_id, &err)
        }
    };
    let headers = response.headers_mut();
    headers.append(header::VARY, HeaderValue::from_static("HX-Request"));
    if !headers.contains_key(header::CACHE_CONTROL) {
        // A logged-in user's pages are theirs alone: not even the browser keeps them (a shared computer's
        // Back button after logging out). A visitor's carry no name: the browser revalidates them.
        let policy = if source.has_user() {
            "no-store"
        } else {
            "private, no-cache"
        };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    Ok(response)
}

/// The page (or htmx fragment) for an error. Internal errors are logged with the request id, never shown.
pub fn error_response(
    ctx: &PageContext,
    fragment: bool,
    request_id: &str,
    err: &poem::Error,
) -> Response {
    let app_error = err.downcast_ref::<AppError>();
    if let Some(AppError::LoginRequired { next }) = app_error {
        let target = login_href(next);
        return if fragment {
            // htmx would swap a followed redirect into the fragment's place; make it navigate instead.
            Response::builder()
                .status(StatusCode::UNAUTHORIZED)
                .header("HX-Redirect", target)
                .finish()
        } else {
            Response::builder()
                .status(StatusCode::SEE_OTHER)
                .header(header::LOCATION, target)
                .finish()
        };
    }
    // A path segment that is not an id (`/questions/abc`) names no page, like an id that is gone.
    let status = if err.is::<poem::error::ParsePathError>() {
        StatusCode::NOT_FOUND
    } else {
        err.status()
    };
    if status.is_server_error() {
        tracing::error!(request_id, error = %err, "request failed");
    }
    let t = ctx.t();
    let filled;
    let (title, message) = match (status.as_u16(), app_error) {
        (429, Some(AppError::TooManySearches { wait })) => {
            filled = fill(t.searches_throttled, &[&whole_seconds(*wait).to_string()]);
            (t.error_429_title, filled.as_str())
        }
        (403, Some(AppError::Csrf)) => (t.error_csrf_title, t.error_csrf_body),
        (403, Some(AppError::OwnPostLike)) => (t.error_403_title, t.like_own_post),
        (403, Some(AppError::AddressUnconfirmed)) => (t.error_403_title, t.verify_before_posting),
        (403, Some(AppError::Suspended(suspension))) => {
            filled = fill(
                t.error_suspended,
                &[&last_day(suspension.until), &suspension.reason],
            );
            (t.error_suspended_title, filled.as_str())
        }
        (403, Some(AppError::QuestionClosed(closure))) => {
            filled = match closure {
                Some(closure) => fill(t.error_question_closed, &[t.close_reason(closure.reason)]),
                None => fill(t.error_question_closed, &[""]),
            };
            (t.closed_title, filled.as_str())
        }
        (403, Some(AppError::Refused(why))) => (t.error_403_title, t.refusal(*why)),
        (403, _) => (t.error_403_title, t.error_403_body),
        (404, _) => (t.error_404_title, t.error_404_body),
        (405, _) => (t.error_405_title, t.error_405_body),
        (413, _) => (t.error_413_title, t.error_413_body),
        (400..=499, _) => (t.error_400_title, t.error_400_body),
        _ => (t.error_500_title, t.error_500_body),
    };
    let view = ErrorView {
        status: status.as_u16(),
        title,
        message,
        request_id,
    };
    let retry_after = match app_error {
        Some(AppError::TooManySearches { wait } | AppError::Throttled { wait }) => {
            Some(whole_seconds(*wait).max(1))
        }
        _ => None,
    };
    let mut response = error_view_response(ctx, fragment, &view, status);
    if let Some(value) = retry_after.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

fn error_view_response(
    ctx: &PageContext,
    fragment: bool,
    view: &ErrorView,
    status: StatusCode,
) -> Response {
    if fragment {
        let mut response = error_fragment(ctx, view)
            .with_status(status)
            .into_response();
        // The fragment's own target would be the button that was clicked: show errors in the flash area.
        response
            .headers_mut()
            .insert("HX-Retarget", HeaderValue::from_static("#flash"));
        response
            .headers_mut()
            .insert("HX-Reswap", HeaderValue::from_static("innerHTML"));
        response
    } else {
        error_page(ctx, view).with_status(status).into_response()
    }
}

/// The one POST that carries no token: switching the language only sets a preference, and the form sits on
/// visitors' cached pages, which carry no token. It must still come from a page of this site.
const TOKENLESS_PATHS: [&str; 1] = ["/lang"];

/// Whether the request says it comes from a page of this site: `Origin` (every browser sends it with a
/// POST) or, failing that, `Referer`, naming this host.
fn from_this_site(req: &Request) -> bool {
    let Some(host) = req.header(header::HOST) else {
        return false;
    };
    let source = req
        .header(header::ORIGIN)
        .filter(|origin| *origin != "null")
        .or_else(|| req.header(header::REFERER));
    source
        .and_then(|source| source.parse::<poem::http::Uri>().ok())
        .and_then(|uri| {
            uri.authority()
                .map(|a| a.as_str().eq_ignore_ascii_case(host))
        })
        .unwrap_or(false)
}

/// Every state change carries a CSRF token: the `X-CSRF-Token` header (htmx) or the `csrf_token` form field.
/// The body is read here, once, within the size limit, and handed on to the handler.
pub async fn verify_csrf<E: Endpoint>(next: Arc<E>, mut req: Request) -> poem::Result<Response> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.call(req).await.map(IntoResponse::into_response);
    }
    // A one-click unsubscribe: the signed link is the authority, and the mail program sends no token.
    if super::mail::tokenless_post(req.uri().path()) {
        return next.call(req).await.map(IntoResponse::into_response);
    }
    if TOKENLESS_PATHS.contains(&req.uri().path()) {
        if !from_this_site(&req) {
            return Err(AppError::Csrf.into());
        }
        return next.call(req).await.map(IntoResponse::into_response);
    }
    let body = req
        .take_body()
        .into_bytes_limit(MAX_BODY_BYTES)
        .await
        .map_err(|err| match err {
            ReadBodyError::PayloadTooLarge => AppError::PayloadTooLarge,
            _ => AppError::BadRequest,
        })?;
    if holds_nul(&body) {
        return Err(AppError::BadRequest.into());
    }
    let token = match req.header("X-CSRF-Token") {
        Some(token) => Some(token.to_owned()),
        None => form_field(&req, &body, "csrf_token"),
    };
    let valid = match (token, req.extensions().get::<ExpectedSecret>()) {
        (Some(token), Some(expected)) => expected.accepts(&token),
        _ => false,
    };
    if !valid {
        return Err(AppError::Csrf.into());
    }
    req.set_body(body);
    next.call(req).await.map(IntoResponse::into_response)
}

/// Whether a body holds a NUL character, raw or as `%00`: no form has a use for one, and PostgreSQL cannot
/// store it in text (a post holding one would be a 500 there, and a copy of the board would stop at it).
fn holds_nul(body: &[u8]) -> bool {
    body.contains(&0) || body.windows(3).any(|window| window == b"%00")
}

/// A field of a urlencoded form body.
fn form_field(req: &Request, body: &[u8], name: &str) -> Option<String> {
    let is_form = req
        .content_type()
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return None;
    }
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find_map(|(key, value)| (key == name).then_some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_keeps_no_link_token() {
        assert_eq!(
            without_link_token("/password/reset/abc123"),
            "/password/reset/…"
        );
        assert_eq!(without_link_token("/email/verify/abc"), "/email/verify/…");
        assert_eq!(
            without_link_token("/unsubscribe/7-answer-ff"),
            "/unsubscribe/…"
        );
        assert_eq!(without_link_token("/password/forgot"), "/password/forgot");
        assert_eq!(without_link_token("/questions/7"), "/questions/7");
    }
}
