//! The question list (with search), the question page, and asking, editing and deleting questions.

use std::sync::Arc;

use maud::Markup;
use poem::{
    IntoResponse, Request, Response, Route, get, handler,
    http::StatusCode,
    session::Session,
    web::{Data, Form, Path},
};

use super::{
    AppState,
    handler_kit::{QueryParams, form_refused, redirect_after_post},
    page_cache::same_for_every_visitor,
    session::{RequireUser, wants_fragment},
};
use crate::{
    board::{self, BoardError},
    domain::{
        FieldError,
        board::{AnswerSort, ListSort, QuestionForm, QuestionId, clamp_page, parse_id, parse_page},
        policy::{Action, PostRef},
        posts::{PageParts, QuestionPage, Removal},
        search::SearchQuery,
    },
    error::{AppError, AppResult},
    views::{
        PageContext,
        answers::{AnswerSection, answer_section},
        deletion::delete_warning,
        forms::SummaryInput,
        layout::language_switch,
        questions::{
            ConfirmDelete, ListView, QuestionFormView, QuestionView, confirm_delete_page,
            list_page, question_form_page, question_page, similar_questions,
        },
        urls,
    },
};

pub fn routes(route: Route) -> Route {
    route
        .at("/", get(list))
        .at("/questions", get(list).post(create))
        .at("/questions/new", get(new_form))
        .at("/questions/similar", get(similar))
        .at("/questions/:id", get(show))
        .at("/questions/:id/edit", get(edit_form).post(update))
        .at("/questions/:id/delete", get(confirm_delete).post(delete))
}

#[handler]
async fn list(req: &Request, ctx: PageContext, state: Data<&Arc<AppState>>) -> AppResult<Response> {
    let params = QueryParams::of(req);
    // Shown back as searched: a 60 KB query is not echoed ten times into the page.
    let raw_query = SearchQuery::cut(params.get("q").unwrap_or_default());
    let query = SearchQuery::parse(&raw_query);
    let searching = !query.is_empty();
    let sort = ListSort::parse(params.get("sort"), searching);
    let requested = parse_page(params.get("page"));
    if !searching {
        let found = state.store.question_list(sort, requested).await?;
        return Ok(same_for_every_visitor(list_page(
            &ctx,
            &ListView::browsing(&raw_query, &query, sort, requested, &found, None),
        )));
    }
    // Only searches that missed the visitors' page cache get here: each costs up to a few milliseconds.
    let account = ctx.user.as_ref().map(|user| user.id);
    if let Err(wait) = state
        .searches
        .try_take(super::middleware::client_key(req), account)
    {
        return Err(AppError::TooManySearches { wait });
    }
    let found =
        board::questions::search(&state.store, &state.search, &query, sort, requested).await?;
    Ok(same_for_every_visitor(list_page(
        &ctx,
        &ListView {
            raw_query: &raw_query,
            query: &query,
            sort,
            page: found.page,
            last_page: clamp_page(i64::MAX, found.total),
            total: found.total,
            more: found.more,
            cut_short: found.cut_short,
            any_word: found.any_word,
            questions: &found.questions,
            bodies: &found.bodies,
            past_end: found.past_end,
            tag: None,
            tag_followed: false,
        },
    )))
}

/// Questions shown while a subject is typed.
const SIMILAR_SHOWN: usize = 5;

/// The questions most like a subject being typed (the search's best matches for its words), for the ask
/// form. Help, not a page: nothing to search, or a client at its search limit, gets nothing.
#[handler]
async fn similar(
    req: &Request,
    ctx: PageContext,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    let params = QueryParams::of(req);
    let query = SearchQuery::parse(params.get("subject").unwrap_or_default());
    // On the edit form: the question being edited is not like itself.
    let editing = params.get("except").and_then(parse_id).map(QuestionId);
    if query.is_empty()
        || query.only_excludes()
        || state
            .searches
            .try_take(
                super::middleware::client_key(req),
                ctx.user.as_ref().map(|user| user.id),
            )
            .is_err()
    {
        return Ok(maud::html! {});
    }
    let search = state.search.clone();
    let found =
        tokio::task::spawn_blocking(move || search.find(&query, ListSort::Best, 1)).await??;
    let ids = found
        .questions
        .into_iter()
        .filter(|id| Some(*id) != editing)
        .take(SIMILAR_SHOWN)
        .collect();
    let questions: Vec<_> = state
        .store
        .question_summaries(ids)
        .await?
        .into_iter()
        .map(|(summary, _)| summary)
        .collect();
    Ok(similar_questions(&ctx, &questions))
}

/// The question and one page of its answers; an htmx request for another page or sort gets just `#answers`.
#[handler]
async fn show(
    req: &Request,
    Path(id): Path<QuestionId>,
    ctx: PageContext,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let params = QueryParams::of(req);
    let sort = AnswerSort::parse(params.get("asort"));
    let requested = parse_page(params.get("apage"));
    // The answer section swapped in place shows no related questions.
    let parts = if wants_fragment(req) {
        PageParts::Answers
    } else {
        PageParts::Whole
    };
    let page = load_question_page(&state, id, sort, requested, parts, &ctx).await?;
    let section = AnswerSection::of(&page, sort);
    if parts == PageParts::Answers {
        let fragment = maud::html! {
            (answer_section(&ctx, &section))
            (language_switch(&ctx, true))
        };
        return Ok(same_for_every_visitor(fragment));
    }
    let related = board::questions::related(&state.store, &state.search, &page).await?;
    let mut response = same_for_every_visitor(question_page(
        &ctx,
        &QuestionView {
            page: &page,
            answers: section,
            answer_draft: "",
            answer_errors: &[],
            related: &related,
        },
    ));
    if let Some(user) = &ctx.user {
        response
            .extensions_mut()
            .insert(super::views::ViewedBy(user.id));
    }
    Ok(response)
}

