//! The JSON API under `/api/v1`: the board for programs, over the same use cases as the pages (`board`),
//! with the same rules. Its OpenAPI document (`/api/openapi.json`) is generated from these types and
//! operations, so it cannot drift from what the server does. No session, no CSRF: a request is a visitor,
//! or the account of the personal access token it carries (`Authorization: Bearer`).

mod answers;
mod auth;
mod comments;
mod error;
mod flags;
mod http;
mod me;
mod moderation;
mod paging;
mod people;
mod questions;
mod reactions;
mod revisions;
mod text;
mod types;

use std::sync::{Arc, LazyLock};

use poem::{Endpoint, EndpointExt, IntoEndpoint, Response, Route, get, handler};
use poem_openapi::{OpenApiService, Tags};
use serde_json::Value;

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
    /// Closing questions, suspensions, roles and the log (moderators; roles: admins).
    Moderation,
    /// Edit history: every revision of a post, and rolling a post back to one.
    Revisions,
    /// Flagging posts for the moderators, and their review queue.
    Flags,
}

/// The API's operations and their document.
type Operations = (
    questions::QuestionsApi,
    answers::AnswersApi,
    comments::CommentsApi,
    people::PeopleApi,
    me::MeApi,
    moderation::ModerationApi,
    revisions::RevisionsApi,
    flags::FlagsApi,
);

fn service() -> OpenApiService<Operations, ()> {
    OpenApiService::new(
        (
            questions::QuestionsApi,
            answers::AnswersApi,
            comments::CommentsApi,
            people::PeopleApi,
            me::MeApi,
            moderation::ModerationApi,
            revisions::RevisionsApi,
            flags::FlagsApi,
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

/// The request bodies that refuse a field they do not name (`deny_unknown_fields`); the generated document
/// does not say so by itself, so `document` adds `additionalProperties: false` to each.
const CLOSED_INPUTS: [&str; 8] = [
    "QuestionInput",
    "AnswerInput",
    "CommentInput",
    "MailInput",
    "CloseInput",
    "SuspensionInput",
    "RoleInput",
    "FlagInput",
];

/// The OpenAPI document, as served: generated once from the operations.
pub fn document() -> &'static str {
    &DOCUMENT
}

static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    let spec = service().spec();
    let Ok(mut document) = serde_json::from_str::<Value>(&spec) else {
        return spec;
    };
    for name in CLOSED_INPUTS {
        if let Some(schema) = document
            .pointer_mut(&format!("/components/schemas/{name}"))
            .and_then(Value::as_object_mut)
        {
            schema.insert("additionalProperties".into(), Value::Bool(false));
        }
    }
    serde_json::to_string_pretty(&document).unwrap_or(spec)
});

/// `GET /api/openapi.json`.
#[handler]
fn serve_document() -> Response {
    Response::builder()
        .content_type("application/json; charset=utf-8")
        .body(document())
}

/// `/api`: the operations under `/v1` and the document, inside the JSON error and HTTP layers.
pub fn endpoint(_state: &AppState) -> impl Endpoint + 'static {
    Route::new()
        .nest("/v1", service().into_endpoint())
        .at("/openapi.json", get(serve_document))
        .around(http::api_layer)
}

/// The account behind a request, for the handlers' shared state.
pub(crate) type State = Arc<AppState>;
