//! Likes on questions and answers: a toggle, with the post's counter moved in the same transaction.

use super::Cached;
use rusqlite::{Transaction, params};

use crate::domain::policy::{Action, Actor, PostRef};
use crate::store::{Guarded, LikeOutcome};

/// Where a post's likes live: (post table, like table, the like table's post column), and its id; `None`
/// for comments, which take no likes.
fn tables(post: PostRef) -> Option<((&'static str, &'static str, &'static str), i64)> {
    match post {
        PostRef::Question(id) => Some((("questions", "question_likes", "question_id"), id.0)),
        PostRef::Answer(id) => Some((("answers", "answer_likes", "answer_id"), id.0)),
        PostRef::Comment(_) => None,
    }
}

/// Likes the post, or takes the like back if `user` had already liked it (when the policy allows).
pub fn toggle(tx: &Transaction, post: PostRef, user: Actor) -> rusqlite::Result<LikeOutcome> {
    let Some(((posts, likes, post_column), id)) = tables(post) else {
        return Ok(LikeOutcome::Missing);
    };
    match super::guard(tx, user, Action::Like, post)? {
        Guarded::Missing => return Ok(LikeOutcome::Missing),
        Guarded::Denied(_) => return Ok(LikeOutcome::OwnPost),
        Guarded::Done(()) => {}
    }
    let added = tx.run(
        &format!("INSERT OR IGNORE INTO {likes} ({post_column}, user_id) VALUES (?1, ?2)"),
        params![id, user.id.0],
    )?;
    let liked = added == 1;
    if !liked {
        tx.run(
            &format!("DELETE FROM {likes} WHERE {post_column} = ?1 AND user_id = ?2"),
            params![id, user.id.0],
        )?;
    }
    let count = tx.one(
        &format!(
            "UPDATE {posts} SET like_count = like_count + ?2 WHERE id = ?1 RETURNING like_count"
        ),
        params![id, if liked { 1 } else { -1 }],
        |row| row.get(0),
    )?;
    Ok(LikeOutcome::Toggled { liked, count })
}
