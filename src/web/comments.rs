//! Comments on questions and answers: adding one (in place with htmx), a post's comments in full, a
//! comment's permanent link, and editing and deleting comments.

use std::sync::Arc;

use maud::Markup;
use poem::{
    IntoResponse, Request, Response, Route, get, handler,
    http::StatusCode,
    session::Session,
    web::{Data, Form, Path, Redirect},
};

use super::{
    AppState, answers,
    handler_kit::{form_refused, redirect_after_post, see_other_to_anchor},
    session::{RequireUser, flash, wants_fragment},
};
use crate::{
    board::{self, BoardError},
    domain::{
        FieldError,
        board::{AnswerId, AnswerSort, COMMENTS_SHOWN, CommentForm, CommentId, QuestionId},
        policy::{Action, PostRef},
        posts::Comment,
    },
    error::{AppError, AppResult},
    views::{
        Flash, PageContext,
        comments::{
            Thread, comment_edit_form, comment_edit_page, comment_form, comment_item,
            comment_thread, comments_page,
        },
        forms::SummaryInput,
        questions::{ConfirmDelete, confirm_delete_page},
        urls,
    },
};

pub fn routes(route: Route) -> Route {
    route
        .at(
            "/questions/:id/comments",
            get(question_comments).post(comment_on_question),
        )
        .at(
            "/answers/:id/comments",
            get(answer_comments).post(comment_on_answer),
        )
        .at("/questions/:id/comments/new", get(new_on_question))
        .at("/answers/:id/comments/new", get(new_on_answer))
        .at("/comments/:id", get(show))
        .at("/comments/:id/edit", get(edit_form).post(update))
        .at("/comments/:id/delete", get(confirm_delete).post(delete))
}

/// Where a post is shown: its question's page (the page of it that holds an answer), at its anchor.
async fn post_location(state: &AppState, post: PostRef, question: QuestionId) -> AppResult<String> {
    Ok(match post {
        PostRef::Answer(id) => format!("{}#answer-{}", answers::page_of(state, id).await?, id.0),
        _ => format!(
            "{}#question-{}",
            urls::question(question, AnswerSort::Likes, 1),
            question.0
        ),
    })
}

