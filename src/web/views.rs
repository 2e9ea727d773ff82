//! Counting views of question pages as they are served, cached or not: outside the page cache, so a
//! visitor's page served from memory counts too.

use std::sync::Arc;

use poem::{Endpoint, IntoResponse, Request, Response, http::Method, http::StatusCode};

use super::{AppState, middleware::client_key, session::CookieNames, session::wants_fragment};
use crate::domain::{self, board::QuestionId, ids::parse_id, views::ViewerKey};

/// The question a request views: a whole page of `/questions/{id}` (paging its answers with htmx is not
/// another view).
fn viewed(req: &Request) -> Option<QuestionId> {
    if req.method() != Method::GET || wants_fragment(req) {
        return None;
    }
    let id = req.uri().path().strip_prefix("/questions/")?;
    parse_id(id).map(QuestionId)
}

/// Who views: their session for a user, their address for a visitor.
fn viewer(req: &Request, state: &AppState) -> ViewerKey {
    let names = CookieNames::for_config(&state.config);
    match req.cookie().get(names.session) {
        Some(session) => ViewerKey::of_session(session.value_str()),
        None => ViewerKey::of_address(&client_key(req).to_string()),
    }
}

/// Notes a view of each question page found (200), to be counted with the next batch.
pub async fn count_question_views<E: Endpoint>(
    next: Arc<E>,
    req: Request,
) -> poem::Result<Response> {
    let state = req.data::<Arc<AppState>>().cloned();
    let view = match (&state, viewed(&req)) {
        (Some(state), Some(question)) => Some((question, viewer(&req, state))),
        _ => None,
    };
    let response = next.call(req).await?.into_response();
    if let (Some(state), Some((question, viewer))) = (state, view)
        && response.status() == StatusCode::OK
    {
        state.views.record(question, viewer, domain::now());
    }
    Ok(response)
}
