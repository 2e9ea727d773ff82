//! Schema versions, tracked in `PRAGMA user_version`: version 1 is `schema.sql`, each later entry one
//! numbered migration. Each step runs in its own transaction together with the version bump.

use rusqlite::Connection;

use super::{DbError, DbResult};

/// Every schema step in order; index + 1 is the version it brings the database to.
const STEPS: &[(&str, &str)] = &[
    ("schema.sql", include_str!("../../schema.sql")),
    ("0002_board.sql", include_str!("migrations/0002_board.sql")),
];

/// The version a fully migrated database has.
pub const LATEST: i64 = STEPS.len() as i64;

/// Applies the steps the database has not seen yet; returns the versions applied.
pub fn run(conn: &mut Connection) -> DbResult<Vec<i64>> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if current > LATEST {
        return Err(DbError::Migration(format!(
            "the database is at schema version {current}, newer than this binary knows ({LATEST}); \
             run a newer miniboard"
        )));
    }
    let mut applied = Vec::new();
    for (index, (name, sql)) in STEPS.iter().enumerate().skip(current as usize) {
        let version = index as i64 + 1;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)
            .map_err(|err| DbError::Migration(format!("{name}: {err}")))?;
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
}
