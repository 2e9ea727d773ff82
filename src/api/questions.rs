//! `/api/v1/questions`: the list (browsing, by tag, or searched), one question with its first answers,
//! asking, editing and deleting.

use poem::{Request, web::Data};
use poem_openapi::{
    ApiResponse, Enum, OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{
    ApiTags, State,
    answers::answer_list,
    auth::{MaybeToken, Token},
    error::{ApiError, ApiResult},
    http::lang,
    paging::{address, paging},
    reactions::{self, FollowResponse, LikeResponse},
    types::{QuestionInput, QuestionItem, QuestionJson, QuestionList},
};
use crate::{
    board::{self, BoardError},
    domain::{
        FieldError, Problem,
        board::{AnswerSort, ListSort, QuestionForm, QuestionId, clamp_page},
        policy::PostRef,
        posts::{PageParts, Removal},
        search::SearchQuery,
        tags::TagName,
    },
};

pub struct QuestionsApi;

/// The order of a question list.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[oai(rename_all = "lowercase")]
pub enum ListOrder {
    /// Newest first (the default without `q`).
    Recent,
    /// Those without answers, newest first (not with `q`).
    Unanswered,
    /// Those without an accepted answer, newest first (not with `q`).
    Unaccepted,
    /// Most liked first.
    Likes,
    /// Most answered first.
    Answers,
    /// Most relevant first (the default with `q`; only with `q`).
    Best,
}

impl ListOrder {
    fn sort(self) -> ListSort {
        match self {
            Self::Recent => ListSort::Recent,
            Self::Unanswered => ListSort::Unanswered,
            Self::Unaccepted => ListSort::Unaccepted,
            Self::Likes => ListSort::Likes,
            Self::Answers => ListSort::Answers,
            Self::Best => ListSort::Best,
        }
    }
}

/// The order of a question's answers.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[oai(rename_all = "lowercase")]
pub enum AnswerOrder {
    /// Most liked first, ties oldest first (the default).
    Likes,
    /// Newest first.
    Recent,
}

impl AnswerOrder {
    pub fn sort(order: Option<Self>) -> AnswerSort {
        match order {
            Some(Self::Recent) => AnswerSort::Recent,
            Some(Self::Likes) | None => AnswerSort::Likes,
        }
    }
}

#[derive(ApiResponse)]
pub enum ListResponse {
    /// One page of questions; `Link` names the next and previous pages.
    #[oai(status = 200)]
    Ok(Json<QuestionList>, #[oai(header = "Link")] Option<String>),
}

#[derive(ApiResponse)]
pub enum QuestionResponse {
    /// The question, with the first page of its answers.
    #[oai(status = 200)]
    Ok(Json<QuestionJson>),
}

#[derive(ApiResponse)]
pub enum AskResponse {
    /// Asked: the question as it now stands; `Location` is its address.
    #[oai(status = 201)]
    Created(Json<QuestionJson>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
pub enum DeletedResponse {
    /// Deleted (a question with its answers): its author and moderators still read it and may undelete
    /// it; or purged, for good.
    #[oai(status = 204)]
    Deleted,
}

/// The question form an API input makes: its tags joined as the form types them. A tag holding a space
/// or a comma would be read as two, so it is refused as the form refuses a bad tag (with the form's
/// other problems, if it has any).
fn question_form(input: QuestionInput) -> Result<QuestionForm, BoardError> {
    let tags: Option<Vec<String>> = input
        .tags
        .map(|tags| tags.into_iter().map(|tag| tag.0).collect());
    let split: Vec<FieldError> = tags
        .iter()
        .flatten()
        .filter(|tag| tag.contains(crate::domain::tags::is_separator))
        .map(|tag| FieldError::about("tags", Problem::TagCharacters, tag))
        .collect();
    let form = QuestionForm {
        subject: input.subject.0,
        content: input.content.0,
        tags: tags.map(|tags| tags.join(" ")),
        summary: input.summary.map(|summary| summary.0),
    };
    if split.is_empty() {
        return Ok(form);
    }
    let others = QuestionForm { tags: None, ..form }
        .parse()
        .err()
        .unwrap_or_default();
    Err(BoardError::Invalid(
        others.into_iter().chain(split).collect(),
    ))
}

/// Deletes, undeletes or purges a post for the token's account; returns its question.
pub async fn removed(
    req: &Request,
    state: &State,
    auth: &Token,
    post: PostRef,
    how: Removal,
) -> ApiResult<QuestionId> {
    let user = auth.writer()?;
    let question = board::questions::remove(&state.store, user, post, how)
        .await
        .map_err(|err| ApiError::from_board(err, lang(req)))?;
    state.index_now().await;
    Ok(question)
}

/// The question as `viewer` sees it, with the first page of its answers.
pub async fn question_json(
    state: &State,
    id: QuestionId,
    viewer: Option<&crate::domain::accounts::CurrentUser>,
) -> Result<QuestionJson, BoardError> {
    let reader = board::moderation::reader(&state.store, viewer).await?;
    let parts = PageParts::Answers;
    let page =
        board::questions::page(&state.store, id, AnswerSort::Likes, 1, reader, parts).await?;
    let answers = answer_list(&page, AnswerSort::Likes);
    Ok(QuestionJson::new(&page.question, answers))
}

#[OpenApi(prefix_path = "/questions", tag = "ApiTags::Questions")]
impl QuestionsApi {
    /// The questions: browsed in an order, carrying a tag, or searched (`q`, with the board's search
    /// syntax: `"a phrase"`, `-word`, `[tag]`), ten a page.
    #[oai(path = "/", method = "get", operation_id = "listQuestions")]
    #[allow(clippy::too_many_arguments)] // each a documented query parameter
    async fn list(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: MaybeToken,
        /// What to search for (up to 200 characters).
        #[oai(validator(max_length = 200))]
        q: Query<Option<String>>,
        /// Only questions carrying this tag.
        #[oai(validator(max_length = 35))]
        tag: Query<Option<String>>,
        /// The order; `best` and `recent`, `likes`, `answers` with `q`.
        sort: Query<Option<ListOrder>>,
        /// The page, from 1 (past the last: the last).
        #[oai(validator(minimum(value = "1")))]
        page: Query<Option<i64>>,
    ) -> ApiResult<ListResponse> {
        let lang = lang(req);
        let account = auth.reader(req, &state).await?.map(|user| user.id);
        let tag = match tag.0.as_deref().map(TagName::parse).transpose() {
            Ok(tag) => tag,
            Err(_) => return Err(ApiError::not_found()),
        };
        let typed = q.0.as_deref().map(SearchQuery::cut).unwrap_or_default();
        let with_tag = match &tag {
            Some(tag) if !typed.trim().is_empty() => format!("{typed} [{}]", tag.as_str()),
            _ => typed.clone(),
        };
        let query = SearchQuery::parse(&with_tag);
        let searching = !query.is_empty() && !typed.trim().is_empty();
        let order = sort.0.unwrap_or(if searching {
            ListOrder::Best
        } else {
            ListOrder::Recent
        });
        let allowed = if searching {
            ListSort::SEARCH.contains(&order.sort())
        } else {
            order != ListOrder::Best
        };
        if !allowed {
            return Err(ApiError::BadRequest(Json(super::error::ErrorBody::new(
                "bad_request",
                "`best` orders only a search (`q`); `unanswered` and `unaccepted` only a list without one.",
            ))));
        }
        let requested = page.0.unwrap_or(1);
        let fail = |err| ApiError::from_board(err, lang);
        let (items, page, total, last) = if searching {
            if let Err(wait) = state
                .searches
                .try_take(crate::web::middleware::client_key(req), account)
            {
                return Err(ApiError::too_many(wait));
            }
            let found = board::questions::search(
                &state.store,
                &state.search,
                &query,
                order.sort(),
                requested,
            )
            .await
            .map_err(fail)?;
            let last = clamp_page(i64::MAX, found.total);
            (found.questions, found.page, found.total, last)
        } else if let Some(tag) = &tag {
            let (_, found) = state
                .store
                .tag_questions(tag.clone(), order.sort(), requested)
                .await
                .map_err(|err| fail(err.into()))?
                .ok_or_else(ApiError::not_found)?;
            let last = clamp_page(i64::MAX, found.total);
            (found.questions, found.page, found.total, last)
        } else {
            let found = state
                .store
                .question_list(order.sort(), requested)
                .await
                .map_err(|err| fail(err.into()))?;
            let last = clamp_page(i64::MAX, found.total);
            (found.questions, found.page, found.total, last)
        };
        let sort_code = sort.0.map(|order| order.sort().code());
        let page_address = |page: i64| {
            address(
                "/api/v1/questions",
                &[
                    ("q", q.0.as_deref()),
                    ("tag", tag.as_ref().map(|tag| tag.as_str())),
                    ("sort", sort_code),
                    ("page", Some(&page.to_string())),
                ],
            )
        };
        let paging = paging(page_address, page, last);
        Ok(ListResponse::Ok(
            Json(QuestionList {
                items: items.iter().map(QuestionItem::from).collect(),
                page,
                total,
                next: paging.next,
            }),
            paging.link,
        ))
    }

    /// Asks a question (a token with write access).
    #[oai(path = "/", method = "post", operation_id = "askQuestion")]
    async fn ask(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        body: Json<QuestionInput>,
    ) -> ApiResult<AskResponse> {
        let fail = |err| ApiError::from_board(err, lang(req));
        let user = auth.poster(&state, lang(req)).await?;
        let form = question_form(body.0).map_err(fail)?;
        let id = board::questions::ask(&state.store, user, &form, state.write_limits())
            .await
            .map_err(fail)?;
        state.index_now().await;
        let question = question_json(&state, id, Some(user)).await.map_err(fail)?;
        Ok(AskResponse::Created(
            Json(question),
            format!("/api/v1/questions/{}", id.0),
        ))
    }

    /// A question with the first page of its answers (the accepted one first).
    #[oai(path = "/:id", method = "get", operation_id = "getQuestion")]
    async fn get(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: MaybeToken,
        id: Path<i64>,
    ) -> ApiResult<QuestionResponse> {
        let viewer = auth.reader(req, &state).await?;
        let question = question_json(&state, QuestionId(id.0), viewer)
            .await
            .map_err(|err| ApiError::from_board(err, lang(req)))?;
        Ok(QuestionResponse::Ok(Json(question)))
    }

    /// Replaces a question's subject and body, and its tags when `tags` is given (its author, with a
    /// token with write access).
    #[oai(path = "/:id", method = "put", operation_id = "editQuestion")]
    async fn edit(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
        body: Json<QuestionInput>,
    ) -> ApiResult<QuestionResponse> {
        let fail = |err| ApiError::from_board(err, lang(req));
        let user = auth.poster(&state, lang(req)).await?;
        let id = QuestionId(id.0);
        let form = question_form(body.0).map_err(fail)?;
        board::questions::edit(&state.store, user, id, &form, state.write_limits())
            .await
            .map_err(fail)?;
        state.index_now().await;
        let question = question_json(&state, id, Some(user)).await.map_err(fail)?;
        Ok(QuestionResponse::Ok(Json(question)))
    }

    /// Deletes a question with its answers (its author or a moderator, with a token with write access):
    /// gone for everyone else, it stays readable to them, marked, and may be undeleted.
    #[oai(path = "/:id", method = "delete", operation_id = "deleteQuestion")]
    async fn delete(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
    ) -> ApiResult<DeletedResponse> {
        let post = PostRef::Question(QuestionId(id.0));
        removed(req, &state, &auth, post, Removal::Delete).await?;
        Ok(DeletedResponse::Deleted)
    }

    /// Brings a deleted question back with the answers deleted with it (its author or a moderator; a
    /// delete by someone of a higher role only someone of that role undoes: 403 `deleted_by_moderator`);
    /// one not deleted stays as it is.
    #[oai(
        path = "/:id/undelete",
        method = "post",
        operation_id = "undeleteQuestion"
    )]
    async fn undelete(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
    ) -> ApiResult<QuestionResponse> {
        let id = QuestionId(id.0);
        removed(req, &state, &auth, PostRef::Question(id), Removal::Undelete).await?;
        let question = question_json(&state, id, Some(auth.writer()?))
            .await
            .map_err(|err| ApiError::from_board(err, lang(req)))?;
        Ok(QuestionResponse::Ok(Json(question)))
    }

    /// Removes a question for good, deleted or not, with its answers, comments, likes and history (an
    /// admin).
    #[oai(path = "/:id/purge", method = "post", operation_id = "purgeQuestion")]
    async fn purge(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
    ) -> ApiResult<DeletedResponse> {
        let post = PostRef::Question(QuestionId(id.0));
        removed(req, &state, &auth, post, Removal::Purge).await?;
        Ok(DeletedResponse::Deleted)
    }

    /// Likes a question (a token with write access; nobody likes their own post).
    #[oai(path = "/:id/like", method = "put", operation_id = "likeQuestion")]
    async fn like(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
    ) -> ApiResult<LikeResponse> {
        reactions::like(
            &state,
            req,
            &auth,
            PostRef::Question(QuestionId(id.0)),
            true,
        )
        .await
    }

    /// Takes back a like of a question.
    #[oai(path = "/:id/like", method = "delete", operation_id = "unlikeQuestion")]
    async fn unlike(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
    ) -> ApiResult<LikeResponse> {
        reactions::like(
            &state,
            req,
            &auth,
            PostRef::Question(QuestionId(id.0)),
            false,
        )
        .await
    }

    /// Follows a question: its new answers and comments reach the account's notifications.
    #[oai(path = "/:id/follow", method = "put", operation_id = "followQuestion")]
    async fn follow(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
    ) -> ApiResult<FollowResponse> {
        reactions::follow_question(&state, req, &auth, QuestionId(id.0), true).await
    }

    /// Stops following a question.
    #[oai(
        path = "/:id/follow",
        method = "delete",
        operation_id = "unfollowQuestion"
    )]
    async fn unfollow(
        &self,
        req: &Request,
        state: Data<&State>,
        auth: Token,
        id: Path<i64>,
    ) -> ApiResult<FollowResponse> {
        reactions::follow_question(&state, req, &auth, QuestionId(id.0), false).await
    }
}
