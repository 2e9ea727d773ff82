//! Comments: every comment on a question or an answer, commenting, one comment, editing and deleting.

use poem::{Request, web::Data};
use poem_openapi::{ApiResponse, OpenApi, param::Path, payload::Json};

use super::{
    ApiTags, State,
    auth::{MaybeToken, Token},
    error::{ApiError, ApiResult},
    http::lang,
    questions::DeletedResponse,
    types::{CommentInput, CommentJson, CommentList},
};
use crate::{
    board,
    domain::{
        board::{AnswerId, CommentForm, CommentId, QuestionId},
        policy::PostRef,
    },
};

pub struct CommentsApi;

#[derive(ApiResponse)]
pub enum CommentsResponse {
    /// Every comment on the post, oldest first.
    #[oai(status = 200)]
    Ok(Json<CommentList>),
}

#[derive(ApiResponse)]
pub enum CommentResponse {
    /// The comment.
    #[oai(status = 200)]
    Ok(Json<CommentJson>),
}

#[derive(ApiResponse)]
pub enum CommentedResponse {
    /// Commented: the comment as it now stands; `Location` is its address.
    #[oai(status = 201)]
    Created(Json<CommentJson>, #[oai(header = "Location")] String),
}

async fn list(
    state: &State,
    req: &Request,
    auth: &MaybeToken,
    post: PostRef,
) -> ApiResult<CommentsResponse> {
    auth.reader(req, state).await?;
    let found = state
        .store
        .post_comments(post)
        .await
        .map_err(|err| ApiError::from_board(err.into(), lang(req)))?
        .ok_or_else(ApiError::not_found)?;
    let items: Vec<CommentJson> = found.comments.iter().map(CommentJson::from).collect();
    Ok(CommentsResponse::Ok(Json(CommentList {
        total: items.len() as i64,
        items,
        page: 1,
        next: None,
    })))
}

async fn add(
    state: &State,
    req: &Request,
    auth: &Token,
    on: PostRef,
    input: CommentInput,
) -> ApiResult<CommentedResponse> {
    let fail = |err| ApiError::from_board(err, lang(req));
    let user = auth.poster(state, lang(req)).await?;
    let form = CommentForm {
        content: input.content.0,
        summary: input.summary.map(|summary| summary.0),
    };
    let id = board::comments::comment(&state.store, user, on, &form, state.write_limits())
        .await
        .map_err(fail)?;
    let comment = state
        .store
        .comment(id)
        .await
        .map_err(|err| fail(err.into()))?
        .ok_or_else(ApiError::not_found)?;
    Ok(CommentedResponse::Created(
        Json(CommentJson::from(&comment)),
        format!("/api/v1/comments/{}", id.0),
    ))
}

#[OpenApi(tag = "ApiTags::Comments")]
impl CommentsApi {
    /// Every comment on a question, oldest first.
    #[oai(
        path = "/questions/:id/comments",
        method = "get",
        operation_id = "listQuestionComments"
    )]
    async fn on_question(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: MaybeToken,
        id: Path<i64>,
    ) -> ApiResult<CommentsResponse> {
        list(&state, req, &auth, PostRef::Question(QuestionId(id.0))).await
    }

    /// Every comment on an answer, oldest first.
    #[oai(
        path = "/answers/:id/comments",
        method = "get",
        operation_id = "listAnswerComments"
    )]
    async fn on_answer(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: MaybeToken,
        id: Path<i64>,
    ) -> ApiResult<CommentsResponse> {
        list(&state, req, &auth, PostRef::Answer(AnswerId(id.0))).await
    }

    /// Comments on a question (a token with write access).
    #[oai(
        path = "/questions/:id/comments",
        method = "post",
        operation_id = "commentOnQuestion"
    )]
    async fn comment_question(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
        body: Json<CommentInput>,
    ) -> ApiResult<CommentedResponse> {
        add(
            &state,
            req,
            &auth,
            PostRef::Question(QuestionId(id.0)),
            body.0,
        )
        .await
    }

    /// Comments on an answer (a token with write access).
    #[oai(
        path = "/answers/:id/comments",
        method = "post",
        operation_id = "commentOnAnswer"
    )]
    async fn comment_answer(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
        body: Json<CommentInput>,
    ) -> ApiResult<CommentedResponse> {
        add(&state, req, &auth, PostRef::Answer(AnswerId(id.0)), body.0).await
    }

    /// One comment.
    #[oai(path = "/comments/:id", method = "get", operation_id = "getComment")]
    async fn get(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: MaybeToken,
        id: Path<i64>,
    ) -> ApiResult<CommentResponse> {
        auth.reader(req, &state).await?;
        let comment = state
            .store
            .comment(CommentId(id.0))
            .await
            .map_err(|err| ApiError::from_board(err.into(), lang(req)))?
            .ok_or_else(ApiError::not_found)?;
        Ok(CommentResponse::Ok(Json(CommentJson::from(&comment))))
    }

    /// Replaces a comment's text (its author, with a token with write access).
    #[oai(path = "/comments/:id", method = "put", operation_id = "editComment")]
    async fn edit(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
        body: Json<CommentInput>,
    ) -> ApiResult<CommentResponse> {
        let user = auth.poster(&state, lang(req)).await?;
        let form = CommentForm {
            content: body.0.content.0,
            summary: body.0.summary.map(|summary| summary.0),
        };
        let comment = board::comments::edit(
            &state.store,
            user,
            CommentId(id.0),
            &form,
            state.write_limits(),
        )
        .await
        .map_err(|err| ApiError::from_board(err, lang(req)))?;
        Ok(CommentResponse::Ok(Json(CommentJson::from(&comment))))
    }

    /// Deletes a comment (its author, with a token with write access).
    #[oai(
        path = "/comments/:id",
        method = "delete",
        operation_id = "deleteComment"
    )]
    async fn delete(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
    ) -> ApiResult<DeletedResponse> {
        let user = auth.writer()?;
        board::comments::delete(&state.store, user, CommentId(id.0))
            .await
            .map_err(|err| ApiError::from_board(err, lang(req)))?;
        Ok(DeletedResponse::Deleted)
    }
}
