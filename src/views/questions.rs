//! The question list, the question page, the question form and the delete confirmation.

use maud::{Markup, html};

use super::{
    PageContext,
    answers::{AnswerSection, answer_form, answer_section},
    comments::{Thread, comment_thread},
    deletion::{Deleted, delete_warning, deleted_answers, deletion_notice},
    flags::{flag_link, post_body},
    follows::{FollowButton, follow_button},
    forms::{Assist, Field, SummaryInput, TextArea, field_with, summary_field, textarea},
    highlight::{highlight, mentions, snippet},
    layout::{Head, csrf_field, login_href, page, page_with},
    likes::{LikeButton, like_button},
    moderation::{closed_instead_of_answer_form, closure_notice, question_controls},
    pagination::pagination,
    post_meta::{Author, EditMark, post_meta},
    tags::tag_links,
    urls,
    users::author_link,
};
use crate::{
    domain::{
        FieldError,
        board::{Content, ListSort, Subject},
        policy::Action,
        policy::PostRef,
        posts::{QuestionList, QuestionPage, QuestionState, QuestionSummary},
        search::SearchQuery,
        tags::{TagCount, Tags},
    },
    i18n::{Texts, fill},
};

/// One page of the list, as the handler found it.
pub struct ListView<'a> {
    /// What the user typed (kept in the search box and the links).
    pub raw_query: &'a str,
    pub query: &'a SearchQuery,
    pub sort: ListSort,
    pub page: i64,
    pub last_page: i64,
    pub total: i64,
    /// Search only: more questions match than `total`, where counting stopped.
    pub more: bool,
    /// Search only: no question held every word; these hold some.
    pub any_word: bool,
    /// Search only: ranking ran out of time over very many matches.
    pub cut_short: bool,
    pub questions: &'a [QuestionSummary],
    /// Search only: each question's body, for a snippet around the first match (same order).
    pub bodies: &'a [String],
    /// The page asked for was past the last (the last is shown, and kept out of search indexes).
    pub past_end: bool,
    /// A tag's list (`/tags/{name}`) rather than the whole board's.
    pub tag: Option<&'a TagCount>,
    /// Whether the viewer follows that tag.
    pub tag_followed: bool,
}

impl<'a> ListView<'a> {
    /// One page of the board's list (`query` typed but holding nothing to search) or of a tag's, as storage
    /// found it for `requested`.
    pub fn browsing(
        raw_query: &'a str,
        query: &'a SearchQuery,
        sort: ListSort,
        requested: i64,
        found: &'a QuestionList,
        tag: Option<&'a TagCount>,
    ) -> Self {
        Self {
            raw_query,
            query,
            sort,
            page: found.page,
            last_page: crate::domain::board::clamp_page(i64::MAX, found.total),
            total: found.total,
            more: false,
            any_word: false,
            cut_short: false,
            questions: &found.questions,
            bodies: &[],
            past_end: requested > found.page,
            tag,
            tag_followed: false,
        }
    }
}

