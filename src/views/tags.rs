//! Tags as links on list rows and question pages, and `/tags`.

use maud::{Markup, html};

use super::{
    PageContext,
    layout::{Head, page_with},
    pagination::pagination,
    urls,
};
use crate::{
    domain::{
        board::ListSort,
        tags::{TagCount, TagList, Tags, clamp_tag_page},
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
    let last_page = clamp_tag_page(i64::MAX, view.list.total);
    let content = html! {
        h1.h3.mb-2 { (t.tags_title) }
        p.text-body-secondary { (t.tags_intro) }
        form.d-flex.gap-2.mb-3 method="get" action="/tags" role="search" {
            label.visually-hidden for="tags-q" { (t.tags_filter_label) }
            input.form-control #tags-q type="search" name="q" value=(view.prefix)
                placeholder=(t.tags_filter_placeholder) maxlength="35" autocomplete="off";
            button.btn.btn-outline-secondary.flex-shrink-0 type="submit" { (t.tags_filter_submit) }
        }
        @if view.list.tags.is_empty() {
            p.text-body-secondary.py-3 #tags-none {
                @if view.prefix.is_empty() { (t.tags_empty) } @else { (fill(t.tags_none_match, &[view.prefix])) }
            }
        } @else {
            ul.tag-grid.list-unstyled #tag-list {
                @for tag in &view.list.tags {
                    li.tag-cell data-tag=(tag.name) {
                        a.tag href=(urls::tag(&tag.name, ListSort::Recent, 1)) { (tag.name) }
                        span.small.text-body-secondary data-question-count=(tag.questions) {
                            (question_count(ctx, tag))
                        }
                    }
                }
            }
        }
        (pagination(t, view.list.page, last_page, &|page| urls::tags(view.prefix, page), None))
    };
    let title = if view.list.page == 1 {
        t.tags_title.to_owned()
    } else {
        format!(
            "{} · {}",
            t.tags_title,
            fill(t.page_number, &[&view.list.page.to_string()])
        )
    };
    let head = Head {
        description: Some(fill(
            t.tags_description,
            &[&view.list.page.to_string(), &last_page.to_string()],
        )),
        canonical: Some(urls::tags(view.prefix, view.list.page)),
        // A filtered list is a search of the tags: out of indexes, like the board's searches.
        noindex: !view.prefix.is_empty() || view.past_end,
        social: false,
        feed: None,
    };
    page_with(ctx, &title, &head, content)
}
