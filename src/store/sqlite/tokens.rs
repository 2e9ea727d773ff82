//! API tokens on SQLite (the statements are `store::tokens`'s). None of it is a change a visitor's page
//! shows.

use rusqlite::{OptionalExtension, params};

use super::{Cached, SqliteStore};
use crate::{
    domain::{
        accounts::CurrentUser,
        ids::UserId,
        tokens::{MAX_TOKENS, NewToken, TokenCreated, TokenHolder, TokenScope, TokenSummary},
    },
    store::{StoreResult, tokens as sql},
};

/// A stored scope; anything else (a row written by hand) reads as the lesser one.
fn scope(code: String) -> TokenScope {
    TokenScope::parse(&code).unwrap_or(TokenScope::Read)
}

impl SqliteStore {
    pub async fn create_token(&self, token: NewToken) -> StoreResult<TokenCreated> {
        self.db
            .write_unseen(move |tx| {
                let live = tx
                    .one(
                        sql::ACCOUNT_LIVE,
                        params![token.user.0, token.checked_password],
                        |_| Ok(()),
                    )
                    .optional()?;
                if live.is_none() {
                    return Ok(TokenCreated::NoAccount);
                }
                tx.run(sql::FORGET_LAPSED, params![token.user.0, token.now])?;
                let held: i64 = tx.one(sql::COUNT, [token.user.0], |row| row.get(0))?;
                if held >= MAX_TOKENS {
                    return Ok(TokenCreated::TooMany);
                }
                let id = tx.one(
                    sql::INSERT,
                    params![
                        token.user.0,
                        token.spec.name,
                        token.spec.scope.code(),
                        token.hash,
                        token.now,
                        token.spec.expires_at
                    ],
                    |row| row.get(0),
                )?;
                Ok(TokenCreated::Created(id))
            })
            .await
    }

    pub async fn user_tokens(&self, user: UserId) -> StoreResult<Vec<TokenSummary>> {
        self.db
            .read(move |conn| {
                conn.prepare_cached(sql::OF_USER)?
                    .query_map([user.0], |row| {
                        Ok(TokenSummary {
                            id: row.get(0)?,
                            name: row.get(1)?,
                            scope: scope(row.get(2)?),
                            created_at: row.get(3)?,
                            expires_at: row.get(4)?,
                            last_used_at: row.get(5)?,
                        })
                    })?
                    .collect()
            })
            .await
    }

    pub async fn revoke_token(&self, user: UserId, id: i64) -> StoreResult<bool> {
        self.db
            .write_unseen(move |tx| Ok(tx.run(sql::REVOKE, params![user.0, id])? > 0))
            .await
    }

    pub async fn token_holder(&self, hash: String, now: i64) -> StoreResult<Option<TokenHolder>> {
        self.db
            .read(move |conn| {
                conn.one(sql::HOLDER, params![hash, now], |row| {
                    Ok(TokenHolder {
                        user: CurrentUser {
                            id: UserId(row.get(0)?),
                            username: row.get(1)?,
                        },
                        scope: scope(row.get(2)?),
                        token_id: row.get(3)?,
                        last_used_at: row.get(4)?,
                    })
                })
                .optional()
            })
            .await
    }

    pub async fn token_used(&self, id: i64, now: i64) -> StoreResult<()> {
        self.db
            .write_unseen(move |tx| tx.run(sql::USED, params![id, now]).map(drop))
            .await
    }
}