pub fn list_page(ctx: &PageContext, view: &ListView) -> Markup {
    let t = ctx.t();
    let searching = !view.query.is_empty();
    let sort_label = |sort: ListSort| match sort {
        ListSort::Best => t.sort_relevance,
        ListSort::Recent => t.sort_recent,
        ListSort::Likes => t.sort_likes,
        ListSort::Answers => t.sort_answers,
        ListSort::Unanswered => t.sort_unanswered,
        ListSort::Unaccepted => t.sort_unaccepted,
    };
    let terms = view.query.terms();
    // Every link of the list (tabs, pages) stays in the tag's list or the board's.
    let href = |sort: ListSort, page: i64| match view.tag {
        Some(tag) => urls::tag(&tag.name, sort, page),
        None => urls::list(view.raw_query, sort, page),
    };
    // On a tag's list the search box starts with the tag, so a search looks within it.
    let search_value = match view.tag {
        Some(tag) if view.raw_query.is_empty() => format!("[{}] ", tag.name),
        _ => view.raw_query.to_owned(),
    };
    let content = html! {
        div.d-flex.flex-wrap.align-items-center.justify-content-between.gap-2.mb-3 {
            @match view.tag {
                Some(tag) => {
                    div {
                        h1.h3.mb-1 { (fill(t.tagged_title, &[tag.name.as_str()])) }
                        p.small.text-body-secondary.mb-0 #tag-summary {
                            (super::tags::question_count(ctx, tag)) " · " a href="/tags" { (t.all_tags) }
                        }
                        div.mt-2 { (follow_button(ctx, &FollowButton::tag(ctx, &tag.name, view.tag_followed))) }
                    }
                }
                None => { h1.h3.mb-0 { (t.questions_title) } }
            }
            a.btn.btn-primary href="/questions/new" { (t.ask_question) }
        }
        form.d-flex.gap-2.mb-3 method="get" action="/questions" role="search" {
            label.visually-hidden for="search-q" { (t.search_label) }
            // autocomplete off: a browser going back would otherwise put a later query in the box above
            // an earlier query's results.
            input.form-control #search-q type="search" name="q" value=(search_value)
                placeholder=(t.search_placeholder) maxlength="200" autocomplete="off";
            // Refining a search keeps its tab; a search started from the list is by best match.
            @if searching && view.sort != ListSort::default_for(searching) {
                input type="hidden" name="sort" value=(view.sort.code());
            }
            button.btn.btn-outline-secondary.flex-shrink-0 type="submit" { (t.search_submit) }
        }
        nav aria-label=(t.sort_label) {
            ul.nav.nav-tabs.list-tabs.mb-3 {
                @for &sort in ListSort::tabs(searching) {
                    li.nav-item {
                        @if sort == view.sort {
                            a.nav-link.active aria-current="page" href=(href(sort, 1)) { (sort_label(sort)) }
                        } @else {
                            a.nav-link href=(href(sort, 1)) { (sort_label(sort)) }
                        }
                    }
                }
            }
        }
        @if !searching && !view.raw_query.trim().is_empty() {
            p.alert.alert-warning #search-no-words role="status" {
                (fill(t.search_no_words, &[view.raw_query.trim()]))
            }
        }
        @if searching {
            p.text-body-secondary #search-summary {
                (fill(
                    match (view.more, view.total) {
                        (true, _) => t.search_results_capped,
                        (false, 1) => t.search_results_one,
                        (false, _) => t.search_results,
                    },
                    &[view.raw_query.trim(), &ctx.number(view.total)],
                ))
                " " a href=(urls::list("", ListSort::Recent, 1)) { (t.search_clear) }
            }
            @if view.cut_short {
                p.alert.alert-info #search-cut-short role="status" { (t.search_cut_short) }
            }
            @if view.any_word {
                p.alert.alert-info #search-any-word role="status" { (t.search_any_word) }
            }
            @if view.query.only_excludes() {
                p.alert.alert-warning #search-needs-word role="status" { (t.search_needs_word) }
            }
        }
        section #question-list aria-label=(t.questions_title) {
            @if view.questions.is_empty() {
                p.text-body-secondary.py-3 {
                    (if searching { t.search_no_results } else { t.questions_empty })
                }
            } @else {
                ol.list-group.list-unstyled {
                    @for (index, question) in view.questions.iter().enumerate() {
                        @let before = (view.page - 1) * crate::domain::board::PAGE_SIZE + index as i64;
                        // The list counts down from the newest; a search counts its matches from the best.
                        @let number = if searching { before + 1 } else { view.total - before };
                        (question_item(ctx, question, number, &terms, view.bodies.get(index)))
                    }
                }
            }
        }
        (pagination(t, view.page, view.last_page, &|page| href(view.sort, page), None))
    };
    // A title and description of its own for each tab and page; search results stay out of indexes.
    let page_number = view.page.to_string();
    let heading = match view.tag {
        Some(tag) => fill(t.tagged_title, &[tag.name.as_str()]),
        None => t.questions_title.to_owned(),
    };
    let title = match (searching, view.sort, view.page) {
        (true, _, _) => format!("{} · {}", view.raw_query.trim(), t.search_submit),
        (false, ListSort::Recent, 1) => heading,
        (false, sort, page) => format!(
            "{} · {} · {}",
            heading,
            sort_label(sort),
            fill(t.page_number, &[&page.to_string()])
        ),
    };
    let head = Head {
        description: (!searching).then(|| match view.tag {
            Some(tag) => fill(
                t.tag_description,
                &[
                    &ctx.number(tag.questions),
                    tag.name.as_str(),
                    sort_label(view.sort),
                    &page_number,
                    &view.last_page.to_string(),
                ],
            ),
            None => fill(
                t.list_description,
                &[
                    sort_label(view.sort),
                    &page_number,
                    &view.last_page.to_string(),
                    &ctx.number(view.total),
                ],
            ),
        }),
        canonical: Some(href(view.sort, view.page)),
        noindex: searching || view.past_end,
        social: false,
        feed: Some(match view.tag {
            Some(tag) => urls::tag_feed(&tag.name),
            None => "/feeds/questions.atom".to_owned(),
        }),
    };
    page_with(ctx, &title, &head, content)
}

