//! Likes on questions and answers: a toggle, with the post's counter moved in the same transaction.

use super::Cached;
use crate::domain::ids::UserId;
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
    set(tx, post, user, None)
}

/// Likes the post (`wanted` true), takes the like back (false), or does the other of the two (`None`),
/// when the policy allows; liking a post liked already changes nothing.
pub fn set(
    tx: &Transaction,
    post: PostRef,
    user: Actor,
    wanted: Option<bool>,
) -> rusqlite::Result<LikeOutcome> {
    match super::guard(tx, user, Action::Like, post)? {
        Guarded::Missing => return Ok(LikeOutcome::Missing),
        Guarded::Denied(_) => return Ok(LikeOutcome::OwnPost),
        Guarded::Done(()) => {}
    }
    apply(tx, post, user.id, wanted)
}

/// Takes back `user`'s like of the post whatever the post's state, as their account goes: a deleted
/// post's count moves too (the board's counts follow it only once it is back).
pub fn take_back(tx: &Transaction, post: PostRef, user: UserId) -> rusqlite::Result<()> {
    apply(tx, post, user, Some(false)).map(|_| ())
}

/// The like given, taken back or toggled, and the post's count moved with it.
fn apply(
    tx: &Transaction,
    post: PostRef,
    user: UserId,
    wanted: Option<bool>,
) -> rusqlite::Result<LikeOutcome> {
    let Some(((posts, likes, post_column), id)) = tables(post) else {
        return Ok(LikeOutcome::Missing);
    };
    let add = || {
        tx.run(
            &format!("INSERT OR IGNORE INTO {likes} ({post_column}, user_id) VALUES (?1, ?2)"),
            params![id, user.0],
        )
    };
    let take_back = || {
        tx.run(
            &format!("DELETE FROM {likes} WHERE {post_column} = ?1 AND user_id = ?2"),
            params![id, user.0],
        )
    };
    let (liked, delta) = match wanted {
        Some(true) => (true, add()? as i64),
        Some(false) => (false, -(take_back()? as i64)),
        None if add()? == 1 => (true, 1),
        None => (false, -(take_back()? as i64)),
    };
    let count = if delta == 0 {
        tx.one(
            &format!("SELECT like_count FROM {posts} WHERE id = ?1"),
            [id],
            |row| row.get(0),
        )?
    } else {
        tx.one(
            &format!(
                "UPDATE {posts} SET like_count = like_count + ?2 WHERE id = ?1 RETURNING like_count"
            ),
            params![id, delta],
            |row| row.get(0),
        )?
    };
    Ok(LikeOutcome::Toggled { liked, count })
}
