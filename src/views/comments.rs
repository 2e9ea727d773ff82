//! Comments: a post's thread (its first few comments, "show N more", the way to add one), one comment, the
//! inline forms, and the pages that stand in for them without JavaScript.

use maud::{Markup, html};

use super::{
    PageContext,
    flags::{flag_link, post_body},
    forms::{SummaryInput, TextArea, summary_field, textarea},
    layout::{csrf_field, login_href, page},
    post_meta::{EditMark, edit_mark},
    urls,
    users::author_link,
};
use crate::{
    domain::{
        FieldError,
        board::CommentText,
        policy::{Action, PostRef},
        posts::{Comment, PostComments},
    },
    i18n::fill,
};

/// A post's short name in element ids: `q-7`, `a-12`.
fn post_key(post: PostRef) -> String {
    match post {
        PostRef::Question(id) => format!("q-{}", id.0),
        PostRef::Answer(id) => format!("a-{}", id.0),
        PostRef::Comment(id) => format!("c-{}", id.0),
    }
}

/// The id of a post's thread element, which adding, deleting and "show more" swap in place.
pub fn thread_id(post: PostRef) -> String {
    format!("comments-{}", post_key(post))
}

/// A post's comments as one view shows them.
pub struct Thread<'a> {
    pub post: PostRef,
    /// How many comments the post has.
    pub total: i64,
    /// The ones shown, oldest first: the first few, or all.
    pub comments: Vec<&'a Comment>,
    /// The add form, open (as typed, with its problems), instead of the link that opens it.
    pub form: Option<(&'a str, &'a [FieldError])>,
    /// Say so when there are none (the post's own comments page; under a post, nothing is said).
    pub say_when_none: bool,
}

/// `#comments-{post}`: the comments shown, a link to the rest, and the way to add one (a link that opens
/// the form in place with htmx, or goes to the post's comments page, where the form is, without).
pub fn comment_thread(ctx: &PageContext, thread: &Thread) -> Markup {
    let t = ctx.t();
    let id = thread_id(thread.post);
    let target = format!("#{id}");
    let all = urls::comments(thread.post);
    let hidden = thread.total - thread.comments.len() as i64;
    let label = match thread.post {
        PostRef::Answer(_) => t.comments_on_answer_label,
        _ => t.comments_on_question_label,
    };
    html! {
        section.comments.mt-2 #(id) aria-label=(label) data-comment-count=(thread.total) {
            @if !thread.comments.is_empty() {
                ol.list-unstyled.comment-list.mb-1 {
                    @for comment in &thread.comments { (comment_item(ctx, comment)) }
                }
            } @else if thread.say_when_none {
                p.text-body-secondary #comments-none { (t.comments_none) }
            }
            @if let Some((draft, errors)) = thread.form {
                (comment_form(ctx, thread.post, draft, errors, false))
            }
            div.comment-actions.d-flex.flex-wrap.column-gap-3.small {
                @if hidden > 0 {
                    a.comments-more href=(all) hx-get=(all) hx-target=(target) hx-swap="outerHTML" {
                        (t.comments_more(hidden))
                    }
                }
                @if thread.form.is_none() {
                    @if ctx.user.is_some() {
                        a.comment-add href={ (all) "#comment-form-" (post_key(thread.post)) }
                            hx-get=(urls::new_comment(thread.post)) hx-target="this" hx-swap="outerHTML" {
                            (t.comment_add)
                        }
                    } @else {
                        a.comment-add href=(login_href(&ctx.here)) { (t.comment_login) }
                    }
                }
            }
        }
    }
}

/// One comment: `#comment-{id}`, its text, author and date, its link, and its author's controls.
pub fn comment_item(ctx: &PageContext, comment: &Comment) -> Markup {
    let t = ctx.t();
    let may_edit = ctx.may(Action::Edit, comment.author_id);
    let may_delete = ctx.may(Action::Delete, comment.author_id);
    let target = format!("#comment-{}", comment.id.0);
    let edit = urls::comment_action(comment.id, "edit");
    let delete = urls::comment_action(comment.id, "delete");
    html! {
        li.comment.small.py-1.border-bottom #{"comment-" (comment.id.0)} data-comment=(comment.id.0) {
            span.comment-body data-content { (post_body(ctx, comment.hidden, comment.author_id, &comment.content_html)) }
            " – "
            (author_link(ctx.t(), &comment.author))
            " "
            span.text-body-secondary {
                (ctx.time(comment.created_at))
                @if comment.modified_at.is_some() {
                    " · " (edit_mark(ctx, &EditMark { at: comment.modified_at, by: comment.edited_by.as_deref(),
                        history: Some(urls::comment_action(comment.id, "revisions")) }))
                }
            }
            span.comment-actions {
                " "
                // A plain link, not boosted: the browser follows the redirect to the comment's anchor itself.
                a.comment-link.text-body-secondary href=(urls::comment(comment.id)) hx-boost="false"
                    aria-label=(t.share_comment_title) title=(t.share_comment_title) {
                    (t.share_link)
                }
                " "
                (flag_link(ctx, PostRef::Comment(comment.id), comment.author_id))
                @if may_edit {
                    " "
                    a.text-body-secondary href=(edit) hx-get=(edit) hx-target=(target) hx-swap="outerHTML" { (t.edit) }
                }
                @if may_delete {
                    " "
                    a.text-danger-emphasis href=(delete) hx-post=(delete) hx-confirm=(t.delete_comment_title)
                        hx-target={ "#" (thread_id(comment.on)) } hx-swap="outerHTML" { (t.delete) }
                }
            }
        }
    }
}

