//! Moderation: closing and reopening questions, suspending accounts and lifting it, giving roles, and the
//! log. The same use cases as the staff's pages: a token of a moderator (an admin for roles) with write
//! access.

use poem::{Request, web::Data};
use poem_openapi::{
    ApiResponse, Enum, Object, OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{
    ApiTags, State,
    auth::Token,
    error::{ApiError, ApiResult},
    http::lang,
    text::Text,
    types::timestamp,
};
use crate::{
    board::{self, BoardError},
    domain::{
        Problem,
        board::QuestionId,
        moderation::{
            CloseForm, CloseReason, Closure, LogAction, LogEntry, SuspendForm, Suspension, last_day,
        },
        policy::Role,
    },
};

pub struct ModerationApi;

/// Why a question was closed.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[oai(rename_all = "kebab-case")]
pub enum CloseReasonJson {
    /// Asked and answered before: `duplicate_of` names where.
    Duplicate,
    OffTopic,
    NeedsDetails,
    /// Said in the note.
    Other,
}

impl From<CloseReason> for CloseReasonJson {
    fn from(reason: CloseReason) -> Self {
        match reason {
            CloseReason::Duplicate => Self::Duplicate,
            CloseReason::OffTopic => Self::OffTopic,
            CloseReason::NeedsDetails => Self::NeedsDetails,
            CloseReason::Other => Self::Other,
        }
    }
}

impl CloseReasonJson {
    fn reason(self) -> CloseReason {
        match self {
            Self::Duplicate => CloseReason::Duplicate,
            Self::OffTopic => CloseReason::OffTopic,
            Self::NeedsDetails => CloseReason::NeedsDetails,
            Self::Other => CloseReason::Other,
        }
    }
}

/// A role on the board.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[oai(rename_all = "lowercase")]
pub enum RoleJson {
    User,
    /// Closes and reopens questions, suspends users, reads the moderation log.
    Moderator,
    /// A moderator who also gives roles.
    Admin,
}

impl From<Role> for RoleJson {
    fn from(role: Role) -> Self {
        match role {
            Role::User => Self::User,
            Role::Moderator => Self::Moderator,
            Role::Admin => Self::Admin,
        }
    }
}

impl RoleJson {
    fn role(self) -> Role {
        match self {
            Self::User => Role::User,
            Self::Moderator => Role::Moderator,
            Self::Admin => Role::Admin,
        }
    }
}

/// What a moderator did.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[oai(rename_all = "lowercase")]
pub enum LogActionJson {
    Close,
    Reopen,
    Suspend,
    Unsuspend,
    Role,
    /// Someone else's post edited.
    Edit,
    /// Someone else's post rolled back to an earlier revision.
    Rollback,
    /// Someone else's post deleted.
    Delete,
    /// A post's flags dismissed.
    Dismiss,
    /// Someone else's deleted post brought back.
    Undelete,
    /// Someone else's post removed for good.
    Purge,
}

impl From<LogAction> for LogActionJson {
    fn from(action: LogAction) -> Self {
        match action {
            LogAction::Close => Self::Close,
            LogAction::Reopen => Self::Reopen,
            LogAction::Suspend => Self::Suspend,
            LogAction::Unsuspend => Self::Unsuspend,
            LogAction::Role => Self::Role,
            LogAction::Edit => Self::Edit,
            LogAction::Rollback => Self::Rollback,
            LogAction::Delete => Self::Delete,
            LogAction::Dismiss => Self::Dismiss,
            LogAction::Undelete => Self::Undelete,
            LogAction::Purge => Self::Purge,
        }
    }
}

/// Closing a question.
#[derive(Object)]
#[oai(deny_unknown_fields)]
pub struct CloseInput {
    pub reason: CloseReasonJson,
    /// The question it duplicates (for `duplicate`).
    #[oai(nullable)]
    pub duplicate_of: Option<i64>,
    /// Up to 500 characters, shown on the question (required for `other`).
    #[oai(nullable)]
    pub note: Option<Text>,
}

/// Why and by whom a question was closed.
#[derive(Object)]
pub struct ClosureJson {
    pub reason: CloseReasonJson,
    #[oai(nullable)]
    pub duplicate_of: Option<i64>,
    pub note: String,
    /// The moderator's name (null for a deleted account).
    #[oai(nullable)]
    pub closed_by: Option<String>,
    pub closed_at: time::OffsetDateTime,
}

impl From<&Closure> for ClosureJson {
    fn from(closure: &Closure) -> Self {
        Self {
            reason: closure.reason.into(),
            duplicate_of: closure.duplicate_of.as_ref().map(|(id, _)| id.0),
            note: closure.note.clone(),
            closed_by: closure.closed_by.clone(),
            closed_at: timestamp(closure.closed_at),
        }
    }
}

/// Whether a question is closed, and why.
#[derive(Object)]
pub struct ClosureState {
    pub question_id: i64,
    /// Null while it is open.
    #[oai(nullable)]
    pub closure: Option<ClosureJson>,
}

/// Suspending an account.
#[derive(Object)]
#[oai(deny_unknown_fields)]
pub struct SuspensionInput {
    /// The last day of the suspension, YYYY-MM-DD (it ends as that day does, UTC): today up to ten years
    /// ahead.
    pub until: Text,
    /// Up to 500 characters; the account is shown it on every attempt to write.
    pub reason: Text,
}

/// A running suspension.
#[derive(Object)]
pub struct SuspensionJson {
    /// Its last day (UTC).
    pub last_day: String,
    /// When it ends.
    pub ends_at: time::OffsetDateTime,
    pub reason: String,
}

impl From<&Suspension> for SuspensionJson {
    fn from(suspension: &Suspension) -> Self {
        Self {
            last_day: last_day(suspension.until),
            ends_at: timestamp(suspension.until),
            reason: suspension.reason.clone(),
        }
    }
}

/// Whether an account is suspended.
#[derive(Object)]
pub struct SuspensionState {
    pub username: String,
    /// Null when none runs.
    #[oai(nullable)]
    pub suspension: Option<SuspensionJson>,
}

/// Giving an account a role.
#[derive(Object)]
#[oai(deny_unknown_fields)]
pub struct RoleInput {
    pub role: RoleJson,
}

/// An account's role, and the one it had before.
#[derive(Object)]
pub struct RoleState {
    pub username: String,
    pub role: RoleJson,
    pub previous: RoleJson,
}

/// One thing a moderator did.
#[derive(Object)]
pub struct LogEntryJson {
    pub id: i64,
    pub at: time::OffsetDateTime,
    /// Who did it (null: the operator, from the shell; empty: an account deleted since).
    #[oai(nullable)]
    pub actor: Option<String>,
    pub action: LogActionJson,
    /// The question it was done to, if one.
    #[oai(nullable)]
    pub question_id: Option<i64>,
    /// The question's subject or the account's name, as it was then.
    pub target: String,
    /// The reason, the role or the suspension's end (a Unix time) and reason, as the log keeps them.
    pub detail: String,
}

impl From<&LogEntry> for LogEntryJson {
    fn from(entry: &LogEntry) -> Self {
        Self {
            id: entry.id,
            at: timestamp(entry.at),
            actor: entry.actor.clone(),
            action: entry.action.into(),
            question_id: entry.question.map(|q| q.0),
            target: entry.target.clone(),
            detail: entry.detail.clone(),
        }
    }
}

/// A page of the moderation log, newest first.
#[derive(Object)]
pub struct LogJson {
    pub items: Vec<LogEntryJson>,
    /// The next (older) page, if any.
    #[oai(nullable)]
    pub next: Option<String>,
}

#[derive(ApiResponse)]
pub enum ClosureResponse {
    /// The question as it is now.
    #[oai(status = 200)]
    Ok(Json<ClosureState>),
}

#[derive(ApiResponse)]
pub enum SuspensionResponse {
    /// The account as it is now.
    #[oai(status = 200)]
    Ok(Json<SuspensionState>),
}

#[derive(ApiResponse)]
pub enum RoleResponse {
    /// The account's role now.
    #[oai(status = 200)]
    Ok(Json<RoleState>),
}

#[derive(ApiResponse)]
pub enum LogResponse {
    /// A page of the log.
    #[oai(status = 200)]
    Ok(Json<LogJson>),
}

/// The question's closure as it is now.
async fn closure_state(state: &State, req: &Request, id: QuestionId) -> ApiResult<ClosureResponse> {
    let question = board::questions::show(&state.store, id, None)
        .await
        .map_err(|err| ApiError::from_board(err, lang(req)))?;
    Ok(ClosureResponse::Ok(Json(ClosureState {
        question_id: id.0,
        closure: question.closure.as_ref().map(ClosureJson::from),
    })))
}

/// The account's suspension as it is now.
async fn suspension_state(
    state: &State,
    req: &Request,
    name: &str,
) -> ApiResult<SuspensionResponse> {
    let profile = board::people::profile(&state.store, name)
        .await
        .map_err(|err| ApiError::from_board(err, lang(req)))?;
    Ok(SuspensionResponse::Ok(Json(SuspensionState {
        suspension: profile.suspension.as_ref().map(SuspensionJson::from),
        username: profile.username,
    })))
}

#[OpenApi(tag = "ApiTags::Moderation")]
impl ModerationApi {
    /// Closes a question (a moderator): it takes no new answers until reopened. A question closed already
    /// stays closed as it was (reopen it first to close it for another reason).
    #[oai(
        path = "/questions/:id/closure",
        method = "put",
        operation_id = "closeQuestion"
    )]
    async fn close(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
        body: Json<CloseInput>,
    ) -> ApiResult<ClosureResponse> {
        let user = auth.writer()?;
        let input = body.0;
        let form = CloseForm {
            reason: input.reason.reason().code().to_owned(),
            duplicate_of: input
                .duplicate_of
                .map(|id| id.to_string())
                .unwrap_or_default(),
            note: input.note.map(|note| note.0).unwrap_or_default(),
        };
        let id = QuestionId(id.0);
        match board::moderation::close(&state.store, user, id, &form).await {
            Ok(()) => {}
            Err(BoardError::Invalid(errors))
                if errors.iter().all(|e| e.problem == Problem::AlreadyClosed) => {}
            Err(err) => return Err(ApiError::from_board(err, lang(req))),
        }
        closure_state(&state, req, id).await
    }

    /// Reopens a question (a moderator).
    #[oai(
        path = "/questions/:id/closure",
        method = "delete",
        operation_id = "reopenQuestion"
    )]
    async fn reopen(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
    ) -> ApiResult<ClosureResponse> {
        let user = auth.writer()?;
        let id = QuestionId(id.0);
        board::moderation::reopen(&state.store, user, id)
            .await
            .map_err(|err| ApiError::from_board(err, lang(req)))?;
        closure_state(&state, req, id).await
    }

    /// Suspends an account whose role is below the token's (a moderator): it can read and log in, but not
    /// post, comment or like, and is told why and until when.
    #[oai(
        path = "/users/:name/suspension",
        method = "put",
        operation_id = "suspendUser"
    )]
    async fn suspend(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        name: Path<String>,
        body: Json<SuspensionInput>,
    ) -> ApiResult<SuspensionResponse> {
        let user = auth.writer()?;
        let form = SuspendForm {
            until: body.0.until.0,
            reason: body.0.reason.0,
        };
        let profile = board::moderation::suspend(&state.store, user, &name.0, &form)
            .await
            .map_err(|err| ApiError::from_board(err, lang(req)))?;
        suspension_state(&state, req, &profile.username).await
    }

    /// Lifts an account's suspension (a moderator).
    #[oai(
        path = "/users/:name/suspension",
        method = "delete",
        operation_id = "unsuspendUser"
    )]
    async fn unsuspend(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        name: Path<String>,
    ) -> ApiResult<SuspensionResponse> {
        let user = auth.writer()?;
        let (profile, _) = board::moderation::unsuspend(&state.store, user, &name.0)
            .await
            .map_err(|err| ApiError::from_board(err, lang(req)))?;
        suspension_state(&state, req, &profile.username).await
    }

    /// Gives an account a role (an admin; never their own).
    #[oai(path = "/users/:name/role", method = "put", operation_id = "setRole")]
    async fn set_role(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        name: Path<String>,
        body: Json<RoleInput>,
    ) -> ApiResult<RoleResponse> {
        let user = auth.writer()?;
        let role = body.0.role;
        let (profile, previous) =
            board::moderation::set_role(&state.store, user, &name.0, role.role().code())
                .await
                .map_err(|err| ApiError::from_board(err, lang(req)))?;
        Ok(RoleResponse::Ok(Json(RoleState {
            username: profile.username,
            role,
            previous: previous.into(),
        })))
    }

    /// The moderation log, newest first, 50 a page (a moderator).
    #[oai(
        path = "/moderation/log",
        method = "get",
        operation_id = "moderationLog"
    )]
    async fn log(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        /// Entries before this id (the `next` address carries it).
        #[oai(validator(minimum(value = "1")))]
        before: Query<Option<i64>>,
    ) -> ApiResult<LogResponse> {
        let page = board::moderation::log(&state.store, auth.account(), before.0)
            .await
            .map_err(|err| ApiError::from_board(err, lang(req)))?;
        Ok(LogResponse::Ok(Json(LogJson {
            items: page.entries.iter().map(LogEntryJson::from).collect(),
            next: page
                .older
                .map(|older| format!("/api/v1/moderation/log?before={older}")),
        })))
    }
}
