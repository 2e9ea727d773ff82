//! Deleting an account on SQLite (the statements are `store::accounts`'). A board write: the account's
//! posts show another name now.

use rusqlite::{OptionalExtension, params};

use super::{Cached, SqliteStore, likes};
use crate::{
    domain::{
        self,
        ids::{AnswerId, QuestionId, UserId},
        policy::PostRef,
    },
    store::{StoreResult, accounts as sql, sessions as store_sessions},
};

impl SqliteStore {
    pub async fn delete_account(
        &self,
        user: UserId,
        checked: String,
    ) -> StoreResult<Option<String>> {
        let now = domain::now();
        self.db
            .write(move |tx| {
                let Some(username) = tx
                    .one(sql::TO_DELETE, params![user.0, checked], |row| row.get(0))
                    .optional()?
                else {
                    return Ok(None);
                };
                let ids = |statement: &str| -> rusqlite::Result<Vec<i64>> {
                    tx.prepare_cached(statement)?
                        .query_map([user.0], |row| row.get(0))?
                        .collect()
                };
                // Each like taken back as its giver would, so every count and reputation follows.
                let liked = ids(sql::LIKED_QUESTIONS)?
                    .into_iter()
                    .map(|id| PostRef::Question(QuestionId(id)))
                    .chain(
                        ids(sql::LIKED_ANSWERS)?
                            .into_iter()
                            .map(|id| PostRef::Answer(AnswerId(id))),
                    )
                    .collect::<Vec<_>>();
                for post in liked {
                    likes::take_back(tx, post, user)?;
                }
                for forget in sql::FORGET {
                    tx.run(forget, [user.0])?;
                }
                tx.run(store_sessions::END_OTHERS, params![user.0, "", now])?;
                tx.run(sql::REINDEX, [user.0])?;
                tx.run(sql::ERASE, params![user.0, now])?;
                Ok(Some(username))
            })
            .await
    }

    pub async fn free_held_names(&self, deleted_before: i64) -> StoreResult<u64> {
        self.db
            .write_unseen(move |tx| Ok(tx.run(sql::FREE_HELD_NAMES, [deleted_before])? as u64))
            .await
    }
}
