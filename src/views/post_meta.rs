//! What every post shows under its body, question or answer alike: the author and the dates.

use maud::{Markup, html};

use super::{
    PageContext,
    users::{author_link, reputation},
};

/// Who wrote a post: their name (a link to their profile) and reputation.
pub struct Author<'a> {
    pub name: &'a str,
    pub reputation: i64,
}

/// Author and dates under a post.
pub fn post_meta(
    ctx: &PageContext,
    author: &Author,
    created_at: i64,
    modified_at: Option<i64>,
) -> Markup {
    let t = ctx.t();
    html! {
        div.small.text-body-secondary.text-end {
            (author_link(ctx.t(), author.name)) " " (reputation(ctx, author.reputation))
            " · "
            (ctx.time(created_at))
            @if let Some(modified) = modified_at {
                br;
                span.edited data-edited { (t.edited) " " (ctx.time(modified)) }
            }
        }
    }
}
