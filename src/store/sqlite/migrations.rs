//! Schema versions, tracked in `PRAGMA user_version`: version 1 is `schema.sql`, each later entry one
//! numbered migration. Each step runs in its own transaction together with the version bump. A step whose
//! new values only Rust can compute (stems, hashes, name skeletons) runs its SQL, then a Rust function.

use rusqlite::{Connection, Transaction};

use crate::store::{StoreError, StoreResult};

/// Fills in what a step's SQL cannot compute, inside the step's transaction.
type Fill = fn(&Transaction) -> rusqlite::Result<()>;

/// Every schema step in order; index + 1 is the version it brings the database to.
const STEPS: &[(&str, &str, Option<Fill>)] = &[
    ("schema.sql", include_str!("../../../schema.sql"), None),
    (
        "0002_board.sql",
        include_str!("migrations/0002_board.sql"),
        None,
    ),
    (
        "0003_search_posts.sql",
        include_str!("migrations/0003_search_posts.sql"),
        None,
    ),
    (
        "0004_rank_levels.sql",
        include_str!("migrations/0004_rank_levels.sql"),
        None,
    ),
    (
        "0005_linear_stems.sql",
        include_str!("migrations/0005_linear_stems.sql"),
        Some(super::search::rebuild_stems),
    ),
    (
        "0006_session_hashes.sql",
        include_str!("migrations/0006_session_hashes.sql"),
        Some(super::sessions::hash_stored_ids),
    ),
    (
        "0007_username_skeletons.sql",
        include_str!("migrations/0007_username_skeletons.sql"),
        Some(super::users::fill_skeletons),
    ),
    (
        "0008_search_changes.sql",
        include_str!("migrations/0008_search_changes.sql"),
        None,
    ),
    (
        "0009_accepted_answers.sql",
        include_str!("migrations/0009_accepted_answers.sql"),
        None,
    ),
    (
        "0010_comments.sql",
        include_str!("migrations/0010_comments.sql"),
        None,
    ),
    (
        "0011_view_counts.sql",
        include_str!("migrations/0011_view_counts.sql"),
        None,
    ),
    (
        "0012_tags.sql",
        include_str!("migrations/0012_tags.sql"),
        None,
    ),
    (
        "0013_tag_ranks.sql",
        include_str!("migrations/0013_tag_ranks.sql"),
        None,
    ),
    (
        "0014_people.sql",
        include_str!("migrations/0014_people.sql"),
        // Counted by migration 22, whose count knows deleted posts (a recount here would ask for columns
        // that do not exist yet).
        None,
    ),
    (
        "0015_notifications.sql",
        include_str!("migrations/0015_notifications.sql"),
        None,
    ),
    (
        "0016_account_sessions.sql",
        include_str!("migrations/0016_account_sessions.sql"),
        None,
    ),
    (
        "0017_mail.sql",
        include_str!("migrations/0017_mail.sql"),
        None,
    ),
    (
        "0018_api_tokens.sql",
        include_str!("migrations/0018_api_tokens.sql"),
        None,
    ),
    (
        "0019_moderation.sql",
        include_str!("migrations/0019_moderation.sql"),
        None,
    ),
    (
        "0020_revisions.sql",
        include_str!("migrations/0020_revisions.sql"),
        None,
    ),
    (
        "0021_flags.sql",
        include_str!("migrations/0021_flags.sql"),
        None,
    ),
    (
        "0022_soft_delete.sql",
        include_str!("migrations/0022_soft_delete.sql"),
        Some(super::profiles::recount),
    ),
];

/// The version a fully migrated database has.
pub const LATEST: i64 = STEPS.len() as i64;

