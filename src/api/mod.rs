//! The JSON API under `/api/v1`: the board for programs, over the same use cases as the pages (`board`),
//! with the same rules. Its OpenAPI document (`/api/openapi.json`) is generated from these types and
//! operations, so it cannot drift from what the server does. No session, no CSRF: a request is a visitor,
//! or the account of the personal access token it carries (`Authorization: Bearer`).

mod answers;
mod auth;
mod comments;
mod error;
mod http;
mod me;
mod paging;
mod people;
mod questions;
mod reactions;
mod text;
mod types;

use std::sync::Arc;

use poem::{Endpoint, EndpointExt, IntoEndpoint, Route};
use poem_openapi::{OpenApiService, Tags};

use crate::web::AppState;

/// The groups the document shows its operations in.
#[derive(Tags)]
enum ApiTags {
    /// Questions: the list (browsing, by tag, or searched), one question, asking, editing, deleting.
    Questions,
    /// Answers: a question's answers, answering, editing, deleting, accepting.
    Answers,
    /// Comments on questions and answers.
    Comments,
    /// Tags and users: lists, profiles, a user's posts, following a tag.
    People,
    /// The token's own account: notifications, follows, mail settings, tokens.
    Me,
}

/// The API's operations and their document.
type Operations = (
    questions::QuestionsApi,
    answers::AnswersApi,
    comments::CommentsApi,
    people::PeopleApi,
    me::MeApi,
);

fn service() -> OpenApiService<Operations, ()> {
    OpenApiService::new(
        (
            questions::QuestionsApi,
            answers::AnswersApi,
            comments::CommentsApi,
            people::PeopleApi,
            me::MeApi,
        ),
        "miniboard API",
        env!("CARGO_PKG_VERSION"),
    )
    .description(
        "The board for programs: everything a person does through the pages. Reads of public data need \
         no token; anything else takes a personal access token (made on the account page, or with \
         `miniboard token create`) as `Authorization: Bearer <token>`. Every failure is \
         `{\"error\": {\"code\", \"message\", \"fields\"?}}` with its status.",
    )
    .server("/api/v1")
}

/// The OpenAPI document, as served.
pub fn document() -> String {
    service().spec()
}

/// `/api`: the operations under `/v1` and the document, inside the JSON error and HTTP layers.
pub fn endpoint(_state: &AppState) -> impl Endpoint + 'static {
    let service = service();
    let document = service.spec_endpoint();
    Route::new()
        .nest("/v1", service.into_endpoint())
        .at("/openapi.json", document)
        .around(http::api_layer)
}

/// The account behind a request, for the handlers' shared state.
pub(crate) type State = Arc<AppState>;
