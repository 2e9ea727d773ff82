//! `miniboard copy` on PostgreSQL: the statements of `store::copy`, run, and the identity sequences moved
//! past the ids copied in.

use deadpool_postgres::GenericClient;
use tokio_postgres::types::ToSql;

use super::{PgError, one, rows, run};
use crate::store::copy::{Kind, Row, Table, Value};

fn placeholder(n: usize) -> String {
    format!("${n}")
}

/// A value bound as its column's type: a NULL too has one.
fn bind(value: &Value, kind: Kind) -> Box<dyn ToSql + Sync + Send> {
    match (value, kind) {
        (Value::Int(n), _) => Box::new(*n),
        (Value::Text(text), _) => Box::new(text.clone()),
        (Value::Null, Kind::Int | Kind::NullableInt) => Box::new(None::<i64>),
        (Value::Null, Kind::Text) => Box::new(None::<String>),
    }
}

fn kind_of(table: &Table, column: &str) -> Kind {
    table
        .columns
        .iter()
        .find(|(name, _)| *name == column)
        .map_or(Kind::Text, |(_, kind)| *kind)
}

pub async fn rows_out(
    client: &impl GenericClient,
    table: &Table,
    after: Option<&Row>,
) -> Result<Vec<Row>, PgError> {
    let values: Vec<Box<dyn ToSql + Sync + Send>> = after
        .into_iter()
        .flatten()
        .zip(table.key)
        .map(|(value, key)| bind(value, kind_of(table, key)))
        .collect();
    let params: Vec<&(dyn ToSql + Sync)> = values
        .iter()
        .map(|value| value.as_ref() as &(dyn ToSql + Sync))
        .collect();
    let sql = table.select_after(after.is_some(), placeholder);
    let mut found = Vec::new();
    for row in rows(client, &sql, &params).await? {
        let mut copied = Vec::with_capacity(table.columns.len());
        for (at, (_, kind)) in table.columns.iter().enumerate() {
            copied.push(match kind {
                Kind::Int | Kind::NullableInt => row
                    .try_get::<_, Option<i64>>(at)?
                    .map_or(Value::Null, Value::Int),
                Kind::Text => row
                    .try_get::<_, Option<String>>(at)?
                    .map_or(Value::Null, Value::Text),
            });
        }
        found.push(copied);
    }
    Ok(found)
}

/// Inserts a batch in one statement, each column bound as one array (`unnest` makes rows of them again): a
/// round trip a row was most of a copy's time.
pub async fn rows_in(
    client: &impl GenericClient,
    table: &Table,
    copied: &[Row],
) -> Result<(), PgError> {
    let mut columns: Vec<Box<dyn ToSql + Sync + Send>> = Vec::with_capacity(table.columns.len());
    for (at, (_, kind)) in table.columns.iter().enumerate() {
        let values = copied.iter().map(|row| row.get(at).unwrap_or(&Value::Null));
        columns.push(match kind {
            Kind::Int | Kind::NullableInt => Box::new(
                values
                    .map(|value| match value {
                        Value::Int(n) => Some(*n),
                        _ => None,
                    })
                    .collect::<Vec<Option<i64>>>(),
            ),
            Kind::Text => Box::new(
                values
                    .map(|value| match value {
                        Value::Text(text) => Some(text.as_str()),
                        _ => None,
                    })
                    .collect::<Vec<Option<&str>>>(),
            ),
        });
    }
    let params: Vec<&(dyn ToSql + Sync)> = columns
        .iter()
        .map(|column| column.as_ref() as &(dyn ToSql + Sync))
        .collect();
    run(client, &write_many(table), &params).await?;
    Ok(())
}

/// One statement for a batch: an insert of the rows, or for a table that `sets`, an update of each row by
/// its key.
fn write_many(table: &Table) -> String {
    let names: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
    let arrays: Vec<String> = table
        .columns
        .iter()
        .enumerate()
        .map(|(at, (_, kind))| match kind {
            Kind::Int | Kind::NullableInt => format!("${}::BIGINT[]", at + 1),
            Kind::Text => format!("${}::TEXT[]", at + 1),
        })
        .collect();
    if table.sets.is_some() {
        let set: Vec<String> = names
            .iter()
            .filter(|name| !table.key.contains(name))
            .map(|name| format!("{name} = v.{name}"))
            .collect();
        let matched: Vec<String> = table
            .key
            .iter()
            .map(|name| format!("t.{name} = v.{name}"))
            .collect();
        return format!(
            "UPDATE {} AS t SET {} FROM unnest({}) AS v ({}) WHERE {}",
            table.name,
            set.join(", "),
            arrays.join(", "),
            names.join(", "),
            matched.join(" AND ")
        );
    }
    let on_conflict = table
        .on_conflict
        .map(|what| format!(" ON CONFLICT {what}"))
        .unwrap_or_default();
    format!(
        "INSERT INTO {} ({}) SELECT * FROM unnest({}){on_conflict}",
        table.name,
        names.join(", "),
        arrays.join(", ")
    )
}

pub async fn finish(client: &impl GenericClient) -> Result<(), PgError> {
    client.execute(crate::store::profiles::RECOUNT, &[]).await?;
    client
        .batch_execute(
            "UPDATE board_totals SET value = (SELECT count(*) FROM questions WHERE deleted_at IS NULL)
                 WHERE name = 'questions';
             DELETE FROM search_changes;
             UPDATE tags SET counted = 1 WHERE question_count >= 1000;
             DELETE FROM settings WHERE name = 'copy_under_way';
             SELECT setval(pg_get_serial_sequence('users', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM users;
             SELECT setval(pg_get_serial_sequence('questions', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM questions;
             SELECT setval(pg_get_serial_sequence('answers', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM answers;
             SELECT setval(pg_get_serial_sequence('comments', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM comments;
             SELECT setval(pg_get_serial_sequence('tags', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM tags;
             SELECT setval(pg_get_serial_sequence('notifications', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM notifications;
             SELECT setval(pg_get_serial_sequence('notification_jobs', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM notification_jobs;
             SELECT setval(pg_get_serial_sequence('mail_queue', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM mail_queue;
             SELECT setval(pg_get_serial_sequence('api_tokens', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM api_tokens;
             SELECT setval(pg_get_serial_sequence('moderation_log', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM moderation_log;
             SELECT setval(pg_get_serial_sequence('revisions', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM revisions;
             SELECT setval(pg_get_serial_sequence('flags', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM flags;",
        )
        .await
}

pub async fn clear(client: &impl GenericClient) -> Result<(), PgError> {
    client
        .batch_execute(
            "TRUNCATE moderation_log, api_tokens, mail_queue, signup_links, account_links, notification_jobs, notifications, tag_follows, question_follows, question_tags, tags, flags, revisions, comments, answer_likes, question_likes, answers, questions, sessions, users,
                      question_rank_blocks, question_rank_spans, question_rank_scores, search_changes,
                      tag_rank_blocks, tag_rank_scores;
             UPDATE board_totals SET value = 0 WHERE name = 'questions';
             DELETE FROM settings WHERE name = 'copy_under_way';",
        )
        .await
}

pub async fn number(client: &impl GenericClient, sql: &str) -> Result<i64, PgError> {
    one(client, sql, &[]).await?.try_get(0)
}
