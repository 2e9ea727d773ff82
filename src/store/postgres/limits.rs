//! Log-in attempts and sign-ups in shared tables (migration 3): each check and count is one transaction
//! holding advisory locks on what it counts (the account name and the client), so two servers cannot both
//! let through the attempt that reaches a limit, and a storm at one name or from one client queues only
//! behind itself.

use std::time::Duration;

use deadpool_postgres::GenericClient;
use sha2::{Digest, Sha256};

use super::{PgError, one, run};
use crate::domain::limits::{
    CLIENTS_PER_NAME, ClientKey, KNOWN_GOOD, LoginHistory, MINUTE, NAME_WINDOW, SIGNUP_WINDOW,
    login_wait, signup_wait, window_wait,
};
use crate::domain::mail::{
    MAIL_REQUEST_WINDOW, MAIL_REQUESTS_PER_ADDRESS, MAIL_REQUESTS_PER_ADDRESS_AND_CLIENT,
    MAIL_REQUESTS_PER_CLIENT, MailRequestRefused,
};

/// The advisory lock key of one thing a limit counts: 64 bits of its SHA-256, so keys of different
/// things (and the board's fixed lock numbers) do not meet.
fn lock_key(what: &str) -> i64 {
    let digest = Sha256::digest(what.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

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

/// Locks what is counted (in one order, so two transactions never wait on each other) and reads the
/// database's clock: the moment every server's attempts are measured by.
async fn lock_and_now(tx: &impl GenericClient, counted: [&str; 2]) -> Result<i64, PgError> {
    let mut keys = counted.map(lock_key);
    keys.sort_unstable();
    // Evaluated left to right: the smaller key first. (Twice the same key is one lock, taken twice.)
    one(
        tx,
        "SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::BIGINT
         FROM (SELECT pg_advisory_xact_lock($1), pg_advisory_xact_lock($2)) AS locked",
        &[&keys[0], &keys[1]],
    )
    .await?
    .try_get(0)
}

/// Locks what a log-in attempt counts (its name and its client); the client as stored, and the clock.
async fn lock_login(
    tx: &impl GenericClient,
    name_key: &str,
    client: ClientKey,
) -> Result<(String, i64), PgError> {
    let client = client.to_string();
    let name_lock = format!("login name {name_key}");
    let client_lock = format!("login client {client}");
    let now = lock_and_now(tx, [&name_lock, &client_lock]).await?;
    Ok((client, now))
}

/// Locks a client's sign-ups; the client as stored, and the clock.
async fn lock_signup(tx: &impl GenericClient, client: ClientKey) -> Result<(String, i64), PgError> {
    let client = client.to_string();
    let signup_lock = format!("signup client {client}");
    let now = lock_and_now(tx, [&signup_lock, &signup_lock]).await?;
    Ok((client, now))
}

pub async fn begin_login(
    tx: &impl GenericClient,
    name_key: &str,
    client: ClientKey,
) -> Result<Result<(), Duration>, PgError> {
    let (client, now) = lock_login(tx, name_key, client).await?;
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
    let (client, now) = lock_login(tx, name_key, client).await?;
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
    let (client, _) = lock_login(tx, name_key, client).await?;
    run(
        tx,
        "DELETE FROM login_attempts WHERE ctid = (
             SELECT ctid FROM login_attempts WHERE name_key = $1 AND client = $2
             ORDER BY at_us DESC LIMIT 1)",
        &[&name_key, &client],
    )
    .await?;
    Ok(())
}

pub async fn begin_signup(
    tx: &impl GenericClient,
    client: ClientKey,
    per_hour: usize,
) -> Result<Result<(), Duration>, PgError> {
    let (client, now) = lock_signup(tx, client).await?;
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
    let (client, _) = lock_signup(tx, client).await?;
    run(
        tx,
        "DELETE FROM signup_attempts WHERE ctid = (
             SELECT ctid FROM signup_attempts WHERE client = $1 ORDER BY at_us DESC LIMIT 1)",
        &[&client],
    )
    .await?;
    Ok(())
}

/// Deletes what left every window it counts in (the hourly purge).
pub async fn purge(tx: &impl GenericClient) -> Result<(), PgError> {
    // Rows out of every window: no count reads them, so no lock is needed to delete them.
    let now: i64 = one(
        tx,
        "SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::BIGINT",
        &[],
    )
    .await?
    .try_get(0)?;
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
    run(
        tx,
        "DELETE FROM mail_requests WHERE at_us <= $1",
        &[&(now - micros(MAIL_REQUEST_WINDOW))],
    )
    .await?;
    Ok(())
}

/// Counts a reset or verification mail asked for to an address from a client, or says why not (each
/// under its limit, or nothing is counted); the address's own cap is not the `owner`'s.
pub async fn begin_mail_request(
    tx: &impl GenericClient,
    address_key: &str,
    client: ClientKey,
    owner: bool,
) -> Result<Result<(), MailRequestRefused>, PgError> {
    let pair = format!("pair {address_key} {client}");
    let address = format!("address {address_key}");
    let client = format!("client {client}");
    // The pair is counted under both locks.
    let now = lock_and_now(tx, [&format!("mail {address}"), &format!("mail {client}")]).await?;
    let since = now - micros(MAIL_REQUEST_WINDOW);
    let row = one(
        tx,
        "SELECT ARRAY(SELECT at_us FROM mail_requests WHERE key = $1 AND at_us > $4 ORDER BY at_us),
                ARRAY(SELECT at_us FROM mail_requests WHERE key = $2 AND at_us > $4 ORDER BY at_us),
                ARRAY(SELECT at_us FROM mail_requests WHERE key = $3 AND at_us > $4 ORDER BY at_us)",
        &[&pair, &address, &client, &since],
    )
    .await?;
    let at = Duration::from_micros(now.max(0) as u64);
    let wait_of = |column: usize, limit: usize| -> Result<Option<Duration>, PgError> {
        let moments = moments(row.try_get(column)?);
        Ok(window_wait(&moments, limit, MAIL_REQUEST_WINDOW, at))
    };
    let wait = wait_of(0, MAIL_REQUESTS_PER_ADDRESS_AND_CLIENT)?
        .max(wait_of(2, MAIL_REQUESTS_PER_CLIENT)?);
    if let Some(wait) = wait {
        return Ok(Err(MailRequestRefused::Wait(
            wait.max(Duration::from_secs(1)),
        )));
    }
    if !owner && let Some(wait) = wait_of(1, MAIL_REQUESTS_PER_ADDRESS)? {
        return Ok(Err(MailRequestRefused::AddressFull(
            wait.max(Duration::from_secs(1)),
        )));
    }
    run(
        tx,
        "INSERT INTO mail_requests (key, at_us) VALUES ($1, $4), ($2, $4), ($3, $4)",
        &[&pair, &address, &client, &now],
    )
    .await?;
    Ok(Ok(()))
}
