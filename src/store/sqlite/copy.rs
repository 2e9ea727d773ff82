//! `miniboard copy` on SQLite: the statements of `store::copy`, run.

use rusqlite::{Connection, Transaction, types::ValueRef};

use crate::store::copy::{Kind, Row, Table, Value};

fn placeholder(n: usize) -> String {
    format!("?{n}")
}

fn bind(value: &Value) -> rusqlite::types::Value {
    match value {
        Value::Null => rusqlite::types::Value::Null,
        Value::Int(n) => rusqlite::types::Value::Integer(*n),
        Value::Text(text) => rusqlite::types::Value::Text(text.clone()),
    }
}

pub fn rows_out(
    conn: &Connection,
    table: &Table,
    after: Option<&Row>,
) -> rusqlite::Result<Vec<Row>> {
    let mut statement = conn.prepare_cached(&table.select_after(after.is_some(), placeholder))?;
    let values: Vec<rusqlite::types::Value> = after.into_iter().flatten().map(bind).collect();
    let mut rows = statement.query(rusqlite::params_from_iter(values))?;
    let mut found = Vec::new();
    while let Some(row) = rows.next()? {
        let mut copied = Vec::with_capacity(table.columns.len());
        for (at, (_, kind)) in table.columns.iter().enumerate() {
            copied.push(match (kind, row.get_ref(at)?) {
                (_, ValueRef::Null) => Value::Null,
                (Kind::Int | Kind::NullableInt, _) => Value::Int(row.get(at)?),
                (Kind::Text, _) => Value::Text(row.get(at)?),
            });
        }
        found.push(copied);
    }
    Ok(found)
}

pub fn rows_in(tx: &Transaction, table: &Table, rows: &[Row]) -> rusqlite::Result<()> {
    let mut statement = tx.prepare_cached(&table.write(placeholder))?;
    for row in rows {
        statement.execute(rusqlite::params_from_iter(row.iter().map(bind)))?;
    }
    Ok(())
}

pub fn finish(tx: &Transaction) -> rusqlite::Result<()> {
    super::profiles::recount(tx)?;
    tx.execute_batch(
        "UPDATE board_totals SET value = (SELECT count(*) FROM questions WHERE deleted_at IS NULL)
                 WHERE name = 'questions';
         DELETE FROM search_changes;
         UPDATE tags SET counted = 1 WHERE question_count >= 1000;
         DELETE FROM settings WHERE name = 'copy_under_way';",
    )
}

pub fn clear(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(
        "DELETE FROM moderation_log; DELETE FROM api_tokens; DELETE FROM mail_queue; DELETE FROM signup_links; DELETE FROM account_links; DELETE FROM notification_jobs; DELETE FROM notifications; DELETE FROM tag_follows; DELETE FROM question_follows;
         DELETE FROM question_tags; DELETE FROM tags; DELETE FROM flags; DELETE FROM revisions; DELETE FROM comments; DELETE FROM answer_likes; DELETE FROM question_likes; DELETE FROM answers;
         DELETE FROM questions; DELETE FROM sessions; DELETE FROM users;
         UPDATE board_totals SET value = 0 WHERE name = 'questions';
         DELETE FROM search_changes;
         DELETE FROM settings WHERE name = 'copy_under_way';",
    )
}

pub fn number(conn: &Connection, sql: &str) -> rusqlite::Result<i64> {
    conn.query_row(sql, [], |row| row.get(0))
}
