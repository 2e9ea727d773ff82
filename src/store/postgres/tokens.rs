//! API tokens on PostgreSQL (the statements are `store::tokens`'s). None of it is a change a visitor's
//! page shows, so none of it takes the board writes' turn.

use super::{PgError, PgStore, numbered, one, opt, rows, run};
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

impl PgStore {
    pub async fn create_token(&self, token: NewToken) -> StoreResult<TokenCreated> {
        self.unseen_transaction(async |tx| {
            // The account's row locked: two tokens made at once are counted one after the other.
            let locked = format!("{} FOR UPDATE", numbered(sql::ACCOUNT_LIVE));
            let checked = &token.checked_password;
            if opt(tx, &locked, &[&token.user.0, checked]).await?.is_none() {
                return Ok(TokenCreated::NoAccount);
            }
            run(
                tx,
                &numbered(sql::FORGET_LAPSED),
                &[&token.user.0, &token.now],
            )
            .await?;
            let held: i64 = one(tx, &numbered(sql::COUNT), &[&token.user.0])
                .await?
                .try_get(0)?;
            if held >= MAX_TOKENS {
                return Ok(TokenCreated::TooMany);
            }
            let id = one(
                tx,
                &numbered(sql::INSERT),
                &[
                    &token.user.0,
                    &token.spec.name,
                    &token.spec.scope.code(),
                    &token.hash,
                    &token.now,
                    &token.spec.expires_at,
                ],
            )
            .await?
            .try_get(0)?;
            Ok(TokenCreated::Created(id))
        })
        .await
    }

    pub async fn user_tokens(&self, user: UserId) -> StoreResult<Vec<TokenSummary>> {
        let client = self.client().await?;
        let found = rows(&client, &numbered(sql::OF_USER), &[&user.0]).await?;
        Ok(found
            .iter()
            .map(|row| {
                Ok(TokenSummary {
                    id: row.try_get(0)?,
                    name: row.try_get(1)?,
                    scope: scope(row.try_get(2)?),
                    created_at: row.try_get(3)?,
                    expires_at: row.try_get(4)?,
                    last_used_at: row.try_get(5)?,
                })
            })
            .collect::<Result<_, PgError>>()?)
    }

    pub async fn revoke_token(&self, user: UserId, id: i64) -> StoreResult<bool> {
        let client = self.client().await?;
        Ok(run(&client, &numbered(sql::REVOKE), &[&user.0, &id]).await? > 0)
    }

    pub async fn token_holder(&self, hash: String, now: i64) -> StoreResult<Option<TokenHolder>> {
        let client = self.client().await?;
        let Some(row) = opt(&client, &numbered(sql::HOLDER), &[&hash, &now]).await? else {
            return Ok(None);
        };
        Ok(Some(TokenHolder {
            user: CurrentUser {
                id: UserId(row.try_get(0)?),
                username: row.try_get(1)?,
            },
            scope: scope(row.try_get(2)?),
            token_id: row.try_get(3)?,
            last_used_at: row.try_get(4)?,
        }))
    }

    pub async fn token_used(&self, id: i64, now: i64) -> StoreResult<()> {
        let client = self.client().await?;
        run(&client, &numbered(sql::USED), &[&id, &now]).await?;
        Ok(())
    }
}
