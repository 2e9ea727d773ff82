//! Log-in attempts and sign-ups in shared tables (migration 3): each check and count is one transaction
//! behind one advisory lock, so two servers cannot both let the attempt that reaches a limit through. The
//! lock is one for all limits: attempts are rare (each costs a password hash) and hold it for a millisecond.

use std::time::Duration;

use deadpool_postgres::GenericClient;

use super::{PgError, one, run};
use crate::domain::limits::{
    CLIENTS_PER_NAME, ClientKey, KNOWN_GOOD, LoginHistory, MINUTE, NAME_WINDOW, SIGNUP_WINDOW,
    login_wait, signup_wait,
};

/// The advisory lock limits are counted under ("mbli" in ASCII).
pub const LIMITS_LOCK: i64 = 0x6d62_6c69;

fn micros(span: Duration) -> i64 {
    // Every window is a constant far below i64::MAX microseconds (30 days is 2.6e12).
    i64::try_from(span.as_micros()).unwrap_or(i64::MAX / 2)
}

fn moments(values: Vec<i64>) -> Vec<Duration> {
    values
        .into_iter()
        .map(|us| Duration::from_micros(us.max(0) as u64))
        .collect()
}

/// Takes the lock and reads the database's clock: the moment every server's attempts are measured by.
async fn lock_and_now(tx: &impl GenericClient) -> Result<i64, PgError> {
    one(
        tx,
        "SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::BIGINT
         FROM (SELECT pg_advisory_xact_lock($1)) AS locked",
        &[&LIMITS_LOCK],
    )
    .await?
    .try_get(0)
}

pub async fn begin_login(
    tx: &impl GenericClient,
    name_key: &str,
    client: ClientKey,
) -> Result<Result<(), Duration>, PgError> {
    let client = client.to_string();
    let now = lock_and_now(tx).await?;
    let row = one(
        tx,
        "SELECT
             ARRAY(SELECT at_us FROM login_attempts
                   WHERE name_key = $1 AND client = $2 AND counts_for_pair AND at_us > $3
                   ORDER BY at_us),
             ARRAY(SELECT at_us FROM login_attempts
                   WHERE client = $2 AND at_us > $3 ORDER BY at_us),
             ARRAY(SELECT max(at_us) FROM login_attempts
                   WHERE name_key = $1 AND client <> $2 AND counts_for_name AND at_us > $4
                   GROUP BY client ORDER BY 1 DESC LIMIT $6),
             EXISTS(SELECT 1 FROM login_vouchers
                    WHERE name_key = $1 AND client = $2 AND at_us > $5)",
        &[
            &name_key,
            &client,
            &(now - micros(MINUTE)),
            &(now - micros(NAME_WINDOW)),
            &(now - micros(KNOWN_GOOD)),
            &(CLIENTS_PER_NAME as i64),
        ],
    )
    .await?;
    let history = LoginHistory {
        pair: moments(row.try_get(0)?),
        client: moments(row.try_get(1)?),
        other_clients: moments(row.try_get(2)?),
        vouched: row.try_get(3)?,
    };
    if let Some(wait) = login_wait(&history, Duration::from_micros(now.max(0) as u64)) {
        return Ok(Err(wait));
    }
    run(
        tx,
        "INSERT INTO login_attempts (name_key, client, at_us) VALUES ($1, $2, $3)",
        &[&name_key, &client, &now],
    )
    .await?;
    Ok(Ok(()))
}

pub async fn login_succeeded(
    tx: &impl GenericClient,
    name_key: &str,
    client: ClientKey,
) -> Result<(), PgError> {
    let client = client.to_string();
    let now = lock_and_now(tx).await?;
    run(
        tx,
        "UPDATE login_attempts SET counts_for_pair = FALSE
         WHERE name_key = $1 AND client = $2 AND counts_for_pair",
        &[&name_key, &client],
    )
    .await?;
    run(
        tx,
        "UPDATE login_attempts SET counts_for_name = FALSE WHERE name_key = $1 AND counts_for_name",
        &[&name_key],
    )
    .await?;
    run(
        tx,
        "INSERT INTO login_vouchers (name_key, client, at_us) VALUES ($1, $2, $3)
         ON CONFLICT (name_key, client) DO UPDATE SET at_us = excluded.at_us",
        &[&name_key, &client, &now],
    )
    .await?;
    Ok(())
}

pub async fn login_abandoned(
    tx: &impl GenericClient,
    name_key: &str,
    client: ClientKey,
) -> Result<(), PgError> {
    lock_and_now(tx).await?;
    run(
        tx,
        "DELETE FROM login_attempts WHERE ctid = (
             SELECT ctid FROM login_attempts WHERE name_key = $1 AND client = $2
             ORDER BY at_us DESC LIMIT 1)",
        &[&name_key, &client.to_string()],
    )
    .await?;
    Ok(())
}

pub async fn begin_signup(
    tx: &impl GenericClient,
    client: ClientKey,
    per_hour: usize,
) -> Result<Result<(), Duration>, PgError> {
    let client = client.to_string();
    let now = lock_and_now(tx).await?;
    let row = one(
        tx,
        "SELECT ARRAY(SELECT at_us FROM signup_attempts
                      WHERE client = $1 AND at_us > $2 ORDER BY at_us)",
        &[&client, &(now - micros(SIGNUP_WINDOW))],
    )
    .await?;
    let recent = moments(row.try_get(0)?);
    if let Some(wait) = signup_wait(&recent, per_hour, Duration::from_micros(now.max(0) as u64)) {
        return Ok(Err(wait));
    }
    run(
        tx,
        "INSERT INTO signup_attempts (client, at_us) VALUES ($1, $2)",
        &[&client, &now],
    )
    .await?;
    Ok(Ok(()))
}

pub async fn signup_refused(tx: &impl GenericClient, client: ClientKey) -> Result<(), PgError> {
    lock_and_now(tx).await?;
    run(
        tx,
        "DELETE FROM signup_attempts WHERE ctid = (
             SELECT ctid FROM signup_attempts WHERE client = $1 ORDER BY at_us DESC LIMIT 1)",
        &[&client.to_string()],
    )
    .await?;
    Ok(())
}

/// Deletes what left every window it counts in (the hourly purge).
pub async fn purge(tx: &impl GenericClient) -> Result<(), PgError> {
    let now = lock_and_now(tx).await?;
    let attempts_kept = micros(MINUTE.max(NAME_WINDOW));
    run(
        tx,
        "DELETE FROM login_attempts WHERE at_us <= $1",
        &[&(now - attempts_kept)],
    )
    .await?;
    run(
        tx,
        "DELETE FROM login_vouchers WHERE at_us <= $1",
        &[&(now - micros(KNOWN_GOOD))],
    )
    .await?;
    run(
        tx,
        "DELETE FROM signup_attempts WHERE at_us <= $1",
        &[&(now - micros(SIGNUP_WINDOW))],
    )
    .await?;
    Ok(())
}
