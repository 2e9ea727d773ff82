//! Tags as links on list rows and question pages, and `/tags`.

use maud::{Markup, html};

use super::{
    PageContext,
    directory::{Directory, directory_page},
    urls,
};
use crate::{
    domain::{
        board::ListSort,
        tags::{TagCount, TagList, TagName, Tags, clamp_tag_page},
    },
    i18n::{Texts, fill},
};

/// A question's tags, each a link to its list; nothing when it has none.
pub fn tag_links(t: &Texts, tags: &Tags) -> Markup {
    html! {
        @if !tags.is_empty() {
            ul.tag-list aria-label=(t.tags_label) {
                @for name in tags.names() {
                    li { a.tag href=(urls::tag(name, ListSort::Recent, 1)) rel="tag" { (name) } }
                }
            }
        }
    }
}

/// How many questions carry a tag, in words.
pub fn question_count(ctx: &PageContext, tag: &TagCount) -> String {
    let t = ctx.t();
    if tag.questions == 1 {
        t.tag_question_count_one.to_owned()
    } else {
        fill(t.tag_question_count, &[&ctx.number(tag.questions)])
    }
}

/// The options of the tags field's suggestions: each completes the name being typed (`before` is what the
/// field holds ahead of it), the most used first.
pub fn tag_suggestions(ctx: &PageContext, before: &str, tags: &[TagCount]) -> Markup {
    html! {
        @for tag in tags {
            option value=(format!("{before}{} ", tag.name)) { (tag.name) " (" (question_count(ctx, tag)) ")" }
        }
    }
}

/// `/tags` as found: the filter typed and one page of tags.
pub struct TagsView<'a> {
    pub prefix: &'a str,
    pub list: &'a TagList,
    /// The page asked for was past the last (the last is shown, and kept out of search indexes).
    pub past_end: bool,
}

pub fn tags_page(ctx: &PageContext, view: &TagsView) -> Markup {
    let t = ctx.t();
    let entries = (!view.list.tags.is_empty()).then(|| {
        html! {
            @for tag in &view.list.tags {
                li.tag-cell data-tag=(tag.name) {
                    a.tag href=(urls::tag(&tag.name, ListSort::Recent, 1)) { (tag.name) }
                    span.small.text-body-secondary data-question-count=(tag.questions) {
                        (question_count(ctx, tag))
                    }
                }
            }
        }
    });
    directory_page(
        ctx,
        &Directory {
            title: t.tags_title,
            intro: html! { (t.tags_intro) },
            path: "/tags",
            id: "tags",
            filter_label: t.tags_filter_label,
            filter_placeholder: t.tags_filter_placeholder,
            filter_submit: t.tags_filter_submit,
            filter_max_chars: TagName::MAX_CHARS,
            prefix: view.prefix,
            empty: t.tags_empty,
            none_match: t.tags_none_match,
            description: t.tags_description,
            page: view.list.page,
            last_page: clamp_tag_page(i64::MAX, view.list.total),
            href: &|page| urls::tags(view.prefix, page),
            past_end: view.past_end,
            entries,
        },
    )
}