/// A closed question's mark, in words with a lock.
fn closed_badge(t: &Texts) -> Markup {
    html! {
        span.badge.rounded-pill.border.text-body-secondary data-state="closed" {
            span aria-hidden="true" { "🔒 " } (t.closed_title)
        }
    }
}

/// A question's state in words (and a check mark when accepted), never in colour alone.
fn state_badge(t: &Texts, question: &QuestionSummary) -> Markup {
    html! {
        @match question.state() {
            QuestionState::Unanswered => {
                span.badge.rounded-pill.border.text-body-secondary data-state="unanswered" {
                    (t.state_unanswered)
                }
            }
            QuestionState::Answered => {
                span.badge.rounded-pill.bg-primary-subtle.text-primary-emphasis.border.border-primary-subtle
                    data-state="answered"
                    title=(t.state_answered) data-answer-count=(question.answer_count) {
                    (t.answer_count(question.answer_count))
                }
            }
            QuestionState::Accepted => {
                span.badge.text-bg-success.rounded-pill data-state="accepted"
                    data-answer-count=(question.answer_count) {
                    span aria-hidden="true" { "✓ " }
                    (t.state_accepted) " · " (t.answer_count(question.answer_count))
                }
            }
        }
    }
}

pub(super) fn question_item(
    ctx: &PageContext,
    question: &QuestionSummary,
    number: i64,
    terms: &[String],
    body: Option<&String>,
) -> Markup {
    let t = ctx.t();
    let likes = question.like_count.to_string();
    let shown = !question.hidden || ctx.sees_hidden(question.author_id);
    html! {
        li.list-group-item.d-flex.flex-wrap.gap-2.align-items-baseline #{"question-" (question.id.0)}
            data-question=(question.id.0) {
            span.text-body-secondary.small.question-number data-number=(number) { (number) }
            div.flex-grow-1 {
                a.fw-semibold.text-decoration-none href=(urls::question(question.id, Default::default(), 1)) {
                    @if shown { (highlight(&question.subject, terms)) } @else { (hidden_subject(t)) }
                }
                " " (state_badge(t, question))
                @if question.closed { " " (closed_badge(t)) }
                (tag_links(t, &question.tags))
            }
            div.small.text-body-secondary.d-flex.flex-wrap.gap-2 {
                span title=(if question.like_count == 1 { t.like_count_label_one.to_owned() } else { fill(t.like_count_label, &[&likes]) }) {
                    span aria-hidden="true" { "♥ " }
                    span data-like-count=(question.like_count) { (likes) }
                    span.visually-hidden { " " (t.like) }
                }
                (ctx.views(question.view_count))
                (author_link(ctx.t(), &question.author))
                (ctx.time(question.created_at))
            }
            @if let Some(body) = body.filter(|_| shown) {
                @let body = crate::markdown::plain_text(body);
                p.small.text-body-secondary.mb-0.w-100 data-snippet { (snippet(&body, terms)) }
                @if !mentions(&question.subject, terms) && !mentions(&body, terms) {
                    p.small.text-body-secondary.mb-0.w-100.fst-italic data-found-elsewhere {
                        (t.search_found_elsewhere)
                    }
                }
            }
        }
    }
}

/// The question with its comments, one page of its answers and the answer form.
pub struct QuestionView<'a> {
    pub page: &'a QuestionPage,
    pub answers: AnswerSection<'a>,
    /// The answer form as typed, after a failed post.
    pub answer_draft: &'a str,
    pub answer_errors: &'a [FieldError],
    /// The questions most related to this one (tags shared, then subject words).
    pub related: &'a [QuestionSummary],
}

