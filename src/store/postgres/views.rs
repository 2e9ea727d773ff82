//! View counts: viewers counted in the last hour (for every app server at once), and the counters they
//! move.

use deadpool_postgres::GenericClient;

use super::{PgError, run};
use crate::domain::{board::QuestionId, views::VIEW_WINDOW_SECONDS, views::ViewerKey};

/// The advisory lock view writes take, so two servers' batches never lock question rows in turn against
/// each other ("mbvw" in ASCII).
pub const VIEWS_LOCK: i64 = 0x6d62_7677;

/// Counts the views whose viewer was not counted on the question within the hour, in one statement;
/// forgets viewers counted more than an hour before `now`. Returns how many counted.
pub async fn count(
    client: &impl GenericClient,
    views: &[(QuestionId, ViewerKey, i64)],
    now: i64,
) -> Result<u64, PgError> {
    let questions: Vec<i64> = views.iter().map(|(question, _, _)| question.0).collect();
    let viewers: Vec<i64> = views.iter().map(|(_, viewer, _)| viewer.0).collect();
    let times: Vec<i64> = views.iter().map(|(_, _, at)| *at).collect();
    run(client, "SELECT pg_advisory_xact_lock($1)", &[&VIEWS_LOCK]).await?;
    // A new viewer is inserted; one counted over an hour ago is counted again; anyone else is no row of
    // `counted`. (The batch holds each question and viewer once: one statement may not change a row twice.)
    let counted = super::one(
        client,
        "WITH counted AS (
             INSERT INTO question_viewers (question_id, viewer, counted_at)
             SELECT * FROM unnest($1::BIGINT[], $2::BIGINT[], $3::BIGINT[])
             ON CONFLICT (question_id, viewer) DO UPDATE SET counted_at = excluded.counted_at
             WHERE question_viewers.counted_at <= excluded.counted_at - $4
             RETURNING question_id
         ), moved AS (
             UPDATE questions q SET view_count = q.view_count + per.n
             FROM (SELECT question_id, count(*) AS n FROM counted GROUP BY question_id) per
             WHERE q.id = per.question_id
         )
         SELECT count(*) FROM counted",
        &[&questions, &viewers, &times, &VIEW_WINDOW_SECONDS],
    )
    .await?
    .try_get::<_, i64>(0)?;
    run(
        client,
        "DELETE FROM question_viewers WHERE counted_at <= $1",
        &[&(now - VIEW_WINDOW_SECONDS)],
    )
    .await?;
    Ok(counted as u64)
}

/// Adds to questions' view counts.
pub async fn add(client: &impl GenericClient, views: &[(QuestionId, i64)]) -> Result<(), PgError> {
    let questions: Vec<i64> = views.iter().map(|(question, _)| question.0).collect();
    let counts: Vec<i64> = views.iter().map(|(_, n)| *n).collect();
    run(
        client,
        "UPDATE questions q SET view_count = q.view_count + added.n
         FROM unnest($1::BIGINT[], $2::BIGINT[]) AS added (id, n) WHERE q.id = added.id",
        &[&questions, &counts],
    )
    .await?;
    Ok(())
}
