//! Edit history: every revision of a question, answer or comment, and rolling a post back to one of them
//! (its author or a moderator, with a token with write access). The same use cases as the history pages.

use poem::{Request, web::Data};
use poem_openapi::{
    ApiResponse, Object, OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{
    ApiTags, State,
    auth::{MaybeToken, Token},
    error::{ApiError, ApiResult},
    http::lang,
    paging::{Paging, address, last_page, paging},
    types::timestamp,
};
use crate::{
    board,
    domain::{
        board::{AnswerId, CommentId, QuestionId},
        policy::PostRef,
        revisions::{PostRevisions, REVISIONS_PER_PAGE, RevisionEntry, page_numbers},
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

/// One page of a post's revisions, newest first (the first of page 1 is the post as it stands).
#[derive(Object)]
pub struct RevisionList {
    pub items: Vec<RevisionJson>,
    pub page: i64,
    /// How many revisions the post has.
    pub total: i64,
    /// The next (older) page's address, when there is one.
    #[oai(nullable)]
    pub next: Option<String>,
}

impl RevisionList {
    fn of(history: &PostRevisions, page: i64, paging: Paging) -> Self {
        let (low, high) = page_numbers(history.total, page);
        let items: Vec<RevisionJson> = history
            .revisions
            .iter()
            .rev()
            .filter(|entry| (low..=high).contains(&entry.number))
            .map(|entry: &RevisionEntry| RevisionJson {
                number: entry.number,
                editor: entry.editor.clone(),
                created_at: timestamp(entry.created_at),
                summary: entry.summary.clone(),
                rolled_back_to: entry.rolled_back_to,
                // A post hidden by spam flags: its words are left out here.
                subject: entry.subject.clone().filter(|_| !history.hidden),
                content: if history.hidden {
                    String::new()
                } else {
                    entry.content.clone()
                },
                tags: entry.tags.as_ref().map(|tags| {
                    tags.names()
                        .iter()
                        .map(|name| name.as_str().to_owned())
                        .collect()
                }),
                current: history.is_current(entry.number),
            })
            .collect();
        Self {
            items,
            page,
            total: history.total,
            next: paging.next,
        }
    }
}

#[derive(ApiResponse)]
pub enum RevisionsResponse {
    /// One page of revisions, newest first; `Link` names the next and previous pages.
    #[oai(status = 200)]
    Ok(Json<RevisionList>, #[oai(header = "Link")] Option<String>),
}

/// The history's address for a post (`/api/v1/questions/1/revisions`).
fn history_address(post: PostRef) -> String {
    match post {
        PostRef::Question(id) => format!("/api/v1/questions/{}/revisions", id.0),
        PostRef::Answer(id) => format!("/api/v1/answers/{}/revisions", id.0),
        PostRef::Comment(id) => format!("/api/v1/comments/{}/revisions", id.0),
    }
}

/// Page `page` of the post's history as the response.
async fn page_of(
    state: &State,
    req: &Request,
    post: PostRef,
    page: i64,
) -> ApiResult<RevisionsResponse> {
    let history = board::revisions::history(&state.store, post, page)
        .await
        .map_err(|err| ApiError::from_board(err, lang(req)))?;
    let last = last_page(history.total, REVISIONS_PER_PAGE);
    let page = page.clamp(1, last);
    let base = history_address(post);
    let paging = paging(
        |n| address(&base, &[("page", Some(&n.to_string()))]),
        page,
        last,
    );
    let link = paging.link.clone();
    Ok(RevisionsResponse::Ok(
        Json(RevisionList::of(&history, page, paging)),
        link,
    ))
}

async fn list(
    state: &State,
    req: &Request,
    auth: &MaybeToken,
    post: PostRef,
    page: Option<i64>,
) -> ApiResult<RevisionsResponse> {
    auth.reader(req, state).await?;
    page_of(state, req, post, page.unwrap_or(1)).await
}

async fn rollback(
    state: &State,
    req: &Request,
    auth: &Token,
    (post, number): (PostRef, i64),
    summary: Option<String>,
) -> ApiResult<RevisionsResponse> {
    let user = auth.poster(state, lang(req)).await?;
    board::revisions::rollback(&state.store, user, post, number, summary.as_deref())
        .await
        .map_err(|err| ApiError::from_board(err, lang(req)))?;
    state.index_now().await;
    page_of(state, req, post, 1).await
}

#[OpenApi(tag = "ApiTags::Revisions")]
impl RevisionsApi {
    /// A question's revisions, newest first, a page at a time.
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
        /// The page, from 1 (the newest revisions; past the last: the last).
        #[oai(validator(minimum(value = "1")))]
        page: Query<Option<i64>>,
    ) -> ApiResult<RevisionsResponse> {
        list(
            &state,
            req,
            &auth,
            PostRef::Question(QuestionId(id.0)),
            page.0,
        )
        .await
    }

    /// An answer's revisions, newest first, a page at a time.
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
        /// The page, from 1 (the newest revisions; past the last: the last).
        #[oai(validator(minimum(value = "1")))]
        page: Query<Option<i64>>,
    ) -> ApiResult<RevisionsResponse> {
        list(&state, req, &auth, PostRef::Answer(AnswerId(id.0)), page.0).await
    }

    /// A comment's revisions, newest first, a page at a time.
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
        /// The page, from 1 (the newest revisions; past the last: the last).
        #[oai(validator(minimum(value = "1")))]
        page: Query<Option<i64>>,
    ) -> ApiResult<RevisionsResponse> {
        list(
            &state,
            req,
            &auth,
            PostRef::Comment(CommentId(id.0)),
            page.0,
        )
        .await
    }

    /// Makes an earlier revision of a question its text, subject and tags again, as a new revision (its
    /// author or a moderator, who says why when it is not theirs). Answers the history's first page as it
    /// now is.
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
        /// Why, up to 500 characters: required of a moderator rolling back someone else's post.
        summary: Query<Option<String>>,
    ) -> ApiResult<RevisionsResponse> {
        let post = PostRef::Question(QuestionId(id.0));
        rollback(&state, req, &auth, (post, number.0), summary.0).await
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
        /// Why, up to 500 characters: required of a moderator rolling back someone else's post.
        summary: Query<Option<String>>,
    ) -> ApiResult<RevisionsResponse> {
        let post = PostRef::Answer(AnswerId(id.0));
        rollback(&state, req, &auth, (post, number.0), summary.0).await
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
        /// Why, up to 500 characters: required of a moderator rolling back someone else's post.
        summary: Query<Option<String>>,
    ) -> ApiResult<RevisionsResponse> {
        let post = PostRef::Comment(CommentId(id.0));
        rollback(&state, req, &auth, (post, number.0), summary.0).await
    }
}
