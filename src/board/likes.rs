//! Liking a post, and taking the like back.

use super::BoardError;
use crate::{
    domain::{
        accounts::CurrentUser,
        policy::{Denied, PostRef},
    },
    store::{LikeOutcome, Store},
};

/// A like, after the change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Liked {
    /// Whether the user likes the post now.
    pub liked: bool,
    /// The post's likes now.
    pub count: i64,
}

/// Likes the post (`wanted` true), takes the like back (false), or does the other of the two (`None`:
/// the like button); nobody likes their own post.
pub async fn like(
    store: &Store,
    user: &CurrentUser,
    post: PostRef,
    wanted: Option<bool>,
) -> Result<Liked, BoardError> {
    match store.like(user.actor(), post, wanted).await? {
        LikeOutcome::Toggled { liked, count } => Ok(Liked { liked, count }),
        LikeOutcome::OwnPost => Err(BoardError::Forbidden(Denied::OwnPost)),
        LikeOutcome::Missing => Err(BoardError::NotFound),
    }
}
