//! Asking, editing and deleting questions.

use super::{
    BoardError, allowed, both_parsed, links_allowed, render,
    revisions::{Editing, editing},
    write_check, written,
};
use std::sync::Arc;

use crate::{
    domain::{
        self,
        accounts::CurrentUser,
        board::{AnswerSort, ListSort, QuestionDraft, QuestionForm, QuestionId},
        ids::UserId,
        policy::{self, Action, Actor, PostRef},
        posts::{PageParts, Question, QuestionPage, QuestionSummary, Removal},
        related::RELATED_SHOWN,
        revisions::EditNote,
        search::SearchQuery,
        writing::WriteLimits,
    },
    search::{Matching, SearchIndex},
    store::{NewQuestion, Revision, Store},
};

/// Asks a question; returns its id.
pub async fn ask(
    store: &Store,
    user: &CurrentUser,
    form: &QuestionForm,
    limits: Option<&WriteLimits>,
) -> Result<QuestionId, BoardError> {
    let draft = form.parse().map_err(BoardError::Invalid)?;
    let content_html = render(draft.content.as_str()).await?;
    written(
        store
            .insert_question(NewQuestion {
                author_id: user.id,
                author: user.username.clone(),
                check: write_check(limits, &content_html),
                draft,
                content_html,
                now: domain::now(),
            })
            .await?,
    )
}

/// The question as it stands, for someone the policy lets do `action` to it (the edit form, the delete
/// page).
pub async fn to_change(
    store: &Store,
    user: &CurrentUser,
    id: QuestionId,
    action: Action,
) -> Result<Question, BoardError> {
    let actor = super::moderation::acting(store, user).await?;
    let question = store
        .question(id, None)
        .await?
        .filter(|question| question.deleted.is_none() || removing(action))
        .ok_or(BoardError::NotFound)?;
    policy::may(actor, action, question.author_id).map_err(BoardError::Forbidden)?;
    Ok(question)
}

/// Whether `action` is one a deleted post still takes: bringing it back or purging it.
pub(super) fn removing(action: Action) -> bool {
    matches!(action, Action::Undelete | Action::Purge)
}

/// Replaces a question's subject and body. Who may is decided before the input is looked at (a stranger
/// gets "forbidden", not a list of problems) and again inside the write.
pub async fn edit(
    store: &Store,
    user: &CurrentUser,
    id: QuestionId,
    form: &QuestionForm,
    limits: Option<&WriteLimits>,
) -> Result<(), BoardError> {
    let editing = editing(store, user, PostRef::Question(id)).await?;
    let (note, draft) = both_parsed(editing.note(form.summary.as_deref()), form.parse())?;
    save_edit(store, user, &editing, id, draft, note, limits).await
}

/// Saves an edit (or a rollback) someone may make, with its note.
pub(super) async fn save_edit(
    store: &Store,
    user: &CurrentUser,
    editing: &Editing,
    id: QuestionId,
    draft: QuestionDraft,
    note: EditNote,
    limits: Option<&WriteLimits>,
) -> Result<(), BoardError> {
    let html = render(draft.content.as_str()).await?;
    links_allowed(store, user, limits, &html).await?;
    let revision = Revision {
        text: draft,
        html,
        note,
        mentioned: Vec::new(),
        now: domain::now(),
    };
    allowed(store.update_question(editing.actor, id, revision).await?)
}

/// A question as it stands (with whether `viewer` liked it), unless it is deleted.
pub async fn show(
    store: &Store,
    id: QuestionId,
    viewer: Option<UserId>,
) -> Result<Question, BoardError> {
    store
        .question(id, viewer)
        .await?
        .filter(|question| question.deleted.is_none())
        .ok_or(BoardError::NotFound)
}

/// A question with one page of its answers as `viewer` may see it (read whole, with the questions related
/// by its tags): a deleted question only its author and moderators see (with the deleted answers each
/// may see); to everyone else it is not there.
pub async fn page(
    store: &Store,
    id: QuestionId,
    sort: AnswerSort,
    requested_page: i64,
    viewer: Option<Actor>,
    parts: PageParts,
) -> Result<QuestionPage, BoardError> {
    store
        .question_page(id, sort, requested_page, viewer, parts)
        .await?
        .filter(|page| {
            page.question.deleted.is_none()
                || policy::may_read_withheld(viewer, page.question.author_id)
        })
        .ok_or(BoardError::NotFound)
}

