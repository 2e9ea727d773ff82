//! Answering, and editing (in place with htmx) and deleting answers.

use std::sync::Arc;

use maud::Markup;
use poem::{
    IntoResponse, Request, Response, Route, get, handler,
    http::{HeaderValue, StatusCode},
    post,
    session::Session,
    web::{Data, Form, Path},
};

use super::{
    AppState,
    handler_kit::{QueryParams, form_refused, see_other_to_anchor},
    questions::load_question_page,
    session::{RequireUser, wants_fragment},
};
use crate::{
    board::{self, BoardError},
    domain::{
        FieldError,
        board::{AnswerForm, AnswerId, AnswerSort, PAGE_SIZE, QuestionId},
        policy::{Action, PostRef},
        posts::{PageParts, Removal},
    },
    error::{AppError, AppResult},
    views::{
        PageContext,
        answers::{AnswerSection, answer_edit_form, answer_edit_page, answer_item, answer_section},
        deletion::delete_warning,
        forms::SummaryInput,
        layout::language_switch,
        questions::{ConfirmDelete, QuestionView, confirm_delete_page, question_page},
        urls,
    },
};

pub fn routes(route: Route) -> Route {
    route
        .at("/questions/:id/answers", post(create))
        .at("/answers/:id", get(show))
        .at("/answers/:id/edit", get(edit_form).post(update))
        .at("/answers/:id/delete", get(confirm_delete).post(delete))
        .at("/answers/:id/accept", post(accept))
}

/// The page of its question that holds an answer (default sort).
pub async fn page_of(state: &AppState, id: AnswerId) -> AppResult<String> {
    let (question, position) = state
        .store
        .answer_position(id, AnswerSort::Likes)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(urls::question(
        question,
        AnswerSort::Likes,
        position / PAGE_SIZE + 1,
    ))
}

/// Where an answer is: its question's page that holds it, at its anchor.
async fn location_of(state: &AppState, id: AnswerId) -> AppResult<String> {
    Ok(format!("{}#answer-{}", page_of(state, id).await?, id.0))
}

#[handler]
async fn create(
    req: &Request,
    Path(id): Path<QuestionId>,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
    Form(form): Form<AnswerForm>,
) -> AppResult<Response> {
    let question = id;
    board::mail::may_post(&state.store, &user, state.config.require_verified_email).await?;
    match board::answers::answer(&state.store, &user, question, &form, state.write_limits()).await {
        Ok(id) => {
            state.index_now().await;
            Ok(see_other_to_anchor(req, &location_of(&state, id).await?))
        }
        Err(BoardError::Invalid(errors)) => {
            invalid_answer(&state, &ctx, question, &form, &errors).await
        }
        Err(err) => Err(err.into()),
    }
}

/// The question page again, the answer form showing what was typed and what is wrong with it.
async fn invalid_answer(
    state: &AppState,
    ctx: &PageContext,
    id: QuestionId,
    form: &AnswerForm,
    errors: &[FieldError],
) -> AppResult<Response> {
    let page = load_question_page(state, id, AnswerSort::Likes, 1, PageParts::Whole, ctx).await?;
    let related = board::questions::related(&state.store, &state.search, &page).await?;
    let view = QuestionView {
        page: &page,
        answers: AnswerSection::of(&page, AnswerSort::Likes),
        answer_draft: &form.content,
        answer_errors: errors,
        related: &related,
    };
    Ok(form_refused(question_page(ctx, &view), errors))
}

/// One answer: the fragment for htmx (cancelling an inline edit), else a redirect to where it stands.
#[handler]
async fn show(
    req: &Request,
    Path(id): Path<AnswerId>,
    ctx: PageContext,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    // A deleted answer is there only for its author and the moderators.
    let answer = board::answers::show(&state.store, id, ctx.reader()).await?;
    if !wants_fragment(req) {
        return Ok(poem::web::Redirect::see_other(location_of(&state, id).await?).into_response());
    }
    Ok(answer_item(&ctx, &answer).into_response())
}

