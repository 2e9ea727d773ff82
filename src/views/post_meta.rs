//! What every post shows under its body, question or answer alike: the author and the dates, and for an
//! edited post who edited it and where its history is.

use maud::{Markup, html};

use crate::i18n::fill;

use super::{
    PageContext,
    users::{author_link, reputation},
};

/// Who wrote a post: their name (a link to their profile) and reputation.
pub struct Author<'a> {
    pub name: &'a str,
    pub reputation: i64,
}

/// That a post was edited: when, by whom when not its author, and where its history is.
pub struct EditMark<'a> {
    pub at: Option<i64>,
    /// A moderator's name ('' once their account is deleted).
    pub by: Option<&'a str>,
    /// Where its history is (none while the post is deleted: its history waits for its undelete).
    pub history: Option<String>,
}

/// "edited TIME (by NAME) · history", for a post that was edited.
pub fn edit_mark(ctx: &PageContext, mark: &EditMark) -> Markup {
    let t = ctx.t();
    html! {
        @if let Some(at) = mark.at {
            span.edited data-edited {
                (t.edited) " " (ctx.time(at))
                @if let Some(by) = mark.by {
                    " · " span data-edited-by {
                        @if by.is_empty() {
                            (fill(t.edited_by, &[t.deleted_user]))
                        } @else {
                            (fill(t.edited_by, &[by]))
                        }
                    }
                }
                @if let Some(history) = &mark.history {
                    " · " a.text-body-secondary href=(history) data-history { (t.history_link) }
                }
            }
        }
    }
}

/// Author and dates under a post.
pub fn post_meta(ctx: &PageContext, author: &Author, created_at: i64, mark: &EditMark) -> Markup {
    html! {
        div.small.text-body-secondary.text-end {
            (author_link(ctx.t(), author.name)) " " (reputation(ctx, author.reputation))
            " · "
            (ctx.time(created_at))
            @if mark.at.is_some() {
                br;
                (edit_mark(ctx, mark))
            }
        }
    }
}
