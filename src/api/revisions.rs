//! Edit history: every revision of a question, answer or comment, and rolling a post back to one of them
//! (its author or a moderator, with a token with write access). The same use cases as the history pages.

use poem::{Request, web::Data};
use poem_openapi::{ApiResponse, Object, OpenApi, param::Path, payload::Json};

use super::{
    ApiTags, State,
    auth::{MaybeToken, Token},
    error::{ApiError, ApiResult},
    http::lang,
    types::timestamp,
};
use crate::{
    board,
    domain::{
        board::{AnswerId, CommentId, QuestionId},
        policy::PostRef,
        revisions::{PostRevisions, RevisionEntry},
    },
};
use time::OffsetDateTime;

pub struct RevisionsApi;

/// A post as one of its edits left it.
#[derive(Object)]
pub struct RevisionJson {
    /// 1 for the post as first written (or as it stood before history was kept), then one more per edit.
    pub number: i64,
    /// Who made it; empty once their account is deleted.
    pub editor: String,
    pub created_at: OffsetDateTime,
    /// What the editor said of it (empty for nothing).
    pub summary: String,
    /// The earlier revision this one made the text again, if it was a rollback.
    #[oai(nullable)]
    pub rolled_back_to: Option<i64>,
    /// A question's subject; null on answers and comments.
    #[oai(nullable)]
    pub subject: Option<String>,
    /// The Markdown as it then stood.
    pub content: String,
    /// A question's tags; null on answers and comments.
    #[oai(nullable)]
    pub tags: Option<Vec<String>>,
    /// The post reads as this revision now.
    pub current: bool,
}

/// Every revision of a post, oldest first (the last is the post as it stands).
#[derive(Object)]
pub struct RevisionList {
    pub items: Vec<RevisionJson>,
    pub total: i64,
}

impl RevisionList {
    fn of(history: &PostRevisions) -> Self {
        let current = history.current().map(|entry| entry.number);
        let items: Vec<RevisionJson> = history
            .revisions
            .iter()
            .map(|entry: &RevisionEntry| RevisionJson {
                number: entry.number,
                editor: entry.editor.clone(),
                created_at: timestamp(entry.created_at),
                summary: entry.summary.clone(),
                rolled_back_to: entry.rolled_back_to,
                subject: entry.subject.clone(),
                content: entry.content.clone(),
                tags: entry.tags.as_ref().map(|tags| {
                    tags.names()
                        .iter()
                        .map(|name| name.as_str().to_owned())
                        .collect()
                }),
                current: Some(entry.number) == current,
            })
            .collect();
        Self {
            total: items.len() as i64,
            items,
        }
    }
}

#[derive(ApiResponse)]
pub enum RevisionsResponse {
    /// Every revision, oldest first.
    #[oai(status = 200)]
    Ok(Json<RevisionList>),
}

async fn list(
    state: &State,
    req: &Request,
    auth: &MaybeToken,
    post: PostRef,
) -> ApiResult<RevisionsResponse> {
    auth.reader(req, state).await?;
    let history = board::revisions::history(&state.store, post)
        .await
        .map_err(|err| ApiError::from_board(err, lang(req)))?;
    Ok(RevisionsResponse::Ok(Json(RevisionList::of(&history))))
}

async fn rollback(
    state: &State,
    req: &Request,
    auth: &Token,
    post: PostRef,
    number: i64,
) -> ApiResult<RevisionsResponse> {
    let fail = |err| ApiError::from_board(err, lang(req));
    let user = auth.poster(state, lang(req)).await?;
    board::revisions::rollback(&state.store, user, post, number)
        .await
        .map_err(fail)?;
    state.index_now().await;
    let history = board::revisions::history(&state.store, post)
        .await
        .map_err(fail)?;
    Ok(RevisionsResponse::Ok(Json(RevisionList::of(&history))))
}

#[OpenApi(tag = "ApiTags::Revisions")]
impl RevisionsApi {
    /// Every revision of a question, oldest first.
    #[oai(
        path = "/questions/:id/revisions",
        method = "get",
        operation_id = "listQuestionRevisions"
    )]
    async fn question_revisions(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: MaybeToken,
        id: Path<i64>,
    ) -> ApiResult<RevisionsResponse> {
        list(&state, req, &auth, PostRef::Question(QuestionId(id.0))).await
    }

    /// Every revision of an answer, oldest first.
    #[oai(
        path = "/answers/:id/revisions",
        method = "get",
        operation_id = "listAnswerRevisions"
    )]
    async fn answer_revisions(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: MaybeToken,
        id: Path<i64>,
    ) -> ApiResult<RevisionsResponse> {
        list(&state, req, &auth, PostRef::Answer(AnswerId(id.0))).await
    }

    /// Every revision of a comment, oldest first.
    #[oai(
        path = "/comments/:id/revisions",
        method = "get",
        operation_id = "listCommentRevisions"
    )]
    async fn comment_revisions(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: MaybeToken,
        id: Path<i64>,
    ) -> ApiResult<RevisionsResponse> {
        list(&state, req, &auth, PostRef::Comment(CommentId(id.0))).await
    }

    /// Makes an earlier revision of a question its text, subject and tags again, as a new revision (its
    /// author or a moderator). Answers the history as it now is.
    #[oai(
        path = "/questions/:id/revisions/:number/rollback",
        method = "post",
        operation_id = "rollbackQuestion"
    )]
    async fn question_rollback(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
        number: Path<i64>,
    ) -> ApiResult<RevisionsResponse> {
        let post = PostRef::Question(QuestionId(id.0));
        rollback(&state, req, &auth, post, number.0).await
    }

    /// Makes an earlier revision of an answer its text again, as a new revision (its author or a
    /// moderator). Answers the history as it now is.
    #[oai(
        path = "/answers/:id/revisions/:number/rollback",
        method = "post",
        operation_id = "rollbackAnswer"
    )]
    async fn answer_rollback(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
        number: Path<i64>,
    ) -> ApiResult<RevisionsResponse> {
        let post = PostRef::Answer(AnswerId(id.0));
        rollback(&state, req, &auth, post, number.0).await
    }

    /// Makes an earlier revision of a comment its text again, as a new revision (its author or a
    /// moderator). Answers the history as it now is.
    #[oai(
        path = "/comments/:id/revisions/:number/rollback",
        method = "post",
        operation_id = "rollbackComment"
    )]
    async fn comment_rollback(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
        number: Path<i64>,
    ) -> ApiResult<RevisionsResponse> {
        let post = PostRef::Comment(CommentId(id.0));
        rollback(&state, req, &auth, post, number.0).await
    }
}
