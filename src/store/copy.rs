//! Copies a whole board from one database to another, SQLite or PostgreSQL either way: every table the board
//! keeps, ids and counters as they are, in batches in each table's key order. Both engines hold the same
//! tables and columns, so the statements are written once here; each engine only runs them.

use super::{Store, StoreError, StoreResult};

/// How a column's values are bound and read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Int,
    NullableInt,
    Text,
}

/// One table as the copy sees it.
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    /// The primary key, which orders the batches.
    pub key: &'static [&'static str],
    /// Rows left behind (`None`: every row).
    pub only: Option<&'static str>,
}

/// A value of a copied row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
}

pub type Row = Vec<Value>;

use Kind::{Int, NullableInt, Text};

/// Every table of the board, each after the tables it refers to. What the engines derive from these (rank
/// counts, the search log, the question total) is made again by the target itself.
pub const TABLES: &[Table] = &[
    Table {
        name: "users",
        columns: &[
            ("id", Int),
            ("username", Text),
            ("username_key", Text),
            ("username_skeleton", Text),
            ("email", Text),
            ("email_key", Text),
            ("password_hash", Text),
            ("created_at", Int),
        ],
        key: &["id"],
        only: None,
    },
    Table {
        name: "settings",
        columns: &[("name", Text), ("value", Text)],
        key: &["name"],
        // The search index's epoch names the database an index was built from: the target is another.
        only: Some("name <> 'search_epoch'"),
    },
    Table {
        name: "sessions",
        columns: &[
            ("id", Text),
            ("entries", Text),
            ("expires_at", Int),
            ("created_at", Int),
        ],
        key: &["id"],
        only: None,
    },
    Table {
        name: "questions",
        columns: &[
            ("id", Int),
            ("author_id", Int),
            ("subject", Text),
            ("content", Text),
            ("content_html", Text),
            ("created_at", Int),
            ("modified_at", NullableInt),
            ("answer_count", Int),
            ("like_count", Int),
        ],
        key: &["id"],
        only: None,
    },
    Table {
        name: "answers",
        columns: &[
            ("id", Int),
            ("question_id", Int),
            ("author_id", Int),
            ("content", Text),
            ("content_html", Text),
            ("created_at", Int),
            ("modified_at", NullableInt),
            ("like_count", Int),
        ],
        key: &["id"],
        only: None,
    },
    Table {
        name: "question_likes",
        columns: &[("question_id", Int), ("user_id", Int)],
        key: &["question_id", "user_id"],
        only: None,
    },
    Table {
        name: "answer_likes",
        columns: &[("answer_id", Int), ("user_id", Int)],
        key: &["answer_id", "user_id"],
        only: None,
    },
];

/// Each counter the board keeps, as a query of how far it is from the rows it counts (0: exact).
pub const COUNTER_CHECKS: &[(&str, &str)] = &[
    (
        "questions' answer counts",
        "SELECT count(*) FROM questions q
         WHERE answer_count <> (SELECT count(*) FROM answers a WHERE a.question_id = q.id)",
    ),
    (
        "questions' like counts",
        "SELECT count(*) FROM questions q
         WHERE like_count <> (SELECT count(*) FROM question_likes l WHERE l.question_id = q.id)",
    ),
    (
        "answers' like counts",
        "SELECT count(*) FROM answers a
         WHERE like_count <> (SELECT count(*) FROM answer_likes l WHERE l.answer_id = a.id)",
    ),
    (
        "the question total",
        "SELECT (SELECT value FROM board_totals WHERE name = 'questions')
              - (SELECT count(*) FROM questions)",
    ),
];

/// Rows per batch: a transaction of the target each.
const BATCH: usize = 2_000;

