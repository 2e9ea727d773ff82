//! A directory page (`/tags`, `/users`): a name filter, a grid of entries and its pages. Each page says in
//! its title and description which page it is; a filtered one is a search, kept out of indexes.

use maud::{Markup, html};

use super::{
    PageContext,
    layout::{Head, page_with},
    pagination::pagination,
};
use crate::i18n::fill;

/// What a directory page holds; the words are the caller's, in the reader's language.
pub struct Directory<'a> {
    pub title: &'a str,
    pub intro: Markup,
    /// The page's own address (the filter form's action), without parameters.
    pub path: &'a str,
    /// The element ids' stem (`tags`: `#tags-q`, `#tag-list`, `#tags-none`).
    pub id: &'a str,
    pub filter_label: &'a str,
    pub filter_placeholder: &'a str,
    pub filter_submit: &'a str,
    /// The longest filter worth typing (no name is longer).
    pub filter_max_chars: usize,
    /// The filter as understood.
    pub prefix: &'a str,
    /// Nothing at all yet; nothing matching the filter (with a `{}` for it).
    pub empty: &'a str,
    pub none_match: &'a str,
    /// A description with `{}` for the page and the last page.
    pub description: &'a str,
    pub page: i64,
    pub last_page: i64,
    pub href: &'a dyn Fn(i64) -> String,
    /// The page asked for was past the last (the last is shown).
    pub past_end: bool,
    /// The entries, each an `li.tag-cell`; none when empty.
    pub entries: Option<Markup>,
}

pub fn directory_page(ctx: &PageContext, view: &Directory) -> Markup {
    let t = ctx.t();
    let id = view.id;
    let content = html! {
        h1.h3.mb-2 { (view.title) }
        p.text-body-secondary { (view.intro) }
        form.d-flex.gap-2.mb-3 method="get" action=(view.path) role="search" {
            label.visually-hidden for=(format!("{id}-q")) { (view.filter_label) }
            input.form-control #{(id) "-q"} type="search" name="q" value=(view.prefix)
                placeholder=(view.filter_placeholder) maxlength=(view.filter_max_chars) autocomplete="off";
            button.btn.btn-outline-secondary.flex-shrink-0 type="submit" { (view.filter_submit) }
        }
        @match &view.entries {
            Some(entries) => {
                ul.tag-grid.list-unstyled #{(id.trim_end_matches('s')) "-list"} { (entries) }
            }
            None => {
                p.text-body-secondary.py-3 #{(id) "-none"} {
                    @if view.prefix.is_empty() { (view.empty) } @else { (fill(view.none_match, &[view.prefix])) }
                }
            }
        }
        (pagination(t, view.page, view.last_page, view.href, None))
    };
    let title = if view.page == 1 {
        view.title.to_owned()
    } else {
        format!(
            "{} · {}",
            view.title,
            fill(t.page_number, &[&view.page.to_string()])
        )
    };
    let head = Head {
        description: Some(fill(
            view.description,
            &[&view.page.to_string(), &view.last_page.to_string()],
        )),
        canonical: Some((view.href)(view.page)),
        // A filtered list is a search of the directory: out of indexes, like the board's searches.
        noindex: !view.prefix.is_empty() || view.past_end,
        social: false,
        feed: None,
    };
    page_with(ctx, &title, &head, content)
}
