//! The limits on writing, checked inside the write on PostgreSQL: the author's row is locked first, so
//! a burst of posts from one account (on any app server) is counted one after the other.

use deadpool_postgres::GenericClient;

use super::{PgError, numbered, opt, rows};
use crate::{
    domain::{
        ids::UserId,
        writing::{Limited, WriteKind},
    },
    store::writing::{self as sql, WriteCheck},
};

/// Whether a limit says no to the author writing `text` as `kind` now.
pub async fn limited(
    client: &impl GenericClient,
    author: UserId,
    kind: WriteKind,
    text: &str,
    check: &WriteCheck,
    now: i64,
) -> Result<Option<Limited>, PgError> {
    let lookback = check.limits.lookback();
    let locked = format!("{} FOR UPDATE", numbered(sql::AUTHOR));
    let Some(author_row) = opt(client, &locked, &[&author.0]).await? else {
        return Ok(None);
    };
    let times = async |statement: &str| -> Result<Vec<i64>, PgError> {
        rows(client, &numbered(statement), &[&author.0, &lookback])
            .await?
            .iter()
            .map(|row| row.try_get(0))
            .collect()
    };
    let recent = sql::recent(
        (author_row.try_get(0)?, author_row.try_get(1)?),
        times(sql::RECENT_QUESTIONS).await?,
        times(sql::RECENT_ANSWERS).await?,
        times(sql::RECENT_COMMENTS).await?,
    );
    if let Err(limited) = check.limits.check(kind, check.links, &recent, now) {
        return Ok(Some(limited));
    }
    let since = now - check.limits.repeat_within;
    for table in sql::tables(kind) {
        let statement = numbered(&sql::repeated(table));
        let within = check.limits.repeat_lookback();
        if opt(client, &statement, &[&author.0, &since, &text, &within])
            .await?
            .is_some()
        {
            return Ok(Some(Limited::Repeated));
        }
    }
    Ok(None)
}
