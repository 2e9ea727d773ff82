//! People: author names as links with their reputation, `/users` and a user's profile.

use maud::{Markup, html};

use super::{
    PageContext,
    directory::{Directory, directory_page},
    layout::{Head, page_with},
    moderation::{profile_controls, role_badge},
    pagination::{InPlace, pagination},
    questions::question_item,
    tags::question_count,
    urls,
};
use crate::{
    domain::{
        accounts::Username,
        board::{ListSort, PAGE_SIZE, clamp_page},
        people::{
            AnswerList, DeletedPost, Profile, ProfilePosts, ProfileTab, UserList, clamp_user_page,
        },
        posts::QuestionList,
        tags::TagCount,
    },
    i18n::{Texts, fill},
};

/// A post's author, linked to their profile; a deleted account (its name empty) is said so, unlinked.
pub fn author_link(t: &Texts, name: &str) -> Markup {
    html! {
        @if name.is_empty() {
            span.author.fst-italic.text-body-secondary data-deleted-user="true" { (t.deleted_user) }
        } @else {
            a.author.fw-semibold href=(urls::user(name, ProfileTab::default(), 1)) { (name) }
        }
    }
}

/// A name as text: a deleted account's (empty) said so.
pub fn shown_name<'a>(t: &'a Texts, name: &'a str) -> &'a str {
    if name.is_empty() {
        t.deleted_user
    } else {
        name
    }
}

/// A reputation beside a name: the number, said as a reputation to those who do not see it.
pub fn reputation(ctx: &PageContext, reputation: i64) -> Markup {
    let t = ctx.t();
    let number = ctx.number(reputation);
    html! {
        span.reputation title=(fill(t.reputation_of, &[&number])) data-reputation=(reputation) {
            span.visually-hidden { (t.reputation_label) " " }
            (number)
        }
    }
}

/// `/users` as found: the filter as understood and one page of users.
pub struct UsersView<'a> {
    pub prefix: &'a str,
    pub list: &'a UserList,
    /// The page asked for was past the last (the last is shown, and kept out of search indexes).
    pub past_end: bool,
}

pub fn users_page(ctx: &PageContext, view: &UsersView) -> Markup {
    let t = ctx.t();
    let entries = (!view.list.users.is_empty()).then(|| {
        html! {
            @for user in &view.list.users {
                li.tag-cell data-user=(user.username) {
                    div {
                        (author_link(ctx.t(), &user.username)) " " (reputation(ctx, user.reputation))
                        " " (role_badge(t, user.role))
                    }
                    div.small.text-body-secondary {
                        (t.profile_questions) " " (ctx.number(user.question_count))
                        " · " (t.profile_answers) " " (ctx.number(user.answer_count))
                    }
                    div.small.text-body-secondary { (fill_time(ctx, t.profile_joined, user.joined_at)) }
                }
            }
        }
    });
    directory_page(
        ctx,
        &Directory {
            title: t.users_title,
            intro: html! { (t.users_intro) " " span.small { (t.reputation_help) } },
            path: "/users",
            id: "users",
            filter_label: t.users_filter_label,
            filter_placeholder: t.users_filter_placeholder,
            filter_submit: t.users_filter_submit,
            filter_max_chars: Username::MAX_CHARS,
            prefix: view.prefix,
            empty: t.users_empty,
            none_match: t.users_none_match,
            description: t.users_description,
            page: view.list.page,
            last_page: clamp_user_page(i64::MAX, view.list.total),
            href: &|page| urls::users(view.prefix, page),
            past_end: view.past_end,
            entries,
        },
    )
}

/// A template with one `{}` filled with a time element.
fn fill_time(ctx: &PageContext, template: &str, unix_seconds: i64) -> Markup {
    let (before, after) = template.split_once("{}").unwrap_or((template, ""));
    html! { (before) (ctx.time(unix_seconds)) (after) }
}

