//! The API's one error shape, `{"error": {"code", "message", "fields"?, "request_id"?}}`, and how the
//! board's errors map to it. (The HTML side maps the same `BoardError` to pages, in `crate::error`.)

use std::collections::BTreeMap;

use poem::http::StatusCode;
use poem_openapi::{ApiResponse, Object, payload::Json};

use crate::{
    board::BoardError, domain::policy::Denied, error::whole_seconds, i18n::Lang, store::StoreError,
};

/// What went wrong.
#[derive(Object, Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ErrorDetail {
    /// Stable, for programs: `bad_request`, `unauthorized`, `read_only_token`, `not_author`, `own_post`,
    /// `address_unconfirmed`, `not_found`, `method_not_allowed`, `payload_too_large`,
    /// `unsupported_media_type`, `invalid`, `too_many_requests`, `internal`, `unavailable`.
    pub code: String,
    /// For people, in English (a 422's in the language `Accept-Language` prefers, English or Korean).
    pub message: String,
    /// A 422's problems, by field.
    #[oai(skip_serializing_if_is_none)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
    /// A 5xx's request id, as the server's log has it.
    #[oai(skip_serializing_if_is_none)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// Every failure's body.
#[derive(Object, Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ErrorBody {
    /// Boxed: every operation's `Result` carries this.
    pub error: Box<ErrorDetail>,
}

impl ErrorBody {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            error: Box::new(ErrorDetail {
                code: code.to_owned(),
                message: message.into(),
                fields: None,
                request_id: None,
            }),
        }
    }
}

/// Seconds a client waits before trying again when the server is busy.
const BUSY_RETRY_SECONDS: u64 = 5;

/// The failures an operation can answer with.
#[derive(ApiResponse, Debug)]
pub enum ApiError {
    /// Malformed: the JSON, a parameter, or a value of the wrong type.
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    /// No token where one is needed, or a token that does not work (unknown, revoked or expired).
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>, #[oai(header = "WWW-Authenticate")] String),
    /// Not allowed, and why (`code`): a read-only token, someone else's post, one's own post to like, an
    /// address the board wants confirmed first.
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    /// No such thing (or it was deleted).
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    /// The body is over 1 MB.
    #[oai(status = 413)]
    PayloadTooLarge(Json<ErrorBody>),
    /// The body is not `application/json`.
    #[oai(status = 415)]
    UnsupportedMediaType(Json<ErrorBody>),
    /// Well-formed, but the values have problems (`fields`); nothing was changed.
    #[oai(status = 422)]
    Invalid(Json<ErrorBody>),
    /// Too many requests of this kind from this client: try again after `Retry-After` seconds.
    #[oai(status = 429)]
    TooManyRequests(Json<ErrorBody>, #[oai(header = "Retry-After")] u64),
    /// The server failed; `request_id` finds it in the log.
    #[oai(status = 500)]
    Internal(Json<ErrorBody>),
    /// The database is out of reach or the server is busy: try again after `Retry-After` seconds.
    #[oai(status = 503)]
    Unavailable(Json<ErrorBody>, #[oai(header = "Retry-After")] u64),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn not_found() -> Self {
        Self::NotFound(Json(ErrorBody::new(
            "not_found",
            "There is no such thing here (or it was deleted).",
        )))
    }

    pub fn forbidden(code: &str, message: &str) -> Self {
        Self::Forbidden(Json(ErrorBody::new(code, message)))
    }

    pub fn unauthorized(message: &str) -> Self {
        Self::Unauthorized(
            Json(ErrorBody::new("unauthorized", message)),
            BEARER_CHALLENGE.to_owned(),
        )
    }

    pub fn too_many(wait: std::time::Duration) -> Self {
        Self::TooManyRequests(
            Json(ErrorBody::new(
                "too_many_requests",
                "Too many requests of this kind: try again after the seconds Retry-After says.",
            )),
            whole_seconds(wait),
        )
    }

    /// A failure of the server's: logged here with its details, which the client does not get.
    pub fn internal(what: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %what, "api: request failed");
        Self::Internal(Json(ErrorBody::new(
            "internal",
            "The server failed to answer; the request id finds the details in its log.",
        )))
    }

