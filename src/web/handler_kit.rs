//! Pieces the board's handlers share: query parameters, and answering a POST with a redirect that works with
//! and without htmx.

use poem::{
    IntoResponse, Request, Response,
    http::{HeaderValue, StatusCode, header},
    web::Redirect,
};

use super::session::wants_fragment;

/// A form sent back with its problems and what was typed: a 422, or a 429 with `Retry-After` when a limit
/// on writing said it came too fast (the message says when to send it again).
pub fn form_refused(page: impl IntoResponse, errors: &[crate::domain::FieldError]) -> Response {
    let Some(wait) = crate::board::wait_of(errors) else {
        return page
            .with_status(StatusCode::UNPROCESSABLE_ENTITY)
            .into_response();
    };
    let mut response = page
        .with_status(StatusCode::TOO_MANY_REQUESTS)
        .into_response();
    if let Ok(seconds) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, seconds);
    }
    response
}

/// Query parameters read leniently: undecodable bytes become U+FFFD instead of failing the request, and
/// unknown parameters are ignored.
pub struct QueryParams(pub Vec<(String, String)>);

impl QueryParams {
    pub fn of(req: &Request) -> Self {
        let raw = req.uri().query().unwrap_or_default();
        Self(serde_urlencoded::from_str(raw).unwrap_or_default())
    }

    /// The query of the page an htmx request was sent from (its `HX-Current-URL`), empty for any other.
    pub fn of_current_page(req: &Request) -> Self {
        let url = req.header("HX-Current-URL").unwrap_or_default();
        let raw = url.split_once('?').map_or("", |(_, query)| query);
        let raw = raw.split_once('#').map_or(raw, |(query, _)| query);
        Self(serde_urlencoded::from_str(raw).unwrap_or_default())
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find_map(|(key, value)| (key == name).then_some(value.as_str()))
    }
}

/// After a successful POST: a 303 for a browser; for an htmx request that expects a fragment, an
/// `HX-Redirect` so the whole page navigates instead of a page landing inside the fragment.
pub fn redirect_after_post(req: &Request, to: &str) -> Response {
    let mut response = if wants_fragment(req) {
        StatusCode::OK.into_response()
    } else {
        StatusCode::SEE_OTHER.into_response()
    };
    if let Ok(value) = HeaderValue::from_str(to) {
        let name = if wants_fragment(req) {
            header::HeaderName::from_static("hx-redirect")
        } else {
            header::LOCATION
        };
        response.headers_mut().insert(name, value);
    }
    response
}

/// After a boosted form's POST whose next page has an `#anchor` (a new answer): a 303 for a browser
/// without JavaScript; for htmx an `HX-Location`, because the XHR follows a 303 itself and drops the
/// anchor, while `HX-Location` makes htmx GET the page as a boosted link does, push the URL with its
/// anchor and scroll there.
pub fn see_other_to_anchor(req: &Request, to: &str) -> Response {
    if req.header("HX-Request").is_none() {
        return Redirect::see_other(to).into_response();
    }
    let location = serde_json::json!({
        "path": to,
        "target": "body",
        // The whole page, as for a boosted link: without it the page would answer with a fragment.
        "headers": { "HX-Boosted": "true" },
    });
    let mut response = StatusCode::OK.into_response();
    if let Ok(value) = HeaderValue::from_str(&location.to_string()) {
        response.headers_mut().insert("hx-location", value);
    }
    response
}
