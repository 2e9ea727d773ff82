//! Deleting an account on PostgreSQL (the statements are `store::accounts`'). A board write: the account's
//! posts show another name now.

use super::{PgStore, board, numbered, opt, rows, run};
use crate::{
    domain::{
        self,
        ids::{AnswerId, QuestionId, UserId},
        policy::PostRef,
    },
    store::{StoreResult, accounts as sql, sessions as store_sessions},
};

impl PgStore {
    pub async fn delete_account(
        &self,
        user: UserId,
        checked: String,
    ) -> StoreResult<Option<String>> {
        let now = domain::now();
        self.board_write(async |tx| {
            let Some(row) = opt(tx, &numbered(sql::TO_DELETE), &[&user.0, &checked]).await? else {
                return Ok(None);
            };
            let username: String = row.try_get(0)?;
            let mut liked = Vec::new();
            for row in rows(tx, &numbered(sql::LIKED_QUESTIONS), &[&user.0]).await? {
                liked.push(PostRef::Question(QuestionId(row.try_get(0)?)));
            }
            for row in rows(tx, &numbered(sql::LIKED_ANSWERS), &[&user.0]).await? {
                liked.push(PostRef::Answer(AnswerId(row.try_get(0)?)));
            }
            // Each like taken back as its giver would, so every count and reputation follows.
            for post in liked {
                board::take_back_like(tx, post, user).await?;
            }
            for forget in sql::FORGET {
                run(tx, &numbered(forget), &[&user.0]).await?;
            }
            run(
                tx,
                &numbered(store_sessions::END_OTHERS),
                &[&user.0, &"", &now],
            )
            .await?;
            run(tx, &numbered(sql::REINDEX), &[&user.0]).await?;
            run(tx, &numbered(sql::ERASE), &[&user.0, &now]).await?;
            Ok(Some(username))
        })
        .await
    }

    pub async fn free_held_names(&self, deleted_before: i64) -> StoreResult<u64> {
        self.unseen_transaction(async |tx| {
            run(tx, &numbered(sql::FREE_HELD_NAMES), &[&deleted_before]).await
        })
        .await
    }
}