    /// A board error in the words of `lang` (only field problems are worded in other languages).
    pub fn from_board(err: BoardError, lang: Lang) -> Self {
        match err {
            BoardError::NotFound => Self::not_found(),
            BoardError::Forbidden(why) => denied(why, lang),
            BoardError::Suspended(suspension) => Self::forbidden(
                "suspended",
                &crate::i18n::fill(
                    lang.texts().error_suspended,
                    &[
                        &crate::domain::moderation::last_day(suspension.until),
                        &suspension.reason,
                    ],
                ),
            ),
            BoardError::QuestionClosed(closure) => {
                let t = lang.texts();
                Self::forbidden(
                    "question_closed",
                    &crate::i18n::fill(t.error_question_closed, &[t.close_reason(closure.reason)]),
                )
            }
            BoardError::Invalid(errors) => {
                let t = lang.texts();
                // Posting too fast is a 429 that says, in the person's language, when to try again.
                if let Some(wait) = crate::board::wait_of(&errors) {
                    let said: Vec<String> = errors.iter().map(|e| t.field_problem(e)).collect();
                    return Self::TooManyRequests(
                        Json(ErrorBody::new("too_fast", said.join(" "))),
                        whole_seconds(wait),
                    );
                }
                let mut fields: BTreeMap<String, String> = BTreeMap::new();
                for error in &errors {
                    let said = t.field_problem(error);
                    fields
                        .entry(error.field.to_owned())
                        .and_modify(|all| {
                            all.push(' ');
                            all.push_str(&said);
                        })
                        .or_insert(said);
                }
                let mut body = ErrorBody::new("invalid", t.api_invalid);
                body.error.fields = Some(fields);
                Self::Invalid(Json(body))
            }
            BoardError::LoginFailed => Self::unauthorized("The name and password do not match."),
            BoardError::Busy => Self::Unavailable(
                Json(ErrorBody::new(
                    "unavailable",
                    "The server is busy: try again in a few seconds.",
                )),
                BUSY_RETRY_SECONDS,
            ),
            BoardError::Throttled(wait) => Self::too_many(wait),
            BoardError::Storage(StoreError::Pool(what)) => {
                tracing::warn!(error = %what, "api: no database connection");
                Self::Unavailable(
                    Json(ErrorBody::new(
                        "unavailable",
                        "The database is out of reach: try again in a few seconds.",
                    )),
                    BUSY_RETRY_SECONDS,
                )
            }
            BoardError::Storage(err) => Self::internal(&err),
            BoardError::Internal(what) => Self::internal(&what),
            BoardError::Task(err) => Self::internal(&err),
        }
    }
}

/// What a 401 asks for (RFC 6750).
pub const BEARER_CHALLENGE: &str = "Bearer realm=\"miniboard\"";

/// Why the policy refused, for programs and people.
fn denied(why: Denied, lang: Lang) -> ApiError {
    let t = lang.texts();
    match why {
        Denied::NotAuthor => ApiError::forbidden(
            "not_author",
            "Only its author may do this (only a question's author accepts its answers).",
        ),
        Denied::OwnPost => {
            ApiError::forbidden("own_post", "Nobody may like or flag their own post.")
        }
        Denied::AddressUnconfirmed => ApiError::forbidden(
            "address_unconfirmed",
            "This board asks for a confirmed email address first: confirm yours from the account page.",
        ),
        Denied::QuestionClosed => ApiError::forbidden("question_closed", t.closed_no_answers),
        Denied::NotModerator => ApiError::forbidden("not_moderator", t.refusal(why)),
        Denied::NotAdmin => ApiError::forbidden("not_admin", t.refusal(why)),
        Denied::Protected => ApiError::forbidden("protected", t.refusal(why)),
        Denied::OwnRole => ApiError::forbidden("own_role", t.refusal(why)),
        Denied::DeletedByModerator => ApiError::forbidden("deleted_by_moderator", t.refusal(why)),
        Denied::QuestionDeleted => ApiError::forbidden("question_deleted", t.refusal(why)),
        Denied::Limited(_) => ApiError::forbidden("limited", t.error_403_body),
    }
}

/// The error body for a status the operations did not answer themselves (a malformed request poem
/// refused before an operation ran, a path nothing serves).
pub fn for_status(status: StatusCode, detail: &str) -> (ErrorBody, Option<&'static str>) {
    let (code, message, challenge) = match status {
        StatusCode::BAD_REQUEST => ("bad_request", detail.to_owned(), None),
        StatusCode::UNAUTHORIZED => (
            "unauthorized",
            if detail.is_empty() || detail == "authorization error" {
                "This needs a personal access token: `Authorization: Bearer <token>`.".to_owned()
            } else {
                detail.to_owned()
            },
            Some(BEARER_CHALLENGE),
        ),
        StatusCode::NOT_FOUND => (
            "not_found",
            "There is no such thing here (or it was deleted).".to_owned(),
            None,
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "This address does not take that method.".to_owned(),
            None,
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload_too_large",
            "The body is over 1 MB.".to_owned(),
            None,
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "Send the body as JSON, with `Content-Type: application/json`.".to_owned(),
            None,
        ),
        status if status.is_server_error() => (
            "internal",
            "The server failed to answer; the request id finds the details in its log.".to_owned(),
            None,
        ),
        _ => ("bad_request", detail.to_owned(), None),
    };
    (ErrorBody::new(code, message), challenge)
}
