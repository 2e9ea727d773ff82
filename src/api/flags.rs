//! Flags: telling the moderators a post needs them (anyone with a write token, once per post), and the
//! moderators' review queue and dismissing a post's flags. The same use cases as the pages.

use poem::{Request, web::Data};
use poem_openapi::{ApiResponse, Enum, Object, OpenApi, param::Path, payload::Json};

use super::{
    ApiTags, State,
    auth::Token,
    error::{ApiError, ApiResult},
    http::lang,
    text::Text,
    types::timestamp,
};
use crate::{
    board,
    domain::{
        board::{AnswerId, CommentId, QuestionId},
        flags::{FlagForm, FlagReason, Flagged, ReviewItem},
        policy::PostRef,
    },
};

pub struct FlagsApi;

/// Why a post is flagged.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[oai(rename_all = "lowercase")]
pub enum FlagReasonJson {
    /// It advertises something.
    Spam,
    /// Rude or abusive.
    Rude,
    /// Something else a moderator should see, said in the note.
    Other,
}

impl FlagReasonJson {
    fn reason(self) -> FlagReason {
        match self {
            Self::Spam => FlagReason::Spam,
            Self::Rude => FlagReason::Rude,
            Self::Other => FlagReason::Other,
        }
    }
}

impl From<FlagReason> for FlagReasonJson {
    fn from(reason: FlagReason) -> Self {
        match reason {
            FlagReason::Spam => Self::Spam,
            FlagReason::Rude => Self::Rude,
            FlagReason::Other => Self::Other,
        }
    }
}

/// A flag to raise.
#[derive(Object)]
#[oai(deny_unknown_fields)]
pub struct FlagInput {
    pub reason: FlagReasonJson,
    /// Up to 500 characters for the moderators (required for `other`).
    #[oai(nullable)]
    pub note: Option<Text>,
}

/// What flagging did.
#[derive(Object)]
pub struct FlagState {
    /// False when this account had flagged the post before (nothing changed).
    pub raised: bool,
    /// The post is hidden now, until a moderator decides (three spam flags from different people).
    pub hidden: bool,
}

/// Whether dismissing found open flags.
#[derive(Object)]
pub struct DismissState {
    pub dismissed: bool,
}

/// One open flag.
#[derive(Object)]
pub struct FlagJson {
    /// Who raised it (empty once their account is deleted).
    pub by: String,
    pub reason: FlagReasonJson,
    pub note: String,
    pub created_at: time::OffsetDateTime,
}

/// A post with open flags.
#[derive(Object)]
pub struct ReviewItemJson {
    /// `question`, `answer` or `comment`.
    pub post_kind: String,
    pub post_id: i64,
    pub question_id: i64,
    pub question_subject: String,
    /// The post's author (empty once their account is deleted).
    pub author: String,
    /// The post's Markdown as it stands.
    pub content: String,
    pub hidden: bool,
    /// Oldest first.
    pub flags: Vec<FlagJson>,
}

impl From<&ReviewItem> for ReviewItemJson {
    fn from(item: &ReviewItem) -> Self {
        let (post_kind, post_id) = match item.post {
            PostRef::Question(id) => ("question", id.0),
            PostRef::Answer(id) => ("answer", id.0),
            PostRef::Comment(id) => ("comment", id.0),
        };
        Self {
            post_kind: post_kind.to_owned(),
            post_id,
            question_id: item.question_id.0,
            question_subject: item.question_subject.clone(),
            author: item.author.clone(),
            content: item.content.clone(),
            hidden: item.hidden,
            flags: item
                .flags
                .iter()
                .map(|flag| FlagJson {
                    by: flag.by.clone(),
                    reason: flag.reason.into(),
                    note: flag.note.clone(),
                    created_at: timestamp(flag.at),
                })
                .collect(),
        }
    }
}

/// The review queue.
#[derive(Object)]
pub struct ReviewList {
    pub items: Vec<ReviewItemJson>,
}

#[derive(ApiResponse)]
pub enum FlagResponse {
    /// The flag is in, or was already.
    #[oai(status = 200)]
    Ok(Json<FlagState>),
}

#[derive(ApiResponse)]
pub enum DismissResponse {
    /// The post's open flags are dismissed (a hidden post shows again).
    #[oai(status = 200)]
    Ok(Json<DismissState>),
}

