//! Edit history on PostgreSQL (the statements are `store::revisions`').

use deadpool_postgres::GenericClient;

use super::{PgError, PgStore, numbered, opt, rows, run};
use crate::{
    domain::{
        flags::Resolution,
        ids::UserId,
        policy::PostRef,
        revisions::{EditNote, PostRevisions},
    },
    store::{StoreResult, revisions as sql},
};

/// Before an edit: keeps the post as it stands if it has no history yet; returns its newest revision's
/// number.
pub async fn before_edit(client: &impl GenericClient, post: PostRef) -> Result<i64, PgError> {
    let (count, id) = sql::count(post);
    let stored: i64 = match opt(client, &numbered(&count), &[&id]).await? {
        Some(row) => row.try_get(0)?,
        None => 0,
    };
    if stored == 0 {
        let (keep, id) = sql::keep(post);
        run(
            client,
            &numbered(keep),
            &[&id, &1_i64, &None::<i64>, &None::<i64>, &"", &None::<i64>],
        )
        .await?;
    }
    Ok(stored.max(1))
}

/// After an edit: keeps the post as `editor` left it as revision `number`, and who edited it.
pub async fn after_edit(
    client: &impl GenericClient,
    post: PostRef,
    number: i64,
    editor: UserId,
    now: i64,
    note: &EditNote,
) -> Result<(), PgError> {
    let (keep, id) = sql::keep(post);
    run(
        client,
        &numbered(keep),
        &[
            &id,
            &number,
            &Some(editor.0),
            &Some(now),
            &note.summary.as_str(),
            &note.rolled_back_to,
        ],
    )
    .await?;
    let (edited_by, id) = sql::edited_by(post);
    run(client, &numbered(edited_by), &[&id, &editor.0]).await?;
    let (action, detail) = sql::logged(note);
    log_change(client, post, editor, now, (action, &detail)).await?;
    // A moderator's edit is their decision on the post's flags.
    super::flags::resolve(client, post, Resolution::Edited, now, Some(editor)).await?;
    Ok(())
}

/// Logs `(action, detail)` on the post by `actor` at `now` when the post is not theirs.
pub async fn log_change(
    client: &impl GenericClient,
    post: PostRef,
    actor: UserId,
    now: i64,
    (action, detail): (&str, &str),
) -> Result<(), PgError> {
    let (log, id) = sql::log_change(post);
    run(
        client,
        &numbered(log),
        &[&id, &actor.0, &now, &action, &detail],
    )
    .await?;
    Ok(())
}

/// The post as it stands (revision 1 of a post never edited), if it exists.
pub async fn head(
    client: &impl GenericClient,
    post: PostRef,
) -> Result<Option<sql::Head>, PgError> {
    let (head, id) = sql::head(post);
    let Some(row) = opt(client, &numbered(head), &[&id]).await? else {
        return Ok(None);
    };
    Ok(Some(sql::Head {
        question_id: row.try_get(0)?,
        question_subject: row.try_get(1)?,
        author_id: row.try_get(2)?,
        author: row.try_get(3)?,
        at: row.try_get(4)?,
        subject: row.try_get(5)?,
        content: row.try_get(6)?,
        tags: row.try_get(7)?,
        hidden: row.try_get(8)?,
    }))
}

impl PgStore {
    pub async fn revisions(
        &self,
        post: PostRef,
        numbers: (i64, i64),
    ) -> StoreResult<Option<PostRevisions>> {
        let client = self.client().await?;
        let Some(head) = head(&client, post).await? else {
            return Ok(None);
        };
        let (count, id) = sql::count(post);
        let total: i64 = match opt(&client, &numbered(&count), &[&id]).await? {
            Some(row) => row.try_get(0)?,
            None => 0,
        };
        let (list, id) = sql::list(post);
        let (low, high) = sql::with_base(numbers);
        let mut stored = Vec::new();
        for row in rows(&client, &numbered(&list), &[&id, &low, &high]).await? {
            stored.push(sql::Stored {
                number: row.try_get(0)?,
                editor_id: row.try_get(1)?,
                editor: row.try_get(2)?,
                created_at: row.try_get(3)?,
                summary: row.try_get(4)?,
                rolled_back_to: row.try_get(5)?,
                subject: row.try_get(6)?,
                content: row.try_get(7)?,
                tags: row.try_get(8)?,
            });
        }
        Ok(Some(sql::assemble(post, head, total, numbers, stored)))
    }
}