/// A profile and one page of its tab.
pub struct ProfileView<'a> {
    pub profile: &'a Profile,
    /// The tags of the user's newest questions, the most used first.
    pub top_tags: &'a [TagCount],
    pub posts: &'a ProfilePosts,
    /// The page asked for was past the last (the last is shown, and kept out of search indexes).
    pub past_end: bool,
}

pub fn profile_page(ctx: &PageContext, view: &ProfileView) -> Markup {
    let t = ctx.t();
    let profile = view.profile;
    let counts = [
        (t.reputation_label, profile.reputation, "reputation"),
        (t.profile_questions, profile.question_count, "questions"),
        (t.profile_answers, profile.answer_count, "answers"),
        (t.profile_accepted, profile.accepted_count, "accepted"),
        (t.profile_likes, profile.likes_received, "likes"),
    ];
    let content = html! {
        h1.h3.mb-1 #profile-name { (profile.username) " " (role_badge(t, profile.role)) }
        p.text-body-secondary.mb-3 { (fill_time(ctx, t.profile_joined, profile.joined_at)) }
        (profile_controls(ctx, profile))
        dl.profile-counts.mb-2 {
            @for (label, count, key) in counts {
                div data-count=(key) {
                    dt.small.text-body-secondary { (label) }
                    dd.h5.mb-0 { (ctx.number(count)) }
                }
            }
        }
        p.small.text-body-secondary { (t.reputation_help) }
        @if !view.top_tags.is_empty() {
            section.mb-3 aria-labelledby="profile-tags-title" {
                h2.h6 #profile-tags-title { (t.profile_top_tags) }
                ul.tag-list {
                    @for tag in view.top_tags {
                        li {
                            a.tag href=(urls::tag(&tag.name, ListSort::Recent, 1)) rel="tag" { (tag.name) }
                            " " span.small.text-body-secondary data-question-count=(tag.questions) {
                                (question_count(ctx, tag))
                            }
                        }
                    }
                }
            }
        }
        (profile_posts(ctx, profile, view.posts))
    };
    let (page, _) = view.posts.page_and_total();
    let tab = view.posts.tab();
    let tab_label = match tab {
        ProfileTab::Questions => t.profile_questions,
        ProfileTab::Answers => t.profile_answers,
        ProfileTab::Deleted => t.deleted_badge,
    };
    let title = if tab == ProfileTab::default() && page == 1 {
        profile.username.clone()
    } else {
        format!(
            "{} · {} · {}",
            profile.username,
            tab_label,
            fill(t.page_number, &[&page.to_string()])
        )
    };
    let head = Head {
        description: Some(fill(
            t.profile_description,
            &[
                &profile.username,
                &ctx.number(profile.reputation),
                &ctx.number(profile.question_count),
                &ctx.number(profile.answer_count),
            ],
        )),
        canonical: Some(urls::user(&profile.username, tab, page)),
        noindex: view.past_end,
        social: false,
        feed: None,
    };
    page_with(ctx, &title, &head, content)
}

/// A profile's tabs and one page of the tab shown: the fragment htmx swaps when a tab or page is picked.
pub fn profile_posts(ctx: &PageContext, profile: &Profile, posts: &ProfilePosts) -> Markup {
    let t = ctx.t();
    let shown = posts.tab();
    let (page, total) = posts.page_and_total();
    let last_page = clamp_page(i64::MAX, total);
    let mut tabs = vec![
        (
            ProfileTab::Questions,
            t.profile_questions,
            Some(profile.question_count),
        ),
        (
            ProfileTab::Answers,
            t.profile_answers,
            Some(profile.answer_count),
        ),
    ];
    // Their deleted posts: for them and the moderators, who may bring them back.
    if ctx.sees_hidden(profile.id) {
        let count = match posts {
            ProfilePosts::Deleted(deleted) => Some(deleted.len() as i64),
            _ => None,
        };
        tabs.push((ProfileTab::Deleted, t.deleted_badge, count));
    }
    let in_place = InPlace {
        target: "#profile-posts",
    };
    html! {
        section #profile-posts aria-labelledby="profile-posts-title" {
            h2.visually-hidden #profile-posts-title { (t.profile_posts_label) }
            nav aria-label=(t.profile_tabs_label) {
                ul.nav.nav-tabs.mb-2 {
                    @for (tab, label, count) in tabs {
                        @let url = urls::user(&profile.username, tab, 1);
                        li.nav-item {
                            a.nav-link.active[tab == shown] href=(url) aria-current=[(tab == shown).then_some("true")]
                                hx-get=(url) hx-target="#profile-posts" hx-swap="outerHTML" hx-push-url="true" {
                                (label)
                                @if let Some(count) = count {
                                    " " span.badge.text-bg-light.border { (ctx.number(count)) }
                                }
                            }
                        }
                    }
                }
            }
            @match posts {
                ProfilePosts::Questions(list) => (question_rows(ctx, list)),
                ProfilePosts::Answers(list) => (answer_rows(ctx, list)),
                ProfilePosts::Deleted(deleted) => (deleted_rows(ctx, deleted)),
            }
            (pagination(t, page, last_page, &|page| urls::user(&profile.username, shown, page), Some(&in_place)))
        }
    }
}

