//! Liking a post, and taking the like back.

use super::BoardError;
use crate::{
    domain::{
        accounts::CurrentUser,
        policy::{Denied, PostRef},
    },
    store::{LikeOutcome, Store},
};

/// A like, after the toggle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Liked {
    /// Whether the user likes the post now.
    pub liked: bool,
    /// The post's likes now.
    pub count: i64,
}

/// Likes the post, or takes the like back if the user had liked it; nobody likes their own post.
pub async fn toggle(store: &Store, user: &CurrentUser, post: PostRef) -> Result<Liked, BoardError> {
    match store.toggle_like(user.actor(), post).await? {
        LikeOutcome::Toggled { liked, count } => Ok(Liked { liked, count }),
        LikeOutcome::OwnPost => Err(BoardError::Forbidden(Denied::OwnPost)),
        LikeOutcome::Missing => Err(BoardError::NotFound),
    }
}
