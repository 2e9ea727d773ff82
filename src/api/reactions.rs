//! What a token's account does to a post besides writing it: likes it, follows it, accepts an answer.
//! Each is a PUT (make it so) and a DELETE (take it back), and doing what is so already changes nothing.

use poem::Request;
use poem_openapi::{ApiResponse, payload::Json};

use super::{
    State,
    auth::Token,
    error::{ApiError, ApiResult},
    http::lang,
    types::{AcceptState, FollowState, LikeState},
};
use crate::{
    board,
    domain::{board::AnswerId, policy::PostRef},
};

#[derive(ApiResponse)]
pub enum LikeResponse {
    /// The like as it now is, with the post's likes.
    #[oai(status = 200)]
    Ok(Json<LikeState>),
}

#[derive(ApiResponse)]
pub enum FollowResponse {
    /// Whether the account follows it now.
    #[oai(status = 200)]
    Ok(Json<FollowState>),
}

#[derive(ApiResponse)]
pub enum AcceptResponse {
    /// The answer's mark as it now is.
    #[oai(status = 200)]
    Ok(Json<AcceptState>),
}

/// Likes a post (`wanted`) or takes the like back.
pub async fn like(
    state: &State,
    req: &Request,
    auth: &Token,
    post: PostRef,
    wanted: bool,
) -> ApiResult<LikeResponse> {
    let user = auth.poster(state, lang(req)).await?;
    let liked = board::likes::like(&state.store, user, post, Some(wanted))
        .await
        .map_err(|err| ApiError::from_board(err, lang(req)))?;
    Ok(LikeResponse::Ok(Json(LikeState {
        liked: liked.liked,
        like_count: liked.count,
    })))
}

/// Follows a question (`wanted`) or stops.
pub async fn follow_question(
    state: &State,
    req: &Request,
    auth: &Token,
    question: crate::domain::board::QuestionId,
    wanted: bool,
) -> ApiResult<FollowResponse> {
    let user = auth.writer()?;
    let following =
        board::notifications::follow_question(&state.store, user, question, Some(wanted))
            .await
            .map_err(|err| ApiError::from_board(err, lang(req)))?;
    Ok(FollowResponse::Ok(Json(FollowState { following })))
}

/// Follows a tag (`wanted`) or stops.
pub async fn follow_tag(
    state: &State,
    req: &Request,
    auth: &Token,
    name: &str,
    wanted: bool,
) -> ApiResult<FollowResponse> {
    let user = auth.writer()?;
    let (_, following) = board::notifications::follow_tag(&state.store, user, name, Some(wanted))
        .await
        .map_err(|err| ApiError::from_board(err, lang(req)))?;
    Ok(FollowResponse::Ok(Json(FollowState { following })))
}

/// Marks an answer accepted (`wanted`) or takes the mark off: its question's author only.
pub async fn accept(
    state: &State,
    req: &Request,
    auth: &Token,
    answer: AnswerId,
    wanted: bool,
) -> ApiResult<AcceptResponse> {
    let user = auth.writer()?;
    let (question, accepted) = board::answers::accept(&state.store, user, answer, Some(wanted))
        .await
        .map_err(|err| ApiError::from_board(err, lang(req)))?;
    Ok(AcceptResponse::Ok(Json(AcceptState {
        answer_id: answer.0,
        question_id: question.0,
        accepted,
    })))
}