fn edit_response(
    req: &Request,
    ctx: &PageContext,
    id: AnswerId,
    content: &str,
    summary: &SummaryInput,
    errors: &[FieldError],
) -> Markup {
    if wants_fragment(req) {
        answer_edit_form(ctx, id, content, summary, errors)
    } else {
        answer_edit_page(ctx, id, content, summary, errors)
    }
}

#[handler]
async fn edit_form(
    req: &Request,
    Path(id): Path<AnswerId>,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    let answer = board::answers::to_change(&state.store, &user, id, Action::Edit).await?;
    let summary = SummaryInput::of(None, answer.author_id, user.id);
    Ok(edit_response(req, &ctx, id, &answer.content, &summary, &[]))
}

/// Saves an edit: htmx gets the rendered answer back in the form's place; a browser goes to the answer.
#[handler]
async fn update(
    req: &Request,
    Path(id): Path<AnswerId>,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
    Form(form): Form<AnswerForm>,
) -> AppResult<Response> {
    board::mail::may_post(&state.store, &user, state.config.require_verified_email).await?;
    let answer = match board::answers::edit(&state.store, &user, id, &form, state.write_limits())
        .await
    {
        Ok(answer) => {
            state.index_now().await;
            answer
        }
        Err(BoardError::Invalid(errors)) => {
            let answer = board::answers::to_change(&state.store, &user, id, Action::Edit).await?;
            let summary = SummaryInput::of(form.summary.as_deref(), answer.author_id, user.id);
            return Ok(
                edit_response(req, &ctx, id, &form.content, &summary, &errors)
                    .with_status(StatusCode::UNPROCESSABLE_ENTITY)
                    .into_response(),
            );
        }
        Err(err) => return Err(err.into()),
    };
    if wants_fragment(req) {
        return Ok(answer_item(&ctx, &answer).into_response());
    }
    Ok(poem::web::Redirect::see_other(location_of(&state, id).await?).into_response())
}

/// Marks the answer as its question's accepted one, or takes the mark back. htmx gets the answer section
/// again, first page in the sort the viewer had (the accepted answer heads it), and the address follows;
/// a browser goes to the answer, wherever it stands now.
#[handler]
async fn accept(
    req: &Request,
    Path(id): Path<AnswerId>,
    mut ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let (question, _) = board::answers::accept(&state.store, &user, id, None).await?;
    if !wants_fragment(req) {
        return Ok(poem::web::Redirect::see_other(location_of(&state, id).await?).into_response());
    }
    let sort = AnswerSort::parse(QueryParams::of_current_page(req).get("asort"));
    let page = load_question_page(&state, question, sort, 1, PageParts::Answers, &ctx).await?;
    // The address the browser shows next, for the language switch to come back to.
    ctx.here = urls::question(question, sort, 1);
    let fragment = maud::html! {
        (answer_section(&ctx, &AnswerSection::of(&page, sort)))
        (language_switch(&ctx, true))
    };
    let mut response = fragment.into_response();
    // Replaced, not pushed: accepting and taking it back are not places to go Back through.
    if let Ok(url) = HeaderValue::from_str(&ctx.here) {
        response.headers_mut().insert("hx-replace-url", url);
    }
    Ok(response)
}

#[handler]
async fn confirm_delete(
    Path(id): Path<AnswerId>,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    let answer = board::answers::to_change(&state.store, &user, id, Action::Delete).await?;
    let back = location_of(&state, id).await?;
    let t = ctx.t();
    let excerpt: String = answer.content.chars().take(200).collect();
    let warning = delete_warning(&ctx, PostRef::Answer(id), answer.author_id, answer.accepted);
    Ok(confirm_delete_page(
        &ctx,
        &ConfirmDelete {
            title: t.delete_answer_title,
            body: &warning,
            excerpt: &excerpt,
            action: &urls::answer_action(id, "delete"),
            back: &back,
            button: t.delete,
        },
    ))
}

#[handler]
async fn delete(
    req: &Request,
    Path(id): Path<AnswerId>,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let post = PostRef::Answer(id);
    super::deletion::remove(req, session, (&user, &state), post, Removal::Delete).await
}