/// Deletes (with its answers), undeletes or purges a question or an answer; returns its question. A
/// suspended author does none of it: the moderators decide what stays.
pub async fn remove(
    store: &Store,
    user: &CurrentUser,
    post: PostRef,
    how: Removal,
) -> Result<QuestionId, BoardError> {
    let actor = super::moderation::acting(store, user).await?;
    allowed(store.remove(actor, post, how).await?)
}

/// The questions most related to a page's question: those sharing its tags (read with the whole page),
/// then, when they are too few, those the search index finds most like its subject; none for a deleted
/// question. A failed search leaves out only what it would have added: related questions are help, not
/// the page.
pub async fn related(
    store: &Store,
    search: &Arc<SearchIndex>,
    page: &QuestionPage,
) -> Result<Vec<QuestionSummary>, BoardError> {
    let (question, mut related) = (&page.question, page.related.clone());
    if related.len() >= RELATED_SHOWN || question.deleted.is_some() {
        return Ok(related);
    }
    let query = SearchQuery::of_text(&question.subject);
    if query.is_empty() {
        return Ok(related);
    }
    let search = search.clone();
    // One more than missing: the question itself is likely among them.
    let wanted = RELATED_SHOWN + 1 + related.len();
    let found = tokio::task::spawn_blocking(move || search.like_subject(&query, wanted)).await;
    let ids = match found {
        Ok(Ok(ids)) => ids,
        Ok(Err(err)) => {
            tracing::warn!(%err, "related questions: search failed");
            return Ok(related);
        }
        Err(err) => {
            tracing::warn!(%err, "related questions: search task failed");
            return Ok(related);
        }
    };
    let more: Vec<QuestionId> = ids
        .into_iter()
        .filter(|id| *id != question.id && related.iter().all(|shown| shown.id != *id))
        .take(RELATED_SHOWN - related.len())
        .collect();
    if !more.is_empty() {
        related.extend(
            store
                .question_summaries(more)
                .await?
                .into_iter()
                .map(|(summary, _)| summary),
        );
    }
    Ok(related)
}

/// One page of what a search found: the questions with their bodies (for excerpts), and how the search
/// went.
pub struct SearchPage {
    pub questions: Vec<QuestionSummary>,
    pub bodies: Vec<String>,
    /// Matching questions, exact up to the search's count cap.
    pub total: i64,
    /// The page shown, clamped to the pages that exist.
    pub page: i64,
    /// More questions match than `total` says.
    pub more: bool,
    /// Ranking ran out of time: these are the best of the matches it reached.
    pub cut_short: bool,
    /// No question held every word; these hold some of them.
    pub any_word: bool,
    /// The page asked for is past the last one.
    pub past_end: bool,
}

/// Searches the board: one page of the matches in `sort` order. A query that only excludes words finds
/// nothing (there is nothing to rank).
pub async fn search(
    store: &Store,
    index: &Arc<SearchIndex>,
    query: &SearchQuery,
    sort: ListSort,
    requested: i64,
) -> Result<SearchPage, BoardError> {
    if query.only_excludes() {
        return Ok(SearchPage {
            questions: Vec::new(),
            bodies: Vec::new(),
            total: 0,
            page: 1,
            more: false,
            cut_short: false,
            any_word: false,
            past_end: false,
        });
    }
    let (index, query) = (index.clone(), query.clone());
    let found = tokio::task::spawn_blocking(move || index.find(&query, sort, requested)).await??;
    let (questions, bodies) = store
        .question_summaries(found.questions.clone())
        .await?
        .into_iter()
        .unzip();
    let total = found.total as i64;
    Ok(SearchPage {
        questions,
        bodies,
        total,
        page: found.page,
        more: found.more,
        cut_short: found.cut_short,
        any_word: found.matching == Matching::AnyWord && total > 0,
        past_end: requested > found.page,
    })
}
