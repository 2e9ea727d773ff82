//! One error type for the whole app. Handlers return it with `?`; the error-page middleware turns it into a
//! page (or an htmx fragment) with the right status. Internal details go to the log, never to the client.

use std::time::Duration;

use poem::{error::ResponseError, http::StatusCode};

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: the request is malformed beyond what a form can report.
    #[error("bad request")]
    BadRequest,
    /// 303 to the log-in page, which brings the user back to `next` afterwards.
    #[error("login required")]
    LoginRequired { next: String },
    /// 403: the user may not do this.
    #[error("forbidden")]
    Forbidden,
    /// 403: liking one's own post.
    #[error("cannot like one's own post")]
    OwnPostLike,
    /// 403: the board wants a confirmed address before posting.
    #[error("address not confirmed")]
    AddressUnconfirmed,
    /// 403: something only staff (or only admins) may do, or that nobody may do to this target; why.
    #[error("refused: {0:?}")]
    Refused(crate::domain::policy::Denied),
    /// 403: the account is suspended (the page says why and until when).
    #[error("suspended")]
    Suspended(crate::domain::moderation::Suspension),
    /// 403: the question is closed (the page says why, when the closure could be read).
    #[error("question closed")]
    QuestionClosed(Option<Box<crate::domain::moderation::Closure>>),
    /// 403: a state-changing request without a valid CSRF token.
    #[error("missing or invalid CSRF token")]
    Csrf,
    /// 404.
    #[error("not found")]
    NotFound,
    /// 429: this client ran too many searches that missed the page cache.
    #[error("too many searches")]
    TooManySearches { wait: Duration },
    /// 429: a limit on log-ins or sign-ups (the forms say which; this is for any other front door).
    #[error("too many attempts")]
    Throttled { wait: Duration },
    /// 413: the body is over the limit.
    #[error("request body too large")]
    PayloadTooLarge,
    /// 500: storage failed; 503 when no connection to the database could be had (it is down or busy).
    #[error(transparent)]
    Storage(#[from] StoreError),
    /// 500: anything else that is not the user's fault.
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    pub fn internal(what: impl std::fmt::Display) -> Self {
        Self::Internal(what.to_string())
    }
}

impl ResponseError for AppError {
    fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::LoginRequired { .. } => StatusCode::SEE_OTHER,
            Self::Forbidden
            | Self::Csrf
            | Self::OwnPostLike
            | Self::AddressUnconfirmed
            | Self::Refused(_)
            | Self::Suspended(_)
            | Self::QuestionClosed(_) => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::TooManySearches { .. } | Self::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Storage(StoreError::Pool(_)) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Storage(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<crate::search::SearchError> for AppError {
    fn from(err: crate::search::SearchError) -> Self {
        Self::internal(err)
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(err: tokio::task::JoinError) -> Self {
        Self::internal(format!("background task failed: {err}"))
    }
}

impl From<crate::domain::policy::Denied> for AppError {
    fn from(why: crate::domain::policy::Denied) -> Self {
        use crate::domain::policy::Denied;
        match why {
            Denied::NotAuthor => Self::Forbidden,
            Denied::OwnPost => Self::OwnPostLike,
            Denied::AddressUnconfirmed => Self::AddressUnconfirmed,
            Denied::QuestionClosed => Self::QuestionClosed(None),
            // The use cases turn a limit into a field problem; one that gets here is only refused.
            Denied::Limited(_) => Self::Forbidden,
            Denied::NotModerator
            | Denied::NotAdmin
            | Denied::Protected
            | Denied::OwnRole
            | Denied::DeletedByModerator
            | Denied::QuestionDeleted => Self::Refused(why),
        }
    }
}

impl From<crate::board::BoardError> for AppError {
    fn from(err: crate::board::BoardError) -> Self {
        use crate::board::BoardError;
        match err {
            BoardError::NotFound => Self::NotFound,
            BoardError::Forbidden(why) => why.into(),
            BoardError::Suspended(suspension) => Self::Suspended(suspension),
            BoardError::QuestionClosed(closure) => Self::QuestionClosed(Some(closure)),
            // A handler shows invalid input on its form; one that does not is answering a malformed request.
            BoardError::Invalid(_) | BoardError::LoginFailed => Self::BadRequest,
            BoardError::Busy => Self::Internal("the hashing queue was full".into()),
            BoardError::Throttled(wait) => Self::Throttled { wait },
            BoardError::Internal(what) => Self::Internal(what),
            BoardError::Storage(err) => Self::Storage(err),
            BoardError::Task(err) => err.into(),
        }
    }
}

/// The result of a handler.
pub type AppResult<T> = Result<T, AppError>;

/// How long a throttled client must wait, rounded up to whole seconds.
pub fn whole_seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}