/// Where a comment is shown, at its anchor: under its post on the question's page when it is among the
/// first few, else on the post's comments page.
async fn comment_location(state: &AppState, id: CommentId) -> AppResult<String> {
    let (comment, position) = state
        .store
        .comment_position(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let page = match comment.on {
        _ if position >= COMMENTS_SHOWN => urls::comments(comment.on),
        PostRef::Answer(answer) => answers::page_of(state, answer).await?,
        _ => urls::question(comment.question_id, AnswerSort::Likes, 1),
    };
    Ok(format!("{page}#comment-{}", id.0))
}

/// A post's comments, all of them: the thread for htmx (in place of the first few), the comments page
/// otherwise; with the add form open (as typed) when `form` says so.
async fn all_comments(
    req: &Request,
    ctx: &PageContext,
    state: &AppState,
    post: PostRef,
    form: Option<(&str, &[FieldError])>,
) -> AppResult<Markup> {
    let comments = state
        .store
        .post_comments(post)
        .await?
        .ok_or(AppError::NotFound)?;
    if wants_fragment(req) {
        return Ok(comment_thread(
            ctx,
            &Thread {
                post,
                total: comments.comments.len() as i64,
                comments: comments.comments.iter().collect(),
                form,
                say_when_none: false,
            },
        ));
    }
    let back = post_location(state, post, comments.question_id).await?;
    Ok(comments_page(ctx, &comments, &back, form))
}

#[handler]
async fn question_comments(
    req: &Request,
    Path(id): Path<QuestionId>,
    ctx: PageContext,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    all_comments(req, &ctx, &state, PostRef::Question(id), None).await
}

#[handler]
async fn answer_comments(
    req: &Request,
    Path(id): Path<AnswerId>,
    ctx: PageContext,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    all_comments(req, &ctx, &state, PostRef::Answer(id), None).await
}

/// The add form: in place of the link that asked for it with htmx; without, the post's comments page,
/// where the form is.
async fn new_comment(
    req: &Request,
    ctx: &PageContext,
    state: &AppState,
    post: PostRef,
) -> AppResult<Response> {
    // A post that is gone has no form to show.
    state
        .store
        .post_comments(post)
        .await?
        .ok_or(AppError::NotFound)?;
    if !wants_fragment(req) {
        return Ok(Redirect::see_other(urls::comments(post)).into_response());
    }
    Ok(comment_form(ctx, post, "", &[], true).into_response())
}

#[handler]
async fn new_on_question(
    req: &Request,
    Path(id): Path<QuestionId>,
    ctx: PageContext,
    RequireUser(_user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    new_comment(req, &ctx, &state, PostRef::Question(id)).await
}

#[handler]
async fn new_on_answer(
    req: &Request,
    Path(id): Path<AnswerId>,
    ctx: PageContext,
    RequireUser(_user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    new_comment(req, &ctx, &state, PostRef::Answer(id)).await
}

/// Adds a comment: htmx gets the post's thread back, the new comment in it; a browser goes to the
/// comment. A problem with the text comes back beside the form, as typed.
async fn create(
    req: &Request,
    ctx: &PageContext,
    user: &crate::domain::accounts::CurrentUser,
    state: &AppState,
    post: PostRef,
    form: &CommentForm,
) -> AppResult<Response> {
    board::mail::may_post(&state.store, user, state.config.require_verified_email).await?;
    match board::comments::comment(&state.store, user, post, form, state.write_limits()).await {
        Ok(id) => {
            if wants_fragment(req) {
                return Ok(all_comments(req, ctx, state, post, None)
                    .await?
                    .into_response());
            }
            Ok(see_other_to_anchor(
                req,
                &comment_location(state, id).await?,
            ))
        }
        Err(BoardError::Invalid(errors)) => {
            let page = all_comments(req, ctx, state, post, Some((&form.content, &errors))).await?;
            Ok(form_refused(page, &errors))
        }
        Err(err) => Err(err.into()),
    }
}

#[handler]
async fn comment_on_question(
    req: &Request,
    Path(id): Path<QuestionId>,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
    Form(form): Form<CommentForm>,
) -> AppResult<Response> {
    create(req, &ctx, &user, &state, PostRef::Question(id), &form).await
}

#[handler]
async fn comment_on_answer(
    req: &Request,
    Path(id): Path<AnswerId>,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
    Form(form): Form<CommentForm>,
) -> AppResult<Response> {
    create(req, &ctx, &user, &state, PostRef::Answer(id), &form).await
}

/// A comment's permanent link: a redirect to where it is shown. htmx (cancelling an inline edit) gets the
/// comment itself.
#[handler]
async fn show(
    req: &Request,
    Path(id): Path<CommentId>,
    ctx: PageContext,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    if !wants_fragment(req) {
        return Ok(Redirect::see_other(comment_location(&state, id).await?).into_response());
    }
    let comment = state.store.comment(id).await?.ok_or(AppError::NotFound)?;
    Ok(comment_item(&ctx, &comment).into_response())
}

fn edit_response(
    req: &Request,
    ctx: &PageContext,
    comment: &Comment,
    content: &str,
    summary: &SummaryInput,
    errors: &[FieldError],
) -> Markup {
    if wants_fragment(req) {
        comment_edit_form(ctx, comment, content, summary, errors, true)
    } else {
        comment_edit_page(ctx, comment, content, summary, errors)
    }
}

#[handler]
async fn edit_form(
    req: &Request,
    Path(id): Path<CommentId>,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    let comment = board::comments::to_change(&state.store, &user, id, Action::Edit).await?;
    let summary = SummaryInput::of(None, comment.author_id, user.id);
    Ok(edit_response(
        req,
        &ctx,
        &comment,
        &comment.content,
        &summary,
        &[],
    ))
}

/// Saves an edit: htmx gets the comment back in the form's place; a browser goes to the comment.
#[handler]
async fn update(
    req: &Request,
    Path(id): Path<CommentId>,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
    Form(form): Form<CommentForm>,
) -> AppResult<Response> {
    board::mail::may_post(&state.store, &user, state.config.require_verified_email).await?;
    let comment = match board::comments::edit(&state.store, &user, id, &form, state.write_limits())
        .await
    {
        Ok(comment) => comment,
        Err(BoardError::Invalid(errors)) => {
            let comment = board::comments::to_change(&state.store, &user, id, Action::Edit).await?;
            let summary = SummaryInput::of(form.summary.as_deref(), comment.author_id, user.id);
            return Ok(
                edit_response(req, &ctx, &comment, &form.content, &summary, &errors)
                    .with_status(StatusCode::UNPROCESSABLE_ENTITY)
                    .into_response(),
            );
        }
        Err(err) => return Err(err.into()),
    };
    if wants_fragment(req) {
        return Ok(comment_item(&ctx, &comment).into_response());
    }
    Ok(Redirect::see_other(comment_location(&state, id).await?).into_response())
}

#[handler]
async fn confirm_delete(
    Path(id): Path<CommentId>,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    let comment = board::comments::to_change(&state.store, &user, id, Action::Delete).await?;
    let back = comment_location(&state, id).await?;
    let t = ctx.t();
    let excerpt: String = comment.content.chars().take(200).collect();
    Ok(confirm_delete_page(
        &ctx,
        &ConfirmDelete {
            title: t.delete_comment_title,
            body: t.delete_comment_body,
            excerpt: &excerpt,
            action: &urls::comment_action(id, "delete"),
            back: &back,
            button: t.delete,
        },
    ))
}

/// Deletes a comment: htmx gets its post's thread back without it; a browser goes back to the post.
#[handler]
async fn delete(
    req: &Request,
    Path(id): Path<CommentId>,
    ctx: PageContext,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let comment = board::comments::delete(&state.store, &user, id).await?;
    if wants_fragment(req) {
        return Ok(all_comments(req, &ctx, &state, comment.on, None)
            .await?
            .into_response());
    }
    flash(session, Flash::CommentDeleted);
    // A question's comment: the top of its page, where the message is; an answer's: the answer.
    let back = match comment.on {
        PostRef::Answer(_) => post_location(&state, comment.on, comment.question_id).await?,
        _ => urls::question(comment.question_id, AnswerSort::Likes, 1),
    };
    Ok(redirect_after_post(req, &back))
}
