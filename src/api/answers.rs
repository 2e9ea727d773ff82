//! Answers: a question's answers page by page, answering, one answer, editing and deleting.

use poem::{Request, web::Data};
use poem_openapi::{
    ApiResponse, OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{
    ApiTags, State,
    auth::{MaybeToken, Token},
    error::{ApiError, ApiResult},
    http::lang,
    paging::{address, paging},
    questions::{AnswerOrder, DeletedResponse, removed},
    reactions::{self, AcceptResponse, LikeResponse},
    types::{AnswerInput, AnswerJson, AnswerList},
};
use crate::{
    board::{self, BoardError},
    domain::{
        accounts::CurrentUser,
        board::{AnswerForm, AnswerId, AnswerSort, QuestionId, clamp_page},
        policy::PostRef,
        posts::{PageParts, QuestionPage, Removal},
    },
};

pub struct AnswersApi;

/// One page of a question's answers as the API lists it: on the first page the accepted answer first.
pub fn answer_list(page: &QuestionPage, sort: AnswerSort) -> AnswerList {
    let last = clamp_page(i64::MAX, page.question.paged_answers());
    let items = page
        .accepted
        .iter()
        .chain(&page.answers)
        .map(AnswerJson::from)
        .collect();
    AnswerList {
        items,
        page: page.page,
        total: page.question.answer_count,
        next: paging(
            |n| answers_address(page.question.id, sort, n),
            page.page,
            last,
        )
        .next,
    }
}

fn answers_address(question: QuestionId, sort: AnswerSort, page: i64) -> String {
    address(
        &format!("/api/v1/questions/{}/answers", question.0),
        &[
            ("sort", Some(sort.code())),
            ("page", Some(&page.to_string())),
        ],
    )
}

#[derive(ApiResponse)]
pub enum AnswersResponse {
    /// One page of answers; `Link` names the next and previous pages.
    #[oai(status = 200)]
    Ok(Json<AnswerList>, #[oai(header = "Link")] Option<String>),
}

#[derive(ApiResponse)]
pub enum AnswerResponse {
    /// The answer.
    #[oai(status = 200)]
    Ok(Json<AnswerJson>),
}

#[derive(ApiResponse)]
pub enum AnsweredResponse {
    /// Answered: the answer as it now stands; `Location` is its address.
    #[oai(status = 201)]
    Created(Json<AnswerJson>, #[oai(header = "Location")] String),
}

/// The answer as `viewer` sees it.
async fn answer_json(
    state: &State,
    id: AnswerId,
    viewer: Option<&CurrentUser>,
) -> Result<AnswerJson, BoardError> {
    let reader = board::moderation::reader(&state.store, viewer).await?;
    let answer = board::answers::show(&state.store, id, reader).await?;
    Ok(AnswerJson::from(&answer))
}

#[OpenApi(tag = "ApiTags::Answers")]
impl AnswersApi {
    /// A question's answers, ten a page; on the first page the accepted answer comes first.
    #[oai(
        path = "/questions/:id/answers",
        method = "get",
        operation_id = "listAnswers"
    )]
    async fn list(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: MaybeToken,
        id: Path<i64>,
        /// The order (most liked first by default).
        sort: Query<Option<AnswerOrder>>,
        /// The page, from 1 (past the last: the last).
        #[oai(validator(minimum(value = "1")))]
        page: Query<Option<i64>>,
    ) -> ApiResult<AnswersResponse> {
        let viewer = auth.reader(req, &state).await?;
        let sort = AnswerOrder::sort(sort.0);
        let question = QuestionId(id.0);
        let found = async {
            let reader = board::moderation::reader(&state.store, viewer).await?;
            let parts = PageParts::Answers;
            board::questions::page(
                &state.store,
                question,
                sort,
                page.0.unwrap_or(1),
                reader,
                parts,
            )
            .await
        }
        .await
        .map_err(|err| ApiError::from_board(err, lang(req)))?;
        let list = answer_list(&found, sort);
        let last = clamp_page(i64::MAX, found.question.paged_answers());
        let link = paging(
            |page| answers_address(question, sort, page),
            found.page,
            last,
        )
        .link;
        Ok(AnswersResponse::Ok(Json(list), link))
    }

    /// Answers a question (a token with write access).
    #[oai(
        path = "/questions/:id/answers",
        method = "post",
        operation_id = "answerQuestion"
    )]
    async fn answer(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
        body: Json<AnswerInput>,
    ) -> ApiResult<AnsweredResponse> {
        let fail = |err| ApiError::from_board(err, lang(req));
        let user = auth.poster(&state, lang(req)).await?;
        let form = AnswerForm {
            content: body.0.content.0,
            summary: body.0.summary.map(|summary| summary.0),
        };
        let id = board::answers::answer(
            &state.store,
            user,
            QuestionId(id.0),
            &form,
            state.write_limits(),
        )
        .await
        .map_err(fail)?;
        state.index_now().await;
        let answer = answer_json(&state, id, Some(user)).await.map_err(fail)?;
        Ok(AnsweredResponse::Created(
            Json(answer),
            format!("/api/v1/answers/{}", id.0),
        ))
    }

    /// One answer.
    #[oai(path = "/answers/:id", method = "get", operation_id = "getAnswer")]
    async fn get(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: MaybeToken,
        id: Path<i64>,
    ) -> ApiResult<AnswerResponse> {
        let viewer = auth.reader(req, &state).await?;
        let answer = answer_json(&state, AnswerId(id.0), viewer)
            .await
            .map_err(|err| ApiError::from_board(err, lang(req)))?;
        Ok(AnswerResponse::Ok(Json(answer)))
    }

    /// Replaces an answer's body (its author, with a token with write access).
    #[oai(path = "/answers/:id", method = "put", operation_id = "editAnswer")]
    async fn edit(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
        body: Json<AnswerInput>,
    ) -> ApiResult<AnswerResponse> {
        let fail = |err| ApiError::from_board(err, lang(req));
        let user = auth.poster(&state, lang(req)).await?;
        let form = AnswerForm {
            content: body.0.content.0,
            summary: body.0.summary.map(|summary| summary.0),
        };
        let answer = board::answers::edit(
            &state.store,
            user,
            AnswerId(id.0),
            &form,
            state.write_limits(),
        )
        .await
        .map_err(fail)?;
        state.index_now().await;
        Ok(AnswerResponse::Ok(Json(AnswerJson::from(&answer))))
    }

    /// Deletes an answer (its author or a moderator, with a token with write access): gone for everyone
    /// else, it stays readable to them, marked, and may be undeleted.
    #[oai(
        path = "/answers/:id",
        method = "delete",
        operation_id = "deleteAnswer"
    )]
    async fn delete(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
    ) -> ApiResult<DeletedResponse> {
        let post = PostRef::Answer(AnswerId(id.0));
        removed(req, &state, &auth, post, Removal::Delete).await?;
        Ok(DeletedResponse::Deleted)
    }

    /// Brings a deleted answer back (its author or a moderator; a delete by someone of a higher role only
    /// someone of that role undoes: 403 `deleted_by_moderator`); while its question is deleted it comes
    /// back only with the question (403 `question_deleted`).
    #[oai(
        path = "/answers/:id/undelete",
        method = "post",
        operation_id = "undeleteAnswer"
    )]
    async fn undelete(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
    ) -> ApiResult<AnswerResponse> {
        let id = AnswerId(id.0);
        removed(req, &state, &auth, PostRef::Answer(id), Removal::Undelete).await?;
        let answer = answer_json(&state, id, Some(auth.writer()?))
            .await
            .map_err(|err| ApiError::from_board(err, lang(req)))?;
        Ok(AnswerResponse::Ok(Json(answer)))
    }

    /// Removes an answer for good, deleted or not, with its comments, likes and history (an admin).
    #[oai(
        path = "/answers/:id/purge",
        method = "post",
        operation_id = "purgeAnswer"
    )]
    async fn purge(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
    ) -> ApiResult<DeletedResponse> {
        let post = PostRef::Answer(AnswerId(id.0));
        removed(req, &state, &auth, post, Removal::Purge).await?;
        Ok(DeletedResponse::Deleted)
    }

    /// Likes an answer (a token with write access; nobody likes their own post).
    #[oai(
        path = "/answers/:id/like",
        method = "put",
        operation_id = "likeAnswer"
    )]
    async fn like(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
    ) -> ApiResult<LikeResponse> {
        reactions::like(&state, req, &auth, PostRef::Answer(AnswerId(id.0)), true).await
    }

    /// Takes back a like of an answer.
    #[oai(
        path = "/answers/:id/like",
        method = "delete",
        operation_id = "unlikeAnswer"
    )]
    async fn unlike(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
    ) -> ApiResult<LikeResponse> {
        reactions::like(&state, req, &auth, PostRef::Answer(AnswerId(id.0)), false).await
    }

    /// Marks an answer as the one that solved its question (the question's author, with a token with
    /// write access); another answer accepted before loses the mark.
    #[oai(
        path = "/answers/:id/accepted",
        method = "put",
        operation_id = "acceptAnswer"
    )]
    async fn accept(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
    ) -> ApiResult<AcceptResponse> {
        reactions::accept(&state, req, &auth, AnswerId(id.0), true).await
    }

    /// Takes the accepted mark off an answer (the question's author).
    #[oai(
        path = "/answers/:id/accepted",
        method = "delete",
        operation_id = "unacceptAnswer"
    )]
    async fn unaccept(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
    ) -> ApiResult<AcceptResponse> {
        reactions::accept(&state, req, &auth, AnswerId(id.0), false).await
    }
}