fn question_rows(ctx: &PageContext, list: &QuestionList) -> Markup {
    html! {
        @if list.questions.is_empty() {
            p.text-body-secondary.py-3 { (ctx.t().profile_no_questions) }
        } @else {
            ol.list-group.list-unstyled {
                @for (index, question) in list.questions.iter().enumerate() {
                    @let number = list.total - (list.page - 1) * PAGE_SIZE - index as i64;
                    (question_item(ctx, question, number, &[], None))
                }
            }
        }
    }
}

/// Deleted posts, each linked where its author and the moderators read it (and bring it back), with who
/// deleted it and when.
fn deleted_rows(ctx: &PageContext, deleted: &[DeletedPost]) -> Markup {
    let t = ctx.t();
    html! {
        @if deleted.is_empty() {
            p.text-body-secondary.py-3 { (t.profile_no_deleted) }
        } @else {
            ol.list-group.list-unstyled {
                @for post in deleted {
                    @let page = urls::question(post.question_id, Default::default(), 1);
                    li.list-group-item data-deleted-post {
                        @match post.answer_id {
                            Some(answer) => a.text-decoration-none href={ (page) "#answer-" (answer.0) } {
                                (fill(t.profile_answer_to, &[&post.subject]))
                            },
                            None => a.text-decoration-none href=(page) { (post.subject) },
                        }
                        div.small.text-body-secondary {
                            span aria-hidden="true" { "🗑 " }
                            (fill(t.deleted_by, &[if post.deletion.by.is_empty() { t.deleted_user } else { &post.deletion.by }]))
                            " · " (ctx.time(post.deletion.at))
                        }
                    }
                }
            }
        }
    }
}

fn answer_rows(ctx: &PageContext, list: &AnswerList) -> Markup {
    let t = ctx.t();
    html! {
        @if list.answers.is_empty() {
            p.text-body-secondary.py-3 { (t.profile_no_answers) }
        } @else {
            ol.list-group.list-unstyled {
                @for answer in &list.answers {
                    li.list-group-item.d-flex.flex-wrap.gap-2.align-items-baseline data-answer=(answer.id.0) {
                        div.flex-grow-1 {
                            a.text-decoration-none href=(urls::answer(answer.id)) {
                                (fill(t.profile_answer_to, &[&answer.question_subject]))
                            }
                            @if answer.accepted {
                                " " span.badge.text-bg-success.rounded-pill data-state="accepted" {
                                    span aria-hidden="true" { "✓ " } (t.state_accepted)
                                }
                            }
                        }
                        div.small.text-body-secondary.d-flex.flex-wrap.gap-2 {
                            span {
                                span aria-hidden="true" { "♥ " }
                                span data-like-count=(answer.like_count) { (answer.like_count) }
                                span.visually-hidden { " " (t.like) }
                            }
                            (ctx.time(answer.created_at))
                        }
                    }
                }
            }
        }
    }
}