/// A question with one page of its answers, as the viewer sees them (`parts`: with its related questions
/// or not).
pub async fn load_question_page(
    state: &AppState,
    id: QuestionId,
    sort: AnswerSort,
    requested_page: i64,
    parts: PageParts,
    ctx: &PageContext,
) -> AppResult<QuestionPage> {
    Ok(board::questions::page(&state.store, id, sort, requested_page, ctx.reader(), parts).await?)
}

/// The question form: asking, or editing `(id, for someone else)` (a moderator, who says why).
fn form_page(
    ctx: &PageContext,
    editing: Option<(QuestionId, bool)>,
    form: &QuestionForm,
    errors: &[FieldError],
) -> Markup {
    let t = ctx.t();
    let (title, action, back) = match editing {
        Some((id, _)) => (
            t.question_edit_title,
            urls::question_action(id, "edit"),
            urls::question(id, AnswerSort::Likes, 1),
        ),
        None => (
            t.question_new_title,
            "/questions".to_owned(),
            "/".to_owned(),
        ),
    };
    question_form_page(
        ctx,
        &QuestionFormView {
            title,
            action: &action,
            subject: &form.subject,
            content: &form.content,
            tags: form.tags.as_deref().unwrap_or_default(),
            similar: &match editing {
                Some((id, _)) => format!("/questions/similar?except={}", id.0),
                None => "/questions/similar".to_owned(),
            },
            errors,
            submit: if editing.is_some() {
                t.save
            } else {
                t.question_submit
            },
            back: &back,
            summary: editing.map(|(_, for_someone_else)| SummaryInput {
                value: form.summary.as_deref().unwrap_or_default(),
                required: for_someone_else,
            }),
        },
    )
}

#[handler]
fn new_form(ctx: PageContext, _user: RequireUser) -> Markup {
    form_page(&ctx, None, &QuestionForm::default(), &[])
}

#[handler]
async fn create(
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
    Form(form): Form<QuestionForm>,
) -> AppResult<Response> {
    board::mail::may_post(&state.store, &user, state.config.require_verified_email).await?;
    match board::questions::ask(&state.store, &user, &form, state.write_limits()).await {
        Ok(id) => {
            state.index_now().await;
            Ok(
                poem::web::Redirect::see_other(urls::question(id, AnswerSort::Likes, 1))
                    .into_response(),
            )
        }
        Err(BoardError::Invalid(errors)) => {
            Ok(form_refused(form_page(&ctx, None, &form, &errors), &errors))
        }
        Err(err) => Err(err.into()),
    }
}

#[handler]
async fn edit_form(
    Path(id): Path<QuestionId>,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    let question = board::questions::to_change(&state.store, &user, id, Action::Edit).await?;
    let form = QuestionForm {
        subject: question.subject,
        content: question.content,
        tags: Some(question.tags.joined()),
        summary: None,
    };
    let editing = Some((id, question.author_id != user.id));
    Ok(form_page(&ctx, editing, &form, &[]))
}

#[handler]
async fn update(
    req: &Request,
    Path(id): Path<QuestionId>,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
    Form(form): Form<QuestionForm>,
) -> AppResult<Response> {
    board::mail::may_post(&state.store, &user, state.config.require_verified_email).await?;
    match board::questions::edit(&state.store, &user, id, &form, state.write_limits()).await {
        Ok(()) => {
            state.index_now().await;
            Ok(redirect_after_post(
                req,
                &urls::question(id, AnswerSort::Likes, 1),
            ))
        }
        Err(BoardError::Invalid(errors)) => {
            let question =
                board::questions::to_change(&state.store, &user, id, Action::Edit).await?;
            let editing = Some((id, question.author_id != user.id));
            Ok(form_page(&ctx, editing, &form, &errors)
                .with_status(StatusCode::UNPROCESSABLE_ENTITY)
                .into_response())
        }
        Err(err) => Err(err.into()),
    }
}

#[handler]
async fn confirm_delete(
    Path(id): Path<QuestionId>,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    let question = board::questions::to_change(&state.store, &user, id, Action::Delete).await?;
    let t = ctx.t();
    let warning = delete_warning(&ctx, PostRef::Question(id), question.author_id, false);
    Ok(confirm_delete_page(
        &ctx,
        &ConfirmDelete {
            title: t.delete_question_title,
            body: &warning,
            excerpt: &question.subject,
            action: &urls::question_action(id, "delete"),
            back: &urls::question(id, AnswerSort::Likes, 1),
            button: t.delete,
        },
    ))
}

#[handler]
async fn delete(
    req: &Request,
    Path(id): Path<QuestionId>,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let post = PostRef::Question(id);
    super::deletion::remove(req, session, (&user, &state), post, Removal::Delete).await
}
