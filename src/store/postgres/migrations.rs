//! The schema, brought up to date at start by whichever app server gets there first: the others wait on an
//! advisory lock, then find nothing left to do.

use deadpool_postgres::GenericClient;

use super::PgError;

/// Each version's SQL, in order; version n is `MIGRATIONS[n - 1]`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_board.sql"),
    include_str!("migrations/0002_rank_moves.sql"),
    include_str!("migrations/0003_limits.sql"),
    include_str!("migrations/0004_page_function.sql"),
    include_str!("migrations/0005_accepted_answers.sql"),
    include_str!("migrations/0006_comments.sql"),
    include_str!("migrations/0007_view_counts.sql"),
    include_str!("migrations/0008_tags.sql"),
    include_str!("migrations/0009_tag_ranks.sql"),
    include_str!("migrations/0010_people.sql"),
    include_str!("migrations/0011_notifications.sql"),
    include_str!("migrations/0012_account_sessions.sql"),
    include_str!("migrations/0013_mail.sql"),
    include_str!("migrations/0014_api_tokens.sql"),
    include_str!("migrations/0015_moderation.sql"),
    include_str!("migrations/0016_newest_comments_by_author.sql"),
    include_str!("migrations/0017_revisions.sql"),
    include_str!("migrations/0018_flags.sql"),
    include_str!("migrations/0019_soft_delete.sql"),
];

/// The version a fully migrated database is at.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// The advisory lock migrations take ("mbmg" in ASCII).
const MIGRATION_LOCK: i64 = 0x6d62_6d67;

/// The version the database is at (0: empty).
pub async fn version(client: &impl GenericClient) -> Result<i64, PgError> {
    // Two statements: one naming a missing table does not parse, whichever branch would run.
    let exists: bool = client
        .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])
        .await?
        .try_get(0)?;
    if !exists {
        return Ok(0);
    }
    client
        .query_one("SELECT coalesce(max(version), 0) FROM schema_version", &[])
        .await?
        .try_get(0)
}

/// Applies every migration the database lacks, recording each version.
pub async fn run(client: &mut deadpool_postgres::Object) -> Result<(), PgError> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    let mut at = version(&tx).await?;
    if at == 0 {
        // Created only when missing: IF NOT EXISTS would log a notice on every start.
        tx.batch_execute(
            "CREATE TABLE schema_version (
                 version    BIGINT PRIMARY KEY,
                 applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
             )",
        )
        .await?;
    }
    for (index, sql) in MIGRATIONS.iter().enumerate() {
        let target = index as i64 + 1;
        if target <= at {
            continue;
        }
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO schema_version (version) VALUES ($1)",
            &[&target],
        )
        .await?;
        tracing::info!(version = target, "database migrated");
        at = target;
    }
    // One transaction for all: a server that fails half-way leaves the database as it found it.
    tx.commit().await
}