/// The form that adds a comment to `post`: in place with htmx (the thread comes back with the comment;
/// Cancel brings the thread back without it), a plain form on the post's comments page without.
pub fn comment_form(
    ctx: &PageContext,
    post: PostRef,
    draft: &str,
    errors: &[FieldError],
    in_place: bool,
) -> Markup {
    let t = ctx.t();
    let key = post_key(post);
    let action = urls::comments(post);
    let thread = format!("#{}", thread_id(post));
    html! {
        form.comment-form.my-2 #{"comment-form-" (key)} method="post" action=(action) hx-post=(action)
            hx-target=(thread) hx-swap="outerHTML" {
            @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
            (textarea(t, TextArea { name: "content", label: t.comment_label, value: draft,
                hint: Some(t.comment_hint), rows: 3, max_length: CommentText::MAX_CHARS,
                id_suffix: &format!("-{key}"), autofocus: in_place, required: true }, errors))
            div.d-flex.gap-2 {
                button.btn.btn-primary.btn-sm type="submit" { (t.comment_submit) }
                @if in_place {
                    a.btn.btn-outline-secondary.btn-sm href=(action) hx-get=(action) hx-target=(thread)
                        hx-swap="outerHTML" { (t.cancel) }
                }
            }
        }
    }
}

/// The edit form: in the comment's place with htmx (saving swaps the comment back), or on its own page,
/// a plain form that goes back to the comment.
pub fn comment_edit_form(
    ctx: &PageContext,
    comment: &Comment,
    content: &str,
    summary: &SummaryInput,
    errors: &[FieldError],
    in_place: bool,
) -> Markup {
    let t = ctx.t();
    let id = comment.id;
    let target = format!("#comment-{}", id.0);
    let action = urls::comment_action(id, "edit");
    let area = TextArea {
        name: "content",
        label: t.comment_label,
        value: content,
        hint: Some(t.comment_hint),
        rows: if in_place { 3 } else { 5 },
        max_length: CommentText::MAX_CHARS,
        id_suffix: &format!("-c-{}", id.0),
        autofocus: true,
        required: true,
    };
    html! {
        li.comment.py-1 #{"comment-" (id.0)} data-comment=(id.0) {
            @if in_place {
                form method="post" action=(action) hx-post=(action) hx-target=(target) hx-swap="outerHTML" {
                    @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                    (textarea(t, area, errors))
                    // A comment's author edits without a summary; a moderator says why.
                    @if summary.required { (summary_field(t, summary, errors, &format!("-c-{}", id.0))) }
                    div.d-flex.gap-2 {
                        button.btn.btn-primary.btn-sm type="submit" { (t.save) }
                        a.btn.btn-outline-secondary.btn-sm href=(urls::comment(id))
                            hx-get=(urls::comment(id)) hx-target=(target) hx-swap="outerHTML" { (t.cancel) }
                    }
                }
            } @else {
                form method="post" action=(action) {
                    @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                    (textarea(t, area, errors))
                    @if summary.required { (summary_field(t, summary, errors, &format!("-c-{}", id.0))) }
                    div.d-flex.gap-2 {
                        button.btn.btn-primary type="submit" { (t.save) }
                        a.btn.btn-outline-secondary href=(urls::comment(id)) hx-boost="false" { (t.cancel) }
                    }
                }
            }
        }
    }
}

/// The edit form as a page, for browsers without JavaScript (or a tab of its own).
pub fn comment_edit_page(
    ctx: &PageContext,
    comment: &Comment,
    content: &str,
    summary: &SummaryInput,
    errors: &[FieldError],
) -> Markup {
    let t = ctx.t();
    page(
        ctx,
        t.comment_edit_title,
        html! {
            h1.h3.mb-4 { (t.comment_edit_title) }
            ol.list-unstyled { (comment_edit_form(ctx, comment, content, summary, errors, false)) }
        },
    )
}

/// Every comment on a post and the form that adds one: where "show N more" and "add a comment" lead
/// without JavaScript, and where a comment beyond the first few is linked to. It says what the comments
/// are on: the question, or whose answer, with the start of it.
pub fn comments_page(
    ctx: &PageContext,
    comments: &PostComments,
    back: &str,
    form: Option<(&str, &[FieldError])>,
) -> Markup {
    let t = ctx.t();
    let on = match comments.post {
        PostRef::Answer(_) => t.comments_on_answer,
        _ => t.comments_on_question,
    };
    let thread = Thread {
        post: comments.post,
        total: comments.comments.len() as i64,
        comments: comments.comments.iter().collect(),
        form: form.or(ctx.user.as_ref().map(|_| ("", &[][..]))),
        say_when_none: true,
    };
    let shown =
        |hidden: Option<crate::domain::ids::UserId>| hidden.is_none_or(|a| ctx.sees_hidden(a));
    let excerpt = if shown(comments.hidden_post_author) {
        super::excerpt(&comments.post_content, 300)
    } else {
        format!("⚑ {}", t.hidden_post)
    };
    let subject = if shown(comments.hidden_question_author) {
        comments.question_subject.as_str()
    } else {
        t.hidden_subject
    };
    page(
        ctx,
        &fill(t.comments_title_of, &[subject]),
        html! {
            h1.h3.mb-2 { (t.comments_page_title) }
            p.text-body-secondary.mb-2 #comments-of {
                (on) ": " a href=(back) { (subject) }
            }
            @if let PostRef::Answer(_) = comments.post {
                blockquote.border-start.ps-3.text-body-secondary #comments-post {
                    span.fw-semibold { (fill(t.comments_answer_by, &[super::users::shown_name(t, &comments.post_author)])) }
                    " " (excerpt)
                }
            }
            (comment_thread(ctx, &thread))
            p.mt-3 { a href=(back) { (t.comments_back) } }
        },
    )
}