impl Table {
    fn column_list(&self) -> String {
        self.columns
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The rows after `after` (the key of the last row read), in key order; `placeholder(n)` writes the
    /// engine's n-th parameter (1-based).
    pub fn select_after(&self, after: bool, placeholder: impl Fn(usize) -> String) -> String {
        let key = self.key.join(", ");
        let mut conditions: Vec<String> = self.only.iter().map(|only| only.to_string()).collect();
        if after {
            let marks: Vec<String> = (1..=self.key.len()).map(&placeholder).collect();
            conditions.push(format!("({key}) > ({})", marks.join(", ")));
        }
        let filter = if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        };
        format!(
            "SELECT {} FROM {}{filter} ORDER BY {key} LIMIT {BATCH}",
            self.column_list(),
            self.name
        )
    }

    /// One row in.
    pub fn insert(&self, placeholder: impl Fn(usize) -> String) -> String {
        let marks: Vec<String> = (1..=self.columns.len()).map(placeholder).collect();
        format!(
            "INSERT INTO {} ({}) VALUES ({})",
            self.name,
            self.column_list(),
            marks.join(", ")
        )
    }

    /// The key of `row`, for the next batch.
    fn key_of(&self, row: &Row) -> Row {
        self.key
            .iter()
            .filter_map(|key| {
                let at = self.columns.iter().position(|(name, _)| name == key)?;
                row.get(at).cloned()
            })
            .collect()
    }

    /// How many rows the copy takes.
    pub fn count(&self) -> String {
        let filter = self
            .only
            .map(|only| format!(" WHERE {only}"))
            .unwrap_or_default();
        format!("SELECT count(*) FROM {}{filter}", self.name)
    }
}

/// What a copy moved, table by table.
#[derive(Debug)]
pub struct Copied {
    pub tables: Vec<(&'static str, i64)>,
}

/// Copies the board in `from` into `to`, which must hold no board yet; then checks that every table has as
/// many rows on both sides and that the target's counters count its rows.
pub async fn copy(from: &Store, to: &Store) -> StoreResult<Copied> {
    for table in TABLES.iter().filter(|table| table.only.is_none()) {
        let held = to.copy_number(table.count()).await?;
        if held > 0 {
            return Err(StoreError::Refused(format!(
                "the target holds a board already ({held} rows in {}): copy into an empty database",
                table.name
            )));
        }
    }
    for table in TABLES {
        let mut after: Option<Row> = None;
        loop {
            let rows = from.copy_rows_out(table, after.clone()).await?;
            let Some(last) = rows.last() else {
                break;
            };
            after = Some(table.key_of(last));
            let full = rows.len() == BATCH;
            to.copy_rows_in(table, rows).await?;
            if !full {
                break;
            }
        }
    }
    to.copy_finish().await?;
    let mut tables = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let (source, target) = (
            from.copy_number(table.count()).await?,
            to.copy_number(table.count()).await?,
        );
        if source != target {
            return Err(StoreError::Refused(format!(
                "{}: {source} rows in the source, {target} in the target",
                table.name
            )));
        }
        tables.push((table.name, target));
    }
    for (counter, sql) in COUNTER_CHECKS {
        let drift = to.copy_number(sql.to_string()).await?;
        if drift != 0 {
            return Err(StoreError::Refused(format!(
                "{counter} in the target are off by {drift}"
            )));
        }
    }
    Ok(Copied { tables })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_page_by_key_and_leave_out_what_the_target_makes_itself() {
        let likes = TABLES
            .iter()
            .find(|table| table.name == "question_likes")
            .expect("likes");
        assert_eq!(
            likes.select_after(true, |n| format!("${n}")),
            "SELECT question_id, user_id FROM question_likes WHERE (question_id, user_id) > ($1, $2) \
             ORDER BY question_id, user_id LIMIT 2000"
        );
        let settings = TABLES
            .iter()
            .find(|table| table.name == "settings")
            .expect("settings");
        assert_eq!(
            settings.select_after(false, |n| format!("?{n}")),
            "SELECT name, value FROM settings WHERE name <> 'search_epoch' ORDER BY name LIMIT 2000"
        );
        assert_eq!(
            settings.insert(|n| format!("?{n}")),
            "INSERT INTO settings (name, value) VALUES (?1, ?2)"
        );
        let row = vec![Value::Int(4), Value::Int(9)];
        assert_eq!(likes.key_of(&row), row);
    }
}