pub fn question_page(ctx: &PageContext, view: &QuestionView) -> Markup {
    let t = ctx.t();
    let question = &view.page.question;
    let post = PostRef::Question(question.id);
    let deleted = question.deleted.as_ref();
    let may_change = deleted.is_none() && ctx.may(Action::Edit, question.author_id);
    let may_delete = ctx.may(Action::Delete, question.author_id);
    let shown = !question.hidden || ctx.sees_hidden(question.author_id);
    let content = html! {
        article.mb-4 #{"question-" (question.id.0)} {
            h1.h3.mb-1 #question-subject {
                @if shown { (question.subject) } @else { (hidden_subject(t)) }
                @if question.closure.is_some() { " " (closed_badge(t)) }
                @if deleted.is_some() {
                    " " span.badge.rounded-pill.border.text-body-secondary data-state="deleted" {
                        span aria-hidden="true" { "🗑 " } (t.deleted_badge)
                    }
                }
            }
            p.small.text-body-secondary.mb-3 #question-views { (ctx.views(question.view_count)) }
            @if let Some(deletion) = deleted {
                (deletion_notice(ctx, &Deleted { post, deletion, author: question.author_id,
                    author_name: &question.author, question_deleted: false }))
            }
            @if let Some(closure) = &question.closure { (closure_notice(ctx, closure)) }
            div.card {
                div.card-body {
                    div.post-content data-content { (post_body(ctx, question.hidden, question.author_id, &question.content_html)) }
                    (tag_links(t, &question.tags))
                    div.d-flex.flex-wrap.justify-content-between[deleted.is_none()].justify-content-end[deleted.is_some()].align-items-end.gap-2.mt-3 {
                        // A deleted question takes no like, follow or flag.
                        @if deleted.is_none() {
                            div.d-flex.flex-wrap.gap-2 {
                                (like_button(ctx, &LikeButton {
                                    action: urls::question_action(question.id, "like"),
                                    label: t.like_question_label,
                                    count: question.like_count,
                                    liked: question.liked,
                                    own_post: ctx.owns(question.author_id),
                                }))
                                (follow_button(ctx, &FollowButton::question(ctx, question.id, question.followed)))
                                (flag_link(ctx, PostRef::Question(question.id), question.author_id))
                            }
                        }
                        (post_meta(ctx, &Author { name: &question.author, reputation: question.author_reputation }, question.created_at,
                            &EditMark { at: question.modified_at, by: question.edited_by.as_deref(),
                                history: deleted.is_none().then(|| urls::question_action(question.id, "revisions")) }))
                    }
                    @if may_change {
                        div.mt-3.d-flex.gap-2 {
                            a.btn.btn-sm.btn-outline-secondary href=(urls::question_action(question.id, "edit")) { (t.edit) }
                            @if may_delete {
                                a.btn.btn-sm.btn-outline-danger href=(urls::question_action(question.id, "delete"))
                                    hx-post=(urls::question_action(question.id, "delete"))
                                    hx-confirm={ (t.delete_question_title) " "
                                        (delete_warning(ctx, post, question.author_id, false)) }
                                    { (t.delete) }
                            }
                        }
                    }
                    @if deleted.is_none() { (question_controls(ctx, question)) }
                }
            }
            // A deleted question's comments wait with it: nothing is done to them meanwhile.
            @if deleted.is_none() {
                div.ms-3 {
                    (comment_thread(ctx, &Thread { post, total: question.comment_count,
                        comments: view.page.comments_on(post), form: None, say_when_none: false }))
                }
            }
        }
        (answer_section(ctx, &view.answers))
        (deleted_answers(ctx, &view.page.deleted_answers, deleted.is_some()))
        @match &ctx.user {
            _ if deleted.is_some() => {}
            _ if question.closure.is_some() => (closed_instead_of_answer_form(t)),
            Some(_) => (answer_form(ctx, question.id, view.answer_draft, view.answer_errors)),
            None => {
                p.mt-4 #answer-login {
                    a href=(login_href(&urls::question(question.id, Default::default(), 1))) { (t.answer_login_prompt) }
                }
            }
        }
        @if !view.related.is_empty() {
            section.mt-4 aria-labelledby="related-title" {
                h2.h5.mb-2 #related-title { (t.related_title) }
                ul.list-group {
                    @for related in view.related {
                        li.list-group-item data-related=(related.id.0) {
                            a.text-decoration-none href=(urls::question(related.id, Default::default(), 1)) {
                                @if !related.hidden || ctx.sees_hidden(related.author_id) {
                                    (related.subject)
                                } @else {
                                    (hidden_subject(t))
                                }
                            }
                            " " (state_badge(t, related))
                        }
                    }
                }
            }
        }
    };
    let head = Head {
        // A post hidden by spam flags lends no words to search engines or link previews.
        description: (!question.hidden).then(|| super::excerpt(&question.content, 155)),
        canonical: Some(urls::question(
            question.id,
            Default::default(),
            view.answers.page,
        )),
        noindex: false,
        social: true,
        feed: Some(urls::question_feed(question.id)),
    };
    let title = if shown {
        question.subject.as_str()
    } else {
        t.hidden_subject
    };
    match deleted {
        Some(_) => page_with(ctx, &fill(t.deleted_title, &[title]), &head, content),
        None => page_with(ctx, title, &head, content),
    }
}