/// Applies the steps the database has not seen yet; returns the versions applied.
pub fn run(conn: &mut Connection) -> StoreResult<Vec<i64>> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if current > LATEST {
        return Err(StoreError::Migration(format!(
            "the database is at schema version {current}, newer than this binary knows ({LATEST}); \
             run a newer miniboard"
        )));
    }
    let mut applied = Vec::new();
    for (index, (name, sql, fill)) in STEPS.iter().enumerate().skip(current as usize) {
        let version = index as i64 + 1;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)
            .map_err(|err| StoreError::Migration(format!("{name}: {err}")))?;
        if let Some(fill) = fill {
            fill(&tx).map_err(|err| StoreError::Migration(format!("{name}: {err}")))?;
        }
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        applied.push(version);
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_twice_applies_each_step_once() {
        let mut conn = Connection::open_in_memory().expect("in-memory db");
        let first = run(&mut conn).expect("first run");
        assert_eq!(first, (1..=LATEST).collect::<Vec<_>>());
        assert!(run(&mut conn).expect("second run").is_empty());
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .expect("version");
        assert_eq!(version, LATEST);
    }

    #[test]
    fn a_database_from_a_newer_binary_is_refused() {
        let mut conn = Connection::open_in_memory().expect("in-memory db");
        conn.pragma_update(None, "user_version", LATEST + 1)
            .expect("set version");
        assert!(run(&mut conn).is_err());
    }

    #[test]
    fn names_from_before_normalisation_still_log_in_and_look_alikes_keep_their_accounts() {
        let mut conn = Connection::open_in_memory().expect("in-memory db");
        for (_, sql, fill) in &STEPS[..6] {
            let tx = conn.transaction().expect("tx");
            tx.execute_batch(sql).expect("step");
            if let Some(fill) = fill {
                fill(&tx).expect("fill");
            }
            tx.commit().expect("commit");
        }
        conn.pragma_update(None, "user_version", 6)
            .expect("version");
        // Keys as version 6 made them: the name, trimmed and in lower case.
        let nfd_hong = "\u{1112}\u{1169}\u{11BC}\u{1100}\u{1175}\u{11AF}\u{1103}\u{1169}\u{11BC}";
        for (id, name) in [(1, "carol"), (2, "ｃａｒｏｌ"), (3, "ﬁnn"), (4, nfd_hong)] {
            conn.execute(
                "INSERT INTO users (id, username, username_key, email, email_key, password_hash, created_at)
                 VALUES (?1, ?2, lower(?2), ?1 || '@x.org', ?1 || '@x.org', 'hash', 0)",
                rusqlite::params![id, name],
            )
            .expect("user");
        }
        assert_eq!(
            run(&mut conn).expect("migrate"),
            (7..=LATEST).collect::<Vec<_>>()
        );
        let found = |typed: &str| {
            super::super::users::credentials(&conn, typed)
                .expect("lookup")
                .map(|(user, _)| user.id.0)
        };
        assert_eq!(found("carol"), Some(1));
        assert_eq!(found("CAROL"), Some(1));
        assert_eq!(
            found("ｃａｒｏｌ"),
            Some(2),
            "the older look-alike, typed as it was"
        );
        assert_eq!(found("ﬁnn"), Some(3));
        assert_eq!(found("finn"), Some(3), "normalised");
        assert_eq!(found(nfd_hong), Some(4));
        assert_eq!(found("홍길동"), Some(4), "composed or not");
        let skeletons: i64 = conn
            .query_row(
                "SELECT count(DISTINCT username_skeleton) FROM users",
                [],
                |row| row.get(0),
            )
            .expect("count");
        assert_eq!(skeletons, 4, "unique, look-alikes included");
    }

    #[test]
    fn posts_survive_the_move_of_search_out_of_sqlite_and_every_later_change_is_logged() {
        let mut conn = Connection::open_in_memory().expect("in-memory db");
        for (_, sql, _) in &STEPS[..2] {
            conn.execute_batch(sql).expect("step");
        }
        conn.pragma_update(None, "user_version", 2)
            .expect("version");
        conn.execute_batch(
            "INSERT INTO users VALUES (1, 'a', 'a', 'a@x.org', 'a@x.org', 'hash', 0);
             INSERT INTO questions (id, author_id, subject, content, content_html, created_at, search_rowid)
                 VALUES (7, 1, 's', 'c', 'c', 0, 10);
             INSERT INTO answers (id, question_id, author_id, content, content_html, created_at, search_rowid)
                 VALUES (3, 7, 1, 'c', 'c', 0, 11), (4, 7, 1, 'c', 'c', 0, 12);",
        )
        .expect("posts");
        assert_eq!(
            run(&mut conn).expect("migrate"),
            (3..=LATEST).collect::<Vec<_>>()
        );
        let count = |sql: &str| -> i64 { conn.query_row(sql, [], |row| row.get(0)).expect(sql) };
        assert_eq!(
            count("SELECT count(*) FROM answers WHERE question_id = 7"),
            2
        );
        assert_eq!(
            count("SELECT count(*) FROM sqlite_master WHERE name LIKE 'search_index%'"),
            0
        );
        // Nothing logged yet (a new index is built from the posts); each change from now on is.
        assert_eq!(count("SELECT count(*) FROM search_changes"), 0);
        conn.execute_batch(
            "UPDATE questions SET subject = 't' WHERE id = 7;
             UPDATE answers SET like_count = 1 WHERE id = 3;
             DELETE FROM answers WHERE id = 4;",
        )
        .expect("changes");
        let mut statement = conn
            .prepare("SELECT question_id FROM search_changes ORDER BY seq")
            .expect("prepare");
        let logged: Vec<i64> = statement
            .query_map([], |row| row.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(
            logged,
            [7, 7],
            "an answer's like does not change what search holds"
        );
    }
}
