//! Likes on questions and answers: a toggle, with the post's counter moved in the same transaction.

use super::Cached;
use rusqlite::{OptionalExtension, Transaction, params};

use crate::domain::ids::UserId;

/// The two kinds of post that can be liked, and where their likes live.
#[derive(Clone, Copy, Debug)]
pub enum LikeTarget {
    Question(i64),
    Answer(i64),
}

impl LikeTarget {
    /// (post table, like table, the like table's post column)
    fn tables(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::Question(_) => ("questions", "question_likes", "question_id"),
            Self::Answer(_) => ("answers", "answer_likes", "answer_id"),
        }
    }

    fn id(self) -> i64 {
        match self {
            Self::Question(id) | Self::Answer(id) => id,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LikeOutcome {
    /// The like was given (`liked`) or taken back; `count` is the post's new total.
    Toggled { liked: bool, count: i64 },
    /// Nobody may like their own post; nothing changed.
    OwnPost,
    /// No such post.
    Missing,
}

/// Likes the post, or takes the like back if `user` had already liked it.
pub fn toggle(tx: &Transaction, target: LikeTarget, user: UserId) -> rusqlite::Result<LikeOutcome> {
    let (posts, likes, post_column) = target.tables();
    let author: Option<i64> = tx
        .query_row(
            &format!("SELECT author_id FROM {posts} WHERE id = ?1"),
            [target.id()],
            |row| row.get(0),
        )
        .optional()?;
    match author {
        None => return Ok(LikeOutcome::Missing),
        Some(author) if author == user.0 => return Ok(LikeOutcome::OwnPost),
        Some(_) => {}
    }
    let added = tx.run(
        &format!("INSERT OR IGNORE INTO {likes} ({post_column}, user_id) VALUES (?1, ?2)"),
        params![target.id(), user.0],
    )?;
    let liked = added == 1;
    if !liked {
        tx.run(
            &format!("DELETE FROM {likes} WHERE {post_column} = ?1 AND user_id = ?2"),
            params![target.id(), user.0],
        )?;
    }
    let count = tx.one(
        &format!(
            "UPDATE {posts} SET like_count = like_count + ?2 WHERE id = ?1 RETURNING like_count"
        ),
        params![target.id(), if liked { 1 } else { -1 }],
        |row| row.get(0),
    )?;
    Ok(LikeOutcome::Toggled { liked, count })
}
