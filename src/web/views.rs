//! Counting views of question pages as they are served, cached or not: outside the page cache, so a
//! visitor's page served from memory counts too.

use std::sync::Arc;

use poem::{Endpoint, IntoResponse, Request, Response, http::Method, http::StatusCode};

use super::{AppState, middleware::client_key, session::wants_fragment};
use crate::domain::{self, board::QuestionId, ids::UserId, ids::parse_id, views::Viewer};

/// Put on a question page's response by its handler when a logged-in user views it: the session layer
/// vouched for them, where a cookie alone could be made up.
#[derive(Clone, Copy)]
pub struct ViewedBy(pub UserId);

/// The question a request views: a whole page of `/questions/{id}` (paging its answers with htmx is not
/// another view).
fn viewed(req: &Request) -> Option<QuestionId> {
    if req.method() != Method::GET || wants_fragment(req) {
        return None;
    }
    let id = req.uri().path().strip_prefix("/questions/")?;
    parse_id(id).map(QuestionId)
}

/// Notes a view of each question page found (200), to be counted with the next batch: a user's by their
/// account, anyone else's by their address.
pub async fn count_question_views<E: Endpoint>(
    next: Arc<E>,
    req: Request,
) -> poem::Result<Response> {
    let state = req.data::<Arc<AppState>>().cloned();
    // The address only for a question page: every other request passes through untouched.
    let view = viewed(&req).map(|question| (question, client_key(&req).to_string()));
    let response = next.call(req).await?.into_response();
    if let (Some(state), Some((question, address))) = (state, view)
        && response.status() == StatusCode::OK
    {
        let viewer = match response.extensions().get::<ViewedBy>() {
            Some(ViewedBy(user)) => Viewer::User(*user),
            None => Viewer::Address(&address),
        };
        state.views.record(question, viewer, domain::now());
    }
    Ok(response)
}