#[derive(ApiResponse)]
pub enum ReviewResponse {
    /// The posts with open flags, the most recently flagged first.
    #[oai(status = 200)]
    Ok(Json<ReviewList>),
}

async fn flag(
    state: &State,
    req: &Request,
    auth: &Token,
    post: PostRef,
    input: FlagInput,
) -> ApiResult<FlagResponse> {
    let user = auth.poster(state, lang(req)).await?;
    let form = FlagForm {
        reason: input.reason.reason().code().to_owned(),
        note: input.note.map(|note| note.0).unwrap_or_default(),
    };
    let flagged = board::flags::flag(&state.store, user, post, &form)
        .await
        .map_err(|err| ApiError::from_board(err, lang(req)))?;
    Ok(FlagResponse::Ok(Json(match flagged {
        Flagged::Raised { hidden } => FlagState {
            raised: true,
            hidden,
        },
        Flagged::Already => FlagState {
            raised: false,
            hidden: false,
        },
    })))
}

async fn dismiss(
    state: &State,
    req: &Request,
    auth: &Token,
    post: PostRef,
) -> ApiResult<DismissResponse> {
    let user = auth.writer()?;
    let dismissed = board::flags::dismiss(&state.store, user, post)
        .await
        .map_err(|err| ApiError::from_board(err, lang(req)))?;
    Ok(DismissResponse::Ok(Json(DismissState { dismissed })))
}

#[OpenApi(tag = "ApiTags::Flags")]
impl FlagsApi {
    /// Flags a question for the moderators (once per account; not one's own).
    #[oai(
        path = "/questions/:id/flags",
        method = "post",
        operation_id = "flagQuestion"
    )]
    async fn flag_question(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
        body: Json<FlagInput>,
    ) -> ApiResult<FlagResponse> {
        flag(
            &state,
            req,
            &auth,
            PostRef::Question(QuestionId(id.0)),
            body.0,
        )
        .await
    }

    /// Flags an answer for the moderators (once per account; not one's own).
    #[oai(
        path = "/answers/:id/flags",
        method = "post",
        operation_id = "flagAnswer"
    )]
    async fn flag_answer(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
        body: Json<FlagInput>,
    ) -> ApiResult<FlagResponse> {
        flag(&state, req, &auth, PostRef::Answer(AnswerId(id.0)), body.0).await
    }

    /// Flags a comment for the moderators (once per account; not one's own).
    #[oai(
        path = "/comments/:id/flags",
        method = "post",
        operation_id = "flagComment"
    )]
    async fn flag_comment(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
        body: Json<FlagInput>,
    ) -> ApiResult<FlagResponse> {
        flag(
            &state,
            req,
            &auth,
            PostRef::Comment(CommentId(id.0)),
            body.0,
        )
        .await
    }

    /// Dismisses a question's open flags (moderators).
    #[oai(
        path = "/questions/:id/flags",
        method = "delete",
        operation_id = "dismissQuestionFlags"
    )]
    async fn dismiss_question(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
    ) -> ApiResult<DismissResponse> {
        dismiss(&state, req, &auth, PostRef::Question(QuestionId(id.0))).await
    }

    /// Dismisses an answer's open flags (moderators).
    #[oai(
        path = "/answers/:id/flags",
        method = "delete",
        operation_id = "dismissAnswerFlags"
    )]
    async fn dismiss_answer(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
    ) -> ApiResult<DismissResponse> {
        dismiss(&state, req, &auth, PostRef::Answer(AnswerId(id.0))).await
    }

    /// Dismisses a comment's open flags (moderators).
    #[oai(
        path = "/comments/:id/flags",
        method = "delete",
        operation_id = "dismissCommentFlags"
    )]
    async fn dismiss_comment(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
    ) -> ApiResult<DismissResponse> {
        dismiss(&state, req, &auth, PostRef::Comment(CommentId(id.0))).await
    }

    /// The posts with open flags, the most recently flagged first (moderators).
    #[oai(path = "/review", method = "get", operation_id = "reviewQueue")]
    async fn review(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
    ) -> ApiResult<ReviewResponse> {
        let items = board::flags::review(&state.store, auth.account())
            .await
            .map_err(|err| ApiError::from_board(err, lang(req)))?;
        Ok(ReviewResponse::Ok(Json(ReviewList {
            items: items.iter().map(ReviewItemJson::from).collect(),
        })))
    }
}
