//! What every API response goes through: the body size limit, one JSON error shape for failures poem
//! answers before an operation runs, and the caching headers (an `ETag` on each read, `no-store` on
//! anything a token read).

use std::sync::{Arc, LazyLock};

use poem::{
    Endpoint, IntoResponse, Request, Response,
    error::ReadBodyError,
    http::{HeaderValue, Method, StatusCode, header},
};

use super::error::{ErrorBody, for_status};
use crate::{
    i18n::Lang,
    web::middleware::{MAX_BODY_BYTES, RequestId},
};

/// The language a 422's messages are in: the one `Accept-Language` prefers, of English and Korean.
pub fn lang(req: &Request) -> Lang {
    Lang::choose(None, req.header(header::ACCEPT_LANGUAGE))
}

fn json_error(status: StatusCode, body: &ErrorBody) -> Response {
    let text = serde_json::to_string(body).unwrap_or_else(|_| "{}".to_owned());
    Response::builder()
        .status(status)
        .content_type("application/json; charset=utf-8")
        .body(text)
}

/// Around every `/api` request.
pub async fn api_layer<E: Endpoint>(next: Arc<E>, mut req: Request) -> poem::Result<Response> {
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .map(|id| id.0.clone())
        .unwrap_or_default();
    // HEAD reaches here with the GET's body already dropped: only a GET's body is hashed.
    let reading = *req.method() == Method::GET;
    let path = req.original_uri().path().to_owned();
    let cors = cross_origin(&req);
    if let Some(origin) = &cors
        && *req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
    {
        return Ok(preflight(origin));
    }
    let with_token = req.headers().contains_key(header::AUTHORIZATION);
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        // Read here, within the limit, so an operation never sees a body over it.
        match req.take_body().into_bytes_limit(MAX_BODY_BYTES).await {
            Ok(body) => req.set_body(body),
            Err(ReadBodyError::PayloadTooLarge) => {
                let (body, _) = for_status(StatusCode::PAYLOAD_TOO_LARGE, "");
                return Ok(json_error(StatusCode::PAYLOAD_TOO_LARGE, &body));
            }
            Err(err) => {
                let (body, _) = for_status(StatusCode::BAD_REQUEST, &format!("The body: {err}"));
                return Ok(json_error(StatusCode::BAD_REQUEST, &body));
            }
        }
    }
    let mut response = match next.call(req).await {
        Ok(response) => response.into_response(),
        // An operation's own failure (`ApiError`), already in the shape.
        Err(err) if err.is_from_response() => err.into_response(),
        Err(err) => {
            let status = err.status();
            if status.is_server_error() {
                // Not an operation's own failure (those are logged where they happen): log it here, so
                // the request id the body carries finds its cause.
                tracing::error!(request_id, error = %err, "api: request failed before an operation answered");
            }
            let (body, challenge) = for_status(status, &err.to_string());
            let mut response = json_error(status, &body);
            if let Some(challenge) = challenge {
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static(challenge),
                );
            }
            response
        }
    };
    let status = response.status();
    if status == StatusCode::METHOD_NOT_ALLOWED
        && let Some(allowed) = allowed_methods(&path)
        && let Ok(value) = HeaderValue::from_str(&allowed)
    {
        response.headers_mut().insert(header::ALLOW, value);
    }
    if status.is_server_error() {
        // The operation's body, with the request id the log carries added.
        let body = response.take_body().into_bytes().await.unwrap_or_default();
        let mut error = serde_json::from_slice::<ErrorBody>(&body)
            .unwrap_or_else(|_| for_status(StatusCode::INTERNAL_SERVER_ERROR, "").0);
        error.error.request_id = Some(request_id);
        let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
        response = json_error(status, &error);
        if let Some(retry_after) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, retry_after);
        }
    }
    let headers = response.headers_mut();
    headers.insert(
        header::VARY,
        HeaderValue::from_static("Authorization, Accept-Language, Origin"),
    );
    if let Some(origin) = &cors {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("Link, Location, ETag, Retry-After, WWW-Authenticate"),
        );
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if with_token { "no-store" } else { "no-cache" }),
    );
    if reading && status == StatusCode::OK {
        // A read's validator: the body's hash, so `If-None-Match` gets a 304 when nothing changed.
        let body = response.take_body().into_bytes().await.unwrap_or_default();
        let digest = <sha2::Sha256 as sha2::Digest>::digest(&body);
        let etag = format!("\"{}\"", crate::signing::to_hex(&digest[..16]));
        if let Ok(value) = HeaderValue::from_str(&etag) {
            response.headers_mut().insert(header::ETAG, value);
        }
        response.set_body(body);
    }
    Ok(response)
}

/// The methods the document gives the path a request was refused on (`Allow`, which a 405 must carry):
/// `None` for a path it does not have.
fn allowed_methods(path: &str) -> Option<String> {
    static PATHS: LazyLock<Vec<(Vec<String>, Vec<String>)>> = LazyLock::new(|| {
        let document: serde_json::Value =
            serde_json::from_str(super::document()).unwrap_or_default();
        let Some(paths) = document.get("paths").and_then(serde_json::Value::as_object) else {
            return Vec::new();
        };
        paths
            .iter()
            .map(|(template, operations)| {
                let segments = template.split('/').map(str::to_owned).collect();
                let mut methods: Vec<String> = operations
                    .as_object()
                    .map(|all| all.keys().map(|method| method.to_uppercase()).collect())
                    .unwrap_or_default();
                if methods.iter().any(|method| method == "GET") {
                    methods.push("HEAD".into());
                }
                (segments, methods)
            })
            .collect()
    });
    let asked: Vec<&str> = path.strip_prefix("/api/v1")?.split('/').collect();
    PATHS
        .iter()
        .find(|(segments, _)| {
            segments.len() == asked.len()
                && segments
                    .iter()
                    .zip(&asked)
                    .all(|(template, part)| template.starts_with('{') || template == part)
        })
        .map(|(_, methods)| methods.join(", "))
}

/// What `Access-Control-Allow-Origin` says to a request from another site's page whose origin
/// `api_cors_origins` allows (`*` when it allows any); `None` for any other request. Tokens travel in a
/// header, never in a cookie, so no credentials are allowed.
fn cross_origin(req: &Request) -> Option<HeaderValue> {
    let origin = req.header(header::ORIGIN)?;
    let allowed = &req.data::<super::State>()?.config.api_cors_origins;
    if allowed.iter().any(|any| any == "*") {
        return Some(HeaderValue::from_static("*"));
    }
    allowed
        .iter()
        .any(|known| known.eq_ignore_ascii_case(origin))
        .then(|| HeaderValue::from_str(origin).ok())
        .flatten()
}

/// The answer to a CORS preflight: what the other site's script may send.
fn preflight(origin: &HeaderValue) -> Response {
    Response::builder()
        .status(StatusCode::NO_CONTENT)
        .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone())
        .header(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            "GET, POST, PUT, DELETE",
        )
        .header(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            "Authorization, Content-Type, Accept-Language, If-None-Match",
        )
        .header(header::ACCESS_CONTROL_MAX_AGE, "600")
        .header(header::VARY, "Origin")
        .finish()
}
