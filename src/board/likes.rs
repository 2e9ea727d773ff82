//! Liking a post, and taking the like back.

use super::BoardError;
use crate::{
    db::{
        Db,
        likes::{self, LikeOutcome},
    },
    domain::{
        accounts::CurrentUser,
        policy::{Denied, PostRef},
    },
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
pub async fn toggle(db: &Db, user: &CurrentUser, post: PostRef) -> Result<Liked, BoardError> {
    let actor = user.actor();
    match db.write(move |tx| likes::toggle(tx, post, actor)).await? {
        LikeOutcome::Toggled { liked, count } => Ok(Liked { liked, count }),
        LikeOutcome::OwnPost => Err(BoardError::Forbidden(Denied::OwnPost)),
        LikeOutcome::Missing => Err(BoardError::NotFound),
    }
}