/// What a question hidden by spam flags is called where its subject would be.
fn hidden_subject(t: &crate::i18n::Texts) -> Markup {
    html! { span.fst-italic data-hidden { "⚑ " (t.hidden_subject) } }
}

/// Questions like the one being typed, under the subject field: links that open beside the form.
pub fn similar_questions(ctx: &PageContext, questions: &[QuestionSummary]) -> Markup {
    let t = ctx.t();
    html! {
        @if !questions.is_empty() {
            section.card.card-body.py-2.mb-3 aria-labelledby="similar-title" {
                h2.h6.mb-2 #similar-title { (t.similar_title) }
                ul.list-unstyled.mb-0 {
                    @for question in questions {
                        li.py-1 data-similar=(question.id.0) {
                            a href=(urls::question(question.id, Default::default(), 1)) target="_blank" rel="noopener" {
                                (question.subject)
                            }
                            " " (state_badge(t, question))
                        }
                    }
                }
            }
        }
    }
}

/// The form to ask or to edit a question.
pub struct QuestionFormView<'a> {
    pub title: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub content: &'a str,
    /// The tags as typed (or as stored, separated by spaces).
    pub tags: &'a str,
    /// Where the subject's similar questions come from (the edit form leaves its own question out).
    pub similar: &'a str,
    pub errors: &'a [FieldError],
    pub submit: &'a str,
    /// Where "cancel" goes.
    pub back: &'a str,
    /// An edit's summary (none when asking).
    pub summary: Option<SummaryInput<'a>>,
}

pub fn question_form_page(ctx: &PageContext, view: &QuestionFormView) -> Markup {
    let t = ctx.t();
    let content = html! {
        h1.h3.mb-4 { (view.title) }
        form method="post" action=(view.action) {
            @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
            // Questions like the one being asked, as its subject is typed: before a duplicate is posted.
            (field_with(t, Field { name: "subject", label: t.subject, input_type: "text", value: view.subject,
                hint: None, autocomplete: "off", required: true, max_length: Some(Subject::MAX_CHARS) }, view.errors,
                Some(&Assist { url: view.similar, target: "#similar-questions", list: None })))
            div #similar-questions aria-live="polite" {}
            (textarea(t, TextArea { name: "content", label: t.content, value: view.content,
                hint: Some(t.content_hint), rows: 12, max_length: Content::MAX_CHARS, id_suffix: "", autofocus: false, required: true }, view.errors))
            (field_with(t, Field { name: "tags", label: t.tags_label, input_type: "text", value: view.tags,
                hint: Some(t.tags_hint), autocomplete: "off", required: false, max_length: Some(Tags::LONGEST_FIELD) }, view.errors,
                Some(&Assist { url: "/tag-suggestions", target: "#tag-suggestions", list: Some("tag-suggestions") })))
            datalist #tag-suggestions {}
            @if let Some(summary) = &view.summary { (summary_field(t, summary, view.errors, "")) }
            div.d-flex.gap-2 {
                button.btn.btn-primary type="submit" { (view.submit) }
                a.btn.btn-outline-secondary href=(view.back) { (t.cancel) }
            }
        }
    };
    page(ctx, view.title, content)
}

/// The page that asks before deleting, for browsers without JavaScript.
pub struct ConfirmDelete<'a> {
    pub title: &'a str,
    pub body: &'a str,
    /// What is being deleted, shown so the user knows.
    pub excerpt: &'a str,
    pub action: &'a str,
    pub back: &'a str,
    /// The button that does it ("Delete", "Purge for good").
    pub button: &'a str,
}

pub fn confirm_delete_page(ctx: &PageContext, view: &ConfirmDelete) -> Markup {
    let t = ctx.t();
    let content = html! {
        div.form-narrow.mx-auto {
            h1.h3.mb-3 { (view.title) }
            p { (view.body) }
            blockquote.border-start.ps-3.text-body-secondary { (view.excerpt) }
            form.d-flex.gap-2 method="post" action=(view.action) {
                @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                button.btn.btn-danger type="submit" { (view.button) }
                a.btn.btn-outline-secondary href=(view.back) { (t.cancel) }
            }
        }
    };
    page(ctx, view.title, content)
}
