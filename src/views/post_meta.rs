//! What every post shows under its body, question or answer alike: the author and the dates.

use maud::{Markup, html};

use super::PageContext;

/// Author and dates under a post.
pub fn post_meta(
    ctx: &PageContext,
    author: &str,
    created_at: i64,
    modified_at: Option<i64>,
) -> Markup {
    let t = ctx.t();
    html! {
        div.small.text-body-secondary.text-end {
            span.author.fw-semibold { (author) }
            " · "
            (ctx.time(created_at))
            @if let Some(modified) = modified_at {
                br;
                span.edited data-edited { (t.edited) " " (ctx.time(modified)) }
            }
        }
    }
}
